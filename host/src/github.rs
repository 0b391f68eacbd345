//! A client for GitHub's OAuth device flow and user API (the parts sign-in needs).
//!
//! Device flow: ask GitHub for a device and user code, the user enters the code at the
//! verification URL, and the registry polls for the access token, which it uses once to
//! read who the user is. The registry never keeps the GitHub token.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Deserialize;

use crate::config::GithubConfig;

#[derive(Debug, thiserror::Error)]
pub enum GithubError {
    #[error("cannot reach GitHub at {url}: {source}")]
    Unreachable { url: String, source: reqwest::Error },
    #[error("GitHub answered {url} with {status}: {body}")]
    Status {
        url: String,
        status: u16,
        body: String,
    },
    #[error("GitHub's answer from {url} was not understood: {message}")]
    Invalid { url: String, message: String },
}

#[derive(Debug, Clone, Deserialize)]
pub struct DeviceCode {
    pub device_code: String,
    pub user_code: String,
    pub verification_uri: String,
    pub expires_in: u64,
    #[serde(default = "five")]
    pub interval: u64,
}

fn five() -> u64 {
    5
}

/// One poll for the access token.
#[derive(Debug, Clone, PartialEq)]
pub enum Poll {
    /// Not yet; poll again after `interval` seconds (GitHub may ask to slow down).
    Pending {
        interval: Option<u64>,
    },
    Token(String),
    Expired,
    Denied,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GithubUser {
    pub login: String,
    pub id: i64,
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .user_agent(concat!("spm-registry/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}

async fn json<T: serde::de::DeserializeOwned>(
    url: &str,
    req: reqwest::RequestBuilder,
) -> Result<T, GithubError> {
    let res = req
        .header("Accept", "application/json")
        .send()
        .await
        .map_err(|source| GithubError::Unreachable {
            url: url.into(),
            source,
        })?;
    let status = res.status();
    let body = res
        .text()
        .await
        .map_err(|source| GithubError::Unreachable {
            url: url.into(),
            source,
        })?;
    if !status.is_success() {
        return Err(GithubError::Status {
            url: url.into(),
            status: status.as_u16(),
            body: body.chars().take(300).collect(),
        });
    }
    serde_json::from_str(&body).map_err(|e| GithubError::Invalid {
        url: url.into(),
        message: e.to_string(),
    })
}

/// Starts a device flow.
pub async fn device_code(cfg: &GithubConfig) -> Result<DeviceCode, GithubError> {
    let url = format!("{}/login/device/code", cfg.web_url);
    json(
        &url,
        client().post(&url).form(&[
            ("client_id", cfg.client_id.as_str()),
            ("scope", "read:user"),
        ]),
    )
    .await
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
    interval: Option<u64>,
}

/// Asks whether the user has entered the code yet.
pub async fn poll(cfg: &GithubConfig, device_code: &str) -> Result<Poll, GithubError> {
    let url = format!("{}/login/oauth/access_token", cfg.web_url);
    let a: TokenAnswer = json(
        &url,
        client().post(&url).form(&[
            ("client_id", cfg.client_id.as_str()),
            ("device_code", device_code),
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
        ]),
    )
    .await?;
    if let Some(token) = a.access_token {
        return Ok(Poll::Token(token));
    }
    match a.error.as_deref() {
        Some("authorization_pending") => Ok(Poll::Pending { interval: None }),
        Some("slow_down") => Ok(Poll::Pending {
            interval: a.interval,
        }),
        Some("expired_token") => Ok(Poll::Expired),
        Some("access_denied") => Ok(Poll::Denied),
        other => Err(GithubError::Invalid {
            url,
            message: format!(
                "{}{}",
                other.unwrap_or("no token and no error"),
                a.error_description
                    .map(|d| format!(": {d}"))
                    .unwrap_or_default()
            ),
        }),
    }
}

/// The user a token belongs to.
pub async fn user(cfg: &GithubConfig, token: &str) -> Result<GithubUser, GithubError> {
    let url = format!("{}/user", cfg.api_url);
    json(&url, client().get(&url).bearer_auth(token)).await
}

/// One sign-in waiting for its user.
pub struct Session {
    pub device_code: String,
    pub expires: Instant,
}

/// Sign-ins waiting for the user to enter their code, by session id. Kept in memory: a
/// restart only asks the user to start again.
#[derive(Clone, Default)]
pub struct DeviceSessions(Arc<Mutex<HashMap<String, Session>>>);

impl DeviceSessions {
    pub fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        // A panic while holding the lock cannot leave the map half-written.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Sessions kept at most, so unauthenticated starts cannot grow memory without bound.
pub const MAX_SESSIONS: usize = 10_000;
