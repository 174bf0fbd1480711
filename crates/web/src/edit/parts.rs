//! The simple parts of a plan or of the strategy: records with an id, a title and perhaps a
//! text (a risk and how it is met, a strategic direction, a priority area, an overarching goal).
//! One [`Editor`] serves them all; each kind says where its list is and what its fields are
//! called.

use std::marker::PhantomData;

use rodtrad_domain::{
    DataSet, DesiredState, EffectGoal, ItemKey, ItemKind, OverarchingGoal, PriorityArea, Risk,
    Slug, StrategicDirection,
};

use crate::edit::item::{Editor, Items};
use crate::edit::plan::{may_edit, plan_of, plan_of_mut};
use crate::edit::{Field, Input, Problems, Reader};
use crate::session::Viewer;
use crate::state::AppState;
use rodtrad_i18n::Lang;

/// A record with an id, a title and an optional text, kept in a list of a plan or a strategy.
pub trait TitledPart: Clone + Send + Sync + 'static {
    /// What it is a part of: a plan or a strategy.
    const OWNER: ItemKind;
    /// Its word in addresses: `/edit/plan/ID/risk/RISK`.
    const SEGMENT: &'static str;
    const TITLES: (&'static str, &'static str);
    /// The message key of the title's label, and of the text's, if it has one.
    const LABELS: (&'static str, Option<&'static str>);

    fn list<'a>(set: &'a DataSet, owner: &Slug) -> Option<&'a Vec<Self>>;
    fn list_mut<'a>(set: &'a mut DataSet, owner: &Slug) -> Option<&'a mut Vec<Self>>;
    fn id(&self) -> &Slug;
    fn title(&self) -> &str;
    fn text(&self) -> Option<&str>;
    /// The part with these values; what the form does not show is kept from `old`.
    fn make(id: Slug, title: String, text: Option<String>, old: Option<&Self>) -> Self;
    /// Loosens what refers to the part once it is gone (plans that name a priority area).
    fn loosen(_set: &mut DataSet, _id: &Slug) {}
    /// Fields beyond the title and the text (an overarching goal's effect goals).
    fn more_fields(_lang: Lang, _item: Option<&Self>) -> Vec<Field> {
        Vec::new()
    }
    /// Reads what `more_fields` showed into the part.
    fn read_more(&mut self, _r: &mut Reader<'_>, _set: &DataSet) {}
}

/// The editor of one kind of titled part.
#[derive(Debug)]
pub struct Titled<T>(PhantomData<T>);

fn owner_key(kind: ItemKind, scope: Option<&Slug>, id: &Slug) -> ItemKey {
    ItemKey::new(kind, scope.unwrap_or(id))
}

impl<T: TitledPart> Editor for Titled<T> {
    type Item = T;
    const TITLES: (&'static str, &'static str) = T::TITLES;

    fn list<'a>(set: &'a DataSet, scope: Option<&Slug>) -> Option<&'a dyn Items<T>> {
        T::list(set, scope?).map(|l| l as &dyn Items<T>)
    }

    fn list_mut<'a>(set: &'a mut DataSet, scope: Option<&Slug>) -> Option<&'a mut dyn Items<T>> {
        T::list_mut(set, scope?).map(|l| l as &mut dyn Items<T>)
    }

    fn id(item: &T) -> &Slug {
        item.id()
    }

    fn name(item: &T) -> String {
        item.title().to_owned()
    }

    fn key(scope: Option<&Slug>, id: &Slug) -> ItemKey {
        owner_key(T::OWNER, scope, id)
    }

    fn path(scope: Option<&Slug>, id: Option<&str>) -> String {
        let owner = scope.map(ToString::to_string).unwrap_or_default();
        let (kind, part) = (T::OWNER.code(), T::SEGMENT);
        id.map_or_else(
            || format!("/new/{kind}/{owner}/{part}"),
            |id| format!("/edit/{kind}/{owner}/{part}/{id}"),
        )
    }

    fn page(scope: Option<&Slug>, _: Option<&Slug>) -> String {
        match (T::OWNER, scope) {
            (ItemKind::Plan, Some(plan)) => format!("/plans/{plan}"),
            _ => "/".to_owned(),
        }
    }

    fn may_edit(viewer: &Viewer, _: &DataSet, scope: Option<&Slug>, _: Option<&T>) -> bool {
        match T::OWNER {
            ItemKind::Plan => may_edit(viewer, scope),
            _ => viewer.access().may_administer(),
        }
    }

    fn fields(viewer: &Viewer, _: &AppState, _: Option<&Slug>, item: Option<&T>) -> Vec<Field> {
        let lang = viewer.lang;
        let (title, text) = T::LABELS;
        let mut fields =
            vec![Field::area("title", lang.text(title), item.map(TitledPart::title)).required()];
        if let Some(text) = text {
            fields.push(Field::area(
                "text",
                lang.text(text),
                item.and_then(TitledPart::text),
            ));
        }
        fields.extend(T::more_fields(lang, item));
        fields
    }

    fn read(
        input: &Input,
        viewer: &Viewer,
        state: &AppState,
        _: Option<&Slug>,
        old: Option<&T>,
        id: Slug,
    ) -> Result<T, Problems> {
        let mut r = Reader::new(input, viewer.lang);
        let title = r.required("title");
        let text = T::LABELS.1.and_then(|_| r.optional("text"));
        let mut part = T::make(id, title, text, old);
        part.read_more(&mut r, &state.working().set);
        r.finish()?;
        Ok(part)
    }

    fn remove(set: &mut DataSet, scope: Option<&Slug>, id: &Slug) {
        if let Some(list) = scope.and_then(|s| T::list_mut(set, s)) {
            list.retain(|x| x.id() != id);
        }
        T::loosen(set, id);
    }
}

fn strategy_of<'a>(set: &'a DataSet, id: &Slug) -> Option<&'a rodtrad_domain::Strategy> {
    set.strategies.iter().find(|s| &s.id == id)
}

fn strategy_of_mut<'a>(
    set: &'a mut DataSet,
    id: &Slug,
) -> Option<&'a mut rodtrad_domain::Strategy> {
    set.strategies.iter_mut().find(|s| &s.id == id)
}

fn plan_in<'a>(set: &'a DataSet, id: &Slug) -> Option<&'a rodtrad_domain::Plan> {
    plan_of(set, Some(id))
}

fn plan_in_mut<'a>(set: &'a mut DataSet, id: &Slug) -> Option<&'a mut rodtrad_domain::Plan> {
    plan_of_mut(set, Some(id))
}

/// The list of a part: `$field` of the owner that `$of` and `$of_mut` find; and its id.
macro_rules! kept_in {
    ($of:ident, $of_mut:ident, $field:ident) => {
        fn list<'a>(set: &'a DataSet, owner: &Slug) -> Option<&'a Vec<Self>> {
            $of(set, owner).map(|o| &o.$field)
        }

        fn list_mut<'a>(set: &'a mut DataSet, owner: &Slug) -> Option<&'a mut Vec<Self>> {
            $of_mut(set, owner).map(|o| &mut o.$field)
        }

        fn id(&self) -> &Slug {
            &self.id
        }
    };
}

impl TitledPart for Risk {
    const OWNER: ItemKind = ItemKind::Plan;
    const SEGMENT: &'static str = "risk";
    const TITLES: (&'static str, &'static str) = ("edit-risk-title", "new-risk-title");
    const LABELS: (&'static str, Option<&'static str>) = ("edit-risk", Some("edit-mitigation"));

    kept_in!(plan_in, plan_in_mut, risks);

    fn title(&self) -> &str {
        &self.description
    }

    fn text(&self) -> Option<&str> {
        self.mitigation.as_deref()
    }

    fn make(id: Slug, title: String, text: Option<String>, _: Option<&Self>) -> Self {
        Risk {
            id,
            description: title,
            mitigation: text,
        }
    }
}

impl TitledPart for StrategicDirection {
    const OWNER: ItemKind = ItemKind::Plan;
    const SEGMENT: &'static str = "direction";
    const TITLES: (&'static str, &'static str) = ("edit-direction-title", "new-direction-title");
    const LABELS: (&'static str, Option<&'static str>) = ("edit-title", Some("edit-description"));

    kept_in!(plan_in, plan_in_mut, strategic_directions);

    fn title(&self) -> &str {
        &self.title
    }

    fn text(&self) -> Option<&str> {
        self.description.as_deref()
    }

    fn make(id: Slug, title: String, text: Option<String>, _: Option<&Self>) -> Self {
        StrategicDirection {
            id,
            title,
            description: text,
        }
    }
}

impl TitledPart for PriorityArea {
    const OWNER: ItemKind = ItemKind::Strategy;
    const SEGMENT: &'static str = "area";
    const TITLES: (&'static str, &'static str) = ("edit-area-title", "new-area-title");
    const LABELS: (&'static str, Option<&'static str>) = ("edit-title", None);

    kept_in!(strategy_of, strategy_of_mut, priority_areas);

    fn title(&self) -> &str {
        &self.title
    }

    fn text(&self) -> Option<&str> {
        None
    }

    fn make(id: Slug, title: String, _: Option<String>, _: Option<&Self>) -> Self {
        PriorityArea { id, title }
    }

    /// Plans and desired states no longer name the area.
    fn loosen(set: &mut DataSet, id: &Slug) {
        for p in &mut set.plans {
            if p.priority_area.as_ref() == Some(id) {
                p.priority_area = None;
            }
        }
        for s in &mut set.strategies {
            for d in &mut s.desired_states {
                if d.priority_area.as_ref() == Some(id) {
                    d.priority_area = None;
                }
            }
        }
    }
}

impl TitledPart for OverarchingGoal {
    const OWNER: ItemKind = ItemKind::Strategy;
    const SEGMENT: &'static str = "goal";
    const TITLES: (&'static str, &'static str) =
        ("edit-overarching-goal-title", "new-overarching-goal-title");
    const LABELS: (&'static str, Option<&'static str>) = ("edit-title", None);

    kept_in!(strategy_of, strategy_of_mut, overarching_goals);

    fn title(&self) -> &str {
        &self.title
    }

    fn text(&self) -> Option<&str> {
        None
    }

    /// Its effect goals stay with it.
    fn make(id: Slug, title: String, _: Option<String>, old: Option<&Self>) -> Self {
        OverarchingGoal {
            id,
            title,
            effect_goals: old.map(|g| g.effect_goals.clone()).unwrap_or_default(),
        }
    }

    /// Its effect goals, a row each, and an empty row for a new one.
    fn more_fields(lang: Lang, item: Option<&Self>) -> Vec<Field> {
        let goals = item.map_or(&[][..], |g| &g.effect_goals);
        goals
            .iter()
            .map(|e| Some(e.title.as_str()))
            .chain(std::iter::once(None))
            .enumerate()
            .map(|(i, title)| {
                let label = lang.format("edit-effect-goal", &[("n", (i + 1).to_string())]);
                let field = Field::area(&format!("effect-{}-title", i + 1), label, title);
                if title.is_some() {
                    field.hint(lang.text("edit-effect-goal-hint"))
                } else {
                    field
                }
            })
            .collect()
    }

    /// Row n is the n:th effect goal as the form showed it (the strategy's revision keeps it
    /// so); an emptied row removes it, and the row after the last adds one.
    fn read_more(&mut self, r: &mut Reader<'_>, set: &DataSet) {
        let old = std::mem::take(&mut self.effect_goals);
        let taken = |id: &Slug, made: &[EffectGoal]| {
            made.iter().any(|e| &e.id == id)
                || set.strategies.iter().any(|s| {
                    s.overarching_goals
                        .iter()
                        .flat_map(|g| &g.effect_goals)
                        .any(|e| &e.id == id)
                })
        };
        for n in 1..=r.input.rows("effect") {
            let field = format!("effect-{n}-title");
            let Some(title) = r.optional(&field) else {
                continue;
            };
            let id = if let Some(e) = old.get(n - 1) {
                Some(e.id.clone())
            } else {
                let made = self.effect_goals.clone();
                r.new_id(&format!("effect-{n}-id"), &title, |id| taken(id, &made))
            };
            if let Some(id) = id {
                self.effect_goals.push(EffectGoal { id, title });
            }
        }
    }
}

impl TitledPart for DesiredState {
    const OWNER: ItemKind = ItemKind::Strategy;
    const SEGMENT: &'static str = "state";
    const TITLES: (&'static str, &'static str) =
        ("edit-desired-state-title", "new-desired-state-title");
    const LABELS: (&'static str, Option<&'static str>) = ("strategy-desired-state", None);

    kept_in!(strategy_of, strategy_of_mut, desired_states);

    fn title(&self) -> &str {
        &self.text
    }

    fn text(&self) -> Option<&str> {
        None
    }

    /// The priority area it belongs to stays as the strategy document gives it.
    fn make(id: Slug, title: String, _: Option<String>, old: Option<&Self>) -> Self {
        DesiredState {
            id,
            text: title,
            priority_area: old.and_then(|d| d.priority_area.clone()),
        }
    }
}
