//! WebAssembly plugins loaded by the real host: the plugins we ship, end to end through a
//! running server, and misbehaving ones that must not hurt it. The components are built from
//! source (`plugins/`) by the first test that needs them.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use crate::common::{DbKind, Options, Server, blob_count, plugin_components};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;
use spm_host::plugins::{Kind, PluginSpec, Plugins};

pub(crate) fn spec(
    dir: &std::path::Path,
    file: &str,
    kind: Kind,
    settings: &[(&str, &str)],
) -> PluginSpec {
    PluginSpec {
        name: None,
        path: dir.join(format!("{file}.wasm")),
        kind,
        timeout_ms: 100,
        memory_mb: 64,
        fail_open: false,
        settings: settings
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

fn jwt(claims: serde_json::Value, secret: &str) -> String {
    let h = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let p = URL_SAFE_NO_PAD.encode(claims.to_string());
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{h}.{p}").as_bytes());
    format!(
        "{h}.{p}.{}",
        URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
    )
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A packed skill with extra files.
pub(crate) fn archive(name: &str, extra_frontmatter: &str, files: &[(&str, &str)]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let skill = dir.path().join(name);
    std::fs::create_dir(&skill).unwrap();
    std::fs::write(
        skill.join("SKILL.md"),
        crate::common::skill_md(name, "1.0.0", extra_frontmatter),
    )
    .unwrap();
    for (path, text) in files {
        let p = skill.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    spm_core::package::pack(&skill, &Default::default())
        .unwrap()
        .bytes
}

/// `deploy` with a fake AWS key on line 3 of `scripts/deploy.sh`.
/// Publishes `archive` as the holder of `token` on a task of its own: its response, later.
pub(crate) fn publish_in_background(
    s: &Server,
    token: &str,
    archive: Vec<u8>,
) -> tokio::task::JoinHandle<reqwest::Response> {
    let (http, url, t) = (s.http.clone(), s.at("/api/skills"), token.to_string());
    let form = reqwest::multipart::Form::new().part(
        "archive",
        reqwest::multipart::Part::bytes(archive).file_name("s.tgz"),
    );
    tokio::spawn(async move {
        http.post(url)
            .bearer_auth(t)
            .multipart(form)
            .send()
            .await
            .unwrap()
    })
}

pub(crate) fn leaky_archive() -> Vec<u8> {
    archive(
        "deploy",
        "license: MIT\n",
        &[(
            "scripts/deploy.sh",
            "#!/bin/sh\n# deploy\nexport AWS_ACCESS_KEY_ID=AKIAZ7XQ2LMN4PRS5TUV\n",
        )],
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn shipped_plugins_end_to_end() {
    let Some(dir) = plugin_components() else {
        return;
    };
    let plugins = vec![
        spec(&dir, "secrets_scanner", Kind::Scanner, &[]),
        spec(
            &dir,
            "license_policy",
            Kind::Policy,
            &[
                ("allowed_licenses", "MIT, Apache-2.0"),
                ("reserved_names", "official-*"),
            ],
        ),
        spec(
            &dir,
            "jwt_auth",
            Kind::Auth,
            &[
                ("secret", "jwt-test-secret"),
                ("issuer", "https://id.example"),
            ],
        ),
    ];
    let Some(s) = Server::start_with(Options {
        plugins,
        ..Options::new(DbKind::Sqlite)
    })
    .await
    else {
        return;
    };
    let t = s.register("alice").await;

    // A fake AWS key on line 3 of a script: refused, naming the finding and the line.
    let leaky = leaky_archive();
    let r = s.publish(&t, leaky, json!({})).await;
    assert_eq!(r.status(), 403);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "blocked");
    let msg = body["error"].as_str().unwrap();
    assert!(
        msg.contains("secrets/aws-access-key")
            && msg.contains("scripts/deploy.sh:3")
            && msg.contains("secrets-scanner"),
        "{msg}"
    );
    assert_eq!(body["details"]["findings"][0]["line"], 3);
    assert_eq!(blob_count(s.dir.path()), 0, "a blocked package was stored");

    // A license the policy does not allow.
    let r = s
        .publish(
            &t,
            archive("gpl-thing", "license: GPL-3.0-only\n", &[]),
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 403);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "policy_denied");
    assert!(
        body["error"].as_str().unwrap().contains("GPL-3.0-only")
            && body["error"].as_str().unwrap().contains("license-policy"),
        "{body}"
    );
    let r = s
        .publish(
            &t,
            archive("official-tools", "license: MIT\n", &[]),
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 403);

    // A clean MIT skill goes through, scanned.
    let r = s
        .publish(
            &t,
            archive(
                "clean",
                "license: MIT\n",
                &[("README.md", "Nothing secret here.\n")],
            ),
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());

    // JWTs from the organisation's identity system.
    let good = jwt(
        json!({"sub": "jwtuser", "iss": "https://id.example", "scope": "publish", "exp": now() + 600}),
        "jwt-test-secret",
    );
    let r = s
        .publish(&good, archive("from-jwt", "license: MIT\n", &[]), json!({}))
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    let (st, e) = s.get_json("/api/skills/jwtuser/from-jwt").await;
    assert_eq!((st, e["author"].as_str()), (200, Some("jwtuser")));
    let expired = jwt(
        json!({"sub": "jwtuser", "iss": "https://id.example", "scope": "publish", "exp": now() - 10}),
        "jwt-test-secret",
    );
    let r = s
        .publish(&expired, archive("late", "license: MIT\n", &[]), json!({}))
        .await;
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains("expired"));
    let forged = jwt(
        json!({"sub": "root", "iss": "https://id.example", "scope": "admin", "exp": now() + 600}),
        "guessed-secret",
    );
    let r = s
        .publish(&forged, archive("forged", "license: MIT\n", &[]), json!({}))
        .await;
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().contains("signature"));
    let wrong_issuer = jwt(
        json!({"sub": "x", "iss": "https://evil.example", "exp": now() + 600}),
        "jwt-test-secret",
    );
    assert_eq!(
        s.publish(
            &wrong_issuer,
            archive("x", "license: MIT\n", &[]),
            json!({})
        )
        .await
        .status(),
        401
    );
    // Ordinary spm tokens still work: the JWT provider says "not mine".
    assert_eq!(
        s.publish(
            &t,
            archive("plain", "license: Apache-2.0\n", &[]),
            json!({})
        )
        .await
        .status(),
        201
    );

    // Admins see the plugins and their statistics.
    let admin = spm_host::server::create_admin(&s.state.config, "root")
        .await
        .unwrap();
    let list: serde_json::Value = s
        .http
        .get(s.at("/api/plugins"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["secrets-scanner", "license-policy", "jwt-auth"]);
    assert_eq!(list[0]["world"], "safety-scanner");
    assert_eq!(list[0]["api_version"], "0.1.0");
    assert!(list[0]["calls"].as_u64().unwrap() >= 2);
    assert_eq!(
        s.http
            .get(s.at("/api/plugins"))
            .bearer_auth(&t)
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    s.stop().await;
}

/// Publishes through a server whose only scanner is `fixture`; returns status, error text and
/// how long it took, while checking the server answers other requests meanwhile.
async fn misbehave(fixture: &str, fail_open: bool) -> Option<(u16, String, Duration)> {
    let dir = plugin_components()?;
    let mut p = spec(&dir, fixture, Kind::Scanner, &[]);
    p.fail_open = fail_open;
    if fixture != "fixture_endless_loop" {
        // Generous, so the limit under test (memory, trap, output) is what stops it, even on a busy machine.
        p.timeout_ms = 3000;
    }
    let s = Server::start_with(Options {
        plugins: vec![p],
        ..Options::new(DbKind::Sqlite)
    })
    .await?;
    let t = s.register("alice").await;
    let started = Instant::now();
    let publish = publish_in_background(&s, &t, archive("victim", "", &[]));
    // The server keeps answering while the plugin misbehaves.
    for _ in 0..5 {
        let h = Instant::now();
        let (st, _) = s.get_json("/healthz").await;
        assert_eq!(st, 200);
        assert!(
            h.elapsed() < Duration::from_secs(1),
            "healthz took {:?}",
            h.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let r = publish.await.unwrap();
    let elapsed = started.elapsed();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    s.stop().await;
    Some((status, text, elapsed))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_endless_loop_is_stopped_at_the_deadline() {
    let Some((status, text, elapsed)) = misbehave("fixture_endless_loop", false).await else {
        return;
    };
    assert_eq!(status, 503, "{text}");
    assert!(
        text.contains("fixture-endless-loop") && text.contains("100 ms deadline"),
        "{text}"
    );
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_gigabyte_allocation_hits_the_memory_cap() {
    let Some((status, text, elapsed)) = misbehave("fixture_huge_alloc", false).await else {
        return;
    };
    assert_eq!(status, 503, "{text}");
    assert!(
        text.contains("fixture-huge-alloc")
            && (text.contains("memory") || text.contains("trapped")),
        "{text}"
    );
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_trap_is_a_clear_error_and_fail_open_lets_it_through() {
    let Some((status, text, _)) = misbehave("fixture_trap", false).await else {
        return;
    };
    assert_eq!(status, 503, "{text}");
    assert!(
        text.contains("fixture-trap") && text.contains("trapped"),
        "{text}"
    );
    let Some((status, text, _)) = misbehave("fixture_trap", true).await else {
        return;
    };
    assert_eq!(status, 201, "{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_huge_result_is_refused() {
    let Some((status, text, elapsed)) = misbehave("fixture_huge_result", false).await else {
        return;
    };
    assert_eq!(status, 503, "{text}");
    assert!(
        text.contains("fixture-huge-result") && text.contains("limit is 1000 findings"),
        "{text}"
    );
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compiled_plugins_are_cached_and_kinds_are_checked() {
    let Some(dir) = plugin_components() else {
        return;
    };
    let cache = tempfile::tempdir().unwrap();
    let specs = vec![
        spec(&dir, "secrets_scanner", Kind::Scanner, &[]),
        spec(&dir, "license_policy", Kind::Policy, &[]),
    ];
    let first = Plugins::load(&specs, Some(cache.path().to_path_buf()), &dir).unwrap();
    assert!(first.status().iter().all(|p| !p.loaded_from_cache));
    let second = Plugins::load(&specs, Some(cache.path().to_path_buf()), &dir).unwrap();
    assert!(second.status().iter().all(|p| p.loaded_from_cache));
    // A scanner configured as a policy is refused with a reason.
    let wrong = vec![spec(&dir, "secrets_scanner", Kind::Policy, &[])];
    let err = Plugins::load(&wrong, None, &dir)
        .err()
        .expect("kind mismatch accepted")
        .to_string();
    assert!(err.contains("safety-scanner"), "{err}");
    // Garbage is not a component.
    let junk = tempfile::tempdir().unwrap();
    std::fs::write(junk.path().join("junk.wasm"), b"not wasm").unwrap();
    let err = Plugins::load(
        &[spec(junk.path(), "junk", Kind::Scanner, &[])],
        None,
        junk.path(),
    )
    .err()
    .unwrap()
    .to_string();
    assert!(err.contains("not a valid WebAssembly component"), "{err}");
    let _ = BTreeMap::<String, String>::new();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_example_template_builds_and_runs() {
    let Some(dir) = plugin_components() else {
        return;
    };
    let target = dir.ancestors().nth(2).unwrap().to_path_buf();
    let template =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/plugins/rust");
    let built = tokio::task::spawn_blocking(move || {
        spm_client::plugin_build::build_project(&template, &target)
    })
    .await
    .unwrap()
    .unwrap();
    let report = spm_host::plugins::check(&built[0], None).await.unwrap();
    assert_eq!(
        (report.world.as_str(), report.name.as_str()),
        ("safety-scanner", "word-flagger")
    );
    let mut p = spec(
        built[0].parent().unwrap(),
        "word_flagger",
        Kind::Scanner,
        &[("words", "FIXME")],
    );
    p.timeout_ms = 1000;
    let plugins = Plugins::load(&[p], None, &dir).unwrap();
    let files: spm_core::package::Files =
        [("SKILL.md".to_string(), b"a\nFIXME b\n".to_vec())].into();
    let m = spm_core::skill::Manifest {
        name: "x".into(),
        ..Default::default()
    };
    let meta = spm_host::plugins::PackageMeta {
        author: "a",
        publisher: "a",
        packed_size: 1,
        manifest_json: "{}".into(),
    };
    let (findings, failures) = plugins
        .scan(&spm_host::plugins::package_view(&m, meta, &files), None)
        .await;
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].line, Some(2));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn outbound_http_only_to_granted_hosts() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Some(dir) = plugin_components() else {
        return;
    };
    // A tiny HTTP server on loopback.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = [0u8; 1024];
            let _ = sock.read(&mut buf).await;
            let _ = sock
                .write_all(
                    b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
                )
                .await;
        }
    });
    let url = format!("http://127.0.0.1:{port}/key");
    let by_name = format!("http://localhost:{port}/key");
    let scan_url = |url: &str, allowed: Option<&str>| {
        let mut settings = vec![("url", url)];
        if let Some(a) = allowed {
            settings.push(("allowed_hosts", a));
        }
        let p = spec(&dir, "fixture_http_probe", Kind::Scanner, &settings);
        Plugins::load(&[p], None, &dir)
    };
    let scan = |allowed: Option<&str>| scan_url(&url, allowed);
    let view = {
        let files: spm_core::package::Files = [("SKILL.md".to_string(), b"x".to_vec())].into();
        let m = spm_core::skill::Manifest {
            name: "x".into(),
            ..Default::default()
        };
        let meta = spm_host::plugins::PackageMeta {
            author: "a",
            publisher: "a",
            packed_size: 1,
            manifest_json: "{}".into(),
        };
        spm_host::plugins::package_view(&m, meta, &files)
    };
    let granted = scan(Some("127.0.0.1")).unwrap();
    let (f, failures) = granted.scan(&view, None).await;
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(f[0].message, "200 hello");
    // A name is resolved by the host and the request pinned to what was judged: `localhost`
    // resolves to loopback, which a host named exactly may reach.
    let named = scan_url(&by_name, Some("*.example.com, localhost")).unwrap();
    let (f, failures) = named.scan(&view, None).await;
    assert!(failures.is_empty(), "{failures:?}");
    assert_eq!(f[0].message, "200 hello");
    let elsewhere = scan(Some("*.example.com, api.example.org")).unwrap();
    let (f, _) = elsewhere.scan(&view, None).await;
    assert!(
        f[0].message.contains("not in this plugin's allowed_hosts"),
        "{}",
        f[0].message
    );
    // Without a grant it loads (other languages' toolchains import every interface), and
    // every request fails, saying how to grant it.
    let ungranted = scan(None).unwrap();
    let (f, _) = ungranted.scan(&view, None).await;
    assert!(
        f[0].message.contains("not granted") && f[0].message.contains("allowed_hosts"),
        "{}",
        f[0].message
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn rescan_runs_the_configured_plugin_scanners() {
    let Some(dir) = plugin_components() else {
        return;
    };
    // Published while the registry had no plugins: the key is not the built-in scanner's job.
    let Some(s) = Server::start(DbKind::Sqlite).await else {
        return;
    };
    let t = s.register("alice").await;
    let leaky = leaky_archive();
    let r = s.publish(&t, leaky, json!({})).await;
    assert_eq!(r.status(), 201);
    let before = r.json::<serde_json::Value>().await.unwrap()["safety_status"].clone();
    assert_ne!(before, "blocked");

    // A plugin that fails: nothing is re-judged, and the rescan says which version and why.
    let mut config = (*s.state.config).clone();
    config.plugins = vec![spec(&dir, "fixture_trap", Kind::Scanner, &[])];
    let r = spm_host::server::rescan(config.clone()).await.unwrap();
    assert!(r.changed.is_empty(), "{:?}", r.changed);
    assert_eq!(r.skipped.len(), 1);
    assert!(
        r.skipped[0].0 == "alice/deploy@1.0.0" && r.skipped[0].1.contains("fixture-trap"),
        "{:?}",
        r.skipped
    );

    // The operator adds the secrets scanner: the rescan blocks the version, which stops being served.
    config.plugins = vec![spec(&dir, "secrets_scanner", Kind::Scanner, &[])];
    let r = spm_host::server::rescan(config).await.unwrap();
    assert_eq!(r.total, 1);
    assert!(r.skipped.is_empty(), "{:?}", r.skipped);
    assert_eq!(r.changed.len(), 1);
    assert_eq!(r.changed[0].target, "alice/deploy@1.0.0");
    assert_eq!(r.changed[0].after.as_str(), "blocked");
    let (_, v) = s.get_json("/api/skills/alice/deploy/versions").await;
    assert_eq!(v["versions"][0]["safety_status"], "blocked");
    assert!(
        v["versions"][0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "secrets/aws-access-key" && f["plugin"] == "secrets-scanner"),
        "{v}"
    );
    let r = s
        .http
        .get(s.at("/api/skills/alice/deploy/download?version=1.0.0"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plugins_reload_from_the_config_file_and_a_broken_reload_keeps_the_old_set() {
    let Some(dir) = plugin_components() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let config = work.path().join("spm.toml");
    let write = |reserved: &str, file: &str| {
        std::fs::write(
            &config,
            format!(
                "[[plugins]]\npath = \"{}\"\nkind = \"policy\"\ntimeout_ms = 1000\nsettings = {{ reserved_names = \"{reserved}\", reserved_for = \"admin\" }}\n",
                dir.join(file).display()
            ),
        )
        .unwrap();
    };
    write("first-*", "license_policy.wasm");
    let plugins = spm_host::config::plugins_in(&config).unwrap();
    let Some(s) = Server::start_with(Options {
        plugins,
        config_file: Some(config.clone()),
        ..Options::new(DbKind::Sqlite)
    })
    .await
    else {
        return;
    };
    let bob = s.user("bob").await;
    assert_eq!(bob.publish("first-a", "1.0.0", "").await.status(), 403);
    assert_eq!(bob.publish("second-a", "1.0.0", "").await.status(), 201);

    // The file changes; a reload applies it without a restart.
    write("second-*", "license_policy.wasm");
    let (code, body) = bob.post_json("/api/admin/plugins/reload", json!({})).await;
    assert_eq!(code, 403, "{body}");
    let (code, body) = s
        .bootstrap()
        .post_json("/api/admin/plugins/reload", json!({}))
        .await;
    assert_eq!(code, 200, "{body}");
    assert_eq!(body[0]["world"], "storage-policy", "{body}");
    assert_eq!(bob.publish("second-b", "1.0.0", "").await.status(), 403);
    assert_eq!(bob.publish("first-b", "1.0.0", "").await.status(), 201);

    // A set that fails to load is refused with the reason, and the old one stays in use.
    write("third-*", "no-such-plugin.wasm");
    let (code, body) = s
        .bootstrap()
        .post_json("/api/admin/plugins/reload", json!({}))
        .await;
    assert_eq!(code, 422, "{body}");
    let msg = body["error"].as_str().unwrap();
    assert!(
        msg.contains("old set stays") && msg.contains("no-such-plugin"),
        "{msg}"
    );
    assert_eq!(bob.publish("second-c", "1.0.0", "").await.status(), 403);
    assert_eq!(bob.publish("third-c", "1.0.0", "").await.status(), 201);
}
