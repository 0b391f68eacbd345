//! What every request handler shares.

use std::sync::Arc;

use crate::config::Config;
use crate::db::Db;
use crate::plugins::Live;
use crate::storage::Blobs;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub blobs: Blobs,
    pub config: Arc<Config>,
    /// Base URL for links the server hands out (download URLs).
    pub public_url: Arc<str>,
    /// No public URL was configured and the server listens on every address (a container's
    /// `0.0.0.0`), so `public_url` names no reachable host: links are built from the
    /// request's `Host` instead.
    pub public_url_from_host: bool,
    /// The plugin set in use; each request takes the one current when it starts.
    pub plugins: Live,
    /// GitHub device-flow sign-ins in progress.
    pub device_sessions: crate::github::DeviceSessions,
    /// This instance's per-IP rate limiters.
    pub limiters: Arc<crate::limits::Limiters>,
}

impl AppState {
    /// The base URL for a link in the answer to a request with `headers`.
    pub fn base_url(&self, headers: &axum::http::HeaderMap) -> String {
        if self.public_url_from_host
            && let Some(host) = headers
                .get(axum::http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .filter(|h| is_host(h))
        {
            let https = self.config.rate_limits.trust_proxy
                && headers
                    .get("x-forwarded-proto")
                    .is_some_and(|p| p.as_bytes().eq_ignore_ascii_case(b"https"));
            return format!("{}://{host}", if https { "https" } else { "http" });
        }
        self.public_url.to_string()
    }
}

/// A `Host` header that is a host name or address with an optional port, nothing else.
fn is_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 255
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_plain_hosts_make_links() {
        assert!(super::is_host("registry.example.com:3717"));
        assert!(super::is_host("[::1]:8080"));
        assert!(!super::is_host("evil.example/path"));
        assert!(!super::is_host("a b"));
        assert!(!super::is_host(""));
    }
}
