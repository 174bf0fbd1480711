//! The readers of sources that answer in rows, PxWeb version 1 and Kolada, against the recorded
//! answers (copies in `tests/data`), and their refusals.

use std::path::PathBuf;

use rodtrad_stats::{Role, Rule, kolada, pxweb};

fn shared(path: &str) -> Vec<u8> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path);
    std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

#[test]
fn scbs_version_1_answer_reads_with_its_columns() {
    let t = pxweb::read(&shared("pxweb/v1/ME0104T24_data.json")).expect("read");
    let ids: Vec<&str> = t.dimensions.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["Parti", "Kon", "Tid", "ContentsCode"]);
    assert_eq!(t.sizes(), [2, 1, 1, 1]);
    assert_eq!(t.dimensions[2].role, Some(Role::Time));
    assert_eq!(t.dimensions[3].role, Some(Role::Metric));
    assert_eq!(
        t.dimensions[3].categories[0].label.as_deref(),
        Some("Antal personröster")
    );
    assert_eq!(t.values, [Some(133_222.0), Some(59_183.0)]);
    assert_eq!(t.source.as_deref(), Some("SCB"));
    assert_eq!(t.updated.as_deref(), Some("2023-02-27T07:00:00Z"));
}

#[test]
fn a_value_pxweb_marks_is_kept_as_its_status_and_broken_rows_are_refused() {
    let answer = |rows: &str| {
        format!(
            r#"{{"columns": [{{"code": "Region", "text": "region", "type": "d"}},
                {{"code": "Tid", "text": "år", "type": "t"}},
                {{"code": "BE0101N1", "text": "Folkmängd", "type": "c"}}],
               "data": [{rows}], "metadata": []}}"#
        )
    };
    let t = pxweb::read(
        answer(r#"{"key": ["1880", "2023"], "values": ["158371"]}, {"key": ["1880", "2024"], "values": [".."]}"#)
            .as_bytes(),
    )
    .expect("read");
    assert_eq!(t.values, [Some(158_371.0), None]);
    assert_eq!(t.status, [None, Some("..".to_owned())]);
    let refused = |rows: &str| pxweb::read(answer(rows).as_bytes()).expect_err("refused");
    let e = refused(r#"{"key": ["1880"], "values": ["1"]}"#);
    assert_eq!((e.rule, e.at.as_str()), (Rule::RowLength, "data[0].key"));
    let e = refused(r#"{"key": ["1880", "2023"], "values": ["1", "2"]}"#);
    assert_eq!((e.rule, e.at.as_str()), (Rule::RowLength, "data[0].values"));
    let e = refused(
        r#"{"key": ["1880", "2023"], "values": ["1"]}, {"key": ["1880", "2023"], "values": ["2"]}"#,
    );
    assert_eq!(
        (e.rule, e.at.as_str()),
        (Rule::DuplicateRow, "data[1].values[0]")
    );
    let e = pxweb::read(b"{\"data\": []}").expect_err("refused");
    assert_eq!((e.rule, e.at.as_str()), (Rule::Missing, "columns"));
}

#[test]
fn koladas_answers_read_with_their_areas_and_years() {
    let t = kolada::read(&[shared("kolada/data-N00945.json")]).expect("read");
    let ids: Vec<&str> = t.dimensions.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["kpi", "municipality", "period", "gender"]);
    assert_eq!(t.sizes(), [1, 3, 21, 1]);
    assert_eq!(t.count(), 63);
    assert_eq!(t.dimensions[1].role, Some(Role::Geo));
    assert_eq!(t.dimensions[2].role, Some(Role::Time));
    let at = t.position(&[0, 0, 0, 0]);
    assert_eq!(t.values[at], Some(31.329_596_89));
    assert_eq!(t.dimensions[1].categories[0].code, "0180");
    assert_eq!(t.dimensions[2].categories[0].code, "2000");

    // Two key figures for a group of eight municipalities, Lindesberg among them.
    let group = kolada::read(&[shared("kolada/data-N03702-N03703-group.json")]).expect("read");
    assert_eq!(group.sizes()[0], 2);
    assert_eq!(group.sizes()[1], 8);
    assert!(
        group.dimensions[1]
            .categories
            .iter()
            .any(|c| c.code == "1885")
    );
    assert_eq!(group.count(), 192);
    assert_eq!(
        kolada::next_url(&shared("kolada/data-N00945.json")).expect("page"),
        None
    );
}

#[test]
fn koladas_pages_are_one_table_and_a_value_twice_is_refused() {
    let page = |period: u32, next: &str| {
        format!(
            r#"{{"values": [{{"kpi": "N00945", "municipality": "1880", "period": {period},
                "values": [{{"gender": "K", "status": "", "value": 1.5, "count": 1}},
                           {{"gender": "M", "status": "B", "value": null, "count": 0}}]}}],
               "count": 1, "next_url": "{next}", "previous_url": ""}}"#
        )
        .into_bytes()
    };
    let first = page(2023, "https://api.kolada.se/v3/data/kpi/N00945?page=2");
    assert_eq!(
        kolada::next_url(&first).expect("page").as_deref(),
        Some("https://api.kolada.se/v3/data/kpi/N00945?page=2")
    );
    let t = kolada::read(&[first, page(2024, "")]).expect("read");
    assert_eq!(t.sizes(), [1, 1, 2, 2]);
    assert_eq!(t.count(), 2);
    assert_eq!(t.status[t.position(&[0, 0, 0, 1])].as_deref(), Some("B"));
    let e = kolada::read(&[page(2023, ""), page(2023, "")]).expect_err("refused");
    assert_eq!(
        (e.rule, e.at.as_str()),
        (Rule::DuplicateRow, "page 2: values[0].values[0]")
    );
    let e = kolada::read(&[b"{\"values\": [{\"kpi\": \"N1\"}]}".to_vec()]).expect_err("refused");
    assert_eq!(
        (e.rule, e.at.as_str()),
        (Rule::Missing, "page 1: values[0].municipality")
    );
}
