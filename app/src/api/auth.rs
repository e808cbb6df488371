use leptos::prelude::*;

use crate::error::AppError;
use crate::model::SessionUser;

#[server(endpoint = "login")]
pub async fn login(identifier: String, password: String) -> Result<(), AppError> {
    use crate::backend::{auth, client_address, request};
    let (state, session) = request().await?;
    let client = client_address(&state.config.trusted_proxies).await;
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
    use crate::backend::permit::ChangeOwnPassword;
    use crate::backend::{auth, request, users};
    use crate::domain::account::NewPassword;
    use crate::error::{Field, OnField};

    let (state, session) = request().await?;
    let permit = auth::authorize::<ChangeOwnPassword>(&state.db, &session).await?;
    let password = NewPassword::parse(&password, &confirm).on(Field::Password)?;
    users::change_own_password(&state.db, &permit, current, password).await?;
    // Every session of this user has ended; this one continues under a new id.
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
