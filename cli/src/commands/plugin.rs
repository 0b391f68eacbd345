//! `spm plugin build|check|run`: the plugin author's loop, without a server.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use spm_core::package::{PackLimits, UnpackLimits, pack, read_archive};
use spm_core::skill::{Options, Skill};
use spm_host::plugins::{self, AuthOutcome, Kind, PackageMeta, PluginSpec, Plugins};

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
            eprintln!(
                "building {} ({:?})",
                dir.display(),
                plugins::build::detect()?
            );
            let dir2 = dir.clone();
            let built =
                tokio::task::spawn_blocking(move || plugins::build::build(&dir2, &target, &[]))
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
        PluginCommand::Check { file, json } => match plugins::check(file).await {
            Ok(r) => {
                if *json {
                    println!("{}", serde_json::to_string_pretty(&r)?);
                } else {
                    println!(
                        "{}: {} plugin, spm:plugin@{}",
                        file.display(),
                        r.world,
                        r.api_version
                    );
                    println!("  {} {} — {}", r.name, r.version, r.description);
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(e) => {
                eprintln!("error: {e}");
                Ok(ExitCode::from(1))
            }
        },
        PluginCommand::Run {
            file,
            skill,
            settings,
            token,
            timeout_ms,
            json,
        } => {
            let report = plugins::check(file).await?;
            let settings: BTreeMap<String, String> = settings
                .iter()
                .map(|kv| {
                    kv.split_once('=')
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .with_context(|| format!("`{kv}` is not KEY=VALUE"))
                })
                .collect::<anyhow::Result<_>>()?;
            let spec = PluginSpec {
                name: Some(report.name.clone()),
                path: file.clone(),
                kind: report.kind,
                timeout_ms: *timeout_ms,
                memory_mb: 64,
                fail_open: false,
                settings,
            };
            let loaded = Plugins::load(&[spec], None, std::path::Path::new("."))?;
            if report.kind == Kind::Auth {
                let outcome = loaded
                    .authenticate(token.as_deref(), Vec::new())
                    .await
                    .map_err(|f| anyhow::anyhow!("{}: {}", f.plugin, f.reason))?;
                let text = match outcome {
                    AuthOutcome::NotMine => {
                        "not mine (the next provider would be asked)".to_string()
                    }
                    AuthOutcome::Authenticated { name, scopes, .. } => {
                        format!("authenticated as {name} with scopes {}", scopes.join(" "))
                    }
                    AuthOutcome::Denied { reason, .. } => format!("denied: {reason}"),
                };
                println!("{text}");
                return Ok(ExitCode::SUCCESS);
            }
            let Some(skill_dir) = skill else {
                bail!("give the skill folder to judge")
            };
            let s = Skill::load(skill_dir, &Options::default());
            let Some(m) = s.manifest.clone() else {
                bail!(
                    "{} is not a valid skill; run `spm validate {}`",
                    skill_dir.display(),
                    skill_dir.display()
                );
            };
            let package = pack(skill_dir, &PackLimits::default())?;
            let files = read_archive(&package.bytes, &UnpackLimits::default())?;
            let author = m.author.clone().unwrap_or_else(|| "local".into());
            let meta = PackageMeta {
                author: &author,
                publisher: &author,
                packed_size: package.bytes.len() as u64,
                manifest_json: spm_core::api::client_manifest(&m, &author).to_string(),
            };
            let view = plugins::package_view(&m, meta, &files);
            if report.kind == Kind::Policy {
                let d = loaded
                    .check_publish(&view)
                    .await
                    .map_err(|f| anyhow::anyhow!("{}: {}", f.plugin, f.reason))?;
                match d {
                    Ok(()) => println!("allow"),
                    Err((_, reason)) => {
                        println!("deny: {reason}");
                        return Ok(ExitCode::from(1));
                    }
                }
                return Ok(ExitCode::SUCCESS);
            }
            let (findings, failures) = loaded.scan(&view).await;
            if let Some(f) = failures.first() {
                bail!("{} failed: {}", f.plugin, f.reason);
            }
            if *json {
                println!("{}", serde_json::to_string_pretty(&findings)?);
            } else if findings.is_empty() {
                println!("no findings");
            } else {
                for f in &findings {
                    let place = match (&f.file, f.line) {
                        (Some(file), Some(l)) => format!("{file}:{l}"),
                        (Some(file), None) => file.clone(),
                        _ => "-".into(),
                    };
                    println!("{:<9} {place}  [{}] {}", f.severity, f.rule, f.message);
                }
            }
            Ok(
                if findings
                    .iter()
                    .any(|f| matches!(f.severity.as_str(), "high" | "critical"))
                {
                    ExitCode::from(1)
                } else {
                    ExitCode::SUCCESS
                },
            )
        }
    }
}
