//! `spm-mcp`: `spm mcp`, the installed skills over the Model Context Protocol (stdio, with
//! the official Rust SDK `rmcp`).
//!
//! - [`catalog`]: which skills are installed (the project's, then the global install's),
//!   their recorded files and digests; every URI and path a client sends is parsed and
//!   confined here, and only verified bytes are returned.
//! - [`server`]: capabilities, the `instructions` index, resources and the Skills Extension
//!   (SEP-2640: `skills/list`, `skills/get`, `resources/directory/read`).
//! - [`tools`]: `skill_list`, `skill_search`, `skill_load`, `skill_read_file`,
//!   `skill_feedback` and the opt-in `skill_install`, Spotlighted where they hand content
//!   to the model.
//! - [`exec`]: the proxy tools (`skill_exec_*`): file, network and shell requests made for
//!   one skill, judged by its own declaration and written to `.spm/audit.jsonl`.
//! - [`proxy`]: the allow-listing HTTP(S) proxy a sandboxed shell command reaches the network
//!   through.

pub mod catalog;
pub mod exec;
#[cfg(unix)]
pub mod proxy;
pub mod server;
pub mod tools;

pub use catalog::{Catalog, Scope};
pub use server::{Options, SpmMcp, serve_stdio};
/// The shell sandbox the proxy tools use; `spm` enters it through `spm __sandbox`.
pub use spm_sandbox as sandbox;
