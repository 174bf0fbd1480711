//! The geometry of a timeline: years as columns, one bar per activity, as in the 2021 report.
//!
//! Only numbers are computed here; `templates/timeline.html` draws them as SVG. A bar's status is
//! shown by a pattern and in words, never by colour alone.

use rodtrad_domain::{Activity, GoalNode, GoalRef, Period, Plan, Status, Vocabulary};

use crate::model::ReadModel;

pub const LABEL_WIDTH: u32 = 300;
pub const YEAR_WIDTH: u32 = 70;
pub const ROW_HEIGHT: u32 = 40;
pub const HEADER_HEIGHT: u32 = 28;
/// The fewest year columns a chart has.
pub const MIN_COLUMNS: u16 = 7;

/// One line of the chart: an activity-area heading or an activity.
pub enum Line<'a> {
    Area { title: &'a str, y: u32 },
    Bar(Bar<'a>),
}

pub struct Bar<'a> {
    pub activity: &'a Activity,
    pub y: u32,
    /// `None` when the activity has no known year at all: no bar is drawn.
    pub x: Option<(u32, u32)>,
    /// The bar runs on past the chart's last year (no end is known).
    pub open_end: bool,
}

impl Bar<'_> {
    /// The pattern id the bar is filled with.
    pub fn pattern(&self) -> &'static str {
        pattern_of(self.activity.status)
    }
}

pub fn pattern_of(status: Option<Status>) -> &'static str {
    match status {
        Some(Status::Ongoing) => "st-ongoing",
        Some(Status::Planned) => "st-planned",
        Some(Status::Paused) => "st-paused",
        Some(Status::Completed) => "st-completed",
        Some(Status::Cancelled) => "st-cancelled",
        None => "st-unknown",
    }
}

pub struct Chart<'a> {
    pub years: Vec<(u16, u32)>,
    pub lines: Vec<Line<'a>>,
    pub width: u32,
    pub height: u32,
}

/// Lays out groups of activities (an area title, or `None` for activities directly under the
/// focus area) on a year axis that covers every known year and at least `min_years`.
pub fn layout<'a>(
    groups: &[(Option<&'a str>, Vec<&'a Activity>)],
    min_years: (u16, u16),
    period_of: impl Fn(&Activity) -> Period,
) -> Chart<'a> {
    let known = groups
        .iter()
        .flat_map(|(_, acts)| acts.iter())
        .flat_map(|a| {
            let p = period_of(a);
            [p.start, p.end]
        })
        .flatten()
        .map(|d| d.year_value());
    let (mut first, mut last) = known.fold(min_years, |(lo, hi), y| (lo.min(y), hi.max(y)));
    // At least seven columns, widened around the known years, as the 2021 report draws 2018–2024:
    // a bar needs years on either side to be read as a span.
    while last - first + 1 < MIN_COLUMNS {
        first -= 1;
        if last - first + 1 < MIN_COLUMNS {
            last += 1;
        }
    }
    let x_of = |year: u16| LABEL_WIDTH + u32::from(year - first) * YEAR_WIDTH;
    let years = (first..=last).map(|y| (y, x_of(y))).collect();
    let mut lines = Vec::new();
    let mut y = HEADER_HEIGHT;
    for (title, activities) in groups {
        if let Some(title) = title {
            lines.push(Line::Area { title, y });
            y += ROW_HEIGHT * 3 / 4;
        }
        for a in activities {
            let period = period_of(a);
            let start = period.start.map(|d| d.year_value());
            let end = period.end.map(|d| d.year_value());
            let x = match (start, end) {
                (Some(s), Some(e)) => Some((x_of(s), x_of(e) + YEAR_WIDTH - x_of(s))),
                (Some(s), None) => Some((x_of(s), x_of(last) + YEAR_WIDTH - x_of(s))),
                (None, Some(e)) => Some((x_of(e), YEAR_WIDTH)),
                (None, None) => None,
            };
            lines.push(Line::Bar(Bar {
                activity: a,
                y,
                x,
                open_end: start.is_some() && end.is_none(),
            }));
            y += ROW_HEIGHT;
        }
    }
    Chart {
        years,
        lines,
        width: x_of(last) + YEAR_WIDTH + 10,
        height: y + 10,
    }
}

/// A goal's timeline and the table of the same facts, as the focus-area page and the report
/// show them.
pub struct TimelineBlock<'a> {
    /// Unique on its page, for the ids of the chart's title and description.
    pub id: String,
    pub title: &'a str,
    /// `None` when no year at all is known to draw an axis for.
    pub chart: Option<Chart<'a>>,
    pub activities: Vec<&'a Activity>,
    pub statuses: Vec<(Option<Status>, &'static str)>,
}

/// The activities of a goal, grouped by the goals below it, on a timeline.
pub fn for_goal<'a>(model: &'a ReadModel, plan: &'a Plan, node: &'a GoalNode) -> TimelineBlock<'a> {
    let goal = |n: &GoalNode| GoalRef {
        plan: plan.id.clone(),
        node: n.id.clone(),
    };
    let mut groups: Vec<(Option<&str>, Vec<&Activity>)> =
        vec![(None, model.serving(&goal(node)).collect())];
    for child in plan
        .nodes
        .iter()
        .filter(|n| n.parent.as_ref() == Some(&node.id))
    {
        let mut acts: Vec<&Activity> = model.serving(&goal(child)).collect();
        for below in descendants(plan, child) {
            acts.extend(model.serving(&goal(below)));
        }
        let mut seen = std::collections::HashSet::new();
        acts.retain(|a| seen.insert(&a.id));
        groups.push((Some(child.title.as_str()), acts));
    }
    groups.retain(|(title, acts)| title.is_some() || !acts.is_empty());
    let activities: Vec<&Activity> = groups.iter().flat_map(|(_, a)| a.iter().copied()).collect();
    // The axis covers the plan's period, the activities' years, and the year of any follow-up
    // of the plan, so that activities without a known period still have a chart to sit in.
    let follow_up_dates = model
        .set
        .follow_ups
        .iter()
        .filter(|f| f.structure.as_ref() == Some(&plan.id) || f.plans.contains(&plan.id))
        .map(|f| f.date);
    let years: Vec<u16> = [plan.period.start, plan.period.end]
        .into_iter()
        .chain(follow_up_dates)
        .chain(activities.iter().flat_map(|a| {
            let p = model.period_of(a);
            [p.start, p.end]
        }))
        .flatten()
        .map(|d| d.year_value())
        .collect();
    let chart = match (years.iter().min(), years.iter().max()) {
        (Some(&lo), Some(&hi)) if !activities.is_empty() => {
            Some(layout(&groups, (lo, hi), |a| model.period_of(a)))
        }
        _ => None,
    };
    TimelineBlock {
        id: node.id.to_string(),
        title: &node.title,
        chart,
        activities,
        statuses: Status::ALL
            .iter()
            .map(|s| (Some(*s), pattern_of(Some(*s))))
            .chain([(None, pattern_of(None))])
            .collect(),
    }
}

/// Every goal below `node`, at any depth.
fn descendants<'a>(plan: &'a Plan, node: &'a GoalNode) -> Vec<&'a GoalNode> {
    let mut out = Vec::new();
    let mut frontier = vec![node];
    while let Some(n) = frontier.pop() {
        for c in plan
            .nodes
            .iter()
            .filter(|c| c.parent.as_ref() == Some(&n.id))
        {
            // The tree has no loops once read, but a page must not hang if one slipped in.
            if out.len() < plan.nodes.len() {
                out.push(c);
                frontier.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rodtrad_domain::{PartialDate, Period, Slug};

    fn activity(id: &str, start: Option<&str>, end: Option<&str>) -> Activity {
        Activity {
            id: Slug::parse(id).expect("slug"),
            title: id.into(),
            narrative: None,
            responsible_unit: None,
            lead: None,
            partners: vec![],
            period: Period {
                start: start.map(|s| PartialDate::parse(s).expect("date")),
                end: end.map(|s| PartialDate::parse(s).expect("date")),
            },
            status: None,
            status_reason: None,
            intervention_level: None,
            perspectives: vec![],
            target_groups: vec![],
            funding: vec![],
            serves: vec![],
            proposed: Vec::new(),
        }
    }

    #[test]
    fn bars_cover_their_years_and_the_axis_covers_all_years() {
        let a = activity("a", Some("2019"), Some("2021"));
        let b = activity("b", Some("2022"), None);
        let c = activity("c", None, None);
        let chart = layout(
            &[(Some("Område"), vec![&a, &b]), (None, vec![&c])],
            (2020, 2023),
            |a| a.period,
        );
        assert_eq!(
            chart.years.first().map(|y| y.0),
            Some(2018),
            "widened to seven columns"
        );
        assert_eq!(chart.years.last().map(|y| y.0), Some(2024));
        let bars: Vec<_> = chart
            .lines
            .iter()
            .filter_map(|l| match l {
                Line::Bar(b) => Some(b),
                Line::Area { .. } => None,
            })
            .collect();
        assert_eq!(
            bars[0].x,
            Some((LABEL_WIDTH + YEAR_WIDTH, 3 * YEAR_WIDTH)),
            "2019 through 2021"
        );
        assert_eq!(
            bars[1].x,
            Some((LABEL_WIDTH + 4 * YEAR_WIDTH, 3 * YEAR_WIDTH)),
            "2022 on, open"
        );
        assert!(bars[1].open_end);
        assert_eq!(bars[2].x, None, "no year known, no bar");
    }
}
