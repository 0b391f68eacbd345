//! Extracting an archive that came over the network, without trusting it.
//!
//! Refused: absolute paths, `..`, links of any kind, devices and pipes, duplicate paths,
//! entries or totals over [`UnpackLimits`], and gzip bombs (inflated size or ratio past a
//! bound, detected while inflating, before the bytes are written). Extraction goes into a
//! fresh temporary directory beside the destination, renamed into place only when every
//! entry passed; on any error the temporary directory is removed and nothing is left.

use std::cell::Cell;
use std::collections::BTreeSet;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use super::limits::{UnpackLimits, human_bytes};

#[derive(Debug, thiserror::Error)]
pub enum UnpackError {
    #[error("the archive is {size}; the limit is {limit}")]
    ArchiveTooLarge { size: String, limit: String },
    #[error("the archive is not a valid .tar.gz: {0}")]
    Corrupt(String),
    #[error("entry `{0}` has an absolute path")]
    AbsolutePath(String),
    #[error("entry `{0}` climbs out of the package with `..`")]
    ParentDir(String),
    #[error(
        "entry `{0}` has a path that is not allowed (empty, not UTF-8, or holding `\\`, `:` or NUL)"
    )]
    BadPath(String),
    #[error("entry `{path}` is a {kind}; packages may hold only regular files and directories")]
    NotAFile { path: String, kind: &'static str },
    #[error("entry `{0}` appears more than once")]
    Duplicate(String),
    #[error("entry `{path}` is {size}; the limit for one file is {limit}")]
    FileTooLarge {
        path: String,
        size: String,
        limit: String,
    },
    #[error("the archive has more than {0} entries")]
    TooManyEntries(usize),
    #[error("the archive inflates past {limit}; refusing it as a possible gzip bomb")]
    UnpackedTooLarge { limit: String },
    #[error(
        "the archive inflates more than {ratio}x its compressed size; refusing it as a possible gzip bomb"
    )]
    RatioTooHigh { ratio: u64 },
    #[error("{} already exists", .0.display())]
    DestinationExists(PathBuf),
    #[error("cannot write {}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
}

/// What an unpack wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unpacked {
    /// `/`-separated paths of the regular files, sorted.
    pub files: Vec<String>,
    /// Sum of the file sizes.
    pub size: u64,
}

/// Which bound the inflating reader crossed, read back after tar reports the I/O error.
#[derive(Clone, Copy)]
enum Breach {
    Total,
    Ratio,
}

/// Counts inflated bytes and fails the read as soon as a bound is crossed.
struct Guard<R> {
    inner: R,
    count: u64,
    packed: u64,
    limits: UnpackLimits,
    breach: Rc<Cell<Option<Breach>>>,
}

impl<R: Read> Read for Guard<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count += n as u64;
        let breach = if self.count > self.limits.max_unpacked_bytes {
            Some(Breach::Total)
        } else if self.count > self.limits.ratio_grace_bytes
            && self.count > self.packed.saturating_mul(self.limits.max_ratio)
        {
            Some(Breach::Ratio)
        } else {
            None
        };
        if let Some(b) = breach {
            self.breach.set(Some(b));
            return Err(io::Error::other("inflation bound crossed"));
        }
        Ok(n)
    }
}

/// Unpacks `archive` into `dest`, which must not exist yet; its parent is created if needed.
pub fn unpack(archive: &[u8], dest: &Path, limits: &UnpackLimits) -> Result<Unpacked, UnpackError> {
    check_packed_size(archive, limits)?;
    if dest.exists() {
        return Err(UnpackError::DestinationExists(dest.to_path_buf()));
    }
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|source| UnpackError::Io {
        path: parent.clone(),
        source,
    })?;
    let tmp = tempfile::Builder::new()
        .prefix(".spm-unpack-")
        .tempdir_in(&parent)
        .map_err(|source| UnpackError::Io {
            path: parent.clone(),
            source,
        })?;
    let unpacked = extract(archive, &mut DiskSink(tmp.path()), limits)?;
    let staged = tmp.keep();
    std::fs::rename(&staged, dest).map_err(|source| {
        let _ = std::fs::remove_dir_all(&staged);
        UnpackError::Io {
            path: dest.to_path_buf(),
            source,
        }
    })?;
    Ok(unpacked)
}

/// Where the entries of an archive go: a directory on disk, or memory.
trait Sink {
    fn dir(&mut self, rel: &str) -> Result<(), UnpackError>;
    /// Copies at most `max + 1` bytes of `data` and returns how many were copied.
    fn file(
        &mut self,
        rel: &str,
        data: &mut dyn Read,
        max: u64,
        mode: u32,
    ) -> Result<u64, io::Error>;
}

struct DiskSink<'a>(&'a Path);

impl Sink for DiskSink<'_> {
    fn dir(&mut self, rel: &str) -> Result<(), UnpackError> {
        std::fs::create_dir_all(self.0.join(rel)).map_err(|source| UnpackError::Io {
            path: PathBuf::from(rel),
            source,
        })
    }

    fn file(
        &mut self,
        rel: &str,
        data: &mut dyn Read,
        max: u64,
        mode: u32,
    ) -> Result<u64, io::Error> {
        let target = self.0.join(rel);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut out = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)?;
        let written = io::copy(&mut data.take(max + 1), &mut out)?;
        set_mode(&target, mode)?;
        Ok(written)
    }
}

/// The files of an archive read into memory: `/`-separated path → bytes.
pub type Files = std::collections::BTreeMap<String, Vec<u8>>;

#[derive(Default)]
struct MemorySink(Files);

impl Sink for MemorySink {
    fn dir(&mut self, _rel: &str) -> Result<(), UnpackError> {
        Ok(())
    }

    fn file(
        &mut self,
        rel: &str,
        data: &mut dyn Read,
        max: u64,
        _mode: u32,
    ) -> Result<u64, io::Error> {
        let mut buf = Vec::new();
        let n = data.take(max + 1).read_to_end(&mut buf)?;
        self.0.insert(rel.to_string(), buf);
        Ok(n as u64)
    }
}

/// Reads every file of an untrusted archive into memory, with the same checks as [`unpack`].
pub fn read_archive(archive: &[u8], limits: &UnpackLimits) -> Result<Files, UnpackError> {
    check_packed_size(archive, limits)?;
    let mut sink = MemorySink::default();
    extract(archive, &mut sink, limits)?;
    Ok(sink.0)
}

fn check_packed_size(archive: &[u8], limits: &UnpackLimits) -> Result<(), UnpackError> {
    if archive.len() as u64 > limits.max_packed_bytes {
        return Err(UnpackError::ArchiveTooLarge {
            size: human_bytes(archive.len() as u64),
            limit: human_bytes(limits.max_packed_bytes),
        });
    }
    Ok(())
}

fn extract(
    archive: &[u8],
    sink: &mut dyn Sink,
    limits: &UnpackLimits,
) -> Result<Unpacked, UnpackError> {
    let breach = Rc::new(Cell::new(None));
    let guard = Guard {
        inner: flate2::read::GzDecoder::new(archive),
        count: 0,
        packed: archive.len() as u64,
        limits: *limits,
        breach: breach.clone(),
    };
    let read_error = |e: io::Error| match breach.get() {
        Some(Breach::Total) => UnpackError::UnpackedTooLarge {
            limit: human_bytes(limits.max_unpacked_bytes),
        },
        Some(Breach::Ratio) => UnpackError::RatioTooHigh {
            ratio: limits.max_ratio,
        },
        None => UnpackError::Corrupt(e.to_string()),
    };
    let mut tar = tar::Archive::new(guard);
    let mut seen = BTreeSet::new();
    let mut files = Vec::new();
    let mut size = 0u64;
    for entry in tar.entries().map_err(read_error)? {
        let mut entry = entry.map_err(read_error)?;
        if seen.len() >= limits.max_files {
            return Err(UnpackError::TooManyEntries(limits.max_files));
        }
        let raw = entry.path_bytes().into_owned();
        let rel = check_path(&raw)?;
        let kind = entry.header().entry_type();
        let is_dir = match kind {
            tar::EntryType::Regular | tar::EntryType::Continuous => false,
            tar::EntryType::Directory => true,
            other => {
                return Err(UnpackError::NotAFile {
                    path: rel,
                    kind: kind_name(other),
                });
            }
        };
        if rel.is_empty() {
            if is_dir {
                continue; // `./` itself
            }
            return Err(UnpackError::BadPath(
                String::from_utf8_lossy(&raw).into_owned(),
            ));
        }
        if !seen.insert(rel.clone()) {
            return Err(UnpackError::Duplicate(rel));
        }
        if is_dir {
            sink.dir(&rel)?;
            continue;
        }
        let declared = entry
            .header()
            .size()
            .map_err(|e| UnpackError::Corrupt(e.to_string()))?;
        if declared > limits.max_file_bytes {
            return Err(UnpackError::FileTooLarge {
                path: rel,
                size: human_bytes(declared),
                limit: human_bytes(limits.max_file_bytes),
            });
        }
        let mode = entry.header().mode().unwrap_or(0o644);
        let written = sink
            .file(&rel, &mut entry, limits.max_file_bytes, mode)
            .map_err(|e| {
                if breach.get().is_some() {
                    read_error(e)
                } else if e.kind() == io::ErrorKind::UnexpectedEof {
                    UnpackError::Corrupt(e.to_string())
                } else {
                    UnpackError::Io {
                        path: PathBuf::from(&rel),
                        source: e,
                    }
                }
            })?;
        if written > limits.max_file_bytes {
            return Err(UnpackError::FileTooLarge {
                path: rel,
                size: format!("more than {}", human_bytes(limits.max_file_bytes)),
                limit: human_bytes(limits.max_file_bytes),
            });
        }
        size += written;
        files.push(rel);
    }
    // Read to the end so trailing garbage or a bomb hidden after the last entry is caught.
    io::copy(&mut tar.into_inner(), &mut io::sink()).map_err(read_error)?;
    files.sort();
    Ok(Unpacked { files, size })
}

/// Normalises an entry path to `a/b/c`, refusing anything that could escape or confuse.
fn check_path(raw: &[u8]) -> Result<String, UnpackError> {
    let shown = || String::from_utf8_lossy(raw).into_owned();
    let text = std::str::from_utf8(raw).map_err(|_| UnpackError::BadPath(shown()))?;
    if text.starts_with('/') {
        return Err(UnpackError::AbsolutePath(shown()));
    }
    let mut parts = Vec::new();
    for part in text.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err(UnpackError::ParentDir(shown())),
            p if p.contains(['\\', ':', '\0']) => return Err(UnpackError::BadPath(shown())),
            p => parts.push(p),
        }
    }
    Ok(parts.join("/"))
}

fn kind_name(t: tar::EntryType) -> &'static str {
    match t {
        tar::EntryType::Symlink => "symbolic link",
        tar::EntryType::Link => "hard link",
        tar::EntryType::Char => "character device",
        tar::EntryType::Block => "block device",
        tar::EntryType::Fifo => "named pipe",
        tar::EntryType::GNUSparse => "sparse file",
        _ => "special entry",
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = if mode & 0o111 != 0 { 0o755 } else { 0o644 };
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}
