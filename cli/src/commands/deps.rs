//! `spm add`, `spm install`, `spm update`, `spm remove` and `spm verify`.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use semver::{Version, VersionReq};
use spm_core::skill::SkillId;

use spm_client::add::{self, pins, requirements};
use spm_client::agents::{self, Env};
use spm_client::home::{RegistryEntry, UserConfig};
use spm_client::install::{self, Outcome};
use spm_client::placement;
use spm_client::project::{Lockfile, Project};
use spm_client::registry::Client;

#[derive(clap::Args, Clone)]
pub struct Target {
    /// Install globally into ~/.spm/installed instead of the project
    #[arg(short, long)]
    pub global: bool,
    /// Registry name or URL [default: the configured default]
    #[arg(long)]
    pub registry: Option<String>,
    /// Install versions the registry's safety scan flagged
    #[arg(long)]
    pub allow_flagged: bool,
}

/// What to do with copies in agents' folders that were edited.
#[derive(clap::Args, Clone, Copy)]
pub struct Edits {
    /// Replace (or remove) copies in agents' folders that were edited
    #[arg(long)]
    pub force: bool,
    /// Leave copies in agents' folders that were edited as they are; do the rest
    #[arg(long, conflicts_with = "force")]
    pub keep_modified: bool,
}

#[derive(clap::Args)]
pub struct AddArgs {
    /// Skills to add: author/name, author/name@^1.2, author/name@1.2.3
    #[arg(required = true)]
    pub skills: Vec<String>,
    /// Version or range for a single skill
    #[arg(long)]
    pub version: Option<String>,
    /// Copy the skills into these agents' folders: ids from `spm agents`, comma-separated,
    /// all-detected, shared (.agents/skills) or none; remembered in spm.json for install,
    /// update and remove [default: ask on a terminal, else shared]
    #[arg(long, value_name = "AGENTS")]
    pub agent: Option<String>,
    /// The folder name in the agents' folders, when another installed skill has this one's
    /// name (one skill; remembered)
    #[arg(long = "as", value_name = "FOLDER")]
    pub folder_name: Option<String>,
    /// Link the agents' folders to the verified copy in .spm/skills instead of copying
    /// (remembered; some agents skip linked skill folders)
    #[arg(long, conflicts_with = "copy")]
    pub link: bool,
    /// Copy into the agents' folders again after --link (remembered)
    #[arg(long)]
    pub copy: bool,
    /// Resolve and show what would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub edits: Edits,
    #[command(flatten)]
    pub target: Target,
}

/// Which agents get the skills when neither `--agent` nor spm.json says: asked once on a
/// terminal (the detected ones offered), else the shared folder, said on stderr.
fn choose_agents(project: &Project, global: bool) -> anyhow::Result<String> {
    use std::io::IsTerminal;
    let env = Env::current().context("HOME is not set; spm cannot find the agents' folders")?;
    let detected: Vec<&str> = agents::AGENTS
        .iter()
        .filter(|a| a.detected(&project.root, &env))
        .map(|a| a.id)
        .collect();
    let shared = agents::SHARED.folder(&project.root, global, &env);
    if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        let offer = if detected.is_empty() {
            agents::SHARED.id.to_string()
        } else {
            detected.join(",")
        };
        eprintln!(
            "Which agents should get these skills? Detected: {}.\nType agent ids (comma-separated; `spm agents` lists all), `shared` for {}, or `none`. spm.json remembers the answer.",
            if detected.is_empty() {
                "none".to_string()
            } else {
                detected.join(", ")
            },
            shared.display()
        );
        eprint!("agents [{offer}]: ");
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        let answer = line.trim();
        return Ok(if answer.is_empty() {
            offer
        } else {
            answer.to_string()
        });
    }
    eprintln!(
        "note: no agent chosen, so the skills also go to {}, the folder Codex, Gemini CLI, GitHub Copilot, Amp, OpenCode and others read; spm.json remembers this (choose with --agent <ids>, or --agent none)",
        shared.display()
    );
    Ok(agents::SHARED.id.to_string())
}

fn client_for(target: &Target, fallback_url: Option<&str>) -> anyhow::Result<Client> {
    let config = UserConfig::load()?;
    match config.select(target.registry.as_deref(), None) {
        Ok(entry) => Client::new(&entry),
        Err(e) => match fallback_url {
            Some(url) => Client::new(&RegistryEntry {
                name: url.into(),
                url: url.into(),
                token: None,
            }),
            None => Err(e),
        },
    }
}

/// The registry client when one is configured (or named with --registry, which must work);
/// `None` lets skills from folders and GitHub install without any registry.
fn registry_if_any(target: &Target) -> anyhow::Result<Option<Client>> {
    match client_for(target, None) {
        Ok(c) => Ok(Some(c)),
        Err(e) if target.registry.is_some() => Err(e),
        Err(_) => Ok(None),
    }
}

fn report(outcome: &Outcome, started: Instant) {
    for (id, v) in &outcome.installed {
        println!("+ {id}@{v}");
    }
    for id in &outcome.removed {
        println!("- {id}");
    }
    println!(
        "{} installed ({} from cache), {} unchanged, {} removed in {:.2}s",
        outcome.installed.len(),
        outcome.from_cache,
        outcome.unchanged,
        outcome.removed.len(),
        started.elapsed().as_secs_f64()
    );
}

/// Prints what installing `lock` would change, and changes nothing.
fn show_plan(project: &Project, lock: &Lockfile) -> anyhow::Result<ExitCode> {
    let state = project.state()?;
    for (id, l) in &lock.skills {
        match state.skills.get(id) {
            None => println!("+ {id}@{}", l.version),
            Some(s) if s.integrity != l.integrity => {
                println!("~ {id} {} -> {}", s.version, l.version)
            }
            Some(_) => println!("= {id}@{}", l.version),
        }
    }
    for id in state
        .skills
        .keys()
        .filter(|id| !lock.skills.contains_key(*id))
    {
        println!("- {id}");
    }
    println!("dry run: nothing was changed");
    Ok(ExitCode::SUCCESS)
}

/// Prints what changed in the agents' folders.
fn print_placed(placed: &placement::Placed) {
    for w in &placed.written {
        println!("→ {w}");
    }
    for (k, files) in &placed.kept {
        println!("! {k} kept as edited ({}); not updated", files.join(", "));
    }
    for r in &placed.removed {
        println!("✗ {r}");
    }
}

pub async fn add(args: &AddArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let project = Project::locate(args.target.global)?;
    let client = registry_if_any(&args.target)?;
    let agents = match &args.agent {
        Some(list) => Some(list.clone()),
        None if project.manifest()?.agents.is_none() && !args.dry_run => {
            Some(choose_agents(&project, args.target.global)?)
        }
        None => None,
    };
    let request = add::Request {
        specs: args.skills.clone(),
        version: args.version.clone(),
        agents,
        allow_flagged: args.target.allow_flagged,
        global: args.target.global,
        folder_name: args.folder_name.clone(),
        link: match (args.link, args.copy) {
            (true, _) => Some(true),
            (_, true) => Some(false),
            _ => None,
        },
        force: args.edits.force,
        keep_modified: args.edits.keep_modified,
    };
    let resolved = add::resolve(&project, client.as_ref(), &request).await?;
    if args.dry_run {
        return show_plan(&project, &resolved.lock);
    }
    let done = add::apply(&project, client.as_ref(), resolved, args.target.global).await?;
    print_placed(&done.placed);
    report(&done.outcome, started);
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct InstallArgs {
    /// Fail instead of resolving when spm.json and skills.lock disagree
    #[arg(long)]
    pub frozen: bool,
    /// Reinstall even skills that look up to date, and replace edited copies in agents' folders
    #[arg(long)]
    pub force: bool,
    /// Leave copies in agents' folders that were edited as they are; install the rest
    #[arg(long, conflicts_with = "force")]
    pub keep_modified: bool,
    /// Show what would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub target: Target,
}

/// Why the lockfile does not satisfy the manifest, if it does not.
fn lock_mismatch(
    reqs: &BTreeMap<SkillId, VersionReq>,
    direct: &BTreeMap<SkillId, spm_client::direct::Source>,
    lock: &Lockfile,
) -> Option<String> {
    for (id, source) in direct {
        let same = lock
            .skills
            .get(id)
            .is_some_and(|l| add::same_source(l, source));
        if !same {
            return Some(format!(
                "spm.json installs {id} from {source}, but skills.lock does not"
            ));
        }
    }
    for (id, l) in &lock.skills {
        for dep in l.dependencies.keys() {
            if !lock.skills.contains_key(dep) {
                return Some(format!(
                    "skills.lock has {id}@{}, which needs {dep}, but not {dep}",
                    l.version
                ));
            }
        }
    }
    for (id, req) in reqs {
        match lock.skills.get(id) {
            None => return Some(format!("{id} is in spm.json but not in skills.lock")),
            Some(l) => {
                let ok = Version::parse(&l.version).is_ok_and(|v| req.matches(&v));
                if !ok {
                    return Some(format!(
                        "skills.lock has {id}@{} but spm.json asks for {req}",
                        l.version
                    ));
                }
            }
        }
    }
    None
}

pub async fn install(args: &InstallArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let project = Project::locate(args.target.global)?;
    let manifest = project.manifest()?;
    let reqs = requirements(&manifest.dependencies)?;
    let direct = add::direct_sources(&manifest.dependencies)?;
    let lock = project.lockfile()?.map(|lock| {
        let (pruned, extra) = install::needed(manifest.dependencies.keys().cloned(), &lock);
        for id in &extra {
            eprintln!(
                "warning: {} lists {id}, which neither {} nor any dependency needs; it was not installed",
                project.lock_path.display(),
                project.manifest_path.display()
            );
        }
        pruned
    });
    let lock = match lock {
        Some(lock) => match lock_mismatch(&reqs, &direct, &lock) {
            None => lock,
            Some(why) if args.frozen => {
                bail!("--frozen: {why}; run `spm install` without --frozen to update skills.lock")
            }
            Some(_) => {
                let client = registry_if_any(&args.target)?;
                let mut fresh = add::resolve_manifest(
                    &project,
                    client.as_ref(),
                    &manifest,
                    Some(&lock),
                    &pins(Some(&lock)),
                    add::ResolveOptions {
                        allow_flagged: args.target.allow_flagged,
                        refresh: false,
                    },
                    Vec::new(),
                )
                .await?;
                // The copies spm made stay spm's across a new resolution.
                fresh.agent_copies = lock.agent_copies;
                fresh
            }
        },
        None if args.frozen => bail!("--frozen: there is no {}", project.lock_path.display()),
        None if manifest.dependencies.is_empty() => {
            println!(
                "Nothing to install: {} lists no skills.",
                project.manifest_path.display()
            );
            return Ok(ExitCode::SUCCESS);
        }
        None => {
            add::resolve_manifest(
                &project,
                registry_if_any(&args.target)?.as_ref(),
                &manifest,
                None,
                &BTreeMap::new(),
                add::ResolveOptions {
                    allow_flagged: args.target.allow_flagged,
                    refresh: false,
                },
                Vec::new(),
            )
            .await?
        }
    };
    if args.dry_run {
        return show_plan(&project, &lock);
    }
    // The lockfile says which registry each skill comes from; `--registry` overrides it.
    let forced = match &args.target.registry {
        Some(_) => Some(client_for(&args.target, None)?),
        None => None,
    };
    let clients =
        install::Clients::for_lock(&lock, &UserConfig::load()?.registries, forced.as_ref())?;
    let direct = manifest.dependencies.keys().cloned().collect();
    install::check_still_served(&clients, &lock, &direct).await?;
    let plan = placement::plan_for(
        &project,
        &lock,
        &manifest,
        args.target.global,
        args.force,
        args.keep_modified,
    )?;
    let mut plan = plan;
    if args.frozen
        && let Some(p) = &mut plan
    {
        if let Some(k) = p.unrecorded(&lock) {
            bail!(
                "--frozen: spm.json's agents want a copy at {k}, which skills.lock does not record; run `spm install` without --frozen to update skills.lock"
            );
        }
        p.leave_stale();
    }
    let outcome = install::install_lock(&project, &lock, &clients, args.force).await?;
    let mut lock = lock;
    let placed = placement::carry_out(&project, &mut lock, plan);
    if !args.frozen {
        project.save_lockfile(&lock)?;
    }
    print_placed(&placed?);
    report(&outcome, started);
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct UpdateArgs {
    /// Skills to update (default: all)
    pub skills: Vec<String>,
    /// Move ranges in spm.json to the newest versions (may cross major versions)
    #[arg(long)]
    pub latest: bool,
    #[command(flatten)]
    pub edits: Edits,
    /// Resolve and show what would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub target: Target,
}

pub async fn update(args: &UpdateArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let project = Project::locate(args.target.global)?;
    let mut manifest = project.manifest()?;
    let reqs = requirements(&manifest.dependencies)?;
    let mut chosen: Vec<SkillId> = Vec::new();
    for s in &args.skills {
        let id: SkillId = s
            .parse()
            .with_context(|| format!("`{s}` is not a skill; expected author/name"))?;
        if !manifest.dependencies.contains_key(&id) {
            bail!("{id} is not a dependency in spm.json");
        }
        chosen.push(id);
    }
    if chosen.is_empty() {
        chosen = reqs.keys().cloned().collect();
    }
    // --latest: the chosen registry skills may move to any version.
    let mut working = manifest.clone();
    if args.latest {
        for id in chosen.iter().filter(|id| reqs.contains_key(*id)) {
            working.dependencies.insert(id.clone(), "*".into());
        }
    }
    let client = registry_if_any(&args.target)?;
    let old = project.lockfile()?;
    let lock = add::resolve_manifest(
        &project,
        client.as_ref(),
        &working,
        old.as_ref(),
        &BTreeMap::new(),
        add::ResolveOptions {
            allow_flagged: args.target.allow_flagged,
            refresh: true,
        },
        Vec::new(),
    )
    .await?;
    if args.dry_run {
        return show_plan(&project, &lock);
    }
    if args.latest {
        for id in chosen.iter().filter(|id| reqs.contains_key(*id)) {
            manifest
                .dependencies
                .insert(id.clone(), format!("^{}", lock.skills[id].version));
        }
    }
    let clients = client
        .as_ref()
        .map(install::Clients::one)
        .unwrap_or_default();
    let outcome = apply_lock(
        &project,
        &manifest,
        lock,
        old,
        &clients,
        &args.target,
        args.edits,
    )
    .await?;
    report(&outcome, started);
    Ok(ExitCode::SUCCESS)
}

/// Installs a new resolution: checks the agents' folders first, installs, brings the copies
/// in step (those of `old` stay spm's), then writes `spm.json` and `skills.lock`; what was
/// placed before a failure stays recorded, so spm still owns it next time.
async fn apply_lock(
    project: &Project,
    manifest: &spm_client::project::ProjectManifest,
    mut lock: Lockfile,
    old: Option<Lockfile>,
    clients: &install::Clients,
    target: &Target,
    edits: Edits,
) -> anyhow::Result<Outcome> {
    lock.agent_copies = old.map(|l| l.agent_copies).unwrap_or_default();
    let plan = placement::plan_for(
        project,
        &lock,
        manifest,
        target.global,
        edits.force,
        edits.keep_modified,
    )?;
    let outcome = install::install_lock(project, &lock, clients, false).await?;
    let placed = placement::carry_out(project, &mut lock, plan);
    project.save_manifest(manifest)?;
    project.save_lockfile(&lock)?;
    print_placed(&placed?);
    Ok(outcome)
}

#[derive(clap::Args)]
pub struct RemoveArgs {
    #[arg(required = true)]
    pub skills: Vec<String>,
    /// Show what would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub edits: Edits,
    #[command(flatten)]
    pub target: Target,
}

pub async fn remove(args: &RemoveArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let project = Project::locate(args.target.global)?;
    let mut manifest = project.manifest()?;
    for s in &args.skills {
        let id: SkillId = s
            .parse()
            .with_context(|| format!("`{s}` is not a skill; expected author/name"))?;
        if manifest.dependencies.remove(&id).is_none() {
            bail!(
                "{s} is not a dependency in {}",
                project.manifest_path.display()
            );
        }
        manifest.folder_names.remove(&id);
    }
    let old = project.lockfile()?;
    let lock = if manifest.dependencies.is_empty() {
        Lockfile::default()
    } else {
        let fallback = old.as_ref().and_then(|l| {
            l.skills
                .values()
                .find(|s| !s.registry.is_empty())
                .map(|s| s.registry.clone())
        });
        let client = match client_for(&args.target, fallback.as_deref()) {
            Ok(c) => Some(c),
            Err(e) if args.target.registry.is_some() => return Err(e),
            Err(_) => None,
        };
        // Keep what is still needed at the versions already locked.
        add::resolve_manifest(
            &project,
            client.as_ref(),
            &manifest,
            old.as_ref(),
            &pins(old.as_ref()),
            add::ResolveOptions {
                allow_flagged: args.target.allow_flagged,
                refresh: false,
            },
            Vec::new(),
        )
        .await?
    };
    if args.dry_run {
        return show_plan(&project, &lock);
    }
    let outcome = apply_lock(
        &project,
        &manifest,
        lock,
        old,
        &install::Clients::default(),
        &args.target,
        args.edits,
    )
    .await?;
    report(&outcome, started);
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct VerifyArgs {
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub target: Target,
}

pub fn verify(args: &VerifyArgs) -> anyhow::Result<ExitCode> {
    let project = Project::locate(args.target.global)?;
    let Some(lock) = project.lockfile()? else {
        bail!(
            "there is no {} to verify against",
            project.lock_path.display()
        );
    };
    let mut problems = install::verify(&project, &lock)?;
    problems.extend(placement::verify_copies(
        &project,
        &lock,
        args.target.global,
    )?);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "skills": lock.skills.len(), "problems": problems })
            )?
        );
        return Ok(if problems.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }
    if problems.is_empty() {
        println!("{} skills match skills.lock", lock.skills.len());
        return Ok(ExitCode::SUCCESS);
    }
    for p in &problems {
        println!("✗ {p}");
    }
    println!(
        "{} problem{} found; `spm install --force` restores the locked files",
        problems.len(),
        if problems.len() == 1 { "" } else { "s" }
    );
    Ok(ExitCode::from(1))
}
