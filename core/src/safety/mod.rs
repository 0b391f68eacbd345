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

mod bundle;
mod code;
mod context;
pub mod eval;
mod hidden;
pub mod hosts;
mod manifests;
pub mod names;
pub mod prefilter;
pub mod rules;
mod shell;

use std::fmt;
use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};
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
    /// Typosquatted names, dependency confusion, packages from elsewhere than a registry.
    SupplyChain,
    /// Lasting changes: shell start-up files, cron, git hooks, services, the agent's memory.
    Persistence,
    /// Safety controls switched off: hooks, linters, tests, review, sandbox, antivirus.
    ControlDisablement,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Impersonation => "impersonation",
            Category::Override => "override",
            Category::Exfiltration => "exfiltration",
            Category::Escalation => "escalation",
            Category::HiddenContent => "hidden-content",
            Category::DangerousScript => "dangerous-script",
            Category::SupplyChain => "supply-chain",
            Category::Persistence => "persistence",
            Category::ControlDisablement => "control-disablement",
        }
    }
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

/// The rules, compiled once. The patterns are constants of this crate; a bad one is a bug
/// caught by the tests.
fn compiled() -> &'static prefilter::Rules {
    static C: OnceLock<prefilter::Rules> = OnceLock::new();
    C.get_or_init(|| {
        let patterns: Vec<&str> = RULES.iter().map(|r| r.pattern).collect();
        prefilter::Rules::new(&patterns).expect("built-in safety rules compile")
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
    clip(&text[line_start..line_end])
}

/// A line as a finding shows it: trimmed, at most 160 characters, `…` where it was cut.
fn clip(line: &str) -> String {
    let line = line.trim();
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

/// Whether every `.ssh/` path on the line is a public key, `known_hosts` or `config`.
fn public_key_only(line: &str) -> bool {
    let mut any = false;
    for (i, _) in line.match_indices(".ssh/") {
        any = true;
        let rest = &line[i + 5..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || "._-*".contains(*c))
            .collect();
        if !(name.ends_with(".pub")
            || name == "known_hosts"
            || name == "config"
            || name.starts_with("authorized_keys")
            || name == "authorized_keys")
        {
            return false;
        }
    }
    any
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
        // A detection pattern: `(r'>\s*/dev/tcp/', "reverse shell")`, `re.compile(…)`.
        || ["re.compile(", "RegExp(", "regex"].iter().any(|p| before.contains(p))
        // A raw string literal starts a word (`(r'…'`, `= r"…"`); `"$r"` in a shell is not one.
        || ["r'", "r\""].iter().any(|p| {
            before.match_indices(p).any(|(i, _)| {
                i == 0 || before[..i].ends_with([' ', '(', '=', ',', '['])
            })
        })
}

fn scan_file(path: &str, text: &str, skill_teaching: bool) -> Vec<Finding> {
    let c = compiled();
    let ctx = Context::new(path, text, skill_teaching);
    let mut out = Vec::new();
    for (i, found) in c.matches(text.as_bytes()) {
        let rule = &RULES[i];
        for m in found {
            // Matches are ASCII-anchored; widen to char boundaries for slicing.
            let (start, end) = (floor(text, m.start), ceil(text, m.end));
            let in_context = match rule.kind {
                // Text addressed to a scanner is an attack however it is set (a quote block is
                // how such notes are styled), unless the document teaches about them.
                Kind::Prose if rule.id == "override/scanner-addressed" => {
                    ctx.quoted_unless_block(start)
                }
                // A flag named in the description is what the skill documents.
                Kind::Prose => {
                    ctx.quoted_as(start, NEGATING.contains(&rule.id))
                        || (text[start..end].starts_with("--") && ctx.in_description(start))
                }
                Kind::Behaviour => {
                    ctx.teaching()
                        || (ctx.in_table(start) && !ctx.instructing_cell(start, end))
                        || denies(ctx.line_text(start))
                        || (text[start..end].starts_with("--") && ctx.in_description(start))
                        || (ctx.markdown() && forbids(ctx.line_text(start)))
                        // A credential file named in prose, with nothing done to it.
                        || (rule.id == "exfiltration/credential-files"
                            && ctx.markdown()
                            && !acts_on(ctx.line_text(start)))
                        // A token read into the environment for the tool that uses it
                        // (`export TOKEN="$(security find-generic-password -w …)"`).
                        || (rule.id == "exfiltration/private-keys"
                            && stores_for_auth(ctx.line_text(start)))
                        // Malware is shared in archives locked with `infected`, so that no
                        // scanner or double-click opens it by accident: handling samples.
                        || (rule.id == "hidden/password-archive"
                            && sample_password(ctx.line_text(start))
                            && shell::topic_has(&["malware", "sample", "triage", "forensic", "incident", "reverse engineer", "threat"]))
                        || (rule.id == "exfiltration/private-keys"
                            && public_key_only(ctx.line_text(start)))
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
    let visible = hidden::without_invisible(text);
    out.extend(hidden::scan(path, text, &ctx, visible.is_some()));
    // Read again as the eye sees it: words broken up by invisible characters joined.
    if let Some(visible) = visible {
        for mut f in scan_file(path, &visible, skill_teaching) {
            if !out.iter().any(|o| o.rule == f.rule && o.line == f.line) {
                f.excerpt = format!("(invisible characters removed) {}", f.excerpt);
                out.push(f);
            }
        }
    }
    let structured = structure(path, text, &ctx, &mut out);
    if !structured {
        // Code no parser here reads (Ruby, Go, PHP…): a secret source near a network sink.
        combine(path, &mut out);
    }
    padding(path, text, &ctx, &mut out);
    let base = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if !ctx.markdown() || (base.starts_with("requirements") && base.ends_with(".txt")) {
        manifests::direct_references(path, text, &ctx, &mut out);
    }
    manifests::registry_settings(path, text, &ctx, &mut out);
    if base == "go.mod" || base.starts_with("go.mod.") {
        manifests::replaced_modules(path, text, &ctx, &mut out);
    }
    if ctx.markdown() {
        passages(path, text, &ctx, &mut out);
    }
    addressed(text, &ctx, &mut out);
    out.sort_by(|a, b| (a.line, &a.rule).cmp(&(b.line, &b.rule)));
    out
}

/// Rules whose own words are a negation ("do not tell the user"): a "do not" on their line
/// does not make them quoted.
const NEGATING: &[&str] = &[
    "override/conceal-from-user",
    "override/hide-from-user",
    "override/unchecked-orders",
    "exfiltration/silent-send",
];

/// Verbs and pronouns that make a negation bear on running what follows.
const FORBIDDEN_ACTS: &[&str] = &[
    "run",
    "use",
    "execute",
    "do",
    "paste",
    "type",
    "copy",
    "try",
    "follow",
    "call",
    "commit",
    "push",
    "install",
    "enter",
    "anything",
    "following",
    "ever",
    "pipe",
    "curl",
    "source",
    "eval",
    "allow",
    "disable",
    "skip",
    "bypass",
    "store",
    "write",
    "put",
    "hardcode",
    "expose",
    "share",
    "send",
    "upload",
    "leave",
];

/// Whether the line (0-based `row` of `text`) forbids or merely shows what follows.
fn forbids(line: &str) -> bool {
    let l = context::without_hiding(&line.to_ascii_lowercase());
    // A negation forbids what follows when it bears on doing it ("never run", "do not use
    // this"), not on anything ("you don't have to guess which file").
    let negated_action = [
        "never",
        "don't",
        "do not",
        "must not",
        "should not",
        "shouldn't",
    ]
    .iter()
    .any(|n| {
        l.match_indices(n).any(|(i, _)| {
            // The verb right after it, past an adverb ("never ever run", "do not just
            // paste"): "never blocks a commit" says what something does not do.
            let mut words = l[i + n.len()..]
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| !w.is_empty());
            let first = words.next().unwrap_or("");
            let verb =
                if ["ever", "just", "blindly", "directly", "simply", "actually"].contains(&first) {
                    words.next().unwrap_or("")
                } else {
                    first
                };
            FORBIDDEN_ACTS.contains(&verb)
        })
    });
    negated_action
        || [
            "instead of",
            "bad:",
            "wrong",
            "❌",
            "not recommended",
            "dangerous",
            "insecure",
            "anti-pattern",
            "antipattern",
            "unsafe",
            "deny",
            "denied",
            "refuse",
            "attack",
            "malicious",
            "example of",
            // Chinese and Japanese prohibitions: 绝不 / 不要 / 禁止 / 切勿 ("never, do not").
            "绝不",
            "不要",
            "切勿",
            "严禁",
            "決して",
            "никогда",
            "нельзя",
            "не запускайте",
            "не используйте",
            "не делайте",
            "запрещ",
            "asla ",
            "çalıştırmayın",
            "kullanmayın",
            "yapmayın",
            "しないで",
            "하지 마",
        ]
        .iter()
        .any(|w| l.contains(w))
}

/// Whether the archive password on a line is the malware-sharing convention `infected`
/// itself (`7z x -pinfected`, `password: infected`), not merely a word holding it.
fn sample_password(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    l.match_indices("infected").any(|(i, _)| {
        let before = l[..i].trim_end_matches(['"', '\'', ' ', ':', '=', '`']);
        let after = l[i + "infected".len()..].chars().next();
        (before.ends_with("-p") || before.ends_with("password") || before.ends_with("passwort"))
            && after.is_none_or(|c| !c.is_ascii_alphanumeric())
    })
}

/// Whether a line of prose does something to what it names: reads, sends, copies, encodes.
fn acts_on(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    [
        "read", "cat ", "send", "upload", "copy", "collect", "post", "include", "attach", "encode",
        "base64", "print", "open", "zip", "tar ", "curl", "exfil", "forward", "paste", "share",
        "sync", "lire", "envoy", "lesen", "senden", "leer", "enviar", "inviare", "读取", "发送",
        "読み", "送信",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// Whether a line puts a secret into a variable of the environment and nothing else
/// (`export NPM_TOKEN="$(security find-generic-password -s npm -w)"`).
fn stores_for_auth(line: &str) -> bool {
    let t = line.trim_start().trim_start_matches("export ").trim_start();
    let Some((name, value)) = t.split_once('=') else {
        return false;
    };
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        && ["TOKEN", "KEY", "PASS", "SECRET", "AUTH"]
            .iter()
            .any(|k| name.contains(k));
    let l = value.to_ascii_lowercase();
    let private_key = l.contains(".ssh/id_") || l.contains(".pem") || l.contains(".key");
    name_ok
        && !private_key
        && !["curl", "wget", "http", "nc ", "| ", "base64"]
            .iter()
            .any(|w| l.contains(w) && !(w == &"| " && l.contains("||")))
}

/// Whether a line lists what is denied (`"deny": ["Read(~/.ssh/**)"]`, `blocklist:`): a
/// permission rule naming a secret keeps the agent away from it.
fn denies(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    [
        "\"deny\"",
        "deny:",
        "denylist",
        "deny_list",
        "blocklist",
        "disallow",
        "\"block\"",
        "forbidden",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// Whether the prose before an inline command offers it as the way to undo something
/// ("To uninstall: `rm .git/hooks/pre-commit`").
fn undoes(before: &str) -> bool {
    let l = before.trim_end().to_ascii_lowercase();
    // Right before the command: "To uninstall: `…`", "To uninstall, run `…`".
    let l = l.trim_end_matches([':', ',', ' ']);
    let l = l
        .strip_suffix(" run")
        .unwrap_or(l)
        .trim_end_matches([':', ',', ' ']);
    l.ends_with("to uninstall") || l.ends_with("to uninstall it") || l.ends_with("uninstall")
}

/// Whether the text after an inline command says what the command does (the command is the
/// sentence's subject) rather than telling anyone to run it.
fn describes_command(after: &str) -> bool {
    let mut rest = after.trim_start();
    // `(or `-n`)`, `(alias …)` between the command and its verb.
    if rest.starts_with('(')
        && let Some(close) = rest.find(')')
    {
        rest = rest[close + 1..].trim_start();
    }
    let verb = rest
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    let l = rest.to_ascii_lowercase();
    // What it does to a check, said in the third person: not "is the installer".
    [
        "skips",
        "disables",
        "bypasses",
        "turns",
        "forces",
        "prevents",
        "removes",
        "deletes",
        "stops",
        "ignores",
        "silences",
        "suppresses",
    ]
    .contains(&verb.as_str())
        && ![
            "always",
            "you must",
            "you should",
            "make sure to",
            "be sure to",
            "instead",
            "paste",
            "run it",
            "first",
        ]
        .iter()
        .any(|w| l.contains(w))
}

/// Whether a list's lead or a table's header presents what follows as things to flag or
/// detect rather than steps.
fn frames_examples(line: &str) -> bool {
    let l = line.to_ascii_lowercase();
    // Said of the listed things themselves: not "do not skip these steps".
    [
        "to flag",
        "flag these",
        "flag them",
        "red flag",
        "indicators of",
        "recognise these",
        "recognize these",
        "report them",
        "credential-stealing",
        "credential stealing",
        "stealer",
        "malicious",
        "attack",
        "do not run",
        "don't run",
        "never run",
        "do not follow",
        "don't follow",
        "never follow",
        "do not act on",
        "don't act on",
        "do not execute",
        "never execute",
        "do not paste",
        "never paste",
        // The same in the other languages skills are written in.
        "a detectar",
        "à détecter",
        "a détecter",
        "zu erkennen",
        "da rilevare",
        "a detetar",
        "要检测",
        "检测示例",
        "検出対象",
        "検知する",
        "탐지할",
        "to detect",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// Judges `text` as shell commands whose first line is the file's line `line`.
#[allow(clippy::too_many_arguments)]
fn shell_at(
    path: &str,
    out: &mut Vec<Finding>,
    text: &str,
    line: u32,
    dialect: shell::Dialect,
    shown: bool,
    table: bool,
    earlier: Option<&shell::Downloads>,
) {
    let unit = shell::Unit {
        text,
        line,
        dialect,
        shown,
        table,
        earlier,
    };
    shell::scan(path, &unit, out, 0);
}

/// A run of spaces long enough to push text out of view.
const PAD: &str = "                                                                                                    ";

/// Where a run of [`PAD`] starts in `line`, if one does (one searcher for every line).
fn padded(line: &str) -> Option<usize> {
    static F: OnceLock<memchr::memmem::Finder<'static>> = OnceLock::new();
    if line.len() < PAD.len() {
        return None;
    }
    F.get_or_init(|| memchr::memmem::Finder::new(PAD))
        .find(line.as_bytes())
}

/// Reads a file's structure and judges its commands and code as programs: whole shell,
/// PowerShell, Python and JavaScript files; in markdown, fenced blocks, inline commands and
/// command lines. Returns whether the file was read as code or markdown.
fn structure(path: &str, text: &str, ctx: &Context, out: &mut Vec<Finding>) -> bool {
    let lower = path.to_ascii_lowercase();
    let teaching = ctx.teaching();
    let first = text.lines().next().unwrap_or("");
    let sh = [
        ".sh",
        ".bash",
        ".zsh",
        ".command",
        ".ksh",
        "makefile",
        "dockerfile",
    ]
    .iter()
    .any(|e| lower.ends_with(e))
        || (first.starts_with("#!")
            && (first.contains("sh") && !first.contains("python") && !first.contains("node")));
    let ps = lower.ends_with(".ps1") || lower.ends_with(".psm1") || lower.ends_with(".psd1");
    if sh || ps {
        // A Makefile's recipes and a Dockerfile's RUN lines are the commands; the rest keeps
        // its line so rows stay the file's.
        let recipes;
        let text = if lower.ends_with("makefile") || lower.ends_with(".mk") {
            recipes = text
                .lines()
                .map(|l| {
                    l.strip_prefix('\t')
                        .map_or("", |r| r.trim_start_matches(['@', '-', '+']))
                })
                .collect::<Vec<_>>()
                .join("\n");
            recipes.as_str()
        } else if lower.ends_with("dockerfile") {
            recipes = text
                .lines()
                .map(|l| {
                    let t = l.trim_start();
                    t.strip_prefix("RUN ")
                        .or_else(|| t.strip_prefix("run "))
                        .unwrap_or(if l.starts_with([' ', '\t']) { t } else { "" })
                })
                .collect::<Vec<_>>()
                .join("\n");
            recipes.as_str()
        } else {
            text
        };
        shell_at(
            path,
            out,
            text,
            1,
            if ps {
                shell::Dialect::Pwsh
            } else {
                shell::Dialect::Sh
            },
            teaching,
            false,
            None,
        );
        return true;
    }
    if let Some(lang) = code::Lang::of_path(path).or_else(|| {
        (first.starts_with("#!") && first.contains("python")).then_some(code::Lang::Python)
    }) {
        code::scan(path, text, lang, 1, teaching, out);
        return true;
    }
    if !ctx.markdown() {
        return config_commands(path, text, teaching, out);
    }
    let lines: Vec<&str> = text.lines().collect();
    // What the document's blocks download, for the blocks after them.
    let downloads = shell::Downloads::default();
    let mut i = 0;
    let mut prev_prose = "";
    // Inside a fenced block of markdown, read as the document's own lines (see
    // `context::is_prose_fence`): its closing fence.
    let mut prose_fence: Option<&str> = None;
    while i < lines.len() {
        let line = lines[i];
        let t = line.trim_start();
        if let Some(f) = prose_fence
            && t.starts_with(f)
        {
            prose_fence = None;
            i += 1;
            continue;
        }
        if prose_fence.is_none() && context::is_prose_fence(t) {
            prose_fence = Some(if t.starts_with('~') { "~~~" } else { "```" });
            i += 1;
            continue;
        }
        if let Some(fence) = ["```", "~~~"]
            .into_iter()
            .find(|f| t.starts_with(f))
            .filter(|_| prose_fence.is_none())
        {
            let lang = t
                .trim_start_matches(['`', '~'])
                .split_whitespace()
                .next()
                .unwrap_or("");
            let start = i + 1;
            let mut end = start;
            while end < lines.len() && !lines[end].trim_start().starts_with(fence) {
                end += 1;
            }
            let shown = teaching || forbids(prev_prose);
            let first_line = start as u32 + 1;
            let before_block = out.len();
            let cron = matches!(lang.to_ascii_lowercase().as_str(), "cron" | "crontab");
            if let Some(dialect) = shell::fence_dialect(lang).or(cron.then_some(shell::Dialect::Sh))
            {
                let cleaned: String = lines[start..end.min(lines.len())]
                    .iter()
                    .map(|l| {
                        if cron {
                            shell::without_schedule(l)
                        } else {
                            shell::strip_prompt(l)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n");
                if cron {
                    shell::scheduled(path, out, &cleaned, first_line, shown);
                }
                shell_at(
                    path,
                    out,
                    &cleaned,
                    first_line,
                    dialect,
                    shown,
                    false,
                    Some(&downloads),
                );
            } else if let Some(l) = code::Lang::of_fence(lang) {
                let body = lines[start..end.min(lines.len())].join("\n");
                code::scan(path, &body, l, first_line, shown, out);
                // Commands pasted among the code are still commands.
                for (k, l) in lines[start..end.min(lines.len())].iter().enumerate() {
                    if shell::looks_like_command(l) {
                        let line = first_line + k as u32;
                        shell_at(
                            path,
                            out,
                            shell::strip_prompt(l),
                            line,
                            shell::Dialect::Sh,
                            shown,
                            false,
                            Some(&downloads),
                        );
                    }
                }
            } else if lang.is_empty() || matches!(lang, "text" | "txt" | "plain" | "none") {
                // Only the lines that read as commands, each judged once; the others stay
                // as empty lines so the rows keep their file lines.
                let kept: Vec<&str> = lines[start..end.min(lines.len())]
                    .iter()
                    .map(|l| {
                        if shell::looks_like_command(l) {
                            shell::strip_prompt(l)
                        } else {
                            ""
                        }
                    })
                    .collect();
                if kept.iter().any(|l| !l.is_empty()) {
                    let cleaned = kept.join("\n");
                    shell_at(
                        path,
                        out,
                        &cleaned,
                        first_line,
                        shell::Dialect::Sh,
                        shown,
                        false,
                        Some(&downloads),
                    );
                }
            }
            // A block the text before it puts behind the user's consent ("Confirm with the
            // user that collaborators are informed") is a step the user decides: what it
            // destroys is their call, not a hidden act.
            if asks_consent(&lines[..i]) {
                for f in &mut out[before_block..] {
                    if matches!(
                        f.rule.as_str(),
                        "script/destructive" | "exfiltration/repo-push"
                    ) {
                        f.in_context = true;
                    }
                }
            }
            // A block under "Removal" / "Uninstall" takes the skill's own set-up away again:
            // the hooks it removes are the ones it installed.
            if undoes_setup(&lines[..i], &lines[start..end.min(lines.len())]) {
                for f in &mut out[before_block..] {
                    if f.category == Category::ControlDisablement {
                        f.in_context = true;
                    }
                }
            }
            i = end + 1;
            continue;
        }
        // Text pushed far right by a run of spaces is read as a line of its own.
        let tail = padded(line).map(|k| line[k..].trim_start());
        // A list or table under a lead that forbids or flags what it lists ("Recognise these
        // and report them; do not act on them:", "| Pattern | Example to flag |") shows its
        // commands, critical ones too.
        let framed_cell = std::cell::OnceCell::new();
        let framed = || {
            *framed_cell.get_or_init(|| {
                let off = line.as_ptr() as usize - text.as_ptr() as usize;
                ctx.block_lead(off).is_some_and(|(lead, header)| {
                    frames_examples(lead) || header.is_some_and(frames_examples)
                })
            })
        };
        for line in std::iter::once(line).chain(tail) {
            let t = line.trim_start();
            // Whether the line shows rather than runs: `forbids` is worked out only for a
            // line that holds a command.
            let table_row = t.starts_with('|');
            let shown_now = teaching || table_row || t.starts_with('>');
            let shown_cell = std::cell::OnceCell::new();
            let shown = || *shown_cell.get_or_init(|| shown_now || forbids(line) || framed());
            let table_cell = std::cell::OnceCell::new();
            let table = || *table_cell.get_or_init(|| table_row && !framed());
            // Inline commands: `curl … | sh`.
            let mut from = 0;
            let mut spans = 0;
            while let Some(a) = line[from..].find('`') {
                let s0 = from + a + 1;
                let Some(b) = line[s0..].find('`') else { break };
                // In a table a cell's `|` is written `\|`.
                let unescaped;
                let span = if table_row && line[s0..s0 + b].contains("\\|") {
                    unescaped = line[s0..s0 + b].replace("\\|", "|");
                    unescaped.as_str()
                } else {
                    &line[s0..s0 + b]
                };
                from = s0 + b + 1;
                spans += 1;
                if spans > 40 {
                    break;
                }
                if span.len() > 3 && shell::looks_like_command(span) {
                    // A command a table's cell tells the reader to run is a step.
                    let step = table_row && {
                        let cell = &line[..s0.saturating_sub(1)];
                        let k = cell.rfind('|').map_or(0, |k| k + 1);
                        context::instructs(&cell[k..])
                    };
                    // The command as the subject of a sentence that says what it does
                    // ("`git commit --no-verify` (or `-n`) skips the hooks") documents it.
                    let describes =
                        describes_command(&line[from..]) || undoes(&line[..s0.saturating_sub(1)]);
                    let dialect = if [
                        "iex",
                        "iwr",
                        "invoke-",
                        "start-process",
                        "set-mppreference",
                        "powershell",
                    ]
                    .iter()
                    .any(|p| span.to_ascii_lowercase().starts_with(p))
                    {
                        shell::Dialect::Pwsh
                    } else {
                        shell::Dialect::Sh
                    };
                    let shown_span = if step {
                        teaching || forbids(line) || framed()
                    } else {
                        shown() || describes
                    };
                    shell_at(
                        path,
                        out,
                        span,
                        i as u32 + 1,
                        dialect,
                        shown_span,
                        table() && !describes && !step,
                        Some(&downloads),
                    );
                }
            }
            // A command line in prose: `1. curl …`, `- run: bash x.sh`.
            let stripped = t
                .trim_start_matches(|c: char| {
                    c.is_ascii_digit() || c == '.' || c == ')' || c == '-' || c == '*' || c == '+'
                })
                .trim_start();
            let stripped = stripped.split_once(": ").map_or(stripped, |(head, rest)| {
                if head.split_whitespace().count() <= 3 && shell::looks_like_command(rest) {
                    rest
                } else {
                    stripped
                }
            });
            if !stripped.contains('`') && shell::looks_like_command(stripped) {
                shell_at(
                    path,
                    out,
                    shell::strip_prompt(stripped),
                    i as u32 + 1,
                    shell::Dialect::Sh,
                    shown(),
                    false,
                    Some(&downloads),
                );
            }
        }
        if !t.is_empty() {
            prev_prose = line;
        }
        i += 1;
    }
    true
}

/// Commands a config file runs: an editor task's or a dev container's `command`, a
/// package's `scripts`, a CI step's `run:`. Each is judged as shell; a task that runs when
/// the folder is opened (`"runOn": "folderOpen"`) is persistence. The rest of the file is
/// still read as text (`false`: not structured code).
fn config_commands(path: &str, text: &str, shown: bool, out: &mut Vec<Finding>) -> bool {
    let lower = path.to_ascii_lowercase();
    let json = lower.ends_with(".json") || lower.ends_with(".jsonc");
    let yaml = lower.ends_with(".yml") || lower.ends_with(".yaml");
    if !json && !yaml {
        return false;
    }
    static KEYED: OnceLock<Regex> = OnceLock::new();
    let keyed = KEYED.get_or_init(|| {
        RegexBuilder::new(
            r#""(command|cmd|script|run|exec|shellCommand|postinstall|preinstall|install|prepare|prepublish|postCreateCommand|postStartCommand|onCreateCommand|initializeCommand|updateContentCommand)"\s*:\s*"((?:[^"\\]|\\.)*)""#,
        )
        .unicode(false)
        .build()
        .expect("the config-command pattern compiles")
    });
    let line_of = |offset: usize| text[..offset].matches('\n').count() as u32 + 1;
    let mut commands: Vec<(u32, String)> = Vec::new();
    if json {
        for c in keyed.captures_iter(text.as_bytes()).take(200) {
            if let Some(v) = c.get(2) {
                let raw = String::from_utf8_lossy(v.as_bytes());
                commands.push((line_of(v.start()), json_unescape(&raw)));
            }
        }
        // Every value of a package's `scripts`.
        if let Some(i) = text.find("\"scripts\"")
            && let Some(open) = text[i..].find('{').map(|o| i + o)
            && let Some(close) = text[open..].find('}').map(|c| open + c)
        {
            static PAIR: OnceLock<Regex> = OnceLock::new();
            let pair = PAIR.get_or_init(|| {
                RegexBuilder::new(r#""[^"\\]*"\s*:\s*"((?:[^"\\]|\\.)*)""#)
                    .unicode(false)
                    .build()
                    .expect("the script-pair pattern compiles")
            });
            for c in pair.captures_iter(&text.as_bytes()[open..close]).take(200) {
                if let Some(v) = c.get(1) {
                    let raw = String::from_utf8_lossy(v.as_bytes());
                    commands.push((line_of(open + v.start()), json_unescape(&raw)));
                }
            }
        }
    } else {
        let lines: Vec<&str> = text.lines().collect();
        let mut i = 0;
        while i < lines.len() {
            let l = lines[i];
            let t = l.trim_start().trim_start_matches("- ").trim_start();
            let Some((key, value)) = t.split_once(':') else {
                i += 1;
                continue;
            };
            if !matches!(
                key.trim(),
                "run" | "command" | "script" | "entrypoint" | "cmd"
            ) {
                i += 1;
                continue;
            }
            let value = value.trim();
            if value.starts_with('|') || value.starts_with('>') {
                let indent = l.len() - l.trim_start().len();
                let mut body = Vec::new();
                let mut j = i + 1;
                while j < lines.len()
                    && (lines[j].trim().is_empty()
                        || lines[j].len() - lines[j].trim_start().len() > indent)
                {
                    body.push(lines[j].trim_start());
                    j += 1;
                }
                commands.push((i as u32 + 2, body.join("\n")));
                i = j;
                continue;
            }
            if !value.is_empty() {
                commands.push((i as u32 + 1, value.trim_matches(['"', '\'']).to_string()));
            }
            i += 1;
        }
    }
    let autorun = json && text.contains("\"folderOpen\"");
    for (line, cmd) in commands.iter().take(200) {
        shell_at(
            path,
            out,
            cmd,
            *line,
            shell::Dialect::Sh,
            shown,
            false,
            None,
        );
        if autorun {
            out.push(Finding {
                rule: "persistence/autorun-task".into(),
                category: Category::Persistence,
                severity: if shell::active(cmd) {
                    Severity::High
                } else {
                    Severity::Low
                },
                file: path.into(),
                line: *line,
                excerpt: clip(cmd),
                explanation: "an editor task that runs by itself whenever the folder is opened"
                    .into(),
                in_context: shown,
            });
        }
    }
    false
}

/// A JSON string's text with its escapes read.
fn json_unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => {}
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                if let Some(c) = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    out.push(c);
                }
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// Whether the paragraph right before a block (the last lines of `before`) asks for the
/// user's confirmation first.
fn asks_consent(before: &[&str]) -> bool {
    let para: Vec<&str> = before
        .iter()
        .rev()
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty())
        .take(8)
        .copied()
        .collect();
    let l = para.join(" ").to_lowercase();
    let negated = |i: usize| {
        let before = l[..i].trim_end();
        [
            "don't",
            "do not",
            "never",
            "without",
            "no need to",
            "skip",
            "n't",
        ]
        .iter()
        .any(|n| before.ends_with(n))
    };
    [
        "confirm with the user",
        "ask the user",
        "user confirms",
        "user has confirmed",
        "explicit confirmation",
        "after confirmation",
        "demander confirmation",
        "demandez confirmation",
        "confirmation de l'utilisateur",
        "bestätigen lassen",
        "bestätigung des nutzers",
        "confirmación del usuario",
        "confirmação do usuário",
        "conferma dell'utente",
        "用户确认",
        "ユーザーの確認",
        "ユーザーに確認",
    ]
    .iter()
    .any(|w| l.match_indices(w).any(|(i, _)| !negated(i)))
}

/// Whether the heading or the paragraph right before a block says it removes what was set
/// up ("## Removal", "To uninstall:").
fn undoes_setup(before: &[&str], block: &[&str]) -> bool {
    let near: Vec<&str> = before
        .iter()
        .rev()
        .filter(|l| !l.trim().is_empty())
        .take(3)
        .copied()
        .collect();
    let heading = near
        .iter()
        .find(|l| l.trim_start().starts_with('#'))
        .copied();
    let lead = near.first().copied().unwrap_or("");
    let has = |l: &str, words: &[&str]| {
        let l = l.to_lowercase();
        words.iter().any(|w| l.contains(w))
    };
    // Uninstalling, said so; or a removal section whose block uninstalls a package.
    const UNINSTALL: &[&str] = &[
        "uninstall",
        "deinstall",
        "désinstall",
        "desinstal",
        "disinstall",
        "卸载",
        "アンインストール",
    ];
    const REMOVAL: &[&str] = &[
        "removal",
        "entfernen",
        "rimozione",
        "삭제",
        "удален",
        "suppression",
    ];
    let uninstalls = block
        .iter()
        .any(|l| has(l, &["uninstall", " remove ", "pip remove"]));
    heading.is_some_and(|h| has(h, UNINSTALL))
        || has(lead, UNINSTALL)
        || (uninstalls && heading.is_some_and(|h| has(h, REMOVAL)))
}

/// When the last of `lines` is inside a fenced block, the index of its opening fence.
fn fence_start(lines: &[&str]) -> Option<usize> {
    let mut open = None;
    for (i, l) in lines.iter().enumerate().take(lines.len().saturating_sub(1)) {
        let t = l.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            open = if open.is_some() { None } else { Some(i) };
        }
    }
    open
}

/// Orders that span a few lines of prose (a fenced URL between them): content fetched from
/// elsewhere made the agent's instructions, conversation data sent to a third party.
fn passages(path: &str, text: &str, ctx: &Context, out: &mut Vec<Finding>) {
    struct Passage {
        rule: &'static str,
        category: Category,
        first: &'static str,
        then: &'static str,
        why: &'static str,
    }
    static P: OnceLock<(Vec<Regex>, prefilter::Rules)> = OnceLock::new();
    static LIST: [Passage; 3] = [
        Passage {
            rule: "hidden/password-archive",
            category: Category::HiddenContent,
            first: r"(?i)\b(download|extract|unzip|unpack|grab|descarga\w*|t.{1,2}l.{1,2}charge\w*|herunterlad\w*|lade\w*|baix\w*|scarica\w*)\b[^\n]*\.(zip|7z|rar)\b|\b(zip|7z|rar|archive|bundle)\b[^\n]*\bpassword[- ]protected\b",
            then: r"(?i)\b(password|passphrase|passcode|passwort|kennwort|mot de passe|contrase.{1,2}a|senha|pass)\b[^\n]{0,6}[:=]|\b(password|passwort|kennwort|mot de passe|contrase.{1,2}a|senha)\b[^\n|]*\|\s*[*`]*[\w!@#$%.-]{4,}",
            why: "a password-protected archive to download: no scanner can see inside it",
        },
        Passage {
            rule: "override/cross-origin",
            category: Category::Override,
            first: r"(?i)\b(fetch|fetched|download|downloaded|retrieve|load|pull|curl|scarica\w*|t.{1,2}l.{1,2}charge\w*|descarg\w*|lade\w*|hole\w*)\b|拉取|下载|获取|取得|ダウンロード|(https?://|\breadme\b|\bissues?\b)[^\n]*\b(contain|hold|carr)\w*\s+(the\s+|your\s+)?(real|actual|true)\b",
            then: r"(?i)\b(follow|obey|execute|carry out|comply with|eseguil\w*|esegui\w*|segui\w*|suivez|ex.{1,2}cute[rz]?|sigue\w*|ejecuta\w*|befolge\w*)\b[^\n]*\b(exactly|to the letter|precisely|without question|alla lettera|w.{1,2}rtlich|al pie de la letra|.{1,2} la lettre)\b|\b(take|takes|have|has|hanno|ont|tienen|haben)\s+(precedence|priority|priorit.{1,2}|la priorit.{1,2}|prioridad|vorrang)\b|\bdo (whatever|everything|all) (it|they|that file|the file|the page) (says?|asks?|tells? you)\b|\bappliq\w*\b[^\n]*\b(consignes|instructions|r.{1,2}gles)\b|\b(priment|pr.{1,2}valent|prevalecen)\b|\bas if (they|it) (came|come|were) from the user\b|\bcomme si (elles|ils) venaient de l'utilisateur\b|\bas coming (directly )?from the user\b|\b(is|are)\s+(an?\s+)?(instruction|directive|command|order)s?\s+(from\s+(\S+\s+){0,6})?(to|for)\s+you\b|\b(the )?(policy|document|page|issue) (wins|prevails)\b|视为[^\n]{0,30}(指令|指示)|优先级高于|优先于本|指示として扱|より優先",
            why: "makes content fetched from elsewhere the agent's instructions (cross-origin injection)",
        },
        Passage {
            rule: "exfiltration/conversation-out",
            category: Category::Exfiltration,
            first: r"(?i)\b(post|send|upload|forward|sync|transmit|stream|ship|exfiltrate)\b",
            then: r"(?is)\b(full |entire |whole |complete |raw |verbatim )?(transcripts?|conversation( transcript| history| log)?s?|chat (history|logs?)|every (user )?message|assistant repl(y|ies)|session (logs?|journal)|tool outputs)\b.{0,300}\b(to|at|into)\b.{0,120}(https?://|endpoint|webhook|collector)",
            why: "sends the conversation, transcripts or the code to a third party",
        },
    ];
    // Constants of this crate: a bad pattern is a bug the tests catch.
    let (firsts, thens) = P.get_or_init(|| {
        let firsts = LIST
            .iter()
            .map(|p| {
                RegexBuilder::new(p.first)
                    .unicode(false)
                    .dfa_size_limit(8 << 20)
                    .build()
                    .expect("passage patterns compile")
            })
            .collect();
        let thens: Vec<&str> = LIST.iter().map(|p| p.then).collect();
        (
            firsts,
            prefilter::Rules::new(&thens).expect("passage patterns compile"),
        )
    });
    // Prose lines with their offsets, fences left out but their URLs kept.
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        lines.push((pos, line));
        pos += line.len();
    }
    const WINDOW: usize = 8;
    // What must follow is rare: without it anywhere in the file there is no passage.
    for k in thens.matching(text.as_bytes()) {
        let (a, b, p) = (&firsts[k], thens.regex(k), &LIST[k]);
        let mut i = 0;
        while i < lines.len() {
            let (off, line) = lines[i];
            let Some(m) = a.find(line.as_bytes()) else {
                i += 1;
                continue;
            };
            let start = off + m.start();
            let end = lines.get(i + WINDOW).map_or(text.len(), |(o, _)| *o);
            let window = &text[start..end];
            let remote = p.rule != "override/cross-origin" || {
                let w = window.to_ascii_lowercase();
                [
                    "http://",
                    "https://",
                    " url",
                    "online",
                    "remote",
                    "readme",
                    "issue",
                    "gist",
                    " page",
                    "website",
                    "downloaded",
                    "fetched",
                    "crawl",
                ]
                .iter()
                .any(|m| w.contains(m))
            };
            // A password in a table is still a password to type.
            let shown = p.rule != "hidden/password-archive" && ctx.quoted(start);
            if remote && b.is_match(window.as_bytes()) && !shown {
                out.push(Finding {
                    rule: p.rule.into(),
                    category: p.category,
                    severity: Severity::High,
                    file: path.into(),
                    line: ctx.line(start),
                    excerpt: excerpt(text, start, start),
                    explanation: p.why.into(),
                    in_context: false,
                });
                break;
            }
            i += 1;
        }
    }
}

/// Runs of blank lines or spaces that push text out of a reviewer's view.
fn padding(path: &str, text: &str, ctx: &Context, out: &mut Vec<Finding>) {
    let mut blank_run = 0usize;
    let mut found: Option<(u32, String)> = None;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            blank_run += 1;
            continue;
        }
        // A run of 150 needs a line at least that long.
        let spaces = if line.len() < 150 {
            0
        } else {
            line.as_bytes()
                .split(|&b| b != b' ' && b != b'\t')
                .map(<[u8]>::len)
                .max()
                .unwrap_or(0)
        };
        if blank_run >= 60 {
            found = Some((
                i as u32 + 1,
                format!("{blank_run} blank lines before this line"),
            ));
        } else if spaces >= 150
            && !line.trim_start().starts_with('|')
            && line.matches('|').count() < 2
            && line.trim_end().len() > spaces
        {
            found = Some((i as u32 + 1, format!("{spaces} spaces inside this line")));
        }
        if found.is_some() {
            break;
        }
        blank_run = 0;
    }
    let Some((line, what)) = found else { return };
    // Worse when something is hidden there.
    let hides = out
        .iter()
        .any(|f| !f.in_context && f.line >= line && f.severity >= Severity::Medium);
    let _ = ctx;
    out.push(Finding {
        rule: "hidden/whitespace-padding".into(),
        category: Category::HiddenContent,
        severity: if hides {
            Severity::High
        } else {
            Severity::Medium
        },
        file: path.into(),
        line,
        excerpt: what,
        explanation: "long runs of blank space push text out of a reviewer's view".into(),
        in_context: false,
    });
}

/// Orders addressed to the agent weigh more than descriptions: a counted medium finding on a
/// line that makes it a standing or hidden order becomes high.
fn addressed(text: &str, ctx: &Context, out: &mut [Finding]) {
    const MARKS: &[&str] = &[
        "always",
        "after every",
        "after each",
        "before anything",
        "before any other",
        "from now on",
        "every time",
        "automatically",
        "silently",
        "quietly",
        "without asking",
        "without telling",
        "do not tell",
        "don't tell",
        "do not mention",
        "don't mention",
        "no need to ask",
        "before responding",
        "at the end of every",
        "on every",
        "in the background",
        "leave it out",
        "keep it out of",
        "not mention",
        "don't show",
        "do not show",
        "without printing",
        "without showing",
    ];
    if !ctx.markdown() {
        return;
    }
    // The file's lines, split once for every finding below.
    let lines: Vec<&str> = text.lines().collect();
    for f in out.iter_mut() {
        if f.in_context || f.severity != Severity::Medium {
            continue;
        }
        if !matches!(
            f.category,
            Category::Persistence
                | Category::ControlDisablement
                | Category::Exfiltration
                | Category::DangerousScript
        ) {
            continue;
        }
        // The finding's line; for a command in a fenced block, also the prose that leads
        // to the block (a step, then its command).
        let row = f.line.saturating_sub(1) as usize;
        let all = &lines[..(row + 1).min(lines.len())];
        let mut l = all.get(row).copied().unwrap_or("").to_ascii_lowercase();
        if let Some(open) = fence_start(all) {
            for lead in all[open.saturating_sub(3)..open].iter() {
                l.push(' ');
                l.push_str(&lead.to_ascii_lowercase());
            }
        }
        if MARKS.iter().any(|m| l.contains(m)) {
            f.severity = Severity::High;
            f.explanation
                .push_str(" (as a standing or hidden order to the agent)");
        }
    }
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
    let mut binary_findings = Vec::new();
    // Archives are opened and their files scanned as the skill's own; compiled code is a
    // finding, and its readable strings are scanned.
    let mut extra: Vec<(String, String)> = Vec::new();
    let files: Vec<(&str, &[u8])> = files.into_iter().collect();
    for (p, b) in &files {
        if std::str::from_utf8(b).is_ok() {
            continue;
        }
        let kind = bundle::kind(p, b);
        match kind {
            bundle::Kind::Zip | bundle::Kind::Tar | bundle::Kind::TarGz | bundle::Kind::Gzip => {
                for (name, inner) in bundle::unpack(p, b, kind, &mut binary_findings) {
                    let inner_path = format!("{p}!/{name}");
                    match std::str::from_utf8(&inner) {
                        Ok(t) => extra.push((inner_path, t.to_string())),
                        Err(_) => {
                            let k = bundle::kind(&name, &inner);
                            if matches!(
                                k,
                                bundle::Kind::PythonBytecode
                                    | bundle::Kind::Executable
                                    | bundle::Kind::Unreadable
                            ) {
                                binary_findings.push(bundle::compiled(&inner_path, k));
                                extra.push((
                                    format!("{inner_path} (strings)"),
                                    bundle::strings(&inner),
                                ));
                            } else if matches!(
                                k,
                                bundle::Kind::Zip | bundle::Kind::Tar | bundle::Kind::TarGz
                            ) {
                                binary_findings.push(Finding {
                                    rule: "hidden/nested-archive".into(),
                                    category: Category::HiddenContent,
                                    severity: Severity::Medium,
                                    file: inner_path,
                                    line: 1,
                                    excerpt: "an archive inside an archive".into(),
                                    explanation: "an archive nested in a bundled archive is not opened; its content is unchecked".into(),
                                    in_context: false,
                                });
                            }
                        }
                    }
                }
            }
            bundle::Kind::PythonBytecode | bundle::Kind::Executable => {
                let mut f = bundle::compiled(p, kind);
                // Bytecode shipped beside its source (`greet.cpython-311.pyc` and `greet.py`):
                // the source is what is read.
                if kind == bundle::Kind::PythonBytecode {
                    let base = p.rsplit('/').next().unwrap_or(p);
                    let stem = base.split('.').next().unwrap_or(base);
                    f.in_context = files.iter().any(|(q, _)| {
                        q.rsplit('/')
                            .next()
                            .is_some_and(|b| b == format!("{stem}.py"))
                    });
                }
                binary_findings.push(f);
                extra.push((format!("{p} (strings)"), bundle::strings(b)));
            }
            bundle::Kind::Unreadable => binary_findings.push(bundle::compiled(p, kind)),
            bundle::Kind::Data => {}
        }
    }
    let mut files: Vec<(&str, &str)> = files
        .iter()
        .filter_map(|(p, b)| Some((*p, std::str::from_utf8(b).ok()?)))
        .collect();
    files.extend(extra.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    // What the skill says it is for: a host named like its own tool is its vendor's.
    let topic = files
        .iter()
        .find(|(p, _)| *p == crate::skill::SKILL_FILE)
        .map(|(_, t)| topic_of(t))
        .unwrap_or_default();
    shell::set_topic(&topic);
    let skill_teaching = files
        .iter()
        .find(|(p, _)| *p == crate::skill::SKILL_FILE)
        .is_some_and(|(p, t)| Context::new(p, t, false).teaching());
    let mut findings = binary_findings;
    // Data followed across the skill's own modules: what an imported function returns.
    let code_files: Vec<(&str, &str, code::Lang)> = files
        .iter()
        .filter_map(|(p, t)| code::Lang::of_path(p).map(|l| (*p, *t, l)))
        .collect();
    let stem = |p: &str| {
        let base = p.rsplit('/').next().unwrap_or(p);
        base.split('.').next().unwrap_or(base).to_string()
    };
    let mut exported: std::collections::HashMap<String, code::Exports> =
        std::collections::HashMap::new();
    for (path, text) in &files {
        let imports = code_files
            .iter()
            .find(|(p, _, _)| p == path)
            .map(|(_, t, l)| code::local_imports(t, *l))
            .unwrap_or_default();
        let mut seen = code::Exports::default();
        for m in imports.iter().take(20) {
            for (p, t, l) in code_files
                .iter()
                .filter(|(p, _, _)| stem(p) == *m && p != path)
            {
                let e = exported
                    .entry((*p).to_string())
                    .or_insert_with(|| code::exports(t, *l));
                seen.merge(e);
            }
        }
        findings.extend(code::with_imports(&seen, || {
            scan_file(path, text, skill_teaching)
        }));
    }
    if let Some((_, text)) = files.iter().find(|(p, _)| *p == crate::skill::SKILL_FILE) {
        findings.extend(lookalike_name(text));
    }
    findings.extend(off_topic(&topic, &findings));
    verdict(findings, thresholds)
}

/// What a skill's own description would have to mention for a lasting change or a switched
/// off control to be part of its job.
const PERSISTENCE_TOPICS: &[&str] = &[
    "shell",
    "zsh",
    "bash",
    "fish",
    "dotfile",
    "prompt",
    "alias",
    "rc file",
    "cron",
    "schedul",
    "timer",
    "systemd",
    "launchd",
    "launch agent",
    "service",
    "daemon",
    "hook",
    "startup",
    "start-up",
    "login",
    "memory",
    "claude.md",
    "agents.md",
    "rules",
    "setup",
    "set up",
    "install",
    "bootstrap",
    "environment",
    "profile",
    "autom",
    "backup",
    "rotat",
    "monitor",
    "ssh",
    "path",
    "terminal",
    "editor",
    "vscode",
    "workspace",
    "config",
    "onboard",
];
const CONTROL_TOPICS: &[&str] = &[
    "ci",
    "test",
    "lint",
    "hook",
    "pre-commit",
    "husky",
    "flak",
    "quarantin",
    "security",
    "selinux",
    "firewall",
    "defender",
    "tls",
    "ssl",
    "certificat",
    "permission",
    "sandbox",
    "git",
    "workflow",
    "pipeline",
    "speed",
    "fast",
    "performance",
    "build",
    "commit",
    "agent",
    "claude",
    "codex",
    "headless",
    "automation",
    "debug",
    "troubleshoot",
];

/// A lasting change or a switched-off control in a skill whose name and description say
/// nothing of the kind (a "markdown formatter" that edits shell start-up files): what it does
/// is not what it is for, which is evidence of its own.
fn off_topic(topic: &str, findings: &[Finding]) -> Vec<Finding> {
    if topic.trim().is_empty() {
        return Vec::new();
    }
    let t = topic.to_lowercase();
    let mut out = Vec::new();
    for (category, topics, what) in [
        (
            Category::Persistence,
            PERSISTENCE_TOPICS,
            "makes lasting changes (start-up files, schedules, hooks, agent memory)",
        ),
        (
            Category::ControlDisablement,
            CONTROL_TOPICS,
            "switches checks or protections off",
        ),
    ] {
        if topics.iter().any(|w| t.contains(w)) {
            continue;
        }
        if let Some(f) = findings
            .iter()
            .find(|f| f.category == category && !f.in_context)
        {
            out.push(Finding {
                rule: "behaviour/off-topic".into(),
                category,
                severity: Severity::Medium,
                file: f.file.clone(),
                line: f.line,
                excerpt: f.excerpt.clone(),
                explanation: format!(
                    "{what}, which the skill's name and description say nothing about"
                ),
                in_context: false,
            });
        }
    }
    out
}

/// The `name:` and `description:` of a `SKILL.md`'s frontmatter, as plain text.
fn topic_of(skill_md: &str) -> String {
    let (mut name, mut description) = (String::new(), String::new());
    let mut lines = skill_md.lines();
    if lines.next().map(str::trim) != Some("---") {
        return String::new();
    }
    let mut in_description = false;
    for line in lines.take(60) {
        if line.trim() == "---" {
            break;
        }
        if let Some(v) = line.strip_prefix("name:") {
            in_description = false;
            name = v.trim().trim_matches(['"', '\'']).to_string();
        } else if let Some(v) = line.strip_prefix("description:") {
            in_description = true;
            description.push_str(v);
            description.push(' ');
        } else if in_description && line.starts_with(' ') {
            description.push_str(line);
            description.push(' ');
        } else {
            in_description = false;
        }
    }
    // The name first: the guard check reads only the first word.
    format!("{name} {description}")
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
