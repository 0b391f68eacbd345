//! `spm audit [--denied] [--skill x] [--json]`: the proxy-tool calls `spm mcp` judged for
//! this project's skills (`.spm/audit.jsonl`).

use std::process::ExitCode;

use spm_client::audit;
use spm_client::project::Project;

#[derive(clap::Args)]
pub struct Args {
    /// Only the calls that were refused
    #[arg(long)]
    pub denied: bool,
    /// Only calls for this skill (author/name, or a bare name)
    #[arg(long)]
    pub skill: Option<String>,
    /// One JSON object per line, as stored
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let project = Project::locate(false)?;
    let wanted = |e: &audit::Entry| {
        (!args.denied || e.denied())
            && args.skill.as_deref().is_none_or(|s| {
                let id = e.skill.split('@').next().unwrap_or_default();
                id == s || id.rsplit('/').next() == Some(s)
            })
    };
    let entries: Vec<audit::Entry> = audit::read(&project)?.into_iter().filter(wanted).collect();
    if args.json {
        for e in &entries {
            println!("{}", serde_json::to_string(e)?);
        }
        return Ok(ExitCode::SUCCESS);
    }
    if entries.is_empty() {
        println!(
            "No calls recorded in {}{}.",
            project.root.join(audit::FILE).display(),
            if args.denied || args.skill.is_some() {
                " that match"
            } else {
                ""
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    for e in &entries {
        let mark = if e.denied() { "✗" } else { "✓" };
        println!("{mark} {} {} {} {}", e.time, e.skill, e.tool, e.target);
        if !e.reason.is_empty() {
            println!("    {}", e.reason);
        }
    }
    Ok(ExitCode::SUCCESS)
}
