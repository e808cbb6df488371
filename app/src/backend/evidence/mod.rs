//! Evidence: who may touch which file, the records and their audit lines.
//! The bytes live in the blob store (`backend::blobs`); `routes` streams
//! uploads and downloads, `zip` streams a whole assessment's files.

pub mod routes;
pub mod zip;

use serde_json::json;

use super::assessments::{may_change, open, open_for_change, rubric, Access};
use super::blobs::{BlobStore, StoredFile};
use super::db::evidence::{self, Blob, NewEvidence};
use super::db::{audit, Db};
use crate::domain::assessment::{scored_items, ValueProblem};
use crate::domain::evidence::stored_file_name;
use crate::domain::lke::ItemCode;
use crate::error::{AppError, EvidenceProblem};
use crate::model::{EvidenceView, SessionUser};

/// A change to a stored file; the item codes are as the form sent them.
pub enum Change<'a> {
    Delete,
    Restore,
    Link(&'a str),
    Unlink(&'a str),
}

/// An item named by a form: none is "name one", an unknown code "no such item".
fn parse_item(code: &str) -> Result<ItemCode, AppError> {
    let code = code.trim();
    if code.is_empty() {
        return Err(AppError::Evidence {
            problem: EvidenceProblem::NoItem,
        });
    }
    code.parse().map_err(|_| unknown_item(code))
}

fn unknown_item(code: &str) -> AppError {
    AppError::Answer {
        item: code.to_owned(),
        problem: ValueProblem::UnknownItem,
    }
}

/// Applies a change to a file of an assessment the caller may change.
pub async fn change(
    db: &Db,
    user: &SessionUser,
    change: Change<'_>,
    id: &str,
) -> Result<(), AppError> {
    let mut tx = crate::backend::db::begin_write(db).await?;
    let (assessment, before) = evidence::get(&mut tx, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let access = open_for_change(&mut tx, user, &assessment).await?;
    let action = match change {
        Change::Delete => {
            evidence::set_deleted(&mut tx, id, true).await?;
            "evidence.delete"
        }
        Change::Restore => {
            evidence::set_deleted(&mut tx, id, false).await?;
            "evidence.restore"
        }
        Change::Link(item) => {
            let item = parse_item(item)?;
            let (rubric, _) = rubric(&mut tx, &access.assessment.rubric_key).await?;
            if !scored_items(&rubric).any(|known| known == item) {
                return Err(unknown_item(&item.to_string()));
            }
            evidence::link(&mut tx, id, item).await?;
            "evidence.link"
        }
        Change::Unlink(item) => {
            let item = parse_item(item)?;
            if before.items.len() <= 1 {
                return Err(AppError::Evidence {
                    problem: EvidenceProblem::NoItem,
                });
            }
            evidence::unlink(&mut tx, id, item).await?;
            "evidence.unlink"
        }
    };
    let after = evidence::get(&mut tx, id).await?.map(|(_, view)| view);
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(user.actor.user_id.as_str()),
            action,
            entity: "evidence",
            entity_id: id,
            before: summary(Some(&before)),
            after: summary(after.as_ref()),
        },
    )
    .await?;
    crate::backend::scores::refresh(&mut tx, &assessment).await?;
    tx.commit().await?;
    Ok(())
}

fn summary(view: Option<&EvidenceView>) -> Option<serde_json::Value> {
    view.map(|v| {
        json!({
            "name": v.name,
            "sha256": v.sha256,
            "items": v.items,
            "deleted": v.deleted,
            "replaced_by": v.replaced_by,
        })
    })
}

/// Files in the store that no row names and that are older than
/// `older_than` (a younger one may belong to an upload being recorded).
pub async fn orphans(
    db: &Db,
    store: &dyn BlobStore,
    older_than: std::time::Duration,
) -> Result<Vec<StoredFile>, AppError> {
    let known: std::collections::HashSet<String> =
        evidence::blob_hashes(db).await?.into_iter().collect();
    let stored = store.list().await.map_err(|err| {
        tracing::error!(%err, "cannot list the evidence store");
        AppError::Internal
    })?;
    Ok(stored
        .into_iter()
        .filter(|file| !known.contains(&file.sha256))
        .filter(|file| file.modified.elapsed().unwrap_or_default() >= older_than)
        .collect())
}

/// What an upload form named besides the file.
pub struct UploadTarget {
    pub assessment: String,
    pub items: Vec<String>,
    pub replaces: Option<String>,
}

/// Checks, before any byte is stored, that the caller may add files to the assessment.
pub async fn authorize_upload(
    db: &Db,
    user: &SessionUser,
    assessment: &str,
) -> Result<(), AppError> {
    let mut conn = db.acquire().await?;
    may_change(&mut conn, user, assessment).await.map(drop)
}

/// The items a new file proves: those named, and those of the file it
/// replaces, which must be a current file of the same assessment.
async fn target_items(
    conn: &mut sqlx::AnyConnection,
    access: &Access,
    target: &UploadTarget,
) -> Result<Vec<ItemCode>, AppError> {
    let (rubric, _) = rubric(conn, &access.assessment.rubric_key).await?;
    let mut items = Vec::new();
    if let Some(old) = &target.replaces {
        let (owner, old_view) = evidence::get(conn, old).await?.ok_or(AppError::NotFound)?;
        if owner != target.assessment || !old_view.is_current() {
            return Err(AppError::NotFound);
        }
        items.extend(old_view.items);
    }
    for code in &target.items {
        let item = parse_item(code)?;
        if !scored_items(&rubric).any(|known| known == item) {
            return Err(unknown_item(code));
        }
        if !items.contains(&item) {
            items.push(item);
        }
    }
    if items.is_empty() {
        return Err(AppError::Evidence {
            problem: EvidenceProblem::NoItem,
        });
    }
    Ok(items)
}

/// Checks what the form names before the file is kept, so a refused upload
/// leaves nothing in the store; [`record_upload`] checks again as it writes.
pub async fn check_target(
    db: &Db,
    user: &SessionUser,
    target: &UploadTarget,
) -> Result<(), AppError> {
    let mut conn = db.acquire().await?;
    let access = may_change(&mut conn, user, &target.assessment).await?;
    target_items(&mut conn, &access, target).await.map(drop)
}

/// Records an uploaded file (already in the blob store) for its items.
pub async fn record_upload(
    db: &Db,
    user: &SessionUser,
    target: UploadTarget,
    blob: Blob<'_>,
    name: &str,
) -> Result<EvidenceView, AppError> {
    let mut tx = crate::backend::db::begin_write(db).await?;
    let access = open_for_change(&mut tx, user, &target.assessment).await?;
    let items = target_items(&mut tx, &access, &target).await?;
    evidence::ensure_blob(&mut tx, &blob).await?;
    let name = stored_file_name(name, blob.mime);
    let id = evidence::insert(
        &mut tx,
        &NewEvidence {
            assessment: &target.assessment,
            sha256: blob.sha256,
            name: &name,
            uploaded_by: user.actor.user_id.as_str(),
            replaces: target.replaces.as_deref(),
            items: &items,
        },
    )
    .await?;
    let (_, view) = evidence::get(&mut tx, &id)
        .await?
        .ok_or(AppError::Internal)?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(user.actor.user_id.as_str()),
            action: if target.replaces.is_some() {
                "evidence.replace"
            } else {
                "evidence.upload"
            },
            entity: "evidence",
            entity_id: &id,
            before: target
                .replaces
                .as_ref()
                .map(|old| json!({ "replaces": old })),
            after: summary(Some(&view)),
        },
    )
    .await?;
    crate::backend::scores::refresh(&mut tx, &target.assessment).await?;
    tx.commit().await?;
    Ok(view)
}

/// A file the caller may read, and whether it is still current.
pub async fn authorize_download(
    db: &Db,
    user: &SessionUser,
    id: &str,
) -> Result<EvidenceView, AppError> {
    let mut conn = db.acquire().await?;
    let (assessment, view) = evidence::get(&mut conn, id)
        .await?
        .ok_or(AppError::NotFound)?;
    open(&mut conn, user, &assessment).await?;
    Ok(view)
}
