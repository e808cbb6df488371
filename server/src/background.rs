//! The background tasks: ending expired sessions, pruning old sign-in
//! failures, the daily score snapshots. With several nodes on one database,
//! exactly one runs them at a time: the holder of the `background` lease.

use std::time::Duration;

use app::backend::db::{self, Db};
use app::backend::snapshots;

const LEASE: &str = "background";
/// How long a lease lasts without renewal: a stopped node's tasks move to
/// another node within this time.
const LEASE_TTL: Duration = Duration::from_secs(180);
const TICK: Duration = Duration::from_secs(60);
const SWEEP_EVERY: Duration = Duration::from_secs(600);
const SNAPSHOTS_EVERY: Duration = Duration::from_secs(6 * 60 * 60);

/// What this node last did, in Unix milliseconds (0: not yet).
#[derive(Default)]
pub struct Runs {
    swept_ms: i64,
    snapshots_ms: i64,
}

fn millis(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

/// One tick on node `node` at `now_ms`: when it holds the lease, the tasks
/// that are due run; returns whether it held the lease.
pub async fn tick(db: &Db, node: &str, now_ms: i64, runs: &mut Runs) -> bool {
    match db::leases::try_acquire(db, LEASE, node, now_ms, millis(LEASE_TTL)).await {
        Ok(true) => {}
        Ok(false) => return false,
        Err(err) => {
            tracing::warn!(%err, "could not take the background lease");
            return false;
        }
    }
    if now_ms - runs.swept_ms >= millis(SWEEP_EVERY) {
        runs.swept_ms = now_ms;
        if let Err(err) = db::sessions::delete_expired(db, now_ms).await {
            tracing::warn!(%err, "could not remove expired sessions");
        }
        if let Err(err) = db::login_failures::prune(db, now_ms - 24 * 3600 * 1000).await {
            tracing::warn!(%err, "could not prune login failures");
        }
    }
    if now_ms - runs.snapshots_ms >= millis(SNAPSHOTS_EVERY) {
        runs.snapshots_ms = now_ms;
        match snapshots::take_all(db).await {
            Ok(n) => tracing::info!(assessments = n, "daily score snapshots taken"),
            Err(err) => tracing::warn!(?err, "daily score snapshots failed"),
        }
    }
    true
}

/// Ticks for as long as the server runs.
pub fn spawn(db: Db) {
    let node = uuid::Uuid::new_v4().to_string();
    tokio::spawn(async move {
        let mut runs = Runs::default();
        let mut every = tokio::time::interval(TICK);
        loop {
            every.tick().await;
            tick(&db, &node, db::now_ms(), &mut runs).await;
        }
    });
}
