//! `spm-host`: the registry server.
//!
//! - [`config`]: defaults, `spm.toml`, environment and flags.
//! - [`db`]: the metadata database (SQLite or PostgreSQL) and its queries.
//! - [`storage`]: content-addressed package blobs (local disk or S3).
//! - [`publish`]: the checks every publish goes through, and rescans; its own error type.
//! - [`api`]: the HTTP endpoints, one module per family, and the only place errors become
//!   HTTP answers ([`api::error`]); [`api::caller`] resolves who is calling;
//!   [`github`] is the client for GitHub sign-in.
//! - [`plugins`]: WebAssembly safety scanners, auth providers, storage policies and publish
//!   hooks; [`events`] tells the hooks what happened to a version.
//! - [`web`]: the web UI: search and skill pages with safety status and trust.
//! - [`app`]: the API and the web UI put together; [`paging`]: listing pages, checked once.
//! - [`server`]: start-up, serving (connection limits) and graceful shutdown.
//! - [`state`]: what every request handler shares.

pub mod api;
pub mod app;
pub mod config;
pub mod db;
pub mod events;
pub mod github;
pub mod limits;
pub mod metrics;
pub mod paging;
pub mod plugins;
pub mod publish;
pub mod server;
pub mod state;
pub mod storage;
pub mod web;

pub use config::Config;
pub use state::AppState;
