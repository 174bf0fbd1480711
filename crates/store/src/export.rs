//! Reading the whole database back as a [`DataSet`], in stored order.
//!
//! Each table is read once and grouped in memory, so the number of queries does not grow with
//! the size of the data set.

use std::collections::HashMap;

use rodtrad_domain::{self as d, GoalRef, MunicipalityCode, PartialDate, Period, Slug, Vocabulary};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// A value in the database that the domain refuses: only possible if the database was written
/// by something other than this program.
fn corrupt(table: &str, what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("{table}: stored {what} is not valid").into())
}

async fn rows(conn: &mut AnyConnection, sql: &str) -> sqlx::Result<Vec<AnyRow>> {
    sqlx::query(sql).fetch_all(&mut *conn).await
}

fn slug(row: &AnyRow, col: &str, table: &str) -> sqlx::Result<Slug> {
    Slug::parse(&row.try_get::<String, _>(col)?).map_err(|_| corrupt(table, col))
}

fn text(row: &AnyRow, col: &str) -> sqlx::Result<String> {
    row.try_get(col)
}

fn opt_text(row: &AnyRow, col: &str) -> sqlx::Result<Option<String>> {
    row.try_get(col)
}

fn opt_id(row: &AnyRow, col: &str) -> sqlx::Result<Option<i64>> {
    row.try_get(col)
}

fn id(row: &AnyRow, col: &str) -> sqlx::Result<i64> {
    row.try_get(col)
}

fn date(row: &AnyRow, col: &str, table: &str) -> sqlx::Result<Option<PartialDate>> {
    opt_text(row, col)?
        .map(|s| PartialDate::parse(&s).map_err(|_| corrupt(table, col)))
        .transpose()
}

fn vocab<V: Vocabulary>(row: &AnyRow, col: &str, table: &str) -> sqlx::Result<Option<V>> {
    opt_text(row, col)?
        .map(|s| V::parse(&s).map_err(|_| corrupt(table, col)))
        .transpose()
}

fn period(row: &AnyRow, table: &str) -> sqlx::Result<Period> {
    Ok(Period {
        start: date(row, "start_date", table)?,
        end: date(row, "end_date", table)?,
    })
}

/// Slugs by id, and lists grouped by their parent's id.
struct Slugs(HashMap<i64, Slug>);

impl Slugs {
    fn of(&self, id: Option<i64>) -> Option<Slug> {
        id.and_then(|i| self.0.get(&i).cloned())
    }
}

/// Rows of a link table `(parent, target)` as target slugs per parent, in stored order.
async fn link_lists(
    conn: &mut AnyConnection,
    sql: &str,
    targets: &Slugs,
) -> sqlx::Result<HashMap<i64, Vec<Slug>>> {
    let mut out: HashMap<i64, Vec<Slug>> = HashMap::new();
    for r in rows(conn, sql).await? {
        if let Some(s) = targets.of(Some(id(&r, "target")?)) {
            out.entry(id(&r, "parent")?).or_default().push(s);
        }
    }
    Ok(out)
}

pub async fn export(conn: &mut AnyConnection) -> sqlx::Result<d::DataSet> {
    let mut set = d::DataSet {
        name: rows(conn, "SELECT value FROM setting WHERE key = 'name'")
            .await?
            .first()
            .map(|r| text(r, "value"))
            .transpose()?
            .unwrap_or_default(),
        ..d::DataSet::default()
    };

    let org_rows = rows(conn, "SELECT id, slug, name, kind, municipality_code, parent_id FROM organisation ORDER BY position, id").await?;
    let mut orgs = HashMap::new();
    for r in &org_rows {
        orgs.insert(id(r, "id")?, slug(r, "slug", "organisation")?);
    }
    let orgs = Slugs(orgs);
    for r in &org_rows {
        set.organisations.push(d::Organisation {
            id: slug(r, "slug", "organisation")?,
            name: text(r, "name")?,
            kind: vocab(r, "kind", "organisation")?
                .ok_or_else(|| corrupt("organisation", "kind"))?,
            municipality_code: opt_text(r, "municipality_code")?
                .map(|c| {
                    MunicipalityCode::parse(&c)
                        .map_err(|_| corrupt("organisation", "municipality_code"))
                })
                .transpose()?,
            parent: orgs.of(opt_id(r, "parent_id")?),
        });
    }

    let mut perspectives = HashMap::new();
    for r in rows(
        conn,
        "SELECT id, slug, name FROM perspective ORDER BY position, id",
    )
    .await?
    {
        let s = slug(&r, "slug", "perspective")?;
        perspectives.insert(id(&r, "id")?, s.clone());
        set.perspectives.push(d::Perspective {
            id: s,
            name: text(&r, "name")?,
        });
    }
    let perspectives = Slugs(perspectives);

    set.strategies = strategies(conn, &orgs, &perspectives).await?;
    let (plans, nodes, plan_slugs) = plans(conn, &orgs, &perspectives).await?;
    set.plans = plans;
    set.activities = activities(conn, &orgs, &perspectives, &nodes)
        .await?
        .into_iter()
        .map(std::sync::Arc::new)
        .collect();
    set.follow_ups = follow_ups(conn, &orgs, &plan_slugs, &nodes).await?;
    set.reports = reports(conn, &orgs)
        .await?
        .into_iter()
        .map(std::sync::Arc::new)
        .collect();
    set.indicators = indicators(conn).await?;
    Ok(set)
}

/// Indicators, each kept whole as the model's JSON (migration 0009).
async fn indicators(conn: &mut AnyConnection) -> sqlx::Result<Vec<d::Indicator>> {
    rows(conn, "SELECT content FROM indicator ORDER BY position, id")
        .await?
        .iter()
        .map(|r| {
            serde_json::from_str(&text(r, "content")?).map_err(|_| corrupt("indicator", "content"))
        })
        .collect()
}

async fn strategies(
    conn: &mut AnyConnection,
    orgs: &Slugs,
    perspectives: &Slugs,
) -> sqlx::Result<Vec<d::Strategy>> {
    let strategy_perspectives = link_lists(conn, "SELECT strategy_id AS parent, perspective_id AS target FROM strategy_perspective ORDER BY position", perspectives).await?;
    let mut effect: HashMap<i64, Vec<d::EffectGoal>> = HashMap::new();
    for r in rows(
        conn,
        "SELECT overarching_goal_id, slug, title FROM effect_goal ORDER BY position, id",
    )
    .await?
    {
        effect
            .entry(id(&r, "overarching_goal_id")?)
            .or_default()
            .push(d::EffectGoal {
                id: slug(&r, "slug", "effect_goal")?,
                title: text(&r, "title")?,
            });
    }
    let mut goals: HashMap<i64, Vec<d::OverarchingGoal>> = HashMap::new();
    for r in rows(
        conn,
        "SELECT id, strategy_id, slug, title FROM overarching_goal ORDER BY position, id",
    )
    .await?
    {
        goals
            .entry(id(&r, "strategy_id")?)
            .or_default()
            .push(d::OverarchingGoal {
                id: slug(&r, "slug", "overarching_goal")?,
                title: text(&r, "title")?,
                effect_goals: effect.remove(&id(&r, "id")?).unwrap_or_default(),
            });
    }
    let mut area_slugs = HashMap::new();
    let mut areas: HashMap<i64, Vec<d::PriorityArea>> = HashMap::new();
    for r in rows(
        conn,
        "SELECT id, strategy_id, slug, title FROM priority_area ORDER BY position, id",
    )
    .await?
    {
        let s = slug(&r, "slug", "priority_area")?;
        area_slugs.insert(id(&r, "id")?, s.clone());
        areas
            .entry(id(&r, "strategy_id")?)
            .or_default()
            .push(d::PriorityArea {
                id: s,
                title: text(&r, "title")?,
            });
    }
    let area_slugs = Slugs(area_slugs);
    let mut states: HashMap<i64, Vec<d::DesiredState>> = HashMap::new();
    for r in rows(
        conn,
        "SELECT strategy_id, slug, priority_area_id, text FROM desired_state ORDER BY position, id",
    )
    .await?
    {
        states
            .entry(id(&r, "strategy_id")?)
            .or_default()
            .push(d::DesiredState {
                id: slug(&r, "slug", "desired_state")?,
                text: text(&r, "text")?,
                priority_area: area_slugs.of(opt_id(&r, "priority_area_id")?),
            });
    }
    let mut out = Vec::new();
    for r in rows(conn, "SELECT id, slug, title, vision, start_date, end_date, owner_id, adopted_by_id, adopted_on FROM strategy ORDER BY position, id").await? {
        let sid = id(&r, "id")?;
        out.push(d::Strategy {
            id: slug(&r, "slug", "strategy")?,
            title: text(&r, "title")?,
            vision: opt_text(&r, "vision")?,
            period: period(&r, "strategy")?,
            owner: orgs.of(opt_id(&r, "owner_id")?),
            adopted_by: orgs.of(opt_id(&r, "adopted_by_id")?),
            adopted_on: date(&r, "adopted_on", "strategy")?,
            perspectives: strategy_perspectives.get(&sid).cloned().unwrap_or_default(),
            overarching_goals: goals.remove(&sid).unwrap_or_default(),
            priority_areas: areas.remove(&sid).unwrap_or_default(),
            desired_states: states.remove(&sid).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Goal references by node id.
type NodeRefs = HashMap<i64, GoalRef>;

#[expect(
    clippy::too_many_lines,
    reason = "one line per column of the tables it maps; split up, the mapping would be harder to check"
)]
async fn plans(
    conn: &mut AnyConnection,
    orgs: &Slugs,
    perspectives: &Slugs,
) -> sqlx::Result<(Vec<d::Plan>, NodeRefs, Slugs)> {
    let effect_slugs = Slugs(
        rows(conn, "SELECT id, slug FROM effect_goal")
            .await?
            .iter()
            .map(|r| Ok((id(r, "id")?, slug(r, "slug", "effect_goal")?)))
            .collect::<sqlx::Result<_>>()?,
    );
    let area_slugs = Slugs(
        rows(conn, "SELECT id, slug FROM priority_area")
            .await?
            .iter()
            .map(|r| Ok((id(r, "id")?, slug(r, "slug", "priority_area")?)))
            .collect::<sqlx::Result<_>>()?,
    );
    let plan_effect = link_lists(conn, "SELECT plan_id AS parent, effect_goal_id AS target FROM plan_effect_goal ORDER BY position", &effect_slugs).await?;
    let plan_persp = link_lists(conn, "SELECT plan_id AS parent, perspective_id AS target FROM plan_perspective ORDER BY position", perspectives).await?;

    let mut directions: HashMap<i64, Vec<d::StrategicDirection>> = HashMap::new();
    for r in rows(
        conn,
        "SELECT plan_id, slug, title, description FROM strategic_direction ORDER BY position, id",
    )
    .await?
    {
        directions
            .entry(id(&r, "plan_id")?)
            .or_default()
            .push(d::StrategicDirection {
                id: slug(&r, "slug", "strategic_direction")?,
                title: text(&r, "title")?,
                description: opt_text(&r, "description")?,
            });
    }
    let mut risks: HashMap<i64, Vec<d::Risk>> = HashMap::new();
    for r in rows(
        conn,
        "SELECT plan_id, slug, description, mitigation FROM risk ORDER BY position, id",
    )
    .await?
    {
        risks.entry(id(&r, "plan_id")?).or_default().push(d::Risk {
            id: slug(&r, "slug", "risk")?,
            description: text(&r, "description")?,
            mitigation: opt_text(&r, "mitigation")?,
        });
    }
    let mut versions: HashMap<i64, Vec<d::PlanVersion>> = HashMap::new();
    for r in rows(conn, "SELECT plan_id, slug, title, version_date, decided_by_id, decided_on, note FROM plan_version ORDER BY position, id").await? {
        let on = date(&r, "decided_on", "plan_version")?;
        let decision = orgs.of(opt_id(&r, "decided_by_id")?).map(|body| d::Decision { body, date: on });
        versions.entry(id(&r, "plan_id")?).or_default().push(d::PlanVersion {
            id: slug(&r, "slug", "plan_version")?,
            title: text(&r, "title")?,
            date: date(&r, "version_date", "plan_version")?,
            decision,
            note: opt_text(&r, "note")?,
        });
    }
    let mut level_slugs = HashMap::new();
    let mut levels: HashMap<i64, Vec<d::GoalLevel>> = HashMap::new();
    for r in rows(
        conn,
        "SELECT id, plan_id, slug, name FROM goal_level ORDER BY position, id",
    )
    .await?
    {
        let s = slug(&r, "slug", "goal_level")?;
        level_slugs.insert(id(&r, "id")?, s.clone());
        levels
            .entry(id(&r, "plan_id")?)
            .or_default()
            .push(d::GoalLevel {
                id: s,
                name: text(&r, "name")?,
            });
    }
    let level_slugs = Slugs(level_slugs);

    let plan_rows = rows(conn, "SELECT id, slug, kind, title, start_date, end_date, owner_id, priority_area_id, summary FROM plan ORDER BY position, id").await?;
    let mut plan_slugs = HashMap::new();
    for r in &plan_rows {
        plan_slugs.insert(id(r, "id")?, slug(r, "slug", "plan")?);
    }
    let node_rows = rows(conn, "SELECT id, plan_id, slug, level_id, parent_id, number, title, description, intervention_level FROM goal_node ORDER BY position, id").await?;
    let mut refs = NodeRefs::new();
    for r in &node_rows {
        if let Some(plan) = plan_slugs.get(&id(r, "plan_id")?) {
            refs.insert(
                id(r, "id")?,
                GoalRef {
                    plan: plan.clone(),
                    node: slug(r, "slug", "goal_node")?,
                },
            );
        }
    }
    let mut nodes: HashMap<i64, Vec<d::GoalNode>> = HashMap::new();
    for r in &node_rows {
        nodes
            .entry(id(r, "plan_id")?)
            .or_default()
            .push(d::GoalNode {
                id: slug(r, "slug", "goal_node")?,
                level: level_slugs
                    .of(Some(id(r, "level_id")?))
                    .ok_or_else(|| corrupt("goal_node", "level_id"))?,
                parent: opt_id(r, "parent_id")?
                    .and_then(|p| refs.get(&p))
                    .map(|g| g.node.clone()),
                number: opt_text(r, "number")?,
                title: text(r, "title")?,
                description: opt_text(r, "description")?,
                intervention_level: vocab(r, "intervention_level", "goal_node")?,
            });
    }
    let mut out = Vec::new();
    for r in &plan_rows {
        let pid = id(r, "id")?;
        out.push(d::Plan {
            id: slug(r, "slug", "plan")?,
            title: text(r, "title")?,
            kind: vocab(r, "kind", "plan")?.ok_or_else(|| corrupt("plan", "kind"))?,
            period: period(r, "plan")?,
            owner: orgs.of(opt_id(r, "owner_id")?),
            priority_area: area_slugs.of(opt_id(r, "priority_area_id")?),
            effect_goals: plan_effect.get(&pid).cloned().unwrap_or_default(),
            perspectives: plan_persp.get(&pid).cloned().unwrap_or_default(),
            summary: opt_text(r, "summary")?,
            strategic_directions: directions.remove(&pid).unwrap_or_default(),
            risks: risks.remove(&pid).unwrap_or_default(),
            versions: versions.remove(&pid).unwrap_or_default(),
            levels: levels.remove(&pid).unwrap_or_default(),
            nodes: nodes.remove(&pid).unwrap_or_default(),
        });
    }
    Ok((out, refs, Slugs(plan_slugs)))
}

async fn activities(
    conn: &mut AnyConnection,
    orgs: &Slugs,
    perspectives: &Slugs,
    nodes: &NodeRefs,
) -> sqlx::Result<Vec<d::Activity>> {
    let partners = link_lists(conn, "SELECT activity_id AS parent, organisation_id AS target FROM activity_partner ORDER BY position", orgs).await?;
    let persp = link_lists(conn, "SELECT activity_id AS parent, perspective_id AS target FROM activity_perspective ORDER BY position", perspectives).await?;
    let mut groups: HashMap<i64, Vec<String>> = HashMap::new();
    for r in rows(
        conn,
        "SELECT activity_id, name FROM activity_target_group ORDER BY position",
    )
    .await?
    {
        groups
            .entry(id(&r, "activity_id")?)
            .or_default()
            .push(text(&r, "name")?);
    }
    let mut funding: HashMap<i64, Vec<d::Funding>> = HashMap::new();
    for r in rows(
        conn,
        "SELECT activity_id, funder_id, description FROM activity_funding ORDER BY position",
    )
    .await?
    {
        funding
            .entry(id(&r, "activity_id")?)
            .or_default()
            .push(d::Funding {
                funder: orgs.of(opt_id(&r, "funder_id")?),
                description: opt_text(&r, "description")?,
            });
    }
    let mut serves = goal_links(conn, nodes, "activity_goal").await?;
    let mut proposed = goal_links(conn, nodes, "activity_proposal").await?;
    let mut out = Vec::new();
    for r in rows(conn, "SELECT id, slug, title, narrative, responsible_unit_id, lead_id, start_date, end_date, status, status_reason, intervention_level FROM activity ORDER BY position, id").await? {
        let aid = id(&r, "id")?;
        out.push(d::Activity {
            id: slug(&r, "slug", "activity")?,
            title: text(&r, "title")?,
            narrative: opt_text(&r, "narrative")?,
            responsible_unit: orgs.of(opt_id(&r, "responsible_unit_id")?),
            lead: orgs.of(opt_id(&r, "lead_id")?),
            partners: partners.get(&aid).cloned().unwrap_or_default(),
            period: period(&r, "activity")?,
            status: vocab(&r, "status", "activity")?,
            status_reason: opt_text(&r, "status_reason")?,
            intervention_level: vocab(&r, "intervention_level", "activity")?,
            perspectives: persp.get(&aid).cloned().unwrap_or_default(),
            target_groups: groups.remove(&aid).unwrap_or_default(),
            funding: funding.remove(&aid).unwrap_or_default(),
            serves: serves.remove(&aid).unwrap_or_default(),
            proposed: proposed.remove(&aid).unwrap_or_default(),
        });
    }
    Ok(out)
}

/// Each activity's links to goals in `table` (served or proposed), in order.
async fn goal_links(
    conn: &mut AnyConnection,
    nodes: &NodeRefs,
    table: &str,
) -> sqlx::Result<HashMap<i64, Vec<GoalRef>>> {
    let mut out: HashMap<i64, Vec<GoalRef>> = HashMap::new();
    let sql = format!("SELECT activity_id, goal_node_id FROM {table} ORDER BY position");
    for r in rows(conn, &sql).await? {
        if let Some(g) = nodes.get(&id(&r, "goal_node_id")?) {
            out.entry(id(&r, "activity_id")?)
                .or_default()
                .push(g.clone());
        }
    }
    Ok(out)
}

async fn follow_ups(
    conn: &mut AnyConnection,
    orgs: &Slugs,
    plans: &Slugs,
    nodes: &NodeRefs,
) -> sqlx::Result<Vec<d::FollowUp>> {
    let followed = link_lists(
        conn,
        "SELECT follow_up_id AS parent, plan_id AS target FROM follow_up_plan ORDER BY position",
        plans,
    )
    .await?;
    let mut sections: HashMap<i64, Vec<d::FollowUpSection>> = HashMap::new();
    for r in rows(
        conn,
        "SELECT follow_up_id, goal_node_id, narrative FROM follow_up_section ORDER BY position",
    )
    .await?
    {
        let node = nodes
            .get(&id(&r, "goal_node_id")?)
            .cloned()
            .ok_or_else(|| corrupt("follow_up_section", "goal_node_id"))?;
        sections
            .entry(id(&r, "follow_up_id")?)
            .or_default()
            .push(d::FollowUpSection {
                node,
                narrative: text(&r, "narrative")?,
            });
    }
    let mut out = Vec::new();
    for r in rows(conn, "SELECT id, slug, title, report_date, author_id, signed_by, structure_plan_id, introduction, period_start, period_end, opens, deadline, state, closed FROM follow_up ORDER BY position, id").await? {
        let fid = id(&r, "id")?;
        out.push(d::FollowUp {
            id: slug(&r, "slug", "follow_up")?,
            title: text(&r, "title")?,
            date: date(&r, "report_date", "follow_up")?,
            author: orgs.of(opt_id(&r, "author_id")?),
            signed_by: opt_text(&r, "signed_by")?,
            plans: followed.get(&fid).cloned().unwrap_or_default(),
            structure: plans.of(opt_id(&r, "structure_plan_id")?),
            introduction: opt_text(&r, "introduction")?,
            sections: sections.remove(&fid).unwrap_or_default(),
            period: d::Period {
                start: date(&r, "period_start", "follow_up")?,
                end: date(&r, "period_end", "follow_up")?,
            },
            opens: date(&r, "opens", "follow_up")?,
            deadline: date(&r, "deadline", "follow_up")?,
            state: vocab(&r, "state", "follow_up")?
                .ok_or_else(|| corrupt("follow_up", "state"))?,
            closed: date(&r, "closed", "follow_up")?,
        });
    }
    Ok(out)
}

/// Every report, in stored order, with the slugs of its round and activity.
async fn reports(conn: &mut AnyConnection, orgs: &Slugs) -> sqlx::Result<Vec<d::Report>> {
    let mut partners: HashMap<i64, Vec<d::PartnerPart>> = HashMap::new();
    for r in rows(
        conn,
        "SELECT report_id, organisation_id, text FROM report_partner ORDER BY report_id, position",
    )
    .await?
    {
        partners
            .entry(id(&r, "report_id")?)
            .or_default()
            .push(d::PartnerPart {
                organisation: orgs
                    .of(Some(id(&r, "organisation_id")?))
                    .ok_or_else(|| corrupt("report_partner", "organisation_id"))?,
                text: text(&r, "text")?,
            });
    }
    let mut out = Vec::new();
    for r in rows(
        conn,
        "SELECT r.id, f.slug AS round, a.slug AS activity, r.state, r.status, r.done, r.results, \
         r.next_steps, r.obstacles, r.worked_start, r.worked_end, r.comment \
         FROM report r JOIN follow_up f ON f.id = r.follow_up_id \
         JOIN activity a ON a.id = r.activity_id ORDER BY r.position, r.id",
    )
    .await?
    {
        let rid = id(&r, "id")?;
        out.push(d::Report {
            round: slug(&r, "round", "report")?,
            activity: slug(&r, "activity", "report")?,
            state: vocab(&r, "state", "report")?.ok_or_else(|| corrupt("report", "state"))?,
            status: vocab(&r, "status", "report")?,
            done: opt_text(&r, "done")?,
            results: opt_text(&r, "results")?,
            next_steps: opt_text(&r, "next_steps")?,
            obstacles: opt_text(&r, "obstacles")?,
            worked: d::Period {
                start: date(&r, "worked_start", "report")?,
                end: date(&r, "worked_end", "report")?,
            },
            partner_parts: partners.remove(&rid).unwrap_or_default(),
            comment: opt_text(&r, "comment")?,
        });
    }
    Ok(out)
}
