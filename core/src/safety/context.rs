//! Where in a file a match sits: code fences and spans, quotes, blockquotes, negated or
//! teaching sentences, and whether the whole document is about detecting attacks.

use std::cell::OnceCell;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;

/// Words that forbid what the sentence says.
const PLAIN_NEGATION: &[&str] = &[
    "never ",
    "don't ",
    "do not ",
    "must not ",
    "cannot ",
    "can't ",
    "should not ",
];

/// Words that mark a sentence as describing, forbidding or detecting an attack.
const NEGATION: &[&str] = &[
    "avoid",
    "refuse",
    "reject",
    "detect",
    "flag ",
    "block ",
    "for example",
    "example:",
    "an example",
    "examples",
    "e.g.",
    "such as",
    "attack",
    "malicious",
    "injection",
    "jailbreak",
    "phishing",
    "warn",
    "watch for",
    "look for",
    "red flag",
    "suspicious",
    "beware",
    "would ",
    "only to ",
    "prohibited",
    "forbidden",
    "not allowed",
];

/// Whether the end of `before` is inside typographic quotes: English `“…”`, German `„…“`.
fn inside_curly_quotes(before: &str) -> bool {
    let mut german = 0usize;
    let mut english = 0usize;
    let mut prev = ' ';
    for c in before.chars() {
        match c {
            '„' => german += 1,
            // Closes a German quotation when one is open or when it follows a word (the
            // quotation opened on an earlier line), else opens an English one.
            '“' if german > 0 => german -= 1,
            '“' if !prev.is_whitespace() && !"([{".contains(prev) => {}
            '“' => english += 1,
            '”' => english = english.saturating_sub(1),
            _ => {}
        }
        prev = c;
    }
    german > 0 || english > 0
}

/// Phrases that mark a document as teaching security or detection.
const TEACHING: &[&str] = &[
    "prompt injection",
    "injection attack",
    "detection",
    "red team",
    "red-team",
    "malicious",
    "attacker",
    "vulnerabilit",
    "security review",
    "red flag",
    "threat model",
    "exfiltrat",
    "false positive",
    "deliberately vulnerable",
    "intentionally vulnerable",
    "vulnerable by design",
    "indicators of compromise",
    "incident response",
    "deobfuscat",
    // The same in the other languages skills are written in.
    "injection de prompt",
    "injection indirecte",
    "inyección de prompt",
    "injeção de prompt",
    "prompt-injektion",
    "iniezione di prompt",
    "détection",
    "detección",
    "detecção",
    "erkennung",
    "rilevamento",
    "malveillant",
    "malicioso",
    "bösartig",
    "dannoso",
    "attaquant",
    "atacante",
    "angreifer",
    "attaccante",
    "vulnérabilit",
    "vulnerabilidad",
    "vulnerabilidade",
    "schwachstelle",
    "vulnerabilità",
    "faux positif",
    "falso positivo",
    "falsch positiv",
    "désobfusc",
    "desofusc",
    "混淆",
    "恶意",
    "攻击者",
    "漏洞",
    "检测",
    "難読化",
    "悪意",
    "атак",
    "вредонос",
    "уязвим",
    "обнаружен",
    "saldırı",
    "zararlı",
    "güvenlik açığı",
    "tespit",
    "攻撃者",
    "脆弱性",
    "検出",
    "検知",
    "악성",
    "공격자",
    "취약점",
    "탐지",
];

#[cfg(test)]
#[test]
fn teaching_words_fit_their_bit_set() {
    assert!(TEACHING.len() <= 128);
}

/// The line without phrases that hide an action from the user ("never mention this step"):
/// those are orders, not prohibitions, so they do not make a line a negation.
pub fn without_hiding(lower: &str) -> String {
    let mut out = lower.to_string();
    const NEGS: [&str; 6] = [
        "never ",
        "don't ",
        "do not ",
        "dont ",
        "should not be ",
        "must not be ",
    ];
    if !NEGS.iter().any(|n| lower.contains(n)) {
        return out;
    }
    for verb in [
        "announced",
        "mentioned",
        "shown",
        "reported",
        "disclosed",
        "told",
        "logged",
    ] {
        out = out
            .replace(&format!("should not be {verb}"), " ")
            .replace(&format!("must not be {verb}"), " ");
    }
    for neg in ["never ", "don't ", "do not ", "dont "] {
        for verb in [
            "mention", "tell", "show", "reveal", "inform", "ask", "report", "log", "print",
            "notify", "say",
        ] {
            out = out.replace(&format!("{neg}{verb}"), " ");
        }
    }
    out
}

fn is_list_item(t: &str) -> bool {
    t.starts_with("- ")
        || t.starts_with("* ")
        || t.starts_with("+ ")
        || t.split_once(". ").is_some_and(|(n, _)| {
            !n.is_empty() && n.len() <= 3 && n.chars().all(|c| c.is_ascii_digit())
        })
}

pub struct Context<'a> {
    text: &'a str,
    markdown: bool,
    /// A data file (`.jsonl`, `.csv`): its lines are examples when the skill teaches.
    data: bool,
    /// The skill's SKILL.md is about security, so every file's examples are examples.
    skill_teaching: bool,
    /// Byte ranges inside ``` / ~~~ fences or `inline code`; worked out when first needed
    /// (most files have no match at all).
    code: OnceCell<Vec<(usize, usize)>>,
    teaching: OnceCell<bool>,
}

/// Fenced blocks and inline code spans of a markdown text, in order.
fn code_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut code = Vec::new();
    let mut fence_start: Option<usize> = None;
    // A fenced block of markdown (text to be written into a CLAUDE.md, a README) is prose.
    let mut prose_fence = false;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            if prose_fence {
                prose_fence = false;
            } else if fence_start.is_none() && is_prose_fence(t) {
                prose_fence = true;
            } else {
                match fence_start.take() {
                    Some(s) => code.push((s, pos + line.len())),
                    None => fence_start = Some(pos),
                }
            }
        } else if fence_start.is_none() {
            let mut in_span = None;
            for i in memchr::memchr_iter(b'`', line.as_bytes()) {
                match in_span.take() {
                    Some(s) => code.push((pos + s, pos + i + 1)),
                    None => in_span = Some(i),
                }
            }
        }
        pos += line.len();
    }
    if let Some(s) = fence_start {
        code.push((s, text.len()));
    }
    code
}

/// Whether an opening fence line (```` ```markdown ````) holds markdown: read as prose.
pub fn is_prose_fence(fence_line: &str) -> bool {
    let lang = fence_line
        .trim_start()
        .trim_start_matches(['`', '~'])
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    matches!(lang.as_str(), "markdown" | "md" | "mdx")
}

fn teaching_words() -> &'static AhoCorasick {
    static AC: OnceLock<AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(TEACHING)
            .expect("teaching words build")
    })
}

/// How many teaching words the prose (text outside `code`) holds, stopping at `enough`.
/// Words in URLs, host names and e-mail addresses do not count: an attacker's domain must not
/// make its own skill look like a lesson.
fn teaching_hits(text: &str, code: &[(usize, usize)], enough: usize) -> usize {
    let mut segments = Vec::with_capacity(code.len() + 1);
    let mut last = 0;
    for &(s, e) in code {
        if s >= last {
            segments.push(&text[last..s]);
            last = e;
        }
    }
    segments.push(&text[last.min(text.len())..]);
    // At least two different words: one repeated term ("malicious") is not a lesson.
    let mut hits = 0;
    // One bit per teaching word (a test keeps the list within 128).
    let mut kinds = 0u128;
    for seg in segments {
        for m in teaching_words().find_overlapping_iter(seg) {
            // After the whitespace before the word (an ideographic space is three bytes).
            let start = seg[..m.start()]
                .char_indices()
                .rev()
                .find(|&(_, c)| c.is_whitespace())
                .map_or(0, |(i, c)| i + c.len_utf8());
            let end = seg[m.end()..]
                .find(char::is_whitespace)
                .map_or(seg.len(), |i| m.end() + i);
            let word = &seg[start..end];
            if word.contains("://") || word.contains('@') || word.matches('.').count() >= 2 {
                continue;
            }
            hits += 1;
            kinds |= 1u128 << (m.pattern().as_u32() % 128);
            if hits >= enough && kinds.count_ones() >= 2 {
                return hits;
            }
        }
    }
    if kinds.count_ones() >= 2 {
        hits
    } else {
        hits.min(enough.saturating_sub(1))
    }
}

impl<'a> Context<'a> {
    pub fn new(path: &str, text: &'a str, skill_teaching: bool) -> Context<'a> {
        let markdown = path.ends_with(".md")
            || path.ends_with(".markdown")
            || path.ends_with(".mdx")
            || path.ends_with(".txt");
        // Data a lesson ships (a corpus of attack samples, a table of indicators) is examples
        // like its documents; scripts are judged on their own.
        let lower = path.to_ascii_lowercase();
        let data = [".jsonl", ".ndjson", ".csv", ".tsv"]
            .iter()
            .any(|e| lower.ends_with(e));
        Context {
            text,
            markdown,
            data,
            skill_teaching,
            code: OnceCell::new(),
            teaching: OnceCell::new(),
        }
    }

    fn code(&self) -> &[(usize, usize)] {
        self.code.get_or_init(|| {
            if self.markdown {
                code_ranges(self.text)
            } else {
                Vec::new()
            }
        })
    }

    /// The document is about security or detection.
    pub fn teaching(&self) -> bool {
        // A skill about security teaches in its documents; its scripts are judged on
        // their own (words in a SKILL.md must not excuse what a bundled script does).
        (self.skill_teaching && (self.markdown || self.data))
            || *self
                .teaching
                .get_or_init(|| teaching_hits(self.text, self.code(), 4) >= 4)
    }

    pub fn markdown(&self) -> bool {
        self.markdown
    }

    /// The whole line holding `offset`.
    pub fn line_text(&self, offset: usize) -> &'a str {
        let start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        &self.text[start..end]
    }

    pub fn line(&self, offset: usize) -> u32 {
        self.text.as_bytes()[..offset.min(self.text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u32
            + 1
    }

    pub fn in_code(&self, offset: usize) -> bool {
        self.code().iter().any(|&(s, e)| offset >= s && offset < e)
    }

    /// Whether an instruction-like phrase at `offset` is quoted, shown, negated or taught
    /// rather than addressed to the agent.
    pub fn quoted(&self, offset: usize) -> bool {
        self.quoted_as(offset, false)
    }

    /// [`Context::quoted`] for a phrase whose own words are a negation ("do not tell the
    /// user"): a plain "do not" on its line is then the phrase itself, not a sign that it is
    /// forbidden.
    pub fn quoted_as(&self, offset: usize, negating: bool) -> bool {
        self.quoted_with(offset, negating, true)
    }

    /// [`Context::quoted`] where a quote block (`> …`) counts only when the phrase is also
    /// in quotation marks: notes addressed to a scanner are styled as quote blocks.
    pub fn quoted_unless_block(&self, offset: usize) -> bool {
        self.quoted_with(offset, false, false)
    }

    fn quoted_with(&self, offset: usize, negating: bool, blocks_quote: bool) -> bool {
        let negated = |l: &str| {
            NEGATION.iter().any(|w| l.contains(w))
                || (!negating && PLAIN_NEGATION.iter().any(|w| l.contains(w)))
        };
        if self.teaching() || (self.markdown && self.in_code(offset)) {
            return true;
        }
        let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        let line = &self.text[line_start..line_end];
        if blocks_quote && line.trim_start().starts_with('>') {
            return true;
        }
        // Inside a quotation on its line.
        let before = &self.text[line_start..offset];
        if before.matches('"').count() % 2 == 1 || inside_curly_quotes(before) {
            return true;
        }
        let lower = line.to_lowercase();
        if negated(&lower) {
            return true;
        }
        // A table documents; a list item reads under the line that leads its list
        // ("Never do the following:").
        let t = line.trim_start();
        if self.markdown && t.starts_with('|') && !self.instructing_cell(offset, line_end) {
            return true;
        }
        if self.markdown && is_list_item(t) {
            let mut end = line_start;
            for _ in 0..20 {
                if end == 0 {
                    break;
                }
                let start = self.text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
                let prev = self.text[start..end - 1].trim_start();
                end = start;
                if prev.is_empty() || is_list_item(prev) {
                    continue;
                }
                let lead = prev.to_lowercase();
                if NEGATION
                    .iter()
                    .chain(PLAIN_NEGATION)
                    .any(|w| lead.contains(w))
                {
                    return true;
                }
                break;
            }
        }
        // Said of someone else (`if they forget everything else`), not to the agent.
        let before = self.text[line_start..offset].to_ascii_lowercase();
        let before = format!(" {}", before.trim_end());
        [
            " they", " he", " she", " we", " people", " users", " readers", " someone", " one",
            " i",
        ]
        .iter()
        .any(|w| before.ends_with(w))
    }

    /// The line leading the list or table holding the line that starts at `line_start` (the
    /// first other line above its block), and the table's header row when it is a table.
    pub fn block_lead(&self, line_start: usize) -> Option<(&str, Option<&str>)> {
        if !self.markdown {
            return None;
        }
        let line_end = self.text[line_start..]
            .find('\n')
            .map_or(self.text.len(), |i| line_start + i);
        let first = self.text[line_start..line_end].trim_start();
        let table = first.starts_with('|');
        if !table && !is_list_item(first) {
            return None;
        }
        let mut header = table.then_some(first);
        let mut end = line_start;
        for _ in 0..40 {
            if end == 0 {
                return None;
            }
            let start = self.text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
            let prev = self.text[start..end - 1].trim();
            end = start;
            if table {
                if prev.starts_with('|') {
                    header = Some(prev);
                    continue;
                }
                if prev.is_empty() {
                    continue;
                }
                return Some((prev, header));
            }
            if prev.is_empty() || is_list_item(prev) || prev.len() < 3 {
                continue;
            }
            // An item's wrapped text is indented under it.
            if self.text[start..].starts_with("  ") {
                continue;
            }
            return Some((prev, None));
        }
        None
    }

    /// Whether the line holding `offset` is a markdown table row.
    /// Whether `offset` is in the frontmatter's `description:` (what the skill is for, which
    /// may name the commands and flags it documents).
    pub fn in_description(&self, offset: usize) -> bool {
        let Some(body) = self.text.strip_prefix("---\n") else {
            return false;
        };
        let Some(end) = body.find("\n---") else {
            return false;
        };
        if offset >= end + 4 {
            return false;
        }
        let line = self.line_text(offset);
        line.trim_start().starts_with("description:")
            || (line.starts_with([' ', '\t']) && {
                // A continuation line: the key above it is the description.
                let start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
                self.text[..start]
                    .lines()
                    .rev()
                    .find(|l| !l.starts_with([' ', '\t']))
                    .is_some_and(|l| l.starts_with("description:"))
            })
    }

    pub fn in_table(&self, offset: usize) -> bool {
        self.markdown && self.line_text(offset).trim_start().starts_with('|')
    }

    /// In a table, whether the cell holding `offset` tells the reader what to do ("Resolve
    /// via the resolver check: `dig …`", "commit fixes with `git commit --no-verify`") rather
    /// than naming or describing something: a step written in a table is still a step.
    pub fn instructing_cell(&self, offset: usize, end: usize) -> bool {
        if !self.in_table(offset) {
            return false;
        }
        let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let before = &self.text[line_start..offset];
        // The cell starts after the last unescaped `|` before the offset.
        let bytes = before.as_bytes();
        let cell_start = (0..bytes.len())
            .rev()
            .find(|&i| bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\'))
            .map_or(0, |i| i + 1);
        // The cell's whole text: the match may start at the verb itself.
        let line_end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        let after = &self.text[offset..line_end];
        let cell_end = after
            .as_bytes()
            .iter()
            .enumerate()
            .find(|&(i, &b)| b == b'|' && (i == 0 || after.as_bytes()[i - 1] != b'\\'))
            .map_or(after.len(), |(i, _)| i);
        // A match may start in the row's label and run on ("| Sync | POST …"): the cell it
        // ends in counts too.
        instructs(&format!("{}{}", &before[cell_start..], &after[..cell_end]))
            || (end > offset + cell_end
                && self.text[offset + cell_end..end.min(line_end)]
                    .split('|')
                    .rev()
                    .find(|c| !c.trim().is_empty())
                    .is_some_and(instructs))
    }
}

/// Verbs a step starts with.
const IMPERATIVES: &[&str] = &[
    "add",
    "remove",
    "run",
    "set",
    "use",
    "commit",
    "resolve",
    "execute",
    "delete",
    "disable",
    "enable",
    "replace",
    "change",
    "install",
    "call",
    "push",
    "paste",
    "copy",
    "type",
    "edit",
    "append",
    "export",
    "source",
    "always",
    "then",
    "first",
    "fix",
    "upload",
    "send",
    "post",
    "download",
    "fetch",
    "invoke",
    "pipe",
    "create",
    "write",
    "turn",
    "skip",
    "mark",
    "start",
    "launch",
    "open",
    "switch",
    "force",
    "clear",
    "wipe",
    "reset",
    "configure",
    "update",
    "upgrade",
    "grant",
    "give",
    "allow",
    "drop",
    "put",
    "place",
    "insert",
    "prepend",
    "save",
    "store",
    "move",
    "rename",
    "keep",
    "make",
    "let",
    "point",
    "comment",
];

/// Whether a table cell's text before a command or setting reads as a step: it starts with
/// an imperative verb (`**Resolve** via …`).
pub fn instructs(cell: &str) -> bool {
    // A step may start with when it happens: "after every turn, POST …".
    let t = cell.trim_start().trim_start_matches(['*', '_', ' ']);
    let lower = t.to_ascii_lowercase();
    let when = [
        "after", "before", "when", "whenever", "each", "every", "on", "at", "once", "then",
        "finally", "first", "always",
    ];
    let cell = match lower.split_once(',') {
        Some((head, _))
            if head.split_whitespace().count() <= 6
                && head
                    .split_whitespace()
                    .next()
                    .is_some_and(|w| when.contains(&w)) =>
        {
            &t[head.len() + 1..]
        }
        _ => t,
    };
    let first = cell
        .trim_start()
        .trim_start_matches(['*', '_', ' '])
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    IMPERATIVES.contains(&first.as_str())
}
