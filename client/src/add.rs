//! `spm add` as a library, for the CLI and for `spm mcp`'s `skill_install`: parse the specs,
//! resolve them together with what `spm.json` already asks for, install, and copy into the
//! remembered agents' folders. A blocked version is never a candidate, and a flagged one is
//! installed only with `allow_flagged`.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use semver::{Version, VersionReq};
use spm_core::skill::SkillId;

use crate::agents::{self, Env};
use crate::direct;
use crate::install::{self, Outcome};
use crate::placement::{self, Placed};
use crate::project::{Locked, Lockfile, Project, ProjectManifest};
use crate::registry::Client;

/// What to add.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// `author/name`, `author/name@^1.2`, `author/name@1.2.3`.
    pub specs: Vec<String>,
    /// A version or range for a single spec.
    pub version: Option<String>,
    /// `--agent`: ids from the agents catalog, comma-separated, or `all-detected`; `None`
    /// keeps the agents `spm.json` remembers.
    pub agents: Option<String>,
    pub allow_flagged: bool,
    /// The global install (`-g`).
    pub global: bool,
    /// `--as`: the folder name in the agents' folders for the (single) skill.
    pub folder_name: Option<String>,
    /// `--link` (`Some(true)`) or `--copy` (`Some(false)`): how the agents' folders get the
    /// skills from now on (remembered); `None` keeps what `spm.json` says.
    pub link: Option<bool>,
    /// Replace copies in agents' folders that were edited.
    pub force: bool,
    /// Leave edited copies as they are.
    pub keep_modified: bool,
}

/// The manifest and lockfile an add would write.
pub struct Resolved {
    pub manifest: ProjectManifest,
    pub lock: Lockfile,
    force: bool,
    keep_modified: bool,
}

/// What an add did.
pub struct Done {
    pub outcome: Outcome,
    pub placed: Placed,
}

/// `author/name[@range]` → id and requirement (`None` = newest).
pub fn parse_spec(
    spec: &str,
    version: Option<&str>,
) -> anyhow::Result<(SkillId, Option<VersionReq>)> {
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
pub fn parse_req(text: &str) -> anyhow::Result<VersionReq> {
    let t = text.trim();
    if Version::parse(t).is_ok() {
        return Ok(VersionReq::parse(&format!("={t}"))?);
    }
    Ok(VersionReq::parse(t)?)
}

/// `spm.json`'s registry ranges, parsed (direct sources are left to [`direct_sources`]).
pub fn requirements(
    deps: &BTreeMap<SkillId, String>,
) -> anyhow::Result<BTreeMap<SkillId, VersionReq>> {
    deps.iter()
        .filter(|(_, r)| !direct::is_direct(r))
        .map(|(id, r)| {
            Ok((
                id.clone(),
                VersionReq::parse(r)
                    .with_context(|| format!("spm.json: `{r}` is not a valid range for {id}"))?,
            ))
        })
        .collect()
}

/// `spm.json`'s direct sources (`path:...`, `github:...`), parsed.
pub fn direct_sources(
    deps: &BTreeMap<SkillId, String>,
) -> anyhow::Result<BTreeMap<SkillId, direct::Source>> {
    deps.iter()
        .filter(|(_, r)| direct::is_direct(r))
        .map(|(id, r)| {
            Ok((
                id.clone(),
                direct::parse(r).with_context(|| format!("spm.json: the source of {id}"))?,
            ))
        })
        .collect()
}

/// Whether a lock entry came from the source `spm.json` names (a GitHub ref is locked as
/// its commit, so refs are not compared).
pub fn same_source(locked: &Locked, source: &direct::Source) -> bool {
    let want = source.to_string();
    direct::is_locked_direct(locked)
        && match &locked.source {
            // The source as spm.json named it, ref included: a changed ref re-resolves.
            Some(asked) => *asked == want,
            None => without_ref(&locked.resolved) == without_ref(&want),
        }
}

/// A source without its ref.
fn without_ref(source: &str) -> &str {
    match source.strip_prefix("github:") {
        Some(_) => source.rsplit_once('@').map_or(source, |(s, _)| s),
        None => source,
    }
}

/// Resolves a whole manifest into a lockfile: the direct skills (kept from `old` when it
/// locked the same source and `refresh` is off, else fetched again, validated and scanned),
/// then the registry's skills, with the direct skills' dependencies added to the
/// requirements. `fetched` are direct skills this command just read.
pub async fn resolve_manifest(
    project: &Project,
    client: Option<&Client>,
    manifest: &ProjectManifest,
    old: Option<&Lockfile>,
    pinned: &BTreeMap<SkillId, Version>,
    options: ResolveOptions,
    fetched: Vec<direct::Fetched>,
) -> anyhow::Result<Lockfile> {
    let mut reqs = requirements(&manifest.dependencies)?;
    let mut direct_locked: BTreeMap<SkillId, Locked> = BTreeMap::new();
    for f in fetched {
        cache(&f)?;
        direct_locked.insert(f.id.clone(), f.locked());
    }
    for (id, source) in direct_sources(&manifest.dependencies)? {
        if direct_locked.contains_key(&id) {
            continue;
        }
        let want = source.to_string();
        let kept = old
            .and_then(|l| l.skills.get(&id))
            .filter(|l| same_source(l, &source))
            .filter(|_| !options.refresh);
        let locked = match kept {
            Some(l) => l.clone(),
            None => {
                let f = direct::fetch(project, &source, options.allow_flagged).await?;
                anyhow::ensure!(
                    f.id == id,
                    "spm.json names {want} as {id}, but the skill there is {}",
                    f.id
                );
                cache(&f)?;
                f.locked()
            }
        };
        direct_locked.insert(id, locked);
    }
    for (id, l) in &direct_locked {
        reqs.remove(id);
        for (dep, range) in &l.dependencies {
            if direct_locked.contains_key(dep) {
                continue;
            }
            let r = VersionReq::parse(range)
                .with_context(|| format!("{id} has an invalid range `{range}` for {dep}"))?;
            // Every comparator must hold: concatenating them intersects the ranges.
            let entry = reqs.entry(dep.clone()).or_insert(VersionReq::STAR);
            entry.comparators.extend(r.comparators);
        }
    }
    let mut lock = match client {
        _ if reqs.is_empty() => Lockfile::default(),
        Some(client) => install::resolve_lock(client, &reqs, pinned, options.allow_flagged).await?,
        None => bail!(
            "no registry is configured, and {} come from one; run `spm login <url> --name <you>` or `spm registry add <url> --name <name>`",
            reqs.keys()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    lock.skills.extend(direct_locked);
    Ok(lock)
}

/// How [`resolve_manifest`] treats what it finds.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResolveOptions {
    pub allow_flagged: bool,
    /// Fetch direct skills again even when the lock has them (`spm update`).
    pub refresh: bool,
}

/// Puts a direct skill's archive in the cache, where installs find it by integrity.
fn cache(f: &direct::Fetched) -> anyhow::Result<()> {
    let path = install::cache_path(&f.integrity)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(&path, &f.archive).with_context(|| format!("cannot write {}", path.display()))
}

/// The versions a lockfile has, to keep them where they still fit.
pub fn pins(lock: Option<&Lockfile>) -> BTreeMap<SkillId, Version> {
    lock.map(|l| {
        l.skills
            .iter()
            .filter_map(|(id, s)| Some((id.clone(), Version::parse(&s.version).ok()?)))
            .collect()
    })
    .unwrap_or_default()
}

/// Resolves `request` against the project, changing nothing.
pub async fn resolve(
    project: &Project,
    client: Option<&Client>,
    request: &Request,
) -> anyhow::Result<Resolved> {
    if request.version.is_some() && request.specs.len() > 1 {
        bail!("--version applies to one skill; write author/name@version for several");
    }
    if request.folder_name.is_some() && request.specs.len() > 1 {
        bail!("--as names the folder of one skill; add the others separately");
    }
    let mut manifest = project.manifest()?;
    let lock = project.lockfile()?;
    let mut unpinned = Vec::new();
    let mut fetched = Vec::new();
    for spec in &request.specs {
        if direct::is_direct(spec) {
            if request.version.is_some() {
                bail!("--version applies to registry skills; {spec} is installed as it is");
            }
            let source = direct::from_command_line(spec, project)?;
            let f = direct::fetch(project, &source, request.allow_flagged).await?;
            manifest
                .dependencies
                .insert(f.id.clone(), source.to_string());
            if let Some(folder) = &request.folder_name {
                name_folder(&mut manifest, &f.id, folder)?;
            }
            fetched.push(f);
            continue;
        }
        let (id, req) = parse_spec(spec, request.version.as_deref())?;
        if let Some(folder) = &request.folder_name {
            name_folder(&mut manifest, &id, folder)?;
        }
        match req {
            Some(r) => {
                manifest.dependencies.insert(id, r.to_string());
            }
            None => {
                manifest.dependencies.insert(id.clone(), "*".into());
                unpinned.push(id);
            }
        }
    }
    let mut new_lock = resolve_manifest(
        project,
        client,
        &manifest,
        lock.as_ref(),
        &pins(lock.as_ref()),
        ResolveOptions {
            allow_flagged: request.allow_flagged,
            refresh: false,
        },
        fetched,
    )
    .await?;
    for id in unpinned {
        let v = &new_lock.skills[&id].version;
        manifest.dependencies.insert(id, format!("^{v}"));
    }
    if let Some(list) = &request.agents {
        let env = Env::current().context("HOME is not set; spm cannot find the agents' folders")?;
        let chosen =
            agents::parse_list(list, &project.root, &env).map_err(|e| anyhow::anyhow!(e))?;
        let none = list.split(',').any(|i| i.trim() == agents::NONE);
        if chosen.is_empty() && !none {
            bail!(
                "--agent {list}: no agent was chosen (none detected?); `spm agents` lists them, and `--agent shared` installs into .agents/skills"
            );
        }
        manifest.agents = Some(chosen.iter().map(|a| a.id.to_string()).collect());
    }
    if let Some(link) = request.link {
        manifest.link = link;
    }
    new_lock.agent_copies = lock.map(|l| l.agent_copies).unwrap_or_default();
    Ok(Resolved {
        manifest,
        lock: new_lock,
        force: request.force,
        keep_modified: request.keep_modified,
    })
}

/// Records `--as`: the folder name in the agents' folders for `id`.
fn name_folder(manifest: &mut ProjectManifest, id: &SkillId, folder: &str) -> anyhow::Result<()> {
    spm_core::skill::check_name(folder).map_err(|e| {
        anyhow::anyhow!("--as {folder}: {e}; a folder name follows the rules of skill names")
    })?;
    if folder == id.name {
        manifest.folder_names.remove(id);
    } else {
        manifest.folder_names.insert(id.clone(), folder.to_string());
    }
    Ok(())
}

/// Installs what [`resolve`] chose, copies it into the agents' folders, then writes
/// `spm.json` and `skills.lock`. The agents' folders are checked before anything changes.
pub async fn apply(
    project: &Project,
    client: Option<&Client>,
    resolved: Resolved,
    global: bool,
) -> anyhow::Result<Done> {
    let Resolved {
        manifest,
        mut lock,
        force,
        keep_modified,
    } = resolved;
    let plan = placement::plan_for(project, &lock, &manifest, global, force, keep_modified)?;
    let clients = client.map(install::Clients::one).unwrap_or_default();
    let outcome = install::install_lock(project, &lock, &clients, false).await?;
    let placed = placement::carry_out(project, &mut lock, plan);
    // What was placed before a failure is recorded, so spm still owns it next time.
    project.save_manifest(&manifest)?;
    project.save_lockfile(&lock)?;
    Ok(Done {
        outcome,
        placed: placed?,
    })
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
