//! Indicators in the exchange format: `indicators/<id>.toml` and its values in
//! `indicators/<id>.csv`, read, checked at the cell, and written back byte for byte.

use rodtrad_domain::{Area, Fetch, Sex, ValuePeriod};
use rodtrad_format::{
    Diagnostic, EntityKind, Problem, SourceFile, parse, parse_with_values, write_with_values,
};

const PLAN: &str = r#"id = "plan"
title = "Handlingsplan"

[[level]]
id = "delmal"
name = "Delmål"

[[node]]
id = "delmal-1"
level = "delmal"
title = "Fler unga mår bra"
"#;

const INDICATOR: &str = r#"id = "psykisk-halsa"
title = "Andel elever i årskurs 9 som mår bra"
definition = "Andel elever som svarar att de mår bra eller mycket bra."
unit = "procent"
decimals = 1
direction = "higher"

[source]
publisher = "Kolada"
kolada = "N00945"

[[measure]]
goal = "plan/delmal-1"
baseline = { value = 61.5, period = "2019", area = "18" }

[[measure.target]]
value = 70
period = "2030"
sex = "women"

[[measure.target]]
value = 72.5
period = "2030"
sex = "men"
"#;

const VALUES: &str = "period,area,sex,age,value,status
2019,18,all,,61.5,
2019,1880,women,15-19,58,preliminary
2021–2024,riket,men,,,..
";

fn files(indicator: &str, values: &str) -> Vec<SourceFile> {
    vec![
        SourceFile::new("rodtrad.toml", "format_version = 1\nname = \"Test\"\n"),
        SourceFile::new("plans/plan.toml", PLAN),
        SourceFile::new("indicators/psykisk-halsa.toml", indicator),
        SourceFile::new("indicators/psykisk-halsa.csv", values),
    ]
}

fn errors(files: Vec<SourceFile>) -> Vec<Diagnostic> {
    parse(files).expect_err("the data set should be refused")
}

fn one(file: &str, line: usize, path: &str, problem: Problem) -> Diagnostic {
    Diagnostic {
        file: file.into(),
        line: Some(line),
        path: path.into(),
        problem,
    }
}

const CSV: &str = "indicators/psykisk-halsa.csv";

#[test]
fn an_indicator_reads_with_its_marks_and_values() {
    let (set, values) =
        parse_with_values(files(INDICATOR, VALUES)).unwrap_or_else(|d| panic!("{d:#?}"));
    let i = &set.indicators[0];
    assert_eq!(i.decimals, 1);
    assert_eq!(
        i.source.as_ref().and_then(|s| s.fetch.clone()),
        Some(Fetch::Kolada {
            kpi: "N00945".into()
        })
    );
    let m = &i.measures[0];
    assert_eq!(m.goal.to_string(), "plan/delmal-1");
    let baseline = m.baseline.as_ref().expect("baseline");
    assert_eq!(baseline.area, Some(Area::County("18".into())));
    assert_eq!(m.targets[1].sex, Sex::Men);
    assert!((m.targets[0].value - 70.0).abs() < 1e-9);
    let v = &values[&i.id];
    assert_eq!(v.len(), 3);
    // In canonical order: by period, then area (riket before counties), sex, age.
    assert_eq!(v[0].area, Area::County("18".into()));
    assert_eq!(v[1].age.as_deref(), Some("15-19"));
    assert_eq!(v[1].status.as_deref(), Some("preliminary"));
    assert_eq!(v[2].period, ValuePeriod::Span(2021, 2024));
    assert_eq!(v[2].value, None);
}

#[test]
fn indicators_and_values_write_back_byte_for_byte() {
    let (set, values) = parse_with_values(files(INDICATOR, VALUES)).expect("valid");
    let written = write_with_values(&set, &values);
    let (again, again_values) =
        parse_with_values(written.clone()).unwrap_or_else(|d| panic!("{d:#?}"));
    assert_eq!(again, set);
    assert_eq!(again_values, values);
    assert_eq!(write_with_values(&again, &again_values), written);
    let csv = written.iter().find(|f| f.path == CSV).expect("values file");
    // Canonical: every column, periods and areas written one way, whatever the source wrote.
    assert_eq!(
        csv.text.as_deref(),
        Ok(
            "period,area,sex,age,value,status\n2019,18,all,,61.5,\n2019,1880,women,15-19,58,preliminary\n2021–2024,riket,men,,,..\n"
        )
    );
}

#[test]
fn values_in_source_codes_are_written_one_way() {
    let values = "area,period,value,sex\n0018,2019,1.25,K\n00,2020-2021,2,T\n";
    let (set, values) = parse_with_values(files(INDICATOR, values)).expect("valid");
    let written = write_with_values(&set, &values);
    let csv = written.iter().find(|f| f.path == CSV).expect("values file");
    assert_eq!(
        csv.text.as_deref(),
        Ok("period,area,sex,age,value,status\n2019,18,women,,1.25,\n2020–2021,riket,all,,2,\n")
    );
}

#[test]
fn every_bad_cell_is_named_at_its_line() {
    let bad = "period,area,sex,value,status
2019,18,all,1,
20x9,18,all,1,
2019,18,kvinnor,1,
2019,1880,all,ett,
2019,1880,men,,
2019,18,all,2,
";
    let found = errors(files(INDICATOR, bad));
    assert_eq!(
        found,
        vec![
            one(
                CSV,
                3,
                "period",
                Problem::BadPeriod {
                    value: "20x9".into()
                }
            ),
            one(
                CSV,
                4,
                "sex",
                Problem::UnknownValue {
                    field: "sex",
                    value: "kvinnor".into(),
                    allowed: "all, women, men".into()
                }
            ),
            one(
                CSV,
                5,
                "value",
                Problem::BadNumber {
                    value: "ett".into()
                }
            ),
            one(CSV, 6, "", Problem::EmptyValue),
            one(
                CSV,
                7,
                "",
                Problem::DuplicateValue {
                    first: format!("{CSV}:2")
                }
            ),
        ]
    );
}

#[test]
fn a_values_file_needs_its_columns_and_only_those() {
    let found = errors(files(INDICATOR, "period,value,region\n2019,1,18\n"));
    assert_eq!(
        found,
        vec![
            one(
                CSV,
                1,
                "",
                Problem::UnknownColumn {
                    column: "region".into(),
                    expected: "period, area, sex, age, value, status".into()
                }
            ),
            one(
                CSV,
                1,
                "",
                Problem::MissingColumn {
                    column: "area".into()
                }
            ),
        ]
    );
}

#[test]
fn values_of_no_indicator_are_refused() {
    let mut f = files(INDICATOR, VALUES);
    f.push(SourceFile::new("indicators/okand.csv", VALUES));
    assert_eq!(
        errors(f),
        vec![Diagnostic {
            file: "indicators/okand.csv".into(),
            line: None,
            path: String::new(),
            problem: Problem::UnknownReference {
                kind: EntityKind::Indicator,
                id: "okand".into()
            },
        }]
    );
}

#[test]
fn an_indicators_own_rules() {
    let bad = INDICATOR
        .replace("decimals = 1", "decimals = 9")
        .replace("direction = \"higher\"", "direction = \"up\"")
        .replace(
            "kolada = \"N00945\"",
            "kolada = \"N00945\"\nurl = \"https://x\"\nquery = \"{\"",
        )
        .replace("period = \"2019\"", "period = \"nittonhundra\"")
        .replace("goal = \"plan/delmal-1\"", "goal = \"plan/delmal-9\"")
        .replace("sex = \"men\"", "sex = \"x\"");
    let found: Vec<(Option<usize>, String, &str)> = errors(files(&bad, VALUES))
        .into_iter()
        .map(|d| (d.line, d.path, d.problem.key()))
        .collect();
    assert_eq!(
        found,
        vec![
            (Some(5), "decimals".into(), "problem-out-of-range"),
            (Some(6), "direction".into(), "problem-unknown-value"),
            (Some(11), "source".into(), "problem-source-kinds"),
            (
                Some(12),
                "source.query".into(),
                "problem-query-without-pxweb"
            ),
            (
                Some(15),
                "measure[0].goal".into(),
                "problem-unknown-reference"
            ),
            (
                Some(16),
                "measure[0].baseline.period".into(),
                "problem-bad-period"
            ),
            (
                Some(26),
                "measure[0].target[1].sex".into(),
                "problem-unknown-value"
            ),
        ]
    );
}

#[test]
fn a_pxweb_query_must_be_json() {
    let bad = INDICATOR.replace(
        "kolada = \"N00945\"",
        "pxweb = \"https://api.scb.se/OV0104/v1/doris/sv/ssd/BE/BE0101\"\nquery = \"{nej\"",
    );
    let found = errors(files(&bad, VALUES));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0].path, "source.query");
    assert_eq!(found[0].problem.key(), "problem-bad-query");
}
