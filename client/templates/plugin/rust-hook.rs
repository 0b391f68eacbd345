//! {{name}}: a publish hook that POSTs every registry event as JSON to the URL in its `url`
//! setting (a webhook). Grant that host with `allowed_hosts`; raise `timeout_ms` for slow
//! endpoints (the call never delays the registry's response).

use spm_plugin_sdk::hook::{Guest, PluginInfo, RegistryEvent, to_json};
use spm_plugin_sdk::{config, http};

struct Plugin;

impl Guest for Plugin {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "{{name}}".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "posts registry events to a webhook".into(),
        }
    }

    fn on_event(event: RegistryEvent) -> Result<(), String> {
        let url = config("url").ok_or("set `url` to the webhook's address")?;
        let body = to_json(&event);
        let r = http::fetch("POST", &url, &[("content-type", "application/json")], body.as_bytes())?;
        if r.status >= 300 {
            return Err(format!("the webhook answered {}", r.status));
        }
        Ok(())
    }
}

spm_plugin_sdk::export_publish_hook!(Plugin);
