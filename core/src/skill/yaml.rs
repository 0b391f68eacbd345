//! A small, bounded YAML tree with source positions, for frontmatter.
//!
//! Built from `yaml-rust2`'s event parser rather than a serde deserialiser so that every
//! node keeps its position, duplicate keys are caught, and hostile input is refused early:
//! aliases (the "billion laughs" bomb), deep nesting, huge node counts, tabs used for
//! indentation and multiple documents each get a diagnostic instead of a panic or a hang.

use std::path::Path;

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

use crate::diagnostic::{Diagnostic, Location};

const MAX_DEPTH: usize = 32;
const MAX_NODES: usize = 20_000;

/// A byte range in the whole `SKILL.md` text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: usize,
    pub len: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// A plain scalar that YAML reads as a number; kept as written.
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

impl Node {
    /// What kind of value this is, for messages ("expected a string, found a list").
    pub fn kind(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The text of a scalar, as written (strings, numbers and booleans).
    pub fn scalar_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) | Value::Number(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }
}

/// Positions into the full file text, for diagnostics.
pub struct Source<'a> {
    pub text: &'a str,
    pub file: &'a Path,
}

impl Source<'_> {
    pub fn loc(&self, span: Span) -> Location {
        Location::in_text(self.text, span.start, span.len)
    }
}

/// Parses the frontmatter `yaml`, which starts at byte `offset` of `src.text`.
/// Returns the top-level node (`Null` for empty frontmatter).
pub fn parse(yaml: &str, offset: usize, src: &Source) -> Result<Node, Diagnostic> {
    check_tabs(yaml, offset, src)?;
    let index = CharIndex::new(yaml, offset);
    let mut parser = Parser::new_from_str(yaml);
    let mut b = Builder {
        stack: Vec::new(),
        root: None,
        nodes: 0,
        documents: 0,
    };
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            let at = index.byte(e.marker().index());
            scan_error(e.info(), src, at)
        })?;
        let at = index.byte(mark.index());
        match event {
            Event::StreamEnd => break,
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
            Event::DocumentStart => {
                b.documents += 1;
                if b.documents > 1 {
                    return Err(Diagnostic::error(
                        "frontmatter/multiple-documents",
                        src.file,
                        "the frontmatter holds more than one YAML document",
                    )
                    .at(src.loc(Span { start: at, len: 3 }))
                    .help(
                        "frontmatter is a single mapping; remove the extra `---` or `...` line",
                    ));
                }
            }
            Event::Alias(_) => {
                return Err(Diagnostic::error(
                    "frontmatter/alias",
                    src.file,
                    "YAML aliases (`*name`) are not allowed in frontmatter",
                )
                .at(src.loc(Span { start: at, len: 1 }))
                .label("alias used here")
                .help("write the value out in full; aliases can expand into huge documents"));
            }
            Event::Scalar(text, style, _, _) => {
                let len = scalar_len(yaml, at - offset, &text, style);
                let value = scalar_value(text, style);
                b.push_leaf(
                    Node {
                        value,
                        span: Span { start: at, len },
                    },
                    src,
                )?;
            }
            Event::SequenceStart(..) => b.open(Value::Seq(Vec::new()), at, src)?,
            Event::MappingStart(..) => b.open(Value::Map(Vec::new()), at, src)?,
            Event::SequenceEnd | Event::MappingEnd => b.close(at, src)?,
        }
    }
    Ok(b.root.unwrap_or(Node {
        value: Value::Null,
        span: Span {
            start: offset,
            len: 0,
        },
    }))
}

fn scan_error(info: &str, src: &Source, at: usize) -> Diagnostic {
    let mut d = Diagnostic::error(
        "frontmatter/yaml",
        src.file,
        format!("the frontmatter is not valid YAML: {info}"),
    )
    .at(src.loc(Span { start: at, len: 1 }));
    if info.contains("mapping values are not allowed") || info.contains("did not find expected") {
        d = d.help("a value containing `: `, `#` or starting with a special character (`*`, `&`, `[`, `{`, `>`, `|`, `@`, `` ` ``) must be quoted, e.g. description: \"Use when: ...\"");
    }
    d
}

/// Tabs may not indent YAML; say so where it happens rather than let the scanner guess.
fn check_tabs(yaml: &str, offset: usize, src: &Source) -> Result<(), Diagnostic> {
    let mut line_start = 0;
    for line in yaml.split_inclusive('\n') {
        let indent_len = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(tab) = line[..indent_len].find('\t') {
            let rest = line[indent_len..].trim();
            if !rest.is_empty() && !rest.starts_with('#') {
                return Err(Diagnostic::error(
                    "frontmatter/tab-indent",
                    src.file,
                    "a tab is used for indentation in the frontmatter; YAML allows only spaces",
                )
                .at(src.loc(Span {
                    start: offset + line_start + tab,
                    len: 1,
                }))
                .label("tab here")
                .help("replace the tab with spaces"));
            }
        }
        line_start += line.len();
    }
    Ok(())
}

fn scalar_value(text: String, style: TScalarStyle) -> Value {
    if style != TScalarStyle::Plain {
        return Value::Str(text);
    }
    match text.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        t if looks_numeric(t) => Value::Number(text),
        _ => Value::Str(text),
    }
}

fn looks_numeric(t: &str) -> bool {
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    t.parse::<f64>().is_ok()
        && t.chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || c == '.')
        || t.starts_with("0x") && i64::from_str_radix(&t[2..], 16).is_ok()
        || t.starts_with("0o") && i64::from_str_radix(&t[2..], 8).is_ok()
        || matches!(t, ".inf" | ".Inf" | ".INF" | ".nan" | ".NaN" | ".NAN")
}

/// An estimate of how many bytes a scalar spans in the source, kept within its line.
fn scalar_len(yaml: &str, rel: usize, text: &str, style: TScalarStyle) -> usize {
    let guess = match style {
        TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted => text.len() + 2,
        TScalarStyle::Literal | TScalarStyle::Folded => 1,
        _ => text.len(),
    };
    // Only look as far as the guess reaches, so long flow sequences stay linear.
    let rest = yaml.as_bytes().get(rel..).unwrap_or_default();
    let window = &rest[..guess.min(rest.len())];
    let line_len = window
        .iter()
        .position(|b| matches!(b, b'\n' | b'\r'))
        .unwrap_or(window.len());
    line_len.max(usize::from(!rest.is_empty()))
}

/// Maps the parser's character indices to byte offsets in the file.
struct CharIndex {
    offset: usize,
    /// Byte offset of each char; empty when the text is ASCII (char index == byte index).
    bytes: Vec<usize>,
    len: usize,
}

impl CharIndex {
    fn new(yaml: &str, offset: usize) -> Self {
        let bytes = if yaml.is_ascii() {
            Vec::new()
        } else {
            yaml.char_indices().map(|(i, _)| i).collect()
        };
        CharIndex {
            offset,
            bytes,
            len: yaml.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        let rel = if self.bytes.is_empty() {
            char_index.min(self.len)
        } else {
            self.bytes.get(char_index).copied().unwrap_or(self.len)
        };
        self.offset + rel
    }
}

struct Builder {
    /// Open collections, with the key waiting for its value when the collection is a map.
    stack: Vec<(Node, Option<Node>)>,
    root: Option<Node>,
    nodes: usize,
    documents: usize,
}

impl Builder {
    fn count(&mut self, at: usize, src: &Source) -> Result<(), Diagnostic> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(Diagnostic::error(
                "frontmatter/too-many-nodes",
                src.file,
                format!("the frontmatter has more than {MAX_NODES} values"),
            )
            .at(src.loc(Span { start: at, len: 1 })));
        }
        Ok(())
    }

    fn open(&mut self, value: Value, at: usize, src: &Source) -> Result<(), Diagnostic> {
        self.count(at, src)?;
        if self.stack.len() >= MAX_DEPTH {
            return Err(Diagnostic::error(
                "frontmatter/too-deep",
                src.file,
                format!("the frontmatter nests deeper than {MAX_DEPTH} levels"),
            )
            .at(src.loc(Span { start: at, len: 1 })));
        }
        self.stack.push((
            Node {
                value,
                span: Span { start: at, len: 1 },
            },
            None,
        ));
        Ok(())
    }

    fn close(&mut self, _at: usize, src: &Source) -> Result<(), Diagnostic> {
        let Some((node, _)) = self.stack.pop() else {
            return Ok(());
        };
        if let Value::Map(entries) = &node.value {
            check_duplicates(entries, src)?;
        }
        self.attach(node, src)
    }

    fn push_leaf(&mut self, node: Node, src: &Source) -> Result<(), Diagnostic> {
        self.count(node.span.start, src)?;
        self.attach(node, src)
    }

    fn attach(&mut self, node: Node, src: &Source) -> Result<(), Diagnostic> {
        let Some((parent, pending_key)) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match &mut parent.value {
            Value::Seq(items) => items.push(node),
            Value::Map(entries) => match pending_key.take() {
                None => {
                    if matches!(node.value, Value::Seq(_) | Value::Map(_)) {
                        return Err(Diagnostic::error(
                            "frontmatter/complex-key",
                            src.file,
                            "a mapping key must be a plain name, not a list or mapping",
                        )
                        .at(src.loc(node.span)));
                    }
                    *pending_key = Some(node);
                }
                Some(key) => entries.push((key, node)),
            },
            _ => {}
        }
        Ok(())
    }
}

fn check_duplicates(entries: &[(Node, Node)], src: &Source) -> Result<(), Diagnostic> {
    let mut seen: std::collections::HashMap<String, Span> = std::collections::HashMap::new();
    for (key, _) in entries {
        let name = key.scalar_text().unwrap_or_default();
        if let Some(first) = seen.get(&name) {
            return Err(Diagnostic::error(
                "frontmatter/duplicate-key",
                src.file,
                format!("the key `{name}` appears more than once"),
            )
            .at(src.loc(key.span))
            .label("defined again here")
            .related("first defined here", src.loc(*first))
            .help("keep one of the two"));
        }
        seen.insert(name, key.span);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(yaml: &str) -> Result<Node, Diagnostic> {
        let src = Source {
            text: yaml,
            file: Path::new("SKILL.md"),
        };
        parse(yaml, 0, &src)
    }

    fn map(n: &Node) -> &[(Node, Node)] {
        match &n.value {
            Value::Map(m) => m,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn builds_a_tree_with_positions() {
        let n = parse_str("name: foo\nlist:\n  - a\n  - 2\n").unwrap();
        let m = map(&n);
        assert_eq!(m[0].1.value, Value::Str("foo".into()));
        assert_eq!(m[0].1.span, Span { start: 6, len: 3 });
        let Value::Seq(items) = &m[1].1.value else {
            panic!()
        };
        assert_eq!(items[1].value, Value::Number("2".into()));
    }

    #[test]
    fn scalars_are_typed_like_yaml_reads_them() {
        let n = parse_str("a: true\nb: 1.5\nc: '1.5'\nd: ~\ne: 1.0.0\n").unwrap();
        let kinds: Vec<_> = map(&n).iter().map(|(_, v)| v.kind()).collect();
        assert_eq!(
            kinds,
            [
                "a boolean",
                "a number",
                "a string",
                "nothing (null)",
                "a string"
            ]
        );
    }

    #[test]
    fn duplicate_keys_point_at_both() {
        let d = parse_str("name: a\ndescription: x\nname: b\n").unwrap_err();
        assert_eq!(d.code, "frontmatter/duplicate-key");
        assert_eq!(d.location.unwrap().line, 3);
        assert_eq!(d.related[0].location.line, 1);
    }

    #[test]
    fn aliases_are_refused_before_expansion() {
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]\n";
        let d = parse_str(bomb).unwrap_err();
        assert_eq!(d.code, "frontmatter/alias");
        assert_eq!(d.location.unwrap().line, 2);
    }

    #[test]
    fn tabs_in_indentation_are_named() {
        let d = parse_str("metadata:\n\tkey: v\n").unwrap_err();
        assert_eq!(d.code, "frontmatter/tab-indent");
        let l = d.location.unwrap();
        assert_eq!((l.line, l.column), (2, 1));
        // A tab inside a value is fine.
        parse_str("description: a\tb\n").unwrap();
    }

    #[test]
    fn syntax_errors_have_positions_and_hints() {
        let d = parse_str("name: a\ndescription: Use when: things happen\n").unwrap_err();
        assert_eq!(d.code, "frontmatter/yaml");
        assert_eq!(d.location.unwrap().line, 2);
        assert!(d.help.is_some());
    }

    #[test]
    fn deep_nesting_and_many_nodes_are_bounded() {
        let deep = format!("a: {}{}\n", "[".repeat(100), "]".repeat(100));
        assert_eq!(parse_str(&deep).unwrap_err().code, "frontmatter/too-deep");
        let many = format!("a: [{}]\n", vec!["1"; MAX_NODES + 5].join(","));
        assert_eq!(
            parse_str(&many).unwrap_err().code,
            "frontmatter/too-many-nodes"
        );
    }

    #[test]
    fn multiple_documents_are_refused() {
        let d = parse_str("a: 1\n---\nb: 2\n").unwrap_err();
        assert_eq!(d.code, "frontmatter/multiple-documents");
    }

    #[test]
    fn non_ascii_positions_are_byte_offsets() {
        let n = parse_str("é: x\nname: y\n").unwrap();
        let m = map(&n);
        assert_eq!(m[1].1.span.start, "é: x\nname: ".len());
    }
}
