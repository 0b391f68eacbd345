//! Starting and stopping the registry: connect, migrate, serve, drain on shutdown.

use std::future::Future;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::config::Config;
use crate::db::Db;
use crate::plugins::Plugins;
use crate::state::AppState;
use crate::storage::Blobs;

/// Connects to the database (migrating it) and the blob store.
pub async fn state(config: Config, public_url: Option<String>) -> anyhow::Result<AppState> {
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let blobs = Blobs::open(&config.storage)?;
    let cache = config.data_dir.join("plugin-cache");
    let plugins = tokio::task::spawn_blocking({
        let (specs, base, cache) = (
            config.plugins.clone(),
            config.config_base.clone(),
            cache.clone(),
        );
        move || Plugins::load(&specs, Some(cache), &base)
    })
    .await??;
    let plugins = crate::plugins::Live::new(plugins, config.config_file.clone(), Some(cache));
    let public_url = public_url.or_else(|| config.public_url.clone());
    let public_url_from_host = public_url.is_none() && config.bind.is_unspecified();
    let public_url = public_url.unwrap_or_else(|| format!("http://{}", config.addr()));
    let limiters = crate::limits::Limiters::new(&config.rate_limits);
    Ok(AppState {
        db,
        blobs,
        limiters,
        config: Arc::new(config),
        public_url: public_url.trim_end_matches('/').into(),
        public_url_from_host,
        plugins,
        device_sessions: Default::default(),
    })
}

/// How long shutdown waits for publish hooks still running.
const HOOK_DRAIN: std::time::Duration = std::time::Duration::from_secs(30);

/// Serves on `listener` until `shutdown` resolves, then lets in-flight requests finish, then
/// the publish hooks they fired.
///
/// Connections are served by hyper directly (not `axum::serve`) so that the limits in
/// [`ConnLimits`] hold: a client must finish its request headers within the header-read
/// timeout (this also bounds how long an idle keep-alive connection is kept), headers are
/// capped in size, and at most `max_connections` are open at once; further clients wait in
/// the listen backlog.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let limits = ConnLimits::from(state.config.as_ref());
    let app = crate::app::app(state);
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot?,
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => (stream, peer),
                Err(e) => {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tracing::warn!("cannot accept a connection: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        // The peer's address, for the per-IP limits.
        let with_peer = tower::ServiceExt::map_request(
            app.clone(),
            move |mut req: hyper::Request<hyper::body::Incoming>| {
                req.extensions_mut()
                    .insert(axum::extract::ConnectInfo(peer));
                req
            },
        );
        let service = hyper_util::service::TowerToHyperService::new(with_peer);
        let conn = limits
            .http1()
            .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        let conn = graceful.watch(conn);
        tokio::spawn(async move {
            if let Err(e) = conn.await {
                tracing::debug!("connection ended: {e}");
            }
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    // Hooks told about the last requests finish too (each within its own deadline).
    crate::plugins::drain_hooks(HOOK_DRAIN).await;
    Ok(())
}

/// Per-connection limits, from the configuration.
#[derive(Debug, Clone, Copy)]
pub struct ConnLimits {
    pub header_read_timeout: std::time::Duration,
    pub max_connections: usize,
    /// Request line plus headers.
    pub max_header_bytes: usize,
}

impl From<&Config> for ConnLimits {
    fn from(c: &Config) -> Self {
        ConnLimits {
            header_read_timeout: c.header_read_timeout,
            max_connections: c.max_connections,
            max_header_bytes: 64 * 1024,
        }
    }
}

impl ConnLimits {
    fn http1(&self) -> hyper::server::conn::http1::Builder {
        let mut b = hyper::server::conn::http1::Builder::new();
        b.timer(hyper_util::rt::TokioTimer::new())
            .header_read_timeout(self.header_read_timeout)
            .max_buf_size(self.max_header_bytes.max(8192))
            .max_headers(100)
            .keep_alive(true);
        b
    }
}

/// Logs to stderr, filtered by `SPM_LOG` (`default` when unset); one JSON object a line
/// with `SPM_LOG_FORMAT=json` (each request's lines carry its id as `span.id`).
pub fn init_log(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("SPM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let json = std::env::var("SPM_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let fmt = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr);
    let _ = if json {
        fmt.json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init()
    } else {
        fmt.with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .try_init()
    };
}

/// `spm server start`: log set-up, the configuration summary, and serve until Ctrl-C/SIGTERM.
pub async fn run(config: Config) -> anyhow::Result<()> {
    init_log("info,sqlx=warn,tower_http=info");
    let addr = config.addr();
    eprintln!("spm registry\n{}", config.summary());
    let listener = TcpListener::bind(addr).await.map_err(|e| {
        anyhow::anyhow!(
            "cannot listen on {addr}: {e} (is another server using the port? try --port)"
        )
    })?;
    let state = state(config, None).await?;
    reload_on_hangup(state.plugins.clone());
    if let Some(maddr) = state.config.metrics_addr {
        let l = TcpListener::bind(maddr).await.map_err(|e| {
            anyhow::anyhow!("cannot listen on {maddr} for metrics (SPM_METRICS_ADDR): {e}")
        })?;
        tracing::info!(addr = %maddr, "metrics listening");
        let router = crate::metrics::separate(state.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(l, router).await {
                tracing::error!("the metrics listener stopped: {e}");
            }
        });
    }
    tracing::info!(%addr, "registry listening");
    if state.public_url_from_host {
        tracing::warn!(
            "no SPM_PUBLIC_URL: download links are built from each request's Host header; set SPM_PUBLIC_URL to the address users reach"
        );
    }
    serve(listener, state, shutdown_signal()).await?;
    tracing::info!("registry stopped");
    Ok(())
}

/// `SIGHUP` reloads `[[plugins]]` from the configuration file (Unix).
fn reload_on_hangup(plugins: crate::plugins::Live) {
    #[cfg(unix)]
    tokio::spawn(async move {
        let Ok(mut hup) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
        else {
            return;
        };
        while hup.recv().await.is_some() {
            match plugins.reload().await {
                Ok(n) => tracing::info!(plugins = n, "SIGHUP: plugins reloaded"),
                Err(e) => tracing::error!("SIGHUP: plugins not reloaded, the old set stays: {e}"),
            }
        }
    });
    #[cfg(not(unix))]
    let _ = plugins;
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}

/// `spm server create-admin`: an admin account and its admin token.
pub async fn create_admin(config: &Config, name: &str) -> anyhow::Result<String> {
    spm_core::skill::check_author(name).map_err(|e| anyhow::anyhow!("the name `{name}` {e}"))?;
    let db = Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let author = match db.author_by_name(name).await? {
        Some(a) if db.is_org(a.id).await? => {
            anyhow::bail!(
                "`{name}` is an organisation; an administrator is an account (pick another name)"
            )
        }
        Some(a) => {
            db.set_admin(a.id, true).await?;
            a
        }
        None => db
            .create_author(name, None, true)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the name `{name}` was just taken"))?,
    };
    let (_, token) = db
        .create_token(
            author.id,
            "admin",
            crate::db::tokens::Scope::Admin,
            None,
            None,
        )
        .await?;
    Ok(token)
}

/// `spm server rescan`: connects like `spm server start`, then re-judges every stored version
/// ([`crate::publish::rescan`]).
pub async fn rescan(config: Config) -> anyhow::Result<crate::publish::Rescan> {
    let state = state(config, None).await?;
    let done = crate::publish::rescan(&state).await?;
    // The hooks told about versions it blocked finish before the command exits.
    crate::plugins::drain_hooks(HOOK_DRAIN).await;
    Ok(done)
}
