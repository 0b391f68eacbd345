//! `GET /api/plugins` (admin): the loaded plugins, their world, API version and call
//! statistics; `POST /api/admin/plugins/reload` (admin): `[[plugins]]` read again from the
//! configuration file, the old set kept when the new one fails to load.

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
    Ok(Json(state.plugins.current().status()))
}

#[utoipa::path(post, path = "/api/admin/plugins/reload", tag = "admin",
    responses((status = 200, body = Vec<PluginStatus>), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)), security(("bearer" = [])))]
pub async fn reload(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<PluginStatus>>> {
    caller.require(Scope::Admin)?;
    state.plugins.reload().await.map_err(|e| {
        ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "plugins_not_reloaded",
            format!("plugins not reloaded, the old set stays: {e}"),
        )
    })?;
    Ok(Json(state.plugins.current().status()))
}
