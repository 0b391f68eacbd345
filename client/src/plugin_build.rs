//! Building plugin projects into WebAssembly components, each with its language's own
//! toolchain: a Rust crate (or workspace) with cargo, a Python project (`spm-plugin.toml`
//! with `language = "python"`) with componentize-py, a JavaScript one with componentize-js.
//!
//! For Rust, two toolchains, tried in order:
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
    #[error("{tool} is needed to build this {lang} plugin and was not found: {install}")]
    MissingTool {
        tool: String,
        lang: String,
        install: String,
    },
    #[error("{0}")]
    Project(String),
    #[error(transparent)]
    New(#[from] crate::plugin_new::NewError),
}

/// What a plugin folder holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Project {
    /// A cargo crate or workspace.
    Rust,
    /// A Python or JavaScript project described by its `spm-plugin.toml`.
    Script {
        name: String,
        lang: crate::plugin_new::Lang,
        world: crate::plugin_new::World,
        /// The API version it is written against (`api`; 0.1.0 when absent).
        api: String,
    },
}

/// Which kind of plugin project `dir` is.
pub fn project(dir: &Path) -> Result<Project, BuildError> {
    let manifest = dir.join("spm-plugin.toml");
    if manifest.is_file() {
        let text = std::fs::read_to_string(&manifest)
            .map_err(|e| BuildError::Project(format!("cannot read {}: {e}", manifest.display())))?;
        let doc: toml_edit::DocumentMut = text.parse().map_err(|e| {
            BuildError::Project(format!("{} is not valid TOML: {e}", manifest.display()))
        })?;
        let field = |key: &str| {
            doc.get(key)
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .ok_or_else(|| {
                    BuildError::Project(format!("{} needs `{key} = \"...\"`", manifest.display()))
                })
        };
        let bad = |e: String| BuildError::Project(format!("{}: {e}", manifest.display()));
        let lang: crate::plugin_new::Lang = field("language")?.parse().map_err(bad)?;
        let world: crate::plugin_new::World = field("world")?.parse().map_err(bad)?;
        if lang == crate::plugin_new::Lang::Rust {
            return Ok(Project::Rust);
        }
        let name = field("name")?;
        // It names the component file: a plain name, never a path.
        if crate::plugin_new::create_check_name(&name).is_err() {
            return Err(bad(format!(
                "`name = \"{name}\"` is not a plugin name (lowercase letters, digits and `-`)"
            )));
        }
        let api = doc
            .get("api")
            .and_then(|v| v.as_str())
            .unwrap_or("0.1.0")
            .to_string();
        if crate::plugin_new::wit_of(&api).is_none() {
            return Err(crate::plugin_new::NewError::UnknownApi(api).into());
        }
        return Ok(Project::Script {
            name,
            lang,
            world,
            api,
        });
    }
    if dir.join("Cargo.toml").is_file() {
        return Ok(Project::Rust);
    }
    Err(BuildError::Project(format!(
        "{} holds no plugin: no Cargo.toml and no spm-plugin.toml (start one with `spm plugin new`)",
        dir.display()
    )))
}

/// Builds the plugin project at `dir`, whatever its language, and returns the components.
/// Rust builds go to `target_dir`; Python and JavaScript ones to `dir/dist`.
pub fn build_project(dir: &Path, target_dir: &Path) -> Result<Vec<PathBuf>, BuildError> {
    // Absolute: each toolchain runs in the project's folder, not where spm was started.
    let dir = std::path::absolute(dir).map_err(|e| BuildError::Project(e.to_string()))?;
    let target_dir =
        std::path::absolute(target_dir).map_err(|e| BuildError::Project(e.to_string()))?;
    match project(&dir)? {
        Project::Rust => {
            // A crate made by `spm plugin new` (or copied from one) depends on the SDK
            // written beside it; write it again when it is missing.
            let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap_or_default();
            let wants_sdk = manifest.lines().any(|l| {
                l.trim_start().starts_with("spm-plugin-sdk")
                    && l.contains("\"spm-plugin-sdk\"")
                    && l.contains("path")
            });
            let missing = !dir
                .join(crate::plugin_new::SDK_DIR)
                .join("Cargo.toml")
                .is_file()
                || crate::plugin_new::WITS.iter().any(|(v, _)| {
                    !dir.join(crate::plugin_new::SDK_DIR)
                        .join(crate::plugin_new::wit_dir(v))
                        .join("plugin.wit")
                        .is_file()
                });
            if wants_sdk && missing {
                crate::plugin_new::write_sdk(&dir)?;
            }
            build(&dir, &target_dir, &[])
        }
        Project::Script {
            name,
            lang,
            world,
            api,
        } => {
            // The frozen WIT it is built against, written again when a copy lacks it.
            let wit = dir
                .join(crate::plugin_new::wit_dir(&api))
                .join("plugin.wit");
            if !wit.is_file() {
                crate::plugin_new::write_wit(&dir, &api)?;
            }
            build_script(&dir, &name, lang, world, &api).map(|f| vec![f])
        }
    }
}

/// A program on `PATH`, or in `extra` (a project-local install), or named by `env`.
fn find_tool(name: &str, env: &str, extra: Option<PathBuf>) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(env) {
        return Some(PathBuf::from(p));
    }
    if let Some(p) = extra.filter(|p| p.is_file()) {
        return Some(p);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(name))
            .find(|p| p.is_file())
    })
}

fn build_script(
    dir: &Path,
    name: &str,
    lang: crate::plugin_new::Lang,
    world: crate::plugin_new::World,
    api: &str,
) -> Result<PathBuf, BuildError> {
    use crate::plugin_new::Lang;
    let wit_dir = crate::plugin_new::wit_dir(api);
    let dist = dir.join("dist");
    std::fs::create_dir_all(&dist).map_err(|e| BuildError::Project(e.to_string()))?;
    let out = dist.join(format!("{}.wasm", name.replace('-', "_")));
    let mut cmd = match lang {
        Lang::Python => {
            let tool =
                find_tool("componentize-py", "SPM_COMPONENTIZE_PY", None).ok_or_else(|| {
                    BuildError::MissingTool {
                        tool: "componentize-py".into(),
                        lang: "Python".into(),
                        install: "`pip install componentize-py` (or set SPM_COMPONENTIZE_PY to it)"
                            .into(),
                    }
                })?;
            let mut cmd = Command::new(tool);
            cmd.args([
                "-d",
                &wit_dir,
                "-w",
                world.wit(),
                "componentize",
                "app",
                "-o",
            ])
            .arg(&out);
            cmd
        }
        Lang::Js => {
            let local = dir.join("node_modules/.bin/componentize-js");
            let tool = find_tool("componentize-js", "SPM_COMPONENTIZE_JS", Some(local))
                .ok_or_else(|| BuildError::MissingTool {
                    tool: "componentize-js".into(),
                    lang: "JavaScript".into(),
                    install: "run `npm install` in the plugin's folder (its package.json lists @bytecodealliance/componentize-js), or `npm install -g @bytecodealliance/componentize-js`".into(),
                })?;
            let mut cmd = Command::new(tool);
            // spm gives plugins HTTP through spm:plugin/http, not wasi:http.
            cmd.args(["--wit", &wit_dir, "--world-name", world.wit()])
                .args(["-d", "http", "fetch-event", "--out"])
                .arg(&out)
                .arg("plugin.js");
            cmd
        }
        Lang::Rust => unreachable!("Rust plugins build with cargo"),
    };
    let what = cmd.get_program().to_string_lossy().into_owned();
    let done = cmd
        .current_dir(dir)
        .output()
        .map_err(|source| BuildError::Spawn { what, source })?;
    if !done.status.success() || !out.is_file() {
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&done.stdout),
            String::from_utf8_lossy(&done.stderr)
        );
        let tail: Vec<&str> = log.lines().rev().take(40).collect();
        return Err(BuildError::Cargo {
            dir: dir.display().to_string(),
            log: tail.into_iter().rev().collect::<Vec<_>>().join("\n"),
        });
    }
    Ok(out)
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
    // One member of a larger workspace builds alone (and only its component is expected).
    let packages: Vec<String> = if packages.is_empty() {
        own_package(dir).into_iter().collect()
    } else {
        packages.iter().map(|p| p.to_string()).collect()
    };
    for p in &packages {
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
    let all = cdylib_names(dir);
    let names: Vec<(String, String)> = if packages.is_empty() {
        all
    } else {
        all.into_iter()
            .filter(|(p, _)| packages.contains(p))
            .collect()
    };
    if names.is_empty() {
        return Err(BuildError::Missing(dir.display().to_string()));
    }
    names
        .iter()
        .map(|(package, lib)| {
            let file = release.join(format!("{}.wasm", lib.replace('-', "_")));
            if file.is_file() {
                Ok(file)
            } else {
                Err(BuildError::Missing(package.clone()))
            }
        })
        .collect()
}

/// The package whose manifest is `dir/Cargo.toml`, when `dir` is one member of a workspace
/// rooted elsewhere.
fn own_package(dir: &Path) -> Option<String> {
    let meta = metadata(dir)?;
    let root = PathBuf::from(meta["workspace_root"].as_str()?);
    let here = std::fs::canonicalize(dir).ok()?;
    if std::fs::canonicalize(&root).ok()? == here {
        return None;
    }
    let manifest = here.join("Cargo.toml");
    meta["packages"].as_array()?.iter().find_map(|p| {
        let path = std::fs::canonicalize(p["manifest_path"].as_str()?).ok()?;
        (path == manifest).then(|| p["name"].as_str().map(str::to_string))?
    })
}

fn metadata(dir: &Path) -> Option<serde_json::Value> {
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(dir)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .ok()?;
    serde_json::from_slice(&out.stdout).ok()
}

/// Package names of the crate at `dir`, or of every member of the workspace at `dir`.
fn cdylib_names(dir: &Path) -> Vec<(String, String)> {
    let Some(meta) = metadata(dir) else {
        return Vec::new();
    };
    meta["packages"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .filter_map(|p| {
                    // The file cargo writes is named after the library target, which
                    // `[lib] name` may set apart from the package's name.
                    let lib = p["targets"].as_array()?.iter().find(|t| {
                        t["crate_types"]
                            .as_array()
                            .is_some_and(|c| c.iter().any(|k| k == "cdylib"))
                    })?;
                    Some((
                        p["name"].as_str()?.to_string(),
                        lib["name"].as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}
