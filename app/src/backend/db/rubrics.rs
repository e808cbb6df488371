use sqlx::{AnyConnection, Row};

use super::{now_ms, Db};
use crate::domain::lke::{builtin_90_2021, builtin_gates_90_2021, GateSet, RubricVersion};
use crate::model::RubricSummary;

#[derive(Debug, thiserror::Error)]
pub enum RubricWriteError {
    #[error("a rubric version with this key exists")]
    KeyTaken,
    #[error("cannot encode the rubric: {0}")]
    Encode(#[from] serde_json::Error),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl From<RubricWriteError> for crate::error::AppError {
    fn from(err: RubricWriteError) -> Self {
        use crate::error::{AppError, Field, Problem};
        match err {
            RubricWriteError::KeyTaken => AppError::field(Field::Key, Problem::Taken),
            other => {
                tracing::error!(%other, "storing a rubric version failed");
                AppError::Internal
            }
        }
    }
}

/// Stores the built-in PermenPANRB 90/2021 version on first start.
pub async fn ensure_builtin(db: &Db) -> Result<(), RubricWriteError> {
    let rubric = builtin_90_2021();
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rubric_versions WHERE key = $1")
        .bind(rubric.key())
        .fetch_one(db)
        .await?;
    if exists == 0 {
        let mut conn = db.acquire().await?;
        insert(&mut conn, &rubric, &builtin_gates_90_2021(), true).await?;
    }
    Ok(())
}

pub async fn insert(
    conn: &mut AnyConnection,
    rubric: &RubricVersion,
    gates: &GateSet,
    builtin: bool,
) -> Result<(), RubricWriteError> {
    let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rubric_versions WHERE key = $1")
        .bind(rubric.key())
        .fetch_one(&mut *conn)
        .await?;
    if exists > 0 {
        return Err(RubricWriteError::KeyTaken);
    }
    sqlx::query(
        "INSERT INTO rubric_versions (key, title, legal_basis, body, gates, builtin, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(rubric.key())
    .bind(rubric.title())
    .bind(rubric.legal_basis())
    .bind(serde_json::to_string(rubric)?)
    .bind(serde_json::to_string(gates)?)
    .bind(i64::from(builtin))
    .bind(now_ms())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn list(db: &Db) -> Result<Vec<RubricSummary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT r.key, r.title, r.legal_basis, r.body, r.builtin, \
         (SELECT COUNT(*) FROM periods p WHERE p.rubric_key = r.key) AS periods \
         FROM rubric_versions r ORDER BY r.created_at",
    )
    .fetch_all(db)
    .await?;
    rows.iter()
        .map(|row| {
            let body: String = row.try_get("body")?;
            let rubric: RubricVersion =
                serde_json::from_str(&body).map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            Ok(RubricSummary {
                key: row.try_get("key")?,
                title: row.try_get("title")?,
                legal_basis: row.try_get("legal_basis")?,
                scored_items: rubric.scored_item_count(),
                builtin: row.try_get::<i64, _>("builtin")? != 0,
                periods: row.try_get("periods")?,
            })
        })
        .collect()
}

/// A rubric version and its current gates. A version's body never changes
/// once stored, so each is parsed once per process and kept by its key and
/// the moment it was stored (a restored database may hold another body under
/// the same key); the gates are read each time.
pub async fn get(
    conn: &mut AnyConnection,
    key: &str,
) -> Result<Option<(RubricVersion, GateSet)>, sqlx::Error> {
    let row = sqlx::query("SELECT created_at, gates FROM rubric_versions WHERE key = $1")
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let decode = |e: serde_json::Error| sqlx::Error::Decode(Box::new(e));
    let stored = (key.to_owned(), row.try_get::<i64, _>("created_at")?);
    let gates = serde_json::from_str(&row.try_get::<String, _>("gates")?).map_err(decode)?;
    if let Some(rubric) = parsed(&stored) {
        return Ok(Some((rubric, gates)));
    }
    let body: String = sqlx::query_scalar("SELECT body FROM rubric_versions WHERE key = $1")
        .bind(key)
        .fetch_one(conn)
        .await?;
    let rubric: RubricVersion = serde_json::from_str(&body).map_err(decode)?;
    remember(stored, &rubric);
    Ok(Some((rubric, gates)))
}

/// Parsed rubric versions by key and the moment they were stored.
type Parsed = std::sync::Mutex<std::collections::HashMap<(String, i64), RubricVersion>>;

fn parsed_versions() -> &'static Parsed {
    static PARSED: std::sync::OnceLock<Parsed> = std::sync::OnceLock::new();
    PARSED.get_or_init(Parsed::default)
}

fn parsed(stored: &(String, i64)) -> Option<RubricVersion> {
    parsed_versions().lock().ok()?.get(stored).cloned()
}

fn remember(stored: (String, i64), rubric: &RubricVersion) {
    if let Ok(mut versions) = parsed_versions().lock() {
        versions.insert(stored, rubric.clone());
    }
}

pub async fn set_gates(
    conn: &mut AnyConnection,
    key: &str,
    gates: &GateSet,
) -> Result<bool, RubricWriteError> {
    let done = sqlx::query("UPDATE rubric_versions SET gates = $1 WHERE key = $2")
        .bind(serde_json::to_string(gates)?)
        .bind(key)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
