use super::Db;

pub struct StoredSession {
    pub data: String,
    pub expires_at_ms: i64,
}

pub struct SessionRow {
    pub data: String,
    pub user_id: Option<String>,
    pub expires_at_ms: i64,
}

pub async fn insert(db: &Db, id: &str, row: &SessionRow) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO sessions (id, user_id, data, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(row.user_id.clone())
        .bind(&row.data)
        .bind(row.expires_at_ms)
        .execute(db)
        .await?;
    Ok(())
}

/// Updates a session that still exists; a deleted one stays deleted.
pub async fn update(db: &Db, id: &str, row: &SessionRow) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE sessions SET user_id = $2, data = $3, expires_at = $4 WHERE id = $1")
        .bind(id)
        .bind(row.user_id.clone())
        .bind(&row.data)
        .bind(row.expires_at_ms)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn load(db: &Db, id: &str, now_ms: i64) -> Result<Option<StoredSession>, sqlx::Error> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
            .bind(id)
            .bind(now_ms)
            .fetch_optional(db)
            .await?;
    Ok(row.map(|(data, expires_at_ms)| StoredSession {
        data,
        expires_at_ms,
    }))
}

pub async fn delete(db: &Db, id: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

pub async fn delete_for_user(
    conn: &mut sqlx::AnyConnection,
    user_id: &str,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

pub async fn delete_expired(db: &Db, now_ms: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now_ms)
        .execute(db)
        .await?;
    Ok(done.rows_affected())
}
