//! The four routes every kind of item has, written once: the form to change an item and its
//! save, the form for a new one and its save. What differs by kind (who may, which fields,
//! how the posted values read) is an [`Editor`].

use axum::extract::{Form as Posted, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use rodtrad_domain::{DataSet, ItemKey, ItemKind, Slug};
use rodtrad_i18n::Lang;

use crate::app::AppState;
use crate::edit::form::Meanwhile;
use crate::edit::{Field, Form, Input, Problems, Refused, again, commit, refuse, saved};
use crate::error::AppError;
use crate::pages::Page;
use crate::session::Viewer;

/// What one kind of item needs to be edited in forms.
pub trait Editor: Send + Sync + 'static {
    type Item: Clone + Send + Sync;
    const KIND: ItemKind;
    /// Where an item's page is (`prefix` + id), or where to go from a new one's form.
    const PAGE: &'static str;
    /// The message keys of the titles of the forms: to change one (`$title`) and a new one.
    const TITLES: (&'static str, &'static str);

    fn list(set: &DataSet) -> &Vec<Self::Item>;
    fn list_mut(set: &mut DataSet) -> &mut Vec<Self::Item>;
    fn id(item: &Self::Item) -> &Slug;
    fn name(item: &Self::Item) -> String;
    /// Whether the viewer may change `item`, or with `None` make a new one.
    fn may_edit(viewer: &Viewer, set: &DataSet, item: Option<&Self::Item>) -> bool;
    fn fields(viewer: &Viewer, state: &AppState, item: Option<&Self::Item>) -> Vec<Field>;
    /// The posted values as an item, over `old` when changing one. The id of a new item is
    /// read by the caller.
    fn read(
        input: &Input,
        viewer: &Viewer,
        state: &AppState,
        old: Option<&Self::Item>,
        id: Slug,
    ) -> Result<Self::Item, Problems>;
}

fn path<E: Editor>(id: Option<&str>) -> String {
    match id {
        Some(id) => format!("/edit/{}/{id}", E::KIND.code()),
        None => format!("/new/{}", E::KIND.code()),
    }
}

fn form<E: Editor>(
    viewer: &Viewer,
    state: &AppState,
    old: Option<&E::Item>,
    revision: i64,
) -> Form {
    let lang = viewer.lang;
    let id = old.map(|o| E::id(o).to_string());
    let action = path::<E>(id.as_deref());
    let title = match old {
        Some(o) => lang.format(E::TITLES.0, &[("title", E::name(o))]),
        None => lang.text(E::TITLES.1),
    };
    let page = Page::new(lang, title, &action).with(viewer);
    let mut fields = E::fields(viewer, state, old);
    if old.is_none() {
        fields.insert(
            0,
            Field::text("id", lang.text("edit-id"), None).hint(lang.text("edit-id-hint")),
        );
    }
    Form {
        intro: None,
        action: page.href(&action),
        cancel: match &id {
            Some(id) => page.link(E::PAGE, id),
            None => page.href(E::PAGE),
        },
        submit: lang.text("edit-save"),
        revision,
        fields,
        general: Vec::new(),
        meanwhile: Vec::new(),
        csrf: viewer
            .session
            .as_ref()
            .map(|s| s.csrf_token.clone())
            .unwrap_or_default(),
        page,
    }
}

pub fn render(form: &Form, lang: Lang, status: StatusCode) -> Response {
    match crate::pages::render(form, lang) {
        Ok(html) => again(status, html),
        Err(e) => e.into_response(),
    }
}

/// The form shown again after a refusal, with what was typed.
pub fn refused(form: Form, input: &Input, why: Refused, lang: Lang) -> Response {
    match why {
        Refused::Invalid(problems) => render(
            &form.refilled(input, problems),
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Refused::Stale(changes, current) => {
            let mut form = form.refilled(input, Problems::default());
            form.meanwhile = Meanwhile::of(&changes);
            // Saving again is a choice made knowing what changed: it is based on what is now.
            form.revision = current;
            render(&form, lang, StatusCode::CONFLICT)
        }
        Refused::Failed(e) => e.into_response(),
    }
}

pub async fn revision(state: &AppState, key: &ItemKey, lang: Lang) -> Result<i64, Response> {
    state
        .store()
        .revision(key)
        .await
        .map_err(|e| AppError::Internal(lang, e.to_string()).into_response())
}

fn find<'a, E: Editor>(set: &'a DataSet, id: &str) -> Option<&'a E::Item> {
    E::list(set).iter().find(|x| E::id(x).as_str() == id)
}

pub async fn edit_form<E: Editor>(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
) -> Response {
    let working = state.working();
    let Some(old) = find::<E>(&working.set, &id) else {
        return AppError::NotFound(viewer.lang).into_response();
    };
    if !E::may_edit(&viewer, &working.set, Some(old)) {
        return refuse(&viewer, &path::<E>(Some(&id)));
    }
    let key = ItemKey::new(E::KIND, E::id(old));
    match revision(&state, &key, viewer.lang).await {
        Ok(rev) => render(
            &form::<E>(&viewer, &state, Some(old), rev),
            viewer.lang,
            StatusCode::OK,
        ),
        Err(e) => e,
    }
}

pub async fn edit_save<E: Editor>(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(id): Path<String>,
    Posted(input): Posted<Input>,
) -> Response {
    let working = state.working();
    let Some(old) = find::<E>(&working.set, &id) else {
        return AppError::NotFound(viewer.lang).into_response();
    };
    if !E::may_edit(&viewer, &working.set, Some(old)) {
        return refuse(&viewer, &path::<E>(Some(&id)));
    }
    let lang = viewer.lang;
    let form = || form::<E>(&viewer, &state, Some(old), input.revision());
    let item = match E::read(&input, &viewer, &state, Some(old), E::id(old).clone()) {
        Ok(item) => item,
        Err(p) => return refused(form(), &input, Refused::Invalid(p), lang),
    };
    let mut after = working.set.clone();
    if let Some(slot) = E::list_mut(&mut after)
        .iter_mut()
        .find(|x| E::id(x) == E::id(old))
    {
        *slot = item;
    }
    let key = ItemKey::new(E::KIND, E::id(old));
    match commit(&state, &viewer, &key, input.revision(), &after, None).await {
        Ok(()) => saved(&Page::new(lang, String::new(), "/").link(E::PAGE, &id)),
        Err(why) => refused(form(), &input, why, lang),
    }
}

pub async fn new_form<E: Editor>(State(state): State<AppState>, viewer: Viewer) -> Response {
    if !E::may_edit(&viewer, &state.working().set, None) {
        return refuse(&viewer, &path::<E>(None));
    }
    render(
        &form::<E>(&viewer, &state, None, 0),
        viewer.lang,
        StatusCode::OK,
    )
}

pub async fn new_save<E: Editor>(
    State(state): State<AppState>,
    viewer: Viewer,
    Posted(input): Posted<Input>,
) -> Response {
    let working = state.working();
    if !E::may_edit(&viewer, &working.set, None) {
        return refuse(&viewer, &path::<E>(None));
    }
    let lang = viewer.lang;
    let form = || form::<E>(&viewer, &state, None, 0);
    let mut reader = crate::edit::Reader::new(&input, lang);
    let title = input
        .text("title")
        .or_else(|| input.text("name"))
        .unwrap_or_default();
    let id = reader.new_id("id", &title, |s| {
        find::<E>(&working.set, s.as_str()).is_some()
    });
    let placeholder = Slug::parse("new").expect("a valid slug");
    let read = E::read(
        &input,
        &viewer,
        &state,
        None,
        id.clone().unwrap_or(placeholder),
    );
    let item = match (read, reader.finish()) {
        (Ok(item), Ok(())) if id.is_some() => item,
        (read, ids) => {
            let mut problems = read.err().unwrap_or_default();
            if let Err(p) = ids {
                problems.fields.extend(p.fields);
            }
            return refused(form(), &input, Refused::Invalid(problems), lang);
        }
    };
    let key = ItemKey::new(E::KIND, E::id(&item));
    let to = Page::new(lang, String::new(), "/").link(E::PAGE, E::id(&item));
    let mut after = working.set.clone();
    E::list_mut(&mut after).push(item);
    match commit(&state, &viewer, &key, 0, &after, None).await {
        Ok(()) => saved(&to),
        Err(why) => refused(form(), &input, why, lang),
    }
}
