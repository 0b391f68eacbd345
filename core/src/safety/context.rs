//! Where in a file a match sits: code fences and spans, quotes, blockquotes, negated or
//! teaching sentences, and whether the whole document is about detecting attacks.

/// Words that mark a sentence as describing, forbidding or detecting an attack.
const NEGATION: &[&str] = &[
    "never ",
    "don't ",
    "do not ",
    "must not ",
    "should not ",
    "avoid",
    "refuse",
    "reject",
    "detect",
    "flag ",
    "block ",
    "for example",
    "example:",
    "an example",
    "examples",
    "e.g.",
    "such as",
    "attack",
    "malicious",
    "injection",
    "jailbreak",
    "phishing",
    "warn",
    "watch for",
    "look for",
    "red flag",
    "suspicious",
    "beware",
];

/// Phrases that mark a document as teaching security or detection.
const TEACHING: &[&str] = &[
    "prompt injection",
    "injection attack",
    "detect",
    "malicious",
    "attacker",
    "vulnerabilit",
    "security review",
    "red flag",
    "threat model",
    "exfiltrat",
    "false positive",
];

pub struct Context<'a> {
    text: &'a str,
    /// Byte ranges inside ``` / ~~~ fences or `inline code`.
    code: Vec<(usize, usize)>,
    teaching: bool,
    markdown: bool,
}

impl<'a> Context<'a> {
    pub fn new(path: &str, text: &'a str, skill_teaching: bool) -> Context<'a> {
        let markdown = path.ends_with(".md")
            || path.ends_with(".markdown")
            || path.ends_with(".mdx")
            || path.ends_with(".txt");
        let mut code = Vec::new();
        if markdown {
            let mut fence_start: Option<usize> = None;
            let mut pos = 0;
            for line in text.split_inclusive('\n') {
                let t = line.trim_start();
                if t.starts_with("```") || t.starts_with("~~~") {
                    match fence_start.take() {
                        Some(s) => code.push((s, pos + line.len())),
                        None => fence_start = Some(pos),
                    }
                } else if fence_start.is_none() {
                    let mut in_span = None;
                    for (i, b) in line.bytes().enumerate() {
                        if b == b'`' {
                            match in_span.take() {
                                Some(s) => code.push((pos + s, pos + i + 1)),
                                None => in_span = Some(i),
                            }
                        }
                    }
                }
                pos += line.len();
            }
            if let Some(s) = fence_start {
                code.push((s, text.len()));
            }
        }
        // Count teaching words in prose only: not in code, not in URLs or host names
        // (an attacker's domain must not make its own skill look like a lesson).
        let mut prose = String::with_capacity(text.len());
        let mut last = 0;
        for &(s, e) in &code {
            if s >= last {
                prose.push_str(&text[last..s]);
                last = e;
            }
        }
        prose.push_str(&text[last.min(text.len())..]);
        let words: Vec<&str> = prose
            .split_whitespace()
            .filter(|w| !w.contains("://") && w.matches('.').count() < 2 && !w.contains('@'))
            .collect();
        let lower = words.join(" ").to_lowercase();
        let hits = TEACHING
            .iter()
            .map(|t| lower.matches(t).count())
            .sum::<usize>();
        Context {
            text,
            code,
            teaching: skill_teaching || hits >= 4,
            markdown,
        }
    }

    /// The document is about security or detection.
    pub fn teaching(&self) -> bool {
        self.teaching
    }

    pub fn markdown(&self) -> bool {
        self.markdown
    }

    /// The whole line holding `offset`.
    pub fn line_text(&self, offset: usize) -> &'a str {
        let start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        &self.text[start..end]
    }

    pub fn line(&self, offset: usize) -> u32 {
        self.text.as_bytes()[..offset.min(self.text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u32
            + 1
    }

    fn in_code(&self, offset: usize) -> bool {
        self.code.iter().any(|&(s, e)| offset >= s && offset < e)
    }

    /// Whether an instruction-like phrase at `offset` is quoted, shown, negated or taught
    /// rather than addressed to the agent.
    pub fn quoted(&self, offset: usize) -> bool {
        if self.teaching || (self.markdown && self.in_code(offset)) {
            return true;
        }
        let line_start = self.text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[offset..]
            .find('\n')
            .map_or(self.text.len(), |i| offset + i);
        let line = &self.text[line_start..line_end];
        if line.trim_start().starts_with('>') {
            return true;
        }
        // Inside a quotation on its line.
        let before = &self.text[line_start..offset];
        if before.matches('"').count() % 2 == 1
            || before.matches('“').count() > before.matches('”').count()
        {
            return true;
        }
        let lower = line.to_lowercase();
        NEGATION.iter().any(|w| lower.contains(w))
    }
}
