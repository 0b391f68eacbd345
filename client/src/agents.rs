//! The agents spm installs skills for: where each reads skills in a project and for the
//! user, and how to tell it is installed. Kept as data in one place ([`AGENTS`]), from
//! `shared/notes/agent-folders.md`: a new agent is one line.
//!
//! Folder templates use `~` (the home folder), `$XDG_CONFIG_HOME` (default `~/.config`),
//! `$CODEX_HOME` (default `~/.codex`) and `$CLAUDE_CONFIG_DIR` (default `~/.claude`); a
//! detection path starting with `./` is relative to the project root.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Agent {
    /// What users type: `claude-code`, `codex`, ...
    pub id: &'static str,
    pub name: &'static str,
    /// Relative to the project root.
    pub project_folder: &'static str,
    /// For `-g`: a template (see the module docs).
    pub user_folder: &'static str,
    /// The agent counts as installed when one of these exists.
    pub detect: &'static [&'static str],
}

const fn agent(
    id: &'static str,
    name: &'static str,
    project_folder: &'static str,
    user_folder: &'static str,
    detect: &'static [&'static str],
) -> Agent {
    Agent {
        id,
        name,
        project_folder,
        user_folder,
        detect,
    }
}

/// Every agent spm knows, in the notes' order.
pub const AGENTS: &[Agent] = &[
    agent(
        "amp",
        "Amp",
        ".agents/skills",
        "$XDG_CONFIG_HOME/agents/skills",
        &["$XDG_CONFIG_HOME/amp"],
    ),
    agent(
        "antigravity",
        "Antigravity",
        ".agent/skills",
        "~/.gemini/antigravity/skills",
        &["./.agent", "~/.gemini/antigravity"],
    ),
    agent(
        "augment",
        "Augment",
        ".augment/skills",
        "~/.augment/skills",
        &["~/.augment"],
    ),
    agent(
        "claude-code",
        "Claude Code",
        ".claude/skills",
        "$CLAUDE_CONFIG_DIR/skills",
        &["$CLAUDE_CONFIG_DIR"],
    ),
    agent(
        "openclaw",
        "OpenClaw",
        "skills",
        "~/.openclaw/skills",
        &["~/.openclaw", "~/.clawdbot", "~/.moltbot"],
    ),
    agent(
        "cline",
        "Cline",
        ".cline/skills",
        "~/.cline/skills",
        &["~/.cline"],
    ),
    agent(
        "codebuddy",
        "CodeBuddy",
        ".codebuddy/skills",
        "~/.codebuddy/skills",
        &["./.codebuddy", "~/.codebuddy"],
    ),
    agent(
        "codex",
        "Codex",
        ".agents/skills",
        "$CODEX_HOME/skills",
        &["$CODEX_HOME", "/etc/codex"],
    ),
    agent(
        "command-code",
        "Command Code",
        ".commandcode/skills",
        "~/.commandcode/skills",
        &["~/.commandcode"],
    ),
    agent(
        "continue",
        "Continue",
        ".continue/skills",
        "~/.continue/skills",
        &["./.continue", "~/.continue"],
    ),
    agent(
        "crush",
        "Crush",
        ".crush/skills",
        "~/.config/crush/skills",
        &["~/.config/crush"],
    ),
    agent(
        "cursor",
        "Cursor",
        ".cursor/skills",
        "~/.cursor/skills",
        &["~/.cursor"],
    ),
    agent(
        "droid",
        "Droid",
        ".factory/skills",
        "~/.factory/skills",
        &["~/.factory"],
    ),
    agent(
        "gemini-cli",
        "Gemini CLI",
        ".agents/skills",
        "~/.gemini/skills",
        &["~/.gemini"],
    ),
    agent(
        "github-copilot",
        "GitHub Copilot",
        ".agents/skills",
        "~/.copilot/skills",
        &["./.github", "~/.copilot"],
    ),
    agent(
        "goose",
        "Goose",
        ".goose/skills",
        "$XDG_CONFIG_HOME/goose/skills",
        &["$XDG_CONFIG_HOME/goose"],
    ),
    agent(
        "junie",
        "Junie",
        ".junie/skills",
        "~/.junie/skills",
        &["~/.junie"],
    ),
    agent(
        "iflow-cli",
        "iFlow CLI",
        ".iflow/skills",
        "~/.iflow/skills",
        &["~/.iflow"],
    ),
    agent(
        "kilo",
        "Kilo Code",
        ".kilocode/skills",
        "~/.kilocode/skills",
        &["~/.kilocode"],
    ),
    agent(
        "kimi-cli",
        "Kimi Code CLI",
        ".agents/skills",
        "~/.config/agents/skills",
        &["~/.kimi"],
    ),
    agent(
        "kiro-cli",
        "Kiro CLI",
        ".kiro/skills",
        "~/.kiro/skills",
        &["~/.kiro"],
    ),
    agent(
        "kode",
        "Kode",
        ".kode/skills",
        "~/.kode/skills",
        &["~/.kode"],
    ),
    agent(
        "mcpjam",
        "MCPJam",
        ".mcpjam/skills",
        "~/.mcpjam/skills",
        &["~/.mcpjam"],
    ),
    agent(
        "mistral-vibe",
        "Mistral Vibe",
        ".vibe/skills",
        "~/.vibe/skills",
        &["~/.vibe"],
    ),
    agent("mux", "Mux", ".mux/skills", "~/.mux/skills", &["~/.mux"]),
    agent(
        "opencode",
        "OpenCode",
        ".agents/skills",
        "$XDG_CONFIG_HOME/opencode/skills",
        &["$XDG_CONFIG_HOME/opencode", "$CLAUDE_CONFIG_DIR/skills"],
    ),
    agent(
        "openhands",
        "OpenHands",
        ".openhands/skills",
        "~/.openhands/skills",
        &["~/.openhands"],
    ),
    agent(
        "pi",
        "Pi",
        ".pi/skills",
        "~/.pi/agent/skills",
        &["~/.pi/agent"],
    ),
    agent(
        "qoder",
        "Qoder",
        ".qoder/skills",
        "~/.qoder/skills",
        &["~/.qoder"],
    ),
    agent(
        "qwen-code",
        "Qwen Code",
        ".qwen/skills",
        "~/.qwen/skills",
        &["~/.qwen"],
    ),
    agent(
        "replit",
        "Replit",
        ".agents/skills",
        "$XDG_CONFIG_HOME/agents/skills",
        &["./.agents"],
    ),
    agent(
        "roo",
        "Roo Code",
        ".roo/skills",
        "~/.roo/skills",
        &["~/.roo"],
    ),
    agent(
        "trae",
        "Trae",
        ".trae/skills",
        "~/.trae/skills",
        &["~/.trae"],
    ),
    agent(
        "trae-cn",
        "Trae CN",
        ".trae/skills",
        "~/.trae-cn/skills",
        &["~/.trae-cn"],
    ),
    agent(
        "windsurf",
        "Windsurf",
        ".windsurf/skills",
        "~/.codeium/windsurf/skills",
        &["~/.codeium/windsurf"],
    ),
    agent(
        "zencoder",
        "Zencoder",
        ".zencoder/skills",
        "~/.zencoder/skills",
        &["~/.zencoder"],
    ),
    agent(
        "neovate",
        "Neovate",
        ".neovate/skills",
        "~/.neovate/skills",
        &["~/.neovate"],
    ),
    agent(
        "pochi",
        "Pochi",
        ".pochi/skills",
        "~/.pochi/skills",
        &["~/.pochi"],
    ),
    agent(
        "adal",
        "AdaL",
        ".adal/skills",
        "~/.adal/skills",
        &["~/.adal"],
    ),
];

/// The folder several agents share (the emerging common one), used when no agent is chosen.
pub const SHARED_FOLDER: &str = ".agents/skills";

/// The shared folder as a target of its own (`--agent shared`, and what `spm add` uses when
/// no agent is chosen and it cannot ask): `.agents/skills` in a project, and for `-g`
/// `$XDG_CONFIG_HOME/agents/skills`, the user folder the agents sharing it read.
pub const SHARED: Agent = agent(
    "shared",
    "the shared folder (Codex, Gemini CLI, GitHub Copilot, Amp, OpenCode and others)",
    SHARED_FOLDER,
    "$XDG_CONFIG_HOME/agents/skills",
    &[],
);

/// What `--agent` takes besides ids: every detected agent, the shared folder, or none.
pub const ALL_DETECTED: &str = "all-detected";
pub const NONE: &str = "none";

/// Where paths are resolved: the user's home and the variables the templates use.
#[derive(Debug, Clone)]
pub struct Env {
    pub home: PathBuf,
    pub vars: BTreeMap<String, String>,
}

impl Env {
    /// The real environment.
    pub fn current() -> Option<Env> {
        let home = std::env::var_os("HOME").map(PathBuf::from)?;
        let vars = ["XDG_CONFIG_HOME", "CODEX_HOME", "CLAUDE_CONFIG_DIR"]
            .iter()
            .filter_map(|k| {
                Some((
                    k.to_string(),
                    std::env::var(k).ok().filter(|v| !v.is_empty())?,
                ))
            })
            .collect();
        Some(Env { home, vars })
    }

    /// A template with `~` and the known variables filled in.
    pub fn expand(&self, template: &str) -> PathBuf {
        let var = |name: &str, default: &str| -> PathBuf {
            self.vars
                .get(name)
                .map(PathBuf::from)
                .unwrap_or_else(|| self.home.join(default))
        };
        let (base, rest) = if let Some(rest) = template.strip_prefix("~/") {
            (self.home.clone(), rest)
        } else if let Some(rest) = template.strip_prefix("$XDG_CONFIG_HOME") {
            (var("XDG_CONFIG_HOME", ".config"), rest)
        } else if let Some(rest) = template.strip_prefix("$CODEX_HOME") {
            (var("CODEX_HOME", ".codex"), rest)
        } else if let Some(rest) = template.strip_prefix("$CLAUDE_CONFIG_DIR") {
            (var("CLAUDE_CONFIG_DIR", ".claude"), rest)
        } else {
            return PathBuf::from(template);
        };
        let rest = rest.trim_start_matches('/');
        if rest.is_empty() {
            base
        } else {
            base.join(rest)
        }
    }
}

impl Agent {
    /// The folder this agent reads skills from: in the project, or the user's with `global`.
    pub fn folder(&self, project_root: &Path, global: bool, env: &Env) -> PathBuf {
        if global {
            env.expand(self.user_folder)
        } else {
            project_root.join(self.project_folder)
        }
    }

    /// Whether the agent looks installed (for the project at `project_root`).
    pub fn detected(&self, project_root: &Path, env: &Env) -> bool {
        self.detect.iter().any(|d| match d.strip_prefix("./") {
            Some(rel) => project_root.join(rel).exists(),
            None => env.expand(d).exists(),
        })
    }
}

/// The agent with this id.
pub fn find(id: &str) -> Option<&'static Agent> {
    AGENTS
        .iter()
        .chain(std::iter::once(&SHARED))
        .find(|a| a.id == id)
}

/// A list as users write it (`claude-code,codex`, or `all-detected`) → agents; an unknown
/// id is an error that lists the known ones.
pub fn parse_list(
    list: &str,
    project_root: &Path,
    env: &Env,
) -> Result<Vec<&'static Agent>, String> {
    let mut out: Vec<&'static Agent> = Vec::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if item == NONE {
            continue;
        }
        if item == ALL_DETECTED {
            for a in AGENTS.iter().filter(|a| a.detected(project_root, env)) {
                if !out.contains(&a) {
                    out.push(a);
                }
            }
            continue;
        }
        let a = find(item).ok_or_else(|| {
            let known: Vec<&str> = AGENTS.iter().map(|a| a.id).collect();
            format!(
                "`{item}` is not an agent spm knows; use one of: {}, shared (the .agents/skills folder), all-detected or none (`spm agents` lists them)",
                known.join(", ")
            )
        })?;
        if !out.contains(&a) {
            out.push(a);
        }
    }
    Ok(out)
}

/// The distinct folders for `agents` (agents that share a folder get one entry), each with
/// the agents that read it.
pub fn folders(
    agents: &[&'static Agent],
    project_root: &Path,
    global: bool,
    env: &Env,
) -> Vec<(PathBuf, Vec<&'static str>)> {
    let mut out: Vec<(PathBuf, Vec<&'static str>)> = Vec::new();
    for a in agents {
        let f = a.folder(project_root, global, env);
        match out.iter_mut().find(|(p, _)| *p == f) {
            Some((_, ids)) => ids.push(a.id),
            None => out.push((f, vec![a.id])),
        }
    }
    out
}

/// The skills in one folder: every `<folder>/<name>/SKILL.md`, by folder name, sorted.
pub fn skills_in(folder: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .flatten()
        .filter(|e| e.path().join("SKILL.md").is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| !n.starts_with('.'))
        .collect();
    out.sort();
    out
}

/// One skill folder an agent reads.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Seen {
    pub agent: &'static str,
    pub name: String,
    pub path: PathBuf,
    /// `project` or `user`.
    pub scope: &'static str,
}

/// A name one agent finds in more than one folder: the agent, the name, the folders.
pub type Shadowed = (&'static str, String, Vec<PathBuf>);

/// Every skill each detected agent would load (its project and its user folder), and the
/// names an agent finds more than once (one copy shadows the other, or it loads both).
pub fn census(project_root: &Path, env: &Env) -> (Vec<Seen>, Vec<Shadowed>) {
    let mut seen = Vec::new();
    let mut shadows = Vec::new();
    for a in AGENTS.iter().filter(|a| a.detected(project_root, env)) {
        let mut by_name: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
        for (scope, folder) in [
            ("project", a.folder(project_root, false, env)),
            ("user", a.folder(project_root, true, env)),
        ] {
            for name in skills_in(&folder) {
                let path = folder.join(&name);
                by_name.entry(name.clone()).or_default().push(path.clone());
                seen.push(Seen {
                    agent: a.id,
                    name,
                    path,
                    scope,
                });
            }
        }
        for (name, paths) in by_name {
            if paths.len() > 1 {
                shadows.push((a.id, name, paths));
            }
        }
    }
    (seen, shadows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(home: &Path) -> Env {
        Env {
            home: home.to_path_buf(),
            vars: BTreeMap::new(),
        }
    }

    #[test]
    fn the_catalog_is_consistent() {
        assert!(AGENTS.len() >= 39);
        let mut ids: Vec<&str> = AGENTS.iter().map(|a| a.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), AGENTS.len(), "duplicate agent ids");
        for a in AGENTS {
            assert!(spm_core::skill::check_name(a.id).is_ok(), "{}", a.id);
            assert!(!a.project_folder.starts_with('/'), "{}", a.id);
            assert!(!a.detect.is_empty(), "{}", a.id);
        }
    }

    #[test]
    fn folders_expand_and_shared_ones_merge() {
        let home = Path::new("/home/u");
        let mut e = env(home);
        let root = Path::new("/p");
        let cc = find("claude-code").unwrap();
        assert_eq!(cc.folder(root, false, &e), Path::new("/p/.claude/skills"));
        assert_eq!(
            cc.folder(root, true, &e),
            Path::new("/home/u/.claude/skills")
        );
        e.vars
            .insert("CLAUDE_CONFIG_DIR".into(), "/cfg/claude".into());
        assert_eq!(cc.folder(root, true, &e), Path::new("/cfg/claude/skills"));
        assert_eq!(
            find("goose").unwrap().folder(root, true, &e),
            Path::new("/home/u/.config/goose/skills")
        );
        let list = parse_list("codex,gemini-cli,claude-code,codex", root, &e).unwrap();
        assert_eq!(list.len(), 3);
        let f = folders(&list, root, false, &e);
        assert_eq!(f.len(), 2, "{f:?}");
        assert_eq!(
            f[0],
            (
                PathBuf::from("/p/.agents/skills"),
                vec!["codex", "gemini-cli"]
            )
        );
        let err = parse_list("claude,codex", root, &e).unwrap_err();
        assert!(
            err.contains("`claude`") && err.contains("claude-code"),
            "{err}"
        );
    }

    #[test]
    fn detection_looks_at_the_user_and_project_folders() {
        let home = tempfile::tempdir().unwrap();
        let project = tempfile::tempdir().unwrap();
        let e = env(home.path());
        assert!(!find("cursor").unwrap().detected(project.path(), &e));
        std::fs::create_dir_all(home.path().join(".cursor")).unwrap();
        assert!(find("cursor").unwrap().detected(project.path(), &e));
        std::fs::create_dir_all(project.path().join(".continue")).unwrap();
        assert!(find("continue").unwrap().detected(project.path(), &e));
        let all = parse_list("all-detected", project.path(), &e).unwrap();
        let ids: Vec<&str> = all.iter().map(|a| a.id).collect();
        assert!(
            ids.contains(&"cursor") && ids.contains(&"continue"),
            "{ids:?}"
        );
    }

    #[test]
    fn the_census_finds_every_skill_and_shadowed_names() {
        let home = tempfile::tempdir().unwrap();
        let project = tempfile::tempdir().unwrap();
        let e = env(home.path());
        let mk = |d: &Path| {
            std::fs::create_dir_all(d).unwrap();
            std::fs::write(d.join("SKILL.md"), "---\nname: x\n---\n").unwrap();
        };
        mk(&home.path().join(".claude/skills/notes"));
        mk(&project.path().join(".claude/skills/notes"));
        mk(&project.path().join(".claude/skills/pdf"));
        std::fs::create_dir_all(project.path().join(".claude/skills/empty")).unwrap();
        let mut e2 = e.clone();
        e2.vars.insert(
            "CLAUDE_CONFIG_DIR".into(),
            home.path().join(".claude").display().to_string(),
        );
        let (seen, shadows) = census(project.path(), &e2);
        let claude: Vec<_> = seen.iter().filter(|s| s.agent == "claude-code").collect();
        assert_eq!(claude.len(), 3, "{seen:?}");
        assert_eq!(shadows.len(), 1, "{shadows:?}");
        assert_eq!(shadows[0].1, "notes");
    }
}
