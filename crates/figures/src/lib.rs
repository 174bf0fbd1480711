//! An indicator's measured values turned into what its pages show: a judgement of the latest
//! value against a target ([`judge`](mod@judge)), the gap between women and men and the
//! spread between areas ([`gap`]), a line chart over time ([`chart`]) and a map of a county's
//! municipalities ([`map`]), the last two as SVG strings.
//!
//! Pure functions over plain types: no I/O, no HTTP, no database. The web layer maps its own
//! model to these types, so this crate knows nothing of plans or sources. It also holds no
//! words a person reads: every title, legend text and judgement name comes from the caller
//! (who has them from `rodtrad-i18n`), and numbers are written in the caller's [`Locale`].
//! The municipalities' outlines are the one thing it carries itself (`data/`, see
//! [`geo`]).

pub mod chart;
pub mod gap;
pub mod geo;
pub mod judge;
pub mod map;
mod number;
mod svg;
mod ticks;

pub use chart::{ChartWords, line_chart};
pub use gap::{AreaPoint, AreaValue, SexGap, Spread, sex_gap, spread};
pub use geo::{Municipality, municipalities};
pub use judge::{Assessment, Judgement, judge};
pub use map::{MapError, MapWords, class_bounds, county_map};
pub use number::{Locale, format_number};
pub use ticks::{Ticks, nice_ticks};

/// Whom a value is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    All,
    Women,
    Men,
}

/// One measured value. `x` is the period's place on the time axis in years (a year 2021 as
/// 2021.0, a span 2021–2024 as its middle, 2022.5): the caller places periods, because it
/// knows their kinds, and years are the unit the judgement's change per year is in.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    pub x: f64,
    /// The period as people read it (`2021`, `2021K2`, `2021–2024`).
    pub label: String,
    pub value: f64,
}

/// One group's values over time. Values that are not finite are skipped wherever they are
/// used, so a caller may pass what a source gave without cleaning it first.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub group: Group,
    pub points: Vec<Point>,
}

/// The value the plan starts from, for everyone.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    pub x: f64,
    pub label: String,
    pub value: f64,
}

/// A value the plan aims at by a period, for a group.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub x: f64,
    pub label: String,
    pub value: f64,
    pub group: Group,
}

/// Which way is better: what "meets the target" and "on track" mean.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}

/// An indicator's values and marks, as the chart and the judgement read them.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    pub series: Vec<Series>,
    pub baseline: Option<Baseline>,
    pub targets: Vec<Target>,
    pub direction: Direction,
    /// How many decimals values are shown with; comparisons are made as shown.
    pub decimals: u8,
    /// The unit as shown after values and on the axis (`%`, `per 1 000 invånare`); may be empty.
    pub unit: String,
}

impl Indicator {
    /// The finite values of a group, in time order.
    pub(crate) fn values_of(&self, group: Group) -> Vec<&Point> {
        let mut points: Vec<&Point> = self
            .series
            .iter()
            .filter(|s| s.group == group)
            .flat_map(|s| &s.points)
            .filter(|p| p.x.is_finite() && p.value.is_finite())
            .collect();
        points.sort_by(|a, b| a.x.total_cmp(&b.x));
        points
    }
}
