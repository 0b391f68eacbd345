//! `spm registry add|list|remove`: the registries in the user's configuration.

use std::process::ExitCode;

use anyhow::bail;

use spm_client::home::{RegistryEntry, UserConfig};

use super::login::check_url;

#[derive(clap::Subcommand)]
pub enum RegistryCommand {
    /// Add (or update) a registry
    Add {
        url: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        token: Option<String>,
        /// Use this registry for skills by these authors (e.g. @acme); `*` makes it the default
        #[arg(long)]
        scope: Vec<String>,
    },
    /// List registries
    List {
        #[arg(long)]
        json: bool,
    },
    /// Remove a registry and its token
    Remove { name: String },
}

pub fn run(cmd: &RegistryCommand) -> anyhow::Result<ExitCode> {
    let mut config = UserConfig::load()?;
    match cmd {
        RegistryCommand::Add {
            url,
            name,
            token,
            scope,
        } => {
            check_url(url)?;
            config.upsert(RegistryEntry {
                name: name.clone(),
                url: url.trim_end_matches('/').to_string(),
                token: token.clone(),
            });
            for s in scope {
                let key = if s == "*" || s.starts_with('@') {
                    s.clone()
                } else {
                    format!("@{s}")
                };
                config.scopes.insert(key, name.clone());
            }
            config.save()?;
            println!("Added registry `{name}` ({url})");
        }
        RegistryCommand::List { json } => {
            let default = config.scopes.get("*").cloned();
            if *json {
                let list: Vec<_> = config
                    .registries
                    .iter()
                    .map(|r| serde_json::json!({"name": r.name, "url": r.url, "logged_in": r.token.is_some(), "default": Some(&r.name) == default.as_ref()}))
                    .collect();
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({"registries": list, "scopes": config.scopes})
                    )?
                );
            } else if config.registries.is_empty() {
                println!("No registries. Add one with `spm registry add <url> --name <name>`.");
            } else {
                for r in &config.registries {
                    let mark = if Some(&r.name) == default.as_ref() {
                        "*"
                    } else {
                        " "
                    };
                    let login = if r.token.is_some() {
                        "logged in"
                    } else {
                        "no token"
                    };
                    let scopes: Vec<&str> = config
                        .scopes
                        .iter()
                        .filter(|(k, v)| *v == &r.name && k.as_str() != "*")
                        .map(|(k, _)| k.as_str())
                        .collect();
                    let scopes = if scopes.is_empty() {
                        String::new()
                    } else {
                        format!("  scopes: {}", scopes.join(", "))
                    };
                    println!("{mark} {:<16} {:<40} {login}{scopes}", r.name, r.url);
                }
            }
        }
        RegistryCommand::Remove { name } => {
            let before = config.registries.len();
            config.registries.retain(|r| &r.name != name);
            if config.registries.len() == before {
                bail!("no registry named `{name}`");
            }
            config.scopes.retain(|_, v| v != name);
            if !config.scopes.contains_key("*")
                && let Some(first) = config.registries.first()
            {
                config.scopes.insert("*".into(), first.name.clone());
            }
            config.save()?;
            println!("Removed registry `{name}`");
        }
    }
    Ok(ExitCode::SUCCESS)
}
