use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{AssessmentSummary, PeriodView};

#[server(endpoint = "periods/list")]
pub async fn list_periods() -> Result<Vec<PeriodView>, AppError> {
    use crate::backend::permit::AdministerPeriods;
    use crate::backend::{auth, periods, request};
    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerPeriods>(&state.db, &session).await?;
    periods::list(&state.db, &permit).await
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
    use crate::backend::permit::AdministerPeriods;
    use crate::backend::{auth, periods, request};
    use crate::domain::period::{PeriodDates, Year};
    use crate::error::{Field, Problem};

    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerPeriods>(&state.db, &session).await?;
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
    periods::create(&state.db, &permit, year, rubric_key.trim(), dates).await
}

/// Opens next year's period as a copy of `from`: the same rubric version and
/// the same calendar moved by the years between them.
#[server(endpoint = "periods/copy")]
pub async fn copy_period(from: String, year: String) -> Result<String, AppError> {
    use crate::backend::permit::AdministerPeriods;
    use crate::backend::{auth, periods, request};
    use crate::domain::period::Year;
    use crate::error::{Field, Problem};

    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerPeriods>(&state.db, &session).await?;
    let year = Year::parse(&year).map_err(|_| AppError::field(Field::Year, Problem::Number))?;
    periods::copy(&state.db, &permit, &from, year).await
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
    use crate::backend::permit::AdministerPeriods;
    use crate::backend::{auth, periods, request};

    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerPeriods>(&state.db, &session).await?;
    let dates = [
        self_start.as_str(),
        &self_end,
        &review_start,
        &review_end,
        &proposal_deadline,
    ];
    periods::update_dates(&state.db, &permit, &id, dates).await
}

#[server(endpoint = "periods/assessments")]
pub async fn list_period_assessments(period: String) -> Result<Vec<AssessmentSummary>, AppError> {
    use crate::backend::permit::AdministerPeriods;
    use crate::backend::{auth, periods, request};
    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerPeriods>(&state.db, &session).await?;
    periods::assessments(&state.db, &permit, &period).await
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
    use crate::backend::permit::AdministerPeriods;
    use crate::backend::{auth, periods, request};
    use crate::domain::assessment::Target;
    use crate::domain::unit::UnitId;
    use crate::error::{Field, Problem};

    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerPeriods>(&state.db, &session).await?;
    let target: Target = target
        .parse()
        .map_err(|_| AppError::field(Field::Target, Problem::Target))?;
    periods::create_assessments(
        &state.db,
        &permit,
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
    use crate::backend::permit::AdministerPeriods;
    use crate::backend::{auth, periods, request};
    use crate::domain::period::Day;
    use crate::error::{Field, Problem};

    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerPeriods>(&state.db, &session).await?;
    let until: Day = until
        .parse()
        .map_err(|_| AppError::field(Field::Until, Problem::Date))?;
    periods::extend_window(&state.db, &permit, &assessment, until).await
}
