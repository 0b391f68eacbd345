"""{{name}}: a storage policy that refuses skills whose name matches a glob in its
`denied_names` setting (`internal-*,test-*`), and serves every download."""

import wit_world
from wit_world.imports import types

import spm_plugin as spm


class WitWorld(wit_world.WitWorld):
    def info(self) -> types.PluginInfo:
        return spm.plugin_info("{{name}}", "0.1.0", "refuses names matching its denied_names")

    def check_publish(self, pkg: types.SkillPackage) -> types.Decision:
        for pattern in spm.config_list("denied_names"):
            if spm.glob_match(pattern, pkg.name):
                return spm.deny(f"names matching `{pattern}` are not accepted here")
        return spm.allow()

    def check_download(self, ctx: types.DownloadContext) -> types.Decision:
        return spm.allow()
