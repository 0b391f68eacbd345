//! {{name}}: an auth provider that accepts the tokens in its `tokens` setting
//! (`token=account:scope+scope,...`), and leaves every other credential to the next provider.

use spm_plugin_sdk::auth::{AuthRequest, AuthResult, Guest, Identity, PluginInfo};
use spm_plugin_sdk::config;

struct Plugin;

impl Guest for Plugin {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "{{name}}".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "tokens listed in its settings".into(),
        }
    }

    fn authenticate(req: AuthRequest) -> AuthResult {
        let Some(token) = req.bearer_token else {
            return AuthResult::NotMine;
        };
        let tokens = config("tokens").unwrap_or_default();
        for entry in tokens.split(',').map(str::trim) {
            let Some((known, who)) = entry.split_once('=') else { continue };
            if known == token {
                let (name, scopes) = who.split_once(':').unwrap_or((who, "read"));
                return AuthResult::Authenticated(Identity {
                    name: name.to_string(),
                    scopes: scopes.split('+').map(str::to_string).collect(),
                });
            }
        }
        AuthResult::NotMine
    }
}

spm_plugin_sdk::export_auth_provider!(Plugin);
