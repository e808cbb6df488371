use super::Db;

/// Takes or renews the lease `name` for `holder` until `now_ms + ttl_ms`:
/// `true` when `holder` has it now, `false` while another node's lease runs.
pub async fn try_acquire(
    db: &Db,
    name: &str,
    holder: &str,
    now_ms: i64,
    ttl_ms: i64,
) -> Result<bool, sqlx::Error> {
    let mut tx = super::begin_write(db).await?;
    sqlx::query(
        "INSERT INTO task_leases (name, holder, until_ms) VALUES ($1, $2, $3) \
         ON CONFLICT (name) DO NOTHING",
    )
    .bind(name)
    .bind(holder)
    .bind(now_ms + ttl_ms)
    .execute(&mut *tx)
    .await?;
    let taken = sqlx::query(
        "UPDATE task_leases SET holder = $1, until_ms = $2 \
         WHERE name = $3 AND (holder = $1 OR until_ms < $4)",
    )
    .bind(holder)
    .bind(now_ms + ttl_ms)
    .bind(name)
    .bind(now_ms)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(taken.rows_affected() == 1)
}
