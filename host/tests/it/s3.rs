//! Blob storage against a real S3-compatible server (SeaweedFS `weed mini`, started here and
//! stopped after), and local disk; then the whole publish/download path over S3.

use crate::common::{DbKind, Options, Seaweed, Server, pack_skill};
use serde_json::json;
use spm_core::package::Integrity;
use spm_host::config::StorageConfig;
use spm_host::storage::Blobs;

async fn exercise(blobs: &Blobs) {
    let data: Vec<u8> = (0..50_000u32).flat_map(|i| i.to_le_bytes()).collect();
    let id = Integrity::of(&data);
    assert_eq!(blobs.get(&id).await.unwrap(), None);
    assert_eq!(blobs.size(&id).await.unwrap(), None);
    blobs.put(&id, data.clone()).await.unwrap();
    blobs.put(&id, data.clone()).await.unwrap(); // idempotent
    assert_eq!(blobs.get(&id).await.unwrap().as_deref(), Some(&data[..]));
    assert_eq!(blobs.size(&id).await.unwrap(), Some(data.len() as u64));
    assert_eq!(
        blobs.get_range(&id, 100..200).await.unwrap().as_deref(),
        Some(&data[100..200])
    );
    blobs.check().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn local_disk_blobs() {
    let dir = tempfile::tempdir().unwrap();
    let blobs = Blobs::open(&StorageConfig::Fs {
        root: dir.path().join("b"),
    })
    .unwrap();
    exercise(&blobs).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn s3_blobs_and_the_registry_on_s3() {
    let Some(weed) = Seaweed::start().await else {
        return;
    };

    // Storage operations.
    let blobs = Blobs::open(&weed.storage("unit")).unwrap();
    exercise(&blobs).await;

    // Presigned URLs fetch the same bytes straight from the store.
    let mut cfg = weed.storage("presign");
    if let StorageConfig::S3 { presign, .. } = &mut cfg {
        *presign = true;
    }
    let presigning = Blobs::open(&cfg).unwrap();
    let id = Integrity::of(b"presigned bytes");
    presigning
        .put(&id, b"presigned bytes".to_vec())
        .await
        .unwrap();
    let url = presigning
        .presigned_url(&id)
        .await
        .expect("a presigned URL");
    assert!(url.starts_with(&weed.endpoint), "{url}");
    let body = reqwest::get(&url).await.unwrap().bytes().await.unwrap();
    assert_eq!(&body[..], b"presigned bytes");

    // Wrong credentials are an error, not a silent miss.
    let mut bad = weed.storage("bad");
    if let StorageConfig::S3 {
        secret_access_key, ..
    } = &mut bad
    {
        *secret_access_key = Some("wrong".into());
    }
    let bad = Blobs::open(&bad).unwrap();
    assert!(bad.put(&id, b"x".to_vec()).await.is_err());

    // The registry over S3 (and each database back end).
    for (db, prefix) in [(DbKind::Sqlite, "srv-sqlite"), (DbKind::Postgres, "srv-pg")] {
        let Some(s) = Server::start_with(Options {
            storage: Some(weed.storage(prefix)),
            ..Options::new(db)
        })
        .await
        else {
            continue;
        };
        let t = s.register("alice").await;
        let archive = pack_skill("on-s3", "1.0.0", "");
        let r = s
            .publish(&t, archive.clone(), json!({"name": "on-s3"}))
            .await;
        assert_eq!(r.status(), 201);
        let (_, dl) = s.get_json("/api/skills/alice/on-s3/download").await;
        let r = s
            .http
            .get(dl["download_url"].as_str().unwrap())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(
            Integrity::of(&r.bytes().await.unwrap()),
            Integrity::of(&archive)
        );
        let (st, ready) = s.get_json("/readyz").await;
        assert_eq!(st, 200, "{ready}");
        s.stop().await;
    }

    // The registry with presigned downloads hands out the store's URL.
    let Some(s) = Server::start_with(Options {
        storage: Some(cfg),
        ..Options::new(DbKind::Sqlite)
    })
    .await
    else {
        return;
    };
    let t = s.register("alice").await;
    assert_eq!(
        s.publish(&t, pack_skill("signed", "1.0.0", ""), json!({}))
            .await
            .status(),
        201
    );
    let (_, dl) = s.get_json("/api/skills/alice/signed/download").await;
    let url = dl["download_url"].as_str().unwrap();
    assert!(url.starts_with(&weed.endpoint), "{url}");
    let bytes = reqwest::get(url).await.unwrap().bytes().await.unwrap();
    assert_eq!(
        Integrity::of(&bytes).to_string(),
        dl["integrity"].as_str().unwrap()
    );
    s.stop().await;
}
