//! Where skills are installed and recorded: a project (`spm.json`, `skills.lock`,
//! `.spm/skills/<author>/<name>/`) or the global install (`~/.spm/installed/...`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::home;

pub const MANIFEST: &str = "spm.json";
pub const LOCKFILE: &str = "skills.lock";

/// The direct dependencies a project asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    #[serde(default)]
    pub dependencies: BTreeMap<String, String>,
    /// Keys other tools keep in spm.json, preserved on rewrite.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Locked {
    pub version: String,
    /// Where the archive was downloaded from.
    pub resolved: String,
    pub integrity: String,
    /// The registry's URL.
    pub registry: String,
    #[serde(default)]
    pub dependencies: BTreeMap<String, String>,
}

/// `skills.lock`: every installed skill, sorted by name so it diffs well.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lockfile {
    pub lock_version: u32,
    pub generated: String,
    pub skills: BTreeMap<String, Locked>,
}

impl Default for Lockfile {
    fn default() -> Self {
        Lockfile {
            lock_version: 1,
            generated: concat!("spm ", env!("CARGO_PKG_VERSION")).into(),
            skills: BTreeMap::new(),
        }
    }
}

/// What `spm` recorded about each installed skill's files, for `spm verify`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallState {
    pub skills: BTreeMap<String, InstalledSkill>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstalledSkill {
    pub version: String,
    pub integrity: String,
    /// Path → `sha256-<hex>` of each file as unpacked.
    pub files: BTreeMap<String, String>,
}

/// One place skills are installed to.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    pub manifest_path: PathBuf,
    pub lock_path: PathBuf,
    pub install_dir: PathBuf,
    pub state_path: PathBuf,
}

impl Project {
    /// The project around the current directory (the nearest ancestor with spm.json or
    /// skills.lock, else the current directory), or the global install with `global`.
    pub fn locate(global: bool) -> anyhow::Result<Project> {
        if global {
            let h = home::home()?;
            return Ok(Project {
                manifest_path: h.join(MANIFEST),
                lock_path: h.join(LOCKFILE),
                install_dir: h.join("installed"),
                state_path: h.join("installed").join(".spm-state.json"),
                root: h,
            });
        }
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let root = cwd
            .ancestors()
            .find(|d| d.join(MANIFEST).is_file() || d.join(LOCKFILE).is_file())
            .unwrap_or(&cwd)
            .to_path_buf();
        Ok(Project::at(&root))
    }

    pub fn at(root: &Path) -> Project {
        Project {
            manifest_path: root.join(MANIFEST),
            lock_path: root.join(LOCKFILE),
            install_dir: root.join(".spm").join("skills"),
            state_path: root.join(".spm").join("state.json"),
            root: root.to_path_buf(),
        }
    }

    pub fn skill_dir(&self, id: &str) -> PathBuf {
        let (author, name) = id.split_once('/').unwrap_or(("", id));
        self.install_dir.join(author).join(name)
    }

    pub fn manifest(&self) -> anyhow::Result<Manifest> {
        read_json(&self.manifest_path).map(Option::unwrap_or_default)
    }

    pub fn lockfile(&self) -> anyhow::Result<Option<Lockfile>> {
        let lock: Option<Lockfile> = read_json(&self.lock_path)?;
        if let Some(l) = &lock {
            anyhow::ensure!(
                l.lock_version == 1,
                "{} has lock_version {}; this spm reads version 1",
                self.lock_path.display(),
                l.lock_version
            );
        }
        Ok(lock)
    }

    pub fn state(&self) -> anyhow::Result<InstallState> {
        read_json(&self.state_path).map(Option::unwrap_or_default)
    }

    pub fn save_manifest(&self, m: &Manifest) -> anyhow::Result<()> {
        write_json(&self.manifest_path, m)
    }

    pub fn save_lockfile(&self, l: &Lockfile) -> anyhow::Result<()> {
        write_json(&self.lock_path, l)
    }

    pub fn save_state(&self, s: &InstallState) -> anyhow::Result<()> {
        write_json(&self.state_path, s)
    }
}

fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> anyhow::Result<Option<T>> {
    match std::fs::read_to_string(path) {
        Ok(text) => serde_json::from_str(&text)
            .map(Some)
            .with_context(|| format!("{} is not valid", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Pretty JSON with a trailing newline, written atomically.
fn write_json<T: Serialize>(path: &Path, value: &T) -> anyhow::Result<()> {
    let dir = path.parent().context("no parent directory")?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, text.as_bytes())?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
