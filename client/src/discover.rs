//! Finding the skills under a directory, for `--all`.

use std::path::{Path, PathBuf};

use spm_core::package::select::ALWAYS_EXCLUDED;
use spm_core::skill::SKILL_FILE;

/// Every directory at or below `root` holding a `SKILL.md`, sorted; `.git` and
/// `node_modules` are skipped, hidden directories (such as `.claude/skills`) are not.
pub fn skill_dirs(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if dir.join(SKILL_FILE).is_file() {
            out.push(dir.clone());
        }
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if dir == root => return Err(e),
            Err(_) => continue,
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let skip = name.to_str().is_some_and(|n| ALWAYS_EXCLUDED.contains(&n));
            if !skip && entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(entry.path());
            }
        }
    }
    out.sort();
    Ok(out)
}
