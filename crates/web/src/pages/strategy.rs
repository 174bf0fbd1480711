//! The strategy: vision → overarching goals → effect goals → priority areas → the plans under
//! each. The top of the red thread, and the first page.

use askama::Template;
use axum::extract::State;
use axum::response::Html;
use rodtrad_domain::{Plan, Strategy};

use crate::error::AppError;
use crate::model::ReadModel;
use crate::pages::{Page, render};
use crate::session::Viewer;
use crate::state::AppState;

#[derive(Template)]
#[template(path = "strategy.html")]
struct StrategyPage<'a> {
    page: Page,
    model: &'a ReadModel,
    strategies: &'a [Strategy],
    /// Plans that serve no priority area of any strategy.
    other_plans: Vec<&'a Plan>,
    /// Whether the viewer may change the strategy: links to each goal's and area's form.
    may_edit: bool,
}

pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Result<Html<String>, AppError> {
    let lang = viewer.lang;
    let model = state.model_for(&viewer);
    let areas: Vec<_> = model
        .set
        .strategies
        .iter()
        .flat_map(|s| s.priority_areas.iter().map(|a| &a.id))
        .collect();
    let other_plans = model
        .set
        .plans
        .iter()
        .filter(|p| p.priority_area.as_ref().is_none_or(|a| !areas.contains(&a)))
        .collect();
    let mut page = Page::new(lang, lang.text("strategy-title"), "/").with(&viewer);
    let access = viewer.access();
    if access.may_administer() {
        for s in &model.set.strategies {
            page = page
                .tool("edit-strategy-link", &format!("/edit/strategy/{}", s.id))
                .tool(
                    "new-overarching-goal-link",
                    &format!("/new/strategy/{}/goal", s.id),
                )
                .tool("new-area-link", &format!("/new/strategy/{}/area", s.id))
                .tool(
                    "new-desired-state-link",
                    &format!("/new/strategy/{}/state", s.id),
                );
        }
        page = page
            .tool("new-plan-link", "/new/plan")
            .tool("new-organisation-link", "/new/organisation")
            .tool("new-perspective-link", "/new/perspective")
            .tool("new-follow-up-link", "/new/follow_up")
            .tool("accounts-link", "/admin/accounts");
    }
    if viewer.session.is_some() {
        if access.admin
            || access
                .grants
                .iter()
                .any(|(r, _)| r.scoped_to_organisation())
        {
            page = page.tool("new-activity-link", "/new/activity");
        }
        if let Some(s) = &viewer.session {
            page = page.tool(
                "my-changes-link",
                &format!("/accounts/{}/history", s.account.id),
            );
        }
    }
    let page = StrategyPage {
        page,
        model: &model,
        strategies: &model.set.strategies,
        other_plans,
        may_edit: access.may_administer(),
    };
    render(&page, lang)
}
