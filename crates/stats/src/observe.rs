//! A table's values as an indicator's: each by period, area, sex and age group. Which dimension
//! is which is told from roles and the usual ids and codes (or said by the person), and their
//! codes are read as the sources write them: periods as years, spans (`2021–2024`), half-years,
//! quarters (`2024K1`, `2024Q1`) and months (`2026M01`); areas as Riket, counties and
//! municipalities by their codes (SCB's `18`, `1880`; Kolada's `0000`, `0018`); sex as Kolada
//! (`T`, `K`, `M`), SCB (`1+2`, `TotSa`, `1`, `2`; `00`, `01`, `02`) and JSON-stat's samples
//! (`T`, `M`, `F`) write it. Every other dimension must hold one category.

use std::fmt;

use crate::{ReadError, Role, Rule, Table};

/// The time a value is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    Year(i32),
    /// Several years as one value, as surveys give them (`2021–2024`).
    Span(i32, i32),
    Half(i32, u8),
    Quarter(i32, u8),
    Month(i32, u8),
}

impl Period {
    /// A period as sources write it; `None` when it is none of the forms known.
    pub fn parse(code: &str) -> Option<Period> {
        let s = code.trim();
        let year = |y: &str| y.parse::<i32>().ok().filter(|y| (1000..=9999).contains(y));
        let part = |p: &str, most: u8| p.parse::<u8>().ok().filter(|p| (1..=most).contains(p));
        if s.len() == 4 {
            return year(s).map(Period::Year);
        }
        for dash in ['–', '-', '/'] {
            if let Some((a, b)) = s.split_once(dash) {
                let (a, b) = (a.trim(), b.trim());
                if let (Some(a), Some(b)) = (year(a), year(b)) {
                    return (a <= b).then_some(Period::Span(a, b));
                }
                if dash == '-' && b.len() == 2 {
                    return Some(Period::Month(year(a)?, part(b, 12)?));
                }
            }
        }
        let (y, rest) = s.split_at_checked(4)?;
        let y = year(y)?;
        let mut chars = rest.chars();
        let kind = chars.next()?.to_ascii_uppercase();
        let n = chars.as_str();
        match kind {
            'M' => Some(Period::Month(y, part(n, 12)?)),
            'K' | 'Q' => Some(Period::Quarter(y, part(n, 4)?)),
            'H' => Some(Period::Half(y, part(n, 2)?)),
            _ => None,
        }
    }
}

impl fmt::Display for Period {
    /// The one way Röd tråd writes each period.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(y) => write!(f, "{y}"),
            Period::Span(a, b) => write!(f, "{a}–{b}"),
            Period::Half(y, h) => write!(f, "{y}H{h}"),
            Period::Quarter(y, q) => write!(f, "{y}Q{q}"),
            Period::Month(y, m) => write!(f, "{y}-{m:02}"),
        }
    }
}

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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Sex {
    All,
    Women,
    Men,
}

impl Sex {
    /// Sex as a source codes it, or labels it.
    pub fn parse(code: &str, label: Option<&str>) -> Option<Sex> {
        match code.trim() {
            "T" | "1+2" | "00" | "TotSa" | "tot" | "0" => return Some(Sex::All),
            "K" | "2" | "02" | "F" | "W" => return Some(Sex::Women),
            "M" | "1" | "01" => return Some(Sex::Men),
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

/// Which dimension of a table is which; `None` where the table has none (one period, one
/// area, or all sexes and ages).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mapping {
    pub period: usize,
    pub area: Option<usize>,
    pub sex: Option<usize>,
    pub age: Option<usize>,
}

const PERIOD_IDS: [&str; 6] = ["tid", "år", "ar", "period", "year", "time"];
const AREA_IDS: [&str; 6] = ["region", "municipality", "kommun", "area", "län", "omrade"];
const SEX_IDS: [&str; 5] = ["kon", "kön", "gender", "sex", "kön_kod"];
const AGE_IDS: [&str; 4] = ["alder", "ålder", "age", "aldersgrupp"];

fn by_id(t: &Table, ids: &[&str]) -> Option<usize> {
    t.dimensions
        .iter()
        .position(|d| ids.contains(&d.id.trim().to_lowercase().as_str()))
}

impl Mapping {
    /// The dimensions told from roles and their usual ids; refused when no dimension is the
    /// time, or another dimension holds more than one category.
    pub fn detect(t: &Table) -> Result<Mapping, ReadError> {
        let period = t
            .with_role(Role::Time)
            .or_else(|| by_id(t, &PERIOD_IDS))
            .ok_or_else(|| {
                ReadError::new(Rule::Missing, "dimension", "no dimension is the time")
            })?;
        let mapping = Mapping {
            period,
            area: t.with_role(Role::Geo).or_else(|| by_id(t, &AREA_IDS)),
            sex: by_id(t, &SEX_IDS),
            age: by_id(t, &AGE_IDS),
        };
        mapping.check(t)?;
        Ok(mapping)
    }

    fn check(&self, t: &Table) -> Result<(), ReadError> {
        let mapped = [Some(self.period), self.area, self.sex, self.age];
        for (i, d) in t.dimensions.iter().enumerate() {
            if !mapped.contains(&Some(i)) && d.categories.len() > 1 {
                return Err(ReadError::new(
                    Rule::Unmapped,
                    format!("dimension.{}", d.id),
                    format!(
                        "{} categories, and it is neither the time, the area, sex nor age",
                        d.categories.len()
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// One value as an indicator holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation {
    pub period: Period,
    pub area: Option<Area>,
    pub sex: Sex,
    pub age: Option<String>,
    pub value: Option<f64>,
    pub status: Option<String>,
}

/// Every cell of `t` that has a value or a status, as an observation; refused at the first
/// category that is no period or sex.
pub fn observations(t: &Table, m: &Mapping) -> Result<Vec<Observation>, ReadError> {
    let code = |d: usize, c: usize| &t.dimensions[d].categories[c];
    // Each dimension's categories read once, not once per value.
    let periods = t.dimensions[m.period]
        .categories
        .iter()
        .map(|c| {
            Period::parse(&c.code).ok_or_else(|| {
                ReadError::new(
                    Rule::Unmapped,
                    format!(
                        "dimension.{}.category.{}",
                        t.dimensions[m.period].id, c.code
                    ),
                    format!(
                        "\"{}\" is no year, span, half-year, quarter or month",
                        c.code
                    ),
                )
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let sexes = match m.sex {
        Some(d) => t.dimensions[d]
            .categories
            .iter()
            .map(|c| {
                Sex::parse(&c.code, c.label.as_deref()).ok_or_else(|| {
                    ReadError::new(
                        Rule::Unmapped,
                        format!("dimension.{}.category.{}", t.dimensions[d].id, c.code),
                        format!("\"{}\" is neither all, women nor men", c.code),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?,
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for (i, value) in t.values.iter().enumerate() {
        let status = t.status.get(i).cloned().flatten();
        if value.is_none() && status.is_none() {
            continue;
        }
        let at = t.categories_at(i);
        out.push(Observation {
            period: periods[at[m.period]],
            area: m.area.map(|d| Area::parse(&code(d, at[d]).code)),
            sex: m.sex.map_or(Sex::All, |d| sexes[at[d]]),
            age: m.age.map(|d| code(d, at[d]).code.clone()),
            value: *value,
            status,
        });
    }
    Ok(out)
}
