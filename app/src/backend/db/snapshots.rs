use sqlx::{AnyConnection, Row};

use super::now_ms;
use super::periods::decode;
use crate::domain::period::Day;
use crate::model::ScorePoint;

/// Keeps the day's scores of an assessment (the latest of the day wins).
pub async fn record(
    conn: &mut AnyConnection,
    assessment: &str,
    point: &ScorePoint,
) -> Result<(), sqlx::Error> {
    let day = point.day.to_string();
    let updated = sqlx::query(
        "UPDATE score_snapshots SET state = $1, self_total = $2, tpi_total = $3, taken_at = $4 \
         WHERE assessment_id = $5 AND day = $6",
    )
    .bind(point.state.as_str())
    .bind(point.self_total)
    .bind(point.tpi_total)
    .bind(now_ms())
    .bind(assessment)
    .bind(&day)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO score_snapshots (assessment_id, day, state, self_total, tpi_total, taken_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(assessment)
        .bind(&day)
        .bind(point.state.as_str())
        .bind(point.self_total)
        .bind(point.tpi_total)
        .bind(now_ms())
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// Every snapshot of a unit's assessments, across periods, oldest first.
pub async fn of_unit(conn: &mut AnyConnection, unit: &str) -> Result<Vec<ScorePoint>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT s.day, s.state, s.self_total, s.tpi_total FROM score_snapshots s \
         JOIN assessments a ON a.id = s.assessment_id WHERE a.unit_id = $1 ORDER BY s.day",
    )
    .bind(unit)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(ScorePoint {
                day: decode(row.try_get::<String, _>("day")?.parse::<Day>())?,
                state: decode(row.try_get::<String, _>("state")?.parse())?,
                self_total: row.try_get("self_total")?,
                tpi_total: row.try_get("tpi_total")?,
            })
        })
        .collect()
}
