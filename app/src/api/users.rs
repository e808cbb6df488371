use leptos::prelude::*;

use crate::domain::account::UserId;
use crate::error::AppError;
use crate::model::UserSummary;

#[server(endpoint = "users/list")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    use crate::backend::{auth, db, request};
    use crate::domain::policy::Action;
    let (state, session) = request().await?;
    auth::authorize(&state.db, &session, Action::AdministerUsers).await?;
    Ok(db::users::list(&state.db).await?)
}

#[server(endpoint = "users/get")]
pub async fn get_user(id: String) -> Result<UserSummary, AppError> {
    use crate::backend::{auth, db, request};
    use crate::domain::policy::Action;
    let (state, session) = request().await?;
    auth::authorize(&state.db, &session, Action::AdministerUsers).await?;
    db::users::get(&state.db, &UserId::new(id))
        .await?
        .ok_or(AppError::NotFound)
}

/// Creates an account with a first role; more roles are granted on the user's page.
#[server(endpoint = "users/create")]
pub async fn create_user(
    username: String,
    email: String,
    full_name: String,
    password: String,
    confirm: String,
    role: String,
    unit: String,
) -> Result<UserId, AppError> {
    use crate::backend::forms::parse_grant;
    use crate::backend::{auth, request, users};
    use crate::domain::account::{Email, FullName, NewPassword, Username};
    use crate::domain::policy::Action;
    use crate::error::{Field, OnField};

    let (state, session) = request().await?;
    let admin = auth::authorize(&state.db, &session, Action::AdministerUsers).await?;
    let username = Username::parse(&username).on(Field::Username)?;
    let email = match email.trim() {
        "" => None,
        raw => Some(Email::parse(raw).on(Field::Email)?),
    };
    let full_name = FullName::parse(&full_name).on(Field::FullName)?;
    let password = NewPassword::parse(&password, &confirm).on(Field::Password)?;
    let account = users::NewAccount {
        username,
        email,
        full_name,
        password,
        grants: parse_grant(&role, &unit)?.into_iter().collect(),
    };
    users::create(&state.db, Some(&admin.actor.user_id), account).await
}

#[server(endpoint = "users/password")]
pub async fn reset_password(id: String, password: String, confirm: String) -> Result<(), AppError> {
    use crate::backend::db::{audit, sessions, users};
    use crate::backend::{auth, request};
    use crate::domain::account::NewPassword;
    use crate::domain::policy::Action;
    use crate::error::{Field, OnField};

    let (state, session) = request().await?;
    let admin = auth::authorize(&state.db, &session, Action::AdministerUsers).await?;
    let id = UserId::new(id);
    let password = NewPassword::parse(&password, &confirm).on(Field::Password)?;
    let hash = auth::hash_password(password.expose().to_owned()).await?;
    let mut tx = crate::backend::db::begin_write(&state.db).await?;
    if !users::set_password_hash(&mut tx, &id, &hash).await? {
        return Err(AppError::NotFound);
    }
    if id != admin.actor.user_id {
        sessions::delete_for_user(&mut tx, id.as_str()).await?;
    }
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(admin.actor.user_id.as_str()),
            action: "user.password_reset",
            entity: "user",
            entity_id: id.as_str(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deactivating a user also ends every session they have.
#[server(endpoint = "users/active")]
pub async fn set_user_active(id: String, active: bool) -> Result<(), AppError> {
    use crate::backend::db::{audit, sessions, users};
    use crate::backend::{auth, request};
    use crate::domain::policy::Action;

    let (state, session) = request().await?;
    let admin = auth::authorize(&state.db, &session, Action::AdministerUsers).await?;
    let id = UserId::new(id);
    if id == admin.actor.user_id && !active {
        return Err(AppError::Forbidden);
    }
    let before = users::get(&state.db, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    if before.active == active {
        return Ok(());
    }
    let mut tx = crate::backend::db::begin_write(&state.db).await?;
    users::set_active(&mut tx, &id, active).await?;
    if !active {
        sessions::delete_for_user(&mut tx, id.as_str()).await?;
    }
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(admin.actor.user_id.as_str()),
            action: if active {
                "user.activate"
            } else {
                "user.deactivate"
            },
            entity: "user",
            entity_id: id.as_str(),
            before: Some(serde_json::json!({ "active": before.active })),
            after: Some(serde_json::json!({ "active": active })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "users/grant")]
pub async fn grant_role(id: String, role: String, unit: String) -> Result<(), AppError> {
    use crate::backend::db::{audit, users};
    use crate::backend::forms::{ensure_unit_exists, parse_grant};
    use crate::backend::{auth, request};
    use crate::domain::policy::Action;
    use crate::error::{Field, Problem};

    let (state, session) = request().await?;
    let admin = auth::authorize(&state.db, &session, Action::AdministerUsers).await?;
    let id = UserId::new(id);
    let grant = parse_grant(&role, &unit)?
        .ok_or(AppError::field(Field::Role, Problem::UnknownReference))?;
    users::get(&state.db, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = crate::backend::db::begin_write(&state.db).await?;
    ensure_unit_exists(&mut tx, &grant).await?;
    if users::add_grant(&mut tx, &id, &grant).await? {
        audit::record(
            &mut tx,
            audit::AuditEntry {
                actor: Some(admin.actor.user_id.as_str()),
                action: "user.grant",
                entity: "user",
                entity_id: id.as_str(),
                before: None,
                after: serde_json::to_value(&grant).ok(),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

#[server(endpoint = "users/revoke")]
pub async fn revoke_role(id: String, grant: String) -> Result<(), AppError> {
    use crate::backend::db::{audit, users};
    use crate::backend::{auth, request};
    use crate::domain::policy::Action;

    let (state, session) = request().await?;
    let admin = auth::authorize(&state.db, &session, Action::AdministerUsers).await?;
    let id = UserId::new(id);
    let before = users::get(&state.db, &id)
        .await?
        .ok_or(AppError::NotFound)?;
    let revoked = before
        .grants
        .iter()
        .find(|g| g.id == grant)
        .ok_or(AppError::NotFound)?;
    if id == admin.actor.user_id && revoked.role == crate::domain::role::Role::Admin {
        return Err(AppError::Forbidden);
    }
    let mut tx = crate::backend::db::begin_write(&state.db).await?;
    users::remove_grant(&mut tx, &id, &grant).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(admin.actor.user_id.as_str()),
            action: "user.revoke",
            entity: "user",
            entity_id: id.as_str(),
            before: serde_json::to_value(revoked).ok(),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
