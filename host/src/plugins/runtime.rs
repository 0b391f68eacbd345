//! Loading and calling WebAssembly components under hard limits.
//!
//! One [`Engine`] for all plugins (epoch interruption on, a pooling allocator when the
//! address space allows, on-demand otherwise). Each plugin is compiled once, with the
//! compiled artifact cached on disk keyed by the engine's compatibility hash and the
//! plugin's SHA-256, and pre-instantiated; every call gets a fresh [`Store`] with a memory
//! cap and a wall-clock deadline, so calls share no state and a runaway plugin is stopped.
//! Calls are async: a plugin computing yields to the executor every tick and traps at its
//! deadline; one waiting in a host call (a WASI sleep or poll, an HTTP request) is dropped
//! at the deadline by the caller's timeout. [`Pre`] is the one place that knows each API
//! version's generated calls.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{
    Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig, Store, StoreLimits,
    StoreLimitsBuilder,
};

use super::bindings::{ApiVersion, v0_1_0 as v1, v0_2_0 as v2};
use super::{Kind, PluginError, types};

/// Epoch ticks happen this often; deadlines are rounded up to it.
pub const TICK: Duration = Duration::from_millis(5);

/// Outbound HTTP granted to one plugin: the hosts it may reach, and how.
#[derive(Clone)]
pub struct HttpGrant {
    /// `allowed_hosts`: `api.example.com`, `*.example.com`, `127.0.0.1:8080`.
    pub allowed_hosts: Arc<Vec<spm_core::policy::HostPattern>>,
    pub client: reqwest::Client,
    /// The call's deadline; a request may not outlive it.
    pub deadline: Instant,
}

/// Largest HTTP response body a plugin receives.
const MAX_HTTP_BODY: usize = 1 << 20;

/// Bytes of a plugin's stdout and of its stderr kept per call (then sent to the log).
pub const OUTPUT_CAP: usize = 64 << 10;

/// What a plugin's store holds: its identity for logs, its settings, its limits, and the
/// closed WASI context that components from other languages' toolchains import.
pub struct Ctx {
    pub plugin: Arc<str>,
    pub settings: Arc<BTreeMap<String, String>>,
    pub limits: StoreLimits,
    pub http: Option<HttpGrant>,
    wasi: wasmtime_wasi::WasiCtx,
    table: wasmtime::component::ResourceTable,
}

/// A plugin's stdout or stderr: every write is accepted (a chatty plugin never fails for
/// it); the first [`OUTPUT_CAP`] bytes are kept for the log and the rest counted, dropped.
#[derive(Clone, Default)]
pub struct CappedLog(Arc<std::sync::Mutex<(Vec<u8>, usize)>>);

impl CappedLog {
    fn keep(&self, bytes: &[u8]) {
        let mut g = match self.0.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        let room = OUTPUT_CAP.saturating_sub(g.0.len());
        let n = bytes.len().min(room);
        g.0.extend_from_slice(&bytes[..n]);
        g.1 += bytes.len() - n;
    }

    /// What was kept, and how many bytes were dropped.
    fn taken(&self) -> (Vec<u8>, usize) {
        match self.0.lock() {
            Ok(mut g) => std::mem::take(&mut *g),
            Err(poisoned) => std::mem::take(&mut *poisoned.into_inner()),
        }
    }
}

impl wasmtime_wasi::cli::IsTerminal for CappedLog {
    fn is_terminal(&self) -> bool {
        false
    }
}

impl wasmtime_wasi::cli::StdoutStream for CappedLog {
    fn p2_stream(&self) -> Box<dyn wasmtime_wasi::p2::OutputStream> {
        Box::new(self.clone())
    }
    fn async_stream(&self) -> Box<dyn tokio::io::AsyncWrite + Send + Sync> {
        Box::new(self.clone())
    }
}

#[async_trait::async_trait]
impl wasmtime_wasi::p2::Pollable for CappedLog {
    async fn ready(&mut self) {}
}

impl wasmtime_wasi::p2::OutputStream for CappedLog {
    fn write(&mut self, bytes: bytes::Bytes) -> wasmtime_wasi::p2::StreamResult<()> {
        self.keep(&bytes);
        Ok(())
    }
    fn flush(&mut self) -> wasmtime_wasi::p2::StreamResult<()> {
        Ok(())
    }
    fn check_write(&mut self) -> wasmtime_wasi::p2::StreamResult<usize> {
        Ok(OUTPUT_CAP)
    }
}

impl tokio::io::AsyncWrite for CappedLog {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        self.keep(buf);
        std::task::Poll::Ready(Ok(buf.len()))
    }
    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::task::Poll::Ready(Ok(()))
    }
}

impl wasmtime_wasi::WasiView for Ctx {
    fn ctx(&mut self) -> wasmtime_wasi::WasiCtxView<'_> {
        wasmtime_wasi::WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// WASI with nothing granted: no preopened folders, no environment, no arguments, no
/// sockets or name lookups, stdin empty; stdout and stderr into capped buffers that go to the
/// plugin's log; clocks and random as WASI gives them.
fn closed_wasi(stdout: &CappedLog, stderr: &CappedLog) -> wasmtime_wasi::WasiCtx {
    wasmtime_wasi::WasiCtxBuilder::new()
        .stdout(stdout.clone())
        .stderr(stderr.clone())
        .allow_tcp(false)
        .allow_udp(false)
        .allow_ip_name_lookup(false)
        .socket_addr_check(|_, _| Box::pin(async { false }))
        .build()
}

impl v1::HttpHost for Ctx {
    async fn fetch(
        &mut self,
        method: String,
        url: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    ) -> Result<v1::HttpResponse, String> {
        self.http_fetch(method, url, headers, body).await
    }
}

impl v2::HttpHost for Ctx {
    async fn fetch(
        &mut self,
        method: String,
        url: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    ) -> Result<v2::HttpResponse, String> {
        let r = self.http_fetch(method, url, headers, body).await?;
        Ok(v2::HttpResponse {
            status: r.status,
            headers: r.headers,
            body: r.body,
        })
    }
}

impl Ctx {
    /// `spm:plugin/http.fetch`, for every API version: only to the granted hosts, each name
    /// resolved once and every address judged, within the call's deadline.
    async fn http_fetch(
        &mut self,
        method: String,
        url: String,
        headers: Vec<(String, String)>,
        body: Vec<u8>,
    ) -> Result<v1::HttpResponse, String> {
        let Some(grant) = self.http.clone() else {
            return Err(
                "outbound HTTP is not granted to this plugin: list the hosts it may reach in its `allowed_hosts` setting".into(),
            );
        };
        let parsed = url::Url::parse(&url).map_err(|e| format!("`{url}` is not a URL: {e}"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!(
                "only http and https are allowed, not `{}`",
                parsed.scheme()
            ));
        }
        let host = parsed.host_str().unwrap_or_default().to_string();
        if !spm_core::policy::host::allowed(
            &grant.allowed_hosts,
            &host,
            parsed.port_or_known_default(),
        ) {
            return Err(format!(
                "host `{host}` is not in this plugin's allowed_hosts"
            ));
        }
        let remaining = grant.deadline.saturating_duration_since(Instant::now());
        if remaining.is_zero() {
            return Err("the call's deadline has passed".into());
        }
        let method = reqwest::Method::from_bytes(method.to_ascii_uppercase().as_bytes())
            .map_err(|_| format!("`{method}` is not an HTTP method"))?;
        let port = parsed.port_or_known_default();
        // A name is resolved here and every address judged; the request then goes to
        // exactly those addresses (no second lookup that could answer differently).
        let client = match parsed.host() {
            Some(url::Host::Domain(name)) => {
                let addrs: Vec<std::net::SocketAddr> =
                    tokio::net::lookup_host((name, port.unwrap_or(80)))
                        .await
                        .map_err(|e| format!("cannot resolve `{name}`: {e}"))?
                        .collect();
                for a in &addrs {
                    spm_core::policy::host::address_allowed(
                        &grant.allowed_hosts,
                        name,
                        port,
                        a.ip(),
                    )?;
                }
                super::pinned_http_client(name, &addrs)?
            }
            _ => grant.client.clone(),
        };
        let mut req = client.request(method, parsed).timeout(remaining).body(body);
        // The Host is the URL's, which was judged; a plugin cannot name another site
        // served from the same address.
        for (k, v) in headers
            .into_iter()
            .filter(|(k, _)| !k.eq_ignore_ascii_case("host"))
        {
            req = req.header(k, v);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| format!("request failed: {e}"))?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| format!("reading the response failed: {e}"))?;
        if bytes.len() > MAX_HTTP_BODY {
            return Err(format!(
                "the response is {} bytes; plugins receive at most {MAX_HTTP_BODY}",
                bytes.len()
            ));
        }
        tracing::debug!(plugin = &*self.plugin, status, "plugin http fetch");
        Ok(v1::HttpResponse {
            status,
            headers,
            body: bytes.to_vec(),
        })
    }
}

impl v1::scanner::spm::plugin::types::Host for Ctx {}
impl v2::scanner::spm::plugin::types::Host for Ctx {}

impl v2::Host for Ctx {
    fn log(&mut self, level: v2::LogLevel, message: String) {
        let level = match level {
            v2::LogLevel::Trace => v1::LogLevel::Trace,
            v2::LogLevel::Debug => v1::LogLevel::Debug,
            v2::LogLevel::Info => v1::LogLevel::Info,
            v2::LogLevel::Warn => v1::LogLevel::Warn,
            v2::LogLevel::Error => v1::LogLevel::Error,
        };
        v1::Host::log(self, level, message)
    }
    fn get_config(&mut self, key: String) -> Option<String> {
        v1::Host::get_config(self, key)
    }
    fn config_entries(&mut self) -> Vec<(String, String)> {
        v1::Host::config_entries(self)
    }
    fn now(&mut self) -> u64 {
        v1::Host::now(self)
    }
}

impl v1::Host for Ctx {
    fn log(&mut self, level: v1::LogLevel, message: String) {
        let message: String = message.chars().take(2000).collect();
        let plugin = &*self.plugin;
        match level {
            v1::LogLevel::Trace | v1::LogLevel::Debug => tracing::debug!(plugin, "{message}"),
            v1::LogLevel::Info => tracing::info!(plugin, "{message}"),
            v1::LogLevel::Warn => tracing::warn!(plugin, "{message}"),
            v1::LogLevel::Error => tracing::error!(plugin, "{message}"),
        }
    }

    fn get_config(&mut self, key: String) -> Option<String> {
        self.settings.get(&key).cloned()
    }

    fn config_entries(&mut self) -> Vec<(String, String)> {
        self.settings
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    fn now(&mut self) -> u64 {
        super::unix_now()
    }
}

/// The engine plus the ticker that drives deadlines.
#[derive(Clone)]
pub struct Runtime {
    pub engine: Engine,
    pub pooling: bool,
    cache_dir: Option<PathBuf>,
}

fn base_config() -> Config {
    let mut cfg = Config::new();
    cfg.wasm_component_model(true);
    cfg.epoch_interruption(true);
    cfg
}

impl Runtime {
    /// `max_memory` is the largest memory cap any plugin has.
    pub fn new(cache_dir: Option<PathBuf>, max_memory: usize) -> Result<Runtime, PluginError> {
        let mut pool = PoolingAllocationConfig::default();
        pool.total_component_instances(64)
            .total_core_instances(128)
            .total_memories(64)
            .total_tables(128)
            .max_memory_size(max_memory.max(1 << 20));
        let mut cfg = base_config();
        cfg.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
        let (engine, pooling) = match Engine::new(&cfg) {
            Ok(e) => (e, true),
            Err(e) => {
                tracing::warn!(error = %e, "pooling allocator unavailable; instantiating on demand");
                (
                    Engine::new(&base_config()).map_err(|e| PluginError::Engine(e.to_string()))?,
                    false,
                )
            }
        };
        let weak = engine.weak();
        std::thread::Builder::new()
            .name("spm-plugin-epoch".into())
            .spawn(move || {
                while let Some(engine) = weak.upgrade() {
                    engine.increment_epoch();
                    drop(engine);
                    std::thread::sleep(TICK);
                }
            })
            .map_err(|e| PluginError::Engine(e.to_string()))?;
        Ok(Runtime {
            engine,
            pooling,
            cache_dir,
        })
    }

    fn cache_path(&self, wasm: &[u8]) -> Option<PathBuf> {
        let dir = self.cache_dir.as_ref()?;
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.engine.precompile_compatibility_hash().hash(&mut h);
        let digest: String = Sha256::digest(wasm)
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect();
        Some(dir.join(format!("{:016x}-{digest}.cwasm", h.finish())))
    }

    /// Compiles `wasm`, or loads the artifact this server compiled before. Returns whether
    /// the cache was used.
    pub fn compile(&self, wasm: &[u8], name: &str) -> Result<(Component, bool), PluginError> {
        let cached = self.cache_path(wasm);
        if let Some(path) = cached.as_ref().filter(|p| p.is_file()) {
            // SAFETY: the cache directory holds only artifacts this server serialised itself
            // from `Component::serialize`, named by the engine's compatibility hash and the
            // source's SHA-256; a file that fails to load is recompiled.
            match unsafe { Component::deserialize_file(&self.engine, path) } {
                Ok(c) => return Ok((c, true)),
                Err(e) => {
                    tracing::warn!(plugin = name, error = %e, "compiled-plugin cache entry unusable; recompiling")
                }
            }
        }
        let component = Component::new(&self.engine, wasm).map_err(|e| PluginError::Invalid {
            plugin: name.to_string(),
            reason: format!("not a valid WebAssembly component: {e:#}"),
        })?;
        if let Some(path) = cached
            && let Ok(bytes) = component.serialize()
        {
            if let Some(dir) = path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            // Unique per writer: two processes may share a cache folder.
            let tmp = path.with_extension(format!(
                "part-{}-{:x}",
                std::process::id(),
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.subsec_nanos())
            ));
            if std::fs::write(&tmp, bytes).is_ok() {
                let _ = std::fs::rename(&tmp, &path);
            }
        }
        Ok((component, false))
    }
}

/// Which world a component implements and which API version it was built for: the version
/// of the `spm:plugin` interfaces it imports, or, for a component importing none of them,
/// what its exports' shape says (a scanner's `scan` gained a parameter in 0.2; hooks are 0.2;
/// auth and policy exports are the same in both, so 0.1 serves them).
pub fn inspect(engine: &Engine, component: &Component) -> Result<(Kind, String), String> {
    let ty = component.component_type();
    let exports: Vec<(String, wasmtime::component::types::ComponentItem)> = ty
        .exports(engine)
        .map(|(n, item)| (n.to_string(), item.ty))
        .collect();
    let imports: Vec<String> = ty.imports(engine).map(|(n, _)| n.to_string()).collect();
    let exports_fn = |name: &str| exports.iter().find(|(n, _)| n == name).map(|(_, i)| i);
    let kind = if exports_fn("scan").is_some() {
        Kind::Scanner
    } else if exports_fn("authenticate").is_some() {
        Kind::Auth
    } else if exports_fn("check-publish").is_some() {
        Kind::Policy
    } else if exports_fn("on-event").is_some() {
        Kind::Hook
    } else {
        return Err(format!(
            "it exports none of the spm plugin worlds (exports: {})",
            exports
                .iter()
                .map(|(n, _)| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let imported = imports.iter().find_map(|i| {
        i.strip_prefix("spm:plugin/")?
            .split_once('@')
            .map(|(_, v)| v.to_string())
    });
    let version = match imported {
        Some(v) => v,
        None => match (kind, exports_fn("scan")) {
            (Kind::Scanner, Some(wasmtime::component::types::ComponentItem::ComponentFunc(f)))
                if f.params().len() == 2 =>
            {
                "0.2.0".into()
            }
            (Kind::Hook, _) => "0.2.0".into(),
            _ => "0.1.0".into(),
        },
    };
    for i in &imports {
        if !i.starts_with("spm:plugin/") && !is_wasi_p2(i) {
            return Err(format!(
                "it imports `{i}`, which spm does not provide (spm gives plugins its own `spm:plugin` interfaces and WASI 0.2)"
            ));
        }
    }
    Ok((kind, version))
}

/// Whether `import` is one of the WASI 0.2 packages the host links, closed (see
/// [`closed_wasi`]): `wasi:io`, `clocks`, `random`, `cli`, `filesystem`, `sockets` (not
/// `wasi:http`: plugins reach the network through `spm:plugin/http`).
fn is_wasi_p2(import: &str) -> bool {
    import.strip_prefix("wasi:").is_some_and(|rest| {
        let package = rest.split('/').next().unwrap_or_default();
        ["io", "clocks", "random", "cli", "filesystem", "sockets"].contains(&package)
            && rest
                .rsplit_once('@')
                .is_some_and(|(_, v)| v.starts_with("0.2."))
    })
}

/// A plugin ready to be called: its pre-instantiated component, for its world and the API
/// version it was built against.
#[derive(Clone)]
pub enum Pre {
    Scanner1(v1::scanner::SafetyScannerPre<Ctx>),
    Auth1(v1::auth::AuthProviderPre<Ctx>),
    Policy1(v1::policy::StoragePolicyPre<Ctx>),
    Scanner2(v2::scanner::SafetyScannerPre<Ctx>),
    Auth2(v2::auth::AuthProviderPre<Ctx>),
    Policy2(v2::policy::StoragePolicyPre<Ctx>),
    Hook2(v2::hook::PublishHookPre<Ctx>),
}

/// A call made to a plugin of another world (never happens: kinds are checked at load).
fn wrong_world(call: &str) -> wasmtime::Error {
    wasmtime::Error::msg(format!("`{call}` called on a plugin of another world"))
}

/// Instantiates `$pre` in `$store` and calls `$call` on it with `$args`.
macro_rules! instance_call {
    ($pre:expr, $store:expr, $call:ident $(, $arg:expr)*) => {{
        let instance = $pre.instantiate_async(&mut *$store).await?;
        instance.$call(&mut *$store $(, $arg)*).await
    }};
}

impl Pre {
    /// The API version's generated `info()`: name, version, description.
    pub async fn info(&self, store: &mut Store<Ctx>) -> wasmtime::Result<types::PluginInfo> {
        macro_rules! info {
            ($p:expr) => {{
                let i = instance_call!($p, store, call_info)?;
                types::PluginInfo {
                    name: i.name,
                    version: i.version,
                    description: i.description,
                }
            }};
        }
        Ok(match self {
            Pre::Scanner1(p) => info!(p),
            Pre::Auth1(p) => info!(p),
            Pre::Policy1(p) => info!(p),
            Pre::Scanner2(p) => info!(p),
            Pre::Auth2(p) => info!(p),
            Pre::Policy2(p) => info!(p),
            Pre::Hook2(p) => info!(p),
        })
    }

    /// A scanner's findings on `pkg`; scanners of API 0.2 also see the previous version.
    pub async fn scan(
        &self,
        store: &mut Store<Ctx>,
        pkg: &types::SkillPackage,
        previous: Option<&types::PreviousVersion>,
    ) -> wasmtime::Result<Result<Vec<types::Finding>, String>> {
        Ok(match self {
            Pre::Scanner1(p) => instance_call!(p, store, call_scan, &v1::SkillPackage::from(pkg))?
                .map(|list| list.into_iter().map(types::Finding::from).collect()),
            Pre::Scanner2(p) => {
                let previous = previous.map(v2::PreviousVersion::from);
                instance_call!(
                    p,
                    store,
                    call_scan,
                    &v2::SkillPackage::from(pkg),
                    previous.as_ref()
                )?
                .map(|list| list.into_iter().map(types::Finding::from).collect())
            }
            _ => return Err(wrong_world("scan")),
        })
    }

    /// An auth provider's answer on a credential.
    pub async fn authenticate(
        &self,
        store: &mut Store<Ctx>,
        req: &types::AuthRequest,
    ) -> wasmtime::Result<types::AuthResult> {
        Ok(match self {
            Pre::Auth1(p) => {
                instance_call!(p, store, call_authenticate, &v1::AuthRequest::from(req))?.into()
            }
            Pre::Auth2(p) => {
                instance_call!(p, store, call_authenticate, &v2::AuthRequest::from(req))?.into()
            }
            _ => return Err(wrong_world("authenticate")),
        })
    }

    /// A storage policy's decision on a publish.
    pub async fn check_publish(
        &self,
        store: &mut Store<Ctx>,
        pkg: &types::SkillPackage,
    ) -> wasmtime::Result<types::Decision> {
        Ok(match self {
            Pre::Policy1(p) => {
                instance_call!(p, store, call_check_publish, &v1::SkillPackage::from(pkg))?.into()
            }
            Pre::Policy2(p) => {
                instance_call!(p, store, call_check_publish, &v2::SkillPackage::from(pkg))?.into()
            }
            _ => return Err(wrong_world("check-publish")),
        })
    }

    /// A storage policy's decision on a download.
    pub async fn check_download(
        &self,
        store: &mut Store<Ctx>,
        ctx: &types::DownloadContext,
    ) -> wasmtime::Result<types::Decision> {
        Ok(match self {
            Pre::Policy1(p) => instance_call!(
                p,
                store,
                call_check_download,
                &v1::DownloadContext::from(ctx)
            )?
            .into(),
            Pre::Policy2(p) => instance_call!(
                p,
                store,
                call_check_download,
                &v2::DownloadContext::from(ctx)
            )?
            .into(),
            _ => return Err(wrong_world("check-download")),
        })
    }

    /// A publish hook told about `event`.
    pub async fn on_event(
        &self,
        store: &mut Store<Ctx>,
        event: &types::RegistryEvent,
    ) -> wasmtime::Result<Result<(), String>> {
        match self {
            Pre::Hook2(p) => {
                instance_call!(p, store, call_on_event, &v2::RegistryEvent::from(event))
            }
            _ => Err(wrong_world("on-event")),
        }
    }
}

/// Links and pre-instantiates `component` with the bindings of its API version.
pub fn pre_instantiate(
    engine: &Engine,
    component: &Component,
    kind: Kind,
    api: ApiVersion,
    name: &str,
    http_granted: bool,
) -> Result<Pre, PluginError> {
    let invalid = |e: wasmtime::Error| PluginError::Invalid {
        plugin: name.to_string(),
        reason: format!("{e:#}"),
    };
    let imports_http = component
        .component_type()
        .imports(engine)
        .any(|(n, _)| n.starts_with("spm:plugin/http@"));
    // Toolchains for other languages import every interface of the world, used or not, so a
    // plugin without a grant still loads; each request it makes fails, saying why.
    if imports_http && !http_granted {
        tracing::debug!(
            plugin = name,
            "it imports outbound HTTP but has no `allowed_hosts`: its requests will be refused"
        );
    }
    let mut linker: Linker<Ctx> = Linker::new(engine);
    let imports_wasi = component
        .component_type()
        .imports(engine)
        .any(|(n, _)| is_wasi_p2(n));
    if imports_wasi {
        wasmtime_wasi::p2::add_to_linker_async(&mut linker).map_err(invalid)?;
    }
    match api {
        ApiVersion::V0_1_0 => {
            v1::scanner::spm::plugin::host::add_to_linker::<Ctx, HasSelf<Ctx>>(&mut linker, |c| c)
                .map_err(invalid)?;
            v1::scanner::spm::plugin::http::add_to_linker::<Ctx, HasSelf<Ctx>>(&mut linker, |c| c)
                .map_err(invalid)?;
            let pre = linker.instantiate_pre(component).map_err(invalid)?;
            Ok(match kind {
                Kind::Scanner => {
                    Pre::Scanner1(v1::scanner::SafetyScannerPre::new(pre).map_err(invalid)?)
                }
                Kind::Auth => Pre::Auth1(v1::auth::AuthProviderPre::new(pre).map_err(invalid)?),
                Kind::Policy => {
                    Pre::Policy1(v1::policy::StoragePolicyPre::new(pre).map_err(invalid)?)
                }
                Kind::Hook => {
                    return Err(PluginError::Invalid {
                        plugin: name.to_string(),
                        reason: "the publish-hook world arrived with API 0.2.0; this component was built for 0.1".into(),
                    });
                }
            })
        }
        ApiVersion::V0_2_0 => {
            v2::scanner::spm::plugin::host::add_to_linker::<Ctx, HasSelf<Ctx>>(&mut linker, |c| c)
                .map_err(invalid)?;
            v2::scanner::spm::plugin::http::add_to_linker::<Ctx, HasSelf<Ctx>>(&mut linker, |c| c)
                .map_err(invalid)?;
            let pre = linker.instantiate_pre(component).map_err(invalid)?;
            Ok(match kind {
                Kind::Scanner => {
                    Pre::Scanner2(v2::scanner::SafetyScannerPre::new(pre).map_err(invalid)?)
                }
                Kind::Auth => Pre::Auth2(v2::auth::AuthProviderPre::new(pre).map_err(invalid)?),
                Kind::Policy => {
                    Pre::Policy2(v2::policy::StoragePolicyPre::new(pre).map_err(invalid)?)
                }
                Kind::Hook => Pre::Hook2(v2::hook::PublishHookPre::new(pre).map_err(invalid)?),
            })
        }
    }
}

/// Limits for one call.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub timeout: Duration,
    pub memory: usize,
}

/// What a plugin printed during a call, kept outside its store so it reaches the log even
/// when the call is dropped at its deadline.
pub struct Output {
    plugin: Arc<str>,
    stdout: CappedLog,
    stderr: CappedLog,
}

impl Output {
    /// Sends what the plugin printed to the log (capped) and empties it.
    pub fn flush(&self) {
        let plugin = &*self.plugin;
        for (stream, pipe) in [("stdout", &self.stdout), ("stderr", &self.stderr)] {
            let (bytes, dropped) = pipe.taken();
            if bytes.is_empty() {
                continue;
            }
            let text = String::from_utf8_lossy(&bytes);
            if dropped > 0 {
                tracing::info!(
                    plugin,
                    stream,
                    dropped,
                    "{} (cut at its cap)",
                    text.trim_end()
                );
            } else {
                tracing::info!(plugin, stream, "{}", text.trim_end());
            }
        }
    }
}

/// A fresh store with the plugin's limits and deadline: while it computes, the plugin yields
/// to the executor every tick, and at the deadline it traps.
pub fn store(
    engine: &Engine,
    name: &Arc<str>,
    settings: &Arc<BTreeMap<String, String>>,
    limits: Limits,
    http: Option<HttpGrant>,
) -> (Store<Ctx>, Output) {
    let (stdout, stderr) = (CappedLog::default(), CappedLog::default());
    let ctx = Ctx {
        plugin: name.clone(),
        settings: settings.clone(),
        limits: StoreLimitsBuilder::new()
            .memory_size(limits.memory)
            .instances(16)
            .trap_on_grow_failure(true)
            .build(),
        http,
        wasi: closed_wasi(&stdout, &stderr),
        table: {
            // WASI handles a plugin may hold at once (host memory, outside its cap).
            let mut t = wasmtime::component::ResourceTable::new();
            t.set_max_capacity(4096);
            t
        },
    };
    let mut store = Store::new(engine, ctx);
    store.limiter(|c| &mut c.limits);
    let deadline = Instant::now() + limits.timeout;
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(move |_| {
        Ok(if Instant::now() >= deadline {
            wasmtime::UpdateDeadline::Interrupt
        } else {
            wasmtime::UpdateDeadline::Yield(1)
        })
    });
    let output = Output {
        plugin: name.clone(),
        stdout,
        stderr,
    };
    (store, output)
}

/// A call stopped at its deadline, in words.
pub fn past_deadline(limits: Limits) -> String {
    format!(
        "it ran past its {} ms deadline and was stopped",
        limits.timeout.as_millis()
    )
}

/// Turns a wasmtime failure into words a publisher and an operator can act on.
pub fn describe(err: &wasmtime::Error, limits: Limits, started: Instant) -> String {
    if let Some(trap) = err.downcast_ref::<wasmtime::Trap>() {
        return match trap {
            wasmtime::Trap::Interrupt => past_deadline(limits),
            wasmtime::Trap::UnreachableCodeReached => {
                "it trapped (panicked or aborted)".to_string()
            }
            other => format!("it trapped: {other}"),
        };
    }
    let text = format!("{err:#}");
    if text.contains("memory")
        && (text.contains("grow") || text.contains("limit") || text.contains("exceed"))
    {
        return format!("it exceeded its {} MiB memory limit", limits.memory >> 20);
    }
    if started.elapsed() >= limits.timeout {
        return past_deadline(limits);
    }
    format!("it failed: {}", text.lines().next().unwrap_or(&text))
}

/// Reads a plugin file.
pub fn read(path: &Path) -> Result<Vec<u8>, PluginError> {
    std::fs::read(path).map_err(|e| PluginError::Invalid {
        plugin: path.display().to_string(),
        reason: format!("cannot read it: {e}"),
    })
}

#[cfg(test)]
mod tests {
    use spm_core::policy::{HostPattern, host::allowed as host_allowed};

    #[test]
    fn allowed_hosts_match_exactly_by_suffix_and_port() {
        let allowed: Vec<HostPattern> = ["api.example.com", "*.corp.example", "127.0.0.1:8080"]
            .iter()
            .map(|h| h.parse().unwrap())
            .collect();
        assert!(host_allowed(&allowed, "api.example.com", Some(443)));
        assert!(host_allowed(&allowed, "id.corp.example", Some(443)));
        assert!(!host_allowed(&allowed, "corp.example", Some(443)));
        assert!(!host_allowed(&allowed, "evil-api.example.com", Some(443)));
        assert!(host_allowed(&allowed, "127.0.0.1", Some(8080)));
        assert!(!host_allowed(&allowed, "127.0.0.1", Some(9090)));
    }
}
