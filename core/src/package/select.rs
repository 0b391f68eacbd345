//! Choosing the files of a skill directory that go into its package.
//!
//! Rules, in order: directories and files that are always left out (`.git`, `node_modules`,
//! `.DS_Store`); secret files (`.env*`, keys, credentials), which no `.skillignore` can
//! bring back; then `.skillignore` files with gitignore semantics (nested ones apply below
//! their directory, deeper ones win, `!` re-includes). Symbolic links and special files
//! that are not left out are an error, never followed. Every left-out path is reported
//! with its reason.

use std::fmt;
use std::path::{Path, PathBuf};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};

use super::error::PackError;
use super::limits::{PackLimits, human_bytes};

/// Name of the ignore file read in every directory of a skill.
pub const IGNORE_FILE: &str = ".skillignore";

/// Names left out at any depth.
pub const ALWAYS_EXCLUDED: &[&str] = &[".git", "node_modules", ".DS_Store"];

/// Secret-looking paths (gitignore syntax), left out at any depth.
pub const SECRET_PATTERNS: &[&str] = &[
    ".env*",
    "*.pem",
    "*.key",
    "*.p12",
    "*.pfx",
    "*.jks",
    "id_rsa*",
    "id_ed25519*",
    "id_ecdsa*",
    ".npmrc",
    ".aws/",
    ".ssh/",
    ".docker/",
    "credentials.json",
    "service-account*.json",
];

/// A file that goes into the package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectedFile {
    /// Path inside the package, `/`-separated.
    pub rel: String,
    /// Path on disk.
    pub path: PathBuf,
    pub size: u64,
    pub executable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExcludeReason {
    /// One of [`ALWAYS_EXCLUDED`].
    Always,
    /// Matches one of [`SECRET_PATTERNS`].
    Secret { pattern: String },
    /// Matched a line of a `.skillignore`.
    Ignored {
        file: String,
        line: u64,
        pattern: String,
    },
}

impl fmt::Display for ExcludeReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExcludeReason::Always => f.write_str("always left out"),
            ExcludeReason::Secret { pattern } => {
                write!(f, "may hold secrets (matches `{pattern}`)")
            }
            ExcludeReason::Ignored {
                file,
                line,
                pattern,
            } => write!(f, "{file}:{line}: `{pattern}`"),
        }
    }
}

/// A path left out of the package (a directory stands for everything under it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excluded {
    pub rel: String,
    pub is_dir: bool,
    pub reason: ExcludeReason,
}

#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Sorted by `rel`.
    pub files: Vec<SelectedFile>,
    pub excluded: Vec<Excluded>,
    /// Files with a hard link outside the skill folder (more links than the skill holds): the
    /// packed content is shared with a file elsewhere, which is worth a warning.
    pub linked_outside: Vec<String>,
}

impl Selection {
    pub fn total_size(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }
}

/// Walks `root` and decides, for every path, whether it goes into the package.
pub fn select(root: &Path, limits: &PackLimits) -> Result<Selection, PackError> {
    let meta = std::fs::metadata(root).map_err(|e| PackError::io(root, e))?;
    if !meta.is_dir() {
        return Err(PackError::NotADirectory(root.to_path_buf()));
    }
    let secrets = secret_matcher(root)?;
    let mut walk = Walk {
        root,
        secrets,
        ignores: Vec::new(),
        out: Selection::default(),
        limits,
        links: Default::default(),
    };
    walk.dir(root, "")?;
    walk.out.files.sort_by(|a, b| a.rel.cmp(&b.rel));
    let mut linked: Vec<String> = walk
        .links
        .values()
        .filter(|(nlink, _, seen)| nlink > seen)
        .flat_map(|(_, rels, _)| rels.iter().cloned())
        .collect();
    linked.sort();
    walk.out.linked_outside = linked;
    Ok(walk.out)
}

fn secret_matcher(root: &Path) -> Result<Gitignore, PackError> {
    let mut b = GitignoreBuilder::new(root);
    for p in SECRET_PATTERNS {
        b.add_line(None, p)
            .map_err(|e| PackError::Ignore(e.to_string()))?;
    }
    b.build().map_err(|e| PackError::Ignore(e.to_string()))
}

struct Walk<'a> {
    root: &'a Path,
    secrets: Gitignore,
    /// `.skillignore` matchers from the root down to the current directory.
    ignores: Vec<Gitignore>,
    out: Selection,
    limits: &'a PackLimits,
    /// (device, inode) of files with more than one hard link → (link count, packed paths,
    /// links seen inside the skill).
    links: std::collections::HashMap<(u64, u64), (u64, Vec<String>, u64)>,
}

impl Walk<'_> {
    fn dir(&mut self, dir: &Path, rel_dir: &str) -> Result<(), PackError> {
        let pushed = self.push_ignore_file(dir)?;
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .map_err(|e| PackError::io(dir, e))?
            .collect::<Result<_, _>>()
            .map_err(|e| PackError::io(dir, e))?;
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            let name = entry.file_name();
            let name = name
                .to_str()
                .ok_or_else(|| PackError::NonUtf8Path(path.clone()))?;
            let rel = if rel_dir.is_empty() {
                name.to_string()
            } else {
                format!("{rel_dir}/{name}")
            };
            let meta = std::fs::symlink_metadata(&path).map_err(|e| PackError::io(&path, e))?;
            let is_dir = meta.is_dir();
            let excluded = self.exclusion(&path, name, is_dir);
            self.note_links(&meta, &rel, excluded.is_none());
            if let Some(reason) = excluded {
                self.out.excluded.push(Excluded {
                    rel,
                    is_dir,
                    reason,
                });
                continue;
            }
            let ft = meta.file_type();
            if ft.is_symlink() {
                let target = std::fs::read_link(&path).unwrap_or_default();
                return Err(PackError::Symlink { path: rel, target });
            }
            if is_dir {
                self.dir(&path, &rel)?;
            } else if ft.is_file() {
                self.file(path, rel, &meta)?;
            } else {
                return Err(PackError::SpecialFile(rel));
            }
        }
        if pushed {
            self.ignores.pop();
        }
        Ok(())
    }

    /// Remembers a file with several hard links: each link inside the skill counts (packed
    /// or not); only packed ones are reported.
    fn note_links(&mut self, meta: &std::fs::Metadata, rel: &str, packed: bool) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if meta.is_file() && meta.nlink() > 1 {
                let e = self.links.entry((meta.dev(), meta.ino())).or_insert((
                    meta.nlink(),
                    Vec::new(),
                    0,
                ));
                e.2 += 1;
                if packed {
                    e.1.push(rel.to_string());
                }
            }
        }
        #[cfg(not(unix))]
        let _ = (meta, rel, packed);
    }

    fn file(
        &mut self,
        path: PathBuf,
        rel: String,
        meta: &std::fs::Metadata,
    ) -> Result<(), PackError> {
        if meta.len() > self.limits.max_file_bytes {
            return Err(PackError::FileTooLarge {
                path: rel,
                size: human_bytes(meta.len()),
                limit: human_bytes(self.limits.max_file_bytes),
            });
        }
        if self.out.files.len() >= self.limits.max_files {
            return Err(PackError::TooManyFiles {
                limit: self.limits.max_files,
            });
        }
        self.out.files.push(SelectedFile {
            rel,
            path,
            size: meta.len(),
            executable: is_executable(meta),
        });
        Ok(())
    }

    fn push_ignore_file(&mut self, dir: &Path) -> Result<bool, PackError> {
        let file = dir.join(IGNORE_FILE);
        if !file.is_file() {
            return Ok(false);
        }
        let mut b = GitignoreBuilder::new(dir);
        if let Some(err) = b.add(&file) {
            return Err(PackError::Ignore(format!("{}: {err}", file.display())));
        }
        let gi = b
            .build()
            .map_err(|e| PackError::Ignore(format!("{}: {e}", file.display())))?;
        self.ignores.push(gi);
        Ok(true)
    }

    fn exclusion(&self, path: &Path, name: &str, is_dir: bool) -> Option<ExcludeReason> {
        if ALWAYS_EXCLUDED.contains(&name) {
            return Some(ExcludeReason::Always);
        }
        if let Match::Ignore(glob) = self.secrets.matched(path, is_dir) {
            return Some(ExcludeReason::Secret {
                pattern: glob.original().to_string(),
            });
        }
        for gi in self.ignores.iter().rev() {
            match gi.matched(path, is_dir) {
                Match::Ignore(glob) => {
                    let file = glob
                        .from()
                        .and_then(|f| f.strip_prefix(self.root).ok())
                        .map_or_else(
                            || IGNORE_FILE.to_string(),
                            |f| f.to_string_lossy().replace('\\', "/"),
                        );
                    let line = line_of(glob.from(), glob.original());
                    return Some(ExcludeReason::Ignored {
                        file,
                        line,
                        pattern: glob.original().to_string(),
                    });
                }
                Match::Whitelist(_) => return None,
                Match::None => {}
            }
        }
        None
    }
}

/// The 1-based line of `pattern` in the ignore file (the `ignore` crate keeps only the text).
fn line_of(file: Option<&Path>, pattern: &str) -> u64 {
    file.and_then(|f| std::fs::read_to_string(f).ok())
        .and_then(|text| text.lines().position(|l| l.trim() == pattern.trim()))
        .map_or(0, |i| i as u64 + 1)
}

#[cfg(unix)]
fn is_executable(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o111 != 0
}

#[cfg(not(unix))]
fn is_executable(_meta: &std::fs::Metadata) -> bool {
    false
}
