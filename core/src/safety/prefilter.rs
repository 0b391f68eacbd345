//! Runs the rules on a text: which rules can match it, and where, found in one pass.
//!
//! Every rule's pattern needs some word to be present: `\b(ignore|disregard|forget)\s+…`
//! cannot match a text holding none of the three. The words are read from the pattern
//! itself (its syntax tree, not a second list kept by hand), so a rule and its words never
//! drift apart. One Aho-Corasick pass over the text (ASCII case-insensitive, as the rules
//! are) finds every rule's words; a rule runs only around them, as far as its [`Reach`]:
//! the line when its pattern cannot cross a line, the bytes either side when its matches
//! have a longest length, else the paragraph (no unbounded match crosses a blank line; a
//! sentence broken up by blank lines is the padding finding's). A rule with no usable words
//! (none strong enough, see [`Word`]) runs on the whole text. The matches are the ones a
//! search of the whole text (of each paragraph, for unbounded patterns) finds: a test
//! compares the two on varied texts.

use std::ops::Range;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex_automata::{
    Input,
    meta::{BuildError, Regex},
    util::syntax,
};
use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// Shorter words match nearly everywhere and would not spare any work.
const MIN_LEN: usize = 3;
/// More alternatives than this and the set is a poor filter; the rule runs always.
const MAX_WORDS: usize = 256;
/// At most this many matches of one rule in one text are reported.
pub const MAX_MATCHES: usize = 20;

/// How far from one of its words a rule's match can reach: what is searched around it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reach {
    /// The pattern cannot match a line break: the line holding the word.
    Line,
    /// No match is longer than this: as many bytes either side of the word.
    Bytes(usize),
    /// Unbounded (`\s+`, `[^<]*`): the paragraph holding the word.
    Paragraph,
}

impl Reach {
    /// The reach of `pattern` (a paragraph when it does not parse).
    pub fn of(pattern: &str) -> Reach {
        match parse(pattern) {
            Some(h) if !crosses_lines(&h) => Reach::Line,
            Some(h) => h
                .properties()
                .maximum_len()
                .map_or(Reach::Paragraph, Reach::Bytes),
            None => Reach::Paragraph,
        }
    }
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
    words: Vec<Word>,
    /// For each word of the automaton, its rule.
    rule_of: Vec<usize>,
    rules: Vec<Rule>,
}

impl Rules {
    /// Compiles `patterns` (the rules, in order) with ASCII semantics (`\b`, `\w`, case
    /// folding), which keep every rule on the fast lazy DFA.
    pub fn new(patterns: &[&str]) -> Result<Rules, BuildError> {
        let mut words: Vec<Word> = Vec::new();
        let mut rule_of = Vec::new();
        let mut rules = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            let re = Regex::builder()
                .syntax(syntax::Config::new().unicode(false).utf8(false))
                .configure(Regex::config().hybrid_cache_capacity(16 << 20))
                .build(p)?;
            let ws = words_of(p);
            let filtered = ws.is_some();
            for w in ws.into_iter().flatten() {
                words.push(w);
                rule_of.push(i);
            }
            rules.push(Rule {
                re,
                reach: Reach::of(p),
                filtered,
            });
        }
        let ac = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(words.iter().map(|w| &w.bytes))
            .expect("rule words build an automaton");
        Ok(Rules {
            ac,
            words,
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

    /// The rules that match somewhere in `text`.
    pub fn matching(&self, text: &[u8]) -> Vec<usize> {
        let hits = self.hits(text);
        (0..self.rules.len())
            .filter(|&i| !self.run_up_to(i, text, &hits[i], 1).is_empty())
            .collect()
    }

    /// Rule `i`'s compiled pattern.
    pub fn regex(&self, i: usize) -> &Regex {
        &self.rules[i].re
    }

    /// Rule `i`'s matches in `text`, its words being at `hits`.
    fn run(&self, i: usize, text: &[u8], hits: &[usize]) -> Vec<Range<usize>> {
        self.run_up_to(i, text, hits, MAX_MATCHES)
    }

    fn run_up_to(&self, i: usize, text: &[u8], hits: &[usize], most: usize) -> Vec<Range<usize>> {
        let rule = &self.rules[i];
        if rule.filtered && hits.is_empty() {
            return Vec::new();
        }
        if !rule.filtered {
            return rule
                .re
                .find_iter(text)
                .take(most)
                .map(|m| m.range())
                .collect();
        }
        // A window is searched as part of the text: `\b`, `^` and `$` see what is around it.
        let mut found = Vec::new();
        let windows = match rule.reach {
            Reach::Line => lines(text, hits),
            Reach::Bytes(n) => windows(hits, false, |h| {
                h.saturating_sub(n)..(h + n).min(text.len())
            }),
            Reach::Paragraph => paragraphs(text, hits),
        };
        for w in windows {
            let room = most - found.len();
            found.extend(
                rule.re
                    .find_iter(Input::new(text).span(w))
                    .take(room)
                    .map(|m| m.range()),
            );
            if found.len() == most {
                break;
            }
        }
        found
    }

    /// Where each rule's words start in `text`, by rule.
    fn hits(&self, text: &[u8]) -> Vec<Vec<usize>> {
        let mut hits = vec![Vec::new(); self.rules.len()];
        for m in self.ac.find_overlapping_iter(text) {
            let w = m.pattern().as_usize();
            if !self.words[w].bounded(text, m.range()) {
                continue;
            }
            let r = &mut hits[self.rule_of[w]];
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

/// The lines holding `hits`, each once, in order.
fn lines(text: &[u8], hits: &[usize]) -> Vec<Range<usize>> {
    windows(hits, true, |h| line_start(text, h)..line_end(text, h))
}

/// The paragraphs holding `hits`, each once, in order: a paragraph ends at a blank line
/// (nothing but spaces, tabs or a carriage return).
fn paragraphs(text: &[u8], hits: &[usize]) -> Vec<Range<usize>> {
    let blank = |r: Range<usize>| text[r].iter().all(|b| matches!(b, b' ' | b'\t' | b'\r'));
    windows(hits, true, |h| {
        let mut start = line_start(text, h);
        // A word that starts with the line break of a blank line (`\s-p` read as `\n-p`)
        // lies across a paragraph break: no match holds it.
        if blank(start..line_end(text, h)) {
            return h..h;
        }
        while start > 0 {
            let prev = line_start(text, start - 1);
            if blank(prev..start - 1) {
                break;
            }
            start = prev;
        }
        let mut end = line_end(text, h);
        while end < text.len() {
            let next = line_end(text, end + 1);
            if blank(end + 1..next) {
                break;
            }
            end = next;
        }
        // With its last line break: a pattern may end on whitespace (`\s`).
        start..(end + 1).min(text.len())
    })
}

/// The windows `around` each of `hits`, in order, overlapping ones merged: a match lies
/// within the window of any word it holds, so within one merged window, and none crosses
/// from one window into the next. When the window around a hit inside a window is that
/// window (`same_inside`: a line, a paragraph), it is not worked out again.
fn windows(
    hits: &[usize],
    same_inside: bool,
    around: impl Fn(usize) -> Range<usize>,
) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut hits = hits.to_vec();
    hits.sort_unstable();
    for &h in &hits {
        if same_inside && out.last().is_some_and(|w| h < w.end) {
            continue;
        }
        let w = around(h);
        match out.last_mut() {
            Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
            _ => out.push(w),
        }
    }
    out
}

fn line_start(text: &[u8], at: usize) -> usize {
    memchr::memrchr(b'\n', &text[..at]).map_or(0, |i| i + 1)
}

fn line_end(text: &[u8], at: usize) -> usize {
    memchr::memchr(b'\n', &text[at..]).map_or(text.len(), |i| at + i)
}

fn parse(pattern: &str) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()
}

/// A class's ranges, as code points (bytes for a byte class).
fn class_ranges(class: &Class) -> Vec<(u32, u32)> {
    match class {
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
    }
}

/// Whether `hir` can match a line break.
fn crosses_lines(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(l) => l.0.contains(&b'\n'),
        HirKind::Class(c) => class_ranges(c).iter().any(|&(s, e)| s <= 0x0a && 0x0a <= e),
        HirKind::Capture(c) => crosses_lines(&c.sub),
        HirKind::Repetition(r) => crosses_lines(&r.sub),
        HirKind::Alternation(subs) | HirKind::Concat(subs) => subs.iter().any(crosses_lines),
    }
}

/// A word a rule needs (lower-cased), and whether the pattern puts a word boundary (`\b`)
/// before or after it: `\bnc\b` is rare where `nc` is not.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Word {
    pub bytes: Vec<u8>,
    pub before: bool,
    pub after: bool,
}

impl Word {
    /// How selective the word is: its length, plus one for each boundary.
    fn strength(&self) -> usize {
        if self.bytes.len() < 2 {
            return 0;
        }
        self.bytes.len() + usize::from(self.before) + usize::from(self.after)
    }

    /// Whether an occurrence at `range` of `text` has the boundaries the pattern needs.
    fn bounded(&self, text: &[u8], range: Range<usize>) -> bool {
        let word = |i: usize| text.get(i).copied().is_some_and(is_word_byte);
        (!self.before || range.start == 0 || !word(range.start - 1))
            && (!self.after || !word(range.end))
    }
}

/// Largest set one piece of a pattern expands to (`\s` is 6 bytes, `(at)?` two strings).
const MAX_SET: usize = 64;

/// The words one of which every match of `pattern` contains, or `None` when there is no such
/// set worth using.
pub fn words_of(pattern: &str) -> Option<Vec<Word>> {
    let hir = parse(pattern)?;
    let mut ws = required(&hir)?;
    ws.sort();
    ws.dedup();
    (ws.iter().all(|w| w.strength() >= MIN_LEN) && ws.len() <= MAX_WORDS).then_some(ws)
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// The bytes a class stands for (lower-cased, each once), when they are few.
fn class_bytes(class: &Class) -> Option<Vec<u8>> {
    let mut v: Vec<u8> = Vec::new();
    for (s, e) in class_ranges(class) {
        if e > 0x7f || e - s > 16 {
            return None;
        }
        v.extend((s..=e).map(|b| (b as u8).to_ascii_lowercase()));
    }
    v.sort_unstable();
    v.dedup();
    (v.len() <= 8).then_some(v)
}

/// Every string `a` then `b` makes, when there are few.
fn product(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len() * b.len() > MAX_SET {
        return None;
    }
    let mut out = Vec::new();
    for x in a {
        for y in b {
            let mut w = x.clone();
            w.extend(y);
            out.push(w);
        }
    }
    out.sort();
    out.dedup();
    Some(out)
}

/// The few strings (lower-cased) `hir` matches exactly, ignoring case.
fn exact(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    match hir.kind() {
        HirKind::Empty => Some(vec![Vec::new()]),
        HirKind::Literal(l) => Some(vec![l.0.to_ascii_lowercase()]),
        HirKind::Class(c) => Some(class_bytes(c)?.into_iter().map(|b| vec![b]).collect()),
        HirKind::Look(_) => None,
        HirKind::Capture(c) => exact(&c.sub),
        HirKind::Repetition(r) => {
            let sub = exact(&r.sub)?;
            match (r.min, r.max) {
                (0, Some(1)) => {
                    let mut v = sub;
                    v.push(Vec::new());
                    Some(v)
                }
                (n, Some(m)) if n == m && n <= 3 => {
                    let mut v = vec![Vec::new()];
                    for _ in 0..n {
                        v = product(&v, &sub)?;
                    }
                    Some(v)
                }
                _ => None,
            }
        }
        HirKind::Concat(subs) => {
            let mut v = vec![Vec::new()];
            for s in subs {
                v = product(&v, &exact(s)?)?;
            }
            Some(v)
        }
        HirKind::Alternation(alts) => {
            let mut v = Vec::new();
            for a in alts {
                v.extend(exact(a)?);
            }
            (v.len() <= MAX_SET).then_some(v)
        }
    }
}

/// How good a set of words is as a filter: its weakest word, then fewer words.
fn score(ws: &[Word]) -> (usize, std::cmp::Reverse<usize>) {
    let weakest = ws.iter().map(Word::strength).min().unwrap_or(0);
    (weakest, std::cmp::Reverse(ws.len()))
}

fn plain(strings: Vec<Vec<u8>>) -> Vec<Word> {
    strings
        .into_iter()
        .map(|bytes| Word {
            bytes,
            before: false,
            after: false,
        })
        .collect()
}

/// Words one of which every match of `hir` contains.
fn required(hir: &Hir) -> Option<Vec<Word>> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(_) | HirKind::Class(_) => exact(hir).map(plain),
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
            // Runs of exact pieces make longer words (`[Ii][Gg][Nn]…` is `ign…`, `\s-(e|c)`
            // is ` -e`, ` -c`…), marked with the boundaries around them; any piece's words
            // will do, so the best set is kept.
            let mut best: Option<Vec<Word>> = None;
            let mut consider = |ws: Vec<Word>| {
                if best.as_ref().is_none_or(|b| score(&ws) > score(b)) {
                    best = Some(ws);
                }
            };
            let mut run: Vec<Vec<u8>> = vec![Vec::new()];
            let mut run_before = false;
            let finish = |run: &mut Vec<Vec<u8>>, before: bool, after: bool| -> Option<Vec<Word>> {
                let done = std::mem::replace(run, vec![Vec::new()]);
                if done.iter().any(Vec::is_empty) {
                    return None;
                }
                Some(
                    done.into_iter()
                        .map(|bytes| Word {
                            before: before && is_word_byte(bytes[0]),
                            after: after && bytes.last().is_some_and(|&b| is_word_byte(b)),
                            bytes,
                        })
                        .collect(),
                )
            };
            for s in subs {
                if matches!(s.kind(), HirKind::Look(Look::WordAscii | Look::WordUnicode)) {
                    if let Some(ws) = finish(&mut run, run_before, true) {
                        consider(ws);
                    }
                    run_before = true;
                    continue;
                }
                if let Some(set) = exact(s) {
                    match product(&run, &set) {
                        Some(longer) => run = longer,
                        None => {
                            if let Some(ws) = finish(&mut run, run_before, false) {
                                consider(ws);
                            }
                            run = set;
                            run_before = false;
                        }
                    }
                    continue;
                }
                // `\s+` is one `\s` then more: a short run takes one and ends.
                if let HirKind::Repetition(r) = s.kind()
                    && r.min >= 1
                    && run.iter().any(|w| w.len() < MIN_LEN)
                    && let Some(one) = exact(&r.sub).and_then(|set| product(&run, &set))
                {
                    run = one;
                }
                if let Some(ws) = finish(&mut run, run_before, false) {
                    consider(ws);
                }
                run_before = false;
                if let Some(ws) = required(s) {
                    consider(ws);
                }
            }
            if let Some(ws) = finish(&mut run, run_before, false) {
                consider(ws);
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
            .map(|w| {
                format!(
                    "{}{}{}",
                    if w.before { "\\b" } else { "" },
                    String::from_utf8_lossy(&w.bytes),
                    if w.after { "\\b" } else { "" }
                )
            })
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
            ["\\bdisregard", "\\bforget", "\\bignore"]
        );
        assert_eq!(
            words(r"\bstratum\+(tcp|ssl)://"),
            ["\\bstratum+ssl://", "\\bstratum+tcp://"]
        );
        // Small classes and optional parts expand; boundaries make short words usable.
        assert_eq!(words(r"(?i)\bnc(at)?\b"), ["\\bnc\\b", "\\bncat\\b"]);
        assert_eq!(words(r"\b7z[\x22']?x"), ["\\b7z\"x", "\\b7z'x", "\\b7zx"]);
        // Case-sensitive parts are searched without case too (a superset is safe).
        assert_eq!(words(r"(?-i:\$\{?API_KEY)"), ["$api_key", "${api_key"]);
    }

    #[test]
    fn no_words_when_a_branch_needs_none() {
        assert_eq!(words_of(r"(?i)\bx\b|/dev/tcp/\S+"), None);
        assert_eq!(words_of(r"(?i)nc|/dev/tcp/\S+"), None);
        assert_eq!(words(r"(^|\s)(env|printenv)\s*\|"), ["env", "printenv"]);
        assert_eq!(words_of(r"a?b*"), None);
    }

    #[test]
    fn reach_follows_the_pattern() {
        assert_eq!(Reach::of(r"(?i)\bcurl\b[^\n]*\|\s*sh"), Reach::Paragraph);
        assert_eq!(Reach::of(r"(?i)\bcurl\b[^\n]*\| ?sh"), Reach::Line);
        assert_eq!(
            Reach::of(r"<important>[^<]{0,400}\bread"),
            Reach::Bytes(11 + 400 + 4)
        );
        assert_eq!(Reach::of(r"^#!"), Reach::Line);
        assert_eq!(Reach::of(r"(^|[\s;])env\b"), Reach::Bytes(4));
        assert_eq!(Reach::of(r"fetch\([^)]*method"), Reach::Paragraph);
    }

    fn found<'t>(rules: &Rules, text: &'t str) -> Vec<(usize, Vec<&'t str>)> {
        rules
            .matches(text.as_bytes())
            .into_iter()
            .map(|(i, ms)| (i, ms.into_iter().map(|m| &text[m]).collect()))
            .collect()
    }

    #[test]
    fn finds_what_a_search_of_each_paragraph_finds() {
        let rules = Rules::new(&[
            r"(?i)ignore\s+previous",
            r"(?i)\b[qz]\b",
            r"stratum\+tcp://\S+",
            r"(?i)<important>[^<]{0,40}secret",
        ])
        .expect("compile");
        assert_eq!(rules.unfiltered(), [1]);
        assert_eq!(found(&rules, "IGNORE this"), []);
        assert_eq!(
            found(
                &rules,
                "a\n\nplease ignore\n previous and z\nignore previous"
            ),
            [
                (0, vec!["ignore\n previous", "ignore previous"]),
                (1, vec!["z"])
            ]
        );
        // A paragraph's last line break is still its own: `\s` at the end matches it.
        let ending = Rules::new(&[r"(?i)rm\s+-rf\s+~(\s|$)"]).expect("compile");
        assert_eq!(
            found(&ending, "#!/bin/sh\nrm -rf ~\n\nmore"),
            [(0, vec!["rm -rf ~\n"])]
        );
        // Not across a blank line: that ends the paragraph.
        assert_eq!(found(&rules, "x\nignore\n \t\nprevious"), []);
        assert_eq!(
            found(
                &rules,
                "one\n\nx\nignore\n\t previous\ny\n\nignore previous"
            ),
            [(0, vec!["ignore\n\t previous", "ignore previous"])]
        );
        assert_eq!(
            found(&rules, "x stratum+tcp://pool:3333 y"),
            [(2, vec!["stratum+tcp://pool:3333"])]
        );
        assert_eq!(
            found(&rules, "<IMPORTANT>\n\nread the secret"),
            [(3, vec!["<IMPORTANT>\n\nread the secret"])]
        );
        // Anchors and boundaries see the text around a window.
        let anchored =
            Rules::new(&[r"(?i)^\s*ignore\s+previous", r"(?i)\bprevious\b"]).expect("compile");
        assert_eq!(
            found(&anchored, "x\n\nignore previous"),
            [(1, vec!["previous"])]
        );
        assert_eq!(found(&anchored, "ignore previous\n\nx").len(), 2);
        assert_eq!(
            found(&anchored, "ignore previously"),
            [(0, vec!["ignore previous"])]
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
    /// the one listed here (a fork bomb is punctuation), and a new one has to be added here
    /// knowingly.
    #[test]
    fn rules_have_words() {
        let mut none = Vec::new();
        for r in RULES {
            match words_of(r.pattern) {
                Some(ws) => eprintln!(
                    "{} ({:?}): {}",
                    r.id,
                    Reach::of(r.pattern),
                    ws.iter()
                        .map(|w| String::from_utf8_lossy(&w.bytes).into_owned())
                        .collect::<Vec<_>>()
                        .join(" | ")
                ),
                None => none.push(r.id),
            }
        }
        assert_eq!(none, ["script/resource-exhaustion"], "rules without words");
    }
}

#[cfg(test)]
mod differential {
    use super::*;
    use crate::safety::rules::RULES;

    /// Every text file under `dir`.
    fn texts(dir: &std::path::Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                texts(&p, out);
            } else if let Ok(t) = std::fs::read_to_string(&p) {
                out.push(t);
            }
        }
    }

    /// The filter finds exactly what a plain search of the whole text finds (of each
    /// paragraph for an unbounded pattern), rule by rule, on every specimen file and on variants
    /// of each: lines joined, words on lines or paragraphs of their own, case changed.
    #[test]
    fn finds_what_a_search_of_each_paragraph_finds() {
        let mut all = Vec::new();
        texts(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specimens"),
            &mut all,
        );
        assert!(all.len() > 100, "specimens not found");
        let variants: Vec<String> = all
            .iter()
            .flat_map(|t| {
                [
                    t.clone(),
                    t.replace('\n', " "),
                    t.replace(' ', "\n\n"),
                    t.replace(' ', "\n"),
                    t.to_uppercase(),
                    t.replace(". ", ".\n\n  "),
                ]
            })
            .collect();
        let patterns: Vec<&str> = RULES.iter().map(|r| r.pattern).collect();
        let rules = Rules::new(&patterns).expect("rules compile");
        let plain: Vec<Regex> = patterns
            .iter()
            .map(|p| {
                Regex::builder()
                    .syntax(syntax::Config::new().unicode(false).utf8(false))
                    .build(p)
                    .expect("rule compiles")
            })
            .collect();
        let unfiltered = rules.unfiltered();
        let mut checked = 0;
        for t in &variants {
            let got = rules.matches(t.as_bytes());
            // The paragraphs, found apart from the filter's own reading.
            let mut paras: Vec<Range<usize>> = Vec::new();
            let mut pos = 0;
            let mut open: Option<Range<usize>> = None;
            for line in t.split_inclusive('\n') {
                let body = line.trim_end_matches('\n');
                if body.trim_matches([' ', '\t', '\r']).is_empty() {
                    paras.extend(open.take());
                } else {
                    // A paragraph holds its last line break.
                    let end = pos + line.len();
                    open = Some(open.map_or(pos..end, |o| o.start..end));
                }
                pos += line.len();
            }
            paras.extend(open);
            for (i, re) in plain.iter().enumerate() {
                let whole =
                    unfiltered.contains(&i) || Reach::of(RULES[i].pattern) != Reach::Paragraph;
                let want: Vec<Range<usize>> = if whole {
                    re.find_iter(t.as_bytes()).map(|m| m.range()).collect()
                } else {
                    paras
                        .iter()
                        .flat_map(|p| {
                            re.find_iter(Input::new(t.as_bytes()).span(p.clone()))
                                .map(|m| m.range())
                        })
                        .collect()
                };
                let want: Vec<Range<usize>> = want.into_iter().take(MAX_MATCHES).collect();
                let have = got
                    .iter()
                    .find(|(r, _)| *r == i)
                    .map(|(_, m)| m.clone())
                    .unwrap_or_default();
                assert_eq!(
                    have,
                    want,
                    "rule {} on {:?}: {:?}",
                    RULES[i].id,
                    &t[..t.len().min(200)],
                    have.iter()
                        .chain(&want)
                        .map(|r| &t[r.start.saturating_sub(20)..(r.end + 20).min(t.len())])
                        .collect::<Vec<_>>()
                );
                checked += want.len();
            }
        }
        assert!(checked > 100, "too few matches compared: {checked}");
    }
}
