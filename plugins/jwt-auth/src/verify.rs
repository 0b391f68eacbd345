//! JWT signature and time checks, plain Rust (tested natively).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rsa::RsaPublicKey;
use rsa::pkcs1v15::{Signature, VerifyingKey};
use rsa::pkcs8::DecodePublicKey;
use rsa::signature::Verifier;
use serde_json::Value;
use sha2::Sha256;

pub enum Key {
    Hs256(Vec<u8>),
    Rs256(Box<RsaPublicKey>),
}

impl Key {
    pub fn rs256_from_pem(pem: &str) -> Result<Key, String> {
        RsaPublicKey::from_public_key_pem(pem.trim())
            .map(|k| Key::Rs256(Box::new(k)))
            .map_err(|e| format!("jwt-auth: `public_key` is not a PEM RSA public key: {e}"))
    }

    fn alg(&self) -> &'static str {
        match self {
            Key::Hs256(_) => "HS256",
            Key::Rs256(_) => "RS256",
        }
    }
}

pub struct Claims(Value);

impl Claims {
    pub fn str(&self, k: &str) -> Option<&str> {
        self.0.get(k)?.as_str()
    }

    pub fn list(&self, k: &str) -> Vec<String> {
        match self.0.get(k) {
            Some(Value::String(s)) => s.split_whitespace().map(str::to_string).collect(),
            Some(Value::Array(a)) => a.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
            _ => Vec::new(),
        }
    }

    pub fn has_audience(&self, aud: &str) -> bool {
        match self.0.get("aud") {
            Some(Value::String(s)) => s == aud,
            Some(Value::Array(a)) => a.iter().any(|v| v.as_str() == Some(aud)),
            _ => false,
        }
    }
}

fn decode(part: &str, what: &str) -> Result<Vec<u8>, String> {
    URL_SAFE_NO_PAD.decode(part.trim_end_matches('=')).map_err(|_| format!("the token's {what} is not base64url"))
}

/// Checks the signature with `key` (the header's `alg` must match it) and `exp`/`nbf`
/// against `now` (seconds). Returns the claims.
pub fn verify_token(token: &str, key: &Key, now: u64) -> Result<Claims, String> {
    let mut parts = token.split('.');
    let (Some(h), Some(p), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err("not a JWT".into());
    };
    let header: Value = serde_json::from_slice(&decode(h, "header")?).map_err(|_| "the token's header is not JSON".to_string())?;
    let alg = header.get("alg").and_then(Value::as_str).unwrap_or("none");
    if alg != key.alg() {
        return Err(format!("the token is signed with `{alg}`; this registry accepts only {}", key.alg()));
    }
    let signed = &token[..h.len() + 1 + p.len()];
    let sig = decode(s, "signature")?;
    match key {
        Key::Hs256(secret) => {
            let mut mac = Hmac::<Sha256>::new_from_slice(secret).map_err(|_| "bad HMAC key".to_string())?;
            mac.update(signed.as_bytes());
            mac.verify_slice(&sig).map_err(|_| "the token's signature is not valid".to_string())?;
        }
        Key::Rs256(public) => {
            let vk = VerifyingKey::<Sha256>::new((**public).clone());
            let sig = Signature::try_from(sig.as_slice()).map_err(|_| "the token's signature is malformed".to_string())?;
            vk.verify(signed.as_bytes(), &sig).map_err(|_| "the token's signature is not valid".to_string())?;
        }
    }
    let claims: Value = serde_json::from_slice(&decode(p, "payload")?).map_err(|_| "the token's payload is not JSON".to_string())?;
    if let Some(exp) = claims.get("exp").and_then(Value::as_u64) {
        if now >= exp {
            return Err("the token has expired".into());
        }
    }
    if let Some(nbf) = claims.get("nbf").and_then(Value::as_u64) {
        if now < nbf {
            return Err("the token is not valid yet".into());
        }
    }
    Ok(Claims(claims))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hs256(payload: &str, secret: &[u8]) -> String {
        let h = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
        let p = URL_SAFE_NO_PAD.encode(payload.as_bytes());
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
        mac.update(format!("{h}.{p}").as_bytes());
        format!("{h}.{p}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
    }

    #[test]
    fn hs256_valid_expired_forged() {
        let key = Key::Hs256(b"s3cret".to_vec());
        let ok = hs256(r#"{"sub":"alice","exp":2000}"#, b"s3cret");
        assert_eq!(verify_token(&ok, &key, 1000).unwrap().str("sub"), Some("alice"));
        assert!(verify_token(&ok, &key, 2000).unwrap_err().contains("expired"));
        let forged = hs256(r#"{"sub":"alice","exp":2000}"#, b"other");
        assert!(verify_token(&forged, &key, 1000).unwrap_err().contains("signature"));
        let none = format!("{}.{}.", URL_SAFE_NO_PAD.encode(br#"{"alg":"none"}"#), URL_SAFE_NO_PAD.encode(b"{}"));
        assert!(verify_token(&none, &key, 0).unwrap_err().contains("none"));
    }
}
