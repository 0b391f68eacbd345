//! One module per `spm` subcommand.

pub mod init;
pub mod publish;
pub mod server;
pub mod validate;
