//! Removing an item: the page says first what depends on it and how each of those would
//! change, and nothing is removed until the person confirms. What cannot be loosened (a plan
//! version decided by an organisation) stops the removal, with the reason.
//!
//! An activity is linked to goals of any number of plans, and the links are the activity's
//! own, so removing it changes no other item and yet takes it from every plan it serves. The
//! page names each of those goals (those in plans the person cannot read, only by their
//! number), and only someone who keeps every one of those plans, or an administrator, may
//! remove it: a contributor of one municipality cannot take an activity out of the region's
//! plans.

use askama::Template;
use axum::extract::{Form as Posted, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rodtrad_domain::{DataSet, ItemChange, ItemKey, ItemKind, item_changes};

use crate::edit::history::{item_name, rows};
use crate::edit::item::{Editor, Params, allowed, params};
use crate::edit::{Input, Refused, check_edit, commit, saved};
use crate::pages::{Page, respond};
use crate::session::Viewer;
use crate::state::AppState;

struct Dependent {
    name: String,
    fields: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "remove.html")]
struct RemovePage {
    page: Page,
    action: String,
    cancel: String,
    csrf: String,
    revision: i64,
    dependents: Vec<Dependent>,
    /// The goals that would lose the activity or indicator removed, by plan and goal title.
    serves: Vec<String>,
    /// What the list of those goals is headed with: for an activity, or an indicator.
    serves_heading: String,
    /// Why the removal cannot be done; empty when it can.
    blocked: Vec<String>,
}

/// What a removal takes from others: the items it changes, and the goals that lose it.
struct Loses {
    dependents: Vec<Dependent>,
    serves: Vec<String>,
}

/// What removing an activity takes from plans: the goals it serves as the viewer may read
/// them, and, unless the viewer keeps every plan concerned, why they may not remove it.
struct Serving {
    serves: Vec<String>,
    refused: Vec<String>,
}

fn serving(
    state: &AppState,
    working: &crate::model::ReadModel,
    viewer: &Viewer,
    key: &ItemKey,
) -> Serving {
    let lang = viewer.lang;
    let mut out = Serving {
        serves: Vec::new(),
        refused: Vec::new(),
    };
    // An indicator measures goals as an activity serves them: removing it takes it from them.
    let goals: Vec<&rodtrad_domain::GoalRef> = match key.kind {
        ItemKind::Activity => match working.set.activities.iter().find(|a| a.id == key.id) {
            Some(a) => a.serves.iter().collect(),
            None => return out,
        },
        ItemKind::Indicator => match working.set.indicators.iter().find(|x| x.id == key.id) {
            Some(x) => x.measures.iter().map(|m| &m.goal).collect(),
            None => return out,
        },
        _ => return out,
    };
    let needs_rights = if key.kind == ItemKind::Indicator {
        "remove-indicator-needs-rights"
    } else {
        "remove-needs-rights"
    };
    let access = viewer.access();
    let seen = state.model_for(viewer);
    let mut hidden = 0;
    let mut hidden_refused = false;
    for goal in goals {
        let may = access.may_edit_plan(&goal.plan);
        let plan = seen.set.plans.iter().find(|p| p.id == goal.plan);
        let node = plan.and_then(|p| p.nodes.iter().find(|n| n.id == goal.node));
        if let (Some(plan), Some(node)) = (plan, node) {
            out.serves.push(format!("{}: {}", plan.title, node.title));
            let refusal = lang.format(needs_rights, &[("plan", plan.title.clone())]);
            if !may && !out.refused.contains(&refusal) {
                out.refused.push(refusal);
            }
        } else {
            hidden += 1;
            hidden_refused |= !may;
        }
    }
    if hidden > 0 {
        out.serves.push(lang.count("remove-serves-hidden", hidden));
    }
    if hidden_refused {
        out.refused
            .push(lang.text(&format!("{needs_rights}-hidden")));
    }
    out
}

/// The data set without the item, and the other items that change with it.
fn without<E: Editor>(
    set: &DataSet,
    scope: Option<&rodtrad_domain::Slug>,
    id: &rodtrad_domain::Slug,
) -> (DataSet, Vec<ItemChange>) {
    let mut after = set.clone();
    E::remove(&mut after, scope, id);
    let own = E::key(scope, id);
    let others = item_changes(set, &after)
        .into_iter()
        .filter(|c| c.item != own)
        .collect();
    (after, others)
}

/// The items that change with the removal, as the page names them.
fn dependents(lang: rodtrad_i18n::Lang, set: &DataSet, others: &[ItemChange]) -> Vec<Dependent> {
    others
        .iter()
        .map(|c| Dependent {
            name: match set.item_title(&c.item) {
                Some(title) => format!("{}: {title}", item_name(lang, &c.item)),
                None => item_name(lang, &c.item),
            },
            fields: rows(&c.fields),
        })
        .collect()
}

fn page<E: Editor>(
    viewer: &Viewer,
    scope: Option<&rodtrad_domain::Slug>,
    item: &E::Item,
    revision: i64,
    loses: Loses,
    blocked: Vec<String>,
    status: StatusCode,
) -> Response {
    let lang = viewer.lang;
    let id = E::id(item);
    let action = E::path(scope, Some(id.as_str())).replacen("/edit/", "/remove/", 1);
    let title = lang.format("remove-title", &[("title", E::name(item))]);
    let page = Page::new(lang, title, &action).with(viewer);
    let removal = RemovePage {
        action: page.href(&action),
        cancel: page.href(&E::page(scope, Some(id))),
        csrf: viewer.csrf(),
        revision,
        dependents: loses.dependents,
        serves: loses.serves,
        serves_heading: lang.text(if E::key(scope, id).kind == ItemKind::Indicator {
            "remove-indicator-measures"
        } else {
            "remove-serves"
        }),
        blocked,
        page,
    };
    respond(&removal, lang, status)
}

/// `GET /remove/...`: what would go and what depends on it, and the button to confirm.
pub async fn confirm<E: Editor>(
    State(state): State<AppState>,
    viewer: Viewer,
    p: Params,
) -> Response {
    let (scope, id) = params(p);
    let (scope, id) = (scope.as_ref(), id.unwrap_or_default());
    let working = state.fresh_working().await;
    let path = E::path(scope, Some(&id)).replacen("/edit/", "/remove/", 1);
    let item = match allowed::<E>(&working, &viewer, scope, &id, &path) {
        Ok(item) => item,
        Err(answer) => return *answer,
    };
    let (after, others) = without::<E>(&working.set, scope, E::id(item));
    let key = E::key(scope, E::id(item));
    let Serving { serves, refused } = serving(&state, &working, &viewer, &key);
    let mut blocked = refused;
    blocked.extend(
        check_edit(
            &working,
            &after,
            &item_changes(&working.set, &after),
            &viewer,
        )
        .general,
    );
    let rev = working.revision(&key);
    page::<E>(
        &viewer,
        scope,
        item,
        rev,
        Loses {
            dependents: dependents(viewer.lang, &working.set, &others),
            serves,
        },
        blocked,
        StatusCode::OK,
    )
}

/// `POST /remove/...`: removes the item and loosens what depended on it, all on record.
pub async fn remove<E: Editor>(
    State(state): State<AppState>,
    viewer: Viewer,
    p: Params,
    Posted(input): Posted<Input>,
) -> Response {
    let (scope, id) = params(p);
    let (scope, id) = (scope.as_ref(), id.unwrap_or_default());
    let working = state.fresh_working().await;
    let path = E::path(scope, Some(&id)).replacen("/edit/", "/remove/", 1);
    let item = match allowed::<E>(&working, &viewer, scope, &id, &path) {
        Ok(item) => item,
        Err(answer) => return *answer,
    };
    let (after, others) = without::<E>(&working.set, scope, E::id(item));
    let key = E::key(scope, E::id(item));
    let Serving { serves, refused } = serving(&state, &working, &viewer, &key);
    if !refused.is_empty() {
        tracing::warn!(item = %item_name(viewer.lang, &key), "refused: a removal from plans the person does not keep");
        return page::<E>(
            &viewer,
            scope,
            item,
            input.revision(),
            Loses {
                dependents: dependents(viewer.lang, &working.set, &others),
                serves,
            },
            refused,
            StatusCode::FORBIDDEN,
        );
    }
    let to = Page::new(viewer.lang, String::new(), "/").href(&E::page(scope, None));
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
        Ok(()) => saved(&to),
        Err(Refused::Invalid(problems)) => page::<E>(
            &viewer,
            scope,
            item,
            input.revision(),
            Loses {
                dependents: dependents(viewer.lang, &working.set, &others),
                serves,
            },
            problems.general,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(Refused::Stale(_, current)) => page::<E>(
            &viewer,
            scope,
            item,
            current,
            Loses {
                dependents: dependents(viewer.lang, &working.set, &others),
                serves,
            },
            vec![viewer.lang.text("remove-stale")],
            StatusCode::CONFLICT,
        ),
        Err(Refused::Failed(e)) => e.into_response(),
    }
}
