//! `spm publish`: validate, pack and upload a skill (or, with `--all`, every skill below a
//! folder in dependency order). `--dry-run` stops after packing and touches no network.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::Serialize;
use spm_core::api::client_manifest;
use spm_core::package::limits::human_bytes;
use spm_core::package::{PackLimits, Package, pack};
use spm_core::skill::{Manifest, Options, Skill};

use crate::render;
use spm_client::home::UserConfig;
use spm_client::registry::{Client, ClientError};
use spm_client::{discover, install};

#[derive(clap::Args)]
pub struct Args {
    /// The skill directory (with --all: the folder to search; with --github: the skill's
    /// folder inside the repository) [default: .]
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Publish from a GitHub repository: owner/repo or owner/repo@ref (GITHUB_TOKEN for private ones)
    #[arg(long, value_name = "OWNER/REPO[@REF]", conflicts_with = "all")]
    pub github: Option<String>,
    /// Publish every skill below DIR, dependencies first
    #[arg(long)]
    pub all: bool,
    /// Validate and pack, print what would be published, upload nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Print a JSON report on stdout
    #[arg(long)]
    pub json: bool,
    /// Largest packed size accepted, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = PackLimits::default().max_packed_bytes)]
    pub max_size: u64,
    /// Most files in one package
    #[arg(long, value_name = "N", default_value_t = PackLimits::default().max_files)]
    pub max_files: usize,
    /// Largest single file, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = PackLimits::default().max_file_bytes)]
    pub max_file_size: u64,
    /// Registry name or URL [default: the configured default]
    #[arg(long)]
    pub registry: Option<String>,
    /// Make the skill private: only you (and its organisation's members) can see it
    #[arg(long, conflicts_with = "public")]
    pub private: bool,
    /// Make a private skill public again
    #[arg(long)]
    pub public: bool,
}

impl Args {
    /// The visibility to send; none keeps the skill's (public for a new one).
    fn visibility(&self) -> Option<&'static str> {
        match (self.private, self.public) {
            (true, _) => Some("private"),
            (_, true) => Some("public"),
            _ => None,
        }
    }

    fn limits(&self) -> PackLimits {
        PackLimits {
            max_packed_bytes: self.max_size,
            max_files: self.max_files,
            max_file_bytes: self.max_file_size,
        }
    }
}

#[derive(Serialize)]
struct FileEntry<'a> {
    path: &'a str,
    size: u64,
}

/// A validated, packed skill ready to upload.
struct Prepared {
    skill: Skill,
    manifest: Manifest,
    package: Package,
}

fn prepare(dir: &Path, limits: &PackLimits) -> Result<Prepared, String> {
    let skill = Skill::load(
        dir,
        &Options {
            require_version: true,
            ..Options::default()
        },
    );
    let Some(manifest) = skill.manifest.clone().filter(|_| !skill.has_errors()) else {
        let first = skill
            .diagnostics
            .iter()
            .find(|d| d.is_error())
            .map(ToString::to_string)
            .unwrap_or_default();
        return Err(format!("not valid: {first}"));
    };
    let package = pack(dir, limits).map_err(|e| e.to_string())?;
    for rel in &package.linked_outside {
        eprintln!(
            "warning: {rel} is hard-linked to a file outside {}; its current content is packed and published",
            dir.display()
        );
    }
    Ok(Prepared {
        skill,
        manifest,
        package,
    })
}

fn print_package(p: &Prepared, json: bool, dry_run: bool) -> anyhow::Result<()> {
    let m = &p.manifest;
    let version = m
        .version
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    if json {
        let files: Vec<_> = p
            .package
            .files
            .iter()
            .map(|f| FileEntry {
                path: &f.rel,
                size: f.size,
            })
            .collect();
        let excluded: Vec<_> = p
            .package
            .excluded
            .iter()
            .map(|e| serde_json::json!({ "path": e.rel, "reason": e.reason.to_string() }))
            .collect();
        let out = serde_json::json!({
            "name": m.name,
            "version": version,
            "dry_run": dry_run,
            "files": files,
            "excluded": excluded,
            "packed_size": p.package.bytes.len(),
            "unpacked_size": p.package.unpacked_size(),
            "integrity": p.package.integrity.to_string(),
            "linked_outside": p.package.linked_outside,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!("{}@{version}", m.name);
    println!("files:");
    for f in &p.package.files {
        println!("  {:>10}  {}", human_bytes(f.size), f.rel);
    }
    if !p.package.excluded.is_empty() {
        println!("left out:");
        for e in &p.package.excluded {
            let slash = if e.is_dir { "/" } else { "" };
            println!("  {}{slash}  ({})", e.rel, e.reason);
        }
    }
    let n = p.package.files.len();
    println!(
        "packed size:   {} ({n} file{}, {} unpacked)",
        human_bytes(p.package.bytes.len() as u64),
        if n == 1 { "" } else { "s" },
        human_bytes(p.package.unpacked_size())
    );
    println!("integrity:     {}", p.package.integrity);
    Ok(())
}

async fn upload(
    client: &Client,
    p: &Prepared,
    visibility: Option<&str>,
) -> Result<spm_core::api::PublishResponse, ClientError> {
    let author = p.manifest.author.clone().unwrap_or_default();
    let mut metadata = serde_json::json!({
        "manifest": client_manifest(&p.manifest, &author),
        "content": p.skill.source.clone().unwrap_or_default(),
    });
    if let Some(v) = visibility {
        metadata["visibility"] = v.into();
    }
    client
        .publish(
            metadata,
            p.package.bytes.clone(),
            &p.package.integrity.to_string(),
        )
        .await
}

/// The server's refusal in plain words, with what to do next.
fn explain(e: &ClientError) -> String {
    match e {
        ClientError::Api {
            status: 401,
            message,
            ..
        } => format!("{message}; log in with `spm login <url> --name <you>` or set SPM_TOKEN"),
        ClientError::Api {
            status: 403,
            message,
            details,
            ..
        } => {
            let mut s = format!("refused: {message}");
            if let Some(findings) = details
                .as_ref()
                .and_then(|d| d.get("findings"))
                .and_then(|f| f.as_array())
            {
                for f in findings {
                    s.push_str(&format!(
                        "\n    {}:{} [{}] {}",
                        f["file"].as_str().unwrap_or("?"),
                        f["line"],
                        f["rule"].as_str().unwrap_or(""),
                        f["message"].as_str().unwrap_or("")
                    ));
                }
            }
            s
        }
        ClientError::Api {
            status: 409,
            message,
            ..
        } => message.to_string(),
        ClientError::Api {
            status: 413,
            message,
            ..
        } => format!("too large: {message}"),
        other => other.to_string(),
    }
}

pub async fn run(args: &Args) -> anyhow::Result<ExitCode> {
    if args.all {
        return run_all(args).await;
    }
    let limits = args.limits();
    // From GitHub: the skill's folder, fetched into a temporary one named like it.
    let mut _fetched = None;
    let dir = match &args.github {
        Some(spec) => {
            let src = spm_client::github_source::parse(spec)?;
            let tmp = tempfile::tempdir()?;
            let folder = args
                .dir
                .file_name()
                .filter(|_| args.dir != Path::new("."))
                .map_or_else(|| src.repo.clone().into(), |n| n.to_os_string());
            let target = tmp.path().join(folder);
            spm_client::github_source::fetch(&src, &args.dir, &target).await?;
            eprintln!("fetched {src} `{}`", args.dir.display());
            _fetched = Some(tmp);
            target
        }
        None => args.dir.clone(),
    };
    let skill = Skill::load(
        &dir,
        &Options {
            require_version: true,
            ..Options::default()
        },
    );
    for d in &skill.diagnostics {
        eprintln!("{}", render::report(d, skill.source.as_deref()));
    }
    if skill.has_errors() {
        eprintln!(
            "error: {} is not valid; fix the errors above before publishing",
            dir.display()
        );
        return Ok(ExitCode::from(1));
    }
    let prepared = prepare(&dir, &limits).map_err(anyhow::Error::msg)?;
    if args.dry_run || !args.json {
        print_package(&prepared, args.json, args.dry_run)?;
    }
    if args.dry_run {
        if !args.json {
            println!("dry run: nothing was uploaded");
        }
        return Ok(ExitCode::SUCCESS);
    }
    // The registry's own scan, run here first so nothing unsafe is uploaded by accident.
    let files = spm_core::package::read_archive(&prepared.package.bytes, &Default::default())?;
    let report = spm_core::safety::scan(
        files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
        &Default::default(),
    );
    if !args.json {
        println!(
            "local scan:    {} (score {}/100)",
            report.status.as_str(),
            report.score
        );
    }
    if report.status == spm_core::safety::SafetyStatus::Blocked {
        for f in report.counted() {
            eprintln!(
                "  {} {}:{} [{}] {}",
                f.severity, f.file, f.line, f.rule, f.explanation
            );
        }
        eprintln!(
            "error: the registry would refuse this skill; see `spm scan {}`",
            dir.display()
        );
        return Ok(ExitCode::from(1));
    }
    let client = Client::new(&UserConfig::load()?.select(args.registry.as_deref(), None)?)?;
    if !client.has_token() {
        anyhow::bail!(
            "not logged in to {}; run `spm login {} --name <you>` or set SPM_TOKEN",
            client.base,
            client.base
        );
    }
    match upload(&client, &prepared, args.visibility()).await {
        Ok(r) => {
            if args.json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                println!("published {}@{} to {}", r.name, r.version, client.base);
                println!("size:          {}", human_bytes(r.size as u64));
                println!("integrity:     {}", r.integrity);
                println!("safety:        {}", r.safety_status);
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {}", explain(&e));
            Ok(ExitCode::from(1))
        }
    }
}

enum Result_ {
    Published(String),
    Skipped(String),
    Failed(String),
}

/// Orders skill directories so that local dependencies come first (by skill name).
fn dependency_order(items: Vec<(PathBuf, Option<Manifest>)>) -> Vec<(PathBuf, Option<Manifest>)> {
    let names: BTreeMap<String, usize> = items
        .iter()
        .enumerate()
        .filter_map(|(i, (_, m))| m.as_ref().map(|m| (m.name.clone(), i)))
        .collect();
    let mut done = BTreeSet::new();
    let mut order = Vec::new();
    fn visit(
        i: usize,
        items: &[(PathBuf, Option<Manifest>)],
        names: &BTreeMap<String, usize>,
        done: &mut BTreeSet<usize>,
        stack: &mut BTreeSet<usize>,
        order: &mut Vec<usize>,
    ) {
        if done.contains(&i) || !stack.insert(i) {
            return;
        }
        if let Some(m) = &items[i].1 {
            for dep in m.dependencies.keys() {
                if let Some(&j) = names.get(&dep.name) {
                    visit(j, items, names, done, stack, order);
                }
            }
        }
        stack.remove(&i);
        done.insert(i);
        order.push(i);
    }
    for i in 0..items.len() {
        visit(
            i,
            &items,
            &names,
            &mut done,
            &mut BTreeSet::new(),
            &mut order,
        );
    }
    let mut slots: Vec<Option<(PathBuf, Option<Manifest>)>> = items.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}

async fn run_all(args: &Args) -> anyhow::Result<ExitCode> {
    let dirs = discover::skill_dirs(&args.dir)?;
    if dirs.is_empty() {
        anyhow::bail!("no SKILL.md found in {} or below it", args.dir.display());
    }
    let limits = args.limits();
    let items: Vec<(PathBuf, Option<Manifest>)> = dirs
        .into_iter()
        .map(|d| {
            let m = Skill::load(&d, &Options::default()).manifest;
            (d, m)
        })
        .collect();
    let items = dependency_order(items);
    let client = if args.dry_run {
        None
    } else {
        let c = Client::new(&UserConfig::load()?.select(args.registry.as_deref(), None)?)?;
        if !c.has_token() {
            anyhow::bail!(
                "not logged in to {}; run `spm login {} --name <you>` or set SPM_TOKEN",
                c.base,
                c.base
            );
        }
        Some(c)
    };
    let bar = install::progress(items.len() as u64, "publishing");
    let mut rows = Vec::new();
    for (dir, _) in &items {
        let label = dir
            .strip_prefix(&args.dir)
            .unwrap_or(dir)
            .display()
            .to_string();
        let label = if label.is_empty() {
            dir.display().to_string()
        } else {
            label
        };
        bar.set_message(label.clone());
        let result = match prepare(dir, &limits) {
            Err(why) => Result_::Failed(why),
            Ok(p) => {
                let id = format!(
                    "{}@{}",
                    p.manifest.name,
                    p.manifest
                        .version
                        .as_ref()
                        .map(ToString::to_string)
                        .unwrap_or_default()
                );
                match &client {
                    None => Result_::Published(format!("{id} ({}, dry run)", p.package.integrity)),
                    Some(c) => match upload(c, &p, args.visibility()).await {
                        Ok(r) => Result_::Published(format!("{}@{}", r.name, r.version)),
                        Err(e) if e.code() == Some("version_exists") => {
                            Result_::Skipped(format!("{id} already published"))
                        }
                        Err(e) => Result_::Failed(explain(&e)),
                    },
                }
            }
        };
        rows.push((label, result));
        bar.inc(1);
    }
    bar.finish_and_clear();
    let (mut ok, mut skipped, mut failed) = (0, 0, 0);
    let mut json_rows = Vec::new();
    for (label, r) in &rows {
        let (status, detail) = match r {
            Result_::Published(d) => {
                ok += 1;
                ("published", d)
            }
            Result_::Skipped(d) => {
                skipped += 1;
                ("skipped", d)
            }
            Result_::Failed(d) => {
                failed += 1;
                ("failed", d)
            }
        };
        if args.json {
            json_rows
                .push(serde_json::json!({ "path": label, "status": status, "detail": detail }));
        } else {
            println!("{status:<10} {label:<40} {detail}");
        }
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(
                &serde_json::json!({ "results": json_rows, "published": ok, "skipped": skipped, "failed": failed })
            )?
        );
    } else {
        println!("\n{ok} published, {skipped} skipped, {failed} failed");
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
