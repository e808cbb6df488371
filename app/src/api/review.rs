//! The evaluators' side: their queue, the evaluators' lane, decisions, the
//! team, and the proposal to the national team (its stages: `api::national`).

use leptos::prelude::*;
use std::collections::BTreeMap;

use crate::domain::lke::AssessmentState;
use crate::error::AppError;
use crate::model::{QueueEntry, UserSummary};

/// The assessments assigned to the calling evaluator.
#[server(endpoint = "review/queue")]
pub async fn review_queue() -> Result<Vec<QueueEntry>, AppError> {
    use crate::backend::{auth, request, review};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    review::queue(&state.db, &user).await
}

/// Saves the evaluators' lane for one item: `value[CODE]` (the item, or the
/// entered inputs of a % question), a note to the unit, a status, and the
/// `version` the form was loaded with. Returns the new version.
#[server(endpoint = "review/save")]
pub async fn save_review(
    assessment: String,
    item: String,
    version: i64,
    #[server(default)] value: BTreeMap<String, String>,
    #[server(default)] note: String,
    #[server(default)] status: String,
) -> Result<i64, AppError> {
    use crate::backend::review::{save, ReviewChange};
    use crate::backend::{auth, request};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    save(
        &state.db,
        &user,
        &assessment,
        ReviewChange {
            item,
            values: value,
            note,
            status,
            version,
        },
    )
    .await
}

/// Sends the assessment back to the unit with a summary of what to fix.
#[server(endpoint = "review/return")]
pub async fn return_assessment(
    assessment: String,
    summary: String,
) -> Result<AssessmentState, AppError> {
    use crate::backend::review::{decide, Decision};
    use crate::backend::{auth, request};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    decide(&state.db, &user, &assessment, Decision::Return { summary }).await
}

/// Makes the evaluators' lane the official score and records the gate verdict.
/// Irreversible: `confirm` must be ticked, and `unreviewed` must name how many
/// items are still unreviewed (as the page showed it).
#[server(endpoint = "review/finalize")]
pub async fn finalize_assessment(
    assessment: String,
    #[server(default)] confirm: Option<String>,
    #[server(default)] unreviewed: Option<String>,
) -> Result<AssessmentState, AppError> {
    use crate::backend::review::{decide, Decision};
    use crate::backend::{auth, request};
    use crate::domain::review::FinalizeConfirmation;
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    let confirmation = match (confirm, unreviewed.and_then(|n| n.trim().parse().ok())) {
        (Some(_), Some(n)) => FinalizeConfirmation::Unreviewed(n),
        _ => FinalizeConfirmation::None,
    };
    decide(
        &state.db,
        &user,
        &assessment,
        Decision::Finalize(confirmation),
    )
    .await
}

/// The active users who hold the evaluator role, for the team form.
#[server(endpoint = "review/evaluators")]
pub async fn list_evaluators() -> Result<Vec<UserSummary>, AppError> {
    use crate::backend::permit::AdministerReview;
    use crate::backend::{auth, request, users};
    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerReview>(&state.db, &session).await?;
    users::evaluators(&state.db, &permit).await
}

/// Puts an evaluator on the team (`lead` makes them the team lead).
#[server(endpoint = "review/assign")]
pub async fn assign_evaluator(
    assessment: String,
    evaluator: String,
    #[server(default)] lead: Option<String>,
) -> Result<(), AppError> {
    use crate::backend::{auth, request, review};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    review::set_assignment(
        &state.db,
        &user,
        &assessment,
        &evaluator,
        Some(lead.is_some()),
    )
    .await
}

#[server(endpoint = "review/unassign")]
pub async fn unassign_evaluator(assessment: String, evaluator: String) -> Result<(), AppError> {
    use crate::backend::{auth, request, review};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    review::set_assignment(&state.db, &user, &assessment, &evaluator, None).await
}

/// Proposes a finalized assessment to the national team (TPN). One that does
/// not pass the gates of its target needs `confirm`; one whose instansi
/// eligibility checklist is not met needs `eligible_anyway` (else 422 with
/// the open criteria). `afirmasi` puts a WBK proposal in PortalRB's
/// "WBK-AFIRMASI" category.
#[server(endpoint = "review/propose")]
pub async fn propose_assessment(
    assessment: String,
    #[server(default)] confirm: Option<String>,
    #[server(default)] eligible_anyway: Option<String>,
    #[server(default)] afirmasi: Option<String>,
) -> Result<AssessmentState, AppError> {
    use crate::backend::review::{propose, Proposal};
    use crate::backend::{auth, request};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    let proposal = Proposal {
        confirmed: confirm.is_some(),
        eligible_anyway: eligible_anyway.is_some(),
        afirmasi: afirmasi.is_some(),
    };
    propose(&state.db, &user, &assessment, proposal).await
}

/// The evaluation report (LHE) draft, for the printable page.
#[server(endpoint = "review/report")]
pub async fn lhe_report(assessment: String) -> Result<crate::model::ReportDoc, AppError> {
    use crate::backend::{auth, documents, request};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    documents::lhe_report(&state.db, &user, &assessment).await
}
