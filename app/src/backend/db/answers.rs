use sqlx::{AnyConnection, Row};

use super::now_ms;
use crate::domain::lke::ItemCode;
use crate::model::StoredAnswer;

pub async fn list(
    conn: &mut AnyConnection,
    assessment: &str,
) -> Result<Vec<StoredAnswer>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT item_code, value, note, updated_at FROM answers WHERE assessment_id = $1",
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
        });
    }
    Ok(out)
}

/// Writes the value and note of one item; `by` is absent for generated data.
pub async fn upsert(
    conn: &mut AnyConnection,
    assessment: &str,
    item: ItemCode,
    value: Option<&str>,
    note: &str,
    by: Option<&str>,
) -> Result<(), sqlx::Error> {
    let code = item.to_string();
    let updated = sqlx::query(
        "UPDATE answers SET value = $1, note = $2, updated_at = $3, updated_by = $4 \
         WHERE assessment_id = $5 AND item_code = $6",
    )
    .bind(value.map(str::to_owned))
    .bind(note)
    .bind(now_ms())
    .bind(by.map(str::to_owned))
    .bind(assessment)
    .bind(&code)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO answers (assessment_id, item_code, value, note, updated_at, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(assessment)
        .bind(&code)
        .bind(value.map(str::to_owned))
        .bind(note)
        .bind(now_ms())
        .bind(by.map(str::to_owned))
        .execute(conn)
        .await?;
    }
    Ok(())
}
