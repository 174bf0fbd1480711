//! A plan: its decision and versions, what it serves in the strategy, its ways of working and
//! risks, and its goal tree in the plan's own level names, with the activities under each goal.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use rodtrad_domain::{Activity, GoalNode, GoalRef, Plan};

use crate::error::AppError;
use crate::model::ReadModel;
use crate::pages::{Page, render};
use crate::session::Viewer;
use crate::state::AppState;

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
pub struct PlanPage<'a> {
    page: Page,
    model: &'a ReadModel,
    plan: &'a Plan,
    rows: Vec<Row<'a>>,
    /// Whether the viewer may change the plan: links to each goal's and risk's form.
    may_edit: bool,
    /// What the viewer is looking at, when it is not simply the published plan: a draft, or
    /// an earlier version.
    banner: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let lang = viewer.lang;
    let model = state.model_for(&viewer);
    let plan = model.plan(&id).ok_or(AppError::NotFound(lang))?;
    let access = viewer.access();
    let may_edit = access.may_edit_plan(&plan.id);
    let banner = access
        .sees_drafts_of(&plan.id)
        .then(|| draft_banner(&state, plan, lang))
        .flatten();
    let mut page =
        Page::new(lang, plan.title.clone(), &format!("/plans/{}", plan.id)).with(&viewer);
    if may_edit {
        page = page
            .tool("edit-plan-link", &format!("/edit/plan/{}", plan.id))
            .tool("new-goal-link", &format!("/new/plan/{}/goal", plan.id))
            .tool("new-risk-link", &format!("/new/plan/{}/risk", plan.id))
            .tool(
                "new-direction-link",
                &format!("/new/plan/{}/direction", plan.id),
            )
            .tool("proposals-link", &format!("/plans/{}/proposals", plan.id));
    }
    page = page
        .tool("versions-link", &format!("/plans/{}/versions", plan.id))
        .tool("overview-link", &format!("/plans/{}/overview", plan.id));
    if viewer.session.is_some() && access.sees_drafts_of(&plan.id) {
        page = page.tool("history-link", &format!("/history/plan/{}", plan.id));
    }
    render(&plan_page(page, &model, plan, may_edit, banner), lang)
}

impl PlanPage<'_> {
    /// The form to `action` (edit, remove) a part (goal, risk) of the plan.
    fn part_href(&self, action: &str, part: &str, id: &rodtrad_domain::Slug) -> String {
        self.page
            .href(&format!("/{action}/plan/{}/{part}/{id}", self.plan.id))
    }
}

/// What a role holder is told about the draft they see: unpublished, or changed since the
/// version visitors read.
fn draft_banner(state: &AppState, plan: &Plan, lang: rodtrad_i18n::Lang) -> Option<String> {
    match state.release(&plan.id) {
        None => Some(lang.text("plan-draft-unpublished")),
        Some(r) if r.plan != *plan => {
            Some(lang.format("plan-draft-changed", &[("version", r.number.to_string())]))
        }
        Some(_) => None,
    }
}

/// The page of a plan as `model` has it: the published plan, a draft, or an earlier version.
pub fn plan_page<'a>(
    page: Page,
    model: &'a ReadModel,
    plan: &'a Plan,
    may_edit: bool,
    banner: Option<String>,
) -> PlanPage<'a> {
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
    PlanPage {
        page,
        model,
        plan,
        rows,
        may_edit,
        banner,
    }
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
