//! Splitting `SKILL.md` into its YAML frontmatter and markdown body.
//!
//! Works on raw bytes so that invalid UTF-8, a byte-order mark, CRLF line endings, a
//! missing closing `---` and oversized frontmatter each get their own diagnostic with a
//! position in the original file.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Location};

/// Frontmatter larger than this is refused before it reaches the YAML parser.
pub const MAX_FRONTMATTER_BYTES: usize = 64 * 1024;

/// `SKILL.md` split into its parts; offsets are byte offsets into [`Split::text`].
#[derive(Debug)]
pub struct Split<'a> {
    /// The whole file as text (without a leading byte-order mark).
    pub text: &'a str,
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// Offset of `yaml` in `text`.
    pub yaml_offset: usize,
    /// The markdown after the closing `---` line.
    pub body: &'a str,
    /// Offset of `body` in `text`.
    pub body_offset: usize,
}

/// Decodes `bytes` as UTF-8 (dropping a byte-order mark) or explains where it is not.
pub fn decode<'a>(bytes: &'a [u8], file: &Path) -> Result<&'a str, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = e.valid_up_to();
        // The prefix is valid UTF-8 by definition, so locating within it is exact.
        let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
        let loc = Location::in_text(prefix, valid, 0);
        Diagnostic::error(
            "file/invalid-utf8",
            file,
            format!(
                "{} is not valid UTF-8: invalid byte 0x{:02x} at line {}, column {} (byte {valid})",
                file.file_name().map_or_else(
                    || file.display().to_string(),
                    |n| n.to_string_lossy().into_owned()
                ),
                bytes[valid],
                loc.line,
                loc.column
            ),
        )
        .at(Location { len: 1, ..loc })
        .help("save the file as UTF-8; SKILL.md must be text")
    })
}

/// Finds the frontmatter in `text`.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let mut lines = LineIter { text, pos: 0 };
    let first = lines.next();
    if first.is_none_or(|(_, line)| !is_fence(line)) {
        let shown = first.map_or("", |(_, l)| l.trim_end());
        let later = LineIter { text, pos: 0 }.skip(1).find(|(_, l)| is_fence(l));
        let help = match later {
            Some((at, _)) => format!(
                "a `---` line appears at line {}: frontmatter must be the very first thing in the file, so move it to the top",
                Location::in_text(text, at, 0).line
            ),
            None => "start the file with a frontmatter block (a `---` line, `name:` and `description:`, a closing `---`), e.g.\n---\nname: my-skill\ndescription: What the skill does and when to use it.\n---".to_string(),
        };
        return Err(Diagnostic::error(
            "frontmatter/missing",
            file,
            "SKILL.md must start with YAML frontmatter between two `---` lines",
        )
        .at(Location::in_text(text, 0, shown.len()))
        .label(if shown.is_empty() {
            "expected `---` here".to_string()
        } else {
            "expected `---`, found this".to_string()
        })
        .help(help));
    }
    let yaml_offset = lines.pos;
    for (start, line) in lines.by_ref() {
        if is_fence(line) {
            let yaml = &text[yaml_offset..start];
            check_size(yaml, text, yaml_offset, file)?;
            let body_offset = lines.pos;
            return Ok(Split {
                text,
                yaml,
                yaml_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
    }
    check_size(&text[yaml_offset..], text, yaml_offset, file)?;
    Err(Diagnostic::error(
        "frontmatter/unclosed",
        file,
        "the frontmatter opened on line 1 is never closed",
    )
    .at(Location::in_text(text, 0, 3))
    .label("opened here")
    .help("add a line containing only `---` after the last frontmatter field"))
}

fn check_size(yaml: &str, text: &str, offset: usize, file: &Path) -> Result<(), Diagnostic> {
    if yaml.len() <= MAX_FRONTMATTER_BYTES {
        return Ok(());
    }
    Err(Diagnostic::error(
        "frontmatter/too-large",
        file,
        format!(
            "the frontmatter is {} bytes; the limit is {} bytes",
            yaml.len(),
            MAX_FRONTMATTER_BYTES
        ),
    )
    .at(Location::in_text(text, offset, 0))
    .help(
        "keep metadata in the frontmatter and move long text into the markdown body or references/",
    ))
}

fn is_fence(line: &str) -> bool {
    line.trim_end() == "---"
}

/// Yields `(start offset, line without its terminator)`; `pos` is the start of the next line.
struct LineIter<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Iterator for LineIter<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let start = self.pos;
        let rest = &self.text[start..];
        let (line, advance) = match rest.find('\n') {
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        self.pos = start + advance;
        Some((start, line.strip_suffix('\r').unwrap_or(line)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("SKILL.md")
    }

    #[test]
    fn splits_frontmatter_and_body() {
        let s = split("---\nname: a\n---\n# Body\n", p()).unwrap();
        assert_eq!(s.yaml, "name: a\n");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(&s.text[s.yaml_offset..s.yaml_offset + 4], "name");
    }

    #[test]
    fn accepts_crlf_and_trailing_spaces_on_fences() {
        let s = split("--- \r\nname: a\r\n---\r\nbody", p()).unwrap();
        assert_eq!(s.yaml, "name: a\r\n");
        assert_eq!(s.body, "body");
    }

    #[test]
    fn empty_frontmatter_and_no_body() {
        let s = split("---\n---", p()).unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "");
    }

    #[test]
    fn missing_frontmatter_is_an_error_at_line_one() {
        let d = split("# Title\n", p()).unwrap_err();
        assert_eq!(d.code, "frontmatter/missing");
        assert_eq!(d.location.unwrap().line, 1);
        let d = split("", p()).unwrap_err();
        assert_eq!(d.code, "frontmatter/missing");
        let d = split("# Title\n\n---\nname: a\n---\n", p()).unwrap_err();
        assert!(d.help.unwrap().contains("line 3"));
    }

    #[test]
    fn unclosed_frontmatter_is_an_error() {
        let d = split("---\nname: a\n# body\n", p()).unwrap_err();
        assert_eq!(d.code, "frontmatter/unclosed");
        assert!(d.help.unwrap().contains("---"));
    }

    #[test]
    fn oversized_frontmatter_is_refused() {
        let big = format!("---\ndescription: {}\n---\n", "x".repeat(10 * 1024 * 1024));
        let d = split(&big, p()).unwrap_err();
        assert_eq!(d.code, "frontmatter/too-large");
        assert!(d.message.contains("limit"));
        let unclosed = format!(
            "---\ndescription: {}\n",
            "x".repeat(MAX_FRONTMATTER_BYTES + 1)
        );
        assert_eq!(
            split(&unclosed, p()).unwrap_err().code,
            "frontmatter/too-large"
        );
    }

    #[test]
    fn invalid_utf8_reports_line_and_column() {
        let d = decode(b"---\nname: a\xff\n", p()).unwrap_err();
        assert_eq!(d.code, "file/invalid-utf8");
        let l = d.location.unwrap();
        assert_eq!((l.line, l.column), (2, 8));
        assert!(d.message.contains("0xff"), "{}", d.message);
    }

    #[test]
    fn byte_order_mark_is_dropped() {
        assert_eq!(decode(b"\xEF\xBB\xBF---", p()).unwrap(), "---");
    }
}
