//! The two routes of single sign-on: `/login/oidc` sends the visitor to the
//! identity provider, `/login/oidc/callback` takes them back. Both are plain
//! links and redirects, so they work without JavaScript.

use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use tower_sessions::Session;

use super::{Callback, Outcome};
use crate::app::stylesheet_href;
use crate::backend::auth::SignIn;
use crate::backend::state::AppState;
use crate::error::AppError;
use crate::i18n::*;

http_routes! {
    GET "/login/oidc" => get(start),
    GET "/login/oidc/callback" => get(callback),
}

const L: Locale = Locale::id;

/// To the provider, with a new state, nonce and PKCE challenge; 404 when no
/// provider is configured, 503 while it cannot be reached.
async fn start(State(state): State<AppState>, session: Session) -> Response {
    let Some(oidc) = state.config.oidc.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match oidc.begin(&session).await {
        Ok(url) => no_store(Redirect::to(&url).into_response()),
        Err(err) => failure_page(&err, &state),
    }
}

/// Back from the provider: home (or the code step) when an account matched;
/// the login page with the reason when none did; a 4xx page for a state,
/// code or token that does not hold, 503 when the provider cannot be reached.
async fn callback(
    State(state): State<AppState>,
    session: Session,
    Query(answer): Query<Callback>,
) -> Response {
    let Some(oidc) = state.config.oidc.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let outcome = oidc
        .finish(&state.db, &state.config, &session, answer)
        .await;
    let to = match outcome {
        Ok(Outcome::SignedIn(SignIn::Done(_))) => "/".to_owned(),
        Ok(Outcome::SignedIn(SignIn::CodeNeeded | SignIn::EnrolmentNeeded)) => {
            "/login/code".to_owned()
        }
        Ok(Outcome::Refused(refusal)) => format!("/login?sso={}", refusal.as_str()),
        Err(err) => return failure_page(&err, &state),
    };
    no_store(Redirect::to(&to).into_response())
}

fn no_store(mut response: Response) -> Response {
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A page that says what went wrong in words and leads back to the login
/// page; it repeats nothing the provider or the visitor sent.
fn failure_page(err: &AppError, state: &AppState) -> Response {
    let text = match err {
        AppError::Network => td_string!(L, sso.unavailable).to_string(),
        AppError::BadRequest => td_string!(L, sso.not_recognised).to_string(),
        _ => td_string!(L, sso.failed).to_string(),
    };
    let title = td_string!(L, sso.title);
    let back = td_string!(L, sso.back);
    let stylesheet = stylesheet_href(&state.leptos_options);
    let body = format!(
        "<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"{stylesheet}\"></head>\
         <body><main class=\"page\"><section class=\"card narrow\"><h1>{title}</h1>\
         <p data-testid=\"sso-failure\">{text}</p><p><a class=\"button\" href=\"/login\">{back}</a></p>\
         </section></main></body></html>"
    );
    let mut response = (err.status_code(), Html(body)).into_response();
    err.set_retry_after(response.headers_mut());
    no_store(response)
}
