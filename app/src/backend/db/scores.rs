//! The stored scores of each assessment (`assessment_scores`): written by
//! `backend::scores` inside every write that changes them, read in bulk by
//! the dashboard.

use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

use super::{now_ms, Db};
use crate::domain::dashboard::StoredScore;

fn encode(score: &StoredScore) -> Result<String, sqlx::Error> {
    serde_json::to_string(score).map_err(|err| sqlx::Error::Encode(Box::new(err)))
}

fn decode(raw: &str) -> Result<StoredScore, sqlx::Error> {
    serde_json::from_str(raw).map_err(|err| sqlx::Error::Decode(Box::new(err)))
}

pub async fn upsert(
    conn: &mut AnyConnection,
    assessment: &str,
    score: &StoredScore,
) -> Result<(), sqlx::Error> {
    // No NULL is bound: PostgreSQL keeps the parameter types of a statement's
    // first use on a connection, and a NULL bound there first makes a later
    // number fail ("incorrect binary data format"); an empty lane is a
    // literal NULL in its own statement instead.
    let tpi = if score.tpi.is_some() { "$6" } else { "NULL" };
    let sql = format!(
        "INSERT INTO assessment_scores (assessment_id, rubric_key, self_total, figures, \
         updated_at, tpi_total) VALUES ($1, $2, $3, $4, $5, {tpi}) \
         ON CONFLICT (assessment_id) DO UPDATE SET rubric_key = excluded.rubric_key, \
         self_total = excluded.self_total, tpi_total = excluded.tpi_total, \
         figures = excluded.figures, updated_at = excluded.updated_at"
    );
    let mut query = sqlx::query(&sql)
        .bind(assessment)
        .bind(&score.rubric_key)
        .bind(score.unit.total)
        .bind(encode(score)?)
        .bind(now_ms());
    if let Some(tpi) = &score.tpi {
        query = query.bind(tpi.total);
    }
    query.execute(conn).await?;
    Ok(())
}

/// Many rows in a few statements (the load generator).
pub async fn insert_many(
    conn: &mut AnyConnection,
    scores: &[(String, StoredScore)],
) -> Result<(), sqlx::Error> {
    use super::bulk::Cell;
    let now = now_ms();
    let mut rows = Vec::with_capacity(scores.len());
    for (id, score) in scores {
        rows.push(vec![
            Cell::Text(Some(id.clone())),
            Cell::Text(Some(score.rubric_key.clone())),
            Cell::Float(Some(score.unit.total)),
            Cell::Float(score.tpi.as_ref().map(|t| t.total)),
            Cell::Text(Some(encode(score)?)),
            Cell::Int(now),
        ]);
    }
    super::bulk::insert(
        conn,
        "assessment_scores",
        &[
            "assessment_id",
            "rubric_key",
            "self_total",
            "tpi_total",
            "figures",
            "updated_at",
        ],
        rows,
    )
    .await
}

/// The stored scores of a period's assessments, by assessment id.
pub async fn for_period(
    db: &Db,
    period: &str,
) -> Result<HashMap<String, StoredScore>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT s.assessment_id, s.figures FROM assessment_scores s \
         JOIN assessments a ON a.id = s.assessment_id WHERE a.period_id = $1",
    )
    .bind(period)
    .fetch_all(db)
    .await?;
    let mut out = HashMap::with_capacity(rows.len());
    for row in &rows {
        let figures: String = row.try_get("figures")?;
        out.insert(row.try_get("assessment_id")?, decode(&figures)?);
    }
    Ok(out)
}

/// One assessment's stored scores.
pub async fn get(
    conn: &mut AnyConnection,
    assessment: &str,
) -> Result<Option<StoredScore>, sqlx::Error> {
    let figures: Option<String> =
        sqlx::query_scalar("SELECT figures FROM assessment_scores WHERE assessment_id = $1")
            .bind(assessment)
            .fetch_optional(conn)
            .await?;
    figures.as_deref().map(decode).transpose()
}

/// Assessments without a stored row (older than the table, or restored from
/// an older backup).
pub async fn missing(conn: &mut AnyConnection) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT a.id FROM assessments a LEFT JOIN assessment_scores s ON s.assessment_id = a.id \
         WHERE s.assessment_id IS NULL ORDER BY a.id",
    )
    .fetch_all(conn)
    .await
}

/// The assessments scored on a rubric version (a threshold edit rescores them).
pub async fn on_rubric(conn: &mut AnyConnection, key: &str) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT a.id FROM assessments a JOIN periods p ON p.id = a.period_id \
         WHERE p.rubric_key = $1 ORDER BY a.id",
    )
    .bind(key)
    .fetch_all(conn)
    .await
}
