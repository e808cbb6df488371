//! The national stages after the proposal: recording the next one and
//! reading an assessment's history.

// One form posts every field a stage may have; the browser build's client
// function takes them all as arguments too.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::RecordedStage;

/// Records the next national stage of a proposed assessment. `stage` names
/// it (`administrative_selection`, `sanggah`, `document_review`,
/// `interview`, `field_verification`, `panel`, `final_result`); the fields
/// it reads depend on it: `outcome`, `day` and `note` (selection); `window_start`,
/// `window_end`, `filed_on`, `links` (one per line), `outcome` and `note`
/// (sanggah); `day` and `note` (the reviews and the panel); `predicate`
/// (`wbk`, `wbbm` or `none`), `day`, `decree` and the `confirm` tick (final
/// result). `seq` is the place in the history the form was loaded for: when
/// someone recorded a stage since, the call is refused (409). Returns the
/// history now, oldest first.
#[server(endpoint = "national/record")]
pub async fn record_national_stage(
    assessment: String,
    #[server(default)] stage: String,
    #[server(default)] seq: Option<String>,
    #[server(default)] outcome: String,
    #[server(default)] day: String,
    #[server(default)] note: String,
    #[server(default)] window_start: String,
    #[server(default)] window_end: String,
    #[server(default)] filed_on: String,
    #[server(default)] links: String,
    #[server(default)] predicate: String,
    #[server(default)] decree: String,
    #[server(default)] confirm: Option<String>,
) -> Result<Vec<RecordedStage>, AppError> {
    use crate::backend::national::{may_record, record, StageEntry};
    use crate::backend::{auth, request};
    use crate::domain::national::{parse_stage, StageForm};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    may_record(&user)?;
    let stage = parse_stage(&StageForm {
        stage: &stage,
        outcome: &outcome,
        day: &day,
        notes: &note,
        window_start: &window_start,
        window_end: &window_end,
        filed_on: &filed_on,
        links: &links,
        predicate: &predicate,
        decree: &decree,
    })?;
    let seq = match seq.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(raw.parse::<i64>().map_err(|_| AppError::BadRequest)?),
    };
    record(
        &state.db,
        &user,
        &assessment,
        StageEntry {
            stage,
            seq,
            confirmed: confirm.is_some(),
        },
    )
    .await
}

/// An assessment's national stages, oldest first.
#[server(endpoint = "national/list")]
pub async fn list_national_stages(assessment: String) -> Result<Vec<RecordedStage>, AppError> {
    use crate::backend::{auth, national, request};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    national::list(&state.db, &user, &assessment).await
}
