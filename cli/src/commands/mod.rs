//! One module per `spm` subcommand family.

pub mod admin;
pub mod deps;
pub mod init;
pub mod load;
pub mod login;
pub mod plugin;
pub mod publish;
pub mod query;
pub mod scan;
pub mod server;
pub mod validate;
