//! Checking indicators (`indicators/<id>.toml`) and their values (`indicators/<id>.csv`).
//!
//! An indicator is checked like any item: its id, the goals it measures, its marks. Its values
//! file is a CSV of one row per value, with the columns `period`, `area`, `sex`, `age`,
//! `value` and `status` (only `period` and `area` are required, and each row needs a value or a
//! status); each bad cell is reported at its line and column, and two rows of the same
//! coordinates are refused, naming the first.

use std::collections::{BTreeMap, HashMap};

use rodtrad_domain as d;
use rodtrad_domain::{Area, Sex, Slug, ValuePeriod};

use super::{Checker, Text};
use crate::at::At;
use crate::dto;
use crate::problem::{Diagnostic, EntityKind, Problem};
use crate::read::{INDICATORS_DIR, InFile, Parsed};

/// Each indicator's values, by its id, in the canonical order (see [`sort`]).
pub type Values = BTreeMap<Slug, Vec<d::IndicatorValue>>;

/// The columns of a values file, in the order they are written.
pub const COLUMNS: [&str; 6] = ["period", "area", "sex", "age", "value", "status"];

/// Puts values in the one order they are written in: by period, area, sex and age group.
pub fn sort(values: &mut [d::IndicatorValue]) {
    values.sort_by(|a, b| a.coordinates().cmp(&b.coordinates()));
}

impl Checker<'_> {
    pub(super) fn indicator(&mut self, f: &InFile<dto::IndicatorDto>) -> Option<d::Indicator> {
        let (file, x) = (f.file, &f.dto);
        let id = self.slug(file, &x.id, "id");
        let decimals = match &x.decimals {
            Some(n) => match u8::try_from(n.value) {
                Ok(v) if v <= d::MAX_DECIMALS => v,
                _ => {
                    self.err(
                        file,
                        &n.span,
                        "decimals".into(),
                        Problem::OutOfRange {
                            value: n.value.to_string(),
                            min: "0".into(),
                            max: d::MAX_DECIMALS.to_string(),
                        },
                    );
                    0
                }
            },
            None => 0,
        };
        let direction = x.direction.as_ref().and_then(|v| {
            let found = d::Direction::parse(&v.value);
            if found.is_none() {
                self.err(
                    file,
                    &v.span,
                    "direction".into(),
                    Problem::UnknownValue {
                        field: "direction",
                        value: v.value.clone(),
                        allowed: "higher, lower".into(),
                    },
                );
            }
            found
        });
        let source = x.source.as_ref().map(|s| self.source(file, s));
        let measures = x
            .measure
            .iter()
            .enumerate()
            .filter_map(|(i, m)| {
                let p = format!("measure[{i}]");
                let goal = self.goal_ref(file, &m.goal, &format!("{p}.goal"));
                let baseline = m
                    .baseline
                    .as_ref()
                    .and_then(|b| self.mark(file, b, &format!("{p}.baseline")));
                let targets = m
                    .target
                    .iter()
                    .enumerate()
                    .filter_map(|(j, t)| self.mark(file, t, &format!("{p}.target[{j}]")))
                    .collect();
                Some(d::Measure {
                    goal: goal?,
                    baseline,
                    targets,
                })
            })
            .collect();
        Some(d::Indicator {
            id: id?,
            title: x.title.clone(),
            definition: x.definition.clone(),
            unit: x.unit.clone(),
            decimals,
            direction,
            source,
            measures,
        })
    }

    fn source(&mut self, file: usize, s: &dto::SourceDto) -> d::IndicatorSource {
        let named: Vec<(&str, &Text)> = [
            ("kolada", &s.kolada),
            ("pxweb", &s.pxweb),
            ("url", &s.url),
            ("file", &s.file),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
        .collect();
        if let [_, (_, second), ..] = named.as_slice() {
            let found = named.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ");
            self.err(
                file,
                &second.span,
                "source".into(),
                Problem::SourceKinds { found },
            );
        }
        if let Some(q) = &s.query {
            if s.pxweb.is_none() {
                self.err(
                    file,
                    &q.span,
                    "source.query".into(),
                    Problem::QueryWithoutPxWeb,
                );
            } else if let Err(e) = serde_json::from_str::<serde_json::Value>(&q.value) {
                self.err(
                    file,
                    &q.span,
                    "source.query".into(),
                    Problem::BadQuery {
                        detail: e.to_string(),
                    },
                );
            }
        }
        let fetch = named.first().map(|(kind, v)| {
            let text = v.value.clone();
            match *kind {
                "kolada" => d::Fetch::Kolada { kpi: text },
                "pxweb" => d::Fetch::PxWeb {
                    url: text,
                    query: s.query.as_ref().map(|q| q.value.clone()),
                },
                "url" => d::Fetch::Url { url: text },
                _ => d::Fetch::File { name: text },
            }
        });
        d::IndicatorSource {
            publisher: s.publisher.clone(),
            fetch,
        }
    }

    fn mark(&mut self, file: usize, m: &dto::MarkDto, path: &str) -> Option<d::Mark> {
        let value = self.number(file, &m.value, &format!("{path}.value"));
        let period = self.value_period(file, &m.period, &format!("{path}.period"));
        let area = m.area.as_ref().map(|a| Area::parse(&a.value));
        let sex = match &m.sex {
            Some(s) => self.sex(file, s, &format!("{path}.sex"))?,
            None => Sex::All,
        };
        Some(d::Mark {
            value: value?,
            period: period?,
            area,
            sex,
            age: m.age.clone(),
        })
    }

    fn number(&mut self, file: usize, v: &At<f64>, path: &str) -> Option<f64> {
        if v.value.is_finite() {
            Some(v.value)
        } else {
            let value = v.value.to_string();
            self.err(file, &v.span, path.into(), Problem::BadNumber { value });
            None
        }
    }

    fn value_period(&mut self, file: usize, v: &Text, path: &str) -> Option<ValuePeriod> {
        let found = ValuePeriod::parse(&v.value);
        if found.is_none() {
            let value = v.value.clone();
            self.err(file, &v.span, path.into(), Problem::BadPeriod { value });
        }
        found
    }

    fn sex(&mut self, file: usize, v: &Text, path: &str) -> Option<Sex> {
        let found = Sex::parse(&v.value, None);
        if found.is_none() {
            self.err(file, &v.span, path.into(), sex_problem(&v.value));
        }
        found
    }

    /// Every values file, each of an indicator of the data set or of the rest of it.
    pub(super) fn values(&mut self, parsed: &Parsed, indicators: &[d::Indicator]) -> Values {
        let mut out = Values::new();
        for &index in &parsed.values {
            let source = &self.files[index];
            let stem = source
                .path
                .strip_prefix(INDICATORS_DIR)
                .and_then(|p| p.strip_prefix('/'))
                .and_then(|p| p.strip_suffix(".csv"))
                .unwrap_or_default();
            let id = Slug::parse(stem).ok().filter(|id| {
                indicators.iter().any(|i| &i.id == id)
                    || self.exists(EntityKind::Indicator, None, stem)
            });
            let Some(id) = id else {
                self.out.push(Diagnostic {
                    file: source.path.clone(),
                    line: None,
                    path: String::new(),
                    problem: Problem::UnknownReference {
                        kind: EntityKind::Indicator,
                        id: stem.to_owned(),
                    },
                });
                continue;
            };
            let Ok(text) = &source.text else {
                continue;
            };
            let (values, problems) = read_values(&source.path, text);
            self.out.extend(problems);
            out.insert(id, values);
        }
        out
    }
}

fn sex_problem(value: &str) -> Problem {
    Problem::UnknownValue {
        field: "sex",
        value: value.to_owned(),
        allowed: "all, women, men".into(),
    }
}

/// The values of one file and what is wrong with it: every bad cell, at its line.
pub fn read_values(path: &str, text: &str) -> (Vec<d::IndicatorValue>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let at = |line: Option<u64>, field: &str, problem| Diagnostic {
        file: path.to_owned(),
        line: line.and_then(|l| usize::try_from(l).ok()),
        path: field.to_owned(),
        problem,
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header = match reader.headers() {
        Ok(h) => h.clone(),
        Err(e) => {
            let line = e.position().map(csv::Position::line);
            let detail = e.to_string();
            return (Vec::new(), vec![at(line, "", Problem::Syntax { detail })]);
        }
    };
    let column: HashMap<&str, usize> = header.iter().enumerate().map(|(i, h)| (h, i)).collect();
    for h in header.iter().filter(|h| !COLUMNS.contains(h)) {
        let problem = Problem::UnknownColumn {
            column: h.to_owned(),
            expected: COLUMNS.join(", "),
        };
        problems.push(at(Some(1), "", problem));
    }
    for needed in ["period", "area"] {
        if !column.contains_key(needed) {
            let problem = Problem::MissingColumn {
                column: needed.into(),
            };
            problems.push(at(Some(1), "", problem));
        }
    }
    if !problems.is_empty() {
        return (Vec::new(), problems);
    }
    let mut values = Vec::new();
    let mut first: HashMap<(ValuePeriod, Area, Sex, Option<String>), u64> = HashMap::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(csv::Position::line);
                problems.push(at(
                    line,
                    "",
                    Problem::Syntax {
                        detail: e.to_string(),
                    },
                ));
                continue;
            }
        };
        let line = record.position().map(csv::Position::line);
        let cell = |name: &str| {
            column
                .get(name)
                .and_then(|&i| record.get(i))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let mut bad = |field: &str, problem| problems.push(at(line, field, problem));
        let Some(v) = row(&cell, &mut bad) else {
            continue;
        };
        let key = (v.period, v.area.clone(), v.sex, v.age.clone());
        if let Some(was) = first.get(&key) {
            let first = format!("{path}:{was}");
            problems.push(at(line, "", Problem::DuplicateValue { first }));
            continue;
        }
        first.insert(key, line.unwrap_or_default());
        values.push(v);
    }
    sort(&mut values);
    (values, problems)
}

/// One row of a values file as a value, each bad cell said through `bad` (its column and what
/// is wrong); `None` when any is.
fn row<'a>(
    cell: &impl Fn(&str) -> Option<&'a str>,
    bad: &mut impl FnMut(&str, Problem),
) -> Option<d::IndicatorValue> {
    let period = cell("period").unwrap_or_default();
    let period = ValuePeriod::parse(period).or_else(|| {
        let value = period.to_owned();
        bad("period", Problem::BadPeriod { value });
        None
    });
    let area = cell("area").map(Area::parse);
    if area.is_none() {
        let field = "area".to_owned();
        bad("area", Problem::MissingField { field });
    }
    let sex = match cell("sex") {
        None => Some(Sex::All),
        Some(s) => Sex::parse(s, None).or_else(|| {
            bad("sex", sex_problem(s));
            None
        }),
    };
    let value = match cell("value") {
        None => Some(None),
        Some(v) => match v.parse::<f64>() {
            Ok(n) if n.is_finite() => Some(Some(n)),
            _ => {
                let value = v.to_owned();
                bad("value", Problem::BadNumber { value });
                None
            }
        },
    };
    let status = cell("status").map(str::to_owned);
    if matches!(value, Some(None)) && status.is_none() {
        bad("", Problem::EmptyValue);
    }
    Some(d::IndicatorValue {
        period: period?,
        area: area?,
        sex: sex?,
        age: cell("age").map(str::to_owned),
        value: value?,
        status,
    })
}

/// The values file of an indicator, canonical: the columns in [`COLUMNS`] order, the rows in
/// [`sort`] order, numbers as Rust writes the shortest text that reads back the same.
pub fn write_values(values: &[d::IndicatorValue]) -> String {
    let mut sorted: Vec<&d::IndicatorValue> = values.iter().collect();
    sorted.sort_by(|a, b| a.coordinates().cmp(&b.coordinates()));
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let mut write = |row: [&str; 6]| w.write_record(row).is_ok();
    write(COLUMNS);
    for v in sorted {
        let (period, area) = (v.period.to_string(), v.area.to_string());
        let value = v.value.map(|n| n.to_string()).unwrap_or_default();
        write([
            &period,
            &area,
            v.sex.code(),
            v.age.as_deref().unwrap_or_default(),
            &value,
            v.status.as_deref().unwrap_or_default(),
        ]);
    }
    // Writing into memory cannot fail, and the bytes are the strings written: UTF-8.
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
