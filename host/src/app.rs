//! The registry's HTTP application: the API ([`crate::api`]) and the web UI
//! ([`crate::web`]) put together here, so neither depends on the other.

use axum::Router;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

pub fn app(state: AppState) -> Router {
    let routes = crate::api::routes(&state)
        .merge(crate::web::routes())
        .fallback(fallback);
    crate::api::layered(routes, state)
}

/// Unknown paths: JSON under `/api/` (clients read it), a page everywhere else.
async fn fallback(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return crate::api::error::ApiError::not_found("no such endpoint").into_response();
    }
    crate::web::no_such_page(uri.path())
}
