//! What an indicator's pages show, made from its values: the line chart over time (all, women,
//! men) with the baseline and targets marked, the judgement of each target, the map of the
//! county's municipalities, and the equity gap (women and men; the spread between
//! municipalities), each with a table of the same facts.
//!
//! Values are read from the store when a page is first rendered, for the data set's county and
//! its municipalities only (a few hundred of an indicator's many thousand), and the page is
//! then kept with its read model like every page: a new import of values changes the
//! indicator, which replaces the model and its pages. The figures themselves are
//! `rodtrad-figures`'s; this module picks the values and words for them.

use std::collections::{BTreeMap, HashMap};

use rodtrad_domain::{
    Area, DataSet, Direction, GoalRef, Indicator, IndicatorValue, Mark, Sex, ValuePeriod,
};
use rodtrad_figures as fig;
use rodtrad_i18n::Lang;
use rodtrad_store::{Store, StoreError, ValueFilter};

/// The county a data set is about: the one most of its municipalities lie in.
pub fn county_of(set: &DataSet) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for o in &set.organisations {
        if let Some(county) = o
            .municipality_code
            .as_ref()
            .and_then(|c| c.as_str().get(..2))
        {
            *counts.entry(county).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|&(c, n)| (n, std::cmp::Reverse(c)))
        .map(|(c, _)| c.to_owned())
}

fn locale(lang: Lang) -> fig::Locale {
    match lang {
        Lang::Sv => fig::Locale::SWEDISH,
        Lang::En => fig::Locale::ENGLISH,
    }
}

/// A period's place on the chart's axis, in years: a year at its start, a span at its middle.
fn x_of(p: ValuePeriod) -> f64 {
    p.midpoint() - 0.5
}

fn group(sex: Sex) -> fig::Group {
    match sex {
        Sex::All => fig::Group::All,
        Sex::Women => fig::Group::Women,
        Sex::Men => fig::Group::Men,
    }
}

/// An area as people name it.
pub fn area_name(area: &Area, set: &DataSet, lang: Lang) -> String {
    match area {
        Area::Country => lang.text("area-country"),
        Area::County(c) => set
            .organisations
            .iter()
            .find(|o| o.kind == rodtrad_domain::OrganisationKind::Region)
            .map_or_else(
                || lang.format("area-county", &[("code", c.clone())]),
                |o| o.name.clone(),
            ),
        Area::Municipality(code) => municipality_name(code).unwrap_or_else(|| code.clone()),
        Area::Other(code) => code.clone(),
    }
}

fn municipality_name(code: &str) -> Option<String> {
    fig::municipalities(code.get(..2)?)
        .ok()?
        .iter()
        .find(|m| m.code == code)
        .map(|m| m.name.clone())
}

/// The values a panel needs: the county's, Riket's and the county's municipalities'.
pub async fn values_for(
    store: &Store,
    indicator: &Indicator,
    county: Option<&str>,
) -> Result<Vec<IndicatorValue>, StoreError> {
    let mut areas = vec![Area::Country];
    areas.extend(county.map(|c| Area::County(c.to_owned())));
    // Marks for other areas are charted too.
    for m in &indicator.measures {
        for mark in m.baseline.iter().chain(&m.targets) {
            if let Some(a) = &mark.area {
                if !areas.contains(a) {
                    areas.push(a.clone());
                }
            }
        }
    }
    let filter = ValueFilter {
        areas,
        county: county.map(str::to_owned),
    };
    store.values_of(&indicator.id, &filter).await
}

/// One row of a table beside a figure: the cells as shown.
#[derive(Debug, Clone)]
pub struct Row {
    pub head: String,
    pub cells: Vec<String>,
}

/// A target and how it stands.
#[derive(Debug, Clone)]
pub struct Judged {
    /// The goal's title and page, when the panel shows several goals' targets.
    pub goal: Option<(String, String)>,
    pub target: String,
    /// The judgement's code, for its look (`on-track`).
    pub code: &'static str,
    pub judgement_text: String,
    /// The figures the judgement rests on, in words.
    pub why: String,
}

/// Everything an indicator's panel shows.
#[derive(Debug, Clone)]
pub struct Panel {
    pub id: String,
    pub title: String,
    pub unit: String,
    pub area: String,
    pub chart: String,
    pub chart_rows: Vec<Row>,
    pub baseline: Option<String>,
    pub judged: Vec<Judged>,
    pub map: Option<String>,
    pub map_period: String,
    pub map_rows: Vec<Row>,
    pub gap_rows: Vec<Row>,
    pub spread_rows: Vec<Row>,
}

/// Which goals' marks a panel shows: one goal's (its page), or every goal's (the indicator's).
#[derive(Debug, Clone, Copy)]
pub enum Goals<'a> {
    One(&'a GoalRef),
    All,
}

/// The area the indicator is followed for: where its marks are set, else the county.
fn followed_area(indicator: &Indicator, county: Option<&str>) -> Area {
    indicator
        .measures
        .iter()
        .flat_map(|m| m.baseline.iter().chain(&m.targets))
        .find_map(|m| m.area.clone())
        .or_else(|| county.map(|c| Area::County(c.to_owned())))
        .unwrap_or(Area::Country)
}

struct Words<'a> {
    lang: Lang,
    decimals: u8,
    unit: &'a str,
}

impl Words<'_> {
    fn number(&self, v: f64) -> String {
        fig::format_number(v, self.decimals, locale(self.lang))
    }

    fn value(&self, v: Option<f64>) -> String {
        v.map_or_else(|| "–".to_owned(), |v| self.number(v))
    }

    fn with_unit(&self, v: f64) -> String {
        if self.unit.is_empty() {
            self.number(v)
        } else {
            format!("{} {}", self.number(v), self.unit)
        }
    }

    fn ratio(&self, v: Option<f64>) -> String {
        v.map_or_else(
            || "–".to_owned(),
            |v| fig::format_number(v, 2, locale(self.lang)),
        )
    }

    fn group(&self, sex: Sex) -> String {
        self.lang.text(&format!("indicator-sex-{}", sex.code()))
    }
}

/// The panel of `indicator`, from its `values` (as [`values_for`] reads them).
pub fn panel(
    set: &DataSet,
    indicator: &Indicator,
    values: &[IndicatorValue],
    goals: Goals<'_>,
    lang: Lang,
) -> Panel {
    let county = county_of(set);
    let area = followed_area(indicator, county.as_deref());
    let words = Words {
        lang,
        decimals: indicator.decimals,
        unit: indicator.unit.as_deref().unwrap_or_default(),
    };
    let measures: Vec<_> = indicator
        .measures
        .iter()
        .filter(|m| match goals {
            Goals::One(g) => &m.goal == g,
            Goals::All => true,
        })
        .collect();
    let (figure, baseline, targets) = figure_of(indicator, values, &measures, &area);
    let area_name = area_name(&area, set, lang);
    let judged = judge_all(&figure, &targets, set, &words, matches!(goals, Goals::All));
    let chart_words = fig::ChartWords {
        title: lang.format(
            "indicator-chart-title",
            &[
                ("title", indicator.title.clone()),
                ("area", area_name.clone()),
            ],
        ),
        description: chart_description(&figure, &judged, &words),
        no_data: lang.text("indicator-no-data"),
        all: words.group(Sex::All),
        women: words.group(Sex::Women),
        men: words.group(Sex::Men),
        baseline: lang.text("indicator-baseline"),
        target: lang.text("indicator-target"),
    };
    let chart = fig::line_chart(
        &format!("chart-{}", indicator.id),
        &figure,
        &chart_words,
        locale(lang),
    );
    let (map, map_period, map_rows) = map_of(indicator, values, county.as_deref(), &words);
    Panel {
        id: indicator.id.to_string(),
        title: indicator.title.clone(),
        unit: words.unit.to_owned(),
        area: area_name,
        chart,
        chart_rows: chart_rows(values, &area, &words),
        baseline: baseline.map(|b| {
            lang.format(
                "indicator-baseline-is",
                &[
                    ("value", words.with_unit(b.value)),
                    ("period", b.period.to_string()),
                ],
            )
        }),
        judged,
        map,
        map_period,
        map_rows,
        gap_rows: gap_rows(&figure.series, &words),
        spread_rows: spread_rows(values, &words),
    }
}

/// The figures' view of the indicator: its series for `area`, and the marks set for it.
fn figure_of<'a>(
    indicator: &Indicator,
    values: &[IndicatorValue],
    measures: &[&'a rodtrad_domain::Measure],
    area: &Area,
) -> (
    fig::Indicator,
    Option<&'a Mark>,
    Vec<(&'a GoalRef, &'a Mark)>,
) {
    let here = |m: &Mark| m.area.as_ref().unwrap_or(area) == area && m.age.is_none();
    let series: Vec<fig::Series> = Sex::ALL
        .into_iter()
        .map(|sex| fig::Series {
            group: group(sex),
            points: values
                .iter()
                .filter(|v| &v.area == area && v.sex == sex && v.age.is_none())
                .filter_map(|v| {
                    Some(fig::Point {
                        x: x_of(v.period),
                        label: v.period.to_string(),
                        value: v.value?,
                    })
                })
                .collect(),
        })
        .filter(|s| !s.points.is_empty())
        .collect();
    let baseline = measures
        .iter()
        .find_map(|m| m.baseline.as_ref().filter(|b| here(b)));
    let targets: Vec<(&GoalRef, &Mark)> = measures
        .iter()
        .flat_map(|m| {
            m.targets
                .iter()
                .filter(|t| here(t))
                .map(move |t| (&m.goal, t))
        })
        .collect();
    let direction = match indicator.direction {
        Some(Direction::Lower) => fig::Direction::LowerIsBetter,
        Some(Direction::Higher) => fig::Direction::HigherIsBetter,
        // Unsaid: the way from the baseline to the target.
        None => match (baseline, targets.first()) {
            (Some(b), Some((_, t))) if t.value < b.value => fig::Direction::LowerIsBetter,
            _ => fig::Direction::HigherIsBetter,
        },
    };
    let figure = fig::Indicator {
        series,
        baseline: baseline.map(|b| fig::Baseline {
            x: x_of(b.period),
            label: b.period.to_string(),
            value: b.value,
        }),
        targets: targets
            .iter()
            .map(|(_, t)| fig::Target {
                x: x_of(t.period),
                label: t.period.to_string(),
                value: t.value,
                group: group(t.sex),
            })
            .collect(),
        direction,
        decimals: indicator.decimals,
        unit: indicator.unit.clone().unwrap_or_default(),
    };
    (figure, baseline, targets)
}

fn judge_all(
    figure: &fig::Indicator,
    targets: &[(&GoalRef, &Mark)],
    set: &DataSet,
    words: &Words<'_>,
    name_goals: bool,
) -> Vec<Judged> {
    let lang = words.lang;
    targets
        .iter()
        .zip(&figure.targets)
        .map(|((goal, mark), target)| {
            let a = fig::judge(figure, Some(target));
            let code = match a.judgement {
                fig::Judgement::Reached => "reached",
                fig::Judgement::OnTrack => "on-track",
                fig::Judgement::NotOnTrack => "not-on-track",
                fig::Judgement::TooLittleData => "too-little-data",
            };
            let reached = a.judgement == fig::Judgement::Reached;
            let why = match (&a.latest, a.change_per_year, a.needed_per_year) {
                (Some(latest), Some(so_far), Some(needed)) if !reached => lang.format(
                    "indicator-why-rate",
                    &[
                        ("latest", words.with_unit(latest.value)),
                        ("period", latest.label.clone()),
                        ("so_far", words.number(so_far)),
                        ("needed", words.number(needed)),
                    ],
                ),
                (Some(latest), _, _) => lang.format(
                    "indicator-why-latest",
                    &[
                        ("latest", words.with_unit(latest.value)),
                        ("period", latest.label.clone()),
                    ],
                ),
                (None, _, _) => lang.text("indicator-why-none"),
            };
            let goal = name_goals
                .then(|| {
                    set.plans
                        .iter()
                        .find(|p| p.id == goal.plan)
                        .and_then(|p| p.nodes.iter().find(|n| n.id == goal.node))
                        .map(|n| {
                            (
                                n.title.clone(),
                                format!("/plans/{}/goals/{}", goal.plan, goal.node),
                            )
                        })
                })
                .flatten();
            Judged {
                goal,
                target: lang.format(
                    "indicator-target-is",
                    &[
                        ("value", words.with_unit(mark.value)),
                        ("period", mark.period.to_string()),
                        ("group", words.group(mark.sex)),
                    ],
                ),
                code,
                judgement_text: lang.text(&format!("indicator-judgement-{code}")),
                why,
            }
        })
        .collect()
}

/// The chart's text alternative: the latest value of each group, and each target's judgement.
fn chart_description(figure: &fig::Indicator, judged: &[Judged], words: &Words<'_>) -> String {
    let lang = words.lang;
    let mut parts: Vec<String> = figure
        .series
        .iter()
        .filter_map(|s| {
            let last = s.points.iter().max_by(|a, b| a.x.total_cmp(&b.x))?;
            let sex = match s.group {
                fig::Group::All => Sex::All,
                fig::Group::Women => Sex::Women,
                fig::Group::Men => Sex::Men,
            };
            Some(lang.format(
                "indicator-latest",
                &[
                    ("group", words.group(sex)),
                    ("value", words.with_unit(last.value)),
                    ("period", last.label.clone()),
                ],
            ))
        })
        .collect();
    parts.extend(
        judged
            .iter()
            .map(|j| format!("{}: {}.", j.target, j.judgement_text)),
    );
    if parts.is_empty() {
        lang.text("indicator-no-data")
    } else {
        parts.join(" ")
    }
}

/// The chart's facts as a table: one row per period, all, women and men.
fn chart_rows(values: &[IndicatorValue], area: &Area, words: &Words<'_>) -> Vec<Row> {
    let mut by_period: BTreeMap<ValuePeriod, [Option<f64>; 3]> = BTreeMap::new();
    for v in values.iter().filter(|v| &v.area == area && v.age.is_none()) {
        let cell = match v.sex {
            Sex::All => 0,
            Sex::Women => 1,
            Sex::Men => 2,
        };
        by_period.entry(v.period).or_default()[cell] = v.value;
    }
    // Ordered on the axis (a span among the years where it belongs), not by kind.
    let mut rows: Vec<_> = by_period.into_iter().collect();
    rows.sort_by(|(a, _), (b, _)| x_of(*a).total_cmp(&x_of(*b)));
    rows.into_iter()
        .map(|(p, cells)| Row {
            head: p.to_string(),
            cells: cells.iter().map(|v| words.value(*v)).collect(),
        })
        .collect()
}

/// The map of the latest period in which municipalities of the county have values (all sexes).
fn map_of(
    indicator: &Indicator,
    values: &[IndicatorValue],
    county: Option<&str>,
    words: &Words<'_>,
) -> (Option<String>, String, Vec<Row>) {
    let lang = words.lang;
    let Some(county) = county else {
        return (None, String::new(), Vec::new());
    };
    let ours = |v: &&IndicatorValue| {
        v.sex == Sex::All
            && v.age.is_none()
            && matches!(&v.area, Area::Municipality(m) if m.starts_with(county))
    };
    let Some(latest) = values
        .iter()
        .filter(ours)
        .filter(|v| v.value.is_some())
        .map(|v| v.period)
        .max_by(|a, b| x_of(*a).total_cmp(&x_of(*b)))
    else {
        return (None, String::new(), Vec::new());
    };
    let at: HashMap<&str, Option<f64>> = values
        .iter()
        .filter(ours)
        .filter(|v| v.period == latest)
        .filter_map(|v| match &v.area {
            Area::Municipality(m) => Some((m.as_str(), v.value)),
            _ => None,
        })
        .collect();
    let Ok(municipalities) = fig::municipalities(county) else {
        return (None, String::new(), Vec::new());
    };
    let list: Vec<(&str, Option<f64>)> = municipalities
        .iter()
        .map(|m| (m.code.as_str(), at.get(m.code.as_str()).copied().flatten()))
        .collect();
    let known: Vec<(&str, f64)> = list.iter().filter_map(|(c, v)| Some((*c, (*v)?))).collect();
    let name = |code: &str| municipality_name(code).unwrap_or_else(|| code.to_owned());
    let description = match (
        known.iter().max_by(|a, b| a.1.total_cmp(&b.1)),
        known.iter().min_by(|a, b| a.1.total_cmp(&b.1)),
    ) {
        (Some(hi), Some(lo)) => lang.format(
            "indicator-map-description",
            &[
                ("period", latest.to_string()),
                ("count", known.len().to_string()),
                ("highest", name(hi.0)),
                ("high", words.with_unit(hi.1)),
                ("lowest", name(lo.0)),
                ("low", words.with_unit(lo.1)),
            ],
        ),
        _ => lang.text("indicator-no-data"),
    };
    let map_words = fig::MapWords {
        title: lang.format(
            "indicator-map-title",
            &[
                ("title", indicator.title.clone()),
                ("period", latest.to_string()),
            ],
        ),
        description,
        legend: words.unit.to_owned(),
        no_value: lang.text("indicator-no-value"),
        credit: lang.text("indicator-map-credit"),
    };
    let svg = fig::county_map(
        &format!("map-{}", indicator.id),
        county,
        &list,
        indicator.decimals,
        words.unit,
        &map_words,
        locale(lang),
    )
    .ok();
    let rows = municipalities
        .iter()
        .map(|m| Row {
            head: m.name.clone(),
            cells: vec![words.value(at.get(m.code.as_str()).copied().flatten())],
        })
        .collect();
    (svg, latest.to_string(), rows)
}

fn gap_rows(series: &[fig::Series], words: &Words<'_>) -> Vec<Row> {
    fig::sex_gap(series)
        .into_iter()
        .filter(|g| g.women.is_some() || g.men.is_some())
        .map(|g| Row {
            head: g.label,
            cells: vec![
                words.value(g.women),
                words.value(g.men),
                words.value(g.difference),
                words.ratio(g.ratio),
            ],
        })
        .collect()
}

fn spread_rows(values: &[IndicatorValue], words: &Words<'_>) -> Vec<Row> {
    let points: Vec<fig::AreaPoint> = values
        .iter()
        .filter(|v| v.sex == Sex::All && v.age.is_none())
        .filter(|v| matches!(v.area, Area::Municipality(_)))
        .filter_map(|v| {
            Some(fig::AreaPoint {
                area: v.area.to_string(),
                x: x_of(v.period),
                label: v.period.to_string(),
                value: v.value?,
            })
        })
        .collect();
    let name = |code: &str| municipality_name(code).unwrap_or_else(|| code.to_owned());
    fig::spread(&points)
        .into_iter()
        .filter(|s| s.areas > 1)
        .map(|s| Row {
            head: s.label,
            cells: vec![
                format!(
                    "{} ({})",
                    words.value(Some(s.highest.value)),
                    name(&s.highest.area)
                ),
                format!(
                    "{} ({})",
                    words.value(Some(s.lowest.value)),
                    name(&s.lowest.area)
                ),
                words.ratio(s.ratio),
            ],
        })
        .collect()
}
