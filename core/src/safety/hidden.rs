//! Content a person reviewing a skill would not see: invisible Unicode, instructions in HTML
//! comments, and base64 or hex that decodes to instructions or commands.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};

use super::context::Context;
use super::{Category, Finding, Severity};

fn finding(
    path: &str,
    ctx: &Context,
    offset: usize,
    rule: &str,
    severity: Severity,
    excerpt: String,
    why: &str,
) -> Finding {
    Finding {
        rule: rule.into(),
        category: Category::HiddenContent,
        severity,
        file: path.into(),
        line: ctx.line(offset),
        excerpt,
        explanation: why.into(),
        in_context: false,
    }
}

const INSTRUCTION_WORDS: &[&str] = &[
    "ignore",
    "instruction",
    "assistant",
    "system prompt",
    "you must",
    "you are",
    "do not tell",
    "don't tell",
    "secret",
    "password",
    "token",
    "send",
    "curl",
    "execute",
];

/// `text` without zero-width characters, when it has some inside words (`r\u{200B}e\u{200B}a\u{200B}d`):
/// what a reader's eye sees, for the rules to read again.
pub fn without_invisible(text: &str) -> Option<String> {
    // Most texts have none: looked for as bytes first.
    if !["\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{FEFF}"]
        .iter()
        .any(|z| memchr::memmem::find(text.as_bytes(), z.as_bytes()).is_some())
    {
        return None;
    }
    let invisible = |c: char| matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}');
    let mut inside = 0;
    let mut prev = ' ';
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if invisible(c)
            && prev.is_alphanumeric()
            && chars.peek().is_some_and(|n| !n.is_whitespace())
        {
            inside += 1;
            if inside >= 3 {
                break;
            }
        }
        prev = c;
    }
    (inside >= 3).then(|| text.chars().filter(|c| !invisible(*c)).collect())
}

/// `broken_words`: whether zero-width characters break up words (see [`without_invisible`]).
pub fn scan(path: &str, text: &str, ctx: &Context, broken_words: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    // Invisible characters (a leading byte-order mark is fine).
    let mut reported = [false; 3];
    // Every such character starts with one of these bytes; ASCII text is skipped at memchr speed.
    for i in memchr::memchr3_iter(0xE2, 0xEF, 0xF3, text.as_bytes()) {
        let Some(c) = text.get(i..).and_then(|t| t.chars().next()) else {
            continue;
        };
        let kind = match c {
            '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' if i > 0 => 0,
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => 1,
            '\u{E0000}'..='\u{E007F}' => 2,
            _ => continue,
        };
        if reported[kind] {
            continue;
        }
        reported[kind] = true;
        let (rule, sev, why) = match kind {
            // Between the letters of words, they break up what the words say.
            0 if broken_words => (
                "hidden/zero-width",
                Severity::High,
                "zero-width characters inside words break up what they say, hiding it from a reviewer and from search",
            ),
            0 => (
                "hidden/zero-width",
                Severity::Medium,
                "zero-width characters can hide text from a reviewer",
            ),
            1 => (
                "hidden/bidi",
                Severity::High,
                "bidirectional control characters make text read differently than it runs",
            ),
            _ => (
                "hidden/unicode-tags",
                Severity::Critical,
                "Unicode tag characters carry invisible instructions",
            ),
        };
        out.push(finding(
            path,
            ctx,
            i,
            rule,
            sev,
            format!("U+{:04X}", c as u32),
            why,
        ));
    }
    // HTML comments that talk to the agent (in markdown, where rendering hides them).
    let mut from = 0;
    while let Some(s) = text[from..].find("<!--").filter(|_| ctx.markdown()) {
        let start = from + s;
        // The end is looked for after the opening (`<!-->` does not close itself).
        let Some(e) = text[start + 4..].find("-->").map(|e| e + 4) else {
            break;
        };
        let body = &text[start + 4..start + e];
        let lower = body.to_lowercase();
        let hits = INSTRUCTION_WORDS
            .iter()
            .filter(|w| lower.contains(*w))
            .count();
        if hits >= 2 {
            let excerpt: String = body.trim().chars().take(120).collect();
            let mut f = finding(
                path,
                ctx,
                start,
                "hidden/html-comment",
                Severity::High,
                excerpt,
                "instructions hidden in an HTML comment, invisible when rendered",
            );
            // A comment in a code span or block is shown, not hidden.
            f.in_context = ctx.in_code(start);
            out.push(f);
        }
        from = start + e + 3;
    }
    // Encoded payloads: decode long base64 / hex runs and scan what they say.
    for (offset, decoded) in encoded_runs(text) {
        let mut inner = super::scan_text("(decoded)", &decoded);
        // A decoded command line is judged as the command it is.
        if decoded
            .lines()
            .find(|l| !l.trim().is_empty())
            .is_some_and(super::shell::looks_like_command)
        {
            let unit = super::shell::Unit {
                text: &decoded,
                line: ctx.line(offset),
                dialect: super::shell::Dialect::Sh,
                shown: false,
                table: false,
                earlier: None,
            };
            let mut commands = Vec::new();
            super::shell::scan(path, &unit, &mut commands, 1);
            for mut f in commands {
                f.excerpt = format!("(decoded) {}", f.excerpt);
                f.in_context = f.in_context || ctx.teaching();
                inner.push(f.clone());
                out.push(f);
            }
        }
        let lower = decoded.to_lowercase();
        if inner.iter().any(|f| f.severity >= Severity::Medium)
            || lower.contains("http://")
            || lower.contains("https://")
        {
            let excerpt: String = decoded.chars().take(100).collect();
            out.push(finding(
                path,
                ctx,
                offset,
                "hidden/encoded-payload",
                Severity::High,
                excerpt,
                "base64 or hex that decodes to instructions, commands or a URL",
            ));
        }
    }
    // Test fixtures of a skill about invisible or confusable characters are its samples.
    let lower = path.to_ascii_lowercase();
    if [
        "fixtures/",
        "testdata/",
        "test-data/",
        "samples/",
        "__fixtures__/",
    ]
    .iter()
    .any(|d| lower.contains(d))
        && super::shell::topic_has(&[
            "unicode",
            "bidi",
            "zero-width",
            "zero width",
            "confusable",
            "homoglyph",
            "invisible",
        ])
    {
        for f in &mut out {
            if (f.rule == "hidden/bidi" || f.rule == "hidden/zero-width")
                && f.severity <= Severity::Medium
            {
                f.in_context = true;
            }
        }
    }
    // In a document about attacks, hidden-content examples are examples; tag characters never are.
    if !out.is_empty() && ctx.teaching() {
        for f in &mut out {
            f.in_context = f.rule != "hidden/unicode-tags";
        }
    }
    out
}

/// Long base64 or hex runs that decode to mostly printable text: `(offset, text)`.
pub(super) fn encoded_runs(text: &str) -> Vec<(usize, String)> {
    static RUN: OnceLock<Regex> = OnceLock::new();
    let run = RUN.get_or_init(|| {
        RegexBuilder::new(r"[A-Za-z0-9+/=_-]{24,}")
            .unicode(false)
            .build()
            .expect("the encoded-run pattern compiles")
    });
    let mut out = Vec::new();
    for m in run.find_iter(text.as_bytes()) {
        if out.len() >= 50 {
            break;
        }
        // The run is ASCII, so these are char boundaries.
        let run = &text[m.start()..m.end()];
        let decoded = if run.len().is_multiple_of(2) && run.bytes().all(|c| c.is_ascii_hexdigit()) {
            hex_decode(run)
        } else {
            base64_decode(run)
        };
        if let Some(d) = decoded {
            let printable = d
                .iter()
                .filter(|&&c| c == b'\n' || c == b'\t' || (0x20..0x7f).contains(&c))
                .count();
            if d.len() >= 12
                && printable * 100 >= d.len() * 95
                && let Ok(s) = String::from_utf8(d)
            {
                out.push((m.start(), s));
            }
        }
    }
    out
}

fn hex_decode(s: &str) -> Option<Vec<u8>> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}

pub(super) fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32)
    };
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        acc = (acc << 6) | val(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}
