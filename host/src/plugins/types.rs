//! The plugin API in the host's own terms. Callers (publish, download, `spm plugin run`)
//! speak these types; each WIT version's binding module converts them to and from its
//! generated types, so a new API version never changes a caller.

use serde::Serialize;

/// One file of a package as plugins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkillFile {
    pub path: String,
    pub size: u64,
    /// The content when it is UTF-8 text.
    pub text: Option<String>,
}

/// The read-only view of a package that scanners and storage policies judge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkillPackage {
    pub author: String,
    pub name: String,
    pub version: String,
    pub description: String,
    pub license: Option<String>,
    pub tags: Vec<String>,
    pub permissions: Vec<String>,
    pub manifest_json: String,
    pub publisher: String,
    pub packed_size: u64,
    pub files: Vec<SkillFile>,
}

/// A download a storage policy is asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DownloadContext {
    pub author: String,
    pub name: String,
    pub version: String,
    /// The signed-in account, if any.
    pub requester: Option<String>,
}

/// A credential an auth provider is asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthRequest {
    pub bearer_token: Option<String>,
    pub headers: Vec<(String, String)>,
}

/// What an auth provider made of a credential.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthResult {
    NotMine,
    Authenticated { name: String, scopes: Vec<String> },
    Denied(String),
}

/// A storage policy's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Allow,
    Deny(String),
}

/// How bad a scanner's finding is: the same scale as the built-in scanner's.
pub use spm_core::safety::Severity;

/// One finding as a scanner returned it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule_id: String,
    pub category: String,
    pub severity: Severity,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u32>,
}
