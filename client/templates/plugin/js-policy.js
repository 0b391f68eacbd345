// {{name}}: a storage policy that refuses skills whose name matches a glob in its
// `denied_names` setting (`internal-*,test-*`), and serves every download.

import * as spm from "./spm-plugin.js";

export function info() {
  return spm.pluginInfo("{{name}}", "0.1.0", "refuses names matching its denied_names");
}

export function checkPublish(pkg) {
  for (const pattern of spm.configList("denied_names")) {
    if (spm.globMatch(pattern, pkg.name)) return spm.deny(`names matching \`${pattern}\` are not accepted here`);
  }
  return spm.allow();
}

export function checkDownload(_ctx) {
  return spm.allow();
}
