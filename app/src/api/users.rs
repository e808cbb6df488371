use leptos::prelude::*;

use crate::domain::account::UserId;
use crate::error::AppError;
use crate::model::UserSummary;

#[server(endpoint = "users/list")]
pub async fn list_users() -> Result<Vec<UserSummary>, AppError> {
    use crate::backend::permit::AdministerUsers;
    use crate::backend::{auth, request, users};
    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerUsers>(&state.db, &session).await?;
    users::list(&state.db, &permit).await
}

#[server(endpoint = "users/get")]
pub async fn get_user(id: String) -> Result<UserSummary, AppError> {
    use crate::backend::permit::AdministerUsers;
    use crate::backend::{auth, request, users};
    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerUsers>(&state.db, &session).await?;
    users::get(&state.db, &permit, &UserId::new(id)).await
}

/// Switches a user's second factor off (lost phone and recovery codes).
#[server(endpoint = "users/two-factor/reset")]
pub async fn reset_two_factor(id: String) -> Result<(), AppError> {
    use crate::backend::permit::AdministerUsers;
    use crate::backend::{auth, request, totp};
    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerUsers>(&state.db, &session).await?;
    totp::reset(&state.db, &permit, &UserId::new(id)).await
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
    use crate::backend::permit::AdministerUsers;
    use crate::backend::{auth, request, users};
    use crate::domain::account::{Email, FullName, NewPassword, Username};
    use crate::error::{Field, OnField};

    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerUsers>(&state.db, &session).await?;
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
    users::create(&state.db, &permit, account).await
}

#[server(endpoint = "users/password")]
pub async fn reset_password(id: String, password: String, confirm: String) -> Result<(), AppError> {
    use crate::backend::permit::AdministerUsers;
    use crate::backend::{auth, request, users};
    use crate::domain::account::NewPassword;
    use crate::error::{Field, OnField};

    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerUsers>(&state.db, &session).await?;
    let password = NewPassword::parse(&password, &confirm).on(Field::Password)?;
    users::reset_password(&state.db, &permit, &UserId::new(id), password).await
}

/// Deactivating a user also ends every session they have.
#[server(endpoint = "users/active")]
pub async fn set_user_active(id: String, active: bool) -> Result<(), AppError> {
    use crate::backend::permit::AdministerUsers;
    use crate::backend::{auth, request, users};

    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerUsers>(&state.db, &session).await?;
    users::set_active(&state.db, &permit, &UserId::new(id), active).await
}

#[server(endpoint = "users/grant")]
pub async fn grant_role(id: String, role: String, unit: String) -> Result<(), AppError> {
    use crate::backend::forms::parse_grant;
    use crate::backend::permit::AdministerUsers;
    use crate::backend::{auth, request, users};
    use crate::error::{Field, Problem};

    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerUsers>(&state.db, &session).await?;
    let grant = parse_grant(&role, &unit)?
        .ok_or(AppError::field(Field::Role, Problem::UnknownReference))?;
    users::grant(&state.db, &permit, &UserId::new(id), &grant).await
}

#[server(endpoint = "users/revoke")]
pub async fn revoke_role(id: String, grant: String) -> Result<(), AppError> {
    use crate::backend::permit::AdministerUsers;
    use crate::backend::{auth, request, users};

    let (state, session) = request().await?;
    let permit = auth::authorize::<AdministerUsers>(&state.db, &session).await?;
    users::revoke(&state.db, &permit, &UserId::new(id), &grant).await
}
