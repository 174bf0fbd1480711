//! Editing through forms that work without JavaScript.
//!
//! Every edit takes one path: the form's values are read into a copy of the working data set
//! (a refused value is said next to its field, and the form is shown again with what the person
//! typed); what the edit changes, and what refers to it, is checked by the exchange format's own
//! rules (`check.rs`), so that what is stored can always be exported; then the store saves the
//! changed items with their record, refusing the save if the item moved past the revision the
//! person saw. Then the read models are brought up to date. A report's steps take a path of
//! their own (`report.rs`, `Store::save_report`): a report is one row, saved by hundreds at once
//! before a deadline, and needs neither a copy of the data set nor the check of the rest of it.

pub mod accounts;
pub mod activity;
pub mod check;
pub mod follow_up;
pub mod form;
pub mod history;
pub mod indicator;
pub mod item;
pub mod kolada;
pub mod parts;
pub mod plan;
pub mod proposals;
pub mod registry;
pub mod remove;
pub mod report;
pub mod values;
pub mod versions;

use axum::response::{IntoResponse, Redirect, Response};
use rodtrad_domain::{DataSet, ItemKey, item_changes};
use rodtrad_store::{Actor, ChangeSet, Edit, Releasing, SaveError};

use crate::error::AppError;
use crate::model::ReadModel;
use crate::session::Viewer;
use crate::state::AppState;

pub use check::check_edit;
pub use form::{Choice, Field, Form, Input, Problems, Reader};

/// Why an edit was not saved, for showing the form again.
#[derive(Debug)]
pub enum Refused {
    /// Values the rules refuse: by field, and for the data set as a whole.
    Invalid(Problems),
    /// The item was saved by someone else after the revision the person saw: what they did.
    Stale(Vec<ChangeSet>, i64),
    Failed(AppError),
}

/// The person, as the record names them.
pub fn actor(viewer: &Viewer) -> Actor {
    viewer
        .session
        .as_ref()
        .map_or_else(Actor::command_line, |s| Actor {
            account: Some(s.account.id),
            name: s
                .account
                .name
                .clone()
                .unwrap_or_else(|| s.account.email.clone()),
        })
}

/// Saves `after`, the working data set `working` with the edit made to it, with its record,
/// the edit based on `revision` of `item` (the revision the person's form showed); every other
/// item the edit changes (an activity loosened from a removed goal) is based on the revision
/// `working` was read at, so that nothing changed since is overwritten. Then the read models are
/// made anew. With `release`, a plan or a round's report is released with the save.
pub async fn commit(
    state: &AppState,
    viewer: &Viewer,
    working: &ReadModel,
    item: &ItemKey,
    revision: i64,
    after: &DataSet,
    release: Option<Releasing<'_>>,
) -> Result<(), Refused> {
    let changes = item_changes(&working.set, after);
    if changes.is_empty() && release.is_none() {
        return Ok(());
    }
    let problems = check_edit(working, after, &changes, viewer);
    if !problems.is_empty() {
        return Err(Refused::Invalid(problems));
    }
    let mut based_on = vec![(item.clone(), revision)];
    for c in changes.iter().filter(|c| c.item != *item) {
        let seen = working.revisions.get(&c.item).copied().unwrap_or(0);
        based_on.push((c.item.clone(), seen));
    }
    let edit = Edit {
        actor: actor(viewer),
        at: rodtrad_auth::now(),
        changes,
        based_on,
    };
    match state.store().save(after, &edit, release).await {
        Ok(_) => {}
        Err(SaveError::Stale {
            item: moved,
            current,
        }) => {
            let seen = edit
                .based_on
                .iter()
                .find(|(k, _)| *k == moved)
                .map_or(revision, |(_, r)| *r);
            let since = state
                .store()
                .changes_of(&moved, seen)
                .await
                .map_err(|e| Refused::Failed(AppError::Internal(viewer.lang, e.to_string())))?;
            return Err(Refused::Stale(since, current));
        }
        Err(SaveError::Conflict(detail)) => {
            // No single change to show: what changed was something pointing at this.
            tracing::info!(%detail, "a save refused: what refers to it changed meanwhile");
            return Err(Refused::Stale(Vec::new(), revision));
        }
        Err(SaveError::Store(e)) => {
            return Err(Refused::Failed(AppError::Internal(
                viewer.lang,
                e.to_string(),
            )));
        }
    }
    state
        .catch_up()
        .await
        .map_err(|e| Refused::Failed(AppError::Internal(viewer.lang, e.to_string())))
}

/// After a save: to the page of what was saved (303, so that reloading does not post again).
pub fn saved(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// The refusal for a person who may not do this: a log-in for visitors, 403 for the signed-in.
pub fn refuse(viewer: &Viewer, path: &str) -> Response {
    if viewer.session.is_none() {
        let next: String = form_urlencoded::byte_serialize(path.as_bytes()).collect();
        Redirect::to(&format!("/login?next={next}")).into_response()
    } else {
        AppError::Forbidden(viewer.lang).into_response()
    }
}
