//! Throughput of the built-in safety scanner over a folder of skills (e.g. the public corpus).
//!
//!   cargo run --release -p spm-core --example scan_bench -- ../shared/corpus/skills

use std::time::Instant;

fn main() {
    let root = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "../shared/corpus/skills".into());
    let files: Vec<(String, Vec<u8>)> = spm_core::safety::eval::read_tree(root.as_ref())
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .filter(|(_, b)| std::str::from_utf8(b).is_ok())
        .collect();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let runs = 5;
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..runs {
        n += spm_core::safety::scan(
            files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
            &Default::default(),
        )
        .findings
        .len();
    }
    let secs = t.elapsed().as_secs_f64() / runs as f64;
    println!(
        "scanned {} files, {:.1} MB in {:.0} ms per pass: {:.1} MB/s on one core ({} findings per pass)",
        files.len(),
        bytes as f64 / 1e6,
        secs * 1e3,
        bytes as f64 / 1e6 / secs,
        n / runs
    );
}
