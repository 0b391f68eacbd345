//! `spm agents`: every agent spm can install skills for, whether it looks installed here,
//! and the folders spm writes for it.

use std::process::ExitCode;

use anyhow::Context;
use spm_client::agents::{AGENTS, Env};
use spm_client::project::Project;

#[derive(clap::Args)]
pub struct Args {
    /// Only the agents that look installed
    #[arg(long)]
    pub detected: bool,
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let env = Env::current().context("HOME is not set; spm cannot find the agents' folders")?;
    let project = Project::locate(false)?;
    let rows: Vec<_> = AGENTS
        .iter()
        .map(|a| {
            (
                a,
                a.detected(&project.root, &env),
                a.folder(&project.root, false, &env),
                a.folder(&project.root, true, &env),
            )
        })
        .filter(|(_, detected, _, _)| !args.detected || *detected)
        .collect();
    if args.json {
        let list: Vec<_> = rows
            .iter()
            .map(|(a, detected, project_folder, user_folder)| {
                serde_json::json!({
                    "id": a.id,
                    "name": a.name,
                    "detected": detected,
                    "project_folder": project_folder,
                    "user_folder": user_folder,
                })
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({ "agents": list }))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let home = env.home.display().to_string();
    let short = |p: &std::path::Path| {
        let s = p.display().to_string();
        match s.strip_prefix(&home) {
            Some(rest) => format!("~{rest}"),
            None => s,
        }
    };
    println!(
        "{:<16} {:<10} {:<22} user folder (-g)",
        "agent", "detected", "project folder"
    );
    for (a, detected, project_folder, user_folder) in &rows {
        let rel = project_folder
            .strip_prefix(&project.root)
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| short(project_folder));
        println!(
            "{:<16} {:<10} {:<22} {}",
            a.id,
            if *detected { "yes" } else { "-" },
            rel,
            short(user_folder)
        );
    }
    let n = rows.iter().filter(|(_, d, _, _)| *d).count();
    println!("{n} of {} agents detected", AGENTS.len());
    Ok(ExitCode::SUCCESS)
}
