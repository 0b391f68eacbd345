//! The web UI over real HTTP: the search page and skill pages show safety status, trust
//! level and findings; skill text is rendered safely; blocked versions show only why.

use crate::common::{Server, pack_skill};
use serde_json::json;

/// Packs a skill with `body` after its frontmatter, and extra files.
fn skill(name: &str, version: &str, body: &str, files: &[(&str, &str)]) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join(name);
    std::fs::create_dir(&root).unwrap();
    std::fs::write(
        root.join("SKILL.md"),
        format!("---\nname: {name}\ndescription: The {name} skill.\nversion: {version}\nlicense: MIT\n---\n{body}"),
    )
    .unwrap();
    for (p, t) in files {
        std::fs::write(root.join(p), t).unwrap();
    }
    spm_core::package::pack(&root, &Default::default())
        .unwrap()
        .bytes
}

async fn page(s: &Server, path: &str) -> (u16, String, String) {
    let r = s.http.get(s.at(path)).send().await.unwrap();
    let status = r.status().as_u16();
    let ty = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    (status, ty, r.text().await.unwrap())
}

async fn pages_show_safety_and_trust(s: &Server) {
    let t = s.register("alice").await;
    let body = "# PDF tools\n\nUse **pdftotext**.\n\n<script>alert('x')</script>\n<img src=x onerror=alert(1)>\n<a href=\"javascript:alert(1)\">docs</a>\n";
    let r = s
        .publish(&t, skill("pdf-tools", "1.0.0", body, &[]), json!({}))
        .await;
    assert_eq!(r.status(), 201);
    let r = s
        .publish(
            &t,
            skill(
                "shared-dir",
                "1.0.0",
                "Run setup.sh.\n",
                &[("setup.sh", "#!/bin/sh\nchmod 777 /opt/shared\n")],
            ),
            json!({}),
        )
        .await;
    assert_eq!(r.status(), 201);

    // The front page lists both, with their badges; search narrows it.
    let (st, ty, html) = page(s, "/").await;
    assert_eq!(st, 200);
    assert!(ty.starts_with("text/html"), "{ty}");
    assert!(html.contains("alice/pdf-tools") && html.contains("alice/shared-dir"));
    assert!(html.contains("safety: clean") && html.contains("safety: flagged"));
    assert!(html.contains("trust: community"));
    let (_, _, html) = page(s, "/?q=pdf").await;
    assert!(html.contains("alice/pdf-tools") && !html.contains("alice/shared-dir"));
    assert!(html.contains("1 skill matching"), "{html}");

    // A clean skill: badges, install command, the rendered text without anything active.
    let (st, _, html) = page(s, "/skills/alice/pdf-tools").await;
    assert_eq!(st, 200);
    assert!(html.contains("safety: clean") && html.contains("trust: community"));
    assert!(html.contains("spm add alice/pdf-tools"));
    assert!(html.contains("<h1>PDF tools</h1>") && html.contains("<strong>pdftotext</strong>"));
    for bad in ["<script>alert", "onerror", "href=\"javascript"] {
        assert!(!html.contains(bad), "{bad} reached the page");
    }
    assert!(!html.contains("name: pdf-tools"), "frontmatter shown");

    // A flagged skill: a warning, the findings with file and line, and --allow-flagged.
    let (_, _, html) = page(s, "/skills/alice/shared-dir").await;
    assert!(html.contains("Flagged by the safety scan"));
    assert!(html.contains("--allow-flagged"));
    assert!(html.contains("escalation/world-writable") && html.contains("setup.sh:2"));

    // An admin trusts one skill and blocks the other: the pages follow.
    let admin = |m: reqwest::Method, path: &str, body: serde_json::Value| {
        s.http
            .request(m, s.at(path))
            .bearer_auth("bootstrap-secret-for-tests")
            .json(&body)
            .send()
    };
    let r = admin(
        reqwest::Method::PUT,
        "/api/admin/trust/alice/pdf-tools",
        json!({"level": "trusted"}),
    )
    .await
    .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let (_, _, html) = page(s, "/skills/alice/pdf-tools").await;
    assert!(html.contains("trust: trusted"));
    let r = admin(
        reqwest::Method::POST,
        "/api/admin/review/alice/shared-dir/1.0.0",
        json!({"action": "block", "reason": "writes a world-writable directory"}),
    )
    .await
    .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
    let (st, _, html) = page(s, "/skills/alice/shared-dir").await;
    assert_eq!(st, 200);
    assert!(html.contains("blocked and is not served"));
    assert!(
        !html.contains("Run setup.sh"),
        "a blocked version's text was shown"
    );
    assert!(!html.contains("spm add alice/shared-dir"));

    // Versions link to their own page; unknown ones are a 404 page.
    let r = s
        .publish(&t, pack_skill("pdf-tools", "1.1.0", ""), json!({}))
        .await;
    assert_eq!(r.status(), 201);
    let (_, _, html) = page(s, "/skills/alice/pdf-tools").await;
    assert!(html.contains("/skills/alice/pdf-tools?version=1.0.0"));
    let (st, _, html) = page(s, "/skills/alice/pdf-tools?version=1.0.0").await;
    assert_eq!(st, 200);
    assert!(html.contains("spm add alice/pdf-tools@1.0.0"));
    let (st, ty, html) = page(s, "/skills/alice/pdf-tools?version=9.9.9").await;
    assert_eq!(st, 404);
    assert!(ty.starts_with("text/html") && html.contains("has no version 9.9.9"));
    let (st, _, html) = page(s, "/skills/nobody/nothing").await;
    assert_eq!(st, 404);
    assert!(html.contains("no skill `nobody/nothing`"));
    let (st, _, _) = page(s, "/no/such/page").await;
    assert_eq!(st, 404);
    // The API keeps answering in JSON.
    let (st, v) = s.get_json("/api/no-such-endpoint").await;
    assert_eq!(st, 404);
    assert_eq!(v["code"], "not_found");
}

on_both_started!(pages_show_safety_and_trust);
