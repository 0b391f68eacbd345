//! Why a skill folder cannot be packed: one error type shared by selection and packing.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("{} is not a directory", .0.display())]
    NotADirectory(PathBuf),
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} has a name that is not valid UTF-8; rename it", .0.display())]
    NonUtf8Path(PathBuf),
    #[error("`{path}` is a symbolic link (to {}); skills may not contain links. Copy the file in, or add it to .skillignore", target.display())]
    Symlink { path: String, target: PathBuf },
    #[error(
        "`{0}` is not a regular file (a socket, device or pipe); remove it or add it to .skillignore"
    )]
    SpecialFile(String),
    #[error(
        "`{path}` is {size}; the limit for one file is {limit}. Add it to .skillignore or make it smaller"
    )]
    FileTooLarge {
        path: String,
        size: String,
        limit: String,
    },
    #[error("the skill has more than {limit} files; add unneeded ones to .skillignore")]
    TooManyFiles { limit: usize },
    #[error(
        "the packed skill is {size}; the limit is {limit}. Leave large files out with .skillignore"
    )]
    PackedTooLarge { size: String, limit: String },
    #[error("bad .skillignore: {0}")]
    Ignore(String),
    #[error("{} changed while it was being packed; try again", .0.display())]
    Changed(PathBuf),
}

impl PackError {
    pub(crate) fn io(path: &Path, source: std::io::Error) -> Self {
        PackError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}
