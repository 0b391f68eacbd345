//! `spm validate`: check skills and report every problem with its position.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use serde::Serialize;
use spm_core::diagnostic::{Diagnostic, Severity};
use spm_core::skill::{Options, Skill};

use crate::render;
use spm_client::discover;

#[derive(clap::Args)]
pub struct Args {
    /// Skill directories to check (default: the current directory)
    pub paths: Vec<PathBuf>,
    /// Check every directory below DIR that holds a SKILL.md
    #[arg(long, value_name = "DIR")]
    pub all: Option<PathBuf>,
    /// Print a JSON report on stdout instead of text
    #[arg(long)]
    pub json: bool,
    /// Hide warnings
    #[arg(long, short)]
    pub quiet: bool,
    /// Treat a missing version as an error, as `spm publish` does
    #[arg(long)]
    pub strict: bool,
}

#[derive(Serialize)]
struct SkillReport<'a> {
    path: String,
    name: Option<&'a str>,
    version: Option<String>,
    valid: bool,
    diagnostics: &'a [Diagnostic],
}

#[derive(Serialize, Default)]
struct Summary {
    skills: usize,
    valid: usize,
    invalid: usize,
    errors: usize,
    warnings: usize,
    elapsed_ms: u128,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let mut dirs = args.paths.clone();
    if let Some(root) = &args.all {
        let found = discover::skill_dirs(root)
            .with_context(|| format!("cannot read {}", root.display()))?;
        if found.is_empty() {
            anyhow::bail!("no SKILL.md found in {} or below it", root.display());
        }
        dirs.extend(found);
    }
    if dirs.is_empty() {
        dirs.push(PathBuf::from("."));
    }
    let opts = Options {
        require_version: args.strict,
        ..Options::default()
    };
    let skills: Vec<Skill> = dirs.iter().map(|d| Skill::load(d, &opts)).collect();

    let mut summary = Summary {
        skills: skills.len(),
        ..Summary::default()
    };
    for s in &skills {
        if s.has_errors() {
            summary.invalid += 1;
        } else {
            summary.valid += 1;
        }
        summary.errors += s.count(Severity::Error);
        summary.warnings += s.count(Severity::Warning);
    }
    summary.elapsed_ms = started.elapsed().as_millis();

    if args.json {
        let reports: Vec<_> = skills
            .iter()
            .map(|s| SkillReport {
                path: s.dir.display().to_string(),
                name: s.manifest.as_ref().map(|m| m.name.as_str()),
                version: s
                    .manifest
                    .as_ref()
                    .and_then(|m| m.version.as_ref())
                    .map(ToString::to_string),
                valid: !s.has_errors(),
                diagnostics: &s.diagnostics,
            })
            .collect();
        let out = serde_json::json!({ "skills": reports, "summary": summary });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print_text(&skills, args, &summary, started);
    }
    Ok(if summary.invalid > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_text(skills: &[Skill], args: &Args, summary: &Summary, started: Instant) {
    let many = skills.len() > 1;
    for s in skills {
        let shown: Vec<&Diagnostic> = s
            .diagnostics
            .iter()
            .filter(|d| d.is_error() || !args.quiet)
            .collect();
        let status = if s.has_errors() { "✗" } else { "✓" };
        let id = s
            .manifest
            .as_ref()
            .map(|m| match &m.version {
                Some(v) => format!(" ({}@{v})", m.name),
                None => format!(" ({})", m.name),
            })
            .unwrap_or_default();
        if many || !shown.is_empty() || !s.has_errors() {
            println!("{status} {}{id}", s.dir.display());
        }
        for d in shown {
            // With many skills, warnings are one line each; errors always get the full report.
            if many && !d.is_error() {
                println!("    {}", render::one_line(d));
            } else {
                println!("{}", render::report(d, s.source.as_deref()));
            }
        }
    }
    println!();
    println!(
        "Checked {} skill{} in {:.2}s: {} valid, {} invalid ({} error{}, {} warning{})",
        summary.skills,
        plural(summary.skills),
        started.elapsed().as_secs_f64(),
        summary.valid,
        summary.invalid,
        summary.errors,
        plural(summary.errors),
        summary.warnings,
        plural(summary.warnings),
    );
    // Group by rule so a user sees what to fix first.
    let mut by_code: BTreeMap<(Severity, &str), (usize, &str, Option<&str>)> = BTreeMap::new();
    for d in skills.iter().flat_map(|s| &s.diagnostics) {
        let e = by_code
            .entry((d.severity, d.code))
            .or_insert((0, &d.message, d.help.as_deref()));
        e.0 += 1;
    }
    let mut groups: Vec<_> = by_code.into_iter().collect();
    groups.sort_by(|a, b| b.0.0.cmp(&a.0.0).then(b.1.0.cmp(&a.1.0)));
    if !groups.is_empty() && many {
        for ((sev, code), (n, example, help)) in groups {
            if args.quiet && sev == Severity::Warning {
                continue;
            }
            let sev = if sev == Severity::Error {
                "error"
            } else {
                "warning"
            };
            let hint = help
                .map(|h| format!(" → {}", h.lines().next().unwrap_or(h)))
                .unwrap_or_default();
            println!("  {n:>4} × {sev}[{code}] e.g. {example}{hint}");
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
