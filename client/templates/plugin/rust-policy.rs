//! {{name}}: a storage policy that refuses skills whose name matches a glob in its
//! `denied_names` setting (`internal-*,test-*`), and serves every download.

use spm_plugin_sdk::policy::{Decision, DownloadContext, Guest, PluginInfo, SkillPackage};
use spm_plugin_sdk::{config, glob_match};

struct Plugin;

impl Guest for Plugin {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "{{name}}".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "refuses names matching its denied_names".into(),
        }
    }

    fn check_publish(pkg: SkillPackage) -> Decision {
        let denied = config("denied_names").unwrap_or_default();
        for pattern in denied.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if glob_match(pattern, &pkg.name) {
                return Decision::Deny(format!("names matching `{pattern}` are not accepted here"));
            }
        }
        Decision::Allow
    }

    fn check_download(_ctx: DownloadContext) -> Decision {
        Decision::Allow
    }
}

spm_plugin_sdk::export_storage_policy!(Plugin);
