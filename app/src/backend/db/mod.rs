//! The data-access layer: all SQL lives below this module, one file per
//! resource, written once for SQLite and PostgreSQL through `sqlx::Any`.

pub mod answers;
pub mod api_tokens;
pub mod assessments;
pub mod assignments;
pub mod audit;
pub mod backup;
pub mod bulk;
pub mod eligibility;
pub mod evidence;
pub mod leases;
pub mod login_failures;
pub mod national;
pub mod periods;
pub mod portalrb;
pub mod reviews;
pub mod rubrics;
pub mod scores;
pub mod sessions;
pub mod snapshots;
pub mod totp;
pub mod units;
pub mod users;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyPool, Row};
use std::time::{SystemTime, UNIX_EPOCH};

pub type Db = AnyPool;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

pub async fn connect(url: &str, max_connections: u32) -> Result<Db, DbError> {
    sqlx::any::install_default_drivers();
    let url = with_sqlite_defaults(url);
    let pool = AnyPoolOptions::new()
        .max_connections(max_connections)
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                if conn.backend_name() == "SQLite" {
                    sqlx::query("PRAGMA foreign_keys = ON")
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("PRAGMA busy_timeout = 5000")
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("PRAGMA journal_mode = WAL")
                        .execute(&mut *conn)
                        .await?;
                    sqlx::query("PRAGMA synchronous = NORMAL")
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await?;
    Ok(pool)
}

/// SQLite files are created when missing; WAL mode (set per connection) keeps readers from blocking the writer.
fn with_sqlite_defaults(url: &str) -> String {
    if !url.starts_with("sqlite:") || url.contains(":memory:") || url.contains('?') {
        return url.to_owned();
    }
    format!("{url}?mode=rwc")
}

/// Write transactions begun by this process: caches of computed views (the
/// dashboard's) keep an entry only while this has not moved.
static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// How many write transactions this process has begun so far.
pub fn writes() -> u64 {
    WRITES.load(std::sync::atomic::Ordering::Acquire)
}

/// Starts a transaction that writes. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`): a transaction that reads before it writes then waits
/// its turn (the busy timeout) instead of failing with "database is locked"
/// when it tries to upgrade its lock.
/// Every call counts in [`writes`].
pub async fn begin_write(db: &Db) -> Result<sqlx::Transaction<'static, sqlx::Any>, sqlx::Error> {
    WRITES.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    if is_sqlite(db) {
        db.begin_with("BEGIN IMMEDIATE").await
    } else {
        db.begin().await
    }
}

pub fn is_sqlite(db: &Db) -> bool {
    db.connect_options().database_url.scheme() == "sqlite"
}

/// SQLite's "database is locked" (or busy) after the busy timeout: the
/// request may simply be tried again.
fn is_busy(err: &sqlx::Error) -> bool {
    match err {
        sqlx::Error::Database(db) => {
            matches!(db.code().as_deref(), Some("5" | "6" | "517"))
                || db.message().contains("database is locked")
        }
        sqlx::Error::PoolTimedOut => true,
        _ => false,
    }
}

pub async fn migrate(db: &Db) -> Result<(), DbError> {
    sqlx::migrate!("../migrations").run(db).await?;
    Ok(())
}

pub async fn ping(db: &Db) -> Result<(), DbError> {
    sqlx::query("SELECT 1").execute(db).await?;
    Ok(())
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

pub fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}

/// Reads a 0/1 flag column (`sqlx::Any` has no boolean that works on both databases).
pub fn get_bool(row: &AnyRow, column: &str) -> Result<bool, sqlx::Error> {
    row.try_get::<i64, _>(column).map(|v| v != 0)
}

impl From<sqlx::Error> for crate::error::AppError {
    fn from(err: sqlx::Error) -> Self {
        if is_busy(&err) {
            tracing::warn!(%err, "database busy");
            return crate::error::AppError::Busy;
        }
        tracing::error!(%err, "database error");
        crate::error::AppError::Internal
    }
}
