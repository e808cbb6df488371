//! tower-sessions store backed by our own `sessions` table, so sessions live
//! in the same database on SQLite and PostgreSQL and can be ended per user.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

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

/// Every request of a signed-in user moves its session's expiry; storing
/// that each time would make every page view a write. The expiry is stored
/// again only once it has moved this far, so an idle session may end up to
/// this much earlier than its idle limit.
const EXPIRY_STORED_EVERY_MS: i64 = 60_000;

/// Past this many, sessions known to have expired are forgotten, and if that
/// is not enough, all are (each then costs one write at its next save), so the
/// scan runs at most once per this many sessions remembered.
const KNOWN_SESSIONS_KEPT: usize = 10_000;

#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
    known: Arc<Mutex<HashMap<Id, Stored>>>,
}

/// A session as this process last read or wrote it.
#[derive(Debug)]
struct Stored {
    data: HashMap<String, serde_json::Value>,
    expires_at_ms: i64,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        DbSessionStore {
            db,
            known: Arc::default(),
        }
    }

    fn known(&self) -> std::sync::MutexGuard<'_, HashMap<Id, Stored>> {
        self.known.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn remember(&self, id: Id, record: &Record, expires_at_ms: i64) {
        let mut known = self.known();
        if known.len() >= KNOWN_SESSIONS_KEPT {
            let now = db::now_ms();
            known.retain(|_, stored| stored.expires_at_ms > now);
            if known.len() >= KNOWN_SESSIONS_KEPT / 2 {
                known.clear();
            }
        }
        known.insert(
            id,
            Stored {
                data: record.data.clone(),
                expires_at_ms,
            },
        );
    }

    /// Whether saving `record` would change nothing worth a write: the same
    /// data, and an expiry that has not yet moved far.
    fn unchanged(&self, record: &Record) -> bool {
        self.known().get(&record.id).is_some_and(|stored| {
            stored.data == record.data
                && millis(record.expiry_date) - stored.expires_at_ms < EXPIRY_STORED_EVERY_MS
        })
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
                Ok(()) => {
                    self.remember(record.id, record, row.expires_at_ms);
                    return Ok(());
                }
                Err(err) if db::is_unique_violation(&err) => record.id = Id::default(),
                Err(err) => return Err(backend(err)),
            }
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        if self.unchanged(record) {
            return Ok(());
        }
        let row = encode(record)?;
        db::sessions::update(&self.db, &record.id.to_string(), &row)
            .await
            .map_err(backend)?;
        self.remember(record.id, record, row.expires_at_ms);
        Ok(())
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
        let record = Record {
            id: *id,
            data,
            expiry_date,
        };
        self.remember(*id, &record, stored.expires_at_ms);
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.known().remove(id);
        db::sessions::delete(&self.db, &id.to_string())
            .await
            .map_err(backend)
    }
}
