use sqlx::{AnyConnection, Row};

use super::now_ms;
use crate::domain::lke::ItemCode;
use crate::model::StoredAnswer;

pub async fn list(
    conn: &mut AnyConnection,
    assessment: &str,
) -> Result<Vec<StoredAnswer>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT a.item_code, a.value, a.note, a.updated_at, a.version, u.full_name \
         FROM answers a LEFT JOIN users u ON u.id = a.updated_by WHERE a.assessment_id = $1",
    )
    .bind(assessment)
    .fetch_all(conn)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in &rows {
        // A code the rubric no longer knows is kept in the table but not shown.
        let Ok(item) = row.try_get::<String, _>("item_code")?.parse::<ItemCode>() else {
            continue;
        };
        out.push(StoredAnswer {
            item,
            value: row.try_get("value")?,
            note: row.try_get("note")?,
            updated_at: row.try_get("updated_at")?,
            version: row.try_get("version")?,
            updated_by: row.try_get("full_name")?,
        });
    }
    Ok(out)
}

/// What one write stores for one item: its value, note and new version;
/// `by` is absent for generated data.
pub struct AnswerWrite<'a> {
    pub value: Option<&'a str>,
    pub note: &'a str,
    pub version: i64,
    pub by: Option<&'a str>,
}

/// Writes the value, note and version of one item.
pub async fn upsert(
    conn: &mut AnyConnection,
    assessment: &str,
    item: ItemCode,
    write: &AnswerWrite<'_>,
) -> Result<(), sqlx::Error> {
    let code = item.to_string();
    let updated = sqlx::query(
        "UPDATE answers SET value = $1, note = $2, updated_at = $3, updated_by = $4, \
         version = $5 WHERE assessment_id = $6 AND item_code = $7",
    )
    .bind(write.value.map(str::to_owned))
    .bind(write.note)
    .bind(now_ms())
    .bind(write.by.map(str::to_owned))
    .bind(write.version)
    .bind(assessment)
    .bind(&code)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO answers (assessment_id, item_code, value, note, updated_at, updated_by, \
             version) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(assessment)
        .bind(&code)
        .bind(write.value.map(str::to_owned))
        .bind(write.note)
        .bind(now_ms())
        .bind(write.by.map(str::to_owned))
        .bind(write.version)
        .execute(conn)
        .await?;
    }
    Ok(())
}
