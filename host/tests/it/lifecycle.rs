//! Schema versioning and graceful shutdown.

use std::time::Duration;

use crate::common::{DbKind, Server, fresh_pg_database};
use spm_host::db::{Db, DbError};

async fn database_url(db: DbKind, dir: &tempfile::TempDir) -> Option<(String, Option<String>)> {
    match db {
        DbKind::Sqlite => Some((
            format!("sqlite://{}?mode=rwc", dir.path().join("r.db").display()),
            None,
        )),
        DbKind::Postgres => fresh_pg_database()
            .await
            .map(|(url, name)| (url, Some(name))),
    }
}

async fn schema_newer_than_binary_is_refused(db: DbKind) {
    let dir = tempfile::tempdir().unwrap();
    let Some((url, pg_name)) = database_url(db, &dir).await else {
        return;
    };
    let d = Db::connect(&url).await.unwrap();
    d.migrate().await.unwrap();
    d.migrate().await.unwrap(); // idempotent
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) \
         VALUES (99990101000000, 'from the future', CURRENT_TIMESTAMP, $1, $2, 0)",
    )
    .bind(true)
    .bind(vec![0u8; 48])
    .execute(&d.pool)
    .await
    .unwrap();
    let err = d.migrate().await.unwrap_err();
    assert!(
        matches!(
            err,
            DbError::SchemaTooNew {
                found: 99990101000000,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("upgrade spm"), "{err}");
    d.pool.close().await;
    if let Some(name) = pg_name {
        crate::common::drop_pg_database(&name).await;
    }
}

#[tokio::test]
async fn schema_newer_than_binary_is_refused_sqlite() {
    schema_newer_than_binary_is_refused(DbKind::Sqlite).await;
}

#[tokio::test]
async fn schema_newer_than_binary_is_refused_postgres() {
    schema_newer_than_binary_is_refused(DbKind::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn in_flight_publish_finishes_during_shutdown() {
    let Some(s) = Server::start(DbKind::Sqlite).await else {
        return;
    };
    let token = s.register("alice").await;
    let body = serde_json::json!({
        "manifest": {"name": "slow"},
        "content": crate::common::skill_md("slow", "1.0.0", ""),
    })
    .to_string()
    .into_bytes();
    let (first, rest) = body.split_at(body.len() / 2);
    let (first, rest) = (first.to_vec(), rest.to_vec());
    // The body arrives in two halves with a pause between them; shutdown starts in the pause.
    let stream = futures_util::stream::unfold(0u8, move |step| {
        let (first, rest) = (first.clone(), rest.clone());
        async move {
            match step {
                0 => Some((Ok::<_, std::io::Error>(first), 1)),
                1 => {
                    tokio::time::sleep(Duration::from_millis(600)).await;
                    Some((Ok(rest), 2))
                }
                _ => None,
            }
        }
    });
    let req = s
        .http
        .post(s.at("/api/skills"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(stream))
        .send();
    let pending = tokio::spawn(req);
    tokio::time::sleep(Duration::from_millis(200)).await;
    s.stop().await; // returns only once the in-flight request has finished
    let r = pending.await.unwrap().unwrap();
    assert_eq!(r.status(), 201);
}
