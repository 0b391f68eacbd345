//! `jwt-auth`: accepts JWTs issued by an organisation's identity system.
//!
//! Settings:
//! - `algorithm`: `HS256` (default) or `RS256`; tokens with any other `alg` are refused
//!   (no algorithm confusion, no `none`).
//! - `secret` (HS256) or `public_key` (RS256, PEM `PUBLIC KEY`).
//! - `issuer`, `audience`: required `iss` / `aud` when set.
//! - `name_claim` (default `sub`): the claim that becomes the account name.
//! - `scopes_claim` (default `scope`): space-separated string or array; `default_scopes`
//!   (default `read`) when absent.
//!
//! A bearer value that is not a JWT is "not mine" (the next provider is asked); a JWT that
//! fails any check is denied with the reason.

use spm_plugin_sdk::auth::{AuthRequest, AuthResult, Guest, Identity, PluginInfo};
use spm_plugin_sdk::{config, now};

mod verify;

pub use verify::{Claims, Key, verify_token};

struct JwtAuth;

fn key() -> Result<Key, String> {
    match config("algorithm").as_deref().unwrap_or("HS256") {
        "HS256" => config("secret").map(|s| Key::Hs256(s.into_bytes())).ok_or_else(|| "jwt-auth: `secret` is not configured".into()),
        "RS256" => {
            let pem = config("public_key").ok_or("jwt-auth: `public_key` is not configured")?;
            Key::rs256_from_pem(&pem)
        }
        other => Err(format!("jwt-auth: algorithm `{other}` is not supported")),
    }
}

impl Guest for JwtAuth {
    fn info() -> PluginInfo {
        PluginInfo {
            name: "jwt-auth".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            description: "HS256/RS256 JWT bearer tokens".into(),
        }
    }

    fn authenticate(req: AuthRequest) -> AuthResult {
        let Some(token) = req.bearer_token else { return AuthResult::NotMine };
        if token.split('.').count() != 3 {
            return AuthResult::NotMine;
        }
        let key = match key() {
            Ok(k) => k,
            Err(e) => return AuthResult::Denied(e),
        };
        let claims = match verify_token(&token, &key, now()) {
            Ok(c) => c,
            Err(e) => return AuthResult::Denied(e),
        };
        if let Some(iss) = config("issuer") {
            if claims.str("iss") != Some(iss.as_str()) {
                return AuthResult::Denied(format!("the token's issuer is not `{iss}`"));
            }
        }
        if let Some(aud) = config("audience") {
            if !claims.has_audience(&aud) {
                return AuthResult::Denied(format!("the token is not for audience `{aud}`"));
            }
        }
        let name_claim = config("name_claim").unwrap_or_else(|| "sub".into());
        let Some(name) = claims.str(&name_claim).map(str::to_string) else {
            return AuthResult::Denied(format!("the token has no `{name_claim}` claim"));
        };
        let scopes_claim = config("scopes_claim").unwrap_or_else(|| "scope".into());
        let mut scopes = claims.list(&scopes_claim);
        if scopes.is_empty() {
            scopes = config("default_scopes").unwrap_or_else(|| "read".into()).split_whitespace().map(str::to_string).collect();
        }
        AuthResult::Authenticated(Identity { name, scopes })
    }
}

spm_plugin_sdk::export_auth_provider!(JwtAuth);
