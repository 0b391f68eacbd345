//! Several instances on one database: they start together (migrations run once), a
//! publish through one is visible at once through the other, and concurrent publishes of
//! one version through both give exactly one success; on PostgreSQL and S3 together, each
//! with its own data directory, archives and publish limits are shared too.

use serde_json::json;

use crate::common::{DbKind, Options, Server, fresh_pg_database, pack_skill, publish_status};

/// Publishes `name@version` through each of `servers` at once; the statuses, sorted.
async fn race(servers: &[&Server], token: &str, name: &str, version: &str) -> Vec<u16> {
    let mut tasks = Vec::new();
    for s in servers {
        tasks.push(tokio::spawn(publish_status(
            s.http.clone(),
            s.at("/api/skills"),
            token.to_string(),
            pack_skill(name, version, ""),
            json!({}),
        )));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses.sort();
    statuses
}

/// Two servers started at the same moment on one fresh database.
async fn two(db: DbKind) -> Option<(Server, Server)> {
    let dir = tempfile::tempdir().unwrap();
    let url = match db {
        DbKind::Postgres => fresh_pg_database().await?.0,
        DbKind::Sqlite => format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("shared.db").display()
        ),
    };
    let mut opts = Options::new(db);
    opts.database_url = Some(url);
    let (a, b) = tokio::join!(Server::start_with(opts.clone()), Server::start_with(opts));
    // The database file outlives this function with the servers.
    std::mem::forget(dir);
    Some((a?, b?))
}

async fn instances_share_one_database(db: DbKind) {
    let Some((a, b)) = two(db).await else {
        return;
    };
    // Every migration was applied, successfully, though both servers ran them at the same
    // time (a second run of one would have failed on its CREATE TABLE and stopped a server).
    let rows: Vec<(i64, i64)> =
        sqlx::query_as("SELECT version, CASE WHEN success THEN 1 ELSE 0 END FROM _sqlx_migrations ORDER BY version")
            .fetch_all(&a.state.db.pool)
            .await
            .unwrap();
    let dir = match db {
        DbKind::Postgres => "postgres",
        DbKind::Sqlite => "sqlite",
    };
    let files = std::fs::read_dir(format!(
        "{}/../migrations/{dir}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .filter(|e| {
        e.as_ref()
            .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "sql"))
    })
    .count();
    assert_eq!(rows.len(), files, "{rows:?}");
    assert!(rows.iter().all(|(_, ok)| *ok == 1), "{rows:?}");
    let t = a.register("alice").await;
    // Published through one, visible through the other at once.
    let r = a
        .publish(&t, pack_skill("shared", "1.0.0", ""), json!({}))
        .await;
    assert_eq!(r.status(), 201);
    let (status, v) = b.get_json("/api/skills/alice/shared").await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["version"], "1.0.0", "{v}");
    // The same new version through both at once: one wins, the other is told it exists.
    let statuses = race(&[&a, &b, &a, &b], &t, "shared", "1.1.0").await;
    assert_eq!(statuses, [201, 409, 409, 409], "{statuses:?}");
    let (_, v) = b.get_json("/api/skills/alice/shared/versions").await;
    assert_eq!(v["versions"].as_array().unwrap().len(), 2, "{v}");
    b.stop().await;
    a.stop().await;
}

on_both!(instances_share_one_database);

/// Two instances on one PostgreSQL and one S3 bucket (SeaweedFS), each with a data directory,
/// database pool and storage client of its own: an archive published through one downloads
/// through the other, concurrent publishes of one version through both give one success,
/// and the publish limits hold across both (they are kept in the database).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_share_postgres_and_s3() {
    let Some(s3) = crate::common::Seaweed::start().await else {
        return;
    };
    let Some((url, _)) = fresh_pg_database().await else {
        return;
    };
    let mut opts = Options::new(DbKind::Postgres);
    opts.database_url = Some(url);
    opts.storage = Some(s3.storage("instances"));
    opts.rate_limits = spm_host::limits::RateLimits {
        new_skills: spm_host::limits::Rate::parse("2/1h").unwrap(),
        ..spm_host::limits::RateLimits::off()
    };
    let (a, b) = tokio::join!(Server::start_with(opts.clone()), Server::start_with(opts));
    let (Some(a), Some(b)) = (a, b) else {
        return;
    };
    assert_ne!(a.dir.path(), b.dir.path());
    let t = a.register("alice").await;
    let archive = pack_skill("stored", "1.0.0", "");
    let integrity = spm_core::package::Integrity::of(&archive);
    assert_eq!(a.publish(&t, archive, json!({})).await.status(), 201);
    // Through the other instance: the entry, and the archive's bytes out of the bucket.
    let (status, dl) = b.get_json("/api/skills/alice/stored/download").await;
    assert_eq!(status, 200, "{dl}");
    let url = dl["download_url"].as_str().unwrap();
    assert!(url.starts_with(&b.url), "{url}");
    let bytes = b.http.get(url).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(spm_core::package::Integrity::of(&bytes), integrity);
    // One new version through both at once: exactly one success, its archive in the bucket.
    let statuses = race(&[&a, &b, &a, &b], &t, "stored", "1.1.0").await;
    assert_eq!(statuses, [201, 409, 409, 409], "{statuses:?}");
    let (status, dl) = a
        .get_json("/api/skills/alice/stored/download?version=1.1.0")
        .await;
    assert_eq!(status, 200, "{dl}");
    let bytes = a
        .http
        .get(dl["download_url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        spm_core::package::Integrity::of(&bytes).to_string(),
        dl["integrity"].as_str().unwrap()
    );
    // Nothing was written to either data directory but what the plugin cache would hold.
    for s in [&a, &b] {
        assert_eq!(crate::common::blob_count(s.dir.path()), 0);
    }
    // Two new skills per account an hour, counted across both instances.
    let second = b
        .publish(&t, pack_skill("second", "1.0.0", ""), json!({}))
        .await;
    assert_eq!(second.status(), 201);
    let third = a
        .publish(&t, pack_skill("third", "1.0.0", ""), json!({}))
        .await;
    assert_eq!(third.status(), 429);
    let fourth = b
        .publish(&t, pack_skill("fourth", "1.0.0", ""), json!({}))
        .await;
    assert_eq!(fourth.status(), 429);
    b.stop().await;
    a.stop().await;
}
