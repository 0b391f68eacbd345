//! Why a publish (or a rescan) did not go through, in the pipeline's own terms. Only the
//! API layer (`api::skills`) turns these into HTTP statuses.

use crate::db::DbError;
use crate::plugins::Failure;
use crate::storage::StorageError;

/// What kind of refusal: the API maps each to one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The request or the package is malformed or invalid.
    Invalid,
    /// The caller may not publish this.
    NotAllowed,
    /// The package is over a size limit.
    TooLarge,
    /// The version cannot join the skill's versions.
    Conflict,
    /// The safety verdict is `blocked`.
    Blocked,
}

#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// Refused, with a stable code, a message for people and optional details.
    #[error("{message}")]
    Refused {
        kind: Refusal,
        code: &'static str,
        message: String,
        details: Option<serde_json::Value>,
    },
    /// A storage policy said no.
    #[error("{reason} (storage policy `{plugin}`)")]
    PolicyDenied { plugin: String, reason: String },
    /// A plugin failed while judging (fail-closed).
    #[error("plugin `{}` failed: {}", .0.plugin, .0.reason)]
    Plugin(Failure),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// Something on the server went wrong (not the request's fault).
    #[error("{0}")]
    Internal(String),
    /// The account published more than limit `limit` allows; try again after `wait`.
    #[error("rate limit `{limit}`: try again in {}s", wait.as_secs())]
    RateLimited {
        limit: &'static str,
        what: &'static str,
        wait: std::time::Duration,
    },
}

impl From<Failure> for PublishError {
    fn from(f: Failure) -> Self {
        PublishError::Plugin(f)
    }
}

impl PublishError {
    fn refused(kind: Refusal, code: &'static str, message: impl Into<String>) -> Self {
        PublishError::Refused {
            kind,
            code,
            message: message.into(),
            details: None,
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::refused(Refusal::Invalid, code, message)
    }

    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        Self::refused(Refusal::NotAllowed, code, message)
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::refused(Refusal::Conflict, code, message)
    }

    pub fn too_large(code: &'static str, message: impl Into<String>) -> Self {
        Self::refused(Refusal::TooLarge, code, message)
    }

    pub fn blocked(message: impl Into<String>, details: serde_json::Value) -> Self {
        PublishError::Refused {
            kind: Refusal::Blocked,
            code: "blocked",
            message: message.into(),
            details: Some(details),
        }
    }

    pub fn internal(e: impl std::fmt::Display) -> Self {
        PublishError::Internal(e.to_string())
    }

    pub fn with_details(mut self, d: serde_json::Value) -> Self {
        if let PublishError::Refused { details, .. } = &mut self {
            *details = Some(d);
        }
        self
    }
}

/// A storage-policy verdict as a publish result.
pub fn policy_verdict(
    verdict: Result<Result<(), (String, String)>, Failure>,
) -> Result<(), PublishError> {
    match verdict? {
        Ok(()) => Ok(()),
        Err((plugin, reason)) => Err(PublishError::PolicyDenied { plugin, reason }),
    }
}
