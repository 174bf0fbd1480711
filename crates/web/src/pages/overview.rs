//! The overview pages for decision-makers: `/plans/ID/overview` and `/rounds/ID/overview`, and
//! the same facts as CSV (`…/overview.csv`). See `crate::overview` for what is counted.
//!
//! A plan's overview is made from the data as the viewer sees it. A round's is made from its
//! reports, and for a published round from its frozen copy, so that it stays what was reported.

use std::collections::BTreeSet;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use rodtrad_domain::{GoalNode, GoalRef, Plan, RoundState, Slug, Vocabulary};
use rodtrad_i18n::Lang;

use crate::edit::refuse;
use crate::error::AppError;
use crate::model::ReadModel;
use crate::overview::{BarChart, Counted, Facts, facts};
use crate::pages::{Page, render};
use crate::reporting::{ReportRow, today};
use crate::session::Viewer;
use crate::state::AppState;

/// The most rows a list of the page shows: a national round has tens of thousands of overdue
/// activities, which belong in the CSV, not in one page of megabytes.
const SHOWN: usize = 200;

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage<'a> {
    page: Page,
    /// What the overview is of: a plan or a round, by title, and its page.
    of: (String, String),
    facts: Facts<'a>,
    charts: Vec<BarChart>,
    csv: String,
}

impl<'a> OverviewPage<'a> {
    fn status_text(&self, c: &Counted<'_>) -> String {
        self.page.status_or_unknown(c.status.as_ref())
    }

    /// The lists of activities to look at, each under its heading's key, at most [`SHOWN`]
    /// rows of each, with how many there are in all (the CSV has every one).
    fn lists(&self) -> Vec<(&'static str, &[Counted<'a>], usize)> {
        fn shown<'b, 'c>(list: &'b [Counted<'c>]) -> &'b [Counted<'c>] {
            &list[..list.len().min(SHOWN)]
        }
        vec![
            (
                "overview-overdue",
                shown(&self.facts.overdue),
                self.facts.overdue.len(),
            ),
            (
                "overview-paused",
                shown(&self.facts.paused),
                self.facts.paused.len(),
            ),
            (
                "overview-ending",
                shown(&self.facts.ending),
                self.facts.ending.len(),
            ),
        ]
    }

    /// The goals no activity serves, at most [`SHOWN`] of them.
    fn unserved(&self) -> &[(&'a Plan, &'a GoalNode)] {
        &self.facts.unserved[..self.facts.unserved.len().min(SHOWN)]
    }

    /// "200 of 31,000 shown; all of them are in the CSV file", when a list is cut.
    fn cut(&self, total: usize) -> Option<String> {
        (total > SHOWN).then(|| {
            self.page.lang.format(
                "overview-cut",
                &[("shown", SHOWN.to_string()), ("total", total.to_string())],
            )
        })
    }
}

/// The charts of `facts`, in words of `lang`.
fn charts(facts: &Facts<'_>, lang: Lang) -> Vec<BarChart> {
    let status = facts
        .by_status
        .iter()
        .map(|(s, n)| {
            let label = s.map_or_else(
                || lang.text("status-unknown"),
                |s| lang.text(&format!("status-{}", s.code())),
            );
            (label, *n)
        })
        .collect();
    let level = facts
        .by_level
        .iter()
        .map(|(l, n)| {
            let label = l.map_or_else(
                || lang.text("overview-no-level"),
                |l| lang.text(&format!("intervention-{}", l.code())),
            );
            (label, *n)
        })
        .collect();
    let mut perspective = facts.by_perspective.clone();
    perspective.push((
        lang.text("overview-no-perspective"),
        facts.without_perspective,
    ));
    vec![
        BarChart::new("status", lang.text("overview-by-status"), status),
        BarChart::new("level", lang.text("overview-by-level"), level),
        BarChart::new(
            "perspective",
            lang.text("overview-by-perspective"),
            perspective,
        ),
    ]
}

/// The goals of `plans` in `model`, in tree order.
fn goals_of<'a>(model: &'a ReadModel, plans: &[&Slug]) -> Vec<(&'a Plan, &'a GoalNode)> {
    plans
        .iter()
        .filter_map(|p| model.plan(p.as_str()))
        .flat_map(|p| p.nodes.iter().map(move |n| (p, n)))
        .collect()
}

fn served_in(model: &ReadModel) -> impl Fn(&Plan, &GoalNode) -> bool + '_ {
    move |p, n| {
        let goal = GoalRef {
            plan: p.id.clone(),
            node: n.id.clone(),
        };
        model.serving(&goal).next().is_some()
    }
}

fn perspectives(model: &ReadModel) -> Vec<(Slug, String)> {
    model
        .set
        .perspectives
        .iter()
        .map(|p| (p.id.clone(), p.name.clone()))
        .collect()
}

/// The overview of a plan: every activity serving one of its goals.
fn plan_facts<'a>(model: &'a ReadModel, plan: &'a Plan) -> Facts<'a> {
    let mut at = BTreeSet::new();
    for n in &plan.nodes {
        at.extend(model.serving_indices(&GoalRef {
            plan: plan.id.clone(),
            node: n.id.clone(),
        }));
    }
    let counted: Vec<Counted> = at
        .into_iter()
        .map(|i| {
            let activity = &*model.set.activities[i];
            Counted {
                activity,
                status: activity.status,
            }
        })
        .collect();
    facts(
        &counted,
        &perspectives(model),
        goals_of(model, &[&plan.id]),
        served_in(model),
        today(),
    )
}

/// The overview of a round: the activities it asks reports of, with their reports' status.
fn round_facts<'a>(model: &'a ReadModel, round: &'a rodtrad_domain::FollowUp) -> Facts<'a> {
    let counted: Vec<Counted> = ReportRow::of(model, round)
        .into_iter()
        .map(|r| Counted {
            activity: r.activity,
            status: r.report.and_then(|x| x.status).or(r.activity.status),
        })
        .collect();
    let plans: Vec<&Slug> = round.followed_plans().collect();
    facts(
        &counted,
        &perspectives(model),
        goals_of(model, &plans),
        served_in(model),
        today(),
    )
}

/// Whose overview, as the handlers find it.
enum Of {
    Plan(String),
    Round(String),
}

/// Finds the model and facts, then renders them as a page or as CSV.
async fn overview(state: &AppState, viewer: &Viewer, of: Of, csv: bool) -> Response {
    let lang = viewer.lang;
    let (path, title, model_holder): (String, String, Holder) = match &of {
        Of::Plan(id) => {
            let model = state.model_for(viewer);
            let Some(plan) = model.plan(id) else {
                return AppError::NotFound(lang).into_response();
            };
            (
                format!("/plans/{}", plan.id),
                plan.title.clone(),
                Holder::Live(model),
            )
        }
        Of::Round(id) => {
            let working = state.fresh_working().await;
            let Some(round) = working.round(id) else {
                return AppError::NotFound(lang).into_response();
            };
            let path = format!("/rounds/{}", round.id);
            if round.state == RoundState::Published {
                match state.frozen(&round.id) {
                    Some(f) => (path, round.title.clone(), Holder::Frozen(f)),
                    None => (path, round.title.clone(), Holder::Live(working.clone())),
                }
            } else if viewer.session.is_none() {
                return refuse(viewer, &format!("{path}/overview"));
            } else {
                (path, round.title.clone(), Holder::Live(working.clone()))
            }
        }
    };
    let model = model_holder.model();
    let facts = match &of {
        Of::Plan(id) => match model.plan(id) {
            Some(plan) => plan_facts(model, plan),
            None => return AppError::NotFound(lang).into_response(),
        },
        Of::Round(id) => match model.round(id) {
            Some(round) => round_facts(model, round),
            None => return AppError::NotFound(lang).into_response(),
        },
    };
    let charts = charts(&facts, lang);
    if csv {
        return csv_of(&facts, &charts, lang, &path);
    }
    let page = Page::new(
        lang,
        lang.format("overview-title", &[("of", title.clone())]),
        &format!("{path}/overview"),
    )
    .with(viewer);
    let csv = page.href(&format!("{path}/overview.csv"));
    let of = (title, page.href(&path));
    match render(
        &OverviewPage {
            page,
            of,
            facts,
            charts,
            csv,
        },
        lang,
    ) {
        Ok(html) => html.into_response(),
        Err(e) => e.into_response(),
    }
}

/// The model an overview is made from: the live data, or a published round's frozen copy.
enum Holder {
    Live(std::sync::Arc<ReadModel>),
    Frozen(std::sync::Arc<crate::state::Frozen>),
}

impl Holder {
    fn model(&self) -> &ReadModel {
        match self {
            Self::Live(m) => m,
            Self::Frozen(f) => &f.model,
        }
    }
}

/// The facts as CSV: one row per count, then one per goal or activity listed.
fn csv_of(facts: &Facts<'_>, charts: &[BarChart], lang: Lang, path: &str) -> Response {
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut rows: Vec<[String; 3]> = vec![[
        lang.text("overview-csv-question"),
        lang.text("overview-csv-value"),
        lang.text("overview-csv-count"),
    ]];
    for chart in charts {
        for bar in &chart.bars {
            rows.push([
                chart.title.clone(),
                bar.label.clone(),
                bar.count.to_string(),
            ]);
        }
    }
    for (plan, node) in &facts.unserved {
        rows.push([
            lang.text("overview-unserved"),
            format!("{}: {}", plan.title, node.title),
            String::new(),
        ]);
    }
    for (key, list) in [
        ("overview-overdue", &facts.overdue),
        ("overview-paused", &facts.paused),
        ("overview-ending", &facts.ending),
    ] {
        for c in list {
            rows.push([lang.text(key), c.activity.title.clone(), String::new()]);
        }
    }
    for row in rows {
        if let Err(e) = out.write_record(&row) {
            return AppError::Internal(lang, e.to_string()).into_response();
        }
    }
    let name = path.trim_start_matches('/').replace('/', "-");
    match out.into_inner() {
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{name}-overview.csv\""),
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => AppError::Internal(lang, e.to_string()).into_response(),
    }
}

/// `GET /plans/{id}/overview`.
pub async fn plan(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    overview(&state, &viewer, Of::Plan(id), false).await
}

/// `GET /plans/{id}/overview.csv`.
pub async fn plan_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    overview(&state, &viewer, Of::Plan(id), true).await
}

/// `GET /rounds/{id}/overview`.
pub async fn round(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    overview(&state, &viewer, Of::Round(id), false).await
}

/// `GET /rounds/{id}/overview.csv`.
pub async fn round_csv(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    overview(&state, &viewer, Of::Round(id), true).await
}
