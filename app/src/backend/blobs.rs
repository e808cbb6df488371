//! Where evidence bytes live. Files are named by the SHA-256 of their content,
//! so the same file uploaded twice is stored once. Uploads are written to a
//! temporary file while they arrive, hashed on the way, and only moved into
//! place once complete; nothing holds a whole file in memory.
//!
//! `BlobStore` is the seam between the app and where files live: `LocalStore`
//! keeps them under a directory, by default `<data dir>/evidence`; `S3Store`
//! (module `s3`) in an S3-compatible bucket. Both receive an upload into a
//! local temporary file first, so only a complete, hashed file is kept.

use sha2::{Digest, Sha256};
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use tokio::fs::{self, File};
use tokio::io::{AsyncRead, AsyncWriteExt, BufWriter};

mod s3;
pub use s3::{S3Config, S3Store};

/// How many leading bytes are kept for sniffing the content type.
const HEAD_BYTES: usize = 64 * 1024;

pub type BlobReader = Pin<Box<dyn AsyncRead + Send>>;

#[async_trait::async_trait]
pub trait BlobStore: Send + Sync + 'static {
    /// Starts receiving a new file of at most `limit` bytes.
    async fn receive(&self, limit: u64) -> io::Result<Incoming>;
    /// Makes a completely received file permanent under its hash.
    async fn keep(&self, received: Received) -> io::Result<()>;
    /// Opens a stored file for reading.
    async fn open(&self, sha256: &str) -> io::Result<BlobReader>;
    /// Every stored file, for the sweep.
    async fn list(&self) -> io::Result<Vec<StoredFile>>;
    /// Removes a stored file (the sweep, for files no row names).
    async fn remove(&self, sha256: &str) -> io::Result<()>;
    /// Removes unfinished uploads older than `older_than` (left by a crash);
    /// returns how many. Younger ones may still be arriving.
    async fn sweep_temporaries(&self, older_than: std::time::Duration) -> io::Result<usize>;
    /// Whether the store can be used now (for `/readyz`): the directory is
    /// there, or the bucket answers with these credentials.
    async fn check(&self) -> io::Result<()>;
}

/// A file in the store, as the sweep sees it.
#[derive(Clone, Debug)]
pub struct StoredFile {
    pub sha256: String,
    pub size: u64,
    pub modified: std::time::SystemTime,
}

/// A file being received: written to a temporary file and hashed as it comes.
pub struct Incoming {
    writer: BufWriter<File>,
    temp: TempFile,
    hasher: Sha256,
    size: u64,
    limit: u64,
    head: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReceiveError {
    #[error("the file is larger than the limit")]
    TooLarge,
    #[error(transparent)]
    Io(#[from] io::Error),
}

impl Incoming {
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), ReceiveError> {
        self.size += chunk.len() as u64;
        if self.size > self.limit {
            return Err(ReceiveError::TooLarge);
        }
        if self.head.len() < HEAD_BYTES {
            let room = HEAD_BYTES - self.head.len();
            self.head.extend_from_slice(&chunk[..chunk.len().min(room)]);
        }
        self.hasher.update(chunk);
        self.writer.write_all(chunk).await?;
        Ok(())
    }

    pub async fn finish(mut self) -> io::Result<Received> {
        self.writer.flush().await?;
        self.writer.get_mut().sync_all().await?;
        Ok(Received {
            sha256: hex(&self.hasher.finalize()),
            size: self.size,
            head: self.head,
            temp: self.temp,
        })
    }
}

/// A complete file, not yet kept: dropping it removes the temporary file.
pub struct Received {
    pub sha256: String,
    pub size: u64,
    /// The first bytes, for sniffing the type.
    pub head: Vec<u8>,
    temp: TempFile,
}

impl Received {
    /// The content type sniffed from the bytes (never from the name). A ZIP
    /// is opened and judged by what it declares (Office Open XML, OpenDocument):
    /// the first bytes of a document depend on the program that wrote it.
    pub async fn sniffed_type(&self) -> Option<&'static str> {
        if !self.head.starts_with(b"PK\x03\x04") {
            return infer::get(&self.head).map(|kind| kind.mime_type());
        }
        let path = self.temp.0.clone()?;
        tokio::task::spawn_blocking(move || container_type_of(&path))
            .await
            .ok()
            .flatten()
    }
}

/// The largest `[Content_Types].xml` or `mimetype` read from a container.
const DECLARATION_LIMIT: u64 = 1024 * 1024;

fn container_type_of(path: &Path) -> Option<&'static str> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).ok()?).ok()?;
    let entries: Vec<String> = archive
        .file_names()
        .collect::<Result<Vec<_>, _>>()
        .ok()?
        .into_iter()
        .map(|name| name.into_owned())
        .collect();
    let mut read = |name: &str| -> Option<String> {
        let entry = archive.by_name(name).ok()?;
        let mut text = String::new();
        entry
            .take(DECLARATION_LIMIT)
            .read_to_string(&mut text)
            .ok()?;
        Some(text)
    };
    let content_types = read("[Content_Types].xml");
    let mimetype = read("mimetype");
    crate::domain::evidence::container_type(&crate::domain::evidence::Container {
        entries: &entries,
        content_types: content_types.as_deref(),
        mimetype: mimetype.as_deref(),
    })
}

/// Removes its file when dropped, unless it was moved into place.
struct TempFile(Option<PathBuf>);

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.0.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn is_hash(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// The directory uploads arrive in before they are kept.
struct Staging {
    dir: PathBuf,
}

impl Staging {
    async fn new(dir: PathBuf) -> io::Result<Self> {
        fs::create_dir_all(&dir).await?;
        Ok(Staging { dir })
    }

    async fn receive(&self, limit: u64) -> io::Result<Incoming> {
        let path = self.dir.join(uuid::Uuid::new_v4().to_string());
        let file = File::create(&path).await?;
        Ok(Incoming {
            writer: BufWriter::with_capacity(64 * 1024, file),
            temp: TempFile(Some(path)),
            hasher: Sha256::new(),
            size: 0,
            limit,
            head: Vec::new(),
        })
    }

    async fn sweep(&self, older_than: std::time::Duration) -> io::Result<usize> {
        let mut removed = 0;
        let mut entries = fs::read_dir(&self.dir).await?;
        while let Some(entry) = entries.next_entry().await? {
            let age = entry
                .metadata()
                .await?
                .modified()?
                .elapsed()
                .unwrap_or_default();
            if age >= older_than {
                fs::remove_file(entry.path()).await?;
                removed += 1;
            }
        }
        Ok(removed)
    }
}

pub struct LocalStore {
    root: PathBuf,
    staging: Staging,
}

impl LocalStore {
    pub async fn new(root: impl AsRef<Path>) -> io::Result<Self> {
        let root = root.as_ref().to_path_buf();
        let staging = Staging::new(root.join("tmp")).await?;
        Ok(LocalStore { root, staging })
    }

    fn path(&self, sha256: &str) -> PathBuf {
        self.root.join(&sha256[..2]).join(sha256)
    }
}

#[async_trait::async_trait]
impl BlobStore for LocalStore {
    async fn receive(&self, limit: u64) -> io::Result<Incoming> {
        self.staging.receive(limit).await
    }

    async fn keep(&self, mut received: Received) -> io::Result<()> {
        let target = self.path(&received.sha256);
        if fs::try_exists(&target).await? {
            return Ok(());
        }
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).await?;
        }
        if let Some(temp) = received.temp.0.take() {
            fs::rename(&temp, &target).await?;
        }
        Ok(())
    }

    async fn open(&self, sha256: &str) -> io::Result<BlobReader> {
        if !is_hash(sha256) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a SHA-256"));
        }
        Ok(Box::pin(File::open(self.path(sha256)).await?))
    }

    async fn list(&self) -> io::Result<Vec<StoredFile>> {
        let mut files = Vec::new();
        let mut folders = fs::read_dir(&self.root).await?;
        while let Some(folder) = folders.next_entry().await? {
            let name = folder.file_name().to_string_lossy().into_owned();
            if name.len() != 2 || !folder.file_type().await?.is_dir() {
                continue;
            }
            let mut entries = fs::read_dir(folder.path()).await?;
            while let Some(entry) = entries.next_entry().await? {
                let sha256 = entry.file_name().to_string_lossy().into_owned();
                if !is_hash(&sha256) {
                    continue;
                }
                let metadata = entry.metadata().await?;
                files.push(StoredFile {
                    sha256,
                    size: metadata.len(),
                    modified: metadata.modified()?,
                });
            }
        }
        Ok(files)
    }

    async fn remove(&self, sha256: &str) -> io::Result<()> {
        if !is_hash(sha256) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a SHA-256"));
        }
        fs::remove_file(self.path(sha256)).await
    }

    async fn sweep_temporaries(&self, older_than: std::time::Duration) -> io::Result<usize> {
        self.staging.sweep(older_than).await
    }

    async fn check(&self) -> io::Result<()> {
        let metadata = fs::metadata(&self.staging.dir).await?;
        if metadata.permissions().readonly() {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "the evidence directory is read-only",
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    async fn store() -> (LocalStore, PathBuf) {
        let dir = std::env::temp_dir().join(format!("zi-store-{}", uuid::Uuid::new_v4()));
        (LocalStore::new(&dir).await.unwrap(), dir)
    }

    async fn put(store: &LocalStore, parts: &[&[u8]]) -> String {
        let mut incoming = store.receive(1024).await.unwrap();
        for part in parts {
            incoming.write(part).await.unwrap();
        }
        let received = incoming.finish().await.unwrap();
        let sha = received.sha256.clone();
        store.keep(received).await.unwrap();
        sha
    }

    #[tokio::test]
    async fn the_same_content_is_stored_once_under_its_hash() {
        let (store, dir) = store().await;
        let first = put(&store, &[b"hello ", b"world"]).await;
        let second = put(&store, &[b"hello world"]).await;
        assert_eq!(first, second);
        assert_eq!(
            first,
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
        let mut text = String::new();
        store
            .open(&first)
            .await
            .unwrap()
            .read_to_string(&mut text)
            .await
            .unwrap();
        assert_eq!(text, "hello world");
        let leftovers = std::fs::read_dir(dir.join("tmp")).unwrap().count();
        assert_eq!(leftovers, 0, "temporary files are cleaned up");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn an_oversized_upload_is_cut_off_and_leaves_nothing() {
        let (store, dir) = store().await;
        let mut incoming = store.receive(10).await.unwrap();
        incoming.write(b"0123456789").await.unwrap();
        assert!(matches!(
            incoming.write(b"x").await,
            Err(ReceiveError::TooLarge)
        ));
        drop(incoming);
        assert_eq!(std::fs::read_dir(dir.join("tmp")).unwrap().count(), 0);
        assert!(store.open("../../etc/passwd").await.is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn types_come_from_the_bytes() {
        let (store, dir) = store().await;
        let mut incoming = store.receive(1024).await.unwrap();
        incoming.write(b"%PDF-1.7\n%fake but typed").await.unwrap();
        assert_eq!(
            incoming.finish().await.unwrap().sniffed_type().await,
            Some("application/pdf")
        );
        let mut incoming = store.receive(1024).await.unwrap();
        incoming
            .write(b"<html><script>alert(1)</script>")
            .await
            .unwrap();
        assert_ne!(
            incoming.finish().await.unwrap().sniffed_type().await,
            Some("application/pdf")
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
