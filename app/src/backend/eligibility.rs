//! The instansi's eligibility on the server: its facts per year and the
//! thresholds of each rubric version (each write with its audit line, in one
//! transaction), and the checklist of an assessment's proposal.

use serde_json::json;
use sqlx::AnyConnection;

use super::assessments::{open, today};
use super::db::assessments::Assessment;
use super::db::{audit, eligibility, national, Db};
use super::permit::{AdministerEligibility, Permit};
use crate::domain::account::UserId;
use crate::domain::eligibility::{
    check, Checklist, EligibilityThresholds, InstansiFacts, UnitHistory,
};
use crate::domain::period::Year;
use crate::domain::policy::{can, Action};
use crate::error::AppError;
use crate::model::{EligibilityAdmin, RubricThresholds, SessionUser};

/// The page's data: every year's facts and every rubric version's thresholds.
pub async fn overview(
    db: &Db,
    _: &Permit<AdministerEligibility>,
) -> Result<EligibilityAdmin, AppError> {
    let mut conn = db.acquire().await?;
    let facts = eligibility::list(&mut conn).await?;
    let thresholds = eligibility::all_thresholds(&mut conn)
        .await?
        .into_iter()
        .map(|(key, title, thresholds)| RubricThresholds {
            key,
            title,
            thresholds,
        })
        .collect();
    let this_year = Year::new(i64::from(today().year())).map_err(|_| AppError::Internal)?;
    Ok(EligibilityAdmin {
        facts,
        thresholds,
        this_year,
    })
}

/// Records (or replaces) the facts of one evaluation year.
pub async fn save_facts(
    db: &Db,
    permit: &Permit<AdministerEligibility>,
    year: Year,
    facts: &InstansiFacts,
) -> Result<(), AppError> {
    let actor = permit.actor().map(UserId::as_str);
    let mut tx = super::db::begin_write(db).await?;
    let before = eligibility::get(&mut tx, year).await?;
    eligibility::put(&mut tx, year, facts, actor).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor,
            action: "eligibility.facts",
            entity: "instansi_facts",
            entity_id: &year.value().to_string(),
            before: before.and_then(|b| serde_json::to_value(b).ok()),
            after: serde_json::to_value(facts).ok(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Replaces a rubric version's eligibility thresholds.
pub async fn set_thresholds(
    db: &Db,
    permit: &Permit<AdministerEligibility>,
    rubric_key: &str,
    thresholds: &EligibilityThresholds,
) -> Result<(), AppError> {
    let mut tx = super::db::begin_write(db).await?;
    let before = eligibility::thresholds(&mut tx, rubric_key)
        .await?
        .ok_or(AppError::NotFound)?;
    eligibility::set_thresholds(&mut tx, rubric_key, thresholds).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: permit.actor().map(UserId::as_str),
            action: "rubric.eligibility",
            entity: "rubric_version",
            entity_id: rubric_key,
            before: serde_json::to_value(before).ok(),
            after: serde_json::to_value(thresholds).ok(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The checklist of an assessment's proposal: its year's facts (and the
/// years before, for the BPK rule), its rubric's thresholds for its target,
/// and its unit's recorded WBK awards.
pub async fn checklist_of(
    conn: &mut AnyConnection,
    assessment: &Assessment,
) -> Result<Checklist, AppError> {
    let facts = eligibility::list(conn).await?;
    let thresholds = eligibility::thresholds(conn, &assessment.rubric_key)
        .await?
        .unwrap_or_default();
    let results = national::predicates_of_unit(conn, &assessment.summary.unit_id).await?;
    let history =
        UnitHistory::from_results(results.iter().map(|r| (r.predicate, r.awarded, r.year)));
    Ok(check(
        &facts,
        &thresholds,
        assessment.summary.target,
        assessment.summary.year,
        &history,
    ))
}

/// The checklist shown on an assessment's proposal form (administrators).
pub async fn of_assessment(db: &Db, user: &SessionUser, id: &str) -> Result<Checklist, AppError> {
    can(Some(&user.actor), Action::AdministerReview)?;
    let mut conn = db.acquire().await?;
    let access = open(&mut conn, user, id).await?;
    checklist_of(&mut conn, &access.assessment).await
}

/// The afirmasi flag and the checklist of a proposal, for its audit line.
pub fn audit_note(checklist: &Checklist, anyway: bool, afirmasi: bool) -> serde_json::Value {
    json!({
        "met": checklist.met(),
        "open": checklist.open().iter().map(|c| c.criterion).collect::<Vec<_>>(),
        "anyway": anyway,
        "afirmasi": afirmasi,
    })
}
