//! Permissions a skill asks for (`permissions:` / `security.permissions:`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum Permission {
    FileRead,
    FileWrite,
    FileDelete,
    BashExecute,
    /// No network access at all.
    NetworkNone,
    /// Network access to one host (`example.com`, `*.example.com`, `example.com:8443`).
    NetworkHost(String),
    /// Use of one named tool.
    Tool(String),
}

pub const KNOWN: &str =
    "file:read, file:write, file:delete, bash:execute, network:none, network:<host>, tool:<name>";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PermissionError {
    #[error("`{0}` is not a known permission (known: {KNOWN})")]
    Unknown(String),
    #[error("`{0}` does not name a valid host; expected e.g. network:api.example.com")]
    BadHost(String),
    #[error("`{0}` does not name a tool; expected e.g. tool:web_search")]
    BadTool(String),
}

impl FromStr for Permission {
    type Err = PermissionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "file:read" => Permission::FileRead,
            "file:write" => Permission::FileWrite,
            "file:delete" => Permission::FileDelete,
            "bash:execute" => Permission::BashExecute,
            "network:none" => Permission::NetworkNone,
            _ => {
                if let Some(host) = s.strip_prefix("network:") {
                    if !valid_host(host) {
                        return Err(PermissionError::BadHost(s.to_string()));
                    }
                    Permission::NetworkHost(host.to_ascii_lowercase())
                } else if let Some(tool) = s.strip_prefix("tool:") {
                    let ok = !tool.is_empty()
                        && tool.len() <= 128
                        && tool
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || "_-.:".contains(c));
                    if !ok {
                        return Err(PermissionError::BadTool(s.to_string()));
                    }
                    Permission::Tool(tool.to_string())
                } else {
                    return Err(PermissionError::Unknown(s.to_string()));
                }
            }
        })
    }
}

/// The same grammar the policy applies: one host-pattern type everywhere.
fn valid_host(host: &str) -> bool {
    host.parse::<crate::policy::HostPattern>().is_ok()
}

impl TryFrom<String> for Permission {
    type Error = PermissionError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Permission> for String {
    fn from(p: Permission) -> String {
        p.to_string()
    }
}

impl fmt::Display for Permission {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Permission::FileRead => f.write_str("file:read"),
            Permission::FileWrite => f.write_str("file:write"),
            Permission::FileDelete => f.write_str("file:delete"),
            Permission::BashExecute => f.write_str("bash:execute"),
            Permission::NetworkNone => f.write_str("network:none"),
            Permission::NetworkHost(h) => write!(f, "network:{h}"),
            Permission::Tool(t) => write!(f, "tool:{t}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_kind_and_round_trips() {
        for s in [
            "file:read",
            "file:write",
            "file:delete",
            "bash:execute",
            "network:none",
            "network:api.github.com",
            "network:*.example.com",
            "network:localhost:8080",
            "tool:web_search",
            "tool:mcp__sentry__search_issues",
        ] {
            let p: Permission = s.parse().unwrap();
            assert_eq!(p.to_string(), s);
        }
    }

    #[test]
    fn rejects_unknown_and_malformed() {
        assert!(matches!(
            "file:exec".parse::<Permission>(),
            Err(PermissionError::Unknown(_))
        ));
        assert!(matches!(
            "network:".parse::<Permission>(),
            Err(PermissionError::BadHost(_))
        ));
        assert!(matches!(
            "network:a..b".parse::<Permission>(),
            Err(PermissionError::BadHost(_))
        ));
        assert!(matches!(
            "network:h:99999".parse::<Permission>(),
            Err(PermissionError::BadHost(_))
        ));
        assert!(matches!(
            "network:http://x".parse::<Permission>(),
            Err(PermissionError::BadHost(_))
        ));
        assert!(matches!(
            "tool:".parse::<Permission>(),
            Err(PermissionError::BadTool(_))
        ));
        assert!(matches!(
            "tool:a b".parse::<Permission>(),
            Err(PermissionError::BadTool(_))
        ));
    }
}
