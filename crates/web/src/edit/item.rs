//! The four routes every kind of item has, written once: the form to change an item and its
//! save, the form for a new one and its save. What differs by kind (who may, which fields,
//! how the posted values read) is an [`Editor`].

use axum::extract::{Form as Posted, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;

use rodtrad_domain::{DataSet, ItemKey, Slug};
use rodtrad_i18n::Lang;

use crate::edit::form::Meanwhile;
use crate::edit::{Field, Form, Input, Problems, Refused, commit, refuse, saved};
use crate::error::AppError;
use crate::model::ReadModel;
use crate::pages::{Page, respond};
use crate::session::Viewer;
use crate::state::AppState;

/// A list of items an editor changes: a plan's parts and the registers are plain lists, the
/// activities a shared one (`rodtrad_domain::Shared`).
pub trait Items<T> {
    fn find(&self, is: &dyn Fn(&T) -> bool) -> Option<&T>;
    /// Puts `item` in place of the first item `is` picks.
    fn replace(&mut self, is: &dyn Fn(&T) -> bool, item: T);
    fn add(&mut self, item: T);
    fn keep(&mut self, keep: &dyn Fn(&T) -> bool);
}

impl<T> Items<T> for Vec<T> {
    fn find(&self, is: &dyn Fn(&T) -> bool) -> Option<&T> {
        self.iter().find(|x| is(x))
    }

    fn replace(&mut self, is: &dyn Fn(&T) -> bool, item: T) {
        if let Some(slot) = self.iter_mut().find(|x| is(x)) {
            *slot = item;
        }
    }

    fn add(&mut self, item: T) {
        self.push(item);
    }

    fn keep(&mut self, keep: &dyn Fn(&T) -> bool) {
        self.retain(|x| keep(x));
    }
}

impl<T> Items<std::sync::Arc<T>> for rodtrad_domain::Shared<T> {
    fn find(&self, is: &dyn Fn(&std::sync::Arc<T>) -> bool) -> Option<&std::sync::Arc<T>> {
        self.iter().find(|x| is(x))
    }

    fn replace(&mut self, is: &dyn Fn(&std::sync::Arc<T>) -> bool, item: std::sync::Arc<T>) {
        if let Some(i) = self.iter().position(is) {
            self.set(i, item);
        }
    }

    fn add(&mut self, item: std::sync::Arc<T>) {
        self.push_back(item);
    }

    fn keep(&mut self, keep: &dyn Fn(&std::sync::Arc<T>) -> bool) {
        self.retain(|x| keep(x));
    }
}

/// What one kind of item needs to be edited in forms. Items are top-level (an activity) or
/// parts of a plan (a goal, a risk); a part's `scope` is its plan, and its save is recorded as
/// a change of the plan.
pub trait Editor: Send + Sync + 'static {
    type Item: Clone + Send + Sync;
    /// The message keys of the titles of the forms: to change one (`$title`) and a new one.
    const TITLES: (&'static str, &'static str);

    /// The items, in the plan `scope` for parts; `None` when there is no such plan.
    fn list<'a>(set: &'a DataSet, scope: Option<&Slug>) -> Option<&'a dyn Items<Self::Item>>;
    fn list_mut<'a>(
        set: &'a mut DataSet,
        scope: Option<&Slug>,
    ) -> Option<&'a mut dyn Items<Self::Item>>;
    fn id(item: &Self::Item) -> &Slug;
    fn name(item: &Self::Item) -> String;
    /// The item of the record and of the revision: the plan, for a part of one.
    fn key(scope: Option<&Slug>, id: &Slug) -> ItemKey;
    /// The form's own address: to change `id`, or with `None` to make a new one.
    fn path(scope: Option<&Slug>, id: Option<&str>) -> String;
    /// Where to go after saving `id` or cancelling.
    fn page(scope: Option<&Slug>, id: Option<&Slug>) -> String;
    /// Whether the viewer may change `item`, or with `None` make a new one.
    fn may_edit(
        viewer: &Viewer,
        set: &DataSet,
        scope: Option<&Slug>,
        item: Option<&Self::Item>,
    ) -> bool;
    fn fields(
        viewer: &Viewer,
        state: &AppState,
        scope: Option<&Slug>,
        item: Option<&Self::Item>,
    ) -> Vec<Field>;
    /// The posted values as an item, over `old` when changing one. The id of a new item is
    /// read by the caller.
    fn read(
        input: &Input,
        viewer: &Viewer,
        state: &AppState,
        scope: Option<&Slug>,
        old: Option<&Self::Item>,
        id: Slug,
    ) -> Result<Self::Item, Problems>;
    /// Takes the item out of `set`, and loosens what points at it (a goal's links from
    /// activities, an organisation as a partner). What cannot be loosened is left for the
    /// checks to name.
    fn remove(set: &mut DataSet, scope: Option<&Slug>, id: &Slug) {
        if let Some(list) = Self::list_mut(set, scope) {
            list.keep(&|x| Self::id(x) != id);
        }
    }

    /// Puts the data set in order after the item `id` is in place, as `input` asks (a goal
    /// moved in its tree).
    fn arrange(_set: &mut DataSet, _scope: Option<&Slug>, _input: &Input, _id: &Slug) {}

    /// The fields a link may fill in when it opens the form (`?name=value`), so that a page
    /// elsewhere (Kolada's catalogue) can hand a choice to it; none unless an editor names them.
    const PREFILL: &'static [&'static str] = &[];

    /// The form's page with links of its own added (a search to fill a field from).
    fn form_tools(page: Page, _id: Option<&Slug>) -> Page {
        page
    }

    /// The fields of a form shown again with what was posted: as many numbered rows as were
    /// sent, where an editor's rows are more than those of the item it was made from.
    fn reshape(_fields: &mut Vec<Field>, _viewer: &Viewer, _state: &AppState, _input: &Input) {}
}

/// The form shown again after a refusal: shaped for what was posted, then refilled by
/// [`refused`].
fn again<E: Editor>(mut form: Form, viewer: &Viewer, state: &AppState, input: &Input) -> Form {
    E::reshape(&mut form.fields, viewer, state, input);
    form
}

/// What a link asked the form to show (`?name=value`): for the fields the editor lets be
/// filled so.
pub type Prefill = RawQuery;

fn prefill<E: Editor>(mut form: Form, RawQuery(asked): Prefill) -> Form {
    let Some(asked) = asked.filter(|_| !E::PREFILL.is_empty()) else {
        return form;
    };
    for (k, v) in form_urlencoded::parse(asked.as_bytes()) {
        if !E::PREFILL.contains(&k.as_ref()) {
            continue;
        }
        if let Some(f) = form.fields.iter_mut().find(|f| f.name == k) {
            v.trim().clone_into(&mut f.value);
        }
    }
    form
}

/// What every top-level item's editor has alike: its list in the data set, its id, its item in
/// the record, and its forms' addresses (`/edit/KIND/ID`, `/new/KIND`).
macro_rules! top_level {
    ($item:ty, $field:ident, $kind:expr) => {
        type Item = $item;

        fn list<'a>(
            set: &'a DataSet,
            _: Option<&Slug>,
        ) -> Option<&'a dyn $crate::edit::item::Items<$item>> {
            Some(&set.$field)
        }

        fn list_mut<'a>(
            set: &'a mut DataSet,
            _: Option<&Slug>,
        ) -> Option<&'a mut dyn $crate::edit::item::Items<$item>> {
            Some(&mut set.$field)
        }

        fn id(item: &$item) -> &Slug {
            &item.id
        }

        fn key(_: Option<&Slug>, id: &Slug) -> ItemKey {
            ItemKey::new($kind, id)
        }

        fn path(_: Option<&Slug>, id: Option<&str>) -> String {
            let kind = $kind.code();
            id.map_or_else(|| format!("/new/{kind}"), |id| format!("/edit/{kind}/{id}"))
        }
    };
}
pub(crate) use top_level;

pub type Params = Option<Path<HashMap<String, String>>>;

/// The plan a part belongs to, and the id of the item, from the route.
pub fn params(p: Params) -> (Option<Slug>, Option<String>) {
    let map = p.map(|Path(m)| m).unwrap_or_default();
    (
        map.get("plan")
            .or_else(|| map.get("strategy"))
            .and_then(|s| Slug::parse(s).ok()),
        map.get("id").cloned(),
    )
}

fn form<E: Editor>(
    viewer: &Viewer,
    state: &AppState,
    scope: Option<&Slug>,
    old: Option<&E::Item>,
    revision: i64,
) -> Form {
    let lang = viewer.lang;
    let id = old.map(|o| E::id(o).to_string());
    let action = E::path(scope, id.as_deref());
    let title = match old {
        Some(o) => lang.format(E::TITLES.0, &[("title", E::name(o))]),
        None => lang.text(E::TITLES.1),
    };
    let page = E::form_tools(Page::new(lang, title, &action).with(viewer), old.map(E::id));
    let mut fields = E::fields(viewer, state, scope, old);
    if old.is_none() {
        fields.insert(
            0,
            Field::text("id", lang.text("edit-id"), None).hint(lang.text("edit-id-hint")),
        );
    }
    Form {
        action: page.href(&action),
        cancel: page.href(&E::page(scope, old.map(E::id))),
        submit: lang.text("edit-save"),
        revision,
        fields,
        general: Vec::new(),
        meanwhile: Vec::new(),
        csrf: viewer.csrf(),
        page,
    }
}

/// The form shown again after a refusal, with what was typed.
pub fn refused(form: Form, input: &Input, why: Refused, lang: Lang) -> Response {
    match why {
        Refused::Invalid(problems) => respond(
            &form.refilled(input, problems),
            lang,
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Refused::Stale(changes, current) => {
            let mut form = form.refilled(input, Problems::default());
            form.meanwhile = Meanwhile::of(&changes);
            // Saving again is a choice made knowing what changed: it is based on what is now.
            form.revision = current;
            respond(&form, lang, StatusCode::CONFLICT)
        }
        Refused::Failed(e) => e.into_response(),
    }
}

fn find<'a, E: Editor>(set: &'a DataSet, scope: Option<&Slug>, id: &str) -> Option<&'a E::Item> {
    E::list(set, scope)?.find(&|x| E::id(x).as_str() == id)
}

/// The item a route names, found in the working model and open to the viewer; or the answer
/// instead: 404, or the refusal for `path`.
pub fn allowed<'a, E: Editor>(
    working: &'a ReadModel,
    viewer: &Viewer,
    scope: Option<&Slug>,
    id: &str,
    path: &str,
) -> Result<&'a E::Item, Box<Response>> {
    let Some(item) = find::<E>(&working.set, scope, id) else {
        return Err(Box::new(AppError::NotFound(viewer.lang).into_response()));
    };
    if E::may_edit(viewer, &working.set, scope, Some(item)) {
        Ok(item)
    } else {
        Err(Box::new(refuse(viewer, path)))
    }
}

pub async fn edit_form<E: Editor>(
    State(state): State<AppState>,
    viewer: Viewer,
    p: Params,
    asked: Prefill,
) -> Response {
    let (scope, id) = params(p);
    let id = id.unwrap_or_default();
    let working = state.fresh_working().await;
    let path = E::path(scope.as_ref(), Some(&id));
    let old = match allowed::<E>(&working, &viewer, scope.as_ref(), &id, &path) {
        Ok(old) => old,
        Err(answer) => return *answer,
    };
    // The revision of the values shown: both from the one model.
    let rev = working.revision(&E::key(scope.as_ref(), E::id(old)));
    respond(
        &prefill::<E>(
            form::<E>(&viewer, &state, scope.as_ref(), Some(old), rev),
            asked,
        ),
        viewer.lang,
        StatusCode::OK,
    )
}

pub async fn edit_save<E: Editor>(
    State(state): State<AppState>,
    viewer: Viewer,
    p: Params,
    Posted(input): Posted<Input>,
) -> Response {
    let (scope, id) = params(p);
    let (scope, id) = (scope.as_ref(), id.unwrap_or_default());
    let working = state.fresh_working().await;
    let old = match allowed::<E>(&working, &viewer, scope, &id, &E::path(scope, Some(&id))) {
        Ok(old) => old,
        Err(answer) => return *answer,
    };
    let lang = viewer.lang;
    let form = || {
        again::<E>(
            form::<E>(&viewer, &state, scope, Some(old), input.revision()),
            &viewer,
            &state,
            &input,
        )
    };
    if let Err(p) = input.check_limits(lang) {
        return refused(form(), &input, Refused::Invalid(p), lang);
    }
    let item = match E::read(
        &input,
        &viewer,
        &state,
        scope,
        Some(old),
        E::id(old).clone(),
    ) {
        Ok(item) => item,
        Err(p) => return refused(form(), &input, Refused::Invalid(p), lang),
    };
    let mut after = working.set.clone();
    if let Some(list) = E::list_mut(&mut after, scope) {
        list.replace(&|x| E::id(x) == E::id(old), item);
    }
    E::arrange(&mut after, scope, &input, E::id(old));
    let key = E::key(scope, E::id(old));
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
        Ok(()) => {
            saved(&Page::new(lang, String::new(), "/").href(&E::page(scope, Some(E::id(old)))))
        }
        Err(why) => refused(form(), &input, why, lang),
    }
}

pub async fn new_form<E: Editor>(
    State(state): State<AppState>,
    viewer: Viewer,
    p: Params,
    asked: Prefill,
) -> Response {
    let (scope, _) = params(p);
    let working = state.fresh_working().await;
    if E::list(&working.set, scope.as_ref()).is_none() {
        return AppError::NotFound(viewer.lang).into_response();
    }
    if !E::may_edit(&viewer, &working.set, scope.as_ref(), None) {
        return refuse(&viewer, &E::path(scope.as_ref(), None));
    }
    let rev = if scope.is_some() {
        working.revision(&E::key(scope.as_ref(), &placeholder()))
    } else {
        0
    };
    respond(
        &prefill::<E>(form::<E>(&viewer, &state, scope.as_ref(), None, rev), asked),
        viewer.lang,
        StatusCode::OK,
    )
}

/// The id a new item's form stands for before it has one.
fn placeholder() -> Slug {
    Slug::parse("new").expect("a valid slug")
}

pub async fn new_save<E: Editor>(
    State(state): State<AppState>,
    viewer: Viewer,
    p: Params,
    Posted(input): Posted<Input>,
) -> Response {
    let (scope, _) = params(p);
    let scope = scope.as_ref();
    let working = state.fresh_working().await;
    if E::list(&working.set, scope).is_none() {
        return AppError::NotFound(viewer.lang).into_response();
    }
    if !E::may_edit(&viewer, &working.set, scope, None) {
        return refuse(&viewer, &E::path(scope, None));
    }
    let lang = viewer.lang;
    // A new part changes its plan: the edit is based on the plan's revision the form showed.
    let based_on = if scope.is_some() { input.revision() } else { 0 };
    let form = || {
        again::<E>(
            form::<E>(&viewer, &state, scope, None, based_on),
            &viewer,
            &state,
            &input,
        )
    };
    if let Err(p) = input.check_limits(lang) {
        return refused(form(), &input, Refused::Invalid(p), lang);
    }
    let mut reader = crate::edit::Reader::new(&input, lang);
    let title = input
        .text("title")
        .or_else(|| input.text("name"))
        .or_else(|| input.text("description"))
        .unwrap_or_default();
    let id = reader.new_id("id", &title, |s| {
        find::<E>(&working.set, scope, s.as_str()).is_some()
    });
    let read = E::read(
        &input,
        &viewer,
        &state,
        scope,
        None,
        id.clone().unwrap_or_else(placeholder),
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
    let key = E::key(scope, E::id(&item));
    // A new item whose id was used by one since removed goes on from that one's revision.
    let based_on = if scope.is_some() {
        based_on
    } else {
        working.revision(&key)
    };
    let to = Page::new(lang, String::new(), "/").href(&E::page(scope, Some(E::id(&item))));
    let mut after = working.set.clone();
    let new_id = E::id(&item).clone();
    if let Some(list) = E::list_mut(&mut after, scope) {
        list.add(item);
    }
    E::arrange(&mut after, scope, &input, &new_id);
    match commit(&state, &viewer, &working, &key, based_on, &after, None).await {
        Ok(()) => saved(&to),
        Err(why) => refused(form(), &input, why, lang),
    }
}
