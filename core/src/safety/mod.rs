//! The built-in content-safety scanner, shared by `spm scan`, `spm publish` and the registry.
//!
//! A registry of instructions for AI agents is a prompt-injection supply chain. The scanner
//! looks for: system-prompt impersonation, instruction overrides, data exfiltration, privilege
//! escalation and persistence, hidden content (invisible Unicode, instructions in HTML
//! comments, base64/hex that decodes to instructions or commands) and dangerous script
//! behaviour. Each finding has a rule, category, severity, file, line, excerpt and a one-line
//! explanation; the findings give a score (0–100) and a status (`clean`, `flagged`, `blocked`).
//!
//! Context matters: skills that teach security quote attacks. Injection phrases inside code
//! spans, quotes, blockquotes, negated sentences ("never …") or documents about detecting
//! attacks are reported as context (no penalty). What code would *do* (send secrets out,
//! open a shell, pipe a download into `sh`) counts wherever it is written, except in
//! documents about detection.

mod context;
pub mod eval;
mod hidden;
pub mod names;
pub mod rules;

use std::fmt;
use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use serde::{Deserialize, Serialize};

use context::Context;
use rules::{Kind, RULES};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Impersonation,
    Override,
    Exfiltration,
    Escalation,
    HiddenContent,
    DangerousScript,
    /// Typosquatted names, dependency confusion.
    SupplyChain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    fn weight(self) -> u32 {
        match self {
            Severity::Critical => 60,
            Severity::High => 30,
            Severity::Medium => 12,
            Severity::Low => 4,
            Severity::Info => 0,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub category: Category,
    pub severity: Severity,
    pub file: String,
    pub line: u32,
    pub excerpt: String,
    pub explanation: String,
    /// Quoted, fenced, negated or taught: reported, not counted.
    pub in_context: bool,
}

/// The verdict on a version: served as is, served with a warning (installs need
/// `--allow-flagged`), or refused and never served. Parsed once where it enters (database
/// row, API answer); compared as a value everywhere else. Ordered from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum SafetyStatus {
    Clean,
    Flagged,
    Blocked,
}

impl SafetyStatus {
    pub const ALL: [SafetyStatus; 3] = [
        SafetyStatus::Clean,
        SafetyStatus::Flagged,
        SafetyStatus::Blocked,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SafetyStatus::Clean => "clean",
            SafetyStatus::Flagged => "flagged",
            SafetyStatus::Blocked => "blocked",
        }
    }
}

impl std::fmt::Display for SafetyStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is not a safety status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a safety status; use clean, flagged or blocked")]
pub struct UnknownStatus(pub String);

impl std::str::FromStr for SafetyStatus {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SafetyStatus::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

/// Score bounds; any counted critical finding blocks, any counted high one flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// Scores below this are flagged.
    pub flag_below: u32,
    /// Scores below this are blocked.
    pub block_below: u32,
}

impl Thresholds {
    /// `block_below <= flag_below <= 100`: anything else cannot be meant.
    pub fn is_valid(&self) -> bool {
        self.block_below <= self.flag_below && self.flag_below <= 100
    }
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            flag_below: 75,
            block_below: 35,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub status: SafetyStatus,
    pub score: u32,
    pub findings: Vec<Finding>,
}

impl Report {
    /// Findings that count towards the verdict.
    pub fn counted(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| !f.in_context)
    }
}

struct Compiled {
    set: RegexSet,
    each: Vec<Regex>,
}

fn compiled() -> &'static Compiled {
    static C: OnceLock<Compiled> = OnceLock::new();
    C.get_or_init(|| {
        // ASCII semantics (`\b`, `\w`, case folding) keep every rule on the fast lazy DFA; the
        // rules' words are ASCII. The patterns are constants of this crate; a bad one is a bug
        // caught by the tests.
        let patterns: Vec<&str> = RULES.iter().map(|r| r.pattern).collect();
        let set = RegexSetBuilder::new(&patterns)
            .unicode(false)
            .dfa_size_limit(64 << 20)
            .build()
            .expect("built-in safety rules compile");
        let each = patterns
            .iter()
            .map(|p| {
                RegexBuilder::new(p)
                    .unicode(false)
                    .build()
                    .expect("built-in safety rule compiles")
            })
            .collect();
        Compiled { set, each }
    })
}

fn floor(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil(text: &str, mut i: usize) -> usize {
    while i < text.len() && !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

fn excerpt(text: &str, start: usize, end: usize) -> String {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let line = text[line_start..line_end].trim();
    let mut out: String = line.chars().take(160).collect();
    if line.chars().count() > 160 {
        out.push('…');
    }
    out
}

/// Scans one text file.
pub fn scan_text(path: &str, text: &str) -> Vec<Finding> {
    scan_file(path, text, false)
}

/// Lines that use a secret to authenticate (a header, basic auth) rather than send it as data.
fn authenticates(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    [
        "authorization",
        "bearer",
        "x-api-key",
        "api-key:",
        " -u ",
        "--user ",
        "auth=(",
        "password=os.environ",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// A command inside a message that is printed (`echo "…curl x | sh"`), not run.
fn printed(line: &str, matched: &str) -> bool {
    let Some(pos) = line.find(matched) else {
        return false;
    };
    let before = &line[..pos];
    [
        "echo \"",
        "echo '",
        "print(",
        "printf",
        "console.log(",
        "log(\"",
    ]
    .iter()
    .any(|p| before.contains(p))
        && (before.matches('"').count() % 2 == 1 || before.matches('\'').count() % 2 == 1)
}

fn scan_file(path: &str, text: &str, skill_teaching: bool) -> Vec<Finding> {
    let c = compiled();
    let ctx = Context::new(path, text, skill_teaching);
    let mut out = Vec::new();
    for i in c.set.matches(text.as_bytes()).iter() {
        let rule = &RULES[i];
        for m in c.each[i].find_iter(text.as_bytes()).take(20) {
            // Matches are ASCII-anchored; widen to char boundaries for slicing.
            let (start, end) = (floor(text, m.start()), ceil(text, m.end()));
            let in_context = match rule.kind {
                Kind::Prose => ctx.quoted(start),
                Kind::Behaviour => {
                    ctx.teaching()
                        || printed(ctx.line_text(start), &text[start..end])
                        || (rule.id == "exfiltration/secret-read"
                            && authenticates(ctx.line_text(start)))
                }
            };
            out.push(Finding {
                rule: rule.id.into(),
                category: rule.category,
                severity: rule.severity,
                file: path.into(),
                line: ctx.line(start),
                excerpt: excerpt(text, start, end),
                explanation: rule.explanation.into(),
                in_context,
            });
        }
    }
    out.extend(hidden::scan(path, text, &ctx));
    combine(path, &mut out);
    out.sort_by(|a, b| (a.line, &a.rule).cmp(&(b.line, &b.rule)));
    out
}

/// Lines apart within which a secret source and a network sink are one flow.
const FLOW_LINES: u32 = 40;

/// A secret source and a network sink close together, both counted: data exfiltration.
/// Several different secrets gathered in one file: credential harvesting.
fn combine(path: &str, findings: &mut Vec<Finding>) {
    let counted = |f: &&Finding| !f.in_context && f.rule != "exfiltration/encode";
    let sources: Vec<u32> = findings
        .iter()
        .filter(counted)
        .filter(|f| {
            matches!(
                f.rule.as_str(),
                "exfiltration/env-dump"
                    | "exfiltration/secret-read"
                    | "exfiltration/credential-files"
                    | "exfiltration/private-keys"
            )
        })
        .map(|f| f.line)
        .collect();
    // A secret read, then encoded or serialised a few lines later: staged for transport.
    let staging = findings
        .iter()
        .filter(counted)
        .filter(|f| f.rule == "exfiltration/secret-read")
        .find(|f| {
            findings.iter().any(|g| {
                g.rule == "exfiltration/encode" && g.line >= f.line && g.line <= f.line + 6
            })
        })
        .cloned();
    if let Some(first) = staging {
        findings.push(Finding {
            rule: "exfiltration/secret-staging".into(),
            category: Category::Exfiltration,
            severity: Severity::High,
            file: path.into(),
            line: first.line,
            excerpt: first.excerpt,
            explanation: "reads secrets and encodes or serialises them for sending".into(),
            in_context: false,
        });
    }
    let sink = findings
        .iter()
        .filter(counted)
        .filter(|f| {
            matches!(
                f.rule.as_str(),
                "exfiltration/network-send" | "exfiltration/dns" | "script/encoded-endpoint"
            )
        })
        .find(|f| sources.iter().any(|&s| s.abs_diff(f.line) <= FLOW_LINES))
        .cloned();
    if let Some(sink) = sink {
        findings.push(Finding {
            rule: "exfiltration/secrets-to-network".into(),
            category: Category::Exfiltration,
            severity: Severity::Critical,
            file: path.into(),
            line: sink.line,
            excerpt: sink.excerpt,
            explanation:
                "reads secrets or the environment and sends data to a server in the same file"
                    .into(),
            in_context: false,
        });
    }
}

/// Scans every file of a skill: `(path, bytes)`; binary files are skipped. When the skill's
/// own SKILL.md is about security or detection, its examples everywhere are read as such.
pub fn scan<'a>(
    files: impl IntoIterator<Item = (&'a str, &'a [u8])>,
    thresholds: &Thresholds,
) -> Report {
    let files: Vec<(&str, &str)> = files
        .into_iter()
        .filter_map(|(p, b)| Some((p, std::str::from_utf8(b).ok()?)))
        .collect();
    let skill_teaching = files
        .iter()
        .find(|(p, _)| *p == crate::skill::SKILL_FILE)
        .is_some_and(|(p, t)| Context::new(p, t, false).teaching());
    let mut findings = Vec::new();
    for (path, text) in &files {
        findings.extend(scan_file(path, text, skill_teaching));
    }
    if let Some((_, text)) = files.iter().find(|(p, _)| *p == crate::skill::SKILL_FILE) {
        findings.extend(lookalike_name(text));
    }
    verdict(findings, thresholds)
}

/// The skill's name (from `SKILL.md` text) when it imitates a well-known word.
fn lookalike_name(skill_md: &str) -> Option<Finding> {
    let skill = crate::skill::Skill::from_bytes(
        skill_md.as_bytes(),
        std::path::Path::new(crate::skill::SKILL_FILE),
        &crate::skill::Options::default(),
    );
    let name = skill.manifest?.name;
    let (part, word) = names::lookalike(&name)?;
    let line = skill_md
        .lines()
        .position(|l| l.trim_start().starts_with("name:"))
        .map_or(1, |i| i as u32 + 1);
    Some(Finding {
        rule: "supply-chain/lookalike-name".into(),
        category: Category::SupplyChain,
        severity: Severity::High,
        file: crate::skill::SKILL_FILE.into(),
        line,
        excerpt: format!("name: {name}"),
        explanation: format!(
            "`{part}` in the name is one typo away from the well-known `{word}`: a name made to be mistaken for another (typosquatting)"
        ),
        in_context: false,
    })
}

/// A finding for a name one typo away from `other`, a skill another author published.
pub fn similar_name(name: &str, other: &str) -> Finding {
    Finding {
        rule: "supply-chain/similar-name".into(),
        category: Category::SupplyChain,
        severity: Severity::High,
        file: crate::skill::SKILL_FILE.into(),
        line: 1,
        excerpt: format!("name: {name}"),
        explanation: format!(
            "the name is one typo away from `{other}`, published by another author: a name made to be mistaken for it (typosquatting)"
        ),
        in_context: false,
    }
}

/// Score and status from findings.
pub fn verdict(findings: Vec<Finding>, thresholds: &Thresholds) -> Report {
    let counted: Vec<&Finding> = findings.iter().filter(|f| !f.in_context).collect();
    // One rule counts at most twice, so a long file repeating one pattern is not a verdict by itself.
    let mut per_rule: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    let mut penalty = 0u32;
    for f in &counted {
        let n = per_rule.entry(&f.rule).or_default();
        *n += 1;
        if *n <= 2 {
            penalty += f.severity.weight();
        }
    }
    let score = 100u32.saturating_sub(penalty);
    let worst = counted.iter().map(|f| f.severity).max();
    let status = if worst == Some(Severity::Critical) || score < thresholds.block_below {
        SafetyStatus::Blocked
    } else if worst == Some(Severity::High) || score < thresholds.flag_below {
        SafetyStatus::Flagged
    } else {
        SafetyStatus::Clean
    };
    Report {
        status,
        score,
        findings,
    }
}

#[cfg(test)]
mod tests;
