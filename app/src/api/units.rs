use leptos::prelude::*;

use crate::domain::unit::UnitId;
use crate::error::AppError;
use crate::model::UnitSummary;

#[server(endpoint = "units/list")]
pub async fn list_units() -> Result<Vec<UnitSummary>, AppError> {
    use crate::backend::permit::AdministerUnits;
    use crate::backend::{auth, request, units};
    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerUnits>(&state.db, &session).await?;
    units::list(&state.db, &permit).await
}

#[server(endpoint = "units/create")]
pub async fn create_unit(
    code: String,
    name: String,
    kind: String,
    parent: String,
) -> Result<UnitId, AppError> {
    use crate::backend::forms::optional_id;
    use crate::backend::permit::AdministerUnits;
    use crate::backend::{auth, request, units};
    use crate::domain::unit::{UnitCode, UnitName};
    use crate::error::{Field, OnField};

    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerUnits>(&state.db, &session).await?;
    let new = units::NewUnit {
        code: UnitCode::parse(&code).on(Field::Code)?,
        name: UnitName::parse(&name).on(Field::Name)?,
        kind: kind.parse().on(Field::Kind)?,
        parent: optional_id(&parent),
    };
    units::create(&state.db, &permit, new).await
}

/// Renames, re-kinds or moves a unit; a move into its own subtree is refused.
#[server(endpoint = "units/update")]
pub async fn update_unit(
    id: String,
    name: String,
    kind: String,
    parent: String,
) -> Result<(), AppError> {
    use crate::backend::forms::optional_id;
    use crate::backend::permit::AdministerUnits;
    use crate::backend::{auth, request, units};
    use crate::domain::unit::{UnitKind, UnitName};
    use crate::error::{Field, OnField};

    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerUnits>(&state.db, &session).await?;
    let id = UnitId::new(id);
    let name = UnitName::parse(&name).on(Field::Name)?;
    let kind: UnitKind = kind.parse().on(Field::Kind)?;
    let parent = optional_id(&parent);
    units::update(&state.db, &permit, &id, &name, kind, parent.as_ref()).await
}

#[server(endpoint = "units/active")]
pub async fn set_unit_active(id: String, active: bool) -> Result<(), AppError> {
    use crate::backend::permit::AdministerUnits;
    use crate::backend::{auth, request, units};

    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerUnits>(&state.db, &session).await?;
    units::set_active(&state.db, &permit, &UnitId::new(id), active).await
}
