//! `GET /api/blobs/<sha256>.tar.gz`: archive bytes, immutable, with ETag and Range support,
//! served only while a published version that is not blocked refers to them.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use spm_core::package::Integrity;

use crate::api::caller::MaybeCaller;
use crate::api::error::{ApiError, ApiResult};
use crate::db::orgs::Viewer;
use crate::db::skills::BlobRefs;
use crate::state::AppState;
#[allow(unused_imports)]
use spm_core::api::ErrorBody;

#[utoipa::path(get, path = "/api/blobs/{file}", tag = "skills", params(("file" = String, Path, description = "<sha256 hex>.tar.gz")),
    responses((status = 200, description = "the archive bytes; ETag is the integrity, immutable"), (status = 206, description = "a byte range"),
        (status = 304, description = "not modified"), (status = 403, body = ErrorBody, description = "every version with this archive is blocked"), (status = 404, body = ErrorBody), (status = 416, description = "range not satisfiable")))]
pub async fn get_blob(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let hex = file.strip_suffix(".tar.gz").unwrap_or(&file);
    let integrity: Integrity = format!("sha256-{hex}")
        .parse()
        .map_err(|_| ApiError::not_found("no such package archive"))?;
    // Only archives of published, unblocked versions are served: not what a refused or
    // interrupted publish left behind, not a removed version's, not a blocked one's.
    // A private skill's archive is served only to those who may see the skill.
    let viewer = crate::api::caller::viewer(&state, caller.as_ref()).await?;
    match state.db.blob_refs(&integrity.to_string(), &viewer).await? {
        BlobRefs::Servable => {}
        BlobRefs::None => return Err(ApiError::not_found("no such package archive")),
        BlobRefs::OnlyBlocked => {
            return Err(ApiError::forbidden(
                "blocked",
                "this archive belongs only to versions that were blocked; it is no longer served",
            ));
        }
    }
    // An archive only private skills hold must not sit in a shared cache.
    let public = viewer == Viewer::default()
        || state
            .db
            .blob_refs(&integrity.to_string(), &Viewer::default())
            .await?
            == BlobRefs::Servable;
    let cache = if public {
        "public, max-age=31536000, immutable"
    } else {
        "private, no-store"
    };
    let etag = format!("\"{integrity}\"");
    let size = state
        .blobs
        .size(&integrity)
        .await?
        .ok_or_else(|| ApiError::not_found("no such package archive"))?;
    let base = || {
        let mut r = Response::builder()
            .header(header::ETAG, &etag)
            .header(header::CACHE_CONTROL, cache)
            .header(header::ACCEPT_RANGES, "bytes");
        r = r.header(header::CONTENT_TYPE, "application/gzip");
        r
    };
    if headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"))
    {
        return base()
            .status(StatusCode::NOT_MODIFIED)
            .body(Body::empty())
            .map_err(ApiError::internal);
    }
    if let Some(range) = headers.get(header::RANGE).and_then(|v| v.to_str().ok()) {
        let parsed = http_range_header::parse_range_header(range).map(|r| r.validate(size));
        match parsed {
            Ok(Ok(ranges)) if ranges.len() == 1 => {
                let r = &ranges[0];
                let (start, end) = (*r.start(), *r.end());
                let bytes = state
                    .blobs
                    .get_range(&integrity, start..end + 1)
                    .await?
                    .ok_or_else(|| ApiError::not_found("no such package archive"))?;
                return base()
                    .status(StatusCode::PARTIAL_CONTENT)
                    .header(header::CONTENT_RANGE, format!("bytes {start}-{end}/{size}"))
                    .header(header::CONTENT_LENGTH, bytes.len())
                    .body(Body::from(bytes))
                    .map_err(ApiError::internal);
            }
            Ok(Err(_)) => {
                let mut resp = Response::new(Body::empty());
                *resp.status_mut() = StatusCode::RANGE_NOT_SATISFIABLE;
                if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                    resp.headers_mut().insert(header::CONTENT_RANGE, v);
                }
                return Ok(resp);
            }
            // Malformed or multi-range requests get the whole body, as RFC 9110 allows.
            _ => {}
        }
    }
    let bytes = state
        .blobs
        .get(&integrity)
        .await?
        .ok_or_else(|| ApiError::not_found("no such package archive"))?;
    base()
        .status(StatusCode::OK)
        .header(header::CONTENT_LENGTH, bytes.len())
        .body(Body::from(bytes))
        .map_err(ApiError::internal)
}
