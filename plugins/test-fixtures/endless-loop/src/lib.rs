//! Never returns: the host's deadline must stop it.
use spm_plugin_sdk::scanner::{Finding, Guest, PluginInfo, Severity, SkillPackage};

struct Fixture;

fn info(name: &str) -> PluginInfo {
    PluginInfo { name: name.into(), version: "0.0.0".into(), description: "test fixture".into() }
}

impl Guest for Fixture {
    fn info() -> PluginInfo {
        info("endless-loop")
    }
    fn scan(_pkg: SkillPackage) -> Result<Vec<Finding>, String> {
        let mut n = 0u64;
        loop {
            n = core::hint::black_box(n.wrapping_add(1));
        }
    }
}
const _: Severity = Severity::Info;
spm_plugin_sdk::export_scanner!(Fixture);
