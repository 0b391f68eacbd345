//! `spm publish --github owner/repo[@ref] [path]`: publish a skill straight from a GitHub
//! repository. The repository's tarball comes from GitHub's API (`GITHUB_API_URL`, default
//! `https://api.github.com`; `GITHUB_TOKEN` for private repositories); only the entries under
//! `path` are taken, into a temporary folder that then goes through the ordinary publish
//! path (validation, `.skillignore`, deterministic packing, the safety scan).

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use anyhow::{Context, bail};

/// Everything taken from one repository, at most.
const MAX_BYTES: u64 = 64 * 1024 * 1024;
const MAX_FILES: usize = 10_000;
/// The tarball download, at most.
const MAX_DOWNLOAD: usize = 256 * 1024 * 1024;

#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub owner: String,
    pub repo: String,
    /// A branch, tag or commit; the default branch when `None`.
    pub reference: Option<String>,
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "github.com/{}/{}", self.owner, self.repo)?;
        if let Some(r) = &self.reference {
            write!(f, "@{r}")?;
        }
        Ok(())
    }
}

/// `owner/repo`, `owner/repo@ref`, or a `https://github.com/owner/repo` URL.
pub fn parse(spec: &str) -> anyhow::Result<Source> {
    let s = spec
        .trim()
        .trim_start_matches("https://")
        .trim_start_matches("github.com/")
        .trim_end_matches('/');
    let (path, reference) = match s.split_once('@') {
        Some((p, r)) if !r.is_empty() => (p, Some(r.to_string())),
        Some(_) => bail!("`{spec}` ends in `@` with no branch, tag or commit after it"),
        None => (s, None),
    };
    let path = path.trim_end_matches(".git");
    let ok = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    match path.split('/').collect::<Vec<_>>()[..] {
        [owner, repo] if ok(owner) && ok(repo) => Ok(Source {
            owner: owner.into(),
            repo: repo.into(),
            reference,
        }),
        _ => bail!("`{spec}` is not a GitHub repository; expected owner/repo or owner/repo@ref"),
    }
}

/// Downloads `src` and writes the entries under `path` into `dest`; returns the commit the
/// tarball was made from, when it says.
pub async fn fetch(src: &Source, path: &Path, dest: &Path) -> anyhow::Result<Option<String>> {
    let api = std::env::var("GITHUB_API_URL").unwrap_or_else(|_| "https://api.github.com".into());
    let mut url = format!(
        "{}/repos/{}/{}/tarball",
        api.trim_end_matches('/'),
        src.owner,
        src.repo
    );
    if let Some(r) = &src.reference {
        url.push('/');
        url.push_str(r);
    }
    let http = reqwest::Client::builder()
        .user_agent(concat!("spm/", env!("CARGO_PKG_VERSION")))
        .build()?;
    let mut req = http
        .get(&url)
        .header("Accept", "application/vnd.github+json");
    if let Ok(t) = std::env::var("GITHUB_TOKEN") {
        req = req.bearer_auth(t);
    }
    let res = req
        .send()
        .await
        .with_context(|| format!("cannot reach GitHub at {url}"))?;
    match res.status().as_u16() {
        200 => {}
        404 => bail!(
            "{src} was not found (or is private: set GITHUB_TOKEN to a token that can read it)"
        ),
        401 | 403 => bail!(
            "GitHub refused to hand out {src} ({}); check GITHUB_TOKEN",
            res.status()
        ),
        _ => bail!("GitHub answered {url} with {}", res.status()),
    }
    if res
        .content_length()
        .is_some_and(|l| l > MAX_DOWNLOAD as u64)
    {
        bail!("{src} is larger than {} MiB", MAX_DOWNLOAD >> 20);
    }
    let bytes = res
        .bytes()
        .await
        .with_context(|| format!("downloading {src}"))?;
    if bytes.len() > MAX_DOWNLOAD {
        bail!("{src} is larger than {} MiB", MAX_DOWNLOAD >> 20);
    }
    extract(&bytes, path, dest).with_context(|| format!("reading {src}"))
}

/// The relative, normal components of `p` (no `..`, no root).
fn normal(p: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::Normal(n) => out.push(n),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(out)
}

/// Writes the entries of a GitHub tarball (one top folder, `<owner>-<repo>-<sha>/`) that lie
/// under `path` into `dest`. Links under `path` are refused; anything elsewhere is ignored.
/// Returns the commit: the `comment` of the pax global header `git archive` writes.
pub fn extract(tarball: &[u8], path: &Path, dest: &Path) -> anyhow::Result<Option<String>> {
    let want = normal(path).with_context(|| {
        format!(
            "`{}` must be a path inside the repository, without `..`",
            path.display()
        )
    })?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(tarball));
    let (mut files, mut bytes) = (0usize, 0u64);
    let mut commit = None;
    for entry in archive.entries().context("not a tar.gz archive")? {
        let mut entry = entry.context("the archive is damaged")?;
        let kind = entry.header().entry_type();
        if kind == tar::EntryType::XGlobalHeader {
            let mut data = Vec::new();
            (&mut entry).take(4096).read_to_end(&mut data)?;
            commit = pax_comment(&data).or(commit);
            continue;
        }
        if kind == tar::EntryType::XHeader {
            continue;
        }
        let full = entry
            .path()
            .context("an entry has an unreadable name")?
            .into_owned();
        // Drop the top folder GitHub adds.
        let Some(rel) = normal(&full).map(|p| p.components().skip(1).collect::<PathBuf>()) else {
            bail!("the archive holds an unsafe path `{}`", full.display());
        };
        let Ok(inside) = rel.strip_prefix(&want) else {
            continue;
        };
        if inside.as_os_str().is_empty() {
            continue;
        }
        let target = dest.join(inside);
        match kind {
            tar::EntryType::Directory => std::fs::create_dir_all(&target)?,
            tar::EntryType::Regular | tar::EntryType::Continuous => {
                files += 1;
                bytes += entry.header().size().unwrap_or(0);
                if files > MAX_FILES || bytes > MAX_BYTES {
                    bail!(
                        "`{}` holds more than {MAX_FILES} files or {} MiB; point at the skill's own folder",
                        want.display(),
                        MAX_BYTES >> 20
                    );
                }
                if let Some(parent) = target.parent() {
                    std::fs::create_dir_all(parent)?;
                }
                let mut data = Vec::new();
                entry.read_to_end(&mut data)?;
                std::fs::write(&target, data)?;
            }
            _ => bail!(
                "`{}` in the repository is a link or special file; skill packages hold only files",
                rel.display()
            ),
        }
    }
    if files == 0 {
        bail!("nothing found at `{}` in the repository", want.display());
    }
    Ok(commit)
}

/// The `comment` record of pax header data (`<len> comment=<value>\n`), when it is a commit
/// id (40 or 64 hex digits).
fn pax_comment(data: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(data).ok()?;
    text.lines().find_map(|line| {
        let (_, record) = line.split_once(' ')?;
        let value = record.strip_prefix("comment=")?.trim();
        (matches!(value.len(), 40 | 64) && value.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| value.to_ascii_lowercase())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs() {
        let s = parse("octo/skills@v1.2").unwrap();
        assert_eq!((s.owner.as_str(), s.repo.as_str()), ("octo", "skills"));
        assert_eq!(s.reference.as_deref(), Some("v1.2"));
        assert_eq!(
            parse("https://github.com/octo/skills.git")
                .unwrap()
                .reference,
            None
        );
        for bad in [
            "octo",
            "octo/skills/extra",
            "octo/sk ills",
            "octo/skills@",
            "../x/y",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }

    fn tarball(link_inside: bool) -> Vec<u8> {
        let mut b = tar::Builder::new(flate2::write::GzEncoder::new(
            Vec::new(),
            flate2::Compression::default(),
        ));
        let text = b"---\nname: s\ndescription: d\n---\n";
        let mut h = tar::Header::new_gnu();
        h.set_size(text.len() as u64);
        h.set_cksum();
        b.append_data(&mut h, "top/skill/SKILL.md", &text[..])
            .unwrap();
        let mut l = tar::Header::new_gnu();
        l.set_entry_type(tar::EntryType::Symlink);
        l.set_size(0);
        let at = if link_inside {
            "top/skill/key"
        } else {
            "top/other"
        };
        b.append_link(&mut l, at, "/home/u/.ssh/id_rsa").unwrap();
        b.into_inner().unwrap().finish().unwrap()
    }

    #[test]
    fn only_the_skill_folder_is_taken_and_links_in_it_are_refused() {
        let dest = tempfile::tempdir().unwrap();
        extract(&tarball(false), Path::new("skill"), dest.path()).unwrap();
        assert!(dest.path().join("SKILL.md").is_file());
        assert!(!dest.path().join("other").exists());
        let dest = tempfile::tempdir().unwrap();
        let e = extract(&tarball(true), Path::new("skill"), dest.path()).unwrap_err();
        assert!(e.to_string().contains("skill/key"), "{e}");
        let e = extract(&tarball(false), Path::new("../x"), dest.path()).unwrap_err();
        assert!(e.to_string().contains("without `..`"), "{e}");
    }
}
