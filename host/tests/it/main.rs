//! The registry's integration tests: one test binary (one link of the server), a module per
//! area, and the shared harness in [`common`]: a real server on a random port over SQLite or
//! a fresh PostgreSQL database, local disk or a real S3 (SeaweedFS), spoken to over HTTP.

/// Runs the async test `$name(db)` once per database back end: `<name>::sqlite` and
/// `<name>::postgres` (the module using it imports `DbKind`).
macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                super::$name(super::DbKind::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                super::$name(super::DbKind::Postgres).await
            }
        }
    )*};
}

/// Like [`on_both!`] for tests that only need a default server: `$name(&server)` runs
/// against a server started on each back end (skipped with a message when PostgreSQL is
/// unreachable outside CI) and stopped afterwards.
macro_rules! on_both_started {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            async fn run(db: crate::common::DbKind) {
                let Some(s) = crate::common::Server::start(db).await else {
                    return;
                };
                super::$name(&s).await;
                s.stop().await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                run(crate::common::DbKind::Sqlite).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn postgres() {
                run(crate::common::DbKind::Postgres).await
            }
        }
    )*};
}

mod common;

mod api;
mod container;
mod github;
mod graphql;
mod instances;
mod lifecycle;
mod limits;
mod metrics;
mod orgs;
mod plugins;
mod plugins_api_0_2;
mod s3;
mod security;
mod web;
