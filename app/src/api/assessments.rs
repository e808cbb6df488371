use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use std::collections::BTreeMap;

use crate::domain::lke::AssessmentState;
use crate::error::AppError;
use crate::model::{AnswersSaved, AssessmentData, HistoryLine, MyAssessment, WorkbookImported};

/// The assessments of the units the caller works in, newest period first.
#[server(endpoint = "assessments/mine")]
pub async fn my_assessments() -> Result<Vec<MyAssessment>, AppError> {
    use crate::backend::{assessments, auth, request};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    assessments::mine(&state.db, &user).await
}

#[server(endpoint = "assessments/get")]
pub async fn load_assessment(id: String) -> Result<AssessmentData, AppError> {
    use crate::backend::{assessments, auth, request};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    let data = assessments::load(&state.db, &user, &id).await?;
    Ok(AssessmentData {
        max_file: state.config.max_file,
        ..data
    })
}

/// Saves answers and notes: `value[CODE]` and `note[CODE]` for each item that
/// changed (the whole area without JavaScript, one question with it), and
/// `version[CODE]`, the version each item was loaded at. An empty value clears
/// the answer. An item someone else saved since is refused (409, with what
/// they saved); the others are saved. Returns how many items changed and
/// their versions now.
#[server(endpoint = "assessments/answers")]
pub async fn save_answers(
    assessment: String,
    #[server(default)] value: BTreeMap<String, String>,
    #[server(default)] note: BTreeMap<String, String>,
    #[server(default)] version: BTreeMap<String, String>,
) -> Result<AnswersSaved, AppError> {
    use crate::backend::assessments::{save, Changes};
    use crate::backend::{auth, request};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    save(
        &state.db,
        &user,
        &assessment,
        Changes {
            values: value,
            notes: note,
            versions: version,
        },
    )
    .await
}

/// Sends the assessment to the evaluators. With unanswered questions or
/// questions without evidence, `confirm` must be set.
#[server(endpoint = "assessments/submit")]
pub async fn submit_assessment(
    assessment: String,
    #[server(default)] confirm: Option<String>,
) -> Result<AssessmentState, AppError> {
    use crate::backend::{assessments, auth, request};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    assessments::submit(&state.db, &user, &assessment, confirm.is_some()).await
}

/// Every change to one item: answers, notes and its evidence files.
#[server(endpoint = "assessments/history")]
pub async fn item_history(assessment: String, item: String) -> Result<Vec<HistoryLine>, AppError> {
    use crate::backend::{assessments, auth, request};
    use crate::domain::lke::ItemCode;
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    let item: ItemCode = item.parse().map_err(|_| AppError::NotFound)?;
    assessments::item_history(&state.db, &user, &assessment, item).await
}

/// Replaces the answers and notes with those of an uploaded LKE workbook in
/// the official layout (`assessment`, `file`, `confirm=yes`); all or nothing. A plain
/// multipart form post without JavaScript.
#[server(input = MultipartFormData, endpoint = "assessments/import")]
pub async fn import_answers(data: MultipartData) -> Result<WorkbookImported, AppError> {
    use crate::backend::lke::Limits;
    use crate::backend::{assessments, auth, request, upload};
    use crate::error::{Field, Problem};
    use crate::model::WorkbookLane;
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    let max_file = usize::try_from(Limits::default().max_file_bytes).unwrap_or(usize::MAX);
    let form = upload::read_form(data, "file", max_file, async |fields| {
        let id = fields.get("assessment").ok_or(AppError::BadRequest)?;
        assessments::check_may_change(&state.db, &user, id).await
    })
    .await?;
    let id = form
        .fields
        .get("assessment")
        .cloned()
        .ok_or(AppError::BadRequest)?;
    // Every answer and note is replaced: the unit ticks that it knows.
    if form.fields.get("confirm").map(String::as_str) != Some("yes") {
        return Err(AppError::field(Field::Confirm, Problem::Required));
    }
    // Which column of the workbook becomes the unit's answers (default: its own).
    let lane = match form.fields.get("lane").map(String::as_str) {
        None | Some("") => WorkbookLane::Unit,
        Some(lane) => WorkbookLane::parse(lane).ok_or(AppError::BadRequest)?,
    };
    let bytes = form
        .file
        .ok_or(AppError::field(Field::File, Problem::Required))?;
    assessments::import_workbook(&state.db, &user, &id, bytes, lane).await
}
