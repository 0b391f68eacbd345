//! Rate-limit buckets kept in the database, so a limit holds across every instance that
//! shares it (as crates.io keeps its publish limits).
//!
//! A bucket holds up to `burst` tokens and gains one every `per`; taking a token is one
//! conditional `UPDATE`, atomic on both back ends, so two instances racing for the last
//! token cannot both get it.

use std::time::Duration;

use super::{Backend, Db, DbError};

/// Milliseconds since the Unix epoch.
fn now_ms() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp_nanos() as i64 / 1_000_000
}

impl Db {
    /// Takes one token from bucket `key`: `Ok(None)` when there was one, `Ok(Some(wait))`
    /// with how long until there is one otherwise.
    pub async fn take_token(
        &self,
        key: &str,
        burst: u32,
        per: Duration,
    ) -> Result<Option<Duration>, DbError> {
        let now = now_ms();
        let per_ms = (per.as_millis() as f64).max(1.0);
        let burst = f64::from(burst.max(1));
        // A new bucket starts full.
        sqlx::query(
            "INSERT INTO rate_buckets (key, tokens, updated_ms) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(burst)
        .bind(now)
        .execute(&self.pool)
        .await?;
        let least = match self.backend {
            Backend::Sqlite => "min",
            Backend::Postgres => "LEAST",
        };
        let refilled = format!("{least}($1, tokens + ($2 - updated_ms) / $3)");
        let taken = sqlx::query(&format!(
            "UPDATE rate_buckets SET tokens = {refilled} - 1, updated_ms = $2 WHERE key = $4 AND {refilled} >= 1"
        ))
        .bind(burst)
        .bind(now)
        .bind(per_ms)
        .bind(key)
        .execute(&self.pool)
        .await?
        .rows_affected();
        if taken == 1 {
            return Ok(None);
        }
        let row: Option<(f64, i64)> =
            sqlx::query_as("SELECT tokens, updated_ms FROM rate_buckets WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
        let (tokens, updated) = row.unwrap_or((0.0, now));
        let have = (tokens + (now - updated) as f64 / per_ms).min(burst);
        let wait_ms = ((1.0 - have).max(0.0) * per_ms).ceil() as u64;
        Ok(Some(Duration::from_millis(wait_ms.max(1000))))
    }
}
