//! `spm add`, `spm install`, `spm update`, `spm remove` and `spm verify`.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, bail};
use semver::{Version, VersionReq};
use spm_core::skill::SkillId;

use spm_client::agents::{self, Env};
use spm_client::home::{RegistryEntry, UserConfig};
use spm_client::install::{self, Outcome};
use spm_client::placement::{self, Targets};
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

#[derive(clap::Args)]
pub struct AddArgs {
    /// Skills to add: author/name, author/name@^1.2, author/name@1.2.3
    #[arg(required = true)]
    pub skills: Vec<String>,
    /// Version or range for a single skill
    #[arg(long)]
    pub version: Option<String>,
    /// Also copy the skills into these agents' folders: ids from `spm agents`, comma-separated,
    /// or all-detected; remembered in spm.json for install, update and remove
    #[arg(long, value_name = "AGENTS")]
    pub agent: Option<String>,
    /// Resolve and show what would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub target: Target,
}

/// `author/name[@range]` → id and requirement (`None` = newest).
fn parse_spec(spec: &str, version: Option<&str>) -> anyhow::Result<(SkillId, Option<VersionReq>)> {
    let (id, range) = match spec.rsplit_once('@').filter(|(a, _)| !a.is_empty()) {
        Some((id, r)) => (id, Some(r.to_string())),
        None => (spec, None),
    };
    let id: SkillId = id.parse().with_context(|| {
        format!("`{spec}` is not a skill; expected author/name or author/name@range")
    })?;
    let range = version.map(str::to_string).or(range);
    let req = match range {
        None => None,
        Some(r) => Some(
            parse_req(&r).with_context(|| format!("`{r}` is not a version or range for {id}"))?,
        ),
    };
    Ok((id, req))
}

/// A bare full version means exactly that version (like npm); anything else is a range.
fn parse_req(text: &str) -> anyhow::Result<VersionReq> {
    let t = text.trim();
    if Version::parse(t).is_ok() {
        return Ok(VersionReq::parse(&format!("={t}"))?);
    }
    Ok(VersionReq::parse(t)?)
}

fn requirements(deps: &BTreeMap<SkillId, String>) -> anyhow::Result<BTreeMap<SkillId, VersionReq>> {
    deps.iter()
        .map(|(id, r)| {
            Ok((
                id.clone(),
                VersionReq::parse(r)
                    .with_context(|| format!("spm.json: `{r}` is not a valid range for {id}"))?,
            ))
        })
        .collect()
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

/// The copy plan for the agents' folders (checked before anything is installed), or
/// `None` when no agent is involved.
fn plan_agents(
    project: &Project,
    lock: &Lockfile,
    agents: &[String],
    global: bool,
    force: bool,
) -> anyhow::Result<Option<placement::Plan>> {
    if agents.is_empty() && lock.agent_copies.is_empty() {
        return Ok(None);
    }
    let env = Env::current().context("HOME is not set; spm cannot find the agents' folders")?;
    let targets = Targets::of(agents, project, global, &env)?;
    Ok(Some(placement::plan(project, lock, &targets, force)?))
}

/// Carries out the plan after installing and prints what changed in the agents' folders.
fn place(
    project: &Project,
    lock: &mut Lockfile,
    plan: Option<placement::Plan>,
) -> anyhow::Result<()> {
    let Some(plan) = plan else {
        return Ok(());
    };
    let state = project.state()?;
    let placed = placement::sync(project, lock, &state, plan)?;
    for w in &placed.written {
        println!("→ {w}");
    }
    for r in &placed.removed {
        println!("✗ {r}");
    }
    Ok(())
}

fn pins(lock: Option<&Lockfile>) -> BTreeMap<SkillId, Version> {
    lock.map(|l| {
        l.skills
            .iter()
            .filter_map(|(id, s)| Some((id.clone(), Version::parse(&s.version).ok()?)))
            .collect()
    })
    .unwrap_or_default()
}

pub async fn add(args: &AddArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    if args.version.is_some() && args.skills.len() > 1 {
        bail!("--version applies to one skill; write author/name@version for several");
    }
    let project = Project::locate(args.target.global)?;
    let mut manifest = project.manifest()?;
    let lock = project.lockfile()?;
    let mut reqs = requirements(&manifest.dependencies)?;
    let mut unpinned = Vec::new();
    for spec in &args.skills {
        let (id, req) = parse_spec(spec, args.version.as_deref())?;
        match req {
            Some(r) => {
                reqs.insert(id.clone(), r.clone());
                manifest.dependencies.insert(id, r.to_string());
            }
            None => {
                reqs.insert(id.clone(), VersionReq::STAR);
                unpinned.push(id);
            }
        }
    }
    let client = client_for(&args.target, None)?;
    let new_lock = install::resolve_lock(
        &client,
        &reqs,
        &pins(lock.as_ref()),
        args.target.allow_flagged,
    )
    .await?;
    for id in unpinned {
        let v = &new_lock.skills[&id].version;
        manifest.dependencies.insert(id, format!("^{v}"));
    }
    if let Some(list) = &args.agent {
        let env = Env::current().context("HOME is not set; spm cannot find the agents' folders")?;
        let chosen =
            agents::parse_list(list, &project.root, &env).map_err(|e| anyhow::anyhow!(e))?;
        if chosen.is_empty() {
            bail!("--agent {list}: no agent was chosen (none detected?); `spm agents` lists them");
        }
        manifest.agents = chosen.iter().map(|a| a.id.to_string()).collect();
    }
    if args.dry_run {
        return show_plan(&project, &new_lock);
    }
    let mut new_lock = new_lock;
    new_lock.agent_copies = lock.map(|l| l.agent_copies).unwrap_or_default();
    let plan = plan_agents(
        &project,
        &new_lock,
        &manifest.agents,
        args.target.global,
        false,
    )?;
    let outcome =
        install::install_lock(&project, &new_lock, &install::Clients::one(&client), false).await?;
    place(&project, &mut new_lock, plan)?;
    project.save_manifest(&manifest)?;
    project.save_lockfile(&new_lock)?;
    report(&outcome, started);
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct InstallArgs {
    /// Fail instead of resolving when spm.json and skills.lock disagree
    #[arg(long)]
    pub frozen: bool,
    /// Reinstall even skills that look up to date
    #[arg(long)]
    pub force: bool,
    /// Show what would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub target: Target,
}

/// Why the lockfile does not satisfy the manifest, if it does not.
fn lock_mismatch(reqs: &BTreeMap<SkillId, VersionReq>, lock: &Lockfile) -> Option<String> {
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
    let lock = project.lockfile()?.map(|lock| {
        let (pruned, extra) = install::needed(reqs.keys().cloned(), &lock);
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
        Some(lock) => match lock_mismatch(&reqs, &lock) {
            None => lock,
            Some(why) if args.frozen => {
                bail!("--frozen: {why}; run `spm install` without --frozen to update skills.lock")
            }
            Some(_) => {
                let client = client_for(&args.target, None)?;
                let mut fresh = install::resolve_lock(
                    &client,
                    &reqs,
                    &pins(Some(&lock)),
                    args.target.allow_flagged,
                )
                .await?;
                // The copies spm made stay spm's across a new resolution.
                fresh.agent_copies = lock.agent_copies;
                fresh
            }
        },
        None if args.frozen => bail!("--frozen: there is no {}", project.lock_path.display()),
        None if reqs.is_empty() => {
            println!(
                "Nothing to install: {} lists no skills.",
                project.manifest_path.display()
            );
            return Ok(ExitCode::SUCCESS);
        }
        None => {
            install::resolve_lock(
                &client_for(&args.target, None)?,
                &reqs,
                &BTreeMap::new(),
                args.target.allow_flagged,
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
    let plan = plan_agents(
        &project,
        &lock,
        &manifest.agents,
        args.target.global,
        args.force,
    )?;
    let outcome = install::install_lock(&project, &lock, &clients, args.force).await?;
    let mut lock = lock;
    place(&project, &mut lock, plan)?;
    if !args.frozen {
        project.save_lockfile(&lock)?;
    }
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
    let mut reqs = requirements(&manifest.dependencies)?;
    let mut chosen: Vec<SkillId> = Vec::new();
    for s in &args.skills {
        let id: SkillId = s
            .parse()
            .with_context(|| format!("`{s}` is not a skill; expected author/name"))?;
        if !reqs.contains_key(&id) {
            bail!("{id} is not a dependency in spm.json");
        }
        chosen.push(id);
    }
    if chosen.is_empty() {
        chosen = reqs.keys().cloned().collect();
    }
    if args.latest {
        for id in &chosen {
            reqs.insert(id.clone(), VersionReq::STAR);
        }
    }
    let client = client_for(&args.target, None)?;
    let lock =
        install::resolve_lock(&client, &reqs, &BTreeMap::new(), args.target.allow_flagged).await?;
    if args.dry_run {
        return show_plan(&project, &lock);
    }
    if args.latest {
        for id in &chosen {
            manifest
                .dependencies
                .insert(id.clone(), format!("^{}", lock.skills[id].version));
        }
        project.save_manifest(&manifest)?;
    }
    let mut lock = lock;
    lock.agent_copies = project
        .lockfile()?
        .map(|l| l.agent_copies)
        .unwrap_or_default();
    let plan = plan_agents(&project, &lock, &manifest.agents, args.target.global, false)?;
    let outcome =
        install::install_lock(&project, &lock, &install::Clients::one(&client), false).await?;
    place(&project, &mut lock, plan)?;
    project.save_lockfile(&lock)?;
    report(&outcome, started);
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct RemoveArgs {
    #[arg(required = true)]
    pub skills: Vec<String>,
    /// Show what would change; write nothing
    #[arg(long)]
    pub dry_run: bool,
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
    }
    let reqs = requirements(&manifest.dependencies)?;
    let old = project.lockfile()?;
    let lock = if reqs.is_empty() {
        Lockfile::default()
    } else {
        let fallback = old
            .as_ref()
            .and_then(|l| l.skills.values().next().map(|s| s.registry.clone()));
        let client = client_for(&args.target, fallback.as_deref())?;
        // Keep what is still needed at the versions already locked.
        let kept: BTreeMap<SkillId, VersionReq> = reqs.clone();
        install::resolve_lock(
            &client,
            &kept,
            &pins(old.as_ref()),
            args.target.allow_flagged,
        )
        .await?
    };
    if args.dry_run {
        return show_plan(&project, &lock);
    }
    let mut lock = lock;
    lock.agent_copies = old.map(|l| l.agent_copies).unwrap_or_default();
    let plan = plan_agents(&project, &lock, &manifest.agents, args.target.global, false)?;
    let outcome =
        install::install_lock(&project, &lock, &install::Clients::default(), false).await?;
    place(&project, &mut lock, plan)?;
    project.save_manifest(&manifest)?;
    project.save_lockfile(&lock)?;
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
    problems.extend(placement::verify_copies(&project, &lock)?);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_like_npm() {
        assert_eq!(
            parse_spec("a/b", None).unwrap(),
            ("a/b".parse().unwrap(), None)
        );
        assert_eq!(
            parse_spec("a/b@^1.2", None).unwrap().1.unwrap().to_string(),
            "^1.2"
        );
        assert_eq!(
            parse_spec("a/b@1.2.3", None)
                .unwrap()
                .1
                .unwrap()
                .to_string(),
            "=1.2.3"
        );
        assert_eq!(
            parse_spec("a/b", Some("~2"))
                .unwrap()
                .1
                .unwrap()
                .to_string(),
            "~2"
        );
        assert!(parse_spec("nope", None).is_err());
        assert!(parse_spec("a/b@what", None).is_err());
    }
}
