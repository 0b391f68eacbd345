//! Prometheus metrics: the process's recorder, the request layer that counts every route,
//! the named series the rest of the server records, and `GET /metrics`.
//!
//! Series (all prefixed `spm_`):
//! - `http_requests_total{route,method,status}`, `http_request_duration_seconds{route,method}`
//! - `publishes_total{verdict}`: `clean`, `flagged`, `blocked` or `refused`
//! - `scans_total{stage}`, `scan_duration_seconds{stage}`: the built-in scanner
//! - `plugin_calls_total{plugin}`, `plugin_failures_total{plugin}`,
//!   `plugin_call_duration_seconds{plugin}`
//! - `db_pool_connections{state}`: `idle` and `in_use`, read when scraped
//! - `blob_bytes_total{direction}`: `in` (stored) and `out` (served)
//! - `rate_limited_total{limit}`: requests refused by a rate limit
//!
//! `/metrics` is served on the main port only to a caller presenting `SPM_METRICS_TOKEN` as a
//! bearer token, or without a token on a separate address (`SPM_METRICS_ADDR`), which an
//! operator keeps off the public network. With neither configured it answers 404.

use std::sync::OnceLock;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

use crate::api::caller::constant_time_eq;
use crate::api::error::ApiError;
use crate::state::AppState;

/// Latency buckets, in seconds: 1 ms to 30 s.
const BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// The process-wide recorder (installed once; every app in the process records into it).
pub fn handle() -> &'static PrometheusHandle {
    static H: OnceLock<PrometheusHandle> = OnceLock::new();
    H.get_or_init(|| {
        let builder = || {
            PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), BUCKETS)
                .expect("the buckets are not empty")
        };
        match builder().install_recorder() {
            Ok(h) => h,
            // Another recorder is installed (an embedding program's): render our own, empty.
            Err(_) => builder().build_recorder().handle(),
        }
    })
}

/// Counts and times every request by its route pattern (never its raw path: ids and names
/// would make a series per skill).
pub async fn record(req: Request, next: Next) -> Response {
    // Make sure the recorder exists before the first series is recorded.
    let _ = handle();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    // Methods are a fixed set: a made-up one must not make a series of its own.
    let method = match req.method().as_str() {
        m @ ("GET" | "HEAD" | "POST" | "PUT" | "DELETE" | "PATCH" | "OPTIONS") => m,
        _ => "other",
    }
    .to_string();
    let started = Instant::now();
    let resp = next.run(req).await;
    let status = resp.status().as_u16().to_string();
    metrics::counter!("spm_http_requests_total", "route" => route.clone(), "method" => method.clone(), "status" => status)
        .increment(1);
    metrics::histogram!("spm_http_request_duration_seconds", "route" => route, "method" => method)
        .record(started.elapsed().as_secs_f64());
    resp
}

/// A publish's outcome.
pub fn publish(verdict: &'static str) {
    metrics::counter!("spm_publishes_total", "verdict" => verdict).increment(1);
}

/// One run of the built-in scanner.
pub fn scan(stage: &'static str, started: Instant) {
    metrics::counter!("spm_scans_total", "stage" => stage).increment(1);
    metrics::histogram!("spm_scan_duration_seconds", "stage" => stage)
        .record(started.elapsed().as_secs_f64());
}

/// One plugin call.
pub fn plugin_call(plugin: &str, started: Instant, failed: bool) {
    let plugin = plugin.to_string();
    metrics::counter!("spm_plugin_calls_total", "plugin" => plugin.clone()).increment(1);
    if failed {
        metrics::counter!("spm_plugin_failures_total", "plugin" => plugin.clone()).increment(1);
    }
    metrics::histogram!("spm_plugin_call_duration_seconds", "plugin" => plugin)
        .record(started.elapsed().as_secs_f64());
}

/// Bytes stored into (`in`) or served from (`out`) the blob store.
pub fn blob_bytes(direction: &'static str, n: usize) {
    metrics::counter!("spm_blob_bytes_total", "direction" => direction).increment(n as u64);
}

/// A request refused by rate limit `limit`.
pub fn rate_limited(limit: &'static str) {
    metrics::counter!("spm_rate_limited_total", "limit" => limit).increment(1);
}

/// The exposition text, with the pool gauges read now.
pub fn render(state: &AppState) -> String {
    let h = handle();
    let size = state.db.pool.size();
    let idle = u32::try_from(state.db.pool.num_idle()).unwrap_or(u32::MAX);
    metrics::gauge!("spm_db_pool_connections", "state" => "idle").set(f64::from(idle));
    metrics::gauge!("spm_db_pool_connections", "state" => "in_use")
        .set(f64::from(size.saturating_sub(idle)));
    h.render()
}

fn exposition(state: &AppState) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        render(state),
    )
        .into_response()
}

/// `GET /metrics` on the main port: only with the configured token.
pub async fn metrics_route(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let Some(expected) = state.config.metrics_token.as_deref() else {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "metrics are not served on this address: set SPM_METRICS_TOKEN (bearer token) or SPM_METRICS_ADDR (a separate address)",
        )
        .into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if !given.is_some_and(|g| constant_time_eq(g.as_bytes(), expected.as_bytes())) {
        return ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "metrics need `Authorization: Bearer <SPM_METRICS_TOKEN>`",
        )
        .into_response();
    }
    exposition(&state)
}

/// The router of the separate metrics address: `/metrics` with no token.
pub fn separate(state: AppState) -> axum::Router {
    axum::Router::new()
        .route(
            "/metrics",
            axum::routing::get(|State(s): State<AppState>| async move { exposition(&s) }),
        )
        .with_state(state)
}
