//! `sha256-<hex>` integrity strings, the form the registry API and lockfiles carry.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The SHA-256 of a package archive.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Integrity([u8; 32]);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IntegrityError {
    #[error("`{0}` is not an integrity string; expected sha256-<64 hex digits>")]
    Malformed(String),
    #[error("integrity mismatch: expected {expected}, got {actual}")]
    Mismatch {
        expected: Integrity,
        actual: Integrity,
    },
}

impl Integrity {
    pub fn of(bytes: &[u8]) -> Integrity {
        Integrity(Sha256::digest(bytes).into())
    }

    /// The lowercase hex digest without the `sha256-` prefix (for content-addressed keys).
    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Checks that `bytes` hash to this integrity.
    pub fn verify(&self, bytes: &[u8]) -> Result<(), IntegrityError> {
        let actual = Integrity::of(bytes);
        if actual == *self {
            Ok(())
        } else {
            Err(IntegrityError::Mismatch {
                expected: *self,
                actual,
            })
        }
    }
}

impl FromStr for Integrity {
    type Err = IntegrityError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || IntegrityError::Malformed(s.chars().take(100).collect());
        let hex = s.strip_prefix("sha256-").ok_or_else(bad)?;
        if hex.len() != 64 {
            return Err(bad());
        }
        let mut out = [0u8; 32];
        for (i, byte) in out.iter_mut().enumerate() {
            *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2).ok_or_else(bad)?, 16)
                .map_err(|_| bad())?;
        }
        Ok(Integrity(out))
    }
}

impl TryFrom<String> for Integrity {
    type Error = IntegrityError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Integrity> for String {
    fn from(i: Integrity) -> String {
        i.to_string()
    }
}

impl fmt::Display for Integrity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sha256-{}", self.hex())
    }
}

impl fmt::Debug for Integrity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_digest_and_round_trip() {
        let i = Integrity::of(b"abc");
        assert_eq!(
            i.to_string(),
            "sha256-ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(i.to_string().parse::<Integrity>().unwrap(), i);
        assert_eq!(
            i.to_string()
                .to_uppercase()
                .replace("SHA256", "sha256")
                .parse::<Integrity>()
                .unwrap(),
            i
        );
    }

    #[test]
    fn malformed_strings_are_refused() {
        for s in [
            "",
            "sha256-",
            "sha512-abc",
            "sha256-zz",
            &format!("sha256-{}", "é".repeat(32)),
        ] {
            assert!(
                matches!(s.parse::<Integrity>(), Err(IntegrityError::Malformed(_))),
                "{s}"
            );
        }
    }

    #[test]
    fn verify_detects_tampering() {
        let i = Integrity::of(b"abc");
        assert!(i.verify(b"abc").is_ok());
        assert!(matches!(
            i.verify(b"abd"),
            Err(IntegrityError::Mismatch { .. })
        ));
    }
}
