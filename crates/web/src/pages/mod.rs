//! One module per page; [`Page`] is what every page shares (language, title, links).

pub mod account;
pub mod activity;
pub mod compare;
pub mod focus_area;
pub mod indicators;
pub mod login;
pub mod my;
pub mod organisation;
pub mod overlap;
pub mod overview;
pub mod paging;
pub mod plan;
pub mod report;
pub mod rounds;
pub mod search;
pub mod strategy;

use askama::Template;
use axum::response::Html;
use std::fmt::Display;

use rodtrad_domain::{
    InterventionLevel, OrganisationKind, PartialDate, Period, Status, Vocabulary,
};
use rodtrad_i18n::Lang;

use crate::error::AppError;
use crate::session::Viewer;

/// A page rendered, or the failure as a 500 page (the cause goes to the log).
pub fn render(page: &impl Template, lang: Lang) -> Result<Html<String>, AppError> {
    page.render()
        .map(Html)
        .map_err(|e| AppError::Internal(lang, e.to_string()))
}

/// A page rendered and sent with `status` (a form shown again: 422, 409), or the 500 page.
pub fn respond(
    page: &impl Template,
    lang: Lang,
    status: axum::http::StatusCode,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match render(page, lang) {
        Ok(html) => (status, html).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The frame of every page: its language, its title, and the links that keep the language.
#[derive(Debug)]
pub struct Page {
    pub lang: Lang,
    pub title: String,
    /// The path of this page, for the language switch.
    path: String,
    /// Who is signed in, for the header: a name to show and the token the log-out form needs.
    pub signed_in: Option<(String, String)>,
    /// What the viewer may do here (edit, remove, see the history), as links above the page.
    pub tools: Vec<(String, String)>,
}

impl Page {
    pub fn new(lang: Lang, title: String, path: &str) -> Self {
        Self {
            lang,
            title,
            path: path.to_owned(),
            signed_in: None,
            tools: Vec::new(),
        }
    }

    /// Adds a link to the page's tools: `key` names it, `path` is where it goes.
    #[must_use]
    pub fn tool(mut self, key: &str, path: &str) -> Self {
        let link = (self.t(key), self.href(path));
        self.tools.push(link);
        self
    }

    /// The tools of an item's page: its history for anyone signed in, and with `may_edit` the
    /// links to change and remove it.
    #[must_use]
    pub fn item_tools(
        self,
        viewer: &Viewer,
        kind: &str,
        id: &impl Display,
        may_edit: bool,
    ) -> Self {
        let mut page = self;
        if may_edit {
            page = page
                .tool("edit-link", &format!("/edit/{kind}/{id}"))
                .tool("remove-link", &format!("/remove/{kind}/{id}"));
        }
        if viewer.session.is_some() {
            page = page.tool("history-link", &format!("/history/{kind}/{id}"));
        }
        page
    }

    /// The page as the viewer sees it: signed in or not.
    #[must_use]
    pub fn with(mut self, viewer: &Viewer) -> Self {
        self.signed_in = viewer.session.as_ref().map(|s| {
            (
                s.account
                    .name
                    .clone()
                    .unwrap_or_else(|| s.account.email.clone()),
                s.csrf_token.clone(),
            )
        });
        self
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

    /// A message with a count, for plural forms.
    pub fn count(&self, key: &str, n: usize) -> String {
        self.lang.count(key, n)
    }

    /// A link to the page of an entity, `prefix` + id, in the page's language.
    pub fn link(&self, prefix: &str, id: &impl Display) -> String {
        self.href(&format!("{prefix}{id}"))
    }

    /// A link to a goal on its plan's page.
    pub fn goal_link(&self, plan: &impl Display, node: &impl Display) -> String {
        format!("{}#goal-{node}", self.link("/plans/", plan))
    }

    /// A link to the page of a goal with the goals and activities below it.
    pub fn node_link(&self, plan: &impl Display, node: &impl Display) -> String {
        self.href(&format!("/plans/{plan}/goals/{node}"))
    }

    #[expect(
        clippy::trivially_copy_pass_by_ref,
        reason = "templates bind values by reference"
    )]
    pub fn org_kind(&self, kind: &OrganisationKind) -> String {
        self.lang.text(&format!("org-kind-{}", kind.code()))
    }

    /// This page in the other language.
    pub fn switch_href(&self) -> String {
        match self.lang {
            Lang::Sv => format!("{}?lang=en", self.path),
            Lang::En => format!("{}?lang=sv", self.path),
        }
    }

    /// "Uppgifter per DATE": the day a published report's figures are from.
    #[expect(
        clippy::trivially_copy_pass_by_ref,
        reason = "templates bind values by reference"
    )]
    pub fn as_of(&self, date: &PartialDate) -> String {
        self.lang
            .format("report-as-of", &[("date", date.to_string())])
    }

    /// A status in words.
    #[expect(
        clippy::trivially_copy_pass_by_ref,
        reason = "templates bind values by reference"
    )]
    pub fn status(&self, s: &Status) -> String {
        self.lang.text(&format!("status-{}", s.code()))
    }

    /// A status in words, or "status not reported".
    pub fn status_or_unknown(&self, s: Option<&Status>) -> String {
        s.map_or_else(|| self.t("status-unknown"), |s| self.status(s))
    }

    /// An intervention level in words.
    #[expect(
        clippy::trivially_copy_pass_by_ref,
        reason = "templates bind values by reference"
    )]
    pub fn level(&self, l: &InterventionLevel) -> String {
        self.lang.text(&format!("intervention-{}", l.code()))
    }

    /// A period as "2019–2022", "från 2020", "till 2021", or empty.
    pub fn period(&self, p: &Period) -> String {
        let d = |d: &PartialDate| d.to_string();
        match (&p.start, &p.end) {
            (Some(s), Some(e)) if s == e => d(s),
            (Some(s), Some(e)) => format!("{}–{}", d(s), d(e)),
            (Some(s), None) => self.lang.format("period-from", &[("date", d(s))]),
            (None, Some(e)) => self.lang.format("period-until", &[("date", d(e))]),
            (None, None) => String::new(),
        }
    }

    pub fn other_lang_code(&self) -> &'static str {
        match self.lang {
            Lang::Sv => "en",
            Lang::En => "sv",
        }
    }
}
