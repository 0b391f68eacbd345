//! The scanner's evaluation without the CLI (a quick loop while working on the rules):
//! `cargo run --release -p spm-core --example scan_eval -- <corpus or specimen dir>`, or
//! `-- --skill <dir>` for one skill's findings.

use std::path::Path;

use spm_core::safety::{Thresholds, eval, scan};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let t = Thresholds::default();
    if args.first().map(String::as_str) == Some("--skill") {
        for dir in &args[1..] {
            let files = eval::read_tree(Path::new(dir))?;
            let r = scan(files.iter().map(|(p, b)| (p.as_str(), b.as_slice())), &t);
            println!("{dir}: {} {}", r.status, r.score);
            for f in &r.findings {
                println!(
                    "  {}{}:{} {} {} {}",
                    if f.in_context { "(context) " } else { "" },
                    f.file,
                    f.line,
                    f.severity,
                    f.rule,
                    f.excerpt
                );
            }
        }
        return Ok(());
    }
    let root = args.first().map_or("../shared/corpus", String::as_str);
    let started = std::time::Instant::now();
    let e = eval::evaluate(Path::new(root), &t)?;
    println!("{e}");
    eprintln!("{:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}
