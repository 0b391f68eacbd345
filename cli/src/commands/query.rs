//! Read-only commands: `spm search`, `spm info`, `spm list`. Each has `--json`.

use std::collections::BTreeSet;
use std::process::ExitCode;

use anyhow::Context;
use spm_core::skill::SkillId;

use super::deps::Target;
use spm_client::home::UserConfig;
use spm_client::project::{Lockfile, Project};
use spm_client::registry::Client;

fn client(registry: Option<&str>, author: Option<&str>) -> anyhow::Result<Client> {
    Client::new(&UserConfig::load()?.select(registry, author)?)
}

fn clip(s: &str, n: usize) -> String {
    let one_line = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= n {
        one_line
    } else {
        format!("{}…", one_line.chars().take(n - 1).collect::<String>())
    }
}

#[derive(clap::Args)]
pub struct SearchArgs {
    pub query: Vec<String>,
    #[arg(long, default_value_t = 1)]
    pub page: i64,
    #[arg(long, default_value_t = 20)]
    pub per_page: i64,
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub registry: Option<String>,
}

pub async fn search(args: &SearchArgs) -> anyhow::Result<ExitCode> {
    let c = client(args.registry.as_deref(), None)?;
    let res = c
        .search(&args.query.join(" "), args.page, args.per_page)
        .await?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&res)?);
        return Ok(ExitCode::SUCCESS);
    }
    if res.skills.is_empty() {
        println!("No skills found.");
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<32} {:<10} {:<8} {:<10} {:>8}  DESCRIPTION",
        "SKILL", "VERSION", "SAFETY", "TRUST", "INSTALLS"
    );
    for s in &res.skills {
        println!(
            "{:<32} {:<10} {:<8} {:<10} {:>8}  {}",
            clip(&format!("{}/{}", s.author, s.name), 32),
            s.version,
            s.safety_status,
            s.trust_level,
            s.installs,
            clip(&s.description, 60)
        );
    }
    let shown = (args.page - 1) * args.per_page + res.skills.len() as i64;
    if shown < res.total {
        println!(
            "{shown} of {} shown; --page {} for more",
            res.total,
            args.page + 1
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct InfoArgs {
    /// author/name
    pub skill: String,
    #[arg(long)]
    pub json: bool,
    #[arg(long)]
    pub registry: Option<String>,
}

pub async fn info(args: &InfoArgs) -> anyhow::Result<ExitCode> {
    let id: SkillId = args
        .skill
        .parse()
        .with_context(|| format!("`{}` is not author/name", args.skill))?;
    let c = client(args.registry.as_deref(), Some(&id.author))?;
    let entry = c.entry(&id).await?;
    let versions = c.versions(&id).await?;
    let content = c.content(&id, Some(&entry.version)).await?;
    let permissions: Vec<String> = content.manifest["security"]["permissions"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if args.json {
        let out = serde_json::json!({ "skill": entry, "versions": versions.versions, "permissions": permissions, "manifest": content.manifest });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!("{id}@{}", entry.version);
    println!("{}", entry.description);
    println!();
    println!("safety:      {}", entry.safety_status);
    println!("trust:       {}", entry.trust_level);
    println!(
        "license:     {}",
        entry.license.as_deref().unwrap_or("(none)")
    );
    if let Some(r) = &entry.repository {
        println!("repository:  {r}");
    }
    println!(
        "permissions: {}",
        if permissions.is_empty() {
            "(none declared)".to_string()
        } else {
            permissions.join(", ")
        }
    );
    println!("installs:    {}", entry.installs);
    println!("tokens:      ~{}", entry.tokens_estimate);
    println!("versions:");
    for v in &versions.versions {
        let yanked = if v.yanked { "  (yanked)" } else { "" };
        println!(
            "  {:<12} {}  {}{yanked}",
            v.version,
            v.created_at.get(..10).unwrap_or(&v.created_at),
            v.safety_status
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct ListArgs {
    /// Every skill in every detected agent's folders (spm's or not), and same-name skills
    /// that shadow each other
    #[arg(long)]
    pub agents: bool,
    /// How deep to show dependencies (0 = direct only)
    #[arg(long)]
    pub depth: Option<usize>,
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub target: Target,
}

pub fn list(args: &ListArgs) -> anyhow::Result<ExitCode> {
    if args.agents {
        return list_agents(args.json);
    }
    let project = Project::locate(args.target.global)?;
    let manifest = project.manifest()?;
    let lock = project.lockfile()?.unwrap_or_default();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "dependencies": manifest.dependencies, "skills": lock.skills })
            )?
        );
        return Ok(ExitCode::SUCCESS);
    }
    if lock.skills.is_empty() {
        println!("No skills installed in {}.", project.root.display());
        return Ok(ExitCode::SUCCESS);
    }
    println!("{}", project.root.display());
    let roots: Vec<&SkillId> = manifest.dependencies.keys().collect();
    for (i, id) in roots.iter().enumerate() {
        tree(
            &lock,
            id,
            "",
            i + 1 == roots.len(),
            0,
            args.depth.unwrap_or(usize::MAX),
            &mut BTreeSet::new(),
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn tree(
    lock: &Lockfile,
    id: &SkillId,
    prefix: &str,
    last: bool,
    depth: usize,
    max: usize,
    path: &mut BTreeSet<SkillId>,
) {
    let branch = if last { "└── " } else { "├── " };
    let version = lock
        .skills
        .get(id)
        .map_or("(missing)", |l| l.version.as_str());
    println!("{prefix}{branch}{id}@{version}");
    if depth >= max || !path.insert(id.clone()) {
        return;
    }
    let deps: Vec<&SkillId> = lock
        .skills
        .get(id)
        .map(|l| l.dependencies.keys().collect())
        .unwrap_or_default();
    let child_prefix = format!("{prefix}{}", if last { "    " } else { "│   " });
    for (i, d) in deps.iter().enumerate() {
        tree(
            lock,
            d,
            &child_prefix,
            i + 1 == deps.len(),
            depth + 1,
            max,
            path,
        );
    }
    path.remove(id);
}

/// `spm list --agents`.
fn list_agents(json: bool) -> anyhow::Result<ExitCode> {
    let env = spm_client::agents::Env::current()
        .context("HOME is not set; spm cannot find the agents' folders")?;
    let project = Project::locate(false)?;
    let lock = project.lockfile()?.unwrap_or_default();
    let owned: BTreeSet<std::path::PathBuf> = lock
        .agent_copies
        .keys()
        .map(|k| project.root.join(k))
        .collect();
    let (seen, shadows) = spm_client::agents::census(&project.root, &env);
    if json {
        let skills: Vec<_> = seen
            .iter()
            .map(|s| {
                serde_json::json!({
                    "agent": s.agent, "name": s.name, "path": s.path, "scope": s.scope,
                    "installed_by_spm": owned.contains(&s.path),
                })
            })
            .collect();
        let shadows: Vec<_> = shadows
            .iter()
            .map(|(a, n, paths)| serde_json::json!({"agent": a, "name": n, "paths": paths}))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({"skills": skills, "shadowed": shadows})
            )?
        );
        return Ok(ExitCode::SUCCESS);
    }
    if seen.is_empty() {
        println!("No skills in the folders of the detected agents (`spm agents` lists them).");
    }
    let mut agent = "";
    for s in &seen {
        if s.agent != agent {
            agent = s.agent;
            println!("{agent}");
        }
        let mark = if owned.contains(&s.path) {
            " (spm)"
        } else {
            ""
        };
        println!("  {:<24} {:<8} {}{mark}", s.name, s.scope, s.path.display());
    }
    for (a, n, paths) in &shadows {
        let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
        println!(
            "warning: {a} finds `{n}` more than once: {}",
            list.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
