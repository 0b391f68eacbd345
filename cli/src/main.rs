//! The `spm` command line: argument parsing and dispatch. Each command lives in
//! [`commands`]; rendering of diagnostics in [`render`].

mod commands;
mod discover;
mod render;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "spm",
    version,
    about = "Install, validate and publish AI-agent skills",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check skills against the SKILL.md format; exits 1 if any has errors
    Validate(commands::validate::Args),
    /// Turn the current (or given) directory into a skill
    Init {
        /// Directory to initialise (default: the current one)
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Skill name (default: derived from the directory name)
        #[arg(long)]
        name: Option<String>,
        /// Your registry account name, written as `author:`
        #[arg(long)]
        author: Option<String>,
    },
    /// Create a new skill in a new directory called <NAME>
    Create {
        name: String,
        /// Your registry account name, written as `author:`
        #[arg(long)]
        author: Option<String>,
    },
    /// Validate, pack and publish a skill
    Publish(commands::publish::Args),
    /// Run the registry server
    #[command(subcommand)]
    Server(ServerCommand),
}

#[derive(Subcommand)]
enum ServerCommand {
    /// Start a registry (SQLite and local storage in ./spm-data by default)
    Start(commands::server::StartArgs),
    /// Create an administrator account (or promote one) and print its admin token
    CreateAdmin(commands::server::AdminArgs),
}

fn main() -> ExitCode {
    render::install_hook();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(args) => commands::validate::run(&args),
        Command::Init { dir, name, author } => {
            commands::init::run(&dir, name.as_deref(), author.as_deref())
        }
        Command::Create { name, author } => {
            commands::init::run(&PathBuf::from(&name), Some(&name), author.as_deref())
        }
        Command::Publish(args) => commands::publish::run(&args),
        Command::Server(ServerCommand::Start(args)) => commands::server::start(&args),
        Command::Server(ServerCommand::CreateAdmin(args)) => commands::server::create_admin(&args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}
