//! `spm org create|add-member|remove-member|list`: organisations, a namespace like an
//! author's (`acme/name`), and their members' roles (owner, publisher, reader).

use std::process::ExitCode;

use reqwest::Method;
use spm_core::skill::check_author;

use spm_client::home::UserConfig;
use spm_client::registry::Client;

#[derive(clap::Subcommand)]
pub enum OrgCommand {
    /// Create an organisation; you become its owner
    Create {
        name: String,
        #[arg(long)]
        registry: Option<String>,
    },
    /// Add a member to an organisation, or change their role (owners only)
    AddMember {
        org: String,
        member: String,
        /// owner (manages members, publishes), publisher (publishes) or reader (sees private skills)
        #[arg(long, default_value = "publisher", value_parser = ["owner", "publisher", "reader"])]
        role: String,
        #[arg(long)]
        registry: Option<String>,
    },
    /// Remove a member (owners only; anyone may remove themselves)
    RemoveMember {
        org: String,
        member: String,
        #[arg(long)]
        registry: Option<String>,
    },
    /// The organisations you belong to, or ORG's members
    List {
        org: Option<String>,
        /// Print JSON on stdout
        #[arg(long)]
        json: bool,
        #[arg(long)]
        registry: Option<String>,
    },
}

fn client(registry: Option<&str>) -> anyhow::Result<Client> {
    Client::new(&UserConfig::load()?.select(registry, None)?)
}

/// A name checked before it becomes part of a URL.
fn name<'a>(what: &str, n: &'a str) -> anyhow::Result<&'a str> {
    check_author(n).map_err(|e| anyhow::anyhow!("`{n}` is not a valid {what} name: it {e}"))?;
    Ok(n)
}

pub async fn run(cmd: &OrgCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        OrgCommand::Create {
            name: org,
            registry,
        } => {
            let org = name("organisation", org)?;
            client(registry.as_deref())?
                .call(
                    Method::POST,
                    "/api/orgs",
                    Some(serde_json::json!({ "name": org })),
                )
                .await?;
            println!("Created the organisation `{org}`; you are its owner.");
            println!(
                "Publish to it with `author: {org}` in SKILL.md; add people with `spm org add-member {org} <name> --role publisher`."
            );
        }
        OrgCommand::AddMember {
            org,
            member,
            role,
            registry,
        } => {
            let (org, member) = (name("organisation", org)?, name("account", member)?);
            client(registry.as_deref())?
                .call(
                    Method::PUT,
                    &format!("/api/orgs/{org}/members/{member}"),
                    Some(serde_json::json!({ "role": role })),
                )
                .await?;
            println!("`{member}` is now a {role} of `{org}`.");
        }
        OrgCommand::RemoveMember {
            org,
            member,
            registry,
        } => {
            let (org, member) = (name("organisation", org)?, name("account", member)?);
            client(registry.as_deref())?
                .call(
                    Method::DELETE,
                    &format!("/api/orgs/{org}/members/{member}"),
                    None,
                )
                .await?;
            println!("`{member}` is no longer a member of `{org}`.");
        }
        OrgCommand::List {
            org,
            json,
            registry,
        } => {
            let c = client(registry.as_deref())?;
            let v = match org {
                Some(org) => {
                    let org = name("organisation", org)?;
                    c.call(Method::GET, &format!("/api/orgs/{org}/members"), None)
                        .await?
                }
                None => c.call(Method::GET, "/api/orgs", None).await?,
            };
            if *json {
                println!("{}", serde_json::to_string_pretty(&v)?);
                return Ok(ExitCode::SUCCESS);
            }
            let rows = v.as_array().cloned().unwrap_or_default();
            match org {
                Some(org) => {
                    for m in &rows {
                        println!(
                            "{:<24} {}",
                            m["name"].as_str().unwrap_or("?"),
                            m["role"].as_str().unwrap_or("?")
                        );
                    }
                    if rows.is_empty() {
                        println!("`{org}` has no members.");
                    }
                }
                None => {
                    for m in &rows {
                        println!(
                            "{:<24} {}",
                            m["org"].as_str().unwrap_or("?"),
                            m["role"].as_str().unwrap_or("?")
                        );
                    }
                    if rows.is_empty() {
                        println!(
                            "You belong to no organisation; create one with `spm org create <name>`."
                        );
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
