//! `/indicators/kolada?q=...`: Kolada's catalogue of key figures searched by title, live
//! (`GET {base}/kpi?title=...` of its API version 3, through `rodtrad-fetch`'s client and its
//! limits), for whoever makes or changes an indicator. Each key figure found links to the
//! indicator's form with its id filled in; `for` names the indicator being changed, if any.
//! A plain GET form: it works without JavaScript, and asks Kolada only for people who may edit
//! indicators, so that visitors cannot make the server send requests.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use rodtrad_domain::Slug;
use rodtrad_fetch::Source;
use serde::Deserialize;
use serde_json::Value;

use crate::edit::indicator::{Indicators, with_lang};
use crate::edit::item::Editor;
use crate::edit::refuse;
use crate::edit::values::fetch_failed;
use crate::pages::{Page, respond};
use crate::session::Viewer;
use crate::state::AppState;

/// The most key figures listed for one search.
const MAX_LISTED: usize = 100;

#[derive(Debug, Default, Deserialize)]
pub struct Asked {
    #[serde(default)]
    q: String,
    /// The indicator whose form the choice goes to; a new one when absent.
    #[serde(default, rename = "for")]
    for_id: Option<String>,
}

/// One key figure found.
#[derive(Debug)]
struct Found {
    id: String,
    title: String,
    description: String,
    by_sex: bool,
    /// The indicator's form with this key figure filled in.
    choose: String,
}

#[derive(Template)]
#[template(path = "kolada.html")]
struct SearchPage {
    page: Page,
    q: String,
    for_id: Option<String>,
    /// `None` before a search.
    found: Option<Vec<Found>>,
    /// How many Kolada found, when more than are listed.
    count: usize,
    problem: Option<String>,
    back: String,
}

fn encoded(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The key figures of one answer of `/v3/kpi`: `{"count": n, "values": [{"id", "title",
/// "description", "is_divided_by_gender", ...}]}`.
/// A key figure as the catalogue gives it: id, title, description, whether divided by sex.
type KeyFigure = (String, String, String, bool);

fn key_figures(body: &[u8]) -> Option<(usize, Vec<KeyFigure>)> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let values = v.get("values")?.as_array()?;
    let text = |k: &Value, f: &str| k.get(f).and_then(Value::as_str).unwrap_or("").to_owned();
    let found: Vec<_> = values
        .iter()
        .filter_map(|k| {
            let id = text(k, "id");
            (!id.is_empty()).then(|| {
                (
                    id,
                    text(k, "title"),
                    text(k, "description"),
                    k.get("is_divided_by_gender")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                )
            })
        })
        .collect();
    let count = v
        .get("count")
        .and_then(Value::as_u64)
        .and_then(|c| usize::try_from(c).ok())
        .unwrap_or(found.len());
    Some((count, found))
}

/// `GET /indicators/kolada`: the search form, and with `q` what Kolada finds.
pub async fn search(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(asked): Query<Asked>,
) -> Response {
    let lang = viewer.lang;
    let working = state.fresh_working().await;
    // Who may change the indicator named, or make a new one.
    let for_id = asked
        .for_id
        .as_deref()
        .and_then(|id| Slug::parse(id).ok())
        .filter(|id| working.set.indicators.iter().any(|i| &i.id == id));
    let may = match &for_id {
        Some(id) => working
            .set
            .indicators
            .iter()
            .find(|i| &i.id == id)
            .is_some_and(|i| Indicators::may_edit(&viewer, &working.set, None, Some(i))),
        None => Indicators::may_edit(&viewer, &working.set, None, None),
    };
    if !may {
        return refuse(&viewer, "/indicators/kolada");
    }
    let page = Page::new(
        lang,
        lang.text("indicator-kolada-title"),
        "/indicators/kolada",
    )
    .with(&viewer);
    let form = match &for_id {
        Some(id) => format!("/edit/indicator/{id}"),
        None => "/new/indicator".to_owned(),
    };
    let q = asked.q.trim().to_owned();
    let mut search = SearchPage {
        back: page.href(&form),
        page,
        q: q.clone(),
        for_id: for_id.as_ref().map(ToString::to_string),
        found: None,
        count: 0,
        problem: None,
    };
    if q.is_empty() {
        return respond(&search, lang, StatusCode::OK);
    }
    let Some(client) = state.fetcher() else {
        search.problem = Some(lang.text("indicator-fetch-no-client"));
        return respond(&search, lang, StatusCode::SERVICE_UNAVAILABLE);
    };
    let url = format!(
        "{}/kpi?title={}",
        client.config().kolada.trim_end_matches('/'),
        encoded(&q)
    );
    let body = match client.fetch(&Source::Url(url)).await {
        Ok(f) => f.into_pages().into_iter().next().unwrap_or_default(),
        Err(e) => {
            search.problem = Some(fetch_failed(&e, lang));
            return respond(&search, lang, StatusCode::BAD_GATEWAY);
        }
    };
    let Some((count, found)) = key_figures(&body) else {
        search.problem = Some(lang.text("indicator-kolada-unreadable"));
        return respond(&search, lang, StatusCode::BAD_GATEWAY);
    };
    search.count = count;
    search.found = Some(
        found
            .into_iter()
            .take(MAX_LISTED)
            .map(|(id, title, description, by_sex)| {
                // A new indicator takes the title and definition too; a changed one keeps its own.
                let choose = if for_id.is_none() {
                    format!(
                        "{form}?source_kind=kolada&source={}&title={}&definition={}",
                        encoded(&id),
                        encoded(&title),
                        encoded(&description)
                    )
                } else {
                    format!("{form}?source_kind=kolada&source={}", encoded(&id))
                };
                Found {
                    choose: with_lang(&search.page, &choose),
                    id,
                    title,
                    description,
                    by_sex,
                }
            })
            .collect(),
    );
    respond(&search, lang, StatusCode::OK)
}
