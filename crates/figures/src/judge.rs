//! The judgement of an indicator's latest value against a target, and the figures it rests
//! on, so that a page can show why and not only what. The method is kept simple enough to be
//! checked by hand, and this text is what the user documentation says:
//!
//! ## How a target is judged
//!
//! A target is judged on the values of the group it is set for (everyone, women or men).
//! Values that are missing are left out. Values are compared as they are shown, rounded to the
//! indicator's number of decimals. "Meets the target" means at least the target when higher
//! is better, and at most the target when lower is better.
//!
//! 1. **Too little data** when there is no target, or no value for the group.
//! 2. **Reached** when the latest value meets the target, whether or not the target's period
//!    has come.
//! 3. Otherwise a straight line is drawn from a start to the latest value. The start is the
//!    baseline when the target is for everyone and the baseline is earlier than the latest
//!    value (the baseline is everyone's value, so it does not start a line for women or men);
//!    else the group's first value. If the start is not earlier than the latest value (one
//!    value only, and no baseline before it), the judgement is **too little data**.
//! 4. If the target's period is not later than the latest value's, the time is out and the
//!    judgement is **not on track**.
//! 5. Otherwise the change per year so far is (latest value − start value) ÷ (years between
//!    them), and the change per year needed is (target − latest value) ÷ (years from the
//!    latest value to the target's period). Continuing the line to the target's period gives
//!    the projected value: latest value + change per year so far × years left. **On track**
//!    when the projected value meets the target, otherwise **not on track**. (This is the same
//!    as asking whether the change so far is at least the change needed, in the better
//!    direction.)
//!
//! Years are the periods' places on the time axis ([`Point::x`]), so a quarter is a quarter of
//! a year and a span of years counts from its middle.

use crate::number::round_to;
use crate::{Direction, Indicator, Point, Target};

/// What a target's judgement says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Judgement {
    Reached,
    OnTrack,
    NotOnTrack,
    TooLittleData,
}

/// A judgement and the figures it used; a figure is `None` where it could not be computed (no
/// start, or no time left before the target).
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub judgement: Judgement,
    /// The group's latest value and its period.
    pub latest: Option<Point>,
    /// Where the line starts: the baseline or the group's first value.
    pub start: Option<Point>,
    /// (latest − start) ÷ years between them.
    pub change_per_year: Option<f64>,
    /// (target − latest) ÷ years left to the target's period.
    pub needed_per_year: Option<f64>,
    /// The line from the start through the latest value, continued to the target's period.
    pub projected: Option<f64>,
}

/// Judges `target` on `indicator`'s values by the method in the module doc.
pub fn judge(indicator: &Indicator, target: Option<&Target>) -> Assessment {
    let mut out = Assessment {
        judgement: Judgement::TooLittleData,
        latest: None,
        start: None,
        change_per_year: None,
        needed_per_year: None,
        projected: None,
    };
    let Some(target) = target.filter(|t| t.x.is_finite() && t.value.is_finite()) else {
        return out;
    };
    let values = indicator.values_of(target.group);
    let Some(&latest) = values.last() else {
        return out;
    };
    out.latest = Some(latest.clone());

    let baseline = indicator
        .baseline
        .as_ref()
        .filter(|b| target.group == crate::Group::All && b.x.is_finite() && b.value.is_finite())
        .filter(|b| b.x < latest.x)
        .map(|b| Point {
            x: b.x,
            label: b.label.clone(),
            value: b.value,
        });
    let start = baseline
        .or_else(|| values.first().map(|&p| p.clone()))
        .filter(|s| s.x < latest.x);
    if let Some(start) = &start {
        out.change_per_year = Some((latest.value - start.value) / (latest.x - start.x));
    }
    out.start = start;
    if target.x > latest.x {
        let years_left = target.x - latest.x;
        out.needed_per_year = Some((target.value - latest.value) / years_left);
        out.projected = out
            .change_per_year
            .map(|change| latest.value + change * years_left);
    }

    let meets = |value: f64| {
        let (value, aim) = (
            round_to(value, indicator.decimals),
            round_to(target.value, indicator.decimals),
        );
        match indicator.direction {
            Direction::HigherIsBetter => value >= aim,
            Direction::LowerIsBetter => value <= aim,
        }
    };
    out.judgement = if meets(latest.value) {
        Judgement::Reached
    } else if out.start.is_none() {
        Judgement::TooLittleData
    } else if out.projected.is_some_and(meets) {
        Judgement::OnTrack
    } else {
        // Either the projection falls short, or there is none because the time is out.
        Judgement::NotOnTrack
    };
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Baseline, Group, Series};

    fn point(x: f64, value: f64) -> Point {
        Point {
            x,
            label: format!("{x}"),
            value,
        }
    }

    fn indicator(direction: Direction, all: &[(f64, f64)], women: &[(f64, f64)]) -> Indicator {
        let series = |group, values: &[(f64, f64)]| Series {
            group,
            points: values.iter().map(|&(x, v)| point(x, v)).collect(),
        };
        Indicator {
            series: vec![series(Group::All, all), series(Group::Women, women)],
            baseline: None,
            targets: vec![],
            direction,
            decimals: 1,
            unit: "%".to_owned(),
        }
    }

    fn target(x: f64, value: f64, group: Group) -> Target {
        Target {
            x,
            label: format!("{x}"),
            value,
            group,
        }
    }

    #[test]
    fn on_track_from_the_baseline() {
        let mut ind = indicator(
            Direction::HigherIsBetter,
            &[(2020.0, 60.0), (2022.0, 64.0)],
            &[],
        );
        ind.baseline = Some(Baseline {
            x: 2019.0,
            label: "2019".into(),
            value: 58.0,
        });
        let a = judge(&ind, Some(&target(2030.0, 80.0, Group::All)));
        // Start 2019 at 58.0 (the baseline, not the first value 2020).
        // So far: (64 − 58) / (2022 − 2019) = 6 / 3 = 2.0 per year.
        // Needed: (80 − 64) / (2030 − 2022) = 16 / 8 = 2.0 per year.
        // Projected: 64 + 2 × 8 = 80.0, which meets 80 → on track.
        assert_eq!(a.judgement, Judgement::OnTrack);
        assert_eq!(a.start.as_ref().map(|s| s.x), Some(2019.0));
        assert_eq!(a.latest.as_ref().map(|l| l.value), Some(64.0));
        assert_eq!(a.change_per_year, Some(2.0));
        assert_eq!(a.needed_per_year, Some(2.0));
        assert_eq!(a.projected, Some(80.0));
    }

    #[test]
    fn not_on_track_when_the_line_falls_short() {
        let ind = indicator(
            Direction::HigherIsBetter,
            &[(2020.0, 60.0), (2024.0, 62.0)],
            &[],
        );
        let a = judge(&ind, Some(&target(2030.0, 70.0, Group::All)));
        // No baseline: start at the first value. So far (62 − 60) / 4 = 0.5 per year;
        // needed (70 − 62) / 6 = 1.333… per year; projected 62 + 0.5 × 6 = 65 < 70.
        assert_eq!(a.judgement, Judgement::NotOnTrack);
        assert_eq!(a.change_per_year, Some(0.5));
        assert!((a.needed_per_year.unwrap_or_default() - 4.0 / 3.0).abs() < 1e-12);
        assert_eq!(a.projected, Some(65.0));
    }

    #[test]
    fn lower_is_better_counts_a_fall_as_progress() {
        let ind = indicator(
            Direction::LowerIsBetter,
            &[(2018.0, 20.0), (2023.0, 15.0)],
            &[],
        );
        // So far (15 − 20) / 5 = −1.0 per year; projected 2028: 15 − 1 × 5 = 10 ≤ 10.
        let a = judge(&ind, Some(&target(2028.0, 10.0, Group::All)));
        assert_eq!(
            (a.judgement, a.change_per_year, a.projected),
            (Judgement::OnTrack, Some(-1.0), Some(10.0))
        );
        // Against 9: 10 > 9 → not on track; needed (9 − 15) / 5 = −1.2 per year.
        let a = judge(&ind, Some(&target(2028.0, 9.0, Group::All)));
        assert_eq!(
            (a.judgement, a.needed_per_year),
            (Judgement::NotOnTrack, Some(-1.2))
        );
    }

    #[test]
    fn reached_when_the_latest_value_meets_the_target_as_shown() {
        let ind = indicator(Direction::HigherIsBetter, &[(2024.0, 79.96)], &[]);
        // 79.96 is shown as 80.0 with one decimal, so it meets 80 even with one value only.
        let a = judge(&ind, Some(&target(2030.0, 80.0, Group::All)));
        assert_eq!(a.judgement, Judgement::Reached);
        assert_eq!(a.start, None);
    }

    #[test]
    fn too_little_data_without_a_target_values_or_a_start() {
        let ind = indicator(Direction::HigherIsBetter, &[(2024.0, 50.0)], &[]);
        assert_eq!(judge(&ind, None).judgement, Judgement::TooLittleData);
        // One value and no baseline before it: no line to continue.
        assert_eq!(
            judge(&ind, Some(&target(2030.0, 80.0, Group::All))).judgement,
            Judgement::TooLittleData
        );
        // No values for women at all.
        let a = judge(&ind, Some(&target(2030.0, 80.0, Group::Women)));
        assert_eq!((a.judgement, a.latest), (Judgement::TooLittleData, None));
    }

    #[test]
    fn a_target_for_women_starts_at_their_first_value_not_the_baseline() {
        let mut ind = indicator(
            Direction::HigherIsBetter,
            &[],
            &[(2020.0, 40.0), (2022.0, 41.0)],
        );
        ind.baseline = Some(Baseline {
            x: 2015.0,
            label: "2015".into(),
            value: 10.0,
        });
        // Start 2020 at 40: (41 − 40) / 2 = 0.5 per year; projected 2030: 41 + 0.5 × 8 = 45 < 50.
        let a = judge(&ind, Some(&target(2030.0, 50.0, Group::Women)));
        assert_eq!(
            (a.judgement, a.projected),
            (Judgement::NotOnTrack, Some(45.0))
        );
    }

    #[test]
    fn not_on_track_when_the_target_period_has_passed() {
        let ind = indicator(
            Direction::HigherIsBetter,
            &[(2020.0, 60.0), (2024.0, 68.0)],
            &[],
        );
        let a = judge(&ind, Some(&target(2023.0, 70.0, Group::All)));
        // So far (68 − 60) / 4 = 2.0 per year, but no years are left: no need or projection.
        assert_eq!(
            (a.judgement, a.change_per_year, a.needed_per_year),
            (Judgement::NotOnTrack, Some(2.0), None)
        );
    }

    #[test]
    fn values_that_are_not_numbers_are_skipped() {
        let ind = indicator(
            Direction::HigherIsBetter,
            &[(2020.0, 60.0), (2022.0, 64.0), (2023.0, f64::NAN)],
            &[],
        );
        let a = judge(&ind, Some(&target(2030.0, 80.0, Group::All)));
        assert_eq!(a.latest.map(|l| l.x), Some(2022.0));
        assert_eq!(
            judge(&ind, Some(&target(2030.0, f64::INFINITY, Group::All))).judgement,
            Judgement::TooLittleData
        );
    }
}
