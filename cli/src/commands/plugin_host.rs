//! `spm plugin check|run`: loading components in the real plugin runtime (wasmtime), so
//! only in builds with the `server` feature.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use spm_core::package::{PackLimits, UnpackLimits, pack, read_archive};
use spm_core::skill::{Options, Skill};
use spm_host::plugins::{self, AuthOutcome, Kind, PackageMeta, PluginSpec, Plugins};

/// `spm plugin check <file>`.
pub async fn check(file: &Path, json: bool) -> anyhow::Result<ExitCode> {
    match plugins::check(file, cache_dir()).await {
        Ok(r) => {
            if json {
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
    }
}

/// How `spm plugin run` calls the plugin: its deadline and memory cap, and how many times.
pub struct RunLimits {
    pub timeout_ms: u64,
    pub memory_mb: u64,
    pub repeat: u32,
}

/// `spm plugin run <file> [skill]`.
pub async fn run(
    file: &Path,
    skill: Option<&Path>,
    settings: &[String],
    token: Option<&str>,
    limits: RunLimits,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let RunLimits {
        timeout_ms,
        memory_mb,
        repeat,
    } = limits;
    let report = plugins::check(file, cache_dir()).await?;
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
        path: file.to_path_buf(),
        kind: report.kind,
        timeout_ms,
        memory_mb,
        fail_open: false,
        settings,
    };
    let loaded = Plugins::load(&[spec], cache_dir(), std::path::Path::new("."))?;
    if report.kind == Kind::Auth {
        let outcome = loaded
            .authenticate(token, Vec::new())
            .await
            .map_err(|f| anyhow::anyhow!("{}: {}", f.plugin, f.reason))?;
        let text = match outcome {
            AuthOutcome::NotMine => "not mine (the next provider would be asked)".to_string(),
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
    if repeat > 1 {
        // Per-call time, measured in this process after the first call: what a server pays
        // for each publish (a fresh instance per call, as there).
        let mut times = Vec::with_capacity(repeat as usize);
        for _ in 1..repeat {
            let started = std::time::Instant::now();
            let (_, failures) = loaded.scan(&view).await;
            if let Some(f) = failures.first() {
                bail!("{} failed: {}", f.plugin, f.reason);
            }
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        eprintln!(
            "{} calls on {} bytes packed: median {:.2} ms, p90 {:.2} ms per call",
            times.len(),
            package.bytes.len(),
            times[times.len() / 2],
            times[times.len() * 9 / 10]
        );
    }
    if json {
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

/// Where compiled plugins are kept between runs (`~/.spm/plugin-cache`): compiling a Python
/// or JavaScript component takes seconds, loading the compiled one milliseconds.
fn cache_dir() -> Option<std::path::PathBuf> {
    spm_client::home::home()
        .ok()
        .map(|h| h.join("plugin-cache"))
}
