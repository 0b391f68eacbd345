//! The `spm` binary's integration tests, one binary: the offline commands (`cli`), the
//! client against a real `spm server start` process (`e2e`), plugin tooling (`plugin`) and the
//! server command (`server`). Shared helpers are in [`common`].

mod common;

mod cli;
mod e2e;
mod mcp;
mod plugin;
mod plugin_langs;
mod server;
