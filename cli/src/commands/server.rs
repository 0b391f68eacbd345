//! `spm server start`, `spm server create-admin` and `spm server rescan`: the registry from
//! the command line (only in builds with the `server` feature).

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

#[cfg(feature = "server")]
use spm_host::config::{Config, Overrides};

#[derive(clap::Args)]
pub struct StartArgs {
    #[command(flatten)]
    pub common: Common,
    /// Port to listen on [env: PORT] [default: 3717]
    #[arg(long)]
    pub port: Option<u16>,
    /// Address to listen on [env: SPM_BIND] [default: 127.0.0.1]
    #[arg(long)]
    pub bind: Option<IpAddr>,
    /// URL clients reach this server at, for download links [env: SPM_PUBLIC_URL]
    #[arg(long)]
    pub public_url: Option<String>,
}

#[derive(clap::Args)]
pub struct AdminArgs {
    #[command(flatten)]
    pub common: Common,
    /// Account name of the administrator
    #[arg(long)]
    pub name: String,
}

#[derive(clap::Args)]
pub struct Common {
    /// Configuration file [env: SPM_CONFIG] [default: ./spm.toml if present]
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Where the embedded database and blobs live [env: SPM_DATA_DIR] [default: ./spm-data]
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// sqlite://... or postgres://... [env: DATABASE_URL]
    #[arg(long)]
    pub database_url: Option<String>,
}

#[cfg(feature = "server")]
fn load(
    common: &Common,
    port: Option<u16>,
    bind: Option<IpAddr>,
    public_url: Option<String>,
) -> anyhow::Result<Config> {
    let over = Overrides {
        config_file: common.config.clone(),
        bind,
        port,
        data_dir: common.data_dir.clone(),
        database_url: common.database_url.clone(),
        public_url,
    };
    Ok(Config::load(&over, &|k| std::env::var(k).ok())?)
}

#[cfg(feature = "server")]
fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

#[cfg(feature = "server")]
pub fn start(args: &StartArgs) -> anyhow::Result<ExitCode> {
    let config = load(&args.common, args.port, args.bind, args.public_url.clone())?;
    runtime()?.block_on(spm_host::server::run(config))?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(feature = "server")]
pub fn create_admin(args: &AdminArgs) -> anyhow::Result<ExitCode> {
    let config = load(&args.common, None, None, None)?;
    let token = runtime()?.block_on(spm_host::server::create_admin(&config, &args.name))?;
    eprintln!(
        "Administrator `{}` is ready. Its admin token (shown once; store it now):",
        args.name
    );
    println!("{token}");
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct RescanArgs {
    #[command(flatten)]
    pub common: Common,
}

#[cfg(feature = "server")]
pub fn rescan(args: &RescanArgs) -> anyhow::Result<ExitCode> {
    let config = load(&args.common, None, None, None)?;
    let r = runtime()?.block_on(spm_host::server::rescan(config))?;
    for c in &r.changed {
        println!("{}: {} -> {}", c.target, c.before, c.after);
    }
    for (target, why) in &r.skipped {
        eprintln!("{target}: not rescanned: {why}");
    }
    println!(
        "rescanned {} versions: {} changed{}",
        r.total - r.skipped.len(),
        r.changed.len(),
        if r.skipped.is_empty() {
            String::new()
        } else {
            format!(
                ", {} could not be judged (left as they were)",
                r.skipped.len()
            )
        }
    );
    // Versions that could not be judged are a failure the operator must look at.
    Ok(if r.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

#[cfg(not(feature = "server"))]
pub fn start(_: &StartArgs) -> anyhow::Result<ExitCode> {
    Err(super::not_in_this_build("spm server start"))
}

#[cfg(not(feature = "server"))]
pub fn create_admin(_: &AdminArgs) -> anyhow::Result<ExitCode> {
    Err(super::not_in_this_build("spm server create-admin"))
}

#[cfg(not(feature = "server"))]
pub fn rescan(_: &RescanArgs) -> anyhow::Result<ExitCode> {
    Err(super::not_in_this_build("spm server rescan"))
}
