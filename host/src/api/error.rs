//! API errors: a status, a stable code and a human message, rendered as
//! `{"error": "...", "code": "..."}` (the shape the spm client reads).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use spm_core::api::ErrorBody;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: Option<serde_json::Value>,
    /// Seconds a client should wait before trying again (`Retry-After`).
    pub retry_after: Option<u64>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            details: None,
            retry_after: None,
        }
    }

    /// `429 Too Many Requests` for rate limit `limit`, retrying after `wait`.
    pub fn rate_limited(limit: &'static str, what: &str, wait: std::time::Duration) -> Self {
        crate::metrics::rate_limited(limit);
        let secs = wait.as_secs_f64().ceil().max(1.0) as u64;
        let mut e = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("too many {what}: try again in {secs} s (limit `{limit}`)"),
        )
        .with_details(serde_json::json!({ "limit": limit, "retry_after_secs": secs }));
        e.retry_after = Some(secs);
        e
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, code, message)
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    pub fn internal(err: impl std::fmt::Display) -> Self {
        tracing::error!(error = %err, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal server error; see the server log",
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.message,
            code: self.code.to_string(),
            details: self.details,
        };
        let mut resp = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after
            && let Ok(v) = axum::http::HeaderValue::from_str(&secs.to_string())
        {
            resp.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, v);
        }
        resp
    }
}

impl From<crate::db::DbError> for ApiError {
    fn from(e: crate::db::DbError) -> Self {
        ApiError::internal(e)
    }
}

impl From<crate::storage::StorageError> for ApiError {
    fn from(e: crate::storage::StorageError) -> Self {
        ApiError::internal(e)
    }
}

/// A plugin that failed while judging a request refuses it (fail-closed).
impl From<crate::plugins::Failure> for ApiError {
    fn from(f: crate::plugins::Failure) -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "plugin_failed",
            format!(
                "plugin `{}` failed: {}; the request was refused (the plugin is fail-closed)",
                f.plugin, f.reason
            ),
        )
    }
}

/// A storage-policy verdict as an API result: a denial is 403 naming the policy.
pub fn policy_verdict(
    verdict: Result<Result<(), (String, String)>, crate::plugins::Failure>,
) -> ApiResult<()> {
    match verdict? {
        Ok(()) => Ok(()),
        Err((plugin, reason)) => Err(ApiError::forbidden(
            "policy_denied",
            format!("{reason} (storage policy `{plugin}`)"),
        )),
    }
}
