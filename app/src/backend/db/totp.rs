//! Second-factor secrets and recovery codes (`user_totp`, `totp_recovery_codes`).

use sqlx::AnyConnection;

use super::Db;

/// A user's second factor as stored.
pub struct StoredTotp {
    pub secret: String,
    pub last_step: i64,
}

pub async fn get(db: &Db, user_id: &str) -> Result<Option<StoredTotp>, sqlx::Error> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT secret, last_step FROM user_totp WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(secret, last_step)| StoredTotp { secret, last_step }))
}

pub async fn is_enabled(db: &Db, user_id: &str) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_totp WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(db)
        .await?;
    Ok(n > 0)
}

/// Unused recovery codes of a user.
pub async fn recovery_codes_left(db: &Db, user_id: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM totp_recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(db)
    .await
}

/// Switches the second factor on with `secret`; `last_step` is the step of
/// the code that confirmed it. False when it was already on.
pub async fn enable(
    conn: &mut AnyConnection,
    user_id: &str,
    secret: &str,
    last_step: i64,
    now_ms: i64,
    recovery_hashes: &[String],
) -> Result<bool, sqlx::Error> {
    let on: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM user_totp WHERE user_id = $1")
        .bind(user_id)
        .fetch_one(&mut *conn)
        .await?;
    if on > 0 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO user_totp (user_id, secret, enabled_at, last_step) VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(secret)
    .bind(now_ms)
    .bind(last_step)
    .execute(&mut *conn)
    .await?;
    sqlx::query("DELETE FROM totp_recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    for hash in recovery_hashes {
        sqlx::query("INSERT INTO totp_recovery_codes (user_id, code_sha256) VALUES ($1, $2)")
            .bind(user_id)
            .bind(hash)
            .execute(&mut *conn)
            .await?;
    }
    Ok(true)
}

/// Switches the second factor off; false when it was not on.
pub async fn disable(conn: &mut AnyConnection, user_id: &str) -> Result<bool, sqlx::Error> {
    sqlx::query("DELETE FROM totp_recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    let done = sqlx::query("DELETE FROM user_totp WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut *conn)
        .await?;
    Ok(done.rows_affected() > 0)
}

/// Records `step` as used, only if it is newer than every step used before:
/// of two requests with the same code, one gets true.
pub async fn use_step(
    conn: &mut AnyConnection,
    user_id: &str,
    step: i64,
) -> Result<bool, sqlx::Error> {
    let done =
        sqlx::query("UPDATE user_totp SET last_step = $2 WHERE user_id = $1 AND last_step < $2")
            .bind(user_id)
            .bind(step)
            .execute(conn)
            .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks an unused recovery code as used; false when there is none such.
pub async fn use_recovery_code(
    conn: &mut AnyConnection,
    user_id: &str,
    code_sha256: &str,
    now_ms: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE totp_recovery_codes SET used_at = $3 \
         WHERE user_id = $1 AND code_sha256 = $2 AND used_at IS NULL",
    )
    .bind(user_id)
    .bind(code_sha256)
    .bind(now_ms)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// [`recovery_codes_left`] inside a transaction.
pub async fn recovery_codes_left_in(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM totp_recovery_codes WHERE user_id = $1 AND used_at IS NULL",
    )
    .bind(user_id)
    .fetch_one(conn)
    .await
}
