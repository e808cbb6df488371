//! Turning raw form fields into domain values where a parse needs the database or spans fields.

use crate::domain::role::{Grant, Role};
use crate::domain::unit::UnitId;
use crate::error::{AppError, Field, OnField, Problem};

/// An empty form value means "none".
pub fn optional_id(raw: &str) -> Option<UnitId> {
    let raw = raw.trim();
    (!raw.is_empty()).then(|| UnitId::new(raw))
}

/// Reads the role and unit fields of a form; an empty role means "no role yet".
pub fn parse_grant(role: &str, unit: &str) -> Result<Option<Grant>, AppError> {
    if role.trim().is_empty() {
        return Ok(None);
    }
    let role: Role = role
        .parse()
        .map_err(|_| AppError::field(Field::Role, Problem::UnknownReference))?;
    Grant::new(role, optional_id(unit))
        .on(Field::Unit)
        .map(Some)
}

pub async fn ensure_unit_exists(
    conn: &mut sqlx::AnyConnection,
    grant: &Grant,
) -> Result<(), AppError> {
    if let Some(unit) = &grant.unit {
        super::db::units::get(conn, unit)
            .await?
            .ok_or(AppError::field(Field::Unit, Problem::UnknownReference))?;
    }
    Ok(())
}
