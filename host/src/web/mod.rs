//! The registry's web UI: a search page and one page per skill showing its safety status,
//! trust level, findings, versions, install command and rendered `SKILL.md`.
//!
//! Server-rendered HTML (maud), no JavaScript; the same database queries as the REST API.
//! A blocked version's text is never shown, only why it was blocked.

pub mod render;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;
use spm_core::api::{SkillEntry, VersionInfo};
use spm_core::safety::SafetyStatus;

use crate::api::caller::{Caller, MaybeCaller};
use crate::db::orgs::Viewer;
use crate::db::skills::SearchQuery;
use crate::state::AppState;
use render::{markdown, page, safety_badge, skill_body, trust_badge};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/skills/{author}/{name}", get(skill))
        .route(render::STYLE_PATH.as_str(), get(stylesheet))
}

async fn stylesheet() -> Response {
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (
                axum::http::header::CACHE_CONTROL,
                "public, max-age=31536000, immutable",
            ),
        ],
        render::stylesheet(),
    )
        .into_response()
}

/// An error shown as a page: a status and a message for people.
pub struct WebError {
    status: StatusCode,
    message: String,
}

impl WebError {
    pub fn not_found(message: impl Into<String>) -> Self {
        WebError {
            status: StatusCode::NOT_FOUND,
            message: message.into(),
        }
    }
}

impl From<crate::db::DbError> for WebError {
    fn from(e: crate::db::DbError) -> Self {
        tracing::error!(error = %e, "internal error");
        WebError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            message: "internal server error; see the server log".into(),
        }
    }
}

impl From<crate::paging::PageOutOfRange> for WebError {
    fn from(e: crate::paging::PageOutOfRange) -> Self {
        WebError {
            status: StatusCode::BAD_REQUEST,
            message: e.to_string(),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let title = self.status.canonical_reason().unwrap_or("Error");
        let body = page(
            title,
            html! { h1 { (title) } p { (self.message) } p { a href="/" { "Back to the registry" } } },
        );
        (self.status, Html(body.into_string())).into_response()
    }
}

type WebResult = Result<Html<String>, WebError>;

#[derive(Deserialize)]
pub struct HomeParams {
    q: Option<String>,
    page: Option<i64>,
}

const PER_PAGE: i64 = 20;

fn skill_row(s: &SkillEntry) -> Markup {
    html! {
        div class="skill" {
            a href={ "/skills/" (s.author) "/" (s.name) } { strong { (s.author) "/" (s.name) } }
            " " span class="muted" { (s.version) }
            " " (safety_badge(s.safety_status)) (trust_badge(&s.trust_level))
            div { (s.description) }
            div class="muted" { (s.installs) " installs" @if let Some(l) = &s.license { " · " (l) } }
        }
    }
}

/// What the page's reader may see; a bearer token in `Authorization` shows its private skills.
async fn viewer(state: &AppState, caller: Option<&Caller>) -> Result<Viewer, WebError> {
    // The API's rule, organisation-scoped tokens included.
    crate::api::caller::viewer(state, caller)
        .await
        .map_err(|e| {
            tracing::error!(error = %e.message, "cannot tell what the reader may see");
            WebError {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                message: "internal server error; see the server log".into(),
            }
        })
}

async fn home(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Query(p): Query<HomeParams>,
) -> WebResult {
    let (page_no, _) = crate::paging::paging(p.page, None)?;
    let q = p.q.filter(|q| !q.trim().is_empty());
    let (skills, total) = state
        .db
        .search(&SearchQuery {
            q: q.clone(),
            tag: None,
            author: None,
            page: page_no,
            per_page: PER_PAGE,
            viewer: viewer(&state, caller.as_ref()).await?,
        })
        .await?;
    let heading = match &q {
        Some(q) => format!(
            "{total} skill{} matching “{q}”",
            if total == 1 { "" } else { "s" }
        ),
        None => format!("{total} skill{}", if total == 1 { "" } else { "s" }),
    };
    let next = (page_no * PER_PAGE < total).then(|| {
        let mut url = format!("/?page={}", page_no + 1);
        if let Some(q) = &q {
            url.push_str("&q=");
            url.push_str(&url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>());
        }
        url
    });
    let body = html! {
        h1 { (heading) }
        @if skills.is_empty() {
            p { "Nothing here yet. Publish a skill with " code { "spm publish" } "." }
        }
        @for s in &skills { (skill_row(s)) }
        @if let Some(next) = next { p { a href=(next) { "More →" } } }
    };
    Ok(Html(page("Skills", body).into_string()))
}

#[derive(Deserialize)]
pub struct SkillParams {
    version: Option<String>,
}

fn findings_list(v: &VersionInfo) -> Markup {
    html! {
        ul {
            @for f in &v.findings {
                li {
                    strong { (f["severity"].as_str().unwrap_or("")) } " "
                    code { (f["rule"].as_str().unwrap_or("")) } " "
                    @if let Some(file) = f["file"].as_str() {
                        span class="muted" { (file) @if let Some(line) = f["line"].as_u64() { ":" (line) } } " "
                    }
                    (f["message"].as_str().unwrap_or(""))
                    @if let Some(p) = f["plugin"].as_str().filter(|p| *p != "built-in") {
                        span class="muted" { " (found by " (p) ")" }
                    }
                }
            }
        }
    }
}

async fn skill(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Path((author, name)): Path<(String, String)>,
    Query(p): Query<SkillParams>,
) -> WebResult {
    let not_found = || WebError::not_found(format!("no skill `{author}/{name}` in this registry"));
    let viewer = viewer(&state, caller.as_ref()).await?;
    let entry = state
        .db
        .entry(&author, &name, &viewer)
        .await?
        .ok_or_else(not_found)?;
    let (id, _) = state
        .db
        .skill_id(&author, &name, &viewer)
        .await?
        .ok_or_else(not_found)?;
    let versions = state.db.versions(id).await?;
    let wanted = p.version.as_deref().unwrap_or(&entry.version);
    let Some(v) = versions.iter().find(|v| v.version == wanted) else {
        return Err(WebError::not_found(format!(
            "`{author}/{name}` has no version {wanted}"
        )));
    };
    let row = state.db.version(id, Some(&v.version)).await?;
    let pinned = p.version.is_some();
    let install = if pinned {
        format!("spm add {author}/{name}@{}", v.version)
    } else {
        format!("spm add {author}/{name}")
    };
    let body = html! {
        h1 { (author) "/" (name) " " span class="muted" { (v.version) } }
        p { (safety_badge(v.safety_status)) (trust_badge(&entry.trust_level))
            @if v.yanked { span class="badge blocked" { "yanked" } }
            @if let Some(score) = v.safety_score { span class="muted" { "safety score " (format!("{score:.0}")) "/100" } } }
        p { (entry.description) }
        @match v.safety_status {
            SafetyStatus::Blocked => div class="danger" role="alert" {
                strong { "This version is blocked and is not served." }
                " The safety scan or a reviewer found:"
                (findings_list(v))
            },
            SafetyStatus::Flagged => div class="warning" role="alert" {
                strong { "Flagged by the safety scan." }
                " A person should read the findings before an agent uses this skill. Installing it needs "
                code { (install) " --allow-flagged" } "."
                (findings_list(v))
            },
            SafetyStatus::Clean => {
                pre { code { (install) } }
                @if !v.findings.is_empty() {
                    details { summary { "Scan notes (" (v.findings.len()) ")" } (findings_list(v)) }
                }
            },
        }
        table {
            tr { th { "Author" } td { (entry.author) } }
            @if let Some(l) = &entry.license { tr { th { "License" } td { (l) } } }
            @if let Some(r) = entry.repository.as_deref().filter(|r| r.starts_with("https://") || r.starts_with("http://")) {
                tr { th { "Repository" } td { a href=(r) rel="nofollow noopener" { (r) } } }
            }
            tr { th { "Installs" } td { (entry.installs) } }
            tr { th { "Integrity" } td { code { (v.integrity) } } }
            tr { th { "Size" } td { (v.size) " bytes" } }
            @if !v.dependencies.is_empty() {
                tr { th { "Depends on" } td {
                    @for (dep, req) in &v.dependencies {
                        a href={ "/skills/" (dep) } { (dep) } " " code { (req) } br;
                    }
                } }
            }
        }
        @if v.safety_status != SafetyStatus::Blocked {
            @if let Some(row) = &row {
                article { (markdown(skill_body(&row.content))) }
            }
        }
        h2 { "Versions" }
        table {
            tr { th { "Version" } th { "Published" } th { "Safety" } th {} }
            @for other in &versions {
                tr {
                    td { a href={ "/skills/" (author) "/" (name) "?version=" (url::form_urlencoded::byte_serialize(other.version.as_bytes()).collect::<String>()) } { (other.version) } }
                    td { (other.created_at) }
                    td { (safety_badge(other.safety_status)) }
                    td { @if other.yanked { "yanked" } }
                }
            }
        }
    };
    Ok(Html(page(&format!("{author}/{name}"), body).into_string()))
}

/// An unknown page.
pub fn no_such_page(path: &str) -> Response {
    WebError::not_found(format!("there is no page at {path}")).into_response()
}
