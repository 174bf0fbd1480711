//! The record of changes as pages: one item's history, and what one person has changed.
//!
//! The record is not published: it holds drafts' values. A signed-in person sees the history
//! of what they may see the drafts of (every item but a plan they have no role on, or another
//! person's account), and an administrator, or the person themselves, sees what a person has
//! changed and their account's record. Where the record of an item they may see names a goal
//! or plan they may not (an activity linked to a goal that is only in a draft), the name is
//! left out: no history shows what the person could not read on the plan itself.

use std::collections::HashSet;

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

/// What of the record a viewer may read: everything for an administrator; for others, the
/// goals and plans of the data as they see it.
struct Sight {
    admin: bool,
    own: Option<i64>,
    access: rodtrad_auth::Access,
    goals: HashSet<(String, String)>,
    plans: HashSet<String>,
}

impl Sight {
    fn of(state: &AppState, viewer: &Viewer) -> Self {
        let access = viewer.access();
        let model = state.model_for(viewer);
        Sight {
            admin: access.admin,
            own: viewer.session.as_ref().map(|s| s.account.id),
            goals: model
                .set
                .plans
                .iter()
                .flat_map(|p| p.nodes.iter().map(|n| (p.id.to_string(), n.id.to_string())))
                .collect(),
            plans: model.set.plans.iter().map(|p| p.id.to_string()).collect(),
            access,
        }
    }

    /// Whether the viewer may read this item's record at all.
    fn item(&self, item: &ItemKey) -> bool {
        match item.kind {
            ItemKind::Plan => self.access.sees_drafts_of(&item.id),
            ItemKind::Account => {
                self.admin
                    || self
                        .own
                        .is_some_and(|id| id.to_string() == item.id.as_str())
            }
            _ => true,
        }
    }

    /// A field's value with the goals and plans the viewer cannot see left out.
    fn value(&self, lang: rodtrad_i18n::Lang, field: &str, value: &str) -> String {
        let goals = field == "serves" || field.ends_with("node");
        let plans = field == "plans" || field == "structure";
        if self.admin || !(goals || plans) {
            return value.to_owned();
        }
        value
            .split(", ")
            .map(|token| {
                if goals {
                    let seen = token
                        .split_once('/')
                        .is_some_and(|(p, n)| self.goals.contains(&(p.to_owned(), n.to_owned())));
                    if seen {
                        token.to_owned()
                    } else {
                        lang.text("history-hidden")
                    }
                } else if self.plans.contains(token) {
                    token.to_owned()
                } else {
                    lang.text("history-hidden-plan")
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn rows(
        &self,
        lang: rodtrad_i18n::Lang,
        fields: &[FieldChange],
    ) -> Vec<(String, String, String)> {
        rows(fields)
            .into_iter()
            .map(|(f, b, a)| {
                let (b, a) = (self.value(lang, &f, &b), self.value(lang, &f, &a));
                (f, b, a)
            })
            .collect()
    }
}

fn entries(page: &Page, sight: &Sight, changes: &[ChangeSet]) -> Vec<Entry> {
    changes
        .iter()
        .filter(|c| sight.item(&c.item))
        .map(|c| Entry {
            when: when(c.at),
            who: c.actor.clone(),
            item: item_name(page.lang, &c.item),
            item_href: item_href(page, sight, &c.item),
            action: page.t(&format!("action-{}", c.action.code())),
            fields: sight.rows(page.lang, &c.fields),
        })
        .collect()
}

/// "aktivitet lasframjande": an item by its kind and id.
pub fn item_name(lang: rodtrad_i18n::Lang, item: &ItemKey) -> String {
    let kind = lang.text(&format!("kind-{}", item.kind.code().replace('_', "-")));
    format!("{kind} {}", item.id)
}

/// The page of an item, for kinds that have one the viewer may open.
fn item_href(page: &Page, sight: &Sight, item: &ItemKey) -> Option<String> {
    let prefix = match item.kind {
        ItemKind::Plan => "/plans/",
        ItemKind::Activity => "/activities/",
        ItemKind::Organisation => "/organisations/",
        ItemKind::FollowUp => "/follow-ups/",
        ItemKind::Indicator => "/indicators/",
        ItemKind::Report => {
            let round = item.scope.as_ref()?;
            return Some(page.href(&format!("/rounds/{round}/reports/{}", item.id)));
        }
        ItemKind::Account if sight.admin => "/admin/accounts/",
        ItemKind::Account => return Some(page.href("/account")),
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
    let key = ItemKey::new(kind, &id);
    let sight = Sight::of(&state, &viewer);
    if viewer.session.is_none() || !sight.item(&key) {
        return refuse(&viewer, &path);
    }
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
    let entries = entries(&page, &sight, &changes);
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
    let entries = entries(&page, &Sight::of(&state, &viewer), &changes);
    render(&HistoryPage { page, entries }, lang).into_response()
}
