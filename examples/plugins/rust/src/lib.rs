//! word-flagger: a safety scanner that flags the words in its `words` setting (default: `TODO`).

use spm_plugin_sdk::scanner::{Finding, Guest, PluginInfo, Severity, SkillPackage};
use spm_plugin_sdk::{config, line_of, log, text_files};

struct Plugin;

impl Guest for Plugin {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "word-flagger".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "flags configured words".into(),
        }
    }

    fn scan(pkg: SkillPackage) -> Result<Vec<Finding>, String> {
        let words = config("words").unwrap_or_else(|| "TODO".into());
        let mut findings = Vec::new();
        for (path, text) in text_files(&pkg) {
            for word in words.split(',').map(str::trim).filter(|w| !w.is_empty()) {
                for (offset, _) in text.match_indices(word) {
                    findings.push(Finding {
                        rule_id: format!("word-flagger/{word}"),
                        category: "custom".into(),
                        severity: Severity::High,
                        message: format!("`{word}` found"),
                        file: Some(path.to_string()),
                        line: Some(line_of(text, offset)),
                    });
                }
            }
        }
        log::info(&format!("{} findings in {}/{}", findings.len(), pkg.author, pkg.name));
        Ok(findings)
    }
}

spm_plugin_sdk::export_scanner!(Plugin);
