//! `secrets-scanner`: finds credentials in every text file of a skill: AWS, GitHub, Slack,
//! OpenAI/Anthropic-style keys, PEM private key blocks, and high-entropy values assigned to
//! secret-sounding names. Each finding names the file and line; the secret itself is masked.
//!
//! Settings: `min_entropy` (bits per character for the assignment rule, default 4.0),
//! `severity` (`high` or `critical`, default `critical`).

use spm_plugin_sdk::scanner::{Finding, Guest, PluginInfo, Severity, SkillPackage};
use spm_plugin_sdk::{config, config_parse, line_of, text_files};

mod rules;

pub use rules::{Hit, find_secrets};

struct SecretsScanner;

impl Guest for SecretsScanner {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "secrets-scanner".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "API keys, tokens and private keys in skill files".into(),
        }
    }

    fn scan(pkg: SkillPackage) -> Result<Vec<Finding>, String> {
        let min_entropy: f64 = config_parse("min_entropy").unwrap_or(4.0);
        let severity = match config("severity").as_deref() {
            Some("high") => Severity::High,
            _ => Severity::Critical,
        };
        let mut out = Vec::new();
        for (path, text) in text_files(&pkg) {
            for hit in find_secrets(text, min_entropy) {
                out.push(Finding {
                    rule_id: format!("secrets/{}", hit.rule),
                    category: "secrets".into(),
                    severity,
                    message: format!("{} ({})", hit.what, hit.masked),
                    file: Some(path.to_string()),
                    line: Some(line_of(text, hit.offset)),
                });
            }
        }
        Ok(out)
    }
}

spm_plugin_sdk::export_scanner!(SecretsScanner);
