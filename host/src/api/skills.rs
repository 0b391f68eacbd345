//! `/api/skills`: publish, search, read, download, yank and remove.

use axum::Json;
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use serde::Deserialize;
use spm_core::api::{
    ContentResponse, DownloadResponse, ErrorBody, PublishMetadata, PublishResponse, SearchResponse,
    SkillEntry, VersionsResponse,
};
use spm_core::package::Integrity;
use spm_core::safety::SafetyStatus;

use crate::api::caller::{Caller, MaybeCaller, viewer};
use crate::api::error::{ApiError, ApiResult};
use crate::db::orgs::Role;
use crate::db::skills::{SearchQuery, VersionRow};
use crate::db::tokens::Scope;
use crate::plugins::types::EventKind;
use crate::publish::{PublishError, Refusal, Upload, publish as publish_upload};
use crate::state::AppState;

/// `POST /api/skills`: multipart (`metadata` + `archive`) or JSON `{manifest, content}`.
#[utoipa::path(post, path = "/api/skills", tag = "skills",
    request_body(content = PublishMetadata, description = "JSON {manifest, content}; or multipart/form-data with a `metadata` part (this JSON), an `archive` part (skill.tar.gz) and an optional `integrity` part"),
    responses((status = 201, body = PublishResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn publish(
    State(state): State<AppState>,
    caller: Caller,
    req: Request,
) -> ApiResult<(StatusCode, Json<PublishResponse>)> {
    let is_multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let upload = if is_multipart {
        let mp = Multipart::from_request(req, &state)
            .await
            .map_err(|e| ApiError::bad_request("invalid_multipart", e.body_text()))?;
        read_multipart(mp).await?
    } else {
        let bytes = axum::body::Bytes::from_request(req, &state)
            .await
            .map_err(|e| {
                ApiError::new(
                    e.status(),
                    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        "too_large"
                    } else {
                        "invalid_body"
                    },
                    e.body_text(),
                )
            })?;
        let meta: PublishMetadata = serde_json::from_slice(&bytes).map_err(|e| {
            ApiError::bad_request(
                "invalid_body",
                format!("the body is not a publish request {{manifest, content}}: {e}"),
            )
        })?;
        Upload {
            metadata: Some(meta),
            ..Upload::default()
        }
    };
    caller.require(Scope::Publish)?;
    let result = publish_upload(&state, &caller.author, caller.org, upload).await;
    crate::metrics::publish(match &result {
        Ok(r) => match r.safety_status {
            SafetyStatus::Clean => "clean",
            SafetyStatus::Flagged => "flagged",
            SafetyStatus::Blocked => "blocked",
        },
        Err(PublishError::Refused {
            kind: Refusal::Blocked,
            ..
        }) => "blocked",
        Err(_) => "refused",
    });
    Ok((StatusCode::CREATED, Json(result?)))
}

/// The publish pipeline's errors as HTTP answers.
impl From<PublishError> for ApiError {
    fn from(e: PublishError) -> Self {
        match e {
            PublishError::Refused {
                kind,
                code,
                message,
                details,
            } => {
                let status = match kind {
                    Refusal::Invalid => StatusCode::BAD_REQUEST,
                    Refusal::NotAllowed | Refusal::Blocked => StatusCode::FORBIDDEN,
                    Refusal::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
                    Refusal::Conflict => StatusCode::CONFLICT,
                };
                let err = ApiError::new(status, code, message);
                match details {
                    Some(d) => err.with_details(d),
                    None => err,
                }
            }
            e @ PublishError::PolicyDenied { .. } => {
                ApiError::forbidden("policy_denied", e.to_string())
            }
            PublishError::RateLimited { limit, what, wait } => {
                ApiError::rate_limited(limit, what, wait)
            }
            PublishError::Plugin(f) => f.into(),
            PublishError::Db(e) => e.into(),
            PublishError::Storage(e) => e.into(),
            PublishError::Internal(m) => ApiError::internal(m),
        }
    }
}

async fn read_multipart(mut mp: Multipart) -> ApiResult<Upload> {
    let mut upload = Upload::default();
    while let Some(field) = mp.next_field().await.map_err(multipart_error)? {
        match field.name() {
            Some("metadata") => {
                let text = field.bytes().await.map_err(multipart_error)?;
                let meta: PublishMetadata = serde_json::from_slice(&text).map_err(|e| {
                    ApiError::bad_request(
                        "invalid_metadata",
                        format!("the `metadata` part is not {{manifest, content}}: {e}"),
                    )
                })?;
                upload.metadata = Some(meta);
            }
            Some("archive") => {
                upload.archive = Some(field.bytes().await.map_err(multipart_error)?.to_vec())
            }
            Some("integrity") => {
                let text = field.text().await.map_err(multipart_error)?;
                upload.claimed_integrity = Some(text.trim().to_string());
            }
            Some("visibility") => {
                upload.visibility = Some(field.text().await.map_err(multipart_error)?);
            }
            _ => {}
        }
    }
    Ok(upload)
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    let status = e.status();
    let code = if status == StatusCode::PAYLOAD_TOO_LARGE {
        "too_large"
    } else {
        "invalid_multipart"
    };
    ApiError::new(status, code, e.body_text())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    pub q: Option<String>,
    pub tag: Option<String>,
    pub author: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A page out of range is a 400 that says the range.
impl From<crate::paging::PageOutOfRange> for ApiError {
    fn from(e: crate::paging::PageOutOfRange) -> Self {
        ApiError::bad_request("invalid_page", e.to_string())
    }
}

#[utoipa::path(get, path = "/api/skills/search", tag = "skills", params(SearchParams),
    responses((status = 200, body = SearchResponse)))]
pub async fn search(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Query(p): Query<SearchParams>,
) -> ApiResult<Json<SearchResponse>> {
    let (page, per_page) = crate::paging::paging(p.page, p.per_page)?;
    let _ = p.kind; // every package here is a skill
    let q = SearchQuery {
        q: p.q,
        tag: p.tag,
        author: p.author,
        page,
        per_page,
        viewer: viewer(&state, caller.as_ref()).await?,
    };
    let (skills, total) = state.db.search(&q).await?;
    Ok(Json(SearchResponse {
        skills,
        total,
        page,
        per_page,
    }))
}

#[utoipa::path(get, path = "/api/skills/mine", tag = "skills", params(SearchParams),
    responses((status = 200, body = SearchResponse), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
pub async fn mine(
    State(state): State<AppState>,
    caller: Caller,
    Query(p): Query<SearchParams>,
) -> ApiResult<Json<SearchResponse>> {
    caller.require(Scope::Read)?;
    caller.account_wide()?;
    let (page, per_page) = crate::paging::paging(p.page, p.per_page)?;
    let (skills, total) = state.db.skills_of(caller.author.id, page, per_page).await?;
    Ok(Json(SearchResponse {
        skills,
        total,
        page,
        per_page,
    }))
}

/// The skill's id and namespace's, as `caller` may see it: a private skill is a 404 to
/// everyone outside its namespace, the same answer as a skill that does not exist.
async fn skill_id(
    state: &AppState,
    caller: Option<&Caller>,
    author: &str,
    name: &str,
) -> ApiResult<(i64, i64)> {
    state
        .db
        .skill_id(author, name, &viewer(state, caller).await?)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no skill `{author}/{name}` in this registry")))
}

#[utoipa::path(get, path = "/api/skills/{author}/{name}", tag = "skills", params(("author" = String, Path), ("name" = String, Path)),
    responses((status = 200, body = SkillEntry), (status = 404, body = ErrorBody)))]
pub async fn entry(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Path((author, name)): Path<(String, String)>,
) -> ApiResult<Json<SkillEntry>> {
    state
        .db
        .entry(&author, &name, &viewer(&state, caller.as_ref()).await?)
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::not_found(format!("no skill `{author}/{name}` in this registry")))
}

#[utoipa::path(get, path = "/api/skills/{author}/{name}/versions", tag = "skills", params(("author" = String, Path), ("name" = String, Path)),
    responses((status = 200, body = VersionsResponse), (status = 404, body = ErrorBody)))]
pub async fn versions(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Path((author, name)): Path<(String, String)>,
) -> ApiResult<Json<VersionsResponse>> {
    let (id, _) = skill_id(&state, caller.as_ref(), &author, &name).await?;
    Ok(Json(VersionsResponse {
        name: format!("{author}/{name}"),
        versions: state.db.versions(id).await?,
    }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VersionParam {
    pub version: Option<String>,
}

/// A version blocked after publication (review or rescan) is not served.
fn refuse_blocked(author: &str, name: &str, v: &VersionRow) -> ApiResult<()> {
    if v.safety_status == spm_core::safety::SafetyStatus::Blocked {
        return Err(ApiError::forbidden(
            "blocked",
            format!(
                "{author}/{name}@{} was blocked after review and is no longer served; see its findings on the versions endpoint",
                v.version
            ),
        ));
    }
    Ok(())
}

async fn version_row(
    state: &AppState,
    caller: Option<&Caller>,
    author: &str,
    name: &str,
    version: Option<&str>,
) -> ApiResult<(i64, VersionRow)> {
    let (id, _) = skill_id(state, caller, author, name).await?;
    let row = state
        .db
        .version(id, version)
        .await?
        .ok_or_else(|| match version {
            Some(v) => ApiError::not_found(format!("`{author}/{name}` has no version {v}")),
            None => ApiError::not_found(format!("`{author}/{name}` has no versions")),
        })?;
    Ok((id, row))
}

#[utoipa::path(get, path = "/api/skills/{author}/{name}/content", tag = "skills",
    params(("author" = String, Path), ("name" = String, Path), VersionParam),
    responses((status = 200, body = ContentResponse), (status = 404, body = ErrorBody)))]
pub async fn content(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Path((author, name)): Path<(String, String)>,
    Query(q): Query<VersionParam>,
) -> ApiResult<Json<ContentResponse>> {
    let (_, v) = version_row(
        &state,
        caller.as_ref(),
        &author,
        &name,
        q.version.as_deref(),
    )
    .await?;
    refuse_blocked(&author, &name, &v)?;
    Ok(Json(ContentResponse {
        name: format!("{author}/{name}"),
        version: v.version,
        content: v.content,
        manifest: v.manifest,
        integrity: v.integrity,
        tokens_estimate: v.tokens_estimate,
    }))
}

#[utoipa::path(get, path = "/api/skills/{author}/{name}/download", tag = "skills",
    params(("author" = String, Path), ("name" = String, Path), VersionParam),
    responses((status = 200, body = DownloadResponse), (status = 404, body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    headers: axum::http::HeaderMap,
    Path((author, name)): Path<(String, String)>,
    Query(q): Query<VersionParam>,
) -> ApiResult<Json<DownloadResponse>> {
    let (id, v) = version_row(
        &state,
        caller.as_ref(),
        &author,
        &name,
        q.version.as_deref(),
    )
    .await?;
    refuse_blocked(&author, &name, &v)?;
    let plugins = state.plugins.get();
    if !plugins.is_empty() {
        let ctx = crate::plugins::types::DownloadContext {
            author: author.clone(),
            name: name.clone(),
            version: v.version.clone(),
            requester: caller.map(|c| c.author.name),
        };
        crate::api::error::policy_verdict(plugins.check_download(&ctx).await)?;
    }
    let integrity: Integrity = v.integrity.parse().map_err(ApiError::internal)?;
    let download_url = match state.blobs.presigned_url(&integrity).await {
        Some(url) => url,
        None => format!(
            "{}/api/blobs/{}.tar.gz",
            state.base_url(&headers),
            integrity.hex()
        ),
    };
    state.db.count_download(id).await?;
    Ok(Json(DownloadResponse {
        name: format!("{author}/{name}"),
        version: v.version,
        manifest: v.manifest,
        integrity: v.integrity,
        tokens_estimate: v.tokens_estimate,
        download_url,
        package_type: Some("skill".into()),
    }))
}

async fn owned(state: &AppState, caller: &Caller, author: &str, name: &str) -> ApiResult<i64> {
    let (id, owner) = skill_id(state, Some(caller), author, name).await?;
    caller.within(owner, author)?;
    // Theirs, an administrator's, or an organisation's they publish for.
    let allowed = owner == caller.author.id
        || caller.author.is_admin
        || state
            .db
            .role_in(owner, caller.author.id)
            .await?
            .is_some_and(|r| r >= Role::Publisher);
    if !allowed {
        return Err(ApiError::forbidden(
            "not_owner",
            format!("`{author}/{name}` belongs to `{author}`, not to you"),
        ));
    }
    Ok(id)
}

async fn set_yank(
    state: AppState,
    caller: Caller,
    author: String,
    name: String,
    version: String,
    yanked: bool,
) -> ApiResult<Json<serde_json::Value>> {
    caller.require(Scope::Publish)?;
    let id = owned(&state, &caller, &author, &name).await?;
    if !state.db.set_yanked(id, &version, yanked).await? {
        return Err(ApiError::not_found(format!(
            "`{author}/{name}` has no version {version}"
        )));
    }
    let change = crate::events::Change {
        kind: if yanked {
            EventKind::Yanked
        } else {
            EventKind::Unyanked
        },
        author: &author,
        name: &name,
        version: &version,
        actor: &caller.author.name,
        reason: None,
    };
    crate::events::tell(&state, change, None);
    Ok(Json(
        serde_json::json!({ "name": format!("{author}/{name}"), "version": version, "yanked": yanked }),
    ))
}

#[utoipa::path(post, path = "/api/skills/{author}/{name}/versions/{version}/yank", tag = "skills",
    params(("author" = String, Path), ("name" = String, Path), ("version" = String, Path)),
    responses((status = 200, description = "yanked"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn yank(
    State(state): State<AppState>,
    caller: Caller,
    Path((author, name, version)): Path<(String, String, String)>,
) -> ApiResult<Json<serde_json::Value>> {
    set_yank(state, caller, author, name, version, true).await
}

#[utoipa::path(delete, path = "/api/skills/{author}/{name}/versions/{version}/yank", tag = "skills",
    params(("author" = String, Path), ("name" = String, Path), ("version" = String, Path)),
    responses((status = 200, description = "unyanked"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn unyank(
    State(state): State<AppState>,
    caller: Caller,
    Path((author, name, version)): Path<(String, String, String)>,
) -> ApiResult<Json<serde_json::Value>> {
    set_yank(state, caller, author, name, version, false).await
}

/// Removing a version breaks everyone who depends on it, so only admins may.
#[utoipa::path(delete, path = "/api/skills/{author}/{name}/versions/{version}", tag = "admin",
    params(("author" = String, Path), ("name" = String, Path), ("version" = String, Path)),
    responses((status = 204, description = "removed"), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn remove_version(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Path((author, name, version)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    let caller = caller.ok_or_else(|| ApiError::unauthorized("authentication required"))?;
    caller.require(Scope::Admin)?;
    let (id, _) = skill_id(&state, Some(&caller), &author, &name).await?;
    // Its status for the hooks, read while it still exists.
    let before = if state.plugins.get().has_hooks() {
        crate::events::status_of(&state, &author, &name, &version).await
    } else {
        None
    };
    if state.db.delete_version(id, &version).await? {
        tracing::warn!(by = %caller.author.name, skill = %format!("{author}/{name}"), %version, "version removed");
        state
            .db
            .audit(
                &caller.author.name,
                "remove",
                &format!("{author}/{name}@{version}"),
                "",
            )
            .await?;
        let change = crate::events::Change {
            kind: EventKind::Removed,
            author: &author,
            name: &name,
            version: &version,
            actor: &caller.author.name,
            reason: None,
        };
        crate::events::tell(&state, change, before);
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(ApiError::not_found(format!(
            "`{author}/{name}` has no version {version}"
        )))
    }
}
