//! API tokens. Only the SHA-256 of a token is stored; the token itself is shown once.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};
use sqlx::Row;

use super::authors::Author;
use super::{Db, DbError, now, parse_time};

/// What a token may do; each scope includes the ones before it.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Read,
    Publish,
    Admin,
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Scope::Read => "read",
            Scope::Publish => "publish",
            Scope::Admin => "admin",
        })
    }
}

impl FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "read" => Ok(Scope::Read),
            "publish" => Ok(Scope::Publish),
            "admin" => Ok(Scope::Admin),
            other => Err(format!(
                "`{other}` is not a scope; use read, publish or admin"
            )),
        }
    }
}

/// A new random token: `spm_` and 40 hex digits (160 bits).
pub fn generate() -> String {
    let mut bytes = [0u8; 20];
    // getrandom only fails when the OS has no entropy source at all.
    getrandom::fill(&mut bytes).expect("the operating system's random source is unavailable");
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("spm_{hex}")
}

pub fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub scope: Scope,
    pub created_at: String,
    pub expires_at: Option<String>,
    pub last_used_at: Option<String>,
}

/// Why a presented token was not accepted.
#[derive(Debug, PartialEq, Eq)]
pub enum Rejection {
    Unknown,
    Revoked,
    Expired,
}

impl Db {
    /// Stores a new token for `author` and returns it (the only time it is visible); `org`
    /// scopes it to one organisation.
    pub async fn create_token(
        &self,
        author_id: i64,
        name: &str,
        scope: Scope,
        expires_at: Option<&str>,
        org: Option<i64>,
    ) -> Result<(i64, String), DbError> {
        let token = generate();
        let row = sqlx::query(
            "INSERT INTO api_tokens (author_id, token_hash, name, scope, created_at, expires_at, org_id) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(author_id)
        .bind(hash(&token))
        .bind(name)
        .bind(scope.to_string())
        .bind(now())
        .bind(expires_at)
        .bind(org)
        .fetch_one(&self.pool)
        .await?;
        Ok((row.try_get("id")?, token))
    }

    /// Resolves a presented token to its author and scope.
    pub async fn authenticate(
        &self,
        token: &str,
    ) -> Result<Result<(Author, Scope, Option<i64>), Rejection>, DbError> {
        let row = sqlx::query(
            "SELECT t.id AS token_id, t.scope, t.org_id, t.expires_at, t.revoked_at, a.id, a.name, a.is_admin \
             FROM api_tokens t JOIN authors a ON a.id = t.author_id WHERE t.token_hash = $1",
        )
        .bind(hash(token))
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(Err(Rejection::Unknown));
        };
        if row.try_get::<Option<String>, _>("revoked_at")?.is_some() {
            return Ok(Err(Rejection::Revoked));
        }
        if let Some(exp) = row.try_get::<Option<String>, _>("expires_at")?
            && parse_time(&exp).is_none_or(|t| t <= time::OffsetDateTime::now_utc())
        {
            return Ok(Err(Rejection::Expired));
        }
        let scope: String = row.try_get("scope")?;
        let author = Author {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            is_admin: row.try_get::<i64, _>("is_admin")? != 0,
        };
        let token_id: i64 = row.try_get("token_id")?;
        sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
            .bind(now())
            .bind(token_id)
            .execute(&self.pool)
            .await?;
        Ok(Ok((
            author,
            scope.parse().unwrap_or(Scope::Read),
            row.try_get("org_id")?,
        )))
    }

    pub async fn list_tokens(&self, author_id: i64) -> Result<Vec<TokenInfo>, DbError> {
        let rows = sqlx::query(
            "SELECT id, name, scope, created_at, expires_at, last_used_at FROM api_tokens \
             WHERE author_id = $1 AND revoked_at IS NULL ORDER BY id",
        )
        .bind(author_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TokenInfo {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    scope: r
                        .try_get::<String, _>("scope")?
                        .parse()
                        .unwrap_or(Scope::Read),
                    created_at: r.try_get("created_at")?,
                    expires_at: r.try_get("expires_at")?,
                    last_used_at: r.try_get("last_used_at")?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(Into::into)
    }

    /// Revokes one of `author_id`'s tokens; false when there is no such live token.
    pub async fn revoke_token(&self, author_id: i64, token_id: i64) -> Result<bool, DbError> {
        let res = sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND author_id = $3 AND revoked_at IS NULL")
            .bind(now())
            .bind(token_id)
            .bind(author_id)
            .execute(&self.pool)
            .await?;
        Ok(res.rows_affected() > 0)
    }
}
