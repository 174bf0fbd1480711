//! The record of changes as pages: one item's history, and what one person has changed.
//!
//! The record is not published: it holds drafts' values. A signed-in person sees the history
//! of what they may see the drafts of (every item but a plan they have no role on), and an
//! administrator, or the person themselves, sees what a person has changed.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use rodtrad_domain::{FieldChange, ItemKey, ItemKind, Slug};
use rodtrad_store::ChangeSet;
use time::OffsetDateTime;
use time::macros::format_description;

use crate::edit::refuse;
use crate::error::AppError;
use crate::pages::{Page, render};
use crate::session::Viewer;
use crate::state::AppState;

/// A time of the record, in UTC to the minute.
pub fn when(at: i64) -> String {
    OffsetDateTime::from_unix_timestamp(at)
        .ok()
        .and_then(|t| {
            t.format(format_description!(
                "[year]-[month]-[day] [hour]:[minute] UTC"
            ))
            .ok()
        })
        .unwrap_or_default()
}

struct Entry {
    when: String,
    who: String,
    item: String,
    item_href: Option<String>,
    action: String,
    fields: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    page: Page,
    entries: Vec<Entry>,
}

/// Changed fields as table rows: field, before, after (empty where there was no value).
pub fn rows(fields: &[FieldChange]) -> Vec<(String, String, String)> {
    fields
        .iter()
        .map(|f| {
            (
                f.field.clone(),
                f.before.clone().unwrap_or_default(),
                f.after.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn entries(page: &Page, changes: &[ChangeSet]) -> Vec<Entry> {
    changes
        .iter()
        .map(|c| Entry {
            when: when(c.at),
            who: c.actor.clone(),
            item: item_name(page.lang, &c.item),
            item_href: item_href(page, &c.item),
            action: page.t(&format!("action-{}", c.action.code())),
            fields: rows(&c.fields),
        })
        .collect()
}

/// "aktivitet lasframjande": an item by its kind and id.
pub fn item_name(lang: rodtrad_i18n::Lang, item: &ItemKey) -> String {
    let kind = lang.text(&format!("kind-{}", item.kind.code().replace('_', "-")));
    format!("{kind} {}", item.id)
}

/// The page of an item, for kinds that have one.
fn item_href(page: &Page, item: &ItemKey) -> Option<String> {
    let prefix = match item.kind {
        ItemKind::Plan => "/plans/",
        ItemKind::Activity => "/activities/",
        ItemKind::Organisation => "/organisations/",
        ItemKind::FollowUp => "/follow-ups/",
        ItemKind::Account => "/admin/accounts/",
        ItemKind::Strategy | ItemKind::Perspective => return None,
    };
    Some(page.link(prefix, &item.id))
}

/// `/history/{kind}/{id}`: one item's record, newest first.
pub async fn item(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((kind, id)): Path<(String, String)>,
) -> Response {
    let lang = viewer.lang;
    let (Some(kind), Ok(id)) = (ItemKind::parse(&kind), Slug::parse(&id)) else {
        return AppError::NotFound(lang).into_response();
    };
    let path = format!("/history/{}/{id}", kind.code());
    let access = viewer.access();
    let allowed =
        viewer.session.is_some() && (kind != ItemKind::Plan || access.sees_drafts_of(&id));
    if !allowed {
        return refuse(&viewer, &path);
    }
    let key = ItemKey { kind, id };
    let mut changes = match state.store().changes_of(&key, 0).await {
        Ok(c) => c,
        Err(e) => return AppError::Internal(lang, e.to_string()).into_response(),
    };
    if changes.is_empty() {
        return AppError::NotFound(lang).into_response();
    }
    changes.reverse();
    let title = lang.format("history-item-title", &[("item", item_name(lang, &key))]);
    let page = Page::new(lang, title, &path).with(&viewer);
    let entries = entries(&page, &changes);
    render(&HistoryPage { page, entries }, lang).into_response()
}

/// `/accounts/{id}/history`: what one person has changed, newest first.
pub async fn person(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let lang = viewer.lang;
    let Ok(id) = id.parse::<i64>() else {
        return AppError::NotFound(lang).into_response();
    };
    let path = format!("/accounts/{id}/history");
    let own = viewer.session.as_ref().is_some_and(|s| s.account.id == id);
    if !(own || viewer.access().may_administer()) {
        return refuse(&viewer, &path);
    }
    let account = match state.store().account(id).await {
        Ok(Some(a)) => a,
        Ok(None) => return AppError::NotFound(lang).into_response(),
        Err(e) => return AppError::Internal(lang, e.to_string()).into_response(),
    };
    let changes = match state.store().changes_by(id).await {
        Ok(c) => c,
        Err(e) => return AppError::Internal(lang, e.to_string()).into_response(),
    };
    let name = account
        .name
        .clone()
        .unwrap_or_else(|| account.email.clone());
    let title = lang.format("history-person-title", &[("name", name)]);
    let page = Page::new(lang, title, &path).with(&viewer);
    let entries = entries(&page, &changes);
    render(&HistoryPage { page, entries }, lang).into_response()
}
