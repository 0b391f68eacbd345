//! GitHub sign-in (device flow) over real HTTP against a local fake GitHub that speaks
//! GitHub's protocol: `/login/device/code`, `/login/oauth/access_token`, `/user`.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use crate::common::{DbKind, Options, Server, pack_skill};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing;
use axum::{Json, Router};
use serde_json::{Value, json};
use spm_host::config::GithubConfig;

/// What the fake answers to each token poll, in order.
#[derive(Clone, Default)]
struct Fake {
    polls: Arc<Mutex<VecDeque<Value>>>,
}

/// An `application/x-www-form-urlencoded` body, as GitHub reads it.
fn form(body: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect()
}

async fn device_code(body: String) -> (StatusCode, Json<Value>) {
    let f = form(&body);
    if !f.contains(&("client_id".into(), "test-client".into())) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "incorrect_client_credentials"})),
        );
    }
    (
        StatusCode::OK,
        Json(json!({
            "device_code": "dc-1", "user_code": "WDJB-MJHT",
            "verification_uri": "https://github.example/login/device",
            "expires_in": 900, "interval": 5
        })),
    )
}

async fn access_token(State(fake): State<Fake>, body: String) -> Json<Value> {
    let f = form(&body);
    assert!(f.contains(&(
        "grant_type".into(),
        "urn:ietf:params:oauth:grant-type:device_code".into()
    )));
    assert!(f.contains(&("device_code".into(), "dc-1".into())));
    let next = fake.polls.lock().unwrap().pop_front();
    Json(next.unwrap_or(json!({"error": "authorization_pending"})))
}

async fn user(headers: HeaderMap) -> (StatusCode, Json<Value>) {
    match headers.get("authorization").and_then(|v| v.to_str().ok()) {
        Some("Bearer gho_octo") => (StatusCode::OK, Json(json!({"login": "Octo-Cat", "id": 42}))),
        Some("Bearer gho_mallory") => (StatusCode::OK, Json(json!({"login": "mallory", "id": 7}))),
        Some("Bearer gho_admin") => (StatusCode::OK, Json(json!({"login": "Admin", "id": 9}))),
        _ => (
            StatusCode::UNAUTHORIZED,
            Json(json!({"message": "Bad credentials"})),
        ),
    }
}

async fn fake_github() -> (String, Fake) {
    let fake = Fake::default();
    let app = Router::new()
        .route("/login/device/code", routing::post(device_code))
        .route("/login/oauth/access_token", routing::post(access_token))
        .route("/user", routing::get(user))
        .with_state(fake.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    (url, fake)
}

async fn post(s: &Server, path: &str, body: Value) -> (u16, Value) {
    let r = s.http.post(s.at(path)).json(&body).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
}

/// A new sign-in whose first token poll GitHub answers with `answer`; the poll's status and body.
async fn sign_in_once(s: &Server, fake: &Fake, answer: Value) -> (u16, Value) {
    let (_, start) = post(s, "/auth/github/device", json!({})).await;
    fake.polls.lock().unwrap().push_back(answer);
    post(
        s,
        "/auth/github/device/poll",
        json!({"session_id": start["session_id"]}),
    )
    .await
}

async fn device_flow_signs_in_and_links_accounts(db: DbKind) {
    let (gh, fake) = fake_github().await;
    let Some(s) = Server::start_with(Options {
        github: Some(GithubConfig {
            client_id: "test-client".into(),
            client_secret: None,
            web_url: gh.clone(),
            api_url: gh,
        }),
        ..Options::new(db)
    })
    .await
    else {
        return;
    };
    let script = |answers: &[Value]| fake.polls.lock().unwrap().extend(answers.iter().cloned());

    // Start: the code and where to enter it, in the existing client's shape.
    let (st, start) = post(&s, "/auth/github/device", json!({})).await;
    assert_eq!(st, 200, "{start}");
    assert_eq!(start["user_code"], "WDJB-MJHT");
    assert_eq!(
        start["verification_uri"],
        "https://github.example/login/device"
    );
    assert_eq!(start["interval"], 5);
    let session = start["session_id"].as_str().unwrap().to_string();

    // Pending, then GitHub asks to slow down, then the user has entered the code.
    script(&[
        json!({"error": "authorization_pending"}),
        json!({"error": "slow_down", "interval": 10}),
        json!({"access_token": "gho_octo", "token_type": "bearer", "scope": "read:user"}),
    ]);
    let poll = json!({ "session_id": session });
    let (st, v) = post(&s, "/auth/github/device/poll", poll.clone()).await;
    assert_eq!((st, v["status"].as_str()), (200, Some("pending")));
    let (_, v) = post(&s, "/auth/github/device/poll", poll.clone()).await;
    assert_eq!(v["interval"], 10);
    let (st, v) = post(&s, "/auth/github/device/poll", poll.clone()).await;
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["status"], "complete");
    assert_eq!(v["author"]["name"], "octo-cat");
    let token = v["token"].as_str().unwrap().to_string();
    let first_id = v["author"]["id"].clone();
    // The token publishes as that account; the session is used up.
    let r = s
        .publish(&token, pack_skill("hello", "1.0.0", ""), json!({}))
        .await;
    assert_eq!(r.status(), 201);
    let (_, e) = s.get_json("/api/skills/octo-cat/hello").await;
    assert_eq!(e["author"], "octo-cat");
    assert_eq!(post(&s, "/auth/github/device/poll", poll).await.0, 404);

    // Signing in again finds the same account by GitHub id.
    let (_, v) = sign_in_once(&s, &fake, json!({"access_token": "gho_octo"})).await;
    assert_eq!(v["author"]["id"], first_id);

    // An account that only claimed a GitHub name at registration is never taken over.
    let (st, _) = post(
        &s,
        "/api/auth/register",
        json!({"name": "mallory", "github_username": "mallory"}),
    )
    .await;
    assert_eq!(st, 201);
    let (st, v) = sign_in_once(&s, &fake, json!({"access_token": "gho_mallory"})).await;
    assert_eq!(st, 409, "{v}");
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains("not linked to GitHub")
    );

    // A GitHub login that is a reserved name does not become an account.
    let (st, v) = sign_in_once(&s, &fake, json!({"access_token": "gho_admin"})).await;
    assert_eq!(st, 403, "{v}");
    assert_eq!(v["code"], "reserved_name", "{v}");

    // Expired and cancelled codes, unknown sessions.
    let (st, v) = sign_in_once(&s, &fake, json!({"error": "expired_token"})).await;
    assert_eq!(st, 410, "{v}");
    let (st, _) = sign_in_once(&s, &fake, json!({"error": "access_denied"})).await;
    assert_eq!(st, 403);
    let (st, _) = post(
        &s,
        "/auth/github/device/poll",
        json!({"session_id": "ds_nope"}),
    )
    .await;
    assert_eq!(st, 404);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn device_flow_sqlite() {
    device_flow_signs_in_and_links_accounts(DbKind::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn device_flow_postgres() {
    device_flow_signs_in_and_links_accounts(DbKind::Postgres).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn without_github_configured_it_says_so() {
    let Some(s) = Server::start(DbKind::Sqlite).await else {
        return;
    };
    let (st, v) = post(&s, "/auth/github/device", json!({})).await;
    assert_eq!(st, 501);
    assert!(v["error"].as_str().unwrap().contains("GITHUB_CLIENT_ID"));
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_unreachable_github_is_a_502_naming_it() {
    let Some(s) = Server::start_with(Options {
        github: Some(GithubConfig {
            client_id: "test-client".into(),
            client_secret: None,
            web_url: "http://127.0.0.1:9".into(),
            api_url: "http://127.0.0.1:9".into(),
        }),
        ..Options::new(DbKind::Sqlite)
    })
    .await
    else {
        return;
    };
    let (st, v) = post(&s, "/auth/github/device", json!({})).await;
    assert_eq!(st, 502);
    assert!(v["error"].as_str().unwrap().contains("127.0.0.1:9"), "{v}");
    s.stop().await;
}
