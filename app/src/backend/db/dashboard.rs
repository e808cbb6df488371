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
    /// Items the evaluators have given a status, per assessment.
    pub reviewed: HashMap<String, u32>,
    /// Units that hold WBK (the WBBM precondition).
    pub wbk_units: HashSet<String>,
    /// Assessments whose predicate was awarded.
    pub awarded: HashSet<String>,
}

/// `(item_code, value)` pairs of the period's assessments, grouped by
/// assessment in the database: one packed row per assessment instead of one
/// per item (`CODE=value;CODE=value`; codes and stored values hold neither
/// `;` nor `=`). Codes the rubric no longer knows are skipped.
async fn packed(
    db: &Db,
    pair: &str,
    from: &str,
    period: &str,
) -> Result<HashMap<String, Vec<(ItemCode, String)>>, sqlx::Error> {
    let mut conn = db.acquire().await?;
    let aggregate = if conn.backend_name() == "SQLite" {
        format!("group_concat({pair}, ';')")
    } else {
        format!("string_agg({pair}, ';')")
    };
    let sql = format!(
        "SELECT x.assessment_id, {aggregate} AS packed {from} \
         JOIN assessments a ON a.id = x.assessment_id WHERE a.period_id = $1 \
         GROUP BY x.assessment_id"
    );
    let mut out = HashMap::new();
    for row in &sqlx::query(&sql).bind(period).fetch_all(&mut *conn).await? {
        let packed: Option<String> = row.try_get("packed")?;
        let pairs = packed
            .unwrap_or_default()
            .split(';')
            .filter_map(|pair| {
                let (code, value) = pair.split_once('=').unwrap_or((pair, ""));
                Some((code.parse().ok()?, value.to_owned()))
            })
            .collect();
        out.insert(row.try_get("assessment_id")?, pairs);
    }
    Ok(out)
}

/// The period's items, its queries run at once (each on its own pooled
/// connection), so the database works while the server parses.
pub async fn period_items(db: &Db, period: &str) -> Result<PeriodItems, sqlx::Error> {
    let (answers, reviews, evidenced, reviewed, (awarded, wbk_units)) = tokio::try_join!(
        packed(
            db,
            "x.item_code || '=' || x.value",
            "FROM answers x",
            period
        ),
        reviews(db, period),
        evidenced(db, period),
        reviewed(db, period),
        decisions(db),
    )?;
    Ok(PeriodItems {
        answers,
        reviews,
        evidenced,
        reviewed,
        wbk_units,
        awarded,
    })
}

/// The evaluators' lane: an empty value is a review without one.
async fn reviews(
    db: &Db,
    period: &str,
) -> Result<HashMap<String, Vec<(ItemCode, Option<String>)>>, sqlx::Error> {
    let packed = packed(
        db,
        "x.item_code || '=' || COALESCE(x.value, '')",
        "FROM reviews x",
        period,
    )
    .await?;
    Ok(packed
        .into_iter()
        .map(|(id, pairs)| {
            let pairs = pairs
                .into_iter()
                .map(|(item, value)| (item, (!value.is_empty()).then_some(value)))
                .collect();
            (id, pairs)
        })
        .collect())
}

/// The items with a current evidence file.
async fn evidenced(
    db: &Db,
    period: &str,
) -> Result<HashMap<String, BTreeSet<ItemCode>>, sqlx::Error> {
    let packed = packed(
        db,
        "k.item_code",
        "FROM evidence x JOIN evidence_links k ON k.evidence_id = x.id AND x.deleted_at IS NULL \
         AND x.replaced_by IS NULL",
        period,
    )
    .await?;
    Ok(packed
        .into_iter()
        .map(|(id, pairs)| (id, pairs.into_iter().map(|(item, _)| item).collect()))
        .collect())
}

/// Items the evaluators have given a status, per assessment.
async fn reviewed(db: &Db, period: &str) -> Result<HashMap<String, u32>, sqlx::Error> {
    let counts = sqlx::query(
        "SELECT x.assessment_id, COUNT(*) AS reviewed FROM reviews x \
         JOIN assessments a ON a.id = x.assessment_id \
         WHERE a.period_id = $1 AND x.status IS NOT NULL GROUP BY x.assessment_id",
    )
    .bind(period)
    .fetch_all(db)
    .await?;
    let mut out = HashMap::new();
    for row in &counts {
        let reviewed: i64 = row.try_get("reviewed")?;
        out.insert(
            row.try_get("assessment_id")?,
            u32::try_from(reviewed).unwrap_or(u32::MAX),
        );
    }
    Ok(out)
}

/// The assessments whose predicate was awarded, and the units holding WBK.
async fn decisions(db: &Db) -> Result<(HashSet<String>, HashSet<String>), sqlx::Error> {
    let rows =
        sqlx::query("SELECT unit_id, assessment_id, predicate FROM predicates WHERE awarded = 1")
            .fetch_all(db)
            .await?;
    let (mut awarded, mut wbk_units) = (HashSet::new(), HashSet::new());
    for row in &rows {
        awarded.insert(row.try_get("assessment_id")?);
        if row.try_get::<String, _>("predicate")? == "wbk" {
            wbk_units.insert(row.try_get("unit_id")?);
        }
    }
    Ok((awarded, wbk_units))
}
