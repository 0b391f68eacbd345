//! `spm plugin new|build|check|run`: the plugin author's loop, without a server. Creating
//! and building are `spm-client` (each language's own toolchain); checking and running load
//! the component in the host's plugin runtime ([`super::plugin_host`], `server` feature).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use spm_client::{plugin_build, plugin_new};

#[derive(clap::Subcommand)]
pub enum PluginCommand {
    /// Start a plugin project in Rust, Python or JavaScript that builds in any folder
    New {
        /// The plugin's name (lowercase letters, digits and `-`)
        name: String,
        /// Its language: rust, python or js
        #[arg(long, default_value = "rust", value_parser = |s: &str| s.parse::<plugin_new::Lang>())]
        lang: plugin_new::Lang,
        /// What it is: scanner (content safety), auth (authentication) or policy (storage)
        #[arg(long, default_value = "scanner", value_parser = |s: &str| s.parse::<plugin_new::World>())]
        world: plugin_new::World,
        /// The folder to create [default: ./NAME]
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Build a plugin project (a Rust crate or workspace, or a Python or JavaScript project)
    /// into WebAssembly components
    Build {
        /// The project folder [default: .]
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Copy the components here [default: print where they are].
        /// A Rust build goes to DIR/target/spm-wasm, or to $SPM_PLUGIN_TARGET_DIR; Python and
        /// JavaScript builds to DIR/dist
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Say which world and API version a component implements, or why it is not a plugin
    Check {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Run a scanner or storage policy against a local skill, an auth provider on --token, or
    /// tell a publish hook about an --event
    Run {
        file: PathBuf,
        /// The skill folder (scanners and policies; for hooks, the skill the event is about)
        skill: Option<PathBuf>,
        /// The previous version's folder, which scanners of API 0.2 compare against
        #[arg(long)]
        previous: Option<PathBuf>,
        /// The event to tell a publish hook: published, yanked, unyanked, blocked, approved
        /// or removed
        #[arg(long, default_value = "published")]
        event: String,
        /// A setting for the plugin, KEY=VALUE (repeatable)
        #[arg(long = "set", value_name = "KEY=VALUE")]
        settings: Vec<String>,
        /// The credential to give an auth provider
        #[arg(long)]
        token: Option<String>,
        #[arg(long, default_value_t = 1000)]
        timeout_ms: u64,
        /// Its memory cap, as a server's `memory_mb`
        #[arg(long, default_value_t = 64)]
        memory_mb: u64,
        /// Call a scanner this many times and report the time per call (on stderr)
        #[arg(long, default_value_t = 1)]
        repeat: u32,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(cmd: &PluginCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        PluginCommand::New {
            name,
            lang,
            world,
            dir,
        } => {
            let dir = dir.clone().unwrap_or_else(|| PathBuf::from(name));
            let files = plugin_new::create(&dir, name, *lang, *world)?;
            eprintln!(
                "created {} ({} {} plugin, spm:plugin@{}, {} files)",
                dir.display(),
                lang.as_str(),
                world.wit(),
                plugin_new::API_VERSION,
                files.len()
            );
            eprintln!(
                "next: cd {} && spm plugin build . --out dist",
                dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        PluginCommand::Build { dir, out } => {
            let target = std::env::var_os("SPM_PLUGIN_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| dir.join("target").join("spm-wasm"));
            match plugin_build::project(dir)? {
                plugin_build::Project::Rust => {
                    eprintln!("building {} ({:?})", dir.display(), plugin_build::detect()?)
                }
                plugin_build::Project::Script { lang, .. } => {
                    eprintln!("building {} ({})", dir.display(), lang.as_str())
                }
            }
            let dir2 = dir.clone();
            let built =
                tokio::task::spawn_blocking(move || plugin_build::build_project(&dir2, &target))
                    .await??;
            for f in built {
                match out {
                    Some(o) => {
                        std::fs::create_dir_all(o)?;
                        let dest = o.join(f.file_name().context("no file name")?);
                        // Built there already (`--out dist` for a Python or JS project):
                        // copying a file onto itself would empty it.
                        let same =
                            std::fs::canonicalize(&f).ok() == std::fs::canonicalize(&dest).ok();
                        if !same {
                            std::fs::copy(&f, &dest)?;
                        }
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
            previous,
            event,
            settings,
            token,
            timeout_ms,
            memory_mb,
            repeat,
            json,
        } => {
            super::plugin_host::run(
                file,
                super::plugin_host::RunInput {
                    skill: skill.as_deref(),
                    previous: previous.as_deref(),
                    event,
                    settings,
                    token: token.as_deref(),
                },
                super::plugin_host::RunLimits {
                    timeout_ms: *timeout_ms,
                    memory_mb: *memory_mb,
                    repeat: *repeat,
                },
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
