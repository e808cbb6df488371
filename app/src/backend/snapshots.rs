//! Score history: a snapshot of each assessment's scores every day and at
//! every state change, so the trend on a unit's page reads the past instead
//! of recomputing it.

use super::assessments::today;
use super::dashboard::period_rows;
use super::db::{self, snapshots, Db};
use crate::error::AppError;
use crate::model::ScorePoint;

/// Records today's scores of one assessment (after a state change), from
/// its stored scores.
pub async fn take(db: &Db, id: &str) -> Result<(), AppError> {
    let mut conn = db.acquire().await?;
    let assessment = db::assessments::get(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let score = match db::scores::get(&mut conn, id).await? {
        Some(score) => score,
        None => super::scores::compute(&mut conn, id).await?,
    };
    let point = ScorePoint {
        day: today(),
        state: assessment.state(),
        self_total: score.unit.total,
        tpi_total: score.tpi.as_ref().map(|t| t.total),
    };
    Ok(snapshots::record(&mut conn, id, &point).await?)
}

/// Like [`take`], for after a committed change: a failed snapshot is logged,
/// never turned into a failure of the change itself.
pub async fn after_change(db: &Db, id: &str) {
    if let Err(err) = take(db, id).await {
        tracing::warn!(?err, assessment = id, "score snapshot failed");
    }
}

/// Records today's scores of every assessment of this year's and last year's
/// periods; returns how many.
pub async fn take_all(db: &Db) -> Result<usize, AppError> {
    let this_year = today().year();
    let mut taken = 0;
    for period in db::periods::list(db).await? {
        if period.year.value() < this_year - 1 {
            continue;
        }
        let rows = period_rows(db, &period, |_| true).await?;
        let mut tx = crate::backend::db::begin_write(db).await?;
        for row in &rows {
            let point = ScorePoint {
                day: today(),
                state: row.state,
                self_total: row.self_total,
                tpi_total: row.tpi_total,
            };
            snapshots::record(&mut tx, &row.assessment_id, &point).await?;
        }
        tx.commit().await?;
        taken += rows.len();
    }
    Ok(taken)
}
