//! `spm plugin build|check|run`: the plugin author's loop, without a server. Building is
//! cargo tooling (`spm-client`); checking and running load the component in the host's
//! plugin runtime ([`super::plugin_host`], `server` feature).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use spm_client::plugin_build;

#[derive(clap::Subcommand)]
pub enum PluginCommand {
    /// Build a plugin crate (or a workspace of them) into WebAssembly components
    Build {
        /// The crate or workspace folder [default: .]
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Copy the components here [default: print where they are].
        /// The build goes to DIR/target/spm-wasm, or to $SPM_PLUGIN_TARGET_DIR
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Say which world and API version a component implements, or why it is not a plugin
    Check {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Run a scanner or storage policy against a local skill (or an auth provider on --token)
    Run {
        file: PathBuf,
        /// The skill folder (scanners and policies)
        skill: Option<PathBuf>,
        /// A setting for the plugin, KEY=VALUE (repeatable)
        #[arg(long = "set", value_name = "KEY=VALUE")]
        settings: Vec<String>,
        /// The credential to give an auth provider
        #[arg(long)]
        token: Option<String>,
        #[arg(long, default_value_t = 1000)]
        timeout_ms: u64,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(cmd: &PluginCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        PluginCommand::Build { dir, out } => {
            let target = std::env::var_os("SPM_PLUGIN_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| dir.join("target").join("spm-wasm"));
            eprintln!("building {} ({:?})", dir.display(), plugin_build::detect()?);
            let dir2 = dir.clone();
            let built =
                tokio::task::spawn_blocking(move || plugin_build::build(&dir2, &target, &[]))
                    .await??;
            for f in built {
                match out {
                    Some(o) => {
                        std::fs::create_dir_all(o)?;
                        let dest = o.join(f.file_name().context("no file name")?);
                        std::fs::copy(&f, &dest)?;
                        println!("{}", dest.display());
                    }
                    None => println!("{}", f.display()),
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        #[cfg(feature = "server")]
        PluginCommand::Check { file, json } => super::plugin_host::check(file, *json).await,
        #[cfg(feature = "server")]
        PluginCommand::Run {
            file,
            skill,
            settings,
            token,
            timeout_ms,
            json,
        } => {
            super::plugin_host::run(
                file,
                skill.as_deref(),
                settings,
                token.as_deref(),
                *timeout_ms,
                *json,
            )
            .await
        }
        #[cfg(not(feature = "server"))]
        PluginCommand::Check { .. } => Err(super::not_in_this_build("spm plugin check")),
        #[cfg(not(feature = "server"))]
        PluginCommand::Run { .. } => Err(super::not_in_this_build("spm plugin run")),
    }
}
