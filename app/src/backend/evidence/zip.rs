//! "Download all evidence": one ZIP per assessment, arranged by part, area,
//! indicator and question code, with an index. Streamed as it is written: the
//! archive is never whole in memory or on disk.

use crate::backend::documents::inert;
use crate::backend::{assessments, auth};
use crate::domain::evidence::unique_names;
use crate::domain::lke::{ItemCode, RubricVersion};
use crate::domain::period::Day;
use crate::error::AppError;
use crate::model::{AssessmentData, EvidenceView};
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use std::io::{self, Write};
use std::sync::Arc;
use tokio::runtime::Handle;
use tokio::sync::mpsc;
use tokio_util::io::SyncIoBridge;
use tower_sessions::Session;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::routes::content_disposition;
use crate::backend::blobs::BlobStore;
use crate::backend::state::AppState;

pub async fn download_all(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> Response {
    match prepare(&state, &session, &id).await {
        Ok((name, plan)) => stream(state.blobs.clone(), name, plan),
        Err(err) => err.into_response(),
    }
}

/// One file in the archive.
struct Entry {
    path: String,
    sha256: String,
}

struct Plan {
    entries: Vec<Entry>,
    index: String,
}

async fn prepare(
    state: &AppState,
    session: &Session,
    id: &str,
) -> Result<(String, Plan), AppError> {
    let db = &state.db;
    let user = auth::require_user(db, session).await?;
    let mut conn = db.acquire().await?;
    let access = assessments::open(&mut conn, &user, id).await?;
    drop(conn);
    let data = assessments::data(db, &user, access).await?;
    let summary = &data.header.summary;
    let name = format!(
        "data-dukung-{}-{}.zip",
        summary.unit_code,
        summary.year.value()
    );
    Ok((name, plan(&data)))
}

/// Folder of each item, in LKE order: `1 Pemenuhan/1 Manajemen Perubahan/P.MP.i/P.MP.i.a`.
fn folders(rubric: &RubricVersion) -> Vec<(ItemCode, String, String)> {
    let mut out = Vec::new();
    for (part_no, (_, part)) in rubric.parts().into_iter().enumerate() {
        for area in &part.areas {
            for indicator in &area.indicators {
                for question in &indicator.questions {
                    let folder = format!(
                        "{} {}/{} {}/{}/{}",
                        part_no + 1,
                        safe(&part.name),
                        area.area.number(),
                        safe(&area.name),
                        indicator.code,
                        question.code
                    );
                    out.push((
                        ItemCode::Question(question.code),
                        folder,
                        question.text.clone(),
                    ));
                }
            }
        }
    }
    let hasil = rubric.hasil();
    for item in [&hasil.ipak, &hasil.capaian, &hasil.ipkp] {
        out.push((
            ItemCode::Hasil(item.code),
            format!("3 Hasil/{}", item.code),
            item.text.clone(),
        ));
    }
    out
}

fn safe(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c == '/' || c == '\\' || c.is_control() {
                '-'
            } else {
                c
            }
        })
        .take(80)
        .collect()
}

fn plan(data: &AssessmentData) -> Plan {
    let rubric = data.rubric();
    let current: Vec<&EvidenceView> = data.evidence.iter().filter(|e| e.is_current()).collect();
    let mut entries = Vec::new();
    let mut index =
        String::from("folder;file;item;question;size_bytes;uploaded_by;uploaded_on;sha256\n");
    for (item, folder, text) in folders(&rubric) {
        let files: Vec<&&EvidenceView> =
            current.iter().filter(|e| e.items.contains(&item)).collect();
        let names = unique_names(files.iter().map(|f| f.name.as_str()));
        for (file, name) in files.into_iter().zip(names) {
            index.push_str(&csv_line(&[
                &folder,
                &name,
                &item.to_string(),
                &text,
                &file.size.to_string(),
                file.uploaded_by.as_deref().unwrap_or(""),
                &Day::from_unix_ms(file.uploaded_at).to_string(),
                &file.sha256,
            ]));
            entries.push(Entry {
                path: format!("{folder}/{name}"),
                sha256: file.sha256.clone(),
            });
        }
    }
    Plan { entries, index }
}

fn csv_line(fields: &[&str]) -> String {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| {
            let text = inert(f).replace('"', "\"\"").replace(['\r', '\n'], " ");
            format!("\"{text}\"")
        })
        .collect();
    format!("{}\n", quoted.join(";"))
}

fn stream(store: Arc<dyn BlobStore>, name: String, plan: Plan) -> Response {
    let (tx, rx) = mpsc::channel::<io::Result<Bytes>>(4);
    let handle = Handle::current();
    tokio::task::spawn_blocking(move || {
        let result = write_zip(
            &handle,
            store.as_ref(),
            plan,
            ChannelWriter::new(tx.clone()),
        );
        if let Err(err) = result {
            tracing::warn!(%err, "evidence ZIP stopped");
            let _ = tx.blocking_send(Err(err));
        }
    });
    // Fused: the compression layer may poll once more after the end.
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (chunk, rx))
    })
    .fuse();
    let mut response = Body::from_stream(body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/zip"),
    );
    if let Ok(value) = HeaderValue::from_str(&content_disposition(&name, false)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

fn write_zip(
    handle: &Handle,
    store: &dyn BlobStore,
    plan: Plan,
    out: ChannelWriter,
) -> io::Result<()> {
    let mut zip = ZipWriter::new_stream(out);
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .large_file(true);
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    zip.start_file("index.csv", deflated)
        .map_err(io::Error::other)?;
    zip.write_all(plan.index.as_bytes())?;
    for entry in plan.entries {
        let reader = handle.block_on(store.open(&entry.sha256))?;
        let mut reader = SyncIoBridge::new_with_handle(reader, handle.clone());
        zip.start_file(entry.path, stored)
            .map_err(io::Error::other)?;
        io::copy(&mut reader, &mut zip)?;
    }
    let mut out = zip.finish().map_err(io::Error::other)?.into_inner();
    out.flush()
}

/// Hands the archive to the response body in 64 KB pieces; stops when the client goes away.
struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buffer: Vec<u8>,
}

const PIECE: usize = 64 * 1024;

impl ChannelWriter {
    fn new(tx: mpsc::Sender<io::Result<Bytes>>) -> Self {
        ChannelWriter {
            tx,
            buffer: Vec::with_capacity(PIECE),
        }
    }

    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let piece = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(PIECE),
        ));
        self.tx
            .blocking_send(Ok(piece))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "download cancelled"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(data);
        if self.buffer.len() >= PIECE {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}
