//! `~/.spm` (or `$SPM_HOME`): the user's registries and tokens, the archive cache and
//! global installs. `config.json` has the same shape the existing spm client writes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryEntry {
    pub name: String,
    pub url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserConfig {
    #[serde(default)]
    pub registries: Vec<RegistryEntry>,
    /// `"*"` → the default registry's name; `"@org"` → the registry for that author.
    #[serde(default)]
    pub scopes: BTreeMap<String, String>,
    /// How `spm mcp` behaves.
    #[serde(default, skip_serializing_if = "McpSettings::is_default")]
    pub mcp: McpSettings,
}

/// `"mcp"` in `config.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct McpSettings {
    /// Offer the `skill_install` tool, so an agent can install skills (never a flagged or
    /// blocked version). Off unless the user turns it on.
    #[serde(default)]
    pub allow_install: bool,
}

impl McpSettings {
    fn is_default(&self) -> bool {
        self == &McpSettings::default()
    }
}

pub fn home() -> anyhow::Result<PathBuf> {
    if let Some(h) = std::env::var_os("SPM_HOME").filter(|h| !h.is_empty()) {
        return Ok(PathBuf::from(h));
    }
    let home = std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .context("neither SPM_HOME nor HOME is set")?;
    Ok(PathBuf::from(home).join(".spm"))
}

pub fn cache_dir() -> anyhow::Result<PathBuf> {
    Ok(home()?.join("cache").join("sha256"))
}

fn config_path() -> anyhow::Result<PathBuf> {
    Ok(home()?.join("config.json"))
}

impl UserConfig {
    pub fn load() -> anyhow::Result<UserConfig> {
        let path = config_path()?;
        match std::fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text)
                .with_context(|| format!("{} is not valid spm configuration", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(UserConfig::default()),
            Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Writes the file readable by its owner only (it holds tokens).
    pub fn save(&self) -> anyhow::Result<()> {
        let path = config_path()?;
        write_private(&path, serde_json::to_string_pretty(self)?.as_bytes())
    }

    pub fn find(&self, name: &str) -> Option<&RegistryEntry> {
        self.registries.iter().find(|r| r.name == name)
    }

    /// Adds or replaces a registry; the first one added becomes the default.
    pub fn upsert(&mut self, entry: RegistryEntry) {
        if let Some(existing) = self.registries.iter_mut().find(|r| r.name == entry.name) {
            *existing = entry;
        } else {
            self.registries.push(entry);
        }
        if !self.scopes.contains_key("*")
            && let Some(first) = self.registries.first()
        {
            self.scopes.insert("*".into(), first.name.clone());
        }
    }

    /// The registry to use: `--registry` (a name or a URL), the scope of `author`, the default.
    pub fn select(
        &self,
        requested: Option<&str>,
        author: Option<&str>,
    ) -> anyhow::Result<RegistryEntry> {
        if let Some(r) = requested {
            if let Some(entry) = self.find(r) {
                return Ok(entry.clone());
            }
            if r.starts_with("http://") || r.starts_with("https://") {
                let known = self
                    .registries
                    .iter()
                    .find(|e| e.url.trim_end_matches('/') == r.trim_end_matches('/'));
                return Ok(known.cloned().unwrap_or(RegistryEntry {
                    name: r.to_string(),
                    url: r.to_string(),
                    token: None,
                }));
            }
            bail!("no registry named `{r}`; `spm registry list` shows the configured ones");
        }
        if let Some(url) = std::env::var("SPM_REGISTRY").ok().filter(|u| !u.is_empty()) {
            return self.select(Some(&url), None);
        }
        let scoped = author.and_then(|a| self.scopes.get(&format!("@{a}")));
        let name = scoped
            .or_else(|| self.scopes.get("*"))
            .cloned()
            .or_else(|| self.registries.first().map(|r| r.name.clone()));
        match name.and_then(|n| self.find(&n).cloned()) {
            Some(entry) => Ok(entry),
            None => bail!(
                "no registry is configured; run `spm login <url> --name <you>` or `spm registry add <url> --name <name>`"
            ),
        }
    }
}

/// Writes `bytes` to `path` atomically with mode 0600.
pub fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().context("config path has no parent")?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    std::io::Write::write_all(&mut tmp, bytes)?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// The token for `entry`: `SPM_TOKEN` wins over the stored one.
pub fn token_for(entry: &RegistryEntry) -> Option<String> {
    std::env::var("SPM_TOKEN")
        .ok()
        .filter(|t| !t.is_empty())
        .or_else(|| entry.token.clone())
}
