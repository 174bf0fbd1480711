//! Checking an edit by the exchange format's rules, at the cost of what it touches.
//!
//! What is stored must always export as a valid data set, so an edit is checked by the very
//! rules (and messages) of the format. Checking the whole data set for every save would cost a
//! national instance seconds, so only a part is written and read back: the items the edit
//! changes, the items that refer to them (what could be left pointing at nothing), and the small
//! registers everything refers to (organisations, perspectives, strategies). References from
//! that part into the rest of the data set, and ids that must be unique across it, are judged
//! against the working read model ([`Rest`]), which holds the rest unchanged by the edit. An
//! item already broken in the database but untouched by the edit is not read, so it never
//! blocks anyone else's save.

use std::collections::HashSet;
use std::sync::Arc;

use rodtrad_domain::{Action, DataSet, GoalRef, ItemChange, ItemKey, ItemKind, Slug};
use rodtrad_format::{EntityKind, Known};

use crate::edit::Problems;
use crate::model::ReadModel;
use crate::session::Viewer;

/// The problems the exchange format's rules find in `after`, the working data set with an edit
/// made to it, looking only at what the edit's `changes` touch; said in the viewer's language.
pub fn check_edit(
    working: &ReadModel,
    after: &DataSet,
    changes: &[ItemChange],
    viewer: &Viewer,
) -> Problems {
    let part = Part::of(working, changes);
    let rest = Rest {
        working,
        part: &part,
    };
    let mut problems = Problems::default();
    if let Err(diagnostics) =
        rodtrad_format::parse_part(rodtrad_format::write(&part.set(working, after)), &rest)
    {
        for d in diagnostics {
            problems.general.push(d.message(viewer.lang));
        }
    }
    problems
}

/// The items a check reads, by kind: those changed and those referring to them.
#[derive(Debug, Default)]
struct Part {
    plans: HashSet<Slug>,
    activities: HashSet<Slug>,
    follow_ups: HashSet<Slug>,
    reports: HashSet<ItemKey>,
    indicators: HashSet<Slug>,
}

impl Part {
    fn of(working: &ReadModel, changes: &[ItemChange]) -> Self {
        let mut part = Part::default();
        let set = &working.set;
        for c in changes {
            let id = &c.item.id;
            match c.item.kind {
                ItemKind::Activity => {
                    part.activities.insert(id.clone());
                    if c.action == Action::Removed {
                        part.reports
                            .extend(reports_naming(set, |r| &r.activity == id));
                    }
                }
                ItemKind::FollowUp => {
                    part.follow_ups.insert(id.clone());
                    if c.action == Action::Removed {
                        part.reports.extend(reports_naming(set, |r| &r.round == id));
                    }
                }
                ItemKind::Report => {
                    part.reports.insert(c.item.clone());
                }
                ItemKind::Indicator => {
                    part.indicators.insert(id.clone());
                }
                ItemKind::Plan => {
                    part.plans.insert(id.clone());
                    // What serves its goals, as they were, and reports on it.
                    if let Some(plan) = working.plan(id.as_str()) {
                        for n in &plan.nodes {
                            let goal = GoalRef {
                                plan: id.clone(),
                                node: n.id.clone(),
                            };
                            part.activities
                                .extend(working.serving(&goal).map(|a| a.id.clone()));
                        }
                    }
                    // What measures its goals: checked against the goals as they are now.
                    part.indicators.extend(
                        set.indicators
                            .iter()
                            .filter(|x| x.measures.iter().any(|m| &m.goal.plan == id))
                            .map(|x| x.id.clone()),
                    );
                    part.follow_ups.extend(
                        set.follow_ups
                            .iter()
                            .filter(|f| {
                                f.plans.contains(id)
                                    || f.structure.as_ref() == Some(id)
                                    || f.sections.iter().any(|s| &s.node.plan == id)
                            })
                            .map(|f| f.id.clone()),
                    );
                }
                // Rare edits of what much refers to: every plan and report is read, and the
                // activities that name it.
                ItemKind::Organisation | ItemKind::Perspective | ItemKind::Strategy => {
                    part.plans.extend(set.plans.iter().map(|p| p.id.clone()));
                    part.follow_ups
                        .extend(set.follow_ups.iter().map(|f| f.id.clone()));
                    part.activities.extend(
                        set.activities
                            .iter()
                            .filter(|a| names(a, id))
                            .map(|a| a.id.clone()),
                    );
                }
                ItemKind::Account => {}
            }
        }
        part
    }

    /// The part of `after` to check: the registers whole, the items of the part as edited.
    /// The part's activities are found where the working model has them (an edit moves none
    /// but those it adds or removes), not by a look at every activity.
    fn set(&self, working: &ReadModel, after: &DataSet) -> DataSet {
        let mut activities: Vec<(usize, Arc<rodtrad_domain::Activity>)> = self
            .activities
            .iter()
            .filter_map(|id| {
                let at = working
                    .activity_index(id)
                    .filter(|&i| after.activities.get(i).is_some_and(|a| &a.id == id))
                    .or_else(|| after.activities.iter().position(|a| &a.id == id))?;
                Some((at, Arc::clone(&after.activities[at])))
            })
            .collect();
        activities.sort_by_key(|(i, _)| *i);
        DataSet {
            name: after.name.clone(),
            organisations: after.organisations.clone(),
            perspectives: after.perspectives.clone(),
            strategies: after.strategies.clone(),
            plans: after
                .plans
                .iter()
                .filter(|p| self.plans.contains(&p.id))
                .cloned()
                .collect(),
            activities: activities.into_iter().map(|(_, a)| a).collect(),
            follow_ups: after
                .follow_ups
                .iter()
                .filter(|f| self.follow_ups.contains(&f.id))
                .cloned()
                .collect(),
            reports: self.reports(working, after),
            indicators: after
                .indicators
                .iter()
                .filter(|x| self.indicators.contains(&x.id))
                .cloned()
                .collect(),
        }
    }
}

impl Part {
    /// The part's reports as edited, in the order of the data set: found where the working
    /// model has them, or (new ones) from the end of the list, where they were put.
    fn reports(
        &self,
        working: &ReadModel,
        after: &DataSet,
    ) -> rodtrad_domain::Shared<rodtrad_domain::Report> {
        let same = |r: &rodtrad_domain::Report, k: &ItemKey| {
            r.activity == k.id && Some(&r.round) == k.scope.as_ref()
        };
        let mut found: Vec<(usize, Arc<rodtrad_domain::Report>)> = self
            .reports
            .iter()
            .filter_map(|k| {
                let at = working
                    .report_index(k)
                    .filter(|&i| after.reports.get(i).is_some_and(|r| same(r, k)))
                    .or_else(|| after.reports.iter().rposition(|r| same(r, k)))?;
                Some((at, Arc::clone(&after.reports[at])))
            })
            .collect();
        found.sort_by_key(|(i, _)| *i);
        found.into_iter().map(|(_, r)| r).collect()
    }
}

/// The keys of the reports `names` picks: what a removal of their round or activity leaves
/// pointing at nothing.
fn reports_naming(set: &DataSet, names: impl Fn(&rodtrad_domain::Report) -> bool) -> Vec<ItemKey> {
    set.reports
        .iter()
        .filter(|r| names(r))
        .map(|r| ItemKey::report(&r.round, &r.activity))
        .collect()
}

/// Whether an activity names an organisation or perspective.
fn names(a: &rodtrad_domain::Activity, id: &Slug) -> bool {
    a.lead.as_ref() == Some(id)
        || a.responsible_unit.as_ref() == Some(id)
        || a.partners.contains(id)
        || a.perspectives.contains(id)
        || a.funding.iter().any(|f| f.funder.as_ref() == Some(id))
}

/// The rest of the data set: the working model without the items of the part, which the edit
/// leaves as they are.
struct Rest<'a> {
    working: &'a ReadModel,
    part: &'a Part,
}

impl Known for Rest<'_> {
    fn has(&self, kind: EntityKind, scope: Option<&str>, id: &str) -> bool {
        use EntityKind as K;
        let Ok(slug) = Slug::parse(id) else {
            return false;
        };
        let plan = |p: &str| {
            Slug::parse(p)
                .ok()
                .filter(|p| !self.part.plans.contains(p))
                .and_then(|p| self.working.plan(p.as_str()))
        };
        match kind {
            K::Activity => {
                !self.part.activities.contains(&slug) && self.working.activity(id).is_some()
            }
            K::FollowUp => {
                !self.part.follow_ups.contains(&slug)
                    && self.working.set.follow_ups.iter().any(|f| f.id == slug)
            }
            K::Report => scope
                .and_then(|s| Slug::parse(s).ok())
                .is_some_and(|round| {
                    let key = ItemKey::report(&round, &slug);
                    !self.part.reports.contains(&key) && self.working.report_index(&key).is_some()
                }),
            K::Indicator => {
                !self.part.indicators.contains(&slug)
                    && self.working.set.indicators.iter().any(|x| x.id == slug)
            }
            K::Plan => plan(id).is_some(),
            K::Node => scope
                .and_then(plan)
                .is_some_and(|p| p.nodes.iter().any(|n| n.id == slug)),
            K::Level => scope
                .and_then(plan)
                .is_some_and(|p| p.levels.iter().any(|l| l.id == slug)),
            K::Version => scope
                .and_then(plan)
                .is_some_and(|p| p.versions.iter().any(|v| v.id == slug)),
            K::Risk => scope
                .and_then(plan)
                .is_some_and(|p| p.risks.iter().any(|r| r.id == slug)),
            K::StrategicDirection => scope
                .and_then(plan)
                .is_some_and(|p| p.strategic_directions.iter().any(|d| d.id == slug)),
            // Always read whole with the part.
            K::Organisation
            | K::Perspective
            | K::Strategy
            | K::OverarchingGoal
            | K::EffectGoal
            | K::PriorityArea
            | K::DesiredState => false,
        }
    }
}
