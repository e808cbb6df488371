//! What the leadership table needs besides each assessment's stored scores:
//! the national team's decisions (awarded predicates, units holding WBK).

use sqlx::Row;
use std::collections::HashSet;

use super::Db;

#[derive(Default)]
pub struct Decisions {
    /// Units that hold WBK (the WBBM precondition).
    pub wbk_units: HashSet<String>,
    /// Assessments whose predicate was awarded.
    pub awarded: HashSet<String>,
}

/// The assessments whose predicate was awarded, and the units holding WBK.
pub async fn decisions(db: &Db) -> Result<Decisions, sqlx::Error> {
    let rows =
        sqlx::query("SELECT unit_id, assessment_id, predicate FROM predicates WHERE awarded = 1")
            .fetch_all(db)
            .await?;
    let mut out = Decisions::default();
    for row in &rows {
        out.awarded.insert(row.try_get("assessment_id")?);
        if row.try_get::<String, _>("predicate")? == "wbk" {
            out.wbk_units.insert(row.try_get("unit_id")?);
        }
    }
    Ok(out)
}
