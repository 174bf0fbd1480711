//! Synthetic indicators and their values, for benchmarks of the values path and of the goal
//! pages that chart them.
//!
//! Each indicator has a value for every area a national instance follows (Sweden's 290
//! municipalities, its 21 counties and Riket), for all, women and men, in each of 20 years:
//! 18,720 values, the size of a Kolada key figure's whole history. The values are a random
//! walk from a level of the indicator's own, made by hashing their coordinates (no random
//! number generator, no seed to keep): the same number of indicators always gives the same
//! bytes, so a benchmark run today and one next month import the same values.
//!
//! Every indicator measures one to three sub-goals. The first sub-goal of the first plan is
//! measured by the first three indicators and by no other, so that a benchmark knows a goal
//! page with exactly three charts (`/plans/syntetisk-plan-01/goals/delmal-1-1`).

use rodtrad_domain::{
    Area, Direction, Fetch, GoalRef, Indicator, IndicatorSource, IndicatorValue, Mark, Measure,
    Sex, Slug, ValuePeriod,
};
use rodtrad_format::Values;

use super::{FOCUS_AREAS, SUB_GOALS, plan_id, slug, sub_goal_id};

/// The county whose municipalities the generated organisations are, when there are indicators:
/// Västra Götaland, the county with the most municipalities (49), so that it is the county
/// the data set is about (the one most of its municipalities lie in) whatever their number.
pub const COUNTY: &str = "14";
pub const FIRST_YEAR: i32 = 2005;
pub const YEARS: i32 = 20;
/// Values per indicator: 312 areas (290 municipalities, 21 counties, Riket), 3 sexes,
/// [`YEARS`] years.
const VALUES_PER_INDICATOR: usize = 312 * 3 * YEARS as usize;

const UNITS: [&str; 3] = ["procent", "antal per 1 000 invånare", "index"];

/// Sweden's municipalities' codes, in code order, as the county maps know them.
fn municipality_codes() -> Vec<&'static str> {
    (1..=25)
        .filter_map(|c| rodtrad_figures::municipalities(&format!("{c:02}")).ok())
        .flatten()
        .map(|m| m.code.as_str())
        .collect()
}

/// The code of the `m`th municipality organisation of a set with indicators: [`COUNTY`]'s
/// first, then the others in code order; `None` past Sweden's 290.
pub fn municipality_code(m: usize) -> Option<&'static str> {
    let all = municipality_codes();
    let (ours, others): (Vec<_>, Vec<_>) = all.into_iter().partition(|c| c.starts_with(COUNTY));
    ours.into_iter().chain(others).nth(m)
}

/// Every area values are made for: Riket, the counties, the municipalities.
fn areas() -> Vec<Area> {
    let municipalities = municipality_codes();
    let mut counties: Vec<&str> = municipalities.iter().filter_map(|m| m.get(..2)).collect();
    counties.dedup();
    std::iter::once(Area::Country)
        .chain(counties.into_iter().map(|c| Area::County(c.to_owned())))
        .chain(
            municipalities
                .into_iter()
                .map(|m| Area::Municipality(m.to_owned())),
        )
        .collect()
}

fn indicator_id(k: usize) -> Slug {
    slug(&format!("syntetisk-indikator-{:04}", k + 1))
}

/// A number from 0 to 1 that only its key decides (SplitMix64's finaliser).
#[expect(
    clippy::cast_precision_loss,
    reason = "53 bits and 2^53: exact in an f64"
)]
fn noise(key: u64) -> f64 {
    let mut z = key.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^= z >> 31;
    // The top 53 bits as a fraction: exact in an f64.
    (z >> 11) as f64 / (1u64 << 53) as f64
}

fn key(parts: [usize; 4]) -> u64 {
    parts.iter().fold(0u64, |h, &p| {
        h.wrapping_mul(1_000_003).wrapping_add(p as u64 + 1)
    })
}

fn one_decimal(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Where indicator `k`'s values start: between 20 and 80.
fn level(k: usize) -> f64 {
    20.0 + 60.0 * noise(key([k, 0, 0, 0]))
}

fn direction(k: usize) -> Direction {
    Direction::ALL[k % 2]
}

/// The sub-goals indicator `k` measures (one to three), as numbers into the plans' sub-goals in
/// order; sub-goal 0 (the first plan's first) is the first three indicators' alone.
fn goals(k: usize, plans: usize) -> Vec<GoalRef> {
    let per_plan = FOCUS_AREAS * SUB_GOALS;
    let total = plans * per_plan;
    let goal = |s: usize| GoalRef {
        plan: plan_id(s / per_plan),
        node: sub_goal_id((s % per_plan) / SUB_GOALS, s % SUB_GOALS),
    };
    let mut picked: Vec<usize> = (0..=k % 3)
        .map(|t| 1 + (k * 7 + t * 13) % (total - 1))
        .collect();
    if k < 3 {
        picked[0] = 0;
    }
    picked.sort_unstable();
    picked.dedup();
    picked.into_iter().map(goal).collect()
}

/// The indicators of a set with `plans` plans.
pub fn indicators(count: usize, plans: usize) -> Vec<Indicator> {
    (0..count).map(|k| indicator(k, plans.max(1))).collect()
}

fn indicator(k: usize, plans: usize) -> Indicator {
    let direction = direction(k);
    let better = match direction {
        Direction::Higher => 1.0,
        Direction::Lower => -1.0,
    };
    let baseline = one_decimal(level(k));
    let mark = |value: f64, year: i32, sex: Sex| Mark {
        value: one_decimal(value),
        period: ValuePeriod::Year(year),
        area: None,
        sex,
        age: None,
    };
    let measures = goals(k, plans)
        .into_iter()
        .enumerate()
        .map(|(t, goal)| {
            // One target for all, or (every other link) one each for women and men.
            let targets = if (k + t) % 2 == 0 {
                vec![mark(baseline + better * 5.0, 2030, Sex::All)]
            } else {
                vec![
                    mark(baseline + better * 4.0, 2027, Sex::Women),
                    mark(baseline + better * 6.0, 2030, Sex::Men),
                ]
            };
            Measure {
                goal,
                baseline: Some(mark(baseline, 2015, Sex::All)),
                targets,
            }
        })
        .collect();
    Indicator {
        id: indicator_id(k),
        title: format!("Syntetisk indikator {:04} (påhittade värden)", k + 1),
        definition: Some(
            "Syntetisk indikator för mätningar: värdena är påhittade, inte statistik.".to_owned(),
        ),
        unit: Some(UNITS[k % UNITS.len()].to_owned()),
        decimals: 1,
        direction: Some(direction),
        source: Some(IndicatorSource {
            publisher: Some("Syntetisk källa".to_owned()),
            fetch: Some(Fetch::File {
                name: format!("syntetisk-indikator-{:04}.csv", k + 1),
            }),
        }),
        measures,
    }
}

/// Indicator `k`'s values: for each area and sex, a walk over the years from the indicator's
/// level, the area's and the sex's offsets added, kept above zero.
pub fn values_of(k: usize, areas: &[Area]) -> Vec<IndicatorValue> {
    let mut out = Vec::with_capacity(VALUES_PER_INDICATOR);
    let level = level(k);
    for (a, area) in areas.iter().enumerate() {
        let area_offset = 20.0 * (noise(key([k, a, 1, 0])) - 0.5);
        for (s, sex) in Sex::ALL.into_iter().enumerate() {
            let sex_offset = match sex {
                Sex::All => 0.0,
                Sex::Women => 2.0,
                Sex::Men => -2.0,
            };
            let mut x = level + area_offset + sex_offset;
            for (y, year) in (FIRST_YEAR..FIRST_YEAR + YEARS).enumerate() {
                x = (x + 4.0 * (noise(key([k, a, s + 2, y])) - 0.5)).max(0.5);
                out.push(IndicatorValue {
                    period: ValuePeriod::Year(year),
                    area: area.clone(),
                    sex,
                    age: None,
                    value: Some(one_decimal(x)),
                    status: None,
                });
            }
        }
    }
    out
}

/// The values of `count` indicators, by id.
pub fn values(count: usize) -> Values {
    let areas = areas();
    (0..count)
        .map(|k| (indicator_id(k), values_of(k, &areas)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_area_of_sweden_has_every_value() {
        let areas = areas();
        assert_eq!(areas.len(), 312);
        assert_eq!(
            areas
                .iter()
                .filter(|a| matches!(a, Area::County(_)))
                .count(),
            21
        );
        let values = values_of(0, &areas);
        assert_eq!(values.len(), VALUES_PER_INDICATOR);
        assert!(values.iter().all(|v| v.value.is_some_and(|x| x > 0.0)));
        assert_eq!(values, values_of(0, &areas));
        assert_ne!(values, values_of(1, &areas));
    }

    #[test]
    fn the_first_goal_is_measured_by_exactly_three_indicators() {
        for (count, plans) in [(3, 1), (10, 12), (1000, 12), (1000, 300)] {
            let set = indicators(count, plans);
            let first = GoalRef {
                plan: plan_id(0),
                node: sub_goal_id(0, 0),
            };
            let measuring = set
                .iter()
                .filter(|i| i.measures.iter().any(|m| m.goal == first))
                .count();
            assert_eq!(measuring, 3, "{count} indicators, {plans} plans");
            assert!(set.iter().all(|i| (1..=3).contains(&i.measures.len())));
        }
    }

    #[test]
    fn the_county_comes_first_and_codes_do_not_repeat() {
        let codes: Vec<_> = (0..300).map_while(municipality_code).collect();
        assert_eq!(codes.len(), 290);
        assert!(codes[..49].iter().all(|c| c.starts_with(COUNTY)));
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), 290);
    }
}
