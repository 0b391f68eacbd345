//! Limits against abuse: publishing limits per account that hold across two instances on
//! one database, and per-IP limits on registrations and anonymous reads; each refusal is a
//! 429 with `Retry-After` and names its limit.

use std::time::Duration;

use serde_json::json;
use spm_host::limits::{Rate, RateLimits};

use crate::common::{DbKind, Options, Server, pack_skill};

fn rate(burst: u32) -> Option<Rate> {
    Some(Rate {
        burst,
        per: Duration::from_secs(3600),
    })
}

async fn assert_limited(r: reqwest::Response, limit: &str) {
    assert_eq!(r.status(), 429, "expected the {limit} limit");
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(wait > 0);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited", "{body}");
    assert_eq!(body["details"]["limit"], limit, "{body}");
    assert!(
        body["error"].as_str().unwrap().contains("try again in"),
        "{body}"
    );
}

async fn publish_limits_hold_across_instances(db: DbKind) {
    let mut opts = Options::new(db);
    opts.rate_limits = RateLimits {
        new_skills: rate(2),
        new_versions: rate(3),
        ..RateLimits::off()
    };
    let Some(a) = Server::start_with(opts.clone()).await else {
        return;
    };
    opts.database_url = Some(a.state.config.database_url.clone());
    let b = Server::start_with(opts).await.unwrap();
    let t = a.register("alice").await;
    async fn publish_on(s: &Server, t: &str, name: &str, version: &str) -> reqwest::Response {
        s.publish(t, pack_skill(name, version, ""), json!({})).await
    }
    let publish = |s, name, version| publish_on(s, &t, name, version);
    assert_eq!(publish(&a, "one", "1.0.0").await.status(), 201);
    assert_eq!(publish(&b, "two", "1.0.0").await.status(), 201);
    assert_limited(publish(&a, "three", "1.0.0").await, "new-skills").await;
    assert_limited(publish(&b, "three", "1.0.0").await, "new-skills").await;
    // New versions have their own bucket, shared by both instances too.
    assert_eq!(publish(&b, "one", "1.0.1").await.status(), 201);
    assert_eq!(publish(&a, "one", "1.0.2").await.status(), 201);
    assert_eq!(publish(&b, "two", "1.0.1").await.status(), 201);
    assert_limited(publish(&a, "one", "1.0.3").await, "new-versions").await;
    // Nothing of the refused publishes was stored.
    let (status, v) = a.get_json("/api/skills/alice/one/versions").await;
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["versions"].as_array().unwrap().len(), 3, "{v}");
    // Another account has its own buckets.
    let bob = b.register("bob").await;
    let r = b
        .publish(&bob, pack_skill("mine", "1.0.0", ""), json!({}))
        .await;
    assert_eq!(r.status(), 201);
    let text = spm_host::metrics::handle().render();
    assert!(
        text.contains(r#"spm_rate_limited_total{limit="new-skills"}"#),
        "{text}"
    );
    b.stop().await;
    a.stop().await;
}

async fn per_ip_limits(db: DbKind) {
    let mut opts = Options::new(db);
    opts.rate_limits = RateLimits {
        registrations: rate(2),
        logins: rate(2),
        reads: rate(3),
        ..RateLimits::off()
    };
    let Some(s) = Server::start_with(opts).await else {
        return;
    };
    let token = s.register("carol").await;
    // Starting a GitHub sign-in counts; its polls do not.
    let device = |path: &str| s.http.post(s.at(path)).json(&json!({})).send();
    for _ in 0..2 {
        assert_ne!(device("/auth/github/device").await.unwrap().status(), 429);
    }
    assert_limited(device("/auth/github/device").await.unwrap(), "logins").await;
    for _ in 0..5 {
        assert_ne!(
            device("/auth/github/device/poll").await.unwrap().status(),
            429
        );
    }
    let _ = s.register("dave").await;
    let r = s.register_response("erin").await;
    assert_limited(r, "registrations").await;
    let search = || s.http.get(s.at("/api/skills/search?q=x"));
    for _ in 0..3 {
        assert_eq!(search().send().await.unwrap().status(), 200);
    }
    assert_limited(search().send().await.unwrap(), "reads").await;
    // A token, made up or real, does not skip the limit (it is checked before the token).
    let r = search().bearer_auth("made-up").send().await.unwrap();
    assert_limited(r, "reads").await;
    let r = search().bearer_auth(&token).send().await.unwrap();
    assert_limited(r, "reads").await;
    s.stop().await;
}

/// A publish refused before it could store anything (the version exists) uses up no token:
/// rerunning `spm publish --all` over published skills must not hit the limit.
async fn refused_publishes_use_no_token(db: DbKind) {
    let mut opts = Options::new(db);
    opts.rate_limits = RateLimits {
        new_versions: rate(1),
        ..RateLimits::off()
    };
    let Some(s) = Server::start_with(opts).await else {
        return;
    };
    let alice = s.user("alice").await;
    assert_eq!(alice.publish("again", "1.0.0", "").await.status(), 201);
    for _ in 0..3 {
        assert_eq!(alice.publish("again", "1.0.0", "").await.status(), 409);
    }
    assert_eq!(alice.publish("again", "1.1.0", "").await.status(), 201);
    assert_limited(alice.publish("again", "1.2.0", "").await, "new-versions").await;
    s.stop().await;
}

on_both!(
    publish_limits_hold_across_instances,
    per_ip_limits,
    refused_publishes_use_no_token
);

#[test]
fn limits_are_configured_as_written() {
    use spm_host::config::{Config, Overrides};
    let env = |pairs: &'static [(&'static str, &'static str)]| {
        move |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        }
    };
    let c = Config::load(
        &Overrides::default(),
        &env(&[
            ("SPM_RATE_NEW_SKILLS", "3/1h"),
            ("SPM_RATE_READS", "off"),
            ("SPM_TRUST_PROXY", "1"),
        ]),
    )
    .unwrap();
    assert_eq!(
        c.rate_limits.new_skills,
        Some(Rate {
            burst: 3,
            per: Duration::from_secs(3600)
        })
    );
    assert_eq!(c.rate_limits.reads, None);
    assert!(c.rate_limits.trust_proxy);
    // Unset: crates.io's publish limits.
    assert_eq!(
        c.rate_limits.new_versions,
        Some(Rate {
            burst: 30,
            per: Duration::from_secs(60)
        })
    );
    let e = Config::load(&Overrides::default(), &env(&[("SPM_RATE_LOGINS", "lots")]))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("SPM_RATE_LOGINS") && e.contains("BURST/INTERVAL"),
        "{e}"
    );
}
