//! `spm-client`: the user's side of spm, without any of the registry server's code.
//!
//! - [`add`]: `spm add` as a library (the CLI and `spm mcp`'s `skill_install`).
//! - [`agents`]: the agents spm installs for (~40, as data), their folders and detection.
//! - [`audit`]: `.spm/audit.jsonl`, every proxy-tool call `spm mcp` judged.
//! - [`connect`]: registering `spm mcp` in MCP clients' configuration files, edited in place.
//! - [`registry`]: the registry's HTTP API from the client side ([`registry::Client`]).
//! - [`home`]: the user's configuration in `~/.spm` ([`home::UserConfig`]: registries, tokens,
//!   scopes) and the archive cache.
//! - [`project`]: a project's `spm.json` ([`project::ProjectManifest`]), `skills.lock` and
//!   install folders, with every id parsed and every path confined.
//! - [`install`]: resolving, downloading, verifying and unpacking skills.
//! - [`direct`]: skills straight from a folder or a GitHub repository, validated, packed,
//!   scanned and locked by integrity like a registry package.
//! - [`discover`]: finding skill folders below a directory (`--all`).
//! - [`github_source`]: a skill folder straight from a GitHub repository tarball.
//! - [`placement`]: copies of installed skills in agents' folders, recorded in the lock.
//! - [`plugin_build`]: building plugin projects into WebAssembly components with each
//!   language's own toolchain (cargo, componentize-py, componentize-js; no wasmtime:
//!   checking and running plugins is the host's job).
//! - [`plugin_new`]: `spm plugin new`, a ready plugin project in Rust, Python or JavaScript.

pub mod add;
pub mod agents;
pub mod audit;
pub mod connect;
pub mod direct;
pub mod discover;
pub mod github_source;
pub mod home;
pub mod install;
pub mod placement;
pub mod plugin_build;
pub mod plugin_new;
pub mod project;
pub mod registry;
