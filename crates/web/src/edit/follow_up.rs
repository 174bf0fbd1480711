//! Editing a follow-up report's own fields: its title, date, author, the plans it follows up
//! and the plan whose focus areas it is organised by, and its introduction. The sections' texts
//! come with the report's data.

use rodtrad_domain::{DataSet, FollowUp, ItemKey, ItemKind, Slug};

use crate::app::AppState;
use crate::edit::activity::organisations;
use crate::edit::item::Editor;
use crate::edit::{Choice, Field, Input, Problems, Reader};
use crate::session::Viewer;

fn plans(set: &DataSet) -> Vec<Choice> {
    set.plans
        .iter()
        .map(|p| Choice::new(&p.id, &p.title))
        .collect()
}

#[derive(Debug)]
pub struct FollowUps;

impl Editor for FollowUps {
    type Item = FollowUp;
    const TITLES: (&'static str, &'static str) = ("edit-follow-up-title", "new-follow-up-title");

    fn list<'a>(set: &'a DataSet, _: Option<&Slug>) -> Option<&'a Vec<FollowUp>> {
        Some(&set.follow_ups)
    }

    fn list_mut<'a>(set: &'a mut DataSet, _: Option<&Slug>) -> Option<&'a mut Vec<FollowUp>> {
        Some(&mut set.follow_ups)
    }

    fn id(item: &FollowUp) -> &Slug {
        &item.id
    }

    fn name(item: &FollowUp) -> String {
        item.title.clone()
    }

    fn key(_: Option<&Slug>, id: &Slug) -> ItemKey {
        ItemKey::new(ItemKind::FollowUp, id)
    }

    fn path(_: Option<&Slug>, id: Option<&str>) -> String {
        id.map_or_else(
            || "/new/follow_up".to_owned(),
            |id| format!("/edit/follow_up/{id}"),
        )
    }

    fn page(_: Option<&Slug>, id: Option<&Slug>) -> String {
        id.map_or_else(|| "/".to_owned(), |id| format!("/follow-ups/{id}"))
    }

    fn may_edit(viewer: &Viewer, _: &DataSet, _: Option<&Slug>, _: Option<&FollowUp>) -> bool {
        viewer.access().may_administer()
    }

    fn fields(
        viewer: &Viewer,
        state: &AppState,
        _: Option<&Slug>,
        f: Option<&FollowUp>,
    ) -> Vec<Field> {
        let lang = viewer.lang;
        let t = |k: &str| lang.text(k);
        let working = state.working();
        let set = &working.set;
        let date = f.and_then(|f| f.date).map(|d| d.to_string());
        vec![
            Field::text("title", t("edit-title"), f.map(|f| f.title.as_str())).required(),
            Field::text("date", t("report-date"), date.as_deref()).hint(t("edit-date-hint")),
            Field::select(
                "author",
                t("edit-author"),
                organisations(set),
                f.and_then(|f| f.author.as_ref()).map(ToString::to_string),
            ),
            Field::text(
                "signed_by",
                t("edit-signed-by"),
                f.and_then(|f| f.signed_by.as_deref()),
            ),
            Field::multi(
                "plans",
                t("report-plans"),
                plans(set),
                f.map(|f| f.plans.iter().map(ToString::to_string).collect())
                    .unwrap_or_default(),
            ),
            Field::select(
                "structure",
                t("edit-structure"),
                plans(set),
                f.and_then(|f| f.structure.as_ref())
                    .map(ToString::to_string),
            )
            .hint(t("edit-structure-hint")),
            Field::area(
                "introduction",
                t("report-introduction"),
                f.and_then(|f| f.introduction.as_deref()),
            ),
        ]
    }

    fn read(
        input: &Input,
        viewer: &Viewer,
        state: &AppState,
        _: Option<&Slug>,
        old: Option<&FollowUp>,
        id: Slug,
    ) -> Result<FollowUp, Problems> {
        let working = state.working();
        let set = &working.set;
        let orgs: Vec<&Slug> = set.organisations.iter().map(|o| &o.id).collect();
        let plan_ids: Vec<&Slug> = set.plans.iter().map(|p| &p.id).collect();
        let mut r = Reader::new(input, viewer.lang);
        let follow_up = FollowUp {
            id,
            title: r.required("title"),
            date: r.date("date"),
            author: r.choice("author", &orgs),
            signed_by: r.optional("signed_by"),
            plans: r.choices("plans", &plan_ids),
            structure: r.choice("structure", &plan_ids),
            introduction: r.optional("introduction"),
            sections: old.map(|f| f.sections.clone()).unwrap_or_default(),
        };
        r.finish().map(|()| follow_up)
    }
}
