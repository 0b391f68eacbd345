// {{name}}: a publish hook that POSTs every registry event as JSON to the URL in its `url`
// setting (a webhook). Grant that host with `allowed_hosts`; raise `timeout_ms` for slow
// endpoints (the call never delays the registry's response).

import * as spm from "./spm-plugin.js";

export function info() {
  return spm.pluginInfo("{{name}}", "0.1.0", "posts registry events to a webhook");
}

export function onEvent(event) {
  const url = spm.config("url");
  if (!url) throw "set `url` to the webhook's address";
  const r = spm.fetch("POST", url, [["content-type", "application/json"]], spm.eventJson(event));
  if (r.status >= 300) throw `the webhook answered ${r.status}`;
}
