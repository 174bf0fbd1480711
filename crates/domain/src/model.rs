//! The records of the model, as one [`DataSet`]: what the exchange format reads and writes and
//! what a store imports and exports.
//!
//! Lists keep their order: the order of focus areas, sub-goals and activities carries meaning in
//! the documents (Delmål 1 comes before Delmål 2), and a stable order makes exports diff well.
//! References between records are by [`Slug`]; [`crate::GoalRef`] names a node of a plan.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::{
    GoalRef, InterventionLevel, MunicipalityCode, OrganisationKind, PartialDate, Period, PlanKind,
    Slug, Status,
};

/// Everything one region keeps, in one value.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DataSet {
    pub name: String,
    pub organisations: Vec<Organisation>,
    pub perspectives: Vec<Perspective>,
    pub strategies: Vec<Strategy>,
    pub plans: Vec<Plan>,
    /// Shared between copies of the data set: a copy made to be edited costs a pointer per
    /// activity, and changing one (`Arc::make_mut`) copies only that one. A national instance
    /// holds 100,000 of them.
    pub activities: Vec<Arc<Activity>>,
    pub follow_ups: Vec<FollowUp>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: Slug,
    pub name: String,
    pub kind: OrganisationKind,
    pub municipality_code: Option<MunicipalityCode>,
    /// The organisation this one belongs to (a municipality to its county district).
    pub parent: Option<Slug>,
}

/// A cross-cutting perspective (jämställdhet, barnrätt, ...): a tag on strategies, plans and
/// activities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Perspective {
    pub id: Slug,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Strategy {
    pub id: Slug,
    pub title: String,
    pub vision: Option<String>,
    pub period: Period,
    pub owner: Option<Slug>,
    pub adopted_by: Option<Slug>,
    pub adopted_on: Option<PartialDate>,
    pub perspectives: Vec<Slug>,
    pub overarching_goals: Vec<OverarchingGoal>,
    pub priority_areas: Vec<PriorityArea>,
    pub desired_states: Vec<DesiredState>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverarchingGoal {
    pub id: Slug,
    pub title: String,
    pub effect_goals: Vec<EffectGoal>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EffectGoal {
    pub id: Slug,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PriorityArea {
    pub id: Slug,
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesiredState {
    pub id: Slug,
    pub text: String,
    pub priority_area: Option<Slug>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub id: Slug,
    pub title: String,
    pub kind: PlanKind,
    pub period: Period,
    pub owner: Option<Slug>,
    pub priority_area: Option<Slug>,
    pub effect_goals: Vec<Slug>,
    pub perspectives: Vec<Slug>,
    pub summary: Option<String>,
    pub strategic_directions: Vec<StrategicDirection>,
    pub risks: Vec<Risk>,
    pub versions: Vec<PlanVersion>,
    /// The levels of the goal tree, top first; their names are the plan's own words.
    pub levels: Vec<GoalLevel>,
    /// The goal tree, parents before children.
    pub nodes: Vec<GoalNode>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StrategicDirection {
    pub id: Slug,
    pub title: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    pub id: Slug,
    pub description: String,
    pub mitigation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanVersion {
    pub id: Slug,
    pub title: String,
    pub date: Option<PartialDate>,
    /// Who decided this version and when; `None` while it is not decided.
    pub decision: Option<Decision>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    pub body: Slug,
    /// When the decision was taken, if the source says.
    pub date: Option<PartialDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalLevel {
    pub id: Slug,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalNode {
    pub id: Slug,
    pub level: Slug,
    pub parent: Option<Slug>,
    pub number: Option<String>,
    pub title: String,
    pub description: Option<String>,
    pub intervention_level: Option<InterventionLevel>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub id: Slug,
    pub title: String,
    pub narrative: Option<String>,
    pub responsible_unit: Option<Slug>,
    pub lead: Option<Slug>,
    pub partners: Vec<Slug>,
    pub period: Period,
    pub status: Option<Status>,
    pub status_reason: Option<String>,
    pub intervention_level: Option<InterventionLevel>,
    pub perspectives: Vec<Slug>,
    pub target_groups: Vec<String>,
    pub funding: Vec<Funding>,
    /// Every goal this activity serves, in any plan.
    pub serves: Vec<GoalRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Funding {
    pub funder: Option<Slug>,
    pub description: Option<String>,
}

/// A follow-up report: the text around the data, in the report's order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: Slug,
    pub title: String,
    pub date: Option<PartialDate>,
    pub author: Option<Slug>,
    pub signed_by: Option<String>,
    pub plans: Vec<Slug>,
    /// The plan whose focus areas the report is organised by.
    pub structure: Option<Slug>,
    pub introduction: Option<String>,
    pub sections: Vec<FollowUpSection>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUpSection {
    pub node: GoalRef,
    pub narrative: String,
}

/// Changes, in place, the items of a shared list that `touches` picks, copying only those that
/// are shared with another copy of the list: what a removal loosens in a few activities costs
/// those few, not the whole list.
pub fn change_where<T: Clone>(
    items: &mut [Arc<T>],
    touches: impl Fn(&T) -> bool,
    mut change: impl FnMut(&mut T),
) {
    for item in items.iter_mut().filter(|i| touches(i)) {
        change(Arc::make_mut(item));
    }
}
