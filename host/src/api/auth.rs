//! Accounts and tokens: `POST /api/auth/register`, `/api/tokens`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use spm_core::api::{AuthorRef, ErrorBody, RegisterRequest, RegisterResponse};
use spm_core::skill::check_author;

use crate::api::caller::Caller;
use crate::api::error::{ApiError, ApiResult};
use crate::db::orgs::Role;
use crate::db::tokens::{Scope, TokenInfo};
use crate::state::AppState;

#[utoipa::path(post, path = "/api/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = RegisterResponse), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    body: Option<Json<RegisterRequest>>,
) -> ApiResult<(StatusCode, Json<RegisterResponse>)> {
    if !state.config.allow_registration {
        return Err(ApiError::forbidden(
            "registration_disabled",
            "this registry does not accept new accounts",
        ));
    }
    let Some(Json(req)) = body else {
        return Err(ApiError::bad_request(
            "invalid_body",
            "send JSON {\"name\": \"<account name>\"}",
        ));
    };
    check_author(&req.name).map_err(|e| {
        ApiError::bad_request("invalid_name", format!("the name `{}` {e}", req.name))
    })?;
    crate::api::caller::refuse_reserved(&state, &req.name)?;
    let Some(author) = state
        .db
        .create_author(&req.name, req.github_username.as_deref(), false)
        .await?
    else {
        return Err(ApiError::conflict(
            "name_taken",
            format!("the name `{}` is taken", req.name),
        ));
    };
    let (_, token) = state
        .db
        .create_token(author.id, "default", Scope::Publish, None, None)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(RegisterResponse {
            author: AuthorRef {
                id: author.id,
                name: author.name,
            },
            token,
        }),
    ))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewToken {
    #[serde(default = "default_token_name")]
    pub name: String,
    #[serde(default = "default_scope")]
    pub scope: Scope,
    /// RFC 3339 expiry time.
    pub expires_at: Option<String>,
    /// An organisation the token is scoped to: it publishes only there.
    pub org: Option<String>,
}

fn default_token_name() -> String {
    "token".into()
}

fn default_scope() -> Scope {
    Scope::Publish
}

#[utoipa::path(post, path = "/api/tokens", tag = "auth", request_body = NewToken,
    responses((status = 201, description = "{id, token, scope}; the token is shown only here"), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    Json(req): Json<NewToken>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    caller.require(Scope::Read)?;
    if req.scope > caller.scope {
        return Err(ApiError::forbidden(
            "insufficient_scope",
            "a token cannot create a token with more scope than itself",
        ));
    }
    if req.scope == Scope::Admin && !caller.author.is_admin {
        return Err(ApiError::forbidden(
            "admin_only",
            "only administrators can hold admin tokens",
        ));
    }
    if let Some(exp) = &req.expires_at
        && crate::db::parse_time(exp).is_none()
    {
        return Err(ApiError::bad_request(
            "invalid_expiry",
            format!("`{exp}` is not an RFC 3339 time"),
        ));
    }
    let org = match req.org.as_deref() {
        None => caller.org,
        Some(name) => {
            let found = state.db.org_by_name(name).await?;
            let role = match &found {
                Some(o) => state.db.role_in(o.id, caller.author.id).await?,
                None => None,
            };
            let (Some(o), Some(role)) = (found, role) else {
                return Err(ApiError::not_found(format!(
                    "no organisation `{name}` that you belong to"
                )));
            };
            if req.scope >= Scope::Publish && role < Role::Publisher {
                return Err(ApiError::forbidden(
                    "insufficient_role",
                    format!(
                        "you are a {role} of `{name}`; a publish token for it needs the publisher or owner role"
                    ),
                ));
            }
            if caller.org.is_some_and(|c| c != o.id) {
                return Err(ApiError::forbidden(
                    "token_scope",
                    "a token scoped to one organisation cannot create tokens for another",
                ));
            }
            Some(o.id)
        }
    };
    let (id, token) = state
        .db
        .create_token(
            caller.author.id,
            &req.name,
            req.scope,
            req.expires_at.as_deref(),
            org,
        )
        .await?;
    if let Some(name) = &req.org {
        state
            .db
            .audit(
                &caller.author.name,
                "org-token",
                name,
                &format!("{} {}", req.name, req.scope),
            )
            .await?;
    }
    Ok((
        StatusCode::CREATED,
        Json(serde_json::json!({ "id": id, "token": token, "scope": req.scope, "org": req.org })),
    ))
}

#[utoipa::path(get, path = "/api/tokens", tag = "auth",
    responses((status = 200, body = Vec<TokenInfo>), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<TokenInfo>>> {
    caller.require(Scope::Read)?;
    caller.account_wide()?;
    Ok(Json(state.db.list_tokens(caller.author.id).await?))
}

#[utoipa::path(delete, path = "/api/tokens/{id}", tag = "auth", params(("id" = i64, Path)),
    responses((status = 204, description = "revoked"), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    caller.require(Scope::Read)?;
    caller.account_wide()?;
    if state.db.revoke_token(caller.author.id, id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!(
            "you have no live token with id {id}"
        )))
    }
}
