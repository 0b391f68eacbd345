//! The scanner's own specimens (`core/tests/specimens/<class>/{malicious,benign}/<case>/`):
//! skills written for these tests, one folder per attack class from the skill-injection
//! research taxonomy, each beside benign twins that legitimately document or use the same
//! mechanism. Every malicious case must be caught (flagged or blocked) and every twin must
//! scan clean; the classes with a category of their own must be caught by it.

use std::path::Path;

use spm_core::safety::Thresholds;
use spm_core::safety::eval::evaluate;

#[test]
fn every_specimen_is_caught_and_every_benign_twin_is_clean() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specimens");
    let eval = evaluate(&root, &Thresholds::default()).expect("the specimens read");
    println!("{eval}");
    assert!(
        eval.sets.len() >= 34,
        "expected 17 classes, each with both sides"
    );
    let mut wrong = Vec::new();
    for set in &eval.sets {
        assert!(set.total >= 2, "{} has only {} cases", set.name, set.total);
        let ok = if set.malicious {
            set.detected == set.total
        } else {
            set.detected == 0
        };
        if !ok {
            wrong.push(format!("{}: {:?}", set.name, set.wrong));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Persistence and control disablement are caught as what they are.
    for (class, category) in [
        ("persistence", "persistence"),
        ("control-disablement", "control-disablement"),
        ("supply-chain", "supply-chain"),
        ("encoded-oneliner", "hidden-content"),
    ] {
        let set = eval
            .set(&format!("{class} malicious"))
            .expect("the class exists");
        assert_eq!(
            set.categories.get(category).copied().unwrap_or(0),
            set.total,
            "{class}: {:?}",
            set.categories
        );
    }
}
