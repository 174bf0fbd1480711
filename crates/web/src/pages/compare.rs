//! Two published rounds compared (`/rounds/compare?from=A&to=B`): which activities changed
//! status between them, which are new in the later one and which it no longer follows up. Both
//! sides are the rounds' frozen copies, so the comparison is of what was published.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use rodtrad_domain::{Activity, FollowUp, RoundState, Status};
use serde::Deserialize;

use crate::error::AppError;
use crate::pages::{Page, render};
use crate::session::Viewer;
use crate::state::AppState;

#[derive(Debug, Default, Deserialize)]
pub struct Chosen {
    from: Option<String>,
    to: Option<String>,
}

/// One activity's status in the earlier and the later round.
#[derive(Debug)]
pub struct Change {
    pub id: String,
    pub title: String,
    pub from: Option<Status>,
    pub to: Option<Status>,
}

/// What changed between two frozen rounds.
#[derive(Debug, Default)]
pub struct Changes {
    pub changed: Vec<Change>,
    pub added: Vec<Change>,
    pub gone: Vec<Change>,
    pub same: usize,
}

impl Changes {
    /// The lists, each under its heading's key.
    pub fn lists(&self) -> [(&'static str, &[Change]); 3] {
        [
            ("compare-changed", self.changed.as_slice()),
            ("compare-added", self.added.as_slice()),
            ("compare-gone", self.gone.as_slice()),
        ]
    }
}

/// The changes between the activities of two frozen copies, in the later one's order.
pub fn changes(
    from: &rodtrad_domain::Shared<Activity>,
    to: &rodtrad_domain::Shared<Activity>,
) -> Changes {
    let before: std::collections::HashMap<&str, &Activity> =
        from.iter().map(|a| (a.id.as_str(), &**a)).collect();
    let after: std::collections::HashSet<&str> = to.iter().map(|a| a.id.as_str()).collect();
    let mut out = Changes::default();
    for a in to {
        let change = |from| Change {
            id: a.id.to_string(),
            title: a.title.clone(),
            from,
            to: a.status,
        };
        match before.get(a.id.as_str()) {
            None => out.added.push(change(None)),
            Some(b) if b.status != a.status => out.changed.push(change(b.status)),
            Some(_) => out.same += 1,
        }
    }
    for b in from.iter().filter(|b| !after.contains(b.id.as_str())) {
        out.gone.push(Change {
            id: b.id.to_string(),
            title: b.title.clone(),
            from: b.status,
            to: None,
        });
    }
    out
}

#[derive(Template)]
#[template(path = "compare.html")]
struct ComparePage<'a> {
    page: Page,
    rounds: Vec<&'a FollowUp>,
    chosen: Chosen,
    changes: Option<Changes>,
    names: Option<(String, String)>,
}

impl ComparePage<'_> {
    fn status_text(&self, s: Option<&Status>) -> String {
        self.page.status_or_unknown(s)
    }

    fn is_chosen(&self, which: &str, id: &str) -> bool {
        let chosen = if which == "from" {
            &self.chosen.from
        } else {
            &self.chosen.to
        };
        chosen.as_deref() == Some(id)
    }
}

/// `GET /rounds/compare`.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Query(chosen): Query<Chosen>,
) -> Response {
    let lang = viewer.lang;
    let working = state.working();
    let rounds: Vec<&FollowUp> = working
        .set
        .follow_ups
        .iter()
        .filter(|f| f.state == RoundState::Published)
        .collect();
    let frozen = |id: &Option<String>| {
        id.as_deref()
            .and_then(|id| rodtrad_domain::Slug::parse(id).ok())
            .and_then(|id| state.frozen(&id))
    };
    let (changes, names) = match (frozen(&chosen.from), frozen(&chosen.to)) {
        (Some(a), Some(b)) => {
            let title = |f: &crate::state::Frozen| {
                f.model
                    .set
                    .follow_ups
                    .first()
                    .map(|r| r.title.clone())
                    .unwrap_or_default()
            };
            (
                Some(changes(&a.model.set.activities, &b.model.set.activities)),
                Some((title(&a), title(&b))),
            )
        }
        (None, None) if chosen.from.is_none() && chosen.to.is_none() => (None, None),
        _ if chosen.from.is_some() || chosen.to.is_some() => {
            return AppError::NotFound(lang).into_response();
        }
        _ => (None, None),
    };
    let page = Page::new(lang, lang.text("compare-title"), "/rounds/compare").with(&viewer);
    match render(
        &ComparePage {
            page,
            rounds,
            chosen,
            changes,
            names,
        },
        lang,
    ) {
        Ok(html) => html.into_response(),
        Err(e) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rodtrad_domain::{Period, Slug};
    use std::sync::Arc;

    fn activity(id: &str, status: Option<Status>) -> Arc<Activity> {
        Arc::new(Activity {
            id: Slug::parse(id).expect("slug"),
            title: id.to_uppercase(),
            narrative: None,
            responsible_unit: None,
            lead: None,
            partners: Vec::new(),
            period: Period::default(),
            status,
            status_reason: None,
            intervention_level: None,
            perspectives: Vec::new(),
            target_groups: Vec::new(),
            funding: Vec::new(),
            serves: Vec::new(),
            proposed: Vec::new(),
        })
    }

    #[test]
    fn changed_added_gone_and_same_are_told_apart() {
        let from: rodtrad_domain::Shared<Activity> = [
            activity("a", Some(Status::Planned)),
            activity("b", Some(Status::Ongoing)),
            activity("c", None),
        ]
        .into_iter()
        .collect();
        let to: rodtrad_domain::Shared<Activity> = [
            activity("a", Some(Status::Ongoing)),
            activity("b", Some(Status::Ongoing)),
            activity("d", Some(Status::Planned)),
        ]
        .into_iter()
        .collect();
        let c = changes(&from, &to);
        let ids = |l: &[Change]| l.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&c.changed), ["a"]);
        assert_eq!(c.changed[0].from, Some(Status::Planned));
        assert_eq!(c.changed[0].to, Some(Status::Ongoing));
        assert_eq!(ids(&c.added), ["d"]);
        assert_eq!(ids(&c.gone), ["c"]);
        assert_eq!(c.same, 1);
    }
}
