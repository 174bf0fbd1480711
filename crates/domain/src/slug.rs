//! Stable identifiers a person can write by hand in a file.

use std::fmt;

/// Longest slug we accept: long enough for a sub-goal's title, short enough for a URL.
pub const MAX_SLUG_LEN: usize = 80;

/// A stable identifier: lower-case ASCII letters and digits in groups joined by single hyphens.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slug(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("empty")]
    Empty,
    #[error("longer than {MAX_SLUG_LEN} characters")]
    TooLong,
    #[error("holds a character other than a-z, 0-9 and single inner hyphens")]
    BadCharacter,
}

impl Slug {
    pub fn parse(s: &str) -> Result<Self, SlugError> {
        if s.is_empty() {
            return Err(SlugError::Empty);
        }
        if s.len() > MAX_SLUG_LEN {
            return Err(SlugError::TooLong);
        }
        let ok_chars = s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok_chars || s.starts_with('-') || s.ends_with('-') || s.contains("--") {
            return Err(SlugError::BadCharacter);
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A reference to a goal node of a plan, written `plan-id/node-id`.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct GoalRef {
    pub plan: Slug,
    pub node: Slug,
}

impl GoalRef {
    /// Parses `plan/node`; `None` when the text has no single `/` between two slugs.
    pub fn parse(s: &str) -> Option<Self> {
        let (plan, node) = s.split_once('/')?;
        Some(Self {
            plan: Slug::parse(plan).ok()?,
            node: Slug::parse(node).ok()?,
        })
    }
}

impl fmt::Display for GoalRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.plan, self.node)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_hand_written_slugs() {
        for s in ["delmal-5", "social-valfard-2019-2022", "a", "1880"] {
            assert_eq!(Slug::parse(s).map(|s| s.to_string()), Ok(s.to_owned()));
        }
    }

    #[test]
    fn refuses_what_a_url_or_a_person_would_trip_on() {
        assert_eq!(Slug::parse(""), Err(SlugError::Empty));
        for s in ["Delmal", "delmål", "a--b", "-a", "a-", "a b", "a_b", "a/b"] {
            assert_eq!(Slug::parse(s), Err(SlugError::BadCharacter), "{s}");
        }
        assert_eq!(Slug::parse(&"a".repeat(81)), Err(SlugError::TooLong));
    }

    #[test]
    fn goal_refs_name_a_plan_and_a_node() {
        let r = GoalRef::parse("social-valfard/delmal-5").expect("valid");
        assert_eq!(
            (r.plan.as_str(), r.node.as_str()),
            ("social-valfard", "delmal-5")
        );
        assert_eq!(r.to_string(), "social-valfard/delmal-5");
        for s in ["social-valfard", "a/b/c", "/b", "a/", "A/b"] {
            assert!(GoalRef::parse(s).is_none(), "{s}");
        }
    }
}

crate::text_serde!(Slug, |s: &str| Slug::parse(s));
