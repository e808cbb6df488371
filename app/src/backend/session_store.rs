//! tower-sessions store backed by our own `sessions` table, so sessions live
//! in the same database on SQLite and PostgreSQL and can be ended per user.

use async_trait::async_trait;
use time::OffsetDateTime;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

use super::db::{self, Db};

/// The session key that holds the signed-in user's id.
pub const USER_ID_KEY: &str = "user_id";
/// The session key of a sign-in that waits for its second factor (an object
/// whose `user` is the user's id): it grants nothing, but it is that user's,
/// so ending their sessions ends it too.
pub const PENDING_SIGN_IN_KEY: &str = "pending_sign_in";

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

/// Whose session this is, for ending every session of a user (a password
/// reset or change, a deactivation): the signed-in user, or the user a
/// pending sign-in waits for.
fn owner(record: &Record) -> Option<String> {
    let signed_in = record.data.get(USER_ID_KEY).and_then(|v| v.as_str());
    let pending = || {
        record
            .data
            .get(PENDING_SIGN_IN_KEY)
            .and_then(|p| p.get("user"))
            .and_then(|v| v.as_str())
    };
    signed_in.or_else(pending).map(str::to_owned)
}

fn encode(record: &Record) -> Result<db::sessions::SessionRow> {
    Ok(db::sessions::SessionRow {
        data: serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?,
        user_id: owner(record),
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
