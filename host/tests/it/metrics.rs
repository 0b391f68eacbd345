//! `GET /metrics`: refused without its token, Prometheus text with it, and the series the
//! registry records (requests by route, publishes by verdict, scans, blob bytes, the pool).

use serde_json::json;

use crate::common::{DbKind, Options, Server, injection_archive, pack_skill};

async fn metrics(db: DbKind) {
    let mut opts = Options::new(db);
    opts.metrics_token = Some("metrics-secret".into());
    // A scanner plugin, for the plugin series.
    let Some(dir) = crate::common::plugin_components() else {
        return;
    };
    opts.plugins = vec![crate::plugins::spec(
        &dir,
        "secrets_scanner",
        spm_host::plugins::Kind::Scanner,
        &[],
    )];
    let Some(s) = Server::start_with(opts).await else {
        return;
    };
    let t = s.register("alice").await;
    // A flagged publish: a script that makes a folder world-writable.
    let r = s
        .publish(&t, crate::common::flagged_archive(), json!({}))
        .await;
    assert_eq!(r.status(), 201);
    let v: serde_json::Value = r.json().await.unwrap();
    assert_eq!(v["safety_status"], "flagged", "{v}");
    let r = s
        .publish(&t, pack_skill("tidy", "1.0.0", ""), json!({}))
        .await;
    assert_eq!(r.status(), 201);
    // A blocked publish, and a refused one (the same version again).
    let evil = injection_archive();
    assert_eq!(s.publish(&t, evil, json!({})).await.status(), 403);
    let again = s
        .publish(&t, pack_skill("tidy", "1.0.0", ""), json!({}))
        .await;
    assert_eq!(again.status(), 409);
    let dl = s
        .http
        .get(s.at("/api/skills/alice/tidy/download"))
        .send()
        .await
        .unwrap();
    assert_eq!(dl.status(), 200);
    let body: serde_json::Value = dl.json().await.unwrap();
    let blob = s
        .http
        .get(body["download_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(blob.status(), 200);

    // A made-up method is counted as `other`, not as a series of its own.
    let brew = reqwest::Method::from_bytes(b"BREWCOFFEE").unwrap();
    let r = s
        .http
        .request(brew, s.at("/api/skills"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);

    // No token, a wrong one: refused, saying what is needed.
    let r = s.http.get(s.at("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let e: serde_json::Value = r.json().await.unwrap();
    assert!(e["error"].as_str().unwrap().contains("Bearer"), "{e}");
    let r = s
        .http
        .get(s.at("/metrics"))
        .bearer_auth("wrong")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);

    let r = s
        .http
        .get(s.at("/metrics"))
        .bearer_auth("metrics-secret")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = r.text().await.unwrap();
    for series in [
        r#"spm_http_requests_total{route="/api/skills",method="POST",status="201"}"#,
        r#"spm_http_requests_total{route="/api/skills",method="POST",status="403"}"#,
        r#"spm_http_requests_total{route="/api/skills/{author}/{name}/download",method="GET",status="200"}"#,
        r#"spm_http_request_duration_seconds_bucket{route="/api/skills",method="POST",le="0.005"}"#,
        r#"spm_publishes_total{verdict="clean"}"#,
        r#"spm_publishes_total{verdict="flagged"}"#,
        r#"spm_plugin_calls_total{plugin="secrets-scanner"}"#,
        r#"spm_plugin_call_duration_seconds_count{plugin="secrets-scanner"}"#,
        r#"spm_publishes_total{verdict="blocked"}"#,
        r#"spm_publishes_total{verdict="refused"}"#,
        r#"spm_scans_total{stage="publish"}"#,
        r#"spm_scan_duration_seconds_count{stage="publish"}"#,
        r#"spm_blob_bytes_total{direction="in"}"#,
        r#"spm_blob_bytes_total{direction="out"}"#,
        r#"spm_db_pool_connections{state="idle"}"#,
        r#"spm_db_pool_connections{state="in_use"}"#,
    ] {
        assert!(text.contains(series), "{series} missing from:\n{text}");
    }
    // Routes are patterns, never raw paths (a series per skill would never end).
    assert!(!text.contains("alice/tidy"), "{text}");
    assert!(!text.contains("BREWCOFFEE"), "{text}");
    assert!(text.contains(r#"method="other""#), "{text}");
    s.stop().await;
}

async fn metrics_off_without_configuration(s: &Server) {
    let r = s
        .http
        .get(s.at("/metrics"))
        .bearer_auth("anything")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let e: serde_json::Value = r.json().await.unwrap();
    assert!(
        e["error"].as_str().unwrap().contains("SPM_METRICS_TOKEN"),
        "{e}"
    );
}

on_both!(metrics);
on_both_started!(metrics_off_without_configuration);
