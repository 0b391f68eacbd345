//! `spm-sandbox`: one shell command run for a skill under operating-system confinement built
//! from that skill's declaration. Linux only; elsewhere [`available`] says why not, and the
//! caller refuses (never runs unconfined).
//!
//! The confinement is entered by re-executing `spm` with a hidden subcommand (`spm
//! __sandbox`), so it applies to a fresh single-threaded process before `bash` starts:
//! - a new user, network and PID namespace: no network at all (only the namespace's own
//!   loopback, where, for a skill that declares hosts, a forwarder relays `127.0.0.1:3128` to
//!   the caller's allow-listing proxy), and when the run ends or is killed every process it
//!   started ends too (fork bombs included);
//! - Landlock: the system folders read-only, the project's own top-level entries read-only
//!   except secret files, writes only in the folders the skill's `file_scope` allows (and a
//!   private temporary folder that is `HOME` and `TMPDIR`), no TCP connect or bind, no
//!   signals or abstract sockets outside;
//! - a new mount namespace: empty tmpfs over every top-level folder that is not a system
//!   folder (`/home`, `/root`, `/tmp`, `/var`, `/run`, …) and over `/dev/shm`, with only the
//!   project and the scratch folder mounted back, so the Unix sockets elsewhere (Docker,
//!   D-Bus, ssh-agent, tmux, another call's proxy), which Landlock does not cover, cannot be
//!   reached;
//! - rlimits: CPU time, address space, file size, open files, processes;
//! - in the parent: a wall-clock timeout that kills the whole process group, and caps on
//!   the output kept.
//!
//! Limits and setup live here, in one small module, as Spin keeps them.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// The hidden subcommand that enters the sandbox.
pub const ENTER: &str = "__sandbox";

/// The exit code of the confined side when it could not confine itself (nothing ran).
pub const ENTER_FAILED: i32 = 125;

/// Resource limits for one command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    pub cpu_seconds: u64,
    pub memory_bytes: u64,
    pub file_bytes: u64,
    pub open_files: u64,
    /// Processes the command may run at once (counted in its own user namespace).
    pub processes: u64,
    /// Bytes of stdout and of stderr kept (the rest is dropped and the command killed).
    pub output_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            cpu_seconds: 30,
            memory_bytes: 1 << 30,
            file_bytes: 64 << 20,
            open_files: 256,
            processes: 256,
            output_bytes: 256 << 10,
        }
    }
}

/// What one run may touch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    /// The project root: the working directory.
    pub root: PathBuf,
    pub command: String,
    /// Read-only paths (files or folders) besides the system folders.
    pub read_only: Vec<PathBuf>,
    /// Folders (or files) the command may write in.
    pub read_write: Vec<PathBuf>,
    /// Whether it may also remove files and folders in `read_write` (`file:delete`).
    #[serde(default)]
    pub delete: bool,
    /// Paths inside `root` covered by an empty, read-only stand-in (secrets, files with
    /// other hard links).
    #[serde(default)]
    pub masked: Vec<PathBuf>,
    /// Paths inside `root` mounted read-only (settings inside a writable folder).
    #[serde(default)]
    pub frozen: Vec<PathBuf>,
    /// A private folder: `HOME` and `TMPDIR`, writable.
    pub scratch: PathBuf,
    pub limits: Limits,
    /// A Unix socket where the caller's allow-listing HTTP(S) proxy listens. When set, the
    /// command's only way out is `http://127.0.0.1:3128` inside its namespace (as
    /// `HTTP_PROXY`/`HTTPS_PROXY`), forwarded to that socket; nothing else is reachable.
    #[serde(default)]
    pub proxy: Option<PathBuf>,
}

/// The port the proxy answers on inside the sandbox's network namespace.
pub const PROXY_PORT: u16 = 3128;

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The exit code, or `None` when a signal or the timeout ended it.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub timed_out: bool,
    /// Output went past the cap; the command was stopped.
    pub truncated: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("shell commands cannot be sandboxed here: {0}")]
    Unavailable(String),
    #[error("cannot start the sandbox: {0}")]
    Start(String),
}

/// System folders a shell needs to read.
const SYSTEM: &[&str] = &[
    "/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/etc", "/opt", "/proc", "/sys", "/dev",
];

/// Whether this machine can confine a command, or why not. `SPM_SANDBOX=off` makes it say
/// no (for a host whose confinement is known to be broken, and to test the refusal).
pub fn available() -> Result<(), SandboxError> {
    if std::env::var("SPM_SANDBOX").is_ok_and(|v| v == "off") {
        return Err(SandboxError::Unavailable(
            "the sandbox is turned off (SPM_SANDBOX=off)".into(),
        ));
    }
    imp::available()
}

/// Runs `spec` confined: re-executes `exe` (the `spm` binary) as `exe __sandbox` with the spec
/// on stdin, waits at most `timeout`, and keeps at most the output caps.
pub fn run(exe: &Path, spec: &Spec, timeout: Duration) -> Result<Outcome, SandboxError> {
    available()?;
    let json = serde_json::to_vec(spec).map_err(|e| SandboxError::Start(e.to_string()))?;
    let mut cmd = Command::new(exe);
    cmd.arg(ENTER);
    supervise(cmd, spec, &json, timeout)
}

/// Runs `spec.command` with NO confinement, only the timeout, the process group and the
/// output caps: what `spm mcp --unsafe-no-sandbox` does where [`available`] fails. The
/// caller says so loudly and records it.
pub fn run_unconfined(spec: &Spec, timeout: Duration) -> Result<Outcome, SandboxError> {
    let mut cmd = Command::new("/bin/bash");
    cmd.args(["--noprofile", "--norc", "-c", &spec.command]);
    supervise(cmd, spec, &[], timeout)
}

/// Starts `cmd` in its own process group with a clean environment, feeds it `stdin`, and
/// waits at most `timeout` keeping at most the output caps.
fn supervise(
    mut cmd: Command,
    spec: &Spec,
    stdin: &[u8],
    timeout: Duration,
) -> Result<Outcome, SandboxError> {
    let json = stdin;
    cmd.current_dir(&spec.root)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", &spec.scratch)
        .env("TMPDIR", &spec.scratch)
        .env("LANG", "C.UTF-8")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    imp::own_process_group(&mut cmd);
    let mut child = cmd
        .spawn()
        .map_err(|e| SandboxError::Start(e.to_string()))?;
    if let Some(mut stdin) = child.stdin.take() {
        use std::io::Write;
        stdin
            .write_all(json)
            .map_err(|e| SandboxError::Start(e.to_string()))?;
    }
    let cap = spec.limits.output_bytes;
    let out = child.stdout.take().map(|s| capped(s, cap));
    let err = child.stderr.take().map(|s| capped(s, cap));
    let started = Instant::now();
    let mut timed_out = false;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) => {}
            Err(_) => break None,
        }
        let over = out
            .as_ref()
            .is_some_and(|o| o.1.is_finished() && o.0.load())
            || err
                .as_ref()
                .is_some_and(|e| e.1.is_finished() && e.0.load());
        if started.elapsed() > timeout || over {
            timed_out = started.elapsed() > timeout;
            imp::kill_group(child.id());
            let _ = child.kill();
            break child.wait().ok();
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    // Whatever is left in the group goes too (a background job, a daemon).
    imp::kill_group(child.id());
    let (stdout, t1) = out.map(join).unwrap_or_default();
    let (stderr, t2) = err.map(join).unwrap_or_default();
    // The confined side could not confine itself: nothing ran, and that is a refusal.
    if status.and_then(|s| s.code()) == Some(ENTER_FAILED)
        && let Some(why) = stderr.strip_prefix("spm sandbox: ")
    {
        // A failure to set up (not a missing kernel feature) is never a reason to run
        // unconfined, so it stays a `Start` error.
        return Err(
            match why.trim().strip_prefix("cannot start the sandbox: ") {
                Some(start) => SandboxError::Start(start.to_string()),
                None => SandboxError::Unavailable(why.trim().to_string()),
            },
        );
    }
    Ok(Outcome {
        code: status.and_then(|s| s.code()).filter(|_| !timed_out),
        stdout,
        stderr,
        timed_out,
        truncated: t1 || t2,
    })
}

/// A flag set when a reader stopped at its cap.
#[derive(Clone, Default)]
struct Flag(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Flag {
    fn set(&self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
    fn load(&self) -> bool {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }
}

type Reader = (Flag, std::thread::JoinHandle<Vec<u8>>);

/// Reads at most `cap` bytes on a thread; stops (and sets the flag) when there is more.
fn capped(mut stream: impl Read + Send + 'static, cap: usize) -> Reader {
    let flag = Flag::default();
    let f = flag.clone();
    let handle = std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 8192];
        loop {
            match stream.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    let room = cap.saturating_sub(kept.len());
                    kept.extend_from_slice(&buf[..n.min(room)]);
                    if n > room {
                        f.set();
                        break;
                    }
                }
            }
        }
        kept
    });
    (flag, handle)
}

fn join(r: Reader) -> (String, bool) {
    let bytes = r.1.join().unwrap_or_default();
    (String::from_utf8_lossy(&bytes).into_owned(), r.0.load())
}

/// The child side (`spm __sandbox`): reads the spec from stdin, confines this process, and
/// runs `bash -c`. Returns the exit code to exit with; an error means nothing ran.
pub fn enter() -> Result<i32, SandboxError> {
    let mut json = Vec::new();
    std::io::stdin()
        .read_to_end(&mut json)
        .map_err(|e| SandboxError::Start(format!("cannot read the spec: {e}")))?;
    let spec: Spec =
        serde_json::from_slice(&json).map_err(|e| SandboxError::Start(format!("bad spec: {e}")))?;
    imp::confine(&spec)?;
    // bash runs in the new PID namespace: when the run ends, everything it started ends.
    let mut bash = Command::new("/bin/bash");
    bash.args(["--noprofile", "--norc", "-c", &spec.command])
        .current_dir(&spec.root)
        .stdin(Stdio::null());
    if spec.proxy.is_some() {
        let url = format!("http://127.0.0.1:{PROXY_PORT}");
        for k in ["HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"] {
            bash.env(k, &url);
        }
        bash.env_remove("NO_PROXY").env_remove("no_proxy");
    }
    let status = bash
        .status()
        .map_err(|e| SandboxError::Start(format!("cannot run bash: {e}")))?;
    Ok(status.code().unwrap_or(128 + 9))
}

#[cfg(target_os = "linux")]
mod imp {
    use std::path::Path;

    use landlock::{
        ABI, Access, AccessFs, AccessNet, CompatLevel, Compatible, NetPort, PathBeneath, PathFd,
        Ruleset, RulesetAttr, RulesetCreatedAttr, RulesetError, RulesetStatus, Scope,
    };
    use rustix::process::{Resource, Rlimit, setrlimit};
    use rustix::thread::{UnshareFlags, unshare_unsafe};

    use super::{SYSTEM, SandboxError, Spec};

    const ABI_NEEDED: ABI = ABI::V6;

    pub fn available() -> Result<(), SandboxError> {
        let probe = Ruleset::default()
            .set_compatibility(CompatLevel::HardRequirement)
            .handle_access(AccessFs::from_all(ABI_NEEDED))
            .and_then(|r| r.handle_access(AccessNet::ConnectTcp))
            .and_then(|r| r.scope(Scope::AbstractUnixSocket | Scope::Signal))
            .and_then(|r| r.create());
        probe.map(drop).map_err(|e| {
            SandboxError::Unavailable(format!(
                "the kernel's Landlock does not offer what spm needs (ABI 6: files, TCP and scoping): {e}"
            ))
        })?;
        if !Path::new("/proc/self/ns/user").exists() {
            return Err(SandboxError::Unavailable(
                "the kernel has no user namespaces".into(),
            ));
        }
        Ok(())
    }

    pub fn own_process_group(cmd: &mut std::process::Command) {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }

    pub fn kill_group(pid: u32) {
        if let Some(pid) = rustix::process::Pid::from_raw(pid as i32) {
            let _ = rustix::process::kill_process_group(pid, rustix::process::Signal::KILL);
        }
    }

    /// Brings up the namespace's loopback and forwards `127.0.0.1:PROXY_PORT` to the caller's
    /// proxy socket, from a process forked before Landlock applies (it only relays bytes).
    fn forward_proxy(socket: &Path) -> Result<(), SandboxError> {
        use std::io::{Read, Write};
        // The forwarder is forked first, so it is the first process of the new PID namespace
        // (the namespace lives as long as it does; a process that unshared it cannot start
        // threads, and its first child must outlive the others). It brings the loopback up,
        // listens, says it is ready, and relays.
        let (mut ready_rx, mut ready_tx) = std::os::unix::net::UnixStream::pair()
            .map_err(|e| SandboxError::Start(format!("cannot start the proxy forwarder: {e}")))?;
        // SAFETY: this process is single-threaded, so the child may run any code.
        match unsafe { libc::fork() } {
            -1 => Err(SandboxError::Start(format!(
                "cannot start the proxy forwarder: {}",
                std::io::Error::last_os_error()
            ))),
            0 => {
                drop(ready_rx);
                if let Err(e) = loopback_up() {
                    let _ = ready_tx.write_all(
                        format!(
                            "cannot bring up the sandbox's loopback for the network proxy: {e}"
                        )
                        .as_bytes(),
                    );
                    std::process::exit(1);
                }
                let listener = match std::net::TcpListener::bind(("127.0.0.1", super::PROXY_PORT)) {
                    Ok(l) => l,
                    Err(e) => {
                        let _ = ready_tx
                            .write_all(format!("cannot listen for the proxy: {e}").as_bytes());
                        std::process::exit(1);
                    }
                };
                let _ = ready_tx.write_all(b"ok");
                drop(ready_tx);
                for conn in listener.incoming().flatten() {
                    let Ok(upstream) = std::os::unix::net::UnixStream::connect(socket) else {
                        continue;
                    };
                    relay(conn, upstream);
                }
                std::process::exit(0)
            }
            _ => {
                drop(ready_tx);
                let mut answer = String::new();
                let _ = ready_rx.read_to_string(&mut answer);
                if answer == "ok" {
                    Ok(())
                } else {
                    Err(SandboxError::Unavailable(if answer.is_empty() {
                        "the proxy forwarder did not start".into()
                    } else {
                        answer
                    }))
                }
            }
        }
    }

    /// Folders covered besides every top-level folder outside [`SYSTEM`]: shared memory
    /// and the X11 and ICE socket folders (their parents may be system folders elsewhere).
    const ALSO_COVERED: &[&str] = &["/dev/shm", "/tmp/.X11-unix", "/tmp/.ICE-unix"];

    /// What this mount namespace covers with an empty tmpfs: every top-level folder that is
    /// not a system folder (`/home`, `/root`, `/tmp`, `/var`, `/run`, `/srv`, `/mnt`, …) and
    /// [`ALSO_COVERED`]. Landlock already denies reading them; covering them also hides the
    /// Unix sockets they hold (Docker, D-Bus, ssh-agent, tmux, another call's proxy), which
    /// Landlock does not cover because connecting to a socket is not a file access.
    fn covered() -> Vec<std::path::PathBuf> {
        let mut out: Vec<std::path::PathBuf> = std::fs::read_dir("/")
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| !SYSTEM.iter().any(|s| Path::new(s) == p))
            .collect();
        out.extend(ALSO_COVERED.iter().map(std::path::PathBuf::from));
        out.sort();
        out
    }

    /// Makes mounts private, covers [`covered`] folders with empty tmpfs, and mounts back the
    /// folders the command works in (the project and its scratch folder) at their own paths.
    fn hide_sockets(spec: &Spec) -> Result<(), SandboxError> {
        use std::ffi::CString;
        use std::os::fd::AsRawFd;
        let err = |what: &str| {
            SandboxError::Unavailable(format!(
                "cannot {what} in the sandbox's mount namespace: {}",
                std::io::Error::last_os_error()
            ))
        };
        let cstr = |p: &Path| {
            CString::new(p.as_os_str().as_encoded_bytes())
                .map_err(|_| SandboxError::Start(format!("{} holds a NUL", p.display())))
        };
        // Held open before anything is covered, to mount back from.
        let mut keep = Vec::new();
        for path in [&spec.root, &spec.scratch] {
            let dir = std::fs::File::open(path)
                .map_err(|e| SandboxError::Start(format!("cannot open {}: {e}", path.display())))?;
            keep.push((path.clone(), dir));
        }
        let root = cstr(Path::new("/"))?;
        let tmpfs = cstr(Path::new("tmpfs"))?;
        // SAFETY: plain mount(2) calls with NUL-terminated strings.
        unsafe {
            if libc::mount(
                std::ptr::null(),
                root.as_ptr(),
                std::ptr::null(),
                libc::MS_REC | libc::MS_PRIVATE,
                std::ptr::null(),
            ) != 0
            {
                return Err(err("make mounts private"));
            }
            for dir in covered() {
                // Absent, a link (`/var/run -> /run`), or hidden by a cover already.
                if !std::fs::symlink_metadata(&dir).is_ok_and(|m| m.is_dir()) {
                    continue;
                }
                let target = cstr(&dir)?;
                if libc::mount(
                    tmpfs.as_ptr(),
                    target.as_ptr(),
                    tmpfs.as_ptr(),
                    libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC,
                    std::ptr::null(),
                ) != 0
                {
                    return Err(err(&format!("cover {}", dir.display())));
                }
            }
            for (path, dir) in &keep {
                // Still reachable (not under a cover): nothing to do.
                let id = |m: std::fs::Metadata| {
                    use std::os::unix::fs::MetadataExt;
                    (m.dev(), m.ino())
                };
                if std::fs::metadata(path).ok().map(id) == dir.metadata().ok().map(id) {
                    continue;
                }
                std::fs::create_dir_all(path).map_err(|e| {
                    SandboxError::Start(format!(
                        "cannot make a mount point for {}: {e}",
                        path.display()
                    ))
                })?;
                let source = cstr(Path::new(&format!("/proc/self/fd/{}", dir.as_raw_fd())))?;
                let target = cstr(path)?;
                if libc::mount(
                    source.as_ptr(),
                    target.as_ptr(),
                    std::ptr::null(),
                    libc::MS_BIND | libc::MS_REC,
                    std::ptr::null(),
                ) != 0
                {
                    return Err(err(&format!("mount {} back", path.display())));
                }
            }
        }
        Ok(())
    }

    /// Sets the `lo` interface of this network namespace up (`SIOCSIFFLAGS`).
    fn loopback_up() -> std::io::Result<()> {
        // SAFETY: a plain socket and two ioctls on a zeroed, NUL-terminated `ifreq`.
        unsafe {
            let fd = libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0);
            if fd < 0 {
                return Err(std::io::Error::last_os_error());
            }
            let mut ifr: libc::ifreq = std::mem::zeroed();
            for (dst, src) in ifr.ifr_name.iter_mut().zip(b"lo\0") {
                *dst = *src as libc::c_char;
            }
            let mut result = if libc::ioctl(fd, libc::SIOCGIFFLAGS, &mut ifr) < 0 {
                Err(std::io::Error::last_os_error())
            } else {
                Ok(())
            };
            if result.is_ok() {
                ifr.ifr_ifru.ifru_flags |= libc::IFF_UP as libc::c_short;
                if libc::ioctl(fd, libc::SIOCSIFFLAGS, &ifr) < 0 {
                    result = Err(std::io::Error::last_os_error());
                }
            }
            libc::close(fd);
            result
        }
    }

    /// Copies bytes both ways between a TCP and a Unix stream until either side closes.
    fn relay(tcp: std::net::TcpStream, unix: std::os::unix::net::UnixStream) {
        let (Ok(mut tcp2), Ok(mut unix2)) = (tcp.try_clone(), unix.try_clone()) else {
            return;
        };
        let (mut tcp, mut unix) = (tcp, unix);
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut tcp, &mut unix2);
            let _ = unix2.shutdown(std::net::Shutdown::Write);
        });
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut unix, &mut tcp2);
            let _ = tcp2.shutdown(std::net::Shutdown::Write);
        });
    }

    fn limit(resource: Resource, value: u64) -> Result<(), SandboxError> {
        setrlimit(
            resource,
            Rlimit {
                current: Some(value),
                maximum: Some(value),
            },
        )
        .map_err(|e| SandboxError::Start(format!("cannot set {resource:?}: {e}")))
    }

    /// The mount flags a bind mount must keep when it is remounted read-only (a user
    /// namespace may not clear the ones its parent set).
    fn locked_flags(fd: &std::os::fd::OwnedFd) -> libc::c_ulong {
        use rustix::fs::StatVfsMountFlags as F;
        let Ok(st) = rustix::fs::fstatvfs(fd) else {
            return 0;
        };
        [
            (F::NOSUID, libc::MS_NOSUID),
            (F::NODEV, libc::MS_NODEV),
            (F::NOEXEC, libc::MS_NOEXEC),
            (F::NOATIME, libc::MS_NOATIME),
            (F::NODIRATIME, libc::MS_NODIRATIME),
            (F::RELATIME, libc::MS_RELATIME),
        ]
        .into_iter()
        .filter(|(f, _)| st.f_flag.contains(*f))
        .fold(0, |acc, (_, m)| acc | m)
    }

    /// The project root, opened (to open what is beneath it without links).
    fn project_root(spec: &Spec) -> Result<PathFd, SandboxError> {
        PathFd::new(&spec.root)
            .map_err(|e| SandboxError::Start(format!("cannot open the project root: {e}")))
    }

    /// A path spm chose that is gone, or a link now: the project changed under it.
    fn changed(path: &Path) -> SandboxError {
        SandboxError::Start(format!(
            "{} changed while the sandbox was being set up (moved, removed or replaced by a link); run the command again",
            path.display()
        ))
    }

    /// A mount of `path` that failed. Not `Unavailable`: what the project holds must never
    /// downgrade a call to running without the sandbox (`--unsafe-no-sandbox`).
    fn mount_error(what: &str, path: &Path) -> SandboxError {
        SandboxError::Start(format!(
            "cannot {what} {} in the sandbox's mount namespace: {}",
            path.display(),
            std::io::Error::last_os_error()
        ))
    }

    fn is_dir(fd: &std::os::fd::OwnedFd) -> bool {
        rustix::fs::fstat(fd)
            .is_ok_and(|st| rustix::fs::FileType::from_raw_mode(st.st_mode).is_dir())
    }

    /// Bind-mounts the entry `fd` (opened at `path`) over itself and remounts that new mount
    /// read-only or writable, keeping the flags a user namespace may not clear.
    fn bind_over_itself(
        fd: &std::os::fd::OwnedFd,
        path: &Path,
        read_only: bool,
    ) -> Result<(), SandboxError> {
        use std::ffi::CString;
        use std::os::fd::AsRawFd;
        let nul = |_| SandboxError::Start(format!("{} holds a NUL", path.display()));
        let by_fd = CString::new(format!("/proc/self/fd/{}", fd.as_raw_fd())).map_err(nul)?;
        let at = CString::new(path.as_os_str().as_encoded_bytes()).map_err(nul)?;
        let flags = locked_flags(fd) | if read_only { libc::MS_RDONLY } else { 0 };
        // SAFETY: mount(2) with NUL-terminated strings. The bind lands on the opened entry;
        // the remount then finds that new mount at the entry's path.
        unsafe {
            if libc::mount(
                by_fd.as_ptr(),
                by_fd.as_ptr(),
                std::ptr::null(),
                libc::MS_BIND | libc::MS_REC,
                std::ptr::null(),
            ) != 0
            {
                return Err(mount_error("bind", path));
            }
            if libc::mount(
                std::ptr::null(),
                at.as_ptr(),
                std::ptr::null(),
                libc::MS_BIND | libc::MS_REMOUNT | flags,
                std::ptr::null(),
            ) != 0
            {
                return Err(mount_error("remount", path));
            }
        }
        Ok(())
    }

    /// Mounts the project read-only (so not even its metadata, which Landlock does not cover,
    /// can change: chmod, timestamps, extended attributes) and each writable grant back
    /// writable over it. The masks go on top afterwards.
    fn read_only_project(spec: &Spec) -> Result<(), SandboxError> {
        let places = std::iter::once((&spec.root, true)).chain(
            spec.read_write
                .iter()
                .filter(|p| *p != &spec.root)
                .map(|p| (p, false)),
        );
        for (path, read_only) in places {
            // Opened afresh each time: after the root's own bind, only a descriptor opened
            // through it leads to where a grant's bind must land (on top, not beneath).
            let root = project_root(spec)?;
            // A writable grant that does not open beneath the root without links (it changed)
            // is left read-only, as Landlock leaves it unwritable; the root must open.
            match open_beneath(&root, &spec.root, path, read_only) {
                Some(fd) => bind_over_itself(&fd, path, read_only)?,
                None if read_only => return Err(changed(path)),
                None => {}
            }
        }
        Ok(())
    }

    /// Mounts an empty unreadable stand-in over each masked path (an empty tmpfs over a
    /// folder, an empty file over a file) and each frozen path read-only over itself. Each is
    /// opened beneath the root without following links, and mounted through its descriptor.
    fn mask(spec: &Spec) -> Result<(), SandboxError> {
        use std::ffi::CString;
        use std::os::fd::AsRawFd;
        if spec.masked.is_empty() && spec.frozen.is_empty() {
            return Ok(());
        }
        let root = project_root(spec)?;
        let c = |s: &str| CString::new(s).map_err(|_| SandboxError::Start("a NUL".into()));
        // An empty file no one may read (the command has no capabilities to override that).
        let stand_in = spec.scratch.join(".spm-masked");
        std::fs::write(&stand_in, b"")
            .and_then(|()| {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&stand_in, std::fs::Permissions::from_mode(0o000))
            })
            .map_err(|e| SandboxError::Start(format!("cannot make the masking file: {e}")))?;
        let null = CString::new(stand_in.as_os_str().as_encoded_bytes())
            .map_err(|_| SandboxError::Start("a NUL".into()))?;
        let (tmpfs, mode) = (c("tmpfs")?, c("mode=000")?);
        let ro = libc::MS_RDONLY | libc::MS_NOSUID | libc::MS_NODEV | libc::MS_NOEXEC;
        for path in &spec.masked {
            let fd = open_beneath(&root, &spec.root, path, true).ok_or_else(|| changed(path))?;
            let target = c(&format!("/proc/self/fd/{}", fd.as_raw_fd()))?;
            let is_dir = is_dir(&fd);
            // SAFETY: mount(2) with NUL-terminated strings.
            let done = unsafe {
                if is_dir {
                    libc::mount(
                        tmpfs.as_ptr(),
                        target.as_ptr(),
                        tmpfs.as_ptr(),
                        ro,
                        mode.as_ptr().cast(),
                    )
                } else {
                    libc::mount(
                        null.as_ptr(),
                        target.as_ptr(),
                        std::ptr::null(),
                        libc::MS_BIND,
                        std::ptr::null(),
                    )
                }
            };
            if done != 0 {
                return Err(mount_error("mask", path));
            }
        }
        for path in &spec.frozen {
            let fd = open_beneath(&root, &spec.root, path, true).ok_or_else(|| changed(path))?;
            bind_over_itself(&fd, path, true)?;
        }
        Ok(())
    }

    /// Calls `grant` with `dir`, or, when `dir` holds the project `root` (a project under
    /// `/opt` or `/usr/src`), with everything in it except the way down to the project, so
    /// the project's own secrets are not granted with the system folder.
    fn around(dir: &Path, root: &Path, grant: &mut dyn FnMut(&Path)) {
        if !root.starts_with(dir) {
            return grant(dir);
        }
        if root == dir {
            return;
        }
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            around(&entry.path(), root, grant);
        }
    }

    /// `path` (inside `root`) opened beneath `root_fd` without following links; `None` when
    /// it is outside, is a link, or (unless `linked_too`) is a file with other hard links.
    fn open_beneath(
        root_fd: &PathFd,
        root: &Path,
        path: &Path,
        linked_too: bool,
    ) -> Option<std::os::fd::OwnedFd> {
        use rustix::fs::{Mode, OFlags, ResolveFlags};
        let rel = path.strip_prefix(root).ok()?;
        let rel = if rel.as_os_str().is_empty() {
            Path::new(".")
        } else {
            rel
        };
        let fd = rustix::fs::openat2(
            root_fd,
            rel,
            OFlags::PATH | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
            ResolveFlags::BENEATH | ResolveFlags::NO_SYMLINKS | ResolveFlags::NO_MAGICLINKS,
        )
        .ok()?;
        let st = rustix::fs::fstat(&fd).ok()?;
        let kind = rustix::fs::FileType::from_raw_mode(st.st_mode);
        if kind.is_symlink() || (!linked_too && !kind.is_dir() && st.st_nlink > 1) {
            return None;
        }
        Some(fd)
    }

    pub fn confine(spec: &Spec) -> Result<(), SandboxError> {
        let uid = rustix::process::getuid().as_raw();
        let gid = rustix::process::getgid().as_raw();
        // SAFETY: this process is single-threaded here (`spm __sandbox` starts no runtime),
        // which unsharing a user namespace requires.
        unsafe {
            unshare_unsafe(
                UnshareFlags::NEWUSER
                    | UnshareFlags::NEWNET
                    | UnshareFlags::NEWPID
                    | UnshareFlags::NEWNS
                    | UnshareFlags::NEWIPC
                    | UnshareFlags::NEWUTS,
            )
        }
        .map_err(|e| {
            SandboxError::Unavailable(format!(
                "cannot create user, network, PID, mount and IPC namespaces: {e}"
            ))
        })?;
        let write = |file: &str, text: String| {
            std::fs::write(file, text)
                .map_err(|e| SandboxError::Start(format!("cannot write {file}: {e}")))
        };
        write("/proc/self/setgroups", "deny".into())?;
        // Root inside the namespace (no power outside it), so the loopback can be brought up.
        write("/proc/self/uid_map", format!("0 {uid} 1"))?;
        write("/proc/self/gid_map", format!("0 {gid} 1"))?;
        hide_sockets(spec)?;
        read_only_project(spec)?;
        mask(spec)?;
        if let Some(socket) = &spec.proxy {
            forward_proxy(socket)?;
        }
        limit(Resource::Cpu, spec.limits.cpu_seconds)?;
        limit(Resource::As, spec.limits.memory_bytes)?;
        limit(Resource::Fsize, spec.limits.file_bytes)?;
        limit(Resource::Nofile, spec.limits.open_files)?;
        // Counted per user in this new user namespace, so it bounds this command alone.
        limit(Resource::Nproc, spec.limits.processes)?;
        let abi = ABI::V6;
        let read = AccessFs::from_read(abi);
        let all = AccessFs::from_all(abi);
        let mut ruleset = Ruleset::default()
            .handle_access(all)
            .and_then(|r| r.handle_access(AccessNet::BindTcp | AccessNet::ConnectTcp))
            .and_then(|r| r.scope(Scope::AbstractUnixSocket | Scope::Signal))
            .and_then(|r| r.create())
            .and_then(|r| {
                // Only the forwarder's port, and only on the namespace's own loopback.
                r.add_rules(spec.proxy.iter().map(|_| {
                    Ok::<_, RulesetError>(NetPort::new(super::PROXY_PORT, AccessNet::ConnectTcp))
                }))
            })
            .map_err(|e| SandboxError::Unavailable(format!("Landlock: {e}")))?;
        // Removing needs `file:delete`; the scratch folder is the command's own.
        let write = if spec.delete {
            all
        } else {
            all & !(AccessFs::RemoveFile | AccessFs::RemoveDir)
        };
        let mut rules: Vec<(std::os::fd::OwnedFd, _)> = Vec::new();
        let mut add = |path: &Path, access| {
            // A system folder this machine does not have is skipped.
            use std::os::fd::AsFd;
            if let Ok(fd) = PathFd::new(path).map(|f| f.as_fd().try_clone_to_owned()) {
                rules.extend(fd.ok().map(|fd| (fd, access)));
            }
        };
        // Of `/dev`, only the devices a shell needs: not the terminals (`/dev/tty`,
        // `/dev/pts/*`: the user's keystrokes), not `/dev/mqueue`.
        for p in SYSTEM.iter().filter(|p| **p != "/dev") {
            around(Path::new(p), &spec.root, &mut |path| add(path, read));
        }
        for dev in ["/dev/null", "/dev/zero", "/dev/full"] {
            add(Path::new(dev), all & AccessFs::from_file(abi));
        }
        for dev in ["/dev/random", "/dev/urandom"] {
            add(Path::new(dev), read & AccessFs::from_file(abi));
        }
        add(&spec.scratch, all);
        // The project's grants are opened beneath the root without following any link, and a
        // file is granted only while it has no other hard link: a link swapped in after spm
        // chose the grants cannot turn one into its target.
        let root = project_root(spec)?;
        let beneath = spec
            .read_only
            .iter()
            .map(|p| (p, read))
            .chain(spec.read_write.iter().map(|p| (p, write)));
        for (path, access) in beneath {
            if let Some(fd) = open_beneath(&root, &spec.root, path, false) {
                rules.push((fd, access));
            }
        }
        for (fd, access) in rules {
            // A file takes only the rights that apply to files.
            let access = if is_dir(&fd) {
                access
            } else {
                access & AccessFs::from_file(abi)
            };
            ruleset = ruleset
                .add_rule(PathBeneath::new(fd, access))
                .map_err(|e| SandboxError::Start(format!("Landlock rule: {e}")))?;
        }
        let status = ruleset
            .restrict_self()
            .map_err(|e| SandboxError::Unavailable(format!("Landlock: {e}")))?;
        if status.ruleset != RulesetStatus::FullyEnforced {
            return Err(SandboxError::Unavailable(format!(
                "Landlock is only {:?} on this kernel",
                status.ruleset
            )));
        }
        drop_capabilities()
    }

    /// Drops every capability, bounding set included, so the command (root of its own user
    /// namespace) cannot override file permissions, such as the masks' mode 000, and neither
    /// can anything it runs.
    fn drop_capabilities() -> Result<(), SandboxError> {
        use rustix::thread::{CapabilitySet, CapabilitySets};
        for cap in CapabilitySet::all().iter() {
            // A capability this kernel does not know is not held either.
            match rustix::thread::remove_capability_from_bounding_set(cap) {
                Ok(()) | Err(rustix::io::Errno::INVAL) => {}
                Err(e) => {
                    return Err(SandboxError::Start(format!(
                        "cannot drop capability {cap:?}: {e}"
                    )));
                }
            }
        }
        let none = CapabilitySets {
            effective: CapabilitySet::empty(),
            permitted: CapabilitySet::empty(),
            inheritable: CapabilitySet::empty(),
        };
        rustix::thread::set_capabilities(None, none)
            .map_err(|e| SandboxError::Start(format!("cannot drop capabilities: {e}")))
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use super::{SandboxError, Spec};

    pub fn available() -> Result<(), SandboxError> {
        Err(SandboxError::Unavailable(
            "spm sandboxes shell commands on Linux only (Landlock and namespaces)".into(),
        ))
    }

    pub fn own_process_group(_cmd: &mut std::process::Command) {}

    pub fn kill_group(_pid: u32) {}

    pub fn confine(_spec: &Spec) -> Result<(), SandboxError> {
        available()
    }
}
