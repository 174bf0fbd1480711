//! A table's values as an indicator's: each by period, area, sex and age group. Which dimension
//! is which is told from roles and the usual ids and codes (or said by the person), and their
//! codes are read as the sources write them: periods as years, spans (`2021–2024`), half-years,
//! quarters (`2024K1`, `2024Q1`) and months (`2026M01`); areas as Riket, counties and
//! municipalities by their codes (SCB's `18`, `1880`; Kolada's `0000`, `0018`); sex as Kolada
//! (`T`, `K`, `M`), SCB (`1+2`, `TotSa`, `1`, `2`; `00`, `01`, `02`) and JSON-stat's samples
//! (`T`, `M`, `F`) write it. Every other dimension must hold one category.

pub use rodtrad_domain::{Area, Sex, ValuePeriod as Period};

use crate::{ReadError, Role, Rule, Table};

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

/// Dimensions a person names, by id, where telling them would guess wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chosen {
    pub period: Option<String>,
    pub area: Option<String>,
    pub sex: Option<String>,
    pub age: Option<String>,
}

impl Mapping {
    /// The dimensions told from roles and their usual ids; refused when no dimension is the
    /// time, or another dimension holds more than one category.
    pub fn detect(t: &Table) -> Result<Mapping, ReadError> {
        Self::detect_with(t, &Chosen::default())
    }

    /// As [`Mapping::detect`], with the dimensions `chosen` names taken as named; a name no
    /// dimension has is refused.
    pub fn detect_with(t: &Table, chosen: &Chosen) -> Result<Mapping, ReadError> {
        let named = |id: &Option<String>| -> Result<Option<usize>, ReadError> {
            let Some(id) = id else { return Ok(None) };
            t.dimensions
                .iter()
                .position(|d| &d.id == id)
                .map(Some)
                .ok_or_else(|| {
                    let known: Vec<&str> = t.dimensions.iter().map(|d| d.id.as_str()).collect();
                    ReadError::new(
                        Rule::UnknownDimension,
                        format!("dimension.{id}"),
                        format!("the table's dimensions are {}", known.join(", ")),
                    )
                })
        };
        let period = named(&chosen.period)?
            .or_else(|| t.with_role(Role::Time))
            .or_else(|| by_id(t, &PERIOD_IDS))
            .ok_or_else(|| {
                ReadError::new(Rule::Missing, "dimension", "no dimension is the time")
            })?;
        let mapping = Mapping {
            period,
            area: named(&chosen.area)?
                .or_else(|| t.with_role(Role::Geo))
                .or_else(|| by_id(t, &AREA_IDS)),
            sex: named(&chosen.sex)?.or_else(|| by_id(t, &SEX_IDS)),
            age: named(&chosen.age)?.or_else(|| by_id(t, &AGE_IDS)),
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

/// Why a table's values cannot be an indicator's.
#[derive(Debug, Clone, PartialEq)]
pub enum Refused {
    /// The table breaks a rule, or its dimensions cannot be told.
    Read(ReadError),
    /// A value has no area: the table has no area dimension, and none was given.
    NoArea,
    /// Two values come out with the same coordinates (a mapping that makes two of one).
    Twice {
        period: Period,
        area: Area,
        sex: Sex,
        age: Option<String>,
    },
}

/// The values of `t` as an indicator's: its dimensions told (or `chosen`), every value given an
/// area (`area` where the table has none), and no two of the same coordinates, which is
/// refused naming them rather than one kept by chance. Values that are not finite keep their
/// status only.
pub fn indicator_values(
    t: &Table,
    chosen: &Chosen,
    area: Option<&Area>,
) -> Result<Vec<rodtrad_domain::IndicatorValue>, Refused> {
    let mapping = Mapping::detect_with(t, chosen).map_err(Refused::Read)?;
    let observed = observations(t, &mapping).map_err(Refused::Read)?;
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(observed.len());
    for o in observed {
        let area = o.area.or_else(|| area.cloned()).ok_or(Refused::NoArea)?;
        if !seen.insert((o.period, area.clone(), o.sex, o.age.clone())) {
            return Err(Refused::Twice {
                period: o.period,
                area,
                sex: o.sex,
                age: o.age,
            });
        }
        out.push(rodtrad_domain::IndicatorValue {
            period: o.period,
            area,
            sex: o.sex,
            age: o.age,
            value: o.value.filter(|v| v.is_finite()),
            status: o.status,
        });
    }
    Ok(out)
}
