//! Search and filters across all activities: text, status, intervention level, perspective,
//! organisation and year. The filters are a GET form, so a result is a URL one can share.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use rodtrad_domain::{Activity, InterventionLevel, Organisation, Perspective, Status, Vocabulary};
use serde::Deserialize;

use crate::error::AppError;
use crate::model::ReadModel;
use crate::pages::paging::{PER_PAGE, Paging};
use crate::pages::{Page, render};
use crate::session::Viewer;
use crate::state::AppState;

/// The filters as they arrive in the URL; empty fields filter nothing.
#[derive(Debug, Default, Deserialize)]
pub struct Filters {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub perspective: String,
    #[serde(default)]
    pub org: String,
    #[serde(default)]
    pub year: String,
    /// Which page of the result; not a filter.
    pub page: Option<String>,
}

impl Filters {
    /// Whether an activity passes every filter that is set. A value that names nothing (an
    /// unknown status) matches nothing, so a mistyped URL shows an empty result, not everything.
    pub fn matches(&self, a: &Activity) -> bool {
        let q = self.q.trim().to_lowercase();
        let text = q.is_empty()
            || a.title.to_lowercase().contains(&q)
            || a.narrative
                .as_ref()
                .is_some_and(|n| n.to_lowercase().contains(&q));
        let status = self.status.is_empty() || a.status.is_some_and(|s| s.code() == self.status);
        let level =
            self.level.is_empty() || a.intervention_level.is_some_and(|l| l.code() == self.level);
        let perspective = self.perspective.is_empty()
            || a.perspectives
                .iter()
                .any(|p| p.as_str() == self.perspective);
        let org = self.org.is_empty()
            || [a.lead.as_ref(), a.responsible_unit.as_ref()]
                .into_iter()
                .flatten()
                .chain(&a.partners)
                .any(|o| o.as_str() == self.org);
        let year = self.year.trim().is_empty()
            || self.year.trim().parse::<u16>().is_ok_and(|y| {
                let start = a.period.start.map(|d| d.year_value());
                let end = a.period.end.map(|d| d.year_value());
                (start.is_some() || end.is_some())
                    && start.is_none_or(|s| s <= y)
                    && end.is_none_or(|e| e >= y)
            });
        text && status && level && perspective && org && year
    }

    /// The filters that are set, as the address's parameters, for links to other pages.
    fn params(&self) -> Vec<(String, String)> {
        [
            ("q", &self.q),
            ("status", &self.status),
            ("level", &self.level),
            ("perspective", &self.perspective),
            ("org", &self.org),
            ("year", &self.year),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .map(|(k, v)| (k.to_owned(), v.clone()))
        .collect()
    }

    pub fn is_empty(&self) -> bool {
        [
            &self.q,
            &self.status,
            &self.level,
            &self.perspective,
            &self.org,
            &self.year,
        ]
        .iter()
        .all(|f| f.trim().is_empty())
    }
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage<'a> {
    page: Page,
    model: &'a ReadModel,
    filters: Filters,
    /// This page of the result.
    results: Vec<&'a Activity>,
    paging: Paging,
    statuses: &'static [Status],
    levels: &'static [InterventionLevel],
    perspectives: &'a [Perspective],
    organisations: Vec<&'a Organisation>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(filters): Query<Filters>,
) -> Result<Html<String>, AppError> {
    let lang = viewer.lang;
    let model = state.model_for(&viewer);
    let mut results: Vec<&Activity> = model
        .set
        .activities
        .iter()
        .map(AsRef::as_ref)
        .filter(|a| filters.matches(a))
        .collect();
    let paging = Paging::new(
        filters.page.as_deref(),
        results.len(),
        PER_PAGE,
        "/activities",
        filters.params(),
    )
    .ok_or(AppError::NotFound(lang))?;
    let results = results.drain(paging.range()).collect();
    // Only organisations that take part in some activity are worth filtering by.
    let involved = |o: &&Organisation| {
        model.set.activities.iter().any(|a| {
            a.lead.as_ref() == Some(&o.id)
                || a.responsible_unit.as_ref() == Some(&o.id)
                || a.partners.contains(&o.id)
        })
    };
    let mut organisations: Vec<&Organisation> =
        model.set.organisations.iter().filter(involved).collect();
    organisations.sort_by(|a, b| a.name.cmp(&b.name));
    render(
        &SearchPage {
            page: Page::new(lang, lang.text("search-title"), "/activities").with(&viewer),
            model: &model,
            filters,
            results,
            paging,
            statuses: Status::ALL,
            levels: InterventionLevel::ALL,
            perspectives: &model.set.perspectives,
            organisations,
        },
        lang,
    )
}
