//! Host bindings, one module per supported `spm:plugin` API version. A new API version gets
//! a new module generated from its frozen WIT folder, with its minimum version and its
//! conversions into the host's own [`types`](super::types); older modules stay so older
//! plugins keep loading. [`ApiVersion`] names the module a component is served by.

/// The binding module a component's API version is served by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    V0_1_0,
    V0_2_0,
}

impl ApiVersion {
    /// The module for a component built against `spm:plugin@<version>`: the newest module
    /// whose minimum version is at or below it, within the same release line (for 0.x the
    /// minor version, afterwards the major version, since those are the breaking ones).
    pub fn for_version(version: &str) -> Result<ApiVersion, String> {
        let v = semver::Version::parse(version).map_err(|_| {
            format!("it declares the API version `{version}`, which is not a version")
        })?;
        let same_line = |min: &semver::Version| {
            v.major == min.major && (min.major > 0 || v.minor == min.minor) && v >= *min
        };
        if same_line(&v0_2_0::MIN_VERSION) {
            return Ok(ApiVersion::V0_2_0);
        }
        if same_line(&v0_1_0::MIN_VERSION) {
            return Ok(ApiVersion::V0_1_0);
        }
        Err(format!(
            "it was built for spm:plugin@{version}; this server supports {}",
            SUPPORTED.join(", ")
        ))
    }
}

/// The API versions this host loads, for messages.
pub const SUPPORTED: &[&str] = &["0.1.x", "0.2.x"];

/// The conversions between the host's [`types`](super::types) and the generated types every
/// API version shares (same names, same fields), written once and expanded in each module.
macro_rules! shared_conversions {
    () => {
        impl From<&types::SkillPackage> for SkillPackage {
            fn from(p: &types::SkillPackage) -> Self {
                SkillPackage {
                    author: p.author.clone(),
                    name: p.name.clone(),
                    version: p.version.clone(),
                    description: p.description.clone(),
                    license: p.license.clone(),
                    tags: p.tags.clone(),
                    permissions: p.permissions.clone(),
                    manifest_json: p.manifest_json.clone(),
                    publisher: p.publisher.clone(),
                    packed_size: p.packed_size,
                    files: p.files.iter().map(SkillFile::from).collect(),
                }
            }
        }

        impl From<&types::SkillFile> for SkillFile {
            fn from(f: &types::SkillFile) -> Self {
                SkillFile {
                    path: f.path.clone(),
                    size: f.size,
                    text: f.text.clone(),
                }
            }
        }

        impl From<&types::DownloadContext> for DownloadContext {
            fn from(c: &types::DownloadContext) -> Self {
                DownloadContext {
                    author: c.author.clone(),
                    name: c.name.clone(),
                    version: c.version.clone(),
                    requester: c.requester.clone(),
                }
            }
        }

        impl From<&types::AuthRequest> for AuthRequest {
            fn from(r: &types::AuthRequest) -> Self {
                AuthRequest {
                    bearer_token: r.bearer_token.clone(),
                    headers: r.headers.clone(),
                }
            }
        }

        impl From<AuthResult> for types::AuthResult {
            fn from(r: AuthResult) -> Self {
                match r {
                    AuthResult::NotMine => types::AuthResult::NotMine,
                    AuthResult::Authenticated(id) => types::AuthResult::Authenticated {
                        name: id.name,
                        scopes: id.scopes,
                    },
                    AuthResult::Denied(reason) => types::AuthResult::Denied(reason),
                }
            }
        }

        impl From<Decision> for types::Decision {
            fn from(d: Decision) -> Self {
                match d {
                    Decision::Allow => types::Decision::Allow,
                    Decision::Deny(reason) => types::Decision::Deny(reason),
                }
            }
        }

        impl From<Severity> for types::Severity {
            fn from(s: Severity) -> Self {
                match s {
                    Severity::Info => types::Severity::Info,
                    Severity::Low => types::Severity::Low,
                    Severity::Medium => types::Severity::Medium,
                    Severity::High => types::Severity::High,
                    Severity::Critical => types::Severity::Critical,
                }
            }
        }

        impl From<Finding> for types::Finding {
            fn from(f: Finding) -> Self {
                types::Finding {
                    rule_id: f.rule_id,
                    category: f.category,
                    severity: f.severity.into(),
                    message: f.message,
                    file: f.file,
                    line: f.line,
                }
            }
        }
    };
}

pub mod v0_1_0 {
    //! `spm:plugin@0.1.0`: scanners, auth providers, storage policies. Frozen.

    use crate::plugins::types;

    /// The oldest component API version this module serves.
    pub const MIN_VERSION: semver::Version = semver::Version::new(0, 1, 0);

    pub mod scanner {
        wasmtime::component::bindgen!({
            world: "safety-scanner",
            path: "../wit/spm-plugin/0.1.0",
            imports: { "spm:plugin/http.fetch": async },
            exports: { default: async },
        });
    }

    pub mod auth {
        wasmtime::component::bindgen!({
            world: "auth-provider",
            path: "../wit/spm-plugin/0.1.0",
            exports: { default: async },
            with: {
                "spm:plugin/types": super::scanner::spm::plugin::types,
                "spm:plugin/host": super::scanner::spm::plugin::host,
                "spm:plugin/http": super::scanner::spm::plugin::http,
            },
        });
    }

    pub mod policy {
        wasmtime::component::bindgen!({
            world: "storage-policy",
            path: "../wit/spm-plugin/0.1.0",
            exports: { default: async },
            with: {
                "spm:plugin/types": super::scanner::spm::plugin::types,
                "spm:plugin/host": super::scanner::spm::plugin::host,
                "spm:plugin/http": super::scanner::spm::plugin::http,
            },
        });
    }

    pub use scanner::spm::plugin::host::{Host, LogLevel};
    pub use scanner::spm::plugin::http::{Host as HttpHost, Response as HttpResponse};
    pub use scanner::spm::plugin::types::{
        AuthRequest, AuthResult, Decision, DownloadContext, Finding, Severity, SkillFile,
        SkillPackage,
    };

    shared_conversions!();
}

pub mod v0_2_0 {
    //! `spm:plugin@0.2.0`: adds the `publish-hook` world, and scanners receive the previous
    //! version's files.

    use crate::plugins::types;

    /// The oldest component API version this module serves.
    pub const MIN_VERSION: semver::Version = semver::Version::new(0, 2, 0);

    pub mod scanner {
        wasmtime::component::bindgen!({
            world: "safety-scanner",
            path: "../wit/spm-plugin/0.2.0",
            imports: { "spm:plugin/http.fetch": async },
            exports: { default: async },
        });
    }

    pub mod auth {
        wasmtime::component::bindgen!({
            world: "auth-provider",
            path: "../wit/spm-plugin/0.2.0",
            exports: { default: async },
            with: {
                "spm:plugin/types": super::scanner::spm::plugin::types,
                "spm:plugin/host": super::scanner::spm::plugin::host,
                "spm:plugin/http": super::scanner::spm::plugin::http,
            },
        });
    }

    pub mod policy {
        wasmtime::component::bindgen!({
            world: "storage-policy",
            path: "../wit/spm-plugin/0.2.0",
            exports: { default: async },
            with: {
                "spm:plugin/types": super::scanner::spm::plugin::types,
                "spm:plugin/host": super::scanner::spm::plugin::host,
                "spm:plugin/http": super::scanner::spm::plugin::http,
            },
        });
    }

    pub mod hook {
        wasmtime::component::bindgen!({
            world: "publish-hook",
            path: "../wit/spm-plugin/0.2.0",
            exports: { default: async },
            with: {
                "spm:plugin/types": super::scanner::spm::plugin::types,
                "spm:plugin/host": super::scanner::spm::plugin::host,
                "spm:plugin/http": super::scanner::spm::plugin::http,
            },
        });
    }

    pub use scanner::spm::plugin::host::{Host, LogLevel};
    pub use scanner::spm::plugin::http::{Host as HttpHost, Response as HttpResponse};
    pub use scanner::spm::plugin::types::{
        AuthRequest, AuthResult, Decision, DownloadContext, EventKind, Finding, PreviousVersion,
        RegistryEvent, Severity, SkillFile, SkillPackage,
    };

    shared_conversions!();

    impl From<&types::PreviousVersion> for PreviousVersion {
        fn from(p: &types::PreviousVersion) -> Self {
            PreviousVersion {
                version: p.version.clone(),
                files: p.files.iter().map(SkillFile::from).collect(),
            }
        }
    }

    impl From<&types::RegistryEvent> for RegistryEvent {
        fn from(e: &types::RegistryEvent) -> Self {
            RegistryEvent {
                kind: match e.kind {
                    types::EventKind::Published => EventKind::Published,
                    types::EventKind::Yanked => EventKind::Yanked,
                    types::EventKind::Unyanked => EventKind::Unyanked,
                    types::EventKind::Blocked => EventKind::Blocked,
                    types::EventKind::Approved => EventKind::Approved,
                    types::EventKind::Removed => EventKind::Removed,
                },
                author: e.author.clone(),
                name: e.name.clone(),
                version: e.version.clone(),
                actor: e.actor.clone(),
                safety_status: e.safety_status.clone(),
                reason: e.reason.clone(),
                at: e.at,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ApiVersion;

    #[test]
    fn api_versions_are_matched_by_release_line() {
        assert_eq!(ApiVersion::for_version("0.1.0"), Ok(ApiVersion::V0_1_0));
        assert_eq!(ApiVersion::for_version("0.1.7"), Ok(ApiVersion::V0_1_0));
        assert_eq!(ApiVersion::for_version("0.2.0"), Ok(ApiVersion::V0_2_0));
        assert_eq!(ApiVersion::for_version("0.2.3"), Ok(ApiVersion::V0_2_0));
        for v in ["0.3.0", "1.0.0", "0.0.9", "x"] {
            assert!(ApiVersion::for_version(v).is_err(), "{v}");
        }
    }
}
