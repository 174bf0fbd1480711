//! The words people read, in Swedish (the default) and English, from Fluent message files in
//! `locales/`. Code names a message by its key and never holds the text itself.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "sv",
        // Bidi isolation marks would show as noise in a terminal and in test assertions.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language of the interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Lang {
    #[default]
    Sv,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Sv, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }

    /// The language a tag like `en`, `en-GB` or `sv_SE.UTF-8` asks for, if we speak it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_', '.', ';'])
            .next()?
            .to_ascii_lowercase();
        match primary.as_str() {
            "sv" => Some(Lang::Sv),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language a command-line user asked for: `RODTRAD_LANG`, then the locale variables;
    /// Swedish when none of them names a language we speak.
    pub fn from_env() -> Lang {
        ["RODTRAD_LANG", "LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|v| std::env::var(v).ok())
            .find(|v| !v.is_empty())
            .and_then(|v| Lang::from_tag(&v))
            .unwrap_or_default()
    }

    fn id(self) -> LanguageIdentifier {
        match self {
            Lang::Sv => langid!("sv"),
            Lang::En => langid!("en"),
        }
    }

    /// The message `key` with no arguments.
    pub fn text(self, key: &str) -> String {
        LOCALES.lookup(&self.id(), key)
    }

    /// The message `key` with its arguments.
    pub fn format(self, key: &str, args: &[(&str, String)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Owned((*k).to_owned()), FluentValue::from(v.clone())))
            .collect();
        LOCALES.lookup_with_args(&self.id(), key, &args)
    }

    /// The message `key` with a `count` argument, as a number so that plural forms are chosen.
    pub fn count(self, key: &str, count: usize) -> String {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        args.insert(Cow::Borrowed("count"), FluentValue::from(count));
        LOCALES.lookup_with_args(&self.id(), key, &args)
    }

    /// Whether the message files hold `key` in this language (without falling back).
    pub fn has(self, key: &str) -> bool {
        let none: Option<&HashMap<&str, FluentValue>> = None;
        match LOCALES.lookup_single_language(&self.id(), key, none) {
            Ok(_) => true,
            // The message exists and only lacks the arguments not given here; fluent-templates
            // does not export its error type, so the kind is told by its text.
            Err(e) => e.to_string().starts_with("Fluent errors"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(lang: &str) -> Vec<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let mut keys = Vec::new();
        for entry in std::fs::read_dir(dir).expect("locale dir") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("ftl");
            keys.extend(
                text.lines()
                    .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_lowercase()))
                    .filter_map(|l| l.split_once(" =").map(|(k, _)| k.trim().to_owned())),
            );
        }
        keys.sort();
        keys
    }

    #[test]
    fn both_languages_have_every_message() {
        let (sv, en) = (keys("sv"), keys("en"));
        assert!(!sv.is_empty());
        assert_eq!(sv, en, "sv and en message files must hold the same keys");
    }

    #[test]
    fn counts_choose_the_plural_form() {
        assert_eq!(Lang::Sv.count("search-results", 1), "1 aktivitet");
        assert_eq!(Lang::Sv.count("search-results", 3), "3 aktiviteter");
        assert_eq!(Lang::En.count("search-results", 1), "1 activity");
        assert_eq!(Lang::En.count("search-results", 0), "0 activities");
    }

    #[test]
    fn knows_which_messages_exist() {
        assert!(Lang::Sv.has("problem-bad-date"), "a message with arguments");
        assert!(Lang::En.has("problem-unknown-file"), "a message without");
        assert!(!Lang::Sv.has("problem-that-does-not-exist"));
    }

    #[test]
    fn picks_the_language_from_a_tag() {
        assert_eq!(Lang::from_tag("en-GB"), Some(Lang::En));
        assert_eq!(Lang::from_tag("sv_SE.UTF-8"), Some(Lang::Sv));
        assert_eq!(Lang::from_tag("C"), None);
        assert_eq!(Lang::from_tag("de"), None);
    }

    #[test]
    fn formats_arguments_in_each_language() {
        let args = [("value", "pausad".to_owned())];
        assert!(
            Lang::Sv
                .format("problem-bad-municipality-code", &args)
                .contains("pausad")
        );
        assert!(
            Lang::En
                .format("problem-bad-municipality-code", &args)
                .contains("four digits")
        );
        assert!(
            Lang::Sv
                .format("problem-bad-municipality-code", &args)
                .contains("fyra siffror")
        );
    }
}
