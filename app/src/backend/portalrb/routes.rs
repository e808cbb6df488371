//! The API PortalRB calls (`/portalrb/…`, Bearer token, the guide's error
//! JSON on every non-2xx answer, every call logged) and the evidence pages a
//! national evaluator opens from a link in its answers (`/bukti/…`).

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Json;
use serde::Deserialize;
use tokio_util::io::ReaderStream;

use super::{
    authenticate, log_call, open_share, proposals, public_base, shared_file, unit_answers, Caller,
};
use super::{PortalError, SharedItem};
use crate::app::stylesheet_href;
use crate::backend::db::portalrb::NewCall;
use crate::backend::evidence::routes::content_disposition;
use crate::backend::state::AppState;
use crate::domain::assessment::Target;
use crate::error::AppError;
use crate::i18n::*;

http_routes! {
    GET "/portalrb/pengusulan/unit-wbk" => get(unit_wbk),
    GET "/portalrb/pengusulan/unit-wbbm" => get(unit_wbbm),
    GET "/portalrb/lke/jawaban-unit/{unit_id}" => get(jawaban_unit),
    GET "/bukti/{secret}/{item}" => get(shared_item),
    GET "/bukti/{secret}/{item}/{file}" => get(shared_download),
}

const L: Locale = Locale::id;

impl PortalError {
    pub fn status(self) -> StatusCode {
        match self {
            PortalError::Unauthorized => StatusCode::UNAUTHORIZED,
            PortalError::Forbidden => StatusCode::FORBIDDEN,
            PortalError::NotFound => StatusCode::NOT_FOUND,
            PortalError::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            PortalError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            PortalError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(self) -> &'static str {
        match self {
            PortalError::Unauthorized => "UNAUTHORIZED",
            PortalError::Forbidden => "FORBIDDEN",
            PortalError::NotFound => "DATA_NOT_FOUND",
            PortalError::RateLimited => "RATE_LIMIT_EXCEEDED",
            PortalError::Busy => "SERVICE_UNAVAILABLE",
            PortalError::Internal => "INTERNAL_ERROR",
        }
    }

    fn message(self) -> String {
        match self {
            PortalError::Unauthorized => td_string!(L, portalrb.error_unauthorized),
            PortalError::Forbidden => td_string!(L, portalrb.error_forbidden),
            PortalError::NotFound => td_string!(L, portalrb.error_not_found),
            PortalError::RateLimited => td_string!(L, portalrb.error_rate_limited),
            PortalError::Busy => td_string!(L, portalrb.error_busy),
            PortalError::Internal => td_string!(L, portalrb.error_internal),
        }
        .to_string()
    }
}

/// `{"error": true, "code": "...", "message": "..."}`, as the guide asks.
impl IntoResponse for PortalError {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "error": true,
            "code": self.code(),
            "message": self.message(),
        });
        let mut response = (self.status(), Json(body)).into_response();
        if matches!(self, PortalError::RateLimited | PortalError::Busy) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
        }
        response
    }
}

/// A call with a live PortalRB token, and the base URL its links start from.
/// A refused call is logged and answered here.
pub struct PortalCaller {
    caller: Caller,
    base_url: String,
}

impl FromRequestParts<AppState> for PortalCaller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let settings = &state.config.portalrb;
        let authorization = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        match authenticate(&state.db, settings, authorization).await {
            Ok(caller) => Ok(PortalCaller {
                caller,
                base_url: public_base(
                    settings,
                    parts
                        .headers
                        .get(header::HOST)
                        .and_then(|v| v.to_str().ok()),
                ),
            }),
            Err(err) => {
                log_call(
                    &state.db,
                    NewCall {
                        token: None,
                        endpoint: parts.uri.path(),
                        unit_code: None,
                        assessment: None,
                        status: err.status().as_u16(),
                        counts: None,
                    },
                )
                .await;
                Err(err.into_response())
            }
        }
    }
}

async fn unit_wbk(State(s): State<AppState>, caller: PortalCaller) -> Response {
    listing(&s, &caller, Target::Wbk, "/portalrb/pengusulan/unit-wbk").await
}

async fn unit_wbbm(State(s): State<AppState>, caller: PortalCaller) -> Response {
    listing(&s, &caller, Target::Wbbm, "/portalrb/pengusulan/unit-wbbm").await
}

async fn listing(s: &AppState, caller: &PortalCaller, target: Target, endpoint: &str) -> Response {
    let result = proposals(&s.db, target).await;
    let status = result
        .as_ref()
        .map_or_else(|e| e.status(), |_| StatusCode::OK);
    log_call(
        &s.db,
        NewCall {
            token: Some(&caller.caller.token_id),
            endpoint,
            unit_code: None,
            assessment: None,
            status: status.as_u16(),
            counts: None,
        },
    )
    .await;
    match result {
        Ok(list) => Json(list).into_response(),
        Err(err) => err.into_response(),
    }
}

async fn jawaban_unit(
    State(s): State<AppState>,
    caller: PortalCaller,
    Path(unit_id): Path<String>,
) -> Response {
    let result = unit_answers(&s.db, &s.config.portalrb, &caller.base_url, &unit_id).await;
    let (status, assessment, counts) = match &result {
        Ok((_, fetched)) => (
            StatusCode::OK,
            Some(fetched.assessment.as_str()),
            Some(fetched.counts),
        ),
        Err(err) => (err.status(), None, None),
    };
    let unit_code: String = unit_id.chars().take(64).collect();
    log_call(
        &s.db,
        NewCall {
            token: Some(&caller.caller.token_id),
            endpoint: "/portalrb/lke/jawaban-unit",
            unit_code: Some(&unit_code),
            assessment,
            status: status.as_u16(),
            counts,
        },
    )
    .await;
    match result {
        Ok((answers, _)) => Json(answers).into_response(),
        Err(err) => err.into_response(),
    }
}

/// The path of an evidence link: its secret and the item it shows.
#[derive(Deserialize)]
pub struct ShareLink {
    secret: String,
    item: String,
}

async fn shared_item(State(s): State<AppState>, Path(link): Path<ShareLink>) -> Response {
    let stylesheet = stylesheet_href(&s.leptos_options);
    match open_share(&s.db, &link.secret, &link.item).await {
        Ok(shared) => page(&link, &shared, &stylesheet),
        Err(err) => not_found_page(err, &stylesheet),
    }
}

#[derive(Deserialize)]
pub struct ShareFile {
    #[serde(flatten)]
    link: ShareLink,
    file: String,
}

async fn shared_download(State(s): State<AppState>, Path(path): Path<ShareFile>) -> Response {
    let view = match shared_file(&s.db, &path.link.secret, &path.link.item, &path.file).await {
        Ok(view) => view,
        Err(err) => return not_found_page(err, &stylesheet_href(&s.leptos_options)),
    };
    let reader = match s.blobs.open(&view.sha256).await {
        Ok(reader) => reader,
        Err(err) => {
            tracing::error!(%err, "a shared evidence file cannot be read");
            return not_found_page(AppError::Internal, &stylesheet_href(&s.leptos_options));
        }
    };
    let mut response =
        Body::from_stream(ReaderStream::with_capacity(reader, 64 * 1024)).into_response();
    let headers = response.headers_mut();
    for (name, value) in [
        (header::CONTENT_TYPE, view.mime.clone()),
        (header::CONTENT_LENGTH, view.size.to_string()),
        (
            header::CONTENT_DISPOSITION,
            content_disposition(&view.name, false),
        ),
        (header::CACHE_CONTROL, "private, no-store".to_owned()),
    ] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    response
}

/// The item's files for a national evaluator: plain HTML, every text escaped.
fn page(link: &ShareLink, shared: &SharedItem, stylesheet: &str) -> Response {
    let summary = &shared.assessment.summary;
    let files: String = if shared.files.is_empty() {
        format!("<p>{}</p>", escape(td_string!(L, portalrb.share_no_files)))
    } else {
        let rows: String = shared
            .files
            .iter()
            .map(|f| {
                format!(
                    "<li><a href=\"/bukti/{}/{}/{}\">{}</a> ({} KB)</li>",
                    escape(&link.secret),
                    escape(&shared.item.to_string()),
                    escape(&f.id),
                    escape(&f.name),
                    (f.size + 1023) / 1024
                )
            })
            .collect();
        format!("<ul>{rows}</ul>")
    };
    let title = td_string!(L, portalrb.share_title).to_string();
    let body = format!(
        "<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"robots\" content=\"noindex\"><title>{title}</title>\
         <link rel=\"stylesheet\" href=\"{stylesheet}\"></head><body><main class=\"page\">\
         <h1>{title}</h1><p>{unit} · {year} · {target}</p><h2>{code}</h2><p>{text}</p>\
         {files}<p class=\"muted\">{note}</p></main></body></html>",
        title = escape(&title),
        unit = escape(&summary.unit_name),
        year = summary.year.value(),
        target = escape(&summary.target.as_str().to_uppercase()),
        code = escape(&shared.item.to_string()),
        text = escape(&shared.text),
        note = escape(td_string!(L, portalrb.share_note)),
    );
    let mut response = Html(body).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn not_found_page(err: AppError, stylesheet: &str) -> Response {
    let status = match err {
        AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        _ => StatusCode::NOT_FOUND,
    };
    let text = td_string!(L, portalrb.share_not_found).to_string();
    let body = format!(
        "<!DOCTYPE html><html lang=\"id\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <link rel=\"stylesheet\" href=\"{stylesheet}\"></head><body><main class=\"page\">\
         <h1>{t}</h1></main></body></html>",
        t = escape(&text)
    );
    (status, Html(body)).into_response()
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn every_markup_character_is_escaped() {
        assert_eq!(
            escape("</li><script>alert('x')</script>&\""),
            "&lt;/li&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"
        );
    }
}
