//! A focus area (any goal with goals below it): its activity areas and activities as a
//! timeline, years as columns, with a table holding the same facts, then the indicators that
//! measure it (each its chart, judgements, map and equity gap) and the follow-up's narrative
//! for it.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use rodtrad_domain::{FollowUp, GoalNode, GoalRef, Plan};

use crate::error::AppError;
use crate::indicators::{Goals, Panel, county_of, panel, values_for};
use crate::model::ReadModel;
use crate::pages::{Page, render};
use crate::session::Viewer;
use crate::state::AppState;
use crate::timeline::{self, Line, TimelineBlock};

#[derive(Template)]
#[template(path = "focus_area.html")]
struct FocusAreaPage<'a> {
    page: Page,
    model: &'a ReadModel,
    plan: &'a Plan,
    node: &'a GoalNode,
    level_name: &'a str,
    timeline: TimelineBlock<'a>,
    narratives: Vec<(&'a FollowUp, &'a str)>,
    indicators: Vec<Panel>,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((plan_id, node_id)): Path<(String, String)>,
) -> Result<Html<String>, AppError> {
    let lang = viewer.lang;
    let model = state.model_for(&viewer);
    let plan = model.plan(&plan_id).ok_or(AppError::NotFound(lang))?;
    let node = plan
        .nodes
        .iter()
        .find(|n| n.id.as_str() == node_id)
        .ok_or(AppError::NotFound(lang))?;
    let goal = GoalRef {
        plan: plan.id.clone(),
        node: node.id.clone(),
    };
    let narratives = model
        .set
        .follow_ups
        .iter()
        .flat_map(|f| {
            f.sections
                .iter()
                .filter(|s| s.node == goal)
                .map(move |s| (f, s.narrative.as_str()))
        })
        .collect();
    let county = county_of(&model.set);
    let mut indicators = Vec::new();
    for i in model
        .set
        .indicators
        .iter()
        .filter(|i| i.measures.iter().any(|m| m.goal == goal))
    {
        let values = values_for(state.store(), i, county.as_deref())
            .await
            .map_err(|e| AppError::Internal(lang, e.to_string()))?;
        indicators.push(panel(&model.set, i, &values, Goals::One(&goal), lang));
    }
    render(
        &FocusAreaPage {
            page: Page::new(
                lang,
                node.title.clone(),
                &format!("/plans/{}/goals/{}", plan.id, node.id),
            )
            .with(&viewer),
            model: &model,
            plan,
            node,
            level_name: plan
                .levels
                .iter()
                .find(|l| l.id == node.level)
                .map_or("", |l| l.name.as_str()),
            timeline: timeline::for_goal(&model, plan, node),
            narratives,
            indicators,
        },
        lang,
    )
}
