//! The GraphQL API (`POST /graphql`, GraphiQL at `GET /graphql`): read access to skills,
//! versions, safety findings and search, over the same queries as the REST API.
//!
//! Query depth and complexity are limited so one request cannot make the server walk the
//! whole registry. A blocked version's content is `null`, as the REST API refuses it.

use async_graphql::{Context, EmptyMutation, EmptySubscription, Object, Schema, SimpleObject};
use axum::Extension;
use axum::Json;
use axum::response::Html;
use spm_core::api::{SkillEntry, VersionInfo};

use axum::extract::State;

use crate::api::caller::{MaybeCaller, viewer};
use crate::api::error::ApiError;
use crate::db::orgs::Viewer;
use crate::db::skills::SearchQuery;
use crate::state::AppState;

pub type SpmSchema = Schema<Query, EmptyMutation, EmptySubscription>;

/// The schema, holding the registry state its resolvers read.
pub fn schema(state: AppState) -> SpmSchema {
    Schema::build(Query, EmptyMutation, EmptySubscription)
        .data(state)
        .limit_depth(10)
        .limit_complexity(2000)
        .finish()
}

/// Runs a query as the caller: private skills are visible only to those who may see them.
pub async fn execute(
    State(state): State<AppState>,
    MaybeCaller(caller): MaybeCaller,
    Extension(schema): Extension<SpmSchema>,
    Json(req): Json<async_graphql::Request>,
) -> Result<Json<async_graphql::Response>, ApiError> {
    let viewer = viewer(&state, caller.as_ref()).await?;
    Ok(Json(schema.execute(req.data(viewer)).await))
}

pub async fn graphiql() -> Html<String> {
    Html(
        async_graphql::http::GraphiQLSource::build()
            .endpoint("/graphql")
            .title("spm registry GraphQL")
            .finish(),
    )
}

/// Database failures are logged; the client gets a generic message.
fn internal(e: impl std::fmt::Display) -> async_graphql::Error {
    tracing::error!(error = %e, "graphql query failed");
    async_graphql::Error::new("internal error; see the server log")
}

fn state<'a>(ctx: &Context<'a>) -> &'a AppState {
    ctx.data_unchecked::<AppState>()
}

/// Who asks (public skills only when the request did not say).
fn who(ctx: &Context<'_>) -> Viewer {
    ctx.data_opt::<Viewer>().cloned().unwrap_or_default()
}

pub struct Query;

#[Object]
impl Query {
    /// One skill by author and name, or null.
    async fn skill(
        &self,
        ctx: &Context<'_>,
        author: String,
        name: String,
    ) -> async_graphql::Result<Option<Skill>> {
        Ok(state(ctx)
            .db
            .entry(&author, &name, &who(ctx))
            .await
            .map_err(internal)?
            .map(Skill))
    }

    /// Full-text search over names, descriptions and tags; filters by tag and author.
    async fn search(
        &self,
        ctx: &Context<'_>,
        query: Option<String>,
        tag: Option<String>,
        author: Option<String>,
        page: Option<i64>,
        per_page: Option<i64>,
    ) -> async_graphql::Result<SearchResult> {
        let (page, per_page) = crate::paging::paging(page, per_page)
            .map_err(|e| async_graphql::Error::new(e.to_string()))?;
        let (skills, total) = state(ctx)
            .db
            .search(&SearchQuery {
                q: query,
                tag,
                author,
                page,
                per_page,
                viewer: who(ctx),
            })
            .await
            .map_err(internal)?;
        Ok(SearchResult {
            skills: skills.into_iter().map(Skill).collect(),
            total,
            page,
            per_page,
        })
    }
}

#[derive(SimpleObject)]
pub struct SearchResult {
    skills: Vec<Skill>,
    total: i64,
    page: i64,
    per_page: i64,
}

pub struct Skill(SkillEntry);

#[Object]
impl Skill {
    async fn author(&self) -> &str {
        &self.0.author
    }
    async fn name(&self) -> &str {
        &self.0.name
    }
    async fn description(&self) -> &str {
        &self.0.description
    }
    /// The latest version.
    async fn latest_version(&self) -> &str {
        &self.0.version
    }
    async fn license(&self) -> Option<&str> {
        self.0.license.as_deref()
    }
    async fn repository(&self) -> Option<&str> {
        self.0.repository.as_deref()
    }
    async fn installs(&self) -> i64 {
        self.0.installs
    }
    /// `clean`, `flagged` or `blocked` (the latest version's).
    async fn safety_status(&self) -> &str {
        self.0.safety_status.as_str()
    }
    async fn safety_score(&self) -> Option<f64> {
        self.0.safety_score
    }
    /// `trusted`, `verified` or `community`.
    async fn trust_level(&self) -> &str {
        &self.0.trust_level
    }
    /// `public` or `private` (only its namespace sees a private skill at all).
    async fn visibility(&self) -> &str {
        self.0.visibility.as_deref().unwrap_or("public")
    }
    async fn created_at(&self) -> &str {
        &self.0.created_at
    }
    async fn updated_at(&self) -> &str {
        &self.0.updated_at
    }
    /// Every version, newest first.
    async fn versions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Version>> {
        let st = state(ctx);
        let Some((id, _)) = st
            .db
            .skill_id(&self.0.author, &self.0.name, &who(ctx))
            .await
            .map_err(internal)?
        else {
            return Ok(Vec::new());
        };
        Ok(st
            .db
            .versions(id)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|info| Version { skill_id: id, info })
            .collect())
    }
}

pub struct Version {
    skill_id: i64,
    info: VersionInfo,
}

#[derive(SimpleObject)]
pub struct Dependency {
    /// `author/name`.
    skill: String,
    /// A semver range.
    range: String,
}

#[derive(SimpleObject)]
pub struct Finding {
    /// `built-in` or the plugin that found it.
    plugin: String,
    rule: String,
    category: String,
    severity: String,
    message: String,
    file: Option<String>,
    line: Option<u32>,
}

#[Object]
impl Version {
    async fn version(&self) -> &str {
        &self.info.version
    }
    async fn created_at(&self) -> &str {
        &self.info.created_at
    }
    async fn yanked(&self) -> bool {
        self.info.yanked
    }
    async fn safety_status(&self) -> &str {
        self.info.safety_status.as_str()
    }
    async fn safety_score(&self) -> Option<f64> {
        self.info.safety_score
    }
    /// `sha256-<hex>` of the package archive.
    async fn integrity(&self) -> &str {
        &self.info.integrity
    }
    async fn size(&self) -> i64 {
        self.info.size
    }
    async fn dependencies(&self) -> Vec<Dependency> {
        self.info
            .dependencies
            .iter()
            .map(|(skill, range)| Dependency {
                skill: skill.clone(),
                range: range.clone(),
            })
            .collect()
    }
    /// What the safety scan found (built-in and plugin scanners).
    async fn findings(&self) -> Vec<Finding> {
        let s = |v: &serde_json::Value, k: &str| v[k].as_str().unwrap_or_default().to_string();
        self.info
            .findings
            .iter()
            .map(|f| Finding {
                plugin: s(f, "plugin"),
                rule: s(f, "rule"),
                category: s(f, "category"),
                severity: s(f, "severity"),
                message: s(f, "message"),
                file: f["file"].as_str().map(str::to_string),
                line: f["line"].as_u64().and_then(|l| u32::try_from(l).ok()),
            })
            .collect()
    }
    /// The `SKILL.md` text; null for a blocked version, which is not served.
    async fn content(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<String>> {
        if self.info.safety_status == spm_core::safety::SafetyStatus::Blocked {
            return Ok(None);
        }
        Ok(state(ctx)
            .db
            .version(self.skill_id, Some(&self.info.version))
            .await
            .map_err(internal)?
            .map(|row| row.content))
    }
}
