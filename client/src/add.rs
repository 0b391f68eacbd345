//! `spm add` as a library, for the CLI and for `spm mcp`'s `skill_install`: parse the specs,
//! resolve them together with what `spm.json` already asks for, install, and copy into the
//! remembered agents' folders. A blocked version is never a candidate, and a flagged one is
//! installed only with `allow_flagged`.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use semver::{Version, VersionReq};
use spm_core::skill::SkillId;

use crate::agents::{self, Env};
use crate::install::{self, Outcome};
use crate::placement::{self, Placed};
use crate::project::{Lockfile, Project, ProjectManifest};
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
    /// `--link`: link the agents' folders to `.spm/skills` instead of copying (remembered).
    pub link: bool,
}

/// The manifest and lockfile an add would write.
pub struct Resolved {
    pub manifest: ProjectManifest,
    pub lock: Lockfile,
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

/// `spm.json`'s ranges, parsed.
pub fn requirements(
    deps: &BTreeMap<SkillId, String>,
) -> anyhow::Result<BTreeMap<SkillId, VersionReq>> {
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
    client: &Client,
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
    let mut reqs = requirements(&manifest.dependencies)?;
    let mut unpinned = Vec::new();
    for spec in &request.specs {
        let (id, req) = parse_spec(spec, request.version.as_deref())?;
        if let Some(folder) = &request.folder_name {
            spm_core::skill::check_name(folder).map_err(|e| {
                anyhow::anyhow!(
                    "--as {folder}: {e}; a folder name follows the rules of skill names"
                )
            })?;
            if folder == &id.name {
                manifest.folder_names.remove(&id);
            } else {
                manifest.folder_names.insert(id.clone(), folder.clone());
            }
        }
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
    let mut new_lock =
        install::resolve_lock(client, &reqs, &pins(lock.as_ref()), request.allow_flagged).await?;
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
    if request.link {
        manifest.link = true;
    }
    new_lock.agent_copies = lock.map(|l| l.agent_copies).unwrap_or_default();
    Ok(Resolved {
        manifest,
        lock: new_lock,
    })
}

/// Installs what [`resolve`] chose, copies it into the agents' folders, then writes
/// `spm.json` and `skills.lock`. The agents' folders are checked before anything changes.
pub async fn apply(
    project: &Project,
    client: &Client,
    resolved: Resolved,
    global: bool,
) -> anyhow::Result<Done> {
    let Resolved { manifest, mut lock } = resolved;
    let plan = placement::plan_for(project, &lock, &manifest, global, false, false)?;
    let outcome =
        install::install_lock(project, &lock, &install::Clients::one(client), false).await?;
    let placed = placement::carry_out(project, &mut lock, plan)?;
    project.save_manifest(&manifest)?;
    project.save_lockfile(&lock)?;
    Ok(Done { outcome, placed })
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
