//! Private skills and organisations over real HTTP, on SQLite and PostgreSQL: a private
//! skill is a 404 to everyone outside its namespace on every route (REST, search, GraphQL,
//! web pages, downloads, archives, feedback), and organisations publish, share and scope
//! tokens by role, with every membership change in the audit log.

use crate::common::{Caller, Server, pack_skill};
use serde_json::{Value, json};

/// Publishes through the multipart API with a `visibility` part, as the existing client does.
async fn publish_multipart(
    c: &Caller<'_>,
    name: &str,
    version: &str,
    extra: &str,
    vis: &str,
) -> u16 {
    let metadata = json!({ "manifest": {}, "content": "" });
    let form = reqwest::multipart::Form::new()
        .text("metadata", metadata.to_string())
        .text("visibility", vis.to_string())
        .part(
            "archive",
            reqwest::multipart::Part::bytes(pack_skill(name, version, extra))
                .file_name("skill.tar.gz"),
        );
    let s = c.server;
    let mut r = s.http.post(s.at("/api/skills")).multipart(form);
    if let Some(t) = &c.token {
        r = r.bearer_auth(t);
    }
    r.send().await.unwrap().status().as_u16()
}

/// Publishes through the JSON API (`{manifest, content, visibility}`), as the existing
/// client's JSON form does.
async fn publish_json(
    c: &Caller<'_>,
    name: &str,
    version: &str,
    extra: &str,
    vis: Option<&str>,
) -> (u16, Value) {
    let content = crate::common::skill_md(name, version, extra);
    let mut body = json!({ "manifest": { "name": name, "version": version }, "content": content });
    if let Some(v) = vis {
        body["visibility"] = v.into();
    }
    c.post_json("/api/skills", body).await
}

async fn gql(c: &Caller<'_>, query: &str) -> Value {
    let s = c.server;
    let mut r = s
        .http
        .post(s.at("/graphql"))
        .json(&json!({ "query": query }));
    if let Some(t) = &c.token {
        r = r.bearer_auth(t);
    }
    let r = r.send().await.unwrap();
    assert_eq!(r.status(), 200);
    r.json().await.unwrap()
}

async fn page(c: &Caller<'_>, path: &str) -> (u16, String) {
    let s = c.server;
    let mut r = s.http.get(s.at(path));
    if let Some(t) = &c.token {
        r = r.bearer_auth(t);
    }
    let r = r.send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// Every read route for `author/name`, as `c`: statuses in order.
async fn reads(c: &Caller<'_>, id: &str, blob: &str) -> Vec<u16> {
    let mut out = Vec::new();
    for path in [
        format!("/api/skills/{id}"),
        format!("/api/skills/{id}/versions"),
        format!("/api/skills/{id}/content"),
        format!("/api/skills/{id}/download"),
        format!("/skills/{id}"),
        blob.to_string(),
    ] {
        out.push(if path.starts_with("/skills/") {
            page(c, &path).await.0
        } else {
            c.get_json(&path).await.0
        });
    }
    let (st, _) = c
        .post_json(
            &format!("/api/skills/{id}/feedback"),
            json!({ "result": "success" }),
        )
        .await;
    out.push(st);
    out
}

/// Whether a search (REST, GraphQL and the web home page) as `c` finds `name`.
async fn found(c: &Caller<'_>, name: &str) -> [bool; 4] {
    let (_, rest) = c.get_json(&format!("/api/skills/search?q={name}")).await;
    let rest = rest["skills"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == name);
    let (_, by_author) = c
        .get_json("/api/skills/search?author=alice&per_page=100")
        .await;
    let by_author = by_author["skills"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == name);
    let g = gql(
        c,
        &format!(r#"{{ search(query: "{name}") {{ skills {{ name }} }} }}"#),
    )
    .await;
    let g = g["data"]["search"]["skills"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == name);
    let (_, home) = page(c, "/").await;
    [rest, by_author, g, home.contains(&format!("alice/{name}"))]
}

async fn private_skills_exist_only_for_their_owner(s: &Server) {
    let alice = s.user("alice").await;
    let bob = s.user("bob").await;
    let anon = s.anon();
    assert_eq!(
        publish_multipart(&alice, "hidden-tool", "1.0.0", "", "private").await,
        201
    );
    let (st, v) = publish_json(&alice, "hidden-notes", "1.0.0", "", Some("private")).await;
    assert_eq!(st, 201, "{v}");
    assert_eq!(alice.publish("open-tool", "1.0.0", "").await.status(), 201);

    // The owner reads it everywhere, and sees that it is private.
    let (st, entry) = alice.get_json("/api/skills/alice/hidden-tool").await;
    assert_eq!((st, entry["visibility"].as_str()), (200, Some("private")));
    let (_, dl) = alice
        .get_json("/api/skills/alice/hidden-tool/download")
        .await;
    let url = dl["download_url"].as_str().unwrap().to_string();
    let blob = url
        .split_once("/api/blobs/")
        .map(|(_, f)| format!("/api/blobs/{f}"))
        .unwrap();
    let owner_reads = reads(&alice, "alice/hidden-tool", &blob).await;
    assert_eq!(owner_reads, [200, 200, 200, 200, 200, 200, 204]);
    // Its archive is kept out of shared caches; a public one is cached for good.
    let cache = |r: reqwest::Response| r.headers()["cache-control"].to_str().unwrap().to_string();
    let r = s
        .http
        .get(s.at(&blob))
        .bearer_auth(alice.token.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(cache(r), "private, no-store");
    let (_, open) = anon.get_json("/api/skills/alice/open-tool/download").await;
    let r = s
        .http
        .get(open["download_url"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(cache(r), "public, max-age=31536000, immutable");
    assert_eq!(found(&alice, "hidden-tool").await, [true; 4]);
    let g = gql(
        &alice,
        r#"{ skill(author: "alice", name: "hidden-notes") { name visibility versions { version } } }"#,
    )
    .await;
    assert_eq!(g["data"]["skill"]["versions"][0]["version"], "1.0.0", "{g}");
    assert_eq!(g["data"]["skill"]["visibility"], "private", "{g}");

    // Everyone else gets what a skill that does not exist gets.
    for c in [&bob, &anon] {
        assert_eq!(reads(c, "alice/hidden-tool", &blob).await, [404; 7]);
        assert_eq!(found(c, "hidden-tool").await, [false; 4]);
        assert_eq!(found(c, "hidden-notes").await, [false; 4]);
        assert_eq!(found(c, "open-tool").await, [true; 4]);
        let g = gql(
            c,
            r#"{ skill(author: "alice", name: "hidden-tool") { name } }"#,
        )
        .await;
        assert!(g["data"]["skill"].is_null(), "{g}");
    }
    let (_, private) = bob.get_json("/api/skills/alice/hidden-tool").await;
    let (_, missing) = bob.get_json("/api/skills/alice/no-such-tool").await;
    assert_eq!(
        private["error"]
            .as_str()
            .map(|m| m.replace("hidden-tool", "X")),
        missing["error"]
            .as_str()
            .map(|m| m.replace("no-such-tool", "X")),
        "a private skill's 404 says no more than a missing one's"
    );
    let (_, total_anon) = anon.get_json("/api/skills/search").await;
    let (_, total_alice) = alice.get_json("/api/skills/search").await;
    assert_eq!(
        (total_anon["total"].as_i64(), total_alice["total"].as_i64()),
        (Some(1), Some(3))
    );
    // Not theirs to yank either.
    let (st, _) = bob
        .post_json(
            "/api/skills/alice/hidden-tool/versions/1.0.0/yank",
            json!({}),
        )
        .await;
    assert_eq!(st, 404);

    // Bad values say what is allowed; a public skill cannot depend on a private one.
    assert_eq!(
        publish_multipart(&alice, "odd", "1.0.0", "", "secret").await,
        400
    );
    let (st, v) = publish_json(&alice, "odd", "1.0.0", "", Some("hidden")).await;
    assert_eq!(
        (st, v["code"].as_str()),
        (400, Some("invalid_visibility")),
        "{v}"
    );
    let dep = "dependencies:\n  alice/hidden-tool: ^1.0.0\n";
    let (st, v) = publish_json(&alice, "needs-hidden", "1.0.0", dep, None).await;
    assert_eq!(
        (st, v["code"].as_str()),
        (400, Some("private_dependency")),
        "{v}"
    );
    let (st, v) = publish_json(&alice, "needs-hidden", "1.0.0", dep, Some("private")).await;
    assert_eq!(st, 201, "{v}");
    // Nor can anyone else depend on it: to them it does not exist.
    let (st, v) = publish_json(&bob, "uses-alice", "1.0.0", dep, None).await;
    assert_eq!(
        (st, v["code"].as_str()),
        (400, Some("unknown_dependency")),
        "{v}"
    );

    // A new version keeps the skill private; `public` opens it to everyone.
    let (st, _) = publish_json(&alice, "hidden-tool", "1.1.0", "", None).await;
    assert_eq!(st, 201);
    assert_eq!(anon.get_json("/api/skills/alice/hidden-tool").await.0, 404);
    let (st, _) = publish_json(&alice, "hidden-tool", "1.2.0", "", Some("public")).await;
    assert_eq!(st, 201);
    let (st, entry) = anon.get_json("/api/skills/alice/hidden-tool").await;
    assert_eq!(
        (st, entry["visibility"].as_str(), entry["version"].as_str()),
        (200, Some("public"), Some("1.2.0"))
    );
}

async fn put(c: &Caller<'_>, path: &str, body: Value) -> (u16, Value) {
    let s = c.server;
    let r = s
        .http
        .put(s.at(path))
        .bearer_auth(c.token.as_deref().unwrap())
        .json(&body)
        .send()
        .await
        .unwrap();
    let st = r.status().as_u16();
    (st, r.json().await.unwrap_or(Value::Null))
}

async fn organisations_publish_share_and_scope_tokens(s: &Server) {
    let alice = s.user("alice").await;
    let bob = s.user("bob").await;
    let carol = s.user("carol").await;
    let dave = s.user("dave").await;

    // Creating: a name like an account's, unique among accounts and organisations.
    let (st, v) = alice
        .post_json("/api/orgs", json!({ "name": "acme" }))
        .await;
    assert_eq!((st, v["role"].as_str()), (201, Some("owner")), "{v}");
    for (name, want) in [
        ("acme", 409),
        ("bob", 409),
        ("Acme Corp", 400),
        ("admin", 403),
    ] {
        let (st, v) = dave.post_json("/api/orgs", json!({ "name": name })).await;
        assert_eq!(st, want, "{name}: {v}");
    }
    assert_eq!(
        s.register_response("acme").await.status(),
        409,
        "an organisation's name is taken"
    );
    let err = spm_host::server::create_admin(&s.state.config, "acme")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("is an organisation"), "{err}");

    // Members and roles: only owners manage them.
    assert_eq!(
        put(
            &alice,
            "/api/orgs/acme/members/bob",
            json!({ "role": "publisher" })
        )
        .await
        .0,
        200
    );
    assert_eq!(
        put(
            &alice,
            "/api/orgs/acme/members/carol",
            json!({ "role": "reader" })
        )
        .await
        .0,
        200
    );
    let (st, v) = put(
        &alice,
        "/api/orgs/acme/members/carol",
        json!({ "role": "boss" }),
    )
    .await;
    assert_eq!((st, v["code"].as_str()), (400, Some("invalid_role")));
    let (st, v) = put(
        &bob,
        "/api/orgs/acme/members/dave",
        json!({ "role": "reader" }),
    )
    .await;
    assert_eq!((st, v["code"].as_str()), (403, Some("not_owner")), "{v}");
    assert_eq!(
        put(
            &alice,
            "/api/orgs/acme/members/nobody",
            json!({ "role": "reader" })
        )
        .await
        .0,
        404
    );
    let (st, members) = carol.get_json("/api/orgs/acme/members").await;
    assert_eq!(st, 200);
    let roles: Vec<(String, String)> = members
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["name"].as_str().unwrap().into(),
                m["role"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        roles,
        [
            ("alice".into(), "owner".into()),
            ("bob".into(), "publisher".into()),
            ("carol".into(), "reader".into())
        ]
    );
    assert_eq!(
        dave.get_json("/api/orgs/acme/members").await.0,
        404,
        "outsiders see no members"
    );
    let (_, mine) = bob.get_json("/api/orgs").await;
    assert_eq!(mine, json!([{ "org": "acme", "role": "publisher" }]));

    // Publishing into the organisation's namespace: publishers and owners only.
    assert_eq!(
        publish_multipart(&bob, "deploy", "1.0.0", "author: acme\n", "private").await,
        201
    );
    let (st, v) = publish_json(&carol, "notes", "1.0.0", "author: acme\n", None).await;
    assert_eq!((st, v["code"].as_str()), (403, Some("not_owner")), "{v}");
    assert!(v["error"].as_str().unwrap().contains("reader"), "{v}");
    let (st, v) = publish_json(&dave, "notes", "1.0.0", "author: acme\n", None).await;
    assert_eq!(st, 403, "{v}");
    assert!(v["error"].as_str().unwrap().contains("not a member"), "{v}");

    // The organisation's private skill: every member sees it, no one else does.
    for (c, want) in [
        (&alice, 200),
        (&bob, 200),
        (&carol, 200),
        (&dave, 404),
        (&s.anon(), 404),
    ] {
        assert_eq!(c.get_json("/api/skills/acme/deploy/download").await.0, want);
    }
    // Publishers yank; the version was published by bob into acme.
    let (st, _) = bob
        .post_json("/api/skills/acme/deploy/versions/1.0.0/yank", json!({}))
        .await;
    assert_eq!(st, 200);
    let (st, _) = carol
        .post_json("/api/skills/acme/deploy/versions/1.0.0/yank", json!({}))
        .await;
    assert_eq!(st, 403, "a reader cannot yank");

    // Tokens scoped to the organisation publish only there.
    let (st, v) = bob
        .post_json(
            "/api/tokens",
            json!({ "name": "ci", "scope": "publish", "org": "acme" }),
        )
        .await;
    assert_eq!(st, 201, "{v}");
    let ci = s.with_token(v["token"].as_str().unwrap());
    let (st, v) = publish_json(&ci, "own-thing", "1.0.0", "", None).await;
    assert_eq!((st, v["code"].as_str()), (403, Some("token_scope")), "{v}");
    let (st, v) = publish_json(&ci, "release", "1.0.0", "author: acme\n", None).await;
    assert_eq!(st, 201, "{v}");
    // ...and acts only there: not on the account's own skills, tokens or organisations.
    assert_eq!(
        publish_multipart(&bob, "mine", "1.0.0", "", "private").await,
        201
    );
    assert_eq!(bob.publish("open", "1.0.0", "").await.status(), 201);
    assert_eq!(ci.get_json("/api/skills/bob/mine").await.0, 404);
    assert_eq!(page(&ci, "/skills/bob/mine").await.0, 404);
    assert!(!page(&ci, "/").await.1.contains("bob/mine"));
    assert_eq!(page(&bob, "/skills/bob/mine").await.0, 200);
    assert_eq!(ci.get_json("/api/skills/acme/deploy").await.0, 200);
    let (st, v) = ci
        .post_json("/api/skills/bob/open/versions/1.0.0/yank", json!({}))
        .await;
    assert_eq!((st, v["code"].as_str()), (403, Some("token_scope")), "{v}");
    for (st, v) in [
        ci.get_json("/api/tokens").await,
        ci.get_json("/api/skills/mine").await,
        ci.post_json("/api/orgs", json!({ "name": "ci-made" }))
            .await,
    ] {
        assert_eq!((st, v["code"].as_str()), (403, Some("token_scope")), "{v}");
    }
    // A private skill depends only on public ones or its own namespace's.
    let dep = "author: acme\ndependencies:\n  bob/mine: ^1.0.0\n";
    let (st, v) = publish_json(&bob, "uses-mine", "1.0.0", dep, Some("private")).await;
    assert_eq!(
        (st, v["code"].as_str()),
        (400, Some("private_dependency")),
        "{v}"
    );
    assert_eq!(
        bob.delete("/api/skills/acme/deploy/versions/1.0.0/yank")
            .await
            .0,
        200
    );
    let dep = "author: acme\ndependencies:\n  acme/deploy: ^1.0.0\n";
    let (st, v) = publish_json(&bob, "uses-deploy", "1.0.0", dep, Some("private")).await;
    assert_eq!(st, 201, "{v}");
    let (st, v) = carol
        .post_json("/api/tokens", json!({ "scope": "publish", "org": "acme" }))
        .await;
    assert_eq!(
        (st, v["code"].as_str()),
        (403, Some("insufficient_role")),
        "{v}"
    );
    assert_eq!(
        dave.post_json("/api/tokens", json!({ "org": "acme" }))
            .await
            .0,
        404
    );

    // Leaving and removing; the last owner stays.
    let (st, v) = alice.delete("/api/orgs/acme/members/alice").await;
    assert_eq!((st, v["code"].as_str()), (409, Some("last_owner")), "{v}");
    let (st, v) = put(
        &alice,
        "/api/orgs/acme/members/alice",
        json!({ "role": "reader" }),
    )
    .await;
    assert_eq!((st, v["code"].as_str()), (409, Some("last_owner")), "{v}");
    assert_eq!(bob.delete("/api/orgs/acme/members/carol").await.0, 403);
    // A reader's read token for the organisation, made while a member.
    let (st, v) = carol
        .post_json("/api/tokens", json!({ "scope": "read", "org": "acme" }))
        .await;
    assert_eq!(st, 201, "{v}");
    let carol_acme = s.with_token(v["token"].as_str().unwrap());
    assert_eq!(carol_acme.get_json("/api/skills/acme/deploy").await.0, 200);
    assert_eq!(alice.delete("/api/orgs/acme/members/carol").await.0, 204);
    for path in [
        "/api/skills/acme/deploy",
        "/api/skills/acme/deploy/download",
    ] {
        assert_eq!(
            carol_acme.get_json(path).await.0,
            404,
            "a former member's token: {path}"
        );
    }
    assert_eq!(page(&carol_acme, "/skills/acme/deploy").await.0, 404);
    assert_eq!(
        carol.get_json("/api/skills/acme/deploy").await.0,
        404,
        "a former member sees no more"
    );

    // Every change is in the audit log.
    let (_, audit) = s.bootstrap().get_json("/api/admin/audit").await;
    let mut actions: Vec<String> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"].as_str().unwrap().starts_with("org-"))
        .map(|e| {
            format!(
                "{} {} {} {}",
                e["actor"].as_str().unwrap(),
                e["action"].as_str().unwrap(),
                e["target"].as_str().unwrap(),
                e["detail"].as_str().unwrap()
            )
        })
        .collect();
    actions.reverse();
    assert_eq!(
        actions,
        [
            "alice org-create acme ",
            "alice org-add-member acme/bob publisher",
            "alice org-add-member acme/carol reader",
            "bob org-token acme ci publish",
            "carol org-token acme token read",
            "alice org-remove-member acme/carol reader",
        ]
    );

    // Two owners leaving at the same moment: one goes, the other stays as the last owner.
    assert_eq!(
        put(
            &alice,
            "/api/orgs/acme/members/bob",
            json!({ "role": "owner" })
        )
        .await
        .0,
        200
    );
    let (a, b) = tokio::join!(
        alice.delete("/api/orgs/acme/members/alice"),
        bob.delete("/api/orgs/acme/members/bob")
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [204, 409], "{a:?} {b:?}");
    let owner = if a.0 == 204 { &bob } else { &alice };
    let (_, members) = owner.get_json("/api/orgs/acme/members").await;
    let owners = members
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["role"] == "owner")
        .count();
    assert_eq!(owners, 1, "{members}");
}

on_both_started!(
    private_skills_exist_only_for_their_owner,
    organisations_publish_share_and_scope_tokens
);

/// With presigned S3 downloads, a private skill's presigned URL goes only to those who may
/// see it; everyone else gets the 404 a missing skill gets.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn presigned_urls_of_private_skills_go_only_to_their_namespace() {
    let Some(s3) = crate::common::Seaweed::start().await else {
        return;
    };
    let mut opts = crate::common::Options::new(crate::common::DbKind::Sqlite);
    let mut storage = s3.storage("presigned-private");
    if let spm_host::config::StorageConfig::S3 { presign, .. } = &mut storage {
        *presign = true;
    }
    opts.storage = Some(storage);
    let Some(s) = Server::start_with(opts).await else {
        return;
    };
    let alice = s.user("alice").await;
    let bob = s.user("bob").await;
    assert_eq!(
        publish_multipart(&alice, "hidden", "1.0.0", "", "private").await,
        201
    );
    let (st, dl) = alice.get_json("/api/skills/alice/hidden/download").await;
    assert_eq!(st, 200, "{dl}");
    let url = dl["download_url"].as_str().unwrap();
    assert!(url.starts_with(&s3.endpoint), "a presigned S3 URL: {url}");
    let bytes = s.http.get(url).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(
        spm_core::package::Integrity::of(&bytes).to_string(),
        dl["integrity"].as_str().unwrap()
    );
    for c in [&bob, &s.anon()] {
        let (st, v) = c.get_json("/api/skills/alice/hidden/download").await;
        assert_eq!(st, 404, "{v}");
        assert!(v["download_url"].is_null());
    }
    s.stop().await;
}
