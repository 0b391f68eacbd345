//! The proxy tools: `skill_exec_read`, `skill_exec_write`, `skill_exec_delete`,
//! `skill_exec_fetch` and `skill_exec_bash`. Each call names the skill it acts for and is
//! judged against that skill's own declaration ([`spm_core::policy::Policy`]), never a union;
//! every call, allowed or not, goes to `.spm/audit.jsonl`.
//!
//! Files: the path is resolved to its real path (symbolic links followed, `..` collapsed),
//! which must lie in the project and the skill's `file_scope`; the file is then opened with
//! `openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)` from the project root, so a link swapped
//! in after the check fails instead of escaping, and a file with other hard links is refused.
//! Network: http and https only, the host must be declared, every address it resolves to must
//! be public unless named, the connection goes to the checked address, and each redirect is
//! judged again.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock, ErrorData};
use rmcp::{tool, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use spm_client::audit;
use spm_client::project::Project;
use spm_core::policy::{Denial, FileOp, Policy};

use crate::catalog::Installed;
use crate::server::SpmMcp;

/// Largest file `skill_exec_read` returns, and largest content `skill_exec_write` takes.
const MAX_FILE: u64 = 1 << 20;
/// Largest response body `skill_exec_fetch` returns.
const MAX_BODY: usize = 1 << 20;
const FETCH_TIMEOUT: Duration = Duration::from_secs(20);
const MAX_REDIRECTS: usize = 5;

#[derive(Debug, Deserialize, JsonSchema)]
pub struct PathArgs {
    /// The skill this acts for: `author/name`, or its bare name when only one has it.
    pub skill: String,
    /// A path in the project (relative to its root, or absolute inside it).
    pub path: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct WriteArgs {
    /// The skill this acts for: `author/name`, or its bare name when only one has it.
    pub skill: String,
    /// A path in the project (relative to its root, or absolute inside it).
    pub path: String,
    /// The whole new content of the file (UTF-8).
    pub content: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct FetchArgs {
    /// The skill this acts for: `author/name`, or its bare name when only one has it.
    pub skill: String,
    /// An http or https URL on a host the skill declares.
    pub url: String,
    /// GET (default), POST, PUT, PATCH, DELETE or HEAD.
    #[serde(default)]
    pub method: Option<String>,
    /// Request headers.
    #[serde(default)]
    pub headers: Option<std::collections::BTreeMap<String, String>>,
    /// Request body (UTF-8).
    #[serde(default)]
    pub body: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct BashArgs {
    /// The skill this acts for: `author/name`, or its bare name when only one has it.
    pub skill: String,
    /// The command, run by `bash -c` in the project root.
    pub command: String,
    /// Wall-clock limit in milliseconds (default 30000, at most 600000).
    #[serde(default)]
    pub timeout_ms: Option<u64>,
}

/// One judged call, for the audit log and the answer.
struct Call {
    project: Project,
    skill: String,
    tool: &'static str,
    target: String,
}

impl Call {
    fn log(&self, verdict: &str, reason: &str) {
        record(
            &self.project,
            &self.skill,
            self.tool,
            &self.target,
            verdict,
            reason,
        );
    }

    fn denied(&self, why: impl Into<String>) -> CallToolResult {
        let why = why.into();
        self.log("denied", &why);
        CallToolResult::error(vec![ContentBlock::text(format!("denied: {why}"))])
    }

    fn denial(&self, d: Denial) -> CallToolResult {
        self.denied(d.to_string())
    }

    fn allowed(&self, text: String) -> CallToolResult {
        self.log("allowed", "");
        CallToolResult::success(vec![ContentBlock::text(text)])
    }

    fn failed(&self, why: impl Into<String>) -> CallToolResult {
        let why = why.into();
        self.log("allowed", &format!("failed: {why}"));
        CallToolResult::error(vec![ContentBlock::text(why)])
    }
}

/// Appends one decision to the project's audit log (a failure to write is said on stderr).
pub(crate) fn record(
    project: &Project,
    skill: &str,
    tool: &str,
    target: &str,
    verdict: &str,
    reason: &str,
) {
    let entry = audit::Entry {
        time: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        skill: skill.into(),
        tool: tool.into(),
        target: target.into(),
        verdict: verdict.into(),
        reason: reason.into(),
    };
    if let Err(e) = audit::append(project, &entry) {
        eprintln!("spm mcp: cannot write the audit log: {e:#}");
    }
}

/// The address to connect to for `host`: every one it resolved to must pass the policy
/// (a special-purpose address only when named); the first is used.
pub(crate) fn pick_address(
    policy: &Policy,
    host: &str,
    addrs: &[std::net::SocketAddr],
) -> Result<std::net::SocketAddr, String> {
    for a in addrs {
        policy
            .judge_address(host, a.ip())
            .map_err(|d| d.to_string())?;
    }
    addrs
        .first()
        .copied()
        .ok_or_else(|| format!("{host} resolves to no address"))
}

/// The project root the proxy tools act in, canonical.
fn root_of(project: &Project) -> Result<PathBuf, String> {
    std::fs::canonicalize(&project.root).map_err(|e| {
        format!(
            "cannot resolve the project root {}: {e}",
            project.root.display()
        )
    })
}

/// The real path of `path` relative to `root` (canonical), and whether it exists. For a path
/// that does not exist yet (a write), its folder must.
fn real_relative(root: &Path, path: &str, must_exist: bool) -> Result<String, String> {
    if path.is_empty() || path.contains('\0') {
        return Err("the path is empty or holds a NUL".into());
    }
    let joined = if Path::new(path).is_absolute() {
        PathBuf::from(path)
    } else {
        root.join(path)
    };
    let real = match std::fs::canonicalize(&joined) {
        Ok(r) => r,
        Err(_) if !must_exist => {
            let name = joined
                .file_name()
                .filter(|n| *n != ".." && *n != ".")
                .ok_or_else(|| format!("`{path}` does not name a file"))?;
            let parent = joined
                .parent()
                .ok_or_else(|| format!("`{path}` has no folder"))?;
            std::fs::canonicalize(parent)
                .map_err(|_| format!("the folder of `{path}` does not exist"))?
                .join(name)
        }
        Err(e) => return Err(format!("`{path}`: {e}")),
    };
    let rel = real.strip_prefix(root).map_err(|_| {
        format!(
            "`{path}` is {} once links and `..` are resolved, outside the project ({})",
            real.display(),
            root.display()
        )
    })?;
    let rel = rel.to_string_lossy().replace('\\', "/");
    if rel.is_empty() {
        return Err(format!("`{path}` is the project folder itself, not a file"));
    }
    Ok(rel)
}

/// Opens `rel` beneath `root` with no symbolic link anywhere on the way (they were resolved
/// before the check, so one now means a swap), and refuses a file with other hard links.
#[cfg(target_os = "linux")]
fn open_beneath(root: &Path, rel: &str, op: FileOp) -> Result<std::fs::File, String> {
    use rustix::fs::{Mode, OFlags, ResolveFlags, openat2};
    let dir =
        std::fs::File::open(root).map_err(|e| format!("cannot open the project root: {e}"))?;
    // No O_TRUNC: a file is emptied only after the checks pass. O_NONBLOCK: a FIFO does not
    // hang the open (it is then refused as not a regular file).
    let flags = match op {
        FileOp::Read | FileOp::Delete => OFlags::RDONLY | OFlags::NONBLOCK,
        FileOp::Write => OFlags::WRONLY | OFlags::CREATE | OFlags::NONBLOCK,
    } | OFlags::NOFOLLOW
        | OFlags::CLOEXEC;
    // A mode only with O_CREAT: openat2 refuses one otherwise.
    let mode = if op == FileOp::Write {
        Mode::from_raw_mode(0o644)
    } else {
        Mode::empty()
    };
    let fd = openat2(
        &dir,
        rel,
        flags,
        mode,
        ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS,
    )
    .map_err(|e| format!("`{rel}` cannot be opened beneath the project without links ({e})"))?;
    let file = std::fs::File::from(fd);
    check_file(&file, rel)?;
    if op == FileOp::Write {
        file.set_len(0)
            .map_err(|e| format!("cannot truncate `{rel}`: {e}"))?;
    }
    Ok(file)
}

/// Removes `rel` through its folder opened beneath the root without links, so a folder
/// swapped for a link after the check is not followed.
#[cfg(target_os = "linux")]
fn unlink_beneath(root: &Path, rel: &str) -> Result<(), String> {
    use rustix::fs::{AtFlags, Mode, OFlags, ResolveFlags, openat2, unlinkat};
    let (dir_rel, name) = rel.rsplit_once('/').unwrap_or((".", rel));
    let rootfd =
        std::fs::File::open(root).map_err(|e| format!("cannot open the project root: {e}"))?;
    let dir = openat2(
        &rootfd,
        dir_rel,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
        ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS,
    )
    .map_err(|e| format!("`{dir_rel}` cannot be opened beneath the project without links ({e})"))?;
    unlinkat(&dir, name, AtFlags::empty()).map_err(|e| format!("cannot delete {rel}: {e}"))
}

#[cfg(not(target_os = "linux"))]
fn unlink_beneath(root: &Path, rel: &str) -> Result<(), String> {
    std::fs::remove_file(root.join(rel)).map_err(|e| format!("cannot delete {rel}: {e}"))
}

/// Elsewhere: the checks above, then an ordinary open that does not follow a final link.
#[cfg(not(target_os = "linux"))]
fn open_beneath(root: &Path, rel: &str, op: FileOp) -> Result<std::fs::File, String> {
    let path = root.join(rel);
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(format!("`{rel}` is a symbolic link"));
    }
    let file = match op {
        FileOp::Write => std::fs::File::create(&path),
        _ => std::fs::File::open(&path),
    }
    .map_err(|e| format!("cannot open `{rel}`: {e}"))?;
    check_file(&file, rel)?;
    Ok(file)
}

fn check_file(file: &std::fs::File, rel: &str) -> Result<(), String> {
    let meta = file.metadata().map_err(|e| format!("`{rel}`: {e}"))?;
    if !meta.is_file() {
        return Err(format!("`{rel}` is not a regular file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(format!(
                "`{rel}` has {} hard links; spm does not touch files linked from elsewhere",
                meta.nlink()
            ));
        }
    }
    Ok(())
}

impl SpmMcp {
    /// The skill, its policy and the call record, or the answer that refuses the call.
    fn judged(
        &self,
        name: &str,
        tool: &'static str,
        target: &str,
    ) -> Result<(Call, Policy, Installed), CallToolResult> {
        let project = self
            .options
            .roots
            .iter()
            .find(|(_, s)| *s == crate::catalog::Scope::Project)
            .map(|(p, _)| p.clone());
        let Some(project) = project else {
            return Err(CallToolResult::error(vec![ContentBlock::text(
                "the proxy tools act in a project; start spm mcp in one (not with --global)",
            )]));
        };
        let mut call = Call {
            project,
            skill: name.to_string(),
            tool,
            target: target.to_string(),
        };
        let catalog = self.catalog();
        let skill = match catalog.find(name) {
            Ok(s) => s.clone(),
            Err(e) => return Err(call.denied(e.to_string())),
        };
        call.skill = format!("{}@{}", skill.id, skill.version);
        match Policy::from_manifest(&call.skill, &skill.manifest) {
            Ok(p) => Ok((call, p, skill)),
            Err(e) => Err(call.denied(e.to_string())),
        }
    }

    fn file_call(
        &self,
        op: FileOp,
        tool: &'static str,
        args: &PathArgs,
        content: Option<&str>,
    ) -> CallToolResult {
        let (call, policy, _) = match self.judged(&args.skill, tool, &args.path) {
            Ok(j) => j,
            Err(r) => return r,
        };
        let root = match root_of(&call.project) {
            Ok(r) => r,
            Err(e) => return call.failed(e),
        };
        let rel = match real_relative(&root, &args.path, op != FileOp::Write) {
            Ok(r) => r,
            Err(why) => return call.denied(why),
        };
        if let Err(d) = policy.judge_file(op, &rel) {
            return call.denial(d);
        }
        match op {
            FileOp::Read => {
                let file = match open_beneath(&root, &rel, op) {
                    Ok(f) => f,
                    Err(why) => return call.denied(why),
                };
                let mut bytes = Vec::new();
                use std::io::Read;
                if let Err(e) = file.take(MAX_FILE + 1).read_to_end(&mut bytes) {
                    return call.failed(format!("cannot read {rel}: {e}"));
                }
                if bytes.len() as u64 > MAX_FILE {
                    return call.failed(format!("{rel} is larger than {MAX_FILE} bytes"));
                }
                match String::from_utf8(bytes) {
                    Ok(text) => call.allowed(text),
                    Err(e) => {
                        call.failed(format!("{rel} is binary ({} bytes)", e.as_bytes().len()))
                    }
                }
            }
            FileOp::Write => {
                let content = content.unwrap_or_default();
                if content.len() as u64 > MAX_FILE {
                    return call.failed(format!("the content is larger than {MAX_FILE} bytes"));
                }
                let mut file = match open_beneath(&root, &rel, op) {
                    Ok(f) => f,
                    Err(why) => return call.denied(why),
                };
                use std::io::Write;
                match file.write_all(content.as_bytes()) {
                    Ok(()) => call.allowed(format!("wrote {} bytes to {rel}", content.len())),
                    Err(e) => call.failed(format!("cannot write {rel}: {e}")),
                }
            }
            FileOp::Delete => {
                // Opened first: the same no-link, beneath-the-root resolution as a read.
                if let Err(why) = open_beneath(&root, &rel, FileOp::Delete) {
                    return call.denied(why);
                }
                match unlink_beneath(&root, &rel) {
                    Ok(()) => call.allowed(format!("deleted {rel}")),
                    Err(e) => call.failed(e),
                }
            }
        }
    }

    async fn fetch_call(&self, args: FetchArgs) -> CallToolResult {
        let (call, policy, _) = match self.judged(&args.skill, "skill_exec_fetch", &args.url) {
            Ok(j) => j,
            Err(r) => return r,
        };
        let method = args.method.as_deref().unwrap_or("GET").to_ascii_uppercase();
        let Ok(method) = reqwest_method(&method) else {
            return call.failed(format!("`{method}` is not a method spm sends"));
        };
        let mut url = match url::Url::parse(&args.url) {
            Ok(u) => u,
            Err(e) => return call.denied(format!("`{}` is not a URL: {e}", args.url)),
        };
        let body = args.body.unwrap_or_default();
        if body.len() > MAX_BODY {
            return call.failed(format!("the body is larger than {MAX_BODY} bytes"));
        }
        for hop in 0..=MAX_REDIRECTS {
            let (host, addr) = match check_url(&policy, &url).await {
                Ok(v) => v,
                Err(why) if hop > 0 => return call.denied(format!("the redirect to {url}: {why}")),
                Err(why) => return call.denied(why),
            };
            let client = match reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(FETCH_TIMEOUT)
                .resolve(&host, addr)
                .no_proxy()
                .build()
            {
                Ok(c) => c,
                Err(e) => return call.failed(format!("cannot make an HTTP client: {e}")),
            };
            let mut req = client.request(method.clone(), url.clone());
            // The Host header is the checked host's, never the caller's.
            let headers = args.headers.iter().flatten();
            for (k, v) in headers.filter(|(k, _)| !k.eq_ignore_ascii_case("host")) {
                req = req.header(k, v);
            }
            if !body.is_empty() {
                req = req.body(body.clone());
            }
            let resp = match req.send().await {
                Ok(r) => r,
                Err(e) => return call.failed(format!("{url}: {e}")),
            };
            if resp.status().is_redirection()
                && let Some(loc) = resp.headers().get("location").and_then(|l| l.to_str().ok())
            {
                match url.join(loc) {
                    Ok(next) => {
                        // Each hop is recorded, and judged again before it is followed.
                        call.log("allowed", &format!("{} redirects to {next}", resp.status()));
                        url = next;
                        continue;
                    }
                    Err(e) => return call.failed(format!("a bad redirect `{loc}`: {e}")),
                }
            }
            let status = resp.status();
            let mut out = Vec::new();
            let mut cut = false;
            let mut resp = resp;
            loop {
                match resp.chunk().await {
                    Ok(Some(c)) => {
                        out.extend_from_slice(&c);
                        if out.len() > MAX_BODY {
                            out.truncate(MAX_BODY);
                            cut = true;
                            break;
                        }
                    }
                    Ok(None) => break,
                    Err(e) => return call.failed(format!("{url}: {e}")),
                }
            }
            let note = if cut {
                format!(" (the body passed {MAX_BODY} bytes and was cut there)")
            } else {
                String::new()
            };
            return call.allowed(format!(
                "HTTP {status} from {url}{note}\n\n{}",
                String::from_utf8_lossy(&out)
            ));
        }
        call.failed(format!("more than {MAX_REDIRECTS} redirects"))
    }
}

/// Most entries [`marks`] looks at; past it, the shell is refused (fail closed).
const MARK_BUDGET: usize = 500_000;

/// What the shell must not see or change inside the project, found by walking it: secrets
/// and files with hard links outside the project are masked (an empty stand-in is mounted
/// over each; a file all of whose links are inside, like Cargo's and pnpm's, is not), and
/// version-control, agent and editor settings inside a writable folder are frozen (mounted
/// read-only; secrets inside them are masked too). A mount point cannot be renamed, removed
/// or linked, so neither can be moved out of the way while the command runs. (A symbolic
/// link is harmless: Landlock judges the path it leads to, and a masked target stays masked.)
fn marks(root: &Path, writable: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<PathBuf>), String> {
    let (mut masked, mut frozen) = (Vec::new(), Vec::new());
    // Files with several links: (device, inode) -> (links, the paths seen).
    let mut linked: std::collections::HashMap<(u64, u64), (u64, Vec<PathBuf>)> =
        std::collections::HashMap::new();
    let mut budget = MARK_BUDGET;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        // What cannot be walked is masked whole (fail closed).
        let Ok(entries) = std::fs::read_dir(&dir) else {
            masked.push(dir);
            continue;
        };
        for entry in entries.flatten() {
            if budget == 0 {
                return Err(format!(
                    "the project holds more than {MARK_BUDGET} files and folders, too many to check for secrets before running a command"
                ));
            }
            budget -= 1;
            let path = entry.path();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                masked.push(path);
                continue;
            };
            let name = entry.file_name().to_string_lossy().into_owned();
            if spm_core::policy::secret_part(&name).is_some() {
                masked.push(path);
                continue;
            }
            #[cfg(unix)]
            if meta.is_file() && std::os::unix::fs::MetadataExt::nlink(&meta) > 1 {
                use std::os::unix::fs::MetadataExt;
                let seen = linked
                    .entry((meta.dev(), meta.ino()))
                    .or_insert_with(|| (meta.nlink(), Vec::new()));
                seen.1.push(path.clone());
            }
            if spm_core::policy::protected_part(&name).is_some()
                && writable.iter().any(|w| path.starts_with(w))
            {
                frozen.push(path.clone());
            }
            if meta.is_dir() {
                stack.push(path);
            }
        }
    }
    // A file with a link outside the project (a key, another project's file) is masked.
    for (links, paths) in linked.into_values() {
        if (paths.len() as u64) < links {
            masked.extend(paths);
        }
    }
    Ok((masked, frozen))
}

/// The confinement for one shell command of this skill: the project readable except secrets
/// and hard-linked files; writable only where its `file:write` and `file_scope` allow, never
/// its settings; removable only with `file:delete`.
fn bash_spec(
    policy: &Policy,
    root: &Path,
    command: &str,
    scratch: &Path,
) -> Result<spm_sandbox::Spec, String> {
    let read_write: Vec<PathBuf> = if !policy.may_write() {
        Vec::new()
    } else if policy.scope.is_empty() {
        // The whole project, entry by entry: the root itself is not granted, so no new
        // top-level entry (a `.claude/`, a `CLAUDE.md`, a `.mcp.json`) can be created where
        // agents look for settings and instructions. (Links are never granted by themselves.)
        std::fs::read_dir(root)
            .map_err(|e| format!("cannot list the project root: {e}"))?
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| !t.is_symlink()))
            .map(|e| e.path())
            .collect()
    } else {
        policy
            .scope
            .iter()
            .filter_map(|g| {
                // A folder the shell may write anything in: `dir`, `dir/**` or `dir/**/*`.
                // Other patterns (`**/*.md`, `src/*.rs`) give the shell no folder to write
                // in, since a folder grant would allow every file in it.
                let parts: Vec<&str> = g.split('/').collect();
                let wild = parts
                    .iter()
                    .position(|part| part.contains(['*', '?', '[', '{']))
                    .unwrap_or(parts.len());
                let (literal, rest) = parts.split_at(wild);
                if !matches!(rest, [] | ["**"] | ["**", "*"])
                    || literal.is_empty()
                    || literal.iter().any(|p| matches!(*p, "" | "." | ".."))
                {
                    return None;
                }
                // Its real path, links resolved, must still be inside the project, and be a
                // place the skill may write (a link cannot lead the scope into `.git/hooks`).
                let real = std::fs::canonicalize(root.join(literal.join("/"))).ok()?;
                let rel = real.strip_prefix(root).ok()?.to_str()?.to_string();
                (real != root && real.is_dir() && policy.may_write_in(&rel)).then_some(real)
            })
            .collect()
    };
    let (masked, frozen) = marks(root, &read_write)?;
    Ok(spm_sandbox::Spec {
        root: root.to_path_buf(),
        command: command.to_string(),
        read_only: vec![root.to_path_buf()],
        read_write,
        delete: policy.may_delete(),
        masked,
        frozen,
        scratch: scratch.to_path_buf(),
        limits: spm_sandbox::Limits::default(),
        proxy: None,
    })
}

fn reqwest_method(m: &str) -> Result<reqwest::Method, ()> {
    match m {
        "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" => m.parse().map_err(|_| ()),
        _ => Err(()),
    }
}

/// The host and the one address to connect to, once the URL, the host and every address it
/// resolves to pass the skill's policy.
async fn check_url(
    policy: &Policy,
    url: &url::Url,
) -> Result<(String, std::net::SocketAddr), String> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!(
            "only http and https URLs are fetched, not `{}:`",
            url.scheme()
        ));
    }
    let host = match url.host() {
        Some(url::Host::Domain(d)) => d.to_string(),
        Some(url::Host::Ipv4(ip)) => ip.to_string(),
        Some(url::Host::Ipv6(ip)) => ip.to_string(),
        None => return Err(format!("`{url}` names no host")),
    };
    let port = url.port_or_known_default().unwrap_or(80);
    policy
        .judge_host(&host, url.port_or_known_default())
        .map_err(|d| d.to_string())?;
    let addrs: Vec<std::net::SocketAddr> = tokio::net::lookup_host((host.as_str(), port))
        .await
        .map_err(|e| format!("cannot resolve {host}: {e}"))?
        .collect();
    let addr = pick_address(policy, &host, &addrs)?;
    Ok((host, addr))
}

#[tool_router(router = exec_router, vis = "pub(crate)")]
impl SpmMcp {
    #[tool(
        description = "Read a project file for a skill, if that skill declares file:read and the file is in its file_scope. Name the skill; it is judged by its own permissions."
    )]
    pub async fn skill_exec_read(
        &self,
        Parameters(args): Parameters<PathArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        Ok(self.file_call(FileOp::Read, "skill_exec_read", &args, None))
    }

    #[tool(
        description = "Write a project file for a skill, if that skill declares file:write and the file is in its file_scope."
    )]
    pub async fn skill_exec_write(
        &self,
        Parameters(args): Parameters<WriteArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let path = PathArgs {
            skill: args.skill,
            path: args.path,
        };
        Ok(self.file_call(
            FileOp::Write,
            "skill_exec_write",
            &path,
            Some(&args.content),
        ))
    }

    #[tool(
        description = "Delete a project file for a skill, if that skill declares file:delete and the file is in its file_scope."
    )]
    pub async fn skill_exec_delete(
        &self,
        Parameters(args): Parameters<PathArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        Ok(self.file_call(FileOp::Delete, "skill_exec_delete", &args, None))
    }

    #[tool(
        description = "Make an HTTP request for a skill, if that skill declares network:<host> for the URL's host. Redirects are judged again; private and metadata addresses are refused."
    )]
    pub async fn skill_exec_fetch(
        &self,
        Parameters(args): Parameters<FetchArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        Ok(self.fetch_call(args).await)
    }

    #[tool(
        description = "Run a shell command for a skill, if that skill declares bash:execute, inside an operating-system sandbox built from its permissions."
    )]
    pub async fn skill_exec_bash(
        &self,
        Parameters(args): Parameters<BashArgs>,
    ) -> Result<CallToolResult, ErrorData> {
        let (call, policy, _) = match self.judged(&args.skill, "skill_exec_bash", &args.command) {
            Ok(j) => j,
            Err(r) => return Ok(r),
        };
        if let Err(d) = policy.judge_bash() {
            return Ok(call.denial(d));
        }
        let root = match root_of(&call.project) {
            Ok(r) => r,
            Err(e) => return Ok(call.failed(e)),
        };
        let scratch = match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => return Ok(call.failed(format!("cannot make a scratch folder: {e}"))),
        };
        let mut spec = match bash_spec(&policy, &root, &args.command, scratch.path()) {
            Ok(spec) => spec,
            Err(why) => return Ok(call.failed(why)),
        };
        // Declared hosts: the command's only way out is spm's allow-listing proxy.
        #[cfg(unix)]
        let proxy = match &policy.network {
            spm_core::policy::Network::Hosts(_) => {
                let acting = crate::proxy::Acting {
                    policy: std::sync::Arc::new(policy.clone()),
                    project: call.project.clone(),
                };
                match crate::proxy::start(scratch.path(), acting) {
                    Ok(p) => {
                        spec.proxy = Some(p.socket.clone());
                        Some(p)
                    }
                    Err(e) => {
                        return Ok(call.failed(format!("cannot start the network proxy: {e}")));
                    }
                }
            }
            spm_core::policy::Network::Off => None,
        };
        let timeout = Duration::from_millis(args.timeout_ms.unwrap_or(30_000).clamp(100, 600_000));
        let exe = match self
            .options
            .sandbox_exe
            .clone()
            .map_or_else(std::env::current_exe, Ok)
        {
            Ok(e) => e,
            Err(e) => return Ok(call.failed(format!("cannot find the spm binary: {e}"))),
        };
        let unsafe_ok = self.options.unsafe_no_sandbox;
        let ran =
            tokio::task::spawn_blocking(move || match spm_sandbox::run(&exe, &spec, timeout) {
                Err(spm_sandbox::SandboxError::Unavailable(why)) if unsafe_ok => {
                    spm_sandbox::run_unconfined(&spec, timeout).map(|o| (o, Some(why)))
                }
                other => other.map(|o| (o, None)),
            })
            .await;
        let (outcome, unconfined) = match ran {
            Ok(Ok(o)) => o,
            // Never unconfined unless the user said so: no sandbox, no shell.
            Ok(Err(e @ spm_sandbox::SandboxError::Unavailable(_))) => {
                return Ok(call.denied(format!(
                    "{e}; spm never runs shell commands unconfined (unless started with --unsafe-no-sandbox)"
                )));
            }
            Ok(Err(e)) => return Ok(call.failed(e.to_string())),
            Err(e) => return Ok(call.failed(format!("the sandbox task failed: {e}"))),
        };
        let mut text = String::new();
        if let Some(why) = &unconfined {
            text.push_str(&format!(
                "WARNING: this command ran WITHOUT a sandbox ({why}), because spm mcp was started with --unsafe-no-sandbox; the skill's permissions were not enforced for it\n"
            ));
        }
        text.push_str(&match outcome.code {
            Some(c) => format!("exit code {c}\n"),
            None if outcome.timed_out => format!(
                "stopped after {} ms (the time limit)\n",
                timeout.as_millis()
            ),
            None => "ended by a signal (a resource limit)\n".to_string(),
        });
        if outcome.truncated {
            text.push_str(
                "the output passed its cap; the command was stopped and the rest dropped\n",
            );
        }
        #[cfg(unix)]
        drop(proxy);
        text.push_str(&format!(
            "--- stdout ---\n{}\n--- stderr ---\n{}",
            outcome.stdout, outcome.stderr
        ));
        if let Some(why) = unconfined {
            call.log(
                "allowed",
                &format!("UNSAFE: ran without a sandbox (--unsafe-no-sandbox; {why})"),
            );
            return Ok(CallToolResult::success(vec![ContentBlock::text(text)]));
        }
        // The kernel refuses inside the command, so the refusal reaches the command as an
        // errno; name what was refused and the line that would allow it, and record it.
        if outcome.code != Some(0)
            && let Some(refusal) = sandbox_refusal(&outcome.stderr)
        {
            let fix = refused_path(&outcome.stderr, &root)
                .and_then(|(rel, op)| policy.judge_file(op, &rel).err())
                .map_or_else(
                    || format!(
                        "skill {} may only do this: {}; if it truly needs more, its SKILL.md must declare it (`file:write` with a `file_scope:` entry for writes, `file:delete` for removals, `network:<host>` for a host)",
                        policy.skill,
                        policy.summary()
                    ),
                    |d| d.to_string(),
                );
            text.push_str(&format!(
                "\n--- spm ---\nthe sandbox refused an access (`{refusal}`): {fix}"
            ));
            call.log(
                "denied",
                &format!("the sandbox refused an access ({refusal}): {fix}"),
            );
            return Ok(CallToolResult::success(vec![ContentBlock::text(text)]));
        }
        Ok(call.allowed(text))
    }
}

/// The project path a refused write names in a shell's error (`bash: line 1: notes/x:
/// Read-only file system`), relative to the project root, with what was refused.
fn refused_path(stderr: &str, root: &Path) -> Option<(String, FileOp)> {
    for line in stderr.lines() {
        for (marker, op) in [
            (": Read-only file system", FileOp::Write),
            (": Permission denied", FileOp::Write),
        ] {
            let Some(head) = line
                .strip_suffix(marker)
                .or_else(|| line.split_once(marker).map(|(h, _)| h))
            else {
                continue;
            };
            // The path is the last `: `-separated part, possibly quoted (`cp: cannot create
            // regular file 'notes/x'`).
            let raw = head.rsplit(": ").next().unwrap_or(head);
            let raw = raw
                .rsplit(' ')
                .next()
                .unwrap_or(raw)
                .trim_matches(['\'', '"', '`']);
            let path = Path::new(raw);
            let rel = if path.is_absolute() {
                path.strip_prefix(root).ok()?.to_string_lossy().into_owned()
            } else {
                raw.trim_start_matches("./").to_string()
            };
            if !rel.is_empty() && !rel.starts_with("..") {
                return Some((rel, op));
            }
        }
    }
    None
}

/// The error text in a command's stderr that shows the sandbox refused it something.
fn sandbox_refusal(stderr: &str) -> Option<&'static str> {
    [
        "Permission denied",
        "Read-only file system",
        "Operation not permitted",
        "Network is unreachable",
        "Could not resolve host",
        "Temporary failure in name resolution",
    ]
    .into_iter()
    .find(|e| stderr.contains(e))
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// The race the checks cannot see: a folder on a checked path is swapped for a link to
    /// elsewhere between the check and the open. The open fails instead of following it.
    #[test]
    fn a_link_swapped_in_after_the_check_is_not_followed() {
        let base = tempfile::tempdir().unwrap();
        let root = base.path().join("project");
        std::fs::create_dir_all(root.join("notes")).unwrap();
        std::fs::write(root.join("notes/a.md"), "mine").unwrap();
        let elsewhere = base.path().join("elsewhere");
        std::fs::create_dir_all(&elsewhere).unwrap();
        std::fs::write(elsewhere.join("a.md"), "secret").unwrap();
        let root = std::fs::canonicalize(&root).unwrap();
        let rel = real_relative(&root, "notes/a.md", true).unwrap();
        assert_eq!(rel, "notes/a.md");
        // The swap.
        std::fs::rename(root.join("notes"), root.join("notes-old")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, root.join("notes")).unwrap();
        for op in [FileOp::Read, FileOp::Write, FileOp::Delete] {
            let e = open_beneath(&root, &rel, op).unwrap_err();
            assert!(e.contains("without links"), "{op:?}: {e}");
        }
        assert_eq!(
            std::fs::read_to_string(elsewhere.join("a.md")).unwrap(),
            "secret"
        );
    }
}
