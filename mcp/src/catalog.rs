//! The installed skills `spm mcp` serves: the project's (`.spm/skills`) first, then the
//! global install's (`~/.spm/installed`), each with the files spm recorded when it unpacked
//! the verified archive.
//!
//! A skill is served only as `skills.lock` locks it: its file list, digests and sizes come
//! from the archive with the locked integrity in spm's cache (verified when read), not from
//! anything in the project's `.spm/` folder, which a cloned repository could have committed.
//!
//! Everything a client can name goes through here. A URI is `skill://<author>/<name>/<path>`
//! with percent-encoded segments; it is parsed into a skill id and a relative path, and a
//! path is served only when it is one of the files recorded for that skill. Nothing else on
//! disk is ever read: not `../`, not a file that appeared later, not a symbolic link. The
//! bytes read are checked against the recorded SHA-256 before they are returned, so a
//! client gets exactly the verified bytes whose digests `skills/get` lists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};
use spm_client::project::{Project, is_plain_relative};
use spm_core::package::Integrity;
use spm_core::skill::{Manifest, Options, Skill, SkillId};

/// The URI scheme of skill resources.
pub const SCHEME: &str = "skill://";

/// Where an installed skill comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Project,
    Global,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Project => "project",
            Scope::Global => "global",
        }
    }
}

/// One installed skill.
#[derive(Debug, Clone)]
pub struct Installed {
    pub id: SkillId,
    pub version: String,
    /// The registry the lockfile says it came from.
    pub registry: Option<String>,
    pub scope: Scope,
    /// Relative path → what spm recorded when it unpacked the file.
    pub files: BTreeMap<String, Recorded>,
    pub manifest: Manifest,
    /// The frontmatter as the author wrote it.
    pub frontmatter: serde_json::Map<String, serde_json::Value>,
    project: Project,
}

impl Installed {
    /// `skill://<author>/<name>/` followed by `path`, each segment percent-encoded.
    pub fn uri(&self, path: &str) -> String {
        let mut uri = self.root_uri();
        for seg in path.split('/') {
            uri.push('/');
            uri.push_str(&encode(seg));
        }
        uri
    }

    /// `skill://<author>/<name>`: the skill's folder.
    pub fn root_uri(&self) -> String {
        format!(
            "{SCHEME}{}/{}",
            encode(&self.id.author),
            encode(&self.id.name)
        )
    }

    /// The URI of the skill's `SKILL.md`.
    pub fn skill_md_uri(&self) -> String {
        self.uri(spm_core::skill::SKILL_FILE)
    }

    /// The `sha256:<hex>` digest of a recorded file, as MCP writes it.
    pub fn digest(&self, path: &str) -> Option<String> {
        self.files.get(path).map(|f| format!("sha256:{}", f.hex))
    }

    /// The bytes of a recorded file, checked against what spm unpacked.
    pub fn read(&self, path: &str) -> Result<Vec<u8>, CatalogError> {
        let Some(expected) = self.files.get(path) else {
            return Err(CatalogError::NoSuchFile {
                skill: self.id.to_string(),
                path: path.to_string(),
            });
        };
        let dir = self
            .project
            .skill_dir(&self.id)
            .map_err(|e| CatalogError::Unsafe(format!("{e:#}")))?;
        let file = dir.join(path);
        self.project
            .no_links_below_root(&file)
            .map_err(|e| CatalogError::Unsafe(format!("{e:#}")))?;
        let bytes = std::fs::read(&file).map_err(|e| CatalogError::Io {
            path: file.clone(),
            message: e.to_string(),
        })?;
        if Integrity::of(&bytes).hex() != expected.hex {
            return Err(CatalogError::Modified {
                skill: self.id.to_string(),
                path: path.to_string(),
            });
        }
        Ok(bytes)
    }

    /// The direct children of the folder `dir` ("" for the skill's root): files and folders,
    /// from the recorded file list.
    pub fn children(&self, dir: &str) -> Option<Vec<Child>> {
        let prefix = if dir.is_empty() {
            String::new()
        } else {
            format!("{dir}/")
        };
        let mut files = Vec::new();
        let mut dirs = BTreeSet::new();
        for path in self.files.keys() {
            let Some(rest) = path.strip_prefix(&prefix) else {
                continue;
            };
            match rest.split_once('/') {
                Some((sub, _)) => {
                    dirs.insert(format!("{prefix}{sub}"));
                }
                None => files.push(Child::File(path.clone())),
            }
        }
        if files.is_empty() && dirs.is_empty() {
            return None;
        }
        files.extend(dirs.into_iter().map(Child::Dir));
        Some(files)
    }

    /// Whether `dir` is a folder of this skill ("" is its root).
    pub fn is_dir(&self, dir: &str) -> bool {
        dir.is_empty() || self.files.keys().any(|p| p.starts_with(&format!("{dir}/")))
    }
}

/// An entry of a skill folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Child {
    File(String),
    Dir(String),
}

/// One file as spm unpacked it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// SHA-256 of the bytes, lowercase hex.
    pub hex: String,
    /// Its length, from the verified archive.
    pub size: u64,
}

/// What a URI names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub id: SkillId,
    /// Relative path inside the skill ("" for its folder).
    pub path: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("`{0}` is not a skill URI; expected skill://<author>/<name>/<path>")]
    NotSkillUri(String),
    #[error("`{uri}`: {why}")]
    BadPath { uri: String, why: String },
    #[error("no installed skill is called {0}; `skill_list` shows what is installed")]
    UnknownSkill(String),
    #[error(
        "`{name}` is ambiguous: {} are installed; name one as author/name",
        candidates.join(", ")
    )]
    Ambiguous {
        name: String,
        candidates: Vec<String>,
    },
    #[error("{skill} has no file {path}")]
    NoSuchFile { skill: String, path: String },
    #[error(
        "{skill}: {path} was modified after spm installed it, so it is not served; `spm verify` shows the changes and `spm install --force` restores it"
    )]
    Modified { skill: String, path: String },
    #[error("{0}")]
    Unsafe(String),
    #[error("cannot read {}: {message}", path.display())]
    Io { path: PathBuf, message: String },
    #[error("{0}")]
    Config(String),
}

/// The installed skills, project first; a project skill hides a global one with the same id.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    skills: BTreeMap<SkillId, Installed>,
    /// Problems met while reading (a skill whose SKILL.md no longer parses, a bad entry in a
    /// state file); reported on stderr, never fatal.
    pub warnings: Vec<String>,
}

impl Catalog {
    /// Reads the installs of `roots`, in order of precedence.
    pub fn load(roots: &[(Project, Scope)]) -> Catalog {
        let mut catalog = Catalog::default();
        for (project, scope) in roots {
            catalog.add_root(project, *scope);
        }
        catalog
    }

    fn add_root(&mut self, project: &Project, scope: Scope) {
        let state = match project.state() {
            Ok(s) => s,
            Err(e) => {
                self.warnings.push(format!("{e:#}"));
                return;
            }
        };
        let lock = project.lockfile().ok().flatten();
        for (id, installed) in state.skills {
            if self.skills.contains_key(&id) {
                continue;
            }
            match self.read_skill(project, scope, &id, installed, lock.as_ref()) {
                Ok(skill) => {
                    self.skills.insert(id, skill);
                }
                Err(why) => self.warnings.push(format!("{id}: {why}")),
            }
        }
    }

    fn read_skill(
        &self,
        project: &Project,
        scope: Scope,
        id: &SkillId,
        installed: spm_client::project::InstalledSkill,
        lock: Option<&spm_client::project::Lockfile>,
    ) -> Result<Installed, String> {
        // Served only as skills.lock locks it, with the file list and digests of the cached
        // archive that integrity names: a committed `.spm/` proves nothing.
        let Some(locked) = lock.and_then(|l| l.skills.get(id)) else {
            return Err(format!(
                "it is not in {}; run `spm install`",
                project.lock_path.display()
            ));
        };
        if locked.integrity != installed.integrity || locked.version != installed.version {
            return Err("the install differs from skills.lock; run `spm install`".into());
        }
        let archive = spm_client::install::cached_files(&locked.integrity)
            .map_err(|e| format!("{e:#}"))?
            .ok_or_else(|| {
                "its verified archive is not in spm's cache; run `spm install --force`".to_string()
            })?;
        let mut files = BTreeMap::new();
        for (path, bytes) in &archive {
            if !is_plain_relative(path) {
                return Err(format!("its archive holds the path `{path}`"));
            }
            let recorded = Recorded {
                hex: Integrity::of(bytes).hex(),
                size: bytes.len() as u64,
            };
            files.insert(path.clone(), recorded);
        }
        let mut skill = Installed {
            id: id.clone(),
            version: installed.version,
            registry: lock
                .and_then(|l| l.skills.get(id))
                .map(|l| l.registry.clone()),
            scope,
            files,
            manifest: Manifest::default(),
            frontmatter: serde_json::Map::new(),
            project: project.clone(),
        };
        let bytes = skill
            .read(spm_core::skill::SKILL_FILE)
            .map_err(|e| e.to_string())?;
        let parsed = Skill::from_bytes(
            &bytes,
            Path::new(spm_core::skill::SKILL_FILE),
            &Options {
                dir_name: Some(id.name.clone()),
                ..Options::default()
            },
        );
        let Some(manifest) = parsed.manifest else {
            return Err("its SKILL.md does not parse (`spm validate` says why)".into());
        };
        skill.manifest = manifest;
        skill.frontmatter = parsed.frontmatter;
        Ok(skill)
    }

    pub fn iter(&self) -> impl Iterator<Item = &Installed> {
        self.skills.values()
    }

    pub fn len(&self) -> usize {
        self.skills.len()
    }

    pub fn is_empty(&self) -> bool {
        self.skills.is_empty()
    }

    pub fn get(&self, id: &SkillId) -> Option<&Installed> {
        self.skills.get(id)
    }

    /// A skill named as `author/name`, or by its bare name when one installed skill has it.
    pub fn find(&self, name: &str) -> Result<&Installed, CatalogError> {
        let name = name.trim();
        if name.contains('/') {
            let id: SkillId = name
                .parse()
                .map_err(|_| CatalogError::UnknownSkill(name.to_string()))?;
            return self
                .get(&id)
                .ok_or_else(|| CatalogError::UnknownSkill(name.to_string()));
        }
        let matching: Vec<&Installed> = self.iter().filter(|s| s.id.name == name).collect();
        match matching.as_slice() {
            [one] => Ok(one),
            [] => Err(CatalogError::UnknownSkill(name.to_string())),
            many => Err(CatalogError::Ambiguous {
                name: name.to_string(),
                candidates: many.iter().map(|s| s.id.to_string()).collect(),
            }),
        }
    }

    /// The skill and path a URI names; the skill must be installed.
    pub fn resolve(&self, uri: &str) -> Result<(&Installed, String), CatalogError> {
        let target = parse_uri(uri)?;
        let skill = self
            .get(&target.id)
            .ok_or_else(|| CatalogError::UnknownSkill(target.id.to_string()))?;
        Ok((skill, target.path))
    }
}

/// Parses `skill://<author>/<name>[/<path>]`. The path is decoded segment by segment and must
/// be relative and plain: no empty, `.` or `..` segment, no backslash, no NUL.
pub fn parse_uri(uri: &str) -> Result<Target, CatalogError> {
    let not_skill = || CatalogError::NotSkillUri(uri.to_string());
    let rest = uri.strip_prefix(SCHEME).ok_or_else(not_skill)?;
    if rest.contains(['?', '#']) {
        return Err(CatalogError::BadPath {
            uri: uri.into(),
            why: "skill URIs take no query or fragment".into(),
        });
    }
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let mut segments = rest.split('/');
    let (Some(author), Some(name)) = (segments.next(), segments.next()) else {
        return Err(not_skill());
    };
    let id: SkillId = format!("{}/{}", decode(author, uri)?, decode(name, uri)?)
        .parse()
        .map_err(|_| not_skill())?;
    let mut path = Vec::new();
    for seg in segments {
        let seg = decode(seg, uri)?;
        let bad = |why: &str| CatalogError::BadPath {
            uri: uri.into(),
            why: why.into(),
        };
        match seg.as_str() {
            "" => return Err(bad("a path segment is empty")),
            "." | ".." => {
                return Err(bad(
                    "`.` and `..` are refused: only files inside the skill's folder are served",
                ));
            }
            s if s.contains(['/', '\\', '\0']) => {
                return Err(bad("a path segment holds a slash, backslash or NUL"));
            }
            s => path.push(s.to_string()),
        }
    }
    Ok(Target {
        id,
        path: path.join("/"),
    })
}

/// Characters encoded in a URI segment: controls, space, and what URIs reserve.
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

fn encode(segment: &str) -> String {
    utf8_percent_encode(segment, SEGMENT).to_string()
}

fn decode(segment: &str, uri: &str) -> Result<String, CatalogError> {
    percent_decode_str(segment)
        .decode_utf8()
        .map(|s| s.into_owned())
        .map_err(|_| CatalogError::BadPath {
            uri: uri.into(),
            why: "a segment is not UTF-8 once decoded".into(),
        })
}

/// The MIME type spm gives a file, by its extension.
pub fn mime_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("md" | "markdown") => "text/markdown",
        Some("txt") => "text/plain",
        Some("py") => "text/x-python",
        Some("sh" | "bash") => "text/x-shellscript",
        Some("js" | "mjs" | "cjs") => "text/javascript",
        Some("ts") => "text/x-typescript",
        Some("json") => "application/json",
        Some("yaml" | "yml") => "application/yaml",
        Some("toml") => "application/toml",
        Some("html" | "htm") => "text/html",
        Some("css") => "text/css",
        Some("csv") => "text/csv",
        Some("xml") => "application/xml",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("pdf") => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_name_two_authors_share_is_refused_as_ambiguous() {
        let project = Project::at(Path::new("/nonexistent-project"));
        let mut catalog = Catalog::default();
        for id in ["alice/fmt", "bob/fmt", "carol/only"] {
            let id: SkillId = id.parse().unwrap();
            catalog.skills.insert(
                id.clone(),
                Installed {
                    id,
                    version: "1.0.0".into(),
                    registry: None,
                    scope: Scope::Project,
                    files: BTreeMap::new(),
                    manifest: Manifest::default(),
                    frontmatter: serde_json::Map::new(),
                    project: project.clone(),
                },
            );
        }
        let e = catalog.find("fmt").unwrap_err().to_string();
        assert!(
            e.contains("ambiguous")
                && e.contains("alice/fmt, bob/fmt")
                && e.contains("author/name"),
            "{e}"
        );
        // Either one by its full id, and a bare name only one skill has.
        assert_eq!(catalog.find("bob/fmt").unwrap().id.to_string(), "bob/fmt");
        assert_eq!(catalog.find("only").unwrap().id.to_string(), "carol/only");
        assert!(matches!(
            catalog.find("nobody"),
            Err(CatalogError::UnknownSkill(_))
        ));
    }

    #[test]
    fn uris_parse_into_a_skill_and_a_plain_path() {
        let t = parse_uri("skill://alice/pdf-report/scripts/make%20report.py").unwrap();
        assert_eq!(t.id.to_string(), "alice/pdf-report");
        assert_eq!(t.path, "scripts/make report.py");
        assert_eq!(parse_uri("skill://alice/pdf-report").unwrap().path, "");
        assert_eq!(parse_uri("skill://alice/pdf-report/").unwrap().path, "");
    }

    #[test]
    fn traversal_and_foreign_uris_are_refused() {
        for uri in [
            "skill://alice/pdf-report/../bob/x/SKILL.md",
            "skill://alice/pdf-report/%2e%2e/secret",
            "skill://alice/pdf-report/a/./b",
            "skill://alice/pdf-report/a%2fb",
            "skill://alice/pdf-report/a%5cb",
            "skill://alice/pdf-report//etc/passwd",
            "skill://alice/pdf-report/x?y",
            "skill://alice",
            "skill://../x/SKILL.md",
            "file:///etc/passwd",
            "skill://Alice Smith/x/SKILL.md",
        ] {
            assert!(parse_uri(uri).is_err(), "{uri} was accepted");
        }
    }

    #[test]
    fn state_paths_must_be_plain_and_relative() {
        assert!(is_plain_relative("SKILL.md"));
        assert!(is_plain_relative("scripts/a.py"));
        for bad in ["", "/etc/passwd", "../x", "a/../b", "a//b", "a\\b", "./a"] {
            assert!(!is_plain_relative(bad), "{bad}");
        }
    }
}
