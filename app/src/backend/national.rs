//! The national stages on the server: recording the next stage of a
//! proposed assessment (the domain's transition rule decides; the stage and
//! its audit line are written in one transaction) and listing them. The
//! final result also moves the assessment to awarded or not awarded, and is
//! the unit's predicate history.

use serde_json::json;

use super::assessments::{open, today};
use super::db::{assessments, audit, national, Db};
use crate::domain::national::{self as rules, Stage};
use crate::domain::policy::{can, Action};
use crate::domain::review;
use crate::error::{AppError, Field, Problem, Refusal};
use crate::model::{RecordedStage, SessionUser};

/// A stage as the administrator entered it, with the place in the history
/// the form was loaded for (`None`: the next place, whatever it is now) and
/// whether they ticked the confirmation a final result needs.
pub struct StageEntry {
    pub stage: Stage,
    pub seq: Option<i64>,
    pub confirmed: bool,
}

/// Whether the caller may record national stages (administrators), asked
/// before the form is even parsed, so nobody else learns what it would say.
pub fn may_record(user: &SessionUser) -> Result<(), AppError> {
    Ok(can(Some(&user.actor), Action::RecordNationalStage)?)
}

/// Records the next national stage of an assessment; returns its history now.
pub async fn record(
    db: &Db,
    user: &SessionUser,
    id: &str,
    entry: StageEntry,
) -> Result<Vec<RecordedStage>, AppError> {
    may_record(user)?;
    let final_result = match &entry.stage {
        Stage::FinalResult { predicate, .. } => Some(predicate.is_some()),
        _ => None,
    };
    if final_result.is_some() && !entry.confirmed {
        return Err(AppError::field(Field::Confirm, Problem::Required));
    }
    let mut tx = super::db::begin_write(db).await?;
    let access = open(&mut tx, user, id).await?;
    assessments::lock(&mut tx, id).await?;
    let history = national::list(&mut tx, id).await?;
    let seq = i64::try_from(history.len()).unwrap_or(i64::MAX) + 1;
    if entry.seq.is_some_and(|posted| posted != seq) {
        return Err(AppError::Refused(Refusal::StageRecordedMeanwhile));
    }
    let summary = &access.assessment.summary;
    let stages: Vec<Stage> = history.into_iter().map(|r| r.stage).collect();
    rules::admit(
        summary.state,
        summary.target,
        &stages,
        &entry.stage,
        today(),
    )?;
    if !national::insert(&mut tx, id, seq, &entry.stage, user.actor.user_id.as_str()).await? {
        return Err(AppError::Refused(Refusal::StageRecordedMeanwhile));
    }
    let state = summary.state;
    let next_state = match final_result {
        Some(awarded) => {
            let next = review::record_result(state, awarded).map_err(|err| match err {
                review::DecisionRefusal::Workflow(reason) => {
                    AppError::Refused(Refusal::Workflow { reason })
                }
                _ => AppError::Internal,
            })?;
            assessments::set_state(&mut tx, id, next).await?;
            next
        }
        None => state,
    };
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(user.actor.user_id.as_str()),
            action: "national.stage",
            entity: "assessment",
            entity_id: id,
            before: Some(json!({ "state": state, "stages": seq - 1 })),
            after: Some(json!({ "state": next_state, "seq": seq, "stage": entry.stage })),
        },
    )
    .await?;
    if final_result.is_some() {
        super::scores::refresh(&mut tx, id).await?;
    }
    let recorded = national::list(&mut tx, id).await?;
    tx.commit().await?;
    if final_result.is_some() {
        super::snapshots::after_change(db, id).await;
    }
    Ok(recorded)
}

/// An assessment's national stages, oldest first, for whoever may read it.
pub async fn list(db: &Db, user: &SessionUser, id: &str) -> Result<Vec<RecordedStage>, AppError> {
    let mut conn = db.acquire().await?;
    open(&mut conn, user, id).await?;
    Ok(national::list(&mut conn, id).await?)
}
