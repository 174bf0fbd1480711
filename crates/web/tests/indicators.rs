//! Indicators on the pages: a goal's page and the indicator's own show the chart, the
//! judgement of each target, the map of the county's municipalities and the equity gap, each
//! with a table, against figures computed by hand; the list shows the coverage of the goals;
//! and values imported later are on the pages at once.

mod common;

use std::path::Path;

use axum::http::StatusCode;
use common::{App, apps, get};
use rodtrad_domain::{
    Area, Direction, GoalRef, Indicator, IndicatorSource, IndicatorValue, Mark, Measure, Sex, Slug,
    ValuePeriod,
};
use rodtrad_store::Actor;

const PLAN: &str = "social-valfard-2019-2022";
const GOAL: &str = "delmal-1";
const PAGE: &str = "/plans/social-valfard-2019-2022/goals/delmal-1";

fn slug(s: &str) -> Slug {
    Slug::parse(s).expect("slug")
}

fn mark(value: f64, year: i32, sex: Sex) -> Mark {
    Mark {
        value,
        period: ValuePeriod::Year(year),
        area: None,
        sex,
        age: None,
    }
}

fn indicator() -> Indicator {
    Indicator {
        id: slug("delaktighet"),
        title: "Andel som upplever delaktighet".into(),
        definition: Some("Andel som svarar ja.".into()),
        unit: Some("%".into()),
        decimals: 1,
        direction: Some(Direction::Higher),
        source: Some(IndicatorSource {
            publisher: Some("Region Test".into()),
            fetch: None,
        }),
        measures: vec![Measure {
            goal: GoalRef {
                plan: slug(PLAN),
                node: slug(GOAL),
            },
            baseline: Some(mark(60.0, 2018, Sex::All)),
            targets: vec![
                mark(70.0, 2024, Sex::All),
                mark(66.0, 2024, Sex::Women),
                mark(65.0, 2024, Sex::Men),
            ],
        }],
    }
}

fn value(area: &str, year: i32, sex: Sex, v: f64) -> IndicatorValue {
    IndicatorValue {
        period: ValuePeriod::Year(year),
        area: Area::parse(area),
        sex,
        age: None,
        value: Some(v),
        status: None,
    }
}

fn values() -> Vec<IndicatorValue> {
    vec![
        value("18", 2018, Sex::All, 60.0),
        value("18", 2019, Sex::All, 62.0),
        value("18", 2020, Sex::All, 63.0),
        value("18", 2021, Sex::All, 64.0),
        value("18", 2018, Sex::Women, 58.0),
        value("18", 2021, Sex::Women, 61.0),
        value("18", 2018, Sex::Men, 62.0),
        value("18", 2021, Sex::Men, 67.0),
        value("1880", 2021, Sex::All, 70.0),
        value("1814", 2021, Sex::All, 55.0),
        value("1885", 2021, Sex::All, 60.0),
        // Another county's municipality is not on this county's pages.
        value("0180", 2021, Sex::All, 99.0),
    ]
}

async fn with_indicator(app: &App, values: Vec<IndicatorValue>) {
    let store = app.state.store();
    let mut set =
        rodtrad_format::parse_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/orebro"))
            .expect("data set");
    set.indicators.push(indicator());
    store
        .import_with_values(
            &set,
            &[(slug("delaktighet"), values)],
            &Actor::command_line(),
            1,
        )
        .await
        .expect("import");
    app.state.catch_up().await.expect("catch up");
}

/// The cells of the table whose caption is `caption`, row by row.
fn table(body: &str, caption: &str) -> Vec<Vec<String>> {
    let Some(t) = body.split(&format!("<caption>{caption}")).nth(1) else {
        return Vec::new();
    };
    let t = t.split("</table>").next().unwrap_or_default();
    let t = t.split("<tbody>").nth(1).unwrap_or_default();
    t.split("<tr>")
        .skip(1)
        .map(|row| {
            row.split(['<', '>'])
                .enumerate()
                .filter(|(i, _)| i % 2 == 0)
                .map(|(_, s)| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .collect()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

#[tokio::test]
async fn a_goals_page_shows_its_indicator_judged_mapped_and_split_by_sex() {
    for app in apps("indicator_goal").await {
        with_indicator(&app, values()).await;
        let page = get(&app, PAGE, "").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let body = &page.body;
        assert!(body.contains("Andel som upplever delaktighet"), "{body}");
        assert!(body.contains("Utgångsvärde: 60,0 % (2018)."), "{body}");
        // Everyone: from the baseline 60 (2018) to 64 (2021) is 4 ÷ 3 = 1,3 a year; to reach
        // 70 by 2024 needs (70 − 64) ÷ 3 = 2,0 a year; 64 + 1,33 × 3 = 68 < 70.
        assert!(
            body.contains("Inte på väg</span> Mål 2024 för alla: 70,0 %. Senast 64,0 % (2021); förändring per år hittills 1,3, som behövs 2,0."),
            "{body}"
        );
        // Men are at 67 already, over their 65.
        assert!(
            body.contains("Uppnått</span> Mål 2024 för män: 65,0 %. Senast 67,0 % (2021)."),
            "{body}"
        );
        // The chart and the map, each SVG with a name and a text alternative.
        let panel = body
            .split("<section class=\"indicator\"")
            .nth(1)
            .expect("panel");
        assert_eq!(panel.matches("role=\"img\"").count(), 2, "{panel}");
        assert!(
            body.contains("Senaste värde för kvinnor: 61,0 % (2021)."),
            "{body}"
        );
        assert_eq!(
            table(body, "Värden per period, i tabell"),
            vec![
                row(&["2018", "60,0", "58,0", "62,0"]),
                row(&["2019", "62,0", "–", "–"]),
                row(&["2020", "63,0", "–", "–"]),
                row(&["2021", "64,0", "61,0", "67,0"]),
            ]
        );
        // Women − men and women ÷ men: 58 − 62 = −4, 58 ÷ 62 = 0,935…; 61 − 67 = −6,
        // 61 ÷ 67 = 0,910…
        assert_eq!(
            table(body, "Skillnad mellan kvinnor och män"),
            vec![
                row(&["2018", "58,0", "62,0", "−4,0", "0,94"]),
                row(&["2021", "61,0", "67,0", "−6,0", "0,91"]),
            ]
        );
        // Highest Örebro 70, lowest Lekeberg 55: 70 ÷ 55 = 1,27…; Stockholm's 99 is not ours.
        assert_eq!(
            table(body, "Spridning mellan kommunerna"),
            vec![row(&["2021", "70,0 (Örebro)", "55,0 (Lekeberg)", "1,27"])]
        );
        let map = table(body, "Värden per kommun");
        assert_eq!(map.len(), 12, "every municipality of Örebro län");
        assert!(map.contains(&row(&["Örebro", "70,0"])));
        assert!(map.contains(&row(&["Nora", "–"])));
        assert!(
            body.contains("högst Örebro (70,0 %), lägst Lekeberg (55,0 %)"),
            "{body}"
        );
        // In English too, with a decimal point.
        let en = get(&app, &format!("{PAGE}?lang=en"), "").await;
        assert!(
            en.body
                .contains("Not on track</span> Target 2024 for all: 70.0 %."),
            "{}",
            en.body
        );
    }
}

#[tokio::test]
async fn the_indicator_list_shows_coverage_and_the_indicators_page_its_goals() {
    for app in apps("indicator_list").await {
        let before = get(&app, "/indicators", "").await;
        assert_eq!(before.status, StatusCode::OK);
        // The Örebro set's one measure, with no goal and no values.
        assert!(
            before.body.contains("href=\"/indicators/god-halsa\""),
            "{}",
            before.body
        );
        assert!(!before.body.contains("/indicators/delaktighet"));
        with_indicator(&app, values()).await;
        let list = get(&app, "/indicators", "").await;
        assert!(
            list.body.contains("href=\"/indicators/delaktighet\""),
            "{}",
            list.body
        );
        // 12 values, and one goal of the plan measured (with targets).
        assert!(
            list.body
                .contains("<td class=\"num\">1</td><td class=\"num\">12</td>"),
            "{}",
            list.body
        );
        let show = get(&app, "/indicators/delaktighet", "").await;
        assert_eq!(show.status, StatusCode::OK);
        assert!(
            show.body.contains("Ökad delaktighet för den enskilde"),
            "{}",
            show.body
        );
        assert!(show.body.contains("Region Test"));
        assert_eq!(
            get(&app, "/indicators/finns-inte", "").await.status,
            StatusCode::NOT_FOUND
        );
    }
}

#[tokio::test]
async fn values_imported_later_are_on_the_pages_at_once() {
    for app in apps("indicator_later").await {
        with_indicator(&app, values()).await;
        let first = get(&app, PAGE, "").await;
        assert!(first.body.contains("Senast 64,0 % (2021)"));
        app.state
            .store()
            .import_values(
                &[(slug("delaktighet"), vec![value("18", 2022, Sex::All, 71.0)])],
                &Actor::command_line(),
                2,
            )
            .await
            .expect("values");
        app.state.catch_up().await.expect("catch up");
        let again = get(&app, PAGE, "").await;
        assert!(
            again
                .body
                .contains("Uppnått</span> Mål 2024 för alla: 70,0 %. Senast 71,0 % (2022)."),
            "{}",
            again.body
        );
    }
}

#[tokio::test]
async fn the_follow_up_report_shows_each_focus_areas_goals_with_their_indicators() {
    for app in apps("indicator_report").await {
        let store = app.state.store();
        let mut set = rodtrad_format::parse_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/orebro"),
        )
        .expect("data set");
        let mut i = indicator();
        i.measures[0].goal = GoalRef {
            plan: slug("gemensamma-insatsomraden-2021"),
            node: slug("psykisk-halsa"),
        };
        set.indicators.push(i);
        let mut round = set.follow_ups[0].clone();
        round.id = slug("uppfoljning-2025");
        round.title = "Uppföljning 2025".into();
        set.follow_ups.push(round);
        store
            .import_with_values(
                &set,
                &[(slug("delaktighet"), values())],
                &Actor::command_line(),
                1,
            )
            .await
            .expect("import");
        app.state.catch_up().await.expect("catch up");
        let page = get(&app, "/follow-ups/uppfoljning-2025", "").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        let rows = table(&page.body, "Indikatorer för insatsområdets mål");
        assert_eq!(rows.len(), 1, "{}", page.body);
        assert_eq!(rows[0][0], "Psykisk hälsa");
        assert_eq!(rows[0][1], "Andel som upplever delaktighet");
        assert!(
            page.body
                .contains("Inte på väg</span> Mål 2024 för alla: 70,0 %."),
            "{}",
            page.body
        );
    }
}
