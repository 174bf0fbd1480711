//! Editing an activity and its links to goals in any plan: by an administrator, or by a
//! contributor for the organisations they contribute for.

use std::sync::Arc;

use rodtrad_domain::{
    Activity, DataSet, Funding, GoalNode, GoalRef, InterventionLevel, ItemKey, ItemKind, Slug,
    Status, Vocabulary,
};
use rodtrad_i18n::Lang;

use crate::edit::item::{Editor, top_level};
use crate::edit::{Choice, Field, Input, Problems, Reader};
use crate::model::ReadModel;
use crate::session::Viewer;
use crate::state::AppState;

pub fn vocab_choices<V: Vocabulary>(lang: Lang, prefix: &str) -> Vec<Choice> {
    V::ALL
        .iter()
        .map(|v| Choice::new(&v.code(), &lang.text(&format!("{prefix}{}", v.code()))))
        .collect()
}

/// Choices of organisations, by name.
pub fn organisations(set: &DataSet) -> Vec<Choice> {
    let mut c: Vec<Choice> = set
        .organisations
        .iter()
        .map(|o| Choice::new(&o.id, &o.name))
        .collect();
    c.sort_by(|a, b| a.label.cmp(&b.label));
    c
}

pub fn perspectives(set: &DataSet) -> Vec<Choice> {
    set.perspectives
        .iter()
        .map(|p| Choice::new(&p.id, &p.name))
        .collect()
}

/// A goal as a choice reads: its number, if it has one, and its title.
pub fn goal_label(n: &GoalNode) -> String {
    match &n.number {
        Some(number) => format!("{number} {}", n.title),
        None => n.title.clone(),
    }
}

/// Every goal the viewer can see, plan by plan: `plan/node`, labelled with its number.
fn goals(visible: &ReadModel) -> Vec<(String, Vec<Choice>)> {
    visible
        .set
        .plans
        .iter()
        .filter(|p| !p.nodes.is_empty())
        .map(|p| {
            let goals = p
                .nodes
                .iter()
                .map(|n| Choice::new(&format!("{}/{}", p.id, n.id), &goal_label(n)))
                .collect();
            (p.title.clone(), goals)
        })
        .collect()
}

/// The form's fields. The lead is required of a contributor (it must be one of theirs); an
/// administrator may leave it empty, as the sources often do.
fn fields(
    lang: Lang,
    working: &DataSet,
    visible: &ReadModel,
    a: Option<&Activity>,
    (leads, lead_required): (Vec<Choice>, bool),
) -> Vec<Field> {
    let t = |k: &str| lang.text(k);
    let mut fields = Vec::new();
    let period = a.map(|a| a.period).unwrap_or_default();
    let codes = |s: &[Slug]| s.iter().map(ToString::to_string).collect::<Vec<_>>();
    fields.extend([
        Field::text("title", t("edit-title"), a.map(|a| a.title.as_str())).required(),
        Field::area(
            "narrative",
            t("edit-narrative"),
            a.and_then(|a| a.narrative.as_deref()),
        ),
        {
            let lead = Field::select(
                "lead",
                t("activity-lead"),
                leads,
                a.and_then(|a| a.lead.as_ref()).map(ToString::to_string),
            );
            if lead_required { lead.required() } else { lead }
        },
        Field::select(
            "responsible_unit",
            t("activity-responsible-unit"),
            organisations(working),
            a.and_then(|a| a.responsible_unit.as_ref())
                .map(ToString::to_string),
        ),
        Field::multi(
            "partners",
            t("activity-partners"),
            organisations(working),
            a.map(|a| codes(&a.partners)).unwrap_or_default(),
        ),
    ]);
    fields.extend(crate::edit::registry::period_fields(lang, period));
    fields.extend([
        Field::select(
            "status",
            t("activity-status"),
            vocab_choices::<Status>(lang, "status-"),
            a.and_then(|a| a.status).map(|s| s.code().to_owned()),
        ),
        Field::area(
            "status_reason",
            t("edit-status-reason"),
            a.and_then(|a| a.status_reason.as_deref()),
        ),
        Field::select(
            "intervention_level",
            t("intervention-level"),
            vocab_choices::<InterventionLevel>(lang, "intervention-"),
            a.and_then(|a| a.intervention_level)
                .map(|l| l.code().to_owned()),
        ),
        Field::multi(
            "perspectives",
            t("activity-perspectives"),
            perspectives(working),
            a.map(|a| codes(&a.perspectives)).unwrap_or_default(),
        ),
        Field::area(
            "target_groups",
            t("activity-target-groups"),
            a.map(|a| a.target_groups.join("\n")).as_deref(),
        )
        .hint(t("edit-one-per-line")),
        // Proposed links are ticked as well: the person made them, and unticking one takes the
        // proposal back.
        Field::grouped(
            "serves",
            t("edit-serves"),
            goals(visible),
            a.map(|a| {
                a.serves
                    .iter()
                    .chain(&a.proposed)
                    .map(ToString::to_string)
                    .collect()
            })
            .unwrap_or_default(),
        )
        .hint(t("edit-serves-proposals-hint")),
    ]);
    fields.extend(funding_fields(
        lang,
        working,
        a.map_or(&[][..], |a| &a.funding),
    ));
    fields
}

/// One row per source of funding, and an empty row for a new one; a row left empty is dropped.
fn funding_fields(lang: Lang, working: &DataSet, funding: &[Funding]) -> Vec<Field> {
    let empty = Funding {
        funder: None,
        description: None,
    };
    funding
        .iter()
        .chain(std::iter::once(&empty))
        .enumerate()
        .flat_map(|(i, f)| {
            let n = (i + 1).to_string();
            let label = |key: &str| lang.format(key, &[("n", n.clone())]);
            [
                Field::select(
                    &format!("funding-{n}-funder"),
                    label("edit-funding-funder"),
                    organisations(working),
                    f.funder.as_ref().map(ToString::to_string),
                ),
                Field::text(
                    &format!("funding-{n}-description"),
                    label("edit-funding-description"),
                    f.description.as_deref(),
                ),
            ]
        })
        .collect()
}

/// The rows of funding as sent; rows with neither funder nor text are left out.
fn read_funding(r: &mut Reader<'_>, orgs: &[&Slug]) -> Vec<Funding> {
    (1..=r.input.rows("funding"))
        .filter_map(|n| {
            let funder = r.choice(&format!("funding-{n}-funder"), orgs);
            let description = r.optional(&format!("funding-{n}-description"));
            (funder.is_some() || description.is_some()).then_some(Funding {
                funder,
                description,
            })
        })
        .collect()
}

/// The organisations whose activities the viewer may lead: all for an administrator.
fn leads(viewer: &Viewer, set: &DataSet) -> Vec<Choice> {
    let access = viewer.access();
    organisations(set)
        .into_iter()
        .filter(|c| Slug::parse(&c.value).is_ok_and(|s| access.may_edit_activity(Some(&s))))
        .collect()
}

/// Reads the posted activity over `old` (or a new one), keeping the links to goals the viewer
/// cannot see, which the form did not offer.
fn read(
    input: &Input,
    viewer: &Viewer,
    working: &DataSet,
    visible: &ReadModel,
    old: Option<&Activity>,
    id: Slug,
) -> Result<Activity, Problems> {
    let mut r = Reader::new(input, viewer.lang);
    let title = r.required("title");
    let orgs: Vec<&Slug> = working.organisations.iter().map(|o| &o.id).collect();
    let lead_choices = leads(viewer, working);
    let may_lead: Vec<&Slug> = orgs
        .iter()
        .copied()
        .filter(|o| lead_choices.iter().any(|c| c.value == o.as_str()))
        .collect();
    if r.input.text("lead").is_none() && !viewer.access().admin {
        r.required("lead");
    }
    let lead = r.choice("lead", &may_lead);
    let persp: Vec<&Slug> = working.perspectives.iter().map(|p| &p.id).collect();
    let visible_goals: Vec<GoalRef> = visible
        .set
        .plans
        .iter()
        .flat_map(|p| {
            p.nodes.iter().map(|n| GoalRef {
                plan: p.id.clone(),
                node: n.id.clone(),
            })
        })
        .collect();
    let posted_goals = r.input.all("serves");
    let mut chosen: Vec<GoalRef> = Vec::new();
    for g in &posted_goals {
        match GoalRef::parse(g).filter(|g| visible_goals.contains(g)) {
            Some(g) => chosen.push(g),
            None => r
                .problems
                .add("serves", viewer.lang.text("edit-bad-choice")),
        }
    }
    // The links kept stay where they were (and those to goals the viewer cannot see stay
    // too); new ones come after, as chosen: a link to a goal of a plan the person does not own
    // is a proposal until that plan's owner accepts it.
    let kept = |list: &[GoalRef]| -> Vec<GoalRef> {
        list.iter()
            .filter(|g| chosen.contains(g) || !visible_goals.contains(g))
            .cloned()
            .collect()
    };
    let mut serves = old.map_or_else(Vec::new, |o| kept(&o.serves));
    let mut proposed = old.map_or_else(Vec::new, |o| kept(&o.proposed));
    let access = viewer.access();
    for g in chosen {
        if serves.contains(&g) || proposed.contains(&g) {
            continue;
        }
        if access.may_edit_plan(&g.plan) {
            serves.push(g);
        } else {
            proposed.push(g);
        }
    }
    let activity = Activity {
        id,
        title,
        narrative: r.optional("narrative"),
        responsible_unit: r.choice("responsible_unit", &orgs),
        lead,
        partners: r.choices("partners", &orgs, old.map_or(&[][..], |a| &a.partners)),
        period: r.period("start", "end"),
        status: r.vocab("status"),
        status_reason: r.optional("status_reason"),
        intervention_level: r.vocab("intervention_level"),
        perspectives: r.choices(
            "perspectives",
            &persp,
            old.map_or(&[][..], |a| &a.perspectives),
        ),
        target_groups: r
            .optional("target_groups")
            .map(|t| {
                t.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        funding: read_funding(&mut r, &orgs),
        serves,
        proposed,
    };
    r.finish().map(|()| activity)
}

/// Activities: an administrator's, or a contributor's for the organisations they contribute
/// for (they may only give the lead to one of those).
#[derive(Debug)]
pub struct Activities;

impl Editor for Activities {
    top_level!(Arc<Activity>, activities, ItemKind::Activity);
    const TITLES: (&'static str, &'static str) = ("edit-activity-title", "new-activity-title");

    /// An activity goes with its reports: a report is of an activity.
    fn remove(set: &mut DataSet, _: Option<&Slug>, id: &Slug) {
        set.activities.retain(|a| &a.id != id);
        set.reports.retain(|r| &r.activity != id);
    }

    fn name(item: &Arc<Activity>) -> String {
        item.title.clone()
    }

    fn page(_: Option<&Slug>, id: Option<&Slug>) -> String {
        id.map_or_else(
            || "/activities".to_owned(),
            |id| format!("/activities/{id}"),
        )
    }

    fn may_edit(
        viewer: &Viewer,
        set: &DataSet,
        _: Option<&Slug>,
        item: Option<&Arc<Activity>>,
    ) -> bool {
        match item {
            Some(a) => viewer.access().may_edit_activity(a.lead.as_ref()),
            None => !leads(viewer, set).is_empty(),
        }
    }

    fn fields(
        viewer: &Viewer,
        state: &AppState,
        _: Option<&Slug>,
        item: Option<&Arc<Activity>>,
    ) -> Vec<Field> {
        let working = state.working();
        let visible = state.model_for(viewer);
        fields(
            viewer.lang,
            &working.set,
            &visible,
            item.map(AsRef::as_ref),
            (leads(viewer, &working.set), !viewer.access().admin),
        )
    }

    fn read(
        input: &Input,
        viewer: &Viewer,
        state: &AppState,
        _: Option<&Slug>,
        old: Option<&Arc<Activity>>,
        id: Slug,
    ) -> Result<Arc<Activity>, Problems> {
        let working = state.working();
        let visible = state.model_for(viewer);
        read(
            input,
            viewer,
            &working.set,
            &visible,
            old.map(AsRef::as_ref),
            id,
        )
        .map(Arc::new)
    }
}
