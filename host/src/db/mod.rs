//! The metadata database: one pool over SQLite (embedded default) or PostgreSQL.
//!
//! Queries are written once, with `$n` parameters both back ends accept; the few that must
//! differ (search, schema checks) branch on [`Backend`]. Migrations live in
//! `migrations/{sqlite,postgres}` and are embedded in the binary.

pub mod admin;
pub mod authors;
pub mod limits;
pub mod orgs;
pub mod skills;
pub mod tokens;

use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

static SQLITE: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("../migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(
        "the database schema is newer than this server (it has migration {found}, this binary knows up to {known}); \
         upgrade spm or point it at another database"
    )]
    SchemaTooNew { found: i64, known: i64 },
    #[error("cannot create {path}: {source}")]
    Dir {
        path: String,
        source: std::io::Error,
    },
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

impl Db {
    /// Connects, creating the SQLite file (and its directory) when needed.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            Backend::Postgres
        };
        if backend == Backend::Sqlite
            && let Some(path) = sqlite_path(url)
            && let Some(dir) = std::path::Path::new(&path)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).map_err(|source| DbError::Dir {
                path: dir.display().to_string(),
                source,
            })?;
        }
        let mut opts = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10));
        opts = match backend {
            Backend::Sqlite => opts.max_connections(8).after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;")
                        .await?;
                    Ok(())
                })
            }),
            Backend::Postgres => opts.max_connections(16),
        };
        let pool = opts.connect(url).await?;
        Ok(Db { pool, backend })
    }

    fn migrator(&self) -> &'static Migrator {
        match self.backend {
            Backend::Sqlite => &SQLITE,
            Backend::Postgres => &POSTGRES,
        }
    }

    /// Applies pending migrations; refuses a schema written by a newer binary.
    pub async fn migrate(&self) -> Result<(), DbError> {
        let known = self.migrator().iter().map(|m| m.version).max().unwrap_or(0);
        let applied: Result<Vec<(i64,)>, _> =
            sqlx::query_as("SELECT version FROM _sqlx_migrations WHERE success = $1")
                .bind(true)
                .fetch_all(&self.pool)
                .await;
        if let Some(found) = applied
            .ok()
            .and_then(|rows| rows.into_iter().map(|r| r.0).max())
            && found > known
        {
            return Err(DbError::SchemaTooNew { found, known });
        }
        // PostgreSQL serialises instances starting together with an advisory lock (sqlx
        // takes it). SQLite has none: a second process that read the applied list before
        // the first committed fails on a table that now exists; each migration is one
        // transaction, so reading the list again and going on is safe.
        let mut attempt = 0;
        loop {
            match self.migrator().run(&self.pool).await {
                Ok(()) => return Ok(()),
                Err(e) if self.backend == Backend::Sqlite && attempt < 20 => {
                    attempt += 1;
                    tracing::debug!("migration raced another process, retrying: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
                Err(e) => return Err(e.into()),
            }
        }
    }

    pub async fn ping(&self) -> Result<(), DbError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }
}

fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or("");
    (!path.is_empty() && path != ":memory:").then(|| path.to_string())
}

/// The `safety_status` column, parsed; a value this server does not know is a decode error.
pub(crate) fn safety_status(
    r: &sqlx::any::AnyRow,
) -> Result<spm_core::safety::SafetyStatus, sqlx::Error> {
    use sqlx::Row;
    let text: String = r.try_get("safety_status")?;
    text.parse().map_err(|e| sqlx::Error::ColumnDecode {
        index: "safety_status".into(),
        source: Box::new(e),
    })
}

/// Whether an error is a unique-constraint violation (a concurrent insert won).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => {
            d.is_unique_violation()
                || d.code()
                    .is_some_and(|c| c == "23505" || c == "2067" || c == "1555")
        }
        _ => false,
    }
}

/// Now, as RFC 3339 UTC text (what every time column holds).
pub fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Parses an RFC 3339 time written by [`now`]; used for expiry checks.
pub fn parse_time(s: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).ok()
}
