//! Who is calling: the bearer token in `Authorization` (or `SPM_TOKEN` on the client side),
//! resolved to an author and a scope. Extractors for handlers that need a caller.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::db::authors::Author;
use crate::db::tokens::{Rejection, Scope};
use crate::error::ApiError;
use crate::state::AppState;

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub author: Author,
    pub scope: Scope,
}

impl Caller {
    /// Checks the token's scope; admin scope also needs an admin account.
    pub fn require(&self, scope: Scope) -> Result<(), ApiError> {
        if self.scope < scope {
            return Err(ApiError::forbidden(
                "insufficient_scope",
                format!("this token has `{}` scope; `{scope}` is needed", self.scope),
            ));
        }
        if scope == Scope::Admin && !self.author.is_admin {
            return Err(ApiError::forbidden(
                "admin_only",
                "only an administrator may do this",
            ));
        }
        Ok(())
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))?;
    Some(token.trim()).filter(|t| !t.is_empty())
}

async fn resolve(state: &AppState, token: &str) -> Result<Caller, ApiError> {
    if let Some(boot) = &state.config.bootstrap_token
        && !boot.is_empty()
        && constant_time_eq(boot.as_bytes(), token.as_bytes())
    {
        let author = Author {
            id: 0,
            name: "bootstrap".into(),
            is_admin: true,
        };
        return Ok(Caller {
            author,
            scope: Scope::Admin,
        });
    }
    match state.db.authenticate(token).await? {
        Ok((author, scope)) => Ok(Caller { author, scope }),
        Err(Rejection::Unknown) => Err(ApiError::unauthorized("the token is not valid")),
        Err(Rejection::Revoked) => Err(ApiError::unauthorized("the token has been revoked")),
        Err(Rejection::Expired) => Err(ApiError::unauthorized("the token has expired")),
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(token) = bearer(parts) else {
            return Err(ApiError::unauthorized(
                "authentication required: send `Authorization: Bearer <token>`",
            ));
        };
        resolve(state, token).await
    }
}

/// A caller if a token was sent (a bad token is still an error).
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match bearer(parts) {
            Some(token) => Ok(MaybeCaller(Some(resolve(state, token).await?))),
            None => Ok(MaybeCaller(None)),
        }
    }
}
