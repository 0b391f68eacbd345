//! Scanner throughput over the real skills in `../shared/corpus/skills` and `skills-extra`
//! (every file of every skill, as `spm publish` scans them), reported in bytes per second
//! on one core: `cargo bench -p spm-core --bench scan`. Without the corpus it measures the
//! specimens in `core/tests/specimens` and says so.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use spm_core::safety::{Thresholds, eval::read_tree, scan};

/// Every skill folder (one holding a SKILL.md) below `root`.
fn skills(root: &Path, out: &mut Vec<PathBuf>) {
    if root.join("SKILL.md").is_file() {
        out.push(root.to_path_buf());
    }
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            skills(&e.path(), out);
        }
    }
}

fn corpus() -> Vec<Vec<(String, Vec<u8>)>> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = base.join("../../shared/corpus");
    let mut dirs = Vec::new();
    if shared.is_dir() {
        skills(&shared.join("skills"), &mut dirs);
        skills(&shared.join("skills-extra"), &mut dirs);
    } else {
        eprintln!("../shared/corpus is absent: measuring the specimens instead");
        skills(&base.join("tests/specimens"), &mut dirs);
    }
    dirs.iter().filter_map(|d| read_tree(d).ok()).collect()
}

fn bench(c: &mut Criterion) {
    let skills = corpus();
    let bytes: usize = skills.iter().flatten().map(|(_, b)| b.len()).sum();
    let t = Thresholds::default();
    let mut g = c.benchmark_group("scanner");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function(format!("{} skills", skills.len()), |b| {
        b.iter(|| {
            for files in &skills {
                std::hint::black_box(scan(
                    files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
                    &t,
                ));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
