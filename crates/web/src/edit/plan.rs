//! Editing a plan: its own fields and the names of its levels, its goal tree (goals made,
//! changed and moved) and its risks. A plan owner keeps their plan; an administrator may make
//! new plans. Every change is a change of the plan's draft and is recorded as one.

use rodtrad_domain::{
    DataSet, Decision, GoalLevel, GoalNode, InterventionLevel, ItemKey, ItemKind, PartialDate,
    Plan, PlanKind, PlanVersion, Slug,
};

use crate::edit::activity::{goal_label, organisations, perspectives, vocab_choices};
use crate::edit::form::slug_from;
use crate::edit::item::{Editor, Items, top_level};
use crate::edit::registry::period_fields;
use crate::edit::{Choice, Field, Input, Problems, Reader};
use crate::session::Viewer;
use crate::state::AppState;

pub fn plan_of<'a>(set: &'a DataSet, scope: Option<&Slug>) -> Option<&'a Plan> {
    set.plans.iter().find(|p| Some(&p.id) == scope)
}

pub fn plan_of_mut<'a>(set: &'a mut DataSet, scope: Option<&Slug>) -> Option<&'a mut Plan> {
    set.plans.iter_mut().find(|p| Some(&p.id) == scope)
}

pub fn may_edit(viewer: &Viewer, scope: Option<&Slug>) -> bool {
    scope.is_some_and(|p| viewer.access().may_edit_plan(p))
}

fn plan_key(scope: Option<&Slug>, id: &Slug) -> ItemKey {
    ItemKey::new(ItemKind::Plan, scope.unwrap_or(id))
}

fn plan_page(scope: Option<&Slug>) -> String {
    scope.map_or_else(|| "/".to_owned(), |p| format!("/plans/{p}"))
}

fn codes(s: &[Slug]) -> Vec<String> {
    s.iter().map(ToString::to_string).collect()
}

/// The plan's versions as the documents record them, a row each, and an empty row for one
/// more. Deciding a version from its draft (on the versions page) adds one too, and freezes it.
fn version_fields(lang: rodtrad_i18n::Lang, set: &DataSet, versions: &[PlanVersion]) -> Vec<Field> {
    let none = PlanVersion {
        id: Slug::parse("new").expect("a valid slug"),
        title: String::new(),
        date: None,
        decision: None,
        note: None,
    };
    let date = |d: Option<PartialDate>| d.map(|d| d.to_string());
    versions
        .iter()
        .chain(std::iter::once(&none))
        .enumerate()
        .flat_map(|(i, v)| {
            let n = (i + 1).to_string();
            let label = |key: &str| lang.format(key, &[("n", n.clone())]);
            let name = |col: &str| format!("version-{n}-{col}");
            let title = (!v.title.is_empty()).then_some(v.title.as_str());
            [
                Field::text(&name("title"), label("edit-version-title"), title)
                    .hint(lang.text("edit-version-title-hint")),
                Field::text(
                    &name("date"),
                    label("edit-version-date"),
                    date(v.date).as_deref(),
                ),
                Field::select(
                    &name("body"),
                    label("edit-version-body"),
                    organisations(set),
                    v.decision.as_ref().map(|d| d.body.to_string()),
                ),
                Field::text(
                    &name("decided_on"),
                    label("edit-version-decided-on"),
                    date(v.decision.as_ref().and_then(|d| d.date)).as_deref(),
                ),
                Field::area(&name("note"), label("edit-version-note"), v.note.as_deref()),
            ]
        })
        .collect()
}

/// Row n is the n:th version as the form showed it (the plan's revision keeps it so); a row
/// whose name is emptied is removed, and the row after the last adds one.
fn read_versions(r: &mut Reader<'_>, orgs: &[&Slug], old: &[PlanVersion]) -> Vec<PlanVersion> {
    let mut versions: Vec<PlanVersion> = Vec::new();
    for n in 1..=r.input.rows("version") {
        let name = |col: &str| format!("version-{n}-{col}");
        let body = r.choice(&name("body"), orgs);
        let decided_on = r.date(&name("decided_on"));
        let date = r.date(&name("date"));
        let note = r.optional(&name("note"));
        let Some(title) = r.optional(&name("title")) else {
            if body.is_some() || date.is_some() || note.is_some() {
                r.required(&name("title"));
            }
            continue;
        };
        let id = old.get(n - 1).map_or_else(
            || {
                let mut k = versions.len() + 1;
                let taken = |id: &Slug| {
                    versions.iter().any(|v| &v.id == id) || old.iter().any(|v| &v.id == id)
                };
                let mut id = Slug::parse(&format!("version-{k}")).expect("a valid slug");
                while taken(&id) {
                    k += 1;
                    id = Slug::parse(&format!("version-{k}")).expect("a valid slug");
                }
                id
            },
            |v| v.id.clone(),
        );
        if decided_on.is_some() && body.is_none() {
            r.required(&name("body"));
        }
        versions.push(PlanVersion {
            id,
            title,
            date,
            decision: body.map(|body| Decision {
                body,
                date: decided_on,
            }),
            note,
        });
    }
    versions
}

#[derive(Debug)]
pub struct Plans;

impl Editor for Plans {
    top_level!(Plan, plans, ItemKind::Plan);
    const TITLES: (&'static str, &'static str) = ("edit-plan-title", "new-plan-title");

    fn name(item: &Plan) -> String {
        item.title.clone()
    }

    fn page(_: Option<&Slug>, id: Option<&Slug>) -> String {
        plan_page(id)
    }

    fn may_edit(viewer: &Viewer, _: &DataSet, _: Option<&Slug>, item: Option<&Plan>) -> bool {
        match item {
            Some(p) => viewer.access().may_edit_plan(&p.id),
            None => viewer.access().may_administer(),
        }
    }

    fn fields(viewer: &Viewer, state: &AppState, _: Option<&Slug>, p: Option<&Plan>) -> Vec<Field> {
        let lang = viewer.lang;
        let t = |k: &str| lang.text(k);
        let working = state.working();
        let set = &working.set;
        let areas = set
            .strategies
            .iter()
            .flat_map(|s| {
                s.priority_areas
                    .iter()
                    .map(|a| Choice::new(&a.id, &a.title))
            })
            .collect();
        let effect_goals = set
            .strategies
            .iter()
            .flat_map(|s| {
                s.overarching_goals
                    .iter()
                    .flat_map(|g| g.effect_goals.iter())
            })
            .map(|e| Choice::new(&e.id, &e.title))
            .collect();
        let mut fields = vec![
            Field::text("title", t("edit-title"), p.map(|p| p.title.as_str())).required(),
            Field::select(
                "kind",
                t("edit-plan-kind"),
                vocab_choices::<PlanKind>(lang, "plan-kind-"),
                Some(p.map_or(PlanKind::Plan, |p| p.kind).to_string()),
            )
            .required(),
        ];
        fields.extend(period_fields(lang, p.map(|p| p.period).unwrap_or_default()));
        fields.extend([
            Field::select(
                "owner",
                t("edit-owner"),
                organisations(set),
                p.and_then(|p| p.owner.as_ref()).map(ToString::to_string),
            ),
            Field::select(
                "priority_area",
                t("edit-priority-area"),
                areas,
                p.and_then(|p| p.priority_area.as_ref())
                    .map(ToString::to_string),
            ),
            Field::multi(
                "effect_goals",
                t("edit-effect-goals"),
                effect_goals,
                p.map(|p| codes(&p.effect_goals)).unwrap_or_default(),
            ),
            Field::multi(
                "perspectives",
                t("activity-perspectives"),
                perspectives(set),
                p.map(|p| codes(&p.perspectives)).unwrap_or_default(),
            ),
            Field::area(
                "summary",
                t("edit-summary"),
                p.and_then(|p| p.summary.as_deref()),
            ),
        ]);
        for (i, level) in p
            .map(|p| p.levels.as_slice())
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let label = lang.format("edit-level-name", &[("n", (i + 1).to_string())]);
            fields.push(
                Field::text(&format!("level-{}", level.id), label, Some(&level.name)).required(),
            );
        }
        fields.push(
            Field::text("new_level", t("edit-new-level"), None).hint(t("edit-new-level-hint")),
        );
        fields.extend(version_fields(
            lang,
            set,
            p.map_or(&[][..], |p| &p.versions),
        ));
        fields
    }

    /// A plan goes with the links to its goals; follow-ups no longer report on it.
    fn remove(set: &mut DataSet, _: Option<&Slug>, id: &Slug) {
        set.plans.retain(|p| &p.id != id);
        rodtrad_domain::change_where(
            &mut set.activities,
            |a| a.serves.iter().chain(&a.proposed).any(|g| &g.plan == id),
            |a| {
                a.serves.retain(|g| &g.plan != id);
                a.proposed.retain(|g| &g.plan != id);
            },
        );
        for x in &mut set.indicators {
            x.measures.retain(|m| &m.goal.plan != id);
        }
        for f in &mut set.follow_ups {
            f.plans.retain(|p| p != id);
            if f.structure.as_ref() == Some(id) {
                f.structure = None;
            }
            f.sections.retain(|s| &s.node.plan != id);
        }
    }

    fn read(
        input: &Input,
        viewer: &Viewer,
        state: &AppState,
        _: Option<&Slug>,
        old: Option<&Plan>,
        id: Slug,
    ) -> Result<Plan, Problems> {
        let working = state.working();
        let set = &working.set;
        let orgs: Vec<&Slug> = set.organisations.iter().map(|o| &o.id).collect();
        let areas: Vec<&Slug> = set
            .strategies
            .iter()
            .flat_map(|s| s.priority_areas.iter().map(|a| &a.id))
            .collect();
        let goals: Vec<&Slug> = set
            .strategies
            .iter()
            .flat_map(|s| {
                s.overarching_goals
                    .iter()
                    .flat_map(|g| g.effect_goals.iter())
            })
            .map(|e| &e.id)
            .collect();
        let persp: Vec<&Slug> = set.perspectives.iter().map(|p| &p.id).collect();
        let mut r = Reader::new(input, viewer.lang);
        let title = r.required("title");
        let mut levels: Vec<GoalLevel> = Vec::new();
        for level in old.map(|p| p.levels.as_slice()).unwrap_or_default() {
            let name = r.required(&format!("level-{}", level.id));
            levels.push(GoalLevel {
                id: level.id.clone(),
                name,
            });
        }
        if let Some(name) = r.optional("new_level") {
            let base =
                slug_from(&name).unwrap_or_else(|| Slug::parse("level").expect("a valid slug"));
            let mut slug = base.clone();
            let mut n = 1;
            while levels.iter().any(|l| l.id == slug) {
                n += 1;
                slug = Slug::parse(&format!("{base}-{n}")).unwrap_or_else(|_| base.clone());
            }
            levels.push(GoalLevel { id: slug, name });
        }
        let plan = Plan {
            id,
            title,
            kind: r.vocab("kind").unwrap_or(PlanKind::Plan),
            period: r.period("start", "end"),
            owner: r.choice("owner", &orgs),
            priority_area: r.choice("priority_area", &areas),
            effect_goals: r.choices(
                "effect_goals",
                &goals,
                old.map_or(&[][..], |p| &p.effect_goals),
            ),
            perspectives: r.choices(
                "perspectives",
                &persp,
                old.map_or(&[][..], |p| &p.perspectives),
            ),
            summary: r.optional("summary"),
            strategic_directions: old
                .map(|p| p.strategic_directions.clone())
                .unwrap_or_default(),
            risks: old.map(|p| p.risks.clone()).unwrap_or_default(),
            versions: read_versions(&mut r, &orgs, old.map_or(&[][..], |p| &p.versions)),
            levels,
            nodes: old.map(|p| p.nodes.clone()).unwrap_or_default(),
        };
        r.finish().map(|()| plan)
    }
}

/// The goals of a plan's tree.
#[derive(Debug)]
pub struct Goals;

/// Every node under `id` in the tree, `id` included.
fn subtree(nodes: &[GoalNode], id: &Slug) -> Vec<Slug> {
    let mut out = vec![id.clone()];
    let mut i = 0;
    while i < out.len() {
        let parent = &out[i];
        // A tree broken by a loop (which the checks refuse, but a database written by hand
        // may hold) ends where the loop comes back.
        let children: Vec<Slug> = nodes
            .iter()
            .filter(|n| n.parent.as_ref() == Some(parent) && !out.contains(&n.id))
            .map(|n| n.id.clone())
            .collect();
        out.extend(children);
        i += 1;
    }
    out
}

/// The tree in reading order: each node after its parent, siblings in the order they stand.
fn tree_order(nodes: Vec<GoalNode>) -> Vec<GoalNode> {
    fn visit(
        nodes: &[GoalNode],
        parent: Option<&Slug>,
        out: &mut Vec<GoalNode>,
        seen: &mut Vec<Slug>,
    ) {
        for n in nodes.iter().filter(|n| n.parent.as_ref() == parent) {
            if !seen.contains(&n.id) {
                seen.push(n.id.clone());
                out.push(n.clone());
                visit(nodes, Some(&n.id), out, seen);
            }
        }
    }
    let mut out = Vec::with_capacity(nodes.len());
    let mut seen = Vec::new();
    visit(&nodes, None, &mut out, &mut seen);
    // A node whose parent is missing is kept at the end, for the checks to name.
    out.extend(nodes.into_iter().filter(|n| !seen.contains(&n.id)));
    out
}

impl Editor for Goals {
    type Item = GoalNode;
    const TITLES: (&'static str, &'static str) = ("edit-goal-title", "new-goal-title");

    fn list<'a>(set: &'a DataSet, scope: Option<&Slug>) -> Option<&'a dyn Items<GoalNode>> {
        plan_of(set, scope).map(|p| &p.nodes as &dyn Items<GoalNode>)
    }

    fn list_mut<'a>(
        set: &'a mut DataSet,
        scope: Option<&Slug>,
    ) -> Option<&'a mut dyn Items<GoalNode>> {
        plan_of_mut(set, scope).map(|p| &mut p.nodes as &mut dyn Items<GoalNode>)
    }

    fn id(item: &GoalNode) -> &Slug {
        &item.id
    }

    fn name(item: &GoalNode) -> String {
        item.title.clone()
    }

    fn key(scope: Option<&Slug>, id: &Slug) -> ItemKey {
        plan_key(scope, id)
    }

    fn path(scope: Option<&Slug>, id: Option<&str>) -> String {
        let plan = scope.map(ToString::to_string).unwrap_or_default();
        id.map_or_else(
            || format!("/new/plan/{plan}/goal"),
            |id| format!("/edit/plan/{plan}/goal/{id}"),
        )
    }

    fn page(scope: Option<&Slug>, _: Option<&Slug>) -> String {
        plan_page(scope)
    }

    fn may_edit(viewer: &Viewer, _: &DataSet, scope: Option<&Slug>, _: Option<&GoalNode>) -> bool {
        may_edit(viewer, scope)
    }

    fn fields(
        viewer: &Viewer,
        state: &AppState,
        scope: Option<&Slug>,
        n: Option<&GoalNode>,
    ) -> Vec<Field> {
        let lang = viewer.lang;
        let t = |k: &str| lang.text(k);
        let working = state.working();
        let Some(plan) = plan_of(&working.set, scope) else {
            return Vec::new();
        };
        let levels = plan
            .levels
            .iter()
            .map(|l| Choice::new(&l.id, &l.name))
            .collect();
        let own = n.map(|n| subtree(&plan.nodes, &n.id)).unwrap_or_default();
        let parents = plan
            .nodes
            .iter()
            .filter(|x| !own.contains(&x.id))
            .map(|x| Choice::new(&x.id, &goal_label(x)))
            .collect();
        let position = n.map(|n| {
            plan.nodes
                .iter()
                .filter(|x| x.parent == n.parent)
                .position(|x| x.id == n.id)
                .map_or(1, |p| p + 1)
                .to_string()
        });
        vec![
            Field::text(
                "number",
                t("edit-goal-number"),
                n.and_then(|n| n.number.as_deref()),
            ),
            Field::text("title", t("edit-title"), n.map(|n| n.title.as_str())).required(),
            Field::area(
                "description",
                t("edit-description"),
                n.and_then(|n| n.description.as_deref()),
            ),
            Field::select(
                "level",
                t("edit-goal-level"),
                levels,
                n.map(|n| n.level.to_string()),
            )
            .required(),
            Field::select(
                "parent",
                t("edit-goal-parent"),
                parents,
                n.and_then(|n| n.parent.as_ref()).map(ToString::to_string),
            )
            .hint(t("edit-goal-parent-hint")),
            Field::text("position", t("edit-goal-position"), position.as_deref())
                .hint(t("edit-goal-position-hint")),
            Field::select(
                "intervention_level",
                t("intervention-level"),
                vocab_choices::<InterventionLevel>(lang, "intervention-"),
                n.and_then(|n| n.intervention_level).map(|l| l.to_string()),
            ),
        ]
    }

    /// A goal goes with everything under it, and with the links to them from activities and
    /// follow-ups.
    fn remove(set: &mut DataSet, scope: Option<&Slug>, id: &Slug) {
        let Some(plan) = plan_of_mut(set, scope) else {
            return;
        };
        let gone = subtree(&plan.nodes, id);
        plan.nodes.retain(|n| !gone.contains(&n.id));
        let plan = plan.id.clone();
        let hit = |g: &rodtrad_domain::GoalRef| g.plan == plan && gone.contains(&g.node);
        rodtrad_domain::change_where(
            &mut set.activities,
            |a| a.serves.iter().chain(&a.proposed).any(hit),
            |a| {
                a.serves.retain(|g| !hit(g));
                a.proposed.retain(|g| !hit(g));
            },
        );
        for x in &mut set.indicators {
            x.measures.retain(|m| !hit(&m.goal));
        }
        set.follow_ups
            .iter_mut()
            .for_each(|f| f.sections.retain(|s| !hit(&s.node)));
    }

    fn read(
        input: &Input,
        viewer: &Viewer,
        state: &AppState,
        scope: Option<&Slug>,
        old: Option<&GoalNode>,
        id: Slug,
    ) -> Result<GoalNode, Problems> {
        let working = state.working();
        let mut r = Reader::new(input, viewer.lang);
        let Some(plan) = plan_of(&working.set, scope) else {
            return Err(r.problems);
        };
        let title = r.required("title");
        let levels: Vec<&Slug> = plan.levels.iter().map(|l| &l.id).collect();
        if input.text("level").is_none() {
            r.required("level");
        }
        let level = r.choice("level", &levels);
        let own = old.map(|n| subtree(&plan.nodes, &n.id)).unwrap_or_default();
        let parents: Vec<&Slug> = plan
            .nodes
            .iter()
            .map(|n| &n.id)
            .filter(|n| !own.contains(n))
            .collect();
        let parent = r.choice("parent", &parents);
        if r.optional("position")
            .is_some_and(|p| p.parse::<usize>().map_or(true, |p| p == 0))
        {
            r.problems
                .add("position", viewer.lang.text("edit-bad-position"));
        }
        let node = GoalNode {
            id,
            level: level.unwrap_or_else(|| Slug::parse("level").expect("a valid slug")),
            parent,
            number: r.optional("number"),
            title,
            description: r.optional("description"),
            intervention_level: r.vocab("intervention_level"),
        };
        r.finish().map(|()| node)
    }

    /// The goal goes to the place asked for among its siblings, and the tree is put back in
    /// reading order.
    fn arrange(set: &mut DataSet, scope: Option<&Slug>, input: &Input, id: &Slug) {
        let Some(plan) = plan_of_mut(set, scope) else {
            return;
        };
        let mut nodes = std::mem::take(&mut plan.nodes);
        if let (Some(at), Some(from)) = (
            input.text("position").and_then(|p| p.parse::<usize>().ok()),
            nodes.iter().position(|n| &n.id == id),
        ) {
            let node = nodes.remove(from);
            let siblings: Vec<usize> = nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.parent == node.parent)
                .map(|(i, _)| i)
                .collect();
            let to = siblings
                .get(at.saturating_sub(1))
                .copied()
                .unwrap_or(nodes.len());
            nodes.insert(to, node);
        }
        plan.nodes = tree_order(nodes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, parent: Option<&str>) -> GoalNode {
        GoalNode {
            id: Slug::parse(id).expect("slug"),
            level: Slug::parse("l").expect("slug"),
            parent: parent.map(|p| Slug::parse(p).expect("slug")),
            number: None,
            title: id.into(),
            description: None,
            intervention_level: None,
        }
    }

    fn ids(nodes: &[GoalNode]) -> Vec<&str> {
        nodes.iter().map(|n| n.id.as_str()).collect()
    }

    #[test]
    fn a_tree_is_read_parents_first_with_siblings_in_their_order() {
        let nodes = vec![
            node("b1", Some("b")),
            node("a", None),
            node("b", None),
            node("a1", Some("a")),
        ];
        assert_eq!(ids(&tree_order(nodes.clone())), vec!["a", "a1", "b", "b1"]);
        assert_eq!(subtree(&nodes, &Slug::parse("a").expect("slug")).len(), 2);
    }

    #[test]
    fn a_goal_moves_to_the_place_asked_for() {
        let mut set = DataSet::default();
        set.plans.push(Plan {
            id: Slug::parse("p").expect("slug"),
            title: "P".into(),
            kind: PlanKind::Plan,
            period: rodtrad_domain::Period::default(),
            owner: None,
            priority_area: None,
            effect_goals: vec![],
            perspectives: vec![],
            summary: None,
            strategic_directions: vec![],
            risks: vec![],
            versions: vec![],
            levels: vec![],
            nodes: vec![
                node("a", None),
                node("a1", Some("a")),
                node("b", None),
                node("c", None),
            ],
        });
        let scope = Slug::parse("p").expect("slug");
        let input = Input(vec![("position".into(), "1".into())]);
        Goals::arrange(
            &mut set,
            Some(&scope),
            &input,
            &Slug::parse("c").expect("slug"),
        );
        assert_eq!(ids(&set.plans[0].nodes), vec!["c", "a", "a1", "b"]);
        let input = Input(vec![("position".into(), "9".into())]);
        Goals::arrange(
            &mut set,
            Some(&scope),
            &input,
            &Slug::parse("c").expect("slug"),
        );
        assert_eq!(ids(&set.plans[0].nodes), vec!["a", "a1", "b", "c"]);
    }
}
