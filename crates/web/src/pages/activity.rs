//! An activity: all that is known of it, and its red thread: every goal it serves, in every
//! plan, up through the plan's tree to the strategy's goals.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Html;
use rodtrad_domain::{Activity, EffectGoal, GoalNode, OverarchingGoal, Plan};

use crate::error::AppError;
use crate::model::ReadModel;
use crate::pages::{Page, render};
use crate::session::Viewer;
use crate::state::AppState;

/// One strand of the red thread: a plan, the path down its tree, and what the plan serves.
struct Thread<'a> {
    plan: &'a Plan,
    path: Vec<&'a GoalNode>,
    effect_goals: Vec<(&'a OverarchingGoal, &'a EffectGoal)>,
    priority_area: Option<String>,
}

#[derive(Template)]
#[template(path = "activity.html")]
struct ActivityPage<'a> {
    page: Page,
    model: &'a ReadModel,
    activity: &'a Activity,
    threads: Vec<Thread<'a>>,
    /// Its reports, round by round: status over time.
    reports: Vec<(&'a rodtrad_domain::FollowUp, &'a rodtrad_domain::Report)>,
}

impl ActivityPage<'_> {
    fn report_href(&self, round: &rodtrad_domain::FollowUp) -> String {
        self.page.href(&format!(
            "/rounds/{}/reports/{}",
            round.id, self.activity.id
        ))
    }

    fn report_state(&self, r: &rodtrad_domain::Report) -> String {
        use rodtrad_domain::Vocabulary;
        self.page.t(&format!("report-state-{}", r.state.code()))
    }
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Result<Html<String>, AppError> {
    let lang = viewer.lang;
    let model = state.model_for(&viewer);
    let activity = model.activity(&id).ok_or(AppError::NotFound(lang))?;
    let threads = activity
        .serves
        .iter()
        .filter_map(|goal| {
            let (plan, _) = model.node(goal)?;
            Some(Thread {
                plan,
                path: model.path_to(goal),
                effect_goals: plan
                    .effect_goals
                    .iter()
                    .filter_map(|e| model.effect_goal(e))
                    .collect(),
                priority_area: plan
                    .priority_area
                    .as_ref()
                    .map(|a| model.priority_area_title(a)),
            })
        })
        .collect();
    render(
        &ActivityPage {
            page: Page::new(
                lang,
                activity.title.clone(),
                &format!("/activities/{}", activity.id),
            )
            .with(&viewer)
            .item_tools(
                &viewer,
                "activity",
                &activity.id,
                viewer.access().may_edit_activity(activity.lead.as_ref()),
            ),
            model: &model,
            activity,
            threads,
            reports: model
                .set
                .follow_ups
                .iter()
                .filter_map(|f| model.report(&f.id, &activity.id).map(|r| (f, r)))
                .collect(),
        },
        lang,
    )
}
