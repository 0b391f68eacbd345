//! Telling publish hooks what happened to a version: stored, yanked, unyanked, blocked,
//! approved, removed. After the change is committed, on the request's plugin set, and never
//! waited for ([`Plugins::fire`](crate::plugins::Plugins::fire)).

use spm_core::safety::SafetyStatus;

use crate::plugins::types::{EventKind, RegistryEvent};
use crate::state::AppState;

/// What changed, and who changed it.
pub struct Change<'a> {
    pub kind: EventKind,
    pub author: &'a str,
    pub name: &'a str,
    pub version: &'a str,
    pub actor: &'a str,
    pub reason: Option<&'a str>,
}

/// Tells the hooks about `change`, with the version's safety status as it is now (read from
/// the database unless the caller knows it). Without hooks this costs nothing.
pub async fn tell(state: &AppState, change: Change<'_>, status: Option<SafetyStatus>) {
    let plugins = state.plugins.get();
    if !plugins.has_hooks() {
        return;
    }
    let status = match status {
        Some(s) => Some(s),
        None => status_of(state, change.author, change.name, change.version).await,
    };
    plugins.fire(RegistryEvent {
        kind: change.kind,
        author: change.author.to_string(),
        name: change.name.to_string(),
        version: change.version.to_string(),
        actor: change.actor.to_string(),
        safety_status: status.map_or("unknown", SafetyStatus::as_str).to_string(),
        reason: change.reason.filter(|r| !r.is_empty()).map(str::to_string),
        at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    });
}

async fn status_of(
    state: &AppState,
    author: &str,
    name: &str,
    version: &str,
) -> Option<SafetyStatus> {
    let (id, _) = state.db.skill_id(author, name).await.ok()??;
    let versions = state.db.versions(id).await.ok()?;
    versions
        .into_iter()
        .find(|v| v.version == version)
        .map(|v| v.safety_status)
}
