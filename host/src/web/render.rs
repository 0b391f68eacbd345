//! HTML building blocks for the web UI: the page layout, safety and trust badges, and
//! skill markdown rendered with pulldown-cmark and sanitised by ammonia (a skill's text is
//! untrusted: no scripts, no event handlers, no `javascript:` links, no raw iframes).

use maud::{DOCTYPE, Markup, PreEscaped, html};
use spm_core::safety::SafetyStatus;

const STYLE: &str = r#"
body{font:16px/1.5 system-ui,sans-serif;margin:0;color:#1b1f24;background:#fafbfc}
header{background:#1b1f24;color:#fff;padding:.6rem 1.5rem;display:flex;gap:1rem;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:600}
header form{margin-left:auto}
main{max-width:60rem;margin:1.5rem auto;padding:0 1.5rem}
input[type=search]{padding:.35rem .6rem;border-radius:4px;border:1px solid #999;min-width:16rem}
.badge{display:inline-block;padding:.05rem .5rem;border-radius:999px;font-size:.8rem;font-weight:600;margin-right:.3rem}
.clean{background:#dff5e1;color:#135c1e}.flagged{background:#fff2cc;color:#7a5200}.blocked{background:#fddcdc;color:#8a1010}
.trusted{background:#dbe9ff;color:#0b3d91}.verified{background:#e4f0ff;color:#1d4f9c}.community{background:#eee;color:#333}.local{background:#eee;color:#555}
.warning{border-left:4px solid #d19a00;background:#fff8e0;padding:.6rem 1rem;margin:1rem 0}
.danger{border-left:4px solid #c02020;background:#ffeeee;padding:.6rem 1rem;margin:1rem 0}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #e2e4e8}
code,pre{background:#f0f2f4;border-radius:3px}pre{padding:.6rem;overflow:auto}
.skill{padding:.6rem 0;border-bottom:1px solid #e2e4e8}.muted{color:#5b636b;font-size:.9rem}
article{background:#fff;border:1px solid #e2e4e8;border-radius:6px;padding:.5rem 1.5rem;margin-top:1rem}
"#;

/// The stylesheet's path: named by its content hash, so it can be cached for good.
pub static STYLE_PATH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    use sha2::Digest;
    let hash = sha2::Sha256::digest(STYLE.as_bytes());
    let hex: String = hash.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("/static/spm-{hex}.css")
});

/// The stylesheet (served at [`STYLE_PATH`]; pages carry no inline style, so the
/// Content-Security-Policy allows no inline content at all).
pub fn stylesheet() -> &'static str {
    STYLE
}

/// A whole page around `body`.
pub fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · spm" }
                link rel="stylesheet" href=(STYLE_PATH.as_str());
            }
            body {
                header {
                    a href="/" { "spm registry" }
                    form action="/" method="get" {
                        input type="search" name="q" placeholder="Search skills" aria-label="Search skills";
                    }
                }
                main { (body) }
            }
        }
    }
}

/// The safety status as a badge, with a tooltip that says what it means.
pub fn safety_badge(status: SafetyStatus) -> Markup {
    let tip = match status {
        SafetyStatus::Clean => "the safety scan found nothing to worry about",
        SafetyStatus::Flagged => {
            "the safety scan found something a person should look at; installing needs --allow-flagged"
        }
        SafetyStatus::Blocked => "blocked by the safety scan or a reviewer; not served",
    };
    html! { span class={ "badge " (status) } title=(tip) { "safety: " (status) } }
}

/// The trust level as a badge.
pub fn trust_badge(level: &str) -> Markup {
    let (class, tip) = match level {
        "trusted" => (
            "trusted",
            "a core skill vetted by the registry's maintainers",
        ),
        "verified" => (
            "verified",
            "passed automatic checks and an administrator's review",
        ),
        "local" => ("local", "an unpublished skill"),
        _ => ("community", "published by a community member; not reviewed"),
    };
    html! { span class={ "badge " (class) } title=(tip) { "trust: " (level) } }
}

/// Markdown from a skill, as HTML safe to put in a page.
pub fn markdown(text: &str) -> Markup {
    use pulldown_cmark::{Options, Parser, html::push_html};
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    let mut raw = String::with_capacity(text.len() * 3 / 2);
    push_html(&mut raw, Parser::new_ext(text, opts));
    let clean = ammonia::Builder::default()
        .link_rel(Some("nofollow noopener noreferrer"))
        .url_schemes(["http", "https", "mailto"].into())
        .clean(&raw)
        .to_string();
    PreEscaped(clean)
}

/// The markdown body of a `SKILL.md` (without its frontmatter).
pub fn skill_body(skill_md: &str) -> &str {
    match spm_core::skill::frontmatter::split(skill_md, std::path::Path::new("SKILL.md")) {
        Ok(split) => split.body,
        Err(_) => skill_md,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skill_markdown_cannot_run_script() {
        let out = markdown(
            "# Hi\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n[a](javascript:alert(1))\n<a href=\"javascript:alert(1)\">b</a>\n<iframe src=\"https://x\"></iframe>\n",
        )
        .into_string();
        for bad in ["<script", "onerror", "href=\"javascript", "<iframe"] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
        assert!(out.contains("<h1>Hi</h1>"), "{out}");
    }

    #[test]
    fn frontmatter_is_not_shown() {
        assert_eq!(
            skill_body("---\nname: x\ndescription: d\n---\n# Body\n"),
            "# Body\n"
        );
    }
}
