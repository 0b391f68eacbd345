//! Runtime permissions: one skill's declaration (`permissions`, `file_scope`) as a
//! [`Policy`], and each request an agent makes on the skill's behalf judged against that
//! declaration alone, never a union of skills. Pure: paths arrive already resolved (real,
//! relative to the project root) and hosts as names; the `mcp` proxy tools and the
//! `sandbox` crate do the resolving and the enforcing.
//!
//! - [`host`]: host patterns (`network:<host>`, a plugin's `allowed_hosts`).
//! - [`net`]: the addresses no network permission reaches unless it names them.

pub mod host;
pub mod net;

use globset::{GlobSet, GlobSetBuilder};

pub use host::{BadHostPattern, HostPattern};

use crate::skill::{Manifest, Permission};

/// What a file request does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileOp {
    Read,
    Write,
    Delete,
}

impl FileOp {
    fn permission(self) -> &'static str {
        match self {
            FileOp::Read => "file:read",
            FileOp::Write => "file:write",
            FileOp::Delete => "file:delete",
        }
    }
}

/// Where a skill may reach on the network.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Network {
    /// `network:none`, or no network permission at all.
    Off,
    Hosts(Vec<HostPattern>),
}

/// A refusal: what is missing and the line that would allow it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{skill} may not {what}: {why}. {fix}")]
pub struct Denial {
    pub skill: String,
    pub what: String,
    pub why: String,
    /// The exact change to the skill's frontmatter that would allow it.
    pub fix: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("{skill}: file_scope `{glob}` is not a valid glob: {why}")]
    BadScope {
        skill: String,
        glob: String,
        why: String,
    },
    #[error("{skill}: {0}", skill = .1)]
    BadHost(BadHostPattern, String),
}

/// One skill's declaration, ready to judge requests.
#[derive(Debug, Clone)]
pub struct Policy {
    /// `author/name@version`, for messages and the audit log.
    pub skill: String,
    read: bool,
    write: bool,
    delete: bool,
    bash: bool,
    pub network: Network,
    /// `file_scope` as written (normalised: no leading `./`); empty = the whole project.
    pub scope: Vec<String>,
    globs: GlobSet,
    /// `tool:<name>` entries: other tools (the agent's, another MCP server's) the skill says
    /// it uses. Shown, not enforced: spm does not serve them.
    pub tools: Vec<String>,
}

/// Path parts that hold secrets: never reached unless a `file_scope` entry names them.
const SECRET_PARTS: &[&str] = &[
    ".ssh",
    ".aws",
    ".gnupg",
    ".docker",
    ".kube",
    ".spm",
    ".git-credentials",
    ".npmrc",
    ".netrc",
    ".pypirc",
    "credentials.json",
];
const SECRET_PREFIXES: &[&str] = &[
    ".env",
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    "service-account",
];
const SECRET_SUFFIXES: &[&str] = &[".pem", ".key", ".p12", ".pfx", ".jks", ".keystore"];

/// Parts of a path that may be read but not written or deleted unless a scope names them:
/// version control, agent and editor settings, CI and hooks. Writing them runs code
/// outside any sandbox (a git `fsmonitor`, an agent's hooks, a CI workflow) or rewrites the
/// agent's instructions and permissions.
const PROTECTED_PARTS: &[&str] = &[
    ".git",
    ".hg",
    ".svn",
    ".github",
    ".gitlab-ci.yml",
    ".husky",
    ".pre-commit-config.yaml",
    ".agents",
    ".claude",
    ".codex",
    ".cursor",
    ".gemini",
    ".windsurf",
    ".continue",
    ".vscode",
    ".idea",
    ".mcp.json",
    "AGENTS.md",
    "CLAUDE.md",
    "GEMINI.md",
];

fn is_secret(part: &str) -> bool {
    SECRET_PARTS.contains(&part)
        || SECRET_PREFIXES.iter().any(|p| part.starts_with(p))
        || SECRET_SUFFIXES.iter().any(|s| part.ends_with(s))
}

/// The secret a relative path touches, if any (the first part of it that is one).
pub fn secret_part(rel: &str) -> Option<&str> {
    rel.split('/').find(|part| is_secret(part))
}

/// The protected part (see [`PROTECTED_PARTS`]) a relative path touches, if any.
pub fn protected_part(rel: &str) -> Option<&str> {
    rel.split('/').find(|part| PROTECTED_PARTS.contains(part))
}

impl Policy {
    /// The policy of the skill `skill` (`author/name@version`) from its manifest.
    pub fn from_manifest(skill: &str, m: &Manifest) -> Result<Policy, PolicyError> {
        let has = |p: &Permission| m.permissions.contains(p);
        let hosts: Vec<HostPattern> = m
            .permissions
            .iter()
            .filter_map(|p| match p {
                Permission::NetworkHost(h) => {
                    Some(h.parse().map_err(|e| PolicyError::BadHost(e, skill.into())))
                }
                _ => None,
            })
            .collect::<Result<_, _>>()?;
        let network = if has(&Permission::NetworkNone) || hosts.is_empty() {
            Network::Off
        } else {
            Network::Hosts(hosts)
        };
        let scope: Vec<String> = m
            .file_scope
            .iter()
            .map(|g| {
                g.trim()
                    .trim_start_matches("./")
                    .trim_end_matches('/')
                    .to_string()
            })
            .collect();
        let mut builder = GlobSetBuilder::new();
        for g in &scope {
            for pattern in [g.clone(), format!("{g}/**")] {
                let glob = globset::GlobBuilder::new(&pattern)
                    .literal_separator(true)
                    .build()
                    .map_err(|e| PolicyError::BadScope {
                        skill: skill.into(),
                        glob: g.clone(),
                        why: e.kind().to_string(),
                    })?;
                builder.add(glob);
            }
        }
        let globs = builder.build().map_err(|e| PolicyError::BadScope {
            skill: skill.into(),
            glob: scope.join(", "),
            why: e.to_string(),
        })?;
        Ok(Policy {
            skill: skill.into(),
            read: has(&Permission::FileRead),
            write: has(&Permission::FileWrite),
            delete: has(&Permission::FileDelete),
            bash: has(&Permission::BashExecute),
            network,
            scope,
            globs,
            tools: m
                .permissions
                .iter()
                .filter_map(|p| match p {
                    Permission::Tool(t) => Some(t.clone()),
                    _ => None,
                })
                .collect(),
        })
    }

    fn deny(
        &self,
        what: impl Into<String>,
        why: impl Into<String>,
        fix: impl Into<String>,
    ) -> Denial {
        Denial {
            skill: self.skill.clone(),
            what: what.into(),
            why: why.into(),
            fix: fix.into(),
        }
    }

    /// Whether the real path `rel` (relative to the project root, `/`-separated, no `..`)
    /// lies inside the declared scope.
    pub fn in_scope(&self, rel: &str) -> bool {
        self.scope.is_empty() || self.globs.is_match(rel)
    }

    /// The first part of `rel` that `is_special` picks out and no scope entry both matching
    /// `rel` and naming that part literally allows (`./.ssh/known_hosts` names `.ssh` for
    /// that file, not for `.ssh/id_ed25519`).
    fn unnamed<'a>(&self, rel: &'a str, is_special: impl Fn(&str) -> bool) -> Option<&'a str> {
        let matching: Vec<&String> = self
            .globs
            .matches(rel)
            .into_iter()
            .filter_map(|i| self.scope.get(i / 2))
            .collect();
        rel.split('/').filter(|p| is_special(p)).find(|part| {
            !matching
                .iter()
                .any(|g| g.split('/').any(|named| named == *part))
        })
    }

    /// `op` on the real path `rel` (relative to the project root).
    pub fn judge_file(&self, op: FileOp, rel: &str) -> Result<(), Denial> {
        let allowed = match op {
            FileOp::Read => self.read,
            FileOp::Write => self.write,
            FileOp::Delete => self.delete,
        };
        let what = format!(
            "{} {rel}",
            match op {
                FileOp::Read => "read",
                FileOp::Write => "write",
                FileOp::Delete => "delete",
            }
        );
        if !allowed {
            return Err(self.deny(
                what,
                format!("it does not declare `{}`", op.permission()),
                format!(
                    "Add `{}` to `permissions:` in its SKILL.md.",
                    op.permission()
                ),
            ));
        }
        if !self.in_scope(rel) {
            // The folder holding the file, or the file itself at the project's top level
            // (`./a/**` matches only below `a`, so `./spm.json/**` would not allow it).
            let entry = match rel.rsplit_once('/') {
                Some((dir, _)) => format!("./{dir}/**"),
                None => format!("./{rel}"),
            };
            return Err(self.deny(
                what,
                format!(
                    "{rel} is outside its file_scope ({})",
                    self.scope.join(", ")
                ),
                format!("Add `{entry}` to `file_scope:` in its SKILL.md."),
            ));
        }
        if let Some(secret) = self.unnamed(rel, is_secret) {
            return Err(self.deny(
                what,
                format!("`{secret}` holds secrets, and its file_scope does not name it"),
                format!(
                    "Only if it truly needs it: add `./{rel}` to `file_scope:` in its SKILL.md."
                ),
            ));
        }
        if op != FileOp::Read
            && let Some(part) = self.unnamed(rel, |p| PROTECTED_PARTS.contains(&p))
        {
            return Err(self.deny(
                what,
                format!(
                    "`{part}` holds version-control, agent or editor settings, which run code or steer the agent, and its file_scope does not name it"
                ),
                format!(
                    "Only if it truly needs it: add `./{rel}` to `file_scope:` in its SKILL.md."
                ),
            ));
        }
        Ok(())
    }

    /// A request to `host:port` (the name in the URL).
    pub fn judge_host(&self, host: &str, port: Option<u16>) -> Result<(), Denial> {
        match &self.network {
            Network::Off => Err(self.deny(
                format!("reach {host}"),
                "it declares no network access".to_string(),
                format!(
                    "Add `network:{}` to `permissions:` in its SKILL.md.",
                    host::spelled(host)
                ),
            )),
            Network::Hosts(hosts) if !host::allowed(hosts, host, port) => Err(self.deny(
                format!("reach {host}"),
                format!(
                    "{host} is not among its hosts ({})",
                    hosts
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                format!(
                    "Add `network:{}` to `permissions:` in its SKILL.md.",
                    host::spelled(host)
                ),
            )),
            Network::Hosts(_) => Ok(()),
        }
    }

    /// Whether an address the host resolved to may be reached: a special-purpose address only
    /// when the request names that very address and the skill declares it (a name that
    /// resolves to it, like `localhost`, never reaches it).
    pub fn judge_address(&self, host: &str, ip: std::net::IpAddr) -> Result<(), Denial> {
        let Some(kind) = net::special(ip) else {
            return Ok(());
        };
        let literal = host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .ok()
            == Some(ip);
        let named = literal
            && matches!(&self.network, Network::Hosts(h) if h.iter().any(|p| p.is_ip_literal() && p.host() == ip.to_string()));
        if named {
            return Ok(());
        }
        // Declaring the address allows only URLs that name it; a name resolving to a
        // special-purpose address is never reached, whatever the skill declares.
        let fix = if literal {
            format!(
                "Only if it truly needs it: add `network:{}` to `permissions:` in its SKILL.md.",
                host::spelled(&ip.to_string())
            )
        } else {
            format!(
                "A name that resolves to {kind} is never reached; if the skill truly needs that service, use the address itself in the URL and add `network:{}` to `permissions:` in its SKILL.md.",
                host::spelled(&ip.to_string())
            )
        };
        Err(self.deny(
            format!("reach {host}"),
            format!("{host} resolves to {ip}, {kind}"),
            fix,
        ))
    }

    /// Whether it may write files inside the folder `dir` (a real path relative to the
    /// project root): in its scope, and neither a secret nor a setting it does not name.
    pub fn may_write_in(&self, dir: &str) -> bool {
        self.judge_file(FileOp::Write, &format!("{dir}/file"))
            .is_ok()
    }

    /// Whether it declares `file:delete` (for the shell's right to remove files).
    pub fn may_delete(&self) -> bool {
        self.delete
    }

    /// Whether it declares `file:write` (for the shell's writable folders).
    pub fn may_write(&self) -> bool {
        self.write
    }

    /// Running a shell command.
    pub fn judge_bash(&self) -> Result<(), Denial> {
        if self.bash {
            return Ok(());
        }
        Err(self.deny(
            "run shell commands",
            "it does not declare `bash:execute`",
            "Add `bash:execute` to `permissions:` in its SKILL.md.",
        ))
    }

    /// What this skill may do, in a few lines for the model.
    pub fn summary(&self) -> String {
        let yes_no = |b: bool| if b { "yes" } else { "no" };
        // The scope is the author's text: shown only when it is plainly a path pattern.
        let plain = |g: &String| {
            g.len() <= 200
                && g.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-/*?{},[]".contains(c))
        };
        let scope = if self.scope.is_empty() {
            "the whole project".to_string()
        } else if self.scope.iter().all(plain) {
            self.scope.join(", ")
        } else {
            format!("{} declared patterns (see skill_list)", self.scope.len())
        };
        let network = match &self.network {
            Network::Off => "none".to_string(),
            Network::Hosts(h) => h
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", "),
        };
        let mut out = format!(
            "read files: {}; write files: {}; delete files: {}; file scope: {scope}; run bash: {}; network: {network}",
            yes_no(self.read),
            yes_no(self.write),
            yes_no(self.delete),
            yes_no(self.bash),
        );
        // Tool names are the author's text too: only plain names are repeated.
        let tools: Vec<&str> = self
            .tools
            .iter()
            .map(String::as_str)
            .filter(|t| {
                t.len() <= 64
                    && t.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "._-:/".contains(c))
            })
            .collect();
        if !tools.is_empty() {
            out.push_str(&format!(
                "; other tools it names (not served or enforced by spm): {}",
                tools.join(", ")
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(perms: &[&str], scope: &[&str]) -> Policy {
        let m = Manifest {
            name: "x".into(),
            permissions: perms.iter().map(|p| p.parse().unwrap()).collect(),
            file_scope: scope.iter().map(|s| s.to_string()).collect(),
            ..Manifest::default()
        };
        Policy::from_manifest("alice/x@1.0.0", &m).unwrap()
    }

    #[test]
    fn files_need_the_permission_the_scope_and_no_secret() {
        let p = policy(&["file:read", "file:write"], &["./notes/**", "out"]);
        assert!(p.judge_file(FileOp::Read, "notes/a.md").is_ok());
        assert!(p.judge_file(FileOp::Write, "out/report.pdf").is_ok());
        let e = p.judge_file(FileOp::Delete, "notes/a.md").unwrap_err();
        assert!(e.to_string().contains("Add `file:delete`"), "{e}");
        let e = p.judge_file(FileOp::Read, "src/main.rs").unwrap_err();
        assert!(e.to_string().contains("file_scope"), "{e}");
        let e = p.judge_file(FileOp::Read, "notes/.env").unwrap_err();
        assert!(e.to_string().contains("secrets"), "{e}");
        assert!(p.judge_file(FileOp::Read, "notesx/a.md").is_err());
        // No scope: the whole project, secrets still not.
        let q = policy(&["file:read"], &[]);
        assert!(q.judge_file(FileOp::Read, "src/main.rs").is_ok());
        assert!(q.judge_file(FileOp::Read, "deploy/id_ed25519").is_err());
        assert!(
            q.judge_file(FileOp::Read, ".spm/skills/a/b/SKILL.md")
                .is_err()
        );
        // A scope that names the secret allows it.
        let r = policy(&["file:read"], &["./.env.example"]);
        assert!(r.judge_file(FileOp::Read, ".env.example").is_ok());
    }

    #[test]
    fn each_refusal_names_a_line_that_would_allow_it() {
        let p = policy(&["file:read"], &["./notes/**"]);
        // A file at the top level: the file itself, since `./spm.json/**` would not match it.
        let e = p.judge_file(FileOp::Read, "spm.json").unwrap_err();
        assert!(
            e.to_string().contains("Add `./spm.json` to `file_scope:`"),
            "{e}"
        );
        let fixed = policy(&["file:read"], &["./notes/**", "./spm.json"]);
        assert!(fixed.judge_file(FileOp::Read, "spm.json").is_ok());
        let e = p.judge_file(FileOp::Read, "src/deep/main.rs").unwrap_err();
        assert!(
            e.to_string()
                .contains("Add `./src/deep/**` to `file_scope:`"),
            "{e}"
        );
        let fixed = policy(&["file:read"], &["./notes/**", "./src/deep/**"]);
        assert!(fixed.judge_file(FileOp::Read, "src/deep/main.rs").is_ok());
        // Hosts: the entry the message names allows the host.
        let n = policy(&["network:a.example.com"], &[]);
        let e = n.judge_host("b.example.com", Some(443)).unwrap_err();
        assert!(e.to_string().contains("Add `network:b.example.com`"), "{e}");
        let fixed = policy(&["network:a.example.com", "network:b.example.com"], &[]);
        assert!(fixed.judge_host("b.example.com", Some(443)).is_ok());
        // A name resolving to a special address: declaring the address does not help the
        // name, and the message says so rather than suggesting it would.
        let local = policy(&["network:127.0.0.1", "network:box.example.com"], &[]);
        let e = local
            .judge_address("box.example.com", "127.0.0.1".parse().unwrap())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("never reached") && e.contains("use the address itself"),
            "{e}"
        );
    }

    #[test]
    fn the_summary_names_other_tools_as_not_enforced() {
        let p = policy(&["file:read", "tool:web_search"], &[]);
        let s = p.summary();
        assert!(
            s.contains("other tools it names (not served or enforced by spm): web_search"),
            "{s}"
        );
        assert!(
            !policy(&["file:read"], &[])
                .summary()
                .contains("other tools")
        );
    }

    #[test]
    fn hosts_and_addresses() {
        let p = policy(&["network:api.example.com", "network:*.cdn.net"], &[]);
        assert!(p.judge_host("api.example.com", Some(443)).is_ok());
        assert!(p.judge_host("x.cdn.net", None).is_ok());
        assert!(p.judge_host("evil.com", None).is_err());
        assert!(
            p.judge_address("api.example.com", "127.0.0.1".parse().unwrap())
                .is_err()
        );
        assert!(
            p.judge_address("api.example.com", "93.184.216.34".parse().unwrap())
                .is_ok()
        );
        let none = policy(&["network:none"], &[]);
        assert!(none.judge_host("api.example.com", None).is_err());
        let nothing = policy(&[], &[]);
        assert!(nothing.judge_host("api.example.com", None).is_err());
        assert!(nothing.judge_bash().is_err());
        let local = policy(&["network:127.0.0.1"], &[]);
        assert!(
            local
                .judge_address("127.0.0.1", "127.0.0.1".parse().unwrap())
                .is_ok()
        );
    }

    #[test]
    fn an_ipv6_literal_is_declared_in_brackets_and_named_exactly() {
        let p = policy(&["network:[::1]:8080"], &[]);
        assert!(p.judge_host("::1", Some(8080)).is_ok());
        assert!(p.judge_address("[::1]", "::1".parse().unwrap()).is_ok());
        let d = p.judge_host("::2", Some(8080)).unwrap_err().to_string();
        assert!(d.contains("network:[::2]"), "{d}");
        let d = p
            .judge_address("v6.example.com", "::1".parse().unwrap())
            .unwrap_err()
            .to_string();
        assert!(d.contains("network:[::1]"), "{d}");
    }

    #[test]
    fn a_named_secret_opens_only_what_the_entry_matches_and_settings_are_not_written() {
        let p = policy(
            &["file:read", "file:write"],
            &["./**", "./.ssh/known_hosts", "./.claude/skills/**"],
        );
        assert!(p.judge_file(FileOp::Read, ".ssh/known_hosts").is_ok());
        assert!(p.judge_file(FileOp::Read, ".ssh/id_ed25519").is_err());
        assert!(p.judge_file(FileOp::Read, "a/.env").is_err());
        // Protected settings: readable, not writable unless named.
        assert!(p.judge_file(FileOp::Read, ".git/config").is_ok());
        let d = p.judge_file(FileOp::Write, ".git/config").unwrap_err();
        assert!(d.to_string().contains("`.git`"), "{d}");
        assert!(p.judge_file(FileOp::Write, "CLAUDE.md").is_err());
        assert!(
            p.judge_file(FileOp::Write, ".claude/settings.json")
                .is_err()
        );
        assert!(
            p.judge_file(FileOp::Write, ".claude/skills/x/SKILL.md")
                .is_ok()
        );
        assert!(p.judge_file(FileOp::Write, "docs/guide.md").is_ok());
    }
}
