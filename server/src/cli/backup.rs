//! `zi backup DIR` and `zi restore DIR`: a consistent copy of the database and
//! the evidence, taken while the server runs, and its return into an empty
//! data directory. The layout:
//!
//! ```text
//! DIR/manifest.json        format, schema version, rows per table, files
//! DIR/tables/<table>.jsonl one JSON object per row
//! DIR/evidence/            the evidence files, in the store's own layout
//! ```

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use tokio::io::AsyncReadExt;

use app::backend::blobs::{BlobStore, LocalStore};
use app::backend::db::backup::{self as tables, BackupError, TABLES};
use app::backend::db::{self, Db};

const FORMAT: u64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum BackupFailure {
    #[error("{path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
    #[error("{0} exists and is not empty; choose a new folder for the backup")]
    TargetNotEmpty(String),
    #[error("{0} is not a ZI Tracker backup (no readable manifest.json)")]
    NotABackup(String),
    #[error("this backup has format {0}; this zi reads format {FORMAT}")]
    Format(u64),
    #[error("this backup comes from a newer schema ({backup}) than this zi ({ours}); restore it with a newer zi")]
    NewerSchema { backup: i64, ours: i64 },
    #[error("evidence file {sha256}: {problem}")]
    Evidence { sha256: String, problem: String },
    #[error("{table}: the backup lists {listed} rows, {found} were restored")]
    Count {
        table: String,
        listed: u64,
        found: u64,
    },
    #[error(transparent)]
    Tables(#[from] BackupError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// What a backup holds.
#[derive(Debug, PartialEq, Eq)]
pub struct Summary {
    pub rows: BTreeMap<String, u64>,
    pub files: u64,
    pub bytes: u64,
}

fn file_error(path: &Path) -> impl FnOnce(std::io::Error) -> BackupFailure + '_ {
    move |source| BackupFailure::File {
        path: path.display().to_string(),
        source,
    }
}

async fn schema_version(db: &Db) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations")
        .fetch_one(db)
        .await
}

/// Copies one stored file between stores; the receiving store hashes it, so
/// a file whose bytes no longer match its name is caught here.
async fn copy_file(
    from: &dyn BlobStore,
    to: &dyn BlobStore,
    sha256: &str,
) -> Result<u64, BackupFailure> {
    let failure = |problem: String| BackupFailure::Evidence {
        sha256: sha256.to_owned(),
        problem,
    };
    let mut reader = from
        .open(sha256)
        .await
        .map_err(|e| failure(e.to_string()))?;
    let mut incoming = to
        .receive(u64::MAX)
        .await
        .map_err(|e| failure(e.to_string()))?;
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let n = reader
            .read(&mut buffer)
            .await
            .map_err(|e| failure(e.to_string()))?;
        if n == 0 {
            break;
        }
        incoming
            .write(&buffer[..n])
            .await
            .map_err(|e| failure(e.to_string()))?;
    }
    let received = incoming
        .finish()
        .await
        .map_err(|e| failure(e.to_string()))?;
    if received.sha256 != sha256 {
        return Err(failure(format!("its bytes hash to {}", received.sha256)));
    }
    let size = received.size;
    to.keep(received)
        .await
        .map_err(|e| failure(e.to_string()))?;
    Ok(size)
}

/// Writes the backup of `db` and `store` into `dir`, which must be new or empty.
pub async fn backup(db: &Db, store: &dyn BlobStore, dir: &Path) -> Result<Summary, BackupFailure> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(file_error(dir))?
            .next()
            .is_some()
    {
        return Err(BackupFailure::TargetNotEmpty(dir.display().to_string()));
    }
    let table_dir = dir.join("tables");
    std::fs::create_dir_all(&table_dir).map_err(file_error(&table_dir))?;
    let schema = schema_version(db).await?;

    let mut rows = BTreeMap::new();
    let mut files: Vec<String> = Vec::new();
    let mut snapshot = tables::snapshot(db).await?;
    for table in TABLES {
        let path = table_dir.join(format!("{table}.jsonl"));
        let mut out = BufWriter::new(File::create(&path).map_err(file_error(&path))?);
        let count = tables::dump_table(&mut snapshot, table, |row| {
            if *table == "blobs" {
                if let Some(sha256) = row.get("sha256").and_then(Value::as_str) {
                    files.push(sha256.to_owned());
                }
            }
            serde_json::to_writer(&mut out, &row).map_err(|e| e.to_string())?;
            out.write_all(b"\n").map_err(|e| e.to_string())
        })
        .await?;
        out.flush().map_err(file_error(&path))?;
        rows.insert((*table).to_owned(), count);
    }
    snapshot.rollback().await?;

    // Stored files are never changed, only added: every file the snapshot
    // names is in the store now.
    let evidence_dir = dir.join("evidence");
    let copy = LocalStore::new(&evidence_dir)
        .await
        .map_err(file_error(&evidence_dir))?;
    let mut bytes = 0;
    for sha256 in &files {
        bytes += copy_file(store, &copy, sha256).await?;
    }
    let summary = Summary {
        rows,
        files: files.len() as u64,
        bytes,
    };
    let manifest = json!({
        "format": FORMAT,
        "schema": schema,
        "created_at_ms": db::now_ms(),
        "rows": summary.rows,
        "files": summary.files,
        "bytes": summary.bytes,
    });
    let path = dir.join("manifest.json");
    std::fs::write(&path, manifest.to_string()).map_err(file_error(&path))?;
    Ok(summary)
}

fn read_manifest(dir: &Path) -> Result<Value, BackupFailure> {
    let path = dir.join("manifest.json");
    std::fs::read(&path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .filter(Value::is_object)
        .ok_or_else(|| BackupFailure::NotABackup(dir.display().to_string()))
}

/// Every line of a table's file, one row each.
fn rows_of(
    path: &PathBuf,
) -> Result<impl Iterator<Item = Result<Value, BackupFailure>> + '_, BackupFailure> {
    let file = File::open(path).map_err(file_error(path))?;
    Ok(BufReader::new(file).lines().map(move |line| {
        let line = line.map_err(file_error(path))?;
        serde_json::from_str(&line).map_err(|err| BackupFailure::File {
            path: path.display().to_string(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, err),
        })
    }))
}

/// Restores the backup in `dir` into an empty database and store: the files
/// first, then every row in one transaction, so a failure leaves the
/// database as empty as it was.
pub async fn restore(db: &Db, store: &dyn BlobStore, dir: &Path) -> Result<Summary, BackupFailure> {
    let manifest = read_manifest(dir)?;
    let format = manifest["format"].as_u64().unwrap_or_default();
    if format != FORMAT {
        return Err(BackupFailure::Format(format));
    }
    let ours = schema_version(db).await?;
    let theirs = manifest["schema"].as_i64().unwrap_or(i64::MAX);
    if theirs > ours {
        return Err(BackupFailure::NewerSchema {
            backup: theirs,
            ours,
        });
    }
    let listed = |table: &str| manifest["rows"][table].as_u64().unwrap_or_default();

    let mut tx = db::begin_write(db).await?;
    tables::ensure_empty(&mut tx).await?;
    // The built-in rubric a fresh database starts with comes back from the backup.
    sqlx::query("DELETE FROM rubric_versions")
        .execute(&mut *tx)
        .await?;

    let evidence_dir = dir.join("evidence");
    let source = LocalStore::new(&evidence_dir)
        .await
        .map_err(file_error(&evidence_dir))?;
    let blobs_file = dir.join("tables").join("blobs.jsonl");
    let mut files = 0;
    let mut bytes = 0;
    for row in rows_of(&blobs_file)? {
        let row = row?;
        if let Some(sha256) = row["sha256"].as_str() {
            bytes += copy_file(&source, store, sha256).await?;
            files += 1;
        }
    }

    let mut rows = BTreeMap::new();
    for table in TABLES {
        let path = dir.join("tables").join(format!("{table}.jsonl"));
        let mut count = 0;
        for row in rows_of(&path)? {
            tables::insert_row(&mut tx, table, &row?).await?;
            count += 1;
        }
        if tables::has_self_references(table) {
            for row in rows_of(&path)? {
                tables::link_self_references(&mut tx, table, &row?).await?;
            }
        }
        if count != listed(table) {
            return Err(BackupFailure::Count {
                table: (*table).to_owned(),
                listed: listed(table),
                found: count,
            });
        }
        rows.insert((*table).to_owned(), count);
    }
    tx.commit().await?;
    Ok(Summary { rows, files, bytes })
}
