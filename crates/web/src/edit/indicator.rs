//! Editing an indicator: its words, its source, and the goals it measures with each goal's
//! baseline and targets.
//!
//! Who may: an administrator any indicator; a plan owner a new one, and one that measures a
//! goal of a plan they keep. An indicator is linked to goals as an activity is, so the form
//! offers only the goals of the plans the person keeps, and the measures of goals in other
//! plans are kept as they were, unseen: a plan owner cannot take another plan's baseline or
//! target away. Removing one is for whoever keeps every plan it measures (`remove.rs`).
//!
//! The goals it measures are numbered rows (`measure-N-...`), each with its baseline; the
//! targets are rows of their own (`target-N-...`), each naming one of those goals, with an
//! empty row of each for a new one. A value, a period or a goal refused is said at its field.

use rodtrad_domain::{
    Area, DataSet, Direction, Fetch, GoalRef, Indicator, IndicatorSource, ItemKey, ItemKind,
    MAX_DECIMALS, Mark, Measure, Role, Sex, Slug, ValuePeriod,
};
use rodtrad_i18n::Lang;

use crate::edit::activity::goal_label;
use crate::edit::item::{Editor, top_level};
use crate::edit::{Choice, Field, Input, Problems, Reader};
use crate::pages::Page;
use crate::session::Viewer;
use crate::state::AppState;

/// The kinds of source the form offers, as `source_kind` names them.
const SOURCE_KINDS: [&str; 4] = ["kolada", "pxweb", "url", "file"];

/// Indicators: an administrator's, or a plan owner's for the goals of their plans.
#[derive(Debug)]
pub struct Indicators;

/// Whether the viewer may link an indicator to goals of `plan`.
fn may_link(viewer: &Viewer, plan: &Slug) -> bool {
    viewer.access().may_edit_plan(plan)
}

/// Whether the viewer may change `indicator`: an administrator, or one who keeps a plan whose
/// goal it measures.
pub fn may_edit(viewer: &Viewer, indicator: &Indicator) -> bool {
    let access = viewer.access();
    access.admin
        || indicator
            .measures
            .iter()
            .any(|m| access.may_edit_plan(&m.goal.plan))
}

/// The goals the viewer may link, plan by plan: `plan/node`, labelled with the plan's title
/// (a select has no groups in our forms), the goal's number and title.
fn linkable(viewer: &Viewer, set: &DataSet) -> Vec<Choice> {
    set.plans
        .iter()
        .filter(|p| may_link(viewer, &p.id))
        .flat_map(|p| {
            p.nodes.iter().map(move |n| {
                Choice::new(
                    &format!("{}/{}", p.id, n.id),
                    &format!("{}: {}", p.title, goal_label(n)),
                )
            })
        })
        .collect()
}

fn sexes(lang: Lang) -> Vec<Choice> {
    Sex::ALL
        .iter()
        .map(|s| {
            Choice::new(
                &s.code(),
                &lang.text(&format!("indicator-sex-{}", s.code())),
            )
        })
        .collect()
}

/// A number as people type it: a decimal comma or point, spaces between thousands.
fn number(text: &str) -> Option<f64> {
    let plain: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}')
        .map(|c| if c == ',' { '.' } else { c })
        .collect();
    plain.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A value as the form shows it: as short as it is exact.
fn shown(v: f64) -> String {
    v.to_string()
}

fn fields(viewer: &Viewer, set: &DataSet, i: Option<&Indicator>) -> Vec<Field> {
    let lang = viewer.lang;
    let t = |k: &str| lang.text(k);
    let source = i.and_then(|i| i.source.as_ref());
    let (kind, what, query) = match source.and_then(|s| s.fetch.as_ref()) {
        Some(Fetch::Kolada { kpi }) => ("kolada", kpi.clone(), None),
        Some(Fetch::PxWeb { url, query }) => ("pxweb", url.clone(), query.clone()),
        Some(Fetch::Url { url }) => ("url", url.clone(), None),
        Some(Fetch::File { name }) => ("file", name.clone(), None),
        None => ("", String::new(), None),
    };
    let mut fields = vec![
        Field::text("title", t("edit-title"), i.map(|i| i.title.as_str())).required(),
        Field::area(
            "definition",
            t("indicator-edit-definition"),
            i.and_then(|i| i.definition.as_deref()),
        ),
        Field::text(
            "unit",
            t("indicator-unit"),
            i.and_then(|i| i.unit.as_deref()),
        )
        .hint(t("indicator-edit-unit-hint")),
        Field::text(
            "decimals",
            t("indicator-edit-decimals"),
            Some(&i.map_or(0, |i| i.decimals).to_string()),
        )
        .hint(lang.format(
            "indicator-edit-decimals-hint",
            &[("max", MAX_DECIMALS.to_string())],
        )),
        Field::select(
            "direction",
            t("indicator-direction"),
            Direction::ALL
                .iter()
                .map(|d| Choice::new(&d.code(), &t(&format!("indicator-direction-{}", d.code()))))
                .collect(),
            i.and_then(|i| i.direction).map(|d| d.code().to_owned()),
        ),
        Field::text(
            "publisher",
            t("indicator-publisher"),
            source.and_then(|s| s.publisher.as_deref()),
        )
        .hint(t("indicator-edit-publisher-hint")),
        Field::select(
            "source_kind",
            t("indicator-edit-source-kind"),
            SOURCE_KINDS
                .iter()
                .map(|k| Choice::new(k, &t(&format!("indicator-edit-source-{k}"))))
                .collect(),
            Some(kind.to_owned()).filter(|k| !k.is_empty()),
        ),
        Field::text("source", t("indicator-edit-source"), Some(&what))
            .hint(t("indicator-edit-source-hint")),
        Field::area("query", t("indicator-edit-query"), query.as_deref())
            .hint(t("indicator-edit-query-hint")),
    ];
    let goals = linkable(viewer, set);
    let shown_measures: Vec<&Measure> = i
        .map(|i| {
            i.measures
                .iter()
                .filter(|m| may_link(viewer, &m.goal.plan))
                .collect()
        })
        .unwrap_or_default();
    fields.extend(measure_fields(lang, &goals, measure_rows(&shown_measures)));
    fields.extend(target_fields(lang, &goals, target_rows(&shown_measures)));
    fields
}

/// A numbered row as the form shows it: its goal, and its mark (a baseline, a target).
type Row<'a> = (Option<String>, Option<&'a Mark>);

/// One row per goal measured, with its baseline, and an empty row for a new one.
fn measure_rows<'a>(measures: &[&'a Measure]) -> Vec<Row<'a>> {
    measures
        .iter()
        .map(|m| (Some(m.goal.to_string()), m.baseline.as_ref()))
        .chain(std::iter::once((None, None)))
        .collect()
}

/// One row per target, naming its goal, and an empty row for a new one.
fn target_rows<'a>(measures: &[&'a Measure]) -> Vec<Row<'a>> {
    measures
        .iter()
        .flat_map(|m| {
            m.targets
                .iter()
                .map(|t| (Some(m.goal.to_string()), Some(t)))
        })
        .chain(std::iter::once((None, None)))
        .collect()
}

fn measure_fields(lang: Lang, goals: &[Choice], rows: Vec<Row<'_>>) -> Vec<Field> {
    rows.into_iter()
        .enumerate()
        .flat_map(|(i, (goal, base))| {
            let n = (i + 1).to_string();
            let label = |key: &str| lang.format(key, &[("n", n.clone())]);
            let name = |col: &str| format!("measure-{n}-{col}");
            [
                Field::select(
                    &name("goal"),
                    label("indicator-edit-measure-goal"),
                    goals.to_vec(),
                    goal,
                ),
                Field::text(
                    &name("baseline"),
                    label("indicator-edit-baseline-value"),
                    base.map(|b| shown(b.value)).as_deref(),
                ),
                Field::text(
                    &name("baseline_period"),
                    label("indicator-edit-baseline-period"),
                    base.map(|b| b.period.to_string()).as_deref(),
                )
                .hint(lang.text("indicator-edit-period-hint")),
                Field::select(
                    &name("baseline_sex"),
                    label("indicator-edit-baseline-sex"),
                    sexes(lang),
                    base.map(|b| b.sex.code().to_owned()),
                ),
                Field::text(
                    &name("baseline_area"),
                    label("indicator-edit-baseline-area"),
                    base.and_then(|b| b.area.as_ref())
                        .map(ToString::to_string)
                        .as_deref(),
                )
                .hint(lang.text("indicator-edit-area-hint")),
                Field::text(
                    &name("baseline_age"),
                    label("indicator-edit-baseline-age"),
                    base.and_then(|b| b.age.as_deref()),
                ),
            ]
        })
        .collect()
}

fn target_fields(lang: Lang, goals: &[Choice], rows: Vec<Row<'_>>) -> Vec<Field> {
    rows.into_iter()
        .enumerate()
        .flat_map(|(i, (goal, mark))| {
            let n = (i + 1).to_string();
            let label = |key: &str| lang.format(key, &[("n", n.clone())]);
            let name = |col: &str| format!("target-{n}-{col}");
            [
                Field::select(
                    &name("goal"),
                    label("indicator-edit-target-goal"),
                    goals.to_vec(),
                    goal,
                ),
                Field::text(
                    &name("value"),
                    label("indicator-edit-target-value"),
                    mark.map(|m| shown(m.value)).as_deref(),
                ),
                Field::text(
                    &name("period"),
                    label("indicator-edit-target-period"),
                    mark.map(|m| m.period.to_string()).as_deref(),
                )
                .hint(lang.text("indicator-edit-period-hint")),
                Field::select(
                    &name("sex"),
                    label("indicator-edit-target-sex"),
                    sexes(lang),
                    mark.map(|m| m.sex.code().to_owned()),
                ),
                Field::text(
                    &name("area"),
                    label("indicator-edit-target-area"),
                    mark.and_then(|m| m.area.as_ref())
                        .map(ToString::to_string)
                        .as_deref(),
                )
                .hint(lang.text("indicator-edit-area-hint")),
                Field::text(
                    &name("age"),
                    label("indicator-edit-target-age"),
                    mark.and_then(|m| m.age.as_deref()),
                ),
            ]
        })
        .collect()
}

/// Reads a mark from the fields `value`, `period`, `sex`, `area`, `age`: `None` when value
/// and period are both empty; a value without a period, or a period without a value, is
/// refused at the empty one.
fn mark(r: &mut Reader<'_>, names: [&str; 5]) -> Option<Mark> {
    let [value, period, sex, area, age] = names;
    let lang = r.lang;
    let v = r.optional(value);
    let p = r.optional(period);
    if v.is_none() && p.is_none() {
        return None;
    }
    let read_value = match v {
        None => {
            r.required(value);
            None
        }
        Some(text) => {
            let n = number(&text);
            if n.is_none() {
                r.problems.add(
                    value,
                    lang.format("indicator-edit-bad-number", &[("value", text)]),
                );
            }
            n
        }
    };
    let read_period = match p {
        None => {
            r.required(period);
            None
        }
        Some(text) => {
            let found = ValuePeriod::parse(&text);
            if found.is_none() {
                r.problems.add(
                    period,
                    lang.format("indicator-edit-bad-period", &[("value", text)]),
                );
            }
            found
        }
    };
    let code = r.optional(sex);
    let found = code
        .as_deref()
        .map(|code| Sex::ALL.into_iter().find(|s| s.code() == code));
    if found == Some(None) {
        r.problems.add(sex, lang.text("edit-bad-choice"));
    }
    let sex = found.flatten().unwrap_or(Sex::All);
    Some(Mark {
        value: read_value?,
        period: read_period?,
        area: r.optional(area).map(|a| Area::parse(&a)),
        sex,
        age: r.optional(age),
    })
}

/// A goal chosen on a row: one the viewer may link, or refused at the field.
fn goal(r: &mut Reader<'_>, name: &str, allowed: &[GoalRef]) -> Option<GoalRef> {
    let text = r.optional(name)?;
    let found = GoalRef::parse(&text).filter(|g| allowed.contains(g));
    if found.is_none() {
        let message = r
            .lang
            .format("indicator-edit-unknown-goal", &[("goal", text)]);
        r.problems.add(name, message);
    }
    found
}

/// Whether any field of a numbered row was filled in.
fn row_used(input: &Input, prefix: &str) -> bool {
    input
        .0
        .iter()
        .any(|(k, v)| k.starts_with(prefix) && !v.trim().is_empty())
}

/// The source as posted: its kind, its key figure, address or file name, the PxWeb query.
fn source(r: &mut Reader<'_>) -> Option<IndicatorSource> {
    let lang = r.lang;
    let publisher = r.optional("publisher");
    let kind = r.optional("source_kind");
    let what = r.optional("source");
    let query = r.optional("query");
    let fetch = match (kind.as_deref(), what) {
        (None, None) => None,
        (None, Some(_)) => {
            r.problems.add(
                "source_kind",
                lang.text("indicator-edit-source-kind-needed"),
            );
            None
        }
        (Some(_), None) => {
            r.required("source");
            None
        }
        (Some("kolada"), Some(kpi)) => Some(Fetch::Kolada { kpi }),
        (Some("file"), Some(name)) => Some(Fetch::File { name }),
        (Some(kind @ ("pxweb" | "url")), Some(url)) => {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                r.problems.add(
                    "source",
                    lang.format("indicator-edit-bad-url", &[("value", url.clone())]),
                );
            }
            if kind == "url" {
                Some(Fetch::Url { url })
            } else {
                if let Some(q) = &query {
                    if let Err(e) = serde_json::from_str::<serde_json::Value>(q) {
                        r.problems.add(
                            "query",
                            lang.format("indicator-edit-bad-query", &[("detail", e.to_string())]),
                        );
                    }
                }
                Some(Fetch::PxWeb {
                    url,
                    query: query.clone(),
                })
            }
        }
        (Some(_), Some(_)) => {
            r.problems.add("source_kind", lang.text("edit-bad-choice"));
            None
        }
    };
    if query.is_some() && kind.as_deref() != Some("pxweb") {
        r.problems
            .add("query", lang.text("indicator-edit-query-without-pxweb"));
    }
    (publisher.is_some() || fetch.is_some()).then_some(IndicatorSource { publisher, fetch })
}

/// The rows of goals measured, each with its baseline; a row left empty is dropped.
fn read_measures(r: &mut Reader<'_>, allowed: &[GoalRef]) -> Vec<Measure> {
    let lang = r.lang;
    let mut measures: Vec<Measure> = Vec::new();
    for n in 1..=r.input.rows("measure") {
        let name = format!("measure-{n}-goal");
        let chosen = goal(r, &name, allowed);
        let col = |c: &str| format!("measure-{n}-{c}");
        let base = mark(
            r,
            [
                &col("baseline"),
                &col("baseline_period"),
                &col("baseline_sex"),
                &col("baseline_area"),
                &col("baseline_age"),
            ],
        );
        let Some(g) = chosen else {
            // A row with values but no goal: the goal is wanted.
            if r.input.text(&name).is_none() && row_used(r.input, &format!("measure-{n}-")) {
                r.required(&name);
            }
            continue;
        };
        if measures.iter().any(|m| m.goal == g) {
            r.problems
                .add(&name, lang.text("indicator-edit-goal-twice"));
            continue;
        }
        measures.push(Measure {
            goal: g,
            baseline: base,
            targets: Vec::new(),
        });
    }
    measures
}

/// The rows of targets, each put with the measure of the goal it names, which must be one of
/// the rows of goals measured; a row left empty is dropped.
fn read_targets(r: &mut Reader<'_>, allowed: &[GoalRef], measures: &mut [Measure]) {
    let lang = r.lang;
    for n in 1..=r.input.rows("target") {
        let name = format!("target-{n}-goal");
        let col = |c: &str| format!("target-{n}-{c}");
        let used = row_used(r.input, &format!("target-{n}-"));
        let target = mark(
            r,
            [
                &col("value"),
                &col("period"),
                &col("sex"),
                &col("area"),
                &col("age"),
            ],
        );
        if r.input.text(&name).is_none() {
            if used {
                r.required(&name);
            }
            continue;
        }
        let Some(g) = goal(r, &name, allowed) else {
            continue;
        };
        let Some(m) = measures.iter_mut().find(|m| m.goal == g) else {
            r.problems
                .add(&name, lang.text("indicator-edit-target-not-measured"));
            continue;
        };
        match target {
            Some(t) => m.targets.push(t),
            None => {
                r.required(&col("value"));
            }
        }
    }
}

fn read(
    input: &Input,
    viewer: &Viewer,
    set: &DataSet,
    old: Option<&Indicator>,
    id: Slug,
) -> Result<Indicator, Problems> {
    let lang = viewer.lang;
    let mut r = Reader::new(input, lang);
    let title = r.required("title");
    let decimals = match r.optional("decimals") {
        None => 0,
        Some(text) => match text.parse::<u8>() {
            Ok(d) if d <= MAX_DECIMALS => d,
            _ => {
                r.problems.add(
                    "decimals",
                    lang.format(
                        "indicator-edit-bad-decimals",
                        &[("value", text), ("max", MAX_DECIMALS.to_string())],
                    ),
                );
                0
            }
        },
    };
    let direction = match r.optional("direction") {
        None => None,
        Some(code) => {
            let d = Direction::parse(&code);
            if d.is_none() {
                r.problems.add("direction", lang.text("edit-bad-choice"));
            }
            d
        }
    };
    let source = source(&mut r);
    let allowed: Vec<GoalRef> = set
        .plans
        .iter()
        .filter(|p| may_link(viewer, &p.id))
        .flat_map(|p| {
            p.nodes.iter().map(|n| GoalRef {
                plan: p.id.clone(),
                node: n.id.clone(),
            })
        })
        .collect();
    let mut measures = read_measures(&mut r, &allowed);
    read_targets(&mut r, &allowed, &mut measures);
    // A plan owner's indicator must measure a goal of theirs, or they could not open it again.
    if measures.is_empty() && !viewer.access().admin {
        r.problems
            .add("measure-1-goal", lang.text("indicator-edit-goal-needed"));
    }
    // The measures of goals the viewer may not link, kept as they were.
    measures.extend(
        old.into_iter()
            .flat_map(|o| &o.measures)
            .filter(|m| !may_link(viewer, &m.goal.plan))
            .cloned(),
    );
    let indicator = Indicator {
        id,
        title,
        definition: r.optional("definition"),
        unit: r.optional("unit"),
        decimals,
        direction,
        source,
        measures,
    };
    r.finish().map(|()| indicator)
}

impl Editor for Indicators {
    top_level!(Indicator, indicators, ItemKind::Indicator);
    const TITLES: (&'static str, &'static str) = ("edit-indicator-title", "new-indicator-title");
    /// What a link from Kolada's catalogue fills in (`/new/indicator?source_kind=kolada&...`).
    const PREFILL: &'static [&'static str] = &["title", "definition", "source_kind", "source"];

    fn name(item: &Indicator) -> String {
        item.title.clone()
    }

    fn page(_: Option<&Slug>, id: Option<&Slug>) -> String {
        id.map_or_else(
            || "/indicators".to_owned(),
            |id| format!("/indicators/{id}"),
        )
    }

    fn may_edit(viewer: &Viewer, _: &DataSet, _: Option<&Slug>, item: Option<&Indicator>) -> bool {
        if let Some(i) = item {
            return may_edit(viewer, i);
        }
        let access = viewer.access();
        access.admin || access.grants.iter().any(|(r, _)| *r == Role::PlanOwner)
    }

    fn fields(
        viewer: &Viewer,
        state: &AppState,
        _: Option<&Slug>,
        item: Option<&Indicator>,
    ) -> Vec<Field> {
        fields(viewer, &state.working().set, item)
    }

    fn read(
        input: &Input,
        viewer: &Viewer,
        state: &AppState,
        _: Option<&Slug>,
        old: Option<&Indicator>,
        id: Slug,
    ) -> Result<Indicator, Problems> {
        read(input, viewer, &state.working().set, old, id)
    }

    /// As many rows of measures and targets as were posted (rows added by a person who sends
    /// the form with more than the one empty row), each refilled from what was sent.
    fn reshape(fields: &mut Vec<Field>, viewer: &Viewer, state: &AppState, input: &Input) {
        let rows = |prefix: &str, now: usize| input.rows(prefix).max(now);
        let count = |fields: &[Field], prefix: &str| {
            fields
                .iter()
                .filter(|f| f.name.starts_with(prefix) && f.name.ends_with("-goal"))
                .count()
        };
        let (m, t) = (
            rows("measure", count(fields, "measure-")),
            rows("target", count(fields, "target-")),
        );
        fields.retain(|f| !f.name.starts_with("measure-") && !f.name.starts_with("target-"));
        let goals = linkable(viewer, &state.working().set);
        // Rows without values: `refill` puts in what was posted.
        fields.extend(measure_fields(viewer.lang, &goals, vec![(None, None); m]));
        fields.extend(target_fields(viewer.lang, &goals, vec![(None, None); t]));
    }

    /// A link to Kolada's catalogue, to pick a key figure for this form.
    fn form_tools(page: Page, id: Option<&Slug>) -> Page {
        let path = id.map_or_else(
            || "/indicators/kolada".to_owned(),
            |id| format!("/indicators/kolada?for={id}"),
        );
        let link = (
            page.t("indicator-kolada-search-link"),
            with_lang(&page, &path),
        );
        let mut page = page;
        page.tools.push(link);
        page
    }
}

/// `path` in the page's language, whether or not it has a query already.
pub fn with_lang(page: &Page, path: &str) -> String {
    match page.lang {
        Lang::Sv => path.to_owned(),
        Lang::En if path.contains('?') => format!("{path}&lang=en"),
        Lang::En => format!("{path}?lang=en"),
    }
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn numbers_read_as_people_type_them() {
        assert_eq!(number("12,5"), Some(12.5));
        assert_eq!(number("1 234.5"), Some(1234.5));
        assert_eq!(number("-3"), Some(-3.0));
        assert_eq!(number("tolv"), None);
        assert_eq!(number("inf"), None);
    }
}
