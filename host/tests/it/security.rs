//! Regression tests for the red-team defects (issue #11) on the server side, over real HTTP
//! against SQLite and a real PostgreSQL: blobs of refused, removed and blocked versions,
//! build metadata, page overflow, uniform JSON errors, security headers, reserved names, the
//! bootstrap actor, stale partial writes and slow clients.

use std::time::Duration;

use crate::common::{DbKind, Options, Server, blob_count, pack_skill};
use serde_json::json;
use spm_core::package::Integrity;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

on_both!(every_error_is_json,);

on_both_started!(
    refused_publishes_leave_no_served_blob,
    blobs_of_blocked_and_removed_versions_are_not_served,
    build_metadata_does_not_bypass_immutability,
    huge_page_numbers_are_a_json_400,
    reserved_names_and_the_bootstrap_actor,
);

fn blob_path(archive: &[u8]) -> String {
    format!("/api/blobs/{}.tar.gz", Integrity::of(archive).hex())
}

async fn status_of(s: &Server, path: &str) -> u16 {
    s.http
        .get(s.at(path))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn refused_publishes_leave_no_served_blob(s: &Server) {
    let t = s.register("alice").await;
    assert_eq!(s.publish_skill(&t, "x", "1.2.0", "").await.status(), 201);
    assert_eq!(blob_count(s.dir.path()), 1);
    // Same version with other bytes, and a lower version: both 409, and neither archive is
    // stored or served.
    let same = pack_skill("x", "1.2.0", "tags: [other]\n");
    let r = s
        .publish(&t, same.clone(), json!({"name": "x", "version": "1.2.0"}))
        .await;
    assert_eq!(r.status(), 409);
    let lower = pack_skill("x", "1.0.0", "");
    let r = s
        .publish(&t, lower.clone(), json!({"name": "x", "version": "1.0.0"}))
        .await;
    assert_eq!(r.status(), 409);
    assert_eq!(blob_count(s.dir.path()), 1, "refused archives were stored");
    assert_eq!(status_of(s, &blob_path(&same)).await, 404);
    assert_eq!(status_of(s, &blob_path(&lower)).await, 404);

    // An archive in storage that no version refers to (a publish killed after storing it)
    // is not served either.
    let orphan = pack_skill("never-published", "1.0.0", "");
    s.state
        .blobs
        .put(&Integrity::of(&orphan), orphan.clone())
        .await
        .unwrap();
    assert_eq!(status_of(s, &blob_path(&orphan)).await, 404);
    // The published one is.
    let published = pack_skill("x", "1.2.0", "");
    assert_eq!(status_of(s, &blob_path(&published)).await, 200);
}

async fn blobs_of_blocked_and_removed_versions_are_not_served(s: &Server) {
    let alice = s.user("alice").await;
    for v in ["1.0.0", "1.1.0"] {
        assert_eq!(alice.publish("y", v, "").await.status(), 201);
    }
    let blocked = blob_path(&pack_skill("y", "1.0.0", ""));
    let removed = blob_path(&pack_skill("y", "1.1.0", ""));
    assert_eq!(status_of(s, &blocked).await, 200);
    let admin = s.bootstrap();
    let (st, _) = admin
        .post_json(
            "/api/admin/review/alice/y/1.0.0",
            json!({"action": "block", "reason": "test"}),
        )
        .await;
    assert_eq!(st, 200);
    let r = s.http.get(s.at(&blocked)).send().await.unwrap();
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["code"],
        "blocked"
    );
    // A range request or a conditional one gets no bytes either.
    let r = s
        .http
        .get(s.at(&blocked))
        .header("range", "bytes=0-10")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);

    let (st, _) = admin.delete("/api/skills/alice/y/versions/1.1.0").await;
    assert_eq!(st, 204);
    assert_eq!(s.anon().get_json(&removed).await.0, 404);
}

async fn build_metadata_does_not_bypass_immutability(s: &Server) {
    let t = s.register("alice").await;
    assert_eq!(s.publish_skill(&t, "z", "2.0.0", "").await.status(), 201);
    let r = s.publish_skill(&t, "z", "2.0.0+meta", "").await;
    assert_eq!(r.status(), 409);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "version_exists", "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("build metadata"),
        "{body}"
    );
    let (_, v) = s.get_json("/api/skills/alice/z/versions").await;
    assert_eq!(v["versions"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(blob_count(s.dir.path()), 1);
    // A later version with build metadata is fine.
    assert_eq!(
        s.publish_skill(&t, "z", "2.0.1+build.7", "").await.status(),
        201
    );
}

async fn huge_page_numbers_are_a_json_400(s: &Server) {
    let t = s.register("alice").await;
    s.publish_skill(&t, "p", "1.0.0", "").await;
    let huge = i64::MAX;
    for path in [
        format!("/api/skills/search?q=p&page={huge}"),
        format!("/api/skills/search?page={huge}"),
        "/api/skills/search?page=10001".to_string(),
    ] {
        let (st, body) = s.get_json(&path).await;
        assert_eq!(st, 400, "{path}: {body}");
        assert_eq!(body["code"], "invalid_page", "{path}: {body}");
        assert!(body["error"].as_str().unwrap().contains("10000"), "{body}");
    }
    let r = s
        .http
        .get(s.at(&format!("/api/skills/mine?page={huge}")))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // Beyond i64 is a JSON 400 too (the query does not parse).
    let (st, body) = s
        .get_json("/api/skills/search?page=99999999999999999999999")
        .await;
    assert_eq!(st, 400, "{body}");
    assert!(
        body["error"].is_string() && body["code"].is_string(),
        "{body}"
    );
    // The web UI answers a page, not a panic.
    let r = s
        .http
        .get(s.at(&format!("/?page={huge}")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    // GraphQL reports it as an error.
    let r = s
        .http
        .post(s.at("/graphql"))
        .json(&json!({"query": format!("{{ search(page: {huge}) {{ total }} }}")}))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("out of range")),
        "{body}"
    );
    // The server is still up.
    assert_eq!(status_of(s, "/healthz").await, 200);
}

async fn every_error_is_json(db: DbKind) {
    let Some(s) = Server::start_with(Options {
        max_body_bytes: 64 * 1024,
        ..Options::new(db)
    })
    .await
    else {
        return;
    };
    let t = s.register("alice").await;
    let check = |r: reqwest::Response, status: u16| async move {
        assert_eq!(r.status().as_u16(), status);
        let ct = r
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        assert!(ct.starts_with("application/json"), "{status}: {ct}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()) && body["code"].is_string(),
            "{status}: {body}"
        );
        body
    };
    // 413 on an over-limit body (on its own connection: the server closes it unread).
    let r = reqwest::Client::new()
        .post(s.at("/api/auth/register"))
        .header("content-type", "application/json")
        .body(vec![b' '; 200 * 1024])
        .send()
        .await
        .unwrap();
    let body = check(r, 413).await;
    assert_eq!(body["code"], "too_large");
    // 422 on an unknown token scope.
    let r = s
        .http
        .post(s.at("/api/tokens"))
        .bearer_auth(&t)
        .json(&json!({"name": "ci", "scope": "superuser"}))
        .send()
        .await
        .unwrap();
    let body = check(r, 422).await;
    assert!(
        body["error"].as_str().unwrap().contains("superuser"),
        "{body}"
    );
    // 400 on a non-numeric token id.
    let r = s
        .http
        .delete(s.at("/api/tokens/abc"))
        .bearer_auth(&t)
        .send()
        .await
        .unwrap();
    check(r, 400).await;
    // 415 on a non-JSON register.
    let r = s
        .http
        .post(s.at("/api/auth/register"))
        .header("content-type", "text/plain")
        .body("name=bob")
        .send()
        .await
        .unwrap();
    check(r, 415).await;
    // 405 on a wrong method.
    let r = s.http.put(s.at("/api/skills/search")).send().await.unwrap();
    check(r, 405).await;
    s.stop().await;
}

async fn reserved_names_and_the_bootstrap_actor(s: &Server) {
    for name in ["admin", "api", "root", "bootstrap", "spm", "security"] {
        let r = s.register_response(name).await;
        assert_eq!(r.status(), 403, "{name}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["code"], "reserved_name", "{name}: {body}");
    }
    let t = s.register("alice").await;
    s.publish_skill(&t, "q", "1.0.0", "").await;
    // An action by the bootstrap token is recorded under an actor no account can have.
    let boot = "bootstrap-secret-for-tests";
    let r = s
        .http
        .post(s.at("/api/admin/review/alice/q/1.0.0"))
        .bearer_auth(boot)
        .json(&json!({"action": "approve"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let audit: serde_json::Value = s
        .http
        .get(s.at("/api/admin/audit"))
        .bearer_auth(boot)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let actor = audit[0]["actor"].as_str().unwrap();
    assert_eq!(actor, spm_host::api::caller::BOOTSTRAP_ACTOR, "{audit}");
    assert!(spm_core::skill::check_author(actor).is_err());
}

#[test]
fn reserved_names_are_configurable_and_an_empty_bootstrap_token_is_none() {
    use spm_host::config::{Config, Overrides};
    let env = |vars: &'static [(&'static str, &'static str)]| {
        move |k: &str| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    };
    let c = Config::load(&Overrides::default(), &env(&[("SPM_BOOTSTRAP_TOKEN", "")])).unwrap();
    assert!(c.bootstrap_token.is_none());
    assert!(c.summary().contains("bootstrap  none"), "{}", c.summary());
    assert!(c.is_reserved("admin") && c.is_reserved("Root"));
    let c = Config::load(
        &Overrides::default(),
        &env(&[("SPM_RESERVED_NAMES", "acme, staff")]),
    )
    .unwrap();
    assert!(c.is_reserved("acme") && c.is_reserved("staff") && !c.is_reserved("admin"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_and_blobs_carry_security_headers() {
    let Some(s) = Server::start(DbKind::Sqlite).await else {
        return;
    };
    let t = s.register("alice").await;
    s.publish_skill(&t, "h", "1.0.0", "").await;
    for path in ["/", "/skills/alice/h", "/no/such/page"] {
        let r = s.http.get(s.at(path)).send().await.unwrap();
        let h = r.headers();
        let csp = h["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert!(csp.contains("default-src 'none'"), "{path}: {csp}");
        assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(h["x-frame-options"], "DENY", "{path}");
        assert_eq!(
            h["referrer-policy"], "strict-origin-when-cross-origin",
            "{path}"
        );
        let html = r.text().await.unwrap();
        assert!(!html.contains("<style"), "{path}: inline style");
        assert!(!html.contains("<script"), "{path}: script");
        // The stylesheet the page links to is served.
        let css = html
            .split("href=\"")
            .find_map(|p| p.split('"').next().filter(|h| h.ends_with(".css")))
            .unwrap()
            .to_string();
        let r = s.http.get(s.at(&css)).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/css")
        );
    }
    let r = s
        .http
        .get(s.at(&blob_path(&pack_skill("h", "1.0.0", ""))))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let h = r.headers();
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert_eq!(h["x-frame-options"], "DENY");
    // GraphiQL gets its own policy: its scripts and nothing else.
    let r = s
        .http
        .get(s.at("/graphql"))
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src")
            && csp.contains("unpkg.com")
            && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    // JSON answers are nosniff too.
    let r = s
        .http
        .get(s.at("/api/skills/alice/h"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn partial_writes_are_cleaned_at_startup() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("blobs");
    let tmp = root.join(".tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(tmp.join("half-written.part"), vec![0u8; 4096]).unwrap();
    spm_host::storage::Blobs::open(&spm_host::config::StorageConfig::Fs { root: root.clone() })
        .unwrap();
    assert!(tmp.is_dir());
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
}

/// A slowloris client (one header line every 300 ms, never finishing) is disconnected at
/// the header-read timeout, and other clients are served meanwhile.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn slow_header_clients_are_cut_off() {
    let Some(s) = Server::start_with(Options {
        header_read_timeout: Duration::from_secs(1),
        ..Options::new(DbKind::Sqlite)
    })
    .await
    else {
        return;
    };
    let addr = s.url.trim_start_matches("http://").to_string();
    let mut slow = Vec::new();
    for _ in 0..20 {
        let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
        tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        slow.push(tcp);
    }
    // Others are served while the slow ones dribble.
    assert_eq!(status_of(&s, "/healthz").await, 200);
    // Each slow client is closed long before it could finish: 60 lines at 300 ms would take
    // 18 s; the timeout is 1 s.
    let mut tcp = slow.pop().unwrap();
    let mut closed = false;
    for i in 0..60 {
        tokio::time::sleep(Duration::from_millis(300)).await;
        if tcp
            .write_all(format!("X-Slow-{i}: 1\r\n").as_bytes())
            .await
            .is_err()
        {
            closed = true;
            break;
        }
        let mut buf = [0u8; 512];
        match tokio::time::timeout(Duration::from_millis(1), tcp.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => {
                closed = true;
                break;
            }
            // hyper may answer 408 before closing.
            Ok(Ok(_)) => {
                closed = true;
                break;
            }
            Err(_) => {}
        }
    }
    assert!(closed, "a slow client was never disconnected");
    // An idle keep-alive connection that never sends a request is closed too.
    let mut idle = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let mut buf = [0u8; 64];
    let n = tokio::time::timeout(Duration::from_secs(20), idle.read(&mut buf))
        .await
        .expect("an idle connection was kept open")
        .unwrap_or(0);
    let _ = n;
    assert_eq!(status_of(&s, "/healthz").await, 200);
    s.stop().await;
}

/// At most `max_connections` are served at once: while two idle clients hold both slots a
/// third waits, and it is served as soon as one leaves.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn connections_beyond_the_cap_wait_for_a_free_slot() {
    let Some(s) = Server::start_with(Options {
        max_connections: 2,
        header_read_timeout: Duration::from_secs(30),
        ..Options::new(DbKind::Sqlite)
    })
    .await
    else {
        return;
    };
    let addr = s.url.trim_start_matches("http://").to_string();
    let first = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let second = tokio::net::TcpStream::connect(&addr).await.unwrap();
    // Give the server a moment to accept both.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(700))
        .build()
        .unwrap();
    assert!(
        client.get(s.at("/healthz")).send().await.is_err(),
        "a third connection was served while two held every slot"
    );
    drop(first);
    drop(second);
    let r = reqwest::Client::new()
        .get(s.at("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    s.stop().await;
}
