//! Panics (a trap under panic=abort).
use spm_plugin_sdk::scanner::{Finding, Guest, PluginInfo, Severity, SkillPackage};

struct Fixture;

fn info(name: &str) -> PluginInfo {
    PluginInfo { name: name.into(), version: "0.0.0".into(), description: "test fixture".into() }
}

impl Guest for Fixture {
    fn info() -> PluginInfo {
        info("trap")
    }
    fn scan(pkg: SkillPackage) -> Result<Vec<Finding>, String> {
        let files = core::hint::black_box(pkg.files.len());
        if files < usize::MAX {
            panic!("the trap fixture always panics");
        }
        Ok(Vec::new())
    }
}
const _: Severity = Severity::Info;
spm_plugin_sdk::export_scanner!(Fixture);
