//! A synthetic data set of any size, for benchmarks and load tests.
//!
//! The Örebro set is small (5 plans, 54 activities); a whole region keeps many more. This
//! makes a set of the shape a region has (one strategy, plans with focus areas and sub-goals,
//! activities that serve goals in two or three plans at once, a follow-up report) at the size
//! asked for. Every name says it is synthetic, so it is never mistaken for real data. The
//! same sizes always give the same set: the layout is arithmetic, not random, so a benchmark
//! run today and one next month measure the same bytes. Indicators and their values, when
//! asked for, are made in [`indicators`].

mod indicators;

use rodtrad_domain::{
    Activity, DataSet, Decision, EffectGoal, FollowUp, FollowUpSection, GoalLevel, GoalNode,
    GoalRef, InterventionLevel, MunicipalityCode, Organisation, OrganisationKind, OverarchingGoal,
    PartialDate, Period, Perspective, Plan, PlanKind, PlanVersion, PriorityArea, Report,
    ReportState, RoundState, Slug, Status, Strategy, Vocabulary,
};

/// How large a set to make.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    pub organisations: usize,
    pub plans: usize,
    pub activities: usize,
    /// Synthetic indicators, each with 18,720 values (see [`indicators`]); with any, the
    /// municipalities among the organisations have real codes (see [`indicators::COUNTY`]) so
    /// that the county's map has values.
    pub indicators: usize,
}

const FOCUS_AREAS: usize = 4;
const SUB_GOALS: usize = 3;
const PRIORITY_AREAS: usize = 4;
const PERSPECTIVES: [&str; 4] = ["Jämställdhet", "Barnrätt", "Hållbarhet", "Mångfald"];
const THEMES: [&str; 8] = [
    "samverkan kring barn och unga",
    "tidiga insatser",
    "kompetensutveckling",
    "digitala tjänster",
    "förebyggande arbete",
    "uppföljning och lärande",
    "stöd till anhöriga",
    "hälsofrämjande miljöer",
];
/// Sweden's municipalities: a set never has more, so organisations past that many are of
/// other kinds.
const MUNICIPALITIES: usize = 290;
const FIRST_YEAR: u16 = 2019;
const YEARS: u16 = 8;

/// A slug from text the generator itself makes; every such text is a valid slug.
fn slug(s: &str) -> Slug {
    Slug::parse(s).expect("generated slugs are lower-case ASCII with dashes")
}

fn year(y: u16) -> PartialDate {
    PartialDate::year(y).expect("generated years lie in the supported range")
}

fn org_id(i: usize) -> Slug {
    if i == 0 {
        slug("syntetisk-region")
    } else {
        slug(&format!("syntetisk-org-{i:02}"))
    }
}

fn plan_id(i: usize) -> Slug {
    slug(&format!("syntetisk-plan-{:02}", i + 1))
}

fn focus_area_id(f: usize) -> Slug {
    slug(&format!("fokus-{}", f + 1))
}

fn sub_goal_id(f: usize, g: usize) -> Slug {
    slug(&format!("delmal-{}-{}", f + 1, g + 1))
}

/// Makes the set. `organisations` and `plans` are at least 1.
pub fn data_set(size: Size) -> DataSet {
    let orgs = size.organisations.max(1);
    let plans = size.plans.max(1);
    DataSet {
        name: format!(
            "Syntetisk region ({orgs} organisationer, {plans} planer, {} aktiviteter)",
            size.activities
        ),
        organisations: (0..orgs)
            .map(|i| organisation(i, size.indicators > 0))
            .collect(),
        perspectives: PERSPECTIVES
            .iter()
            .enumerate()
            .map(|(i, name)| Perspective {
                id: slug(&format!("perspektiv-{}", i + 1)),
                name: (*name).to_owned(),
            })
            .collect(),
        strategies: vec![strategy()],
        plans: (0..plans).map(|i| plan(i, orgs)).collect(),
        activities: (0..size.activities)
            .map(|j| std::sync::Arc::new(activity(j, orgs, plans)))
            .collect(),
        follow_ups: vec![follow_up(plans), open_round(plans)],
        reports: reports(size.activities).into_iter().collect(),
        indicators: indicators::indicators(size.indicators, plans),
    }
}

/// The values of the set's indicators, by indicator.
pub fn values(size: Size) -> rodtrad_format::Values {
    indicators::values(size.indicators)
}

const OPEN_ROUND: &str = "syntetisk-omgang";

/// The reports of the synthetic rounds: every activity's, approved, in the published round;
/// every other activity's, in every state a report can be in, in the open one.
fn reports(activities: usize) -> Vec<std::sync::Arc<Report>> {
    let published = (0..activities).map(|j| {
        let mut r = Report::empty(slug("syntetisk-uppfoljning"), activity_id(j));
        r.state = ReportState::Approved;
        r.status = Some(Status::ALL[j % Status::ALL.len()]);
        r.done = Some(format!("Syntetisk rapport om aktivitet {}.", j + 1));
        r
    });
    let open = (0..activities).step_by(2).map(|j| {
        let mut r = Report::empty(slug(OPEN_ROUND), activity_id(j));
        r.state = ReportState::ALL[(j / 2) % ReportState::ALL.len()];
        r.status = Some(Status::ALL[(j + 1) % Status::ALL.len()]);
        r.done = Some(format!("Syntetiskt utkast om aktivitet {}.", j + 1));
        if r.state == ReportState::Returned {
            r.comment = Some("Syntetisk kommentar: komplettera resultaten.".to_owned());
        }
        r
    });
    published.chain(open).map(std::sync::Arc::new).collect()
}

/// A round open for reports, over every plan.
fn open_round(plans: usize) -> FollowUp {
    FollowUp {
        id: slug(OPEN_ROUND),
        title: "Syntetisk uppföljningsomgång".to_owned(),
        date: None,
        author: Some(org_id(0)),
        signed_by: None,
        plans: (0..plans).map(plan_id).collect(),
        structure: Some(plan_id(0)),
        introduction: None,
        sections: Vec::new(),
        period: Period {
            start: Some(year(FIRST_YEAR + 3)),
            end: Some(year(FIRST_YEAR + 3)),
        },
        opens: Some(year(FIRST_YEAR + 4)),
        deadline: Some(year(FIRST_YEAR + 4)),
        state: RoundState::Open,
        closed: None,
    }
}

/// Organisation `i`; with `real_codes`, a municipality has a real municipality's code.
fn organisation(i: usize, real_codes: bool) -> Organisation {
    let kinds = [
        OrganisationKind::Municipality,
        OrganisationKind::Unit,
        OrganisationKind::CivilSociety,
        OrganisationKind::Authority,
    ];
    // Every fourth organisation after the region is a municipality, numbered in their own
    // sequence so that each has a code of its own; past as many as Sweden has, the slot goes
    // to an association.
    let municipality = (i / kinds.len()).saturating_sub(1);
    let kind = match kinds[i % kinds.len()] {
        _ if i == 0 => OrganisationKind::Region,
        OrganisationKind::Municipality if municipality >= MUNICIPALITIES => {
            OrganisationKind::Association
        }
        kind => kind,
    };
    Organisation {
        id: org_id(i),
        name: if i == 0 {
            "Syntetisk region".to_owned()
        } else {
            format!("Syntetisk organisation {i:02}")
        },
        kind,
        municipality_code: (kind == OrganisationKind::Municipality).then(|| {
            match indicators::municipality_code(municipality).filter(|_| real_codes) {
                Some(code) => {
                    MunicipalityCode::parse(code).expect("the county maps' codes are four digits")
                }
                None => municipality_code(municipality),
            }
        }),
        parent: None,
    }
}

/// The code of the `m`th synthetic municipality (below [`MUNICIPALITIES`]): counties 99, 98
/// and 97, which do not exist (Sweden's run from 01 to 25), so no code can be taken for a real
/// municipality's, and a hundred municipalities to each.
fn municipality_code(m: usize) -> MunicipalityCode {
    MunicipalityCode::parse(&format!("{:02}{:02}", 99 - m / 100, m % 100))
        .expect("two two-digit numbers make a four-digit code")
}

fn strategy() -> Strategy {
    Strategy {
        id: slug("syntetisk-strategi"),
        title: "Syntetisk utvecklingsstrategi".to_owned(),
        vision: Some("En syntetisk vision för mätningar.".to_owned()),
        period: Period {
            start: Some(year(FIRST_YEAR)),
            end: Some(year(FIRST_YEAR + YEARS - 1)),
        },
        owner: Some(org_id(0)),
        adopted_by: None,
        adopted_on: None,
        perspectives: vec![slug("perspektiv-1")],
        overarching_goals: (1..=3)
            .map(|o| OverarchingGoal {
                id: slug(&format!("overgripande-{o}")),
                title: format!("Övergripande mål {o}"),
                effect_goals: (1..=2)
                    .map(|e| EffectGoal {
                        id: slug(&format!("effektmal-{o}-{e}")),
                        title: format!("Effektmål {o}.{e}"),
                    })
                    .collect(),
            })
            .collect(),
        priority_areas: (1..=PRIORITY_AREAS)
            .map(|a| PriorityArea {
                id: slug(&format!("prioritering-{a}")),
                title: format!("Prioriterat område {a}"),
            })
            .collect(),
        desired_states: Vec::new(),
    }
}

fn plan(i: usize, orgs: usize) -> Plan {
    let mut nodes = Vec::new();
    for f in 0..FOCUS_AREAS {
        nodes.push(GoalNode {
            id: focus_area_id(f),
            level: slug("fokusomrade"),
            parent: None,
            number: Some((f + 1).to_string()),
            title: format!("Fokusområde {}: {}", f + 1, THEMES[(i + f) % THEMES.len()]),
            description: None,
            intervention_level: None,
        });
        for g in 0..SUB_GOALS {
            nodes.push(GoalNode {
                id: sub_goal_id(f, g),
                level: slug("delmal"),
                parent: Some(focus_area_id(f)),
                number: Some(format!("{}.{}", f + 1, g + 1)),
                title: format!("Delmål {}.{}", f + 1, g + 1),
                description: None,
                intervention_level: None,
            });
        }
    }
    let start = FIRST_YEAR + u16::try_from(i % 3).unwrap_or(0);
    Plan {
        id: plan_id(i),
        title: format!("Syntetisk handlingsplan {:02}", i + 1),
        kind: PlanKind::Plan,
        period: Period {
            start: Some(year(start)),
            end: Some(year(start + 3)),
        },
        owner: Some(org_id(i % orgs)),
        priority_area: Some(slug(&format!("prioritering-{}", i % PRIORITY_AREAS + 1))),
        effect_goals: vec![slug(&format!("effektmal-{}-{}", i % 3 + 1, i % 2 + 1))],
        perspectives: vec![slug(&format!("perspektiv-{}", i % PERSPECTIVES.len() + 1))],
        summary: Some("En syntetisk plan för mätningar.".to_owned()),
        strategic_directions: Vec::new(),
        risks: Vec::new(),
        versions: vec![PlanVersion {
            id: slug("v1"),
            title: "Version 1".to_owned(),
            date: Some(year(start)),
            decision: Some(Decision {
                body: org_id(0),
                date: Some(year(start)),
            }),
            note: None,
        }],
        levels: vec![
            GoalLevel {
                id: slug("fokusomrade"),
                name: "Fokusområde".to_owned(),
            },
            GoalLevel {
                id: slug("delmal"),
                name: "Delmål".to_owned(),
            },
        ],
        nodes,
    }
}

/// The sub-goals activity `j` serves: one in its own plan, and in a third of the cases one
/// more plan, in a ninth two more, as the 2021 report found ("two or three plans at once").
fn serves(j: usize, plans: usize) -> Vec<GoalRef> {
    let goal = |p: usize, k: usize| GoalRef {
        plan: plan_id(p % plans),
        node: sub_goal_id(k % FOCUS_AREAS, (k / FOCUS_AREAS) % SUB_GOALS),
    };
    let mut refs = vec![goal(j, j / plans)];
    if j % 3 == 0 && plans > 1 {
        refs.push(goal(j + 1 + j / 3 % (plans - 1), j / 7));
    }
    if j % 9 == 0 && plans > 2 {
        refs.push(goal(j + plans - 1, j / 5 + 1));
    }
    refs.sort();
    refs.dedup();
    refs
}

fn activity_id(j: usize) -> Slug {
    slug(&format!("aktivitet-{:04}", j + 1))
}

fn activity(j: usize, orgs: usize, plans: usize) -> Activity {
    let start = FIRST_YEAR + u16::try_from(j % 6).unwrap_or(0);
    let length = u16::try_from(j % 3).unwrap_or(0);
    let partners = if orgs > 2 {
        let a = (j + 1) % orgs;
        let b = (j * 5 + 2) % orgs;
        let mut p = vec![org_id(a)];
        if b != a && b != j % orgs {
            p.push(org_id(b));
        }
        p.retain(|o| *o != org_id(j % orgs));
        p
    } else {
        Vec::new()
    };
    Activity {
        id: activity_id(j),
        title: format!("Aktivitet {:04}: {}", j + 1, THEMES[(j * 3) % THEMES.len()]),
        narrative: (j % 4 == 0).then(|| {
            format!(
                "Syntetisk berättelse om aktivitet {:04}: vad som gjorts och vad som återstår.",
                j + 1
            )
        }),
        responsible_unit: None,
        lead: Some(org_id(j % orgs)),
        partners,
        period: Period {
            start: Some(year(start)),
            end: Some(year(start + length)),
        },
        status: Some(Status::ALL[j % Status::ALL.len()]),
        status_reason: None,
        intervention_level: Some(InterventionLevel::ALL[j % InterventionLevel::ALL.len()]),
        perspectives: vec![slug(&format!("perspektiv-{}", j % PERSPECTIVES.len() + 1))],
        target_groups: Vec::new(),
        funding: Vec::new(),
        serves: serves(j, plans),
        proposed: Vec::new(),
    }
}

fn follow_up(plans: usize) -> FollowUp {
    FollowUp {
        id: slug("syntetisk-uppfoljning"),
        title: "Syntetisk uppföljning".to_owned(),
        date: Some(year(FIRST_YEAR + 2)),
        author: Some(org_id(0)),
        signed_by: None,
        plans: (0..plans).map(plan_id).collect(),
        structure: Some(plan_id(0)),
        introduction: Some("En syntetisk uppföljning för mätningar.".to_owned()),
        sections: (0..FOCUS_AREAS)
            .map(|f| FollowUpSection {
                node: GoalRef {
                    plan: plan_id(0),
                    node: focus_area_id(f),
                },
                narrative: format!("Syntetisk berättelse om fokusområde {}.", f + 1),
            })
            .collect(),
        period: Period {
            start: Some(year(FIRST_YEAR + 1)),
            end: Some(year(FIRST_YEAR + 1)),
        },
        opens: None,
        deadline: None,
        state: RoundState::Published,
        closed: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REGION: Size = Size {
        organisations: 15,
        plans: 12,
        activities: 2000,
        indicators: 0,
    };

    #[test]
    fn the_set_has_the_size_asked_for_and_is_valid() {
        let set = data_set(REGION);
        assert_eq!(set.organisations.len(), 15);
        assert_eq!(set.plans.len(), 12);
        assert_eq!(set.activities.len(), 2000);
        let files = rodtrad_format::write(&set);
        let back = rodtrad_format::parse(files).expect("the generated set is valid");
        assert_eq!(back, set);
    }

    #[test]
    fn activities_serve_several_plans_as_the_report_found() {
        let set = data_set(REGION);
        let multi = set
            .activities
            .iter()
            .filter(|a| {
                let mut plans: Vec<_> = a.serves.iter().map(|g| &g.plan).collect();
                plans.dedup();
                plans.len() > 1
            })
            .count();
        assert!(multi > 500 && multi < 1000, "{multi} serve several plans");
        // Every focus area of the report's plan has activities, or the report is empty.
        for f in 0..FOCUS_AREAS {
            let area = focus_area_id(f).to_string();
            assert!(set.activities.iter().any(|a| a.serves.iter().any(|g| {
                g.plan == plan_id(0)
                    && g.node
                        .as_str()
                        .starts_with(&area.replace("fokus", "delmal"))
            })));
        }
    }

    #[test]
    fn sets_of_national_size_and_beyond_are_valid_with_a_code_for_each_municipality() {
        // 311 organisations and 300 plans is the national benchmark's size (its 100,000
        // activities bear on no rule that organisations or plans could break); 1,500
        // organisations have more municipality slots than Sweden has municipalities.
        for (organisations, plans, municipalities) in [(311, 300, 77), (1500, 3, MUNICIPALITIES)] {
            let set = data_set(Size {
                organisations,
                plans,
                activities: 3000,
                indicators: 0,
            });
            let codes: Vec<&str> = set
                .organisations
                .iter()
                .filter_map(|o| o.municipality_code.as_ref().map(MunicipalityCode::as_str))
                .collect();
            assert_eq!(codes.len(), municipalities, "{organisations}");
            let unique: std::collections::HashSet<&str> = codes.iter().copied().collect();
            assert_eq!(unique.len(), codes.len(), "{organisations}: codes repeat");
            rodtrad_format::parse(rodtrad_format::write(&set))
                .unwrap_or_else(|d| panic!("{organisations}/{plans}: {d:?}"));
        }
    }

    #[test]
    fn the_same_size_gives_the_same_set_and_tiny_sizes_work() {
        assert_eq!(data_set(REGION), data_set(REGION));
        for (o, p, a) in [(0, 0, 0), (1, 1, 1), (2, 2, 10), (3, 3, 30)] {
            let set = data_set(Size {
                organisations: o,
                plans: p,
                activities: a,
                indicators: 0,
            });
            rodtrad_format::parse(rodtrad_format::write(&set))
                .unwrap_or_else(|d| panic!("{o}/{p}/{a}: {d:?}"));
        }
    }
}
