//! HTTP middleware of our own: the status mapping of server-function errors,
//! the note of what a plain form post did, the cross-site request check, and
//! the security headers.

use app::api::assessments::ImportAnswers;
use app::api::rubrics::ImportRubric;
use app::domain::evidence::MaxFileSize;
use app::error::{AppError, Field, Problem, WorkbookProblem};
use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use http_body_util::{BodyExt, Limited};
use leptos::server_fn::ServerFn;
use tower_http::set_header::SetResponseHeaderLayer;

const SERVER_FN_ERROR_HEADER: &str = "serverfnerror";
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Server functions answer every error with 500; this gives each `AppError`
/// its own status (401, 403, 404, 409, 422, 429, …) in one place.
pub async fn server_fn_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let is_error = response.headers().contains_key(SERVER_FN_ERROR_HEADER)
        && !response.headers().contains_key(header::LOCATION);
    if !is_error {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ERROR_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = err.status_code();
        err.set_retry_after(&mut parts.headers);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The query parameter that names the server function a plain form post
/// completed; `FormStatus` reads it.
const DONE: &str = app::components::form::DONE_PARAM;

/// Without JavaScript a form's post ends in a redirect back to the page it
/// came from. Naming the server function there (`?__done=/api/…`) lets that
/// page say what was done, as it does with JavaScript.
pub async fn plain_form_done(request: Request, next: Next) -> Response {
    let server_fn = request.method() == Method::POST && request.uri().path().starts_with("/api/");
    let path = request.uri().path().to_owned();
    let referer = request
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut response = next.run(request).await;
    let (true, Some(referer)) = (server_fn && response.status().is_redirection(), referer) else {
        return response;
    };
    let done = response
        .headers()
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|location| done_location(location, &referer, &path))
        .and_then(|done| HeaderValue::from_str(&done).ok());
    if let Some(done) = done {
        response.headers_mut().insert(header::LOCATION, done);
    }
    response
}

/// Where the redirect of a plain form post should go: the page the form came
/// from naming `server_fn` as done, when `location` is the plain redirect back
/// to it; an error's redirect without an earlier post's `__done` (whose note
/// would show beside this error); `None` to leave `location` as it is.
fn done_location(location: &str, referer: &str, server_fn: &str) -> Option<String> {
    let failed = location
        .split_once('?')
        .is_some_and(|(_, query)| query.split('&').any(|pair| pair.starts_with("__err=")));
    if failed {
        let cleaned = without(location, &[DONE]);
        return (cleaned != location).then_some(cleaned);
    }
    let page = without(referer, OUTCOME_MARKS);
    if without(location, OUTCOME_MARKS) != page {
        return None;
    }
    let separator = if page.contains('?') { '&' } else { '?' };
    Some(format!("{page}{separator}{DONE}={server_fn}"))
}

/// The parameters a form post's outcome adds to the page's URL.
const OUTCOME_MARKS: &[&str] = &["__path", "__err", DONE];

/// `url` without the query parameters named `keys`.
fn without(url: &str, keys: &[&str]) -> String {
    let Some((page, query)) = url.split_once('?') else {
        return url.to_owned();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| {
            let key = pair.split('=').next().unwrap_or_default();
            !pair.is_empty() && !keys.contains(&key)
        })
        .collect();
    if kept.is_empty() {
        page.to_owned()
    } else {
        format!("{page}?{}", kept.join("&"))
    }
}

/// The largest bodies accepted: forms and API calls, workbook uploads, evidence uploads.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimits {
    pub default: usize,
    pub upload: usize,
    pub evidence: usize,
    pub max_file: MaxFileSize,
}

/// The server functions that take a workbook upload.
fn is_workbook_upload(path: &str) -> bool {
    path == <ImportRubric as ServerFn>::PATH || path == <ImportAnswers as ServerFn>::PATH
}

/// How much of an oversized browser upload is read (and dropped) before the
/// refusal, so the browser is still listening when it comes.
const DRAIN_AT_MOST: usize = 256 * 1024 * 1024;

/// Caps every request body: an announced size over the limit is a 413 before
/// anything is read, and a body that runs past it mid-stream is cut off.
pub async fn limit_body(
    State(limits): State<BodyLimits>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path();
    let evidence = app::backend::evidence::routes::is_upload_path(path);
    let workbook = is_workbook_upload(path);
    let limit = if workbook {
        limits.upload
    } else if evidence {
        limits.evidence
    } else {
        limits.default
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|size| size > limit) {
        let (parts, body) = request.into_parts();
        if evidence {
            drain(body).await;
            let mut refused =
                app::backend::evidence::routes::too_large(&parts.headers, limits.max_file);
            // The connection carried a body we did not take: start the next request afresh.
            refused
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
            return refused;
        }
        let refusal = if workbook {
            AppError::field(Field::File, Problem::Workbook(WorkbookProblem::TooLarge))
        } else {
            AppError::BadRequest
        };
        return (
            StatusCode::PAYLOAD_TOO_LARGE,
            [
                (HeaderName::from_static(SERVER_FN_ERROR_HEADER), "1"),
                (header::CONNECTION, "close"),
            ],
            axum::Json(refusal),
        )
            .into_response();
    }
    next.run(request.map(|body| Body::new(Limited::new(body, limit))))
        .await
}

async fn drain(body: Body) {
    let mut body = Limited::new(body, DRAIN_AT_MOST);
    let reading = async { while let Some(Ok(_)) = body.frame().await {} };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(120), reading).await;
}

/// The origin browsers see the app at, when it is behind a reverse proxy
/// (`ZI_PUBLIC_URL`): the proxy may hand the app another `Host`.
#[derive(Clone, Debug, Default)]
pub struct PublicOrigin(pub Option<String>);

impl PublicOrigin {
    /// `https://zi.example.go.id` of `https://zi.example.go.id/some/path`.
    pub fn of_url(url: Option<&str>) -> Self {
        PublicOrigin(url.map(|url| {
            let (scheme, rest) = url.split_once("://").unwrap_or(("https", url));
            let host = rest.split('/').next().unwrap_or_default();
            format!(
                "{}://{}",
                scheme.to_ascii_lowercase(),
                host.to_ascii_lowercase()
            )
        }))
    }
}

/// Refuses state-changing requests that a browser sent from another site.
/// Browsers send `Origin` on every cross-site POST; requests without it (curl,
/// tests) carry no ambient cookies from another site and pass.
pub async fn same_origin(
    State(public): State<PublicOrigin>,
    request: Request,
    next: Next,
) -> Response {
    if is_safe(request.method()) || is_same_origin(request.headers(), &public) {
        next.run(request).await
    } else {
        tracing::warn!(uri = %request.uri(), "cross-site request refused");
        (StatusCode::FORBIDDEN, "cross-site request refused").into_response()
    }
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_same_origin(headers: &HeaderMap, public: &PublicOrigin) -> bool {
    let header = |name: HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    match header(header::ORIGIN) {
        Some(origin)
            if public
                .0
                .as_deref()
                .is_some_and(|p| p.eq_ignore_ascii_case(origin)) =>
        {
            true
        }
        Some(origin) => {
            let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
            header(header::HOST).is_some_and(|host| host.eq_ignore_ascii_case(origin_host))
        }
        None => header(HeaderName::from_static("sec-fetch-site")) != Some("cross-site"),
    }
}

/// Adds the headers every response carries; HTML pages replace the CSP with one that has their nonce.
pub fn with_security_headers(router: Router) -> Router {
    let default_csp = HeaderValue::from_str(&app::backend::csp::policy(None))
        .unwrap_or(HeaderValue::from_static("default-src 'self'"));
    router
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            default_csp,
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_redirect_back_names_the_function_once() {
        let page = "http://zi.example/admin/units?parent=1";
        assert_eq!(
            done_location(page, page, "/api/units/create").as_deref(),
            Some("http://zi.example/admin/units?parent=1&__done=/api/units/create")
        );
        let again = "http://zi.example/admin/units?__done=/api/units/create";
        assert_eq!(
            done_location(again, again, "/api/units/update").as_deref(),
            Some("http://zi.example/admin/units?__done=/api/units/update")
        );
    }

    #[test]
    fn errors_and_the_functions_own_redirects_are_left_alone() {
        let page = "http://zi.example/admin/units";
        let failed = "http://zi.example/admin/units?__path=/api/units/create&__err=eyJ9";
        assert_eq!(done_location(failed, page, "/api/units/create"), None);
        assert_eq!(
            done_location("/", "http://zi.example/login", "/api/login"),
            None
        );
    }

    #[test]
    fn an_error_after_an_earlier_success_drops_that_success_note() {
        let page = "http://zi.example/admin/units?parent=1&__done=/api/units/create";
        let failed =
            "http://zi.example/admin/units?parent=1&__done=/api/units/create&__path=/api/units/update&__err=eyJ9";
        assert_eq!(
            done_location(failed, page, "/api/units/update").as_deref(),
            Some("http://zi.example/admin/units?parent=1&__path=/api/units/update&__err=eyJ9")
        );
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (HeaderName::from_static(k), HeaderValue::from_static(v)))
            .collect()
    }

    #[test]
    fn behind_a_proxy_the_public_url_is_the_origin() {
        let public = PublicOrigin::of_url(Some("https://ZI.example.go.id/"));
        let proxied = headers(&[
            ("origin", "https://zi.example.go.id"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert!(is_same_origin(&proxied, &public));
        assert!(!is_same_origin(&proxied, &PublicOrigin::default()));
        let evil = headers(&[
            ("origin", "https://evil.example"),
            ("host", "127.0.0.1:3000"),
        ]);
        assert!(!is_same_origin(&evil, &public));
    }

    #[test]
    fn an_origin_must_match_the_host() {
        assert!(is_same_origin(
            &headers(&[
                ("origin", "http://127.0.0.1:3000"),
                ("host", "127.0.0.1:3000")
            ]),
            &PublicOrigin::default()
        ));
        assert!(!is_same_origin(
            &headers(&[
                ("origin", "https://evil.example"),
                ("host", "127.0.0.1:3000")
            ]),
            &PublicOrigin::default()
        ));
        assert!(!is_same_origin(
            &headers(&[("origin", "null"), ("host", "127.0.0.1:3000")]),
            &PublicOrigin::default()
        ));
    }

    #[test]
    fn without_an_origin_only_cross_site_fetches_are_refused() {
        assert!(is_same_origin(
            &headers(&[("host", "a")]),
            &PublicOrigin::default()
        ));
        assert!(is_same_origin(
            &headers(&[("sec-fetch-site", "same-origin")]),
            &PublicOrigin::default()
        ));
        assert!(!is_same_origin(
            &headers(&[("sec-fetch-site", "cross-site")]),
            &PublicOrigin::default()
        ));
    }
}
