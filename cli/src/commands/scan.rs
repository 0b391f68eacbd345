//! `spm scan <dir>`: the registry's content-safety scan, run locally before publishing.

use std::path::PathBuf;
use std::process::ExitCode;

use spm_core::package::{PackLimits, UnpackLimits, pack, read_archive};
use spm_core::safety::{Status, Thresholds, scan};

#[derive(clap::Args)]
pub struct Args {
    /// The skill directory [default: .]
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    #[arg(long)]
    pub json: bool,
    /// Also list findings that were judged to be quotes or examples (not counted)
    #[arg(long)]
    pub all: bool,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    // Scan exactly what would be published.
    let package = pack(&args.dir, &PackLimits::default())?;
    let files = read_archive(&package.bytes, &UnpackLimits::default())?;
    let report = scan(
        files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
        &Thresholds::default(),
    );
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        for f in report.findings.iter().filter(|f| args.all || !f.in_context) {
            let ctx = if f.in_context {
                " (in context: not counted)"
            } else {
                ""
            };
            println!(
                "{:<8} {}:{}  [{}] {}{ctx}\n         {}",
                f.severity, f.file, f.line, f.rule, f.explanation, f.excerpt
            );
        }
        let counted = report.counted().count();
        println!(
            "{}: score {}/100, {counted} finding{}",
            report.status.as_str(),
            report.score,
            if counted == 1 { "" } else { "s" }
        );
    }
    Ok(match report.status {
        Status::Clean => ExitCode::SUCCESS,
        Status::Flagged => ExitCode::from(2),
        Status::Blocked => ExitCode::from(1),
    })
}
