//! API tokens: only the SHA-256 of a secret is stored.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{new_id, now_ms};
use crate::domain::portalrb::TokenName;
use crate::model::ApiTokenView;

const COLUMNS: &str = "id, name, scope, created_at, last_used_at, revoked_at";

fn from_row(row: &AnyRow) -> Result<ApiTokenView, sqlx::Error> {
    Ok(ApiTokenView {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        scope: row.try_get("scope")?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
        revoked_at: row.try_get("revoked_at")?,
    })
}

pub async fn list(conn: &mut AnyConnection) -> Result<Vec<ApiTokenView>, sqlx::Error> {
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM api_tokens ORDER BY created_at DESC, id"
    ))
    .fetch_all(conn)
    .await?;
    rows.iter().map(from_row).collect()
}

pub async fn get(conn: &mut AnyConnection, id: &str) -> Result<Option<ApiTokenView>, sqlx::Error> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM api_tokens WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    row.as_ref().map(from_row).transpose()
}

/// The token whose secret hashes to `sha256`, revoked or not.
pub async fn by_secret(
    conn: &mut AnyConnection,
    sha256: &str,
) -> Result<Option<ApiTokenView>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM api_tokens WHERE secret_sha256 = $1"
    ))
    .bind(sha256)
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(from_row).transpose()
}

pub struct NewToken<'a> {
    pub name: &'a TokenName,
    pub scope: &'a str,
    pub secret_sha256: &'a str,
    pub created_by: Option<&'a str>,
}

pub async fn insert(conn: &mut AnyConnection, new: &NewToken<'_>) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO api_tokens (id, name, scope, secret_sha256, created_at, created_by) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&id)
    .bind(new.name.as_str())
    .bind(new.scope)
    .bind(new.secret_sha256)
    .bind(now_ms())
    .bind(new.created_by.map(str::to_owned))
    .execute(conn)
    .await?;
    Ok(id)
}

/// Revokes a token that is not revoked yet; false when there was nothing to revoke.
pub async fn revoke(conn: &mut AnyConnection, id: &str) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now_ms())
            .bind(id)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn touch(conn: &mut AnyConnection, id: &str, at: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
        .bind(at)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
