//! Everything the leadership table needs of one period, in a few bulk
//! queries: answers, the evaluators' lane, items with evidence, and the
//! national team's decisions.

use sqlx::Row;
use std::collections::{BTreeSet, HashMap, HashSet};

use super::Db;
use crate::domain::lke::ItemCode;

#[derive(Default)]
pub struct PeriodItems {
    pub answers: HashMap<String, Vec<(ItemCode, String)>>,
    pub reviews: HashMap<String, Vec<(ItemCode, Option<String>)>>,
    pub evidenced: HashMap<String, BTreeSet<ItemCode>>,
    /// Units that hold WBK (the WBBM precondition).
    pub wbk_units: HashSet<String>,
    /// Assessments whose predicate was awarded.
    pub awarded: HashSet<String>,
}

fn code(row: &sqlx::any::AnyRow) -> Result<Option<ItemCode>, sqlx::Error> {
    Ok(row.try_get::<String, _>("item_code")?.parse().ok())
}

pub async fn period_items(db: &Db, period: &str) -> Result<PeriodItems, sqlx::Error> {
    let mut items = PeriodItems::default();
    let rows = sqlx::query(
        "SELECT n.assessment_id, n.item_code, n.value FROM answers n \
         JOIN assessments a ON a.id = n.assessment_id \
         WHERE a.period_id = $1 AND n.value IS NOT NULL",
    )
    .bind(period)
    .fetch_all(db)
    .await?;
    for row in &rows {
        if let Some(item) = code(row)? {
            items
                .answers
                .entry(row.try_get("assessment_id")?)
                .or_default()
                .push((item, row.try_get("value")?));
        }
    }
    let rows = sqlx::query(
        "SELECT r.assessment_id, r.item_code, r.value FROM reviews r \
         JOIN assessments a ON a.id = r.assessment_id WHERE a.period_id = $1",
    )
    .bind(period)
    .fetch_all(db)
    .await?;
    for row in &rows {
        if let Some(item) = code(row)? {
            items
                .reviews
                .entry(row.try_get("assessment_id")?)
                .or_default()
                .push((item, row.try_get("value")?));
        }
    }
    let rows = sqlx::query(
        "SELECT e.assessment_id, k.item_code FROM evidence e \
         JOIN evidence_links k ON k.evidence_id = e.id \
         JOIN assessments a ON a.id = e.assessment_id \
         WHERE a.period_id = $1 AND e.deleted_at IS NULL AND e.replaced_by IS NULL",
    )
    .bind(period)
    .fetch_all(db)
    .await?;
    for row in &rows {
        if let Some(item) = code(row)? {
            items
                .evidenced
                .entry(row.try_get("assessment_id")?)
                .or_default()
                .insert(item);
        }
    }
    let rows =
        sqlx::query("SELECT unit_id, assessment_id, predicate FROM predicates WHERE awarded = 1")
            .fetch_all(db)
            .await?;
    for row in &rows {
        items.awarded.insert(row.try_get("assessment_id")?);
        if row.try_get::<String, _>("predicate")? == "wbk" {
            items.wbk_units.insert(row.try_get("unit_id")?);
        }
    }
    Ok(items)
}
