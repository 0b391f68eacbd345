//! Measured quality of the built-in scanner on labelled data in `../shared/corpus`
//! (the same evaluation `spm scan --eval` prints). Fails if detection or false-positive
//! rates regress below what the scanner reaches.

use std::path::{Path, PathBuf};

use spm_core::safety::Thresholds;
use spm_core::safety::eval::evaluate;

fn corpus() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    if p.is_dir() {
        Some(p)
    } else {
        eprintln!(
            "SKIPPED: {} not found; the safety evaluation needs ../shared/corpus",
            p.display()
        );
        None
    }
}

#[test]
fn detection_and_false_positive_rates() {
    let Some(root) = corpus() else { return };
    let eval = evaluate(&root, &Thresholds::default()).expect("the corpus reads");
    println!("{eval}");
    let rate = |name: &str| eval.set(name).map(|s| s.rate()).expect(name);

    // Targets of the safety issue, and floors at what the scanner reaches today.
    assert!(rate("skillfortify malicious") >= FLOOR_MALICIOUS);
    assert!(rate("skillfortify benign") <= CEILING_BENIGN_FLAGGED);
    assert!(rate("real public skills") <= CEILING_REAL_FLAGGED);
    assert_eq!(
        eval.set("real public skills").map(|s| s.blocked),
        Some(0),
        "a real public skill was blocked"
    );
    // The larger real collections (`skills-extra/`): at most 1% flagged, none blocked, and
    // the same over all 826 real skills together.
    assert!(rate("more real skills") <= CEILING_EXTRA_FLAGGED);
    assert_eq!(
        eval.set("more real skills").map(|s| s.blocked),
        Some(0),
        "a real skill was blocked"
    );
    let real: Vec<_> = ["real public skills", "more real skills"]
        .iter()
        .filter_map(|n| eval.set(n))
        .collect();
    let (flagged, total) = real
        .iter()
        .fold((0, 0), |(f, t), s| (f + s.detected, t + s.total));
    assert!(
        flagged * 100 <= total,
        "{flagged} of {total} real skills flagged (more than 1%)"
    );
    assert!(rate("deepset injections") >= FLOOR_DEEPSET);
    assert!(rate("deepset benign prompts") <= CEILING_DEEPSET_BENIGN);
}

const FLOOR_MALICIOUS: f64 = 95.0;
const CEILING_REAL_FLAGGED: f64 = 1.0;
const CEILING_EXTRA_FLAGGED: f64 = 1.0;
const CEILING_BENIGN_FLAGGED: f64 = 2.0;
const FLOOR_DEEPSET: f64 = 24.0;
const CEILING_DEEPSET_BENIGN: f64 = 1.0;
