//! Evidence over plain HTTP: the streamed multipart upload (which also works as
//! a plain form post without JavaScript), downloads and in-page previews, and
//! the ZIP of all evidence of an assessment. Every route asks the app's policy
//! first, before reading a byte of the body or the store.

use crate::backend::assessments::{save as save_answers, Changes};
use crate::backend::blobs::Incoming;
use crate::backend::db::evidence::Blob;
use crate::backend::evidence::{
    authorize_download, authorize_upload, check_target, record_upload, UploadTarget,
};
use crate::backend::state::AppState;
use crate::backend::{auth, local_path};
use crate::domain::evidence::{is_allowed, is_inline, MaxFileSize};
use crate::error::{AppError, EvidenceProblem};
use crate::model::{EvidenceView, SessionUser};
use axum::body::Body;
use axum::extract::multipart::MultipartError;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Json;
use serde::Deserialize;
use std::collections::BTreeMap;
use tokio_util::io::ReaderStream;
use tower_sessions::Session;

use super::zip;
use crate::backend::blobs::ReceiveError;

// The multipart reader's own cap (2 MiB by default) would refuse scanned
// documents long before the configured limit; `limit_body` enforces that one.
http_routes! {
    POST "/assessments/{id}/evidence" => post(upload).layer(DefaultBodyLimit::disable()),
    GET "/assessments/{id}/evidence.zip" => get(zip::download_all),
    GET "/evidence/{id}" => get(download),
}

/// Whether a request path is an evidence upload (it gets the larger body limit).
pub fn is_upload_path(path: &str) -> bool {
    path.strip_prefix("/assessments/")
        .and_then(|rest| rest.strip_suffix("/evidence"))
        .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}

/// The answer to an upload larger than the limit: the same refusal as one cut
/// off mid-stream, as JSON for scripts or back on the page for a plain form.
pub fn too_large(headers: &HeaderMap, max_file: MaxFileSize) -> Response {
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| "/".to_owned(), local_path);
    error_response(
        AppError::Evidence {
            problem: EvidenceProblem::TooLarge {
                max_mb: max_file.mb(),
            },
        },
        wants_json(headers),
        &back,
    )
}

/// An error as the caller can use it: JSON with its status for scripts, or a
/// redirect back to the page, which shows it, for a plain form.
fn error_response(err: AppError, json: bool, back: &str) -> Response {
    if json {
        return err.into_response();
    }
    let encoded = serde_json::to_string(&err)
        .map(|s| percent_encode(&s))
        .unwrap_or_default();
    let (page, fragment) = back.split_once('#').unwrap_or((back, ""));
    let separator = if page.contains('?') { '&' } else { '?' };
    let fragment = if fragment.is_empty() {
        String::new()
    } else {
        format!("#{fragment}")
    };
    redirect(&format!(
        "{page}{separator}evidence_error={encoded}{fragment}"
    ))
}

fn redirect(to: &str) -> Response {
    match HeaderValue::from_str(to) {
        Ok(location) => (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response(),
        Err(_) => StatusCode::BAD_REQUEST.into_response(),
    }
}

fn wants_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json"))
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const MAX_TEXT_FIELD: usize = 4 * 1024;

/// Where a plain upload that carries the area's answers names its item and
/// its way back (its own hidden fields are not part of the answers form).
#[derive(Deserialize, Default)]
struct UploadQuery {
    item: Option<String>,
    return_to: Option<String>,
}

async fn upload(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<UploadQuery>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    let json = wants_json(&headers);
    let mut back = query
        .return_to
        .as_deref()
        .map_or_else(|| format!("/assessments/{id}"), local_path);
    let mut received = Posted {
        items: query.item.into_iter().collect(),
        ..Posted::default()
    };
    let outcome = receive(&state, &session, &id, &mut multipart, &mut received).await;
    if let Some(to) = received.return_to.take() {
        back = to;
    }
    let outcome = match outcome {
        Ok(user) => keep_answers_then_file(&state, &user, &id, received).await,
        Err(err) => Err(err),
    };
    match outcome {
        Ok(view) if json => (StatusCode::CREATED, Json(view)).into_response(),
        Ok(_) => redirect(&back),
        Err(err) => error_response(err, json, &back),
    }
}

/// What the form carried: the upload's own fields, its file, and (from a
/// page without JavaScript, whose Unggah button posts the whole area) the
/// answers and notes typed since the last save.
#[derive(Default)]
struct Posted {
    items: Vec<String>,
    replaces: Option<String>,
    return_to: Option<String>,
    file: Option<(String, Incoming)>,
    values: BTreeMap<String, String>,
    notes: BTreeMap<String, String>,
    versions: BTreeMap<String, String>,
}

/// The answers first, so nothing typed is lost even when the file is
/// refused; then the file. The first refusal is the answer.
async fn keep_answers_then_file(
    state: &AppState,
    user: &SessionUser,
    id: &str,
    received: Posted,
) -> Result<EvidenceView, AppError> {
    let answers = if received.values.is_empty() && received.notes.is_empty() {
        Ok(())
    } else {
        let changes = Changes {
            values: received.values,
            notes: received.notes,
            versions: received.versions,
        };
        save_answers(&state.db, user, id, changes).await.map(|_| ())
    };
    let target = UploadTarget {
        assessment: id.to_owned(),
        items: received.items,
        replaces: received.replaces,
    };
    let view = store(state, user, target, received.file).await?;
    answers.map(|()| view)
}

async fn receive(
    state: &AppState,
    session: &Session,
    id: &str,
    multipart: &mut Multipart,
    received: &mut Posted,
) -> Result<SessionUser, AppError> {
    let db = &state.db;
    let user = auth::require_user(db, session).await?;
    authorize_upload(db, &user, id).await?;
    let too_large = || AppError::Evidence {
        problem: EvidenceProblem::TooLarge {
            max_mb: state.config.max_file.mb(),
        },
    };
    let multipart_error = |err: MultipartError| {
        if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            AppError::BadRequest
        }
    };
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" || answer_field(&name).is_some_and(|(kind, _)| kind == "file") {
            let original = field.file_name().unwrap_or_default().to_owned();
            // The other questions' empty file fields come along when the whole area is posted.
            if original.is_empty() {
                continue;
            }
            if received.file.is_some() {
                return Err(AppError::Evidence {
                    problem: EvidenceProblem::OneFileAtATime,
                });
            }
            let mut incoming = state
                .blobs
                .receive(state.config.max_file.bytes())
                .await
                .map_err(internal)?;
            while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
                incoming.write(&chunk).await.map_err(|err| match err {
                    ReceiveError::TooLarge => too_large(),
                    ReceiveError::Io(err) => internal(err),
                })?;
            }
            received.file = Some((original, incoming));
            continue;
        }
        let text = field.text().await.map_err(multipart_error)?;
        if text.len() > MAX_TEXT_FIELD {
            return Err(AppError::BadRequest);
        }
        match (name.as_str(), answer_field(&name)) {
            ("item", _) => received.items.push(text),
            ("replaces", _) if !text.trim().is_empty() => {
                received.replaces = Some(text.trim().to_owned());
            }
            ("return_to", _) => received.return_to = Some(local_path(&text)),
            (_, Some(("value", code))) => _ = received.values.insert(code.to_owned(), text),
            (_, Some(("note", code))) => _ = received.notes.insert(code.to_owned(), text),
            (_, Some(("version", code))) => _ = received.versions.insert(code.to_owned(), text),
            _ => {}
        }
    }
    Ok(user)
}

/// `value[CODE]` as `("value", "CODE")`: the answers form's field names
/// (`file[CODE]` is a question's file when the whole area is posted).
fn answer_field(name: &str) -> Option<(&str, &str)> {
    let (kind, rest) = name.split_once('[')?;
    Some((kind, rest.strip_suffix(']')?))
}

/// Checks the received file and records it under its items.
async fn store(
    state: &AppState,
    user: &SessionUser,
    target: UploadTarget,
    file: Option<(String, Incoming)>,
) -> Result<EvidenceView, AppError> {
    let db = &state.db;
    let (original, incoming) = file.ok_or(AppError::Evidence {
        problem: EvidenceProblem::Empty,
    })?;
    let received = incoming.finish().await.map_err(internal)?;
    if received.size == 0 {
        return Err(AppError::Evidence {
            problem: EvidenceProblem::Empty,
        });
    }
    let mime = received
        .sniffed_type()
        .await
        .filter(|mime| is_allowed(mime))
        .ok_or(AppError::Evidence {
            problem: EvidenceProblem::TypeNotAllowed,
        })?;
    check_target(db, user, &target).await?;
    let sha256 = received.sha256.clone();
    let size = i64::try_from(received.size).unwrap_or(i64::MAX);
    state.blobs.keep(received).await.map_err(unavailable)?;
    record_upload(
        db,
        user,
        target,
        Blob {
            sha256: &sha256,
            size,
            mime,
        },
        &original,
    )
    .await
}

fn internal(err: std::io::Error) -> AppError {
    tracing::error!(%err, "evidence storage failed");
    AppError::Internal
}

/// The store did not take or give a file: the disk or the bucket is out of
/// reach, which the user cannot fix but can retry (503, in their language).
fn unavailable(err: std::io::Error) -> AppError {
    tracing::error!(%err, "the evidence store is unavailable");
    AppError::Evidence {
        problem: EvidenceProblem::StoreUnavailable,
    }
}

#[derive(Deserialize)]
struct DownloadQuery {
    #[serde(default)]
    inline: Option<String>,
}

async fn download(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    Query(query): Query<DownloadQuery>,
) -> Response {
    match serve(&state, &session, &id, query.inline.is_some()).await {
        Ok(response) => response,
        Err(err) => err.into_response(),
    }
}

async fn serve(
    state: &AppState,
    session: &Session,
    id: &str,
    inline: bool,
) -> Result<Response, AppError> {
    let db = &state.db;
    let user = auth::require_user(db, session).await?;
    let view = authorize_download(db, &user, id).await?;
    let reader = state.blobs.open(&view.sha256).await.map_err(unavailable)?;
    let inline = inline && is_inline(&view.mime);
    let mut response =
        Body::from_stream(ReaderStream::with_capacity(reader, 64 * 1024)).into_response();
    let headers = response.headers_mut();
    let mut set = |name, value: String| {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    };
    set(header::CONTENT_TYPE, view.mime.clone());
    set(header::CONTENT_LENGTH, view.size.to_string());
    set(
        header::CONTENT_DISPOSITION,
        content_disposition(&view.name, inline),
    );
    set(header::CACHE_CONTROL, "private, max-age=300".to_owned());
    set(header::ETAG, format!("\"{}\"", view.sha256));
    // A preview may sit in a frame of our own pages; nothing else may frame it or run in it.
    set(
        header::CONTENT_SECURITY_POLICY,
        "frame-ancestors 'self'".to_owned(),
    );
    set(header::X_FRAME_OPTIONS, "SAMEORIGIN".to_owned());
    Ok(response)
}

/// `attachment` (or `inline`) with the original name, as ASCII and as UTF-8 (RFC 6266).
pub fn content_disposition(name: &str, inline: bool) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let kind = if inline { "inline" } else { "attachment" };
    format!(
        "{kind}; filename=\"{ascii}\"; filename*=UTF-8''{}",
        percent_encode(name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_evidence_uploads_get_the_large_limit() {
        assert!(is_upload_path("/assessments/0190-abc/evidence"));
        assert!(!is_upload_path("/assessments//evidence"));
        assert!(!is_upload_path("/assessments/a/b/evidence"));
        assert!(!is_upload_path("/api/units/create"));
    }

    #[test]
    fn download_names_survive_in_both_forms() {
        assert_eq!(
            content_disposition("SK Tim \"ZI\" 2026.pdf", false),
            "attachment; filename=\"SK Tim _ZI_ 2026.pdf\"; filename*=UTF-8''SK%20Tim%20%22ZI%22%202026.pdf"
        );
        assert!(content_disposition("Laporan é.pdf", true)
            .starts_with("inline; filename=\"Laporan _.pdf\""));
    }
}
