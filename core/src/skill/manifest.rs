//! The frontmatter fields of a skill and the rules each must follow.
//!
//! [`extract`] walks the positioned YAML tree, fills a [`Manifest`] and records one
//! [`Diagnostic`] per broken rule, so a user sees every problem at once, each where it is.

use std::collections::BTreeMap;

use semver::{Version, VersionReq};
use serde::{Deserialize, Serialize};

use super::name::{SkillId, check_author, check_name, suggest_name};
use super::permission::Permission;
use super::yaml::{Node, Source, Span, Value};
use crate::diagnostic::Diagnostic;

pub const MAX_DESCRIPTION_LEN: usize = 1024;
pub const MAX_COMPATIBILITY_LEN: usize = 500;
pub const MAX_TAGS: usize = 20;
pub const MAX_TAG_LEN: usize = 50;

/// The fields of the Agent Skills standard and of spm that this crate understands.
const KNOWN_KEYS: &[&str] = &[
    "name",
    "description",
    "license",
    "compatibility",
    "metadata",
    "allowed-tools",
    "version",
    "author",
    "dependencies",
    "permissions",
    "file_scope",
    "security",
    "tags",
    "repository",
    "homepage",
];

/// Keys that agents (Claude Code and others) define; carried through without a warning.
const AGENT_KEYS: &[&str] = &[
    "model",
    "disable-model-invocation",
    "argument-hint",
    "user-invocable",
    "context",
    "agent",
    "hooks",
];

/// A skill's metadata, as declared in its `SKILL.md` frontmatter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub name: String,
    pub description: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<Version>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub compatibility: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub metadata: BTreeMap<String, String>,
    #[serde(
        rename = "allowed-tools",
        skip_serializing_if = "Vec::is_empty",
        default
    )]
    pub allowed_tools: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub dependencies: BTreeMap<SkillId, VersionReq>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub permissions: Vec<Permission>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub file_scope: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub repository: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub homepage: Option<String>,
    /// Keys spm does not interpret (agent-specific and unknown ones), kept as JSON.
    #[serde(flatten)]
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// What the caller is about to do with the skill; publishing is stricter.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A missing version is an error (publish) rather than a warning (validate).
    pub require_version: bool,
    /// The directory the skill lives in; `name` should equal it.
    pub dir_name: Option<String>,
}

struct Ctx<'a, 'b> {
    src: &'a Source<'b>,
    diags: &'a mut Vec<Diagnostic>,
}

impl Ctx<'_, '_> {
    fn error(
        &mut self,
        code: &'static str,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::error(code, self.src.file, message).at(self.src.loc(span));
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }

    fn warning(
        &mut self,
        code: &'static str,
        span: Span,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        let d = Diagnostic::warning(code, self.src.file, message).at(self.src.loc(span));
        self.diags.push(d);
        self.diags.last_mut().expect("just pushed")
    }

    fn wrong_type(&mut self, key: &str, node: &Node, expected: &str) {
        let d = self.error(
            "field/type",
            node.span,
            format!("`{key}` must be {expected}, found {}", node.kind()),
        );
        d.label = Some(format!("expected {expected}"));
    }

    /// A string field; numbers and booleans are refused (quote them to make them strings).
    fn string(&mut self, key: &str, node: &Node) -> Option<String> {
        match &node.value {
            Value::Str(s) => Some(s.clone()),
            Value::Number(s) => {
                let s = s.clone();
                self.wrong_type(key, node, "a string");
                set_help(self.diags, format!("quote it: {key}: \"{s}\""));
                None
            }
            _ => {
                self.wrong_type(key, node, "a string");
                None
            }
        }
    }

    fn string_list(&mut self, key: &str, node: &Node) -> Vec<(String, Span)> {
        let Value::Seq(items) = &node.value else {
            self.wrong_type(key, node, "a list of strings");
            return Vec::new();
        };
        items
            .iter()
            .filter_map(|item| {
                self.string(&format!("{key} entry"), item)
                    .map(|s| (s, item.span))
            })
            .collect()
    }
}

fn set_help(diags: &mut [Diagnostic], help: String) {
    if let Some(d) = diags.last_mut() {
        d.help = Some(help);
    }
}

/// Reads the frontmatter tree into a [`Manifest`], recording a diagnostic for each broken rule.
pub fn extract(root: &Node, src: &Source, opts: &Options, diags: &mut Vec<Diagnostic>) -> Manifest {
    let mut cx = Ctx { src, diags };
    let mut m = Manifest::default();
    let entries: &[(Node, Node)] = match &root.value {
        Value::Map(entries) => entries,
        Value::Null => &[],
        _ => {
            cx.error(
                "frontmatter/not-a-mapping",
                root.span,
                format!(
                    "the frontmatter must be a mapping of keys to values, found {}",
                    root.kind()
                ),
            );
            return m;
        }
    };
    let get = |key: &str| {
        entries
            .iter()
            .find(|(k, _)| k.scalar_text().as_deref() == Some(key))
    };

    // Required fields.
    match get("name") {
        Some((_, v)) => {
            if let Some(name) = cx.string("name", v) {
                check_name_field(&mut cx, &name, v.span, opts);
                m.name = name;
            }
        }
        None => {
            let hint = opts
                .dir_name
                .as_deref()
                .map_or_else(|| "my-skill".to_string(), suggest_name);
            cx.error(
                "field/missing-name",
                root.span,
                "the required field `name` is missing",
            )
            .help = Some(format!("add `name: {hint}` to the frontmatter"));
        }
    }
    match get("description") {
        Some((_, v)) => {
            if let Some(desc) = cx.string("description", v) {
                let len = desc.chars().count();
                if desc.trim().is_empty() {
                    cx.error("field/description", v.span, "`description` is empty")
                        .help =
                        Some("say what the skill does and when an agent should use it".into());
                } else if len > MAX_DESCRIPTION_LEN {
                    cx.error(
                        "field/description",
                        v.span,
                        format!("`description` is {len} characters long; the limit is {MAX_DESCRIPTION_LEN}"),
                    )
                    .help = Some("move detail into the markdown body".into());
                }
                m.description = desc;
            }
        }
        None => {
            cx.error(
                "field/missing-description",
                root.span,
                "the required field `description` is missing",
            )
            .help = Some("add `description: <what the skill does and when to use it>`".into());
        }
    }

    for (key_node, value) in entries {
        let Some(key) = key_node.scalar_text() else {
            cx.wrong_type("a key", key_node, "a string");
            continue;
        };
        match key.as_str() {
            "name" | "description" | "version" => {}
            "license" => m.license = cx.string("license", value),
            "compatibility" => {
                if let Some(c) = cx.string("compatibility", value) {
                    let len = c.chars().count();
                    if len > MAX_COMPATIBILITY_LEN {
                        cx.error(
                            "field/compatibility",
                            value.span,
                            format!("`compatibility` is {len} characters long; the limit is {MAX_COMPATIBILITY_LEN}"),
                        );
                    }
                    m.compatibility = Some(c);
                }
            }
            "metadata" => m.metadata = metadata(&mut cx, value),
            "allowed-tools" => m.allowed_tools = allowed_tools(&mut cx, value),
            "author" => {
                if let Some(a) = cx.string("author", value) {
                    if let Err(reason) = check_author(&a) {
                        cx.warning("field/author", value.span, format!("the author `{a}` {reason}"))
                            .help = Some("use your registry account name (lowercase letters, digits, `-`); the registry publishes under the account of your token".into());
                    }
                    m.author = Some(a);
                }
            }
            "dependencies" => m.dependencies = dependencies(&mut cx, value),
            "permissions" | "file_scope" => {}
            "security" => {
                if !matches!(value.value, Value::Map(_) | Value::Null) {
                    cx.wrong_type("security", value, "a mapping");
                }
            }
            "tags" => m.tags = tags(&mut cx, value),
            "repository" => {
                m.repository = url_field(
                    &mut cx,
                    "repository",
                    value,
                    &["http", "https", "git", "ssh", "git+https", "git+ssh"],
                )
            }
            "homepage" => m.homepage = url_field(&mut cx, "homepage", value, &["http", "https"]),
            other => {
                if !AGENT_KEYS.contains(&other) {
                    let d = cx.warning(
                        "field/unknown",
                        key_node.span,
                        format!("unknown key `{other}`"),
                    );
                    d.label = Some("not a field spm knows".into());
                    d.help = Some(match did_you_mean(other) {
                        Some(k) => {
                            format!("did you mean `{k}`? Unknown keys are kept but ignored by spm")
                        }
                        None => "unknown keys are kept but ignored by spm".into(),
                    });
                }
                m.extra.insert(other.to_string(), to_json(value));
            }
        }
    }

    m.version = version(&mut cx, get("version"), &m.metadata, entries, root, opts);
    permissions(&mut cx, entries, &mut m);
    m
}

fn check_name_field(cx: &mut Ctx, name: &str, span: Span, opts: &Options) {
    if let Err(reason) = check_name(name) {
        let d = cx.error("field/name", span, format!("the name `{name}` {reason}"));
        d.help = Some(format!(
            "names are 1-64 lowercase letters, digits and single hyphens, e.g. `{}`",
            suggest_name(name)
        ));
        return;
    }
    if let Some(dir) = &opts.dir_name
        && dir != name
    {
        let d = cx.warning(
            "field/name-mismatch",
            span,
            format!("the name `{name}` differs from its directory `{dir}`"),
        );
        d.help = Some(format!(
            "rename the directory to `{name}` or set `name: {}`",
            suggest_name(dir)
        ));
    }
}

fn version(
    cx: &mut Ctx,
    field: Option<&(Node, Node)>,
    metadata: &BTreeMap<String, String>,
    entries: &[(Node, Node)],
    root: &Node,
    opts: &Options,
) -> Option<Version> {
    let parse = |cx: &mut Ctx, text: &str, span: Span, key: &str| match Version::parse(text.trim())
    {
        Ok(v) => Some(v),
        Err(e) => {
            cx.error(
                "field/version",
                span,
                format!("`{key}` `{text}` is not a valid semantic version: {e}"),
            )
            .help = Some("use MAJOR.MINOR.PATCH, e.g. `version: 1.0.0`".into());
            None
        }
    };
    if let Some((_, v)) = field {
        let Some(text) = v.scalar_text() else {
            cx.wrong_type("version", v, "a version string");
            return None;
        };
        let version = parse(cx, &text, v.span, "version")?;
        if let Some(meta) = metadata.get("version")
            && Version::parse(meta.trim()).ok().as_ref() != Some(&version)
        {
            cx.warning(
                "field/version-conflict",
                v.span,
                format!(
                    "`version` is {version} but `metadata.version` is {meta}; spm uses `version`"
                ),
            );
        }
        return Some(version);
    }
    if let Some(meta) = metadata.get("version") {
        let span = entries
            .iter()
            .find(|(k, _)| k.as_str() == Some("metadata"))
            .map_or(root.span, |(_, v)| v.span);
        return parse(cx, meta, span, "metadata.version");
    }
    let message = if opts.require_version {
        "a version is required to publish, and the frontmatter has none"
    } else {
        "no `version`: the skill cannot be published until it has one"
    };
    let span = Span {
        start: root.span.start,
        len: 0,
    };
    let d = if opts.require_version {
        cx.error("field/missing-version", span, message)
    } else {
        cx.warning("field/missing-version", span, message)
    };
    d.label = Some("add `version: 0.1.0` to the frontmatter".into());
    d.help = Some("add this line to the frontmatter: `version: 0.1.0`".into());
    None
}

fn metadata(cx: &mut Ctx, node: &Node) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let Value::Map(entries) = &node.value else {
        if node.value != Value::Null {
            cx.wrong_type("metadata", node, "a mapping of strings");
        }
        return out;
    };
    for (k, v) in entries {
        let key = k.scalar_text().unwrap_or_default();
        match &v.value {
            Value::Str(s) => {
                out.insert(key, s.clone());
            }
            Value::Number(_) | Value::Bool(_) => {
                let text = v.scalar_text().unwrap_or_default();
                cx.warning(
                    "field/metadata",
                    v.span,
                    format!("`metadata.{key}` should be a string, found {}", v.kind()),
                )
                .help = Some(format!("quote it: {key}: \"{text}\""));
                out.insert(key, text);
            }
            _ => {
                cx.wrong_type(&format!("metadata.{key}"), v, "a string");
            }
        }
    }
    out
}

/// `allowed-tools` is a space-separated string in the standard; agents also accept commas and
/// lists, and real skills use both, so all three are read.
fn allowed_tools(cx: &mut Ctx, node: &Node) -> Vec<String> {
    let split = |s: &str| -> Vec<String> {
        s.split(|c: char| c.is_whitespace() || c == ',')
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect()
    };
    match &node.value {
        Value::Str(s) => split(s),
        Value::Seq(_) => cx
            .string_list("allowed-tools", node)
            .into_iter()
            .flat_map(|(s, _)| split(&s))
            .collect(),
        Value::Null => Vec::new(),
        _ => {
            cx.wrong_type("allowed-tools", node, "a space-separated string");
            Vec::new()
        }
    }
}

fn dependencies(cx: &mut Ctx, node: &Node) -> BTreeMap<SkillId, VersionReq> {
    let mut out = BTreeMap::new();
    let Value::Map(entries) = &node.value else {
        if node.value != Value::Null {
            cx.wrong_type(
                "dependencies",
                node,
                "a mapping of `author/name` to a version range",
            );
        }
        return out;
    };
    for (k, v) in entries {
        let key = k.scalar_text().unwrap_or_default();
        let id = match key.parse::<SkillId>() {
            Ok(id) => id,
            Err(e) => {
                cx.error(
                    "field/dependency",
                    k.span,
                    format!("dependency `{key}`: {e}"),
                )
                .help = Some("dependencies are written `author/name: \"^1.2\"`".into());
                continue;
            }
        };
        let Some(range) = v.scalar_text() else {
            cx.wrong_type(
                &format!("the range for `{key}`"),
                v,
                "a version range string",
            );
            continue;
        };
        match VersionReq::parse(range.trim()) {
            Ok(req) => {
                out.insert(id, req);
            }
            Err(e) => {
                cx.error(
                    "field/dependency-range",
                    v.span,
                    format!("`{range}` is not a valid version range for `{key}`: {e}"),
                )
                .help =
                    Some("use a semver range such as `^1.2`, `~1.2.3`, `>=1, <2` or `*`".into());
            }
        }
    }
    out
}

fn tags(cx: &mut Ctx, node: &Node) -> Vec<String> {
    let list = cx.string_list("tags", node);
    if list.len() > MAX_TAGS {
        cx.error(
            "field/tags",
            node.span,
            format!("{} tags given; the limit is {MAX_TAGS}", list.len()),
        );
    }
    let mut out = Vec::new();
    for (tag, span) in list {
        let len = tag.chars().count();
        if tag.trim().is_empty() || len > MAX_TAG_LEN {
            cx.error(
                "field/tags",
                span,
                format!("the tag `{tag}` must be 1-{MAX_TAG_LEN} characters"),
            );
        } else if !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

fn url_field(cx: &mut Ctx, key: &str, node: &Node, schemes: &[&str]) -> Option<String> {
    let text = cx.string(key, node)?;
    match url::Url::parse(&text) {
        Ok(u) if schemes.contains(&u.scheme()) => Some(text),
        Ok(u) => {
            cx.error(
                "field/url",
                node.span,
                format!(
                    "`{key}` uses the scheme `{}`; expected one of {}",
                    u.scheme(),
                    schemes.join(", ")
                ),
            );
            None
        }
        Err(e) => {
            cx.error(
                "field/url",
                node.span,
                format!("`{key}` is not a valid URL: {e}"),
            )
            .help = Some(format!(
                "write a full URL, e.g. {key}: https://github.com/you/your-skill"
            ));
            None
        }
    }
}

/// `permissions` and `file_scope`, at the top level or under `security:`, but not both.
fn permissions(cx: &mut Ctx, entries: &[(Node, Node)], m: &mut Manifest) {
    let top = |key: &str| {
        entries
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    };
    let security: &[(Node, Node)] = match top("security").map(|n| &n.value) {
        Some(Value::Map(e)) => e,
        _ => &[],
    };
    for (k, _) in security {
        let key = k.scalar_text().unwrap_or_default();
        if !matches!(key.as_str(), "permissions" | "file_scope" | "integrity") {
            cx.warning(
                "field/unknown",
                k.span,
                format!("unknown key `security.{key}`"),
            )
            .help = Some("`security` holds `permissions` and `file_scope`".into());
        }
    }
    let nested = |key: &str| {
        security
            .iter()
            .find(|(k, _)| k.as_str() == Some(key))
            .map(|(_, v)| v)
    };
    let pick = |cx: &mut Ctx, key: &str| -> Option<Node> {
        match (top(key), nested(key)) {
            (Some(_), Some(b)) => {
                cx.error(
                    "field/duplicate",
                    b.span,
                    format!("`{key}` is declared both at the top level and under `security`"),
                )
                .help = Some(format!("keep one `{key}` list"));
                None
            }
            (a, b) => a.or(b).cloned(),
        }
    };
    if let Some(node) = pick(cx, "permissions") {
        let mut has_none = None;
        let mut has_host = false;
        for (text, span) in cx.string_list("permissions", &node) {
            match text.parse::<Permission>() {
                Ok(p) => {
                    if m.permissions.contains(&p) {
                        cx.warning("field/permission", span, format!("`{p}` is listed twice"));
                        continue;
                    }
                    match p {
                        Permission::NetworkNone => has_none = Some(span),
                        Permission::NetworkHost(_) => has_host = true,
                        _ => {}
                    }
                    m.permissions.push(p);
                }
                Err(e) => {
                    cx.error("field/permission", span, e.to_string());
                }
            }
        }
        if let (Some(span), true) = (has_none, has_host) {
            cx.error(
                "field/permission",
                span,
                "`network:none` contradicts the `network:<host>` entries beside it",
            )
            .help = Some("remove `network:none`, or remove the hosts".into());
        }
    }
    if let Some(node) = pick(cx, "file_scope") {
        for (scope, span) in cx.string_list("file_scope", &node) {
            if scope.trim().is_empty() {
                cx.error("field/file-scope", span, "a `file_scope` entry is empty");
            } else {
                m.file_scope.push(scope);
            }
        }
    }
}

fn did_you_mean(key: &str) -> Option<&'static str> {
    KNOWN_KEYS
        .iter()
        .chain(AGENT_KEYS)
        .map(|k| (strsim::damerau_levenshtein(key, k), *k))
        .filter(|(d, k)| *d <= 2 && *d < k.len() / 2 + 1)
        .min()
        .map(|(_, k)| k)
}

pub(crate) fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &node.value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Number(n) => n
            .parse::<i64>()
            .map(J::from)
            .or_else(|_| n.parse::<f64>().map(J::from))
            .unwrap_or_else(|_| J::String(n.clone())),
        Value::Str(s) => J::String(s.clone()),
        Value::Seq(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| (k.scalar_text().unwrap_or_default(), to_json(v)))
                .collect(),
        ),
    }
}
