//! `spm scan <dir>`: the registry's content-safety scan, run locally before publishing;
//! `spm scan --eval <corpus>`: the scanner's detection and false-positive rates on labelled
//! data.

use std::path::PathBuf;
use std::process::ExitCode;

use spm_core::package::{PackLimits, UnpackLimits, pack, read_archive};
use spm_core::safety::{SafetyStatus, Thresholds, scan};

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
    /// Measure the scanner on a labelled corpus instead (a folder laid out like
    /// ../shared/corpus: injection/skillfortify-claude, injection/deepset-train.jsonl, skills)
    #[arg(long, value_name = "CORPUS", conflicts_with = "all")]
    pub eval: Option<PathBuf>,
    /// Scores below this are flagged (the registry's `[safety] flag_below`)
    #[arg(long, value_name = "SCORE", default_value_t = Thresholds::default().flag_below)]
    pub flag_below: u32,
    /// Scores below this are blocked (the registry's `[safety] block_below`)
    #[arg(long, value_name = "SCORE", default_value_t = Thresholds::default().block_below)]
    pub block_below: u32,
}

fn eval(
    args: &Args,
    corpus: &std::path::Path,
    thresholds: &Thresholds,
) -> anyhow::Result<ExitCode> {
    let started = std::time::Instant::now();
    let e = spm_core::safety::eval::evaluate(corpus, thresholds)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&e)?);
    } else {
        print!("{e}");
        println!("({:.1} s)", started.elapsed().as_secs_f64());
    }
    Ok(ExitCode::SUCCESS)
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let thresholds = Thresholds {
        flag_below: args.flag_below,
        block_below: args.block_below,
    };
    if !thresholds.is_valid() {
        anyhow::bail!(
            "--block-below must not exceed --flag-below, and --flag-below must be at most 100 (got --block-below {} --flag-below {})",
            thresholds.block_below,
            thresholds.flag_below
        );
    }
    if let Some(corpus) = &args.eval {
        return eval(args, corpus, &thresholds);
    }
    // Scan exactly what would be published.
    let package = pack(&args.dir, &PackLimits::default())?;
    let files = read_archive(&package.bytes, &UnpackLimits::default())?;
    let report = scan(
        files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
        &thresholds,
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
        SafetyStatus::Clean => ExitCode::SUCCESS,
        SafetyStatus::Flagged => ExitCode::from(2),
        SafetyStatus::Blocked => ExitCode::from(1),
    })
}
