//! GitHub sign-in for the existing client's device flow:
//! `POST /auth/github/device` `{}` → `{session_id, user_code, verification_uri, interval}`;
//! `POST /auth/github/device/poll` `{session_id}` → `{status: "pending", interval}` or
//! `{status: "complete", token, author}`; 410 when the code expired, 404 for an unknown session.
//!
//! The first sign-in creates an account named after the GitHub login and links it to the
//! GitHub account id; later sign-ins find it by that id. A name already used by an account
//! that is not linked to that GitHub account is never taken over.

use std::time::{Duration, Instant};

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::error::{ApiError, ApiResult};
use crate::db::tokens::Scope;
use crate::github::{self, MAX_SESSIONS, Poll, Session};
use crate::state::AppState;

fn config(state: &AppState) -> ApiResult<&crate::config::GithubConfig> {
    state.config.github.as_ref().ok_or_else(|| {
        ApiError::new(
            StatusCode::NOT_IMPLEMENTED,
            "github_disabled",
            "GitHub sign-in is not configured on this registry (GITHUB_CLIENT_ID); use `spm login --name`",
        )
    })
}

fn upstream(e: github::GithubError) -> ApiError {
    tracing::warn!(error = %e, "GitHub request failed");
    ApiError::new(StatusCode::BAD_GATEWAY, "github_unavailable", e.to_string())
}

pub async fn start(State(state): State<AppState>) -> ApiResult<Json<Value>> {
    let cfg = config(&state)?;
    let code = github::device_code(cfg).await.map_err(upstream)?;
    let id = crate::db::tokens::generate().replacen("spm_", "ds_", 1);
    {
        let mut sessions = state.device_sessions.lock();
        let now = Instant::now();
        sessions.retain(|_, s| s.expires > now);
        if sessions.len() >= MAX_SESSIONS {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_sign_ins",
                "too many GitHub sign-ins are waiting; try again in a few minutes",
            ));
        }
        sessions.insert(
            id.clone(),
            Session {
                device_code: code.device_code,
                expires: now + Duration::from_secs(code.expires_in.clamp(1, 3600)),
            },
        );
    }
    Ok(Json(json!({
        "session_id": id,
        "user_code": code.user_code,
        "verification_uri": code.verification_uri,
        "interval": code.interval,
        "expires_in": code.expires_in,
    })))
}

#[derive(Deserialize)]
pub struct PollRequest {
    session_id: String,
}

fn gone() -> ApiError {
    ApiError::new(
        StatusCode::GONE,
        "expired",
        "the sign-in code expired; start again",
    )
}

pub async fn poll(
    State(state): State<AppState>,
    Json(req): Json<PollRequest>,
) -> ApiResult<Json<Value>> {
    let cfg = config(&state)?;
    let device_code = {
        let mut sessions = state.device_sessions.lock();
        match sessions.get(&req.session_id) {
            None => return Err(ApiError::not_found("no such sign-in session")),
            Some(s) if s.expires <= Instant::now() => {
                sessions.remove(&req.session_id);
                return Err(gone());
            }
            Some(s) => s.device_code.clone(),
        }
    };
    let token = match github::poll(cfg, &device_code).await.map_err(upstream)? {
        Poll::Pending { interval } => {
            return Ok(Json(json!({ "status": "pending", "interval": interval })));
        }
        Poll::Expired => {
            state.device_sessions.lock().remove(&req.session_id);
            return Err(gone());
        }
        Poll::Denied => {
            state.device_sessions.lock().remove(&req.session_id);
            return Err(ApiError::forbidden(
                "access_denied",
                "the sign-in was cancelled on GitHub",
            ));
        }
        Poll::Token(t) => t,
    };
    state.device_sessions.lock().remove(&req.session_id);
    let user = github::user(cfg, &token).await.map_err(upstream)?;
    let author = match state.db.author_by_github_id(user.id).await? {
        Some(a) => a,
        None => {
            let name = user.login.to_ascii_lowercase();
            spm_core::skill::check_author(&name).map_err(|e| {
                ApiError::bad_request(
                    "invalid_name",
                    format!(
                        "the GitHub login `{}` cannot be an spm account name: it {e}",
                        user.login
                    ),
                )
            })?;
            crate::api::caller::refuse_reserved(&state, &name)?;
            state
                .db
                .create_github_author(&name, &user.login, user.id)
                .await?
                .ok_or_else(|| {
                    ApiError::conflict(
                        "name_taken",
                        format!(
                            "the account `{name}` exists but is not linked to GitHub user {}; sign in with its token instead",
                            user.login
                        ),
                    )
                })?
        }
    };
    let (_, token) = state
        .db
        .create_token(author.id, "github", Scope::Publish, None, None)
        .await?;
    Ok(Json(json!({
        "status": "complete",
        "token": token,
        "author": { "id": author.id, "name": author.name },
    })))
}
