//! Fetches its `url` setting and reports what happened as a finding (for the HTTP-grant tests).

use spm_plugin_sdk::scanner::{Finding, Guest, PluginInfo, Severity, SkillPackage};

struct Probe;

impl Guest for Probe {
    fn info() -> PluginInfo {
        PluginInfo { name: "http-probe".into(), version: "0.0.0".into(), description: "test fixture".into() }
    }

    fn scan(_pkg: SkillPackage) -> Result<Vec<Finding>, String> {
        let url = spm_plugin_sdk::config("url").unwrap_or_default();
        let message = match spm_plugin_sdk::http::get(&url) {
            Ok(r) => format!("{} {}", r.status, String::from_utf8_lossy(&r.body)),
            Err(e) => format!("error: {e}"),
        };
        Ok(vec![Finding {
            rule_id: "probe".into(),
            category: "test".into(),
            severity: Severity::Info,
            message,
            file: None,
            line: None,
        }])
    }
}

spm_plugin_sdk::export_scanner!(Probe);
