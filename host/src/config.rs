//! Server configuration: defaults, then `spm.toml`, then environment, then flags.
//!
//! The embedded default needs nothing installed: SQLite and blob files under `./spm-data`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

pub const DEFAULT_PORT: u16 = 3717;

#[derive(Debug, Clone, PartialEq)]
pub enum StorageConfig {
    /// Blob files under a directory.
    Fs { root: PathBuf },
    /// Any S3-compatible store.
    S3 {
        bucket: String,
        region: String,
        endpoint: Option<String>,
        access_key_id: Option<String>,
        secret_access_key: Option<String>,
        /// Key prefix inside the bucket (lets several registries or tests share one bucket).
        prefix: Option<String>,
        /// Hand out presigned URLs for downloads instead of streaming through the server.
        presign: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub bind: IpAddr,
    pub port: u16,
    pub data_dir: PathBuf,
    /// `sqlite://...` or `postgres://...`.
    pub database_url: String,
    pub storage: StorageConfig,
    /// The URL clients reach this server at (for download URLs); defaults to the bind address.
    pub public_url: Option<String>,
    pub allow_registration: bool,
    /// A token that acts as an admin before any admin account exists.
    pub bootstrap_token: Option<String>,
    /// Largest request body (publish uploads).
    pub max_body_bytes: usize,
    pub request_timeout: Duration,
    /// How long a client may take to send its request headers (also how long an idle
    /// keep-alive connection is kept).
    pub header_read_timeout: Duration,
    /// Connections served at once; more wait in the listen backlog.
    pub max_connections: usize,
    /// Names no one may register as an account (`admin`, `root`, the registry's routes, …).
    pub reserved_names: Vec<String>,
    /// WebAssembly plugins (`[[plugins]]` in spm.toml).
    pub plugins: Vec<crate::plugins::PluginSpec>,
    /// Relative plugin paths are resolved against this (the config file's folder).
    pub config_base: PathBuf,
    /// The configuration file it was read from, if any (reloading plugins reads it again).
    pub config_file: Option<PathBuf>,
    /// Safety score bounds (`[safety]` in spm.toml).
    pub safety: spm_core::safety::Thresholds,
    /// GitHub sign-in (device flow); `None` unless `GITHUB_CLIENT_ID` is set.
    pub github: Option<GithubConfig>,
    /// The bearer token `/metrics` on the main port needs (`SPM_METRICS_TOKEN`).
    pub metrics_token: Option<String>,
    /// A separate address serving `/metrics` without a token (`SPM_METRICS_ADDR`).
    pub metrics_addr: Option<SocketAddr>,
    /// Limits against abuse (`SPM_RATE_*`, `[rate_limits]`).
    pub rate_limits: crate::limits::RateLimits,
}

/// A GitHub OAuth app. The device flow needs only the client id; the URLs can point at
/// GitHub Enterprise (or, in tests, a local server speaking GitHub's protocol).
#[derive(Debug, Clone, PartialEq)]
pub struct GithubConfig {
    pub client_id: String,
    pub client_secret: Option<String>,
    /// `GITHUB_URL`, default `https://github.com`.
    pub web_url: String,
    /// `GITHUB_API_URL`, default `https://api.github.com`.
    pub api_url: String,
}

/// `[safety]` in spm.toml.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileSafety {
    pub flag_below: Option<u32>,
    pub block_below: Option<u32>,
}

/// The `spm.toml` file; every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub bind: Option<IpAddr>,
    pub port: Option<u16>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub public_url: Option<String>,
    pub allow_registration: Option<bool>,
    pub bootstrap_token: Option<String>,
    pub max_body_bytes: Option<usize>,
    pub request_timeout_secs: Option<u64>,
    pub header_read_timeout_secs: Option<u64>,
    pub max_connections: Option<usize>,
    /// Replaces the default reserved-name list.
    pub reserved_names: Option<Vec<String>>,
    pub metrics_token: Option<String>,
    pub metrics_addr: Option<SocketAddr>,
    #[serde(default)]
    pub rate_limits: crate::limits::FileRateLimits,
    #[serde(default)]
    pub storage: FileStorage,
    #[serde(default)]
    pub plugins: Vec<crate::plugins::PluginSpec>,
    #[serde(default)]
    pub safety: FileSafety,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileStorage {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub root: Option<PathBuf>,
    pub bucket: Option<String>,
    pub region: Option<String>,
    pub endpoint: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub prefix: Option<String>,
    pub presign: Option<bool>,
}

/// Values given on the command line (highest precedence).
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub config_file: Option<PathBuf>,
    pub bind: Option<IpAddr>,
    pub port: Option<u16>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub public_url: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    #[error("environment variable {name}: {message}")]
    Env { name: &'static str, message: String },
    #[error("{0}")]
    Invalid(String),
}

/// Account names refused by default: administrative words, the registry's own routes, and
/// names that would read as the registry speaking.
pub const DEFAULT_RESERVED_NAMES: &[&str] = &[
    "admin",
    "administrator",
    "root",
    "superuser",
    "sudo",
    "system",
    "bootstrap",
    "spm",
    "registry",
    "official",
    "staff",
    "moderator",
    "support",
    "security",
    "help",
    "abuse",
    "api",
    "www",
    "web",
    "auth",
    "login",
    "logout",
    "signup",
    "register",
    "graphql",
    "healthz",
    "readyz",
    "metrics",
    "static",
    "assets",
    "blobs",
    "skills",
    "search",
    "tokens",
    "plugins",
    "badge",
    "orgs",
    "null",
    "undefined",
    "anonymous",
    "nobody",
    "everyone",
    "mcp",
];

impl Config {
    /// Whether `name` may not be registered as an account.
    pub fn is_reserved(&self, name: &str) -> bool {
        self.reserved_names
            .iter()
            .any(|r| r.eq_ignore_ascii_case(name))
    }

    /// Builds the effective configuration. `env` is passed in so tests need not touch the
    /// process environment.
    pub fn load(
        over: &Overrides,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Config, ConfigError> {
        let file_path = over
            .config_file
            .clone()
            .or_else(|| env("SPM_CONFIG").map(PathBuf::from))
            .or_else(|| {
                Path::new("spm.toml")
                    .is_file()
                    .then(|| PathBuf::from("spm.toml"))
            });
        let file = match &file_path {
            Some(p) => read_file(p)?,
            None => FileConfig::default(),
        };
        let parse_env = |name: &'static str| -> Result<Option<u64>, ConfigError> {
            env(name)
                .map(|v| {
                    v.parse::<u64>().map_err(|e| ConfigError::Env {
                        name,
                        message: e.to_string(),
                    })
                })
                .transpose()
        };

        let data_dir = over
            .data_dir
            .clone()
            .or_else(|| env("SPM_DATA_DIR").map(PathBuf::from))
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("spm-data"));
        let port = match over.port {
            Some(p) => p,
            None => match parse_env("PORT")? {
                Some(p) => u16::try_from(p).map_err(|_| ConfigError::Env {
                    name: "PORT",
                    message: format!("{p} is not a port"),
                })?,
                None => file.port.unwrap_or(DEFAULT_PORT),
            },
        };
        let bind = match over.bind {
            Some(b) => b,
            None => match env("SPM_BIND") {
                Some(b) => b.parse().map_err(|_| ConfigError::Env {
                    name: "SPM_BIND",
                    message: format!("`{b}` is not an IP address"),
                })?,
                None => file.bind.unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST)),
            },
        };
        let database_url = over
            .database_url
            .clone()
            .or_else(|| env("DATABASE_URL"))
            .or(file.database_url)
            .unwrap_or_else(|| {
                format!(
                    "sqlite://{}?mode=rwc",
                    data_dir.join("registry.db").display()
                )
            });
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres:")
            || database_url.starts_with("postgresql:"))
        {
            return Err(ConfigError::Invalid(format!(
                "database URL `{}` must start with sqlite:// or postgres://",
                mask_url(&database_url)
            )));
        }

        let fs = file.storage;
        let kind = env("STORAGE_TYPE")
            .or(fs.kind)
            .unwrap_or_else(|| "fs".into());
        let storage = match kind.as_str() {
            "fs" | "local" => StorageConfig::Fs {
                root: env("STORAGE_ROOT")
                    .map(PathBuf::from)
                    .or(fs.root)
                    .unwrap_or_else(|| data_dir.join("blobs")),
            },
            "s3" => StorageConfig::S3 {
                bucket: env("S3_BUCKET").or(fs.bucket).ok_or_else(|| {
                    ConfigError::Invalid(
                        "STORAGE_TYPE=s3 needs S3_BUCKET (or storage.bucket in spm.toml)".into(),
                    )
                })?,
                region: env("S3_REGION")
                    .or(fs.region)
                    .unwrap_or_else(|| "us-east-1".into()),
                endpoint: env("S3_ENDPOINT").or(fs.endpoint),
                access_key_id: env("S3_ACCESS_KEY_ID").or(fs.access_key_id),
                secret_access_key: env("S3_SECRET_ACCESS_KEY").or(fs.secret_access_key),
                prefix: env("S3_PREFIX").or(fs.prefix),
                presign: env("S3_PRESIGN")
                    .map(|v| v == "true" || v == "1")
                    .or(fs.presign)
                    .unwrap_or(false),
            },
            other => {
                return Err(ConfigError::Invalid(format!(
                    "storage type `{other}` is not known; use `fs` or `s3`"
                )));
            }
        };
        let allow_registration = match env("SPM_ALLOW_REGISTRATION") {
            Some(v) => matches!(v.as_str(), "1" | "true" | "yes"),
            None => file.allow_registration.unwrap_or(true),
        };
        Ok(Config {
            bind,
            port,
            data_dir,
            database_url,
            storage,
            public_url: over
                .public_url
                .clone()
                .or_else(|| env("SPM_PUBLIC_URL"))
                .or(file.public_url),
            allow_registration,
            // An empty token is no token (`SPM_BOOTSTRAP_TOKEN=` in a compose file).
            bootstrap_token: env("SPM_BOOTSTRAP_TOKEN")
                .or(file.bootstrap_token)
                .filter(|t| !t.trim().is_empty()),
            max_body_bytes: parse_env("SPM_MAX_BODY_BYTES")?
                .map(|v| v as usize)
                .or(file.max_body_bytes)
                .unwrap_or(12 * 1024 * 1024),
            safety: {
                let d = spm_core::safety::Thresholds::default();
                let t = spm_core::safety::Thresholds {
                    flag_below: file.safety.flag_below.unwrap_or(d.flag_below),
                    block_below: file.safety.block_below.unwrap_or(d.block_below),
                };
                if !t.is_valid() {
                    return Err(ConfigError::Invalid(format!(
                        "[safety] needs block_below <= flag_below <= 100 (got block_below = {}, flag_below = {})",
                        t.block_below, t.flag_below
                    )));
                }
                t
            },
            plugins: file.plugins,
            github: env("GITHUB_CLIENT_ID").map(|client_id| GithubConfig {
                client_id,
                client_secret: env("GITHUB_CLIENT_SECRET"),
                web_url: env("GITHUB_URL")
                    .unwrap_or_else(|| "https://github.com".into())
                    .trim_end_matches('/')
                    .into(),
                api_url: env("GITHUB_API_URL")
                    .unwrap_or_else(|| "https://api.github.com".into())
                    .trim_end_matches('/')
                    .into(),
            }),
            config_file: file_path.clone(),
            config_base: base_of(file_path.as_deref()),
            request_timeout: Duration::from_secs(
                parse_env("SPM_REQUEST_TIMEOUT_SECS")?
                    .or(file.request_timeout_secs)
                    .unwrap_or(30),
            ),
            header_read_timeout: Duration::from_secs(
                parse_env("SPM_HEADER_TIMEOUT_SECS")?
                    .or(file.header_read_timeout_secs)
                    .unwrap_or(10)
                    .clamp(1, 3600),
            ),
            max_connections: parse_env("SPM_MAX_CONNECTIONS")?
                .map(|v| v as usize)
                .or(file.max_connections)
                .unwrap_or(1024)
                .clamp(1, 1 << 20),
            metrics_token: env("SPM_METRICS_TOKEN")
                .or(file.metrics_token)
                .filter(|t| !t.trim().is_empty()),
            metrics_addr: match env("SPM_METRICS_ADDR").filter(|a| !a.trim().is_empty()) {
                Some(a) => Some(a.parse().map_err(|_| ConfigError::Env {
                    name: "SPM_METRICS_ADDR",
                    message: format!("`{a}` is not an address such as 127.0.0.1:9717"),
                })?),
                None => file.metrics_addr,
            },
            rate_limits: {
                let d = crate::limits::RateLimits::default();
                let f = &file.rate_limits;
                let rate = |name: &'static str,
                            from_file: &Option<String>,
                            default: Option<crate::limits::Rate>|
                 -> Result<Option<crate::limits::Rate>, ConfigError> {
                    match env(name).or_else(|| from_file.clone()) {
                        Some(v) => crate::limits::Rate::parse(&v)
                            .map_err(|message| ConfigError::Env { name, message }),
                        None => Ok(default),
                    }
                };
                crate::limits::RateLimits {
                    new_skills: rate("SPM_RATE_NEW_SKILLS", &f.new_skills, d.new_skills)?,
                    new_versions: rate("SPM_RATE_NEW_VERSIONS", &f.new_versions, d.new_versions)?,
                    registrations: rate(
                        "SPM_RATE_REGISTRATIONS",
                        &f.registrations,
                        d.registrations,
                    )?,
                    logins: rate("SPM_RATE_LOGINS", &f.logins, d.logins)?,
                    reads: rate("SPM_RATE_READS", &f.reads, d.reads)?,
                    trust_proxy: env("SPM_TRUST_PROXY")
                        .map(|v| matches!(v.as_str(), "1" | "true" | "yes"))
                        .or(f.trust_proxy)
                        .unwrap_or(false),
                }
            },
            reserved_names: match env("SPM_RESERVED_NAMES") {
                Some(list) => list
                    .split(',')
                    .map(|n| n.trim().to_string())
                    .filter(|n| !n.is_empty())
                    .collect(),
                None => file.reserved_names.unwrap_or_else(|| {
                    DEFAULT_RESERVED_NAMES
                        .iter()
                        .map(|n| n.to_string())
                        .collect()
                }),
            },
        })
    }

    pub fn addr(&self) -> SocketAddr {
        SocketAddr::new(self.bind, self.port)
    }

    /// The effective configuration, secrets masked, for the start-up log.
    pub fn summary(&self) -> String {
        let storage = match &self.storage {
            StorageConfig::Fs { root } => format!("local files in {}", root.display()),
            StorageConfig::S3 {
                bucket,
                region,
                endpoint,
                access_key_id,
                secret_access_key,
                presign,
                prefix,
            } => format!(
                "s3 bucket={bucket} prefix={} region={region} endpoint={} access_key_id={} secret_access_key={} presign={presign}",
                prefix.as_deref().unwrap_or("/"),
                endpoint.as_deref().unwrap_or("(aws)"),
                access_key_id.as_deref().map_or("(none)".into(), mask),
                secret_access_key.as_deref().map_or("(none)", |_| "****"),
            ),
        };
        format!(
            "listen     http://{}\ndata dir   {}\ndatabase   {}\nstorage    {storage}\nregister   {}\nbody limit {} bytes, timeout {}s\nbootstrap  {}",
            self.addr(),
            self.data_dir.display(),
            mask_url(&self.database_url),
            if self.allow_registration {
                "open"
            } else {
                "disabled"
            },
            self.max_body_bytes,
            self.request_timeout.as_secs(),
            if self.bootstrap_token.is_some() {
                "token set (****)"
            } else {
                "none"
            },
        ) + &format!(
            "\nmetrics    {}",
            match (&self.metrics_addr, &self.metrics_token) {
                (Some(a), _) => format!("http://{a}/metrics"),
                (None, Some(_)) => "/metrics with SPM_METRICS_TOKEN (****)".into(),
                (None, None) => "off (set SPM_METRICS_TOKEN or SPM_METRICS_ADDR)".into(),
            }
        ) + &self.plugins.iter().map(plugin_line).collect::<String>()
    }
}

fn plugin_line(p: &crate::plugins::PluginSpec) -> String {
    let kind = match p.kind {
        crate::plugins::Kind::Scanner => "scanner",
        crate::plugins::Kind::Auth => "auth",
        crate::plugins::Kind::Policy => "policy",
        crate::plugins::Kind::Hook => "hook",
    };
    let open = if p.fail_open { ", fail-open" } else { "" };
    format!(
        "\nplugin     {kind} {} (timeout {} ms, memory {} MiB{open})",
        p.path.display(),
        p.timeout_ms,
        p.memory_mb
    )
}

/// The folder relative paths in the configuration file `file` are resolved against: its own
/// folder, or the working folder.
pub fn base_of(file: Option<&Path>) -> PathBuf {
    file.and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// The `[[plugins]]` of the configuration file at `path`, read again (for a reload).
pub fn plugins_in(path: &Path) -> Result<Vec<crate::plugins::PluginSpec>, ConfigError> {
    read_file(path).map(|f| f.plugins)
}

fn read_file(path: &Path) -> Result<FileConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

fn mask(s: &str) -> String {
    let keep: String = s.chars().take(4).collect();
    format!("{keep}****")
}

/// Hides the password in `scheme://user:password@host/...`.
pub fn mask_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut u) if u.password().is_some() => {
            let _ = u.set_password(Some("****"));
            u.to_string()
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env_of(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn defaults_are_embedded() {
        let c = Config::load(&Overrides::default(), &env_of(&[])).unwrap();
        assert_eq!(c.port, 3717);
        assert!(c.database_url.starts_with("sqlite://spm-data/registry.db"));
        assert_eq!(
            c.storage,
            StorageConfig::Fs {
                root: PathBuf::from("spm-data/blobs")
            }
        );
    }

    #[test]
    fn flags_beat_env_beat_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("spm.toml");
        std::fs::write(&file, "port = 1000\ndatabase_url = \"sqlite://file.db\"\ndata_dir = \"fromfile\"\n[storage]\ntype = \"fs\"\n").unwrap();
        let over = Overrides {
            config_file: Some(file.clone()),
            ..Overrides::default()
        };
        let c = Config::load(&over, &env_of(&[])).unwrap();
        assert_eq!(
            (c.port, c.database_url.as_str()),
            (1000, "sqlite://file.db")
        );
        let c = Config::load(
            &over,
            &env_of(&[
                ("PORT", "2000"),
                ("DATABASE_URL", "postgres://u:secret@h/db"),
            ]),
        )
        .unwrap();
        assert_eq!(c.port, 2000);
        assert!(c.summary().contains("postgres://u:****@h/db"));
        assert!(!c.summary().contains("secret"));
        let over = Overrides {
            port: Some(3000),
            ..over
        };
        assert_eq!(
            Config::load(&over, &env_of(&[("PORT", "2000")]))
                .unwrap()
                .port,
            3000
        );
    }

    #[test]
    fn s3_from_env_and_secrets_masked() {
        let env = env_of(&[
            ("STORAGE_TYPE", "s3"),
            ("S3_BUCKET", "b"),
            ("S3_ENDPOINT", "http://127.0.0.1:9000"),
            ("S3_ACCESS_KEY_ID", "AKIAEXAMPLE"),
            ("S3_SECRET_ACCESS_KEY", "supersecret"),
        ]);
        let c = Config::load(&Overrides::default(), &env).unwrap();
        assert!(matches!(c.storage, StorageConfig::S3 { ref bucket, .. } if bucket == "b"));
        let s = c.summary();
        assert!(
            !s.contains("supersecret") && !s.contains("AKIAEXAMPLE"),
            "{s}"
        );
        let err =
            Config::load(&Overrides::default(), &env_of(&[("STORAGE_TYPE", "s3")])).unwrap_err();
        assert!(err.to_string().contains("S3_BUCKET"));
    }

    #[test]
    fn the_example_config_parses_with_its_plugins() {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/spm.toml");
        let over = Overrides {
            config_file: Some(file),
            ..Overrides::default()
        };
        let c = Config::load(&over, &env_of(&[])).unwrap();
        assert_eq!(c.plugins.len(), 3);
        assert_eq!(c.plugins[1].settings["reserved_names"], "official-*");
        assert!(c.config_base.ends_with("examples"));
        assert!(
            c.summary().contains("plugin     scanner"),
            "{}",
            c.summary()
        );
    }

    #[test]
    fn safety_thresholds_come_from_the_file_and_are_checked() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("spm.toml");
        std::fs::write(&file, "[safety]\nflag_below = 90\nblock_below = 50\n").unwrap();
        let over = Overrides {
            config_file: Some(file.clone()),
            ..Overrides::default()
        };
        let c = Config::load(&over, &env_of(&[])).unwrap();
        assert_eq!((c.safety.flag_below, c.safety.block_below), (90, 50));
        std::fs::write(&file, "[safety]\nflag_below = 10\nblock_below = 50\n").unwrap();
        assert!(
            Config::load(&over, &env_of(&[]))
                .unwrap_err()
                .to_string()
                .contains("block_below")
        );
    }

    #[test]
    fn bad_values_are_explained() {
        assert!(
            Config::load(&Overrides::default(), &env_of(&[("PORT", "x")]))
                .unwrap_err()
                .to_string()
                .contains("PORT")
        );
        assert!(Config::load(&Overrides::default(), &env_of(&[("STORAGE_TYPE", "ftp")])).is_err());
        assert!(
            Config::load(
                &Overrides::default(),
                &env_of(&[("DATABASE_URL", "mysql://x")])
            )
            .is_err()
        );
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("spm.toml");
        std::fs::write(&file, "prot = 1\n").unwrap();
        let err = Config::load(
            &Overrides {
                config_file: Some(file),
                ..Overrides::default()
            },
            &env_of(&[]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("prot"), "{err}");
    }
}
