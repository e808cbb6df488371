use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::now_ms;
use crate::domain::lke::ItemCode;
use crate::domain::review::ReviewStatus;
use crate::model::ReviewEntry;

const SELECT: &str = "SELECT r.item_code, r.value, r.note, r.status, r.version, r.updated_at, \
    u.full_name FROM reviews r LEFT JOIN users u ON u.id = r.updated_by";

fn from_row(row: &AnyRow) -> Result<Option<ReviewEntry>, sqlx::Error> {
    // A code the rubric no longer knows is kept in the table but not shown.
    let Ok(item) = row.try_get::<String, _>("item_code")?.parse::<ItemCode>() else {
        return Ok(None);
    };
    Ok(Some(ReviewEntry {
        item,
        value: row.try_get("value")?,
        note: row.try_get("note")?,
        status: row
            .try_get::<Option<String>, _>("status")?
            .and_then(|s| s.parse().ok()),
        version: row.try_get("version")?,
        updated_at: row.try_get("updated_at")?,
        updated_by: row.try_get("full_name")?,
    }))
}

pub async fn list(
    conn: &mut AnyConnection,
    assessment: &str,
) -> Result<Vec<ReviewEntry>, sqlx::Error> {
    let rows = sqlx::query(&format!("{SELECT} WHERE r.assessment_id = $1"))
        .bind(assessment)
        .fetch_all(conn)
        .await?;
    Ok(rows
        .iter()
        .map(from_row)
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .flatten()
        .collect())
}

/// What one save writes for one item.
pub struct ReviewWrite<'a> {
    pub value: Option<&'a str>,
    pub note: &'a str,
    pub status: Option<ReviewStatus>,
    pub version: i64,
    pub by: &'a str,
}

pub async fn upsert(
    conn: &mut AnyConnection,
    assessment: &str,
    item: ItemCode,
    write: &ReviewWrite<'_>,
) -> Result<(), sqlx::Error> {
    let code = item.to_string();
    let status = write.status.map(|s| s.as_str().to_owned());
    let updated = sqlx::query(
        "UPDATE reviews SET value = $1, note = $2, status = $3, version = $4, updated_at = $5, \
         updated_by = $6 WHERE assessment_id = $7 AND item_code = $8",
    )
    .bind(write.value.map(str::to_owned))
    .bind(write.note)
    .bind(status.clone())
    .bind(write.version)
    .bind(now_ms())
    .bind(write.by)
    .bind(assessment)
    .bind(&code)
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 0 {
        sqlx::query(
            "INSERT INTO reviews (assessment_id, item_code, value, note, status, version, \
             updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(assessment)
        .bind(&code)
        .bind(write.value.map(str::to_owned))
        .bind(write.note)
        .bind(status)
        .bind(write.version)
        .bind(now_ms())
        .bind(write.by)
        .execute(conn)
        .await?;
    }
    Ok(())
}

/// How many items of each assessment the team has given a status.
pub async fn reviewed_count(
    conn: &mut AnyConnection,
    assessment: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query("SELECT COUNT(*) FROM reviews WHERE assessment_id = $1 AND status IS NOT NULL")
        .bind(assessment)
        .fetch_one(conn)
        .await?
        .try_get(0)
}
