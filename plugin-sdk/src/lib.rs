//! `spm-plugin-sdk`: write spm registry plugins as WebAssembly components.
//!
//! A plugin is a `cdylib` crate that enables one feature of this crate, naming the world it
//! implements, and exports one type with the matching macro:
//!
//! | feature   | world            | trait              | macro                     |
//! |-----------|------------------|--------------------|---------------------------|
//! | `scanner` | `safety-scanner` | [`scanner::Guest`] | [`export_scanner!`]       |
//! | `auth`    | `auth-provider`  | [`auth::Guest`]    | [`export_auth_provider!`] |
//! | `policy`  | `storage-policy` | [`policy::Guest`]  | [`export_storage_policy!`]|
//! | `hook`    | `publish-hook`   | `hook::Guest`      | `export_publish_hook!`    |
//!
//! Plugins build against API 0.1.0 unless the `v0_2` feature is on (`hook` turns it on):
//! then against 0.2.0, where a scanner's `scan` also receives the previous version
//! (`scan(pkg, previous)`, see [`changed_text_files`]) and publish hooks exist. A server
//! loads both.
//!
//! # A safety scanner
//!
//! ```ignore
//! use spm_plugin_sdk::scanner::{Finding, Guest, PluginInfo, Severity, SkillPackage};
//! use spm_plugin_sdk::{config, line_of, text_files};
//!
//! struct NoTodo;
//!
//! impl Guest for NoTodo {
//!     fn info() -> PluginInfo {
//!         PluginInfo { name: "no-todo".into(), version: "0.1.0".into(), description: "Flags TODO markers".into() }
//!     }
//!     fn scan(pkg: SkillPackage) -> Result<Vec<Finding>, String> {
//!         let word = config("word").unwrap_or_else(|| "TODO".into());
//!         let mut out = Vec::new();
//!         for (path, text) in text_files(&pkg) {
//!             for (offset, _) in text.match_indices(&word) {
//!                 out.push(Finding {
//!                     rule_id: "no-todo".into(),
//!                     category: "quality".into(),
//!                     severity: Severity::Low,
//!                     message: format!("`{word}` left in the skill"),
//!                     file: Some(path.to_string()),
//!                     line: Some(line_of(text, offset)),
//!                 });
//!             }
//!         }
//!         Ok(out)
//!     }
//! }
//!
//! spm_plugin_sdk::export_scanner!(NoTodo);
//! ```
//!
//! # An auth provider
//!
//! ```ignore
//! use spm_plugin_sdk::auth::{AuthRequest, AuthResult, Guest, Identity, PluginInfo};
//!
//! struct Static;
//! impl Guest for Static {
//!     fn info() -> PluginInfo { PluginInfo { name: "static".into(), version: "0.1.0".into(), description: String::new() } }
//!     fn authenticate(req: AuthRequest) -> AuthResult {
//!         match (req.bearer_token, spm_plugin_sdk::config("token")) {
//!             (Some(t), Some(want)) if t == want => AuthResult::Authenticated(Identity { name: "ci".into(), scopes: vec!["publish".into()] }),
//!             _ => AuthResult::NotMine,
//!         }
//!     }
//! }
//! spm_plugin_sdk::export_auth_provider!(Static);
//! ```
//!
//! # A storage policy
//!
//! ```ignore
//! use spm_plugin_sdk::policy::{Decision, DownloadContext, Guest, PluginInfo, SkillPackage};
//!
//! struct MaxSize;
//! impl Guest for MaxSize {
//!     fn info() -> PluginInfo { PluginInfo { name: "max-size".into(), version: "0.1.0".into(), description: String::new() } }
//!     fn check_publish(pkg: SkillPackage) -> Decision {
//!         let max: u64 = spm_plugin_sdk::config_parse("max_bytes").unwrap_or(1 << 20);
//!         if pkg.packed_size > max { Decision::Deny(format!("{} bytes is over {max}", pkg.packed_size)) } else { Decision::Allow }
//!     }
//!     fn check_download(_: DownloadContext) -> Decision { Decision::Allow }
//! }
//! spm_plugin_sdk::export_storage_policy!(MaxSize);
//! ```
//!
//! Build with `spm plugin build <crate-dir>`; try with `spm plugin run <file.wasm> <skill-dir>`.

/// The API version this SDK builds plugins against.
#[cfg(not(feature = "v0_2"))]
pub const API_VERSION: &str = "0.1.0";
/// The API version this SDK builds plugins against.
#[cfg(feature = "v0_2")]
pub const API_VERSION: &str = "0.2.0";

/// One world's bindings from the WIT folder of the API version in use.
#[allow(unused_macros)]
macro_rules! world {
    ($world:literal, $macro:literal, $module:literal) => {
        #[cfg(not(feature = "v0_2"))]
        wit_bindgen::generate!({
            world: $world,
            path: "wit/spm-plugin/0.1.0",
            pub_export_macro: true,
            export_macro_name: $macro,
            default_bindings_module: $module,
        });
        #[cfg(feature = "v0_2")]
        wit_bindgen::generate!({
            world: $world,
            path: "wit/spm-plugin/0.2.0",
            pub_export_macro: true,
            export_macro_name: $macro,
            default_bindings_module: $module,
        });
    };
}

#[cfg(feature = "scanner")]
pub mod scanner {
    //! The `safety-scanner` world.
    world!(
        "safety-scanner",
        "export_scanner",
        "spm_plugin_sdk::scanner"
    );
    pub use spm::plugin::types::{Severity, SkillFile};
}

#[cfg(feature = "auth")]
pub mod auth {
    //! The `auth-provider` world.
    world!(
        "auth-provider",
        "export_auth_provider",
        "spm_plugin_sdk::auth"
    );
    pub use spm::plugin::types::Identity;
}

#[cfg(feature = "policy")]
pub mod policy {
    //! The `storage-policy` world.
    world!(
        "storage-policy",
        "export_storage_policy",
        "spm_plugin_sdk::policy"
    );
    pub use spm::plugin::types::SkillFile;
}

#[cfg(feature = "hook")]
pub mod hook {
    //! The `publish-hook` world (API 0.2.0): told after a version is published, yanked,
    //! unyanked, blocked, approved or removed.
    wit_bindgen::generate!({
        world: "publish-hook",
        path: "wit/spm-plugin/0.2.0",
        pub_export_macro: true,
        export_macro_name: "export_publish_hook",
        default_bindings_module: "spm_plugin_sdk::hook",
    });
    pub use spm::plugin::types::EventKind;

    /// The event's name: `published`, `yanked`, `unyanked`, `blocked`, `approved`, `removed`.
    pub fn kind_name(kind: EventKind) -> &'static str {
        match kind {
            EventKind::Published => "published",
            EventKind::Yanked => "yanked",
            EventKind::Unyanked => "unyanked",
            EventKind::Blocked => "blocked",
            EventKind::Approved => "approved",
            EventKind::Removed => "removed",
        }
    }

    /// The event as JSON (what a webhook receives): `{"kind", "author", "name", "version",
    /// "actor", "safety_status", "reason", "at"}`.
    pub fn to_json(e: &RegistryEvent) -> String {
        let s = crate::json_string;
        format!(
            r#"{{"kind":"{}","author":{},"name":{},"version":{},"actor":{},"safety_status":{},"reason":{},"at":{}}}"#,
            kind_name(e.kind),
            s(&e.author),
            s(&e.name),
            s(&e.version),
            s(&e.actor),
            s(&e.safety_status),
            e.reason.as_deref().map_or_else(|| "null".into(), s),
            e.at
        )
    }
}

#[cfg(all(feature = "auth", not(feature = "scanner")))]
use auth::spm::plugin::{host, http as http_api};
#[cfg(all(
    feature = "hook",
    not(any(feature = "scanner", feature = "auth", feature = "policy"))
))]
use hook::spm::plugin::{host, http as http_api};
#[cfg(all(feature = "policy", not(any(feature = "scanner", feature = "auth"))))]
use policy::spm::plugin::{host, http as http_api};
#[cfg(feature = "scanner")]
use scanner::spm::plugin::{host, http as http_api};

/// Outbound HTTP, for plugins the operator granted it (`allowed_hosts` in the plugin's
/// settings). Without a grant every request fails, saying how to grant it.
#[cfg(any(
    feature = "scanner",
    feature = "auth",
    feature = "policy",
    feature = "hook"
))]
pub mod http {
    pub use super::http_api::Response;

    /// Any request; the host enforces the allowed hosts and the call's deadline.
    pub fn fetch(
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> Result<Response, String> {
        let headers: Vec<(String, String)> = headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        super::http_api::fetch(method, url, &headers, body)
    }

    /// `GET url`.
    pub fn get(url: &str) -> Result<Response, String> {
        fetch("GET", url, &[], &[])
    }
}

/// This plugin's setting `key` from the server configuration.
#[cfg(any(
    feature = "scanner",
    feature = "auth",
    feature = "policy",
    feature = "hook"
))]
pub fn config(key: &str) -> Option<String> {
    host::get_config(key)
}

/// A setting parsed into `T` (`None` when absent or unparsable).
#[cfg(any(
    feature = "scanner",
    feature = "auth",
    feature = "policy",
    feature = "hook"
))]
pub fn config_parse<T: core::str::FromStr>(key: &str) -> Option<T> {
    config(key)?.trim().parse().ok()
}

/// All settings of this plugin.
#[cfg(any(
    feature = "scanner",
    feature = "auth",
    feature = "policy",
    feature = "hook"
))]
pub fn config_entries() -> Vec<(String, String)> {
    host::config_entries()
}

/// Seconds since the Unix epoch, from the host.
#[cfg(any(
    feature = "scanner",
    feature = "auth",
    feature = "policy",
    feature = "hook"
))]
pub fn now() -> u64 {
    host::now()
}

/// Logging through the host, which tags every line with the plugin's name.
#[cfg(any(
    feature = "scanner",
    feature = "auth",
    feature = "policy",
    feature = "hook"
))]
pub mod log {
    use super::host::{LogLevel, log};
    pub fn debug(message: &str) {
        log(LogLevel::Debug, message);
    }
    pub fn info(message: &str) {
        log(LogLevel::Info, message);
    }
    pub fn warn(message: &str) {
        log(LogLevel::Warn, message);
    }
    pub fn error(message: &str) {
        log(LogLevel::Error, message);
    }
}

/// The text files of a package: `(path, text)`.
#[cfg(feature = "scanner")]
pub fn text_files(pkg: &scanner::SkillPackage) -> impl Iterator<Item = (&str, &str)> {
    pkg.files
        .iter()
        .filter_map(|f| Some((f.path.as_str(), f.text.as_deref()?)))
}

/// The text files of `pkg` that are new or changed since `previous` (all of them when there
/// is no previous version): `(path, text)`. For scanners that judge what an update adds.
#[cfg(all(feature = "scanner", feature = "v0_2"))]
pub fn changed_text_files<'a>(
    pkg: &'a scanner::SkillPackage,
    previous: Option<&'a scanner::PreviousVersion>,
) -> impl Iterator<Item = (&'a str, &'a str)> {
    text_files(pkg).filter(move |(path, text)| {
        previous.is_none_or(|prev| {
            !prev
                .files
                .iter()
                .any(|f| f.path == *path && f.text.as_deref() == Some(*text))
        })
    })
}

/// The text files of a package: `(path, text)`.
#[cfg(all(feature = "policy", not(feature = "scanner")))]
pub fn text_files(pkg: &policy::SkillPackage) -> impl Iterator<Item = (&str, &str)> {
    pkg.files
        .iter()
        .filter_map(|f| Some((f.path.as_str(), f.text.as_deref()?)))
}

/// `text` as a JSON string literal, quotes included.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The 1-based line number of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u32
        + 1
}

/// Whether `name` matches a simple glob with `*` wildcards (for name rules in policies).
pub fn glob_match(pattern: &str, name: &str) -> bool {
    fn go(p: &[u8], n: &[u8]) -> bool {
        match (p.first(), n.first()) {
            (None, None) => true,
            (Some(b'*'), _) => go(&p[1..], n) || (!n.is_empty() && go(p, &n[1..])),
            (Some(a), Some(b)) if a == b => go(&p[1..], &n[1..]),
            _ => false,
        }
    }
    go(pattern.as_bytes(), name.as_bytes())
}

/// Exports `$t` (implementing [`scanner::Guest`]) as this component's safety scanner.
#[cfg(feature = "scanner")]
#[macro_export]
macro_rules! export_scanner {
    ($t:ident) => {
        $crate::scanner::export_scanner!($t);
    };
}

/// Exports `$t` (implementing [`auth::Guest`]) as this component's auth provider.
#[cfg(feature = "auth")]
#[macro_export]
macro_rules! export_auth_provider {
    ($t:ident) => {
        $crate::auth::export_auth_provider!($t);
    };
}

/// Exports `$t` (implementing `hook::Guest`) as this component's publish hook.
#[cfg(feature = "hook")]
#[macro_export]
macro_rules! export_publish_hook {
    ($t:ident) => {
        $crate::hook::export_publish_hook!($t);
    };
}

/// Exports `$t` (implementing [`policy::Guest`]) as this component's storage policy.
#[cfg(feature = "policy")]
#[macro_export]
macro_rules! export_storage_policy {
    ($t:ident) => {
        $crate::policy::export_storage_policy!($t);
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_one_based() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(json_string("a\"b\\c\nd\u{1}"), r#""a\"b\\c\nd\u0001""#);
    }

    #[test]
    fn globs() {
        assert!(glob_match("internal-*", "internal-tools"));
        assert!(glob_match("*", "x"));
        assert!(!glob_match("internal-*", "tools"));
        assert!(glob_match("a*b*c", "axxbyyc"));
    }
}
