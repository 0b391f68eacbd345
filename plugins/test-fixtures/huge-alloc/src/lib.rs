//! Tries to allocate 1 GiB: the host's memory cap must refuse it.
use spm_plugin_sdk::scanner::{Finding, Guest, PluginInfo, Severity, SkillPackage};

struct Fixture;

fn info(name: &str) -> PluginInfo {
    PluginInfo { name: name.into(), version: "0.0.0".into(), description: "test fixture".into() }
}

impl Guest for Fixture {
    fn info() -> PluginInfo {
        info("huge-alloc")
    }
    fn scan(_pkg: SkillPackage) -> Result<Vec<Finding>, String> {
        let v = vec![7u8; 1 << 30];
        let sum: u64 = core::hint::black_box(&v).iter().step_by(4096).map(|&b| b as u64).sum();
        Err(format!("allocated and summed {sum}"))
    }
}
const _: Severity = Severity::Info;
spm_plugin_sdk::export_scanner!(Fixture);
