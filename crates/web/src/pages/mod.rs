//! One module per page; [`Page`] is what every page shares (language, title, links).

pub mod strategy;

use rodtrad_i18n::Lang;

/// The frame of every page: its language, its title, and the links that keep the language.
#[derive(Debug)]
pub struct Page {
    pub lang: Lang,
    pub title: String,
    /// The path of this page, for the language switch.
    path: String,
}

impl Page {
    pub fn new(lang: Lang, title: String, path: &str) -> Self {
        Self {
            lang,
            title,
            path: path.to_owned(),
        }
    }

    /// A message in the page's language.
    pub fn t(&self, key: &str) -> String {
        self.lang.text(key)
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// A link to `path` that keeps the page's language.
    pub fn href(&self, path: &str) -> String {
        match self.lang {
            Lang::Sv => path.to_owned(),
            Lang::En => format!("{path}?lang=en"),
        }
    }

    /// This page in the other language.
    pub fn switch_href(&self) -> String {
        match self.lang {
            Lang::Sv => format!("{}?lang=en", self.path),
            Lang::En => format!("{}?lang=sv", self.path),
        }
    }

    pub fn other_lang_code(&self) -> &'static str {
        match self.lang {
            Lang::Sv => "en",
            Lang::En => "sv",
        }
    }
}
