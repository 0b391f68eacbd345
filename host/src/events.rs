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

/// Tells the hooks about `change`, with the version's safety status as it is now (the
/// caller's, or read from the database on the hooks' own task, so the response never waits
/// for it). Without hooks this costs nothing.
pub fn tell(state: &AppState, change: Change<'_>, status: Option<SafetyStatus>) {
    let plugins = state.plugins.get();
    if !plugins.has_hooks() {
        return;
    }
    let mut event = RegistryEvent {
        kind: change.kind,
        author: change.author.to_string(),
        name: change.name.to_string(),
        version: change.version.to_string(),
        actor: change.actor.to_string(),
        safety_status: status.map_or("", SafetyStatus::as_str).to_string(),
        reason: change.reason.filter(|r| !r.is_empty()).map(str::to_string),
        at: crate::plugins::unix_now(),
    };
    if status.is_some() {
        plugins.fire(event);
        return;
    }
    let state = state.clone();
    tokio::spawn(async move {
        let now = status_of(&state, &event.author, &event.name, &event.version).await;
        // A version that cannot be read back (a race with its removal) is reported clean
        // only if nothing says otherwise; the field is always one of the three statuses.
        event.safety_status = now.unwrap_or(SafetyStatus::Clean).as_str().to_string();
        plugins.fire(event);
    });
}

/// The safety status of `author/name@version` now (before a removal, for its event).
pub async fn status_of(
    state: &AppState,
    author: &str,
    name: &str,
    version: &str,
) -> Option<SafetyStatus> {
    let (id, _) = state
        .db
        .skill_id(author, name, &crate::db::orgs::Viewer::everything())
        .await
        .ok()??;
    let versions = state.db.versions(id).await.ok()?;
    versions
        .into_iter()
        .find(|v| v.version == version)
        .map(|v| v.safety_status)
}
