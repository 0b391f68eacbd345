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

/// What `spm plugin run` gives the plugin.
pub struct RunInput<'a> {
    /// The skill a scanner or policy judges, or a hook's event is about.
    pub skill: Option<&'a Path>,
    /// The previous version, for scanners of API 0.2.
    pub previous: Option<&'a Path>,
    /// The event a hook is told about.
    pub event: &'a str,
    pub settings: &'a [String],
    pub token: Option<&'a str>,
}

/// `spm plugin run <file> [skill]`.
pub async fn run(
    file: &Path,
    input: RunInput<'_>,
    limits: RunLimits,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let RunLimits {
        timeout_ms,
        memory_mb,
        repeat,
    } = limits;
    let RunInput {
        skill,
        previous,
        event,
        settings,
        token,
    } = input;
    // What the plugin logs and prints goes to stderr (SPM_LOG=debug for more).
    spm_host::server::init_log("warn,spm_host::plugins::runtime=info");
    // Checked with the limits it runs with: a plugin needing more than the defaults loads.
    let report = plugins::check_with(file, cache_dir(), timeout_ms, memory_mb).await?;
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
    if report.kind == Kind::Hook {
        return tell_hook(&loaded, skill, event).await;
    }
    let Some(skill_dir) = skill else {
        bail!("give the skill folder to judge")
    };
    let (m, package, files) = local_package(skill_dir)?;
    let author = m.author.clone().unwrap_or_else(|| "local".into());
    let meta = PackageMeta {
        author: &author,
        publisher: &author,
        packed_size: package.len() as u64,
        manifest_json: spm_core::api::client_manifest(&m, &author).to_string(),
    };
    let view = plugins::package_view(&m, meta, &files);
    let previous = match previous {
        Some(dir) => {
            let (pm, _, pfiles) = local_package(dir)?;
            Some(plugins::types::PreviousVersion {
                version: pm.version.map(|v| v.to_string()).unwrap_or_default(),
                files: plugins::file_views(&pfiles),
            })
        }
        None => None,
    };
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
    let (findings, failures) = loaded.scan(&view, previous.as_ref()).await;
    if let Some(f) = failures.first() {
        bail!("{} failed: {}", f.plugin, f.reason);
    }
    if repeat > 1 {
        // Per-call time, measured in this process after the first call: what a server pays
        // for each publish (a fresh instance per call, as there).
        let mut times = Vec::with_capacity(repeat as usize);
        for _ in 1..repeat {
            let started = std::time::Instant::now();
            let (_, failures) = loaded.scan(&view, previous.as_ref()).await;
            if let Some(f) = failures.first() {
                bail!("{} failed: {}", f.plugin, f.reason);
            }
            times.push(started.elapsed().as_secs_f64() * 1000.0);
        }
        times.sort_by(f64::total_cmp);
        eprintln!(
            "{} calls on {} bytes packed: median {:.2} ms, p90 {:.2} ms per call",
            times.len(),
            package.len(),
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

/// A local skill folder as the registry would see it published: its manifest, its packed
/// archive and its files.
fn local_package(
    dir: &Path,
) -> anyhow::Result<(spm_core::skill::Manifest, Vec<u8>, spm_core::package::Files)> {
    let s = Skill::load(dir, &Options::default());
    let Some(m) = s.manifest.clone() else {
        bail!(
            "{} is not a valid skill; run `spm validate {}`",
            dir.display(),
            dir.display()
        );
    };
    let package = pack(dir, &PackLimits::default())?;
    let files = read_archive(&package.bytes, &UnpackLimits::default())?;
    Ok((m, package.bytes, files))
}

/// `spm plugin run <hook> [skill] --event <kind>`: tells the hook and waits for it.
async fn tell_hook(
    loaded: &Plugins,
    skill: Option<&Path>,
    event: &str,
) -> anyhow::Result<ExitCode> {
    let kind: plugins::types::EventKind = event.parse().map_err(anyhow::Error::msg)?;
    let (author, name, version) = match skill {
        Some(dir) => {
            let (m, _, _) = local_package(dir)?;
            (
                m.author.clone().unwrap_or_else(|| "local".into()),
                m.name.clone(),
                m.version.map(|v| v.to_string()).unwrap_or_default(),
            )
        }
        None => ("local".into(), "example".into(), "1.0.0".into()),
    };
    let told = plugins::types::RegistryEvent {
        kind,
        author,
        name,
        version,
        actor: "local".into(),
        safety_status: "clean".into(),
        reason: None,
        at: plugins::unix_now(),
    };
    if let Some(f) = loaded.notify(&told).await.first() {
        bail!("{} failed: {}", f.plugin, f.reason);
    }
    println!(
        "told: {event} {}/{}@{}",
        told.author, told.name, told.version
    );
    Ok(ExitCode::SUCCESS)
}

/// Where compiled plugins are kept between runs (`~/.spm/plugin-cache`): compiling a Python
/// or JavaScript component takes seconds, loading the compiled one milliseconds.
fn cache_dir() -> Option<std::path::PathBuf> {
    spm_client::home::home()
        .ok()
        .map(|h| h.join("plugin-cache"))
}
