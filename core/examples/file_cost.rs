//! Where the scanner's time goes, by kind of file: each file of the given folders of skills
//! is scanned on its own (three times, the mean kept), then the time and throughput per file
//! extension and the slowest files are printed. `ONLY=.md` keeps the files whose name ends so
//! (for `perf record` on one kind).
//!
//!   cargo run --release -p spm-core --example file_cost -- ../shared/corpus/skills ...

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

fn main() {
    let only = std::env::var("ONLY").ok();
    let mut per_ext: HashMap<String, (usize, usize, f64)> = HashMap::new();
    let mut each: Vec<(f64, String, usize)> = Vec::new();
    for root in std::env::args().skip(1) {
        let dirs = spm_core::safety::eval::skill_dirs(Path::new(&root))
            .unwrap_or_else(|e| panic!("{root}: {e}"));
        for d in dirs {
            let Ok(files) = spm_core::safety::eval::read_tree(&d) else {
                continue;
            };
            for (p, b) in &files {
                if only
                    .as_ref()
                    .is_some_and(|o| !p.to_lowercase().ends_with(o))
                {
                    continue;
                }
                let t = Instant::now();
                for _ in 0..3 {
                    std::hint::black_box(spm_core::safety::scan(
                        std::iter::once((p.as_str(), b.as_slice())),
                        &Default::default(),
                    ));
                }
                let secs = t.elapsed().as_secs_f64() / 3.0;
                let ext = Path::new(p)
                    .extension()
                    .map(|e| e.to_string_lossy().to_lowercase())
                    .unwrap_or_default();
                let e = per_ext.entry(ext).or_default();
                e.0 += 1;
                e.1 += b.len();
                e.2 += secs;
                each.push((secs, format!("{}/{p}", d.display()), b.len()));
            }
        }
    }
    let mut exts: Vec<_> = per_ext.into_iter().collect();
    exts.sort_by(|a, b| b.1.2.total_cmp(&a.1.2));
    for (ext, (n, bytes, secs)) in exts.iter().take(20) {
        println!(
            "{ext:10} {n:5} files {:7.1} MB {:8.1} ms {:6.1} MB/s",
            *bytes as f64 / 1e6,
            secs * 1e3,
            *bytes as f64 / 1e6 / secs
        );
    }
    each.sort_by(|a, b| b.0.total_cmp(&a.0));
    for (secs, path, n) in each.iter().take(25) {
        println!(
            "{:7.2} ms {n:8} B {:6.1} MB/s {path}",
            secs * 1e3,
            *n as f64 / 1e6 / secs
        );
    }
}
