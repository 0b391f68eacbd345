//! Who is calling: the bearer token in `Authorization` (or `SPM_TOKEN` on the client side),
//! resolved to an author and a scope. Extractors for handlers that need a caller.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use crate::api::error::ApiError;
use crate::db::authors::Author;
use crate::db::orgs::Viewer;
use crate::db::tokens::{Rejection, Scope};
use crate::plugins::AuthOutcome;
use crate::state::AppState;

/// Who the bootstrap token acts as, in the audit log and messages. It is not a valid account
/// name, so no account can be mistaken for it.
pub const BOOTSTRAP_ACTOR: &str = "(bootstrap token)";

/// Refuses an account name on the registry's reserved list (403 `reserved_name`).
pub fn refuse_reserved(state: &AppState, name: &str) -> Result<(), ApiError> {
    if state.config.is_reserved(name) {
        return Err(ApiError::forbidden(
            "reserved_name",
            format!("the name `{name}` is reserved on this registry; choose another"),
        ));
    }
    Ok(())
}

/// Creates an ordinary account unless its name is reserved; `None` when it is taken.
async fn create_unreserved(state: &AppState, name: &str) -> Result<Option<Author>, ApiError> {
    refuse_reserved(state, name)?;
    Ok(state.db.create_author(name, None, false).await?)
}

/// An authenticated caller.
#[derive(Debug, Clone)]
pub struct Caller {
    pub author: Author,
    pub scope: Scope,
    /// The organisation the token is scoped to: it publishes only there.
    pub org: Option<i64>,
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

    /// A token scoped to an organisation acts only on that namespace.
    pub fn within(&self, namespace_id: i64, namespace: &str) -> Result<(), ApiError> {
        match self.org {
            Some(org) if org != namespace_id => Err(ApiError::forbidden(
                "token_scope",
                format!(
                    "this token is scoped to an organisation and acts only there, not on `{namespace}`; use a token of your own account"
                ),
            )),
            _ => Ok(()),
        }
    }

    /// What only the account itself may do (its tokens, new organisations): not with a
    /// token scoped to an organisation.
    pub fn account_wide(&self) -> Result<(), ApiError> {
        if self.org.is_some() {
            return Err(ApiError::forbidden(
                "token_scope",
                "this token is scoped to an organisation; use a token of your own account for this",
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

/// Asks the auth plugins (in order) about a credential; `None` when none claims it.
async fn from_plugins(
    state: &AppState,
    token: &str,
    parts: &Parts,
) -> Result<Option<Caller>, ApiError> {
    let plugins = state.plugins.get();
    if plugins.is_empty() {
        return Ok(None);
    }
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .filter(|(k, _)| *k != axum::http::header::AUTHORIZATION)
        .filter_map(|(k, v)| Some((k.as_str().to_string(), v.to_str().ok()?.to_string())))
        .collect();
    match plugins.authenticate(Some(token), headers).await {
        Ok(AuthOutcome::NotMine) => Ok(None),
        Ok(AuthOutcome::Denied { plugin, reason }) => Err(ApiError::unauthorized(format!(
            "{reason} (auth plugin `{plugin}`)"
        ))),
        Ok(AuthOutcome::Authenticated {
            name,
            scopes,
            plugin,
        }) => {
            spm_core::skill::check_author(&name).map_err(|e| {
                ApiError::unauthorized(format!(
                    "auth plugin `{plugin}` named the account `{name}`, which {e}"
                ))
            })?;
            let author = match state.db.author_by_name(&name).await? {
                // An organisation is acted for by its members, never signed in as.
                Some(a) if state.db.is_org(a.id).await? => {
                    return Err(ApiError::unauthorized(format!(
                        "auth plugin `{plugin}` named `{name}`, which is an organisation, not an account"
                    )));
                }
                Some(a) => a,
                None => match create_unreserved(state, &name).await? {
                    Some(a) => a,
                    None => state
                        .db
                        .author_by_name(&name)
                        .await?
                        .ok_or_else(|| ApiError::internal("account vanished"))?,
                },
            };
            let scope = scopes
                .iter()
                .filter_map(|s| s.parse::<Scope>().ok())
                .max()
                .unwrap_or(Scope::Read);
            Ok(Some(Caller {
                author,
                scope,
                org: None,
            }))
        }
        Err(f) => Err(f.into()),
    }
}

async fn resolve(state: &AppState, token: &str, parts: &Parts) -> Result<Caller, ApiError> {
    if let Some(caller) = from_plugins(state, token, parts).await? {
        return Ok(caller);
    }
    if let Some(boot) = &state.config.bootstrap_token
        && !boot.is_empty()
        && constant_time_eq(boot.as_bytes(), token.as_bytes())
    {
        let author = Author {
            id: 0,
            name: BOOTSTRAP_ACTOR.into(),
            is_admin: true,
        };
        return Ok(Caller {
            author,
            scope: Scope::Admin,
            org: None,
        });
    }
    match state.db.authenticate(token).await? {
        Ok((author, scope, org)) => Ok(Caller { author, scope, org }),
        Err(Rejection::Unknown) => Err(ApiError::unauthorized("the token is not valid")),
        Err(Rejection::Revoked) => Err(ApiError::unauthorized("the token has been revoked")),
        Err(Rejection::Expired) => Err(ApiError::unauthorized("the token has expired")),
    }
}

/// Compares in time independent of where the inputs differ (tokens, secrets).
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
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
        resolve(state, token, parts).await
    }
}

/// A caller if a token was sent (a bad token is still an error).
pub struct MaybeCaller(pub Option<Caller>);

/// What `caller` may see: public skills, and private ones of their own namespaces.
pub async fn viewer(state: &AppState, caller: Option<&Caller>) -> Result<Viewer, ApiError> {
    match caller {
        // An organisation's token sees that organisation's private skills only, and only
        // while its holder is still a member.
        Some(Caller {
            org: Some(org),
            author,
            ..
        }) => Ok(match state.db.role_in(*org, author.id).await? {
            Some(_) => Viewer::only(*org),
            None => Viewer::default(),
        }),
        Some(c) => Ok(state.db.viewer(&c.author).await?),
        None => Ok(Viewer::default()),
    }
}

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match bearer(parts) {
            Some(token) => Ok(MaybeCaller(Some(resolve(state, token, parts).await?))),
            None => Ok(MaybeCaller(None)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn tokens_compare_whole() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"abcd"));
    }
}
