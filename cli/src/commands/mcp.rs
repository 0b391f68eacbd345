//! `spm mcp`: the installed skills served to an agent over the Model Context Protocol on
//! stdin/stdout (the `spm-mcp` crate). `spm connect <client>` registers it in a client.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use spm_client::home::UserConfig;
use spm_client::project::Project;
use spm_core::spotlight::Mode;
use spm_mcp::{Options, Scope};

#[derive(clap::Args)]
pub struct Args {
    /// Serve only the global install (~/.spm/installed), not a project's skills
    #[arg(short, long)]
    pub global: bool,
    /// The project whose skills are served [default: the one around the current directory]
    #[arg(long, value_name = "DIR", conflicts_with = "global")]
    pub project: Option<PathBuf>,
    /// Offer the skill_install tool (or set "mcp": {"allow_install": true} in ~/.spm/config.json);
    /// it never installs a flagged or blocked version
    #[arg(long)]
    pub allow_install: bool,
    /// How skill_load and skill_read_file mark content: delimit, datamark or encode
    #[arg(long, default_value = "datamark")]
    pub mode: Mode,
    /// Registry name or URL for skill_search [default: the configured default]
    #[arg(long)]
    pub registry: Option<String>,
    /// DANGEROUS: where the OS sandbox is unavailable, run skill_exec_bash commands
    /// unconfined instead of refusing them (each answer says so; the audit log records it)
    #[arg(long)]
    pub unsafe_no_sandbox: bool,
}

pub async fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let config = UserConfig::load()?;
    let global = Project::locate(true)?;
    let mut roots = Vec::new();
    if !args.global {
        let project = match &args.project {
            Some(dir) => {
                let dir = std::fs::canonicalize(dir)
                    .with_context(|| format!("--project {}: no such folder", dir.display()))?;
                Project::at(&dir)
            }
            None => Project::locate(false)?,
        };
        roots.push((project, Scope::Project));
    }
    roots.push((global, Scope::Global));
    if args.unsafe_no_sandbox {
        eprintln!(
            "spm mcp: WARNING: --unsafe-no-sandbox: where the sandbox is unavailable, shell commands run UNCONFINED; skills' permissions are not enforced for them"
        );
    }
    spm_mcp::serve_stdio(Options {
        roots,
        allow_install: args.allow_install || config.mcp.allow_install,
        mode: args.mode,
        registry: args.registry.clone(),
        sandbox_exe: None,
        unsafe_no_sandbox: args.unsafe_no_sandbox,
    })
    .await?;
    Ok(ExitCode::SUCCESS)
}
