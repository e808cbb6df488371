use leptos::prelude::*;

use crate::domain::unit::UnitId;
use crate::error::AppError;
use crate::model::UnitSummary;

#[server(endpoint = "units/list")]
pub async fn list_units() -> Result<Vec<UnitSummary>, AppError> {
    use crate::backend::{auth, db, request};
    use crate::domain::policy::Action;
    let (state, session) = request().await?;
    auth::authorize(&state.db, &session, Action::AdministerUnits).await?;
    Ok(db::units::list(&state.db).await?)
}

#[server(endpoint = "units/create")]
pub async fn create_unit(
    code: String,
    name: String,
    kind: String,
    parent: String,
) -> Result<UnitId, AppError> {
    use crate::backend::db::units;
    use crate::backend::forms::optional_id;
    use crate::backend::{auth, commands, request};
    use crate::domain::policy::Action;
    use crate::domain::unit::{UnitCode, UnitName};
    use crate::error::{Field, OnField};

    let (state, session) = request().await?;
    let user = auth::authorize(&state.db, &session, Action::AdministerUnits).await?;
    let new = units::NewUnit {
        code: UnitCode::parse(&code).on(Field::Code)?,
        name: UnitName::parse(&name).on(Field::Name)?,
        kind: kind.parse().on(Field::Kind)?,
        parent: optional_id(&parent),
    };
    commands::create_unit(&state.db, Some(&user.actor.user_id), new).await
}

/// Renames, re-kinds or moves a unit; a move into its own subtree is refused.
#[server(endpoint = "units/update")]
pub async fn update_unit(
    id: String,
    name: String,
    kind: String,
    parent: String,
) -> Result<(), AppError> {
    use crate::backend::db::{audit, units};
    use crate::backend::forms::optional_id;
    use crate::backend::{auth, request};
    use crate::domain::policy::Action;
    use crate::domain::unit::{check_move, UnitKind, UnitName};
    use crate::error::{Field, OnField, Problem};

    let (state, session) = request().await?;
    let user = auth::authorize(&state.db, &session, Action::AdministerUnits).await?;
    let id = UnitId::new(id);
    let name = UnitName::parse(&name).on(Field::Name)?;
    let kind: UnitKind = kind.parse().on(Field::Kind)?;
    let parent = optional_id(&parent);
    let mut tx = crate::backend::db::begin_write(&state.db).await?;
    let before = units::get(&mut tx, &id).await?.ok_or(AppError::NotFound)?;
    let parent_path = match &parent {
        Some(parent) => Some(
            units::path(&mut tx, parent)
                .await?
                .ok_or(AppError::field(Field::Parent, Problem::UnknownReference))?,
        ),
        None => None,
    };
    check_move(&id, parent_path.as_ref()).on(Field::Parent)?;
    units::update(&mut tx, &id, &name, kind, parent.as_ref()).await?;
    let after = units::get(&mut tx, &id).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(user.actor.user_id.as_str()),
            action: "unit.update",
            entity: "unit",
            entity_id: id.as_str(),
            before: serde_json::to_value(before).ok(),
            after: serde_json::to_value(after).ok(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "units/active")]
pub async fn set_unit_active(id: String, active: bool) -> Result<(), AppError> {
    use crate::backend::db::{audit, units};
    use crate::backend::{auth, request};
    use crate::domain::policy::Action;

    let (state, session) = request().await?;
    let user = auth::authorize(&state.db, &session, Action::AdministerUnits).await?;
    let id = UnitId::new(id);
    let mut tx = crate::backend::db::begin_write(&state.db).await?;
    let before = units::get(&mut tx, &id).await?.ok_or(AppError::NotFound)?;
    units::set_active(&mut tx, &id, active).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(user.actor.user_id.as_str()),
            action: if active {
                "unit.activate"
            } else {
                "unit.deactivate"
            },
            entity: "unit",
            entity_id: id.as_str(),
            before: Some(serde_json::json!({ "active": before.active })),
            after: Some(serde_json::json!({ "active": active })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
