//! `spm login` and `spm logout`.

use std::process::ExitCode;

use anyhow::{Context, bail};

use spm_client::home::{RegistryEntry, UserConfig};
use spm_client::registry::Client;

#[derive(clap::Args)]
pub struct LoginArgs {
    /// The registry's URL, e.g. http://localhost:3717
    pub url: String,
    /// Create an account with this name and store its token
    #[arg(long, conflicts_with = "token")]
    pub name: Option<String>,
    /// Sign in with GitHub (device flow): enter the code shown at github.com/login/device
    #[arg(long, conflicts_with_all = ["name", "token"])]
    pub github: bool,
    /// Store an existing token
    #[arg(long)]
    pub token: Option<String>,
    /// What to call this registry locally [default: its host]
    #[arg(long = "as", value_name = "NAME")]
    pub alias: Option<String>,
}

fn default_name(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            })
        })
        .unwrap_or_else(|| "default".into())
}

pub(crate) fn check_url(url: &str) -> anyhow::Result<()> {
    let u = url::Url::parse(url).with_context(|| {
        format!("`{url}` is not a URL; expected e.g. https://registry.example.com")
    })?;
    if !matches!(u.scheme(), "http" | "https") {
        bail!("`{url}` must start with http:// or https://");
    }
    Ok(())
}

pub async fn login(args: &LoginArgs) -> anyhow::Result<ExitCode> {
    check_url(&args.url)?;
    let mut config = UserConfig::load()?;
    let name = args
        .alias
        .clone()
        .unwrap_or_else(|| default_name(&args.url));
    let mut entry = RegistryEntry {
        name: name.clone(),
        url: args.url.trim_end_matches('/').to_string(),
        token: None,
    };
    let token = match (&args.name, &args.token) {
        _ if args.github => github_sign_in(&Client::new(&entry)?).await?,
        (_, Some(t)) => t.clone(),
        (Some(account), None) => {
            let client = Client::new(&entry)?;
            let resp = client.register(account).await.map_err(|e| match e.code() {
                Some("name_taken") => anyhow::anyhow!("the name `{account}` is taken on {}; if it is yours, use `spm login {} --token <token>`", args.url, args.url),
                _ => anyhow::anyhow!("registration failed: {e}"),
            })?;
            eprintln!("Registered `{}` on {}", resp.author.name, args.url);
            resp.token
        }
        (None, None) => {
            bail!(
                "give --name <account> to register, --github to sign in with GitHub, or --token <token> to use an existing one"
            )
        }
    };
    entry.token = Some(token);
    config.upsert(entry);
    config.save()?;
    println!("Logged in to {} as registry `{name}`", args.url);
    Ok(ExitCode::SUCCESS)
}

/// The device flow through the registry: show the code, poll until it is entered.
async fn github_sign_in(client: &Client) -> anyhow::Result<String> {
    use serde_json::json;
    let start = client
        .call(
            reqwest::Method::POST,
            "/auth/github/device",
            Some(json!({})),
        )
        .await
        .map_err(|e| anyhow::anyhow!("GitHub sign-in could not start: {e}"))?;
    let (Some(session), Some(code), Some(uri)) = (
        start["session_id"].as_str(),
        start["user_code"].as_str(),
        start["verification_uri"].as_str(),
    ) else {
        bail!("the registry's answer to a GitHub sign-in was not understood: {start}");
    };
    eprintln!("Open {uri} and enter the code {code}");
    eprintln!("Waiting for GitHub…");
    let mut interval = start["interval"].as_u64().unwrap_or(5).clamp(1, 60);
    let deadline = std::time::Instant::now()
        + std::time::Duration::from_secs(start["expires_in"].as_u64().unwrap_or(900).min(3600));
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(interval)).await;
        if std::time::Instant::now() > deadline {
            bail!("the code expired before it was entered; run `spm login --github` again");
        }
        match client
            .call(
                reqwest::Method::POST,
                "/auth/github/device/poll",
                Some(json!({ "session_id": session })),
            )
            .await
        {
            Ok(v) if v["status"] == "complete" => {
                let token = v["token"]
                    .as_str()
                    .ok_or_else(|| anyhow::anyhow!("the registry sent no token: {v}"))?;
                eprintln!(
                    "Signed in with GitHub as `{}`",
                    v["author"]["name"].as_str().unwrap_or("?")
                );
                return Ok(token.to_string());
            }
            Ok(v) => {
                if let Some(i) = v["interval"].as_u64() {
                    interval = i.clamp(1, 60);
                }
            }
            Err(e) if e.status() == Some(410) => {
                bail!("the code expired before it was entered; run `spm login --github` again")
            }
            Err(e) => bail!("GitHub sign-in failed: {e}"),
        }
    }
}

pub fn logout(registry: Option<&str>) -> anyhow::Result<ExitCode> {
    let mut config = UserConfig::load()?;
    let target = config.select(registry, None)?;
    match config.registries.iter_mut().find(|r| r.name == target.name) {
        Some(r) => r.token = None,
        None => bail!("no registry named `{}`", target.name),
    }
    config.save()?;
    println!("Logged out of `{}`", target.name);
    Ok(ExitCode::SUCCESS)
}
