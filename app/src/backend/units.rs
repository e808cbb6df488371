//! Units: every write to the unit tree and its audit line, in one transaction.
//! Callers have parsed the fields and authorized the caller.

use super::db::{audit, units, Db};
use super::permit::{AdministerUnits, Permit};
use crate::domain::account::UserId;
use crate::domain::unit::{check_move, UnitId, UnitKind, UnitName};
use crate::error::{AppError, Field, OnField, Problem};
use crate::model::UnitSummary;

pub use units::NewUnit;

pub async fn list(db: &Db, _: &Permit<AdministerUnits>) -> Result<Vec<UnitSummary>, AppError> {
    Ok(units::list(&mut *db.acquire().await?).await?)
}

pub async fn create(
    db: &Db,
    permit: &Permit<AdministerUnits>,
    unit: NewUnit,
) -> Result<UnitId, AppError> {
    let mut tx = super::db::begin_write(db).await?;
    if let Some(parent) = &unit.parent {
        units::get(&mut tx, parent)
            .await?
            .ok_or(AppError::field(Field::Parent, Problem::UnknownReference))?;
    }
    let id = units::create(&mut tx, &unit)
        .await
        .map_err(|err| match err {
            units::UnitWriteError::CodeTaken => AppError::field(Field::Code, Problem::Taken),
            units::UnitWriteError::Db(err) => err.into(),
        })?;
    let after = units::get(&mut tx, &id).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: permit.actor().map(UserId::as_str),
            action: "unit.create",
            entity: "unit",
            entity_id: id.as_str(),
            before: None,
            after: serde_json::to_value(after).ok(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Renames, re-kinds or moves a unit; a move into its own subtree is refused.
pub async fn update(
    db: &Db,
    permit: &Permit<AdministerUnits>,
    id: &UnitId,
    name: &UnitName,
    kind: UnitKind,
    parent: Option<&UnitId>,
) -> Result<(), AppError> {
    let mut tx = super::db::begin_write(db).await?;
    let before = units::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let parent_path = match parent {
        Some(parent) => Some(
            units::path(&mut tx, parent)
                .await?
                .ok_or(AppError::field(Field::Parent, Problem::UnknownReference))?,
        ),
        None => None,
    };
    check_move(id, parent_path.as_ref()).on(Field::Parent)?;
    units::update(&mut tx, id, name, kind, parent).await?;
    let after = units::get(&mut tx, id).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: permit.actor().map(UserId::as_str),
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

pub async fn set_active(
    db: &Db,
    permit: &Permit<AdministerUnits>,
    id: &UnitId,
    active: bool,
) -> Result<(), AppError> {
    let mut tx = super::db::begin_write(db).await?;
    let before = units::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    units::set_active(&mut tx, id, active).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: permit.actor().map(UserId::as_str),
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
