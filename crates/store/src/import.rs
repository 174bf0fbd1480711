//! Writing a checked [`DataSet`] into the database, in one transaction.
//!
//! Identity is the slug: an entity already stored under its slug is updated in place (only if
//! a value differs), a new one is created, and the parts an imported entity no longer has (a
//! removed sub-goal, a dropped partner) are deleted. Entities absent from the data set are left
//! alone. Importing the same data set twice therefore writes nothing the second time.

use std::collections::HashMap;

use rodtrad_domain::{self as d, ItemKey, ItemKind, PartialDate, Slug, Vocabulary};
use sqlx::{AnyConnection, Row};

use crate::sql::{Changes, Val, prune, upsert, upsert_link};

fn pos(i: usize) -> Val {
    Val::from(i64::try_from(i).unwrap_or(i64::MAX))
}

fn date(d: Option<PartialDate>) -> Val {
    Val::from(d.map(|d| d.to_string()))
}

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
}

impl Ids {
    fn org(&self, s: Option<&Slug>) -> Val {
        Val::from(s.and_then(|s| self.organisations.get(s).copied()))
    }
}

/// The goal-tree parts whose removal must wait until activities and follow-ups no longer point
/// at them.
struct PendingPrune {
    plan_id: i64,
    nodes: Vec<i64>,
    levels: Vec<i64>,
}

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
    organisations(conn, &mut ch, &mut ids, &orgs).await?;
    for (i, p) in set.perspectives.iter().enumerate() {
        perspective(conn, &mut ch, &mut ids, i, p).await?;
    }
    for (i, s) in set.strategies.iter().enumerate() {
        strategy(conn, &mut ch, &mut ids, i, s).await?;
    }
    let mut pending = Vec::new();
    for (i, p) in set.plans.iter().enumerate() {
        pending.push(plan(conn, &mut ch, &mut ids, i, p).await?);
    }
    for (i, a) in set.activities.iter().enumerate() {
        activity(conn, &mut ch, &ids, i, a).await?;
    }
    for (i, f) in set.follow_ups.iter().enumerate() {
        follow_up(conn, &mut ch, &ids, i, f).await?;
    }
    prune_trees(conn, &mut ch, pending).await?;
    Ok(ch)
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
    // Parents first, so that each parent has its id when its children are written; the checked
    // data set has no loops. `orgs` are (position, organisation).
    let mut order: Vec<usize> = (0..orgs.len()).collect();
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
    order.sort_by_key(|&k| depth(k));
    for k in order {
        let (i, o) = orgs[k];
        let id = upsert(
            conn,
            ch,
            "organisation",
            &[("slug", o.id.as_str().into())],
            &[
                ("name", o.name.as_str().into()),
                ("kind", o.kind.code().into()),
                (
                    "municipality_code",
                    Val::from(
                        o.municipality_code
                            .as_ref()
                            .map(rodtrad_domain::MunicipalityCode::as_str),
                    ),
                ),
                ("parent_id", ids.org(o.parent.as_ref())),
                ("position", pos(i)),
            ],
        )
        .await?;
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
    let id = upsert(
        conn,
        ch,
        "perspective",
        &[("slug", p.id.as_str().into())],
        &[("name", p.name.as_str().into()), ("position", pos(i))],
    )
    .await?;
    ids.perspectives.insert(p.id.clone(), id);
    Ok(())
}

/// Links from `parent` to the ids of `targets`, in their order, replacing the old ones.
async fn links(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    table: &str,
    parent_col: &str,
    parent: i64,
    col: &str,
    targets: &[i64],
) -> sqlx::Result<()> {
    for (i, t) in targets.iter().enumerate() {
        upsert_link(
            conn,
            ch,
            table,
            &[(parent_col, parent.into()), (col, (*t).into())],
            &[("position", pos(i))],
        )
        .await?;
    }
    prune(conn, ch, table, parent_col, parent, col, targets).await
}

fn resolve(map: &HashMap<Slug, i64>, slugs: &[Slug]) -> Vec<i64> {
    slugs.iter().filter_map(|s| map.get(s).copied()).collect()
}

#[expect(
    clippy::too_many_lines,
    reason = "one line per column of the tables it maps; split up, the mapping would be harder to check"
)]
async fn strategy(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    ids: &mut Ids,
    i: usize,
    s: &d::Strategy,
) -> sqlx::Result<()> {
    let sid = upsert(
        conn,
        ch,
        "strategy",
        &[("slug", s.id.as_str().into())],
        &[
            ("title", s.title.as_str().into()),
            ("vision", Val::from(s.vision.clone())),
            ("start_date", date(s.period.start)),
            ("end_date", date(s.period.end)),
            ("owner_id", ids.org(s.owner.as_ref())),
            ("adopted_by_id", ids.org(s.adopted_by.as_ref())),
            ("adopted_on", date(s.adopted_on)),
            ("position", pos(i)),
        ],
    )
    .await?;
    let perspectives = resolve(&ids.perspectives, &s.perspectives);
    links(
        conn,
        ch,
        "strategy_perspective",
        "strategy_id",
        sid,
        "perspective_id",
        &perspectives,
    )
    .await?;
    let mut goal_ids = Vec::new();
    for (gi, g) in s.overarching_goals.iter().enumerate() {
        let gid = upsert(
            conn,
            ch,
            "overarching_goal",
            &[("slug", g.id.as_str().into())],
            &[
                ("strategy_id", sid.into()),
                ("title", g.title.as_str().into()),
                ("position", pos(gi)),
            ],
        )
        .await?;
        goal_ids.push(gid);
        let mut effect_ids = Vec::new();
        for (ei, e) in g.effect_goals.iter().enumerate() {
            let eid = upsert(
                conn,
                ch,
                "effect_goal",
                &[("slug", e.id.as_str().into())],
                &[
                    ("overarching_goal_id", gid.into()),
                    ("title", e.title.as_str().into()),
                    ("position", pos(ei)),
                ],
            )
            .await?;
            ids.effect_goals.insert(e.id.clone(), eid);
            effect_ids.push(eid);
        }
        prune(
            conn,
            ch,
            "effect_goal",
            "overarching_goal_id",
            gid,
            "id",
            &effect_ids,
        )
        .await?;
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
        let aid = upsert(
            conn,
            ch,
            "priority_area",
            &[("slug", a.id.as_str().into())],
            &[
                ("strategy_id", sid.into()),
                ("title", a.title.as_str().into()),
                ("position", pos(ai)),
            ],
        )
        .await?;
        ids.priority_areas.insert(a.id.clone(), aid);
        area_ids.push(aid);
    }
    let mut state_ids = Vec::new();
    for (di, x) in s.desired_states.iter().enumerate() {
        let area = x
            .priority_area
            .as_ref()
            .and_then(|a| ids.priority_areas.get(a).copied());
        state_ids.push(
            upsert(
                conn,
                ch,
                "desired_state",
                &[("slug", x.id.as_str().into())],
                &[
                    ("strategy_id", sid.into()),
                    ("priority_area_id", Val::from(area)),
                    ("text", x.text.as_str().into()),
                    ("position", pos(di)),
                ],
            )
            .await?,
        );
    }
    prune(
        conn,
        ch,
        "desired_state",
        "strategy_id",
        sid,
        "id",
        &state_ids,
    )
    .await?;
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

#[expect(
    clippy::too_many_lines,
    reason = "one line per column of the tables it maps; split up, the mapping would be harder to check"
)]
async fn plan(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    ids: &mut Ids,
    i: usize,
    p: &d::Plan,
) -> sqlx::Result<PendingPrune> {
    let area = p
        .priority_area
        .as_ref()
        .and_then(|a| ids.priority_areas.get(a).copied());
    let pid = upsert(
        conn,
        ch,
        "plan",
        &[("slug", p.id.as_str().into())],
        &[
            ("kind", p.kind.code().into()),
            ("title", p.title.as_str().into()),
            ("start_date", date(p.period.start)),
            ("end_date", date(p.period.end)),
            ("owner_id", ids.org(p.owner.as_ref())),
            ("priority_area_id", Val::from(area)),
            ("summary", Val::from(p.summary.clone())),
            ("position", pos(i)),
        ],
    )
    .await?;
    ids.plans.insert(p.id.clone(), pid);
    let effect_goals = resolve(&ids.effect_goals, &p.effect_goals);
    links(
        conn,
        ch,
        "plan_effect_goal",
        "plan_id",
        pid,
        "effect_goal_id",
        &effect_goals,
    )
    .await?;
    let perspectives = resolve(&ids.perspectives, &p.perspectives);
    links(
        conn,
        ch,
        "plan_perspective",
        "plan_id",
        pid,
        "perspective_id",
        &perspectives,
    )
    .await?;
    let key = |slug: &Slug| [("plan_id", Val::from(pid)), ("slug", slug.as_str().into())];

    let mut kept = Vec::new();
    for (j, x) in p.strategic_directions.iter().enumerate() {
        kept.push(
            upsert(
                conn,
                ch,
                "strategic_direction",
                &key(&x.id),
                &[
                    ("title", x.title.as_str().into()),
                    ("description", Val::from(x.description.clone())),
                    ("position", pos(j)),
                ],
            )
            .await?,
        );
    }
    prune(conn, ch, "strategic_direction", "plan_id", pid, "id", &kept).await?;

    let mut kept = Vec::new();
    for (j, x) in p.risks.iter().enumerate() {
        kept.push(
            upsert(
                conn,
                ch,
                "risk",
                &key(&x.id),
                &[
                    ("description", x.description.as_str().into()),
                    ("mitigation", Val::from(x.mitigation.clone())),
                    ("position", pos(j)),
                ],
            )
            .await?,
        );
    }
    prune(conn, ch, "risk", "plan_id", pid, "id", &kept).await?;

    let mut kept = Vec::new();
    for (j, v) in p.versions.iter().enumerate() {
        kept.push(
            upsert(
                conn,
                ch,
                "plan_version",
                &key(&v.id),
                &[
                    ("title", v.title.as_str().into()),
                    ("version_date", date(v.date)),
                    (
                        "decided_by_id",
                        ids.org(v.decision.as_ref().map(|x| &x.body)),
                    ),
                    ("decided_on", date(v.decision.as_ref().and_then(|x| x.date))),
                    ("note", Val::from(v.note.clone())),
                    ("position", pos(j)),
                ],
            )
            .await?,
        );
    }
    prune(conn, ch, "plan_version", "plan_id", pid, "id", &kept).await?;

    let mut level_ids = HashMap::new();
    for (j, l) in p.levels.iter().enumerate() {
        let lid = upsert(
            conn,
            ch,
            "goal_level",
            &key(&l.id),
            &[("name", l.name.as_str().into()), ("position", pos(j))],
        )
        .await?;
        level_ids.insert(&l.id, lid);
    }
    // Parents before children: a node's depth is its level's index, checked on reading.
    let depth: HashMap<&Slug, usize> = p
        .levels
        .iter()
        .enumerate()
        .map(|(j, l)| (&l.id, j))
        .collect();
    let mut order: Vec<usize> = (0..p.nodes.len()).collect();
    order.sort_by_key(|&j| depth.get(&p.nodes[j].level).copied().unwrap_or(usize::MAX));
    let mut node_ids = Vec::new();
    for j in order {
        let n = &p.nodes[j];
        let parent = n
            .parent
            .as_ref()
            .and_then(|s| ids.nodes.get(&(p.id.clone(), s.clone())).copied());
        let nid = upsert(
            conn,
            ch,
            "goal_node",
            &key(&n.id),
            &[
                ("level_id", Val::from(level_ids.get(&n.level).copied())),
                ("parent_id", Val::from(parent)),
                ("number", Val::from(n.number.clone())),
                ("title", n.title.as_str().into()),
                ("description", Val::from(n.description.clone())),
                (
                    "intervention_level",
                    Val::from(n.intervention_level.map(rodtrad_domain::Vocabulary::code)),
                ),
                ("position", pos(j)),
            ],
        )
        .await?;
        ids.nodes.insert((p.id.clone(), n.id.clone()), nid);
        node_ids.push(nid);
    }
    Ok(PendingPrune {
        plan_id: pid,
        nodes: node_ids,
        levels: level_ids.into_values().collect(),
    })
}

#[expect(
    clippy::too_many_lines,
    reason = "one line per column of the tables it maps; split up, the mapping would be harder to check"
)]
async fn activity(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    ids: &Ids,
    i: usize,
    a: &d::Activity,
) -> sqlx::Result<()> {
    let aid = upsert(
        conn,
        ch,
        "activity",
        &[("slug", a.id.as_str().into())],
        &[
            ("title", a.title.as_str().into()),
            ("narrative", Val::from(a.narrative.clone())),
            ("responsible_unit_id", ids.org(a.responsible_unit.as_ref())),
            ("lead_id", ids.org(a.lead.as_ref())),
            ("start_date", date(a.period.start)),
            ("end_date", date(a.period.end)),
            (
                "status",
                Val::from(a.status.map(rodtrad_domain::Vocabulary::code)),
            ),
            ("status_reason", Val::from(a.status_reason.clone())),
            (
                "intervention_level",
                Val::from(a.intervention_level.map(rodtrad_domain::Vocabulary::code)),
            ),
            ("position", pos(i)),
        ],
    )
    .await?;
    let partners = resolve(&ids.organisations, &a.partners);
    links(
        conn,
        ch,
        "activity_partner",
        "activity_id",
        aid,
        "organisation_id",
        &partners,
    )
    .await?;
    let perspectives = resolve(&ids.perspectives, &a.perspectives);
    links(
        conn,
        ch,
        "activity_perspective",
        "activity_id",
        aid,
        "perspective_id",
        &perspectives,
    )
    .await?;
    let goals: Vec<i64> = a
        .serves
        .iter()
        .filter_map(|g| ids.nodes.get(&(g.plan.clone(), g.node.clone())).copied())
        .collect();
    links(
        conn,
        ch,
        "activity_goal",
        "activity_id",
        aid,
        "goal_node_id",
        &goals,
    )
    .await?;
    let mut kept = Vec::new();
    for (j, t) in a.target_groups.iter().enumerate() {
        upsert_link(
            conn,
            ch,
            "activity_target_group",
            &[("activity_id", aid.into()), ("position", pos(j))],
            &[("name", t.as_str().into())],
        )
        .await?;
        kept.push(i64::try_from(j).unwrap_or(i64::MAX));
    }
    prune(
        conn,
        ch,
        "activity_target_group",
        "activity_id",
        aid,
        "position",
        &kept,
    )
    .await?;
    let mut kept = Vec::new();
    for (j, f) in a.funding.iter().enumerate() {
        upsert_link(
            conn,
            ch,
            "activity_funding",
            &[("activity_id", aid.into()), ("position", pos(j))],
            &[
                ("funder_id", ids.org(f.funder.as_ref())),
                ("description", Val::from(f.description.clone())),
            ],
        )
        .await?;
        kept.push(i64::try_from(j).unwrap_or(i64::MAX));
    }
    prune(
        conn,
        ch,
        "activity_funding",
        "activity_id",
        aid,
        "position",
        &kept,
    )
    .await
}

async fn follow_up(
    conn: &mut AnyConnection,
    ch: &mut Changes,
    ids: &Ids,
    i: usize,
    f: &d::FollowUp,
) -> sqlx::Result<()> {
    let structure = f.structure.as_ref().and_then(|s| ids.plans.get(s).copied());
    let fid = upsert(
        conn,
        ch,
        "follow_up",
        &[("slug", f.id.as_str().into())],
        &[
            ("title", f.title.as_str().into()),
            ("report_date", date(f.date)),
            ("author_id", ids.org(f.author.as_ref())),
            ("signed_by", Val::from(f.signed_by.clone())),
            ("structure_plan_id", Val::from(structure)),
            ("introduction", Val::from(f.introduction.clone())),
            ("position", pos(i)),
        ],
    )
    .await?;
    let plans = resolve(&ids.plans, &f.plans);
    links(
        conn,
        ch,
        "follow_up_plan",
        "follow_up_id",
        fid,
        "plan_id",
        &plans,
    )
    .await?;
    let mut kept = Vec::new();
    for (j, s) in f.sections.iter().enumerate() {
        let node = ids
            .nodes
            .get(&(s.node.plan.clone(), s.node.node.clone()))
            .copied();
        upsert_link(
            conn,
            ch,
            "follow_up_section",
            &[("follow_up_id", fid.into()), ("position", pos(j))],
            &[
                ("goal_node_id", Val::from(node)),
                ("narrative", s.narrative.as_str().into()),
            ],
        )
        .await?;
        kept.push(i64::try_from(j).unwrap_or(i64::MAX));
    }
    prune(
        conn,
        ch,
        "follow_up_section",
        "follow_up_id",
        fid,
        "position",
        &kept,
    )
    .await
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
    /// The ids of everything stored, for writing some items of a data set and not others.
    async fn stored(conn: &mut AnyConnection) -> sqlx::Result<Ids> {
        let mut nodes = HashMap::new();
        let rows = sqlx::query(
            "SELECT p.slug, n.slug, n.id FROM goal_node n JOIN plan p ON p.id = n.plan_id",
        )
        .fetch_all(&mut *conn)
        .await?;
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
    let mut ids = Ids::stored(conn).await?;
    let wanted = |kind: ItemKind, id: &Slug| items.iter().any(|k| k.kind == kind && &k.id == id);
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
    for (i, a) in set.activities.iter().enumerate() {
        if wanted(ItemKind::Activity, &a.id) {
            activity(conn, &mut ch, &ids, i, a).await?;
        }
    }
    for (i, f) in set.follow_ups.iter().enumerate() {
        if wanted(ItemKind::FollowUp, &f.id) {
            follow_up(conn, &mut ch, &ids, i, f).await?;
        }
    }
    prune_trees(conn, &mut ch, pending).await?;
    for kind in ItemKind::DATA.into_iter().rev() {
        for key in items.iter().filter(|k| k.kind == kind && !set.has_item(k)) {
            let done = sqlx::query(&format!("DELETE FROM {} WHERE slug = $1", table(kind)))
                .bind(key.id.as_str())
                .execute(&mut *conn)
                .await?;
            ch.removed += done.rows_affected();
        }
    }
    Ok(ch)
}
