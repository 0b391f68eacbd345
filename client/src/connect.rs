//! `spm connect` / `spm disconnect`: registering `spm mcp` as an MCP server in an MCP
//! client's own configuration file, edited in place.
//!
//! JSON files (JSON with comments too) are edited through a concrete syntax tree
//! (`jsonc-parser`), TOML through `toml_edit`, so every other key, comment and blank line
//! stays byte for byte. Writes are atomic (temporary file and rename), the first change to
//! a file keeps a `.bak` copy of it, `connect` is idempotent and `disconnect` removes
//! exactly the entry (and the table it created, when that is left empty).

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use crate::agents::Env;

/// The name spm's entry has in every client.
pub const SERVER_NAME: &str = "spm";

/// How a client's file holds MCP servers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// `{"<table>": {"spm": {...}}}`; `typed` adds `"type": "stdio"`.
    Json { table: &'static str, typed: bool },
    /// Zed: `{"context_servers": {"spm": {"command": {"path", "args"}}}}`.
    ZedJson,
    /// Codex: `[mcp_servers.spm]` with `command` and `args`.
    CodexToml,
}

/// One MCP client and where its configuration lives.
#[derive(Debug, Clone, Copy)]
pub struct McpClient {
    pub id: &'static str,
    pub name: &'static str,
    /// User-scope file (a template as in [`crate::agents`]).
    pub user_file: Option<&'static str>,
    /// Project-scope file, relative to the project root.
    pub project_file: Option<&'static str>,
    pub format: Format,
}

const fn client(
    id: &'static str,
    name: &'static str,
    user_file: Option<&'static str>,
    project_file: Option<&'static str>,
    format: Format,
) -> McpClient {
    McpClient {
        id,
        name,
        user_file,
        project_file,
        format,
    }
}

const MCP_SERVERS: Format = Format::Json {
    table: "mcpServers",
    typed: false,
};

/// The clients spm can connect to (from `shared/notes/agent-folders.md`).
pub const CLIENTS: &[McpClient] = &[
    client(
        "claude-code",
        "Claude Code",
        Some("~/.claude.json"),
        Some(".mcp.json"),
        Format::Json {
            table: "mcpServers",
            typed: true,
        },
    ),
    client(
        "cursor",
        "Cursor",
        Some("~/.cursor/mcp.json"),
        Some(".cursor/mcp.json"),
        MCP_SERVERS,
    ),
    client(
        "vscode",
        "VS Code",
        None,
        Some(".vscode/mcp.json"),
        Format::Json {
            table: "servers",
            typed: true,
        },
    ),
    client(
        "windsurf",
        "Windsurf",
        Some("~/.codeium/windsurf/mcp_config.json"),
        None,
        MCP_SERVERS,
    ),
    client(
        "gemini-cli",
        "Gemini CLI",
        Some("~/.gemini/settings.json"),
        Some(".gemini/settings.json"),
        MCP_SERVERS,
    ),
    client(
        "codex",
        "Codex",
        Some("$CODEX_HOME/config.toml"),
        None,
        Format::CodexToml,
    ),
    client(
        "claude-desktop",
        "Claude Desktop",
        Some(CLAUDE_DESKTOP),
        None,
        MCP_SERVERS,
    ),
    client(
        "zed",
        "Zed",
        Some("$XDG_CONFIG_HOME/zed/settings.json"),
        None,
        Format::ZedJson,
    ),
];

#[cfg(target_os = "macos")]
const CLAUDE_DESKTOP: &str = "~/Library/Application Support/Claude/claude_desktop_config.json";
#[cfg(not(target_os = "macos"))]
const CLAUDE_DESKTOP: &str = "$XDG_CONFIG_HOME/Claude/claude_desktop_config.json";

pub fn find(id: &str) -> anyhow::Result<&'static McpClient> {
    CLIENTS.iter().find(|c| c.id == id).with_context(|| {
        let ids: Vec<&str> = CLIENTS.iter().map(|c| c.id).collect();
        format!(
            "`{id}` is not an MCP client spm knows; use one of: {}",
            ids.join(", ")
        )
    })
}

impl McpClient {
    /// The file to edit: the project's with `project`, else the user's.
    pub fn file(&self, project: Option<&Path>, env: &Env) -> anyhow::Result<PathBuf> {
        match project {
            Some(root) => match self.project_file {
                Some(f) => Ok(root.join(f)),
                None => bail!(
                    "{} has no project-level MCP configuration; leave out --project",
                    self.name
                ),
            },
            None => match self.user_file {
                Some(f) => Ok(env.expand(f)),
                None => bail!(
                    "{} keeps MCP servers per project only; add --project",
                    self.name
                ),
            },
        }
    }
}

/// What `spm mcp` is started with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub program: String,
    pub args: Vec<String>,
}

impl Command {
    /// This `spm` binary, `spm mcp`.
    pub fn current() -> Command {
        let program = std::env::current_exe()
            .ok()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "spm".into());
        Command {
            program,
            args: vec!["mcp".into()],
        }
    }
}

/// What a change did to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Added,
    Updated,
    Unchanged,
    Removed,
    NotThere,
}

/// The entry's value in a JSON client.
fn json_entry(format: Format, cmd: &Command) -> serde_json::Value {
    match format {
        Format::Json { typed: true, .. } => serde_json::json!({
            "type": "stdio", "command": cmd.program, "args": cmd.args,
        }),
        Format::ZedJson => serde_json::json!({
            "command": { "path": cmd.program, "args": cmd.args },
        }),
        _ => serde_json::json!({ "command": cmd.program, "args": cmd.args }),
    }
}

fn table_of(format: Format) -> &'static str {
    match format {
        Format::Json { table, .. } => table,
        Format::ZedJson => "context_servers",
        Format::CodexToml => "mcp_servers",
    }
}

fn input(v: &serde_json::Value) -> jsonc_parser::cst::CstInputValue {
    use jsonc_parser::cst::CstInputValue as I;
    match v {
        serde_json::Value::Null => I::Null,
        serde_json::Value::Bool(b) => I::Bool(*b),
        serde_json::Value::Number(n) => I::Number(n.to_string()),
        serde_json::Value::String(s) => I::String(s.clone()),
        serde_json::Value::Array(a) => I::Array(a.iter().map(input).collect()),
        serde_json::Value::Object(o) => {
            I::Object(o.iter().map(|(k, v)| (k.clone(), input(v))).collect())
        }
    }
}

/// The new text of a JSON(C) file with the entry set (`Some`) or removed (`None`).
fn edit_json(
    text: &str,
    format: Format,
    entry: Option<&serde_json::Value>,
) -> anyhow::Result<(String, Change)> {
    use jsonc_parser::cst::CstRootNode;
    let source = if text.trim().is_empty() { "{}\n" } else { text };
    let root = CstRootNode::parse(source, &jsonc_parser::ParseOptions::default())
        .map_err(|e| anyhow::anyhow!("it is not valid JSON: {e}"))?;
    let obj = root.object_value_or_set();
    let table = table_of(format);
    let change = match entry {
        Some(value) => {
            let servers = obj.object_value_or_set(table);
            match servers.get(SERVER_NAME) {
                Some(prop) => {
                    // spm owns the keys it writes; keys the user added (`env`, ...) stay.
                    let wanted = value.as_object().cloned().unwrap_or_default();
                    let now = prop.value().and_then(|v| v.to_serde_value());
                    let same = now
                        .as_ref()
                        .and_then(|v| v.as_object())
                        .is_some_and(|o| wanted.iter().all(|(k, v)| o.get(k) == Some(v)));
                    if same {
                        return Ok((text.to_string(), Change::Unchanged));
                    }
                    match prop.value().and_then(|v| v.as_object()) {
                        Some(entry) => {
                            for (k, v) in &wanted {
                                match entry.get(k) {
                                    Some(p) => p.set_value(input(v)),
                                    None => {
                                        entry.append(k, input(v));
                                    }
                                }
                            }
                        }
                        None => prop.set_value(input(value)),
                    }
                    Change::Updated
                }
                None => {
                    servers.append(SERVER_NAME, input(value));
                    Change::Added
                }
            }
        }
        None => {
            let Some(servers) = obj.object_value(table) else {
                return Ok((text.to_string(), Change::NotThere));
            };
            let Some(prop) = servers.get(SERVER_NAME) else {
                return Ok((text.to_string(), Change::NotThere));
            };
            prop.remove();
            if servers.properties().is_empty()
                && let Some(p) = obj.get(table)
            {
                p.remove();
            }
            Change::Removed
        }
    };
    Ok((root.to_string(), change))
}

/// The new text of Codex's TOML with `[mcp_servers.spm]` set or removed.
fn edit_toml(text: &str, cmd: Option<&Command>) -> anyhow::Result<(String, Change)> {
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e| anyhow::anyhow!("it is not valid TOML: {e}"))?;
    let change = match cmd {
        Some(cmd) => {
            let mut server = toml_edit::Table::new();
            server["command"] = toml_edit::value(cmd.program.clone());
            let mut args = toml_edit::Array::new();
            for a in &cmd.args {
                args.push(a.as_str());
            }
            server["args"] = toml_edit::value(args);
            let existing = doc
                .get("mcp_servers")
                .and_then(|t| t.get(SERVER_NAME))
                .and_then(|t| t.as_table());
            let same = existing.is_some_and(|t| {
                t.get("command").and_then(|c| c.as_str()) == Some(cmd.program.as_str())
                    && t.get("args").and_then(|a| a.as_array()).is_some_and(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str())
                            .eq(cmd.args.iter().map(String::as_str))
                    })
            });
            if same {
                return Ok((text.to_string(), Change::Unchanged));
            }
            let had = existing.is_some();
            let servers = doc
                .entry("mcp_servers")
                .or_insert_with(|| {
                    let mut t = toml_edit::Table::new();
                    t.set_implicit(true);
                    toml_edit::Item::Table(t)
                })
                .as_table_mut()
                .context("`mcp_servers` is not a table")?;
            match servers.get_mut(SERVER_NAME).and_then(|t| t.as_table_mut()) {
                // spm owns `command` and `args`; keys the user added (`env`, ...) stay.
                Some(entry) => {
                    entry["command"] = server["command"].clone();
                    entry["args"] = server["args"].clone();
                }
                None => {
                    servers.insert(SERVER_NAME, toml_edit::Item::Table(server));
                }
            }
            if had { Change::Updated } else { Change::Added }
        }
        None => {
            let Some(servers) = doc.get_mut("mcp_servers").and_then(|t| t.as_table_mut()) else {
                return Ok((text.to_string(), Change::NotThere));
            };
            if servers.remove(SERVER_NAME).is_none() {
                return Ok((text.to_string(), Change::NotThere));
            }
            if servers.is_empty() {
                doc.remove("mcp_servers");
            }
            Change::Removed
        }
    };
    Ok((doc.to_string(), change))
}

/// Adds (`Some`) or removes (`None`) spm's entry in `file`.
pub fn apply(client: &McpClient, file: &Path, cmd: Option<&Command>) -> anyhow::Result<Change> {
    // A linked configuration file (dotfile managers) is edited where it lives; the link stays.
    let resolved;
    let file = if std::fs::symlink_metadata(file).is_ok_and(|m| m.file_type().is_symlink()) {
        resolved = std::fs::canonicalize(file)
            .with_context(|| format!("{} is a link to nowhere", file.display()))?;
        resolved.as_path()
    } else {
        file
    };
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if cmd.is_none() {
                return Ok(Change::NotThere);
            }
            String::new()
        }
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", file.display())),
    };
    let (new, change) = match client.format {
        Format::CodexToml => edit_toml(&text, cmd),
        f => edit_json(&text, f, cmd.map(|c| json_entry(f, c)).as_ref()),
    }
    .with_context(|| format!("cannot edit {}", file.display()))?;
    if matches!(change, Change::Unchanged | Change::NotThere) {
        return Ok(change);
    }
    let dir = file
        .parent()
        .context("the configuration file has no folder")?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    if file.exists() {
        let bak = file.with_extension(format!(
            "{}.bak",
            file.extension().and_then(|e| e.to_str()).unwrap_or("")
        ));
        // The file as it was before spm first changed it; later changes keep that copy.
        if !bak.exists() {
            std::fs::copy(file, &bak).with_context(|| format!("cannot write {}", bak.display()))?;
        }
    }
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, new.as_bytes())?;
    if let Ok(meta) = std::fs::metadata(file) {
        let _ = tmp.as_file().set_permissions(meta.permissions());
    }
    tmp.persist(file)
        .with_context(|| format!("cannot write {}", file.display()))?;
    Ok(change)
}

/// Whether `file` has spm's entry.
pub fn is_connected(client: &McpClient, file: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(file) else {
        return false;
    };
    match client.format {
        Format::CodexToml => text
            .parse::<toml_edit::DocumentMut>()
            .ok()
            .is_some_and(|d| {
                d.get("mcp_servers")
                    .and_then(|t| t.get(SERVER_NAME))
                    .is_some()
            }),
        f => jsonc_parser::cst::CstRootNode::parse(&text, &jsonc_parser::ParseOptions::default())
            .ok()
            .and_then(|r| r.object_value())
            .and_then(|o| o.object_value(table_of(f)))
            .is_some_and(|s| s.get(SERVER_NAME).is_some()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cmd() -> Command {
        Command {
            program: "/usr/local/bin/spm".into(),
            args: vec!["mcp".into()],
        }
    }

    const CLAUDE: &str = r#"{
  "numStartups": 42,
  // a comment the user wrote
  "projects": {
    "/home/u/app": { "allowedTools": [] }
  },
  "mcpServers": {
    "github": {
      "type": "stdio",
      "command": "npx",
      "args": ["-y", "@modelcontextprotocol/server-github"]
    }
  },
  "theme": "dark"
}
"#;

    #[test]
    fn an_update_keeps_keys_the_user_added_and_the_first_backup() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".claude.json");
        std::fs::write(&file, CLAUDE).unwrap();
        let c = find("claude-code").unwrap();
        apply(c, &file, Some(&cmd())).unwrap();
        // The user gives spm's entry an environment; a new spm path updates only its keys.
        let with_env = std::fs::read_to_string(&file).unwrap().replace(
            "\"type\": \"stdio\"",
            "\"env\": { \"SPM_HOME\": \"/x\" }, \"type\": \"stdio\"",
        );
        std::fs::write(&file, &with_env).unwrap();
        assert_eq!(apply(c, &file, Some(&cmd())).unwrap(), Change::Unchanged);
        let moved = Command {
            program: "/opt/spm/bin/spm".into(),
            args: vec!["mcp".into()],
        };
        assert_eq!(apply(c, &file, Some(&moved)).unwrap(), Change::Updated);
        let text = std::fs::read_to_string(&file).unwrap();
        let v = jsonc_parser::cst::CstRootNode::parse(&text, &Default::default())
            .unwrap()
            .value()
            .and_then(|v| v.to_serde_value())
            .unwrap();
        assert_eq!(v["mcpServers"]["spm"]["env"]["SPM_HOME"], "/x");
        assert_eq!(v["mcpServers"]["spm"]["command"], "/opt/spm/bin/spm");
        // The backup is the file before spm's first change.
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".claude.json.bak")).unwrap(),
            CLAUDE
        );

        let toml = dir.path().join("config.toml");
        std::fs::write(
            &toml,
            "[mcp_servers.spm]\ncommand = \"old\"\nargs = [\"mcp\"]\nenv = { A = \"1\" }\n",
        )
        .unwrap();
        let codex = find("codex").unwrap();
        assert_eq!(apply(codex, &toml, Some(&cmd())).unwrap(), Change::Updated);
        let t = std::fs::read_to_string(&toml).unwrap();
        assert!(
            t.contains("env = { A = \"1\" }") && t.contains("/usr/local/bin/spm"),
            "{t}"
        );
    }

    /// Configuration files as these clients write them, with the user's other servers,
    /// settings and comments: connect twice, then disconnect, leaves each byte-identical.
    #[test]
    fn every_client_round_trips_a_realistic_file() {
        let files: &[(&str, &str, &str)] = &[
            (
                "cursor",
                "mcp.json",
                "{\n  \"mcpServers\": {\n    \"filesystem\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@modelcontextprotocol/server-filesystem\", \"/Users/me/code\"]\n    },\n    \"linear\": { \"url\": \"https://mcp.linear.app/sse\" }\n  }\n}\n",
            ),
            (
                "vscode",
                "mcp.json",
                "{\n\t// Workspace MCP servers\n\t\"inputs\": [\n\t\t{ \"type\": \"promptString\", \"id\": \"gh-token\", \"description\": \"GitHub token\", \"password\": true }\n\t],\n\t\"servers\": {\n\t\t\"github\": {\n\t\t\t\"type\": \"http\",\n\t\t\t\"url\": \"https://api.githubcopilot.com/mcp/\",\n\t\t\t\"headers\": { \"Authorization\": \"Bearer ${input:gh-token}\" }\n\t\t}\n\t}\n}\n",
            ),
            (
                "windsurf",
                "mcp_config.json",
                "{\n  \"mcpServers\": {\n    \"brave-search\": {\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@modelcontextprotocol/server-brave-search\"],\n      \"env\": { \"BRAVE_API_KEY\": \"<key>\" }\n    }\n  }\n}\n",
            ),
            (
                "gemini-cli",
                "settings.json",
                "{\n  \"theme\": \"GitHub\",\n  \"selectedAuthType\": \"oauth-personal\",\n  \"mcpServers\": {\n    \"context7\": { \"httpUrl\": \"https://mcp.context7.com/mcp\" }\n  },\n  \"checkpointing\": { \"enabled\": true }\n}\n",
            ),
            (
                "claude-desktop",
                "claude_desktop_config.json",
                "{\n  \"globalShortcut\": \"Alt+Space\",\n  \"mcpServers\": {\n    \"sqlite\": {\n      \"command\": \"uvx\",\n      \"args\": [\"mcp-server-sqlite\", \"--db-path\", \"/Users/me/test.db\"]\n    }\n  }\n}\n",
            ),
            (
                "zed",
                "settings.json",
                "// Zed settings\n//\n// For information on how to configure Zed, see the Zed\n// documentation: https://zed.dev/docs/configuring-zed\n{\n  \"ui_font_size\": 16,\n  \"buffer_font_size\": 15,\n  \"theme\": {\n    \"mode\": \"system\",\n    \"light\": \"One Light\",\n    \"dark\": \"One Dark\",\n  },\n  \"context_servers\": {\n    \"postgres\": {\n      \"command\": { \"path\": \"npx\", \"args\": [\"-y\", \"@modelcontextprotocol/server-postgres\"] },\n    },\n  },\n}\n",
            ),
            (
                "codex",
                "config.toml",
                "model = \"o4-mini\"\napproval_policy = \"on-request\"\n\n# Servers I use every day\n[mcp_servers.docs]\ncommand = \"docs-mcp\"\nargs = [\"--stdio\"]\n\n[profiles.fast]\nmodel = \"gpt-4.1-mini\"\n",
            ),
        ];
        for (id, name, original) in files {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join(name);
            std::fs::write(&file, original).unwrap();
            let c = find(id).unwrap();
            assert_eq!(
                apply(c, &file, Some(&cmd())).unwrap(),
                Change::Added,
                "{id}"
            );
            let connected = std::fs::read_to_string(&file).unwrap();
            assert!(
                connected.contains("/usr/local/bin/spm"),
                "{id}: {connected}"
            );
            assert!(is_connected(c, &file), "{id}");
            assert_eq!(
                apply(c, &file, Some(&cmd())).unwrap(),
                Change::Unchanged,
                "{id}"
            );
            assert_eq!(std::fs::read_to_string(&file).unwrap(), connected, "{id}");
            assert_eq!(apply(c, &file, None).unwrap(), Change::Removed, "{id}");
            assert_eq!(&std::fs::read_to_string(&file).unwrap(), original, "{id}");
            assert!(!is_connected(c, &file), "{id}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_config_file_is_edited_where_it_lives() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("dotfiles-claude.json");
        std::fs::write(&real, CLAUDE).unwrap();
        let link = dir.path().join(".claude.json");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let c = find("claude-code").unwrap();
        assert_eq!(apply(c, &link, Some(&cmd())).unwrap(), Change::Added);
        assert!(
            std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(std::fs::read_to_string(&real).unwrap().contains("\"spm\""));
        apply(c, &link, None).unwrap();
        assert_eq!(std::fs::read_to_string(&real).unwrap(), CLAUDE);
    }

    #[test]
    fn json_connect_is_idempotent_and_disconnect_restores_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join(".claude.json");
        std::fs::write(&file, CLAUDE).unwrap();
        let c = find("claude-code").unwrap();
        assert_eq!(apply(c, &file, Some(&cmd())).unwrap(), Change::Added);
        let once = std::fs::read_to_string(&file).unwrap();
        assert!(once.contains("// a comment the user wrote"), "{once}");
        assert!(
            once.contains(r#""command": "/usr/local/bin/spm""#),
            "{once}"
        );
        assert!(is_connected(c, &file));
        assert_eq!(apply(c, &file, Some(&cmd())).unwrap(), Change::Unchanged);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), once);
        assert_eq!(once.matches("\"spm\"").count(), 1);
        assert_eq!(
            std::fs::read_to_string(dir.path().join(".claude.json.bak")).unwrap(),
            CLAUDE
        );
        assert_eq!(apply(c, &file, None).unwrap(), Change::Removed);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), CLAUDE);
        assert_eq!(apply(c, &file, None).unwrap(), Change::NotThere);
    }

    #[test]
    fn a_table_spm_created_goes_again_and_missing_files_are_created() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("settings.json");
        let original = "{\n  \"theme\": \"dark\"\n}\n";
        std::fs::write(&file, original).unwrap();
        let g = find("gemini-cli").unwrap();
        apply(g, &file, Some(&cmd())).unwrap();
        apply(g, &file, None).unwrap();
        assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
        let fresh = dir.path().join("new/mcp.json");
        apply(find("cursor").unwrap(), &fresh, Some(&cmd())).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&fresh).unwrap()).unwrap();
        assert_eq!(v["mcpServers"]["spm"]["args"][0], "mcp");
        let zed = dir.path().join("zed.json");
        std::fs::write(&zed, "// Zed settings\n{\n  \"vim_mode\": true\n}\n").unwrap();
        apply(find("zed").unwrap(), &zed, Some(&cmd())).unwrap();
        let text = std::fs::read_to_string(&zed).unwrap();
        assert!(
            text.starts_with("// Zed settings") && text.contains("\"path\""),
            "{text}"
        );
    }

    #[test]
    fn codex_toml_keeps_comments_and_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        let original = "# my codex settings\nmodel = \"o3\" # the default\n\n[mcp_servers.docs]\ncommand = \"docs-mcp\"\nargs = []\n";
        std::fs::write(&file, original).unwrap();
        let c = find("codex").unwrap();
        assert_eq!(apply(c, &file, Some(&cmd())).unwrap(), Change::Added);
        let once = std::fs::read_to_string(&file).unwrap();
        assert!(
            once.starts_with("# my codex settings\nmodel = \"o3\" # the default\n"),
            "{once}"
        );
        assert!(once.contains("[mcp_servers.spm]"), "{once}");
        assert_eq!(apply(c, &file, Some(&cmd())).unwrap(), Change::Unchanged);
        assert_eq!(apply(c, &file, None).unwrap(), Change::Removed);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), original);
    }

    #[test]
    fn broken_files_are_reported_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("mcp.json");
        std::fs::write(&file, "{ \"mcpServers\": ").unwrap();
        let err = format!(
            "{:#}",
            apply(find("cursor").unwrap(), &file, Some(&cmd())).unwrap_err()
        );
        assert!(
            err.contains("mcp.json") && err.contains("not valid JSON"),
            "{err}"
        );
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "{ \"mcpServers\": "
        );
    }
}
