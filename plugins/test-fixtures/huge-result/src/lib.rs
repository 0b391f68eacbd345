//! Returns far more output than any scanner should.
use spm_plugin_sdk::scanner::{Finding, Guest, PluginInfo, Severity, SkillPackage};

struct Fixture;

fn info(name: &str) -> PluginInfo {
    PluginInfo { name: name.into(), version: "0.0.0".into(), description: "test fixture".into() }
}

impl Guest for Fixture {
    fn info() -> PluginInfo {
        info("huge-result")
    }
    fn scan(_pkg: SkillPackage) -> Result<Vec<Finding>, String> {
        Ok((0..100_000)
            .map(|i| Finding {
                rule_id: format!("noise/{i}"),
                category: "noise".into(),
                severity: Severity::Info,
                message: "x".repeat(100),
                file: None,
                line: None,
            })
            .collect())
    }
}
spm_plugin_sdk::export_scanner!(Fixture);
