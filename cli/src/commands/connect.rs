//! `spm connect <client>`, `spm disconnect <client>` and `spm connect --list`: `spm mcp` in
//! MCP clients' own configuration files (user scope, or the project's with `--project`).

use std::process::ExitCode;

use anyhow::{Context, bail};
use spm_client::agents::Env;
use spm_client::connect::{self, CLIENTS, Change, Command};
use spm_client::project::Project;

#[derive(clap::Args)]
pub struct ConnectArgs {
    /// The MCP client: claude-code, cursor, vscode, windsurf, gemini-cli, codex,
    /// claude-desktop, zed
    #[arg(required_unless_present = "list")]
    pub client: Option<String>,
    /// Edit the project's configuration (.mcp.json, .cursor/mcp.json, ...) instead of the user's
    #[arg(long)]
    pub project: bool,
    /// Show where spm is connected
    #[arg(long, conflicts_with = "client")]
    pub list: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct DisconnectArgs {
    pub client: String,
    #[arg(long)]
    pub project: bool,
}

fn env() -> anyhow::Result<Env> {
    Env::current().context("HOME is not set; spm cannot find the MCP clients' configuration")
}

pub fn connect(args: &ConnectArgs) -> anyhow::Result<ExitCode> {
    let env = env()?;
    let root = Project::locate(false)?.root;
    if args.list {
        let mut rows = Vec::new();
        for c in CLIENTS {
            for (scope, project) in [("user", None), ("project", Some(root.as_path()))] {
                if let Ok(file) = c.file(project, &env) {
                    rows.push((c.id, scope, connect::is_connected(c, &file), file));
                }
            }
        }
        if args.json {
            let list: Vec<_> = rows
                .iter()
                .map(|(id, scope, on, file)| {
                    serde_json::json!({"client": id, "scope": scope, "connected": on, "file": file})
                })
                .collect();
            println!(
                "{}",
                serde_json::to_string_pretty(&serde_json::json!({ "connections": list }))?
            );
        } else {
            for (id, scope, on, file) in &rows {
                println!(
                    "{:<15} {:<8} {:<14} {}",
                    id,
                    scope,
                    if *on { "connected" } else { "-" },
                    file.display()
                );
            }
        }
        return Ok(ExitCode::SUCCESS);
    }
    let Some(id) = &args.client else {
        bail!("name the MCP client to connect, or use --list");
    };
    let client = connect::find(id)?;
    let file = client.file(args.project.then_some(root.as_path()), &env)?;
    let change = connect::apply(client, &file, Some(&Command::current()))?;
    match change {
        Change::Unchanged => println!(
            "{} already runs `spm mcp` ({})",
            client.name,
            file.display()
        ),
        Change::Updated => println!(
            "updated spm's entry for {} in {}",
            client.name,
            file.display()
        ),
        _ => println!("{} now runs `spm mcp` ({})", client.name, file.display()),
    }
    Ok(ExitCode::SUCCESS)
}

pub fn disconnect(args: &DisconnectArgs) -> anyhow::Result<ExitCode> {
    let env = env()?;
    let root = Project::locate(false)?.root;
    let client = connect::find(&args.client)?;
    let file = client.file(args.project.then_some(root.as_path()), &env)?;
    match connect::apply(client, &file, None)? {
        Change::Removed => println!("removed spm from {} ({})", client.name, file.display()),
        _ => println!(
            "spm was not connected to {} ({})",
            client.name,
            file.display()
        ),
    }
    Ok(ExitCode::SUCCESS)
}
