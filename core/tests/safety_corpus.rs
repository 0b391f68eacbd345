//! Measured quality of the built-in scanner on labelled data in `../shared/corpus`.
//! Fails if detection or false-positive rates regress below what the scanner reaches.

use std::path::{Path, PathBuf};

use spm_core::safety::{Status, Thresholds, scan};

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

/// Scans every text file under `dir` as one skill.
fn judge(dir: &Path) -> (Status, Vec<String>) {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p)
                && bytes.len() < 2_000_000
            {
                files.push((
                    p.strip_prefix(dir).unwrap().to_string_lossy().into_owned(),
                    bytes,
                ));
            }
        }
    }
    let r = scan(
        files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
        &Thresholds::default(),
    );
    let rules = r
        .counted()
        .map(|f| format!("{}:{} {}", f.file, f.line, f.rule))
        .collect();
    (r.status, rules)
}

fn skill_dirs(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        if d.join("SKILL.md").is_file() {
            out.push(d.clone());
        }
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn detection_and_false_positive_rates() {
    let Some(root) = corpus() else { return };
    let sf = root.join("injection/skillfortify-claude");
    let mal: Vec<PathBuf> = std::fs::read_dir(sf.join("malicious"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    let ben: Vec<PathBuf> = std::fs::read_dir(sf.join("benign"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    let caught = mal.iter().filter(|d| judge(d).0 != Status::Clean).count();
    let mut missed: Vec<String> = mal
        .iter()
        .filter(|d| judge(d).0 == Status::Clean)
        .map(|d| d.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    missed.sort();
    let ben_flagged = ben.iter().filter(|d| judge(d).0 != Status::Clean).count();

    let real = skill_dirs(&root.join("skills"));
    let mut real_flagged = Vec::new();
    let mut real_blocked = 0;
    for d in &real {
        let (s, rules) = judge(d);
        if s != Status::Clean {
            real_flagged.push(format!("{} {:?} {rules:?}", d.display(), s));
        }
        real_blocked += usize::from(s == Status::Blocked);
    }

    // deepset prompts: one prompt = one SKILL.md body.
    let jsonl = std::fs::read_to_string(root.join("injection/deepset-train.jsonl")).unwrap();
    let (mut inj, mut inj_hit, mut benign, mut benign_hit) = (0, 0, 0, 0);
    for line in jsonl.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = v["text"].as_str().unwrap_or("");
        let hit =
            scan([("SKILL.md", text.as_bytes())], &Thresholds::default()).status != Status::Clean;
        if v["label"] == 1 {
            inj += 1;
            inj_hit += usize::from(hit);
        } else {
            benign += 1;
            benign_hit += usize::from(hit);
        }
    }

    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    println!(
        "skillfortify malicious: {caught}/{} flagged or blocked ({:.1}%), missed: {missed:?}",
        mal.len(),
        pct(caught, mal.len())
    );
    println!(
        "skillfortify benign:    {ben_flagged}/{} flagged ({:.1}%)",
        ben.len(),
        pct(ben_flagged, ben.len())
    );
    println!(
        "real public skills:     {}/{} flagged ({:.1}%), {real_blocked} blocked",
        real_flagged.len(),
        real.len(),
        pct(real_flagged.len(), real.len())
    );
    for r in &real_flagged {
        println!("  {r}");
    }
    println!(
        "deepset injections:     {inj_hit}/{inj} detected ({:.1}%); benign prompts {benign_hit}/{benign} flagged ({:.1}%)",
        pct(inj_hit, inj),
        pct(benign_hit, benign)
    );

    // Floors at what the scanner reaches today: a regression fails the build.
    assert!(
        pct(caught, mal.len()) >= FLOOR_MALICIOUS,
        "malicious detection fell below {FLOOR_MALICIOUS}%"
    );
    assert!(
        pct(real_flagged.len(), real.len()) <= CEILING_REAL_FLAGGED,
        "real skills flagged above {CEILING_REAL_FLAGGED}%"
    );
    assert_eq!(real_blocked, 0, "a real public skill was blocked");
    assert!(pct(ben_flagged, ben.len()) <= CEILING_BENIGN_FLAGGED);
    assert!(pct(inj_hit, inj) >= FLOOR_DEEPSET);
}

const FLOOR_MALICIOUS: f64 = 93.0;
const CEILING_REAL_FLAGGED: f64 = 2.0;
const CEILING_BENIGN_FLAGGED: f64 = 2.0;
const FLOOR_DEEPSET: f64 = 23.0;
