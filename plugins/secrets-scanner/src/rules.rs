//! The secret-detection rules, plain Rust so they can be tested and benchmarked natively.

/// One secret found at byte `offset`.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub rule: &'static str,
    pub what: &'static str,
    pub offset: usize,
    /// The secret with its middle hidden.
    pub masked: String,
}

fn is_key_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-'
}

/// Token-shaped runs: `prefix` followed by at least `min` key characters.
fn prefixed(text: &str, prefix: &str, min: usize, alnum_only: bool) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = text[from..].find(prefix) {
        let start = from + pos;
        let before_ok = start == 0 || !is_key_char(bytes[start - 1]);
        let mut end = start + prefix.len();
        while end < bytes.len()
            && (if alnum_only {
                bytes[end].is_ascii_alphanumeric()
            } else {
                is_key_char(bytes[end])
            })
        {
            end += 1;
        }
        if before_ok && end - start - prefix.len() >= min {
            out.push((start, end));
        }
        from = start + prefix.len();
    }
    out
}

fn mask(s: &str) -> String {
    let keep: String = s.chars().take(6).collect();
    format!("{keep}…")
}

/// Shannon entropy in bits per character.
pub fn entropy(s: &str) -> f64 {
    let mut counts = [0usize; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let n = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

const PREFIXED: &[(&str, &str, &str, usize, bool)] = &[
    ("aws-access-key", "AWS access key id", "AKIA", 16, true),
    (
        "aws-access-key",
        "AWS temporary access key id",
        "ASIA",
        16,
        true,
    ),
    ("github-token", "GitHub token", "ghp_", 36, true),
    ("github-token", "GitHub OAuth token", "gho_", 36, true),
    ("github-token", "GitHub app token", "ghs_", 36, true),
    ("github-token", "GitHub refresh token", "ghr_", 36, true),
    (
        "github-token",
        "GitHub fine-grained token",
        "github_pat_",
        40,
        false,
    ),
    ("slack-token", "Slack bot token", "xoxb-", 20, false),
    ("slack-token", "Slack user token", "xoxp-", 20, false),
    ("slack-token", "Slack app token", "xapp-", 20, false),
    ("anthropic-key", "Anthropic API key", "sk-ant-", 32, false),
    ("openai-key", "OpenAI project key", "sk-proj-", 32, false),
    ("stripe-key", "Stripe secret key", "sk_live_", 20, true),
    ("google-api-key", "Google API key", "AIza", 35, false),
];

const SECRET_NAMES: &[&str] = &[
    "secret",
    "token",
    "password",
    "passwd",
    "api_key",
    "apikey",
    "api-key",
    "private_key",
    "access_key",
    "auth",
];

/// All secrets in `text`.
pub fn find_secrets(text: &str, min_entropy: f64) -> Vec<Hit> {
    let mut hits = Vec::new();
    for &(rule, what, prefix, min, alnum) in PREFIXED {
        for (s, e) in prefixed(text, prefix, min, alnum) {
            // AWS key ids are exactly 20 characters.
            if rule == "aws-access-key" && e - s != 20 {
                continue;
            }
            hits.push(Hit {
                rule,
                what,
                offset: s,
                masked: mask(&text[s..e]),
            });
        }
    }
    // Generic `sk-` keys (OpenAI style) not already matched by a more specific prefix.
    for (s, e) in prefixed(text, "sk-", 40, false) {
        if !hits.iter().any(|h| h.offset == s) {
            hits.push(Hit {
                rule: "openai-key",
                what: "OpenAI-style API key",
                offset: s,
                masked: mask(&text[s..e]),
            });
        }
    }
    let mut from = 0;
    while let Some(pos) = text[from..].find("-----BEGIN ") {
        let s = from + pos;
        let line_end = text[s..].find('\n').map_or(text.len(), |i| s + i);
        if text[s..line_end].contains("PRIVATE KEY-----") {
            hits.push(Hit {
                rule: "private-key",
                what: "private key block",
                offset: s,
                masked: text[s..line_end].trim().to_string(),
            });
        }
        from = s + 11;
    }
    // `name = "value"` / `name: value` with a secret-sounding name and a random-looking value.
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if let Some(hit) = assignment(line, min_entropy) {
            hits.push(Hit {
                offset: line_start + hit.0,
                ..hit.1
            });
        }
        line_start += line.len();
    }
    hits.sort_by_key(|h| h.offset);
    hits.dedup_by_key(|h| h.offset);
    hits
}

fn assignment(line: &str, min_entropy: f64) -> Option<(usize, Hit)> {
    let sep = line.find(['=', ':'])?;
    let name = line[..sep]
        .trim()
        .trim_matches(['"', '\''])
        .to_ascii_lowercase();
    let name = name.rsplit([' ', '.', '$']).next().unwrap_or(&name);
    if !SECRET_NAMES.iter().any(|n| name.contains(n)) {
        return None;
    }
    let value = line[sep + 1..]
        .trim()
        .trim_end_matches([',', ';'])
        .trim_matches(['"', '\'', '`']);
    let plausible = value.len() >= 20
        && value.len() <= 200
        && !value.contains(' ')
        && !value.starts_with('$')
        && !value.starts_with('<')
        && !value.contains("${")
        && !value.contains("example")
        && !value.contains("xxxx");
    if !plausible || entropy(value) < min_entropy {
        return None;
    }
    let offset = sep + 1 + line[sep + 1..].find(value.get(..1)?)?;
    Some((
        offset,
        Hit {
            rule: "high-entropy-assignment",
            what: "secret-looking value assigned to a secret name",
            offset: 0,
            masked: mask(value),
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_kind() {
        let text = "\
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
gh: ghp_0123456789abcdefghijABCDEFGHIJ012345
slack xoxb-1234567890-abcdefghijklmnop
key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789
-----BEGIN RSA PRIVATE KEY-----
MIIEow
-----END RSA PRIVATE KEY-----
API_TOKEN=\"q8Z2vN4xR7tL1mK9pW3sY6bH0cJ5dF2g\"
";
        let rules: Vec<&str> = find_secrets(text, 4.0).iter().map(|h| h.rule).collect();
        assert!(rules.contains(&"aws-access-key"), "{rules:?}");
        assert!(rules.contains(&"github-token"), "{rules:?}");
        assert!(rules.contains(&"slack-token"), "{rules:?}");
        assert!(rules.contains(&"anthropic-key"), "{rules:?}");
        assert!(rules.contains(&"private-key"), "{rules:?}");
        assert!(rules.contains(&"high-entropy-assignment"), "{rules:?}");
    }

    #[test]
    fn ignores_placeholders_and_prose() {
        let text = "Set API_TOKEN=${API_TOKEN} or token: <your-token-here>.\npassword = \"changeme\"\nThe AKIA prefix marks AWS keys.\n";
        assert!(
            find_secrets(text, 4.0).is_empty(),
            "{:?}",
            find_secrets(text, 4.0)
        );
    }
}
