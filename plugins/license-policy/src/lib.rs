//! `license-policy`: what may be stored in this registry.
//!
//! Settings (all optional):
//! - `allowed_licenses`: comma-separated SPDX ids (`MIT, Apache-2.0`); a skill without a
//!   license, or with another, is refused. Compound expressions (`MIT OR Apache-2.0`) pass when
//!   every id in them is allowed.
//! - `max_size_bytes`: largest packed size.
//! - `reserved_names`: comma-separated globs (`official-*, spm`) only `reserved_for` may use.
//! - `reserved_for`: comma-separated accounts allowed to use reserved names.
//! - `name_pattern`: a glob every skill name must match (`acme-*`).

use spm_plugin_sdk::policy::{Decision, DownloadContext, Guest, PluginInfo, SkillPackage};
use spm_plugin_sdk::{config, config_parse, glob_match};

fn list(key: &str) -> Vec<String> {
    config(key)
        .map(|v| v.split(',').map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect())
        .unwrap_or_default()
}

/// The SPDX ids in an expression such as `(MIT OR Apache-2.0) AND BSD-3-Clause`.
pub fn license_ids(expr: &str) -> Vec<&str> {
    expr.split(|c: char| c.is_whitespace() || c == '(' || c == ')')
        .filter(|t| !t.is_empty() && !matches!(*t, "OR" | "AND" | "WITH"))
        .collect()
}

struct LicensePolicy;

impl Guest for LicensePolicy {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "license-policy".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "allowed licenses, size limit, reserved and restricted names".into(),
        }
    }

    fn check_publish(pkg: SkillPackage) -> Decision {
        let allowed = list("allowed_licenses");
        if !allowed.is_empty() {
            match pkg.license.as_deref() {
                None => return Decision::Deny(format!("a license is required; allowed: {}", allowed.join(", "))),
                Some(l) => {
                    let ids = license_ids(l);
                    if ids.is_empty() || !ids.iter().all(|id| allowed.iter().any(|a| a.eq_ignore_ascii_case(id))) {
                        return Decision::Deny(format!("the license `{l}` is not allowed here; allowed: {}", allowed.join(", ")));
                    }
                }
            }
        }
        if let Some(max) = config_parse::<u64>("max_size_bytes") {
            if pkg.packed_size > max {
                return Decision::Deny(format!("the package is {} bytes; this registry accepts at most {max}", pkg.packed_size));
            }
        }
        let reserved = list("reserved_names");
        if reserved.iter().any(|g| glob_match(g, &pkg.name)) && !list("reserved_for").contains(&pkg.publisher) {
            return Decision::Deny(format!("the name `{}` is reserved on this registry", pkg.name));
        }
        if let Some(pattern) = config("name_pattern") {
            if !glob_match(pattern.trim(), &pkg.name) {
                return Decision::Deny(format!("skill names here must match `{}`", pattern.trim()));
            }
        }
        Decision::Allow
    }

    fn check_download(_ctx: DownloadContext) -> Decision {
        Decision::Allow
    }
}

spm_plugin_sdk::export_storage_policy!(LicensePolicy);

#[cfg(test)]
mod tests {
    #[test]
    fn spdx_expressions_split_into_ids() {
        assert_eq!(super::license_ids("(MIT OR Apache-2.0) AND BSD-3-Clause"), ["MIT", "Apache-2.0", "BSD-3-Clause"]);
        assert_eq!(super::license_ids("GPL-2.0 WITH Classpath-exception-2.0"), ["GPL-2.0", "Classpath-exception-2.0"]);
    }
}
