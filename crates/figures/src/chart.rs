//! An indicator's values over time as a line chart in SVG: one line per group (everyone,
//! women, men), the baseline as a dash-dotted line across, each target as a ringed marker with its
//! words, an axis of periods below and one of round values to the left, a legend under it.
//!
//! Made to be read by all (WCAG 2.1 AA): the chart is one image (`role="img"`) named by the
//! caller's title and described by the caller's sentence; the groups differ in dash and
//! marker shape as well as colour, and the colours stand 3:1 or more against white; every
//! point carries a `<title>` with its value, shown on hover. The numbers themselves belong in
//! a table beside the chart too, which is the page's to give. See the `svg` module for what the
//! SVG avoids so that it can be put inline under a strict CSP.
//!
//! Layout in user units: the plot spans x 60–620 and y 30–290 of a 640-wide view; the periods
//! sit 20 units in from its sides so that markers never touch the axes. Output is the same
//! bytes for the same input: nothing hangs on a clock, a random number or a map's order.

use std::fmt::Write as _;

use crate::number::{format_number, with_unit};
use crate::svg::{clean_id, colour, escape, num, open};
use crate::{Baseline, Group, Indicator, Locale, Point, Target, Ticks, nice_ticks};
use marks::{BASELINE_DASH, dash_attr, legend, look, marker, target_marker};

mod marks;
#[cfg(test)]
mod tests;

/// Every word the chart shows, in the reader's language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartWords {
    /// The chart's accessible name (`<title>`), as the indicator's name.
    pub title: String,
    /// The text alternative: one or two sentences saying what the chart shows, such as the
    /// latest value and the target, read out by screen readers (`<desc>`).
    pub description: String,
    /// Shown instead of the chart when there are no values.
    pub no_data: String,
    pub all: String,
    pub women: String,
    pub men: String,
    pub baseline: String,
    pub target: String,
}

const WIDTH: f64 = 640.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 620.0;
const TOP: f64 = 30.0;
const BOTTOM: f64 = 290.0;
/// How far in from the plot's sides the first and last periods sit.
const INSET: f64 = 20.0;
const LEGEND_TOP: f64 = 332.0;
const LEGEND_ROW: f64 = 22.0;
const LEGEND_COLUMN: f64 = 190.0;
/// A rough width of a character of 11-unit text, to keep period labels from overlapping
/// (there is no font to measure with here).
const CHAR_WIDTH: f64 = 6.6;

/// Where values and periods land in the plot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scale {
    x_low: f64,
    x_high: f64,
    y_low: f64,
    y_high: f64,
}

impl Scale {
    pub(crate) fn x(&self, x: f64) -> f64 {
        LEFT + INSET + (x - self.x_low) / (self.x_high - self.x_low) * (RIGHT - LEFT - 2.0 * INSET)
    }

    pub(crate) fn y(&self, value: f64) -> f64 {
        BOTTOM - (value - self.y_low) / (self.y_high - self.y_low) * (BOTTOM - TOP)
    }
}

fn group_word(words: &ChartWords, group: Group) -> &str {
    match group {
        Group::All => &words.all,
        Group::Women => &words.women,
        Group::Men => &words.men,
    }
}

/// The periods on the axis, in order, one label per place: the values' own, then the marks'.
fn periods(indicator: &Indicator) -> Vec<(f64, &str)> {
    let points = indicator.series.iter().flat_map(|s| &s.points);
    let marks = indicator
        .baseline
        .iter()
        .map(|b| (b.x, b.value, b.label.as_str()));
    let mut periods: Vec<(f64, &str)> = points
        .map(|p| (p.x, p.value, p.label.as_str()))
        .chain(marks)
        .chain(
            indicator
                .targets
                .iter()
                .map(|t| (t.x, t.value, t.label.as_str())),
        )
        .filter(|(x, value, _)| x.is_finite() && value.is_finite())
        .map(|(x, _, label)| (x, label))
        .collect();
    periods.sort_by(|a, b| a.0.total_cmp(&b.0));
    periods.dedup_by(|later, first| later.0.total_cmp(&first.0).is_eq());
    periods
}

/// Which period labels to show: from the first on, each that clears the one before; the last
/// always, since it is the latest value or the target, dropping its neighbour if need be.
pub(crate) fn thin(places: &[(f64, usize)]) -> Vec<usize> {
    let half =
        |chars: usize| f64::from(u32::try_from(chars).unwrap_or(u32::MAX)) * CHAR_WIDTH / 2.0;
    let clears = |a: (f64, usize), b: (f64, usize)| a.0 + half(a.1) + 6.0 <= b.0 - half(b.1);
    let mut shown: Vec<usize> = Vec::new();
    for (i, &place) in places.iter().enumerate() {
        if shown.last().is_none_or(|&j| clears(places[j], place)) {
            shown.push(i);
        }
    }
    let last = places.len().wrapping_sub(1);
    if !places.is_empty() && shown.last() != Some(&last) {
        while shown
            .last()
            .is_some_and(|&j| !clears(places[j], places[last]))
        {
            shown.pop();
        }
        shown.push(last);
    }
    shown
}

/// What drawing the marks needs: where things land and how values are written.
struct Plot<'a> {
    scale: Scale,
    indicator: &'a Indicator,
    words: &'a ChartWords,
    locale: Locale,
}

impl Plot<'_> {
    fn value(&self, value: f64) -> String {
        let ind = self.indicator;
        with_unit(value, ind.decimals, &ind.unit, self.locale)
    }

    /// The baseline: a dash-dotted line across the plot, its words at the left above it.
    fn baseline(&self, out: &mut String, b: &Baseline) {
        let y = self.scale.y(b.value);
        let text = format!(
            "{} {}: {}",
            self.words.baseline,
            b.label,
            self.value(b.value)
        );
        let _ = write!(
            out,
            "<line x1=\"{LEFT}\" y1=\"{y}\" x2=\"{RIGHT}\" y2=\"{y}\" stroke=\"{c}\" \
             stroke-width=\"1.5\" stroke-dasharray=\"{BASELINE_DASH}\"/>\
             <text x=\"{}\" y=\"{}\" fill=\"{c}\" font-size=\"11\">{}</text>",
            LEFT + 4.0,
            num(y - 5.0),
            escape(&text),
            y = num(y),
            c = colour::MARK,
        );
    }

    /// A group's line, and a marker with its value as a title at each point.
    fn line(&self, out: &mut String, group: Group, points: &[&Point]) {
        let look = look(group);
        let (x, y) = (
            |p: &Point| self.scale.x(p.x),
            |p: &Point| self.scale.y(p.value),
        );
        let line: Vec<String> = points
            .iter()
            .map(|p| format!("{},{}", num(x(p)), num(y(p))))
            .collect();
        let _ = write!(
            out,
            "<g><polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"{}/>",
            line.join(" "),
            look.colour,
            dash_attr(look.dash)
        );
        for p in points {
            let title = format!(
                "{} {}: {}",
                group_word(self.words, group),
                p.label,
                self.value(p.value)
            );
            let _ = write!(out, "<g><title>{}</title>", escape(&title));
            marker(out, look.marker, x(p), y(p), look.colour);
            out.push_str("</g>");
        }
        out.push_str("</g>");
    }

    /// A target: a ring in its group's colour, its words to the left, where they stay inside
    /// the plot, since a target is mostly the last period on the axis.
    fn target(&self, out: &mut String, t: &Target) {
        let (x, y) = (self.scale.x(t.x), self.scale.y(t.value));
        let (words, value) = (self.words, self.value(t.value));
        let text = match t.group {
            Group::All => format!("{} {}: {value}", words.target, t.label),
            g => format!(
                "{} {} ({}): {value}",
                words.target,
                t.label,
                group_word(words, g)
            ),
        };
        let _ = write!(out, "<g><title>{}</title>", escape(&text));
        target_marker(out, x, y, look(t.group).colour);
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\">{}</text></g>",
            num(x - 10.0),
            num(y - 9.0),
            escape(&text)
        );
    }
}

/// The chart of `indicator`'s values as an SVG string. `id` (ASCII letters, digits, `-`, `_`)
/// must be unique in the page, since the accessible name is found by id.
pub fn line_chart(id: &str, indicator: &Indicator, words: &ChartWords, locale: Locale) -> String {
    let id = clean_id(id);
    let groups: Vec<(Group, Vec<&Point>)> = [Group::All, Group::Women, Group::Men]
        .into_iter()
        .map(|g| (g, indicator.values_of(g)))
        .filter(|(_, points)| !points.is_empty())
        .collect();
    let mut out = String::with_capacity(8 * 1024);
    if groups.is_empty() {
        open(
            &mut out,
            &id,
            WIDTH,
            120.0,
            &words.title,
            &words.description,
        );
        let _ = write!(
            out,
            "<text x=\"320\" y=\"64\" text-anchor=\"middle\" font-size=\"14\">{}</text></svg>",
            escape(&words.no_data)
        );
        return out;
    }
    let finite = |x: f64, value: f64| x.is_finite() && value.is_finite();
    let baseline = indicator.baseline.as_ref().filter(|b| finite(b.x, b.value));
    let targets: Vec<&Target> = indicator
        .targets
        .iter()
        .filter(|t| finite(t.x, t.value))
        .collect();

    let values = groups.iter().flat_map(|(_, ps)| ps.iter().map(|p| p.value));
    let values = values
        .chain(baseline.map(|b| b.value))
        .chain(targets.iter().map(|t| t.value));
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let ticks = nice_ticks(low, high, 5);
    let periods = periods(indicator);
    let (first, last) = (
        periods.first().map_or(0.0, |p| p.0),
        periods.last().map_or(0.0, |p| p.0),
    );
    // One period alone sits in the middle.
    let (x_low, x_high) = if first < last {
        (first, last)
    } else {
        (first - 0.5, first + 0.5)
    };
    let scale = Scale {
        x_low,
        x_high,
        y_low: ticks.low(),
        y_high: ticks.high(),
    };

    let legend_items =
        groups.len() + usize::from(baseline.is_some()) + usize::from(!targets.is_empty());
    let rows = f64::from(u32::try_from(legend_items.div_ceil(3)).unwrap_or(1));
    open(
        &mut out,
        &id,
        WIDTH,
        LEGEND_TOP + LEGEND_ROW * rows + 4.0,
        &words.title,
        &words.description,
    );
    value_axis(&mut out, &scale, &ticks, &indicator.unit, locale);
    period_axis(&mut out, &scale, &periods);
    let plot = Plot {
        scale,
        indicator,
        words,
        locale,
    };
    if let Some(b) = baseline {
        plot.baseline(&mut out, b);
    }
    for (group, points) in &groups {
        plot.line(&mut out, *group, points);
    }
    for t in targets.iter().copied() {
        plot.target(&mut out, t);
    }
    legend(
        &mut out,
        &groups,
        baseline.is_some(),
        !targets.is_empty(),
        words,
    );
    out.push_str("</svg>");
    out
}

/// The value axis: grid lines at round values, labelled, and the unit above.
fn value_axis(out: &mut String, scale: &Scale, ticks: &Ticks, unit: &str, locale: Locale) {
    let _ = write!(
        out,
        "<text x=\"8\" y=\"16\" fill=\"{}\">{}</text>",
        colour::MARK,
        escape(unit)
    );
    out.push_str("<g font-size=\"11\" text-anchor=\"end\">");
    for &tick in &ticks.values {
        let y = num(scale.y(tick));
        let _ = write!(
            out,
            "<line x1=\"{LEFT}\" y1=\"{y}\" x2=\"{RIGHT}\" y2=\"{y}\" stroke=\"{}\"/><text x=\"{}\" y=\"{}\">{}</text>",
            colour::GRID,
            num(LEFT - 6.0),
            num(scale.y(tick) + 4.0),
            format_number(tick, ticks.decimals, locale)
        );
    }
    out.push_str("</g>");
}

/// The period axis: a tick for each period, a label for as many as fit.
fn period_axis(out: &mut String, scale: &Scale, periods: &[(f64, &str)]) {
    let _ = write!(
        out,
        "<line x1=\"{LEFT}\" y1=\"{BOTTOM}\" x2=\"{RIGHT}\" y2=\"{BOTTOM}\" stroke=\"{}\"/>",
        colour::MARK
    );
    let places: Vec<(f64, usize)> = periods
        .iter()
        .map(|&(x, label)| (scale.x(x), label.chars().count()))
        .collect();
    out.push_str("<g font-size=\"11\" text-anchor=\"middle\">");
    for &(x, _) in &places {
        let _ = write!(
            out,
            "<line x1=\"{0}\" y1=\"{BOTTOM}\" x2=\"{0}\" y2=\"{1}\" stroke=\"{2}\"/>",
            num(x),
            BOTTOM + 5.0,
            colour::MARK
        );
    }
    for i in thin(&places) {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            num(places[i].0),
            BOTTOM + 18.0,
            escape(periods[i].1)
        );
    }
    out.push_str("</g>");
}
