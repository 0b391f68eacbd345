//! Reports, as one medium finding, the previous version it was given and which text files are
//! new or changed since it (for the API 0.2.0 tests): `previous 1.0.0; changed: a.md, b.md`.

use spm_plugin_sdk::changed_text_files;
use spm_plugin_sdk::scanner::{Finding, Guest, PluginInfo, PreviousVersion, Severity, SkillPackage};

struct Probe;

impl Guest for Probe {
    fn info() -> PluginInfo {
        PluginInfo { name: "change-probe".into(), version: "0.0.0".into(), description: "test fixture".into() }
    }

    fn scan(pkg: SkillPackage, previous: Option<PreviousVersion>) -> Result<Vec<Finding>, String> {
        let mut changed: Vec<&str> = changed_text_files(&pkg, previous.as_ref()).map(|(p, _)| p).collect();
        changed.sort();
        let before = previous.as_ref().map_or("none".to_string(), |p| p.version.clone());
        Ok(vec![Finding {
            rule_id: "change-probe".into(),
            category: "test".into(),
            severity: Severity::Medium,
            message: format!("previous {before}; changed: {}", changed.join(", ")),
            file: None,
            line: None,
        }])
    }
}

spm_plugin_sdk::export_scanner!(Probe);
