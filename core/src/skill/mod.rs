//! The skill format: a directory holding `SKILL.md` (YAML frontmatter, then markdown).
//!
//! [`Skill::load`] reads a directory and returns the parsed [`Manifest`] together with every
//! [`Diagnostic`] found; it never fails outright, so `spm validate` can report everything.

pub mod frontmatter;
pub mod manifest;
pub mod name;
pub mod permission;
pub mod yaml;

use std::path::{Path, PathBuf};

pub use manifest::{Manifest, Options};
pub use name::{SkillId, check_author, check_name};
pub use permission::Permission;

use crate::diagnostic::{Diagnostic, Location, Severity};

/// The file every skill must have.
pub const SKILL_FILE: &str = "SKILL.md";
/// `SKILL.md` files larger than this are not read.
pub const MAX_SKILL_MD_BYTES: u64 = 16 * 1024 * 1024;

/// A skill directory as read from disk.
#[derive(Debug, Clone)]
pub struct Skill {
    pub dir: PathBuf,
    /// `dir/SKILL.md`.
    pub skill_md: PathBuf,
    /// The text of `SKILL.md` when it could be read as UTF-8 (for rendering diagnostics).
    pub source: Option<String>,
    /// The frontmatter as read; `None` when `SKILL.md` has errors.
    pub manifest: Option<Manifest>,
    /// The markdown after the frontmatter.
    pub body: String,
    /// The frontmatter as JSON, every key as the author wrote it (empty when it could not be
    /// read): what MCP's `skills/get` hands a host verbatim.
    pub frontmatter: serde_json::Map<String, serde_json::Value>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Skill {
    /// Reads and checks the skill in `dir`.
    pub fn load(dir: &Path, opts: &Options) -> Skill {
        let skill_md = dir.join(SKILL_FILE);
        let mut opts = opts.clone();
        if opts.dir_name.is_none() {
            opts.dir_name = dir_name(dir);
        }
        let mut skill = Skill {
            dir: dir.to_path_buf(),
            skill_md: skill_md.clone(),
            source: None,
            manifest: None,
            body: String::new(),
            frontmatter: serde_json::Map::new(),
            diagnostics: Vec::new(),
        };
        match read_skill_md(dir, &skill_md) {
            Ok(bytes) => skill.parse_bytes(&bytes, &opts),
            Err(d) => skill.diagnostics.push(d),
        }
        skill
    }

    /// Checks `SKILL.md` text that is not on disk (a registry's JSON publish, tests).
    pub fn from_bytes(bytes: &[u8], file: &Path, opts: &Options) -> Skill {
        let mut skill = Skill {
            dir: file.parent().map(Path::to_path_buf).unwrap_or_default(),
            skill_md: file.to_path_buf(),
            source: None,
            manifest: None,
            body: String::new(),
            frontmatter: serde_json::Map::new(),
            diagnostics: Vec::new(),
        };
        skill.parse_bytes(bytes, opts);
        skill
    }

    /// Checks a skill in the existing client's earlier format: the manifest as `skill.json`
    /// beside an entry file without frontmatter. JSON is YAML, so the manifest is read by
    /// the same rules as frontmatter; `file` names the `skill.json` in diagnostics.
    pub fn from_legacy(manifest_json: &[u8], entry: &str, file: &Path, opts: &Options) -> Skill {
        let json = match std::str::from_utf8(manifest_json) {
            Ok(j) => j.trim(),
            Err(_) => return Skill::from_bytes(manifest_json, file, opts),
        };
        let text = format!("---\n{json}\n---\n{entry}");
        let mut skill = Skill::from_bytes(text.as_bytes(), file, opts);
        skill.body = entry.to_string();
        skill
    }

    fn parse_bytes(&mut self, bytes: &[u8], opts: &Options) {
        let file = self.skill_md.clone();
        let text = match frontmatter::decode(bytes, &file) {
            Ok(t) => t,
            Err(d) => {
                self.source = Some(String::from_utf8_lossy(bytes).into_owned());
                self.diagnostics.push(d);
                return;
            }
        };
        self.source = Some(text.to_string());
        let split = match frontmatter::split(text, &file) {
            Ok(s) => s,
            Err(d) => {
                self.diagnostics.push(d);
                return;
            }
        };
        self.body = split.body.to_string();
        let src = yaml::Source { text, file: &file };
        let root = match yaml::parse(split.yaml, split.yaml_offset, &src) {
            Ok(root) => root,
            Err(d) => {
                self.diagnostics.push(d);
                return;
            }
        };
        if let serde_json::Value::Object(map) = manifest::to_json(&root) {
            self.frontmatter = map;
        }
        let manifest = manifest::extract(&root, &src, opts, &mut self.diagnostics);
        if split.body.trim().is_empty() {
            self.diagnostics.push(
                Diagnostic::warning(
                    "body/empty",
                    &file,
                    "SKILL.md has no instructions after the frontmatter",
                )
                .at(Location::in_text(text, split.body_offset, 0))
                .help("write the instructions the agent should follow in the markdown body"),
            );
        }
        if !self.has_errors() {
            self.manifest = Some(manifest);
        }
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

fn dir_name(dir: &Path) -> Option<String> {
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
    name.or_else(|| {
        std::fs::canonicalize(dir)
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
    })
}

fn read_skill_md(dir: &Path, skill_md: &Path) -> Result<Vec<u8>, Diagnostic> {
    let meta = match std::fs::symlink_metadata(skill_md) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if !dir.is_dir() {
                return Err(Diagnostic::error(
                    "file/not-a-directory",
                    dir,
                    format!("{} is not a directory", dir.display()),
                )
                .help("give the path of a skill directory (the folder holding SKILL.md)"));
            }
            let lower = std::fs::read_dir(dir).ok().and_then(|entries| {
                entries
                    .flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .find(|n| n.eq_ignore_ascii_case(SKILL_FILE))
            });
            let d = Diagnostic::error(
                "file/missing-skill-md",
                skill_md,
                format!("no SKILL.md in {}", dir.display()),
            );
            return Err(match lower {
                Some(found) => d.help(format!(
                    "rename `{found}` to `SKILL.md` (the name is case-sensitive)"
                )),
                None => d.help("create one with `spm init`, or point at the folder that holds it"),
            });
        }
        Err(e) => {
            return Err(Diagnostic::error(
                "file/unreadable",
                skill_md,
                format!("cannot read SKILL.md: {e}"),
            ));
        }
    };
    if meta.file_type().is_symlink() {
        return Err(Diagnostic::error(
            "file/symlink",
            skill_md,
            "SKILL.md is a symbolic link; it must be a regular file",
        ));
    }
    if !meta.is_file() {
        return Err(Diagnostic::error(
            "file/not-a-file",
            skill_md,
            "SKILL.md is not a regular file",
        ));
    }
    if meta.len() > MAX_SKILL_MD_BYTES {
        return Err(Diagnostic::error(
            "file/too-large",
            skill_md,
            format!(
                "SKILL.md is {} bytes; the limit is {MAX_SKILL_MD_BYTES}",
                meta.len()
            ),
        )
        .help("move long material into references/ and link to it"));
    }
    std::fs::read(skill_md).map_err(|e| {
        Diagnostic::error(
            "file/unreadable",
            skill_md,
            format!("cannot read SKILL.md: {e}"),
        )
    })
}

#[cfg(test)]
mod tests;
