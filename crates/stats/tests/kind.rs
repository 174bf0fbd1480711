//! A source's kind told from its content, or said; JSON parsed once for both.

use rodtrad_stats::{Kind, Rule, read};

#[test]
fn the_kind_is_told_from_the_content_or_taken_as_said() {
    let kolada = br#"{"values": [{"kpi": "N1", "municipality": "1880", "period": 2024,
        "values": [{"gender": "T", "status": "", "value": 2}]}], "next_url": ""}"#;
    let pxweb = br#"{"columns": [{"code": "Tid", "text": "ar", "type": "t"},
        {"code": "X", "text": "x", "type": "c"}], "data": [{"key": ["2024"], "values": ["3"]}]}"#;
    let jsonstat = br#"{"class": "dataset", "id": ["tid"], "size": [1],
        "dimension": {"tid": {"category": {"index": ["2024"]}}}, "value": [4]}"#;
    let csv = "År;Värde\n2024;5\n".as_bytes();
    for (bytes, kind, value) in [
        (&kolada[..], Kind::Kolada, 2.0),
        (&pxweb[..], Kind::PxWeb, 3.0),
        (&jsonstat[..], Kind::JsonStat, 4.0),
        (csv, Kind::Csv, 5.0),
    ] {
        assert_eq!(Kind::detect(bytes), Some(kind));
        let (read_as, tables) = read(bytes, None).expect("read");
        assert_eq!(read_as, kind);
        assert_eq!(tables[0].values, [Some(value)], "{kind:?}");
    }
    // Said, it is read as that kind, whatever it looks like.
    let e = read(&kolada[..], Some(Kind::PxWeb)).expect_err("refused");
    assert_eq!((e.rule, e.at.as_str()), (Rule::Missing, "columns"));
    let (kind, _) = read(csv, Some(Kind::Csv)).expect("read");
    assert_eq!(kind, Kind::Csv);
}

#[test]
fn broken_or_foreign_json_is_said_as_such_not_read_as_csv() {
    let e = read(b"{\"class\": \"dataset\",\n \"id\": [", None).expect_err("refused");
    assert_eq!(e.rule, Rule::NotJson);
    assert!(e.at.starts_with("line 2"), "{}", e.at);
    let e = read(br#"{"name": "annat"}"#, None).expect_err("refused");
    assert_eq!(e.rule, Rule::NotDataSet);
    assert_eq!(Kind::detect(br#"{"name": "annat"}"#), None);
}
