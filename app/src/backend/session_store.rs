//! tower-sessions store backed by our own `sessions` table, so sessions live
//! in the same database on SQLite and PostgreSQL and can be ended per user.

use async_trait::async_trait;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

use super::db::{self, Db};

/// The session key that holds the signed-in user's id.
pub const USER_ID_KEY: &str = "user_id";

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        DbSessionStore { db }
    }
}

fn backend(err: impl std::fmt::Display) -> Error {
    Error::Backend(err.to_string())
}

fn millis(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap_or(i64::MAX)
}

fn encode(record: &Record) -> Result<db::sessions::SessionRow> {
    Ok(db::sessions::SessionRow {
        data: serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?,
        user_id: record
            .data
            .get(USER_ID_KEY)
            .and_then(|v| v.as_str())
            .map(str::to_owned),
        expires_at_ms: millis(record.expiry_date),
    })
}

/// A new session is inserted (with a fresh id on the rare collision); an
/// existing one is only ever updated. So a session that was ended while one of
/// its requests was in flight (sign-out, a password change or reset) stays
/// ended: that request's final save finds no row and writes nothing.
#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // Anonymous visitors hold nothing worth a row (and would write one per request).
        if record.data.is_empty() {
            return Ok(());
        }
        let row = encode(record)?;
        loop {
            match db::sessions::insert(&self.db, &record.id.to_string(), &row).await {
                Ok(()) => return Ok(()),
                Err(err) if db::is_unique_violation(&err) => record.id = Id::default(),
                Err(err) => return Err(backend(err)),
            }
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let row = encode(record)?;
        db::sessions::update(&self.db, &record.id.to_string(), &row)
            .await
            .map_err(backend)
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let Some(stored) = db::sessions::load(&self.db, &id.to_string(), db::now_ms())
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&stored.data).map_err(|e| Error::Decode(e.to_string()))?;
        let expiry_date =
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(stored.expires_at_ms) * 1_000_000)
                .map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record {
            id: *id,
            data,
            expiry_date,
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        db::sessions::delete(&self.db, &id.to_string())
            .await
            .map_err(backend)
    }
}
