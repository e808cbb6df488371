use leptos::prelude::*;

use crate::error::AppError;
use crate::model::SessionUser;

#[server(endpoint = "login")]
pub async fn login(identifier: String, password: String) -> Result<(), AppError> {
    use crate::backend::{auth, client_address, request};
    let (state, session) = request().await?;
    let client = client_address().await;
    auth::sign_in(
        &state.db,
        &state.config,
        &session,
        client.as_deref(),
        &identifier,
        password,
    )
    .await?;
    Ok(())
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use crate::backend::{auth, request};
    let (_, session) = request().await?;
    auth::sign_out(&session).await?;
    leptos_axum::redirect("/login");
    Ok(())
}

#[server(endpoint = "me")]
pub async fn me() -> Result<Option<SessionUser>, AppError> {
    use crate::backend::{auth, request};
    let (state, session) = request().await?;
    auth::current_user(&state.db, &session).await
}

#[server(endpoint = "account/password")]
pub async fn change_password(
    current: String,
    password: String,
    confirm: String,
) -> Result<(), AppError> {
    use crate::backend::db::{audit, sessions, users};
    use crate::backend::{auth, request};
    use crate::domain::account::NewPassword;
    use crate::domain::policy::Action;
    use crate::error::{Field, OnField, Problem};

    let (state, session) = request().await?;
    let user = auth::authorize(&state.db, &session, Action::ChangeOwnPassword).await?;
    let new_password = NewPassword::parse(&password, &confirm).on(Field::Password)?;
    let id = &user.actor.user_id;
    let stored = users::password_hash(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !auth::verify_password(Some(stored), current).await? {
        return Err(AppError::field(
            Field::CurrentPassword,
            Problem::WrongPassword,
        ));
    }
    let hash = auth::hash_password(new_password.expose().to_owned()).await?;
    let mut tx = crate::backend::db::begin_write(&state.db).await?;
    users::set_password_hash(&mut tx, id, &hash).await?;
    // Every other session of this user ends; this one continues under a new id.
    sessions::delete_for_user(&mut tx, id.as_str()).await?;
    audit::record(
        &mut tx,
        audit::AuditEntry {
            actor: Some(id.as_str()),
            action: "password.change",
            entity: "user",
            entity_id: id.as_str(),
            before: None,
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    auth::renew_session(&session).await?;
    Ok(())
}

/// Remembers the interface language in the cookie the i18n layer reads, then
/// returns to the page the form was on; works with and without JavaScript.
#[server(endpoint = "language")]
pub async fn set_language(locale: String) -> Result<(), AppError> {
    use crate::backend::local_path;
    use crate::i18n::Locale;
    use axum::http::{header, HeaderValue};
    use leptos_axum::ResponseOptions;
    use leptos_i18n::Locale as _;

    let locale: Locale = locale.parse().map_err(|_| AppError::BadRequest)?;
    let cookie = format!(
        "i18n_pref_locale={}; Path=/; Max-Age=31536000; SameSite=Lax",
        locale.as_str()
    );
    let response = expect_context::<ResponseOptions>();
    let value = HeaderValue::from_str(&cookie).map_err(|_| AppError::Internal)?;
    response.append_header(header::SET_COOKIE, value);
    let back = leptos_axum::extract::<axum::http::HeaderMap>()
        .await
        .ok()
        .and_then(|headers| headers.get(header::REFERER)?.to_str().ok().map(local_path))
        .unwrap_or_else(|| "/".to_owned());
    leptos_axum::redirect(&back);
    Ok(())
}
