//! Package manifests and registry settings as a skill ships or writes them: dependencies
//! pinned to a URL that is no registry, dependency names one typo away from well-known
//! packages, Go modules replaced by copies on other hosts, and package-manager settings
//! (`.npmrc`, `pip.conf`, a fenced config block) that send every install to another index.

use std::sync::OnceLock;

use regex::bytes::{Regex, RegexBuilder};

use super::context::Context;
use super::hosts::{self, HostClass};
use super::{Category, Finding, Severity, ceil, excerpt, floor, names, shell};

/// Dependencies pinned to an archive or a repository on a host that is no package registry
/// or well-known forge, wherever a file writes them: `fastapi @ git+https://…/fastapi.git`
/// in a requirements list or a script that rewrites one, `"lodash": "https://…/x.tgz"` in a
/// manifest.
pub(super) fn direct_references(path: &str, text: &str, ctx: &Context, out: &mut Vec<Finding>) {
    static RE: OnceLock<[Regex; 2]> = OnceLock::new();
    let [pep508, npm] = RE.get_or_init(|| {
        let re = |p: &str| {
            RegexBuilder::new(p)
                .unicode(false)
                .build()
                .expect("the direct-reference patterns compile")
        };
        [
            // `name[extra] @ url`: a requirement with a direct reference (PEP 508), as a line
            // of its own or a string.
            re(
                r#"(?im)(^\s*|["'])[a-z0-9][a-z0-9._-]*(\[[a-z0-9,._ -]+\])?\s*@\s*(git\+)?https?://[^\s"'<>]+"#,
            ),
            // `"name": "url"` in a package manifest's dependencies.
            re(r#"(?i)"(@[a-z0-9._-]+/)?[a-z0-9][a-z0-9._-]*"\s*:\s*"(git\+)?https?://[^\s"'<>]+"#),
        ]
    });
    // A manifest's dependency blocks (`"dependencies": { … }` and its kin), nothing else.
    let base = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let blocks: Vec<std::ops::Range<usize>> =
        if base.ends_with(".json") && base.contains("dependenc") {
            // A dependency map of its own (`assets/devDependencies.json`, merged into a manifest).
            std::iter::once(0..text.len()).collect()
        } else if base.ends_with(".json") {
            text.match_indices("ependencies\"")
                .filter_map(|(i, _)| {
                    let open = i + text[i..].find('{')?;
                    let close = open + text[open..].find('}')?;
                    Some(open..close)
                })
                .collect()
        } else {
            Vec::new()
        };
    lookalike_dependencies(path, text, &blocks, ctx, out);
    let npm_matches = blocks.iter().flat_map(|b| {
        npm.find_iter(&text.as_bytes()[b.clone()])
            .map(move |m| (b.start + m.start(), b.start + m.end()))
    });
    let mut seen = 0;
    for (ms, me) in pep508
        .find_iter(text.as_bytes())
        .map(|m| (m.start(), m.end()))
        .chain(npm_matches)
    {
        let (start, end) = (floor(text, ms), ceil(text, me));
        let url = text[start..end].replace("git+http", "http");
        let Some((host, class)) = hosts::urls_in(&url).into_iter().next() else {
            continue;
        };
        let local = host == "localhost"
            || host.starts_with("127.")
            || host.starts_with("10.")
            || host.starts_with("192.168.")
            || host == "[::1]";
        if class == hosts::HostClass::Known || local || shell::is_registry(&host) {
            continue;
        }
        out.push(Finding {
            rule: "supply-chain/package-from-url".into(),
            category: Category::SupplyChain,
            severity: Severity::High,
            file: path.into(),
            line: ctx.line(start),
            excerpt: excerpt(text, start, end),
            explanation: format!(
                "pins a dependency to {host}, which is no package registry: the code installed is whatever that host serves"
            ),
            in_context: false,
        });
        seen += 1;
        if seen >= 5 {
            break;
        }
    }
}

/// Dependency names in `blocks` of a manifest that are one typo away from a well-known
/// package (`eslint-plugin-reactt-hooks`).
fn lookalike_dependencies(
    path: &str,
    text: &str,
    blocks: &[std::ops::Range<usize>],
    ctx: &Context,
    out: &mut Vec<Finding>,
) {
    static KEY: OnceLock<Regex> = OnceLock::new();
    let key = KEY.get_or_init(|| {
        RegexBuilder::new(r#""((@[a-z0-9._-]+/)?[a-z0-9][a-z0-9._-]*)"\s*:\s*""#)
            .unicode(false)
            .build()
            .expect("the dependency-name pattern compiles")
    });
    let mut seen = 0;
    for b in blocks {
        for c in key.captures_iter(&text.as_bytes()[b.clone()]).take(500) {
            let Some(m) = c.get(1) else { continue };
            let Ok(name) = std::str::from_utf8(m.as_bytes()) else {
                continue;
            };
            // The scope is the publisher's; the package's own name is what is imitated.
            let own = name.rsplit('/').next().unwrap_or(name);
            if own.len() < 4 {
                continue;
            }
            if let Some((part, word)) = names::lookalike(own) {
                let start = b.start + m.start();
                out.push(Finding {
                    rule: "supply-chain/lookalike-package".into(),
                    category: Category::SupplyChain,
                    severity: Severity::High,
                    file: path.into(),
                    line: ctx.line(start),
                    excerpt: excerpt(text, start, b.start + m.end()),
                    explanation: format!(
                        "depends on `{name}`, whose `{part}` is one typo away from the well-known `{word}` (typosquatting)"
                    ),
                    in_context: false,
                });
                seen += 1;
                if seen >= 3 {
                    return;
                }
            }
        }
    }
}

/// Whether `host` is a registry, a well-known forge or vendor, or this machine: packages
/// from it are what the names say.
fn served_by_its_own(host: &str, class: HostClass) -> bool {
    matches!(class, HostClass::Known | HostClass::Local) || shell::is_registry(host)
}

/// Package-manager settings that send installs to an index other than the public registry
/// (`registry=…` in `.npmrc`, `index-url = …` in `pip.conf`, `npmRegistryServer:` in
/// `.yarnrc.yml`), in a config file or a block a document tells the reader to write. A
/// company's own index is common and weighs little; one on a look-alike, a bare address or
/// plain HTTP is how dependency confusion starts.
pub(super) fn registry_settings(path: &str, text: &str, ctx: &Context, out: &mut Vec<Finding>) {
    if !["registry", "index-url", "npmregistryserver", "index_url"]
        .iter()
        .any(|k| memchr::memmem::find(text.as_bytes(), k.as_bytes()).is_some())
        && !text.contains("Registry")
        && !text.contains("index-url")
    {
        return;
    }
    static SETTING: OnceLock<Regex> = OnceLock::new();
    let setting = SETTING.get_or_init(|| {
        RegexBuilder::new(
            r#"(?im)^[ \t]*(?:(?:@[a-z0-9*._-]+:)?registry|(?:--)?(?:extra-)?index[-_]url|npmregistryserver|registryurl)(?:[ \t]*[=:][ \t]*|[ \t]+)["']?([a-z][a-z0-9+.-]*://[^\s"']+)"#,
        )
        .unicode(false)
        .build()
        .expect("the registry-setting pattern compiles")
    });
    // Settings whose value is on the lines below (pip's `extra-index-url =` then indented
    // URLs), each URL with where it is and whether it adds an index beside the public one.
    static CONTINUED: OnceLock<Regex> = OnceLock::new();
    let continued = CONTINUED.get_or_init(|| {
        RegexBuilder::new(
            r"(?im)^[ \t]*(extra-)?index[-_]url[ \t]*=[ \t]*\r?\n((?:[ \t]+\S+[ \t]*\r?\n?)+)",
        )
        .unicode(false)
        .build()
        .expect("the continued-setting pattern compiles")
    });
    let mut found: Vec<(usize, usize, String, bool)> = Vec::new();
    for c in setting.captures_iter(text.as_bytes()).take(50) {
        if let (Some(all), Some(url)) = (c.get(0), c.get(1)) {
            let extra = String::from_utf8_lossy(all.as_bytes())
                .trim_start()
                .trim_start_matches('-')
                .to_ascii_lowercase()
                .starts_with("extra");
            found.push((
                all.start(),
                all.end(),
                String::from_utf8_lossy(url.as_bytes()).into_owned(),
                extra,
            ));
        }
    }
    for c in continued.captures_iter(text.as_bytes()).take(20) {
        let extra = c.get(1).is_some();
        if let Some(block) = c.get(2) {
            let mut at = block.start();
            for l in String::from_utf8_lossy(block.as_bytes()).split_inclusive('\n') {
                let url = l.trim();
                if url.contains("://") {
                    found.push((at, at + l.trim_end().len(), url.to_string(), extra));
                }
                at += l.len();
            }
        }
    }
    let mut seen = 0;
    for (s0, e0, url, extra) in found {
        let url = url.as_str();
        let Some((host, class)) = hosts::urls_in(url).into_iter().next() else {
            continue;
        };
        if served_by_its_own(&host, class) {
            continue;
        }
        let (severity, why) = match class {
            // An index beside the public one: pip takes the highest version from either, so
            // whoever runs it can shadow any package (dependency confusion).
            _ if extra && class == HostClass::Unknown => (
                Severity::High,
                format!(
                    "adds {host} as an extra index beside the public one: a package published there under any public name is installed instead"
                ),
            ),
            HostClass::Suspicious | HostClass::BareIp | HostClass::PlainHttp => (
                Severity::High,
                format!(
                    "sends every install to {host}, which passes for a public registry or is no registry at all: whatever it serves is installed"
                ),
            ),
            _ => (
                Severity::Low,
                format!("sends installs to {host}, an index other than the public registry"),
            ),
        };
        let start = floor(text, s0);
        let end = ceil(text, e0);
        out.push(Finding {
            rule: "supply-chain/foreign-index".into(),
            category: Category::SupplyChain,
            severity,
            file: path.into(),
            line: ctx.line(start),
            excerpt: excerpt(text, start, end),
            explanation: why,
            in_context: ctx.teaching(),
        });
        seen += 1;
        if seen >= 3 {
            break;
        }
    }
}

/// `replace` directives of a `go.mod` that swap a module for a copy on a host that is no
/// forge or module proxy (`github.com/go-chi/chi/v5 => gitea.golang-mirrors.net/…`): the
/// build then compiles that host's code under the original's name.
pub(super) fn replaced_modules(path: &str, text: &str, ctx: &Context, out: &mut Vec<Finding>) {
    let mut in_block = false;
    let mut offset = 0;
    let mut seen = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let t = line.trim();
        if t.starts_with("replace (") || t == "replace(" {
            in_block = true;
            continue;
        }
        if in_block && t.starts_with(')') {
            in_block = false;
            continue;
        }
        let directive = if in_block {
            t
        } else if let Some(rest) = t.strip_prefix("replace ") {
            rest
        } else {
            continue;
        };
        let Some((from, to)) = directive.split_once("=>") else {
            continue;
        };
        let target = to.split_whitespace().next().unwrap_or("");
        // A local directory is the developer's own copy.
        if target.starts_with('.') || target.starts_with('/') || target.is_empty() {
            continue;
        }
        let host_of = |m: &str| m.split('/').next().unwrap_or("").to_ascii_lowercase();
        let (old, new) = (host_of(from.trim()), host_of(target));
        if old == new || !new.contains('.') {
            continue;
        }
        let class = hosts::classify_host(&new, false);
        if served_by_its_own(&new, class) {
            continue;
        }
        out.push(Finding {
            rule: "supply-chain/replaced-module".into(),
            category: Category::SupplyChain,
            severity: Severity::High,
            file: path.into(),
            line: ctx.line(start),
            excerpt: excerpt(text, start, start + line.trim_end().len()),
            explanation: format!(
                "replaces the module {} with a copy served by {new}: the build compiles that host's code under the original's name",
                from.trim()
            ),
            in_context: false,
        });
        seen += 1;
        if seen >= 3 {
            break;
        }
    }
}
