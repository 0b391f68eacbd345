"""{{name}}: a publish hook that POSTs every registry event as JSON to the URL in its `url`
setting (a webhook). Grant that host with `allowed_hosts`; raise `timeout_ms` for slow
endpoints (the call never delays the registry's response)."""

import wit_world
from wit_world.imports import types
from componentize_py_types import Err

import spm_plugin as spm


class WitWorld(wit_world.WitWorld):
    def info(self) -> types.PluginInfo:
        return spm.plugin_info("{{name}}", "0.1.0", "posts registry events to a webhook")

    def on_event(self, event: types.RegistryEvent) -> None:
        url = spm.config("url")
        if not url:
            raise Err("set `url` to the webhook's address")
        body = spm.event_json(event).encode()
        r = spm.fetch("POST", url, [("content-type", "application/json")], body)
        if r.status >= 300:
            raise Err(f"the webhook answered {r.status}")
