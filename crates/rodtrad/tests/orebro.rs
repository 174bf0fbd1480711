//! The built-in Örebro data set held against its sources: the fixtures under `fixtures/` were
//! written from the region's documents (`../shared/seeds`), independently of `data/orebro`.

use std::collections::HashSet;
use std::path::Path;

use rodtrad_domain::{DataSet, OrganisationKind, PlanKind, Slug};
use serde::Deserialize;

fn orebro() -> DataSet {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/orebro");
    rodtrad_format::parse_dir(&dir).unwrap_or_else(|d| panic!("{d:#?}"))
}

fn fixture<T: for<'de> Deserialize<'de>>(name: &str) -> T {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    toml::from_str(&std::fs::read_to_string(path).expect("fixture")).expect("fixture TOML")
}

#[derive(Deserialize)]
struct Plans {
    municipalities: Vec<Municipality>,
    social_valfard_sub_goals: Vec<String>,
    sammanhallen_sub_goals: Vec<String>,
}

#[derive(Deserialize)]
struct Municipality {
    code: String,
    name: String,
}

#[derive(Deserialize)]
struct Activities {
    focus_area: Vec<FocusArea>,
}

#[derive(Deserialize)]
struct FocusArea {
    title: String,
    activities: Vec<String>,
}

#[test]
fn the_twelve_municipalities_of_orebro_lan_with_their_codes() {
    let expected: Plans = fixture("orebro-source-plans.toml");
    let set = orebro();
    let mut found: Vec<(String, String)> = set
        .organisations
        .iter()
        .filter(|o| o.kind == OrganisationKind::Municipality)
        .filter_map(|o| Some((o.municipality_code.as_ref()?.to_string(), o.name.clone())))
        .filter(|(code, _)| code.starts_with("18"))
        .collect();
    found.sort();
    let expected: Vec<(String, String)> = expected
        .municipalities
        .into_iter()
        .map(|m| (m.code, m.name))
        .collect();
    assert_eq!(found, expected);
    let districts = set
        .organisations
        .iter()
        .filter(|o| o.kind == OrganisationKind::CountyDistrict)
        .count();
    assert_eq!(districts, 4, "the four county districts");
}

fn sub_goals(set: &DataSet, plan: &str) -> Vec<String> {
    let plan = set
        .plans
        .iter()
        .find(|p| p.id.as_str() == plan)
        .unwrap_or_else(|| panic!("plan {plan}"));
    plan.nodes
        .iter()
        .filter(|n| n.level.as_str() == "sub-goal")
        .map(|n| n.title.clone())
        .collect()
}

#[test]
fn the_sub_goals_of_both_plans_in_order() {
    let expected: Plans = fixture("orebro-source-plans.toml");
    let set = orebro();
    assert_eq!(
        sub_goals(&set, "social-valfard-2019-2022"),
        expected.social_valfard_sub_goals
    );
    assert_eq!(
        sub_goals(&set, "sammanhallen-vard-och-omsorg-2019-2022"),
        expected.sammanhallen_sub_goals
    );
    let social = set
        .plans
        .iter()
        .find(|p| p.id.as_str() == "social-valfard-2019-2022")
        .expect("plan");
    assert_eq!(
        social
            .nodes
            .iter()
            .filter(|n| n.level.as_str() == "focus-area")
            .count(),
        4
    );
    let decided = set
        .plans
        .iter()
        .find(|p| p.id.as_str() == "sammanhallen-vard-och-omsorg-2019-2022")
        .expect("plan");
    let decision = decided
        .versions
        .iter()
        .find_map(|v| v.decision.as_ref())
        .expect("a decision");
    assert_eq!(
        (decision.body.as_str(), decision.date.map(|d| d.to_string())),
        ("halso-och-sjukvardsnamnden", Some("2019-12-04".into()))
    );
}

#[test]
fn every_activity_of_the_2021_charts_under_its_focus_area() {
    let expected: Activities = fixture("orebro-source-activities.toml");
    let set = orebro();
    let joint = set
        .plans
        .iter()
        .find(|p| p.kind == PlanKind::Joint)
        .expect("the joint focus areas");
    for area in &expected.focus_area {
        let node = joint
            .nodes
            .iter()
            .find(|n| n.parent.is_none() && n.title == area.title)
            .unwrap_or_else(|| panic!("focus area {:?} in {}", area.title, joint.id));
        // The focus area and every node below it.
        let mut under: HashSet<&Slug> = HashSet::from([&node.id]);
        loop {
            let before = under.len();
            for n in &joint.nodes {
                if n.parent.as_ref().is_some_and(|p| under.contains(p)) {
                    under.insert(&n.id);
                }
            }
            if under.len() == before {
                break;
            }
        }
        let titles: Vec<&str> = set
            .activities
            .iter()
            .filter(|a| {
                a.serves
                    .iter()
                    .any(|g| g.plan == joint.id && under.contains(&g.node))
            })
            .map(|a| a.title.as_str())
            .collect();
        for title in &area.activities {
            assert!(
                titles.contains(&title.as_str()),
                "{title:?} is missing under {:?}; found {titles:?}",
                area.title
            );
        }
    }
    let charted: usize = expected.focus_area.iter().map(|a| a.activities.len()).sum();
    assert!(
        charted >= 45,
        "about fifty activities in the charts, found {charted}"
    );
}

#[test]
fn activities_serve_several_plans_where_the_documents_say_so() {
    let set = orebro();
    let several = set
        .activities
        .iter()
        .filter(|a| {
            a.serves
                .iter()
                .map(|g| &g.plan)
                .collect::<HashSet<_>>()
                .len()
                >= 2
        })
        .count();
    assert!(
        several > 10,
        "the follow-up's point: activities serve two or three plans; found {several}"
    );
}
