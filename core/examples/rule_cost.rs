//! What each built-in rule costs over folders of skills: the time its pattern takes where
//! its words occur, and the time of the words' pass. Use it when adding or changing a rule.
//!
//!   cargo run --release -p spm-core --example rule_cost -- ../shared/corpus/skills ...

use spm_core::safety::{
    prefilter::{Reach, Rules, words_of},
    rules::RULES,
};

fn main() {
    let mut files: Vec<Vec<u8>> = Vec::new();
    for root in std::env::args().skip(1) {
        files.extend(
            spm_core::safety::eval::read_tree(root.as_ref())
                .unwrap_or_else(|e| panic!("{e}"))
                .into_iter()
                .map(|(_, b)| b)
                .filter(|b| std::str::from_utf8(b).is_ok()),
        );
    }
    let patterns: Vec<&str> = RULES.iter().map(|r| r.pattern).collect();
    let rules = Rules::new(&patterns).expect("rules compile");
    let texts: Vec<&[u8]> = files.iter().map(Vec::as_slice).collect();
    let (words, each) = rules.profile(&texts);
    let total: f64 = each.iter().map(|d| d.as_secs_f64()).sum::<f64>() + words.as_secs_f64();
    println!(
        "{} files: {:.0} ms, of which the words' pass {:.0} ms",
        files.len(),
        total * 1e3,
        words.as_secs_f64() * 1e3
    );
    let mut rows: Vec<_> = RULES.iter().zip(&each).collect();
    rows.sort_by(|a, b| b.1.cmp(a.1));
    for (r, d) in rows {
        println!(
            "{:<36} {:>6.1} ms  {:<14}  {} words",
            r.id,
            d.as_secs_f64() * 1e3,
            format!("{:?}", Reach::of(r.pattern)),
            words_of(r.pattern).map_or(0, |w| w.len())
        );
    }
}
