//! Limits against abuse, modelled on crates.io: how many new skills and new versions an
//! account may publish (a burst, then one per interval; kept in the database, so they hold
//! across instances), and how many registrations, sign-ins and anonymous reads one IP
//! address may make (per instance, in memory, with `governor`).
//!
//! Each limit is `BURST/INTERVAL` (`5/10m`: five at once, then one every ten minutes) or
//! `off`, from `SPM_RATE_*` or `[rate_limits]` in spm.toml. A refused request gets `429`,
//! a `Retry-After` header and `{"code": "rate_limited", "details": {"limit": …}}`.

use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use serde::Deserialize;

use crate::api::error::ApiError;
use crate::state::AppState;

/// One limit: `burst` at once, then one every `per`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub burst: u32,
    pub per: Duration,
}

impl Rate {
    /// Reads `5/10m`, `30/1m`, `1000/1ms`; `off` (or `none`, `0`) is no limit.
    pub fn parse(text: &str) -> Result<Option<Rate>, String> {
        let t = text.trim();
        if matches!(t, "off" | "none" | "0" | "") {
            return Ok(None);
        }
        let bad =
            || format!("`{t}` is not a rate: write BURST/INTERVAL (e.g. 5/10m, 30/1m) or off");
        let (burst, per) = t.split_once('/').ok_or_else(bad)?;
        let burst: u32 = burst.trim().parse().map_err(|_| bad())?;
        let per = per.trim();
        let split = per.find(|c: char| !c.is_ascii_digit()).unwrap_or(per.len());
        let n: u64 = per[..split].parse().map_err(|_| bad())?;
        let per = match &per[split..] {
            "ms" => Duration::from_millis(n),
            "s" | "" => Duration::from_secs(n),
            "m" => Duration::from_secs(n * 60),
            "h" => Duration::from_secs(n * 3600),
            _ => return Err(bad()),
        };
        if burst == 0 || per.is_zero() {
            return Err(bad());
        }
        Ok(Some(Rate { burst, per }))
    }
}

/// Every limit; `None` is off.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimits {
    /// New skills per account (database, across instances).
    pub new_skills: Option<Rate>,
    /// New versions of existing skills per account (database, across instances).
    pub new_versions: Option<Rate>,
    /// Account registrations per IP address.
    pub registrations: Option<Rate>,
    /// Sign-ins (GitHub device flow) per IP address.
    pub logins: Option<Rate>,
    /// Reads (every GET and HEAD) per IP address.
    pub reads: Option<Rate>,
    /// Take the client's address from `X-Forwarded-For` (behind a load balancer).
    pub trust_proxy: bool,
}

impl Default for RateLimits {
    fn default() -> Self {
        let r = |burst, secs_per: f64| {
            Some(Rate {
                burst,
                per: Duration::from_secs_f64(secs_per),
            })
        };
        RateLimits {
            new_skills: r(5, 600.0),
            new_versions: r(30, 60.0),
            registrations: r(10, 360.0),
            logins: r(30, 10.0),
            reads: r(5000, 0.001),
            trust_proxy: false,
        }
    }
}

impl RateLimits {
    /// No limits at all (tests that are not about them; benchmarks).
    pub fn off() -> Self {
        RateLimits {
            new_skills: None,
            new_versions: None,
            registrations: None,
            logins: None,
            reads: None,
            trust_proxy: false,
        }
    }
}

/// `[rate_limits]` in spm.toml.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRateLimits {
    pub new_skills: Option<String>,
    pub new_versions: Option<String>,
    pub registrations: Option<String>,
    pub logins: Option<String>,
    pub reads: Option<String>,
    pub trust_proxy: Option<bool>,
}

/// The per-IP limiters of one instance.
pub struct Limiters {
    registrations: Option<DefaultKeyedRateLimiter<IpAddr>>,
    logins: Option<DefaultKeyedRateLimiter<IpAddr>>,
    reads: Option<DefaultKeyedRateLimiter<IpAddr>>,
    trust_proxy: bool,
}

fn keyed(rate: Option<Rate>) -> Option<DefaultKeyedRateLimiter<IpAddr>> {
    let rate = rate?;
    let quota = Quota::with_period(rate.per)?.allow_burst(NonZeroU32::new(rate.burst)?);
    Some(RateLimiter::keyed(quota))
}

impl Limiters {
    pub fn new(limits: &RateLimits) -> Arc<Limiters> {
        Arc::new(Limiters {
            registrations: keyed(limits.registrations),
            logins: keyed(limits.logins),
            reads: keyed(limits.reads),
            trust_proxy: limits.trust_proxy,
        })
    }

    /// Forgets addresses not seen for a while (called now and then).
    fn tidy(&self) {
        for l in [&self.registrations, &self.logins, &self.reads]
            .into_iter()
            .flatten()
        {
            l.retain_recent();
        }
    }
}

/// The client's address: the connection's peer, or with `trust_proxy` the last address of
/// `X-Forwarded-For` (the one the load balancer in front appended; the ones before it are
/// whatever the client sent). IPv6 addresses count by their /64, which one host holds.
fn client_ip(req: &Request, trust_proxy: bool) -> Option<IpAddr> {
    let forwarded = || {
        req.headers()
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|v| v.trim().parse::<IpAddr>().ok())
    };
    let ip = match trust_proxy.then(forwarded).flatten() {
        Some(ip) => ip,
        None => req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())?,
    };
    Some(match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6((u128::from(v6) & !((1u128 << 64) - 1)).into()),
        },
        v4 => v4,
    })
}

/// Applies the per-IP limits before a request reaches its handler.
pub async fn per_ip(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let l = state.limiters.clone();
    let path = req.uri().path();
    let which = match *req.method() {
        Method::POST if path == "/api/auth/register" => l
            .registrations
            .as_ref()
            .map(|r| (r, "registrations", "registrations from this address")),
        // Starting a sign-in; its polls (every few seconds until the user confirms) are not.
        Method::POST if path.starts_with("/auth/github/") && !path.ends_with("/poll") => l
            .logins
            .as_ref()
            .map(|r| (r, "logins", "sign-ins from this address")),
        // Every read, with a token or not: a made-up token must not skip the limit.
        Method::GET | Method::HEAD => l
            .reads
            .as_ref()
            .map(|r| (r, "reads", "requests from this address")),
        _ => None,
    };
    if let Some((limiter, name, what)) = which
        && let Some(ip) = client_ip(&req, l.trust_proxy)
    {
        if let Err(not_until) = limiter.check_key(&ip) {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            return ApiError::rate_limited(name, what, wait).into_response();
        }
        if limiter.len() > 100_000 {
            l.tidy();
        }
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(forwarded: Option<&str>, peer: &str) -> Request {
        let mut b = Request::builder();
        if let Some(f) = forwarded {
            b = b.header("x-forwarded-for", f);
        }
        let mut req = b.body(axum::body::Body::empty()).unwrap();
        req.extensions_mut()
            .insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
        req
    }

    #[test]
    fn the_client_is_the_peer_or_what_the_proxy_appended() {
        let ip = |f, trust| {
            client_ip(&request(f, "10.0.0.9:5000"), trust)
                .unwrap()
                .to_string()
        };
        // Without trust the header is ignored: anyone could write it.
        assert_eq!(ip(Some("1.2.3.4"), false), "10.0.0.9");
        // With trust, the last entry: a client's own entries come before the proxy's.
        assert_eq!(ip(Some("6.6.6.6, 203.0.113.7"), true), "203.0.113.7");
        assert_eq!(ip(Some("garbage"), true), "10.0.0.9");
        assert_eq!(ip(None, true), "10.0.0.9");
        // One host holds a whole IPv6 /64.
        assert_eq!(ip(Some("2001:db8:1:2:aaaa::1"), true), "2001:db8:1:2::");
        assert_eq!(ip(Some("::ffff:192.0.2.1"), true), "192.0.2.1");
    }

    #[test]
    fn rates_read_as_written() {
        assert_eq!(
            Rate::parse("5/10m"),
            Ok(Some(Rate {
                burst: 5,
                per: Duration::from_secs(600)
            }))
        );
        assert_eq!(
            Rate::parse("1000/1ms").unwrap().unwrap().per,
            Duration::from_millis(1)
        );
        assert_eq!(Rate::parse("off"), Ok(None));
        for bad in ["5", "x/1m", "5/1y", "0/1m", "5/0s"] {
            let e = Rate::parse(bad).unwrap_err();
            assert!(e.contains("BURST/INTERVAL"), "{bad}: {e}");
        }
    }
}
