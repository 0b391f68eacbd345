//! The files `spm init` and `spm create` write: a skill that validates and publishes as is.

use std::path::{Path, PathBuf};

use crate::skill::name::{check_name, suggest_name};

#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    #[error("{} already has a SKILL.md; nothing was written", .0.display())]
    Exists(PathBuf),
    #[error("the name `{name}` {reason}; try `{suggestion}`")]
    BadName {
        name: String,
        reason: crate::skill::name::NameError,
        suggestion: String,
    },
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The `SKILL.md` of a new skill.
pub fn skill_md(name: &str, author: Option<&str>) -> String {
    let author = author.map(|a| format!("author: {a}\n")).unwrap_or_default();
    format!(
        "---\n\
name: {name}\n\
description: Describe what this skill does and when an agent should use it.\n\
version: 0.1.0\n\
license: MIT\n\
{author}\
tags: []\n\
permissions: []\n\
---\n\
\n\
# {name}\n\
\n\
## When to use\n\
\n\
Describe the situations where an agent should reach for this skill.\n\
\n\
## Instructions\n\
\n\
1. Write the steps the agent should follow.\n\
2. Keep them short and concrete; put long material in `references/`.\n"
    )
}

const SKILLIGNORE: &str = "# Files left out of the published package (gitignore syntax).\n# .git, node_modules and secret files (.env*, *.pem, *.key, ...) are always left out.\n";

/// Writes a new skill into `dir` (created if missing). `name` defaults to the directory name.
pub fn scaffold(
    dir: &Path,
    name: Option<&str>,
    author: Option<&str>,
) -> Result<(String, Vec<PathBuf>), ScaffoldError> {
    let name = match name {
        Some(n) => n.to_string(),
        None => {
            let base = std::fs::canonicalize(dir)
                .ok()
                .or_else(|| Some(dir.to_path_buf()))
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_default();
            suggest_name(&base)
        }
    };
    if let Err(reason) = check_name(&name) {
        return Err(ScaffoldError::BadName {
            suggestion: suggest_name(&name),
            name,
            reason,
        });
    }
    let skill_md_path = dir.join(crate::skill::SKILL_FILE);
    if skill_md_path.exists() {
        return Err(ScaffoldError::Exists(dir.to_path_buf()));
    }
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ScaffoldError::Io { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    std::fs::write(&skill_md_path, skill_md(&name, author)).map_err(io(&skill_md_path))?;
    let mut written = vec![skill_md_path];
    let ignore = dir.join(crate::package::select::IGNORE_FILE);
    if !ignore.exists() {
        std::fs::write(&ignore, SKILLIGNORE).map_err(io(&ignore))?;
        written.push(ignore);
    }
    Ok((name, written))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::skill::{Options, Skill};

    #[test]
    fn scaffolded_skill_is_valid_for_publishing() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("new-skill");
        let (name, files) = scaffold(&dir, None, Some("alice")).unwrap();
        assert_eq!(name, "new-skill");
        assert_eq!(files.len(), 2);
        let s = Skill::load(
            &dir,
            &Options {
                require_version: true,
                ..Options::default()
            },
        );
        assert!(s.diagnostics.is_empty(), "{:#?}", s.diagnostics);
        assert!(matches!(
            scaffold(&dir, None, None),
            Err(ScaffoldError::Exists(_))
        ));
    }

    #[test]
    fn bad_names_are_refused_with_a_suggestion() {
        let root = tempfile::tempdir().unwrap();
        let err = scaffold(root.path(), Some("My Skill"), None).unwrap_err();
        assert!(err.to_string().contains("my-skill"), "{err}");
        assert!(!root.path().join("SKILL.md").exists());
    }
}
