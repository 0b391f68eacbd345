//! Plugin API 0.2.0 in the real host, beside 0.1.0 plugins: publish hooks told after each
//! change without delaying the response, scanners given the previous version's files, and a
//! request that keeps the plugin set it started with while a reload swaps it.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use spm_host::plugins::{Kind, PluginSpec};
use tokio::sync::{Semaphore, mpsc};

use crate::common::{DbKind, Options, Server, plugin_components};
use crate::plugins::{archive, leaky_archive, publish_in_background, spec};

/// A local HTTP endpoint standing in for a webhook receiver and a slow upstream: every request
/// is reported as `(path, body)`; those under `/held/` are answered only once released.
struct Receiver {
    port: u16,
    seen: mpsc::UnboundedReceiver<(String, String)>,
    release: Arc<Semaphore>,
}

impl Receiver {
    async fn start() -> Receiver {
        let (tx, seen) = mpsc::unbounded_channel();
        let release = Arc::new(Semaphore::new(0));
        let gate = release.clone();
        let app = axum::Router::new().fallback(move |req: axum::extract::Request| {
            let (tx, gate) = (tx.clone(), gate.clone());
            async move {
                let path = req.uri().path().to_string();
                let body = axum::body::to_bytes(req.into_body(), 1 << 20)
                    .await
                    .unwrap_or_default();
                let _ = tx.send((path.clone(), String::from_utf8_lossy(&body).into_owned()));
                if path.starts_with("/held/") {
                    let _permit = gate.acquire().await;
                }
                "ok"
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move { axum::serve(listener, app).await });
        Receiver {
            port,
            seen,
            release,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// The next request it received.
    async fn next(&mut self) -> (String, String) {
        tokio::time::timeout(Duration::from_secs(60), self.seen.recv())
            .await
            .expect("no request reached the receiver within a minute")
            .expect("the receiver stopped")
    }

    /// Answers every held request, now and later.
    fn release_all(&self) {
        self.release.add_permits(Semaphore::MAX_PERMITS / 2);
    }
}

fn webhook(dir: &std::path::Path, rx: &Receiver, path: &str) -> PluginSpec {
    let mut p = spec(
        dir,
        "webhook",
        Kind::Hook,
        &[("url", &rx.url(path)), ("allowed_hosts", &rx.host())],
    );
    p.timeout_ms = 30_000;
    p
}

/// The admin's view of one plugin's statistics.
async fn plugin_stats(s: &Server, name: &str) -> Value {
    let (code, list) = s.bootstrap().get_json("/api/plugins").await;
    assert_eq!(code, 200, "{list}");
    list.as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == name)
        .cloned()
        .unwrap_or_else(|| panic!("no plugin {name} in {list}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn publish_hooks_are_told_after_each_change_and_never_delay_the_response() {
    let Some(dir) = plugin_components() else {
        return;
    };
    let mut rx = Receiver::start().await;
    let Some(s) = Server::start_with(Options {
        plugins: vec![webhook(&dir, &rx, "/held/hook")],
        ..Options::new(DbKind::Sqlite)
    })
    .await
    else {
        return;
    };
    let alice = s.user("alice").await;
    assert_eq!(alice.publish("hooked", "1.0.0", "").await.status(), 201);

    // The hook got the event after the version was stored...
    let (path, body) = rx.next().await;
    assert_eq!(path, "/held/hook");
    let event: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(event["kind"], "published", "{event}");
    assert_eq!(event["author"], "alice");
    assert_eq!(event["name"], "hooked");
    assert_eq!(event["version"], "1.0.0");
    assert_eq!(event["actor"], "alice");
    assert_eq!(event["safety_status"], "clean");
    assert!(event["at"].as_u64().unwrap() > 1_700_000_000, "{event}");
    // ...and the publish was answered while the hook's call is still waiting on the webhook.
    let stats = plugin_stats(&s, "webhook").await;
    assert_eq!(
        stats["calls"], 0,
        "the response waited for the hook: {stats}"
    );
    assert_eq!(stats["world"], "publish-hook");
    assert_eq!(stats["api_version"], "0.2.0");
    rx.release_all();
    let mut done = Value::Null;
    for _ in 0..600 {
        done = plugin_stats(&s, "webhook").await;
        if done["calls"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(done["calls"], 1, "{done}");
    assert_eq!(done["failures"], 0, "{done}");

    // Yank, unyank, an admin's block with its reason, and a removal.
    let v = "/api/skills/alice/hooked/versions/1.0.0";
    let (code, body) = alice.post_json(&format!("{v}/yank"), json!({})).await;
    assert_eq!(code, 200, "{body}");
    let (code, body) = alice.delete(&format!("{v}/yank")).await;
    assert_eq!(code, 200, "{body}");
    let (code, body) = s
        .bootstrap()
        .post_json(
            "/api/admin/review/alice/hooked/1.0.0",
            json!({"action": "approve", "reason": "looked at it"}),
        )
        .await;
    assert_eq!(code, 200, "{body}");
    let (code, body) = s
        .bootstrap()
        .post_json(
            "/api/admin/review/alice/hooked/1.0.0",
            json!({"action": "block", "reason": "malware"}),
        )
        .await;
    assert_eq!(code, 200, "{body}");
    let (code, body) = s.bootstrap().delete(v).await;
    assert_eq!(code, 204, "{body}");
    let mut told = Vec::new();
    for _ in 0..5 {
        let (_, body) = rx.next().await;
        told.push(serde_json::from_str::<Value>(&body).unwrap());
    }
    let kinds: std::collections::BTreeSet<&str> =
        told.iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["approved", "blocked", "removed", "unyanked", "yanked"].into(),
        "{told:?}"
    );
    let blocked = told.iter().find(|e| e["kind"] == "blocked").unwrap();
    assert_eq!(blocked["reason"], "malware", "{blocked}");
    assert_eq!(blocked["safety_status"], "blocked", "{blocked}");
    let yanked = told.iter().find(|e| e["kind"] == "yanked").unwrap();
    assert_eq!(yanked["actor"], "alice", "{yanked}");
    // The removed version's status is the one it had before it went.
    let removed = told.iter().find(|e| e["kind"] == "removed").unwrap();
    assert_eq!(removed["safety_status"], "blocked", "{removed}");
    let approved = told.iter().find(|e| e["kind"] == "approved").unwrap();
    assert_eq!(approved["safety_status"], "clean", "{approved}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hook_that_hangs_is_stopped_at_its_own_deadline() {
    let Some(dir) = plugin_components() else {
        return;
    };
    let mut rx = Receiver::start().await;
    let mut hook = webhook(&dir, &rx, "/held/never");
    hook.timeout_ms = 300;
    let Some(s) = Server::start_with(Options {
        plugins: vec![hook],
        ..Options::new(DbKind::Sqlite)
    })
    .await
    else {
        return;
    };
    let alice = s.user("alice").await;
    assert_eq!(alice.publish("hung", "1.0.0", "").await.status(), 201);
    let (path, _) = rx.next().await;
    assert_eq!(path, "/held/never");
    // Never answered: the call ends at its deadline, counted as a failure.
    let mut stats = Value::Null;
    for _ in 0..600 {
        stats = plugin_stats(&s, "webhook").await;
        if stats["calls"] == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(stats["calls"], 1, "{stats}");
    assert_eq!(stats["failures"], 1, "{stats}");
    // The registry goes on serving, and hooks the next event.
    assert_eq!(alice.publish("hung", "1.0.1", "").await.status(), 201);
    let (path, body) = rx.next().await;
    assert_eq!(path, "/held/never");
    assert!(body.contains("1.0.1"), "{body}");
    rx.release_all();
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn scanners_of_api_0_2_see_the_previous_version_beside_0_1_plugins() {
    let Some(dir) = plugin_components() else {
        return;
    };
    // An unchanged 0.1.0 scanner and a 0.2.0 one in the same server.
    let Some(s) = Server::start_with(Options {
        plugins: vec![
            spec(&dir, "secrets_scanner", Kind::Scanner, &[]),
            spec(&dir, "fixture_change_probe", Kind::Scanner, &[]),
        ],
        ..Options::new(DbKind::Sqlite)
    })
    .await
    else {
        return;
    };
    let (code, list) = s.bootstrap().get_json("/api/plugins").await;
    assert_eq!(code, 200);
    let versions: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["api_version"].as_str().unwrap())
        .collect();
    assert_eq!(versions, ["0.1.0", "0.2.0"], "{list}");

    let t = s.register("alice").await;
    let probe_message = |versions: &Value, version: &str| -> String {
        let v = versions["versions"]
            .as_array()
            .unwrap_or_else(|| panic!("no versions in {versions}"))
            .iter()
            .find(|v| v["version"] == version)
            .unwrap_or_else(|| panic!("no {version} in {versions}"));
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == "change-probe")
            .unwrap_or_else(|| panic!("no change-probe finding in {v}"))["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let publish = |version: &'static str, files: &'static [(&'static str, &'static str)]| {
        let a = archive("diffed", "", files);
        // `archive` writes version 1.0.0; rewrite it for later versions.
        let a = if version == "1.0.0" {
            a
        } else {
            let dir = tempfile::tempdir().unwrap();
            let skill = dir.path().join("diffed");
            std::fs::create_dir(&skill).unwrap();
            std::fs::write(
                skill.join("SKILL.md"),
                crate::common::skill_md("diffed", version, ""),
            )
            .unwrap();
            for (p, text) in files {
                std::fs::write(skill.join(p), text).unwrap();
            }
            spm_core::package::pack(&skill, &Default::default())
                .unwrap()
                .bytes
        };
        let (s, t) = (&s, t.clone());
        async move { s.publish(&t, a, json!({})).await }
    };
    let r = publish("1.0.0", &[("a.md", "alpha\n")]).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let (_, versions) = s.get_json("/api/skills/alice/diffed/versions").await;
    assert_eq!(
        probe_message(&versions, "1.0.0"),
        "previous none; changed: SKILL.md, a.md"
    );
    let r = publish("1.1.0", &[("a.md", "alpha\n"), ("b.md", "beta\n")]).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let (_, versions) = s.get_json("/api/skills/alice/diffed/versions").await;
    assert_eq!(
        probe_message(&versions, "1.1.0"),
        "previous 1.0.0; changed: SKILL.md, b.md"
    );
    // A blocked version is no baseline: after 1.1.0 is blocked, 1.2.0 is compared with 1.0.0.
    let (code, body) = s
        .bootstrap()
        .post_json(
            "/api/admin/review/alice/diffed/1.1.0",
            json!({"action": "block", "reason": "test"}),
        )
        .await;
    assert_eq!(code, 200, "{body}");
    let r = publish("1.2.0", &[("a.md", "alpha\n"), ("b.md", "beta\n")]).await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let (_, versions) = s.get_json("/api/skills/alice/diffed/versions").await;
    assert_eq!(
        probe_message(&versions, "1.2.0"),
        "previous 1.0.0; changed: SKILL.md, b.md"
    );
    // The 0.1.0 scanner still blocks what it blocked before.
    let r = s.publish(&t, leaky_archive(), json!({})).await;
    assert_eq!(r.status(), 403);
    let body: Value = r.json().await.unwrap();
    assert!(
        body["error"].as_str().unwrap().contains("secrets-scanner"),
        "{body}"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_request_keeps_the_plugin_set_it_started_with_across_a_reload() {
    let Some(dir) = plugin_components() else {
        return;
    };
    let mut rx = Receiver::start().await;
    let work = tempfile::tempdir().unwrap();
    let config = work.path().join("spm.toml");
    let entry = |file: &str, kind: &str, settings: &[(&str, String)]| {
        let settings: Vec<String> = settings
            .iter()
            .map(|(k, v)| format!("{k} = \"{v}\""))
            .collect();
        format!(
            "[[plugins]]\npath = \"{}\"\nkind = \"{kind}\"\ntimeout_ms = 30000\nsettings = {{ {} }}\n",
            dir.join(file).display(),
            settings.join(", ")
        )
    };
    // The old set: a scanner whose upstream answers only when released, and a hook to /hook/a.
    let old = entry(
        "fixture_http_probe.wasm",
        "scanner",
        &[("url", rx.url("/held/probe")), ("allowed_hosts", rx.host())],
    ) + &entry(
        "webhook.wasm",
        "hook",
        &[("url", rx.url("/hook/a")), ("allowed_hosts", rx.host())],
    );
    std::fs::write(&config, old).unwrap();
    let Some(s) = Server::start_with(Options {
        plugins: spm_host::config::plugins_in(&config).unwrap(),
        config_file: Some(config.clone()),
        ..Options::new(DbKind::Sqlite)
    })
    .await
    else {
        return;
    };
    let t = s.register("alice").await;
    let publish = publish_in_background(&s, &t, archive("straddle", "", &[]));
    // The publish is being judged by the old set's scanner...
    let (path, _) = rx.next().await;
    assert_eq!(path, "/held/probe");
    // ...when a reload swaps in a set whose hook goes to /hook/b.
    std::fs::write(
        &config,
        entry(
            "webhook.wasm",
            "hook",
            &[("url", rx.url("/hook/b")), ("allowed_hosts", rx.host())],
        ),
    )
    .unwrap();
    let (code, body) = s
        .bootstrap()
        .post_json("/api/admin/plugins/reload", json!({}))
        .await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body.as_array().unwrap().len(), 1, "{body}");
    rx.release_all();
    let r = publish.await.unwrap();
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    // It finished on the set it started with: the old hook was told.
    let (path, body) = rx.next().await;
    assert_eq!(path, "/hook/a", "{body}");
    // The next request uses the new set.
    let alice = s.with_token(&t);
    assert_eq!(alice.publish("after", "1.0.0", "").await.status(), 201);
    let (path, body) = rx.next().await;
    assert_eq!(path, "/hook/b", "{body}");
    s.stop().await;
}
