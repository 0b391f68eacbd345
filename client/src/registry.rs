//! The registry's HTTP API from the client side. Errors carry the server's own message
//! and code, so commands can say in plain words why something was refused.

use std::time::Duration;

pub use reqwest::Method;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use spm_core::api::{
    ContentResponse, DownloadResponse, ErrorBody, PublishResponse, RegisterResponse,
    SearchResponse, SkillEntry, VersionsResponse,
};

use spm_core::skill::SkillId;

use crate::home::{RegistryEntry, token_for};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("cannot reach the registry at {url}: {message}")]
    Network { url: String, message: String },
    #[error("{message}")]
    Api {
        status: u16,
        code: String,
        message: String,
        details: Option<serde_json::Value>,
    },
    #[error("the registry at {url} sent something unexpected: {message}")]
    Decode { url: String, message: String },
}

impl ClientError {
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            ClientError::Api { code, .. } => Some(code),
            _ => None,
        }
    }
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    pub base: String,
    token: Option<String>,
}

impl Client {
    pub fn new(registry: &RegistryEntry) -> anyhow::Result<Client> {
        let parsed = url::Url::parse(&registry.url).map_err(|e| {
            anyhow::anyhow!(
                "the registry URL `{}` is not valid ({e}); it looks like http://localhost:3717",
                registry.url
            )
        })?;
        anyhow::ensure!(
            matches!(parsed.scheme(), "http" | "https"),
            "the registry URL `{}` must start with http:// or https://",
            registry.url
        );
        let http = reqwest::Client::builder()
            .user_agent(concat!("spm/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .build()?;
        Ok(Client {
            http,
            base: registry.url.trim_end_matches('/').to_string(),
            token: token_for(registry),
        })
    }

    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `<base>/api/skills/<author>/<name>[/<tail>...]?<query>`, every segment and query value
    /// percent-encoded (a version such as `1.0.0+build.1` keeps its `+`).
    fn skill_url(&self, id: &SkillId, tail: &[&str], query: &[(&str, &str)]) -> String {
        let mut url = match url::Url::parse(&self.base) {
            Ok(u) => u,
            // `Client::new` checked the base; keep a usable fallback anyway.
            Err(_) => return self.url(&format!("/api/skills/{id}")),
        };
        if let Ok(mut segs) = url.path_segments_mut() {
            segs.pop_if_empty()
                .extend(["api", "skills", &id.author, &id.name])
                .extend(tail);
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url.to_string()
    }

    async fn get_url<T: DeserializeOwned>(&self, url: String) -> Result<T, ClientError> {
        self.send(self.request(reqwest::Method::GET, &url), &url)
            .await
    }

    fn request(&self, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
        let mut r = self
            .http
            .request(method, url)
            .header("X-SPM-Version", env!("CARGO_PKG_VERSION"));
        if let Some(t) = &self.token {
            r = r.bearer_auth(t);
        }
        r
    }

    /// Sends a request and returns the body of a successful answer.
    async fn send_raw(
        &self,
        req: reqwest::RequestBuilder,
        url: &str,
    ) -> Result<Vec<u8>, ClientError> {
        let network = |e: reqwest::Error| ClientError::Network {
            url: url.to_string(),
            message: root_cause(&e),
        };
        let resp = req.send().await.map_err(network)?;
        let status = resp.status();
        let bytes = resp.bytes().await.map_err(network)?;
        if !status.is_success() {
            return Err(api_error(status, &bytes));
        }
        Ok(bytes.to_vec())
    }

    async fn send<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
        url: &str,
    ) -> Result<T, ClientError> {
        let bytes = self.send_raw(req, url).await?;
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode {
            url: url.to_string(),
            message: e.to_string(),
        })
    }

    pub async fn register(&self, name: &str) -> Result<RegisterResponse, ClientError> {
        let url = self.url("/api/auth/register");
        self.send(
            self.request(reqwest::Method::POST, &url)
                .json(&serde_json::json!({ "name": name })),
            &url,
        )
        .await
    }

    pub async fn search(
        &self,
        q: &str,
        page: i64,
        per_page: i64,
    ) -> Result<SearchResponse, ClientError> {
        let url = self.url("/api/skills/search");
        let req = self.request(reqwest::Method::GET, &url).query(&[
            ("q", q.to_string()),
            ("page", page.to_string()),
            ("per_page", per_page.to_string()),
        ]);
        self.send(req, &url).await
    }

    pub async fn entry(&self, id: &SkillId) -> Result<SkillEntry, ClientError> {
        self.get_url(self.skill_url(id, &[], &[])).await
    }

    pub async fn versions(&self, id: &SkillId) -> Result<VersionsResponse, ClientError> {
        self.get_url(self.skill_url(id, &["versions"], &[])).await
    }

    pub async fn content(
        &self,
        id: &SkillId,
        version: Option<&str>,
    ) -> Result<ContentResponse, ClientError> {
        let query: Vec<(&str, &str)> = version.map(|v| ("version", v)).into_iter().collect();
        self.get_url(self.skill_url(id, &["content"], &query)).await
    }

    pub async fn download_info(
        &self,
        id: &SkillId,
        version: &str,
    ) -> Result<DownloadResponse, ClientError> {
        self.get_url(self.skill_url(id, &["download"], &[("version", version)]))
            .await
    }

    /// A client for a registry named only by a lockfile: it never carries a token (neither a
    /// stored one nor `SPM_TOKEN`), since a cloned lockfile is untrusted input.
    pub fn anonymous(url: &str) -> anyhow::Result<Client> {
        let mut c = Client::new(&RegistryEntry {
            name: url.into(),
            url: url.into(),
            token: None,
        })?;
        c.token = None;
        Ok(c)
    }

    /// The client for the registry at `url`: the configured entry with that address (and its
    /// token) when there is one, else an anonymous client.
    pub fn for_url(url: &str, configured: &[RegistryEntry]) -> anyhow::Result<Client> {
        let url = url.trim_end_matches('/');
        match configured
            .iter()
            .find(|e| e.url.trim_end_matches('/') == url)
        {
            Some(entry) => Client::new(entry),
            None => Client::anonymous(url),
        }
    }

    /// Whether `url` is on this registry: same scheme, host and port, under its path.
    pub fn owns(&self, url: &str) -> bool {
        same_origin_under(&self.base, url)
    }

    /// The bytes behind a download URL (the registry's own route or a presigned one). The
    /// token goes only to the registry itself.
    pub async fn fetch(&self, url: &str) -> Result<Vec<u8>, ClientError> {
        let req = if self.owns(url) {
            self.request(reqwest::Method::GET, url)
        } else {
            self.http.get(url)
        };
        self.send_raw(req, url).await
    }

    pub async fn publish(
        &self,
        metadata: serde_json::Value,
        archive: Vec<u8>,
        integrity: &str,
    ) -> Result<PublishResponse, ClientError> {
        let url = self.url("/api/skills");
        let form = reqwest::multipart::Form::new()
            .text("metadata", metadata.to_string())
            .text("integrity", integrity.to_string())
            .part(
                "archive",
                reqwest::multipart::Part::bytes(archive).file_name("skill.tar.gz"),
            );
        self.send(
            self.request(reqwest::Method::POST, &url).multipart(form),
            &url,
        )
        .await
    }

    /// `POST /api/skills/:author/:name/feedback`: how a skill worked (`success`, `partial`,
    /// `failure`, `false_trigger`), with an optional comment.
    pub async fn feedback(
        &self,
        id: &SkillId,
        result: &str,
        comment: Option<&str>,
    ) -> Result<(), ClientError> {
        let url = self.skill_url(id, &["feedback"], &[]);
        let mut body = serde_json::json!({ "result": result });
        if let Some(c) = comment {
            body["comment"] = c.into();
        }
        self.send_raw(self.request(reqwest::Method::POST, &url).json(&body), &url)
            .await
            .map(drop)
    }

    /// Any JSON call (admin and organisation endpoints).
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<serde_json::Value, ClientError> {
        let url = self.url(path);
        let mut req = self.request(method, &url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        // `204 No Content` (a removal) has no body: it reads as null.
        let bytes = self.send_raw(req, &url).await?;
        if bytes.is_empty() {
            return Ok(serde_json::Value::Null);
        }
        serde_json::from_slice(&bytes).map_err(|e| ClientError::Decode {
            url: url.to_string(),
            message: e.to_string(),
        })
    }

    pub async fn set_yanked(
        &self,
        id: &SkillId,
        version: &str,
        yanked: bool,
    ) -> Result<serde_json::Value, ClientError> {
        let url = self.skill_url(id, &["versions", version, "yank"], &[]);
        let method = if yanked {
            reqwest::Method::POST
        } else {
            reqwest::Method::DELETE
        };
        self.send(self.request(method, &url), &url).await
    }
}

/// `url` has the origin of `base` and a path under `base`'s path.
pub fn same_origin_under(base: &str, url: &str) -> bool {
    let (Ok(b), Ok(u)) = (url::Url::parse(base), url::Url::parse(url)) else {
        return false;
    };
    let prefix = b.path().trim_end_matches('/');
    b.origin() == u.origin()
        && (u.path() == prefix || u.path().starts_with(&format!("{prefix}/")) || prefix.is_empty())
}

fn api_error(status: StatusCode, bytes: &[u8]) -> ClientError {
    match serde_json::from_slice::<ErrorBody>(bytes) {
        Ok(body) => ClientError::Api {
            status: status.as_u16(),
            code: body.code,
            message: body.error,
            details: body.details,
        },
        Err(_) => ClientError::Api {
            status: status.as_u16(),
            code: "http".into(),
            message: format!("the registry answered {status}"),
            details: None,
        },
    }
}

fn root_cause(e: &reqwest::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg = s.to_string();
        source = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::same_origin_under;

    #[test]
    fn tokens_go_only_to_the_registry_itself() {
        let base = "https://reg.example.com";
        assert!(same_origin_under(
            base,
            "https://reg.example.com/api/blobs/x.tar.gz"
        ));
        assert!(!same_origin_under(
            base,
            "https://reg.example.com.evil.net/api/blobs/x"
        ));
        assert!(!same_origin_under(
            base,
            "http://reg.example.com/api/blobs/x"
        ));
        assert!(!same_origin_under(base, "https://reg.example.com:8443/x"));
        assert!(!same_origin_under(
            base,
            "https://evil.net/?https://reg.example.com"
        ));
        let sub = "https://example.com/spm";
        assert!(same_origin_under(sub, "https://example.com/spm/api/x"));
        assert!(!same_origin_under(sub, "https://example.com/spmx/api/x"));
        assert!(!same_origin_under(sub, "https://example.com/other"));
        assert!(!same_origin_under(base, "not a url"));
    }
}
