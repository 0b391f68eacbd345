//! `spm plugin new`: a ready plugin project in Rust, Python or JavaScript for one of the
//! four worlds, that builds in any folder: the WIT of its API version is written beside it,
//! and a Rust crate gets the SDK's sources too (the SDK is not on crates.io yet), which
//! [`write_sdk`] writes again when a copied crate lacks them. New projects use the newest
//! API ([`API_VERSION`]); projects of older versions keep building against theirs
//! ([`wit_of`]).

use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The API version new plugins are written against.
pub const API_VERSION: &str = "0.2.0";
/// Every released API version and its frozen WIT, oldest first.
pub const WITS: &[(&str, &str)] = &[
    (
        "0.1.0",
        include_str!("../../wit/spm-plugin/0.1.0/plugin.wit"),
    ),
    (
        "0.2.0",
        include_str!("../../wit/spm-plugin/0.2.0/plugin.wit"),
    ),
];

/// The frozen WIT of API `version`, if it is one spm knows.
pub fn wit_of(version: &str) -> Option<&'static str> {
    WITS.iter().find(|(v, _)| *v == version).map(|(_, w)| *w)
}

/// Where a project keeps the WIT of API `version`, relative to its folder.
pub fn wit_dir(version: &str) -> String {
    format!("wit/spm-plugin/{version}")
}
/// Where a Rust plugin keeps the SDK, relative to its folder.
pub const SDK_DIR: &str = "spm-plugin-sdk";
const SDK_CARGO: &str = include_str!("../../plugin-sdk/Cargo.toml");
const SDK_LIB: &str = include_str!("../../plugin-sdk/src/lib.rs");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Rust,
    Python,
    Js,
}

impl FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "rust" => Ok(Lang::Rust),
            "python" | "py" => Ok(Lang::Python),
            "js" | "javascript" => Ok(Lang::Js),
            other => Err(format!(
                "`{other}` is not a plugin language; use rust, python or js"
            )),
        }
    }
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Rust => "rust",
            Lang::Python => "python",
            Lang::Js => "js",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum World {
    Scanner,
    Auth,
    Policy,
    /// Publish hooks (API 0.2.0 and later).
    Hook,
}

impl FromStr for World {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "scanner" | "safety-scanner" => Ok(World::Scanner),
            "auth" | "auth-provider" => Ok(World::Auth),
            "policy" | "storage-policy" => Ok(World::Policy),
            "hook" | "publish-hook" => Ok(World::Hook),
            other => Err(format!(
                "`{other}` is not a plugin world; use scanner, auth, policy or hook"
            )),
        }
    }
}

impl World {
    /// The WIT world's name.
    pub fn wit(self) -> &'static str {
        match self {
            World::Scanner => "safety-scanner",
            World::Auth => "auth-provider",
            World::Policy => "storage-policy",
            World::Hook => "publish-hook",
        }
    }

    /// The short name (the Rust SDK's feature).
    pub fn short(self) -> &'static str {
        match self {
            World::Scanner => "scanner",
            World::Auth => "auth",
            World::Policy => "policy",
            World::Hook => "hook",
        }
    }

    /// Which entry of a language's templates is this world's.
    fn index(self) -> usize {
        match self {
            World::Scanner => 0,
            World::Auth => 1,
            World::Policy => 2,
            World::Hook => 3,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error(
        "`{0}` is not a plugin name: use lowercase letters, digits and `-`, starting with a letter (at most 64)"
    )]
    BadName(String),
    #[error("{0} already exists and is not empty; choose another name or --dir")]
    Exists(String),
    #[error(
        "spm:plugin@{0} is not an API version this spm knows (it knows {known}); write `api = \"{API_VERSION}\"` in spm-plugin.toml",
        known = WITS.iter().map(|(v, _)| *v).collect::<Vec<_>>().join(", ")
    )]
    UnknownApi(String),
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

fn valid_name(name: &str) -> bool {
    name.len() <= 64
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.ends_with('-')
}

/// Whether `name` may name a plugin (and its component file).
pub fn create_check_name(name: &str) -> Result<(), NewError> {
    if valid_name(name) {
        Ok(())
    } else {
        Err(NewError::BadName(name.into()))
    }
}

fn write(dir: &Path, rel: &str, text: &str, out: &mut Vec<PathBuf>) -> Result<(), NewError> {
    let path = dir.join(rel);
    let fail = |source| NewError::Write {
        path: path.display().to_string(),
        source,
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(fail)?;
    }
    std::fs::write(&path, text).map_err(fail)?;
    out.push(path);
    Ok(())
}

/// Writes the SDK's sources and the WIT of every API version it builds against into the Rust
/// crate at `dir` (what its `spm-plugin-sdk = { path = "spm-plugin-sdk" }` dependency needs).
pub fn write_sdk(dir: &Path) -> Result<Vec<PathBuf>, NewError> {
    let mut out = Vec::new();
    // A path dependency inside the plugin's folder: a member of the plugin's workspace.
    let cargo = format!(
        "# Written by spm {}: the SDK for spm:plugin@{} (feature `v0_2`: {API_VERSION}).\n{SDK_CARGO}",
        env!("CARGO_PKG_VERSION"),
        WITS[0].0
    );
    write(dir, &format!("{SDK_DIR}/Cargo.toml"), &cargo, &mut out)?;
    write(dir, &format!("{SDK_DIR}/src/lib.rs"), SDK_LIB, &mut out)?;
    // Inside the SDK's own folder, as in the published crate (plugin-sdk/wit).
    for (version, wit) in WITS {
        write(
            dir,
            &format!("{SDK_DIR}/{}/plugin.wit", wit_dir(version)),
            wit,
            &mut out,
        )?;
    }
    Ok(out)
}

/// Writes the WIT of API `version` into the project at `dir`.
pub fn write_wit(dir: &Path, version: &str) -> Result<PathBuf, NewError> {
    let wit = wit_of(version).ok_or_else(|| NewError::UnknownApi(version.into()))?;
    let mut out = Vec::new();
    write(
        dir,
        &format!("{}/plugin.wit", wit_dir(version)),
        wit,
        &mut out,
    )?;
    Ok(dir.join(wit_dir(version)).join("plugin.wit"))
}

/// Creates the project `name` in `dir` (which must be absent or empty). Returns the files.
pub fn create(dir: &Path, name: &str, lang: Lang, world: World) -> Result<Vec<PathBuf>, NewError> {
    create_check_name(name)?;
    if std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some()) {
        return Err(NewError::Exists(dir.display().to_string()));
    }
    // The scanners are the examples (named `word-flagger`); the others are templates.
    let fill = |t: &str| t.replace("{{name}}", name).replace("word-flagger", name);
    let mut out = Vec::new();
    let readme = readme(name, lang, world);
    match lang {
        Lang::Rust => {
            let entry = match world {
                World::Scanner => include_str!("../../examples/plugins/rust/src/lib.rs"),
                World::Auth => include_str!("../templates/plugin/rust-auth.rs"),
                World::Policy => include_str!("../templates/plugin/rust-policy.rs"),
                World::Hook => include_str!("../templates/plugin/rust-hook.rs"),
            };
            write(dir, "Cargo.toml", &rust_manifest(name, world), &mut out)?;
            write(dir, "src/lib.rs", &fill(entry), &mut out)?;
            write(
                dir,
                ".gitignore",
                "target/\ndist/\nspm-plugin-sdk/\n",
                &mut out,
            )?;
            out.extend(write_sdk(dir)?);
        }
        Lang::Python | Lang::Js => {
            let sc = script(lang);
            let entry = sc.templates[world.index()];
            write(dir, sc.entry, &fill(entry), &mut out)?;
            write(dir, sc.helper, sc.helper_text, &mut out)?;
            if let Some((file, text)) = sc.helper_types {
                write(dir, file, text, &mut out)?;
            }
            let manifest = project_manifest(name, lang, world);
            write(dir, "spm-plugin.toml", &manifest, &mut out)?;
            write(dir, ".gitignore", sc.ignore, &mut out)?;
            out.push(write_wit(dir, API_VERSION)?);
            if lang == Lang::Js {
                write(dir, "package.json", &package_json(name), &mut out)?;
            }
        }
    }
    write(dir, "README.md", &readme, &mut out)?;
    Ok(out)
}

/// The files of a Python or JavaScript project, besides its WIT and `spm-plugin.toml`.
struct Script {
    entry: &'static str,
    helper: &'static str,
    helper_text: &'static str,
    /// The helper's type declarations, for editors (JavaScript).
    helper_types: Option<(&'static str, &'static str)>,
    ignore: &'static str,
    /// The entry file for the scanner, auth, policy and hook worlds.
    templates: [&'static str; 4],
}

fn script(lang: Lang) -> Script {
    match lang {
        Lang::Js => Script {
            entry: "plugin.js",
            helper: "spm-plugin.js",
            helper_text: include_str!("../../examples/plugins/javascript/spm-plugin.js"),
            helper_types: Some((
                "spm-plugin.d.ts",
                include_str!("../../examples/plugins/javascript/spm-plugin.d.ts"),
            )),
            ignore: "dist/\nwit/\nnode_modules/\n",
            templates: [
                include_str!("../../examples/plugins/javascript/plugin.js"),
                include_str!("../templates/plugin/js-auth.js"),
                include_str!("../templates/plugin/js-policy.js"),
                include_str!("../templates/plugin/js-hook.js"),
            ],
        },
        _ => Script {
            entry: "app.py",
            helper: "spm_plugin.py",
            helper_text: include_str!("../../examples/plugins/python/spm_plugin.py"),
            helper_types: None,
            ignore: "dist/\nwit/\nwit_world/\n__pycache__/\ncomponentize_py_*\n",
            templates: [
                include_str!("../../examples/plugins/python/app.py"),
                include_str!("../templates/plugin/py-auth.py"),
                include_str!("../templates/plugin/py-policy.py"),
                include_str!("../templates/plugin/py-hook.py"),
            ],
        },
    }
}

fn rust_manifest(name: &str, world: World) -> String {
    format!(
        r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2024"
rust-version = "1.95"
publish = false

[lib]
crate-type = ["cdylib"]

[dependencies]
# The SDK for spm:plugin@{API_VERSION}, written into ./spm-plugin-sdk by `spm plugin new` (and by
# `spm plugin build` when it is missing). Once spm-plugin-sdk is on crates.io, use
#   spm-plugin-sdk = {{ version = "0.1", features = ["{feature}", "v0_2"] }}
# instead, and delete ./spm-plugin-sdk (the crate carries its WIT).
spm-plugin-sdk = {{ path = "spm-plugin-sdk", features = ["{feature}", "v0_2"] }}

[profile.release]
opt-level = "s"
lto = true
panic = "abort"
strip = true

# Its own workspace: plugins build for wasm32, apart from anything around them.
[workspace]
"#,
        feature = world.short()
    )
}

fn project_manifest(name: &str, lang: Lang, world: World) -> String {
    format!(
        "# What `spm plugin build` builds here.\nname = \"{name}\"\nlanguage = \"{}\"\nworld = \"{}\"\napi = \"{API_VERSION}\"\n",
        lang.as_str(),
        world.wit()
    )
}

fn package_json(name: &str) -> String {
    format!(
        r#"{{
  "name": "{name}",
  "version": "0.1.0",
  "private": true,
  "type": "module",
  "scripts": {{
    "build": "spm plugin build ."
  }},
  "devDependencies": {{
    "@bytecodealliance/componentize-js": "0.23.0",
    "@bytecodealliance/preview2-shim": "0.25.0"
  }}
}}
"#
    )
}

fn readme(name: &str, lang: Lang, world: World) -> String {
    let (edit, tool) = match lang {
        Lang::Rust => (
            "src/lib.rs",
            "Rust with a wasm32 target (`rustup target add wasm32-unknown-unknown`, or Debian's `rustc-web rust-web-src`)",
        ),
        Lang::Python => ("app.py", "`pip install componentize-py`"),
        Lang::Js => ("plugin.js", "`npm install` here (componentize-js)"),
    };
    format!(
        "# {name}\n\nAn spm `{}` plugin in {}, for `spm:plugin@{API_VERSION}`.\n\n\
         - Edit `{edit}`.\n- Build: `spm plugin build . --out dist` (needs {tool}).\n\
         - Check: `spm plugin check dist/{}.wasm`\n- Try: `spm plugin run dist/{}.wasm path/to/skill --set key=value`\n\
         - Use: add a `[[plugins]]` entry with `path = \"dist/{}.wasm\"` to the server's spm.toml.\n",
        world.wit(),
        match lang {
            Lang::Rust => "Rust",
            Lang::Python => "Python",
            Lang::Js => "JavaScript",
        },
        name.replace('-', "_"),
        name.replace('-', "_"),
        name.replace('-', "_"),
    )
}
