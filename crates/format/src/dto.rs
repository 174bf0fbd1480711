//! The files of format version 1, field by field, as serde reads and writes them.
//!
//! These structs are the format's single source of truth: reading, writing and the JSON Schema
//! in `schema/` all derive from them. Values that later checks must point at (ids, references,
//! codes, dates) are wrapped in [`At`] so that their line is known.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::at::{At, DateText};

type Text = At<String>;
type Date = Option<At<DateText>>;

fn no<T>(v: &[T]) -> bool {
    v.is_empty()
}

/// `rodtrad.toml`: the manifest of a data set.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The version of the format the data set is written in.
    pub format_version: At<i64>,
    /// The name of the data set, usually the region's.
    pub name: String,
}

/// `organisations.toml`.
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationsFile {
    #[serde(default, skip_serializing_if = "no")]
    pub organisation: Vec<OrganisationDto>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OrganisationDto {
    pub id: Text,
    pub name: String,
    /// region, municipality, county_district, unit, committee, council, network,
    /// civil_society, authority, association, company, university or other.
    pub kind: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality_code: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Text>,
}

/// `perspectives.toml`.
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PerspectivesFile {
    #[serde(default, skip_serializing_if = "no")]
    pub perspective: Vec<PerspectiveDto>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PerspectiveDto {
    pub id: Text,
    pub name: String,
}

/// `strategies/<id>.toml`: a regional development strategy.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StrategyDto {
    pub id: Text,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vision: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted_by: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adopted_on: Date,
    #[serde(default, skip_serializing_if = "no")]
    pub perspectives: Vec<Text>,
    #[serde(default, skip_serializing_if = "no")]
    pub overarching_goal: Vec<OverarchingGoalDto>,
    #[serde(default, skip_serializing_if = "no")]
    pub priority_area: Vec<PriorityAreaDto>,
    #[serde(default, skip_serializing_if = "no")]
    pub desired_state: Vec<DesiredStateDto>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverarchingGoalDto {
    pub id: Text,
    pub title: String,
    #[serde(default, skip_serializing_if = "no")]
    pub effect_goal: Vec<EffectGoalDto>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EffectGoalDto {
    pub id: Text,
    pub title: String,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriorityAreaDto {
    pub id: Text,
    pub title: String,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DesiredStateDto {
    pub id: Text,
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_area: Option<Text>,
}

/// `plans/<id>.toml`: a plan with its goal tree.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanDto {
    pub id: Text,
    pub title: String,
    /// "plan" (the default) or "joint".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority_area: Option<Text>,
    #[serde(default, skip_serializing_if = "no")]
    pub effect_goals: Vec<Text>,
    #[serde(default, skip_serializing_if = "no")]
    pub perspectives: Vec<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(default, skip_serializing_if = "no")]
    pub strategic_direction: Vec<StrategicDirectionDto>,
    #[serde(default, skip_serializing_if = "no")]
    pub risk: Vec<RiskDto>,
    #[serde(default, skip_serializing_if = "no")]
    pub version: Vec<VersionDto>,
    #[serde(default, skip_serializing_if = "no")]
    pub level: Vec<LevelDto>,
    #[serde(default, skip_serializing_if = "no")]
    pub node: Vec<NodeDto>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StrategicDirectionDto {
    pub id: Text,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RiskDto {
    pub id: Text,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mitigation: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionDto {
    pub id: Text,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_on: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LevelDto {
    pub id: Text,
    pub name: String,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NodeDto {
    pub id: Text,
    pub level: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// promotive, selective or indicated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intervention_level: Option<Text>,
}

/// `activities.toml`.
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivitiesFile {
    #[serde(default, skip_serializing_if = "no")]
    pub activity: Vec<ActivityDto>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityDto {
    pub id: Text,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible_unit: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lead: Option<Text>,
    #[serde(default, skip_serializing_if = "no")]
    pub partners: Vec<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Date,
    /// planned, ongoing, paused, completed or cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status_reason: Option<String>,
    /// promotive, selective or indicated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intervention_level: Option<Text>,
    #[serde(default, skip_serializing_if = "no")]
    pub perspectives: Vec<Text>,
    #[serde(default, skip_serializing_if = "no")]
    pub target_groups: Vec<String>,
    /// Goal references, `plan-id/node-id`.
    #[serde(default, skip_serializing_if = "no")]
    pub serves: Vec<Text>,
    /// Links proposed to goals of plans whose owners have not accepted them yet, as goal
    /// references.
    #[serde(default, skip_serializing_if = "no")]
    pub proposed: Vec<Text>,
    #[serde(default, skip_serializing_if = "no")]
    pub funding: Vec<FundingDto>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FundingDto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub funder: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// `follow-ups/<id>.toml`: a follow-up report.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpDto {
    pub id: Text,
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_by: Option<String>,
    #[serde(default, skip_serializing_if = "no")]
    pub plans: Vec<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub structure: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduction: Option<String>,
    #[serde(default, skip_serializing_if = "no")]
    pub section: Vec<SectionDto>,
    /// The period the round reports on.
    #[serde(default, skip_serializing_if = "PeriodDto::is_empty")]
    pub period: PeriodDto,
    /// When the round opens for reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens: Date,
    /// The last day for reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Date,
    /// planned, open, closed or published. A file written before rounds existed has none and
    /// is read as a published report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<Text>,
    /// When the round was closed to reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Date,
}

/// A span of time given by its first and last dates (years, months or days), either open.
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PeriodDto {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Date,
}

impl PeriodDto {
    fn is_empty(&self) -> bool {
        self.start.is_none() && self.end.is_none()
    }
}

/// `reports/<round-id>.toml`: the activities' reports in one follow-up round.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportsFile {
    /// The follow-up round the reports belong to.
    pub round: Text,
    #[serde(default, skip_serializing_if = "no")]
    pub report: Vec<ReportDto>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReportDto {
    /// The activity reported on; one report per activity and round.
    pub activity: Text,
    /// draft, submitted, returned or approved.
    pub state: Text,
    /// Where the activity stood at the end of the period: planned, ongoing, paused, completed
    /// or cancelled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Text>,
    /// What was done in the period (Markdown).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub results: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_steps: Option<String>,
    /// Obstacles met, and the support needed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obstacles: Option<String>,
    /// The years the activity was actually worked on.
    #[serde(default, skip_serializing_if = "PeriodDto::is_empty")]
    pub worked: PeriodDto,
    /// The reviewer's comment when the report was last returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// What partner organisations add, each its own part.
    #[serde(default, skip_serializing_if = "no")]
    pub partner: Vec<PartnerPartDto>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartnerPartDto {
    pub organisation: Text,
    pub text: String,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionDto {
    /// A goal reference, `plan-id/node-id`.
    pub node: Text,
    pub narrative: String,
}

/// `indicators/<id>.toml`: an indicator, its source and the goals it measures. Its values are
/// in `indicators/<id>.csv` beside it.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDto {
    pub id: Text,
    pub title: String,
    /// What is measured and how.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// How many decimals values are shown with, 0 to 6; 0 when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimals: Option<At<i64>>,
    /// higher or lower: which is better.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceDto>,
    /// The goals the indicator measures, each with its baseline and targets.
    #[serde(default, skip_serializing_if = "no")]
    pub measure: Vec<MeasureDto>,
}

/// Where an indicator's values come from: at most one of `kolada`, `pxweb`, `url`, `file`.
#[derive(Debug, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceDto {
    /// Who publishes the values.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// A Kolada key figure's id (`N00945`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kolada: Option<Text>,
    /// A PxWeb table's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pxweb: Option<Text>,
    /// The JSON query posted to a PxWeb version 1 table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<Text>,
    /// Any address answering JSON-stat or CSV.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Text>,
    /// A file, by the name people know it by; imported by hand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<Text>,
}

#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureDto {
    /// A goal reference, `plan-id/node-id`.
    pub goal: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<MarkDto>,
    #[serde(default, skip_serializing_if = "no")]
    pub target: Vec<MarkDto>,
}

/// A baseline or a target: a value at a period, for an area and a group.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkDto {
    pub value: At<f64>,
    /// A year (`"2030"`), a span (`"2021–2024"`), a half-year (`"2030H1"`), a quarter
    /// (`"2030Q1"`) or a month (`"2030-06"`).
    pub period: Text,
    /// `riket`, a county (`18`), a municipality (`1880`) or another area's code; left out: the
    /// data set's county.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<Text>,
    /// all, women or men; all when left out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Text>,
    /// The age group as the source codes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<String>,
}
