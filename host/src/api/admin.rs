//! `/api/admin`: the review queue, trust levels and the audit log (admins only). Every
//! change is written to the audit log with who and when.

use axum::Json;
use axum::extract::{Path, Query, State};
use serde::Deserialize;

use spm_core::safety::SafetyStatus;

use crate::api::caller::Caller;
use crate::api::error::{ApiError, ApiResult};
use crate::db::admin::{AuditEntry, ReviewItem, TRUST_LEVELS};
use crate::db::orgs::Viewer;
use crate::db::tokens::Scope;
use crate::state::AppState;
#[allow(unused_imports)]
use spm_core::api::ErrorBody;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewQuery {
    /// flagged (default), blocked, clean or all
    pub status: Option<String>,
}

#[utoipa::path(get, path = "/api/admin/review", tag = "admin", params(ReviewQuery),
    responses((status = 200, body = Vec<ReviewItem>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn review_list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ReviewQuery>,
) -> ApiResult<Json<Vec<ReviewItem>>> {
    caller.require(Scope::Admin)?;
    let filter = match q.status.as_deref().unwrap_or("flagged") {
        "all" => None,
        s => Some(
            s.parse::<SafetyStatus>()
                .map_err(|e| ApiError::bad_request("invalid_status", format!("{e}, or all")))?,
        ),
    };
    Ok(Json(state.db.review_items(filter).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReviewDecision {
    /// approve (clean, verified) or block (no longer served)
    pub action: String,
    #[serde(default)]
    pub reason: String,
}

async fn find_version(
    state: &AppState,
    author: &str,
    name: &str,
    version: &str,
) -> ApiResult<ReviewItem> {
    state
        .db
        .review_items(None)
        .await?
        .into_iter()
        .find(|i| i.author == author && i.name == name && i.version == version)
        .ok_or_else(|| ApiError::not_found(format!("`{author}/{name}` has no version {version}")))
}

#[utoipa::path(post, path = "/api/admin/review/{author}/{name}/{version}", tag = "admin", request_body = ReviewDecision,
    params(("author" = String, Path), ("name" = String, Path), ("version" = String, Path)),
    responses((status = 200, body = ReviewItem), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn review_decide(
    State(state): State<AppState>,
    caller: Caller,
    Path((author, name, version)): Path<(String, String, String)>,
    Json(d): Json<ReviewDecision>,
) -> ApiResult<Json<ReviewItem>> {
    caller.require(Scope::Admin)?;
    let item = find_version(&state, &author, &name, &version).await?;
    match d.action.as_str() {
        "approve" => {
            state
                .db
                .set_safety(
                    item.version_id,
                    SafetyStatus::Clean,
                    item.safety_score,
                    None,
                )
                .await?;
            state
                .db
                .set_version_trust(item.version_id, "verified")
                .await?;
        }
        "block" => {
            state
                .db
                .set_safety(
                    item.version_id,
                    SafetyStatus::Blocked,
                    item.safety_score,
                    None,
                )
                .await?
        }
        other => {
            return Err(ApiError::bad_request(
                "invalid_action",
                format!("`{other}` is not an action; use approve or block"),
            ));
        }
    }
    let target = format!("{author}/{name}@{version}");
    state
        .db
        .audit(
            &caller.author.name,
            &format!("review.{}", d.action),
            &target,
            &d.reason,
        )
        .await?;
    tracing::warn!(by = %caller.author.name, action = %d.action, %target, "review decision");
    let change = crate::events::Change {
        kind: if d.action == "approve" {
            crate::plugins::types::EventKind::Approved
        } else {
            crate::plugins::types::EventKind::Blocked
        },
        author: &author,
        name: &name,
        version: &version,
        actor: &caller.author.name,
        reason: Some(&d.reason),
    };
    // The status this decision set: read later, it could be a later decision's.
    let status = if d.action == "approve" {
        SafetyStatus::Clean
    } else {
        SafetyStatus::Blocked
    };
    crate::events::tell(&state, change, Some(status));
    Ok(Json(find_version(&state, &author, &name, &version).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct TrustChange {
    /// trusted, verified or community
    pub level: String,
}

#[utoipa::path(put, path = "/api/admin/trust/{author}/{name}", tag = "admin", request_body = TrustChange,
    params(("author" = String, Path), ("name" = String, Path)),
    responses((status = 200, description = "trust level set"), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn set_trust(
    State(state): State<AppState>,
    caller: Caller,
    Path((author, name)): Path<(String, String)>,
    Json(t): Json<TrustChange>,
) -> ApiResult<Json<serde_json::Value>> {
    caller.require(Scope::Admin)?;
    if !TRUST_LEVELS.contains(&t.level.as_str()) {
        return Err(ApiError::bad_request(
            "invalid_trust",
            format!(
                "`{}` is not a trust level; use {}",
                t.level,
                TRUST_LEVELS.join(", ")
            ),
        ));
    }
    let (skill_id, _) = state
        .db
        .skill_id(&author, &name, &Viewer::everything())
        .await?
        .ok_or_else(|| {
            ApiError::not_found(format!("no skill `{author}/{name}` in this registry"))
        })?;
    state.db.set_skill_trust(skill_id, &t.level).await?;
    state
        .db
        .audit(
            &caller.author.name,
            "trust",
            &format!("{author}/{name}"),
            &t.level,
        )
        .await?;
    Ok(Json(
        serde_json::json!({ "name": format!("{author}/{name}"), "trust_level": t.level }),
    ))
}

#[utoipa::path(get, path = "/api/admin/audit", tag = "admin",
    responses((status = 200, body = Vec<AuditEntry>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn audit(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    caller.require(Scope::Admin)?;
    Ok(Json(state.db.audit_entries(500).await?))
}
