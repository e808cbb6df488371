use super::Db;

pub async fn count_since(db: &Db, key: &str, since_ms: i64) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_failures WHERE throttle_key = $1 AND failed_at >= $2",
    )
    .bind(key)
    .bind(since_ms)
    .fetch_one(db)
    .await
}

pub async fn record(db: &Db, keys: &[String], at_ms: i64) -> Result<(), sqlx::Error> {
    let mut tx = super::begin_write(db).await?;
    for key in keys {
        sqlx::query("INSERT INTO login_failures (throttle_key, failed_at) VALUES ($1, $2)")
            .bind(key)
            .bind(at_ms)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await
}

pub async fn clear(db: &Db, key: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_failures WHERE throttle_key = $1")
        .bind(key)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn prune(db: &Db, before_ms: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM login_failures WHERE failed_at < $1")
        .bind(before_ms)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}
