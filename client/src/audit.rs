//! `.spm/audit.jsonl`: every proxy-tool call `spm mcp` judged for a skill, allowed or not,
//! one JSON object per line (time, skill@version, tool, target, verdict, reason), and
//! reading it back for `spm audit`.

use std::io::Write;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::project::Project;

/// The log file, relative to the project root.
pub const FILE: &str = ".spm/audit.jsonl";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// RFC 3339, UTC.
    pub time: String,
    /// `author/name@version`.
    pub skill: String,
    pub tool: String,
    /// The path, URL or command.
    pub target: String,
    /// `allowed` or `denied`.
    pub verdict: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
}

impl Entry {
    pub fn denied(&self) -> bool {
        self.verdict == "denied"
    }
}

/// Appends one entry (creating `.spm/` and the file; never through a symbolic link).
pub fn append(project: &Project, entry: &Entry) -> anyhow::Result<()> {
    let path = project.root.join(FILE);
    project.no_links_below_root(&path)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut line = serde_json::to_string(entry)?;
    line.push('\n');
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .with_context(|| format!("cannot open {}", path.display()))?;
    f.write_all(line.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Every entry, oldest first; a line that does not parse is reported with its number.
pub fn read(project: &Project) -> anyhow::Result<Vec<Entry>> {
    let path = project.root.join(FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("{}:{}: not an audit entry", path.display(), i + 1))
        })
        .collect()
}
