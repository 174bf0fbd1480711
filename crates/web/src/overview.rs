//! The overview for decision-makers, of a plan or of a round: its activities counted by status,
//! by intervention level and by perspective; the goals no activity serves; and the activities
//! to look at (overdue: their end has passed and they are not completed; paused; ending this
//! year). In a round, an activity's status is the one its report gives, where it has one.
//!
//! Only the facts and the bars' geometry are computed here; `overview.html` draws each count
//! as an SVG bar chart with the same facts in a table beneath it, and the CSV says them again.

use rodtrad_domain::{
    Activity, GoalNode, InterventionLevel, PartialDate, Plan, Status, Vocabulary,
};

/// Where the bars start (room for the labels) and how long the longest is.
pub const LABEL_WIDTH: u32 = 280;
pub const BAR_SPACE: u32 = 360;
pub const BAR_HEIGHT: u32 = 24;
pub const ROW: u32 = 32;

/// One bar: what it counts, how many, and its length.
#[derive(Debug, Clone)]
pub struct Bar {
    pub label: String,
    pub count: usize,
    pub y: u32,
    pub width: u32,
}

/// A bar chart of counts.
#[derive(Debug, Clone)]
pub struct BarChart {
    pub id: &'static str,
    pub title: String,
    pub bars: Vec<Bar>,
    pub width: u32,
    pub height: u32,
}

impl BarChart {
    /// The chart of `counts` (label, count), bars in the given order, the longest the most.
    pub fn new(id: &'static str, title: String, counts: Vec<(String, usize)>) -> Self {
        let most = counts.iter().map(|(_, n)| *n).max().unwrap_or(0);
        let bars = counts
            .into_iter()
            .enumerate()
            .map(|(i, (label, count))| Bar {
                label,
                count,
                y: u32::try_from(i).unwrap_or(u32::MAX).saturating_mul(ROW),
                width: length(count, most),
            })
            .collect::<Vec<_>>();
        let rows = u32::try_from(bars.len()).unwrap_or(u32::MAX);
        Self {
            id,
            title,
            bars,
            width: LABEL_WIDTH + BAR_SPACE + 60,
            height: rows.saturating_mul(ROW).max(ROW),
        }
    }
}

/// A bar's length for `count` when the largest is `most`: in proportion, and never so short
/// that a count above zero cannot be seen.
fn length(count: usize, most: usize) -> u32 {
    if count == 0 || most == 0 {
        return 0;
    }
    let scaled = count.saturating_mul(BAR_SPACE as usize) / most;
    u32::try_from(scaled).unwrap_or(BAR_SPACE).max(2)
}

/// An activity as the overview counts it: with the status its report gives, in a round.
#[derive(Debug, Clone, Copy)]
pub struct Counted<'a> {
    pub activity: &'a Activity,
    pub status: Option<Status>,
}

impl Counted<'_> {
    /// The activity's end as the lists show it; empty when it is not known.
    pub fn end_text(&self) -> String {
        self.activity
            .period
            .end
            .map(|d| d.to_string())
            .unwrap_or_default()
    }
}

/// The facts of an overview.
#[derive(Debug)]
pub struct Facts<'a> {
    pub by_status: Vec<(Option<Status>, usize)>,
    pub by_level: Vec<(Option<InterventionLevel>, usize)>,
    /// (perspective's name, count), in the data set's order, and those with none.
    pub by_perspective: Vec<(String, usize)>,
    pub without_perspective: usize,
    pub unserved: Vec<(&'a Plan, &'a GoalNode)>,
    pub overdue: Vec<Counted<'a>>,
    pub paused: Vec<Counted<'a>>,
    pub ending: Vec<Counted<'a>>,
    pub total: usize,
}

/// Whether an activity's end has passed by `today` and it is not done with.
fn overdue(c: &Counted<'_>, today: PartialDate) -> bool {
    let done = matches!(c.status, Some(Status::Completed | Status::Cancelled));
    !done
        && c.activity
            .period
            .end
            .is_some_and(|end| end.latest() < today.earliest())
}

/// The facts of `activities`, among `perspectives` (id, name), where the goals `goals` may be
/// unserved (`served` says whether one is), on `today`.
pub fn facts<'a>(
    activities: &[Counted<'a>],
    perspectives: &[(rodtrad_domain::Slug, String)],
    goals: Vec<(&'a Plan, &'a GoalNode)>,
    served: impl Fn(&Plan, &GoalNode) -> bool,
    today: PartialDate,
) -> Facts<'a> {
    // One pass for every count: a national round has 100,000 activities, and touching each is
    // what costs.
    let place: std::collections::HashMap<&rodtrad_domain::Slug, usize> = perspectives
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (id, i))
        .collect();
    let mut per_perspective = vec![0usize; perspectives.len()];
    let mut without_perspective = 0;
    let mut statuses = vec![0usize; Status::ALL.len() + 1];
    let mut levels = vec![0usize; InterventionLevel::ALL.len() + 1];
    let (mut overdue_ones, mut paused, mut ending) = (Vec::new(), Vec::new(), Vec::new());
    let year = today.year_value();
    for c in activities {
        let done = matches!(c.status, Some(Status::Completed | Status::Cancelled));
        if overdue(c, today) {
            overdue_ones.push(*c);
        }
        if c.status == Some(Status::Paused) {
            paused.push(*c);
        }
        if !done
            && c.activity
                .period
                .end
                .is_some_and(|e| e.year_value() == year)
        {
            ending.push(*c);
        }
        let own = &c.activity.perspectives;
        if own.is_empty() {
            without_perspective += 1;
        }
        for (j, p) in own.iter().enumerate() {
            // A perspective named twice counts once.
            if let (Some(&i), false) = (place.get(p), own[..j].contains(p)) {
                per_perspective[i] += 1;
            }
        }
        let s = c
            .status
            .and_then(|s| Status::ALL.iter().position(|x| *x == s))
            .map_or(0, |i| i + 1);
        statuses[s] += 1;
        let l = c
            .activity
            .intervention_level
            .and_then(|l| InterventionLevel::ALL.iter().position(|x| *x == l))
            .map_or(0, |i| i + 1);
        levels[l] += 1;
    }
    let by_status = std::iter::once(None)
        .chain(Status::ALL.iter().copied().map(Some))
        .zip(statuses)
        .collect();
    let by_level = std::iter::once(None)
        .chain(InterventionLevel::ALL.iter().copied().map(Some))
        .zip(levels)
        .collect();
    let by_perspective = perspectives
        .iter()
        .zip(per_perspective)
        .map(|((_, name), n)| (name.clone(), n))
        .collect();
    Facts {
        by_status,
        by_level,
        by_perspective,
        without_perspective,
        unserved: goals.into_iter().filter(|(p, n)| !served(p, n)).collect(),
        overdue: overdue_ones,
        paused,
        ending,
        total: activities.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rodtrad_domain::{Period, Slug};

    fn activity(id: &str, end: Option<&str>, level: Option<InterventionLevel>) -> Activity {
        Activity {
            id: Slug::parse(id).expect("slug"),
            title: id.into(),
            narrative: None,
            responsible_unit: None,
            lead: None,
            partners: Vec::new(),
            period: Period {
                start: None,
                end: end.map(|e| PartialDate::parse(e).expect("date")),
            },
            status: None,
            status_reason: None,
            intervention_level: level,
            perspectives: if id == "a" {
                vec![Slug::parse("barnratt").expect("slug")]
            } else {
                Vec::new()
            },
            target_groups: Vec::new(),
            funding: Vec::new(),
            serves: Vec::new(),
            proposed: Vec::new(),
        }
    }

    #[test]
    fn counts_overdue_paused_and_ending_by_hand() {
        let today = PartialDate::parse("2026-12-07").expect("date");
        let list = [
            activity("a", Some("2025"), Some(InterventionLevel::Promotive)),
            activity("b", Some("2026-06"), None),
            activity("c", Some("2026"), Some(InterventionLevel::Promotive)),
            activity("d", None, Some(InterventionLevel::Indicated)),
        ];
        let statuses = [
            Some(Status::Ongoing),
            Some(Status::Completed),
            Some(Status::Paused),
            None,
        ];
        let counted: Vec<Counted> = list
            .iter()
            .zip(statuses)
            .map(|(activity, status)| Counted { activity, status })
            .collect();
        let perspectives = vec![(Slug::parse("barnratt").expect("slug"), "Barnrätt".into())];
        let found = facts(&counted, &perspectives, Vec::new(), |_, _| true, today);
        let ids = |list: &[Counted<'_>]| -> Vec<String> {
            list.iter().map(|c| c.activity.id.to_string()).collect()
        };
        // 2025 has passed and it is ongoing; b ended in June but is completed; c ends in
        // December 2026, not yet passed.
        assert_eq!(ids(&found.overdue), ["a"]);
        assert_eq!(ids(&found.paused), ["c"]);
        assert_eq!(ids(&found.ending), ["c"], "b is completed");
        assert_eq!(found.by_status[0], (None, 1));
        assert_eq!(found.by_status[2], (Some(Status::Ongoing), 1));
        assert_eq!(found.by_level[1], (Some(InterventionLevel::Promotive), 2));
        assert_eq!(found.by_perspective, vec![("Barnrätt".to_owned(), 1)]);
        assert_eq!(found.without_perspective, 3);
        assert_eq!(found.total, 4);
    }

    #[test]
    fn bars_are_in_proportion_and_a_count_is_never_invisible() {
        let chart = BarChart::new(
            "x",
            "t".into(),
            vec![
                ("a".into(), 400),
                ("b".into(), 1),
                ("c".into(), 0),
                ("d".into(), 200),
            ],
        );
        let widths: Vec<u32> = chart.bars.iter().map(|b| b.width).collect();
        assert_eq!(widths, [BAR_SPACE, 2, 0, BAR_SPACE / 2]);
        assert_eq!(chart.bars[3].y, 3 * ROW);
        assert_eq!(chart.height, 4 * ROW);
        assert_eq!(chart.bars.iter().map(|b| b.count).sum::<usize>(), 601);
    }
}
