//! word-flagger: a safety scanner that flags the words in its `words` setting (default: `TODO`);
//! with `only_changed = "true"`, only in files that are new or changed since the previous
//! version (API 0.2 gives scanners the previous version's files).

use spm_plugin_sdk::scanner::{Finding, Guest, PluginInfo, PreviousVersion, Severity, SkillPackage};
use spm_plugin_sdk::{changed_text_files, config, line_of, log, text_files};

struct Plugin;

impl Guest for Plugin {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "word-flagger".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "flags configured words".into(),
        }
    }

    fn scan(pkg: SkillPackage, previous: Option<PreviousVersion>) -> Result<Vec<Finding>, String> {
        let words = config("words").unwrap_or_else(|| "TODO".into());
        let files: Vec<(&str, &str)> = if config("only_changed").as_deref() == Some("true") {
            changed_text_files(&pkg, previous.as_ref()).collect()
        } else {
            text_files(&pkg).collect()
        };
        let mut findings = Vec::new();
        for (path, text) in files {
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
