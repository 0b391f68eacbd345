// {{name}}: an auth provider that accepts the tokens in its `tokens` setting
// (`token=account:scope+scope,...`), and leaves every other credential to the next provider.

import * as spm from "./spm-plugin.js";

export function info() {
  return spm.pluginInfo("{{name}}", "0.1.0", "tokens listed in its settings");
}

export function authenticate(req) {
  if (req.bearerToken === undefined || req.bearerToken === null) return spm.notMine();
  for (const entry of spm.configList("tokens")) {
    const eq = entry.indexOf("=");
    if (eq < 0) continue;
    if (entry.slice(0, eq) === req.bearerToken) {
      const who = entry.slice(eq + 1);
      const colon = who.indexOf(":");
      const name = colon < 0 ? who : who.slice(0, colon);
      const scopes = colon < 0 || colon === who.length - 1 ? "read" : who.slice(colon + 1);
      return spm.authenticated(name, scopes.split("+"));
    }
  }
  return spm.notMine();
}
