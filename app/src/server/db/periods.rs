use super::{new_id, now_ms, Db};

pub async fn create(db: &Db, year: i64, rubric_key: &str) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query("INSERT INTO periods (id, year, rubric_key, created_at) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(year)
        .bind(rubric_key)
        .bind(now_ms())
        .execute(db)
        .await?;
    Ok(id)
}
