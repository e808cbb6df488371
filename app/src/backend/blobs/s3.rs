//! Evidence in an S3-compatible bucket (AWS S3, MinIO, Ceph, the S3 of a
//! cloud provider), through the `object_store` crate.
//!
//! An upload arrives in a local temporary file and is hashed on the way, as in
//! the local store; `keep` then streams that file to the bucket: a single PUT
//! below [`PART_SIZE`], a multipart upload of `PART_SIZE` parts above it, at
//! most [`PARTS_IN_FLIGHT`] at a time, so a 30 MB file never sits in memory.
//! A file already in the bucket (the same hash) is not sent again. `open`
//! streams the object back.
//!
//! Keys are `<prefix>/<first two hex digits>/<sha256>`, like the local store's
//! folders (without a prefix: `<first two>/<sha256>`).

use super::{is_hash, BlobReader, BlobStore, Incoming, Received, Staging, StoredFile};
use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::buffered::BufWriter;
use object_store::path::Path as Key;
use object_store::{ClientOptions, ObjectStore, ObjectStoreExt, RetryConfig};
use std::io;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio_util::io::StreamReader;

/// Size of one part of a multipart upload (S3's smallest part is 5 MiB).
const PART_SIZE: usize = 5 * 1024 * 1024;
/// Parts sent at once: with the part being filled, an upload holds at most
/// `(PARTS_IN_FLIGHT + 1) * PART_SIZE` bytes in memory, whatever the file size.
const PARTS_IN_FLIGHT: usize = 2;
/// How long `/readyz` waits for the bucket.
const CHECK_TIMEOUT: Duration = Duration::from_secs(5);

/// Where the bucket is and how to reach it (`ZI_S3_*`). No `Debug`: it holds the secret.
#[derive(Clone, Default)]
pub struct S3Config {
    /// `https://s3.example.go.id`, `http://127.0.0.1:9000`; none: AWS for the region.
    pub endpoint: Option<String>,
    pub bucket: String,
    pub region: String,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    /// Keys start with this (`evidence`); empty: at the bucket's root.
    pub prefix: String,
    /// `endpoint/bucket/key` (MinIO, Ceph, most S3-compatible services)
    /// rather than `bucket.endpoint/key`.
    pub path_style: bool,
}

impl S3Config {
    /// The prefix without leading or trailing slashes.
    fn clean_prefix(&self) -> String {
        self.prefix.trim_matches('/').to_owned()
    }
}

pub struct S3Store {
    bucket: Arc<dyn ObjectStore>,
    prefix: String,
    staging: Staging,
    name: String,
}

impl S3Store {
    /// A store in the configured bucket; uploads arrive in `staging` first.
    /// Nothing is asked of the bucket yet: an unreachable one shows in
    /// [`BlobStore::check`] and in the uploads that fail.
    pub async fn new(config: &S3Config, staging: PathBuf) -> io::Result<Self> {
        let bucket = client(config).map_err(|err| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("the S3 settings are not usable: {err}"),
            )
        })?;
        Ok(S3Store {
            bucket: Arc::new(bucket),
            prefix: config.clean_prefix(),
            staging: Staging::new(staging).await?,
            name: format!(
                "s3 bucket {} at {}",
                config.bucket,
                config.endpoint.as_deref().unwrap_or("AWS")
            ),
        })
    }

    fn key(&self, sha256: &str) -> Key {
        let name = format!("{}/{sha256}", &sha256[..2]);
        if self.prefix.is_empty() {
            Key::from(name)
        } else {
            Key::from(format!("{}/{name}", self.prefix))
        }
    }

    fn root(&self) -> Option<Key> {
        (!self.prefix.is_empty()).then(|| Key::from(self.prefix.as_str()))
    }

    /// The hash an object's key names, if it is one of ours.
    fn hash_of(&self, key: &Key) -> Option<String> {
        let mut parts: Vec<_> = key.parts().collect();
        let name = parts.pop()?;
        let folder = parts.pop()?;
        let name = name.as_ref();
        (is_hash(name) && folder.as_ref() == &name[..2]).then(|| name.to_owned())
    }

    /// Streams a received file to `key`.
    async fn upload(&self, key: Key, received: &Received) -> io::Result<()> {
        let path = received
            .temp
            .0
            .as_ref()
            .ok_or_else(|| io::Error::other("the received file is gone"))?;
        let mut file = tokio::fs::File::open(path).await?;
        let mut writer = BufWriter::with_capacity(Arc::clone(&self.bucket), key, PART_SIZE)
            .with_max_concurrency(PARTS_IN_FLIGHT);
        if let Err(err) = tokio::io::copy(&mut file, &mut writer).await {
            // Parts already sent would otherwise wait in the bucket, billed,
            // until a lifecycle rule removes them.
            if let Err(abort) = writer.abort().await {
                tracing::warn!(%abort, "could not abort an unfinished multipart upload");
            }
            return Err(err);
        }
        // A failed completion is aborted by the writer itself.
        writer.shutdown().await?;
        Ok(())
    }
}

impl std::fmt::Display for S3Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

fn client(config: &S3Config) -> object_store::Result<AmazonS3> {
    let mut builder = AmazonS3Builder::new()
        .with_bucket_name(&config.bucket)
        .with_region(&config.region)
        .with_virtual_hosted_style_request(!config.path_style)
        // A stopped store is reported within seconds, not after minutes of retries.
        .with_retry(RetryConfig {
            max_retries: 2,
            retry_timeout: Duration::from_secs(15),
            ..RetryConfig::default()
        })
        .with_client_options(
            ClientOptions::new()
                .with_connect_timeout(Duration::from_secs(5))
                .with_timeout(Duration::from_secs(120)),
        );
    if let Some(endpoint) = &config.endpoint {
        builder = builder
            .with_endpoint(endpoint)
            .with_allow_http(endpoint.starts_with("http://"));
    }
    if let Some(key) = &config.access_key_id {
        builder = builder.with_access_key_id(key);
    }
    if let Some(secret) = &config.secret_access_key {
        builder = builder.with_secret_access_key(secret);
    }
    builder.build()
}

fn io_error(err: object_store::Error) -> io::Error {
    match err {
        object_store::Error::NotFound { .. } => io::Error::new(io::ErrorKind::NotFound, err),
        err => io::Error::other(err),
    }
}

fn not_a_hash() -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, "not a SHA-256")
}

#[async_trait::async_trait]
impl BlobStore for S3Store {
    async fn receive(&self, limit: u64) -> io::Result<Incoming> {
        self.staging.receive(limit).await
    }

    /// Sends the file unless the bucket has it already; the temporary file
    /// goes when `received` is dropped.
    async fn keep(&self, received: Received) -> io::Result<()> {
        if !is_hash(&received.sha256) {
            return Err(not_a_hash());
        }
        let key = self.key(&received.sha256);
        match self.bucket.head(&key).await {
            Ok(meta) if meta.size == received.size => return Ok(()),
            Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
            Err(err) => return Err(io_error(err)),
        }
        self.upload(key, &received).await
    }

    async fn open(&self, sha256: &str) -> io::Result<BlobReader> {
        if !is_hash(sha256) {
            return Err(not_a_hash());
        }
        let object = self.bucket.get(&self.key(sha256)).await.map_err(io_error)?;
        let stream = object.into_stream().map_err(io_error);
        Ok(Box::pin(StreamReader::new(stream)))
    }

    async fn list(&self) -> io::Result<Vec<StoredFile>> {
        let mut files = Vec::new();
        let mut objects = self.bucket.list(self.root().as_ref());
        while let Some(object) = objects.next().await {
            let object = object.map_err(io_error)?;
            if let Some(sha256) = self.hash_of(&object.location) {
                files.push(StoredFile {
                    sha256,
                    size: object.size,
                    modified: object.last_modified.into(),
                });
            }
        }
        Ok(files)
    }

    async fn remove(&self, sha256: &str) -> io::Result<()> {
        if !is_hash(sha256) {
            return Err(not_a_hash());
        }
        self.bucket
            .delete(&self.key(sha256))
            .await
            .map_err(io_error)
    }

    async fn sweep_temporaries(&self, older_than: Duration) -> io::Result<usize> {
        self.staging.sweep(older_than).await
    }

    /// Lists the top of the prefix: this fails for an unreachable endpoint, a
    /// missing bucket and refused credentials alike.
    async fn check(&self) -> io::Result<()> {
        let listed = tokio::time::timeout(
            CHECK_TIMEOUT,
            self.bucket.list_with_delimiter(self.root().as_ref()),
        )
        .await
        .map_err(|_| {
            io::Error::new(
                io::ErrorKind::TimedOut,
                format!("{self} did not answer within {CHECK_TIMEOUT:?}"),
            )
        })?;
        listed
            .map(drop)
            .map_err(|err| io::Error::other(format!("{self}: {err}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store(prefix: &str) -> S3Store {
        let config = S3Config {
            endpoint: Some("http://127.0.0.1:1".to_owned()),
            bucket: "zi".to_owned(),
            region: "us-east-1".to_owned(),
            prefix: prefix.to_owned(),
            path_style: true,
            ..S3Config::default()
        };
        let staging = std::env::temp_dir().join(format!("zi-s3-{}", uuid::Uuid::new_v4()));
        S3Store::new(&config, staging).await.unwrap()
    }

    #[tokio::test]
    async fn keys_are_the_prefix_a_folder_and_the_hash() {
        let hash = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";
        let prefixed = store("/evidence/").await;
        let key = prefixed.key(hash);
        assert_eq!(key.as_ref(), format!("evidence/b9/{hash}"));
        assert_eq!(prefixed.hash_of(&key).as_deref(), Some(hash));
        assert_eq!(
            prefixed.hash_of(&Key::from(format!("evidence/ab/{hash}"))),
            None
        );
        assert_eq!(prefixed.hash_of(&Key::from("evidence/b9/notes.txt")), None);
        let flat = store("").await;
        assert_eq!(flat.key(hash).as_ref(), format!("b9/{hash}"));
        assert!(flat.open("../etc/passwd").await.is_err());
    }
}
