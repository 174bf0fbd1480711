//! A focus area (any goal with goals below it): its activity areas and activities as a
//! timeline, years as columns, with a table holding the same facts, then the follow-up's
//! narrative for it.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use rodtrad_domain::{Activity, FollowUp, GoalNode, GoalRef, Plan, Status, Vocabulary};

use crate::app::AppState;
use crate::error::AppError;
use crate::lang::UserLang;
use crate::model::ReadModel;
use crate::pages::{Page, render};
use crate::timeline::{self, Chart, Line};

#[derive(Template)]
#[template(path = "focus_area.html")]
struct FocusAreaPage<'a> {
    page: Page,
    model: &'a ReadModel,
    plan: &'a Plan,
    node: &'a GoalNode,
    level_name: &'a str,
    chart: Option<Chart<'a>>,
    /// Every activity of the chart, for the table.
    activities: Vec<&'a Activity>,
    narratives: Vec<(&'a FollowUp, &'a str)>,
    statuses: Vec<(Option<Status>, &'static str)>,
}

pub async fn show(
    State(state): State<AppState>,
    UserLang(lang): UserLang,
    Path((plan_id, node_id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let model = state.model();
    let plan = model.plan(&plan_id).ok_or(AppError::NotFound(lang))?;
    let node = plan
        .nodes
        .iter()
        .find(|n| n.id.as_str() == node_id)
        .ok_or(AppError::NotFound(lang))?;
    let goal = |n: &GoalNode| GoalRef {
        plan: plan.id.clone(),
        node: n.id.clone(),
    };
    let mut groups: Vec<(Option<&str>, Vec<&Activity>)> =
        vec![(None, model.serving(&goal(node)).collect())];
    for child in plan
        .nodes
        .iter()
        .filter(|n| n.parent.as_ref() == Some(&node.id))
    {
        let mut acts: Vec<&Activity> = model.serving(&goal(child)).collect();
        for grandchild in descendants(plan, child) {
            acts.extend(model.serving(&goal(grandchild)));
        }
        acts.dedup_by(|a, b| a.id == b.id);
        groups.push((Some(child.title.as_str()), acts));
    }
    groups.retain(|(title, acts)| title.is_some() || !acts.is_empty());
    let activities: Vec<&Activity> = groups.iter().flat_map(|(_, a)| a.iter().copied()).collect();
    // The axis covers the plan's period, the activities' years, and the year of any follow-up
    // of the plan, so that activities without a known period still have a chart to sit in.
    let follow_up_dates = model
        .set
        .follow_ups
        .iter()
        .filter(|f| f.structure.as_ref() == Some(&plan.id) || f.plans.contains(&plan.id))
        .map(|f| f.date);
    let years: Vec<u16> = [plan.period.start, plan.period.end]
        .into_iter()
        .chain(follow_up_dates)
        .chain(
            activities
                .iter()
                .flat_map(|a| [a.period.start, a.period.end]),
        )
        .flatten()
        .map(|d| d.year_value())
        .collect();
    let chart = match (years.iter().min(), years.iter().max()) {
        (Some(&lo), Some(&hi)) if !activities.is_empty() => {
            Some(timeline::layout(&groups, (lo, hi)))
        }
        _ => None,
    };
    let narratives = model
        .set
        .follow_ups
        .iter()
        .flat_map(|f| {
            f.sections
                .iter()
                .filter(|s| s.node == goal(node))
                .map(move |s| (f, s.narrative.as_str()))
        })
        .collect();
    let statuses = Status::ALL
        .iter()
        .map(|s| (Some(*s), timeline::pattern_of(Some(*s))))
        .chain([(None, timeline::pattern_of(None))])
        .collect();
    render(
        &FocusAreaPage {
            page: Page::new(
                lang,
                node.title.clone(),
                &format!("/plans/{}/goals/{}", plan.id, node.id),
            ),
            model: &model,
            plan,
            node,
            level_name: plan
                .levels
                .iter()
                .find(|l| l.id == node.level)
                .map_or("", |l| l.name.as_str()),
            chart,
            activities,
            narratives,
            statuses,
        },
        lang,
    )
}

fn descendants<'a>(plan: &'a Plan, node: &'a GoalNode) -> Vec<&'a GoalNode> {
    let mut out = Vec::new();
    let mut frontier = vec![node];
    while let Some(n) = frontier.pop() {
        for c in plan
            .nodes
            .iter()
            .filter(|c| c.parent.as_ref() == Some(&n.id))
        {
            if out.len() < plan.nodes.len() {
                out.push(c);
                frontier.push(c);
            }
        }
    }
    out
}

impl FocusAreaPage<'_> {
    /// The status of an activity in words, or "status not reported".
    fn status_text(&self, status: Option<&Status>) -> String {
        status.map_or_else(|| self.page.t("status-unknown"), |s| self.page.status(s))
    }
}
