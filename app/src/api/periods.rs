use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{AssessmentSummary, PeriodView};

#[server(endpoint = "periods/list")]
pub async fn list_periods() -> Result<Vec<PeriodView>, AppError> {
    use crate::backend::{auth, db, request};
    use crate::domain::policy::Action;
    let (state, session) = request().await?;
    auth::authorize(&state.db, &session, Action::AdministerPeriods).await?;
    Ok(db::periods::list(&state.db).await?)
}

/// Opens a period for a year with a rubric version and its dates; an empty
/// date takes the usual calendar (self-assessment January–March, review to
/// 15 May, proposals by 31 May).
#[server(endpoint = "periods/create")]
#[allow(clippy::too_many_arguments)]
pub async fn create_period(
    year: String,
    rubric_key: String,
    self_start: String,
    self_end: String,
    review_start: String,
    review_end: String,
    proposal_deadline: String,
) -> Result<String, AppError> {
    use crate::backend::{auth, periods, request};
    use crate::domain::period::{PeriodDates, Year};
    use crate::domain::policy::Action;
    use crate::error::{Field, Problem};

    let (state, session) = request().await?;
    let admin = auth::authorize(&state.db, &session, Action::AdministerPeriods).await?;
    let year = Year::parse(&year).map_err(|_| AppError::field(Field::Year, Problem::Number))?;
    let usual = PeriodDates::usual(year);
    let dates = periods::parse_dates(
        [
            &self_start,
            &self_end,
            &review_start,
            &review_end,
            &proposal_deadline,
        ],
        usual,
    )?;
    periods::create(
        &state.db,
        Some(&admin.actor.user_id),
        year,
        rubric_key.trim(),
        dates,
    )
    .await
}

/// Opens next year's period as a copy of `from`: the same rubric version and
/// the same calendar moved by the years between them.
#[server(endpoint = "periods/copy")]
pub async fn copy_period(from: String, year: String) -> Result<String, AppError> {
    use crate::backend::db::periods as store;
    use crate::backend::{auth, periods, request};
    use crate::domain::period::Year;
    use crate::domain::policy::Action;
    use crate::error::{Field, Problem};

    let (state, session) = request().await?;
    let admin = auth::authorize(&state.db, &session, Action::AdministerPeriods).await?;
    let year = Year::parse(&year).map_err(|_| AppError::field(Field::Year, Problem::Number))?;
    let mut conn = state.db.acquire().await?;
    let source = store::get(&mut conn, &from)
        .await?
        .ok_or(AppError::NotFound)?;
    drop(conn);
    let dates = source.dates.moved_to(year);
    periods::create(
        &state.db,
        Some(&admin.actor.user_id),
        year,
        &source.rubric_key,
        dates,
    )
    .await
}

/// Changes a period's dates (for example to extend the self-assessment for everyone).
#[server(endpoint = "periods/update")]
pub async fn update_period(
    id: String,
    self_start: String,
    self_end: String,
    review_start: String,
    review_end: String,
    proposal_deadline: String,
) -> Result<(), AppError> {
    use crate::backend::db::{audit, periods as store};
    use crate::backend::{auth, periods, request};
    use crate::domain::policy::Action;

    let (state, session) = request().await?;
    let admin = auth::authorize(&state.db, &session, Action::AdministerPeriods).await?;
    let mut tx = crate::backend::db::begin_write(&state.db).await?;
    let before = store::get(&mut tx, &id).await?.ok_or(AppError::NotFound)?;
    let dates = periods::parse_dates(
        [
            &self_start,
            &self_end,
            &review_start,
            &review_end,
            &proposal_deadline,
        ],
        before.dates,
    )?;
    store::update_dates(&mut tx, &id, &dates).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(admin.actor.user_id.as_str()),
            action: "period.update",
            entity: "period",
            entity_id: &id,
            before: serde_json::to_value(before.dates).ok(),
            after: serde_json::to_value(dates).ok(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "periods/assessments")]
pub async fn list_period_assessments(period: String) -> Result<Vec<AssessmentSummary>, AppError> {
    use crate::backend::{auth, db, request};
    use crate::domain::policy::Action;
    let (state, session) = request().await?;
    auth::authorize(&state.db, &session, Action::AdministerPeriods).await?;
    Ok(db::assessments::list_for_period(&state.db, &period).await?)
}

/// Creates the assessments of a unit, or with `subtree` of the unit and every
/// active unit below it; units that already have one are left as they are.
/// Returns how many were created.
#[server(endpoint = "periods/assessments/create")]
pub async fn create_assessments(
    period: String,
    unit: String,
    target: String,
    #[server(default)] subtree: Option<String>,
) -> Result<u32, AppError> {
    use crate::backend::{auth, periods, request};
    use crate::domain::assessment::Target;
    use crate::domain::policy::Action;
    use crate::domain::unit::UnitId;
    use crate::error::{Field, Problem};

    let (state, session) = request().await?;
    let admin = auth::authorize(&state.db, &session, Action::AdministerPeriods).await?;
    let target: Target = target
        .parse()
        .map_err(|_| AppError::field(Field::Target, Problem::Target))?;
    periods::create_assessments(
        &state.db,
        Some(&admin.actor.user_id),
        &period,
        &UnitId::new(unit.trim()),
        target,
        subtree.is_some(),
    )
    .await
}

/// Moves the close of one unit's self-assessment window to `until`.
#[server(endpoint = "assessments/extend")]
pub async fn extend_window(assessment: String, until: String) -> Result<(), AppError> {
    use crate::backend::db::{assessments, audit};
    use crate::backend::{auth, request};
    use crate::domain::period::Day;
    use crate::domain::policy::Action;
    use crate::error::{Field, Problem};

    let (state, session) = request().await?;
    let admin = auth::authorize(&state.db, &session, Action::AdministerPeriods).await?;
    let until: Day = until
        .parse()
        .map_err(|_| AppError::field(Field::Until, Problem::Date))?;
    let mut tx = crate::backend::db::begin_write(&state.db).await?;
    let before = assessments::get(&mut tx, &assessment)
        .await?
        .ok_or(AppError::NotFound)?;
    assessments::extend(&mut tx, &assessment, until).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(admin.actor.user_id.as_str()),
            action: "assessment.extend",
            entity: "assessment",
            entity_id: &assessment,
            before: Some(serde_json::json!({ "self_end": before.self_end() })),
            after: Some(serde_json::json!({ "self_end": until })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
