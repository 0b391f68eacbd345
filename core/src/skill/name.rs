//! Skill names, author names and `author/name` identifiers.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

pub const MAX_NAME_LEN: usize = 64;
pub const MAX_AUTHOR_LEN: usize = 39;

/// Why a name is not acceptable, phrased to finish "the name `x` ...".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("is empty")]
    Empty,
    #[error("is {len} characters long; the limit is {max}")]
    TooLong { len: usize, max: usize },
    #[error("contains `{0}`; only lowercase letters, digits and `-` are allowed")]
    BadChar(char),
    #[error("starts or ends with `-`")]
    EdgeHyphen,
    #[error("contains `--`; hyphens may not be doubled")]
    DoubleHyphen,
}

/// Checks a skill name: 1–64 of `a-z`, `0-9`, `-`, no leading, trailing or doubled `-`.
pub fn check_name(name: &str) -> Result<(), NameError> {
    check_slug(name, MAX_NAME_LEN)
}

/// Checks an author (account) name: the same alphabet as skill names, at most 39 characters.
pub fn check_author(author: &str) -> Result<(), NameError> {
    check_slug(author, MAX_AUTHOR_LEN)
}

fn check_slug(s: &str, max: usize) -> Result<(), NameError> {
    if s.is_empty() {
        return Err(NameError::Empty);
    }
    let len = s.chars().count();
    if len > max {
        return Err(NameError::TooLong { len, max });
    }
    if let Some(c) = s
        .chars()
        .find(|c| !matches!(c, 'a'..='z' | '0'..='9' | '-'))
    {
        return Err(NameError::BadChar(c));
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Err(NameError::EdgeHyphen);
    }
    if s.contains("--") {
        return Err(NameError::DoubleHyphen);
    }
    Ok(())
}

/// A lowercase, hyphenated form of `s` that passes [`check_name`], for suggestions.
pub fn suggest_name(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out: String = out.trim_matches('-').chars().take(MAX_NAME_LEN).collect();
    let out = out.trim_end_matches('-').to_string();
    if out.is_empty() {
        "my-skill".into()
    } else {
        out
    }
}

/// `author/name`, the identity of a skill in a registry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct SkillId {
    pub author: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SkillIdError {
    #[error("`{0}` is not of the form author/name")]
    Shape(String),
    #[error("the author `{author}` {reason}")]
    Author { author: String, reason: NameError },
    #[error("the skill name `{name}` {reason}")]
    Name { name: String, reason: NameError },
}

impl FromStr for SkillId {
    type Err = SkillIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.strip_prefix('@').unwrap_or(s);
        let Some((author, name)) = trimmed.split_once('/') else {
            return Err(SkillIdError::Shape(s.to_string()));
        };
        check_author(author).map_err(|reason| SkillIdError::Author {
            author: author.to_string(),
            reason,
        })?;
        check_name(name).map_err(|reason| SkillIdError::Name {
            name: name.to_string(),
            reason,
        })?;
        Ok(SkillId {
            author: author.to_string(),
            name: name.to_string(),
        })
    }
}

impl TryFrom<String> for SkillId {
    type Error = SkillIdError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<SkillId> for String {
    fn from(id: SkillId) -> String {
        id.to_string()
    }
}

impl fmt::Display for SkillId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.author, self.name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_agent_skills_rules() {
        assert!(check_name("pdf-tools").is_ok());
        assert!(check_name("a").is_ok());
        assert!(check_name(&"a".repeat(64)).is_ok());
        assert_eq!(check_name(""), Err(NameError::Empty));
        assert_eq!(
            check_name(&"a".repeat(65)),
            Err(NameError::TooLong { len: 65, max: 64 })
        );
        assert_eq!(check_name("PDF"), Err(NameError::BadChar('P')));
        assert_eq!(check_name("a_b"), Err(NameError::BadChar('_')));
        assert_eq!(check_name("-a"), Err(NameError::EdgeHyphen));
        assert_eq!(check_name("a-"), Err(NameError::EdgeHyphen));
        assert_eq!(check_name("a--b"), Err(NameError::DoubleHyphen));
    }

    #[test]
    fn suggestions_are_valid_names() {
        for s in ["My Skill!", "--", "PDF_Tools", "é", &"x-".repeat(60)] {
            let n = suggest_name(s);
            assert!(check_name(&n).is_ok(), "{s:?} -> {n:?}");
        }
        assert_eq!(suggest_name("My Skill"), "my-skill");
    }

    #[test]
    fn skill_ids_parse_and_display() {
        let id: SkillId = "alice/pdf-tools".parse().unwrap();
        assert_eq!(id.to_string(), "alice/pdf-tools");
        assert_eq!("@alice/x".parse::<SkillId>().unwrap().author, "alice");
        assert!(matches!(
            "alice".parse::<SkillId>(),
            Err(SkillIdError::Shape(_))
        ));
        assert!(matches!(
            "Alice/x".parse::<SkillId>(),
            Err(SkillIdError::Author { .. })
        ));
        assert!(matches!(
            "alice/X".parse::<SkillId>(),
            Err(SkillIdError::Name { .. })
        ));
    }
}
