use super::{is_sqlite, new_id, Db};

/// A key counted against its limit: `(key, most failures allowed in the window)`.
pub type Limit<'a> = (&'a str, u32);

/// Counts and records in one step: when every key is under its limit, a row
/// is written for each (this attempt, a failure until [`forget_attempt`] says
/// otherwise) and the attempt's id returned; `None` when a key is at its limit.
/// The write lock (`BEGIN IMMEDIATE` on SQLite, a table lock on PostgreSQL)
/// makes concurrent attempts count each other.
pub async fn reserve(
    db: &Db,
    limits: &[Limit<'_>],
    now_ms: i64,
    since_ms: i64,
) -> Result<Option<String>, sqlx::Error> {
    let mut tx = super::begin_write(db).await?;
    if !is_sqlite(db) {
        sqlx::query("LOCK TABLE login_failures IN SHARE ROW EXCLUSIVE MODE")
            .execute(&mut *tx)
            .await?;
    }
    for (key, max) in limits {
        let failures: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM login_failures WHERE throttle_key = $1 AND failed_at >= $2",
        )
        .bind(*key)
        .bind(since_ms)
        .fetch_one(&mut *tx)
        .await?;
        if failures >= i64::from(*max) {
            return Ok(None);
        }
    }
    let attempt = new_id();
    for (key, _) in limits {
        sqlx::query(
            "INSERT INTO login_failures (throttle_key, failed_at, attempt) VALUES ($1, $2, $3)",
        )
        .bind(*key)
        .bind(now_ms)
        .bind(&attempt)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Some(attempt))
}

/// After a successful sign-in: the attempt was no failure, and the earlier
/// failures of `keys` (the account's) are forgotten.
pub async fn forget_attempt(db: &Db, attempt: &str, keys: &[&str]) -> Result<(), sqlx::Error> {
    let mut tx = super::begin_write(db).await?;
    sqlx::query("DELETE FROM login_failures WHERE attempt = $1")
        .bind(attempt)
        .execute(&mut *tx)
        .await?;
    for key in keys {
        sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1")
            .bind(*key)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

pub async fn prune(db: &Db, before_ms: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM login_failures WHERE failed_at < $1")
        .bind(before_ms)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}
