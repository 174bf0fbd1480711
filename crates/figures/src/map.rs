//! A map of a county's municipalities in SVG, each filled by the class its value falls in:
//! a choropleth for an indicator measured per municipality.
//!
//! **Classes** are equal intervals between the lowest and the highest value shown, five of
//! them, or fewer when there are fewer distinct values; the bounds are rounded to the
//! indicator's decimals so that the legend says exactly what is meant, and a value on a bound
//! belongs to the class above it (the highest value to the last class). Equal intervals rather
//! than quantiles because the legend then reads as a plain scale and the same value keeps its
//! colour however the others lie; with a county's 5 to 49 municipalities, quantiles would also
//! put one or two in a class.
//!
//! **Colours** are a sequential scale of blues, light for low and dark for high (ColorBrewer's
//! Blues). The scale is neutral on purpose: whether high is good depends on the indicator,
//! and red-to-green would judge where the map only shows. A municipality without a value is
//! hatched grey, unlike any class, with its own entry in the legend.
//!
//! Every municipality carries a `<title>` with its name and value, shown on hover; the whole
//! map is one image (`role="img"`) named and described by the caller's words, so the values
//! should also be in a table on the page for screen readers. Outlines come from [`crate::geo`].

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::Locale;
use crate::geo::{municipalities, project};
use crate::number::{format_number, round_to, with_unit};
use crate::svg::{clean_id, colour, escape, num, open};

/// Why a map could not be drawn.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MapError {
    /// No municipalities have codes starting with these two digits.
    #[error("no county has the code {0:?}")]
    UnknownCounty(String),
    /// The outlines shipped with the crate could not be read: a bug, which the tests catch.
    #[error("the map data shipped with rodtrad-figures is broken: {0}")]
    Data(String),
}

/// Every word the map shows, in the reader's language.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MapWords {
    /// The map's accessible name (`<title>`).
    pub title: String,
    /// The text alternative (`<desc>`): what the map shows, such as the highest and lowest.
    pub description: String,
    /// Above the legend's classes, such as the indicator and period; empty for none.
    pub legend: String,
    /// For a municipality without a value, in its title and the legend.
    pub no_value: String,
    /// The boundaries' credit, which their licence (CC BY 4.0) asks for wherever the map is
    /// shown: "Källa: SCB" or "Source: Statistics Sweden". Written under the legend, so that
    /// it stays with the map when the SVG is saved or printed on its own.
    pub credit: String,
}

/// Sequential blues (ColorBrewer), for 1 to 5 classes, light to dark.
const BLUES: [&[&str]; 5] = [
    &["#6baed6"],
    &["#bdd7e7", "#3182bd"],
    &["#deebf7", "#9ecae1", "#3182bd"],
    &["#eff3ff", "#bdd7e7", "#6baed6", "#2171b5"],
    &["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],
];
const MOST_CLASSES: usize = 5;
/// The longer side of the county's extent, in user units.
const MAP_SIZE: f64 = 480.0;
const MARGIN: f64 = 10.0;
const LEGEND_WIDTH: f64 = 210.0;

/// The bounds of the classes for `values`, lowest first: class i is from bound i up to bound
/// i + 1, the last including its upper bound. One bound less than needed for a class means no
/// values; two equal-valued bounds, one class. See the module doc for the method.
pub fn class_bounds(values: &[f64], decimals: u8) -> Vec<f64> {
    let mut shown: Vec<f64> = values
        .iter()
        .filter(|v| v.is_finite())
        .map(|&v| round_to(v, decimals))
        .collect();
    shown.sort_by(f64::total_cmp);
    shown.dedup();
    let (Some(&low), Some(&high)) = (shown.first(), shown.last()) else {
        return Vec::new();
    };
    if shown.len() == 1 {
        return vec![low, high];
    }
    let classes = shown.len().min(MOST_CLASSES);
    let step = (high - low) / f64::from(u32::try_from(classes).unwrap_or(5));
    let mut bounds: Vec<f64> = (0..=classes)
        .map(|i| {
            if i == classes {
                high
            } else {
                round_to(
                    low + step * f64::from(u32::try_from(i).unwrap_or(0)),
                    decimals,
                )
            }
        })
        .collect();
    // Rounding may bring neighbouring bounds together (0, 1 and 2 in three classes with no
    // decimals): then there are fewer classes.
    bounds.dedup();
    bounds
}

/// The class of `value` between `bounds`, as [`class_bounds`] says.
fn class_of(value: f64, bounds: &[f64], decimals: u8) -> usize {
    let value = round_to(value, decimals);
    let classes = bounds.len().saturating_sub(1).max(1).min(bounds.len());
    bounds[..classes]
        .iter()
        .rposition(|&b| value >= b)
        .unwrap_or(0)
}

/// An outline as path data: each ring a move, lines and a close.
fn path_data(shape: &[Vec<(f64, f64)>]) -> String {
    let mut d = String::new();
    for ring in shape {
        for (i, &(x, y)) in ring.iter().enumerate() {
            let _ = write!(d, "{}{} {}", if i == 0 { "M" } else { "L" }, num(x), num(y));
        }
        d.push('Z');
    }
    d
}

/// The legend's words for each class: its bounds (`10,0–15,0 %`), or the one value when a
/// class is a single value.
fn class_labels(bounds: &[f64], decimals: u8, unit: &str, locale: Locale) -> Vec<String> {
    let classes = bounds.len().saturating_sub(1);
    (0..classes)
        .map(|i| {
            let low = format_number(bounds[i], decimals, locale);
            let high = format_number(bounds[i + 1], decimals, locale);
            let range = if low == high {
                low
            } else {
                format!("{low}–{high}")
            };
            if unit.is_empty() {
                range
            } else {
                format!("{range}\u{a0}{unit}")
            }
        })
        .collect()
}

/// The legend at `x`: a heading, then a swatch and words for each entry, one under the other,
/// and the credit.
fn legend(out: &mut String, x: f64, heading: &str, entries: &[(&str, String)], credit: &str) {
    let _ = write!(
        out,
        "<g><text x=\"{}\" y=\"24\" font-weight=\"bold\">{}</text>",
        num(x),
        escape(heading)
    );
    let mut y = 40.0;
    for (fill, text) in entries {
        let _ = write!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"22\" height=\"15\" fill=\"{fill}\" stroke=\"{}\" \
             stroke-width=\"0.75\"/><text x=\"{}\" y=\"{}\">{}</text>",
            num(x),
            num(y),
            colour::MARK,
            num(x + 30.0),
            num(y + 12.0),
            escape(text)
        );
        y += 24.0;
    }
    if !credit.is_empty() {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"10\" fill=\"{}\">{}</text>",
            num(x),
            num(y + 12.0),
            colour::MARK,
            escape(credit)
        );
    }
    out.push_str("</g>");
}

/// The map of `county`'s municipalities (`"18"`) with `values` by municipality code, as an
/// SVG string. Codes outside the county are left out; municipalities without a value, or with
/// one that is not finite, are shown as without. `id` must be unique in the page.
pub fn county_map(
    id: &str,
    county: &str,
    values: &[(&str, Option<f64>)],
    decimals: u8,
    unit: &str,
    words: &MapWords,
    locale: Locale,
) -> Result<String, MapError> {
    let id = clean_id(id);
    let municipalities = municipalities(county)?;
    let mut by_code: BTreeMap<&str, f64> = BTreeMap::new();
    for &(code, value) in values {
        if let Some(value) = value.filter(|v| v.is_finite()) {
            by_code.entry(code).or_insert(value);
        }
    }
    let value_of = |code: &str| by_code.get(code).copied();
    let shown: Vec<f64> = municipalities
        .iter()
        .filter_map(|m| value_of(&m.code))
        .collect();
    let bounds = class_bounds(&shown, decimals);
    let classes = bounds.len().saturating_sub(1);
    let fills: &[&str] = if classes == 0 {
        &[]
    } else {
        BLUES[classes - 1]
    };
    let any_missing = shown.len() < municipalities.len();

    let plane = project(municipalities, MAP_SIZE);
    let legend_rows = classes + usize::from(any_missing);
    // The heading, the entries and a line for the credit.
    let legend_height = 64.0 + 24.0 * f64::from(u32::try_from(legend_rows).unwrap_or(0));
    let width = MARGIN + plane.width + 24.0 + LEGEND_WIDTH;
    let height = (plane.height + 2.0 * MARGIN).max(legend_height);
    let mut out = String::with_capacity(64 * 1024);
    open(
        &mut out,
        &id,
        width,
        height,
        &words.title,
        &words.description,
    );
    let none = format!("url(#{id}-none)");
    // Hatching for "no value", so it differs from every class by pattern and not colour alone.
    let _ = write!(
        out,
        "<defs><pattern id=\"{id}-none\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">\
         <rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#8c8c8c\" stroke-width=\"2\"/></pattern></defs>"
    );

    let _ = write!(
        out,
        "<g transform=\"translate({MARGIN} {MARGIN})\" stroke=\"{}\" stroke-width=\"0.75\" stroke-linejoin=\"round\" fill-rule=\"evenodd\">",
        colour::MARK
    );
    for (m, shape) in municipalities.iter().zip(&plane.shapes) {
        let (fill, value) = match value_of(&m.code) {
            Some(v) => (
                fills
                    .get(class_of(v, &bounds, decimals))
                    .copied()
                    .unwrap_or(colour::MARK),
                with_unit(v, decimals, unit, locale),
            ),
            None => (none.as_str(), words.no_value.clone()),
        };
        let _ = write!(
            out,
            "<path d=\"{}\" fill=\"{fill}\"><title>{}: {}</title></path>",
            path_data(shape),
            escape(&m.name),
            escape(&value)
        );
    }
    out.push_str("</g>");

    let mut entries: Vec<(&str, String)> = fills
        .iter()
        .copied()
        .zip(class_labels(&bounds, decimals, unit, locale))
        .collect();
    if any_missing {
        entries.push((&none, words.no_value.clone()));
    }
    legend(
        &mut out,
        MARGIN + plane.width + 24.0,
        &words.legend,
        &entries,
        &words.credit,
    );
    out.push_str("</svg>");
    Ok(out)
}

#[cfg(test)]
mod tests;
