//! A table's values as an indicator's, by period, area, sex and age: told from the recorded
//! answers of SCB, Kolada and JSON-stat, and refused where a table holds something else.

use std::path::PathBuf;

use rodtrad_stats::observe::{Area, Mapping, Period, Sex, observations};
use rodtrad_stats::{Rule, jsonstat, kolada};

fn data(path: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data")
            .join(path),
    )
    .expect("read")
}

#[test]
fn periods_areas_and_sexes_as_sources_write_them() {
    let p = |s: &str| Period::parse(s);
    assert_eq!(p("2023"), Some(Period::Year(2023)));
    assert_eq!(p("2021–2024"), Some(Period::Span(2021, 2024)));
    assert_eq!(p("2021-2024"), Some(Period::Span(2021, 2024)));
    assert_eq!(p("2026M01"), Some(Period::Month(2026, 1)));
    assert_eq!(p("2026-03"), Some(Period::Month(2026, 3)));
    assert_eq!(p("2024K2"), Some(Period::Quarter(2024, 2)));
    assert_eq!(p("2024Q4"), Some(Period::Quarter(2024, 4)));
    assert_eq!(p("2024H1"), Some(Period::Half(2024, 1)));
    for bad in ["2024M13", "2024K5", "2024–2021", "tjugo", "20"] {
        assert_eq!(p(bad), None, "{bad}");
    }
    assert_eq!(Period::Span(2021, 2024).to_string(), "2021–2024");
    assert_eq!(Period::Month(2026, 1).to_string(), "2026-01");

    assert_eq!(Area::parse("0000"), Area::Country);
    assert_eq!(Area::parse("00"), Area::Country);
    assert_eq!(Area::parse("18"), Area::County("18".into()));
    assert_eq!(Area::parse("0018"), Area::County("18".into()));
    assert_eq!(Area::parse("1880"), Area::Municipality("1880".into()));
    assert_eq!(Area::parse("0180"), Area::Municipality("0180".into()));
    assert_eq!(Area::parse("G33"), Area::Other("G33".into()));

    for (code, sex) in [
        ("T", Sex::All),
        ("K", Sex::Women),
        ("M", Sex::Men),
        ("1+2", Sex::All),
    ] {
        assert_eq!(Sex::parse(code, None), Some(sex), "{code}");
    }
    for (code, sex) in [
        ("TotSa", Sex::All),
        ("1", Sex::Men),
        ("2", Sex::Women),
        ("00", Sex::All),
    ] {
        assert_eq!(Sex::parse(code, None), Some(sex), "{code}");
    }
    assert_eq!(Sex::parse("01", None), Some(Sex::Men));
    assert_eq!(Sex::parse("02", None), Some(Sex::Women));
    assert_eq!(Sex::parse("F", Some("female")), Some(Sex::Women));
    assert_eq!(Sex::parse("x9", Some("Kvinnor")), Some(Sex::Women));
    assert_eq!(Sex::parse("x9", Some("okänt")), None);
}

#[test]
fn scbs_table_by_month_county_age_and_sex() {
    let t = jsonstat::read(&data("pxweb/TAB6471_data.json"))
        .expect("read")
        .remove(0);
    let m = Mapping::detect(&t).expect("mapping");
    let ids = |i: Option<usize>| i.map(|i| t.dimensions[i].id.as_str());
    assert_eq!(ids(Some(m.period)), Some("Tid"));
    assert_eq!(ids(m.area), Some("Region"));
    assert_eq!(ids(m.sex), Some("Kon"));
    assert_eq!(ids(m.age), Some("Alder"));
    let obs = observations(&t, &m).expect("observations");
    assert_eq!(obs.len(), 2772);
    let first = &obs[0];
    assert_eq!(first.period, Period::Month(2026, 1));
    assert_eq!(first.area, Some(Area::County("01".into())));
    assert_eq!(first.sex, Sex::All);
    assert_eq!(first.age.as_deref(), Some("0-9"));
    let women = obs.iter().filter(|o| o.sex == Sex::Women).count();
    assert_eq!(women, 2772 / 3);
}

#[test]
fn koladas_values_by_municipality_year_and_gender() {
    let t = kolada::read(&[data("kolada/data-N00945.json")]).expect("read");
    let m = Mapping::detect(&t).expect("mapping");
    let obs = observations(&t, &m).expect("observations");
    assert_eq!(obs.len(), 63);
    assert_eq!(obs[0].period, Period::Year(2000));
    assert_eq!(obs[0].area, Some(Area::Municipality("0180".into())));
    assert_eq!(obs[0].sex, Sex::All);
    assert_eq!(obs[0].value, Some(31.329_596_89));
}

#[test]
fn a_table_of_something_else_is_refused_saying_which_dimension() {
    // Two measures at once: which one is the indicator's is not for the import to guess.
    let two = serde_json::json!({
        "class": "dataset", "id": ["tid", "matt"], "size": [1, 2],
        "role": {"time": ["tid"]},
        "dimension": {"tid": {"category": {"index": ["2024"]}},
                      "matt": {"category": {"index": ["a", "b"]}}},
        "value": [1, 2]
    });
    let t = jsonstat::read_value(&two).expect("read").remove(0);
    let e = Mapping::detect(&t).expect_err("refused");
    assert_eq!((e.rule, e.at.as_str()), (Rule::Unmapped, "dimension.matt"));
    // No time.
    let order = jsonstat::read(&data("jsonstat/order.json"))
        .expect("read")
        .remove(0);
    let e = Mapping::detect(&order).expect_err("refused");
    assert_eq!(e.rule, Rule::Missing);
    // A period in no form known.
    let odd = serde_json::json!({
        "class": "dataset", "id": ["tid"], "size": [1], "role": {"time": ["tid"]},
        "dimension": {"tid": {"category": {"index": ["vinter"]}}}, "value": [1]
    });
    let t = jsonstat::read_value(&odd).expect("read").remove(0);
    let m = Mapping::detect(&t).expect("mapping");
    let e = observations(&t, &m).expect_err("refused");
    assert_eq!(
        (e.rule, e.at.as_str()),
        (Rule::Unmapped, "dimension.tid.category.vinter")
    );
}
