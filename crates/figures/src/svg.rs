//! What the chart and the map share in writing SVG: escaping text, writing numbers short and
//! the same every time, the opening with its accessible name, and the colours.
//!
//! The SVG is meant to be put inline in a page under a strict Content Security Policy: no
//! scripts, no `style` attributes or elements (presentation attributes instead), no references
//! outside the document. Its size comes from a `viewBox` only, so it scales with the page and
//! prints sharp.

use std::fmt::Write as _;

/// `text` safe in SVG text and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML does not allow at all would make the document unreadable.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with at most one decimal, trailing zeros dropped and no `-0`: a tenth of a
/// user unit is far below what a screen or a printer shows, and short numbers keep the SVG
/// small and the same from run to run.
pub(crate) fn num(value: f64) -> String {
    let tenths = (value * 10.0).round();
    if tenths == 0.0 || !tenths.is_finite() {
        return "0".to_owned();
    }
    let mut s = format!("{:.1}", tenths / 10.0);
    if s.ends_with(".0") {
        s.truncate(s.len() - 2);
    }
    s
}

/// An id for use inside the SVG: the caller's prefix with anything but ASCII letters, digits,
/// `-` and `_` dropped, so it can never break out of an attribute or a `url(#…)`.
pub(crate) fn clean_id(id: &str) -> String {
    let id: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    if id.is_empty() {
        "figure".to_owned()
    } else {
        id
    }
}

/// The opening of a figure: `role="img"` with its name and description from `<title>` and
/// `<desc>` (by id, as `aria-labelledby` wants), and the font for all text.
pub(crate) fn open(out: &mut String, id: &str, width: f64, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" role=\"img\" \
         aria-labelledby=\"{id}-title {id}-desc\" font-family=\"system-ui, sans-serif\" font-size=\"12\" fill=\"#1a1a1a\">\
         <title id=\"{id}-title\">{title}</title><desc id=\"{id}-desc\">{desc}</desc>",
        w = num(width),
        h = num(height),
        title = escape(title),
        desc = escape(desc),
    );
}

/// Line colours, each at least 3:1 against white (WCAG 1.4.11, graphical objects; a test
/// checks it). The groups are also told apart by dash and marker, never by colour alone.
pub(crate) mod colour {
    /// Everyone: near-black.
    pub const ALL: &str = "#1a1a1a";
    /// Women: a purple-red (Okabe–Ito's reddish purple, darkened).
    pub const WOMEN: &str = "#a8326e";
    /// Men: a blue (Okabe–Ito's blue, darkened).
    pub const MEN: &str = "#005a8c";
    /// The baseline and axis words: a grey dark enough for text (7:1).
    pub const MARK: &str = "#595959";
    /// Grid lines are decoration, not information, so they may be light.
    pub const GRID: &str = "#dcdcdc";
}

/// The WCAG contrast ratio of a `#rrggbb` colour against white, for the tests that hold the
/// palettes to it.
#[cfg(test)]
pub(crate) fn contrast_with_white(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    let luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
    1.05 / (luminance + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape("a < b & \"c\" > 'd'"),
            "a &lt; b &amp; &quot;c&quot; &gt; &#39;d&#39;"
        );
        assert_eq!(escape("Örebro\u{0}län"), "Örebrolän");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.3");
        assert_eq!(num(-0.04), "0");
        assert_eq!(num(-3.96), "-4");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn ids_cannot_break_out() {
        assert_eq!(clean_id("chart-1\" onload=\"x"), "chart-1onloadx");
        assert_eq!(clean_id("<>"), "figure");
    }

    #[test]
    fn line_colours_stand_out_against_white() {
        for c in [colour::ALL, colour::WOMEN, colour::MEN, colour::MARK] {
            assert!(
                contrast_with_white(c) >= 4.5,
                "{c}: {}",
                contrast_with_white(c)
            );
        }
        // Black against white, the largest contrast there is: 21:1.
        assert!((contrast_with_white("#000000") - 21.0).abs() < 1e-9);
    }
}
