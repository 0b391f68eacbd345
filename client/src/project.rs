//! Where skills are installed and recorded: a project (`spm.json`, `skills.lock`,
//! `.spm/skills/<author>/<name>/`) or the global install (`~/.spm/installed/...`).
//!
//! A cloned repository's `spm.json` and `skills.lock` are untrusted input: every skill id in
//! them is parsed as `author/name` with the format's name rules when the file is read (an
//! error names the file and the entry), and every install path is built from a parsed id and
//! checked to stay inside the install root, never through a symbolic link.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Deserializer, Serialize};
use spm_core::skill::SkillId;

use crate::home;

pub const MANIFEST: &str = "spm.json";
pub const LOCKFILE: &str = "skills.lock";

/// The direct dependencies a project asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectManifest {
    #[serde(default, deserialize_with = "id_map")]
    pub dependencies: BTreeMap<SkillId, String>,
    /// The agents whose folders get a copy of every installed skill (`spm add --agent`);
    /// `None` until a choice is made, `[]` for none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agents: Option<Vec<String>>,
    /// Folder names in the agents' folders other than the skill's own name (`spm add --as`).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "id_map"
    )]
    pub folder_names: BTreeMap<SkillId, String>,
    /// Link the agents' folders to `.spm/skills` instead of copying (`spm add --link`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub link: bool,
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
    #[serde(default, deserialize_with = "id_map")]
    pub dependencies: BTreeMap<SkillId, String>,
    /// For a skill from a folder or GitHub: the source as `spm.json` names it (a ref, where
    /// `resolved` has the commit it pointed at).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// `skills.lock`: every installed skill, sorted by name so it diffs well.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lockfile {
    pub lock_version: u32,
    pub generated: String,
    #[serde(deserialize_with = "id_map")]
    pub skills: BTreeMap<SkillId, Locked>,
    /// The copies spm made in agents' folders, by folder (relative to the project root, or
    /// absolute for `-g`): which skill, and every file's `sha256-<hex>`. spm only ever
    /// replaces or removes what is recorded here.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub agent_copies: BTreeMap<String, AgentCopy>,
}

/// One skill copied into one agent folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentCopy {
    pub skill: SkillId,
    pub files: BTreeMap<String, String>,
    /// A symbolic link to `.spm/skills/<author>/<name>` rather than a copy (`--link`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub link: bool,
}

impl Default for Lockfile {
    fn default() -> Self {
        Lockfile {
            lock_version: 1,
            generated: concat!("spm ", env!("CARGO_PKG_VERSION")).into(),
            skills: BTreeMap::new(),
            agent_copies: BTreeMap::new(),
        }
    }
}

/// What `spm` recorded about each installed skill's files, for `spm verify`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstallState {
    #[serde(default, deserialize_with = "id_map")]
    pub skills: BTreeMap<SkillId, InstalledSkill>,
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

    /// Where `id` is installed: `<install root>/<author>/<name>`. Refuses a path that would
    /// leave the install root or pass through a symbolic link (a repository can commit
    /// `.spm/skills/alice` as a link to anywhere).
    pub fn skill_dir(&self, id: &SkillId) -> anyhow::Result<PathBuf> {
        let author_dir = self.install_dir.join(&id.author);
        let dir = author_dir.join(&id.name);
        let inside = dir.strip_prefix(&self.install_dir).is_ok_and(|rest| {
            rest.components().count() == 2
                && rest
                    .components()
                    .all(|c| matches!(c, std::path::Component::Normal(_)))
        });
        anyhow::ensure!(
            inside,
            "refusing to use {} for {id}: it is not inside {}",
            dir.display(),
            self.install_dir.display()
        );
        self.no_links_below_root(&dir)?;
        Ok(dir)
    }

    /// Refuses `path` when a folder between the project root and it (or it) is a symbolic
    /// link: a repository can commit `.spm` or `.spm/skills/alice` as a link to anywhere.
    pub fn no_links_below_root(&self, path: &Path) -> anyhow::Result<()> {
        let Ok(rest) = path.strip_prefix(&self.root) else {
            anyhow::bail!(
                "refusing to write {}: it is not inside {}",
                path.display(),
                self.root.display()
            );
        };
        let mut p = self.root.clone();
        for c in rest.components() {
            p.push(c);
            if std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink()) {
                anyhow::bail!(
                    "{} is a symbolic link; spm does not install through links (remove it and run the command again)",
                    p.display()
                );
            }
        }
        Ok(())
    }

    pub fn manifest(&self) -> anyhow::Result<ProjectManifest> {
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

    pub fn save_manifest(&self, m: &ProjectManifest) -> anyhow::Result<()> {
        write_json(&self.manifest_path, m)
    }

    pub fn save_lockfile(&self, l: &Lockfile) -> anyhow::Result<()> {
        write_json(&self.lock_path, l)
    }

    pub fn save_state(&self, s: &InstallState) -> anyhow::Result<()> {
        self.no_links_below_root(&self.state_path)?;
        write_json(&self.state_path, s)
    }
}

/// A relative path of plain components, `/`-separated: no `..`, `.`, empty part, root,
/// backslash or NUL. What spm accepts as a file path inside a skill or a copy.
pub fn is_plain_relative(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\0'])
        && path.split('/').all(|s| !s.is_empty())
        && Path::new(path)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// A JSON object keyed by skill ids, each parsed; a bad key is an error naming it.
fn id_map<'de, D, V>(d: D) -> Result<BTreeMap<SkillId, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    let raw = BTreeMap::<String, V>::deserialize(d)?;
    raw.into_iter()
        .map(|(key, v)| {
            let id: SkillId = key.parse().map_err(|e| {
                serde::de::Error::custom(format!(
                    "the entry `{key}` is not a skill id of the form author/name ({e})"
                ))
            })?;
            Ok((id, v))
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn lock_with(key: &str) -> String {
        format!(
            r#"{{"lock_version": 1, "generated": "t", "skills": {{"{key}": {{"version": "1.0.0", "resolved": "http://r/x", "integrity": "sha256-00", "registry": "http://r"}}}}}}"#
        )
    }

    #[test]
    fn lockfile_ids_are_parsed_and_bad_ones_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = Project::at(dir.path());
        for bad in [
            "x/../../../../victim/important",
            "../x",
            "a/b/c",
            "Alice/x",
            "x",
        ] {
            std::fs::write(&p.lock_path, lock_with(bad)).unwrap();
            let err = format!("{:#}", p.lockfile().unwrap_err());
            assert!(
                err.contains("skills.lock") && err.contains(bad),
                "{bad}: {err}"
            );
        }
        std::fs::write(&p.lock_path, lock_with("alice/x")).unwrap();
        let lock = p.lockfile().unwrap().unwrap();
        assert!(lock.skills.contains_key(&"alice/x".parse().unwrap()));
        std::fs::write(
            &p.manifest_path,
            r#"{"dependencies": {"alice/../../x": "^1"}}"#,
        )
        .unwrap();
        let err = format!("{:#}", p.manifest().unwrap_err());
        assert!(
            err.contains("spm.json") && err.contains("alice/../../x"),
            "{err}"
        );
    }

    #[test]
    fn install_paths_stay_inside_the_root_and_never_follow_links() {
        let dir = tempfile::tempdir().unwrap();
        let p = Project::at(dir.path());
        let id: SkillId = "alice/x".parse().unwrap();
        assert_eq!(
            p.skill_dir(&id).unwrap(),
            dir.path().join(".spm/skills/alice/x")
        );
        let elsewhere = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(&p.install_dir).unwrap();
        std::os::unix::fs::symlink(elsewhere.path(), p.install_dir.join("alice")).unwrap();
        let err = p.skill_dir(&id).unwrap_err().to_string();
        assert!(err.contains("symbolic link"), "{err}");
        // A linked `.spm` is refused too, for installs and for the state file.
        let other = tempfile::tempdir().unwrap();
        let q = Project::at(other.path());
        std::os::unix::fs::symlink(elsewhere.path(), other.path().join(".spm")).unwrap();
        assert!(
            q.skill_dir(&id)
                .unwrap_err()
                .to_string()
                .contains("symbolic link")
        );
        assert!(q.save_state(&InstallState::default()).is_err());
        assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
    }
}
