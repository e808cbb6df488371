//! Each assessment's scores, stored at write time: every write that changes
//! what the dashboard shows of an assessment (its answers, the evaluators'
//! lane, its evidence, its rubric's thresholds) calls [`refresh`] in its own
//! transaction, so the dashboard reads one stored row per assessment instead
//! of scoring every answer on every view. The scoring is the domain's
//! ([`StoredScore::of`] over `lke::score`); nothing here scores twice.

use sqlx::AnyConnection;

use super::assessments::{rubric, stored_answers};
use super::db::{self, answers, assessments, evidence, reviews, Db};
use crate::domain::assessment::{coverage, scored_items};
use crate::domain::dashboard::StoredScore;
use crate::domain::review::lane_from_stored;
use crate::error::AppError;

/// One assessment's scores from its rows as they are now (within the
/// caller's transaction, if any): the from-scratch computation.
pub async fn compute(conn: &mut AnyConnection, id: &str) -> Result<StoredScore, AppError> {
    let assessment = assessments::get(conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (rubric, gates) = rubric(conn, &assessment.rubric_key).await?;
    let unit = stored_answers(&rubric, &answers::list(conn, id).await?);
    let entries = reviews::list(conn, id).await?;
    let tpi = (!entries.is_empty()).then(|| {
        lane_from_stored(
            &rubric,
            &unit,
            entries.iter().map(|e| (e.item, e.value.as_deref())),
        )
    });
    let reviewed = entries.iter().filter(|e| e.status.is_some()).count();
    let files = evidence::list(conn, id).await?;
    let covered = coverage(scored_items(&rubric), &crate::model::evidenced(&files));
    Ok(StoredScore::of(
        &rubric,
        &gates,
        assessment.summary.target,
        &unit,
        tpi.as_ref(),
        covered,
        u32::try_from(reviewed).unwrap_or(u32::MAX),
    ))
}

/// Rescores one assessment and stores the result; call it inside the write
/// transaction, after the write. It first locks the assessment's row, so two
/// transactions writing to one assessment at once (PostgreSQL) store in
/// turn, the second from what the first committed: the stored row never
/// misses a committed write.
pub async fn refresh(conn: &mut AnyConnection, id: &str) -> Result<(), AppError> {
    assessments::lock(conn, id).await?;
    let score = compute(conn, id).await?;
    db::scores::upsert(conn, id, &score).await?;
    Ok(())
}

/// Rescores every assessment on a rubric version (its thresholds changed).
pub async fn refresh_rubric(conn: &mut AnyConnection, key: &str) -> Result<usize, AppError> {
    let ids = db::scores::on_rubric(conn, key).await?;
    for id in &ids {
        refresh(conn, id).await?;
    }
    Ok(ids.len())
}

/// Stores the scores of every assessment that has none yet (the one-off
/// fill for assessments created before scores were stored, or restored from
/// an older backup); run at startup. Returns how many it filled.
pub async fn backfill(db: &Db) -> Result<usize, AppError> {
    let missing = db::scores::missing(&mut *db.acquire().await?).await?;
    for batch in missing.chunks(200) {
        let mut tx = db::begin_write(db).await?;
        for id in batch {
            refresh(&mut tx, id).await?;
        }
        tx.commit().await?;
    }
    if !missing.is_empty() {
        tracing::info!(
            filled = missing.len(),
            "stored the scores of older assessments"
        );
    }
    Ok(missing.len())
}
