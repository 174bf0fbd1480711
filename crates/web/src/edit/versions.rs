//! A plan's versions: the list, each released version as it was, the comparison of any two, and
//! the owner's two acts on the draft: publishing it, or deciding it.
//!
//! Released versions are public (visitors read the newest); the draft is only for those with a
//! role on the plan, so it is offered in the comparison only to them.

use askama::Template;
use axum::extract::{Form as Posted, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rodtrad_domain::{
    DataSet, Decision, FieldChange, ItemKey, ItemKind, Plan, PlanVersion, Slug, changes,
};
use rodtrad_store::Release;

use rodtrad_store::Releasing;

use crate::edit::activity::organisations;
use crate::edit::history::when;
use crate::edit::{Choice, Input, Problems, Reader, Refused, commit, refuse, saved};
use crate::error::AppError;
use crate::model::ReadModel;
use crate::pages::{Page, render, respond};
use crate::session::Viewer;
use crate::state::AppState;

/// The word for the draft in the comparison's choices and addresses.
const DRAFT: &str = "draft";

struct Row {
    number: i64,
    decided: bool,
    when: String,
    href: String,
}

#[derive(Template)]
#[template(path = "versions.html")]
struct VersionsPage {
    page: Page,
    plan_href: String,
    rows: Vec<Row>,
    /// The comparison's choices: each version, and the draft for role holders.
    choices: Vec<Choice>,
    from: String,
    to: String,
    /// The comparison asked for: (field, before, after) by kind of change.
    compared: Option<Compared>,
    /// The owner's forms: anti-forgery token, the plan's revision, bodies that may decide.
    owner: Option<Owner>,
    problems: Problems,
    input: Input,
}

struct Owner {
    publish: String,
    decide: String,
    csrf: String,
    revision: i64,
    bodies: Vec<Choice>,
}

struct Compared {
    heading: String,
    added: Vec<FieldChange>,
    removed: Vec<FieldChange>,
    changed: Vec<FieldChange>,
}

impl VersionsPage {
    fn typed(&self, name: &str) -> String {
        self.input.text(name).unwrap_or_default()
    }

    fn problem(&self, name: &str) -> Option<&String> {
        self.problems.fields.get(name)
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct CompareQuery {
    from: Option<String>,
    to: Option<String>,
}

/// The plan as each choice names it: a version's number, or the draft.
fn pick<'a>(name: &str, releases: &'a [Release], draft: Option<&'a Plan>) -> Option<&'a Plan> {
    if name == DRAFT {
        return draft;
    }
    let n: i64 = name.parse().ok()?;
    releases.iter().find(|r| r.number == n).map(|r| &r.plan)
}

fn label(lang: rodtrad_i18n::Lang, name: &str) -> String {
    if name == DRAFT {
        lang.text("versions-draft")
    } else {
        lang.format("versions-number", &[("number", name.to_owned())])
    }
}

async fn releases(
    state: &AppState,
    plan: &Slug,
    lang: rodtrad_i18n::Lang,
) -> Result<Vec<Release>, Response> {
    state
        .store()
        .releases(plan)
        .await
        .map_err(|e| AppError::Internal(lang, e.to_string()).into_response())
}

/// `/plans/{id}/versions`: the list, the comparison, and for the owner publishing and deciding.
pub async fn list(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Query(q): Query<CompareQuery>,
) -> Response {
    versions_page(
        &state,
        &viewer,
        &id,
        &q,
        Problems::default(),
        Input::default(),
        StatusCode::OK,
    )
    .await
}

async fn versions_page(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    q: &CompareQuery,
    problems: Problems,
    input: Input,
    status: StatusCode,
) -> Response {
    let lang = viewer.lang;
    let visible = state.model_for(viewer);
    let Some(plan) = visible.plan(id) else {
        return AppError::NotFound(lang).into_response();
    };
    let access = viewer.access();
    let drafts = access.sees_drafts_of(&plan.id);
    let releases = match releases(state, &plan.id, lang).await {
        Ok(r) => r,
        Err(e) => return e,
    };
    let path = format!("/plans/{}/versions", plan.id);
    let title = lang.format("versions-title", &[("plan", plan.title.clone())]);
    let page = Page::new(lang, title, &path).with(viewer);
    let mut names: Vec<String> = releases.iter().map(|r| r.number.to_string()).collect();
    if drafts {
        names.push(DRAFT.to_owned());
    }
    let last = names.len().saturating_sub(1);
    let from = q.from.clone().unwrap_or_else(|| {
        names
            .get(last.saturating_sub(1))
            .cloned()
            .unwrap_or_default()
    });
    let to =
        q.to.clone()
            .unwrap_or_else(|| names.get(last).cloned().unwrap_or_default());
    let draft = drafts.then_some(plan);
    let compared = if q.from.is_some() || q.to.is_some() {
        let (Some(a), Some(b)) = (pick(&from, &releases, draft), pick(&to, &releases, draft))
        else {
            return AppError::NotFound(lang).into_response();
        };
        let all = changes(Some(a), Some(b));
        let (added, rest): (Vec<_>, Vec<_>) = all.into_iter().partition(|c| c.before.is_none());
        let (removed, changed) = rest.into_iter().partition(|c| c.after.is_none());
        Some(Compared {
            heading: lang.format(
                "versions-compared",
                &[("from", label(lang, &from)), ("to", label(lang, &to))],
            ),
            added,
            removed,
            changed,
        })
    } else {
        None
    };
    let owner = if access.may_edit_plan(&plan.id) {
        let working = state.working();
        Some(Owner {
            publish: page.href(&format!("/plans/{}/publish", plan.id)),
            decide: page.href(&format!("/plans/{}/decide", plan.id)),
            csrf: viewer.csrf(),
            revision: working.revision(&ItemKey::new(ItemKind::Plan, &plan.id)),
            bodies: organisations(&working.set),
        })
    } else {
        None
    };
    let rows = releases
        .iter()
        .map(|r| Row {
            number: r.number,
            decided: r.decided,
            when: when(r.at),
            href: page.href(&format!("/plans/{}/versions/{}", plan.id, r.number)),
        })
        .collect();
    let versions = VersionsPage {
        plan_href: page.link("/plans/", &plan.id),
        choices: names
            .iter()
            .map(|n| Choice::new(n, &label(lang, n)))
            .collect(),
        page,
        rows,
        from,
        to,
        compared,
        owner,
        problems,
        input,
    };
    respond(&versions, lang, status)
}

/// `/plans/{id}/versions/{n}`: a released version exactly as it was released.
pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path((id, number)): Path<(String, String)>,
) -> Response {
    let lang = viewer.lang;
    let Ok(number) = number.parse::<i64>() else {
        return AppError::NotFound(lang).into_response();
    };
    let visible = state.model_for(&viewer);
    let Some(plan) = visible.plan(&id) else {
        return AppError::NotFound(lang).into_response();
    };
    let releases = match releases(&state, &plan.id, lang).await {
        Ok(r) => r,
        Err(e) => return e,
    };
    let Some(release) = releases.into_iter().find(|r| r.number == number) else {
        return AppError::NotFound(lang).into_response();
    };
    // The version is shown with today's activities and organisations around it.
    let mut set = visible.set.clone();
    if let Some(slot) = set.plans.iter_mut().find(|p| p.id == release.plan.id) {
        *slot = release.plan.clone();
    }
    let model = ReadModel::new(set);
    let Some(shown) = model.plan(&id) else {
        return AppError::NotFound(lang).into_response();
    };
    let key = if release.decided {
        "versions-banner-decided"
    } else {
        "versions-banner-published"
    };
    let banner = lang.format(
        key,
        &[("number", number.to_string()), ("when", when(release.at))],
    );
    let page = Page::new(
        lang,
        shown.title.clone(),
        &format!("/plans/{id}/versions/{number}"),
    )
    .with(&viewer)
    .tool("versions-link", &format!("/plans/{id}/versions"));
    match render(
        &crate::pages::plan::plan_page(page, &model, shown, false, Some(banner)),
        lang,
    ) {
        Ok(html) => html.into_response(),
        Err(e) => e.into_response(),
    }
}

/// `POST /plans/{id}/publish`: the draft as the plan's next version, for everyone to read.
pub async fn publish(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Posted(input): Posted<Input>,
) -> Response {
    release(&state, &viewer, &id, &input, false).await
}

/// `POST /plans/{id}/decide`: the draft, with the decision recorded in its versions, as the
/// plan's next version, decided and frozen.
pub async fn decide(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Posted(input): Posted<Input>,
) -> Response {
    release(&state, &viewer, &id, &input, true).await
}

/// The decision as the form gives it, added to the plan's versions in `set`.
fn record_decision(
    input: &Input,
    lang: rodtrad_i18n::Lang,
    set: &mut DataSet,
    plan: &Slug,
) -> Result<(), Problems> {
    let orgs: Vec<Slug> = set.organisations.iter().map(|o| o.id.clone()).collect();
    let orgs: Vec<&Slug> = orgs.iter().collect();
    let mut r = Reader::new(input, lang);
    let title = r.required("title");
    if input.text("body").is_none() {
        r.required("body");
    }
    let body = r.choice("body", &orgs);
    if input.text("date").is_none() {
        r.required("date");
    }
    let date = r.date("date");
    let note = r.optional("note");
    r.finish()?;
    let Some(plan) = set.plans.iter_mut().find(|p| &p.id == plan) else {
        return Ok(());
    };
    let mut n = plan.versions.len() + 1;
    let mut version = Slug::parse(&format!("version-{n}")).expect("a valid slug");
    while plan.versions.iter().any(|v| v.id == version) {
        n += 1;
        version = Slug::parse(&format!("version-{n}")).expect("a valid slug");
    }
    plan.versions.push(PlanVersion {
        id: version,
        title,
        date,
        decision: body.map(|body| Decision { body, date }),
        note,
    });
    Ok(())
}

async fn release(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    input: &Input,
    decided: bool,
) -> Response {
    let lang = viewer.lang;
    let working = state.fresh_working().await;
    let Some(plan) = working.plan(id) else {
        return AppError::NotFound(lang).into_response();
    };
    let path = format!("/plans/{}/versions", plan.id);
    if !viewer.access().may_edit_plan(&plan.id) {
        return refuse(viewer, &path);
    }
    let none = CompareQuery {
        from: None,
        to: None,
    };
    let mut after = working.set.clone();
    if decided {
        if let Err(problems) = record_decision(input, lang, &mut after, &plan.id) {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            return versions_page(state, viewer, id, &none, problems, input.clone(), status).await;
        }
    }
    let key = ItemKey::new(ItemKind::Plan, &plan.id);
    let result = commit(
        state,
        viewer,
        &working,
        &key,
        input.revision(),
        &after,
        Some(Releasing::Plan {
            id: &plan.id,
            decided,
        }),
    )
    .await;
    match result {
        Ok(()) => saved(&Page::new(lang, String::new(), "/").href(&path)),
        Err(Refused::Invalid(problems)) => {
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            versions_page(state, viewer, id, &none, problems, input.clone(), status).await
        }
        Err(Refused::Stale(..)) => {
            let mut problems = Problems::default();
            problems.general.push(lang.text("versions-stale"));
            versions_page(
                state,
                viewer,
                id,
                &none,
                problems,
                Input::default(),
                StatusCode::CONFLICT,
            )
            .await
        }
        Err(Refused::Failed(e)) => e.into_response(),
    }
}
