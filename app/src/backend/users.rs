//! Accounts: the reads the administration pages show, and every account write
//! with its audit line in one transaction. Callers (server functions, the CLI,
//! the demo seeder) have parsed the input and authorized the caller.

use super::auth::{hash_password, verify_password};
use super::db::{audit, sessions, users, Db};
use super::forms::ensure_unit_exists;
use super::permit::{AdministerReview, AdministerUsers, ChangeOwnPassword, Permit};
use crate::domain::account::{Email, FullName, NewPassword, UserId, Username};
use crate::domain::role::{Grant, Role};
use crate::error::{AppError, Field, Problem};
use crate::model::UserSummary;

pub struct NewAccount {
    pub username: Username,
    pub email: Option<Email>,
    pub full_name: FullName,
    pub password: NewPassword,
    pub grants: Vec<Grant>,
}

pub async fn create(
    db: &Db,
    permit: &Permit<AdministerUsers>,
    account: NewAccount,
) -> Result<UserId, AppError> {
    let new = users::NewUser {
        username: account.username,
        email: account.email,
        full_name: account.full_name,
        password_hash: hash_password(account.password.expose().to_owned()).await?,
    };
    let mut tx = crate::backend::db::begin_write(db).await?;
    let id = users::create(&mut tx, &new)
        .await
        .map_err(|err| match err {
            users::UserWriteError::UsernameTaken => {
                AppError::field(Field::Username, Problem::Taken)
            }
            users::UserWriteError::EmailTaken => AppError::field(Field::Email, Problem::Taken),
            users::UserWriteError::Db(err) => err.into(),
        })?;
    for grant in &account.grants {
        ensure_unit_exists(&mut tx, grant).await?;
        users::add_grant(&mut tx, &id, grant).await?;
    }
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: permit.actor().map(UserId::as_str),
            action: "user.create",
            entity: "user",
            entity_id: id.as_str(),
            before: None,
            after: Some(serde_json::json!({
                "username": new.username.as_str(),
                "email": new.email.as_ref().map(Email::as_str),
                "full_name": new.full_name.as_str(),
                "grants": account.grants,
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn list(db: &Db, _: &Permit<AdministerUsers>) -> Result<Vec<UserSummary>, AppError> {
    Ok(users::list(db).await?)
}

pub async fn get(
    db: &Db,
    _: &Permit<AdministerUsers>,
    id: &UserId,
) -> Result<UserSummary, AppError> {
    users::get(&mut *db.acquire().await?, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The active users who hold the evaluator role, for the team form.
pub async fn evaluators(
    db: &Db,
    _: &Permit<AdministerReview>,
) -> Result<Vec<UserSummary>, AppError> {
    Ok(users::list(db)
        .await?
        .into_iter()
        .filter(|u| u.active && u.grants.iter().any(|g| g.role == Role::Evaluator))
        .collect())
}

/// An administrator sets a new password; the user's other sessions end
/// (the administrator's own session continues when they reset their own).
pub async fn reset_password(
    db: &Db,
    permit: &Permit<AdministerUsers>,
    id: &UserId,
    password: NewPassword,
) -> Result<(), AppError> {
    let change = PasswordChange {
        actor: permit.actor(),
        action: "user.password_reset",
        end_sessions: permit.actor() != Some(id),
    };
    replace_password(db, id, password, change).await
}

/// Who replaces a password, how the audit line names it, and whether the
/// user's sessions end with it.
struct PasswordChange<'a> {
    actor: Option<&'a UserId>,
    action: &'static str,
    end_sessions: bool,
}

async fn replace_password(
    db: &Db,
    id: &UserId,
    password: NewPassword,
    change: PasswordChange<'_>,
) -> Result<(), AppError> {
    let hash = hash_password(password.expose().to_owned()).await?;
    let mut tx = super::db::begin_write(db).await?;
    if !users::set_password_hash(&mut tx, id, &hash).await? {
        return Err(AppError::NotFound);
    }
    if change.end_sessions {
        sessions::delete_for_user(&mut tx, id.as_str()).await?;
    }
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: change.actor.map(UserId::as_str),
            action: change.action,
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

/// A user changes their own password after proving the current one; every
/// session of theirs ends (the caller renews the one it is serving).
pub async fn change_own_password(
    db: &Db,
    permit: &Permit<ChangeOwnPassword>,
    current: String,
    password: NewPassword,
) -> Result<(), AppError> {
    let id = permit.actor().ok_or(AppError::Unauthenticated)?;
    let stored = users::password_hash(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !verify_password(Some(stored), current).await? {
        return Err(AppError::field(
            Field::CurrentPassword,
            Problem::WrongPassword,
        ));
    }
    let change = PasswordChange {
        actor: Some(id),
        action: "password.change",
        end_sessions: true,
    };
    replace_password(db, id, password, change).await
}

/// Deactivating a user also ends every session they have; nobody deactivates
/// themselves.
pub async fn set_active(
    db: &Db,
    permit: &Permit<AdministerUsers>,
    id: &UserId,
    active: bool,
) -> Result<(), AppError> {
    if permit.actor() == Some(id) && !active {
        return Err(AppError::Forbidden);
    }
    let mut tx = super::db::begin_write(db).await?;
    let before = users::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    if before.active == active {
        return Ok(());
    }
    users::set_active(&mut tx, id, active).await?;
    if !active {
        sessions::delete_for_user(&mut tx, id.as_str()).await?;
    }
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: permit.actor().map(UserId::as_str),
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

pub async fn grant(
    db: &Db,
    permit: &Permit<AdministerUsers>,
    id: &UserId,
    grant: &Grant,
) -> Result<(), AppError> {
    let mut tx = super::db::begin_write(db).await?;
    users::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    ensure_unit_exists(&mut tx, grant).await?;
    if users::add_grant(&mut tx, id, grant).await? {
        audit::record(
            &mut tx,
            audit::AuditEntry {
                actor: permit.actor().map(UserId::as_str),
                action: "user.grant",
                entity: "user",
                entity_id: id.as_str(),
                before: None,
                after: serde_json::to_value(grant).ok(),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Removes one grant; an administrator keeps their own administrator role.
pub async fn revoke(
    db: &Db,
    permit: &Permit<AdministerUsers>,
    id: &UserId,
    grant: &str,
) -> Result<(), AppError> {
    let mut tx = super::db::begin_write(db).await?;
    let before = users::get(&mut tx, id).await?.ok_or(AppError::NotFound)?;
    let revoked = before
        .grants
        .iter()
        .find(|g| g.id == grant)
        .ok_or(AppError::NotFound)?;
    if permit.actor() == Some(id) && revoked.role == Role::Admin {
        return Err(AppError::Forbidden);
    }
    users::remove_grant(&mut tx, id, grant).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: permit.actor().map(UserId::as_str),
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
