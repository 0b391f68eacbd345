//! Throughput of the built-in safety scanner over folders of skills (e.g. the public
//! corpus), one skill at a time as `spm publish` scans them; a quick figure for profiling
//! (`perf record`), where `cargo bench -p spm-core --bench scan` is the measured one.
//!
//!   cargo run --release -p spm-core --example scan_bench -- ../shared/corpus/skills ...

use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let mut roots: Vec<String> = std::env::args().skip(1).collect();
    if roots.is_empty() {
        roots.push("../shared/corpus/skills".into());
    }
    let mut dirs = Vec::new();
    for r in &roots {
        dirs.extend(
            spm_core::safety::eval::skill_dirs(Path::new(r)).unwrap_or_else(|e| panic!("{e}")),
        );
    }
    type Files = Vec<(String, Vec<u8>)>;
    let (dirs, all): (Vec<PathBuf>, Vec<Files>) = dirs
        .into_iter()
        .filter_map(|d| spm_core::safety::eval::read_tree(&d).ok().map(|f| (d, f)))
        .unzip();
    let bytes: usize = all.iter().flatten().map(|(_, b)| b.len()).sum();
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(5);
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..runs {
        for files in &all {
            n += spm_core::safety::scan(
                files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
                &Default::default(),
            )
            .findings
            .len();
        }
    }
    let secs = t.elapsed().as_secs_f64() / runs as f64;
    // `DUMP=file`: every finding of every skill, one per line, to compare two builds.
    if let Ok(dump) = std::env::var("DUMP") {
        let mut lines = String::new();
        for (dir, files) in dirs.iter().zip(&all) {
            let r = spm_core::safety::scan(
                files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
                &Default::default(),
            );
            for f in &r.findings {
                lines.push_str(&format!(
                    "{} {}:{} {} {:?} {} {}\n",
                    dir.display(),
                    f.file,
                    f.line,
                    f.rule,
                    f.severity,
                    f.in_context,
                    f.excerpt
                ));
            }
            lines.push_str(&format!(
                "{} score {} {:?}\n",
                dir.display(),
                r.score,
                r.status
            ));
        }
        std::fs::write(&dump, lines).unwrap_or_else(|e| panic!("{dump}: {e}"));
    }
    println!(
        "scanned {} skills, {:.1} MB in {:.0} ms per pass: {:.1} MB/s on one core ({} findings per pass)",
        all.len(),
        bytes as f64 / 1e6,
        secs * 1e3,
        bytes as f64 / 1e6 / secs,
        n / runs
    );
}
