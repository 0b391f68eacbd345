//! webhook: a publish hook (API 0.2.0) that POSTs every registry event as JSON to the URL in
//! its `url` setting, with the `authorization` setting as the Authorization header when set.
//! Grant the webhook's host with `allowed_hosts`; `events` (comma-separated) limits what is
//! sent (default: every event).

use spm_plugin_sdk::hook::{Guest, PluginInfo, RegistryEvent, kind_name, to_json};
use spm_plugin_sdk::{config, http};

struct Webhook;

impl Guest for Webhook {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "webhook".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "posts registry events to a webhook".into(),
        }
    }

    fn on_event(event: RegistryEvent) -> Result<(), String> {
        let url = config("url").ok_or("set `url` to the webhook's address")?;
        if let Some(events) = config("events") {
            let kind = kind_name(event.kind);
            if !events.split(',').map(str::trim).any(|e| e == kind) {
                return Ok(());
            }
        }
        let auth = config("authorization");
        let mut headers = vec![("content-type", "application/json")];
        if let Some(a) = auth.as_deref() {
            headers.push(("authorization", a));
        }
        let body = to_json(&event);
        let r = http::fetch("POST", &url, &headers, body.as_bytes())?;
        if r.status >= 300 {
            return Err(format!("the webhook answered {}", r.status));
        }
        Ok(())
    }
}

spm_plugin_sdk::export_publish_hook!(Webhook);
