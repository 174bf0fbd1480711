//! Editing a follow-up round and its report: its title, date, owner, the plans it follows up
//! and the plan whose focus areas it is organised by, the period it reports on, when it opens
//! and its deadline, its introduction, and its sections: a text for a goal each, in the
//! report's order. Where the round stands (planned, open, closed, published) is not a field: it
//! moves by the round's own actions (`pages/rounds.rs`).

use rodtrad_domain::{
    DataSet, FollowUp, FollowUpSection, GoalRef, ItemKey, ItemKind, RoundState, Slug,
};

use crate::edit::activity::{goal_label, organisations};
use crate::edit::item::{Editor, top_level};
use crate::edit::{Choice, Field, Input, Problems, Reader};
use crate::session::Viewer;
use crate::state::AppState;

/// Every goal of every plan, as a section may name it: `plan/node`.
fn goals(set: &DataSet) -> Vec<Choice> {
    set.plans
        .iter()
        .flat_map(|p| {
            p.nodes.iter().map(move |n| {
                Choice::new(
                    &format!("{}/{}", p.id, n.id),
                    &format!("{}: {}", p.title, goal_label(n)),
                )
            })
        })
        .collect()
}

/// One row per section, and an empty row for a new one; a row left empty is dropped.
fn section_fields(
    lang: rodtrad_i18n::Lang,
    set: &DataSet,
    sections: &[FollowUpSection],
) -> Vec<Field> {
    let rows = sections
        .iter()
        .map(|s| (Some(s.node.to_string()), Some(s.narrative.as_str())));
    rows.chain(std::iter::once((None, None)))
        .enumerate()
        .flat_map(|(i, (node, narrative))| {
            let n = (i + 1).to_string();
            let label = |key: &str| lang.format(key, &[("n", n.clone())]);
            [
                Field::select(
                    &format!("section-{n}-node"),
                    label("edit-section-node"),
                    goals(set),
                    node,
                ),
                Field::area(
                    &format!("section-{n}-narrative"),
                    label("edit-section-narrative"),
                    narrative,
                ),
            ]
        })
        .collect()
}

/// The sections as sent: a goal and its text each; one without the other is refused.
fn read_sections(r: &mut Reader<'_>, set: &DataSet) -> Vec<FollowUpSection> {
    let known: Vec<GoalRef> = set
        .plans
        .iter()
        .flat_map(|p| {
            p.nodes.iter().map(|n| GoalRef {
                plan: p.id.clone(),
                node: n.id.clone(),
            })
        })
        .collect();
    let mut sections = Vec::new();
    for n in 1..=r.input.rows("section") {
        let (node_field, text_field) = (
            format!("section-{n}-node"),
            format!("section-{n}-narrative"),
        );
        let node = r.optional(&node_field);
        let narrative = r.optional(&text_field);
        match (node, narrative) {
            (None, None) => {}
            (Some(node), Some(narrative)) => {
                match GoalRef::parse(&node).filter(|g| known.contains(g)) {
                    Some(node) => sections.push(FollowUpSection { node, narrative }),
                    None => r.problems.add(&node_field, r.lang.text("edit-bad-choice")),
                }
            }
            (None, Some(_)) => {
                r.required(&node_field);
            }
            (Some(_), None) => {
                r.required(&text_field);
            }
        }
    }
    sections
}

fn plans(set: &DataSet) -> Vec<Choice> {
    set.plans
        .iter()
        .map(|p| Choice::new(&p.id, &p.title))
        .collect()
}

#[derive(Debug)]
pub struct FollowUps;

impl Editor for FollowUps {
    top_level!(FollowUp, follow_ups, ItemKind::FollowUp);
    const TITLES: (&'static str, &'static str) = ("edit-follow-up-title", "new-follow-up-title");

    /// A round goes with its reports.
    fn remove(set: &mut DataSet, _: Option<&Slug>, id: &Slug) {
        set.follow_ups.retain(|f| &f.id != id);
        set.reports.retain(|r| &r.round != id);
    }

    fn name(item: &FollowUp) -> String {
        item.title.clone()
    }

    fn page(_: Option<&Slug>, id: Option<&Slug>) -> String {
        id.map_or_else(|| "/rounds".to_owned(), |id| format!("/rounds/{id}"))
    }

    /// Plan owners make rounds; the round's owner (who keeps its structure, or without one
    /// any of its plans) changes it.
    fn may_edit(viewer: &Viewer, _: &DataSet, _: Option<&Slug>, item: Option<&FollowUp>) -> bool {
        let access = viewer.access();
        match item {
            None => access.may_make_rounds(),
            Some(f) => access.may_run_round(&f.plans, f.structure.as_ref()),
        }
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
        let shown = |d: Option<rodtrad_domain::PartialDate>| d.map(|d| d.to_string());
        let (start, end) = (
            shown(f.and_then(|f| f.period.start)),
            shown(f.and_then(|f| f.period.end)),
        );
        let (opens, deadline) = (
            shown(f.and_then(|f| f.opens)),
            shown(f.and_then(|f| f.deadline)),
        );
        let mut fields = vec![
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
            Field::text("period_start", t("round-period-start"), start.as_deref())
                .hint(t("edit-date-hint")),
            Field::text("period_end", t("round-period-end"), end.as_deref())
                .hint(t("edit-date-hint")),
            Field::text("opens", t("round-opens"), opens.as_deref()).hint(t("edit-date-hint")),
            Field::text("deadline", t("round-deadline"), deadline.as_deref())
                .hint(t("edit-date-hint")),
            Field::area(
                "introduction",
                t("report-introduction"),
                f.and_then(|f| f.introduction.as_deref()),
            ),
        ];
        fields.extend(section_fields(
            lang,
            set,
            f.map_or(&[][..], |f| &f.sections),
        ));
        fields
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
            plans: r.choices("plans", &plan_ids, old.map_or(&[][..], |f| &f.plans)),
            structure: r.choice("structure", &plan_ids),
            introduction: r.optional("introduction"),
            sections: read_sections(&mut r, set),
            period: r.period("period_start", "period_end"),
            opens: r.date("opens"),
            deadline: r.date("deadline"),
            // A new round is planned; an edit leaves where it stands as it was.
            state: old.map_or(RoundState::Planned, |f| f.state),
            closed: old.and_then(|f| f.closed),
        };
        // A round is run by who keeps its structure (or its plans): one cannot make a round
        // one would not be allowed to run.
        if !viewer
            .access()
            .may_run_round(&follow_up.plans, follow_up.structure.as_ref())
        {
            let field = if follow_up.structure.is_some() {
                "structure"
            } else {
                "plans"
            };
            r.problems.add(field, viewer.lang.text("round-not-yours"));
        }
        r.finish().map(|()| follow_up)
    }
}
