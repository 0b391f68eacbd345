//! The registry's HTTP API types, shared by the server and the CLI.
//!
//! Field names follow the API the existing spm TypeScript client speaks
//! (`/api/skills/...`), so that client can point at an spm registry unchanged.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::skill::Manifest;

/// Every error response: a human message and a stable machine code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: String,
    pub code: String,
    /// Extra structured detail (diagnostics, safety findings), when there is any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Object>))]
    pub details: Option<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterRequest {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub github_username: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthorRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterResponse {
    pub author: AuthorRef,
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Trigger {
    pub description: String,
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_patterns: Option<Vec<String>>,
    pub priority: i64,
}

/// A skill as listed by search and returned by `GET /api/skills/:author/:name`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkillEntry {
    pub name: String,
    pub version: String,
    pub description: String,
    pub author: String,
    pub license: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    pub trigger: Trigger,
    pub tokens_estimate: i64,
    pub installs: i64,
    pub avg_rating: Option<f64>,
    pub confidence: Option<f64>,
    pub safety_status: crate::safety::SafetyStatus,
    pub safety_score: Option<f64>,
    pub trust_level: String,
    pub created_at: String,
    pub updated_at: String,
    /// `public` or `private` (a private skill is seen only by its owner and organisation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchResponse {
    pub skills: Vec<SkillEntry>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionInfo {
    pub version: String,
    pub created_at: String,
    pub yanked: bool,
    pub safety_status: crate::safety::SafetyStatus,
    pub integrity: String,
    pub size: i64,
    /// `author/name` → semver range, for dependency resolution.
    #[serde(default)]
    pub dependencies: BTreeMap<String, String>,
    #[serde(default)]
    pub safety_score: Option<f64>,
    /// What the safety scan found (built-in and plugin scanners).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub findings: Vec<serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VersionsResponse {
    pub name: String,
    pub versions: Vec<VersionInfo>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContentResponse {
    pub name: String,
    pub version: String,
    pub content: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub manifest: serde_json::Value,
    pub integrity: String,
    pub tokens_estimate: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DownloadResponse {
    pub name: String,
    pub version: String,
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub manifest: serde_json::Value,
    pub integrity: String,
    pub tokens_estimate: i64,
    pub download_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_type: Option<String>,
}

/// The `metadata` part of a multipart publish, or the whole body of a JSON publish.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishMetadata {
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub manifest: serde_json::Value,
    /// The text of SKILL.md (or of the legacy entry file).
    pub content: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compact_content: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub visibility: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishResponse {
    pub published: bool,
    pub name: String,
    pub version: String,
    /// True when the skill existed before (a new version), false for a first publish.
    pub updated: bool,
    pub size: i64,
    pub integrity: String,
    pub safety_status: crate::safety::SafetyStatus,
}

/// Rough token count of instruction text (≈ 4 characters a token), as the client shows it.
pub fn tokens_estimate(text: &str) -> i64 {
    (text.chars().count() as i64 + 3) / 4
}

/// The manifest JSON in the shape the existing client reads (`SkillManifest`).
pub fn client_manifest(m: &Manifest, author: &str) -> serde_json::Value {
    let deps: BTreeMap<String, String> = m
        .dependencies
        .iter()
        .map(|(id, req)| (id.to_string(), req.to_string()))
        .collect();
    let mut v = serde_json::json!({
        "schema_version": 1,
        "name": m.name,
        "version": m.version.as_ref().map(ToString::to_string),
        "description": m.description,
        "author": author,
        "license": m.license,
        "dependencies": deps,
        "tags": m.tags,
        "security": {
            "permissions": m.permissions.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "file_scope": m.file_scope,
        },
    });
    if let Some(obj) = v.as_object_mut() {
        for (k, val) in [
            ("repository", &m.repository),
            ("homepage", &m.homepage),
            ("compatibility", &m.compatibility),
        ] {
            if let Some(val) = val {
                obj.insert(k.to_string(), serde_json::Value::String(val.clone()));
            }
        }
        if !m.allowed_tools.is_empty() {
            obj.insert("allowed-tools".into(), serde_json::json!(m.allowed_tools));
        }
    }
    v
}
