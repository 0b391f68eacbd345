//! The safety verdict on a package, shared by publishing and `spm server rescan`.
//!
//! The built-in scanner (the same code `spm scan` runs locally), the registry's own name
//! check (a name one typo away from another author's skill), then every plugin scanner.
//! The strictest verdict wins; the score is the built-in score less each plugin finding.
//! Scanners of plugin API 0.2 also see the previous version's files (the highest lower
//! version), read from storage only when such a scanner is loaded.

use spm_core::api::client_manifest;
use spm_core::package::Files;
use spm_core::safety::{self, SafetyStatus};
use spm_core::skill::Manifest;

use super::error::{PublishError, policy_verdict};
use crate::plugins::{PackageMeta, PluginFinding, package_view};
use crate::state::AppState;

/// What the scanners made of a package.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub status: SafetyStatus,
    pub score: f64,
    pub findings: Vec<PluginFinding>,
}

/// Why a package is being judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// A new version: storage policies decide first (a denial is a 403 `policy_denied`).
    Publish,
    /// A stored version, re-judged: only the scanners run.
    Rescan,
}

impl Stage {
    /// The stage as a metrics label.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Publish => "publish",
            Stage::Rescan => "rescan",
        }
    }
}

/// Judges `files` as `author`'s skill `m`. Errors are plugin failures (fail-closed),
/// storage-policy denials and database errors; a blocking verdict is a [`Verdict`], see
/// [`refusal`].
pub async fn judge(
    state: &AppState,
    author: &str,
    m: &Manifest,
    files: &Files,
    packed: u64,
    stage: Stage,
) -> Result<Verdict, PublishError> {
    let started = std::time::Instant::now();
    let mut found = safety::scan(
        files.iter().map(|(p, b)| (p.as_str(), b.as_slice())),
        &state.config.safety,
    )
    .findings;
    crate::metrics::scan(stage.label(), started);
    let others = state.db.names_of_others(author).await?;
    if let Some(other) = safety::names::similar_to(&m.name, others.iter().map(|(_, n)| n.as_str()))
        && let Some((a, n)) = others.iter().find(|(_, n)| n == other)
    {
        found.push(safety::similar_name(&m.name, &format!("{a}/{n}")));
    }
    let report = safety::verdict(found, &state.config.safety);
    let mut findings: Vec<PluginFinding> = report
        .counted()
        .map(|f| PluginFinding {
            plugin: "built-in".into(),
            rule: f.rule.clone(),
            category: serde_json::to_value(f.category)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            severity: f.severity.to_string(),
            message: format!("{}: {}", f.explanation, f.excerpt),
            file: Some(f.file.clone()),
            line: Some(f.line),
        })
        .collect();
    let mut blocked = report.status == SafetyStatus::Blocked;
    let mut flagged = report.status == SafetyStatus::Flagged;
    let mut score = f64::from(report.score);
    // One set for the whole publish, even if a reload swaps it meanwhile.
    let plugins = state.plugins.get();
    if !plugins.is_empty() {
        let meta = PackageMeta {
            author,
            publisher: author,
            packed_size: packed,
            manifest_json: client_manifest(m, author).to_string(),
        };
        let view = package_view(m, meta, files);
        if stage == Stage::Publish {
            policy_verdict(plugins.check_publish(&view).await)?;
        }
        let previous = if plugins.wants_previous() {
            previous_version(state, author, m).await
        } else {
            None
        };
        let (plugin_findings, failures) = plugins.scan(&view, previous.as_ref()).await;
        if let Some(f) = failures.iter().find(|f| !f.fail_open) {
            return Err(f.clone().into());
        }
        for f in &plugin_findings {
            match f.severity.as_str() {
                "critical" | "high" => blocked = true,
                "medium" => flagged = true,
                _ => {}
            }
            score -= match f.severity.as_str() {
                "critical" => 60.0,
                "high" => 30.0,
                "medium" => 12.0,
                "low" => 4.0,
                _ => 0.0,
            };
        }
        findings.extend(plugin_findings);
    }
    let status = if blocked {
        SafetyStatus::Blocked
    } else if flagged {
        SafetyStatus::Flagged
    } else {
        SafetyStatus::Clean
    };
    Ok(Verdict {
        status,
        score: score.max(0.0),
        findings,
    })
}

/// The version of `author/m.name` published before `m.version` (the highest lower one that
/// is not blocked), with its files; `None` when there is none, or when it cannot be read (logged: a scanner then
/// judges the package on its own rather than the publish failing over an old archive).
async fn previous_version(
    state: &AppState,
    author: &str,
    m: &Manifest,
) -> Option<crate::plugins::types::PreviousVersion> {
    let current = m.version.as_ref()?;
    let (skill_id, _) = state
        .db
        .skill_id(author, &m.name, &crate::db::orgs::Viewer::everything())
        .await
        .ok()??;
    let versions = state.db.versions(skill_id).await.ok()?;
    let (version, integrity) = versions
        .iter()
        // A blocked version is no baseline: content copied from it is judged as new.
        .filter(|v| v.safety_status != SafetyStatus::Blocked)
        .filter_map(|v| Some((semver::Version::parse(&v.version).ok()?, &v.integrity)))
        .filter(|(v, _)| v < current)
        .max_by(|a, b| a.0.cmp(&b.0))?;
    let skill = format!("{author}/{}@{version}", m.name);
    let read = async {
        let integrity: spm_core::package::Integrity = integrity
            .parse()
            .map_err(|e| format!("its integrity: {e}"))?;
        let bytes = state
            .blobs
            .get(&integrity)
            .await
            .map_err(|e| e.to_string())?
            .ok_or("its archive is missing")?;
        spm_core::package::read_archive(&bytes, &Default::default()).map_err(|e| e.to_string())
    };
    match read.await {
        Ok(files) => Some(crate::plugins::types::PreviousVersion {
            version: version.to_string(),
            files: crate::plugins::file_views(&files),
        }),
        Err(e) => {
            tracing::warn!(%skill, "the previous version is not passed to scanners: {e}");
            None
        }
    }
}

/// The refusal for a blocked verdict: the worst finding in words, all findings as details.
pub fn refusal(v: &Verdict) -> PublishError {
    let rank = |s: &str| match s {
        "critical" => 0,
        "high" => 1,
        "medium" => 2,
        _ => 3,
    };
    let text = match v.findings.iter().min_by_key(|f| rank(&f.severity)) {
        Some(f) => {
            let place = match (&f.file, f.line) {
                (Some(file), Some(line)) => format!(" at {file}:{line}"),
                (Some(file), None) => format!(" in {file}"),
                _ => String::new(),
            };
            format!(
                "the publish was blocked: {} [{}]{place}, found by `{}`",
                f.message, f.rule, f.plugin
            )
        }
        None => format!(
            "the publish was blocked: safety score {:.0} is below the threshold",
            v.score
        ),
    };
    PublishError::blocked(
        text,
        serde_json::json!({
            "safety_status": SafetyStatus::Blocked,
            "safety_score": v.score,
            "findings": v.findings,
        }),
    )
}
