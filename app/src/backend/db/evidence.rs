use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use super::{new_id, now_ms, Db};
use crate::domain::lke::ItemCode;
use crate::model::EvidenceView;

/// A stored file's content, as the blob store reported it.
pub struct Blob<'a> {
    pub sha256: &'a str,
    pub size: i64,
    pub mime: &'a str,
}

/// Records the blob once; the same content uploaded again reuses the row.
/// The hash of every stored file some evidence row has ever named.
pub async fn blob_hashes(db: &Db) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT sha256 FROM blobs")
        .fetch_all(db)
        .await
}

pub async fn ensure_blob(conn: &mut AnyConnection, blob: &Blob<'_>) -> Result<(), sqlx::Error> {
    let known = sqlx::query("SELECT 1 FROM blobs WHERE sha256 = $1")
        .bind(blob.sha256)
        .fetch_optional(&mut *conn)
        .await?;
    if known.is_none() {
        sqlx::query("INSERT INTO blobs (sha256, size, mime, created_at) VALUES ($1, $2, $3, $4)")
            .bind(blob.sha256)
            .bind(blob.size)
            .bind(blob.mime)
            .bind(now_ms())
            .execute(conn)
            .await?;
    }
    Ok(())
}

pub struct NewEvidence<'a> {
    pub assessment: &'a str,
    pub sha256: &'a str,
    pub name: &'a str,
    pub uploaded_by: &'a str,
    pub replaces: Option<&'a str>,
    pub items: &'a [ItemCode],
}

pub async fn insert(
    conn: &mut AnyConnection,
    new: &NewEvidence<'_>,
) -> Result<String, sqlx::Error> {
    let id = new_id();
    sqlx::query(
        "INSERT INTO evidence (id, assessment_id, sha256, original_name, uploaded_by, uploaded_at, replaces) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(new.assessment)
    .bind(new.sha256)
    .bind(new.name)
    .bind(new.uploaded_by)
    .bind(now_ms())
    .bind(new.replaces.map(str::to_owned))
    .execute(&mut *conn)
    .await?;
    if let Some(old) = new.replaces {
        sqlx::query("UPDATE evidence SET replaced_by = $1 WHERE id = $2")
            .bind(&id)
            .bind(old)
            .execute(&mut *conn)
            .await?;
    }
    for item in new.items {
        link(conn, &id, *item).await?;
    }
    Ok(id)
}

pub async fn link(
    conn: &mut AnyConnection,
    evidence: &str,
    item: ItemCode,
) -> Result<(), sqlx::Error> {
    let code = item.to_string();
    let known =
        sqlx::query("SELECT 1 FROM evidence_links WHERE evidence_id = $1 AND item_code = $2")
            .bind(evidence)
            .bind(&code)
            .fetch_optional(&mut *conn)
            .await?;
    if known.is_none() {
        sqlx::query("INSERT INTO evidence_links (evidence_id, item_code) VALUES ($1, $2)")
            .bind(evidence)
            .bind(&code)
            .execute(conn)
            .await?;
    }
    Ok(())
}

pub async fn unlink(
    conn: &mut AnyConnection,
    evidence: &str,
    item: ItemCode,
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM evidence_links WHERE evidence_id = $1 AND item_code = $2")
        .bind(evidence)
        .bind(item.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn set_deleted(
    conn: &mut AnyConnection,
    evidence: &str,
    deleted: bool,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE evidence SET deleted_at = $1 WHERE id = $2")
        .bind(deleted.then(now_ms))
        .bind(evidence)
        .execute(conn)
        .await?;
    Ok(())
}

const SELECT: &str = "SELECT e.id, e.assessment_id, e.sha256, e.original_name, e.uploaded_at, \
    e.replaces, e.replaced_by, e.deleted_at, b.size, b.mime, u.full_name AS uploader \
    FROM evidence e JOIN blobs b ON b.sha256 = e.sha256 LEFT JOIN users u ON u.id = e.uploaded_by";

fn from_row(row: &AnyRow, mut items: Vec<ItemCode>) -> Result<(String, EvidenceView), sqlx::Error> {
    items.sort();
    Ok((
        row.try_get("assessment_id")?,
        EvidenceView {
            id: row.try_get("id")?,
            name: row.try_get("original_name")?,
            size: row.try_get("size")?,
            mime: row.try_get("mime")?,
            sha256: row.try_get("sha256")?,
            uploaded_by: row.try_get("uploader")?,
            uploaded_at: row.try_get("uploaded_at")?,
            items,
            replaces: row.try_get("replaces")?,
            replaced_by: row.try_get("replaced_by")?,
            deleted: row.try_get::<Option<i64>, _>("deleted_at")?.is_some(),
        },
    ))
}

fn link_of(row: &AnyRow) -> Option<(String, ItemCode)> {
    let evidence = row.try_get::<String, _>("evidence_id").ok()?;
    let item = row.try_get::<String, _>("item_code").ok()?.parse().ok()?;
    Some((evidence, item))
}

/// Every file of an assessment, deleted and replaced ones included, oldest first.
pub async fn list(
    conn: &mut AnyConnection,
    assessment: &str,
) -> Result<Vec<EvidenceView>, sqlx::Error> {
    let links = sqlx::query(
        "SELECT l.evidence_id, l.item_code FROM evidence_links l \
         JOIN evidence e ON e.id = l.evidence_id WHERE e.assessment_id = $1",
    )
    .bind(assessment)
    .fetch_all(&mut *conn)
    .await?;
    let mut by_file: std::collections::HashMap<String, Vec<ItemCode>> = Default::default();
    for (evidence, item) in links.iter().filter_map(link_of) {
        by_file.entry(evidence).or_default().push(item);
    }
    let rows = sqlx::query(&format!(
        "{SELECT} WHERE e.assessment_id = $1 ORDER BY e.uploaded_at, e.id"
    ))
    .bind(assessment)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            let id: String = row.try_get("id")?;
            let items = by_file.remove(&id).unwrap_or_default();
            from_row(row, items).map(|(_, view)| view)
        })
        .collect()
}

/// One file and the assessment it belongs to.
pub async fn get(
    conn: &mut AnyConnection,
    id: &str,
) -> Result<Option<(String, EvidenceView)>, sqlx::Error> {
    let Some(row) = sqlx::query(&format!("{SELECT} WHERE e.id = $1"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    let links =
        sqlx::query("SELECT evidence_id, item_code FROM evidence_links WHERE evidence_id = $1")
            .bind(id)
            .fetch_all(conn)
            .await?;
    let items = links
        .iter()
        .filter_map(link_of)
        .map(|(_, item)| item)
        .collect();
    from_row(&row, items).map(Some)
}
