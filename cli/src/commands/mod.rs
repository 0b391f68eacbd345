//! One module per `spm` subcommand family.

pub mod admin;
pub mod agents;
pub mod audit;
pub mod connect;
pub mod deps;
pub mod init;
pub mod load;
pub mod login;
pub mod mcp;
pub mod org;
pub mod plugin;
#[cfg(feature = "server")]
pub mod plugin_host;
pub mod publish;
pub mod query;
pub mod registry;
pub mod scan;
pub mod server;
pub mod validate;
pub mod yank;

/// The error of a command this build leaves out (built with `--no-default-features`).
#[cfg(not(feature = "server"))]
pub fn not_in_this_build(command: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "`{command}` is not in this build of spm: it was built without the registry server \
         (the lean client). Install the full build with `cargo install --path cli` (default \
         features), or `cargo install --path cli --features server`"
    )
}
