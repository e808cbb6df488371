use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{get_bool, is_unique_violation, new_id, now_ms, Db};
use crate::domain::unit::{UnitCode, UnitId, UnitKind, UnitName, UnitPath};
use crate::model::UnitSummary;

const COLUMNS: &str = "id, code, name, kind, parent_id, active";

#[derive(Debug, thiserror::Error)]
pub enum UnitWriteError {
    #[error("unit code already in use")]
    CodeTaken,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn from_row(row: &AnyRow) -> Result<UnitSummary, sqlx::Error> {
    let kind: String = row.try_get("kind")?;
    Ok(UnitSummary {
        id: UnitId::new(row.try_get::<String, _>("id")?),
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        kind: kind.parse().unwrap_or(UnitKind::Other),
        parent: row
            .try_get::<Option<String>, _>("parent_id")?
            .map(UnitId::new),
        active: get_bool(row, "active")?,
    })
}

pub async fn list(conn: &mut AnyConnection) -> Result<Vec<UnitSummary>, sqlx::Error> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM units ORDER BY code"))
        .fetch_all(conn)
        .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(
    conn: &mut AnyConnection,
    id: &UnitId,
) -> Result<Option<UnitSummary>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM units WHERE id = $1"))
        .bind(id.as_str())
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

pub async fn find_by_code(db: &Db, code: &UnitCode) -> Result<Option<UnitSummary>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM units WHERE code = $1"))
        .bind(code.as_str())
        .fetch_optional(db)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The unit with its ancestors, root first; `None` when the unit does not exist.
pub async fn path(conn: &mut AnyConnection, id: &UnitId) -> Result<Option<UnitPath>, sqlx::Error> {
    Ok(with_path(conn, id).await?.map(|(_, path)| path))
}

/// The unit and its place in the tree, read once.
pub async fn with_path(
    conn: &mut AnyConnection,
    id: &UnitId,
) -> Result<Option<(UnitSummary, UnitPath)>, sqlx::Error> {
    let Some(unit) = get(conn, id).await? else {
        return Ok(None);
    };
    let mut ancestors = Vec::new();
    let mut next = unit.parent.clone();
    while let Some(parent_id) = next {
        if ancestors.contains(&parent_id) || ancestors.len() > 64 {
            break;
        }
        next = get(conn, &parent_id).await?.and_then(|p| p.parent);
        ancestors.push(parent_id);
    }
    ancestors.reverse();
    let path = UnitPath {
        unit: unit.id.clone(),
        ancestors,
    };
    Ok(Some((unit, path)))
}

pub struct NewUnit {
    pub code: UnitCode,
    pub name: UnitName,
    pub kind: UnitKind,
    pub parent: Option<UnitId>,
}

pub async fn create(conn: &mut AnyConnection, unit: &NewUnit) -> Result<UnitId, UnitWriteError> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO units (id, code, name, kind, parent_id, active, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(unit.code.as_str())
    .bind(unit.name.as_str())
    .bind(unit.kind.as_str())
    .bind(unit.parent.as_ref().map(|p| p.as_str().to_owned()))
    .bind(1_i64)
    .bind(now_ms())
    .execute(conn)
    .await
    .map_err(|err| {
        if is_unique_violation(&err) {
            UnitWriteError::CodeTaken
        } else {
            UnitWriteError::Db(err)
        }
    })?;
    Ok(UnitId::new(id))
}

pub async fn update(
    conn: &mut AnyConnection,
    id: &UnitId,
    name: &UnitName,
    kind: UnitKind,
    parent: Option<&UnitId>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE units SET name = $1, kind = $2, parent_id = $3 WHERE id = $4")
        .bind(name.as_str())
        .bind(kind.as_str())
        .bind(parent.map(|p| p.as_str().to_owned()))
        .bind(id.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_active(
    conn: &mut AnyConnection,
    id: &UnitId,
    active: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE units SET active = $1 WHERE id = $2")
        .bind(i64::from(active))
        .bind(id.as_str())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn count(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM units")
        .fetch_one(db)
        .await
}
