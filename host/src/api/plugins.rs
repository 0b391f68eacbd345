//! `GET /api/plugins` (admin): the loaded plugins, their world, API version and call statistics.

use axum::Json;
use axum::extract::State;

use crate::api::caller::Caller;
#[allow(unused_imports)]
use crate::api::error::ApiError;
use crate::api::error::ApiResult;
use crate::db::tokens::Scope;
use crate::plugins::PluginStatus;
use crate::state::AppState;
#[allow(unused_imports)]
use spm_core::api::ErrorBody;

#[utoipa::path(get, path = "/api/plugins", tag = "admin",
    responses((status = 200, body = Vec<PluginStatus>), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<PluginStatus>>> {
    caller.require(Scope::Admin)?;
    Ok(Json(state.plugins.status()))
}
