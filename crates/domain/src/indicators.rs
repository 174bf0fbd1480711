//! Indicators (indikatorer, nyckeltal): measured quantities tied to goals, with a baseline and
//! targets per goal, and the coordinates of their values (period, area, sex).
//!
//! An indicator is an item of the data set like an activity: entered once, linked to goals in
//! any plan. Its values are not: a national instance holds millions of them, so they live in
//! their own tables, come in bulk, and are never part of a [`crate::DataSet`]. What a value is
//! of is said by the types here, which read codes as the statistics sources write them and
//! write each in one way, so that a value imported twice, from two sources, is the same value.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{GoalRef, Slug};

/// A measured quantity tied to goals (e.g. the share of pupils in year 9 who say they feel well).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: Slug,
    pub title: String,
    /// What is measured and how, in the source's words.
    pub definition: Option<String>,
    /// The unit values are in (`procent`, `antal per 1 000 invånare`).
    pub unit: Option<String>,
    /// How many decimals values are shown with.
    pub decimals: u8,
    /// Whether a higher value is better; `None` where the documents do not say.
    pub direction: Option<Direction>,
    pub source: Option<IndicatorSource>,
    /// The goals it measures, each with its baseline and targets.
    pub measures: Vec<Measure>,
}

/// The most decimals an indicator's values are shown with.
pub const MAX_DECIMALS: u8 = 6;

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Higher,
    Lower,
}

impl Direction {
    pub const ALL: [Direction; 2] = [Direction::Higher, Direction::Lower];

    pub fn code(self) -> &'static str {
        match self {
            Direction::Higher => "higher",
            Direction::Lower => "lower",
        }
    }

    pub fn parse(code: &str) -> Option<Direction> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// Where an indicator's values come from: who publishes them, and, for a source on the web,
/// what to fetch again when they are refreshed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IndicatorSource {
    /// Who publishes the values (`SCB`, `Kolada`, `Folkhälsomyndigheten`, the region itself).
    pub publisher: Option<String>,
    pub fetch: Option<Fetch>,
}

/// What to fetch an indicator's values from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fetch {
    /// A Kolada key figure by its id (`N00945`).
    Kolada { kpi: String },
    /// A PxWeb table by its address, with the query (JSON) posted to it (version 1), or none
    /// (version 2: the address carries the selection).
    PxWeb { url: String, query: Option<String> },
    /// Any address answering JSON-stat or CSV.
    Url { url: String },
    /// A file, by the name people know it by: not fetched, imported by hand.
    File { name: String },
}

impl Fetch {
    /// Whether the values can be fetched again (`indicator refresh`).
    pub fn is_web(&self) -> bool {
        !matches!(self, Fetch::File { .. })
    }
}

/// An indicator's link to a goal, with the goal's baseline and targets for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    pub goal: GoalRef,
    pub baseline: Option<Mark>,
    pub targets: Vec<Mark>,
}

/// A value at a period, for an area and group: a baseline or a target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mark {
    pub value: f64,
    pub period: ValuePeriod,
    /// `None`: the area the data set is about (its county).
    pub area: Option<Area>,
    pub sex: Sex,
    pub age: Option<String>,
}

/// One measured value of an indicator, by its coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorValue {
    pub period: ValuePeriod,
    pub area: Area,
    pub sex: Sex,
    /// The age group as the source codes it; `None`: all ages.
    pub age: Option<String>,
    /// `None` where the source has a status but no value (`..`: missing).
    pub value: Option<f64>,
    /// The source's mark: preliminary, missing and why.
    pub status: Option<String>,
}

impl IndicatorValue {
    /// What the value is of: period, area, sex and age group, in the order values are sorted.
    pub fn coordinates(&self) -> (ValuePeriod, &Area, Sex, Option<&str>) {
        (self.period, &self.area, self.sex, self.age.as_deref())
    }
}

/// The time a value is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ValuePeriod {
    Year(i32),
    /// Several years as one value, as surveys give them (`2021–2024`).
    Span(i32, i32),
    Half(i32, u8),
    Quarter(i32, u8),
    Month(i32, u8),
}

impl ValuePeriod {
    /// A period as sources write it (`2021`, `2021–2024`, `2021-2024`, `2021H1`, `2021K2`,
    /// `2021Q2`, `2021M03`, `2021-03`); `None` when it is none of the forms known.
    pub fn parse(code: &str) -> Option<ValuePeriod> {
        let s = code.trim();
        let year = |y: &str| y.parse::<i32>().ok().filter(|y| (1000..=9999).contains(y));
        let part = |p: &str, most: u8| p.parse::<u8>().ok().filter(|p| (1..=most).contains(p));
        if s.len() == 4 {
            return year(s).map(ValuePeriod::Year);
        }
        for dash in ['–', '-', '/'] {
            if let Some((a, b)) = s.split_once(dash) {
                let (a, b) = (a.trim(), b.trim());
                if let (Some(a), Some(b)) = (year(a), year(b)) {
                    return (a <= b).then_some(ValuePeriod::Span(a, b));
                }
                if dash == '-' && b.len() == 2 {
                    return Some(ValuePeriod::Month(year(a)?, part(b, 12)?));
                }
            }
        }
        let (y, rest) = s.split_at_checked(4)?;
        let y = year(y)?;
        let mut chars = rest.chars();
        let kind = chars.next()?.to_ascii_uppercase();
        let n = chars.as_str();
        match kind {
            'M' => Some(ValuePeriod::Month(y, part(n, 12)?)),
            'K' | 'Q' => Some(ValuePeriod::Quarter(y, part(n, 4)?)),
            'H' => Some(ValuePeriod::Half(y, part(n, 2)?)),
            _ => None,
        }
    }

    /// Its place on a time axis, in years: the middle of the time it covers (2021 is 2021.5,
    /// the first half of 2021 is 2021.25), so that a span and a year sit where they belong.
    pub fn midpoint(self) -> f64 {
        match self {
            ValuePeriod::Year(y) => f64::from(y) + 0.5,
            ValuePeriod::Span(a, b) => (f64::from(a) + f64::from(b) + 1.0) / 2.0,
            ValuePeriod::Half(y, h) => f64::from(y) + (f64::from(h) - 0.5) / 2.0,
            ValuePeriod::Quarter(y, q) => f64::from(y) + (f64::from(q) - 0.5) / 4.0,
            ValuePeriod::Month(y, m) => f64::from(y) + (f64::from(m) - 0.5) / 12.0,
        }
    }

    /// The last year the period touches.
    pub fn end_year(self) -> i32 {
        match self {
            ValuePeriod::Span(_, b) => b,
            ValuePeriod::Year(y)
            | ValuePeriod::Half(y, _)
            | ValuePeriod::Quarter(y, _)
            | ValuePeriod::Month(y, _) => y,
        }
    }
}

impl fmt::Display for ValuePeriod {
    /// The one way Röd tråd writes each period.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValuePeriod::Year(y) => write!(f, "{y}"),
            ValuePeriod::Span(a, b) => write!(f, "{a}–{b}"),
            ValuePeriod::Half(y, h) => write!(f, "{y}H{h}"),
            ValuePeriod::Quarter(y, q) => write!(f, "{y}Q{q}"),
            ValuePeriod::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

crate::text_serde!(ValuePeriod, |s: &str| ValuePeriod::parse(s).ok_or_else(
    || format!("{s:?} is no year, span, half-year, quarter or month")
));

/// Where a value is of.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Area {
    /// Riket.
    Country,
    /// A county by its two-digit code (Örebro län: `18`).
    County(String),
    /// A municipality by its four-digit code (Örebro: `1880`).
    Municipality(String),
    /// Another area, by the source's code (a county district, a group of municipalities).
    Other(String),
}

impl Area {
    /// An area as sources write it: `riket`, `SE`, `00` or `0000` for the country; SCB's two
    /// digits or Kolada's `00LL` for a county; four digits for a municipality.
    pub fn parse(code: &str) -> Area {
        let s = code.trim();
        let digits = s.bytes().all(|b| b.is_ascii_digit());
        match (s.len(), digits) {
            _ if s.eq_ignore_ascii_case("riket") || s.eq_ignore_ascii_case("SE") => Area::Country,
            (2 | 4, true) if s.bytes().all(|b| b == b'0') => Area::Country,
            (2, true) => Area::County(s.to_owned()),
            // Kolada writes counties as 00LL.
            (4, true) if s.starts_with("00") => Area::County(s[2..].to_owned()),
            (4, true) => Area::Municipality(s.to_owned()),
            _ => Area::Other(s.to_owned()),
        }
    }

    /// The county a county or municipality lies in, by its two digits.
    pub fn county(&self) -> Option<&str> {
        match self {
            Area::County(c) => Some(c),
            Area::Municipality(m) => m.get(..2),
            Area::Country | Area::Other(_) => None,
        }
    }
}

impl fmt::Display for Area {
    /// The one way Röd tråd writes each area: `riket`, `18`, `1880`, or the source's code.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Area::Country => f.write_str("riket"),
            Area::County(c) | Area::Municipality(c) | Area::Other(c) => f.write_str(c),
        }
    }
}

crate::text_serde!(Area, |s: &str| {
    let s = s.trim();
    if s.is_empty() {
        Err("an area cannot be empty".to_owned())
    } else {
        Ok(Area::parse(s))
    }
});

/// Whom a value is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sex {
    All,
    Women,
    Men,
}

impl Sex {
    pub const ALL: [Sex; 3] = [Sex::All, Sex::Women, Sex::Men];

    /// The one way Röd tråd writes it.
    pub fn code(self) -> &'static str {
        match self {
            Sex::All => "all",
            Sex::Women => "women",
            Sex::Men => "men",
        }
    }

    /// Sex as a source codes it (Kolada `T`/`K`/`M`; SCB `1+2`/`1`/`2` and `00`/`01`/`02`;
    /// JSON-stat's samples `T`/`M`/`F`; ours `all`/`women`/`men`), or labels it.
    pub fn parse(code: &str, label: Option<&str>) -> Option<Sex> {
        match code.trim() {
            "T" | "1+2" | "00" | "TotSa" | "tot" | "0" | "all" => return Some(Sex::All),
            "K" | "2" | "02" | "F" | "W" | "women" => return Some(Sex::Women),
            "M" | "1" | "01" | "men" => return Some(Sex::Men),
            _ => {}
        }
        let label = label?.trim().to_lowercase();
        if ["kvinnor", "kvinna", "women", "female", "flickor"].contains(&label.as_str()) {
            Some(Sex::Women)
        } else if ["män", "man", "men", "male", "pojkar"].contains(&label.as_str()) {
            Some(Sex::Men)
        } else if label.starts_with("total") || label.starts_with("båda") || label == "alla" {
            Some(Sex::All)
        } else {
            None
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

crate::text_serde!(Sex, |s: &str| Sex::parse(s, None)
    .ok_or_else(|| format!("{s:?} is neither all, women nor men")));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_read_as_sources_write_them_and_written_one_way() {
        for (code, written) in [
            ("2021", "2021"),
            ("2021–2024", "2021–2024"),
            ("2021-2024", "2021–2024"),
            ("2021/2024", "2021–2024"),
            ("2021H1", "2021H1"),
            ("2021K2", "2021Q2"),
            ("2021M03", "2021-03"),
            ("2021-03", "2021-03"),
        ] {
            let p = ValuePeriod::parse(code).expect(code);
            assert_eq!(p.to_string(), written, "{code}");
            assert_eq!(ValuePeriod::parse(written), Some(p));
        }
        for bad in [
            "",
            "21",
            "2024-2021",
            "2021-13",
            "2021Q5",
            "2021X1",
            "år 2021",
        ] {
            assert_eq!(ValuePeriod::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn midpoints_place_periods_on_one_axis() {
        assert!((ValuePeriod::Year(2021).midpoint() - 2021.5).abs() < 1e-9);
        // 2021–2024 covers four years: 2021.0 to 2025.0.
        assert!((ValuePeriod::Span(2021, 2024).midpoint() - 2023.0).abs() < 1e-9);
        assert!((ValuePeriod::Half(2021, 2).midpoint() - 2021.75).abs() < 1e-9);
        assert!((ValuePeriod::Quarter(2021, 1).midpoint() - 2021.125).abs() < 1e-9);
    }

    #[test]
    fn areas_in_every_source_code_are_one_area() {
        assert_eq!(Area::parse("0000"), Area::Country);
        assert_eq!(Area::parse("riket"), Area::Country);
        assert_eq!(Area::parse("0018"), Area::parse("18"));
        assert_eq!(Area::parse("1880").county(), Some("18"));
        assert_eq!(Area::parse("1880").to_string(), "1880");
        assert_eq!(Area::parse("G8").to_string(), "G8");
        assert_eq!(Area::Country.to_string(), "riket");
    }

    #[test]
    fn sexes_in_every_source_code() {
        for (code, sex) in [("T", Sex::All), ("02", Sex::Women), ("1", Sex::Men)] {
            assert_eq!(Sex::parse(code, None), Some(sex));
            assert_eq!(Sex::parse(sex.code(), None), Some(sex));
        }
        assert_eq!(Sex::parse("x", Some("Kvinnor")), Some(Sex::Women));
        assert_eq!(Sex::parse("x", None), None);
    }
}
