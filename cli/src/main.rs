//! The `spm` command line: argument parsing and dispatch. Each command family lives in
//! [`commands`]; everything on the user's side (registry client, config, projects, installs)
//! in the `spm-client` crate; the registry server (`spm server`, `spm plugin check|run`) in
//! `spm-host`, behind the `server` feature.

mod commands;
mod render;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "spm",
    version,
    about = "Install, validate and publish AI-agent skills"
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
    /// Scan a skill for prompt injection, exfiltration and other unsafe content (exit 1 blocked, 2 flagged)
    Scan(commands::scan::Args),
    /// Log in to a registry: register a new account (--name) or store a token (--token)
    Login(commands::login::LoginArgs),
    /// Forget the token of a registry
    Logout {
        #[arg(long)]
        registry: Option<String>,
    },
    /// Manage registries
    #[command(subcommand)]
    Registry(commands::registry::RegistryCommand),
    /// Add skills (and their dependencies) to the project
    Add(commands::deps::AddArgs),
    /// Install the project's skills exactly as skills.lock records them
    Install(commands::deps::InstallArgs),
    /// Update skills within their ranges (--latest moves the ranges)
    Update(commands::deps::UpdateArgs),
    /// Remove skills from the project
    Remove(commands::deps::RemoveArgs),
    /// Print an installed skill for an agent, marked as data (Spotlighting)
    Load(commands::load::Args),
    /// List the agents spm installs skills for: detected or not, and their folders
    Agents(commands::agents::Args),
    /// Register `spm mcp` as an MCP server in an MCP client's configuration (or --list)
    Connect(commands::connect::ConnectArgs),
    /// Remove `spm mcp` from an MCP client's configuration
    Disconnect(commands::connect::DisconnectArgs),
    /// Serve the installed skills to an agent over MCP (stdio): the Skills Extension and tools
    Mcp(commands::mcp::Args),
    /// Show the proxy-tool calls spm mcp judged for this project's skills
    Audit(commands::audit::Args),
    /// Check installed files against skills.lock
    Verify(commands::deps::VerifyArgs),
    /// Show the installed skills as a tree
    List(commands::query::ListArgs),
    /// Show a skill's versions, safety status, trust level and permissions
    Info(commands::query::InfoArgs),
    /// Search the registry
    Search(commands::query::SearchArgs),
    /// Yank a published version (or --undo) so new installs skip it
    Yank(commands::yank::YankArgs),
    /// Build, check and try WebAssembly plugins
    #[command(subcommand)]
    Plugin(commands::plugin::PluginCommand),
    /// Print shell completions
    Completions { shell: clap_complete::Shell },
    /// Run the registry server
    #[command(subcommand)]
    Server(ServerCommand),
    /// Administer a registry: review queue, trust levels, audit log
    #[command(subcommand)]
    Admin(commands::admin::AdminCommand),
    /// Organisations: create one, manage its members and their roles
    #[command(subcommand)]
    Org(commands::org::OrgCommand),
}

#[derive(Subcommand)]
enum ServerCommand {
    /// Start a registry (SQLite and local storage in ./spm-data by default)
    Start(commands::server::StartArgs),
    /// Create an administrator account (or promote one) and print its admin token
    CreateAdmin(commands::server::AdminArgs),
    /// Re-judge every stored version with the current safety rules and report what changed
    Rescan(commands::server::RescanArgs),
}

fn block_on<F: std::future::Future<Output = anyhow::Result<ExitCode>>>(
    f: F,
) -> anyhow::Result<ExitCode> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(f)
}

fn main() -> ExitCode {
    // `spm __sandbox`: the confined side of `skill_exec_bash`, entered before anything else
    // so the process is still single-threaded (the spm-sandbox crate, through spm-mcp).
    if std::env::args_os()
        .nth(1)
        .is_some_and(|a| a == spm_mcp::sandbox::ENTER)
    {
        return match spm_mcp::sandbox::enter() {
            Ok(code) => ExitCode::from(u8::try_from(code).unwrap_or(1)),
            Err(e) => {
                eprintln!("spm sandbox: {e}");
                ExitCode::from(125)
            }
        };
    }
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
        Command::Publish(args) => block_on(commands::publish::run(&args)),
        Command::Scan(args) => commands::scan::run(&args),
        Command::Login(args) => block_on(commands::login::login(&args)),
        Command::Logout { registry } => commands::login::logout(registry.as_deref()),
        Command::Registry(cmd) => commands::registry::run(&cmd),
        Command::Add(args) => block_on(commands::deps::add(&args)),
        Command::Install(args) => block_on(commands::deps::install(&args)),
        Command::Update(args) => block_on(commands::deps::update(&args)),
        Command::Remove(args) => block_on(commands::deps::remove(&args)),
        Command::Verify(args) => commands::deps::verify(&args),
        Command::Agents(args) => commands::agents::run(&args),
        Command::Connect(args) => commands::connect::connect(&args),
        Command::Disconnect(args) => commands::connect::disconnect(&args),
        Command::Mcp(args) => block_on(commands::mcp::run(&args)),
        Command::Audit(args) => commands::audit::run(&args),
        Command::Load(args) => commands::load::run(&args),
        Command::List(args) => commands::query::list(&args),
        Command::Info(args) => block_on(commands::query::info(&args)),
        Command::Search(args) => block_on(commands::query::search(&args)),
        Command::Yank(args) => block_on(commands::yank::run(&args)),
        Command::Org(cmd) => block_on(commands::org::run(&cmd)),
        Command::Plugin(cmd) => block_on(commands::plugin::run(&cmd)),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "spm", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
        Command::Server(ServerCommand::Start(args)) => commands::server::start(&args),
        Command::Server(ServerCommand::CreateAdmin(args)) => commands::server::create_admin(&args),
        Command::Server(ServerCommand::Rescan(args)) => commands::server::rescan(&args),
        Command::Admin(cmd) => block_on(commands::admin::run(&cmd)),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
