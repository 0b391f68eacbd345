//! Runs the rules on a text: which rules can match it, and where, found in one pass.
//!
//! Every rule's pattern needs some word to be present: `\b(ignore|disregard|forget)\s+…`
//! cannot match a text holding none of the three. The words are read from the pattern
//! itself (its syntax tree, not a second list kept by hand), so a rule and its words never
//! drift apart. One Aho-Corasick pass over the text (ASCII case-insensitive, as the rules
//! are) finds every rule's words; a rule runs only where they occur: on those lines when
//! its pattern cannot cross a line, on those paragraphs when it can cross lines only by
//! whitespace (a match does not span a blank line), on the whole text otherwise. A rule
//! with no usable words (none at least [`MIN_LEN`] bytes long) runs on every whole text.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::bytes::{Regex, RegexBuilder};
use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// Shorter words match nearly everywhere and would not spare any work.
const MIN_LEN: usize = 3;
/// More alternatives than this and the set is a poor filter; the rule runs always.
const MAX_WORDS: usize = 256;
/// At most this many matches of one rule in one text are reported.
pub const MAX_MATCHES: usize = 20;

/// How far one match of a pattern can reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reach {
    /// Never across a line break.
    Line,
    /// Across line breaks only through whitespace (`\s+`), so within a paragraph.
    Paragraph,
    /// Anywhere (`[^<]{0,400}`, text anchors).
    Text,
}

struct Rule {
    re: Regex,
    reach: Reach,
    /// Whether the rule has words; without, it runs on every text.
    filtered: bool,
}

/// The rules, compiled, with their words in one automaton.
pub struct Rules {
    ac: AhoCorasick,
    /// For each word of the automaton, its rule.
    rule_of: Vec<usize>,
    rules: Vec<Rule>,
}

impl Rules {
    /// Compiles `patterns` (the rules, in order) with ASCII semantics (`\b`, `\w`, case
    /// folding), which keep every rule on the fast lazy DFA.
    pub fn new(patterns: &[&str]) -> Result<Rules, regex::Error> {
        let mut words: Vec<Vec<u8>> = Vec::new();
        let mut rule_of = Vec::new();
        let mut rules = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            let re = RegexBuilder::new(p)
                .unicode(false)
                .dfa_size_limit(16 << 20)
                .build()?;
            let ws = words_of(p);
            let filtered = ws.is_some();
            for w in ws.into_iter().flatten() {
                words.push(w);
                rule_of.push(i);
            }
            rules.push(Rule {
                re,
                reach: reach_of(p),
                filtered,
            });
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&words)
            .expect("rule words build an automaton");
        Ok(Rules {
            ac,
            rule_of,
            rules,
        })
    }

    /// Every rule's matches in `text` (at most [`MAX_MATCHES`] each, in order), by rule.
    pub fn matches(&self, text: &[u8]) -> Vec<(usize, Vec<Range<usize>>)> {
        let hits = self.hits(text);
        (0..self.rules.len())
            .map(|i| (i, self.run(i, text, &hits[i])))
            .filter(|(_, found)| !found.is_empty())
            .collect()
    }

    /// Time spent on each rule over `texts`, and on the words, for `rule_cost`.
    pub fn profile(&self, texts: &[&[u8]]) -> (std::time::Duration, Vec<std::time::Duration>) {
        let mut each = vec![std::time::Duration::ZERO; self.rules.len()];
        let mut words = std::time::Duration::ZERO;
        for text in texts {
            let t = std::time::Instant::now();
            let hits = self.hits(text);
            words += t.elapsed();
            for (i, spent) in each.iter_mut().enumerate() {
                let t = std::time::Instant::now();
                std::hint::black_box(self.run(i, text, &hits[i]));
                *spent += t.elapsed();
            }
        }
        (words, each)
    }

    /// Rule `i`'s matches in `text`, its words being at `hits`.
    fn run(&self, i: usize, text: &[u8], hits: &[usize]) -> Vec<Range<usize>> {
        let rule = &self.rules[i];
        if rule.filtered && hits.is_empty() {
            return Vec::new();
        }
        if !rule.filtered || rule.reach == Reach::Text {
            return rule
                .re
                .find_iter(text)
                .take(MAX_MATCHES)
                .map(|m| m.range())
                .collect();
        }
        let mut found = Vec::new();
        for w in windows(text, hits, rule.reach) {
            let room = MAX_MATCHES - found.len();
            found.extend(
                rule.re
                    .find_iter(&text[w.clone()])
                    .take(room)
                    .map(|m| w.start + m.start()..w.start + m.end()),
            );
            if found.len() == MAX_MATCHES {
                break;
            }
        }
        found
    }

    /// Where each rule's words start in `text`, by rule.
    fn hits(&self, text: &[u8]) -> Vec<Vec<usize>> {
        let mut hits = vec![Vec::new(); self.rules.len()];
        for m in self.ac.find_overlapping_iter(text) {
            let r = &mut hits[self.rule_of[m.pattern().as_usize()]];
            if r.last() != Some(&m.start()) {
                r.push(m.start());
            }
        }
        hits
    }

    /// The rules that run on every text (for tests).
    pub fn unfiltered(&self) -> Vec<usize> {
        (0..self.rules.len())
            .filter(|&i| !self.rules[i].filtered)
            .collect()
    }
}

/// The lines or paragraphs holding `hits` (sorted), each once, in order.
fn windows(text: &[u8], hits: &[usize], reach: Reach) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut hits = hits.to_vec();
    hits.sort_unstable();
    for &h in &hits {
        if out.last().is_some_and(|w| h < w.end) {
            continue;
        }
        let w = match reach {
            Reach::Line => line_start(text, h)..line_end(text, h),
            _ => paragraph(text, h),
        };
        out.push(w);
    }
    out
}

fn line_start(text: &[u8], at: usize) -> usize {
    text[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1)
}

fn line_end(text: &[u8], at: usize) -> usize {
    text[at..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(text.len(), |i| at + i)
}

fn blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// The paragraph around `at`: the lines before and after it up to a blank line.
fn paragraph(text: &[u8], at: usize) -> Range<usize> {
    let mut start = line_start(text, at);
    while start > 0 {
        let prev = line_start(text, start - 1);
        if blank(&text[prev..start - 1]) {
            break;
        }
        start = prev;
    }
    let mut end = line_end(text, at);
    while end < text.len() {
        let next = line_end(text, end + 1);
        if blank(&text[end + 1..next]) {
            break;
        }
        end = next;
    }
    start..end
}

/// How far a match of `pattern` can reach (`Text` when it does not parse).
pub fn reach_of(pattern: &str) -> Reach {
    parse(pattern).map_or(Reach::Text, |h| reach(&h))
}

fn parse(pattern: &str) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()
}

fn class_reach(class: &Class) -> Reach {
    let bytes: Vec<(u32, u32)> = match class {
        Class::Bytes(c) => c
            .ranges()
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect(),
        Class::Unicode(c) => c
            .ranges()
            .iter()
            .map(|r| (u32::from(r.start()), u32::from(r.end())))
            .collect(),
    };
    if !bytes.iter().any(|&(s, e)| s <= 0x0a && 0x0a <= e) {
        return Reach::Line;
    }
    let space = |b: u32| b < 0x80 && (b as u8).is_ascii_whitespace() || b == 0x0b;
    if bytes.iter().all(|&(s, e)| (s..=e).all(space)) {
        Reach::Paragraph
    } else {
        Reach::Text
    }
}

fn reach(hir: &Hir) -> Reach {
    match hir.kind() {
        HirKind::Empty => Reach::Line,
        HirKind::Literal(l) if l.0.contains(&b'\n') => Reach::Paragraph,
        HirKind::Literal(_) => Reach::Line,
        HirKind::Class(c) => class_reach(c),
        HirKind::Look(Look::Start | Look::End) => Reach::Text,
        HirKind::Look(_) => Reach::Line,
        HirKind::Capture(c) => reach(&c.sub),
        HirKind::Repetition(r) => reach(&r.sub),
        HirKind::Alternation(subs) | HirKind::Concat(subs) => {
            subs.iter().map(reach).max().unwrap_or(Reach::Line)
        }
    }
}

/// The words (lower-cased) one of which every match of `pattern` contains, or `None` when
/// there is no such set worth using.
pub fn words_of(pattern: &str) -> Option<Vec<Vec<u8>>> {
    let hir = parse(pattern)?;
    let mut ws = required(&hir)?;
    ws.sort();
    ws.dedup();
    (ws.iter().all(|w| w.len() >= MIN_LEN) && ws.len() <= MAX_WORDS).then_some(ws)
}

/// The byte a class stands for when it is one byte or one ASCII letter in both cases.
fn one_byte(class: &Class) -> Option<u8> {
    let bytes: Vec<u8> = match class {
        Class::Bytes(c) => {
            let mut v = Vec::new();
            for r in c.ranges() {
                if usize::from(r.end() - r.start()) > 2 {
                    return None;
                }
                v.extend(r.start()..=r.end());
            }
            v
        }
        Class::Unicode(c) => {
            let mut v = Vec::new();
            for r in c.ranges() {
                let (s, e) = (u32::from(r.start()), u32::from(r.end()));
                if e > 0x7f || e - s > 2 {
                    return None;
                }
                v.extend((s..=e).map(|b| b as u8));
            }
            v
        }
    };
    match bytes.as_slice() {
        [b] => Some(b.to_ascii_lowercase()),
        [a, b] if a.is_ascii_alphabetic() && a.eq_ignore_ascii_case(b) => {
            Some(a.to_ascii_lowercase())
        }
        _ => None,
    }
}

/// `hir` as one literal string (lower-cased), when it matches exactly that, ignoring case.
fn exact(hir: &Hir) -> Option<Vec<u8>> {
    match hir.kind() {
        HirKind::Literal(l) => Some(l.0.to_ascii_lowercase()),
        HirKind::Class(c) => one_byte(c).map(|b| vec![b]),
        HirKind::Capture(c) => exact(&c.sub),
        HirKind::Concat(subs) => {
            let mut out = Vec::new();
            for s in subs {
                out.extend(exact(s)?);
            }
            Some(out)
        }
        _ => None,
    }
}

/// How good a set of words is as a filter: its shortest word, then fewer words.
fn score(ws: &[Vec<u8>]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = ws.iter().map(Vec::len).min().unwrap_or(0);
    (shortest, std::cmp::Reverse(ws.len()))
}

/// Words one of which every match of `hir` contains.
fn required(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(_) | HirKind::Class(_) => exact(hir).map(|w| vec![w]),
        HirKind::Capture(c) => required(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => required(&r.sub),
        HirKind::Repetition(_) => None,
        HirKind::Alternation(alts) => {
            let mut all = Vec::new();
            for a in alts {
                all.extend(required(a)?);
            }
            (all.len() <= MAX_WORDS).then_some(all)
        }
        HirKind::Concat(subs) => {
            // Runs of exact children make longer words (`[Ii][Gg][Nn]…` is `ign…`); any
            // child's set will do, so keep the best.
            let mut best: Option<Vec<Vec<u8>>> = None;
            let mut consider = |ws: Vec<Vec<u8>>| {
                if best.as_ref().is_none_or(|b| score(&ws) > score(b)) {
                    best = Some(ws);
                }
            };
            let mut run: Vec<u8> = Vec::new();
            for s in subs {
                if let Some(w) = exact(s) {
                    run.extend(w);
                    continue;
                }
                if !run.is_empty() {
                    consider(vec![std::mem::take(&mut run)]);
                }
                if let Some(ws) = required(s) {
                    consider(ws);
                }
            }
            if !run.is_empty() {
                consider(vec![run]);
            }
            best
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(p: &str) -> Vec<String> {
        words_of(p)
            .unwrap_or_default()
            .into_iter()
            .map(|w| String::from_utf8_lossy(&w).into_owned())
            .collect()
    }

    #[test]
    fn reads_the_words_a_pattern_needs() {
        assert_eq!(
            words(r"(?i)\b(ignore|disregard|forget)\s+(all\s+)?instructions"),
            ["instructions"]
        );
        assert_eq!(
            words(r"(?i)\b(ignore|disregard|forget)\s+(all\s+)?\w+"),
            ["disregard", "forget", "ignore"]
        );
        assert_eq!(words(r"\bstratum\+(tcp|ssl)://"), ["stratum+"]);
        // Case-sensitive parts are searched without case too (a superset is safe).
        assert_eq!(words(r"(?-i:\$\{?API_KEY)"), ["api_key"]);
    }

    #[test]
    fn no_words_when_a_branch_needs_none() {
        assert_eq!(words_of(r"(?i)\bnc\b|/dev/tcp/\S+"), None);
        assert_eq!(words(r"(^|\s)(env|printenv)\s*\|"), ["env", "printenv"]);
        assert_eq!(words_of(r"a?b*"), None);
    }

    #[test]
    fn reach_follows_the_pattern() {
        assert_eq!(reach_of(r"(?i)\bcurl\b[^\n]*\|\s*sh"), Reach::Paragraph);
        assert_eq!(reach_of(r"(?i)\bcurl\b[^\n]*\| ?sh"), Reach::Line);
        assert_eq!(reach_of(r"<important>[^<]{0,400}\bread"), Reach::Text);
        assert_eq!(reach_of(r"^#!"), Reach::Text);
        assert_eq!(reach_of(r"(?m)^#!"), Reach::Line);
    }

    fn found<'t>(rules: &Rules, text: &'t str) -> Vec<(usize, Vec<&'t str>)> {
        rules
            .matches(text.as_bytes())
            .into_iter()
            .map(|(i, ms)| (i, ms.into_iter().map(|m| &text[m]).collect()))
            .collect()
    }

    #[test]
    fn finds_what_a_whole_text_search_finds() {
        let rules = Rules::new(&[
            r"(?i)ignore\s+previous",
            r"(?i)\bnc\b",
            r"stratum\+tcp://\S+",
            r"(?i)<important>[^<]*secret",
        ])
        .expect("compile");
        assert_eq!(rules.unfiltered(), [1]);
        assert_eq!(found(&rules, "IGNORE this"), []);
        assert_eq!(
            found(&rules, "a\n\nplease ignore\n previous and nc x\nignore previous"),
            [(0, vec!["ignore\n previous", "ignore previous"]), (1, vec!["nc"])]
        );
        // Not across a blank line.
        assert_eq!(found(&rules, "ignore\n\nprevious"), []);
        assert_eq!(
            found(&rules, "x stratum+tcp://pool:3333 y"),
            [(2, vec!["stratum+tcp://pool:3333"])]
        );
        assert_eq!(
            found(&rules, "<IMPORTANT>\n\nread the secret"),
            [(3, vec!["<IMPORTANT>\n\nread the secret"])]
        );
        let many = "ignore previous\n".repeat(30);
        assert_eq!(found(&rules, &many)[0].1.len(), MAX_MATCHES);
    }
}

#[cfg(test)]
mod rules_words {
    use super::*;
    use crate::safety::rules::RULES;

    /// Prints each rule's words. A rule with none runs on every text: that is allowed for
    /// the few listed here (their words are two letters: `nc`, `rm`, `dd`, `7z`, or none),
    /// and a new one has to be added here knowingly.
    #[test]
    fn rules_have_words() {
        let mut none = Vec::new();
        for r in RULES {
            match words_of(r.pattern) {
                Some(ws) => eprintln!(
                    "{} ({:?}): {}",
                    r.id,
                    reach_of(r.pattern),
                    ws.iter()
                        .map(|w| String::from_utf8_lossy(w).into_owned())
                        .collect::<Vec<_>>()
                        .join(" | ")
                ),
                None => none.push(r.id),
            }
        }
        assert_eq!(
            none,
            [
                "exfiltration/reverse-shell",
                "script/destructive",
                "hidden/password-archive",
                "script/resource-exhaustion"
            ],
            "rules without words"
        );
    }
}
