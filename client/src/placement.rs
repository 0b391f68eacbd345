//! Copies of installed skills in agents' folders: `<agent folder>/<skill-name>/` holding
//! exactly the verified files from `.spm/skills/<author>/<name>/`.
//!
//! Copies, not links: several agents skip symlinked skill folders. What spm created is
//! recorded in `skills.lock` (`agent_copies`, every file's hash), and spm only replaces or
//! removes what is recorded there: a folder spm did not create is never overwritten, and a
//! copy whose files were edited is not replaced without `--force`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use spm_core::skill::SkillId;

use crate::agents::{self, Env};
use crate::install::file_hashes;
use crate::project::{AgentCopy, InstallState, Lockfile, Project};

/// Where copies go: the chosen agents' folders (shared ones once), for the project or `-g`.
pub struct Targets {
    pub folders: Vec<(PathBuf, Vec<&'static str>)>,
    pub global: bool,
}

impl Targets {
    /// The folders of the agents named in `ids` (as `spm.json` remembers them).
    pub fn of(
        ids: &[String],
        project: &Project,
        global: bool,
        env: &Env,
    ) -> anyhow::Result<Targets> {
        let list = agents::parse_list(&ids.join(","), &project.root, env)
            .map_err(|e| anyhow::anyhow!(e))?;
        Ok(Targets {
            folders: agents::folders(&list, &project.root, global, env),
            global,
        })
    }
}

/// What a sync did.
#[derive(Debug, Default)]
pub struct Placed {
    /// Folders written (relative to the project root where possible).
    pub written: Vec<String>,
    pub removed: Vec<String>,
}

/// How a folder is named in the lockfile: relative to the project root for project
/// installs, absolute for `-g`.
fn key(project: &Project, dir: &Path) -> String {
    dir.strip_prefix(&project.root)
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .unwrap_or_else(|_| dir.display().to_string())
}

fn path_of(project: &Project, key: &str) -> PathBuf {
    let p = Path::new(key);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        project.root.join(p)
    }
}

/// Files of a recorded copy that differ from the record (edited, added or missing).
pub fn edited(dir: &Path, copy: &AgentCopy) -> anyhow::Result<Vec<String>> {
    let now = file_hashes(dir)?;
    let mut out: Vec<String> = copy
        .files
        .iter()
        .filter(|(p, h)| now.get(*p) != Some(*h))
        .map(|(p, _)| p.clone())
        .collect();
    out.extend(now.keys().filter(|p| !copy.files.contains_key(*p)).cloned());
    out.sort();
    Ok(out)
}

/// What a sync will do: the copies wanted (by lockfile key) and recorded copies to remove.
pub struct Plan {
    wanted: BTreeMap<String, (SkillId, PathBuf)>,
    stale: Vec<String>,
}

/// Checks, changing nothing, that the agents' folders can hold exactly one copy of every
/// skill in `lock`: refuses when two skills share a name, when a destination exists that
/// spm did not create, or when a copy spm made was edited and `force` is off. Run it
/// before installing, so a refusal leaves everything as it was.
pub fn plan(
    project: &Project,
    lock: &Lockfile,
    targets: &Targets,
    force: bool,
) -> anyhow::Result<Plan> {
    // Skills by folder name: two authors' skills with one name cannot share a folder.
    let mut by_name: BTreeMap<&str, &SkillId> = BTreeMap::new();
    if !targets.folders.is_empty() {
        for id in lock.skills.keys() {
            if let Some(other) = by_name.insert(&id.name, id) {
                bail!(
                    "{other} and {id} are both called `{}`, and an agent's folder can hold only one `{}/`; remove one of them (`spm remove <id>`)",
                    id.name,
                    id.name
                );
            }
        }
    }
    let mut wanted: BTreeMap<String, (SkillId, PathBuf)> = BTreeMap::new();
    for (folder, _) in &targets.folders {
        if !targets.global {
            project.no_links_below_root(folder)?;
        }
        for id in lock.skills.keys() {
            let dir = folder.join(&id.name);
            wanted.insert(key(project, &dir), (id.clone(), dir));
        }
    }
    for (k, (id, dir)) in &wanted {
        match lock.agent_copies.get(k) {
            None if dir.exists() => bail!(
                "{} exists and spm did not create it; spm will not overwrite it with {id}. Move it away, or choose other agents with --agent",
                dir.display()
            ),
            Some(copy) if !force && dir.exists() => {
                let changed = edited(dir, copy)?;
                if !changed.is_empty() {
                    bail!(
                        "{} was edited ({}); spm will not replace it. Re-run with --force to replace it",
                        dir.display(),
                        changed.join(", ")
                    );
                }
            }
            _ => {}
        }
    }
    let stale: Vec<String> = lock
        .agent_copies
        .keys()
        .filter(|k| !wanted.contains_key(*k))
        .cloned()
        .collect();
    for k in &stale {
        let dir = path_of(project, k);
        if let Some(copy) = lock.agent_copies.get(k)
            && !force
            && dir.exists()
        {
            let changed = edited(&dir, copy)?;
            if !changed.is_empty() {
                bail!(
                    "{} was edited ({}); spm will not remove it. Re-run with --force to remove it",
                    dir.display(),
                    changed.join(", ")
                );
            }
        }
    }
    Ok(Plan { wanted, stale })
}

/// Carries out a [`plan`] after the skills are installed: writes the wanted copies, removes
/// the stale ones, and records the copies in `lock.agent_copies`.
pub fn sync(
    project: &Project,
    lock: &mut Lockfile,
    state: &InstallState,
    plan: Plan,
) -> anyhow::Result<Placed> {
    let Plan { wanted, stale } = plan;
    let mut placed = Placed::default();
    for k in stale {
        let dir = path_of(project, &k);
        if let Some(copy) = lock.agent_copies.remove(&k) {
            remove_copy(&dir, &copy)?;
            placed.removed.push(k);
        }
    }
    for (k, (id, dir)) in wanted {
        let src = project.skill_dir(&id)?;
        let Some(installed) = state.skills.get(&id) else {
            bail!("{id} is not installed; run `spm install`");
        };
        let up_to_date = lock
            .agent_copies
            .get(&k)
            .is_some_and(|c| c.skill == id && c.files == installed.files)
            && file_hashes(&dir)? == installed.files;
        if !up_to_date {
            copy_tree(&src, &dir)?;
            placed.written.push(k.clone());
        }
        lock.agent_copies.insert(
            k,
            AgentCopy {
                skill: id.clone(),
                files: installed.files.clone(),
            },
        );
    }
    Ok(placed)
}

/// Copies `src` to `dest` through a staging folder, replacing an older copy.
fn copy_tree(src: &Path, dest: &Path) -> anyhow::Result<()> {
    let parent = dest.parent().context("an agent folder has no parent")?;
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staged = parent.join(format!(".{name}.spm-new"));
    if staged.exists() {
        std::fs::remove_dir_all(&staged)?;
    }
    fn copy_dir(from: &Path, to: &Path) -> anyhow::Result<()> {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let entry = entry?;
            let target = to.join(entry.file_name());
            if entry.file_type()?.is_dir() {
                copy_dir(&entry.path(), &target)?;
            } else {
                std::fs::copy(entry.path(), &target)?;
            }
        }
        Ok(())
    }
    copy_dir(src, &staged)
        .with_context(|| format!("cannot copy {} to {}", src.display(), staged.display()))?;
    if dest.exists() {
        std::fs::remove_dir_all(dest)?;
    }
    std::fs::rename(&staged, dest).with_context(|| format!("cannot create {}", dest.display()))?;
    Ok(())
}

/// Removes exactly the recorded files of a copy, then the folders they leave empty.
fn remove_copy(dir: &Path, copy: &AgentCopy) -> anyhow::Result<()> {
    let mut dirs = BTreeSet::new();
    for rel in copy.files.keys() {
        let p = dir.join(rel);
        if p.is_file() {
            std::fs::remove_file(&p).with_context(|| format!("cannot remove {}", p.display()))?;
        }
        let mut parent = p.parent();
        while let Some(d) = parent {
            if !d.starts_with(dir) {
                break;
            }
            dirs.insert(d.to_path_buf());
            parent = d.parent();
        }
    }
    // Deepest first; only empty ones go.
    for d in dirs.iter().rev() {
        let _ = std::fs::remove_dir(d);
    }
    Ok(())
}

/// `spm verify` for the agents' copies: each recorded copy that is missing or differs from
/// the lockfile, with the files.
pub fn verify_copies(project: &Project, lock: &Lockfile) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    for (k, copy) in &lock.agent_copies {
        let dir = path_of(project, k);
        if !dir.is_dir() {
            out.push(format!(
                "{k}: the copy of {} is missing (run `spm install`)",
                copy.skill
            ));
            continue;
        }
        let changed = edited(&dir, copy)?;
        if !changed.is_empty() {
            out.push(format!(
                "{k}: the copy of {} differs from skills.lock in {}",
                copy.skill,
                changed.join(", ")
            ));
        }
    }
    Ok(out)
}

/// The copy plan for `agents` (as `spm.json` remembers them), checked before anything is
/// installed, or `None` when no agent is involved and spm made no copies.
pub fn plan_for(
    project: &Project,
    lock: &Lockfile,
    agents: &[String],
    global: bool,
    force: bool,
) -> anyhow::Result<Option<Plan>> {
    if agents.is_empty() && lock.agent_copies.is_empty() {
        return Ok(None);
    }
    let env = Env::current().context("HOME is not set; spm cannot find the agents' folders")?;
    let targets = Targets::of(agents, project, global, &env)?;
    Ok(Some(plan(project, lock, &targets, force)?))
}

/// Carries out [`plan_for`]'s plan once the skills are installed.
pub fn carry_out(
    project: &Project,
    lock: &mut Lockfile,
    plan: Option<Plan>,
) -> anyhow::Result<Placed> {
    let Some(plan) = plan else {
        return Ok(Placed::default());
    };
    let state = project.state()?;
    sync(project, lock, &state, plan)
}
