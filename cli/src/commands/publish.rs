//! `spm publish`: validate, pack and (with a registry) upload a skill.
//! `--dry-run` stops after packing and touches no network.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use spm_core::package::limits::human_bytes;
use spm_core::package::{PackLimits, pack};
use spm_core::skill::{Options, Skill};

use crate::render;

#[derive(clap::Args)]
pub struct Args {
    /// The skill directory (default: the current directory)
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Validate and pack, print what would be published, upload nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Print a JSON report on stdout
    #[arg(long)]
    pub json: bool,
    /// Largest packed size accepted, in bytes
    #[arg(long, value_name = "BYTES", default_value_t = PackLimits::default().max_packed_bytes)]
    pub max_size: u64,
}

#[derive(Serialize)]
struct FileEntry<'a> {
    path: &'a str,
    size: u64,
}

#[derive(Serialize)]
struct ExcludedEntry {
    path: String,
    reason: String,
}

pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let skill = Skill::load(
        &args.dir,
        &Options {
            require_version: true,
            ..Options::default()
        },
    );
    if skill.has_errors() || !skill.diagnostics.is_empty() {
        for d in &skill.diagnostics {
            eprintln!("{}", render::report(d, skill.source.as_deref()));
        }
    }
    let Some(manifest) = skill.manifest.as_ref().filter(|_| !skill.has_errors()) else {
        eprintln!(
            "error: {} is not valid; fix the errors above before publishing",
            args.dir.display()
        );
        return Ok(ExitCode::from(1));
    };
    let limits = PackLimits {
        max_packed_bytes: args.max_size,
        ..PackLimits::default()
    };
    let package = pack(&args.dir, &limits)?;
    let version = manifest
        .version
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();

    if args.json {
        let files: Vec<_> = package
            .files
            .iter()
            .map(|f| FileEntry {
                path: &f.rel,
                size: f.size,
            })
            .collect();
        let excluded: Vec<_> = package
            .excluded
            .iter()
            .map(|e| ExcludedEntry {
                path: e.rel.clone(),
                reason: e.reason.to_string(),
            })
            .collect();
        let out = serde_json::json!({
            "name": manifest.name,
            "version": version,
            "dry_run": args.dry_run,
            "files": files,
            "excluded": excluded,
            "packed_size": package.bytes.len(),
            "unpacked_size": package.unpacked_size(),
            "integrity": package.integrity.to_string(),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!("{}@{version}", manifest.name);
        println!("files:");
        for f in &package.files {
            println!("  {:>10}  {}", human_bytes(f.size), f.rel);
        }
        if !package.excluded.is_empty() {
            println!("left out:");
            for e in &package.excluded {
                let slash = if e.is_dir { "/" } else { "" };
                println!("  {}{slash}  ({})", e.rel, e.reason);
            }
        }
        println!(
            "packed size:   {} ({} file{}, {} unpacked)",
            human_bytes(package.bytes.len() as u64),
            package.files.len(),
            if package.files.len() == 1 { "" } else { "s" },
            human_bytes(package.unpacked_size())
        );
        println!("integrity:     {}", package.integrity);
    }
    if args.dry_run {
        if !args.json {
            println!("dry run: nothing was uploaded");
        }
        return Ok(ExitCode::SUCCESS);
    }
    anyhow::bail!(
        "uploading to a registry is not available in this build yet; use --dry-run to check the package"
    )
}
