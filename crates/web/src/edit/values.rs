//! An indicator's values brought in from its page: a statistics file uploaded (JSON-stat,
//! PxWeb's `json`, a Kolada page, CSV), or its source on the web fetched again now.
//!
//! Values are not items of the data set (a national instance holds millions), so they take
//! their own path, `Store::import_values`, all or nothing and on record, not `edit::commit`.
//! The file is read by `rodtrad-stats`, its dimensions told from roles and usual ids
//! (`observe::Mapping::detect`), as `rodtrad indicator import` does without options; what the
//! reader refuses is said with its rule and where. Who may: whoever may change the indicator
//! (`indicator::may_edit`). A file is at most [`MAX_UPLOAD`] bytes: the size of any form.

use askama::Template;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Form as Posted, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rodtrad_domain::{Area, Fetch, Indicator, IndicatorValue};
use rodtrad_fetch::FetchError;
use rodtrad_i18n::Lang;
use rodtrad_stats::observe::{Chosen, Refused, indicator_values};
use rodtrad_stats::{Kind, ReadError, Table};
use rodtrad_store::ValuesImported;

use crate::edit::indicator::may_edit;
use crate::edit::{Choice, Input, actor, refuse};
use crate::error::AppError;
use crate::pages::{Page, respond};
use crate::session::Viewer;
use crate::state::AppState;

/// The largest file taken: the largest form (`csrf.rs` reads every post whole to check it).
pub const MAX_UPLOAD: usize = crate::csrf::MAX_FORM_BYTES;

/// The upload form, on the indicator's page and on the page answering an upload.
#[derive(Debug)]
pub struct UploadForm {
    pub action: String,
    pub csrf: String,
    pub kinds: Vec<Choice>,
    /// The address of "fetch again now", when the indicator's source is on the web.
    pub fetch: Option<String>,
    pub hint: String,
}

impl UploadForm {
    /// The form for `indicator` if the viewer may import its values.
    pub fn of(viewer: &Viewer, page: &Page, indicator: &Indicator) -> Option<UploadForm> {
        if !may_edit(viewer, indicator) {
            return None;
        }
        let lang = viewer.lang;
        let web = indicator
            .source
            .as_ref()
            .and_then(|s| s.fetch.as_ref())
            .is_some_and(Fetch::is_web);
        Some(UploadForm {
            action: page.href(&format!("/indicators/{}/values", indicator.id)),
            csrf: viewer.csrf(),
            kinds: Kind::ALL
                .iter()
                .map(|k| {
                    Choice::new(
                        &k.code(),
                        &lang.text(&format!("indicator-kind-{}", k.code())),
                    )
                })
                .collect(),
            fetch: web.then(|| page.href(&format!("/indicators/{}/fetch", indicator.id))),
            hint: lang.format(
                "indicator-import-file-hint",
                &[("mb", (MAX_UPLOAD / (1024 * 1024)).to_string())],
            ),
        })
    }
}

/// The page answering an upload or a fetch: what was done or why not, and the form again.
#[derive(Template)]
#[template(path = "indicator_values.html")]
struct ValuesPage {
    page: Page,
    back: String,
    indicator: String,
    done: Option<String>,
    problem: Option<String>,
    upload: Option<UploadForm>,
}

/// The indicator a route names, from a model brought up to date, if the viewer may import its
/// values; or the answer instead.
async fn allowed(state: &AppState, viewer: &Viewer, id: &str) -> Result<Indicator, Response> {
    let working = state.fresh_working().await;
    let Some(indicator) = working.set.indicators.iter().find(|i| i.id.as_str() == id) else {
        return Err(AppError::NotFound(viewer.lang).into_response());
    };
    if may_edit(viewer, indicator) {
        Ok(indicator.clone())
    } else {
        Err(refuse(viewer, &format!("/indicators/{id}/values")))
    }
}

fn answer(
    viewer: &Viewer,
    indicator: &Indicator,
    outcome: Option<Result<String, String>>,
    status: StatusCode,
) -> Response {
    let lang = viewer.lang;
    let path = format!("/indicators/{}/values", indicator.id);
    let title = lang.format(
        "indicator-import-page-title",
        &[("title", indicator.title.clone())],
    );
    let page = Page::new(lang, title, &path).with(viewer);
    let (done, problem) = match outcome {
        Some(Ok(done)) => (Some(done), None),
        Some(Err(problem)) => (None, Some(problem)),
        None => (None, None),
    };
    respond(
        &ValuesPage {
            back: page.href(&format!("/indicators/{}", indicator.id)),
            indicator: indicator.title.clone(),
            upload: UploadForm::of(viewer, &page, indicator),
            page,
            done,
            problem,
        },
        lang,
        status,
    )
}

/// `GET /indicators/{id}/values`: the upload form on its own.
pub async fn form(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    match allowed(&state, &viewer, &id).await {
        Ok(indicator) => answer(&viewer, &indicator, None, StatusCode::OK),
        Err(answer) => answer,
    }
    .into_response()
}

/// What was posted: the file, the kind said (or none, to be told), a fixed area.
#[derive(Debug, Default)]
struct Upload {
    file: Vec<u8>,
    kind: Option<String>,
    area: Option<String>,
}

async fn upload_of(mut form: Multipart) -> Result<Upload, String> {
    let mut upload = Upload::default();
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => return Ok(upload),
            Err(e) => return Err(e.body_text()),
        };
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" => upload.file = field.bytes().await.map_err(|e| e.body_text())?.to_vec(),
            "kind" | "area" => {
                let text = field.text().await.map_err(|e| e.body_text())?;
                let text = Some(text.trim().to_owned()).filter(|t| !t.is_empty());
                if name == "kind" {
                    upload.kind = text;
                } else {
                    upload.area = text;
                }
            }
            _ => {}
        }
    }
}

/// `POST /indicators/{id}/values` (multipart): a statistics file read and its values imported.
pub async fn upload(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let lang = viewer.lang;
    let indicator = match allowed(&state, &viewer, &id).await {
        Ok(i) => i,
        Err(answer) => return answer,
    };
    let refused = |why: String| {
        answer(
            &viewer,
            &indicator,
            Some(Err(why)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let Ok(form) = form else {
        return refused(lang.text("indicator-import-no-file"));
    };
    let upload = match upload_of(form).await {
        Ok(u) => u,
        Err(detail) => {
            tracing::info!(%detail, "an upload of values could not be read");
            return refused(lang.text("indicator-import-no-file"));
        }
    };
    if upload.file.is_empty() {
        return refused(lang.text("indicator-import-no-file"));
    }
    let kind = match upload.kind.as_deref() {
        None => None,
        Some(code) => match Kind::parse(code) {
            Some(k) => Some(k),
            None => return refused(lang.text("edit-bad-choice")),
        },
    };
    let values = rodtrad_stats::read(&upload.file, kind)
        .map_err(|e| refusal(&e, lang))
        .and_then(|(_, tables)| values_of(&tables, upload.area.as_deref(), lang));
    let values = match values {
        Ok(v) => v,
        Err(why) => return refused(why),
    };
    write(&state, &viewer, &indicator, values).await
}

/// Writes the values, all or nothing, and answers with what changed.
async fn write(
    state: &AppState,
    viewer: &Viewer,
    indicator: &Indicator,
    values: Vec<IndicatorValue>,
) -> Response {
    let lang = viewer.lang;
    let done = state
        .store()
        .import_values(
            &[(indicator.id.clone(), values)],
            &actor(viewer),
            rodtrad_auth::now(),
        )
        .await;
    match done {
        Ok(done) => {
            // Pages kept for visitors show values: a change of the data drops them.
            if let Err(e) = state.catch_up().await {
                return AppError::Internal(lang, e.to_string()).into_response();
            }
            answer(
                viewer,
                indicator,
                Some(Ok(said(done, lang))),
                StatusCode::OK,
            )
        }
        Err(e) => AppError::Internal(lang, e.to_string()).into_response(),
    }
}

/// What an import did, in words.
fn said(done: ValuesImported, lang: Lang) -> String {
    lang.format(
        "indicator-import-done",
        &[
            ("added", done.added.to_string()),
            ("changed", done.changed.to_string()),
            ("unchanged", done.unchanged.to_string()),
        ],
    )
}

/// A reader's refusal in the user's language: where, the rule, and what was found.
fn refusal(e: &ReadError, lang: Lang) -> String {
    let at = if e.at.is_empty() {
        "—".to_owned()
    } else {
        e.at.clone()
    };
    lang.format(
        "indicator-import-unreadable",
        &[(
            "detail",
            lang.format(
                "stats-where",
                &[
                    ("at", at),
                    ("rule", lang.text(&format!("stats-rule-{}", e.rule.code()))),
                    ("detail", e.detail.clone()),
                ],
            ),
        )],
    )
}

/// The table's values as the indicator's (`rodtrad_stats::observe::indicator_values`), `area`
/// where the table has none; the web offers no choice of table or dimension.
fn values_of(
    tables: &[Table],
    area: Option<&str>,
    lang: Lang,
) -> Result<Vec<IndicatorValue>, String> {
    let [table] = tables else {
        return Err(lang.format(
            "indicator-import-tables",
            &[("count", tables.len().to_string())],
        ));
    };
    let fixed = area.map(Area::parse);
    indicator_values(table, &Chosen::default(), fixed.as_ref()).map_err(|r| match r {
        Refused::Read(e) => refusal(&e, lang),
        Refused::NoArea => lang.text("indicator-import-no-area"),
        Refused::Twice {
            period, area, sex, ..
        } => lang.format(
            "indicator-import-twice",
            &[
                ("period", period.to_string()),
                ("area", area.to_string()),
                ("sex", lang.text(&format!("indicator-sex-{}", sex.code()))),
            ],
        ),
    })
}

/// `POST /indicators/{id}/fetch`: the indicator's source on the web fetched again now.
pub async fn fetch_again(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Posted(_): Posted<Input>,
) -> Response {
    let lang = viewer.lang;
    let indicator = match allowed(&state, &viewer, &id).await {
        Ok(i) => i,
        Err(answer) => return answer,
    };
    let refused = |why: String| {
        answer(
            &viewer,
            &indicator,
            Some(Err(why)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let Some(how) = indicator
        .source
        .as_ref()
        .and_then(|s| s.fetch.as_ref())
        .filter(|f| f.is_web())
    else {
        return refused(lang.text("indicator-fetch-not-web"));
    };
    let Some(client) = state.fetcher() else {
        return refused(lang.text("indicator-fetch-no-client"));
    };
    let working = state.working();
    let areas = rodtrad_fetch::kolada_areas(
        working
            .set
            .organisations
            .iter()
            .filter_map(|o| o.municipality_code.as_ref())
            .map(rodtrad_domain::MunicipalityCode::as_str),
    );
    let source = match rodtrad_fetch::source_for(how, &areas) {
        Some(Ok(s)) => s,
        Some(Err(e)) => {
            let detail = e.to_string();
            return refused(lang.format("indicator-edit-bad-query", &[("detail", detail)]));
        }
        None => return refused(lang.text("indicator-fetch-not-web")),
    };
    let fetched = match client.fetch(&source).await {
        Ok(f) => f,
        Err(e) => return refused(fetch_failed(&e, lang)),
    };
    let values = fetched
        .read()
        .map_err(|e| refusal(&e, lang))
        .and_then(|tables| values_of(&tables, None, lang));
    match values {
        Ok(values) => write(&state, &viewer, &indicator, values).await,
        Err(why) => refused(why),
    }
}

/// A failed fetch in the user's language: where, and the service's own words (which are
/// English, or the service's).
pub fn fetch_failed(e: &FetchError, lang: Lang) -> String {
    let url = e.url().unwrap_or("—").to_owned();
    match e {
        FetchError::Timeout { seconds, .. } => lang.format(
            "indicator-fetch-timeout",
            &[("url", url), ("seconds", seconds.to_string())],
        ),
        FetchError::Refused { .. } | FetchError::Connect { .. } => {
            lang.format("indicator-fetch-no-connection", &[("url", url)])
        }
        FetchError::Status {
            status, excerpt, ..
        } => lang.format(
            "indicator-fetch-status",
            &[
                ("url", url),
                ("status", status.to_string()),
                ("detail", excerpt.clone()),
            ],
        ),
        other => lang.format("indicator-fetch-failed", &[("detail", other.to_string())]),
    }
}
