//! What each built-in rule costs the one-pass regex set: the set's time over a folder of
//! skills with and without each rule, and each rule alone. Use it when adding a rule.
//!
//!   cargo run --release -p spm-core --example rule_cost -- ../shared/corpus/skills

use std::time::Instant;

use regex::bytes::RegexSetBuilder;
use spm_core::safety::rules::RULES;

fn main() {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/corpus/skills".into());
    let files: Vec<Vec<u8>> = spm_core::safety::eval::read_tree(root.as_ref())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|(_, b)| b)
        .filter(|b| std::str::from_utf8(b).is_ok())
        .collect();
    let time = |pats: &[&str]| {
        let set = RegexSetBuilder::new(pats)
            .unicode(false)
            .dfa_size_limit(64 << 20)
            .build()
            .expect("rules compile");
        let mut best = f64::MAX;
        for _ in 0..3 {
            let t = Instant::now();
            let n: usize = files.iter().map(|f| set.matches(f).iter().count()).sum();
            std::hint::black_box(n);
            best = best.min(t.elapsed().as_secs_f64());
        }
        best * 1e3
    };
    let all: Vec<&str> = RULES.iter().map(|r| r.pattern).collect();
    println!("all {} rules: {:.0} ms", all.len(), time(&all));
    for (i, r) in RULES.iter().enumerate() {
        let mut without = all.clone();
        without.remove(i);
        println!(
            "{:<36} without: {:>4.0} ms   alone: {:>4.0} ms",
            r.id,
            time(&without),
            time(&[r.pattern])
        );
    }
}
