//! Measuring the scanner on labelled data: detection and false-positive rates per data set.
//!
//! Reads a corpus laid out as `../shared/corpus` is: `injection/skillfortify-claude/
//! {malicious,benign}/<sample>/` (one skill per sample, anywhere below it),
//! `injection/deepset-train.jsonl` (`{"text", "label"}` lines, 1 = injection; each text is
//! scanned as a `SKILL.md` body), `skills/` (real public skills, all benign) and
//! `skills-extra/` (more real collections, all benign). Parts that
//! are absent are left out of the result. `spm scan --eval` prints it; the
//! `safety_corpus` test fails when a rate regresses.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{SafetyStatus, Thresholds, scan};

/// Files larger than this are not read (as the registry's per-file limit).
const MAX_FILE: u64 = 10 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}: not a JSON object with `text` and `label`: {message}")]
    Jsonl {
        path: PathBuf,
        line: usize,
        message: String,
    },
    #[error(
        "{0} holds none of injection/skillfortify-claude, injection/deepset-train.jsonl, skills, skills-extra, nor <class>/malicious|benign specimen folders"
    )]
    Empty(PathBuf),
}

/// One data set's outcome.
#[derive(Debug, Clone, Serialize)]
pub struct SetResult {
    /// What the set is, e.g. `skillfortify malicious`.
    pub name: String,
    /// Whether its items should be flagged (malicious) or not (benign).
    pub malicious: bool,
    pub total: usize,
    /// Items flagged or blocked.
    pub detected: usize,
    pub blocked: usize,
    /// Malicious items missed, or benign items flagged, with the rules that fired.
    pub wrong: Vec<String>,
    /// Per category: how many items had a counted finding of it.
    pub categories: std::collections::BTreeMap<String, usize>,
}

impl SetResult {
    /// Detected share in percent.
    pub fn rate(&self) -> f64 {
        100.0 * self.detected as f64 / self.total.max(1) as f64
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub sets: Vec<SetResult>,
}

impl Evaluation {
    pub fn set(&self, name: &str) -> Option<&SetResult> {
        self.sets.iter().find(|s| s.name == name)
    }
}

impl fmt::Display for Evaluation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for s in &self.sets {
            let what = if s.malicious {
                "detected"
            } else {
                "flagged (false positives)"
            };
            writeln!(
                f,
                "{:<28} {:>4}/{:<4} {what}: {:.1}%, {} blocked",
                s.name,
                s.detected,
                s.total,
                s.rate(),
                s.blocked
            )?;
            if !s.categories.is_empty() {
                let by: Vec<String> = s
                    .categories
                    .iter()
                    .map(|(c, n)| format!("{c} {n}"))
                    .collect();
                writeln!(f, "    by category: {}", by.join(", "))?;
            }
            let label = if s.malicious { "missed" } else { "flagged" };
            for w in s.wrong.iter().take(if s.malicious { 12 } else { 25 }) {
                writeln!(f, "    {label}: {w}")?;
            }
            if s.wrong.len() > 25 {
                writeln!(f, "    … {} more", s.wrong.len() - 25)?;
            }
        }
        Ok(())
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> EvalError + '_ {
    move |source| EvalError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Every regular file under `dir` (up to 10 MiB each), as `(relative path, bytes)`, sorted.
pub fn read_tree(dir: &Path) -> Result<Vec<(String, Vec<u8>)>, EvalError> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(io(&d))? {
            let e = e.map_err(io(&d))?;
            let p = e.path();
            let ty = e.file_type().map_err(io(&p))?;
            if ty.is_dir() {
                stack.push(p);
            } else if ty.is_file() && e.metadata().map_err(io(&p))?.len() <= MAX_FILE {
                let bytes = std::fs::read(&p).map_err(io(&p))?;
                let rel = p.strip_prefix(dir).unwrap_or(&p);
                files.push((rel.to_string_lossy().replace('\\', "/"), bytes));
            }
        }
    }
    files.sort();
    Ok(files)
}

/// One judged sample: its status, its counted findings as `file:line rule`, and the
/// categories they fall in.
pub struct Judged {
    pub status: SafetyStatus,
    pub rules: Vec<String>,
    pub categories: std::collections::BTreeSet<&'static str>,
}

/// Scans every file under `dir` as one skill.
pub fn judge_dir(dir: &Path, thresholds: &Thresholds) -> Result<Judged, EvalError> {
    let files = read_tree(dir)?;
    let r = scan(
        files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
        thresholds,
    );
    let rules = r
        .counted()
        .filter(|f| f.severity > super::Severity::Info)
        .map(|f| format!("{}:{} {}", f.file, f.line, f.rule))
        .collect();
    let categories = r
        .counted()
        .filter(|f| f.severity >= super::Severity::Medium)
        .map(|f| f.category.as_str())
        .collect();
    Ok(Judged {
        status: r.status,
        rules,
        categories,
    })
}

/// A sample: the skill in it (its files scanned as the registry would see that skill), or
/// the strictest verdict of the skills in it, or the whole directory when it has none.
fn judge_sample(dir: &Path, thresholds: &Thresholds) -> Result<Judged, EvalError> {
    if dir.join(crate::skill::SKILL_FILE).is_file() {
        return judge_dir(dir, thresholds);
    }
    let skills = skill_dirs(dir)?;
    if skills.is_empty() {
        return judge_dir(dir, thresholds);
    }
    let mut worst = Judged {
        status: SafetyStatus::Clean,
        rules: Vec::new(),
        categories: Default::default(),
    };
    for s in skills {
        let j = judge_dir(&s, thresholds)?;
        worst.categories.extend(j.categories.iter().copied());
        if j.status > worst.status {
            worst.status = j.status;
            worst.rules = j.rules;
        }
    }
    Ok(worst)
}

/// Directories below `root` that hold a `SKILL.md`, sorted.
pub fn skill_dirs(root: &Path) -> Result<Vec<PathBuf>, EvalError> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        if d.join(crate::skill::SKILL_FILE).is_file() {
            out.push(d.clone());
        }
        for e in std::fs::read_dir(&d).map_err(io(&d))? {
            let e = e.map_err(io(&d))?;
            if e.file_type().map_err(io(&e.path()))?.is_dir() {
                stack.push(e.path());
            }
        }
    }
    out.sort();
    Ok(out)
}

fn subdirs(dir: &Path) -> Result<Vec<PathBuf>, EvalError> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).map_err(io(dir))? {
        let e = e.map_err(io(dir))?;
        if e.file_type().map_err(io(&e.path()))?.is_dir() {
            out.push(e.path());
        }
    }
    out.sort();
    Ok(out)
}

fn judge_set(
    name: &str,
    malicious: bool,
    dirs: &[PathBuf],
    base: &Path,
    thresholds: &Thresholds,
) -> Result<SetResult, EvalError> {
    let mut r = SetResult {
        name: name.into(),
        malicious,
        total: dirs.len(),
        detected: 0,
        blocked: 0,
        wrong: Vec::new(),
        categories: Default::default(),
    };
    for d in dirs {
        let Judged {
            status,
            rules,
            categories,
        } = judge_sample(d, thresholds)?;
        let hit = status != SafetyStatus::Clean;
        if hit {
            for c in categories {
                *r.categories.entry(c.to_string()).or_default() += 1;
            }
        }
        r.detected += usize::from(hit);
        r.blocked += usize::from(status == SafetyStatus::Blocked);
        let label = d.strip_prefix(base).unwrap_or(d).display().to_string();
        if hit != malicious {
            r.wrong.push(if rules.is_empty() {
                label
            } else {
                format!("{label} {} {}", status.as_str(), rules.join(", "))
            });
        }
    }
    Ok(r)
}

fn judge_jsonl(path: &Path, thresholds: &Thresholds) -> Result<[SetResult; 2], EvalError> {
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    let new = |name: &str, malicious| SetResult {
        name: name.into(),
        malicious,
        total: 0,
        detected: 0,
        blocked: 0,
        wrong: Vec::new(),
        categories: Default::default(),
    };
    let (mut inj, mut ben) = (
        new("deepset injections", true),
        new("deepset benign prompts", false),
    );
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |message: String| EvalError::Jsonl {
            path: path.to_path_buf(),
            line: i + 1,
            message,
        };
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| bad(e.to_string()))?;
        let (Some(body), Some(label)) = (v["text"].as_str(), v["label"].as_i64()) else {
            return Err(bad("missing `text` or `label`".into()));
        };
        let report = scan([(crate::skill::SKILL_FILE, body.as_bytes())], thresholds);
        let hit = report.status != SafetyStatus::Clean;
        let set = if label == 1 { &mut inj } else { &mut ben };
        set.total += 1;
        set.detected += usize::from(hit);
        set.blocked += usize::from(report.status == SafetyStatus::Blocked);
        if hit != set.malicious {
            let short: String = body.chars().take(70).collect();
            set.wrong.push(format!("line {}: {short:?}", i + 1));
        }
    }
    Ok([inj, ben])
}

/// Runs every data set found under `corpus`.
pub fn evaluate(corpus: &Path, thresholds: &Thresholds) -> Result<Evaluation, EvalError> {
    let mut sets = Vec::new();
    let sf = corpus.join("injection/skillfortify-claude");
    for (part, malicious) in [("malicious", true), ("benign", false)] {
        let dir = sf.join(part);
        if dir.is_dir() {
            let dirs = subdirs(&dir)?;
            sets.push(judge_set(
                &format!("skillfortify {part}"),
                malicious,
                &dirs,
                &dir,
                thresholds,
            )?);
        }
    }
    let real = corpus.join("skills");
    if real.is_dir() {
        let dirs = skill_dirs(&real)?;
        sets.push(judge_set(
            "real public skills",
            false,
            &dirs,
            &real,
            thresholds,
        )?);
    }
    let extra = corpus.join("skills-extra");
    if extra.is_dir() {
        let dirs = skill_dirs(&extra)?;
        sets.push(judge_set(
            "more real skills",
            false,
            &dirs,
            &extra,
            thresholds,
        )?);
    }
    let jsonl = corpus.join("injection/deepset-train.jsonl");
    if jsonl.is_file() {
        sets.extend(judge_jsonl(&jsonl, thresholds)?);
    }
    if sets.is_empty() {
        // A specimen tree: `<class>/{malicious,benign}/<case>/`, one set per class and side.
        for class in subdirs(corpus)? {
            let name = class
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            for (part, malicious) in [("malicious", true), ("benign", false)] {
                let dir = class.join(part);
                if dir.is_dir() {
                    let dirs = subdirs(&dir)?;
                    sets.push(judge_set(
                        &format!("{name} {part}"),
                        malicious,
                        &dirs,
                        &dir,
                        thresholds,
                    )?);
                }
            }
        }
    }
    if sets.is_empty() {
        return Err(EvalError::Empty(corpus.to_path_buf()));
    }
    Ok(Evaluation { sets })
}
