//! The data set in memory, with the indexes the pages read by.

use std::collections::HashMap;

use rodtrad_domain::{Activity, DataSet, GoalRef, Organisation, Plan, Slug};

#[derive(Debug, Default)]
pub struct ReadModel {
    pub set: DataSet,
    plans: HashMap<Slug, usize>,
    organisations: HashMap<Slug, usize>,
    /// Activities (by index) serving each goal.
    serving: HashMap<GoalRef, Vec<usize>>,
}

impl ReadModel {
    pub fn new(set: DataSet) -> Self {
        let plans = set
            .plans
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        let organisations = set
            .organisations
            .iter()
            .enumerate()
            .map(|(i, o)| (o.id.clone(), i))
            .collect();
        let mut serving: HashMap<GoalRef, Vec<usize>> = HashMap::new();
        for (i, a) in set.activities.iter().enumerate() {
            for g in &a.serves {
                serving.entry(g.clone()).or_default().push(i);
            }
        }
        Self {
            set,
            plans,
            organisations,
            serving,
        }
    }

    pub fn plan(&self, id: &str) -> Option<&Plan> {
        Slug::parse(id)
            .ok()
            .and_then(|s| self.plans.get(&s))
            .map(|&i| &self.set.plans[i])
    }

    pub fn organisation(&self, id: &Slug) -> Option<&Organisation> {
        self.organisations
            .get(id)
            .map(|&i| &self.set.organisations[i])
    }

    /// The plans that serve a priority area, in stored order.
    pub fn plans_in_area<'a>(&'a self, area: &'a Slug) -> impl Iterator<Item = &'a Plan> + 'a {
        self.set
            .plans
            .iter()
            .filter(move |p| p.priority_area.as_ref() == Some(area))
    }

    /// The activities that serve a goal.
    pub fn serving(&self, goal: &GoalRef) -> impl Iterator<Item = &Activity> {
        self.serving
            .get(goal)
            .into_iter()
            .flatten()
            .map(|&i| &self.set.activities[i])
    }
}
