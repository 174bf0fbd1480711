//! A plan: its decision and versions, what it serves in the strategy, its ways of working and
//! risks, and its goal tree in the plan's own level names, with the activities under each goal.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use rodtrad_domain::{Activity, GoalNode, GoalRef, Plan};

use crate::app::AppState;
use crate::error::AppError;
use crate::model::ReadModel;
use crate::pages::{Page, render};
use crate::session::Viewer;

/// One goal of the tree as the page shows it.
struct Row<'a> {
    node: &'a GoalNode,
    level_name: &'a str,
    /// The heading level: the tree's top level is `h2`.
    heading: usize,
    activities: Vec<&'a Activity>,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage<'a> {
    page: Page,
    model: &'a ReadModel,
    plan: &'a Plan,
    rows: Vec<Row<'a>>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let lang = viewer.lang;
    let model = state.model_for(&viewer);
    let plan = model.plan(&id).ok_or(AppError::NotFound(lang))?;
    let depth = |n: &GoalNode| {
        plan.levels
            .iter()
            .position(|l| l.id == n.level)
            .unwrap_or(0)
    };
    let rows = tree_order(plan)
        .into_iter()
        .map(|node| Row {
            node,
            level_name: plan
                .levels
                .iter()
                .find(|l| l.id == node.level)
                .map_or("", |l| l.name.as_str()),
            heading: (depth(node) + 2).min(6),
            activities: model
                .serving(&GoalRef {
                    plan: plan.id.clone(),
                    node: node.id.clone(),
                })
                .collect(),
        })
        .collect();
    render(
        &PlanPage {
            page: Page::new(lang, plan.title.clone(), &format!("/plans/{}", plan.id)).with(&viewer),
            model: &model,
            plan,
            rows,
        },
        lang,
    )
}

/// The nodes depth first, each followed by its children, in stored order.
fn tree_order(plan: &Plan) -> Vec<&GoalNode> {
    fn visit<'a>(plan: &'a Plan, parent: Option<&'a GoalNode>, out: &mut Vec<&'a GoalNode>) {
        for n in plan
            .nodes
            .iter()
            .filter(|n| n.parent.as_ref() == parent.map(|p| &p.id))
        {
            out.push(n);
            if out.len() <= plan.nodes.len() {
                visit(plan, Some(n), out);
            }
        }
    }
    let mut out = Vec::with_capacity(plan.nodes.len());
    visit(plan, None, &mut out);
    out
}
