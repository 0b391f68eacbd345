//! `spm server rescan`: every stored version judged again by the same judge as publishing
//! (built-in rules, the registry's name check, the configured plugin scanners); changed
//! verdicts are recorded and audited. A version an admin blocked stays blocked.

use super::PublishError;
use crate::state::AppState;

/// One version whose verdict changed in a rescan.
#[derive(Debug, Clone)]
pub struct Rejudged {
    pub target: String,
    pub before: spm_core::safety::SafetyStatus,
    pub after: spm_core::safety::SafetyStatus,
}

/// What a rescan did.
#[derive(Debug, Clone, Default)]
pub struct Rescan {
    /// Versions looked at.
    pub total: usize,
    pub changed: Vec<Rejudged>,
    /// Versions that could not be judged (blob missing, a plugin failed), with the reason;
    /// their verdict is left as it was.
    pub skipped: Vec<(String, String)>,
}

/// `spm server rescan`: re-judges every stored version with the current built-in rules, the
/// registry's name check and the configured plugin scanners, and records what changed. A
/// version an admin blocked stays blocked.
pub async fn rescan(state: &AppState) -> Result<Rescan, PublishError> {
    let items = state.db.review_items(None).await?;
    let mut out = Rescan {
        total: items.len(),
        ..Rescan::default()
    };
    for item in &items {
        let target = format!("{}/{}@{}", item.author, item.name, item.version);
        let verdict = async {
            let integrity: spm_core::package::Integrity =
                item.integrity.parse().map_err(PublishError::internal)?;
            let Some(bytes) = state.blobs.get(&integrity).await? else {
                return Err(PublishError::internal(format!(
                    "its archive {integrity} is missing from storage"
                )));
            };
            let files = spm_core::package::read_archive(&bytes, &Default::default())
                .map_err(PublishError::internal)?;
            let parsed = super::parse_skill(&files)?;
            super::judge(
                state,
                &item.author,
                &parsed.manifest,
                &files,
                bytes.len() as u64,
                super::Stage::Rescan,
            )
            .await
        }
        .await;
        let verdict = match verdict {
            Ok(v) => v,
            Err(e) => {
                tracing::warn!(version = %target, "not rescanned: {e}");
                out.skipped.push((target, e.to_string()));
                continue;
            }
        };
        let after = verdict.status;
        if after == item.safety_status
            || item.safety_status == spm_core::safety::SafetyStatus::Blocked
        {
            continue;
        }
        state
            .db
            .set_safety(
                item.version_id,
                after,
                Some(verdict.score),
                Some(&serde_json::to_value(&verdict.findings).map_err(PublishError::internal)?),
            )
            .await?;
        state
            .db
            .audit(
                "rescan",
                "rescan",
                &target,
                &format!("{} -> {after}", item.safety_status),
            )
            .await?;
        if after == spm_core::safety::SafetyStatus::Blocked {
            let change = crate::events::Change {
                kind: crate::plugins::types::EventKind::Blocked,
                author: &item.author,
                name: &item.name,
                version: &item.version,
                actor: "rescan",
                reason: Some("a rescan blocked it"),
            };
            crate::events::tell(state, change, Some(after));
        }
        out.changed.push(Rejudged {
            target,
            before: item.safety_status,
            after,
        });
    }
    Ok(out)
}
