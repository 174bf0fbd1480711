//! Indicators and their values on every backend: an indicator stored and read back with the
//! data set, its values imported in bulk (all or nothing, a second import writing nothing),
//! read by area, on record, and seen by other servers; imports at once lose nothing.

mod common;

use common::{fresh, orebro};
use rodtrad_domain::{
    Area, DataSet, Fetch, Indicator, IndicatorSource, IndicatorValue, ItemKey, ItemKind, Mark,
    Measure, Sex, Slug, ValuePeriod,
};
use rodtrad_store::{Actor, Since, Store, StoreError, ValueFilter};

fn slug(s: &str) -> Slug {
    Slug::parse(s).expect("slug")
}

fn indicator(id: &str) -> Indicator {
    let set = orebro();
    let plan = &set.plans[0];
    Indicator {
        id: slug(id),
        title: format!("Indikator {id}"),
        definition: Some("Andel som mår bra.".into()),
        unit: Some("procent".into()),
        decimals: 1,
        direction: Some(rodtrad_domain::Direction::Higher),
        source: Some(IndicatorSource {
            publisher: Some("Kolada".into()),
            fetch: Some(Fetch::Kolada {
                kpi: "N00945".into(),
            }),
        }),
        measures: vec![Measure {
            goal: rodtrad_domain::GoalRef {
                plan: plan.id.clone(),
                node: plan.nodes[0].id.clone(),
            },
            baseline: Some(Mark {
                value: 61.5,
                period: ValuePeriod::Year(2019),
                area: None,
                sex: Sex::All,
                age: None,
            }),
            targets: vec![Mark {
                value: 70.0,
                period: ValuePeriod::Year(2030),
                area: Some(Area::County("18".into())),
                sex: Sex::Women,
                age: Some("16-29".into()),
            }],
        }],
    }
}

fn with_indicators(ids: &[&str]) -> DataSet {
    let mut set = orebro();
    set.indicators = ids.iter().map(|id| indicator(id)).collect();
    set
}

/// Values for every area given, both sexes and all, for the years given.
fn values(areas: &[&str], years: std::ops::Range<i32>, base: f64) -> Vec<IndicatorValue> {
    let mut out = Vec::new();
    for a in areas {
        for y in years.clone() {
            for (k, sex) in (0u8..).zip(Sex::ALL) {
                out.push(IndicatorValue {
                    period: ValuePeriod::Year(y),
                    area: Area::parse(a),
                    sex,
                    age: None,
                    value: Some(base + f64::from(y - 2000) + f64::from(k) / 10.0),
                    status: None,
                });
            }
        }
    }
    out
}

async fn import(store: &Store, set: &DataSet) {
    store
        .import(set, &Actor::command_line(), 5)
        .await
        .expect("import");
}

#[tokio::test]
async fn indicators_are_stored_and_read_back_whole() {
    let f = fresh().await;
    for store in &f.stores {
        let set = with_indicators(&["ett", "tva"]);
        import(store, &set).await;
        let back = store.export().await.expect("export");
        assert_eq!(back.indicators, set.indicators);
        // Importing it again changes nothing.
        let again = store
            .import(&set, &Actor::command_line(), 6)
            .await
            .expect("import");
        assert_eq!(again.total(), 0);
    }
}

#[tokio::test]
async fn values_import_in_bulk_and_a_second_import_writes_nothing() {
    let f = fresh().await;
    for store in &f.stores {
        import(store, &with_indicators(&["ett", "tva"])).await;
        let areas = ["18", "1880", "1814", "0180", "riket"];
        let first = values(&areas, 2000..2020, 10.0);
        let batch = vec![
            (slug("ett"), first.clone()),
            (slug("tva"), values(&["18"], 2010..2012, 1.0)),
        ];
        let done = store
            .import_values(&batch, &Actor::command_line(), 10)
            .await
            .expect("values");
        assert_eq!(done.added, 300 + 6);
        assert_eq!((done.changed, done.unchanged), (0, 0));
        let again = store
            .import_values(&batch, &Actor::command_line(), 11)
            .await
            .expect("values");
        assert!(again.is_nothing());
        assert_eq!(again.unchanged, 306);
        // One value changed, one status added, one value new.
        let mut next = first.clone();
        next[0].value = Some(99.5);
        next[1].status = Some("preliminär".into());
        next.push(IndicatorValue {
            period: ValuePeriod::Span(2021, 2024),
            area: Area::Country,
            sex: Sex::Women,
            age: Some("16-29".into()),
            value: None,
            status: Some("..".into()),
        });
        let done = store
            .import_values(&[(slug("ett"), next.clone())], &Actor::command_line(), 12)
            .await
            .expect("values");
        assert_eq!((done.added, done.changed, done.unchanged), (1, 2, 298));
        let mut stored = store
            .values_of(&slug("ett"), &ValueFilter::default())
            .await
            .expect("values");
        let mut want = next;
        want.sort_by(|a, b| a.coordinates().cmp(&b.coordinates()));
        stored.sort_by(|a, b| a.coordinates().cmp(&b.coordinates()));
        assert_eq!(stored, want);
    }
}

#[tokio::test]
async fn values_read_by_county_and_area() {
    let f = fresh().await;
    for store in &f.stores {
        import(store, &with_indicators(&["ett"])).await;
        let batch = vec![(
            slug("ett"),
            values(
                &["18", "1880", "1814", "0180", "riket", "19"],
                2019..2020,
                1.0,
            ),
        )];
        store
            .import_values(&batch, &Actor::command_line(), 10)
            .await
            .expect("values");
        let filter = ValueFilter {
            areas: vec![Area::County("18".into()), Area::Country],
            county: Some("18".into()),
        };
        let got = store
            .values_of(&slug("ett"), &filter)
            .await
            .expect("values");
        let mut areas: Vec<String> = got.iter().map(|v| v.area.to_string()).collect();
        areas.dedup();
        assert_eq!(areas, ["riket", "18", "1814", "1880"]);
        assert_eq!(got.len(), 12);
        assert_eq!(
            store.value_counts().await.expect("counts")[&slug("ett")],
            18
        );
    }
}

#[tokio::test]
async fn values_of_an_unknown_indicator_write_nothing() {
    let f = fresh().await;
    for store in &f.stores {
        import(store, &with_indicators(&["ett"])).await;
        let batch = vec![
            (slug("ett"), values(&["18"], 2019..2020, 1.0)),
            (slug("finns-inte"), values(&["18"], 2019..2020, 1.0)),
        ];
        let err = store
            .import_values(&batch, &Actor::command_line(), 10)
            .await
            .expect_err("unknown indicator");
        assert!(
            matches!(err, StoreError::Unknown(ref s) if s.contains("finns-inte")),
            "{err}"
        );
        assert!(store.value_counts().await.expect("counts").is_empty());
    }
}

#[tokio::test]
async fn changed_values_are_on_record_and_seen_by_other_servers() {
    let f = fresh().await;
    for store in &f.stores {
        import(store, &with_indicators(&["ett"])).await;
        let start = store.data_version().await.expect("version");
        let batch = vec![(slug("ett"), values(&["18"], 2019..2021, 1.0))];
        store
            .import_values(&batch, &Actor::command_line(), 10)
            .await
            .expect("values");
        let Since::Items { items, .. } = store.since(start, 100).await.expect("since") else {
            panic!("values are an item's change, not a whole one");
        };
        assert_eq!(items.len(), 1);
        assert_eq!(
            items[0].key,
            ItemKey::new(ItemKind::Indicator, &slug("ett"))
        );
        let back: Indicator =
            serde_json::from_str(items[0].content.as_deref().expect("content")).expect("JSON");
        assert_eq!(back, indicator("ett"));
        let record = store
            .changes_of(&ItemKey::new(ItemKind::Indicator, &slug("ett")), 0)
            .await
            .expect("record");
        let last = record.last().expect("a change");
        assert_eq!(last.fields[0].field, "values");
        assert_eq!(last.fields[0].before.as_deref(), Some("0"));
        assert_eq!(last.fields[0].after.as_deref(), Some("6"));
        // Nothing changed: nothing on record, nothing for servers to read.
        let now = store.data_version().await.expect("version");
        store
            .import_values(&batch, &Actor::command_line(), 11)
            .await
            .expect("values");
        let Since::Items { items, .. } = store.since(now, 100).await.expect("since") else {
            panic!("no whole change");
        };
        assert!(items.is_empty());
    }
}

#[tokio::test]
async fn imports_at_once_lose_nothing() {
    let f = fresh().await;
    for store in &f.stores {
        import(store, &with_indicators(&["ett", "tva", "tre", "fyra"])).await;
        let mut tasks = Vec::new();
        for (n, id) in ["ett", "tva", "tre", "fyra", "ett", "tva"]
            .into_iter()
            .enumerate()
        {
            let store = store.clone();
            let years = if n < 4 { 2000..2010 } else { 2010..2020 };
            let batch = vec![(slug(id), values(&["18", "1880"], years, 1.0))];
            tasks.push(tokio::spawn(async move {
                store
                    .import_values(&batch, &Actor::command_line(), 10)
                    .await
            }));
        }
        for t in tasks {
            assert_eq!(t.await.expect("task").expect("imported").added, 60);
        }
        let counts = store.value_counts().await.expect("counts");
        assert_eq!(counts[&slug("ett")], 120);
        assert_eq!(counts[&slug("tre")], 60);
    }
}
