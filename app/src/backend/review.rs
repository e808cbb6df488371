//! The evaluators' side on the server: saving the evaluators' lane with
//! optimistic versions, returning, finalizing, the team, and the proposal to
//! the national team (its stages and result: `backend::national`). Each
//! change writes its audit line in the same transaction, with the actor and
//! the reason.

use serde_json::json;
use std::collections::BTreeMap;

use super::assessments::{open, rubric, stored_answers, today, Access};
use super::db::assessments;
use super::db::reviews::{self, ReviewWrite};
use super::db::{answers, assignments, audit, national, users, Db};
use crate::domain::account::UserId;
use crate::domain::assessment::{parse_item_value, scored_items};
use crate::domain::eligibility::may_propose;
use crate::domain::lke::{score, AssessmentState, ItemCode, RubricVersion};
use crate::domain::period::Window;
use crate::domain::policy::{can, Action};
use crate::domain::review::{
    self as rules, lane_from_stored, DecisionRefusal, FinalVerdict, FinalizeConfirmation,
    ReviewStatus, MAX_REVIEW_TEXT_CHARS,
};
use crate::domain::role::Role;
use crate::error::{AppError, Field, ItemConflict, Problem, Refusal};
use crate::model::{holds_wbk, QueueEntry, SessionUser};

fn refusal(err: DecisionRefusal) -> AppError {
    match err {
        DecisionRefusal::Workflow(reason) => AppError::Refused(Refusal::Workflow { reason }),
        DecisionRefusal::NoSummary => AppError::field(Field::Summary, Problem::Required),
        DecisionRefusal::FailsGates => AppError::Refused(Refusal::FailsGates),
        DecisionRefusal::FinalizeUnconfirmed { unreviewed } => {
            AppError::Refused(Refusal::FinalizeUnconfirmed { unreviewed })
        }
    }
}

fn checked_text(text: &str, field: Field) -> Result<&str, AppError> {
    let text = text.trim();
    if text.chars().count() > MAX_REVIEW_TEXT_CHARS {
        return Err(AppError::field(field, Problem::TooLong));
    }
    Ok(text)
}

/// Opens an assessment for a write in the evaluators' lane: on the team, and submitted.
async fn open_for_review(
    conn: &mut sqlx::AnyConnection,
    user: &SessionUser,
    id: &str,
) -> Result<Access, AppError> {
    let access = open(conn, user, id).await?;
    if !access.rights.evaluator {
        return Err(AppError::Forbidden);
    }
    if !access.rights.review {
        return Err(AppError::Refused(Refusal::ReviewClosed));
    }
    assessments::lock(conn, id).await?;
    Ok(access)
}

/// One save of the evaluators' lane for one item: the values of the item (a
/// choice, an index, or the entered inputs of a % question), a note to the
/// unit, a status, and the version the evaluator started from.
pub struct ReviewChange {
    pub item: String,
    pub values: BTreeMap<String, String>,
    pub note: String,
    pub status: String,
    pub version: i64,
}

/// Saves one item of the evaluators' lane; returns its new version. A save
/// started from an older version is refused with what the other person saved.
pub async fn save(
    db: &Db,
    user: &SessionUser,
    id: &str,
    change: ReviewChange,
) -> Result<i64, AppError> {
    let mut tx = crate::backend::db::begin_write(db).await?;
    let access = open_for_review(&mut tx, user, id).await?;
    let (rubric, _) = rubric(&mut tx, &access.assessment.rubric_key).await?;
    let item = reviewable(&rubric, &change.item)?;
    let note = checked_text(&change.note, Field::Note)?;
    let status = match change.status.trim() {
        "" => None,
        raw => Some(
            raw.parse::<ReviewStatus>()
                .map_err(|_| AppError::field(Field::Status, Problem::Required))?,
        ),
    };
    let mut values = Vec::new();
    for (code, raw) in &change.values {
        let part: ItemCode = code.parse().map_err(|_| unknown(code))?;
        if !belongs_to(item, part) {
            return Err(unknown(code));
        }
        let value = parse_item_value(&rubric, part, raw).map_err(|problem| AppError::Answer {
            item: code.clone(),
            problem,
        })?;
        values.push((part, value.map(|v| v.to_stored())));
    }
    let current: BTreeMap<ItemCode, _> = reviews::list(&mut tx, id)
        .await?
        .into_iter()
        .map(|entry| (entry.item, entry))
        .collect();
    let before = current.get(&item);
    let seen = before.map_or(0, |entry| entry.version);
    if seen != change.version {
        let entry = before.ok_or(AppError::BadRequest)?;
        return Err(AppError::Conflict {
            conflicts: vec![ItemConflict {
                item: item.to_string(),
                value: entry.value.clone(),
                note: entry.note.clone(),
                by: entry.updated_by.clone(),
                at: entry.updated_at,
                version: entry.version,
                mine: None,
            }],
            saved: 0,
        });
    }
    let version = seen + 1;
    let by = user.actor.user_id.as_str();
    let posted = values.iter().find(|(part, _)| *part == item);
    let own_value = match (posted, before) {
        (Some((_, value)), _) => value.clone(),
        (None, Some(before)) => before.value.clone(),
        // A first save without a value keeps the unit's answer in the lane.
        (None, None) => answers::list(&mut tx, id)
            .await?
            .into_iter()
            .find(|stored| stored.item == item)
            .and_then(|stored| stored.value),
    };
    reviews::upsert(
        &mut tx,
        id,
        item,
        &ReviewWrite {
            value: own_value.as_deref(),
            note,
            status,
            version,
            by,
        },
    )
    .await?;
    for (part, value) in values.iter().filter(|(part, _)| *part != item) {
        let row_version = current.get(part).map_or(0, |e| e.version) + 1;
        reviews::upsert(
            &mut tx,
            id,
            *part,
            &ReviewWrite {
                value: value.as_deref(),
                note: "",
                status: None,
                version: row_version,
                by,
            },
        )
        .await?;
    }
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(by),
            action: "review.save",
            entity: "review",
            entity_id: &audit::item_entity_id(id, item),
            before: before.map(|b| json!({ "value": b.value, "note": b.note, "status": b.status })),
            after: Some(json!({
                "value": own_value,
                "inputs": values.iter().filter(|(p, _)| *p != item).map(|(p, v)| (p.to_string(), v.clone())).collect::<BTreeMap<_, _>>(),
                "note": note,
                "status": status,
                "version": version,
            })),
        },
    )
    .await?;
    super::scores::refresh(&mut tx, id).await?;
    tx.commit().await?;
    Ok(version)
}

fn unknown(code: &str) -> AppError {
    AppError::Answer {
        item: code.to_owned(),
        problem: crate::domain::assessment::ValueProblem::UnknownItem,
    }
}

/// A question or Hasil item of the rubric: the unit a review is saved by.
fn reviewable(rubric: &RubricVersion, code: &str) -> Result<ItemCode, AppError> {
    let item: ItemCode = code.parse().map_err(|_| unknown(code))?;
    if scored_items(rubric).any(|known| known == item) {
        Ok(item)
    } else {
        Err(unknown(code))
    }
}

/// The item itself, or a numeric input of the question.
fn belongs_to(item: ItemCode, part: ItemCode) -> bool {
    match (item, part) {
        (ItemCode::Question(q), ItemCode::Input(input)) => input.question() == q,
        _ => item == part,
    }
}

/// A decision of the evaluators' team.
pub enum Decision {
    Return { summary: String },
    Finalize(FinalizeConfirmation),
}

/// Returns the assessment to the unit, or finalizes the evaluators' lane as the official score.
pub async fn decide(
    db: &Db,
    user: &SessionUser,
    id: &str,
    decision: Decision,
) -> Result<AssessmentState, AppError> {
    let mut tx = crate::backend::db::begin_write(db).await?;
    let access = open(&mut tx, user, id).await?;
    may_decide(user, &access)?;
    assessments::lock(&mut tx, id).await?;
    let state = access.assessment.state();
    let actor = user.actor.user_id.as_str();
    let (next, action, after) = match decision {
        Decision::Return { summary } => {
            let summary = checked_text(&summary, Field::Summary)?;
            let next = rules::return_to_unit(state, summary).map_err(refusal)?;
            assessments::record_return(&mut tx, id, summary).await?;
            (
                next,
                "assessment.return",
                json!({ "state": next, "reason": summary }),
            )
        }
        Decision::Finalize(confirmation) => {
            let (rubric, gates) = rubric(&mut tx, &access.assessment.rubric_key).await?;
            let entries = reviews::list(&mut tx, id).await?;
            let reviewed = entries
                .iter()
                .filter(|e| e.status.is_some())
                .map(|e| e.item)
                .collect();
            let unreviewed = rules::unreviewed_items(&rubric, &reviewed);
            let next = rules::finalize(state, unreviewed, confirmation).map_err(refusal)?;
            let unit_answers = stored_answers(&rubric, &answers::list(&mut tx, id).await?);
            let lane = lane_from_stored(
                &rubric,
                &unit_answers,
                entries.iter().map(|e| (e.item, e.value.as_deref())),
            );
            let history =
                national::predicates_of_unit(&mut tx, &access.assessment.summary.unit_id).await?;
            let verdict = FinalVerdict::of(&score(&rubric, &lane), &gates, holds_wbk(&history));
            assessments::record_final(&mut tx, id, &verdict).await?;
            (
                next,
                "assessment.finalize",
                json!({ "state": next, "verdict": verdict, "unreviewed": unreviewed }),
            )
        }
    };
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(actor),
            action,
            entity: "assessment",
            entity_id: id,
            before: Some(json!({ "state": state })),
            after: Some(after),
        },
    )
    .await?;
    super::scores::refresh(&mut tx, id).await?;
    tx.commit().await?;
    super::snapshots::after_change(db, id).await;
    Ok(next)
}

/// Whether the caller decides for the team (its lead, or anyone on a team
/// without one), checked before anything else; the workflow then says whether
/// the assessment's state allows the decision.
fn may_decide(user: &SessionUser, access: &Access) -> Result<(), AppError> {
    let me = assignments::place_of(&access.team, &user.actor.user_id);
    let team_has_lead = access.team.iter().any(|m| m.lead);
    Ok(can(
        Some(&user.actor),
        Action::DecideReview { me, team_has_lead },
    )?)
}

fn administer(user: &SessionUser) -> Result<(), AppError> {
    Ok(can(Some(&user.actor), Action::AdministerReview)?)
}

/// Puts an evaluator on an assessment's team, or takes them off.
pub async fn set_assignment(
    db: &Db,
    user: &SessionUser,
    id: &str,
    evaluator: &str,
    assign: Option<bool>,
) -> Result<(), AppError> {
    administer(user)?;
    let evaluator = UserId::new(evaluator);
    let mut tx = crate::backend::db::begin_write(db).await?;
    let found = users::get(&mut tx, &evaluator)
        .await?
        .filter(|u| u.active && u.grants.iter().any(|g| g.role == Role::Evaluator))
        .ok_or_else(|| AppError::field(Field::Evaluator, Problem::UnknownReference))?;
    assessments::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (action, after) = match assign {
        Some(lead) => {
            assignments::assign(&mut tx, id, &evaluator, lead).await?;
            (
                "assignment.add",
                Some(json!({ "user": found.username, "lead": lead })),
            )
        }
        None => {
            if !assignments::unassign(&mut tx, id, &evaluator).await? {
                return Err(AppError::NotFound);
            }
            ("assignment.remove", None)
        }
    };
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(user.actor.user_id.as_str()),
            action,
            entity: "assignment",
            entity_id: &format!("{id}/{}", evaluator.as_str()),
            before: None,
            after,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// What the administrator sent with a proposal.
#[derive(Clone, Copy, Debug, Default)]
pub struct Proposal {
    /// Propose although the final score fails the target's gates.
    pub confirmed: bool,
    /// Propose although the instansi's eligibility checklist is not met.
    pub eligible_anyway: bool,
    /// A WBK proposal in PortalRB's "WBK-AFIRMASI" category.
    pub afirmasi: bool,
}

/// Proposes a finalized assessment to the national team; one that fails the
/// gates of its target needs `confirmed`, one whose eligibility checklist is
/// not met needs `eligible_anyway` (refused with the open criteria, 422).
pub async fn propose(
    db: &Db,
    user: &SessionUser,
    id: &str,
    proposal: Proposal,
) -> Result<AssessmentState, AppError> {
    administer(user)?;
    let mut tx = crate::backend::db::begin_write(db).await?;
    let access = open(&mut tx, user, id).await?;
    assessments::lock(&mut tx, id).await?;
    let assessment = &access.assessment;
    let passes = assessment
        .final_verdict
        .is_some_and(|v| v.passes(assessment.summary.target.predicate()));
    let next = rules::propose(assessment.state(), passes, proposal.confirmed).map_err(refusal)?;
    let checklist = super::eligibility::checklist_of(&mut tx, assessment).await?;
    let afirmasi = may_propose(&checklist, proposal.eligible_anyway, proposal.afirmasi)?;
    assessments::set_state(&mut tx, id, next).await?;
    assessments::set_afirmasi(&mut tx, id, afirmasi).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(user.actor.user_id.as_str()),
            action: "assessment.propose",
            entity: "assessment",
            entity_id: id,
            before: Some(json!({ "state": assessment.state() })),
            after: Some(json!({
                "state": next,
                "passes": passes,
                "confirmed": proposal.confirmed,
                "eligibility": super::eligibility::audit_note(
                    &checklist,
                    proposal.eligible_anyway,
                    afirmasi,
                ),
            })),
        },
    )
    .await?;
    super::scores::refresh(&mut tx, id).await?;
    tx.commit().await?;
    super::snapshots::after_change(db, id).await;
    Ok(next)
}

/// The assessments assigned to the caller, with how far the review has come.
pub async fn queue(db: &Db, user: &SessionUser) -> Result<Vec<QueueEntry>, AppError> {
    can(Some(&user.actor), Action::OpenReviewQueue)?;
    let mut conn = db.acquire().await?;
    let mine = assignments::of_user(&mut conn, &user.actor.user_id).await?;
    let ids: Vec<String> = mine.iter().map(|(id, _)| id.clone()).collect();
    let found = assessments::list_by_ids(&mut conn, &ids).await?;
    let today = today();
    let mut out = Vec::with_capacity(found.len());
    // Usually one rubric version for the whole queue: read it once.
    let mut rubrics: BTreeMap<String, RubricVersion> = BTreeMap::new();
    for assessment in found {
        if !rubrics.contains_key(&assessment.rubric_key) {
            let (version, _) = rubric(&mut conn, &assessment.rubric_key).await?;
            rubrics.insert(assessment.rubric_key.clone(), version);
        }
        let rubric = &rubrics[&assessment.rubric_key];
        let unit_answers =
            stored_answers(rubric, &answers::list(&mut conn, assessment.id()).await?);
        let sheet = score(rubric, &unit_answers);
        let reviewed = reviews::reviewed_count(&mut conn, assessment.id()).await?;
        let lead = mine.iter().any(|(id, lead)| id == assessment.id() && *lead);
        out.push(QueueEntry {
            lead,
            completeness: sheet.total.completeness,
            review_window: Window::at(
                today,
                assessment.dates.review_start,
                assessment.dates.review_end,
            ),
            reviewed: u32::try_from(reviewed).unwrap_or(u32::MAX),
            total: u32::try_from(rubric.scored_item_count()).unwrap_or(u32::MAX),
            summary: assessment.summary,
        });
    }
    Ok(out)
}
