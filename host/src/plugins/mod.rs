//! WebAssembly plugins: safety scanners, auth providers and storage policies that
//! self-hosters add without forking the server.
//!
//! - [`bindings`]: host bindings per supported `spm:plugin` API version (`wit/`).
//! - [`runtime`]: the engine, the compile cache, per-call stores with deadline and memory cap.
//! - [`types`]: the API in the host's own terms; callers never see a generated type.
//!
//! Where plugins sit: auth providers are asked in order before the built-in token check;
//! storage policies run before a blob is stored (and before a download is served);
//! scanners run on every publish and their findings decide the safety status. A plugin that
//! fails (trap, deadline, memory, garbage) never takes the server down: the request it was
//! judging gets an error naming it, and by default the failure refuses the request
//! (fail-closed); `fail_open = true` lets it through instead.

pub(crate) mod bindings;
pub(crate) mod runtime;
pub mod types;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use spm_core::package::Files;

use runtime::{Limits, Pre, Runtime};

/// The API version this host implements (and the newest it loads).
pub const API_VERSION: &str = "0.2.0";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Scanner,
    Auth,
    Policy,
    /// Publish hooks (API 0.2): told after a version is stored, yanked, blocked, ...
    Hook,
}

impl Kind {
    pub fn world(self) -> &'static str {
        match self {
            Kind::Scanner => "safety-scanner",
            Kind::Auth => "auth-provider",
            Kind::Policy => "storage-policy",
            Kind::Hook => "publish-hook",
        }
    }
}

fn default_timeout() -> u64 {
    100
}

fn default_memory() -> u64 {
    64
}

/// One `[[plugins]]` entry of `spm.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PluginSpec {
    /// Name used in logs and errors (default: the file name).
    pub name: Option<String>,
    pub path: PathBuf,
    pub kind: Kind,
    /// Wall-clock deadline per call.
    #[serde(default = "default_timeout")]
    pub timeout_ms: u64,
    /// Memory cap per call, in MiB.
    #[serde(default = "default_memory")]
    pub memory_mb: u64,
    /// Let requests through when this plugin fails (default: refuse them).
    #[serde(default)]
    pub fail_open: bool,
    /// The plugin's own settings, read with `get-config`.
    #[serde(default)]
    pub settings: BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
pub enum PluginError {
    #[error("plugin engine: {0}")]
    Engine(String),
    #[error("plugin `{plugin}` cannot be loaded: {reason}")]
    Invalid { plugin: String, reason: String },
    #[error("plugin `{plugin}` failed: {reason}")]
    Failed { plugin: String, reason: String },
}

#[derive(Debug, Default)]
struct Stats {
    calls: AtomicU64,
    failures: AtomicU64,
    micros: AtomicU64,
}

struct Loaded {
    name: Arc<str>,
    spec: PluginSpec,
    api_version: String,
    settings: Arc<BTreeMap<String, String>>,
    pre: Pre,
    stats: Stats,
    from_cache: bool,
    /// Hosts this plugin may reach over HTTP (`allowed_hosts`, comma-separated).
    allowed_hosts: Option<Arc<Vec<spm_core::policy::HostPattern>>>,
}

/// What `GET /api/plugins` shows of a plugin.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PluginStatus {
    pub name: String,
    pub kind: Kind,
    pub world: String,
    pub api_version: String,
    pub path: String,
    pub timeout_ms: u64,
    pub memory_mb: u64,
    pub fail_open: bool,
    pub loaded_from_cache: bool,
    pub calls: u64,
    pub failures: u64,
    pub avg_micros: u64,
}

/// The outcome of one plugin call that failed, with the plugin's policy attached.
#[derive(Debug, Clone)]
pub struct Failure {
    pub plugin: String,
    pub reason: String,
    pub fail_open: bool,
}

/// A scanner's finding, with the plugin that made it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PluginFinding {
    pub plugin: String,
    pub rule: String,
    pub category: String,
    pub severity: String,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u32>,
}

/// The result of an auth provider chain.
#[derive(Debug, Clone)]
pub enum AuthOutcome {
    NotMine,
    Authenticated {
        name: String,
        scopes: Vec<String>,
        plugin: String,
    },
    Denied {
        plugin: String,
        reason: String,
    },
}

/// Limits on what a scanner may return.
const MAX_FINDINGS: usize = 1000;
const MAX_OUTPUT_BYTES: usize = 1 << 20;

/// All configured plugins, loaded.
#[derive(Clone, Default)]
pub struct Plugins {
    runtime: Option<Runtime>,
    loaded: Arc<Vec<Loaded>>,
}

impl Plugins {
    /// Compiles (or loads from `cache_dir`) and pre-instantiates every plugin in `specs`.
    pub fn load(
        specs: &[PluginSpec],
        cache_dir: Option<PathBuf>,
        base: &Path,
    ) -> Result<Plugins, PluginError> {
        if specs.is_empty() {
            return Ok(Plugins::default());
        }
        let max_memory =
            specs.iter().map(|s| s.memory_mb).max().unwrap_or(64) as usize * 1024 * 1024;
        let runtime = Runtime::new(cache_dir, max_memory)?;
        tracing::debug!(pooling = runtime.pooling, "plugin runtime ready");
        let mut loaded = Vec::new();
        for spec in specs {
            let path = if spec.path.is_absolute() {
                spec.path.clone()
            } else {
                base.join(&spec.path)
            };
            let name: Arc<str> = spec
                .name
                .clone()
                .unwrap_or_else(|| {
                    path.file_stem()
                        .map_or("plugin".into(), |s| s.to_string_lossy().replace('_', "-"))
                })
                .into();
            let wasm = runtime::read(&path)?;
            let (component, from_cache) = runtime.compile(&wasm, &name)?;
            let (kind, api_version) =
                runtime::inspect(&runtime.engine, &component).map_err(|reason| {
                    PluginError::Invalid {
                        plugin: name.to_string(),
                        reason,
                    }
                })?;
            if kind != spec.kind {
                return Err(PluginError::Invalid {
                    plugin: name.to_string(),
                    reason: format!(
                        "it implements `{}` but is configured as kind `{:?}`",
                        kind.world(),
                        spec.kind
                    )
                    .to_lowercase(),
                });
            }
            let api = bindings::ApiVersion::for_version(&api_version).map_err(|reason| {
                PluginError::Invalid {
                    plugin: name.to_string(),
                    reason,
                }
            })?;
            let allowed_hosts = match spec.settings.get("allowed_hosts") {
                None => None,
                Some(v) => Some(Arc::new(
                    v.split(',')
                        .map(str::trim)
                        .filter(|h| !h.is_empty())
                        .map(|h| h.parse::<spm_core::policy::HostPattern>())
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|e| PluginError::Invalid {
                            plugin: name.to_string(),
                            reason: format!("allowed_hosts: {e}"),
                        })?,
                )),
            };
            let pre = runtime::pre_instantiate(
                &runtime.engine,
                &component,
                kind,
                api,
                &name,
                allowed_hosts.is_some(),
            )?;
            tracing::info!(plugin = %name, world = kind.world(), %api_version, from_cache, "plugin loaded");
            loaded.push(Loaded {
                name,
                settings: Arc::new(spec.settings.clone()),
                spec: spec.clone(),
                api_version,
                pre,
                stats: Stats::default(),
                from_cache,
                allowed_hosts,
            });
        }
        Ok(Plugins {
            runtime: Some(runtime),
            loaded: Arc::new(loaded),
        })
    }

    pub fn is_empty(&self) -> bool {
        self.loaded.is_empty()
    }

    pub fn status(&self) -> Vec<PluginStatus> {
        self.loaded
            .iter()
            .map(|p| {
                let calls = p.stats.calls.load(Ordering::Relaxed);
                PluginStatus {
                    name: p.name.to_string(),
                    kind: p.spec.kind,
                    world: p.spec.kind.world().into(),
                    api_version: p.api_version.clone(),
                    path: p.spec.path.display().to_string(),
                    timeout_ms: p.spec.timeout_ms,
                    memory_mb: p.spec.memory_mb,
                    fail_open: p.spec.fail_open,
                    loaded_from_cache: p.from_cache,
                    calls,
                    failures: p.stats.failures.load(Ordering::Relaxed),
                    avg_micros: p
                        .stats
                        .micros
                        .load(Ordering::Relaxed)
                        .checked_div(calls)
                        .unwrap_or(0),
                }
            })
            .collect()
    }

    fn of_kind(&self, kind: Kind) -> Vec<usize> {
        self.loaded
            .iter()
            .enumerate()
            .filter(|(_, p)| p.spec.kind == kind)
            .map(|(i, _)| i)
            .collect()
    }

    /// Calls plugin `i` with its limits: `f` gets a clone of its pre-instantiated component
    /// and a fresh store, and is dropped at the deadline if it is still waiting then.
    async fn call<R, F, Fut>(&self, i: usize, f: F) -> Result<R, Failure>
    where
        F: FnOnce(Pre, wasmtime::Store<runtime::Ctx>) -> Fut,
        Fut: std::future::Future<Output = wasmtime::Result<R>>,
    {
        let p = &self.loaded[i];
        let fail = |reason: String| Failure {
            plugin: p.name.to_string(),
            reason,
            fail_open: p.spec.fail_open,
        };
        let Some(runtime) = self.runtime.as_ref() else {
            return Err(fail("no plugin runtime".into()));
        };
        let limits = Limits {
            timeout: Duration::from_millis(p.spec.timeout_ms),
            memory: (p.spec.memory_mb as usize) << 20,
        };
        let started = Instant::now();
        let grant = p
            .allowed_hosts
            .clone()
            .map(|allowed_hosts| runtime::HttpGrant {
                allowed_hosts,
                client: http_client(),
                deadline: started + limits.timeout,
            });
        let (store, output) = runtime::store(&runtime.engine, &p.name, &p.settings, limits, grant);
        // The store traps at the deadline while the plugin computes; a plugin waiting in a
        // host call (a sleep, a poll) is dropped here, a tick later.
        let r = match tokio::time::timeout(limits.timeout + runtime::TICK, f(p.pre.clone(), store))
            .await
        {
            Ok(r) => r.map_err(|e| runtime::describe(&e, limits, started)),
            Err(_) => Err(runtime::past_deadline(limits)),
        };
        output.flush();
        let elapsed = started.elapsed();
        p.stats.calls.fetch_add(1, Ordering::Relaxed);
        p.stats
            .micros
            .fetch_add(elapsed.as_micros() as u64, Ordering::Relaxed);
        if r.is_err() {
            p.stats.failures.fetch_add(1, Ordering::Relaxed);
        }
        crate::metrics::plugin_call(&p.name, started, r.is_err());
        r.map_err(|reason| {
            tracing::warn!(plugin = %p.name, %reason, "plugin call failed");
            fail(reason)
        })
    }

    /// Whether a scanner would look at the previous version (API 0.2 and later), so the
    /// caller fetches it only then.
    pub fn wants_previous(&self) -> bool {
        self.loaded
            .iter()
            .any(|p| matches!(p.pre, Pre::Scanner2(_)))
    }

    /// Every scanner on `pkg` (and, for scanners of API 0.2, the previous version). Failures
    /// are returned beside the findings of the others.
    pub async fn scan(
        &self,
        pkg: &types::SkillPackage,
        previous: Option<&types::PreviousVersion>,
    ) -> (Vec<PluginFinding>, Vec<Failure>) {
        let mut findings = Vec::new();
        let mut failures = Vec::new();
        for i in self.of_kind(Kind::Scanner) {
            let r = self
                .call(i, move |pre, mut store| async move {
                    pre.scan(&mut store, pkg, previous).await
                })
                .await;
            let name = self.loaded[i].name.to_string();
            match r {
                Ok(Ok(list)) => {
                    let bytes: usize = list
                        .iter()
                        .map(|f| f.message.len() + f.rule_id.len() + f.category.len())
                        .sum();
                    if list.len() > MAX_FINDINGS || bytes > MAX_OUTPUT_BYTES {
                        self.loaded[i]
                            .stats
                            .failures
                            .fetch_add(1, Ordering::Relaxed);
                        failures.push(Failure {
                            plugin: name,
                            reason: format!(
                                "it returned {} findings ({bytes} bytes); the limit is {MAX_FINDINGS} findings and {MAX_OUTPUT_BYTES} bytes",
                                list.len()
                            ),
                            fail_open: self.loaded[i].spec.fail_open,
                        });
                        continue;
                    }
                    findings.extend(list.into_iter().map(|f| PluginFinding {
                        plugin: name.clone(),
                        rule: f.rule_id,
                        category: f.category,
                        severity: f.severity.to_string(),
                        message: f.message,
                        file: f.file,
                        line: f.line,
                    }));
                }
                Ok(Err(msg)) => failures.push(Failure {
                    plugin: name,
                    reason: format!("it reported an error: {msg}"),
                    fail_open: self.loaded[i].spec.fail_open,
                }),
                Err(f) => failures.push(f),
            }
        }
        (findings, failures)
    }

    /// The auth chain: the first provider that claims the credential decides.
    pub async fn authenticate(
        &self,
        bearer: Option<&str>,
        headers: Vec<(String, String)>,
    ) -> Result<AuthOutcome, Failure> {
        let req = types::AuthRequest {
            bearer_token: bearer.map(str::to_string),
            headers,
        };
        for i in self.of_kind(Kind::Auth) {
            let r = self
                .call(i, |pre, mut store| {
                    let req = &req;
                    async move { pre.authenticate(&mut store, req).await }
                })
                .await;
            let plugin = self.loaded[i].name.to_string();
            match r {
                Ok(types::AuthResult::NotMine) => continue,
                Ok(types::AuthResult::Authenticated { name, scopes }) => {
                    return Ok(AuthOutcome::Authenticated {
                        name,
                        scopes,
                        plugin,
                    });
                }
                Ok(types::AuthResult::Denied(reason)) => {
                    return Ok(AuthOutcome::Denied { plugin, reason });
                }
                Err(f) if f.fail_open => continue,
                Err(f) => return Err(f),
            }
        }
        Ok(AuthOutcome::NotMine)
    }

    /// Asks every storage policy in turn; the first denial wins: `Err((plugin, reason))`.
    async fn policies<F, Fut>(&self, ask: F) -> Result<Result<(), (String, String)>, Failure>
    where
        F: Fn(Pre, wasmtime::Store<runtime::Ctx>) -> Fut,
        Fut: std::future::Future<Output = wasmtime::Result<types::Decision>>,
    {
        for i in self.of_kind(Kind::Policy) {
            let r = self.call(i, &ask).await;
            match r {
                Ok(types::Decision::Allow) => {}
                Ok(types::Decision::Deny(reason)) => {
                    return Ok(Err((self.loaded[i].name.to_string(), reason)));
                }
                Err(f) if f.fail_open => {}
                Err(f) => return Err(f),
            }
        }
        Ok(Ok(()))
    }

    /// Storage policies on a publish.
    pub async fn check_publish(
        &self,
        pkg: &types::SkillPackage,
    ) -> Result<Result<(), (String, String)>, Failure> {
        self.policies(|pre, mut store| async move { pre.check_publish(&mut store, pkg).await })
            .await
    }

    /// Storage policies on a download.
    pub async fn check_download(
        &self,
        ctx: &types::DownloadContext,
    ) -> Result<Result<(), (String, String)>, Failure> {
        self.policies(|pre, mut store| async move { pre.check_download(&mut store, ctx).await })
            .await
    }

    /// Whether any publish hook is loaded.
    pub fn has_hooks(&self) -> bool {
        self.loaded.iter().any(|p| p.spec.kind == Kind::Hook)
    }

    /// Tells every publish hook about `event`, each on a task of its own with its own
    /// deadline: the caller never waits for them, and a hook's failure is only logged. At
    /// most [`MAX_HOOK_CALLS`] run at once (they share the instance pool with the plugins
    /// that judge requests); an event beyond that is dropped for that hook, with a warning.
    pub fn fire(&self, event: types::RegistryEvent) {
        let hooks = self.of_kind(Kind::Hook);
        if hooks.is_empty() {
            return;
        }
        let event = Arc::new(event);
        for i in hooks {
            let Ok(slot) = HOOK_SLOTS.try_acquire() else {
                tracing::warn!(plugin = %self.loaded[i].name, kind = ?event.kind, "{MAX_HOOK_CALLS} hook calls are already running; this event is not told to it");
                continue;
            };
            let (this, event) = (self.clone(), event.clone());
            tokio::spawn(async move {
                let _ = this.tell(i, &event).await;
                drop(slot);
            });
        }
    }

    /// Tells every publish hook about `event` in turn and waits for them (`spm plugin run`);
    /// returns the failures.
    pub async fn notify(&self, event: &types::RegistryEvent) -> Vec<Failure> {
        let mut failures = Vec::new();
        for i in self.of_kind(Kind::Hook) {
            if let Err(f) = self.tell(i, event).await {
                failures.push(f);
            }
        }
        failures
    }

    /// Tells hook `i` about `event`; a failure is logged and returned.
    async fn tell(&self, i: usize, event: &types::RegistryEvent) -> Result<(), Failure> {
        let p = &self.loaded[i];
        let r = self
            .call(i, |pre, mut store| async move {
                pre.on_event(&mut store, event).await
            })
            .await?;
        r.map_err(|reason| {
            p.stats.failures.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(plugin = %p.name, kind = ?event.kind, %reason, "publish hook reported an error");
            Failure {
                plugin: p.name.to_string(),
                reason: format!("it reported an error: {reason}"),
                fail_open: true,
            }
        })
    }
}

/// Seconds since the Unix epoch: the host's `now()` for plugins, and an event's time.
pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Publish-hook calls that may run at once, across every plugin set.
pub const MAX_HOOK_CALLS: usize = 16;
static HOOK_SLOTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(MAX_HOOK_CALLS);

/// Waits (at most `within`) for the publish-hook calls still running: at shutdown, and at
/// the end of a one-shot command, so the events they carry are not lost.
pub async fn drain_hooks(within: Duration) {
    match tokio::time::timeout(within, HOOK_SLOTS.acquire_many(MAX_HOOK_CALLS as u32)).await {
        Ok(Ok(all)) => drop(all),
        _ => tracing::warn!("publish hooks still running after {within:?} were stopped"),
    }
}

/// One HTTP client for all plugin requests (connection reuse), without redirects (a
/// redirect could leave the allowed hosts).
fn http_client() -> reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT
        .get_or_init(|| http_client_builder().build().unwrap_or_default())
        .clone()
}

/// How every plugin HTTP client is built: no redirects (one could leave the allowed hosts),
/// and no system proxy (it would resolve and connect on its own, past the checks).
fn http_client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("spm-plugin-host/", env!("CARGO_PKG_VERSION")))
        .no_proxy()
}

/// A client for one plugin request to `name`, connecting only to `addrs` (already judged).
fn pinned_http_client(
    name: &str,
    addrs: &[std::net::SocketAddr],
) -> Result<reqwest::Client, String> {
    http_client_builder()
        .resolve_to_addrs(name, addrs)
        .build()
        .map_err(|e| format!("cannot make an HTTP client: {e}"))
}

tokio::task_local! {
    /// The set a request started with (see [`Live::scoped`]).
    static REQUEST_SET: Plugins;
}

/// The plugin set in use, replaceable while the server runs: each request takes the set
/// current when it starts and finishes on it (authentication, judging and the hooks it
/// fires all use that one set, see [`Live::scoped`]); a reload that fails leaves the old set.
#[derive(Clone)]
pub struct Live {
    current: Arc<std::sync::RwLock<Plugins>>,
    config_file: Option<PathBuf>,
    cache: Option<PathBuf>,
    /// One reload at a time.
    reloading: Arc<tokio::sync::Mutex<()>>,
}

impl Live {
    pub fn new(plugins: Plugins, config_file: Option<PathBuf>, cache: Option<PathBuf>) -> Live {
        Live {
            current: Arc::new(std::sync::RwLock::new(plugins)),
            config_file,
            cache,
            reloading: Arc::default(),
        }
    }

    /// The set to use: inside a request, the one it started with; elsewhere the current one.
    pub fn get(&self) -> Plugins {
        REQUEST_SET
            .try_with(Plugins::clone)
            .unwrap_or_else(|_| self.current())
    }

    /// The set in use now (a reload's result, `GET /api/plugins`).
    pub fn current(&self) -> Plugins {
        match self.current.read() {
            Ok(p) => p.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Runs `work` (one request) on the set current now, whatever reloads happen meanwhile.
    pub async fn scoped<F: std::future::Future>(&self, work: F) -> F::Output {
        REQUEST_SET.scope(self.current(), work).await
    }

    /// Reads `[[plugins]]` from the configuration file again and loads them; only when all
    /// load does the new set replace the old. Returns how many are loaded.
    pub async fn reload(&self) -> Result<usize, String> {
        // On a task of its own: a caller that goes away does not cancel a reload half done.
        let this = self.clone();
        tokio::spawn(async move { this.reload_now().await })
            .await
            .map_err(|e| format!("the reload failed: {e}"))?
    }

    async fn reload_now(&self) -> Result<usize, String> {
        let _one = self.reloading.lock().await;
        let file = self.config_file.clone().ok_or(
            "the server was started without a configuration file (--config or SPM_CONFIG), so there is nothing to reload from",
        )?;
        let specs = crate::config::plugins_in(&file).map_err(|e| e.to_string())?;
        let base = crate::config::base_of(Some(&file));
        let cache = self.cache.clone();
        let loaded = tokio::task::spawn_blocking(move || Plugins::load(&specs, cache, &base))
            .await
            .map_err(|e| format!("the loading thread failed: {e}"))?
            .map_err(|e| e.to_string())?;
        let n = loaded.status().len();
        match self.current.write() {
            Ok(mut cur) => *cur = loaded,
            Err(poisoned) => *poisoned.into_inner() = loaded,
        }
        Ok(n)
    }
}

/// Metadata of the package a plugin judges.
pub struct PackageMeta<'a> {
    pub author: &'a str,
    pub publisher: &'a str,
    pub packed_size: u64,
    pub manifest_json: String,
}

/// The read-only view of a package that plugins receive.
pub fn package_view(
    m: &spm_core::skill::Manifest,
    meta: PackageMeta<'_>,
    files: &Files,
) -> types::SkillPackage {
    types::SkillPackage {
        author: meta.author.to_string(),
        name: m.name.clone(),
        version: m
            .version
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        description: m.description.clone(),
        license: m.license.clone(),
        tags: m.tags.clone(),
        permissions: m.permissions.iter().map(ToString::to_string).collect(),
        manifest_json: meta.manifest_json,
        publisher: meta.publisher.to_string(),
        packed_size: meta.packed_size,
        files: file_views(files),
    }
}

/// A package's files as plugins see them (text for the UTF-8 ones).
pub fn file_views(files: &Files) -> Vec<types::SkillFile> {
    files
        .iter()
        .map(|(path, bytes)| types::SkillFile {
            path: path.clone(),
            size: bytes.len() as u64,
            text: std::str::from_utf8(bytes).ok().map(str::to_string),
        })
        .collect()
}

/// What `spm plugin check` reports about a component file.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub kind: Kind,
    pub world: String,
    pub api_version: String,
    pub name: String,
    pub version: String,
    pub description: String,
}

/// Loads a component file, says which world and API version it implements, and asks it for
/// its `info()` (with a 1 s deadline and a 64 MiB memory cap); or explains why it is not a
/// valid spm plugin.
pub async fn check(path: &Path, cache: Option<PathBuf>) -> Result<CheckReport, PluginError> {
    check_with(path, cache, 1000, 64).await
}

/// [`check`] with the deadline and memory cap the plugin will run with.
pub async fn check_with(
    path: &Path,
    cache: Option<PathBuf>,
    timeout_ms: u64,
    memory_mb: u64,
) -> Result<CheckReport, PluginError> {
    let wasm = runtime::read(path)?;
    let name = path.display().to_string();
    let runtime = Runtime::new(cache.clone(), (memory_mb as usize) << 20)?;
    let (component, _) = runtime.compile(&wasm, &name)?;
    let (kind, api_version) =
        runtime::inspect(&runtime.engine, &component).map_err(|reason| PluginError::Invalid {
            plugin: name.clone(),
            reason,
        })?;
    let spec = PluginSpec {
        name: Some(name.clone()),
        path: path.to_path_buf(),
        kind,
        timeout_ms,
        memory_mb,
        fail_open: false,
        settings: BTreeMap::new(),
    };
    let plugins = Plugins::load(&[spec], cache, Path::new("."))?;
    let info = plugins
        .call(
            0,
            |pre, mut store| async move { pre.info(&mut store).await },
        )
        .await
        .map_err(|f| PluginError::Failed {
            plugin: f.plugin,
            reason: f.reason,
        })?;
    Ok(CheckReport {
        kind,
        world: kind.world().into(),
        api_version,
        name: info.name,
        version: info.version,
        description: info.description,
    })
}
