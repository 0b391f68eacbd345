//! The HTTP API, one module per endpoint family, assembled into one router here.

pub mod admin;
pub mod auth;
pub mod blobs;
pub mod caller;
pub mod error;
pub mod feedback;
pub mod github;
pub mod graphql;
pub mod health;
pub mod middleware;
pub mod openapi;
pub mod orgs;
pub mod plugins;
pub mod skills;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, Request, StatusCode};
use axum::routing::{delete, get, post};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::state::AppState;

/// Request ids: a random prefix per process and a counter, so the logs of several
/// instances behind one load balancer never share an id.
#[derive(Clone)]
struct Counter(Arc<AtomicU64>, Arc<str>);

impl Default for Counter {
    fn default() -> Self {
        let mut r = [0u8; 4];
        let prefix = match getrandom::fill(&mut r) {
            Ok(()) => format!("{:08x}", u32::from_le_bytes(r)),
            Err(_) => format!("{:08x}", std::process::id()),
        };
        Counter(Arc::default(), prefix.into())
    }
}

impl MakeRequestId for Counter {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let n = self.0.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("req-{}-{n}", self.1))
            .ok()
            .map(RequestId::new)
    }
}

/// Every API route (path, handler; OpenAPI entries sit on the handlers).
pub fn routes(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/api/auth/register", post(auth::register))
        .route("/auth/github/device", post(github::start))
        .route("/auth/github/device/poll", post(github::poll))
        .route(
            "/api/tokens",
            get(auth::list_tokens).post(auth::create_token),
        )
        .route("/api/tokens/{id}", delete(auth::revoke_token))
        .route("/api/orgs", get(orgs::mine).post(orgs::create))
        .route("/api/orgs/{org}/members", get(orgs::members))
        .route(
            "/api/orgs/{org}/members/{member}",
            axum::routing::put(orgs::set_member).delete(orgs::remove_member),
        )
        .route("/api/skills", post(skills::publish))
        .route("/api/skills/search", get(skills::search))
        .route("/api/skills/mine", get(skills::mine))
        .route("/api/skills/{author}/{name}", get(skills::entry))
        .route(
            "/api/skills/{author}/{name}/versions",
            get(skills::versions),
        )
        .route(
            "/api/skills/{author}/{name}/versions/{version}",
            delete(skills::remove_version),
        )
        .route(
            "/api/skills/{author}/{name}/versions/{version}/yank",
            post(skills::yank).delete(skills::unyank),
        )
        .route("/api/skills/{author}/{name}/content", get(skills::content))
        .route(
            "/api/skills/{author}/{name}/feedback",
            post(feedback::feedback),
        )
        .route(
            "/api/skills/{author}/{name}/download",
            get(skills::download),
        )
        .route("/api/blobs/{file}", get(blobs::get_blob))
        .route("/api/openapi.json", get(openapi::openapi_json))
        .route("/api/plugins", get(plugins::list))
        .route("/api/admin/plugins/reload", post(plugins::reload))
        .route("/api/admin/review", get(admin::review_list))
        .route(
            "/api/admin/review/{author}/{name}/{version}",
            post(admin::review_decide),
        )
        .route(
            "/api/admin/trust/{author}/{name}",
            axum::routing::put(admin::set_trust),
        )
        .route("/api/admin/audit", get(admin::audit))
        .route(
            "/graphql",
            get(graphql::graphiql)
                .post(graphql::execute)
                .layer(axum::Extension(graphql::schema(state.clone()))),
        )
        .route("/metrics", get(crate::metrics::metrics_route))
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
}

/// The layers every route shares (the API's and the web UI's): body limits, the request
/// timeout, one plugin set per request, JSON errors, security headers, tracing and request
/// ids.
pub fn layered(app: Router<AppState>, state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    let timeout = state.config.request_timeout;
    let request_id = axum::http::HeaderName::from_static("x-request-id");
    app.with_state(state.clone())
        .layer(DefaultBodyLimit::max(max_body))
        .layer(RequestBodyLimitLayer::new(max_body))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, timeout))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            middleware::one_plugin_set,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::limits::per_ip,
        ))
        .layer(axum::middleware::from_fn_with_state(state, middleware::json_errors))
        .layer(axum::middleware::from_fn(middleware::security_headers))
        .layer(axum::middleware::from_fn(crate::metrics::record))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request<_>| {
                    let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
                })
                .on_response(DefaultOnResponse::new().level(Level::INFO).latency_unit(tower_http::LatencyUnit::Millis)),
        )
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, Counter::default()))
}
