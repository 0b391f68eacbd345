// {{name}}: an auth provider that accepts the tokens in its `tokens` setting
// (`token=account:scope+scope,...`), and leaves every other credential to the next provider.

import * as spm from "./spm-plugin.js";

export function info() {
  return spm.pluginInfo("{{name}}", "0.1.0", "tokens listed in its settings");
}

export function authenticate(req) {
  if (req.bearerToken === undefined || req.bearerToken === null) return spm.notMine();
  for (const entry of spm.configList("tokens")) {
    const [known, who = ""] = entry.split("=");
    if (known === req.bearerToken) {
      const [name, scopes = "read"] = who.split(":");
      return spm.authenticated(name, scopes.split("+"));
    }
  }
  return spm.notMine();
}
