//! How the chart's groups and marks look, and the legend that says so: each group its
//! colour, dash and marker shape, so that none is told by colour alone (WCAG 1.4.1), and the
//! baseline and targets shapes no group has.

use std::fmt::Write as _;

use super::{ChartWords, LEFT, LEGEND_COLUMN, LEGEND_ROW, LEGEND_TOP, group_word};
use crate::svg::{colour, escape, num};
use crate::{Group, Point};

/// How a group's line is drawn: colour, dash and marker, so that no group is told by colour
/// alone.
pub(super) struct Look {
    pub colour: &'static str,
    pub dash: Option<&'static str>,
    pub marker: Marker,
}

#[derive(Clone, Copy)]
pub(super) enum Marker {
    Circle,
    Triangle,
    Square,
}

pub(super) fn look(group: Group) -> Look {
    match group {
        Group::All => Look {
            colour: colour::ALL,
            dash: None,
            marker: Marker::Circle,
        },
        Group::Women => Look {
            colour: colour::WOMEN,
            dash: Some("9 4"),
            marker: Marker::Triangle,
        },
        Group::Men => Look {
            colour: colour::MEN,
            dash: Some("3 3"),
            marker: Marker::Square,
        },
    }
}

pub(super) const BASELINE_DASH: &str = "12 4 3 4";

pub(super) fn marker(out: &mut String, shape: Marker, x: f64, y: f64, fill: &str) {
    let (cx, cy) = (num(x), num(y));
    let _ = match shape {
        Marker::Circle => write!(
            out,
            "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"4\" fill=\"{fill}\"/>"
        ),
        Marker::Square => write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\" fill=\"{fill}\"/>",
            num(x - 4.0),
            num(y - 4.0)
        ),
        Marker::Triangle => write!(
            out,
            "<path d=\"M{cx} {}L{} {}L{} {}Z\" fill=\"{fill}\"/>",
            num(y - 5.0),
            num(x + 5.0),
            num(y + 4.0),
            num(x - 5.0),
            num(y + 4.0)
        ),
    };
}

/// A ring with a dot: a target, unlike any point's marker.
pub(super) fn target_marker(out: &mut String, x: f64, y: f64, stroke: &str) {
    let (cx, cy) = (num(x), num(y));
    let _ = write!(
        out,
        "<circle cx=\"{cx}\" cy=\"{cy}\" r=\"7\" fill=\"#ffffff\" stroke=\"{stroke}\" stroke-width=\"2\"/>\
         <circle cx=\"{cx}\" cy=\"{cy}\" r=\"2.5\" fill=\"{stroke}\"/>"
    );
}

pub(super) fn dash_attr(dash: Option<&str>) -> String {
    dash.map(|d| format!(" stroke-dasharray=\"{d}\""))
        .unwrap_or_default()
}

/// The legend, three entries to a row: a sample of each line with its marker, then the marks.
pub(super) fn legend(
    out: &mut String,
    groups: &[(Group, Vec<&Point>)],
    baseline: bool,
    targets: bool,
    words: &ChartWords,
) {
    let mut entries: Vec<(Option<Group>, &str)> = groups
        .iter()
        .map(|(g, _)| (Some(*g), group_word(words, *g)))
        .collect();
    if baseline {
        entries.push((None, &words.baseline));
    }
    out.push_str("<g>");
    let mut place = 0u32;
    let mut at = || {
        let (row, column) = (place / 3, place % 3);
        place += 1;
        (
            LEFT + LEGEND_COLUMN * f64::from(column),
            LEGEND_TOP + LEGEND_ROW * f64::from(row),
        )
    };
    for (group, text) in entries {
        let (x, y) = at();
        let (stroke, dash, width) = match group {
            Some(g) => (look(g).colour, look(g).dash, "2.5"),
            None => (colour::MARK, Some(BASELINE_DASH), "1.5"),
        };
        let _ = write!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{1}\" stroke=\"{stroke}\" stroke-width=\"{width}\"{}/>",
            num(x),
            num(y - 4.0),
            num(x + 32.0),
            dash_attr(dash)
        );
        if let Some(g) = group {
            marker(out, look(g).marker, x + 16.0, y - 4.0, look(g).colour);
        }
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            num(x + 40.0),
            num(y),
            escape(text)
        );
    }
    if targets {
        let (x, y) = at();
        target_marker(out, x + 16.0, y - 4.0, colour::ALL);
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            num(x + 40.0),
            num(y),
            escape(&words.target)
        );
    }
    out.push_str("</g>");
}
