//! The data set in memory, with the indexes the pages read by.
//!
//! A model is never changed once made: requests under way keep the one they started with. A
//! change of the data makes a new one from the old ([`ReadModel::patched`]), sharing what did
//! not change: the activities themselves (`Arc`), and the large indexes, which are persistent
//! maps (`imbl`), so that a save among 100,000 activities costs its own few entries rather than
//! a new index of everything.

use std::collections::HashMap;
use std::sync::Arc;

use rodtrad_domain::Applied;

use crate::cache::PageCache;

use rodtrad_domain::{
    Activity, DataSet, EffectGoal, FollowUp, GoalNode, GoalRef, ItemKey, Organisation,
    OverarchingGoal, Plan, Report, Slug,
};

#[derive(Debug, Default)]
pub struct ReadModel {
    pub set: DataSet,
    /// The indexes of plans, goals and registers: shared with the model this one was made
    /// from when none of those changed (a report saved, an activity edited).
    small: Arc<Small>,
    activities: Map<Slug, usize>,
    /// Activities (by index, in stored order) serving each goal.
    serving: Map<GoalRef, Arc<Vec<usize>>>,
    /// Reports by their key (round and activity): where each is in the data set's list.
    reports: Reports,
    /// The pages rendered from this model so far.
    pub(crate) pages: PageCache,
    /// The revision of each item as this model has it (the working model only): what an edit
    /// made from this model is based on, for the items the person did not see in a form.
    pub(crate) revisions: Map<ItemKey, i64>,
}

/// The small indexes: plans, organisations, perspectives, goals.
#[derive(Debug, Default)]
struct Small {
    plans: HashMap<Slug, usize>,
    organisations: HashMap<Slug, usize>,
    perspectives: HashMap<Slug, usize>,
    /// Effect goal by id, with the (strategy, overarching goal) indices it sits under.
    effect_goals: HashMap<Slug, (usize, usize, usize)>,
    /// (plan index, node index) by goal reference.
    nodes: HashMap<GoalRef, (usize, usize)>,
}

impl Small {
    fn of(set: &DataSet) -> Self {
        let mut effect_goals = HashMap::new();
        for (si, s) in set.strategies.iter().enumerate() {
            for (gi, g) in s.overarching_goals.iter().enumerate() {
                for (ei, e) in g.effect_goals.iter().enumerate() {
                    effect_goals.insert(e.id.clone(), (si, gi, ei));
                }
            }
        }
        let mut nodes = HashMap::new();
        for (pi, p) in set.plans.iter().enumerate() {
            for (ni, n) in p.nodes.iter().enumerate() {
                let goal = GoalRef {
                    plan: p.id.clone(),
                    node: n.id.clone(),
                };
                nodes.insert(goal, (pi, ni));
            }
        }
        Self {
            plans: index(&set.plans, |p| &p.id),
            organisations: index(&set.organisations, |o| &o.id),
            perspectives: index(&set.perspectives, |p| &p.id),
            effect_goals,
            nodes,
        }
    }
}

/// The read model's persistent maps. They hash with foldhash, seeded at random per process: a
/// national round's overview looks up 100,000 reports and activities, and with the standard
/// library's SipHash half of its time went to hashing.
pub(crate) type Map<K, V> =
    imbl::GenericHashMap<K, V, foldhash::fast::RandomState, imbl::shared_ptr::DefaultSharedPtr>;

/// Reports by round, each round's as long as the activity list and beside it: at an activity's
/// place, its report's place in the data set's list plus one (0: none). A round's reports are so
/// read in one walk beside the activities, and one report found by its activity's place (a
/// national round's overview reads 100,000 of them); persistent, so a save changes its entry.
type Reports = Map<Slug, imbl::Vector<u32>>;

fn report_index(set: &DataSet, activities: &Map<Slug, usize>) -> Reports {
    let n = set.activities.len();
    let mut rounds: HashMap<&Slug, Vec<u32>> = HashMap::new();
    for (i, r) in set.reports.iter().enumerate() {
        if let Some(&at) = activities.get(&r.activity) {
            rounds.entry(&r.round).or_insert_with(|| vec![0; n])[at] = place(i);
        }
    }
    rounds
        .into_iter()
        .map(|(round, places)| (round.clone(), places.into_iter().collect()))
        .collect()
}

/// A report's place in the data set's list, as [`Reports`] keeps it.
fn place(i: usize) -> u32 {
    u32::try_from(i + 1).unwrap_or(0)
}

fn index<T>(items: &[T], id: impl Fn(&T) -> &Slug) -> HashMap<Slug, usize> {
    items
        .iter()
        .enumerate()
        .map(|(i, x)| (id(x).clone(), i))
        .collect()
}

impl ReadModel {
    pub fn new(set: DataSet) -> Self {
        let mut serving: Map<GoalRef, Arc<Vec<usize>>> = Map::default();
        for (i, a) in set.activities.iter().enumerate() {
            for g in &a.serves {
                Arc::make_mut(serving.entry(g.clone()).or_default()).push(i);
            }
        }
        let activities = set
            .activities
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        let reports = report_index(&set, &activities);
        let small = Arc::new(Small::of(&set));
        Self::with(set, small, activities, serving, reports)
    }

    fn with(
        set: DataSet,
        small: Arc<Small>,
        activities: Map<Slug, usize>,
        serving: Map<GoalRef, Arc<Vec<usize>>>,
        reports: Reports,
    ) -> Self {
        Self {
            small,
            activities,
            serving,
            reports,
            set,
            pages: PageCache::default(),
            revisions: Map::default(),
        }
    }

    /// The model of `set`, which is this model's data set with the activities
    /// `activities_applied` says changed, and the reports `reports_applied` says, and with
    /// `registers` whether any other item changed (then the small indexes are made anew).
    /// Shares with this model everything that did not change; takes the whole way only when
    /// an activity or a report was removed, which moves the ones after it.
    #[must_use]
    pub fn patched(
        &self,
        set: DataSet,
        activities_applied: &[Applied],
        reports_applied: &[Applied],
        registers: bool,
    ) -> Self {
        if activities_applied
            .iter()
            .chain(reports_applied)
            .any(|a| matches!(a, Applied::Removed(_)))
        {
            let mut model = Self::new(set);
            model.revisions = self.revisions.clone();
            return model;
        }
        let mut activities = self.activities.clone();
        let mut serving = self.serving.clone();
        for a in activities_applied {
            let i = match *a {
                Applied::Replaced(i) => {
                    for g in &self.set.activities[i].serves {
                        if let Some(list) = serving.get_mut(g) {
                            Arc::make_mut(list).retain(|&x| x != i);
                        }
                    }
                    i
                }
                Applied::Appended(i) => {
                    activities.insert(set.activities[i].id.clone(), i);
                    i
                }
                Applied::Removed(_) | Applied::Nothing => continue,
            };
            for g in &set.activities[i].serves {
                let list = Arc::make_mut(serving.entry(g.clone()).or_default());
                if let Err(at) = list.binary_search(&i) {
                    list.insert(at, i);
                }
            }
        }
        let mut reports = self.reports.clone();
        let n = set.activities.len();
        for (_, places) in reports.iter_mut() {
            while places.len() < n {
                places.push_back(0);
            }
        }
        for a in reports_applied {
            // A replaced report keeps its place, and its activity.
            if let Applied::Appended(i) = *a {
                let r = &set.reports[i];
                if let Some(&at) = activities.get(&r.activity) {
                    reports
                        .entry(r.round.clone())
                        .or_insert_with(|| std::iter::repeat_n(0, n).collect())
                        .set(at, place(i));
                }
            }
        }
        let small = if registers {
            Arc::new(Small::of(&set))
        } else {
            Arc::clone(&self.small)
        };
        let mut model = Self::with(set, small, activities, serving, reports);
        model.revisions = self.revisions.clone();
        model
    }

    /// The model of `set` made from this one, as [`ReadModel::patched`] makes it for the
    /// activities `activities_applied` says changed, where `set`'s reports are a list of their
    /// own (a viewer's, not the working one's): their index is kept when the list is the same
    /// reports, and made anew otherwise.
    #[must_use]
    pub fn new_sharing(
        old: &Self,
        set: DataSet,
        activities_applied: &[Applied],
        registers: bool,
    ) -> Self {
        let same = old.set.reports.ptr_eq(&set.reports);
        let mut model = old.patched(set, activities_applied, &[], registers);
        if !same {
            model.reports = report_index(&model.set, &model.activities);
        }
        model
    }

    /// The activities a round asks reports of, by their index in stored order: those that
    /// serve a goal of the plans it follows up.
    pub fn round_activities(&self, round: &FollowUp) -> Vec<usize> {
        // A mark per activity, not a sorted set: a national round asks 100,000 of them.
        let mut asked = vec![false; self.set.activities.len()];
        for plan in round.followed_plans() {
            for n in self.plan(plan.as_str()).map_or(&[][..], |p| &p.nodes) {
                let goal = GoalRef {
                    plan: plan.clone(),
                    node: n.id.clone(),
                };
                for i in self.serving_indices(&goal) {
                    if let Some(mark) = asked.get_mut(i) {
                        *mark = true;
                    }
                }
            }
        }
        asked
            .iter()
            .enumerate()
            .filter_map(|(i, &a)| a.then_some(i))
            .collect()
    }

    /// Whether `round` asks a report of `activity`: whether it serves a goal of the plans the
    /// round follows up. Asked of one activity, without listing the round's.
    pub fn asks(round: &FollowUp, activity: &Activity) -> bool {
        activity
            .serves
            .iter()
            .any(|g| round.followed_plans().any(|p| *p == g.plan))
    }

    /// A round by its id.
    pub fn round(&self, id: &str) -> Option<&FollowUp> {
        self.set.follow_ups.iter().find(|f| f.id.as_str() == id)
    }

    /// An activity's report in a round, if it has one.
    pub fn report(&self, round: &Slug, activity: &Slug) -> Option<&Report> {
        let at = *self.activities.get(activity)?;
        self.report_at(round, at)
    }

    fn report_at(&self, round: &Slug, activity: usize) -> Option<&Report> {
        let i = *self.reports.get(round)?.get(activity)?;
        let i = usize::try_from(i).ok()?.checked_sub(1)?;
        self.set.reports.get(i).map(|r| &**r)
    }

    /// The activities at the places `asked` (in stored order), each with its report in
    /// `round`: one walk through the activities and the round's reports beside them.
    pub fn with_reports(
        &self,
        round: &Slug,
        asked: &[usize],
    ) -> impl Iterator<Item = (&Activity, Option<&Report>)> {
        let places = self.reports.get(round);
        let mut asked = asked.iter().copied().peekable();
        let mut beside = places.map(|p| p.iter());
        self.set
            .activities
            .iter()
            .enumerate()
            .filter_map(move |(i, a)| {
                let place = beside.as_mut().and_then(Iterator::next).copied();
                asked.next_if_eq(&i)?;
                let report = place
                    .and_then(|p| usize::try_from(p).ok()?.checked_sub(1))
                    .and_then(|p| self.set.reports.get(p))
                    .map(|r| &**r);
                Some((&**a, report))
            })
    }

    /// Where a report is in the data set's list.
    pub(crate) fn report_index(&self, key: &ItemKey) -> Option<usize> {
        let at = *self.activities.get(&key.id)?;
        let i = *self.reports.get(key.scope.as_ref()?)?.get(at)?;
        usize::try_from(i).ok()?.checked_sub(1)
    }

    /// The years an activity runs, as the timeline draws them: its own period, or when the
    /// plan gave none, the years its reports say it was actually worked on.
    pub fn period_of(&self, activity: &Activity) -> rodtrad_domain::Period {
        let own = activity.period;
        if own.start.is_some() || own.end.is_some() {
            return own;
        }
        let worked: Vec<rodtrad_domain::Period> = self
            .reports_of(&activity.id)
            .into_iter()
            .map(|r| r.worked)
            .collect();
        rodtrad_domain::Period {
            start: worked
                .iter()
                .filter_map(|p| p.start)
                .min_by_key(rodtrad_domain::PartialDate::earliest),
            end: worked
                .iter()
                .filter_map(|p| p.end)
                .max_by_key(rodtrad_domain::PartialDate::latest),
        }
    }

    /// Every report of an activity, in the order of the rounds.
    pub fn reports_of(&self, activity: &Slug) -> Vec<&Report> {
        self.set
            .follow_ups
            .iter()
            .filter_map(|f| self.report(&f.id, activity))
            .collect()
    }

    /// Every item's revision as this model has it (the working model only).
    pub fn all_revisions(&self) -> impl Iterator<Item = (&ItemKey, i64)> {
        self.revisions.iter().map(|(k, r)| (k, *r))
    }

    /// An item's revision as this model has it (the working model only); 0 for one never
    /// written.
    pub fn revision(&self, item: &ItemKey) -> i64 {
        self.revisions.get(item).copied().unwrap_or(0)
    }

    pub fn plan(&self, id: &str) -> Option<&Plan> {
        Slug::parse(id)
            .ok()
            .and_then(|s| self.small.plans.get(&s))
            .map(|&i| &self.set.plans[i])
    }

    pub fn activity(&self, id: &str) -> Option<&Activity> {
        Slug::parse(id)
            .ok()
            .and_then(|s| self.activities.get(&s))
            .map(|&i| &*self.set.activities[i])
    }

    pub fn organisation(&self, id: &Slug) -> Option<&Organisation> {
        self.small
            .organisations
            .get(id)
            .map(|&i| &self.set.organisations[i])
    }

    pub fn organisation_by_str(&self, id: &str) -> Option<&Organisation> {
        Slug::parse(id).ok().and_then(|s| self.organisation(&s))
    }

    /// An organisation's name, or its id if it is not known.
    pub fn org_name(&self, id: &Slug) -> String {
        self.organisation(id)
            .map_or_else(|| id.to_string(), |o| o.name.clone())
    }

    pub fn perspective_name(&self, id: &Slug) -> String {
        self.small.perspectives.get(id).map_or_else(
            || id.to_string(),
            |&i| self.set.perspectives[i].name.clone(),
        )
    }

    /// An effect goal and the overarching goal it serves.
    pub fn effect_goal(&self, id: &Slug) -> Option<(&OverarchingGoal, &EffectGoal)> {
        self.small.effect_goals.get(id).map(|&(s, g, e)| {
            let goal = &self.set.strategies[s].overarching_goals[g];
            (goal, &goal.effect_goals[e])
        })
    }

    pub fn priority_area_title(&self, id: &Slug) -> String {
        self.set
            .strategies
            .iter()
            .flat_map(|s| &s.priority_areas)
            .find(|a| &a.id == id)
            .map_or_else(|| id.to_string(), |a| a.title.clone())
    }

    /// The plan and node a goal reference names.
    pub fn node(&self, goal: &GoalRef) -> Option<(&Plan, &GoalNode)> {
        self.small.nodes.get(goal).map(|&(p, n)| {
            let plan = &self.set.plans[p];
            (plan, &plan.nodes[n])
        })
    }

    /// A goal and its ancestors, from the top of the plan's tree down to the goal.
    pub fn path_to(&self, goal: &GoalRef) -> Vec<&GoalNode> {
        let mut path = Vec::new();
        let mut at = self.node(goal);
        while let Some((plan, node)) = at {
            path.push(node);
            at = node.parent.as_ref().and_then(|p| {
                self.node(&GoalRef {
                    plan: plan.id.clone(),
                    node: p.clone(),
                })
            });
            if path.len() > plan.levels.len() + 1 {
                break; // a loop cannot pass the checks on reading; this only guards the page
            }
        }
        path.reverse();
        path
    }

    /// The plans that serve a priority area, in stored order.
    pub fn plans_in_area<'a>(&'a self, area: &'a Slug) -> impl Iterator<Item = &'a Plan> + 'a {
        self.set
            .plans
            .iter()
            .filter(move |p| p.priority_area.as_ref() == Some(area))
    }

    /// Where an activity is in the data set's list.
    pub(crate) fn activity_index(&self, id: &Slug) -> Option<usize> {
        self.activities.get(id).copied()
    }

    /// The indices of the activities that serve a goal, in stored order.
    pub(crate) fn serving_indices(&self, goal: &GoalRef) -> impl Iterator<Item = usize> + '_ {
        self.serving
            .get(goal)
            .into_iter()
            .flat_map(|list| list.iter().copied())
    }

    /// The activities that serve a goal.
    pub fn serving(&self, goal: &GoalRef) -> impl Iterator<Item = &Activity> {
        self.serving
            .get(goal)
            .into_iter()
            .flat_map(|list| list.iter())
            .map(|&i| &*self.set.activities[i])
    }

    /// What an organisation leads, takes part in, and is the responsible unit of.
    pub fn involvement(&self, org: &Slug) -> (Vec<&Activity>, Vec<&Activity>, Vec<&Activity>) {
        let acts = || self.set.activities.iter().map(AsRef::as_ref);
        (
            acts().filter(|a| a.lead.as_ref() == Some(org)).collect(),
            acts().filter(|a| a.partners.contains(org)).collect(),
            acts()
                .filter(|a| a.responsible_unit.as_ref() == Some(org))
                .collect(),
        )
    }
}
