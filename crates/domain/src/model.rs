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
    ReportState, RoundState, Slug, Status,
};

/// Everything one region keeps, in one value.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct DataSet {
    pub name: String,
    pub organisations: Vec<Organisation>,
    pub perspectives: Vec<Perspective>,
    pub strategies: Vec<Strategy>,
    pub plans: Vec<Plan>,
    /// Shared between copies of the data set: a persistent vector, so that a copy costs a
    /// pointer and changing one activity copies only its own small part of the list (and the
    /// activity itself only when it is changed). A national instance holds 100,000 of them.
    pub activities: Shared<Activity>,
    pub follow_ups: Vec<FollowUp>,
    /// Every activity's report in every follow-up round, shared like the activities: a round
    /// of a national instance holds one for each of 100,000 activities, and a save changes one.
    pub reports: Shared<Report>,
    /// The indicators and their links to goals; their values are kept apart (see
    /// [`crate::IndicatorValue`]).
    pub indicators: Vec<crate::Indicator>,
}

/// A long list of items shared between copies of the data set (see [`DataSet::activities`]).
pub type Shared<T> = imbl::Vector<Arc<T>>;

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
    /// Links to goals of plans whose owners have not accepted them yet: made by someone who
    /// does not own the plan, they wait for its owner; pages and reports show `serves` only.
    pub proposed: Vec<GoalRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Funding {
    pub funder: Option<Slug>,
    pub description: Option<String>,
}

/// A follow-up round (uppföljningsomgång) and the report it ends in: the plans it follows up,
/// the period reported on, when it opens and closes, where it stands; and the text around the
/// data, in the report's order, that its owner writes once it is closed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowUp {
    pub id: Slug,
    pub title: String,
    /// The date of the report's figures ("uppgifter per"): the day it was published.
    pub date: Option<PartialDate>,
    /// The organisation that owns the round and writes its report.
    pub author: Option<Slug>,
    pub signed_by: Option<String>,
    pub plans: Vec<Slug>,
    /// The plan whose focus areas the report is organised by.
    pub structure: Option<Slug>,
    pub introduction: Option<String>,
    pub sections: Vec<FollowUpSection>,
    /// The period the round reports on.
    pub period: Period,
    /// When the round opens for reports, and its deadline.
    pub opens: Option<PartialDate>,
    pub deadline: Option<PartialDate>,
    pub state: RoundState,
    /// When the round was closed to reports, if it has been and the date is known.
    pub closed: Option<PartialDate>,
}

/// One activity's report in one follow-up round, kept by the contributors of the activity's
/// lead organisation and reviewed by the owner of a plan the activity serves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub round: Slug,
    pub activity: Slug,
    pub state: ReportState,
    /// Where the activity stood at the end of the period.
    pub status: Option<Status>,
    /// What was done in the period (Markdown, as every long text).
    pub done: Option<String>,
    pub results: Option<String>,
    pub next_steps: Option<String>,
    /// Obstacles met, and the support needed.
    pub obstacles: Option<String>,
    /// The years the activity was actually worked on, as far as the report says.
    pub worked: Period,
    /// What partner organisations add, each its own part.
    pub partner_parts: Vec<PartnerPart>,
    /// The reviewer's comment when the report was last returned.
    pub comment: Option<String>,
}

impl Report {
    /// A report not yet written: what a contributor starts from.
    pub fn empty(round: Slug, activity: Slug) -> Self {
        Self {
            round,
            activity,
            state: ReportState::Draft,
            status: None,
            done: None,
            results: None,
            next_steps: None,
            obstacles: None,
            worked: Period::default(),
            partner_parts: Vec::new(),
            comment: None,
        }
    }
}

/// A partner organisation's part of an activity's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerPart {
    pub organisation: Slug,
    pub text: String,
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
    items: &mut Shared<T>,
    touches: impl Fn(&T) -> bool,
    mut change: impl FnMut(&mut T),
) {
    // Found first and changed after: going through the list mutably would copy all of it.
    let found: Vec<usize> = items
        .iter()
        .enumerate()
        .filter(|(_, item)| touches(item))
        .map(|(i, _)| i)
        .collect();
    for i in found {
        let mut item = (*items[i]).clone();
        change(&mut item);
        items.set(i, Arc::new(item));
    }
}
