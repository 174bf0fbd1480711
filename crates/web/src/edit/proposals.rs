//! Links proposed to a plan's goals (`/plans/ID/proposals`): an activity linked by someone who
//! does not own the plan waits here for its owner, who accepts the link (it becomes one the
//! plan's pages and reports show) or declines it (it is taken away). Each answer is a save of
//! the activity, on the record, refused if the activity changed meanwhile.

use askama::Template;
use axum::extract::{Form as Posted, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rodtrad_domain::{Activity, GoalNode, GoalRef, ItemKey, ItemKind, Plan, Slug};
use serde::Deserialize;

use crate::edit::{Input, Refused, commit, refuse, saved};
use crate::error::AppError;
use crate::model::ReadModel;
use crate::pages::{Page, respond};
use crate::session::Viewer;
use crate::state::AppState;

/// One proposed link, as the page lists it.
struct Proposal<'a> {
    activity: &'a Activity,
    goal: &'a GoalNode,
    revision: i64,
}

#[derive(Template)]
#[template(path = "proposals.html")]
struct ProposalsPage<'a> {
    page: Page,
    plan: &'a Plan,
    proposals: Vec<Proposal<'a>>,
    done: Option<String>,
    problem: Option<String>,
    csrf: String,
    action: String,
}

/// The links proposed to goals of `plan`, in the order of the activities.
fn proposals<'a>(model: &'a ReadModel, plan: &'a Plan) -> Vec<Proposal<'a>> {
    let mut out = Vec::new();
    for a in &model.set.activities {
        for g in a.proposed.iter().filter(|g| g.plan == plan.id) {
            if let Some(goal) = plan.nodes.iter().find(|n| n.id == g.node) {
                out.push(Proposal {
                    activity: a,
                    goal,
                    revision: model.revision(&ItemKey::new(ItemKind::Activity, &a.id)),
                });
            }
        }
    }
    out
}

#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    done: Option<String>,
}

/// `GET /plans/{id}/proposals`.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(shown): Query<Shown>,
) -> Response {
    let done = shown.done.filter(|d| d == "accepted" || d == "declined");
    page(&state, &viewer, &id, done, None, StatusCode::OK).await
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    done: Option<String>,
    problem: Option<String>,
    status: StatusCode,
) -> Response {
    let lang = viewer.lang;
    let working = state.fresh_working().await;
    let Some(plan) = working.plan(id) else {
        return AppError::NotFound(lang).into_response();
    };
    let path = format!("/plans/{}/proposals", plan.id);
    if !viewer.access().may_edit_plan(&plan.id) {
        return refuse(viewer, &path);
    }
    let page = Page::new(
        lang,
        lang.format("proposals-title", &[("plan", plan.title.clone())]),
        &path,
    )
    .with(viewer);
    let action = page.href(&path);
    respond(
        &ProposalsPage {
            csrf: viewer.csrf(),
            page,
            plan,
            proposals: proposals(&working, plan),
            done: done.map(|d| lang.text(&format!("proposals-done-{d}"))),
            problem,
            action,
        },
        lang,
        status,
    )
}

/// `POST /plans/{id}/proposals`: `activity`, `node`, `answer` (`accept` or `decline`) and the
/// activity's `revision`.
pub async fn answer(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Posted(input): Posted<Input>,
) -> Response {
    let lang = viewer.lang;
    let working = state.fresh_working().await;
    let Some(plan) = working.plan(&id) else {
        return AppError::NotFound(lang).into_response();
    };
    let path = format!("/plans/{}/proposals", plan.id);
    if !viewer.access().may_edit_plan(&plan.id) {
        return refuse(&viewer, &path);
    }
    let accept = match input.text("answer").as_deref() {
        Some("accept") => true,
        Some("decline") => false,
        _ => return AppError::NotFound(lang).into_response(),
    };
    let goal = input
        .text("node")
        .and_then(|n| Slug::parse(&n).ok())
        .map(|node| GoalRef {
            plan: plan.id.clone(),
            node,
        });
    let activity = input.text("activity").and_then(|a| working.activity(&a));
    let (Some(goal), Some(activity)) = (goal, activity) else {
        return AppError::NotFound(lang).into_response();
    };
    if !activity.proposed.contains(&goal) {
        // Answered by someone else meanwhile, or taken back.
        let problem = Some(lang.text("proposals-gone"));
        return page(&state, &viewer, &id, None, problem, StatusCode::CONFLICT).await;
    }
    let key = ItemKey::new(ItemKind::Activity, &activity.id);
    let mut after = working.set.clone();
    let at = working.activity_index(&activity.id);
    if let Some(a) = at.and_then(|i| after.activities.get_mut(i)) {
        let a = std::sync::Arc::make_mut(a);
        a.proposed.retain(|g| g != &goal);
        if accept && !a.serves.contains(&goal) {
            a.serves.push(goal);
        }
    }
    let done = if accept { "accepted" } else { "declined" };
    match commit(
        &state,
        &viewer,
        &working,
        &key,
        input.revision(),
        &after,
        None,
    )
    .await
    {
        Ok(()) => saved(&crate::reporting::done_href(
            &Page::new(lang, String::new(), &path),
            &path,
            done,
        )),
        Err(Refused::Stale(..)) => {
            let problem = Some(lang.text("proposals-stale"));
            page(&state, &viewer, &id, None, problem, StatusCode::CONFLICT).await
        }
        Err(Refused::Invalid(problems)) => {
            let problem = problems.general.first().cloned();
            page(
                &state,
                &viewer,
                &id,
                None,
                problem,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(Refused::Failed(e)) => e.into_response(),
    }
}
