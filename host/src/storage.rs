//! Package blobs, content-addressed by SHA-256, on local disk or any S3-compatible store
//! (through opendal). A blob's key is derived from its hash, so writing is idempotent and a
//! blob is never overwritten with different bytes.

use std::ops::Range;
use std::time::Duration;

use opendal::{ErrorKind, Operator, services};
use spm_core::package::Integrity;

use crate::config::StorageConfig;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    #[error("storage: {0}")]
    Backend(#[from] opendal::Error),
    #[error("cannot create {path}: {source}")]
    Dir {
        path: String,
        source: std::io::Error,
    },
}

#[derive(Clone, Debug)]
pub struct Blobs {
    op: Operator,
    presign: bool,
}

/// `blobs/sha256/ab/ab12...ef.tar.gz`.
pub fn key(integrity: &Integrity) -> String {
    let hex = integrity.hex();
    format!("blobs/sha256/{}/{hex}.tar.gz", &hex[..2])
}

impl Blobs {
    pub fn open(cfg: &StorageConfig) -> Result<Blobs, StorageError> {
        let (op, presign) = match cfg {
            StorageConfig::Fs { root } => {
                std::fs::create_dir_all(root).map_err(|source| StorageError::Dir {
                    path: root.display().to_string(),
                    source,
                })?;
                let root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
                let tmp = root.join(".tmp");
                // Partial writes of a server that was killed mid-publish.
                if tmp.is_dir() {
                    let _ = std::fs::remove_dir_all(&tmp);
                }
                std::fs::create_dir_all(&tmp).map_err(|source| StorageError::Dir {
                    path: tmp.display().to_string(),
                    source,
                })?;
                let builder = services::Fs::default()
                    .root(&root.to_string_lossy())
                    .atomic_write_dir(&tmp.to_string_lossy());
                (Operator::new(builder)?.finish(), false)
            }
            StorageConfig::S3 {
                bucket,
                region,
                endpoint,
                access_key_id,
                secret_access_key,
                presign,
                prefix,
            } => {
                let mut b = services::S3::default()
                    .bucket(bucket)
                    .region(region)
                    .disable_config_load()
                    .disable_ec2_metadata();
                if let Some(p) = prefix {
                    b = b.root(p);
                }
                if let Some(e) = endpoint {
                    b = b.endpoint(e);
                }
                if let Some(k) = access_key_id {
                    b = b.access_key_id(k);
                }
                if let Some(s) = secret_access_key {
                    b = b.secret_access_key(s);
                }
                if access_key_id.is_none() {
                    b = b.allow_anonymous();
                }
                (Operator::new(b)?.finish(), *presign)
            }
        };
        Ok(Blobs { op, presign })
    }

    /// Stores an archive under its hash (a no-op when it is already there); true when this
    /// call wrote it.
    pub async fn put(&self, integrity: &Integrity, bytes: Vec<u8>) -> Result<bool, StorageError> {
        let key = key(integrity);
        if self.op.exists(&key).await? {
            return Ok(false);
        }
        let n = bytes.len();
        self.op.write(&key, bytes).await?;
        crate::metrics::blob_bytes("in", n);
        Ok(true)
    }

    /// Deletes a blob (a no-op when it is not there).
    pub async fn delete(&self, integrity: &Integrity) -> Result<(), StorageError> {
        self.op.delete(&key(integrity)).await?;
        Ok(())
    }

    /// The whole blob, or `None` when it is missing.
    pub async fn get(&self, integrity: &Integrity) -> Result<Option<Vec<u8>>, StorageError> {
        match self.op.read(&key(integrity)).await {
            Ok(buf) => {
                crate::metrics::blob_bytes("out", buf.len());
                Ok(Some(buf.to_vec()))
            }
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// A byte range of a blob.
    pub async fn get_range(
        &self,
        integrity: &Integrity,
        range: Range<u64>,
    ) -> Result<Option<Vec<u8>>, StorageError> {
        match self.op.read_with(&key(integrity)).range(range).await {
            Ok(buf) => {
                crate::metrics::blob_bytes("out", buf.len());
                Ok(Some(buf.to_vec()))
            }
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn size(&self, integrity: &Integrity) -> Result<Option<u64>, StorageError> {
        match self.op.stat(&key(integrity)).await {
            Ok(m) => Ok(Some(m.content_length())),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// A presigned download URL, when the store supports it and presigning is enabled.
    pub async fn presigned_url(&self, integrity: &Integrity) -> Option<String> {
        if !self.presign {
            return None;
        }
        let req = self
            .op
            .presign_read(&key(integrity), Duration::from_secs(900))
            .await
            .ok()?;
        Some(req.uri().to_string())
    }

    /// Overwrites a blob's bytes. Only for tests that simulate storage tampering.
    #[doc(hidden)]
    pub async fn overwrite_for_tests(
        &self,
        integrity: &Integrity,
        bytes: Vec<u8>,
    ) -> Result<(), StorageError> {
        self.op.write(&key(integrity), bytes).await?;
        Ok(())
    }

    /// Whether the store answers (for `/readyz`).
    pub async fn check(&self) -> Result<(), StorageError> {
        match self.op.stat("blobs/").await {
            Ok(_) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}
