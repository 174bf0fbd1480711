//! CSV as Swedish offices write it, and its refusals with the line.

use rodtrad_stats::csv::{Columns, number, read};
use rodtrad_stats::{Kind, Role, Rule};

#[test]
fn semicolons_decimal_commas_and_a_byte_order_mark() {
    let file = "\u{feff}År;Kommun;Kön;Värde\n2023;1880;Kvinnor;12,5\n2023;1880;Män;1 234,75\n\
                2024;1880;Kvinnor;..\n2024;1880;Män;13\n";
    let t = read(file.as_bytes(), &Columns::default()).expect("read");
    let ids: Vec<&str> = t.dimensions.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["År", "Kommun", "Kön"]);
    assert_eq!(t.sizes(), [2, 1, 2]);
    assert_eq!(t.dimensions[0].role, Some(Role::Time));
    assert_eq!(t.dimensions[1].role, Some(Role::Geo));
    assert_eq!(t.values, [Some(12.5), Some(1234.75), None, Some(13.0)]);
    assert_eq!(t.status[2].as_deref(), Some(".."));
    assert_eq!(Kind::detect(file.as_bytes()), Some(Kind::Csv));
}

#[test]
fn windows_1252_and_commas_with_quoted_decimals() {
    // "Örebro" and "Kön" in Windows-1252, as Excel saves them on a Swedish Windows.
    let mut file = b"Region,K\xf6n,Andel,Status\n".to_vec();
    file.extend_from_slice(b"\xd6rebro,Alla,\"45,5\",preliminar\n\xd6rebro,M\xe4n,44.1,\n");
    let t = read(&file, &Columns::default()).expect("read");
    assert_eq!(t.dimensions[0].categories[0].code, "Örebro");
    assert_eq!(t.dimensions[1].id, "Kön");
    assert_eq!(t.values, [Some(45.5), Some(44.1)]);
    assert_eq!(t.status, [Some("preliminar".to_owned()), None]);
}

#[test]
fn columns_named_by_the_person_and_numbers_as_offices_write_them() {
    let file = "tidpunkt\tplats\tantal personer\n2022\t0180\t5\n";
    let columns = Columns {
        value: Some("Antal personer".into()),
        period: Some("tidpunkt".into()),
        area: Some("plats".into()),
        status: None,
    };
    let t = read(file.as_bytes(), &columns).expect("read");
    assert_eq!(t.dimensions[0].role, Some(Role::Time));
    assert_eq!(t.dimensions[1].role, Some(Role::Geo));
    assert_eq!(t.values, [Some(5.0)]);
    assert_eq!(number("1.234,5"), Some(1234.5));
    assert_eq!(number("1,234.5"), Some(1234.5));
    assert_eq!(number("−"), None);
    let e = read(
        file.as_bytes(),
        &Columns {
            value: Some("värde".into()),
            ..Columns::default()
        },
    )
    .expect_err("refused");
    assert_eq!((e.rule, e.at.as_str()), (Rule::Missing, "line 1"));
}

#[test]
fn broken_rows_are_refused_with_their_line() {
    let refused = |file: &str| read(file.as_bytes(), &Columns::default()).expect_err("refused");
    let e = refused("År;Värde\n2023;1\n2024\n");
    assert_eq!((e.rule, e.at.as_str()), (Rule::RowLength, "line 3"));
    let e = refused("År;Värde\n2023;ett\n");
    assert_eq!(
        (e.rule, e.at.as_str()),
        (Rule::ValueNotNumber, "line 2, column Värde")
    );
    let e = refused("År;Värde\n2023;1\n2023;2\n");
    assert_eq!((e.rule, e.at.as_str()), (Rule::DuplicateRow, "line 3"));
}
