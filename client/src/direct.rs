//! Skills installed straight from where they live, not from a registry: a local folder
//! (`spm add ./path/to/skill`) or a GitHub repository (`spm add github:owner/repo[/path][@ref]`).
//!
//! They get what a registry package gets: the folder is validated as a skill, packed into the
//! same deterministic archive, and scanned with the built-in rules (a blocked skill is refused,
//! a flagged one needs `--allow-flagged`). The lockfile records the source and the archive's
//! integrity (for GitHub, the commit the ref pointed at), so `spm install --frozen` rebuilds
//! exactly those bytes or refuses.
//!
//! In `spm.json` and `skills.lock` a direct source is written `path:<folder>` (relative to the
//! project root) or `github:<owner>/<repo>[/<path>]@<commit>`.

use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};
use spm_core::package::{Integrity, PackLimits, UnpackLimits, pack, read_archive};
use spm_core::safety::{SafetyStatus, Thresholds, scan};
use spm_core::skill::{Options, Skill, SkillId, check_author};

use crate::github_source;
use crate::project::{Locked, Project};

/// A skill's source outside any registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A folder, relative to the project root (or absolute).
    Path(PathBuf),
    GitHub {
        owner: String,
        repo: String,
        /// The folder inside the repository ("" for its root).
        path: String,
        /// A branch, tag or commit; the default branch when `None`.
        reference: Option<String>,
    },
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Path(p) => write!(f, "path:{}", p.display().to_string().replace('\\', "/")),
            Source::GitHub {
                owner,
                repo,
                path,
                reference,
            } => {
                write!(f, "github:{owner}/{repo}")?;
                if !path.is_empty() {
                    write!(f, "/{path}")?;
                }
                if let Some(r) = reference {
                    write!(f, "@{r}")?;
                }
                Ok(())
            }
        }
    }
}

/// Whether a command-line spec names a direct source rather than `author/name[@range]`.
pub fn is_direct(spec: &str) -> bool {
    spec.starts_with("github:")
        || spec.starts_with("path:")
        || spec.starts_with("./")
        || spec.starts_with("../")
        || spec.starts_with('/')
        || spec == "."
        || spec == ".."
}

/// Parses a command-line spec (`./dir`, `/abs/dir`, `github:owner/repo[/path][@ref]`) or the
/// form `spm.json` and `skills.lock` keep (`path:dir`, `github:...`).
pub fn parse(spec: &str) -> anyhow::Result<Source> {
    if let Some(rest) = spec.strip_prefix("github:") {
        let (body, reference) = match rest.rsplit_once('@') {
            Some((_, "")) => bail!("`{spec}` ends in `@` with no branch, tag or commit after it"),
            Some((b, r)) => (b, Some(r.to_string())),
            None => (rest, None),
        };
        let mut parts = body.splitn(3, '/');
        let (Some(owner), Some(repo)) = (parts.next(), parts.next()) else {
            bail!("`{spec}` is not a GitHub source; expected github:owner/repo[/path][@ref]");
        };
        // The same rules for owner and repository as `--github`.
        let checked = github_source::parse(&format!("{owner}/{repo}"))
            .with_context(|| format!("`{spec}` is not a GitHub source"))?;
        let path = parts.next().unwrap_or("").trim_matches('/').to_string();
        if !inside(Path::new(&path)) {
            bail!("`{spec}`: the path must be a folder inside the repository, without `..`");
        }
        return Ok(Source::GitHub {
            owner: checked.owner,
            repo: checked.repo,
            path,
            reference,
        });
    }
    let path = spec.strip_prefix("path:").unwrap_or(spec);
    if path.is_empty() {
        bail!("`{spec}` names no folder");
    }
    Ok(Source::Path(PathBuf::from(path)))
}

/// A spec as typed on the command line: a folder relative to the current directory becomes
/// relative to the project root (or stays absolute when it is outside it).
pub fn from_command_line(spec: &str, project: &Project) -> anyhow::Result<Source> {
    let source = parse(spec)?;
    let Source::Path(p) = &source else {
        return Ok(source);
    };
    // `path:` is the form spm.json keeps: already relative to the project root.
    let base = if spec.starts_with("path:") {
        project.root.clone()
    } else {
        std::env::current_dir().context("cannot read the current directory")?
    };
    let abs = base.join(p);
    let abs = std::fs::canonicalize(&abs).with_context(|| format!("{spec}: no such folder"))?;
    let root = std::fs::canonicalize(&project.root).unwrap_or_else(|_| project.root.clone());
    Ok(Source::Path(match abs.strip_prefix(&root) {
        Ok(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Ok(rel) => rel.to_path_buf(),
        Err(_) => abs,
    }))
}

/// A relative path of normal components.
fn inside(p: &Path) -> bool {
    p.components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
}

/// A skill read from its source and packed, ready to install.
pub struct Fetched {
    pub id: SkillId,
    pub version: String,
    /// The source as asked for.
    pub requested: Source,
    /// The source as locked (a GitHub ref replaced by its commit).
    pub locked_source: Source,
    pub archive: Vec<u8>,
    pub integrity: Integrity,
    /// `author/name` → range, as the skill declares them (from the registry).
    pub dependencies: std::collections::BTreeMap<SkillId, String>,
    pub safety: spm_core::safety::Report,
}

/// Reads, validates, packs and scans the skill at `source`. `allow_flagged` admits a flagged
/// one; a blocked one is always refused.
pub async fn fetch(
    project: &Project,
    source: &Source,
    allow_flagged: bool,
) -> anyhow::Result<Fetched> {
    let _tmp;
    let (dir, locked_source, default_author) = match source {
        Source::Path(p) => {
            let dir = if p.is_absolute() {
                p.clone()
            } else {
                project.root.join(p)
            };
            if !dir.join(spm_core::skill::SKILL_FILE).is_file() {
                bail!(
                    "{} holds no SKILL.md; point at a skill's folder (`spm init` makes one)",
                    dir.display()
                );
            }
            (dir, source.clone(), None)
        }
        Source::GitHub {
            owner,
            repo,
            path,
            reference,
        } => {
            let tmp = tempfile::tempdir()?;
            let src = github_source::Source {
                owner: owner.clone(),
                repo: repo.clone(),
                reference: reference.clone(),
            };
            // The folder is named after the skill's folder, so the name check applies.
            let folder = Path::new(path)
                .file_name()
                .map_or_else(|| repo.clone().into(), |n| n.to_os_string());
            let target = tmp.path().join(folder);
            let commit = github_source::fetch(&src, Path::new(path), &target).await?;
            _tmp = tmp;
            let locked = Source::GitHub {
                owner: owner.clone(),
                repo: repo.clone(),
                path: path.clone(),
                reference: commit.or_else(|| reference.clone()),
            };
            (target, locked, Some(owner.to_ascii_lowercase()))
        }
    };
    let skill = Skill::load(&dir, &Options::default());
    let Some(manifest) = skill.manifest.clone() else {
        let errors: Vec<String> = skill
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("  {}", d.message))
            .collect();
        bail!(
            "{source} is not a valid skill:\n{}\n(`spm validate {}` shows where)",
            errors.join("\n"),
            dir.display()
        );
    };
    let author = manifest
        .author
        .clone()
        .or(default_author)
        .unwrap_or_else(|| "local".to_string());
    check_author(&author).map_err(|e| {
        anyhow::anyhow!("{source}: the author `{author}` cannot name an install ({e}); set `author:` in its SKILL.md")
    })?;
    let id: SkillId = format!("{author}/{}", manifest.name)
        .parse()
        .with_context(|| format!("{source}: `{author}/{}` is not a skill id", manifest.name))?;
    let package = pack(&dir, &PackLimits::default())
        .map_err(|e| anyhow::anyhow!("{source}: cannot pack it: {e}"))?;
    let files = read_archive(&package.bytes, &UnpackLimits::default())?;
    let safety = scan(
        files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
        &Thresholds::default(),
    );
    let findings = || {
        safety
            .counted()
            .take(5)
            .map(|f| format!("  {} at {}:{}: {}", f.rule, f.file, f.line, f.explanation))
            .collect::<Vec<_>>()
            .join("\n")
    };
    match safety.status {
        SafetyStatus::Blocked => bail!(
            "{id} from {source} was blocked by the safety scan (score {}), so it was not installed:\n{}\n(`spm scan {}` shows every finding)",
            safety.score,
            findings(),
            dir.display()
        ),
        SafetyStatus::Flagged if !allow_flagged => bail!(
            "{id} from {source} was flagged by the safety scan (score {}):\n{}\nreview it (`spm scan {}`) and re-run with --allow-flagged to install anyway",
            safety.score,
            findings(),
            dir.display()
        ),
        _ => {}
    }
    Ok(Fetched {
        version: manifest
            .version
            .as_ref()
            .map_or_else(|| "0.0.0".to_string(), ToString::to_string),
        dependencies: manifest
            .dependencies
            .iter()
            .map(|(d, r)| (d.clone(), r.to_string()))
            .collect(),
        id,
        requested: source.clone(),
        locked_source,
        integrity: package.integrity,
        archive: package.bytes,
        safety,
    })
}

impl Fetched {
    /// The lockfile entry: the source as locked, the integrity, no registry.
    pub fn locked(&self) -> Locked {
        Locked {
            version: self.version.clone(),
            resolved: self.locked_source.to_string(),
            integrity: self.integrity.to_string(),
            registry: String::new(),
            dependencies: self.dependencies.clone(),
            source: Some(self.requested.to_string()),
        }
    }
}

/// Whether a lockfile entry came from a direct source.
pub fn is_locked_direct(locked: &Locked) -> bool {
    locked.registry.is_empty()
        && (locked.resolved.starts_with("path:") || locked.resolved.starts_with("github:"))
}

/// The archive of a locked direct entry, rebuilt from its source and checked against the
/// lockfile's integrity.
pub async fn rebuild(project: &Project, id: &SkillId, locked: &Locked) -> anyhow::Result<Vec<u8>> {
    let source = parse(&locked.resolved)
        .with_context(|| format!("skills.lock: {id} has the source `{}`", locked.resolved))?;
    let fetched = fetch(project, &source, true).await?;
    if fetched.integrity.to_string() != locked.integrity {
        bail!(
            "{id}: {} no longer holds what skills.lock locked ({} there, {} locked); run `spm add {}` to lock the new content",
            locked.resolved,
            fetched.integrity,
            locked.integrity,
            locked.resolved
        );
    }
    Ok(fetched.archive)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_parse_and_print_back() {
        for s in [
            "github:octo/skills",
            "github:octo/skills/skills/greet",
            "github:octo/skills/skills/greet@v1",
            "path:skills/x",
        ] {
            assert_eq!(parse(s).unwrap().to_string(), s);
        }
        assert_eq!(
            parse("./skills/x").unwrap(),
            Source::Path(PathBuf::from("./skills/x"))
        );
        for bad in [
            "github:octo",
            "github:octo/skills@",
            "github:octo/skills/../../x",
            "github:o!/r",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(is_direct("./x") && is_direct("github:a/b") && !is_direct("alice/x"));
    }
}
