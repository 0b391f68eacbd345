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
use crate::project::{
    AgentCopy, InstallState, Lockfile, Project, ProjectManifest, is_plain_relative,
};

/// Where copies go: the chosen agents' folders (shared ones once), for the project or `-g`.
pub struct Targets {
    pub folders: Vec<(PathBuf, Vec<&'static str>)>,
    pub global: bool,
    /// Every agent folder of this kind (project or user): the only places a recorded copy
    /// may be.
    pub known: Vec<PathBuf>,
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
            known: known_folders(project, global, env),
        })
    }
}

/// What a sync did.
#[derive(Debug, Default)]
pub struct Placed {
    /// Folders written (relative to the project root where possible).
    pub written: Vec<String>,
    pub removed: Vec<String>,
    /// Edited copies left as they were (`--keep-modified`), with the edited files.
    pub kept: Vec<(String, Vec<String>)>,
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

/// Every folder an agent of the catalog reads, for the project or (`global`) the user.
fn known_folders(project: &Project, global: bool, env: &Env) -> Vec<PathBuf> {
    agents::AGENTS
        .iter()
        .chain(std::iter::once(&agents::SHARED))
        .map(|a| a.folder(&project.root, global, env))
        .collect()
}

/// Where a copy recorded in `skills.lock` is, once checked: a skill-named folder directly in
/// one of the agents' folders, holding only plain relative file paths. A cloned lockfile is
/// untrusted; anything else is an error, so spm never writes or removes elsewhere.
fn recorded_dir(
    project: &Project,
    known: &[PathBuf],
    global: bool,
    key: &str,
    copy: &AgentCopy,
) -> anyhow::Result<PathBuf> {
    let bad = |why: String| {
        anyhow::anyhow!(
            "{}: the agent copy `{key}` {why}; spm only touches copies it made in agents' folders. Remove that entry from agent_copies and run the command again",
            project.lock_path.display()
        )
    };
    if let Some(f) = copy.files.keys().find(|f| !is_plain_relative(f)) {
        return Err(bad(format!("lists the file `{f}`")));
    }
    let dir = path_of(project, key);
    let named = dir
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| spm_core::skill::check_name(n).is_ok());
    // A project's lock may come from a clone: its copies must sit in an agent's folder. The
    // global lock is the user's own (in ~/.spm), kept across changes of CODEX_HOME and the like.
    let in_known = global
        || dir
            .parent()
            .is_some_and(|parent| known.iter().any(|k| k == parent));
    if !in_known || !named {
        return Err(bad(
            "is not a skill folder in an agent's skills folder".into()
        ));
    }
    if !global {
        project.no_links_below_root(dir.parent().unwrap_or(&dir))?;
    }
    // Below a copy (not a link) nothing may be a link: a committed `sub -> ../../..` would
    // make removing `sub/x` remove a file elsewhere.
    if !copy.link {
        for f in copy.files.keys() {
            if let Some(link) = link_between(&dir, f) {
                return Err(bad(format!("holds the symbolic link {}", link.display())));
            }
        }
    }
    Ok(dir)
}

/// The first symbolic link on the way from `dir` (itself included) to `dir/rel`, if any.
fn link_between(dir: &Path, rel: &str) -> Option<PathBuf> {
    let mut p = dir.to_path_buf();
    if is_link(&p) {
        return Some(p);
    }
    for part in rel.split('/') {
        p.push(part);
        if is_link(&p) {
            return Some(p);
        }
    }
    None
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

/// How copies are made and what to do with edited ones.
#[derive(Debug, Clone, Copy, Default)]
pub struct Choices<'a> {
    /// Replace or remove copies that were edited.
    pub force: bool,
    /// Leave edited copies as they are (and as recorded), updating everything else.
    pub keep_modified: bool,
    /// A relative symbolic link to the verified copy in `.spm/skills` instead of a copy.
    pub link: bool,
    /// Folder names other than the skill's name (`--as`), by skill.
    pub names: Option<&'a BTreeMap<SkillId, String>>,
}

impl Choices<'_> {
    fn folder_name<'b>(&'b self, id: &'b SkillId) -> &'b str {
        self.names
            .and_then(|n| n.get(id))
            .map_or(id.name.as_str(), String::as_str)
    }
}

/// What a sync will do: the copies wanted (by lockfile key), recorded copies to remove, and
/// edited copies left alone.
pub struct Plan {
    wanted: BTreeMap<String, (SkillId, PathBuf)>,
    stale: Vec<String>,
    kept: BTreeSet<String>,
    link: bool,
    /// Edited copies that were kept, with their files, to report.
    pub kept_edited: Vec<(String, Vec<String>)>,
}

impl Plan {
    /// A copy this plan would make that `lock` does not record, if any (`--frozen` refuses).
    pub fn unrecorded(&self, lock: &Lockfile) -> Option<&str> {
        self.wanted
            .keys()
            .find(|k| !lock.agent_copies.contains_key(*k))
            .map(String::as_str)
    }

    /// Leaves recorded copies nothing wants where they are (`--frozen` changes no record).
    pub fn leave_stale(&mut self) {
        self.kept.extend(self.stale.drain(..));
    }
}

fn exists(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok()
}

/// Checks, changing nothing, that the agents' folders can hold exactly one copy of every
/// skill in `lock`: refuses when two skills share a folder name, when a destination exists
/// that spm did not create, or when a copy spm made was edited (unless `force` replaces it
/// or `keep_modified` leaves it). Run it before installing, so a refusal leaves everything
/// as it was.
pub fn plan(
    project: &Project,
    lock: &Lockfile,
    targets: &Targets,
    choices: Choices<'_>,
) -> anyhow::Result<Plan> {
    if let Some((id, name)) = choices
        .names
        .into_iter()
        .flatten()
        .find(|(_, n)| spm_core::skill::check_name(n).is_err())
    {
        bail!(
            "spm.json: folder_names gives {id} the folder `{name}`, which is not a valid folder name (the rules of skill names)"
        );
    }
    for (k, copy) in &lock.agent_copies {
        recorded_dir(project, &targets.known, targets.global, k, copy)?;
    }
    // Skills by folder name: two authors' skills with one name cannot share a folder.
    let mut by_name: BTreeMap<&str, &SkillId> = BTreeMap::new();
    if !targets.folders.is_empty() {
        for id in lock.skills.keys() {
            let name = choices.folder_name(id);
            if let Some(other) = by_name.insert(name, id) {
                bail!(
                    "{other} and {id} are both called `{name}`, and an agent's folder can hold only one `{name}/`. Give one of them another folder name (`spm add {id} --as {}-{}`), or remove one (`spm remove <id>`)",
                    id.author,
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
            let dir = folder.join(choices.folder_name(id));
            wanted.insert(key(project, &dir), (id.clone(), dir));
        }
    }
    let mut kept = BTreeSet::new();
    let mut kept_edited = Vec::new();
    let mut refused = Vec::new();
    let stale: Vec<String> = lock
        .agent_copies
        .keys()
        .filter(|k| !wanted.contains_key(*k))
        .cloned()
        .collect();
    let checked = wanted
        .iter()
        .map(|(k, (id, dir))| (k, Some(id), dir.clone()))
        .chain(stale.iter().map(|k| (k, None, path_of(project, k))));
    for (k, id, dir) in checked {
        match lock.agent_copies.get(k) {
            None if exists(&dir) => bail!(
                "{} exists and spm did not create it; spm will not overwrite it with {}. Move it away, give the skill another folder name (--as), or choose other agents with --agent",
                dir.display(),
                id.map_or_else(String::new, ToString::to_string)
            ),
            Some(copy) if !choices.force && exists(&dir) => {
                let changed = if !copy.link {
                    edited(&dir, copy)?
                } else if is_link(&dir) {
                    Vec::new()
                } else {
                    vec!["(a folder now stands where spm made a link)".to_string()]
                };
                if changed.is_empty() {
                    continue;
                }
                if choices.keep_modified {
                    kept.insert(k.clone());
                    kept_edited.push((k.clone(), changed));
                } else {
                    refused.push(format!("  {} ({})", dir.display(), changed.join(", ")));
                }
            }
            _ => {}
        }
    }
    if !refused.is_empty() {
        bail!(
            "these copies in agents' folders were edited, and spm will not replace or remove them silently:\n{}\nRe-run with --force to replace them with the verified files, or --keep-modified to leave them as they are and update the rest",
            refused.join("\n")
        );
    }
    Ok(Plan {
        wanted,
        stale,
        kept,
        link: choices.link,
        kept_edited,
    })
}

/// Carries out a [`plan`] after the skills are installed: writes the wanted copies (or
/// links), removes the stale ones, and records them in `lock.agent_copies`. Kept copies stay
/// as they are, with their old record.
pub fn sync(
    project: &Project,
    lock: &mut Lockfile,
    state: &InstallState,
    plan: Plan,
) -> anyhow::Result<Placed> {
    let Plan {
        wanted,
        stale,
        kept,
        link,
        ..
    } = plan;
    let mut placed = Placed::default();
    for k in stale.into_iter().filter(|k| !kept.contains(k)) {
        let dir = path_of(project, &k);
        if let Some(copy) = lock.agent_copies.remove(&k) {
            remove_copy(&dir, &copy)?;
            placed.removed.push(k);
        }
    }
    for (k, (id, dir)) in wanted {
        if kept.contains(&k) {
            continue;
        }
        let src = project.skill_dir(&id)?;
        let Some(installed) = state.skills.get(&id) else {
            bail!("{id} is not installed; run `spm install`");
        };
        let recorded = lock
            .agent_copies
            .get(&k)
            .is_some_and(|c| c.skill == id && c.files == installed.files && c.link == link);
        let up_to_date = recorded
            && if link {
                std::fs::read_link(&dir).is_ok_and(|t| t == relative(&dir, &src))
            } else {
                !is_link(&dir) && file_hashes(&dir)? == installed.files
            };
        if !up_to_date {
            if link {
                link_tree(&src, &dir)?;
            } else {
                copy_tree(&src, &dir)?;
            }
            placed.written.push(k.clone());
        }
        lock.agent_copies.insert(
            k,
            AgentCopy {
                skill: id.clone(),
                files: installed.files.clone(),
                link,
            },
        );
    }
    Ok(placed)
}

fn is_link(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
}

/// `to` as a path relative to the folder holding `from` (both absolute).
fn relative(from: &Path, to: &Path) -> PathBuf {
    let base: Vec<_> = from.parent().unwrap_or(from).components().collect();
    let target: Vec<_> = to.components().collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for c in &target[common..] {
        out.push(c);
    }
    out
}

/// Points `dest` at `src` with a relative symbolic link, replacing what spm had there.
fn link_tree(src: &Path, dest: &Path) -> anyhow::Result<()> {
    let parent = dest.parent().context("an agent folder has no parent")?;
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    if is_link(dest) {
        std::fs::remove_file(dest)?;
    } else if dest.exists() {
        std::fs::remove_dir_all(dest)?;
    }
    let target = relative(dest, src);
    #[cfg(unix)]
    std::os::unix::fs::symlink(&target, dest)
        .with_context(|| format!("cannot link {} to {}", dest.display(), target.display()))?;
    #[cfg(windows)]
    std::os::windows::fs::symlink_dir(&target, dest)
        .with_context(|| format!("cannot link {} to {}", dest.display(), target.display()))?;
    Ok(())
}

/// Copies `src` to `dest` through a staging folder, replacing an older copy (or link).
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
    if is_link(dest) {
        std::fs::remove_file(dest)?;
    } else if dest.exists() {
        std::fs::remove_dir_all(dest)?;
    }
    std::fs::rename(&staged, dest).with_context(|| format!("cannot create {}", dest.display()))?;
    Ok(())
}

/// Removes exactly what spm made: a link itself, or the recorded files of a copy and then
/// the folders they leave empty.
fn remove_copy(dir: &Path, copy: &AgentCopy) -> anyhow::Result<()> {
    if is_link(dir) {
        if copy.link {
            std::fs::remove_file(dir)
                .with_context(|| format!("cannot remove {}", dir.display()))?;
        }
        // A link spm did not make is not followed.
        return Ok(());
    }
    let mut dirs = BTreeSet::new();
    for rel in copy.files.keys() {
        let p = dir.join(rel);
        if link_between(dir, rel).is_some() {
            continue; // never through a link
        }
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
pub fn verify_copies(
    project: &Project,
    lock: &Lockfile,
    global: bool,
) -> anyhow::Result<Vec<String>> {
    let mut out = Vec::new();
    let known = match Env::current() {
        Some(env) => known_folders(project, global, &env),
        None if lock.agent_copies.is_empty() => Vec::new(),
        None => bail!("HOME is not set; spm cannot find the agents' folders"),
    };
    for (k, copy) in &lock.agent_copies {
        let dir = recorded_dir(project, &known, global, k, copy)?;
        if !dir.is_dir() {
            out.push(format!(
                "{k}: the copy of {} is missing (run `spm install`)",
                copy.skill
            ));
            continue;
        }
        if copy.link {
            let want = relative(&dir, &project.skill_dir(&copy.skill)?);
            if std::fs::read_link(&dir).ok().as_deref() != Some(want.as_path()) {
                out.push(format!(
                    "{k}: should link to {} for {} but does not (run `spm install --force`)",
                    want.display(),
                    copy.skill
                ));
            }
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

/// The copy plan for what `manifest` asks (its agents, `--as` names and `--link`), checked
/// before anything is installed, or `None` when no agent is involved and spm made no copies.
pub fn plan_for(
    project: &Project,
    lock: &Lockfile,
    manifest: &ProjectManifest,
    global: bool,
    force: bool,
    keep_modified: bool,
) -> anyhow::Result<Option<Plan>> {
    let agents = manifest.agents.as_deref().unwrap_or_default();
    if agents.is_empty() && lock.agent_copies.is_empty() {
        return Ok(None);
    }
    let env = Env::current().context("HOME is not set; spm cannot find the agents' folders")?;
    let targets = Targets::of(agents, project, global, &env)?;
    let choices = Choices {
        force,
        keep_modified,
        link: manifest.link,
        names: Some(&manifest.folder_names),
    };
    Ok(Some(plan(project, lock, &targets, choices)?))
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
    let kept = plan.kept_edited.clone();
    let state = project.state()?;
    let mut placed = sync(project, lock, &state, plan)?;
    placed.kept = kept;
    Ok(placed)
}
