//! Building plugin crates into WebAssembly components.
//!
//! Two toolchains, tried in order:
//! 1. rustup's `wasm32-unknown-unknown` target, when it is installed;
//! 2. Debian's `rustc-web` + `rust-web-src` (std built from source with `-Zbuild-std`), for
//!    machines where rustup cannot download wasm targets.
//!
//! Both link with rustup's `wasm-component-ld`, which emits a component directly (no adapter:
//! the unknown-unknown target imports nothing but the plugin's own interfaces).

use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Toolchain {
    /// rustup with the wasm32-unknown-unknown target.
    Rustup,
    /// A rustc that can build std from source (Debian's rustc-web at `rustc`).
    BuildStd { rustc: PathBuf },
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(
        "no toolchain can build WebAssembly plugins here: install rustup's target (`rustup target add wasm32-unknown-unknown`), \
         or Debian's `apt-get install rustc-web rust-web-src`"
    )]
    NoToolchain,
    #[error("cannot find rustup's wasm-component-ld (looked in {0})")]
    NoLinker(String),
    #[error("cannot run {what}: {source}")]
    Spawn {
        what: String,
        source: std::io::Error,
    },
    #[error("building {dir} failed:\n{log}")]
    Cargo { dir: String, log: String },
    #[error("the build produced no component for `{0}`")]
    Missing(String),
}

fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The host's rustup sysroot and triple.
fn host_rustc() -> Option<(PathBuf, String)> {
    let sysroot = PathBuf::from(output("rustc", &["--print", "sysroot"])?);
    let vv = output("rustc", &["-vV"])?;
    let triple = vv
        .lines()
        .find_map(|l| l.strip_prefix("host: "))?
        .to_string();
    Some((sysroot, triple))
}

/// Which toolchain this machine has.
pub fn detect() -> Result<Toolchain, BuildError> {
    if let Some((sysroot, _)) = host_rustc()
        && sysroot
            .join("lib/rustlib/wasm32-unknown-unknown/lib")
            .is_dir()
    {
        return Ok(Toolchain::Rustup);
    }
    let rustc =
        PathBuf::from(std::env::var("SPM_WASM_RUSTC").unwrap_or_else(|_| "/usr/bin/rustc".into()));
    let src_ok = output(&rustc.to_string_lossy(), &["--print", "sysroot"])
        .map(PathBuf::from)
        .is_some_and(|s| s.join("lib/rustlib/src/rust/library/std").is_dir());
    if src_ok {
        return Ok(Toolchain::BuildStd { rustc });
    }
    Err(BuildError::NoToolchain)
}

/// Builds every `cdylib` in the cargo workspace or crate at `dir` and returns the components
/// (`<target_dir>/wasm32-unknown-unknown/release/<crate>.wasm`).
pub fn build(dir: &Path, target_dir: &Path, packages: &[&str]) -> Result<Vec<PathBuf>, BuildError> {
    let toolchain = detect()?;
    let (sysroot, triple) = host_rustc().ok_or(BuildError::NoToolchain)?;
    let bin = sysroot.join("lib/rustlib").join(&triple).join("bin");
    let linker = bin.join("wasm-component-ld");
    if !linker.is_file() {
        return Err(BuildError::NoLinker(bin.display().to_string()));
    }
    let wasm_ld = bin.join("gcc-ld/wasm-ld");
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(dir)
        .args([
            "build",
            "--release",
            "--target",
            "wasm32-unknown-unknown",
            "--target-dir",
        ])
        .arg(target_dir)
        .arg("--config")
        .arg(format!(
            "target.wasm32-unknown-unknown.linker='{}'",
            linker.display()
        ))
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("CARGO_BUILD_TARGET");
    for p in packages {
        cmd.args(["-p", p]);
    }
    match &toolchain {
        Toolchain::Rustup => {
            cmd.arg("--config").arg(format!(
                "target.wasm32-unknown-unknown.rustflags=['-Clink-arg=--wasm-ld-path={}']",
                wasm_ld.display()
            ));
        }
        Toolchain::BuildStd { rustc } => {
            cmd.env("RUSTC", rustc)
                .env("RUSTC_BOOTSTRAP", "1")
                .env_remove("RUSTC_WRAPPER")
                .arg("-Zbuild-std=std,panic_abort")
                .arg("--config")
                .arg(format!(
                    "target.wasm32-unknown-unknown.rustflags=['-Zunstable-options','-Clinker-flavor=wasm-lld','-Clink-arg=--wasm-ld-path={}']",
                    wasm_ld.display()
                ));
        }
    }
    let out = cmd.output().map_err(|source| BuildError::Spawn {
        what: "cargo".into(),
        source,
    })?;
    if !out.status.success() {
        let log = String::from_utf8_lossy(&out.stderr);
        let tail: Vec<&str> = log.lines().rev().take(40).collect();
        return Err(BuildError::Cargo {
            dir: dir.display().to_string(),
            log: tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
        });
    }
    let release = target_dir.join("wasm32-unknown-unknown/release");
    let names: Vec<String> = if packages.is_empty() {
        cdylib_names(dir)
    } else {
        packages.iter().map(|p| p.to_string()).collect()
    };
    names
        .iter()
        .map(|n| {
            let file = release.join(format!("{}.wasm", n.replace('-', "_")));
            if file.is_file() {
                Ok(file)
            } else {
                Err(BuildError::Missing(n.clone()))
            }
        })
        .collect()
}

/// Package names of the crate at `dir`, or of every member of the workspace at `dir`.
fn cdylib_names(dir: &Path) -> Vec<String> {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(dir)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output();
    let Ok(out) = out else { return Vec::new() };
    let Ok(meta) = serde_json::from_slice::<serde_json::Value>(&out.stdout) else {
        return Vec::new();
    };
    meta["packages"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter(|p| {
                    p["targets"].as_array().is_some_and(|ts| {
                        ts.iter().any(|t| {
                            t["crate_types"]
                                .as_array()
                                .is_some_and(|c| c.iter().any(|k| k == "cdylib"))
                        })
                    })
                })
                .filter_map(|p| p["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}
