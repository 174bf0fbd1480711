//! The follow-up report, generated from the data in the structure of the 2021 report: its
//! introduction, the shared focus areas, and per focus area its timeline, its activities and the
//! narrative. It is one page that prints as a document.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use rodtrad_domain::{FollowUp, GoalNode, GoalRef, Plan, RoundState};

use crate::error::AppError;
use crate::indicators::{Goals, Judged, county_of, panel, values_for};
use crate::model::ReadModel;
use crate::pages::{Page, render};
use crate::session::Viewer;
use crate::state::AppState;
use crate::timeline::{self, Line, TimelineBlock};

struct Section<'a> {
    plan: &'a Plan,
    node: &'a GoalNode,
    timeline: TimelineBlock<'a>,
    narrative: Option<&'a str>,
    /// The focus area's goals (itself and those below it) with the indicators measuring them.
    indicators: Vec<Measured>,
}

/// A goal and an indicator measuring it, with the indicator's marks for it judged.
struct Measured {
    goal: String,
    goal_href: String,
    indicator: String,
    indicator_href: String,
    baseline: Option<String>,
    judged: Vec<Judged>,
}

/// The goals at and below `top` in `plan`, parents before children.
fn subtree<'a>(plan: &'a Plan, top: &'a GoalNode) -> Vec<&'a GoalNode> {
    let mut out = vec![top];
    let mut i = 0;
    while i < out.len() {
        let id = &out[i].id;
        out.extend(plan.nodes.iter().filter(|n| n.parent.as_ref() == Some(id)));
        i += 1;
    }
    out
}

/// Each goal of the section with each indicator measuring it, judged on its values.
async fn measured(
    state: &AppState,
    model: &ReadModel,
    plan: &Plan,
    top: &GoalNode,
    lang: rodtrad_i18n::Lang,
) -> Result<Vec<Measured>, AppError> {
    let county = county_of(&model.set);
    let mut out = Vec::new();
    for node in subtree(plan, top) {
        let goal = GoalRef {
            plan: plan.id.clone(),
            node: node.id.clone(),
        };
        for i in model
            .set
            .indicators
            .iter()
            .filter(|i| i.measures.iter().any(|m| m.goal == goal))
        {
            let values = values_for(state.store(), i, county.as_deref())
                .await
                .map_err(|e| AppError::Internal(lang, e.to_string()))?;
            let p = panel(&model.set, i, &values, Goals::One(&goal), lang);
            out.push(Measured {
                goal: node.title.clone(),
                goal_href: format!("/plans/{}/goals/{}", plan.id, node.id),
                indicator: i.title.clone(),
                indicator_href: format!("/indicators/{}", i.id),
                baseline: p.baseline,
                judged: p.judged,
            });
        }
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage<'a> {
    page: Page,
    model: &'a ReadModel,
    report: &'a FollowUp,
    plans: Vec<&'a Plan>,
    sections: Vec<Section<'a>>,
}

/// The report's sections: the top-level goals of its structure; without one, the goals its
/// sections name, or the top-level goals of the plans it follows up.
fn sections_of<'a>(model: &'a ReadModel, report: &'a FollowUp) -> Vec<Section<'a>> {
    let narrative = |plan: &Plan, node: &GoalNode| {
        let goal = GoalRef {
            plan: plan.id.clone(),
            node: node.id.clone(),
        };
        report
            .sections
            .iter()
            .find(|s| s.node == goal)
            .map(|s| s.narrative.as_str())
    };
    // The report is organised by the top-level goals of its structure; without one, by the
    // goals its sections name.
    match report
        .structure
        .as_ref()
        .and_then(|s| model.plan(s.as_str()))
    {
        Some(structure) => structure
            .nodes
            .iter()
            .filter(|n| n.parent.is_none())
            .map(|n| Section {
                plan: structure,
                node: n,
                timeline: timeline::for_goal(model, structure, n),
                narrative: narrative(structure, n),
                indicators: Vec::new(),
            })
            .collect(),
        // Without a structure: the goals its sections name, or the top-level goals of the
        // plans it follows up.
        None if !report.sections.is_empty() => report
            .sections
            .iter()
            .filter_map(|s| {
                let (plan, node) = model.node(&s.node)?;
                Some(Section {
                    plan,
                    node,
                    timeline: timeline::for_goal(model, plan, node),
                    narrative: Some(s.narrative.as_str()),
                    indicators: Vec::new(),
                })
            })
            .collect(),
        None => report
            .plans
            .iter()
            .filter_map(|p| model.plan(p.as_str()))
            .flat_map(|plan| {
                plan.nodes
                    .iter()
                    .filter(|n| n.parent.is_none())
                    .map(move |n| Section {
                        plan,
                        node: n,
                        timeline: timeline::for_goal(model, plan, n),
                        narrative: None,
                        indicators: Vec::new(),
                    })
            })
            .collect(),
    }
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let lang = viewer.lang;
    // A published round's report is made from its frozen copy, so no later edit changes it;
    // one not yet published is made from the data as the viewer sees it.
    let frozen = rodtrad_domain::Slug::parse(&id)
        .ok()
        .and_then(|round| state.frozen(&round));
    let live;
    let model: &ReadModel = if let Some(f) = &frozen {
        &f.model
    } else {
        live = state.model_for(&viewer);
        &live
    };
    let report = model
        .set
        .follow_ups
        .iter()
        .find(|f| f.id.as_str() == id)
        .ok_or(AppError::NotFound(lang))?;
    let plans = report
        .plans
        .iter()
        .filter_map(|p| model.plan(p.as_str()))
        .collect();
    let mut sections = sections_of(model, report);
    for section in &mut sections {
        section.indicators = measured(&state, model, section.plan, section.node, lang).await?;
    }
    render(
        &ReportPage {
            page: Page::new(
                lang,
                report.title.clone(),
                &format!("/follow-ups/{}", report.id),
            )
            .with(&viewer)
            .item_tools(
                &viewer,
                "follow_up",
                &report.id,
                viewer.access().may_administer(),
            ),
            model,
            report,
            plans,
            sections,
        },
        lang,
    )
}
