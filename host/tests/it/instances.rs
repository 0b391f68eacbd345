//! Several instances on one database: they start together (migrations run once), a
//! publish through one is visible at once through the other, and concurrent publishes of
//! one version through both give exactly one success.

use serde_json::json;

use crate::common::{DbKind, Options, Server, fresh_pg_database, pack_skill, publish_status};

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
    // Each migration was applied once, though both servers ran them at the same time.
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT version, COUNT(*) FROM _sqlx_migrations GROUP BY version ORDER BY version",
    )
    .fetch_all(&a.state.db.pool)
    .await
    .unwrap();
    assert!(rows.len() >= 6, "{rows:?}");
    assert!(rows.iter().all(|(_, n)| *n == 1), "{rows:?}");
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
    let mut tasks = Vec::new();
    for s in [&a, &b, &a, &b] {
        let (http, url, t) = (s.http.clone(), s.at("/api/skills"), t.clone());
        let archive = pack_skill("shared", "1.1.0", "");
        tasks.push(tokio::spawn(publish_status(
            http,
            url,
            t,
            archive,
            json!({}),
        )));
    }
    let mut statuses = Vec::new();
    for task in tasks {
        statuses.push(task.await.unwrap());
    }
    statuses.sort();
    assert_eq!(statuses, [201, 409, 409, 409], "{statuses:?}");
    let (_, v) = b.get_json("/api/skills/alice/shared/versions").await;
    assert_eq!(v["versions"].as_array().unwrap().len(), 2, "{v}");
    b.stop().await;
    a.stop().await;
}

on_both!(instances_share_one_database);
