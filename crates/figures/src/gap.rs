//! Equity figures over time: the gap between women and men in each period, and the spread
//! between areas (the highest and the lowest municipality, say) in each period.
//!
//! Both are given as a difference and as a ratio, because a gap of 2 points means something
//! else at a level of 4 than at 80. A ratio is only given where it means something: when the
//! value divided by is above zero and the other is not negative (values such as a net
//! migration can be negative, and a ratio of two negatives reads backwards).
//!
//! Periods are matched by their place on the time axis ([`Point::x`](crate::Point::x)), the
//! caller's one way of naming a period; values that are not finite are left out.

use std::collections::BTreeMap;

use crate::{Group, Series};

/// Women and men in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct SexGap {
    pub x: f64,
    pub label: String,
    pub women: Option<f64>,
    pub men: Option<f64>,
    /// women − men, when both are known.
    pub difference: Option<f64>,
    /// women ÷ men, when both are known, men's above zero and women's not negative.
    pub ratio: Option<f64>,
}

/// One area's value in one period, as [`spread`] reads them.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaPoint {
    /// The area's code (a municipality's four digits).
    pub area: String,
    pub x: f64,
    pub label: String,
    pub value: f64,
}

/// An area and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaValue {
    pub area: String,
    pub value: f64,
}

/// The spread between areas in one period.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    pub x: f64,
    pub label: String,
    /// How many areas have a value in the period.
    pub areas: usize,
    /// On a tie, the area with the lowest code, so that the answer does not hang on the order
    /// the values came in.
    pub highest: AreaValue,
    pub lowest: AreaValue,
    /// highest − lowest.
    pub difference: f64,
    /// highest ÷ lowest, when the lowest is above zero.
    pub ratio: Option<f64>,
}

/// Periods keyed by their place on the axis. `total_cmp`'s order on the bits keeps the map
/// deterministic; -0.0 is folded into 0.0 so both name one period.
fn key(x: f64) -> u64 {
    let x = if x == 0.0 { 0.0 } else { x };
    // Order positive and negative places alike: flip the sign bit, and all bits of negatives.
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator > 0.0 && numerator >= 0.0).then(|| numerator / denominator)
}

/// The gap between women and men in every period either has a value for, in time order.
pub fn sex_gap(series: &[Series]) -> Vec<SexGap> {
    let mut periods: BTreeMap<u64, SexGap> = BTreeMap::new();
    for s in series.iter().filter(|s| s.group != Group::All) {
        for p in s
            .points
            .iter()
            .filter(|p| p.x.is_finite() && p.value.is_finite())
        {
            let gap = periods.entry(key(p.x)).or_insert_with(|| SexGap {
                x: p.x,
                label: p.label.clone(),
                women: None,
                men: None,
                difference: None,
                ratio: None,
            });
            let slot = if s.group == Group::Women {
                &mut gap.women
            } else {
                &mut gap.men
            };
            // The first value given for a period counts, as everywhere in this crate.
            slot.get_or_insert(p.value);
        }
    }
    let mut gaps: Vec<SexGap> = periods.into_values().collect();
    for gap in &mut gaps {
        if let (Some(women), Some(men)) = (gap.women, gap.men) {
            gap.difference = Some(women - men);
            gap.ratio = ratio(women, men);
        }
    }
    gaps
}

/// The spread between areas in every period with a value, in time order.
pub fn spread(values: &[AreaPoint]) -> Vec<Spread> {
    let mut periods: BTreeMap<u64, Vec<&AreaPoint>> = BTreeMap::new();
    for p in values
        .iter()
        .filter(|p| p.x.is_finite() && p.value.is_finite())
    {
        periods.entry(key(p.x)).or_default().push(p);
    }
    periods
        .into_values()
        .filter_map(|mut points| {
            points.sort_by(|a, b| a.area.cmp(&b.area));
            points.dedup_by(|later, first| later.area == first.area);
            // `max_by` keeps the last of equals, so the reversed walk keeps the lowest code.
            let high = points
                .iter()
                .rev()
                .max_by(|a, b| a.value.total_cmp(&b.value))?;
            let low = points.iter().min_by(|a, b| a.value.total_cmp(&b.value))?;
            let first = points.first()?;
            Some(Spread {
                x: first.x,
                label: first.label.clone(),
                areas: points.len(),
                highest: AreaValue {
                    area: high.area.clone(),
                    value: high.value,
                },
                lowest: AreaValue {
                    area: low.area.clone(),
                    value: low.value,
                },
                difference: high.value - low.value,
                ratio: ratio(high.value, low.value),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Point;

    fn series(group: Group, values: &[(f64, f64)]) -> Series {
        let points = values
            .iter()
            .map(|&(x, value)| Point {
                x,
                label: format!("{x}"),
                value,
            })
            .collect();
        Series { group, points }
    }

    #[test]
    fn the_gap_between_women_and_men_per_period() {
        let gaps = sex_gap(&[
            series(Group::All, &[(2020.0, 99.0)]),
            series(
                Group::Women,
                &[(2021.0, 45.0), (2020.0, 42.0), (2022.0, 10.0)],
            ),
            series(
                Group::Men,
                &[(2020.0, 40.0), (2021.0, 36.0), (2022.0, 0.0), (2023.0, 5.0)],
            ),
        ]);
        let got: Vec<_> = gaps.iter().map(|g| (g.x, g.difference, g.ratio)).collect();
        assert_eq!(
            got,
            [
                // 42 − 40 = 2; 42 / 40 = 1.05
                (2020.0, Some(2.0), Some(1.05)),
                // 45 − 36 = 9; 45 / 36 = 1.25
                (2021.0, Some(9.0), Some(1.25)),
                // 10 − 0 = 10; men's 0 gives no ratio
                (2022.0, Some(10.0), None),
                // no value for women: neither
                (2023.0, None, None),
            ]
        );
        assert_eq!((gaps[3].women, gaps[3].men), (None, Some(5.0)));
    }

    #[test]
    fn no_ratio_of_negative_values() {
        let gaps = sex_gap(&[
            series(Group::Women, &[(2020.0, -3.0)]),
            series(Group::Men, &[(2020.0, -6.0)]),
        ]);
        // −3 − (−6) = 3, but −3 / −6 = 0.5 would read as women having half of men's.
        assert_eq!((gaps[0].difference, gaps[0].ratio), (Some(3.0), None));
    }

    fn area(area: &str, x: f64, value: f64) -> AreaPoint {
        AreaPoint {
            area: area.to_owned(),
            x,
            label: format!("{x}"),
            value,
        }
    }

    #[test]
    fn the_spread_between_areas_per_period() {
        let spreads = spread(&[
            area("1880", 2021.0, 12.0),
            area("1814", 2020.0, 8.0),
            area("1880", 2020.0, 20.0),
            area("1860", 2020.0, 5.0),
            area("1860", 2021.0, 0.0),
            area("1885", 2021.0, f64::NAN),
        ]);
        assert_eq!(spreads.len(), 2);
        let s = &spreads[0];
        // 2020: highest 1880 at 20, lowest 1860 at 5; 20 − 5 = 15; 20 / 5 = 4
        assert_eq!((s.x, s.areas), (2020.0, 3));
        assert_eq!((s.highest.area.as_str(), s.highest.value), ("1880", 20.0));
        assert_eq!((s.lowest.area.as_str(), s.lowest.value), ("1860", 5.0));
        assert_eq!((s.difference, s.ratio), (15.0, Some(4.0)));
        // 2021: 12 − 0 = 12; the lowest is 0, so no ratio; the NaN is not an area's value
        let s = &spreads[1];
        assert_eq!((s.areas, s.difference, s.ratio), (2, 12.0, None));
    }

    #[test]
    fn a_tie_goes_to_the_lowest_code() {
        let spreads = spread(&[
            area("1885", 2020.0, 7.0),
            area("1814", 2020.0, 7.0),
            area("1860", 2020.0, 7.0),
        ]);
        assert_eq!(
            (
                spreads[0].highest.area.as_str(),
                spreads[0].lowest.area.as_str()
            ),
            ("1814", "1814")
        );
        assert_eq!(spreads[0].ratio, Some(1.0));
    }

    #[test]
    fn periods_before_the_year_zero_keep_their_order() {
        assert!(key(-2.0) < key(-1.0) && key(-1.0) < key(0.0) && key(0.0) < key(1.0));
        assert_eq!(key(-0.0), key(0.0));
    }
}
