//! `POST /api/skills/:author/:name/feedback`: how a skill worked for a client (`success`,
//! `partial`, `failure`, or `false_trigger` when it was loaded for a task it does not fit, with an
//! optional comment), as the existing spm client reports it.
//! The counts feed the `confidence` on the skill's entry.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;

use crate::api::caller::MaybeCaller;
use crate::api::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Comments longer than this are refused.
const MAX_COMMENT_CHARS: usize = 2000;

#[derive(Deserialize, utoipa::ToSchema)]
pub struct FeedbackRequest {
    /// `success`, `partial`, `failure` or `false_trigger`.
    pub result: String,
    pub comment: Option<String>,
}

#[utoipa::path(post, path = "/api/skills/{author}/{name}/feedback", tag = "skills",
    params(("author" = String, Path), ("name" = String, Path)), request_body = FeedbackRequest,
    responses((status = 204, description = "recorded"), (status = 400, body = spm_core::api::ErrorBody), (status = 404, body = spm_core::api::ErrorBody)))]
pub async fn feedback(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Path((author, name)): Path<(String, String)>,
    Json(req): Json<FeedbackRequest>,
) -> ApiResult<StatusCode> {
    if !matches!(
        req.result.as_str(),
        "success" | "partial" | "failure" | "false_trigger"
    ) {
        return Err(ApiError::bad_request(
            "invalid_feedback",
            format!(
                "`result` is `{}`; it must be `success`, `partial`, `failure` or `false_trigger`",
                req.result.chars().take(40).collect::<String>()
            ),
        ));
    }
    let comment = req
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    if let Some(c) = comment
        && c.chars().count() > MAX_COMMENT_CHARS
    {
        return Err(ApiError::bad_request(
            "invalid_feedback",
            format!("the comment is longer than {MAX_COMMENT_CHARS} characters"),
        ));
    }
    let viewer = crate::api::caller::viewer(&state, caller.as_ref()).await?;
    let (skill_id, _) = state
        .db
        .skill_id(&author, &name, &viewer)
        .await?
        .ok_or_else(|| {
            ApiError::not_found(format!("no skill `{author}/{name}` in this registry"))
        })?;
    let who = caller.map(|c| c.author.id).filter(|id| *id > 0);
    state
        .db
        .add_feedback(skill_id, who, &req.result, comment)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
