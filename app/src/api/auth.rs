use leptos::prelude::*;

use crate::error::AppError;
use crate::model::{SessionUser, SsoOffer, TwoFactorEnrolment, TwoFactorView};

#[server(endpoint = "login")]
pub async fn login(identifier: String, password: String) -> Result<(), AppError> {
    use crate::backend::{auth, client_address, request};
    let (state, session) = request().await?;
    let client = client_address(&state.config.trusted_proxies).await;
    let step = auth::sign_in(
        &state.db,
        &state.config,
        &session,
        client.as_deref(),
        &identifier,
        password,
    )
    .await?;
    if matches!(
        step,
        auth::SignIn::CodeNeeded | auth::SignIn::EnrolmentNeeded
    ) {
        leptos_axum::redirect("/login/code");
    }
    Ok(())
}

/// The login page's single sign-on button: shown only when an identity
/// provider is configured (`ZI_OIDC_ISSUER`).
#[server(endpoint = "login/sso")]
pub async fn login_sso() -> Result<Option<SsoOffer>, AppError> {
    use crate::backend::{oidc, request};
    let (state, _) = request().await?;
    Ok(oidc::offer(&state.config))
}

/// The second step of a sign-in with a second factor: the code from the
/// authenticator app, or a recovery code.
#[server(endpoint = "login/code")]
pub async fn login_code(code: String) -> Result<(), AppError> {
    use crate::backend::{auth, client_address, request};
    let (state, session) = request().await?;
    let client = client_address(&state.config.trusted_proxies).await;
    let step =
        auth::second_step(&state.db, &state.config, &session, client.as_deref(), &code).await?;
    if step == auth::SecondStep::Enrolled {
        // Where the recovery codes are shown, once.
        leptos_axum::redirect("/account/two-factor");
    }
    Ok(())
}

/// For the code step's page: the app to enrol first when the account's role
/// requires a second factor it does not have yet (`ZI_REQUIRE_TOTP_FOR`).
#[server(endpoint = "login/enrolment")]
pub async fn login_enrolment() -> Result<Option<TwoFactorEnrolment>, AppError> {
    use crate::backend::{auth, request};
    let (state, session) = request().await?;
    auth::pending_enrolment(&state.db, &session).await
}

/// The account's second factor as its page shows it (recovery codes made
/// just now are in it once).
#[server(endpoint = "account/two-factor")]
pub async fn two_factor() -> Result<TwoFactorView, AppError> {
    use crate::backend::permit::ChangeOwnPassword;
    use crate::backend::{auth, request, totp};
    let (state, session) = request().await?;
    let permit = auth::authorize::<ChangeOwnPassword>(&state.db, &session).await?;
    totp::view(&state.db, &permit, &session).await
}

/// Begins enrolling an authenticator app: a new secret for the page to show.
#[server(endpoint = "account/two-factor/start")]
pub async fn start_two_factor() -> Result<(), AppError> {
    use crate::backend::permit::ChangeOwnPassword;
    use crate::backend::{auth, request, totp};
    let (state, session) = request().await?;
    let permit = auth::authorize::<ChangeOwnPassword>(&state.db, &session).await?;
    totp::start(&state.db, &permit, &session).await
}

/// Switches the second factor on with a current code of the app.
#[server(endpoint = "account/two-factor/confirm")]
pub async fn confirm_two_factor(code: String) -> Result<(), AppError> {
    use crate::backend::permit::ChangeOwnPassword;
    use crate::backend::{auth, request, totp};
    let (state, session) = request().await?;
    let permit = auth::authorize::<ChangeOwnPassword>(&state.db, &session).await?;
    totp::confirm(&state.db, &permit, &session, &code).await
}

/// Switches one's own second factor off, with the password.
#[server(endpoint = "account/two-factor/disable")]
pub async fn disable_two_factor(current: String) -> Result<(), AppError> {
    use crate::backend::permit::ChangeOwnPassword;
    use crate::backend::{auth, request, totp};
    let (state, session) = request().await?;
    let permit = auth::authorize::<ChangeOwnPassword>(&state.db, &session).await?;
    totp::disable(&state.db, &permit, current).await
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
