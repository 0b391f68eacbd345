//! Resolving, downloading, verifying and unpacking skills.
//!
//! Order matters for safety: every archive is downloaded (or taken from the cache) and its
//! SHA-256 checked against the lockfile's integrity before anything in the install
//! directory changes; then each skill is unpacked into a temporary directory and swapped
//! into place, so a failure never leaves a half-installed skill.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use futures_util::future::join_all;
use indicatif::{ProgressBar, ProgressStyle};
use semver::{Version, VersionReq};
use spm_core::api::VersionsResponse;
use spm_core::package::{Integrity, UnpackLimits, read_archive, unpack};
use spm_core::resolve::{Candidate, Index, resolve};
use spm_core::safety::SafetyStatus;
use spm_core::skill::SkillId;
use tokio::sync::Semaphore;

use crate::home;
use crate::project::{InstalledSkill, Locked, Lockfile, Project};
use crate::registry::{Client, ClientError};

const PARALLEL_DOWNLOADS: usize = 8;

/// Every version of every skill reachable from `roots`, fetched level by level in parallel.
/// Dependency ids the registry sends are parsed like any other untrusted id.
pub async fn gather(
    client: &Client,
    roots: impl IntoIterator<Item = SkillId>,
) -> anyhow::Result<(Index, BTreeMap<SkillId, VersionsResponse>)> {
    let mut index = Index::default();
    let mut seen: BTreeSet<SkillId> = BTreeSet::new();
    let mut infos = BTreeMap::new();
    let mut frontier: Vec<SkillId> = roots
        .into_iter()
        .filter(|r| seen.insert(r.clone()))
        .collect();
    while !frontier.is_empty() {
        let fetched = join_all(
            frontier
                .iter()
                .map(|id| async move { (id.clone(), client.versions(id).await) }),
        )
        .await;
        let mut next = Vec::new();
        for (id, result) in fetched {
            let info = match result {
                Ok(info) => info,
                Err(e) if e.status() == Some(404) => continue,
                Err(e) => return Err(e.into()),
            };
            for v in &info.versions {
                let Ok(version) = Version::parse(&v.version) else {
                    continue;
                };
                // A blocked version is never served: never a candidate.
                if v.safety_status == SafetyStatus::Blocked {
                    continue;
                }
                let mut deps = BTreeMap::new();
                for (dep, range) in &v.dependencies {
                    let dep_id: SkillId = dep.parse().with_context(|| {
                        format!("the registry lists `{dep}` as a dependency of {id}@{version}")
                    })?;
                    let req = VersionReq::parse(range).with_context(|| {
                        format!("{id}@{version} has an invalid range `{range}` for {dep}")
                    })?;
                    deps.insert(dep_id.to_string(), req);
                    if seen.insert(dep_id.clone()) {
                        next.push(dep_id);
                    }
                }
                index.insert(
                    id.to_string(),
                    Candidate {
                        version,
                        yanked: v.yanked,
                        dependencies: deps,
                    },
                );
            }
            infos.insert(id, info);
        }
        frontier = next;
    }
    Ok((index, infos))
}

/// Resolves the manifest's requirements into a new lockfile.
pub async fn resolve_lock(
    client: &Client,
    requirements: &BTreeMap<SkillId, VersionReq>,
    pinned: &BTreeMap<SkillId, Version>,
    allow_flagged: bool,
) -> anyhow::Result<Lockfile> {
    let (index, infos) = gather(client, requirements.keys().cloned()).await?;
    let chosen: BTreeMap<SkillId, Version> =
        resolve(&by_name(requirements), &index, &by_name(pinned))?
            .into_iter()
            .map(|(id, v)| Ok((id.parse::<SkillId>()?, v)))
            .collect::<anyhow::Result<_>>()?;
    let flagged: Vec<String> = chosen
        .iter()
        .filter_map(|(id, v)| {
            let info = infos
                .get(id)?
                .versions
                .iter()
                .find(|i| i.version == v.to_string())?;
            (info.safety_status == SafetyStatus::Flagged).then(|| {
                let why: Vec<String> = info
                    .findings
                    .iter()
                    .take(3)
                    .map(|f| {
                        format!(
                            "{} at {}:{}",
                            f["rule"].as_str().unwrap_or("?"),
                            f["file"].as_str().unwrap_or("?"),
                            f["line"]
                        )
                    })
                    .collect();
                format!(
                    "  {id}@{v}: {}",
                    if why.is_empty() {
                        "flagged by the registry's safety scan".to_string()
                    } else {
                        why.join("; ")
                    }
                )
            })
        })
        .collect();
    if !flagged.is_empty() && !allow_flagged {
        bail!(
            "these versions were flagged by the registry's safety scan:\n{}\nreview them (`spm info <skill>`) and re-run with --allow-flagged to install anyway",
            flagged.join("\n")
        );
    }
    let downloads = join_all(chosen.iter().map(|(id, v)| async move {
        (id.clone(), client.download_info(id, &v.to_string()).await)
    }))
    .await;
    let mut lock = Lockfile::default();
    for (id, dl) in downloads {
        let dl = dl.with_context(|| format!("cannot get the download of {id}"))?;
        let info = infos
            .get(&id)
            .and_then(|i| i.versions.iter().find(|v| v.version == dl.version));
        let mut dependencies = BTreeMap::new();
        for (dep, range) in info.map(|i| &i.dependencies).into_iter().flatten() {
            dependencies.insert(dep.parse::<SkillId>()?, range.clone());
        }
        lock.skills.insert(
            id.clone(),
            Locked {
                version: dl.version.clone(),
                resolved: dl.download_url,
                integrity: dl.integrity,
                registry: client.base.clone(),
                dependencies,
                source: None,
            },
        );
    }
    Ok(lock)
}

/// The resolver speaks `author/name` strings.
fn by_name<V: Clone>(m: &BTreeMap<SkillId, V>) -> BTreeMap<String, V> {
    m.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

/// Where an archive with this integrity is cached.
pub(crate) fn cache_path(integrity: &Integrity) -> anyhow::Result<PathBuf> {
    Ok(home::cache_dir()?.join(format!("{}.tar.gz", integrity.hex())))
}

/// The registry clients an install talks to, by registry URL. Entries of a lockfile may
/// name different registries; each is asked about its own entries.
#[derive(Default)]
pub struct Clients {
    by_url: BTreeMap<String, Client>,
}

impl Clients {
    /// One client for everything (a fresh resolution: every entry comes from it).
    pub fn one(client: &Client) -> Clients {
        let mut by_url = BTreeMap::new();
        by_url.insert(client.base.clone(), client.clone());
        Clients { by_url }
    }

    /// A client per registry the lockfile names: the configured registry with the same
    /// address (and its token) when there is one, else an anonymous client; `forced` (from
    /// `--registry`) serves every entry.
    pub fn for_lock(
        lock: &Lockfile,
        configured: &[crate::home::RegistryEntry],
        forced: Option<&Client>,
    ) -> anyhow::Result<Clients> {
        let mut by_url = BTreeMap::new();
        for (id, l) in &lock.skills {
            let url = l.registry.trim_end_matches('/').to_string();
            if by_url.contains_key(&url) || crate::direct::is_locked_direct(l) {
                continue;
            }
            let client = match forced {
                Some(c) => c.clone(),
                None => Client::for_url(&url, configured)
                    .with_context(|| format!("skills.lock names the registry `{url}` for {id}"))?,
            };
            by_url.insert(url, client);
        }
        Ok(Clients { by_url })
    }

    pub fn get(&self, registry: &str) -> Option<&Client> {
        self.by_url.get(registry.trim_end_matches('/'))
    }
}

/// The archive for one locked skill: from the cache when it verifies, else downloaded and
/// verified, then cached.
async fn obtain(
    project: &Project,
    client: Option<&Client>,
    id: &SkillId,
    locked: &Locked,
) -> anyhow::Result<(Vec<u8>, bool)> {
    let integrity: Integrity = locked
        .integrity
        .parse()
        .with_context(|| format!("{id}: bad integrity in the lockfile"))?;
    let cached = cache_path(&integrity)?;
    if let Ok(bytes) = std::fs::read(&cached) {
        if integrity.verify(&bytes).is_ok() {
            return Ok((bytes, true));
        }
        let _ = std::fs::remove_file(&cached);
    }
    if crate::direct::is_locked_direct(locked) {
        let bytes = crate::direct::rebuild(project, id, locked).await?;
        store_in_cache(&cached, &integrity, &bytes);
        return Ok((bytes, false));
    }
    let Some(client) = client else {
        bail!(
            "{id}@{} is not in the local cache and no registry is reachable",
            locked.version
        );
    };
    let bytes = match client.fetch(&locked.resolved).await {
        Ok(b) => b,
        // A presigned URL may have expired: ask the registry for a fresh one.
        Err(ClientError::Api { .. }) | Err(ClientError::Network { .. }) => {
            let dl = client.download_info(id, &locked.version).await?;
            client.fetch(&dl.download_url).await?
        }
        Err(e) => return Err(e.into()),
    };
    integrity.verify(&bytes).map_err(|e| {
        anyhow::anyhow!("{id}@{}: the downloaded archive does not match the lockfile ({e}); nothing was installed", locked.version)
    })?;
    store_in_cache(&cached, &integrity, &bytes);
    Ok((bytes, false))
}

/// Whether `dir` holds exactly the files of the cached archive with `integrity` (false when
/// the archive is not cached: then it is downloaded and verified again).
fn matches_archive(dir: &Path, integrity: &str) -> bool {
    let Ok(Some(files)) = cached_files(integrity) else {
        return false;
    };
    let want: BTreeMap<String, String> = files
        .iter()
        .map(|(p, b)| (p.clone(), Integrity::of(b).to_string()))
        .collect();
    file_hashes(dir).is_ok_and(|have| have == want)
}

/// Writes a verified archive into the cache (best effort: a cache that cannot be written
/// only costs a download later).
fn store_in_cache(cached: &Path, integrity: &Integrity, bytes: &[u8]) {
    if let Some(dir) = cached.parent() {
        std::fs::create_dir_all(dir).ok();
        let tmp = dir.join(format!(".{}.part", integrity.hex()));
        if std::fs::write(&tmp, bytes).is_ok() {
            let _ = std::fs::rename(&tmp, cached);
        }
    }
}

/// The files of the cached archive with this integrity, checked against it: the verified
/// bytes of an installed skill, whatever its unpacked folder now holds. `None` when the
/// archive is not in the cache (or no longer matches).
pub fn cached_files(integrity: &str) -> anyhow::Result<Option<spm_core::package::Files>> {
    let integrity: Integrity = integrity.parse()?;
    let Ok(bytes) = std::fs::read(cache_path(&integrity)?) else {
        return Ok(None);
    };
    if integrity.verify(&bytes).is_err() {
        return Ok(None);
    }
    Ok(Some(read_archive(&bytes, &UnpackLimits::default())?))
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub installed: Vec<(String, String)>,
    pub unchanged: usize,
    pub removed: Vec<String>,
    pub from_cache: usize,
}

/// Makes the install directory hold exactly the lockfile's skills.
pub async fn install_lock(
    project: &Project,
    lock: &Lockfile,
    clients: &Clients,
    force: bool,
) -> anyhow::Result<Outcome> {
    let mut state = project.state().unwrap_or_default();
    let mut todo: Vec<(&SkillId, &Locked)> = Vec::new();
    for (id, l) in &lock.skills {
        // Up to date only when the folder holds exactly the verified archive's files: a
        // cloned repository can commit `.spm/` (state file and all).
        let dir = project.skill_dir(id)?;
        let stale = force
            || !dir.is_dir()
            || state
                .skills
                .get(id)
                .is_none_or(|s| s.integrity != l.integrity)
            || !matches_archive(&dir, &l.integrity);
        if stale {
            todo.push((id, l));
        }
    }
    let mut outcome = Outcome {
        unchanged: lock.skills.len() - todo.len(),
        ..Outcome::default()
    };

    // Phase 1: every archive, verified, before anything on disk changes.
    let bar = progress(todo.len() as u64, "downloading");
    let sem = Arc::new(Semaphore::new(PARALLEL_DOWNLOADS));
    let results = join_all(todo.iter().map(|(id, l)| {
        let (sem, bar) = (sem.clone(), bar.clone());
        async move {
            let _permit = sem.acquire().await;
            let r = obtain(project, clients.get(&l.registry), id, l).await;
            bar.inc(1);
            r
        }
    }))
    .await;
    bar.finish_and_clear();
    let mut archives = Vec::new();
    for ((id, l), r) in todo.iter().zip(results) {
        let (bytes, cached) = r?;
        outcome.from_cache += usize::from(cached);
        archives.push((*id, *l, bytes));
    }

    // Phase 2: unpack each into place atomically.
    for (id, l, bytes) in archives {
        let files = install_one(project, id, &bytes)
            .with_context(|| format!("cannot install {id}@{}", l.version))?;
        state.skills.insert(
            id.clone(),
            InstalledSkill {
                version: l.version.clone(),
                integrity: l.integrity.clone(),
                files,
            },
        );
        outcome.installed.push((id.to_string(), l.version.clone()));
    }

    // Skills no longer in the lockfile go.
    let stale: Vec<SkillId> = state
        .skills
        .keys()
        .filter(|id| !lock.skills.contains_key(*id))
        .cloned()
        .collect();
    for id in stale {
        let dir = project.skill_dir(&id)?;
        if dir.is_dir() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot remove {}", dir.display()))?;
        }
        if let Some(parent) = dir.parent() {
            let _ = std::fs::remove_dir(parent); // only if empty
        }
        state.skills.remove(&id);
        outcome.removed.push(id.to_string());
    }
    project.save_state(&state)?;
    Ok(outcome)
}

/// Unpacks one verified archive into its directory, replacing an older install.
fn install_one(
    project: &Project,
    id: &SkillId,
    bytes: &[u8],
) -> anyhow::Result<BTreeMap<String, String>> {
    let limits = UnpackLimits::default();
    let files = read_archive(bytes, &limits)?;
    let hashes = files
        .iter()
        .map(|(p, b)| (p.clone(), Integrity::of(b).to_string()))
        .collect();
    let dest = project.skill_dir(id)?;
    let parent = dest.parent().context("install path has no parent")?;
    std::fs::create_dir_all(parent)?;
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staged = parent.join(format!(".{name}.spm-new"));
    let old = parent.join(format!(".{name}.spm-old"));
    for leftover in [&staged, &old] {
        if leftover.exists() {
            std::fs::remove_dir_all(leftover)?;
        }
    }
    unpack(bytes, &staged, &limits)?;
    if dest.exists() {
        std::fs::rename(&dest, &old)?;
    }
    if let Err(e) = std::fs::rename(&staged, &dest) {
        if old.exists() {
            let _ = std::fs::rename(&old, &dest);
        }
        let _ = std::fs::remove_dir_all(&staged);
        return Err(e.into());
    }
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    Ok(hashes)
}

/// Checks installed files against what was unpacked and against the lockfile.
pub fn verify(project: &Project, lock: &Lockfile) -> anyhow::Result<Vec<String>> {
    let state = project.state()?;
    let mut problems = Vec::new();
    for (id, l) in &lock.skills {
        let Some(s) = state.skills.get(id) else {
            problems.push(format!("{id}: not installed (run `spm install`)"));
            continue;
        };
        if s.integrity != l.integrity || s.version != l.version {
            problems.push(format!(
                "{id}: installed {} ({}) but the lockfile says {} ({})",
                s.version, s.integrity, l.version, l.integrity
            ));
            continue;
        }
        let dir = project.skill_dir(id)?;
        let on_disk = file_hashes(&dir)?;
        for (path, hash) in &s.files {
            match on_disk.get(path) {
                None => problems.push(format!("{id}: {path} is missing")),
                Some(h) if h != hash => problems.push(format!("{id}: {path} was modified")),
                Some(_) => {}
            }
        }
        for path in on_disk.keys().filter(|p| !s.files.contains_key(*p)) {
            problems.push(format!("{id}: {path} was added"));
        }
    }
    Ok(problems)
}

/// Every file below `dir` with its hash (`rel path → sha256-<hex>`); empty when `dir` is
/// not there.
pub(crate) fn file_hashes(dir: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    collect_files(dir, dir, &mut out)?;
    Ok(out)
}

fn collect_files(
    root: &Path,
    dir: &Path,
    out: &mut BTreeMap<String, String>,
) -> anyhow::Result<()> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        let ft = entry.file_type()?;
        if ft.is_dir() {
            collect_files(root, &path, out)?;
        } else {
            let rel = path
                .strip_prefix(root)?
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(&path)?;
            out.insert(rel, Integrity::of(&bytes).to_string());
        }
    }
    Ok(())
}

/// A progress bar on stderr (hidden when stderr is not a terminal).
pub fn progress(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what.to_string());
    bar
}

/// Splits the lockfile into what the manifest needs (its entries and, through the locked
/// versions' dependencies, everything below them) and entries nothing needs. The second are
/// reported and never installed: a lockfile from a cloned repository is untrusted input.
pub fn needed(
    roots: impl IntoIterator<Item = SkillId>,
    lock: &Lockfile,
) -> (Lockfile, Vec<SkillId>) {
    let mut keep = BTreeSet::new();
    let mut stack: Vec<SkillId> = roots.into_iter().collect();
    while let Some(id) = stack.pop() {
        if !keep.insert(id.clone()) {
            continue;
        }
        if let Some(l) = lock.skills.get(&id) {
            stack.extend(l.dependencies.keys().cloned());
        }
    }
    let mut pruned = lock.clone();
    let extra: Vec<SkillId> = lock
        .skills
        .keys()
        .filter(|id| !keep.contains(*id))
        .cloned()
        .collect();
    for id in &extra {
        pruned.skills.remove(id);
    }
    (pruned, extra)
}

/// Asks the registry whether every locked version is still served. A version the registry
/// now reports as blocked, or no longer has (removed by an admin), is refused before
/// anything is downloaded or taken from the cache, with what to do next. When the registry
/// cannot be reached the check is skipped with a note (offline installs from the cache keep
/// working).
pub async fn check_still_served(
    clients: &Clients,
    lock: &Lockfile,
    direct: &BTreeSet<SkillId>,
) -> anyhow::Result<()> {
    let answers = join_all(lock.skills.iter().filter_map(|(id, l)| {
        let client = clients.get(&l.registry)?;
        Some(async move { (id, client.versions(id).await) })
    }))
    .await;
    let mut refused = Vec::new();
    for (id, answer) in answers {
        let Some(l) = lock.skills.get(id) else {
            continue;
        };
        let info = match answer {
            Ok(info) => Some(info),
            Err(e) if e.status() == Some(404) => None,
            Err(e @ ClientError::Network { .. }) => {
                eprintln!(
                    "note: could not check with the registry that the locked versions are still served ({e}); installing from the lockfile as it is"
                );
                return Ok(());
            }
            Err(e) => return Err(e.into()),
        };
        let entry = info
            .as_ref()
            .and_then(|i| i.versions.iter().find(|v| v.version == l.version));
        let why = match entry {
            None => "was removed from the registry",
            Some(v) if v.safety_status == SafetyStatus::Blocked => "was blocked by the registry",
            Some(_) => continue,
        };
        let fix = if direct.contains(id) {
            format!(
                "`spm update {id}` to move to a version that is still served, or `spm remove {id}`"
            )
        } else {
            "`spm update` to re-resolve the skills that depend on it".to_string()
        };
        refused.push(format!("  {id}@{} {why}; run {fix}", l.version));
    }
    if !refused.is_empty() {
        bail!(
            "skills.lock pins versions that are no longer served; nothing was installed:\n{}",
            refused.join("\n")
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locked(deps: &[&str]) -> Locked {
        Locked {
            version: "1.0.0".into(),
            resolved: String::new(),
            integrity: String::new(),
            registry: String::new(),
            dependencies: deps
                .iter()
                .map(|d| (d.parse().unwrap(), "^1".to_string()))
                .collect(),
            source: None,
        }
    }

    #[test]
    fn lock_entries_nothing_needs_are_split_off() {
        let id = |s: &str| -> SkillId { s.parse().unwrap() };
        let mut lock = Lockfile::default();
        lock.skills.insert(id("a/top"), locked(&["a/mid"]));
        lock.skills.insert(id("a/mid"), locked(&["a/leaf"]));
        lock.skills.insert(id("a/leaf"), locked(&[]));
        lock.skills.insert(id("a/stray"), locked(&["a/leaf"]));
        let (kept, extra) = needed([id("a/top")], &lock);
        assert_eq!(extra, vec![id("a/stray")]);
        assert_eq!(kept.skills.len(), 3);
        assert!(!kept.skills.contains_key(&id("a/stray")));
    }
}
