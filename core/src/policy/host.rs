//! Host patterns: `api.example.com`, `*.example.com` (any subdomain, not the apex), with an
//! optional `:port`. One type for a skill's `network:<host>` and a plugin's `allowed_hosts`.

use std::fmt;
use std::str::FromStr;

/// One allowed host.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HostPattern {
    /// Lowercase; without the `*.` of a wildcard.
    host: String,
    wildcard: bool,
    port: Option<u16>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a host pattern; expected api.example.com, *.example.com or host:port")]
pub struct BadHostPattern(pub String);

impl FromStr for HostPattern {
    type Err = BadHostPattern;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || BadHostPattern(s.to_string());
        let t = s.trim();
        let port = |p: &str| p.parse::<u16>().map(Some).map_err(|_| bad());
        // An IPv6 literal is bracketed, as in a URL: `[2001:db8::1]`, `[::1]:8080`.
        if let Some(rest) = t.strip_prefix('[') {
            let (ip, after) = rest.split_once(']').ok_or_else(bad)?;
            let ip: std::net::Ipv6Addr = ip.parse().map_err(|_| bad())?;
            let port = match after {
                "" => None,
                p => port(p.strip_prefix(':').ok_or_else(bad)?)?,
            };
            return Ok(HostPattern {
                host: ip.to_string(),
                wildcard: false,
                port,
            });
        }
        let (host, port) = match t.rsplit_once(':') {
            Some((h, p)) if !h.contains(':') => (h, port(p)?),
            _ => (t, None),
        };
        let (host, wildcard) = match host.strip_prefix("*.") {
            Some(rest) => (rest, true),
            None => (host, false),
        };
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if host.is_empty() || host.len() > 253 || !host.split('.').all(label_ok) {
            return Err(bad());
        }
        Ok(HostPattern {
            host: host.to_ascii_lowercase(),
            wildcard,
            port,
        })
    }
}

impl fmt::Display for HostPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.wildcard {
            f.write_str("*.")?;
        }
        f.write_str(&spelled(&self.host))?;
        if let Some(p) = self.port {
            write!(f, ":{p}")?;
        }
        Ok(())
    }
}

impl HostPattern {
    /// Whether `host` (a name as the URL gives it) on `port` is allowed by this pattern. A
    /// wildcard matches subdomains only; a pattern without a port allows any port.
    pub fn matches(&self, host: &str, port: Option<u16>) -> bool {
        let host = canonical(host);
        let host_ok = if self.wildcard {
            host.len() > self.host.len() + 1
                && host.ends_with(&self.host)
                && host.as_bytes()[host.len() - self.host.len() - 1] == b'.'
        } else {
            host == self.host
        };
        host_ok && (self.port.is_none() || self.port == port)
    }

    /// Whether the pattern names an IP address literal (then it is allowed even when it is
    /// a loopback or private address: the author asked for exactly it).
    pub fn is_ip_literal(&self) -> bool {
        !self.wildcard && self.host.parse::<std::net::IpAddr>().is_ok()
    }

    pub fn host(&self) -> &str {
        &self.host
    }
}

/// A host as a URL, a `Host:` header or a `network:` entry spells it: an IPv6 literal in
/// brackets.
pub fn spelled(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// A host as compared: lowercase, without a final dot, an IPv6 literal unbracketed in its
/// canonical form (`[::FFFF:7f00:1]` and `::ffff:127.0.0.1` are one address).
fn canonical(host: &str) -> String {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    match bare.parse::<std::net::Ipv6Addr>() {
        Ok(ip) => ip.to_string(),
        Err(_) => host.trim_end_matches('.').to_ascii_lowercase(),
    }
}

/// Whether `host` on `port`, allowed by `patterns`, may be reached at `ip`, an address it
/// resolved to (a plugin's `allowed_hosts`): a special-purpose address (loopback, private,
/// link-local and cloud metadata, …) only when a pattern names the host exactly, never
/// through a wildcard, whose names anyone holding a subdomain can point anywhere.
pub fn address_allowed(
    patterns: &[HostPattern],
    host: &str,
    port: Option<u16>,
    ip: std::net::IpAddr,
) -> Result<(), String> {
    let Some(kind) = super::net::special(ip) else {
        return Ok(());
    };
    if patterns
        .iter()
        .any(|p| !p.wildcard && p.matches(host, port))
    {
        return Ok(());
    }
    Err(format!(
        "`{host}` resolves to {ip}, {kind}, which only a host named exactly (not through a wildcard) may reach"
    ))
}

/// Whether any pattern allows `host:port`.
pub fn allowed(patterns: &[HostPattern], host: &str, port: Option<u16>) -> bool {
    patterns.iter().any(|p| p.matches(host, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> HostPattern {
        s.parse().unwrap()
    }

    #[test]
    fn exact_wildcard_and_port() {
        assert!(p("api.example.com").matches("API.example.com", Some(443)));
        assert!(!p("api.example.com").matches("example.com", None));
        assert!(p("*.example.com").matches("a.b.example.com", None));
        assert!(!p("*.example.com").matches("example.com", None));
        assert!(!p("*.example.com").matches("evilexample.com", None));
        assert!(!p("example.com").matches("example.com.evil.org", None));
        assert!(p("example.com:8443").matches("example.com", Some(8443)));
        assert!(!p("example.com:8443").matches("example.com", Some(443)));
        assert!(p("127.0.0.1:8080").is_ip_literal());
        assert!(p("[2001:DB8::1]").matches("[2001:db8:0::1]", Some(443)));
        assert!(p("[::1]:8080").matches("::1", Some(8080)));
        assert!(!p("[::1]:8080").matches("::1", Some(80)));
        assert!(p("[::1]").is_ip_literal() && p("[::1]").host() == "::1");
        assert_eq!(p("[2001:db8::1]:8443").to_string(), "[2001:db8::1]:8443");
        for bad in [
            "",
            "*.",
            "a..b",
            "-a.com",
            "a.com:x",
            "http://a.com",
            "a b",
            "::1",
            "[::1",
            "[x]",
            "[::1]8080",
            "[::1]:x",
        ] {
            assert!(bad.parse::<HostPattern>().is_err(), "{bad}");
        }
    }

    #[test]
    fn special_addresses_need_a_host_named_exactly() {
        let ip = |s: &str| s.parse::<std::net::IpAddr>().unwrap();
        let wild = [p("*.example.com")];
        // A wildcard's names can point anywhere: never at loopback, private or metadata.
        for special in ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", "fd00::1"] {
            let e = address_allowed(&wild, "x.example.com", None, ip(special)).unwrap_err();
            assert!(e.contains("named exactly"), "{special}: {e}");
        }
        assert!(address_allowed(&wild, "x.example.com", None, ip("93.184.216.34")).is_ok());
        let exact = [p("localhost:8080")];
        assert!(address_allowed(&exact, "localhost", Some(8080), ip("127.0.0.1")).is_ok());
        assert!(address_allowed(&exact, "localhost", Some(9090), ip("127.0.0.1")).is_err());
    }
}
