//! A person's start page (`/my`): the open rounds they take part in, with their deadlines, and
//! each activity they report on with where its report stands; and the reports waiting for
//! their review. Logging in lands here when there is something to do.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use rodtrad_auth::Access;
use rodtrad_domain::{FollowUp, ReportState, RoundState, Slug};

use crate::edit::refuse;
use crate::model::ReadModel;
use crate::pages::{Page, render};
use crate::reporting::ReportRow;
use crate::session::Viewer;
use crate::state::AppState;

/// One open round as one person takes part in it.
pub struct Part<'a> {
    pub round: &'a FollowUp,
    /// The reports they write.
    pub mine: Vec<ReportRow<'a>>,
    /// The submitted reports they review.
    pub to_review: Vec<ReportRow<'a>>,
}

impl Part<'_> {
    /// Reports of theirs not yet sent for review (not started, drafts, returned).
    pub fn to_write(&self) -> usize {
        self.mine
            .iter()
            .filter(|r| r.state.is_none_or(ReportState::editable))
            .count()
    }
}

/// The open rounds `access` takes part in: what they report on, and what they review.
pub fn parts<'a>(model: &'a ReadModel, access: &Access) -> Vec<Part<'a>> {
    model
        .set
        .follow_ups
        .iter()
        .filter(|r| r.state == RoundState::Open)
        .map(|round| {
            let followed: Vec<&Slug> = round.followed_plans().collect();
            let rows = ReportRow::of(model, round);
            let (mut mine, mut to_review) = (Vec::new(), Vec::new());
            for row in rows {
                let served = row
                    .activity
                    .serves
                    .iter()
                    .map(|g| &g.plan)
                    .filter(|p| followed.contains(p));
                if row.state == Some(ReportState::Submitted)
                    && access.may_review(served, round.structure.as_ref())
                {
                    to_review.push(row);
                } else if !access.admin && access.may_report(row.lead) {
                    mine.push(row);
                }
            }
            Part {
                round,
                mine,
                to_review,
            }
        })
        .filter(|p| !p.mine.is_empty() || !p.to_review.is_empty())
        .collect()
}

/// Whether `access` has a report to write or to review in an open round.
pub fn has_something_to_do(model: &ReadModel, access: &Access) -> bool {
    parts(model, access)
        .iter()
        .any(|p| p.to_write() > 0 || !p.to_review.is_empty())
}

#[derive(Template)]
#[template(path = "my.html")]
struct MyPage<'a> {
    page: Page,
    model: &'a ReadModel,
    parts: Vec<Part<'a>>,
}

impl MyPage<'_> {
    fn report_href(&self, round: &FollowUp, row: &ReportRow<'_>) -> String {
        self.page
            .href(&format!("/rounds/{}/reports/{}", round.id, row.activity.id))
    }

    fn state_text(&self, row: &ReportRow<'_>) -> String {
        self.page.t(&format!("report-state-{}", row.state_code()))
    }
}

/// `GET /my`.
pub async fn show(State(state): State<AppState>, viewer: Viewer) -> Response {
    if viewer.session.is_none() {
        return refuse(&viewer, "/my");
    }
    let lang = viewer.lang;
    let working = state.working();
    let parts = parts(&working, &viewer.access());
    let page = Page::new(lang, lang.text("my-title"), "/my").with(&viewer);
    match render(
        &MyPage {
            page,
            model: &working,
            parts,
        },
        lang,
    ) {
        Ok(html) => html.into_response(),
        Err(e) => e.into_response(),
    }
}
