//! Changes to evidence files that need no upload: delete, restore, link to
//! another item, unlink. Uploads and downloads are plain HTTP routes of the server.

use leptos::prelude::*;

use crate::error::AppError;

/// Deletes a file (softly: the unit can restore it until submission).
#[server(endpoint = "evidence/delete")]
pub async fn delete_evidence(id: String) -> Result<(), AppError> {
    use crate::backend::evidence::{change, Change};
    use crate::backend::{auth, request};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    change(&state.db, &user, Change::Delete, &id).await
}

#[server(endpoint = "evidence/restore")]
pub async fn restore_evidence(id: String) -> Result<(), AppError> {
    use crate::backend::evidence::{change, Change};
    use crate::backend::{auth, request};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    change(&state.db, &user, Change::Restore, &id).await
}

/// Links a file to one more LKE item (one SK often proves several).
#[server(endpoint = "evidence/link")]
pub async fn link_evidence(id: String, item: String) -> Result<(), AppError> {
    use crate::backend::evidence::{change, Change};
    use crate::backend::{auth, request};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    change(&state.db, &user, Change::Link(&item), &id).await
}

#[server(endpoint = "evidence/unlink")]
pub async fn unlink_evidence(id: String, item: String) -> Result<(), AppError> {
    use crate::backend::evidence::{change, Change};
    use crate::backend::{auth, request};
    let (state, session) = request().await?;
    let user = auth::require_user(&state.db, &session).await?;
    change(&state.db, &user, Change::Unlink(&item), &id).await
}
