//! Account writes shared by server functions, the CLI and the demo seeder:
//! each parses nothing, checks nothing about the caller, and writes its change
//! and its audit line in one transaction.

use super::auth::hash_password;
use super::db::{audit, users, Db};
use super::forms::ensure_unit_exists;
use crate::domain::account::{Email, FullName, NewPassword, UserId, Username};
use crate::domain::role::Grant;
use crate::error::{AppError, Field, Problem};

pub struct NewAccount {
    pub username: Username,
    pub email: Option<Email>,
    pub full_name: FullName,
    pub password: NewPassword,
    pub grants: Vec<Grant>,
}

pub async fn create(
    db: &Db,
    actor: Option<&UserId>,
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
            actor: actor.map(UserId::as_str),
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
