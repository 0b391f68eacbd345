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

/// The version published before the one being judged, for scanners of API 0.2 and later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviousVersion {
    pub version: String,
    pub files: Vec<SkillFile>,
}

/// What happened to a version, for publish hooks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Published,
    Yanked,
    Unyanked,
    Blocked,
    Approved,
    Removed,
}

impl EventKind {
    pub const ALL: [EventKind; 6] = [
        EventKind::Published,
        EventKind::Yanked,
        EventKind::Unyanked,
        EventKind::Blocked,
        EventKind::Approved,
        EventKind::Removed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Published => "published",
            EventKind::Yanked => "yanked",
            EventKind::Unyanked => "unyanked",
            EventKind::Blocked => "blocked",
            EventKind::Approved => "approved",
            EventKind::Removed => "removed",
        }
    }
}

impl std::str::FromStr for EventKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        EventKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "`{s}` is not an event; use one of {}",
                    EventKind::ALL.map(EventKind::as_str).join(", ")
                )
            })
    }
}

/// An event publish hooks are told about, after it happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegistryEvent {
    pub kind: EventKind,
    pub author: String,
    pub name: String,
    pub version: String,
    /// The account that caused it.
    pub actor: String,
    /// `clean`, `flagged` or `blocked`.
    pub safety_status: String,
    pub reason: Option<String>,
    /// Seconds since the Unix epoch.
    pub at: u64,
}

/// What a plugin says about itself (`info()`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginInfo {
    pub name: String,
    pub version: String,
    pub description: String,
}
