//! Writing a checked [`DataSet`] into the database, in one transaction.
//!
//! Identity is the slug: an entity already stored under its slug is updated in place (only if
//! a value differs), a new one is created, and the parts an imported entity no longer has (a
//! removed sub-goal, a dropped partner) are deleted. Entities absent from the data set are left
//! alone. Importing the same data set twice therefore writes nothing the second time.
//!
//! Which column holds what is said once, in the `*_row` functions below, and written two ways:
//! a whole data set table by table in multi-row statements ([`import`], through
//! [`Bulk`]), and a few items row by row ([`write_items`], for a save), where reading whole
//! tables would cost more than the rows it writes.

use std::collections::{HashMap, HashSet};

use rodtrad_domain::{self as d, ItemKey, ItemKind, PartialDate, Slug, Vocabulary};
use sqlx::{AnyConnection, Row};

use crate::sql::Col::{Int as I, Text as T};
use crate::sql::{Bulk, Changes, Table, Val, Wanted, prune, upsert, upsert_link};

fn pos(i: usize) -> Val {
    Val::from(i64::try_from(i).unwrap_or(i64::MAX))
}

fn date(d: Option<PartialDate>) -> Val {
    Val::from(d.map(|d| d.to_string()))
}

/// A link table: `(parent, target)`, with the link's position in the parent's list.
macro_rules! link {
    ($name:literal, $parent:literal, $target:literal) => {
        Table {
            name: $name,
            id: false,
            key: &[($parent, I), ($target, I)],
            values: &[("position", I)],
        }
    };
}

static INDICATOR: Table = Table {
    name: "indicator",
    id: true,
    key: &[("slug", T)],
    values: &[("title", T), ("content", T), ("position", I)],
};
static ORGANISATION: Table = Table {
    name: "organisation",
    id: true,
    key: &[("slug", T)],
    values: &[
        ("name", T),
        ("kind", T),
        ("municipality_code", T),
        ("parent_id", I),
        ("position", I),
    ],
};
static PERSPECTIVE: Table = Table {
    name: "perspective",
    id: true,
    key: &[("slug", T)],
    values: &[("name", T), ("position", I)],
};
static STRATEGY: Table = Table {
    name: "strategy",
    id: true,
    key: &[("slug", T)],
    values: &[
        ("title", T),
        ("vision", T),
        ("start_date", T),
        ("end_date", T),
        ("owner_id", I),
        ("adopted_by_id", I),
        ("adopted_on", T),
        ("position", I),
    ],
};
static STRATEGY_PERSPECTIVE: Table = link!("strategy_perspective", "strategy_id", "perspective_id");
static OVERARCHING_GOAL: Table = Table {
    name: "overarching_goal",
    id: true,
    key: &[("slug", T)],
    values: &[("strategy_id", I), ("title", T), ("position", I)],
};
static EFFECT_GOAL: Table = Table {
    name: "effect_goal",
    id: true,
    key: &[("slug", T)],
    values: &[("overarching_goal_id", I), ("title", T), ("position", I)],
};
static PRIORITY_AREA: Table = Table {
    name: "priority_area",
    id: true,
    key: &[("slug", T)],
    values: &[("strategy_id", I), ("title", T), ("position", I)],
};
static DESIRED_STATE: Table = Table {
    name: "desired_state",
    id: true,
    key: &[("slug", T)],
    values: &[
        ("strategy_id", I),
        ("priority_area_id", I),
        ("text", T),
        ("position", I),
    ],
};
static PLAN: Table = Table {
    name: "plan",
    id: true,
    key: &[("slug", T)],
    values: &[
        ("kind", T),
        ("title", T),
        ("start_date", T),
        ("end_date", T),
        ("owner_id", I),
        ("priority_area_id", I),
        ("summary", T),
        ("position", I),
    ],
};
static PLAN_EFFECT_GOAL: Table = link!("plan_effect_goal", "plan_id", "effect_goal_id");
static PLAN_PERSPECTIVE: Table = link!("plan_perspective", "plan_id", "perspective_id");
/// Parts of a plan are known by their slug within the plan.
const IN_PLAN: &[(&str, crate::sql::Col)] = &[("plan_id", I), ("slug", T)];
static STRATEGIC_DIRECTION: Table = Table {
    name: "strategic_direction",
    id: true,
    key: IN_PLAN,
    values: &[("title", T), ("description", T), ("position", I)],
};
static RISK: Table = Table {
    name: "risk",
    id: true,
    key: IN_PLAN,
    values: &[("description", T), ("mitigation", T), ("position", I)],
};
static PLAN_VERSION: Table = Table {
    name: "plan_version",
    id: true,
    key: IN_PLAN,
    values: &[
        ("title", T),
        ("version_date", T),
        ("decided_by_id", I),
        ("decided_on", T),
        ("note", T),
        ("position", I),
    ],
};
static GOAL_LEVEL: Table = Table {
    name: "goal_level",
    id: true,
    key: IN_PLAN,
    values: &[("name", T), ("position", I)],
};
static GOAL_NODE: Table = Table {
    name: "goal_node",
    id: true,
    key: IN_PLAN,
    values: &[
        ("level_id", I),
        ("parent_id", I),
        ("number", T),
        ("title", T),
        ("description", T),
        ("intervention_level", T),
        ("position", I),
    ],
};
static ACTIVITY: Table = Table {
    name: "activity",
    id: true,
    key: &[("slug", T)],
    values: &[
        ("title", T),
        ("narrative", T),
        ("responsible_unit_id", I),
        ("lead_id", I),
        ("start_date", T),
        ("end_date", T),
        ("status", T),
        ("status_reason", T),
        ("intervention_level", T),
        ("position", I),
    ],
};
static ACTIVITY_PARTNER: Table = link!("activity_partner", "activity_id", "organisation_id");
static ACTIVITY_PERSPECTIVE: Table = link!("activity_perspective", "activity_id", "perspective_id");
static ACTIVITY_GOAL: Table = link!("activity_goal", "activity_id", "goal_node_id");
static ACTIVITY_PROPOSAL: Table = link!("activity_proposal", "activity_id", "goal_node_id");
static ACTIVITY_TARGET_GROUP: Table = Table {
    name: "activity_target_group",
    id: false,
    key: &[("activity_id", I), ("position", I)],
    values: &[("name", T)],
};
static ACTIVITY_FUNDING: Table = Table {
    name: "activity_funding",
    id: false,
    key: &[("activity_id", I), ("position", I)],
    values: &[("funder_id", I), ("description", T)],
};
static FOLLOW_UP: Table = Table {
    name: "follow_up",
    id: true,
    key: &[("slug", T)],
    values: &[
        ("title", T),
        ("report_date", T),
        ("author_id", I),
        ("signed_by", T),
        ("structure_plan_id", I),
        ("introduction", T),
        ("position", I),
        ("period_start", T),
        ("period_end", T),
        ("opens", T),
        ("deadline", T),
        ("state", T),
        ("closed", T),
    ],
};
static FOLLOW_UP_PLAN: Table = link!("follow_up_plan", "follow_up_id", "plan_id");
static FOLLOW_UP_SECTION: Table = Table {
    name: "follow_up_section",
    id: false,
    key: &[("follow_up_id", I), ("position", I)],
    values: &[("goal_node_id", I), ("narrative", T)],
};
static REPORT: Table = Table {
    name: "report",
    id: true,
    key: &[("follow_up_id", I), ("activity_id", I)],
    values: &[
        ("state", T),
        ("status", T),
        ("done", T),
        ("results", T),
        ("next_steps", T),
        ("obstacles", T),
        ("worked_start", T),
        ("worked_end", T),
        ("comment", T),
        ("position", I),
    ],
};
static REPORT_PARTNER: Table = Table {
    name: "report_partner",
    id: false,
    key: &[("report_id", I), ("position", I)],
    values: &[("organisation_id", I), ("text", T)],
};

/// Ids of what this import wrote, by slug, for resolving references.
#[derive(Default)]
struct Ids {
    organisations: HashMap<Slug, i64>,
    perspectives: HashMap<Slug, i64>,
    effect_goals: HashMap<Slug, i64>,
    priority_areas: HashMap<Slug, i64>,
    plans: HashMap<Slug, i64>,
    /// (plan, node) → node id.
    nodes: HashMap<(Slug, Slug), i64>,
    /// Activities and follow-ups, for the reports: all of them on an import, those the
    /// reports name on a save.
    activities: HashMap<Slug, i64>,
    follow_ups: HashMap<Slug, i64>,
}

impl Ids {
    fn org(&self, s: Option<&Slug>) -> Val {
        Val::from(s.and_then(|s| self.organisations.get(s).copied()))
    }

    fn node(&self, g: &d::GoalRef) -> Option<i64> {
        self.nodes.get(&(g.plan.clone(), g.node.clone())).copied()
    }
}

fn resolve(map: &HashMap<Slug, i64>, slugs: &[Slug]) -> Vec<i64> {
    slugs.iter().filter_map(|s| map.get(s).copied()).collect()
}

// What each row holds, in its table's column order.

/// An indicator is kept whole, as the JSON the model reads (see migration 0009).
fn indicator_row(i: usize, x: &d::Indicator) -> sqlx::Result<Wanted> {
    let content = serde_json::to_string(x).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    Ok((
        vec![x.id.as_str().into()],
        vec![x.title.as_str().into(), content.into(), pos(i)],
    ))
}

fn organisation_row(ids: &Ids, i: usize, o: &d::Organisation) -> Wanted {
    (
        vec![o.id.as_str().into()],
        vec![
            o.name.as_str().into(),
            o.kind.code().into(),
            Val::from(
                o.municipality_code
                    .as_ref()
                    .map(d::MunicipalityCode::as_str),
            ),
            ids.org(o.parent.as_ref()),
            pos(i),
        ],
    )
}

fn perspective_row(i: usize, p: &d::Perspective) -> Wanted {
    (
        vec![p.id.as_str().into()],
        vec![p.name.as_str().into(), pos(i)],
    )
}

fn strategy_row(ids: &Ids, i: usize, s: &d::Strategy) -> Wanted {
    (
        vec![s.id.as_str().into()],
        vec![
            s.title.as_str().into(),
            Val::from(s.vision.clone()),
            date(s.period.start),
            date(s.period.end),
            ids.org(s.owner.as_ref()),
            ids.org(s.adopted_by.as_ref()),
            date(s.adopted_on),
            pos(i),
        ],
    )
}

/// A part of the strategy known by its own slug: an overarching goal, an effect goal, a
/// priority area (`parent` is the strategy's or the overarching goal's id).
fn titled_row(parent: i64, i: usize, id: &Slug, title: &str) -> Wanted {
    (
        vec![id.as_str().into()],
        vec![parent.into(), title.into(), pos(i)],
    )
}

fn desired_state_row(ids: &Ids, strategy: i64, i: usize, x: &d::DesiredState) -> Wanted {
    let area = x
        .priority_area
        .as_ref()
        .and_then(|a| ids.priority_areas.get(a).copied());
    (
        vec![x.id.as_str().into()],
        vec![
            strategy.into(),
            Val::from(area),
            x.text.as_str().into(),
            pos(i),
        ],
    )
}

fn plan_row(ids: &Ids, i: usize, p: &d::Plan) -> Wanted {
    let area = p
        .priority_area
        .as_ref()
        .and_then(|a| ids.priority_areas.get(a).copied());
    (
        vec![p.id.as_str().into()],
        vec![
            p.kind.code().into(),
            p.title.as_str().into(),
            date(p.period.start),
            date(p.period.end),
            ids.org(p.owner.as_ref()),
            Val::from(area),
            Val::from(p.summary.clone()),
            pos(i),
        ],
    )
}

fn in_plan(plan: i64, slug: &Slug) -> Vec<Val> {
    vec![plan.into(), slug.as_str().into()]
}

fn direction_row(plan: i64, j: usize, x: &d::StrategicDirection) -> Wanted {
    (
        in_plan(plan, &x.id),
        vec![
            x.title.as_str().into(),
            Val::from(x.description.clone()),
            pos(j),
        ],
    )
}

fn risk_row(plan: i64, j: usize, x: &d::Risk) -> Wanted {
    (
        in_plan(plan, &x.id),
        vec![
            x.description.as_str().into(),
            Val::from(x.mitigation.clone()),
            pos(j),
        ],
    )
}

fn version_row(ids: &Ids, plan: i64, j: usize, v: &d::PlanVersion) -> Wanted {
    (
        in_plan(plan, &v.id),
        vec![
            v.title.as_str().into(),
            date(v.date),
            ids.org(v.decision.as_ref().map(|x| &x.body)),
            date(v.decision.as_ref().and_then(|x| x.date)),
            Val::from(v.note.clone()),
            pos(j),
        ],
    )
}

fn level_row(plan: i64, j: usize, l: &d::GoalLevel) -> Wanted {
    (in_plan(plan, &l.id), vec![l.name.as_str().into(), pos(j)])
}

fn node_row(
    ids: &Ids,
    (plan, plan_id): (&Slug, i64),
    levels: &HashMap<&Slug, i64>,
    j: usize,
    n: &d::GoalNode,
) -> Wanted {
    let parent = n
        .parent
        .as_ref()
        .and_then(|s| ids.nodes.get(&(plan.clone(), s.clone())).copied());
    (
        in_plan(plan_id, &n.id),
        vec![
            Val::from(levels.get(&n.level).copied()),
            Val::from(parent),
            Val::from(n.number.clone()),
            n.title.as_str().into(),
            Val::from(n.description.clone()),
            Val::from(n.intervention_level.map(Vocabulary::code)),
            pos(j),
        ],
    )
}

fn activity_row(ids: &Ids, i: usize, a: &d::Activity) -> Wanted {
    (
        vec![a.id.as_str().into()],
        vec![
            a.title.as_str().into(),
            Val::from(a.narrative.clone()),
            ids.org(a.responsible_unit.as_ref()),
            ids.org(a.lead.as_ref()),
            date(a.period.start),
            date(a.period.end),
            Val::from(a.status.map(Vocabulary::code)),
            Val::from(a.status_reason.clone()),
            Val::from(a.intervention_level.map(Vocabulary::code)),
            pos(i),
        ],
    )
}

fn activity_goals(ids: &Ids, a: &d::Activity) -> Vec<i64> {
    a.serves.iter().filter_map(|g| ids.node(g)).collect()
}

fn activity_proposals(ids: &Ids, a: &d::Activity) -> Vec<i64> {
    a.proposed.iter().filter_map(|g| ids.node(g)).collect()
}

fn target_group_rows(activity: i64, a: &d::Activity) -> Vec<Wanted> {
    a.target_groups
        .iter()
        .enumerate()
        .map(|(j, t)| (vec![activity.into(), pos(j)], vec![t.as_str().into()]))
        .collect()
}

fn funding_rows(ids: &Ids, activity: i64, a: &d::Activity) -> Vec<Wanted> {
    a.funding
        .iter()
        .enumerate()
        .map(|(j, f)| {
            (
                vec![activity.into(), pos(j)],
                vec![ids.org(f.funder.as_ref()), Val::from(f.description.clone())],
            )
        })
        .collect()
}

fn follow_up_row(ids: &Ids, i: usize, f: &d::FollowUp) -> Wanted {
    let structure = f.structure.as_ref().and_then(|s| ids.plans.get(s).copied());
    (
        vec![f.id.as_str().into()],
        vec![
            f.title.as_str().into(),
            date(f.date),
            ids.org(f.author.as_ref()),
            Val::from(f.signed_by.clone()),
            Val::from(structure),
            Val::from(f.introduction.clone()),
            pos(i),
            date(f.period.start),
            date(f.period.end),
            date(f.opens),
            date(f.deadline),
            f.state.code().into(),
            date(f.closed),
        ],
    )
}

/// A report's row; `None` when its round or activity has no id (cannot happen to a checked
/// data set).
fn report_row(ids: &Ids, i: usize, r: &d::Report) -> Option<Wanted> {
    let round = ids.follow_ups.get(&r.round).copied()?;
    let activity = ids.activities.get(&r.activity).copied()?;
    let mut values = report_values(r);
    values.push(pos(i));
    Some((vec![round.into(), activity.into()], values))
}

/// What a report's row says, in the columns' order from `state` to `comment` (before its
/// position): the same for an import and for a report's own save (`report_saves.rs`).
pub(crate) fn report_values(r: &d::Report) -> Vec<Val> {
    vec![
        r.state.code().into(),
        Val::from(r.status.map(Vocabulary::code)),
        Val::from(r.done.clone()),
        Val::from(r.results.clone()),
        Val::from(r.next_steps.clone()),
        Val::from(r.obstacles.clone()),
        date(r.worked.start),
        date(r.worked.end),
        Val::from(r.comment.clone()),
    ]
}

fn partner_rows(ids: &Ids, report: i64, r: &d::Report) -> Vec<Wanted> {
    r.partner_parts
        .iter()
        .enumerate()
        .map(|(j, p)| {
            (
                vec![report.into(), pos(j)],
                vec![ids.org(Some(&p.organisation)), p.text.as_str().into()],
            )
        })
        .collect()
}

fn section_rows(ids: &Ids, follow_up: i64, f: &d::FollowUp) -> Vec<Wanted> {
    f.sections
        .iter()
        .enumerate()
        .map(|(j, s)| {
            (
                vec![follow_up.into(), pos(j)],
                vec![Val::from(ids.node(&s.node)), s.narrative.as_str().into()],
            )
        })
        .collect()
}

fn link_rows(parent: i64, targets: &[i64]) -> Vec<Wanted> {
    targets
        .iter()
        .enumerate()
        .map(|(i, t)| (vec![parent.into(), (*t).into()], vec![pos(i)]))
        .collect()
}

/// Organisations grouped so that each group's parents are in earlier groups (the checked data
/// set has no loops): indices into `orgs`, which are (position, organisation).
fn parents_first(orgs: &[(usize, &d::Organisation)]) -> Vec<Vec<usize>> {
    let index: HashMap<&Slug, usize> = orgs
        .iter()
        .enumerate()
        .map(|(k, (_, o))| (&o.id, k))
        .collect();
    let depth = |mut k: usize| {
        let mut n = 0;
        while let Some(p) = orgs[k].1.parent.as_ref().and_then(|p| index.get(p)) {
            k = *p;
            n += 1;
        }
        n
    };
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for k in 0..orgs.len() {
        let n = depth(k);
        if groups.len() <= n {
            groups.resize(n + 1, Vec::new());
        }
        groups[n].push(k);
    }
    groups
}

/// A node's depth in its plan's tree: its level's index, checked on reading (unknown last).
fn node_depths(p: &d::Plan) -> Vec<usize> {
    let depth: HashMap<&Slug, usize> = p
        .levels
        .iter()
        .enumerate()
        .map(|(j, l)| (&l.id, j))
        .collect();
    p.nodes
        .iter()
        .map(|n| depth.get(&n.level).copied().unwrap_or(p.levels.len()))
        .collect()
}

/// Writes a whole data set, table by table, each table in a few multi-row statements.
pub async fn import(conn: &mut AnyConnection, set: &d::DataSet) -> sqlx::Result<Changes> {
    let mut ch = Changes::default();
    let mut ids = Ids::default();
    if !set.name.is_empty() {
        upsert_link(
            conn,
            &mut ch,
            "setting",
            &[("key", "name".into())],
            &[("value", set.name.as_str().into())],
        )
        .await?;
    }
    let orgs: Vec<(usize, &d::Organisation)> = set.organisations.iter().enumerate().collect();
    let mut table = Bulk::read(conn, &ORGANISATION).await?;
    for group in parents_first(&orgs) {
        let rows = group
            .iter()
            .map(|&k| organisation_row(&ids, orgs[k].0, orgs[k].1))
            .collect();
        let written = table.write(conn, &mut ch, rows).await?;
        for (&k, id) in group.iter().zip(written) {
            ids.organisations.insert(orgs[k].1.id.clone(), id);
        }
    }
    let rows = set
        .perspectives
        .iter()
        .enumerate()
        .map(|(i, p)| perspective_row(i, p))
        .collect();
    let written = entities(conn, &mut ch, &PERSPECTIVE, rows).await?;
    for (p, id) in set.perspectives.iter().zip(written) {
        ids.perspectives.insert(p.id.clone(), id);
    }
    strategies(conn, &mut ch, &mut ids, &set.strategies).await?;
    let mut trees = plans(conn, &mut ch, &mut ids, &set.plans).await?;
    activities(conn, &mut ch, &mut ids, &set.activities).await?;
    follow_ups(conn, &mut ch, &mut ids, &set.follow_ups).await?;
    reports(conn, &mut ch, &ids, &set.reports).await?;
    let rows = set
        .indicators
        .iter()
        .enumerate()
        .map(|(i, x)| indicator_row(i, x))
        .collect::<sqlx::Result<_>>()?;
    entities(conn, &mut ch, &INDICATOR, rows).await?;
    // Goals go last: only now does nothing imported point at a goal the plans no longer have.
    trees
        .nodes
        .prune(conn, &mut ch, "plan_id", &trees.plans)
        .await?;
    trees
        .levels
        .prune(conn, &mut ch, "plan_id", &trees.plans)
        .await?;
    Ok(ch)
}

/// Writes rows of entities (nothing is deleted: entities absent are left alone) and returns
/// their ids in order.
async fn entities(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    table: &'static Table,
    rows: Vec<Wanted>,
) -> sqlx::Result<Vec<i64>> {
    Bulk::read(conn, table).await?.write(conn, ch, rows).await
}

/// Brings the parts of the parents `within` to `rows`: writes them and deletes the parts those
/// parents (named by the `scope` column) no longer have. Returns the rows' ids in order.
async fn parts(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    table: &'static Table,
    rows: Vec<Wanted>,
    scope: &str,
    within: &HashSet<i64>,
) -> sqlx::Result<Vec<i64>> {
    let mut bulk = Bulk::read(conn, table).await?;
    let written = bulk.write(conn, ch, rows).await?;
    bulk.prune(conn, ch, scope, within).await?;
    Ok(written)
}

/// The children of each parent (the list `children` picks), with the parent's id and each
/// child's place among its siblings: what the rows of a child table are made from.
fn under<'a, P: 'a, C: 'a>(
    parents: impl IntoIterator<Item = (&'a P, i64)>,
    children: impl Fn(&'a P) -> &'a [C],
) -> Vec<(i64, usize, &'a C)> {
    parents
        .into_iter()
        .flat_map(|(p, id)| children(p).iter().enumerate().map(move |(i, c)| (id, i, c)))
        .collect()
}

async fn strategies(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    ids: &mut Ids,
    strategies: &[d::Strategy],
) -> sqlx::Result<()> {
    let rows = strategies
        .iter()
        .enumerate()
        .map(|(i, s)| strategy_row(ids, i, s))
        .collect();
    let sids = entities(conn, ch, &STRATEGY, rows).await?;
    let within: HashSet<i64> = sids.iter().copied().collect();
    let rows = strategies
        .iter()
        .zip(&sids)
        .flat_map(|(s, &sid)| link_rows(sid, &resolve(&ids.perspectives, &s.perspectives)))
        .collect();
    parts(
        conn,
        ch,
        &STRATEGY_PERSPECTIVE,
        rows,
        "strategy_id",
        &within,
    )
    .await?;

    let goals = under(strategies.iter().zip(sids.iter().copied()), |s| {
        &s.overarching_goals
    });
    let mut goal_table = Bulk::read(conn, &OVERARCHING_GOAL).await?;
    let rows = goals
        .iter()
        .map(|(sid, i, g)| titled_row(*sid, *i, &g.id, &g.title))
        .collect();
    let gids = goal_table.write(conn, ch, rows).await?;
    let effect = under(
        goals.iter().map(|(_, _, g)| *g).zip(gids.iter().copied()),
        |g| &g.effect_goals,
    );
    let rows = effect
        .iter()
        .map(|(gid, i, e)| titled_row(*gid, *i, &e.id, &e.title))
        .collect();
    let goal_ids: HashSet<i64> = gids.iter().copied().collect();
    let eids = parts(
        conn,
        ch,
        &EFFECT_GOAL,
        rows,
        "overarching_goal_id",
        &goal_ids,
    )
    .await?;
    for ((_, _, e), id) in effect.iter().zip(eids) {
        ids.effect_goals.insert(e.id.clone(), id);
    }
    goal_table.prune(conn, ch, "strategy_id", &within).await?;

    let areas = under(strategies.iter().zip(sids.iter().copied()), |s| {
        &s.priority_areas
    });
    let mut area_table = Bulk::read(conn, &PRIORITY_AREA).await?;
    let rows = areas
        .iter()
        .map(|(sid, i, a)| titled_row(*sid, *i, &a.id, &a.title))
        .collect();
    let aids = area_table.write(conn, ch, rows).await?;
    for ((_, _, a), id) in areas.iter().zip(aids) {
        ids.priority_areas.insert(a.id.clone(), id);
    }
    let rows = under(strategies.iter().zip(sids.iter().copied()), |s| {
        &s.desired_states
    })
    .into_iter()
    .map(|(sid, i, x)| desired_state_row(ids, sid, i, x))
    .collect();
    parts(conn, ch, &DESIRED_STATE, rows, "strategy_id", &within).await?;
    area_table.prune(conn, ch, "strategy_id", &within).await
}

/// The goal trees' tables as written, pruned once nothing imported points at them any more.
struct Trees {
    plans: HashSet<i64>,
    nodes: Bulk,
    levels: Bulk,
}

async fn plans(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    ids: &mut Ids,
    plans: &[d::Plan],
) -> sqlx::Result<Trees> {
    let rows = plans
        .iter()
        .enumerate()
        .map(|(i, p)| plan_row(ids, i, p))
        .collect();
    let pids = entities(conn, ch, &PLAN, rows).await?;
    for (p, &id) in plans.iter().zip(&pids) {
        ids.plans.insert(p.id.clone(), id);
    }
    let within: HashSet<i64> = pids.iter().copied().collect();
    let each = |f: &dyn Fn(&d::Plan, i64) -> Vec<Wanted>| -> Vec<Wanted> {
        plans
            .iter()
            .zip(&pids)
            .flat_map(|(p, &pid)| f(p, pid))
            .collect()
    };
    let rows = each(&|p, pid| link_rows(pid, &resolve(&ids.effect_goals, &p.effect_goals)));
    parts(conn, ch, &PLAN_EFFECT_GOAL, rows, "plan_id", &within).await?;
    let rows = each(&|p, pid| link_rows(pid, &resolve(&ids.perspectives, &p.perspectives)));
    parts(conn, ch, &PLAN_PERSPECTIVE, rows, "plan_id", &within).await?;
    let rows = each(&|p, pid| {
        p.strategic_directions
            .iter()
            .enumerate()
            .map(|(j, x)| direction_row(pid, j, x))
            .collect()
    });
    parts(conn, ch, &STRATEGIC_DIRECTION, rows, "plan_id", &within).await?;
    let rows = each(&|p, pid| {
        p.risks
            .iter()
            .enumerate()
            .map(|(j, x)| risk_row(pid, j, x))
            .collect()
    });
    parts(conn, ch, &RISK, rows, "plan_id", &within).await?;
    let rows = each(&|p, pid| {
        p.versions
            .iter()
            .enumerate()
            .map(|(j, v)| version_row(ids, pid, j, v))
            .collect()
    });
    parts(conn, ch, &PLAN_VERSION, rows, "plan_id", &within).await?;

    let mut levels = Bulk::read(conn, &GOAL_LEVEL).await?;
    let rows = each(&|p, pid| {
        p.levels
            .iter()
            .enumerate()
            .map(|(j, l)| level_row(pid, j, l))
            .collect()
    });
    let mut level_written = levels.write(conn, ch, rows).await?.into_iter();
    let level_ids: Vec<HashMap<&Slug, i64>> = plans
        .iter()
        .map(|p| {
            p.levels
                .iter()
                .map(|l| (&l.id, level_written.next().unwrap_or(0)))
                .collect()
        })
        .collect();
    // Every plan's nodes of one depth in one go, parents before children.
    let mut by_depth: Vec<Vec<(usize, usize)>> = Vec::new();
    for (k, p) in plans.iter().enumerate() {
        for (j, depth) in node_depths(p).into_iter().enumerate() {
            if by_depth.len() <= depth {
                by_depth.resize(depth + 1, Vec::new());
            }
            by_depth[depth].push((k, j));
        }
    }
    let mut nodes = Bulk::read(conn, &GOAL_NODE).await?;
    for group in by_depth {
        let rows = group
            .iter()
            .map(|&(k, j)| {
                let p = &plans[k];
                node_row(ids, (&p.id, pids[k]), &level_ids[k], j, &p.nodes[j])
            })
            .collect();
        let written = nodes.write(conn, ch, rows).await?;
        for (&(k, j), id) in group.iter().zip(written) {
            ids.nodes
                .insert((plans[k].id.clone(), plans[k].nodes[j].id.clone()), id);
        }
    }
    Ok(Trees {
        plans: within,
        nodes,
        levels,
    })
}

async fn activities(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    ids: &mut Ids,
    activities: &d::Shared<d::Activity>,
) -> sqlx::Result<()> {
    let rows = activities
        .iter()
        .enumerate()
        .map(|(i, a)| activity_row(ids, i, a))
        .collect();
    let aids = entities(conn, ch, &ACTIVITY, rows).await?;
    ids.activities = activities
        .iter()
        .zip(&aids)
        .map(|(a, &id)| (a.id.clone(), id))
        .collect();
    let ids = &*ids;
    let within: HashSet<i64> = aids.iter().copied().collect();
    let each = |f: &dyn Fn(&d::Activity, i64) -> Vec<Wanted>| -> Vec<Wanted> {
        activities
            .iter()
            .zip(&aids)
            .flat_map(|(a, &aid)| f(a, aid))
            .collect()
    };
    let rows = each(&|a, aid| link_rows(aid, &resolve(&ids.organisations, &a.partners)));
    parts(conn, ch, &ACTIVITY_PARTNER, rows, "activity_id", &within).await?;
    let rows = each(&|a, aid| link_rows(aid, &resolve(&ids.perspectives, &a.perspectives)));
    parts(
        conn,
        ch,
        &ACTIVITY_PERSPECTIVE,
        rows,
        "activity_id",
        &within,
    )
    .await?;
    let rows = each(&|a, aid| link_rows(aid, &activity_goals(ids, a)));
    parts(conn, ch, &ACTIVITY_GOAL, rows, "activity_id", &within).await?;
    let rows = each(&|a, aid| link_rows(aid, &activity_proposals(ids, a)));
    parts(conn, ch, &ACTIVITY_PROPOSAL, rows, "activity_id", &within).await?;
    let rows = each(&|a, aid| target_group_rows(aid, a));
    parts(
        conn,
        ch,
        &ACTIVITY_TARGET_GROUP,
        rows,
        "activity_id",
        &within,
    )
    .await?;
    let rows = each(&|a, aid| funding_rows(ids, aid, a));
    parts(conn, ch, &ACTIVITY_FUNDING, rows, "activity_id", &within).await?;
    Ok(())
}

async fn follow_ups(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    ids: &mut Ids,
    follow_ups: &[d::FollowUp],
) -> sqlx::Result<()> {
    let rows = follow_ups
        .iter()
        .enumerate()
        .map(|(i, f)| follow_up_row(ids, i, f))
        .collect();
    let fids = entities(conn, ch, &FOLLOW_UP, rows).await?;
    ids.follow_ups = follow_ups
        .iter()
        .zip(&fids)
        .map(|(f, &id)| (f.id.clone(), id))
        .collect();
    let ids = &*ids;
    let within: HashSet<i64> = fids.iter().copied().collect();
    let rows = follow_ups
        .iter()
        .zip(&fids)
        .flat_map(|(f, &fid)| link_rows(fid, &resolve(&ids.plans, &f.plans)))
        .collect();
    parts(conn, ch, &FOLLOW_UP_PLAN, rows, "follow_up_id", &within).await?;
    let rows = follow_ups
        .iter()
        .zip(&fids)
        .flat_map(|(f, &fid)| section_rows(ids, fid, f))
        .collect();
    parts(conn, ch, &FOLLOW_UP_SECTION, rows, "follow_up_id", &within).await?;
    Ok(())
}

async fn reports(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    ids: &Ids,
    reports: &d::Shared<d::Report>,
) -> sqlx::Result<()> {
    let kept: Vec<&d::Report> = reports
        .iter()
        .map(AsRef::as_ref)
        .filter(|r| {
            ids.follow_ups.contains_key(&r.round) && ids.activities.contains_key(&r.activity)
        })
        .collect();
    let rows = kept
        .iter()
        .enumerate()
        .filter_map(|(i, r)| report_row(ids, i, r))
        .collect();
    let rids = entities(conn, ch, &REPORT, rows).await?;
    let within: HashSet<i64> = rids.iter().copied().collect();
    let rows = kept
        .iter()
        .zip(&rids)
        .flat_map(|(r, &rid)| partner_rows(ids, rid, r))
        .collect();
    parts(conn, ch, &REPORT_PARTNER, rows, "report_id", &within).await?;
    Ok(())
}

// Row by row, for a save of a few items.

async fn upsert_row(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    table: &Table,
    (key, values): Wanted,
) -> sqlx::Result<i64> {
    upsert(
        conn,
        ch,
        table.name,
        &Table::pairs(table.key, &key),
        &Table::pairs(table.values, &values),
    )
    .await
}

async fn upsert_link_row(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    table: &Table,
    (key, values): Wanted,
) -> sqlx::Result<()> {
    upsert_link(
        conn,
        ch,
        table.name,
        &Table::pairs(table.key, &key),
        &Table::pairs(table.values, &values),
    )
    .await
}

/// Links from `parent` to the ids of `targets`, in their order, replacing the old ones.
async fn links(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    table: &Table,
    parent: i64,
    targets: &[i64],
) -> sqlx::Result<()> {
    for row in link_rows(parent, targets) {
        upsert_link_row(conn, ch, table, row).await?;
    }
    prune(
        conn,
        ch,
        table.name,
        table.key[0].0,
        parent,
        table.key[1].0,
        targets,
    )
    .await
}

/// Numbered rows of `parent` (keyed by parent and position), replacing the old ones.
async fn numbered(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    table: &Table,
    parent: i64,
    rows: Vec<Wanted>,
) -> sqlx::Result<()> {
    let kept: Vec<i64> = (0..rows.len())
        .map(|j| i64::try_from(j).unwrap_or(i64::MAX))
        .collect();
    for row in rows {
        upsert_link_row(conn, ch, table, row).await?;
    }
    prune(
        conn,
        ch,
        table.name,
        table.key[0].0,
        parent,
        "position",
        &kept,
    )
    .await
}

/// Upserts `rows` of parts of `parent` and deletes the ones `parent` no longer has.
async fn upsert_parts(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    table: &Table,
    (scope, parent): (&str, i64),
    rows: Vec<Wanted>,
) -> sqlx::Result<Vec<i64>> {
    let mut kept = Vec::new();
    for row in rows {
        kept.push(upsert_row(conn, ch, table, row).await?);
    }
    prune(conn, ch, table.name, scope, parent, "id", &kept).await?;
    Ok(kept)
}

/// The goal-tree parts whose removal must wait until activities and follow-ups no longer point
/// at them.
struct PendingPrune {
    plan_id: i64,
    nodes: Vec<i64>,
    levels: Vec<i64>,
}

async fn prune_trees(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    pending: Vec<PendingPrune>,
) -> sqlx::Result<()> {
    for p in pending {
        prune(conn, ch, "goal_node", "plan_id", p.plan_id, "id", &p.nodes).await?;
        prune(
            conn,
            ch,
            "goal_level",
            "plan_id",
            p.plan_id,
            "id",
            &p.levels,
        )
        .await?;
    }
    Ok(())
}

async fn organisations(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    ids: &mut Ids,
    orgs: &[(usize, &d::Organisation)],
) -> sqlx::Result<()> {
    for k in parents_first(orgs).into_iter().flatten() {
        let (i, o) = orgs[k];
        let id = upsert_row(conn, ch, &ORGANISATION, organisation_row(ids, i, o)).await?;
        ids.organisations.insert(o.id.clone(), id);
    }
    Ok(())
}

async fn perspective(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    ids: &mut Ids,
    i: usize,
    p: &d::Perspective,
) -> sqlx::Result<()> {
    let id = upsert_row(conn, ch, &PERSPECTIVE, perspective_row(i, p)).await?;
    ids.perspectives.insert(p.id.clone(), id);
    Ok(())
}

async fn strategy(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    ids: &mut Ids,
    i: usize,
    s: &d::Strategy,
) -> sqlx::Result<()> {
    let sid = upsert_row(conn, ch, &STRATEGY, strategy_row(ids, i, s)).await?;
    let perspectives = resolve(&ids.perspectives, &s.perspectives);
    links(conn, ch, &STRATEGY_PERSPECTIVE, sid, &perspectives).await?;
    let mut goal_ids = Vec::new();
    for (gi, g) in s.overarching_goals.iter().enumerate() {
        let gid = upsert_row(
            conn,
            ch,
            &OVERARCHING_GOAL,
            titled_row(sid, gi, &g.id, &g.title),
        )
        .await?;
        goal_ids.push(gid);
        let rows = g
            .effect_goals
            .iter()
            .enumerate()
            .map(|(ei, e)| titled_row(gid, ei, &e.id, &e.title))
            .collect();
        let eids = upsert_parts(conn, ch, &EFFECT_GOAL, ("overarching_goal_id", gid), rows).await?;
        for (e, id) in g.effect_goals.iter().zip(eids) {
            ids.effect_goals.insert(e.id.clone(), id);
        }
    }
    prune(
        conn,
        ch,
        "overarching_goal",
        "strategy_id",
        sid,
        "id",
        &goal_ids,
    )
    .await?;
    let mut area_ids = Vec::new();
    for (ai, a) in s.priority_areas.iter().enumerate() {
        let aid = upsert_row(
            conn,
            ch,
            &PRIORITY_AREA,
            titled_row(sid, ai, &a.id, &a.title),
        )
        .await?;
        ids.priority_areas.insert(a.id.clone(), aid);
        area_ids.push(aid);
    }
    let rows = s
        .desired_states
        .iter()
        .enumerate()
        .map(|(di, x)| desired_state_row(ids, sid, di, x))
        .collect();
    upsert_parts(conn, ch, &DESIRED_STATE, ("strategy_id", sid), rows).await?;
    prune(
        conn,
        ch,
        "priority_area",
        "strategy_id",
        sid,
        "id",
        &area_ids,
    )
    .await
}

async fn plan(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    ids: &mut Ids,
    i: usize,
    p: &d::Plan,
) -> sqlx::Result<PendingPrune> {
    let pid = upsert_row(conn, ch, &PLAN, plan_row(ids, i, p)).await?;
    ids.plans.insert(p.id.clone(), pid);
    let effect_goals = resolve(&ids.effect_goals, &p.effect_goals);
    links(conn, ch, &PLAN_EFFECT_GOAL, pid, &effect_goals).await?;
    let perspectives = resolve(&ids.perspectives, &p.perspectives);
    links(conn, ch, &PLAN_PERSPECTIVE, pid, &perspectives).await?;
    let in_this = ("plan_id", pid);
    let rows = p
        .strategic_directions
        .iter()
        .enumerate()
        .map(|(j, x)| direction_row(pid, j, x))
        .collect();
    upsert_parts(conn, ch, &STRATEGIC_DIRECTION, in_this, rows).await?;
    let rows = p
        .risks
        .iter()
        .enumerate()
        .map(|(j, x)| risk_row(pid, j, x))
        .collect();
    upsert_parts(conn, ch, &RISK, in_this, rows).await?;
    let rows = p
        .versions
        .iter()
        .enumerate()
        .map(|(j, v)| version_row(ids, pid, j, v))
        .collect();
    upsert_parts(conn, ch, &PLAN_VERSION, in_this, rows).await?;

    let mut level_ids = HashMap::new();
    for (j, l) in p.levels.iter().enumerate() {
        let lid = upsert_row(conn, ch, &GOAL_LEVEL, level_row(pid, j, l)).await?;
        level_ids.insert(&l.id, lid);
    }
    let depths = node_depths(p);
    let mut order: Vec<usize> = (0..p.nodes.len()).collect();
    order.sort_by_key(|&j| depths[j]);
    let mut node_ids = Vec::new();
    for j in order {
        let n = &p.nodes[j];
        let row = node_row(ids, (&p.id, pid), &level_ids, j, n);
        let nid = upsert_row(conn, ch, &GOAL_NODE, row).await?;
        ids.nodes.insert((p.id.clone(), n.id.clone()), nid);
        node_ids.push(nid);
    }
    Ok(PendingPrune {
        plan_id: pid,
        nodes: node_ids,
        levels: level_ids.into_values().collect(),
    })
}

async fn activity(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    ids: &Ids,
    i: usize,
    a: &d::Activity,
) -> sqlx::Result<()> {
    let aid = upsert_row(conn, ch, &ACTIVITY, activity_row(ids, i, a)).await?;
    let partners = resolve(&ids.organisations, &a.partners);
    links(conn, ch, &ACTIVITY_PARTNER, aid, &partners).await?;
    let perspectives = resolve(&ids.perspectives, &a.perspectives);
    links(conn, ch, &ACTIVITY_PERSPECTIVE, aid, &perspectives).await?;
    links(conn, ch, &ACTIVITY_GOAL, aid, &activity_goals(ids, a)).await?;
    let proposals = activity_proposals(ids, a);
    links(conn, ch, &ACTIVITY_PROPOSAL, aid, &proposals).await?;
    numbered(
        conn,
        ch,
        &ACTIVITY_TARGET_GROUP,
        aid,
        target_group_rows(aid, a),
    )
    .await?;
    numbered(conn, ch, &ACTIVITY_FUNDING, aid, funding_rows(ids, aid, a)).await
}

async fn follow_up(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    ids: &Ids,
    i: usize,
    f: &d::FollowUp,
) -> sqlx::Result<()> {
    let fid = upsert_row(conn, ch, &FOLLOW_UP, follow_up_row(ids, i, f)).await?;
    let plans = resolve(&ids.plans, &f.plans);
    links(conn, ch, &FOLLOW_UP_PLAN, fid, &plans).await?;
    numbered(conn, ch, &FOLLOW_UP_SECTION, fid, section_rows(ids, fid, f)).await
}

async fn report(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    ids: &Ids,
    i: usize,
    r: &d::Report,
) -> sqlx::Result<()> {
    let Some(row) = report_row(ids, i, r) else {
        return Err(sqlx::Error::RowNotFound);
    };
    let rid = upsert_row(conn, ch, &REPORT, row).await?;
    numbered(conn, ch, &REPORT_PARTNER, rid, partner_rows(ids, rid, r)).await
}

/// Writes the reports named by `keys` as they are in `set`, finding the ids of their rounds
/// and activities first.
async fn write_reports(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    ids: &mut Ids,
    set: &d::DataSet,
    keys: &[&ItemKey],
) -> sqlx::Result<()> {
    if keys.is_empty() {
        return Ok(());
    }
    let rounds: HashSet<&Slug> = keys.iter().filter_map(|k| k.scope.as_ref()).collect();
    let activities: HashSet<&Slug> = keys.iter().map(|k| &k.id).collect();
    ids.follow_ups = ids_of(conn, "follow_up", &rounds).await?;
    ids.activities = ids_of(conn, "activity", &activities).await?;
    // Found from the end, where a new report was put, not by a look through every one.
    for key in keys {
        if let Some((i, r)) = set
            .reports
            .iter()
            .enumerate()
            .rev()
            .find(|(_, r)| r.activity == key.id && Some(&r.round) == key.scope.as_ref())
        {
            report(conn, ch, ids, i, r).await?;
        }
    }
    Ok(())
}

/// The ids of the rows of `table` whose slugs are `slugs`.
async fn ids_of(
    conn: &mut AnyConnection,
    table: &str,
    slugs: &HashSet<&Slug>,
) -> sqlx::Result<HashMap<Slug, i64>> {
    let mut map = HashMap::new();
    for slug in slugs {
        let id: Option<i64> =
            sqlx::query_scalar(&format!("SELECT id FROM {table} WHERE slug = $1"))
                .bind(slug.as_str())
                .fetch_optional(&mut *conn)
                .await?;
        if let Some(id) = id {
            map.insert((*slug).clone(), id);
        }
    }
    Ok(map)
}

async fn slug_ids(conn: &mut AnyConnection, table: &str) -> sqlx::Result<HashMap<Slug, i64>> {
    let rows = sqlx::query(&format!("SELECT slug, id FROM {table}"))
        .fetch_all(&mut *conn)
        .await?;
    let mut map = HashMap::new();
    for row in rows {
        let slug: String = row.try_get(0)?;
        if let Ok(slug) = Slug::parse(&slug) {
            map.insert(slug, row.try_get(1)?);
        }
    }
    Ok(map)
}

impl Ids {
    /// The ids of what is stored, for writing some items of a data set and not others: every
    /// register, and the goals of the plans named in `plans` (a national instance has
    /// thousands of goals, and an activity's links name two or three plans).
    async fn stored(conn: &mut AnyConnection, plans: &HashSet<&Slug>) -> sqlx::Result<Ids> {
        let mut nodes = HashMap::new();
        let marks: Vec<String> = (1..=plans.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT p.slug, n.slug, n.id FROM goal_node n JOIN plan p ON p.id = n.plan_id \
             WHERE p.slug IN ({})",
            marks.join(", ")
        );
        let mut query = sqlx::query(&sql);
        for plan in plans {
            query = query.bind(plan.as_str());
        }
        let rows = if plans.is_empty() {
            Vec::new()
        } else {
            query.fetch_all(&mut *conn).await?
        };
        for row in rows {
            let (plan, node): (String, String) = (row.try_get(0)?, row.try_get(1)?);
            if let (Ok(plan), Ok(node)) = (Slug::parse(&plan), Slug::parse(&node)) {
                nodes.insert((plan, node), row.try_get(2)?);
            }
        }
        Ok(Ids {
            organisations: slug_ids(conn, "organisation").await?,
            perspectives: slug_ids(conn, "perspective").await?,
            effect_goals: slug_ids(conn, "effect_goal").await?,
            priority_areas: slug_ids(conn, "priority_area").await?,
            plans: slug_ids(conn, "plan").await?,
            nodes,
            activities: HashMap::new(),
            follow_ups: HashMap::new(),
        })
    }
}

fn table(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Organisation => "organisation",
        ItemKind::Perspective => "perspective",
        ItemKind::Strategy => "strategy",
        ItemKind::Plan => "plan",
        ItemKind::Activity => "activity",
        ItemKind::FollowUp => "follow_up",
        ItemKind::Report => "report",
        ItemKind::Indicator => "indicator",
        ItemKind::Account => "account",
    }
}

/// Writes the named items as they are in `set` (which holds the whole data set after the
/// change, for positions and references), and deletes those `set` no longer has. Items are
/// written in dependency order and deleted in its reverse, so that a reference is written
/// before what it refers to goes.
pub async fn write_items(
    conn: &mut AnyConnection,
    set: &d::DataSet,
    items: &[ItemKey],
) -> sqlx::Result<Changes> {
    let mut ch = Changes::default();
    let wanted = |kind: ItemKind, id: &Slug| items.iter().any(|k| k.kind == kind && &k.id == id);
    let reports: Vec<&ItemKey> = items
        .iter()
        .filter(|k| k.kind == ItemKind::Report)
        .collect();
    // The plans whose goals the items written name.
    let mut plans: HashSet<&Slug> = items
        .iter()
        .filter(|k| k.kind == ItemKind::Plan)
        .map(|k| &k.id)
        .collect();
    for k in items {
        match k.kind {
            ItemKind::Activity => {
                if let Some(a) = set.activities.iter().find(|a| a.id == k.id) {
                    plans.extend(a.serves.iter().chain(&a.proposed).map(|g| &g.plan));
                }
            }
            ItemKind::FollowUp => {
                if let Some(f) = set.follow_ups.iter().find(|f| f.id == k.id) {
                    plans.extend(f.sections.iter().map(|s| &s.node.plan));
                }
            }
            _ => {}
        }
    }
    let mut ids = Ids::stored(conn, &plans).await?;
    let orgs: Vec<(usize, &d::Organisation)> = set
        .organisations
        .iter()
        .enumerate()
        .filter(|(_, o)| wanted(ItemKind::Organisation, &o.id))
        .collect();
    organisations(conn, &mut ch, &mut ids, &orgs).await?;
    for (i, p) in set.perspectives.iter().enumerate() {
        if wanted(ItemKind::Perspective, &p.id) {
            perspective(conn, &mut ch, &mut ids, i, p).await?;
        }
    }
    for (i, s) in set.strategies.iter().enumerate() {
        if wanted(ItemKind::Strategy, &s.id) {
            strategy(conn, &mut ch, &mut ids, i, s).await?;
        }
    }
    let mut pending = Vec::new();
    for (i, p) in set.plans.iter().enumerate() {
        if wanted(ItemKind::Plan, &p.id) {
            pending.push(plan(conn, &mut ch, &mut ids, i, p).await?);
        }
    }
    // A national instance holds 100,000 activities: looked through only when one is written.
    if items.iter().any(|k| k.kind == ItemKind::Activity) {
        for (i, a) in set.activities.iter().enumerate() {
            if wanted(ItemKind::Activity, &a.id) {
                activity(conn, &mut ch, &ids, i, a).await?;
            }
        }
    }
    for (i, f) in set.follow_ups.iter().enumerate() {
        if wanted(ItemKind::FollowUp, &f.id) {
            follow_up(conn, &mut ch, &ids, i, f).await?;
        }
    }
    write_reports(conn, &mut ch, &mut ids, set, &reports).await?;
    for (i, x) in set.indicators.iter().enumerate() {
        if wanted(ItemKind::Indicator, &x.id) {
            upsert_row(conn, &mut ch, &INDICATOR, indicator_row(i, x)?).await?;
        }
    }
    prune_trees(conn, &mut ch, pending).await?;
    for kind in ItemKind::DATA.into_iter().rev() {
        for key in items.iter().filter(|k| k.kind == kind && !set.has_item(k)) {
            let done = if kind == ItemKind::Report {
                sqlx::query(
                    "DELETE FROM report WHERE follow_up_id = (SELECT id FROM follow_up WHERE slug = $1) \
                     AND activity_id = (SELECT id FROM activity WHERE slug = $2)",
                )
                .bind(key.scope.as_ref().map_or("", Slug::as_str))
                .bind(key.id.as_str())
                .execute(&mut *conn)
                .await?
            } else {
                sqlx::query(&format!("DELETE FROM {} WHERE slug = $1", table(kind)))
                    .bind(key.id.as_str())
                    .execute(&mut *conn)
                    .await?
            };
            ch.removed += done.rows_affected();
        }
    }
    Ok(ch)
}
