//! The GraphQL API over real HTTP, on SQLite and PostgreSQL: skills, versions, findings,
//! dependencies and search, with a blocked version's content withheld.

use crate::common::{Server, pack_skill};
use serde_json::{Value, json};

async fn gql(s: &Server, query: &str) -> Value {
    let r = s
        .http
        .post(s.at("/graphql"))
        .json(&json!({ "query": query }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

async fn queries_skills_versions_findings_and_search(s: &Server) {
    let t = s.register("alice").await;
    for (name, version, extra) in [
        ("pdf-tools", "1.0.0", "tags: [pdf]\n"),
        ("pdf-tools", "1.1.0", "tags: [pdf]\n"),
        (
            "report",
            "1.0.0",
            "dependencies:\n  alice/pdf-tools: ^1.0.0\n",
        ),
    ] {
        let r = s
            .publish(&t, pack_skill(name, version, extra), json!({}))
            .await;
        assert_eq!(r.status(), 201, "{name}@{version}");
    }
    // A flagged one, with a finding at a file and line.
    let archive = crate::common::flagged_archive();
    assert_eq!(s.publish(&t, archive, json!({})).await.status(), 201);

    let v = gql(
        s,
        r#"{ skill(author: "alice", name: "pdf-tools") {
               author name latestVersion safetyStatus trustLevel
               versions { version safetyStatus integrity content } } }"#,
    )
    .await;
    assert!(v["errors"].is_null(), "{v}");
    let skill = &v["data"]["skill"];
    assert_eq!(skill["latestVersion"], "1.1.0");
    assert_eq!(skill["safetyStatus"], "clean");
    assert_eq!(skill["trustLevel"], "community");
    assert_eq!(skill["versions"][0]["version"], "1.1.0");
    assert_eq!(skill["versions"][1]["version"], "1.0.0");
    assert!(
        skill["versions"][0]["integrity"]
            .as_str()
            .unwrap()
            .starts_with("sha256-")
    );
    assert!(
        skill["versions"][0]["content"]
            .as_str()
            .unwrap()
            .contains("# pdf-tools")
    );

    let v = gql(
        s,
        r#"{ skill(author: "alice", name: "report") { versions { dependencies { skill range } } } }"#,
    )
    .await;
    assert_eq!(
        v["data"]["skill"]["versions"][0]["dependencies"],
        json!([{ "skill": "alice/pdf-tools", "range": "^1.0.0" }])
    );

    let v = gql(
        s,
        r#"{ skill(author: "alice", name: "shared-dir") {
               safetyStatus versions { findings { plugin rule severity file line } } } }"#,
    )
    .await;
    assert_eq!(v["data"]["skill"]["safetyStatus"], "flagged");
    let f = &v["data"]["skill"]["versions"][0]["findings"][0];
    assert_eq!(f["rule"], "escalation/world-writable", "{v}");
    assert_eq!(f["file"], "setup.sh");
    assert_eq!(f["line"], 2);
    assert_eq!(f["plugin"], "built-in");

    // Blocked by an admin: its content is withheld, like the REST API.
    let r = s
        .http
        .post(s.at("/api/admin/review/alice/shared-dir/1.0.0"))
        .bearer_auth("bootstrap-secret-for-tests")
        .json(&json!({"action": "block", "reason": "unsafe"}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let v = gql(
        s,
        r#"{ skill(author: "alice", name: "shared-dir") { versions { safetyStatus content } } }"#,
    )
    .await;
    assert_eq!(v["data"]["skill"]["versions"][0]["safetyStatus"], "blocked");
    assert!(v["data"]["skill"]["versions"][0]["content"].is_null());

    // Search with filters and paging; unknown skills are null.
    let v = gql(
        s,
        r#"{ search(query: "pdf", perPage: 5) { total page perPage skills { author name } } }"#,
    )
    .await;
    assert_eq!(v["data"]["search"]["total"], 1, "{v}");
    assert_eq!(v["data"]["search"]["skills"][0]["name"], "pdf-tools");
    assert_eq!(v["data"]["search"]["perPage"], 5);
    let v = gql(s, r#"{ search(tag: "pdf") { total } }"#).await;
    assert_eq!(v["data"]["search"]["total"], 1);
    let v = gql(s, r#"{ skill(author: "nobody", name: "x") { name } }"#).await;
    assert!(v["data"]["skill"].is_null());

    // A bad query says what and where.
    let v = gql(s, r#"{ skill(author: "alice", name: "report") { nope } }"#).await;
    let err = &v["errors"][0];
    assert!(err["message"].as_str().unwrap().contains("nope"), "{v}");
    assert!(err["locations"][0]["line"].is_number());

    // GraphiQL for people.
    let r = s.http.get(s.at("/graphql")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().to_lowercase().contains("graphiql"));
}

on_both_started!(queries_skills_versions_findings_and_search);
