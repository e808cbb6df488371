//! Periods: opening, copying and re-dating them, creating their assessments
//! and extending one unit's window, each write with its audit line.

use serde_json::json;

use super::db::assessments::{self, AssessmentWriteError};
use super::db::periods::{self, PeriodWriteError};
use super::db::{audit, rubrics, units, Db};
use super::permit::{AdministerPeriods, Permit};
use crate::domain::account::UserId;
use crate::domain::assessment::Target;
use crate::domain::period::{Day, PeriodDates, Year};
use crate::domain::unit::UnitId;
use crate::error::{AppError, Field, Problem, Refusal};
use crate::model::{AssessmentSummary, PeriodView};

/// Reads the five date fields in order; an empty field keeps `fallback`'s date.
pub fn parse_dates(raw: [&str; 5], fallback: PeriodDates) -> Result<PeriodDates, AppError> {
    let fields = [
        (Field::SelfStart, fallback.self_start),
        (Field::SelfEnd, fallback.self_end),
        (Field::ReviewStart, fallback.review_start),
        (Field::ReviewEnd, fallback.review_end),
        (Field::ProposalDeadline, fallback.proposal_deadline),
    ];
    let mut days = [fallback.self_start; 5];
    for (slot, (text, (field, default))) in days.iter_mut().zip(raw.iter().zip(fields)) {
        *slot = if text.trim().is_empty() {
            default
        } else {
            text.parse::<Day>()
                .map_err(|_| AppError::field(field, Problem::Date))?
        };
    }
    let [self_start, self_end, review_start, review_end, proposal_deadline] = days;
    let field = |err| match err {
        crate::domain::period::DatesError::SelfWindow => Field::SelfEnd,
        crate::domain::period::DatesError::ReviewWindow => Field::ReviewStart,
        crate::domain::period::DatesError::Deadline => Field::ProposalDeadline,
    };
    PeriodDates::new(
        self_start,
        self_end,
        review_start,
        review_end,
        proposal_deadline,
    )
    .map_err(|err| AppError::field(field(err), Problem::Dates(err)))
}

pub async fn list(db: &Db, _: &Permit<AdministerPeriods>) -> Result<Vec<PeriodView>, AppError> {
    Ok(periods::list(db).await?)
}

pub async fn assessments(
    db: &Db,
    _: &Permit<AdministerPeriods>,
    period: &str,
) -> Result<Vec<AssessmentSummary>, AppError> {
    Ok(assessments::list_for_period(&mut *db.acquire().await?, period).await?)
}

pub async fn create(
    db: &Db,
    permit: &Permit<AdministerPeriods>,
    year: Year,
    rubric_key: &str,
    dates: PeriodDates,
) -> Result<String, AppError> {
    rubrics::get(&mut *db.acquire().await?, rubric_key)
        .await?
        .ok_or(AppError::field(Field::Key, Problem::UnknownReference))?;
    let mut tx = crate::backend::db::begin_write(db).await?;
    let id = periods::create(&mut tx, year, rubric_key, &dates)
        .await
        .map_err(|err| match err {
            PeriodWriteError::YearTaken => AppError::field(Field::Year, Problem::Taken),
            PeriodWriteError::Db(err) => err.into(),
        })?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: permit.actor().map(UserId::as_str),
            action: "period.create",
            entity: "period",
            entity_id: &id,
            before: None,
            after: Some(json!({ "year": year, "rubric_key": rubric_key, "dates": dates })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Opens `year` as a copy of the period `from`: the same rubric version and
/// the same calendar moved by the years between them.
pub async fn copy(
    db: &Db,
    permit: &Permit<AdministerPeriods>,
    from: &str,
    year: Year,
) -> Result<String, AppError> {
    let source = periods::get(&mut *db.acquire().await?, from)
        .await?
        .ok_or(AppError::NotFound)?;
    let dates = source.dates.moved_to(year);
    create(db, permit, year, &source.rubric_key, dates).await
}

/// Changes a period's dates from the five date fields; an empty field keeps its date.
pub async fn update_dates(
    db: &Db,
    permit: &Permit<AdministerPeriods>,
    id: &str,
    raw: [&str; 5],
) -> Result<(), AppError> {
    let mut tx = crate::backend::db::begin_write(db).await?;
    let before = periods::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let dates = parse_dates(raw, before.dates)?;
    periods::update_dates(&mut tx, id, &dates).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: permit.actor().map(UserId::as_str),
            action: "period.update",
            entity: "period",
            entity_id: id,
            before: serde_json::to_value(before.dates).ok(),
            after: serde_json::to_value(dates).ok(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves the close of one unit's self-assessment window to `until`.
pub async fn extend_window(
    db: &Db,
    permit: &Permit<AdministerPeriods>,
    assessment: &str,
    until: Day,
) -> Result<(), AppError> {
    let mut tx = crate::backend::db::begin_write(db).await?;
    let before = assessments::get(&mut tx, assessment)
        .await?
        .ok_or(AppError::NotFound)?;
    assessments::extend(&mut tx, assessment, until).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: permit.actor().map(UserId::as_str),
            action: "assessment.extend",
            entity: "assessment",
            entity_id: assessment,
            before: Some(json!({ "self_end": before.self_end() })),
            after: Some(json!({ "self_end": until })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Creates a draft assessment for `root` (and, with `subtree`, every active unit
/// below it) in the period. Units that already have one are skipped; returns
/// how many were created. A single unit that already has one is a conflict.
pub async fn create_assessments(
    db: &Db,
    permit: &Permit<AdministerPeriods>,
    period: &str,
    root: &UnitId,
    target: Target,
    subtree: bool,
) -> Result<u32, AppError> {
    let mut tx = crate::backend::db::begin_write(db).await?;
    periods::get(&mut tx, period)
        .await?
        .ok_or(AppError::field(Field::Period, Problem::UnknownReference))?;
    let root_unit = units::get(&mut tx, root)
        .await?
        .ok_or(AppError::field(Field::Unit, Problem::UnknownReference))?;
    let targets: Vec<UnitId> = if subtree {
        let all = units::list(&mut tx).await?;
        crate::model::subtree(&all, &root_unit.id)
            .into_iter()
            .filter(|u| u.active)
            .map(|u| u.id.clone())
            .collect()
    } else {
        vec![root_unit.id.clone()]
    };
    // Checked before inserting: on PostgreSQL a refused insert would end the transaction.
    let existing: Vec<UnitId> = assessments::list_for_period(&mut tx, period)
        .await?
        .into_iter()
        .map(|a| a.unit_id)
        .collect();
    let mut created = 0;
    for unit in targets.iter().filter(|u| !existing.contains(u)) {
        let id = assessments::create(&mut tx, period, unit, target)
            .await
            .map_err(|err| match err {
                AssessmentWriteError::Exists => AppError::Refused(Refusal::Duplicate),
                AssessmentWriteError::Db(err) => err.into(),
            })?;
        created += 1;
        crate::backend::scores::refresh(&mut tx, &id).await?;
        audit::record(
            &mut tx,
            audit::AuditEntry {
                actor: permit.actor().map(UserId::as_str),
                action: "assessment.create",
                entity: "assessment",
                entity_id: &id,
                before: None,
                after: Some(json!({ "unit": unit, "period": period, "target": target })),
            },
        )
        .await?;
    }
    if !subtree && created == 0 {
        return Err(AppError::Refused(Refusal::Duplicate));
    }
    tx.commit().await?;
    Ok(created)
}
