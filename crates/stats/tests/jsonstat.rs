//! The JSON-stat reader against the format's own samples and SCB's answer (copies in
//! `tests/data`), and one refusal per rule.

use std::path::PathBuf;

use rodtrad_stats::{Role, Rule, Table, jsonstat};

fn shared(path: &str) -> Vec<u8> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(path);
    std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

fn one(path: &str) -> Table {
    let mut tables = jsonstat::read(&shared(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(tables.len(), 1, "{path}");
    tables.remove(0)
}

fn ids(t: &Table) -> Vec<&str> {
    t.dimensions.iter().map(|d| d.id.as_str()).collect()
}

#[test]
fn every_sample_reads_with_its_dimensions_and_values() {
    // (file, dimensions, sizes, numbers present)
    let samples: [(&str, &[&str], &[usize], usize); 6] = [
        (
            "jsonstat/canada.json",
            &["country", "year", "age", "concept", "sex"],
            &[1, 1, 20, 2, 3],
            120,
        ),
        (
            "jsonstat/galicia.json",
            &["birth", "age", "gender", "time", "residence", "concept"],
            &[6, 22, 3, 2, 5, 1],
            3956,
        ),
        ("jsonstat/hierarchy.json", &["commodity"], &[132], 0),
        (
            "jsonstat/oecd.json",
            &["concept", "area", "year"],
            &[1, 36, 12],
            432,
        ),
        ("jsonstat/order.json", &["A", "B", "C"], &[3, 2, 4], 0),
        (
            "pxweb/TAB6471_data.json",
            &["Region", "Alder", "Kon", "ContentsCode", "Tid"],
            &[21, 11, 3, 1, 4],
            2772,
        ),
    ];
    for (path, dims, sizes, numbers) in samples {
        let t = one(path);
        assert_eq!(ids(&t), dims, "{path}");
        assert_eq!(t.sizes(), sizes, "{path}");
        assert_eq!(t.values.len(), sizes.iter().product::<usize>(), "{path}");
        assert_eq!(t.count(), numbers, "{path}");
    }
}

#[test]
fn roles_units_statuses_notes_and_hierarchies_are_kept() {
    let canada = one("jsonstat/canada.json");
    let role = |t: &Table, r| t.with_role(r).map(|i| t.dimensions[i].id.clone());
    assert_eq!(role(&canada, Role::Time).as_deref(), Some("year"));
    assert_eq!(role(&canada, Role::Geo).as_deref(), Some("country"));
    assert_eq!(role(&canada, Role::Metric).as_deref(), Some("concept"));
    let concept = &canada.dimensions[3];
    assert_eq!(concept.categories[0].code, "POP");
    let unit = concept.categories[0].unit.as_ref().expect("unit");
    assert_eq!(unit.label.as_deref(), Some("thousands of persons"));
    assert_eq!(unit.decimals, Some(1));
    // One status in a list of one: it holds for every value.
    assert_eq!(canada.status.len(), 120);
    assert!(canada.status.iter().all(|s| s.as_deref() == Some("a")));
    assert_eq!(canada.values[0], Some(34880.5));

    // Statuses as an object of positions; the data set's note; index as an object.
    let oecd = one("jsonstat/oecd.json");
    assert_eq!(oecd.status[10].as_deref(), Some("e"));
    assert_eq!(oecd.status[12], None);
    assert_eq!(oecd.notes.len(), 1);
    assert_eq!(oecd.values[0], Some(5.943_826_289));

    // A child hierarchy, and values as an object of positions.
    let hierarchy = one("jsonstat/hierarchy.json");
    let with_parent = hierarchy.dimensions[0]
        .categories
        .iter()
        .filter(|c| c.parent.is_some())
        .count();
    assert!(with_parent > 100, "{with_parent}");

    // Row-major order: the last dimension changes fastest; texts are kept as texts.
    let order = one("jsonstat/order.json");
    assert_eq!(order.texts.len(), 24);
    let at = order.position(&[1, 0, 2]);
    assert_eq!(order.texts[&at], "A2B1C3");
    assert_eq!(order.categories_at(at), vec![1, 0, 2]);

    // SCB's answer (PxWeb version 2): the time and the measure by role.
    let scb = one("pxweb/TAB6471_data.json");
    assert_eq!(role(&scb, Role::Time).as_deref(), Some("Tid"));
    assert_eq!(role(&scb, Role::Metric).as_deref(), Some("ContentsCode"));
}

/// A small valid data set, changed by `change`, read.
fn broken(change: impl FnOnce(&mut serde_json::Value)) -> rodtrad_stats::ReadError {
    let mut v = serde_json::json!({
        "version": "2.0", "class": "dataset",
        "id": ["sex", "year"], "size": [2, 2],
        "role": {"time": ["year"]},
        "dimension": {
            "sex": {"category": {"index": ["1", "2"], "label": {"1": "män", "2": "kvinnor"}}},
            "year": {"category": {"index": {"2020": 0, "2021": 1}}}
        },
        "value": [1, 2, 3, null]
    });
    jsonstat::read_value(&v).expect("the valid one reads");
    change(&mut v);
    jsonstat::read_value(&v).expect_err("refused")
}

/// A change that breaks the valid data set.
type Change = Box<dyn FnOnce(&mut serde_json::Value)>;

#[test]
fn each_broken_rule_is_refused_with_where() {
    let cases: Vec<(Rule, &str, Change)> = vec![
        (
            Rule::ValueCount,
            "value",
            Box::new(|v| v["value"] = serde_json::json!([1, 2, 3])),
        ),
        (
            Rule::IdSizeLength,
            "size",
            Box::new(|v| v["size"] = serde_json::json!([2])),
        ),
        (
            Rule::UnknownDimension,
            "id[1]",
            Box::new(|v| v["id"][1] = "år".into()),
        ),
        (
            Rule::CategoryCount,
            "dimension.sex.category",
            Box::new(|v| v["size"][0] = 3.into()),
        ),
        (
            Rule::CategoryIndex,
            "dimension.year.category.index.2021",
            Box::new(|v| v["dimension"]["year"]["category"]["index"]["2021"] = 0.into()),
        ),
        (
            Rule::ValuePosition,
            "value.9",
            Box::new(|v| v["value"] = serde_json::json!({"0": 1, "9": 2})),
        ),
        (
            Rule::ValueNotNumber,
            "value[2]",
            Box::new(|v| v["value"][2] = true.into()),
        ),
        (
            Rule::StatusCount,
            "status",
            Box::new(|v| v["status"] = serde_json::json!(["a", "b"])),
        ),
        (
            Rule::UnknownRoleDimension,
            "role.time[0]",
            Box::new(|v| v["role"]["time"][0] = "tid".into()),
        ),
        (
            Rule::Missing,
            "dimension.sex.category",
            Box::new(|v| v["dimension"]["sex"] = serde_json::json!({})),
        ),
        (
            Rule::FieldType,
            "size[0]",
            Box::new(|v| v["size"][0] = (-1).into()),
        ),
        (
            Rule::NotDataSet,
            "class",
            Box::new(|v| v["class"] = "dimension".into()),
        ),
    ];
    for (rule, at, change) in cases {
        let e = broken(change);
        assert_eq!((e.rule, e.at.as_str()), (rule, at), "{e}");
    }
    let e = jsonstat::read(b"{\"class\": \"dataset\",\n  \"id\": [").expect_err("refused");
    assert_eq!(e.rule, Rule::NotJson);
    assert!(e.at.starts_with("line 2"), "{}", e.at);
}

#[test]
fn a_bundle_and_a_collection_give_their_data_sets() {
    let set = |label: &str| {
        serde_json::json!({
            "label": label, "id": ["a"], "size": [1],
            "dimension": {"a": {"category": {"label": {"x": "X"}}}},
            "value": [7]
        })
    };
    let bundle = serde_json::json!({"första": set("Första"), "andra": set("Andra")});
    let tables = jsonstat::read_value(&bundle).expect("bundle");
    assert_eq!(tables.len(), 2);
    let mut embedded = set("Inbäddad");
    embedded["class"] = "dataset".into();
    let collection = serde_json::json!({
        "class": "collection",
        "link": {"item": [{"class": "dataset", "href": "https://example.org/x"}, embedded]}
    });
    let tables = jsonstat::read_value(&collection).expect("collection");
    assert_eq!(tables.len(), 1);
    assert_eq!(tables[0].label.as_deref(), Some("Inbäddad"));
    assert_eq!(tables[0].values, vec![Some(7.0)]);
}
