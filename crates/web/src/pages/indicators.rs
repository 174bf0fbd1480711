//! `/indicators`: every indicator with its source and the goals it measures, and the coverage
//! of the plans' goals (goals without an indicator, goals with one but no target);
//! `/indicators/{id}`: one indicator, its definition and source, its baselines and targets by
//! goal, and its panel of figures (chart, judgements, map, equity gap).

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use rodtrad_domain::{Fetch, GoalRef, Indicator, Plan};

use crate::edit::indicator::{Indicators, may_edit};
use crate::edit::item::Editor;
use crate::edit::values::UploadForm;
use crate::error::AppError;
use crate::indicators::{Goals, Panel, county_of, panel, values_for};
use crate::model::ReadModel;
use crate::pages::{Page, render};
use crate::session::Viewer;
use crate::state::AppState;

/// A plan's goals as the coverage analysis counts them.
struct Coverage<'a> {
    plan: &'a Plan,
    goals: usize,
    without: Vec<&'a rodtrad_domain::GoalNode>,
    no_target: Vec<&'a rodtrad_domain::GoalNode>,
}

#[derive(Template)]
#[template(path = "indicators.html")]
struct ListPage<'a> {
    page: Page,
    indicators: Vec<(&'a Indicator, u64)>,
    coverage: Vec<Coverage<'a>>,
}

fn coverage(model: &ReadModel) -> Vec<Coverage<'_>> {
    model
        .set
        .plans
        .iter()
        .map(|plan| {
            let measured = |node: &rodtrad_domain::Slug| {
                let goal = GoalRef {
                    plan: plan.id.clone(),
                    node: node.clone(),
                };
                model
                    .set
                    .indicators
                    .iter()
                    .flat_map(|i| &i.measures)
                    .filter(|m| m.goal == goal)
                    .map(|m| !m.targets.is_empty())
                    .collect::<Vec<bool>>()
            };
            let mut without = Vec::new();
            let mut no_target = Vec::new();
            for n in &plan.nodes {
                let m = measured(&n.id);
                if m.is_empty() {
                    without.push(n);
                } else if !m.contains(&true) {
                    no_target.push(n);
                }
            }
            Coverage {
                plan,
                goals: plan.nodes.len(),
                without,
                no_target,
            }
        })
        .collect()
}

pub async fn list(State(state): State<AppState>, viewer: Viewer) -> Result<Html<String>, AppError> {
    let lang = viewer.lang;
    let model = state.model_for(&viewer);
    let counts = state
        .store()
        .value_counts()
        .await
        .map_err(|e| AppError::Internal(lang, e.to_string()))?;
    let indicators = model
        .set
        .indicators
        .iter()
        .map(|i| (i, counts.get(&i.id).copied().unwrap_or(0)))
        .collect();
    render(
        &ListPage {
            page: {
                let page =
                    Page::new(lang, lang.text("indicators-title"), "/indicators").with(&viewer);
                let working = state.working();
                if Indicators::may_edit(&viewer, &working.set, None, None) {
                    page.tool("new-indicator-link", "/new/indicator")
                } else {
                    page
                }
            },
            indicators,
            coverage: coverage(&model),
        },
        lang,
    )
}

#[derive(Template)]
#[template(path = "indicator.html")]
struct ShowPage<'a> {
    page: Page,
    model: &'a ReadModel,
    indicator: &'a Indicator,
    source: Option<(String, String)>,
    panel: Panel,
    /// The form to import values, for whoever may change the indicator.
    upload: Option<UploadForm>,
}

/// The source as people read it: what kind, and the key figure, table or address.
fn source_of(i: &Indicator, page: &Page) -> Option<(String, String)> {
    let fetch = i.source.as_ref()?.fetch.as_ref()?;
    Some(match fetch {
        Fetch::Kolada { kpi } => (page.t("indicator-source-kolada"), kpi.clone()),
        Fetch::PxWeb { url, .. } => (page.t("indicator-source-pxweb"), url.clone()),
        Fetch::Url { url } => (page.t("indicator-source-url"), url.clone()),
        Fetch::File { name } => (page.t("indicator-source-file"), name.clone()),
    })
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let lang = viewer.lang;
    let model = state.model_for(&viewer);
    let indicator = model
        .set
        .indicators
        .iter()
        .find(|i| i.id.as_str() == id)
        .ok_or(AppError::NotFound(lang))?;
    let county = county_of(&model.set);
    let values = values_for(state.store(), indicator, county.as_deref())
        .await
        .map_err(|e| AppError::Internal(lang, e.to_string()))?;
    let page = Page::new(
        lang,
        indicator.title.clone(),
        &format!("/indicators/{}", indicator.id),
    )
    .with(&viewer);
    // Whether the viewer may change it is judged on the working data: all its measures.
    let working = state.working();
    let may = working
        .set
        .indicators
        .iter()
        .find(|i| i.id == indicator.id)
        .is_some_and(|i| may_edit(&viewer, i));
    let page = page.item_tools(&viewer, "indicator", &indicator.id, may);
    let page = if may {
        page.tool(
            "indicator-import-link",
            &format!("/indicators/{}/values", indicator.id),
        )
    } else {
        page
    };
    let upload = working
        .set
        .indicators
        .iter()
        .find(|i| i.id == indicator.id)
        .and_then(|i| UploadForm::of(&viewer, &page, i));
    let source = source_of(indicator, &page);
    render(
        &ShowPage {
            panel: panel(&model.set, indicator, &values, Goals::All, lang),
            page,
            model: &model,
            indicator,
            source,
            upload,
        },
        lang,
    )
}
