use sqlx::{AnyConnection, Row};

use super::now_ms;
use super::periods::decode;
use crate::domain::period::Day;
use crate::model::ScorePoint;

/// Keeps the day's scores of an assessment (the latest of the day wins).
///
/// No NULL is bound: PostgreSQL keeps the parameter types of a statement's
/// first use on a connection, so a NULL bound there first would make a later
/// evaluators' total fail; a missing total is a literal NULL in its own
/// statement instead.
pub async fn record(
    conn: &mut AnyConnection,
    assessment: &str,
    point: &ScorePoint,
) -> Result<(), sqlx::Error> {
    let day = point.day.to_string();
    let tpi = |n: usize| {
        point
            .tpi_total
            .map_or("NULL".to_owned(), |_| format!("${n}"))
    };
    let update = format!(
        "UPDATE score_snapshots SET state = $1, self_total = $2, taken_at = $3, tpi_total = {} \
         WHERE assessment_id = $4 AND day = $5",
        tpi(6)
    );
    let mut query = sqlx::query(&update)
        .bind(point.state.as_str())
        .bind(point.self_total)
        .bind(now_ms())
        .bind(assessment)
        .bind(&day);
    if let Some(total) = point.tpi_total {
        query = query.bind(total);
    }
    if query.execute(&mut *conn).await?.rows_affected() > 0 {
        return Ok(());
    }
    let insert = format!(
        "INSERT INTO score_snapshots (assessment_id, day, state, self_total, taken_at, tpi_total) \
         VALUES ($1, $2, $3, $4, $5, {})",
        tpi(6)
    );
    let mut query = sqlx::query(&insert)
        .bind(assessment)
        .bind(&day)
        .bind(point.state.as_str())
        .bind(point.self_total)
        .bind(now_ms());
    if let Some(total) = point.tpi_total {
        query = query.bind(total);
    }
    query.execute(conn).await?;
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
