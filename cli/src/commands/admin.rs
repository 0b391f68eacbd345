//! `spm admin review list|approve|block`, `spm admin trust`, `spm admin audit`: registry
//! administration over the API (an admin token is needed).

use std::process::ExitCode;

use anyhow::Context;
use reqwest::Method;
use spm_core::skill::SkillId;

use spm_client::home::UserConfig;
use spm_client::registry::Client;

#[derive(clap::Subcommand)]
pub enum AdminCommand {
    /// The review queue
    #[command(subcommand)]
    Review(ReviewCommand),
    /// Set a skill's trust level: trusted, verified or community
    Trust {
        skill: String,
        level: String,
        #[arg(long)]
        registry: Option<String>,
    },
    /// The audit log of admin actions
    Audit {
        #[arg(long)]
        json: bool,
        #[arg(long)]
        registry: Option<String>,
    },
}

#[derive(clap::Subcommand)]
pub enum ReviewCommand {
    /// Versions waiting for review (flagged), or --status blocked|clean|all
    List {
        #[arg(long, default_value = "flagged", value_parser = ["flagged", "blocked", "clean", "all"])]
        status: String,
        #[arg(long)]
        json: bool,
        #[arg(long)]
        registry: Option<String>,
    },
    /// Mark author/name@version clean and verified
    Approve {
        skill: String,
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long)]
        registry: Option<String>,
    },
    /// Stop serving author/name@version
    Block {
        skill: String,
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long)]
        registry: Option<String>,
    },
}

fn client(registry: Option<&str>) -> anyhow::Result<Client> {
    Client::new(&UserConfig::load()?.select(registry, None)?)
}

fn split_version(s: &str) -> anyhow::Result<(SkillId, String)> {
    let (id, v) = s
        .rsplit_once('@')
        .with_context(|| format!("`{s}` must be author/name@version"))?;
    Ok((id.parse()?, v.to_string()))
}

pub async fn run(cmd: &AdminCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        AdminCommand::Review(ReviewCommand::List {
            status,
            json,
            registry,
        }) => {
            let v = client(registry.as_deref())?
                .call(
                    Method::GET,
                    &format!(
                        "/api/admin/review?{}",
                        url::form_urlencoded::Serializer::new(String::new())
                            .append_pair("status", status)
                            .finish()
                    ),
                    None,
                )
                .await?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                let items = v.as_array().cloned().unwrap_or_default();
                if items.is_empty() {
                    println!("Nothing {status}.");
                }
                for i in items {
                    println!(
                        "{}/{}@{}  {}  score {}  trust {}",
                        i["author"].as_str().unwrap_or("?"),
                        i["name"].as_str().unwrap_or("?"),
                        i["version"].as_str().unwrap_or("?"),
                        i["safety_status"].as_str().unwrap_or("?"),
                        i["safety_score"],
                        i["trust_level"].as_str().unwrap_or("?")
                    );
                    for f in i["findings"].as_array().into_iter().flatten().take(5) {
                        println!(
                            "    {} {}:{} [{}]",
                            f["severity"].as_str().unwrap_or(""),
                            f["file"].as_str().unwrap_or(""),
                            f["line"],
                            f["rule"].as_str().unwrap_or("")
                        );
                    }
                }
            }
        }
        AdminCommand::Review(ReviewCommand::Approve {
            skill,
            reason,
            registry,
        })
        | AdminCommand::Review(ReviewCommand::Block {
            skill,
            reason,
            registry,
        }) => {
            let action = if matches!(cmd, AdminCommand::Review(ReviewCommand::Approve { .. })) {
                "approve"
            } else {
                "block"
            };
            let (id, version) = split_version(skill)?;
            let body = serde_json::json!({ "action": action, "reason": reason });
            let v = client(registry.as_deref())?
                .call(
                    Method::POST,
                    &format!(
                        "/api/admin/review/{id}/{}",
                        url::form_urlencoded::byte_serialize(version.as_bytes())
                            .collect::<String>()
                    ),
                    Some(body),
                )
                .await?;
            println!(
                "{id}@{version}: {} (trust {})",
                v["safety_status"].as_str().unwrap_or("?"),
                v["trust_level"].as_str().unwrap_or("?")
            );
        }
        AdminCommand::Trust {
            skill,
            level,
            registry,
        } => {
            let id: SkillId = skill.parse()?;
            client(registry.as_deref())?
                .call(
                    Method::PUT,
                    &format!("/api/admin/trust/{id}"),
                    Some(serde_json::json!({ "level": level })),
                )
                .await?;
            println!("{id}: trust {level}");
        }
        AdminCommand::Audit { json, registry } => {
            let v = client(registry.as_deref())?
                .call(Method::GET, "/api/admin/audit", None)
                .await?;
            if *json {
                println!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                for e in v.as_array().into_iter().flatten() {
                    println!(
                        "{}  {:<10} {:<16} {} {}",
                        e["created_at"].as_str().unwrap_or(""),
                        e["actor"].as_str().unwrap_or(""),
                        e["action"].as_str().unwrap_or(""),
                        e["target"].as_str().unwrap_or(""),
                        e["detail"].as_str().unwrap_or("")
                    );
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
