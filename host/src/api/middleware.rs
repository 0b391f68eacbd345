//! Layers every route shares: uniform JSON error bodies, security headers, and one plugin
//! set per request ([`one_plugin_set`]).
//!
//! Handlers return [`ApiError`](crate::api::error::ApiError)s, which are already JSON. What is
//! not comes from below the handlers: axum's extractor rejections (a bad path parameter,
//! a non-JSON body, an unknown enum value), the body limit and the timeout layers. Those are
//! plain text; [`json_errors`] turns them into the same `{error, code}` shape.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use spm_core::api::ErrorBody;

use crate::state::AppState;

/// Content-Security-Policy of the web UI: no script at all, styles from our own stylesheet.
pub const PAGE_CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// GraphiQL is a script application loaded from unpkg; it gets only what it needs.
const GRAPHIQL_CSP: &str = "default-src 'none'; script-src 'unsafe-inline' unpkg.com; style-src 'unsafe-inline' unpkg.com; font-src unpkg.com data:; img-src 'self' data: unpkg.com; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Archives are data: never rendered, never framed.
const BLOB_CSP: &str = "default-src 'none'; sandbox; frame-ancestors 'none'";

/// The most of an error body that is read to rewrite it.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Runs the request on the plugin set current when it arrived: a reload meanwhile does not
/// change the set that authenticates, judges and fires hooks for it.
pub async fn one_plugin_set(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let plugins = state.plugins.clone();
    plugins.scoped(next.run(req)).await
}

/// Rewrites plain-text error responses into `{"error", "code"}` JSON.
pub async fn json_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    let status = resp.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let content_type = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("application/json") || content_type.starts_with("text/html") {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let text = match axum::body::to_bytes(body, MAX_ERROR_BODY).await {
        Ok(b) => String::from_utf8_lossy(&b).trim().to_string(),
        Err(_) => String::new(),
    };
    let error = match status {
        StatusCode::PAYLOAD_TOO_LARGE => format!(
            "the request body is larger than this registry accepts ({} bytes)",
            state.config.max_body_bytes
        ),
        StatusCode::REQUEST_TIMEOUT => format!(
            "the request took longer than this registry's {}s limit",
            state.config.request_timeout.as_secs()
        ),
        _ if !text.is_empty() => text,
        _ => status.canonical_reason().unwrap_or("error").to_lowercase(),
    };
    let body = ErrorBody {
        error,
        code: code_for(status).to_string(),
        details: None,
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    Response::from_parts(parts, Body::from(bytes)).into_response()
}

/// A stable code for an error that no handler named.
fn code_for(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::UNAUTHORIZED => "unauthorized",
        StatusCode::FORBIDDEN => "forbidden",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid_body",
        StatusCode::TOO_MANY_REQUESTS => "rate_limited",
        s if s.is_server_error() => "internal",
        _ => "error",
    }
}

/// `nosniff` everywhere; CSP, framing and referrer rules on pages; archives never rendered.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let mut resp = next.run(req).await;
    let is_html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    let csp = if path.starts_with("/api/blobs/") {
        Some(BLOB_CSP)
    } else if is_html && path == "/graphql" {
        Some(GRAPHIQL_CSP)
    } else if is_html {
        Some(PAGE_CSP)
    } else {
        None
    };
    if let Some(csp) = csp {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        );
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        h.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        );
    }
    resp
}
