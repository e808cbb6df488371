use serde_json::Value;
use sqlx::AnyConnection;

use super::{new_id, now_ms};

/// One append-only line of the audit log: who did what to which record, before → after.
pub struct AuditEntry<'a> {
    pub actor: Option<&'a str>,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// Written on the caller's connection so it commits or rolls back with the change it records.
pub async fn record(conn: &mut AnyConnection, entry: AuditEntry<'_>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_id, action, entity, entity_id, before_json, after_json) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(now_ms())
    .bind(entry.actor.map(str::to_owned))
    .bind(entry.action)
    .bind(entry.entity)
    .bind(entry.entity_id)
    .bind(entry.before.map(|v| v.to_string()))
    .bind(entry.after.map(|v| v.to_string()))
    .execute(conn)
    .await?;
    Ok(())
}

/// The entity id of one item of one assessment in the audit log.
pub fn item_entity_id(assessment: &str, item: crate::domain::lke::ItemCode) -> String {
    format!("{assessment}/{item}")
}

/// The history of one item: its answer and note changes, and the changes of
/// every evidence file linked to it, oldest first.
pub async fn item_history(
    conn: &mut AnyConnection,
    assessment: &str,
    item: crate::domain::lke::ItemCode,
) -> Result<Vec<crate::model::HistoryLine>, sqlx::Error> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT l.at, u.full_name, l.action, l.before_json, l.after_json FROM audit_log l \
         LEFT JOIN users u ON u.id = l.actor_id \
         WHERE (l.entity = 'answer' AND l.entity_id = $1) \
            OR (l.entity = 'evidence' AND l.entity_id IN ( \
                SELECT k.evidence_id FROM evidence_links k JOIN evidence e ON e.id = k.evidence_id \
                WHERE k.item_code = $2 AND e.assessment_id = $3)) \
         ORDER BY l.at, l.id",
    )
    .bind(item_entity_id(assessment, item))
    .bind(item.to_string())
    .bind(assessment)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(crate::model::HistoryLine {
                at: row.try_get("at")?,
                actor: row.try_get("full_name")?,
                action: row.try_get("action")?,
                before: row.try_get("before_json")?,
                after: row.try_get("after_json")?,
            })
        })
        .collect()
}
