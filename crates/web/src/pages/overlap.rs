//! The overlap: which activities serve several plans, and how many activities each pair of plans
//! shares — the follow-up's "två eller tre [handlingsplaner]" as a picture and a table.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Html;
use rodtrad_domain::{Activity, Plan};

use crate::error::AppError;
use crate::pages::paging::{PER_PAGE, Paging};
use crate::pages::{Page, render};
use crate::session::Viewer;
use crate::state::AppState;

struct Row<'a> {
    activity: &'a Activity,
    /// Per plan (in column order): whether the activity serves a goal of it.
    serves: Vec<bool>,
    count: usize,
}

#[derive(Template)]
#[template(path = "overlap.html")]
struct OverlapPage<'a> {
    page: Page,
    plans: Vec<&'a Plan>,
    /// This page's rows of the activities serving several plans.
    rows: Vec<Row<'a>>,
    paging: Paging,
    /// Per plan, the activities it shares with each plan (on the diagonal: the plan's own).
    shared: Vec<(&'a Plan, Vec<usize>)>,
    /// How many activities serve exactly 1, 2, 3, ... plans, with the words for it.
    by_count: Vec<(String, usize)>,
}

#[derive(Debug, serde::Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(query): Query<PageQuery>,
) -> Result<Html<String>, AppError> {
    let lang = viewer.lang;
    let model = state.model_for(&viewer);
    let plans: Vec<&Plan> = model.set.plans.iter().collect();
    let mut rows: Vec<Row> = model
        .set
        .activities
        .iter()
        .map(|a| {
            let serves: Vec<bool> = plans
                .iter()
                .map(|p| a.serves.iter().any(|g| g.plan == p.id))
                .collect();
            let count = serves.iter().filter(|s| **s).count();
            Row {
                activity: a,
                serves,
                count,
            }
        })
        .filter(|r| r.count > 0)
        .collect();
    rows.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.activity.title.cmp(&b.activity.title))
    });
    let n = plans.len();
    let mut shared = vec![vec![0; n]; n];
    for r in &rows {
        for i in (0..n).filter(|&i| r.serves[i]) {
            for j in (0..n).filter(|&j| r.serves[j]) {
                shared[i][j] += 1;
            }
        }
    }
    let max = rows.iter().map(|r| r.count).max().unwrap_or(0);
    let by_count = (1..=max)
        .map(|k| {
            (
                lang.count("overlap-serving-n-plans", k),
                rows.iter().filter(|r| r.count == k).count(),
            )
        })
        .collect();
    let shared = plans.iter().copied().zip(shared).collect();
    // Activities of one plan are on that plan's page and in the counts above; listing them
    // here too would bury the overlap under a region's thousands of single-plan rows.
    rows.retain(|r| r.count > 1);
    let paging = Paging::new(
        query.page.as_deref(),
        rows.len(),
        PER_PAGE,
        "/overlap",
        Vec::new(),
    )
    .ok_or(AppError::NotFound(lang))?;
    let rows = rows.drain(paging.range()).collect();
    render(
        &OverlapPage {
            page: Page::new(lang, lang.text("overlap-title"), "/overlap").with(&viewer),
            plans,
            rows,
            paging,
            shared,
            by_count,
        },
        lang,
    )
}
