//! Name confusion: skill names made to be mistaken for well-known ones (typosquatting).
//!
//! Two checks. [`lookalike`] needs nothing but the name: a part of it that is not a word
//! but one typo (a letter added, dropped, changed, or two swapped) or one digit-for-letter
//! swap (`g00gle`) away from a word that package names are built from, or from a widely used
//! package or service, is suspicious (`webbapp-testing`, `reqeusts-helper`). Real words are
//! never suspicious: the check knows about 63,000 English words (SCOWL, see
//! `english.LICENSE`) and their inflections. [`similar_to`] is the registry's check: a new
//! name one typo away from a skill another author already published.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Words package names are built from and names of widely used packages (`words.txt`).
fn vocabulary() -> &'static [&'static str] {
    static V: OnceLock<Vec<&'static str>> = OnceLock::new();
    V.get_or_init(|| {
        let mut v: Vec<&str> = include_str!("words.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .flat_map(str::split_whitespace)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    })
}

/// Words that are not typos of anything: the vocabulary and common English words.
fn known_words() -> &'static HashSet<&'static str> {
    static W: OnceLock<HashSet<&'static str>> = OnceLock::new();
    W.get_or_init(|| {
        include_str!("english.txt")
            .lines()
            .chain(vocabulary().iter().copied())
            .collect()
    })
}

/// `token` is a known word, or a known word with a common ending (`coded`, `parsers`).
fn is_word(token: &str) -> bool {
    let words = known_words();
    if words.contains(token) {
        return true;
    }
    const ENDINGS: &[&str] = &[
        "s", "es", "d", "ed", "r", "er", "ers", "ing", "ings", "ion", "ions", "ly", "y", "able",
    ];
    ENDINGS.iter().any(|end| {
        token.strip_suffix(end).is_some_and(|stem| {
            stem.len() >= 3 && (words.contains(stem) || words.contains(format!("{stem}e").as_str()))
        })
    })
}

/// Undoes digit-for-letter swaps (`g00gle` → `google`).
fn undigit(token: &str) -> String {
    token
        .chars()
        .map(|c| match c {
            '0' => 'o',
            '1' => 'l',
            '3' => 'e',
            '4' => 'a',
            '5' => 's',
            '7' => 't',
            _ => c,
        })
        .collect()
}

/// The well-known word `token` imitates, if any.
fn imitated(token: &str) -> Option<&'static str> {
    if token.len() < 4 || is_word(token) {
        return None;
    }
    let vocab = vocabulary();
    if token.bytes().any(|b| b.is_ascii_digit()) {
        let plain = undigit(token);
        if plain != token
            && let Ok(i) = vocab.binary_search(&plain.as_str())
        {
            return Some(vocab[i]);
        }
        return None;
    }
    vocab
        .iter()
        .copied()
        .filter(|w| {
            w.len().abs_diff(token.len()) <= 1 && w.len().max(token.len()) >= 5 && typo_of(token, w)
        })
        // A swap or changed letter says more than a letter added or dropped.
        .min_by_key(|w| w.len().abs_diff(token.len()))
}

/// `token` is `word` with two neighbouring letters swapped, or with one letter added,
/// dropped or changed inside it. Names are often made by adding or changing a letter at
/// either end of a word (`ipython`, `rustc`, `xauth`, `parso`); typos happen inside.
fn typo_of(token: &str, word: &str) -> bool {
    if strsim::osa_distance(token, word) != 1 {
        return false;
    }
    let swapped = token.len() == word.len() && {
        let diff: Vec<usize> = token
            .bytes()
            .zip(word.bytes())
            .enumerate()
            .filter(|(_, (a, b))| a != b)
            .map(|(i, _)| i)
            .collect();
        diff.len() == 2 && diff[1] == diff[0] + 1
    };
    swapped
        || (token.as_bytes().first() == word.as_bytes().first()
            && token.as_bytes().last() == word.as_bytes().last())
}

/// The parts of a name: lowercase runs of letters and digits.
fn parts(name: &str) -> impl Iterator<Item = String> + '_ {
    name.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(str::to_ascii_lowercase)
}

/// A part of `name` that looks like a typo of a well-known word: `(part, word)`.
pub fn lookalike(name: &str) -> Option<(String, &'static str)> {
    // Skills name the same packages over and over (`pip install requests` in every
    // fence): each name is judged once per thread.
    thread_local! {
        static SEEN: std::cell::RefCell<std::collections::HashMap<String, Option<(String, &'static str)>>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    if name.len() > 100 {
        return None;
    }
    if let Some(hit) = SEEN.with(|m| m.borrow().get(name).cloned()) {
        return hit;
    }
    let hit = parts(name).find_map(|p| imitated(&p).map(|w| (p, w)));
    SEEN.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() > 50_000 {
            m.clear();
        }
        m.insert(name.to_string(), hit.clone());
    });
    hit
}

/// The name in `others` that `name` is one typo away from (ignoring case and `-`/`_`).
/// Identical names are not confusion: names are scoped by author.
pub fn similar_to<'a>(name: &str, others: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let norm = |s: &str| -> String { parts(s).collect::<Vec<_>>().join("-") };
    let mine = norm(name);
    if mine.len() < 5 {
        return None;
    }
    others.into_iter().find(|other| {
        let theirs = norm(other);
        theirs != mine
            && (theirs.replace('-', "") == mine.replace('-', "") || {
                theirs.len() >= 5 && strsim::osa_distance(&mine, &theirs) == 1
                // A plural or singular of the same name is a different skill, not a trick.
                && theirs.trim_end_matches('s') != mine.trim_end_matches('s')
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_of_common_words_are_lookalikes() {
        for (name, word) in [
            ("webbapp-testing", "webapp"),
            ("json-parsre", "parser"),
            ("reqeusts-helper", "requests"),
            ("confg-validator", "config"),
            ("g00gle-drive", "google"),
            ("slakc-notifier", "slack"),
        ] {
            assert_eq!(lookalike(name).map(|(_, w)| w), Some(word), "{name}");
        }
    }

    #[test]
    fn real_words_and_made_up_brands_are_not() {
        for name in [
            "uipath-coded-apps",
            "frontend-design",
            "brainstorming",
            "sred-work-summary",
            "using-git-worktrees",
            "pptx",
            "taken-names",
            "k8s-helper",
            "python3-tools",
            "terraform-stacks",
            "parsers",
            // Real package names made by changing a word at either end, or real words.
            "ipython",
            "rustc-hash",
            "libjs-jquery",
            "gsettings-desktop-schemas",
            "networkx",
            "reqwest",
            "tokio-macros",
            "strace",
            "xauth",
            "rand-core",
            "heck",
            "parso",
            "text-iconv",
            "regex-automata",
        ] {
            assert_eq!(lookalike(name), None, "{name}");
        }
    }

    #[test]
    fn registry_names_one_typo_apart() {
        let others = ["webapp-testing", "pdf", "json-tools"];
        assert_eq!(
            similar_to("webbapp-testing", others),
            Some("webapp-testing")
        );
        assert_eq!(similar_to("webapp_testing", others), None);
        assert_eq!(similar_to("webapptesting", others), Some("webapp-testing"));
        assert_eq!(similar_to("json-tool", others), None);
        assert_eq!(similar_to("pdfs", others), None);
        assert_eq!(similar_to("webapp-testing", others), None);
    }
}
