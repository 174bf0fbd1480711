//! The registers an administrator keeps: organisations, perspectives and the strategy's own
//! fields.

use rodtrad_domain::{
    DataSet, ItemKey, ItemKind, MunicipalityCode, Organisation, OrganisationKind, Period,
    Perspective, Slug, Strategy,
};

use crate::edit::activity::{organisations, vocab_choices};
use crate::edit::item::{Editor, top_level};
use crate::edit::{Field, Input, Problems, Reader};
use crate::session::Viewer;
use crate::state::AppState;

fn date(d: Option<rodtrad_domain::PartialDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

/// The start and end fields of a period.
pub fn period_fields(lang: rodtrad_i18n::Lang, period: Period) -> [Field; 2] {
    [
        Field::text(
            "start",
            lang.text("edit-start"),
            date(period.start).as_deref(),
        )
        .hint(lang.text("edit-date-hint")),
        Field::text("end", lang.text("edit-end"), date(period.end).as_deref())
            .hint(lang.text("edit-date-hint")),
    ]
}

#[derive(Debug)]
pub struct Organisations;

impl Editor for Organisations {
    top_level!(Organisation, organisations, ItemKind::Organisation);
    const TITLES: (&'static str, &'static str) =
        ("edit-organisation-title", "new-organisation-title");

    fn name(item: &Organisation) -> String {
        item.name.clone()
    }

    fn page(_: Option<&Slug>, id: Option<&Slug>) -> String {
        id.map_or_else(|| "/".to_owned(), |id| format!("/organisations/{id}"))
    }

    fn may_edit(viewer: &Viewer, _: &DataSet, _: Option<&Slug>, _: Option<&Organisation>) -> bool {
        viewer.access().may_administer()
    }

    fn fields(
        viewer: &Viewer,
        state: &AppState,
        _: Option<&Slug>,
        o: Option<&Organisation>,
    ) -> Vec<Field> {
        let lang = viewer.lang;
        let others = organisations(&state.working().set)
            .into_iter()
            .filter(|c| o.is_none_or(|o| o.id.as_str() != c.value))
            .collect();
        vec![
            Field::text("name", lang.text("edit-name"), o.map(|o| o.name.as_str())).required(),
            Field::select(
                "kind",
                lang.text("edit-organisation-kind"),
                vocab_choices::<OrganisationKind>(lang, "org-kind-"),
                o.map(|o| o.kind.to_string()),
            )
            .required(),
            Field::text(
                "municipality_code",
                lang.text("edit-municipality-code"),
                o.and_then(|o| o.municipality_code.as_ref())
                    .map(MunicipalityCode::as_str),
            )
            .hint(lang.text("edit-municipality-code-hint")),
            Field::select(
                "parent",
                lang.text("edit-parent-organisation"),
                others,
                o.and_then(|o| o.parent.as_ref()).map(ToString::to_string),
            ),
        ]
    }

    /// An organisation is loosened from everything that names it; a decision it took cannot
    /// be, and the checks say so.
    fn remove(set: &mut DataSet, _: Option<&Slug>, id: &Slug) {
        let clear = |o: &mut Option<Slug>| {
            if o.as_ref() == Some(id) {
                *o = None;
            }
        };
        set.organisations.retain(|o| &o.id != id);
        set.organisations
            .iter_mut()
            .for_each(|o| clear(&mut o.parent));
        for s in &mut set.strategies {
            clear(&mut s.owner);
            clear(&mut s.adopted_by);
        }
        set.plans.iter_mut().for_each(|p| clear(&mut p.owner));
        rodtrad_domain::change_where(
            &mut set.activities,
            |a| {
                a.lead.as_ref() == Some(id)
                    || a.responsible_unit.as_ref() == Some(id)
                    || a.partners.contains(id)
                    || a.funding.iter().any(|f| f.funder.as_ref() == Some(id))
            },
            |a| {
                clear(&mut a.lead);
                clear(&mut a.responsible_unit);
                a.partners.retain(|p| p != id);
                a.funding.iter_mut().for_each(|f| clear(&mut f.funder));
            },
        );
        set.follow_ups.iter_mut().for_each(|f| clear(&mut f.author));
    }

    fn read(
        input: &Input,
        viewer: &Viewer,
        state: &AppState,
        _: Option<&Slug>,
        _: Option<&Organisation>,
        id: Slug,
    ) -> Result<Organisation, Problems> {
        let working = state.working();
        let mut r = Reader::new(input, viewer.lang);
        let name = r.required("name");
        if input.text("kind").is_none() {
            r.required("kind");
        }
        let kind = r.vocab::<OrganisationKind>("kind");
        let code = r.optional("municipality_code");
        let municipality_code = code.and_then(|c| {
            let parsed = MunicipalityCode::parse(&c).ok();
            if parsed.is_none() {
                r.problems.add(
                    "municipality_code",
                    viewer.lang.text("edit-bad-municipality-code"),
                );
            }
            parsed
        });
        let others: Vec<&Slug> = working
            .set
            .organisations
            .iter()
            .map(|o| &o.id)
            .filter(|o| **o != id)
            .collect();
        let parent = r.choice("parent", &others);
        r.finish()?;
        Ok(Organisation {
            id,
            name,
            kind: kind.unwrap_or(OrganisationKind::Other),
            municipality_code,
            parent,
        })
    }
}

#[derive(Debug)]
pub struct Perspectives;

impl Editor for Perspectives {
    top_level!(Perspective, perspectives, ItemKind::Perspective);
    const TITLES: (&'static str, &'static str) =
        ("edit-perspective-title", "new-perspective-title");

    fn name(item: &Perspective) -> String {
        item.name.clone()
    }

    fn page(_: Option<&Slug>, _: Option<&Slug>) -> String {
        "/".to_owned()
    }

    fn may_edit(viewer: &Viewer, _: &DataSet, _: Option<&Slug>, _: Option<&Perspective>) -> bool {
        viewer.access().may_administer()
    }

    fn fields(
        viewer: &Viewer,
        _: &AppState,
        _: Option<&Slug>,
        p: Option<&Perspective>,
    ) -> Vec<Field> {
        vec![
            Field::text(
                "name",
                viewer.lang.text("edit-name"),
                p.map(|p| p.name.as_str()),
            )
            .required(),
        ]
    }

    fn remove(set: &mut DataSet, _: Option<&Slug>, id: &Slug) {
        set.perspectives.retain(|p| &p.id != id);
        set.strategies
            .iter_mut()
            .for_each(|s| s.perspectives.retain(|p| p != id));
        set.plans
            .iter_mut()
            .for_each(|p| p.perspectives.retain(|p| p != id));
        rodtrad_domain::change_where(
            &mut set.activities,
            |a| a.perspectives.contains(id),
            |a| a.perspectives.retain(|p| p != id),
        );
    }

    fn read(
        input: &Input,
        viewer: &Viewer,
        _: &AppState,
        _: Option<&Slug>,
        _: Option<&Perspective>,
        id: Slug,
    ) -> Result<Perspective, Problems> {
        let mut r = Reader::new(input, viewer.lang);
        let name = r.required("name");
        r.finish()?;
        Ok(Perspective { id, name })
    }
}

/// The strategy's own fields; its goals and priority areas come with the strategy document.
#[derive(Debug)]
pub struct Strategies;

impl Editor for Strategies {
    top_level!(Strategy, strategies, ItemKind::Strategy);
    const TITLES: (&'static str, &'static str) = ("edit-strategy-title", "new-strategy-title");

    fn name(item: &Strategy) -> String {
        item.title.clone()
    }

    fn page(_: Option<&Slug>, _: Option<&Slug>) -> String {
        "/".to_owned()
    }

    fn may_edit(viewer: &Viewer, _: &DataSet, _: Option<&Slug>, _: Option<&Strategy>) -> bool {
        viewer.access().may_administer()
    }

    fn fields(
        viewer: &Viewer,
        state: &AppState,
        _: Option<&Slug>,
        s: Option<&Strategy>,
    ) -> Vec<Field> {
        let lang = viewer.lang;
        let orgs = organisations(&state.working().set);
        let mut fields = vec![
            Field::text(
                "title",
                lang.text("edit-title"),
                s.map(|s| s.title.as_str()),
            )
            .required(),
            Field::area(
                "vision",
                lang.text("edit-vision"),
                s.and_then(|s| s.vision.as_deref()),
            ),
        ];
        fields.extend(period_fields(lang, s.map(|s| s.period).unwrap_or_default()));
        fields.extend([
            Field::select(
                "owner",
                lang.text("edit-owner"),
                orgs.clone(),
                s.and_then(|s| s.owner.as_ref()).map(ToString::to_string),
            ),
            Field::select(
                "adopted_by",
                lang.text("edit-adopted-by"),
                orgs,
                s.and_then(|s| s.adopted_by.as_ref())
                    .map(ToString::to_string),
            ),
            Field::text(
                "adopted_on",
                lang.text("edit-adopted-on"),
                date(s.and_then(|s| s.adopted_on)).as_deref(),
            )
            .hint(lang.text("edit-date-hint")),
            Field::multi(
                "perspectives",
                lang.text("activity-perspectives"),
                crate::edit::activity::perspectives(&state.working().set),
                s.map(|s| s.perspectives.iter().map(ToString::to_string).collect())
                    .unwrap_or_default(),
            ),
        ]);
        fields
    }

    fn read(
        input: &Input,
        viewer: &Viewer,
        state: &AppState,
        _: Option<&Slug>,
        old: Option<&Strategy>,
        id: Slug,
    ) -> Result<Strategy, Problems> {
        let working = state.working();
        let orgs: Vec<&Slug> = working.set.organisations.iter().map(|o| &o.id).collect();
        let persp: Vec<&Slug> = working.set.perspectives.iter().map(|p| &p.id).collect();
        let mut r = Reader::new(input, viewer.lang);
        let title = r.required("title");
        let strategy = Strategy {
            id,
            title,
            vision: r.optional("vision"),
            period: r.period("start", "end"),
            owner: r.choice("owner", &orgs),
            adopted_by: r.choice("adopted_by", &orgs),
            adopted_on: r.date("adopted_on"),
            perspectives: r.choices(
                "perspectives",
                &persp,
                old.map_or(&[][..], |s| &s.perspectives),
            ),
            overarching_goals: old.map(|s| s.overarching_goals.clone()).unwrap_or_default(),
            priority_areas: old.map(|s| s.priority_areas.clone()).unwrap_or_default(),
            desired_states: old.map(|s| s.desired_states.clone()).unwrap_or_default(),
        };
        r.finish().map(|()| strategy)
    }
}
