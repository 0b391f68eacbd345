"""{{name}}: an auth provider that accepts the tokens in its `tokens` setting
(`token=account:scope+scope,...`), and leaves every other credential to the next provider."""

import wit_world
from wit_world.imports import types

import spm_plugin as spm


class WitWorld(wit_world.WitWorld):
    def info(self) -> types.PluginInfo:
        return spm.plugin_info("{{name}}", "0.1.0", "tokens listed in its settings")

    def authenticate(self, req: types.AuthRequest) -> types.AuthResult:
        if req.bearer_token is None:
            return spm.not_mine()
        for entry in spm.config_list("tokens"):
            known, _, who = entry.partition("=")
            if known == req.bearer_token:
                name, _, scopes = who.partition(":")
                return spm.authenticated(name, (scopes or "read").split("+"))
        return spm.not_mine()
