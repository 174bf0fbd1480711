//! Round numbers for a value axis ("nice numbers", Heckbert, Graphics Gems 1990): steps of 1,
//! 2 or 5 times a power of ten, the ticks covering the values with whole steps.
//!
//! Zero is brought in when the values lie at most twice as far from it as they spread, that is
//! when the lowest of positive values is at most half the highest (and likewise below zero):
//! then the axis starting at 0 costs at most half the height and saves the reader from
//! misjudging the size of a change. Values far from zero (a rate moving between 70 and 80 %)
//! keep an axis fitted to them, as a line chart may (a bar chart could not).

/// The ticks of an axis, lowest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Ticks {
    pub values: Vec<f64>,
    pub step: f64,
    /// The decimals the step needs, for the ticks' labels (0.5 needs 1, 20 needs 0).
    pub decimals: u8,
}

impl Ticks {
    pub fn low(&self) -> f64 {
        self.values.first().copied().unwrap_or(0.0)
    }

    pub fn high(&self) -> f64 {
        self.values.last().copied().unwrap_or(1.0)
    }
}

/// A nice number near `x`: rounded to the nearest when `round`, else the next above.
fn nice(x: f64, round: bool) -> f64 {
    let power = 10f64.powf(x.log10().floor());
    let fraction = x / power;
    let nice = if round {
        match fraction {
            f if f < 1.5 => 1.0,
            f if f < 3.0 => 2.0,
            f if f < 7.0 => 5.0,
            _ => 10.0,
        }
    } else {
        match fraction {
            f if f <= 1.0 => 1.0,
            f if f <= 2.0 => 2.0,
            f if f <= 5.0 => 5.0,
            _ => 10.0,
        }
    };
    nice * power
}

/// About `most` ticks (at least 2) covering `low..=high`, with zero brought in as the module
/// doc says. Values that are not finite give the axis 0 to 1.
pub fn nice_ticks(low: f64, high: f64, most: usize) -> Ticks {
    let (mut low, mut high) = if low <= high {
        (low, high)
    } else {
        (high, low)
    };
    if !low.is_finite() || !high.is_finite() {
        (low, high) = (0.0, 1.0);
    }
    // A lone value (low ≥ high, as they are in order) is also measured from zero.
    if low > 0.0 && (low <= high / 2.0 || low >= high) {
        low = 0.0;
    } else if high < 0.0 && (high >= low / 2.0 || high <= low) {
        high = 0.0;
    }
    if high - low <= 0.0 {
        // Only zeros: any axis with 0 on it will do.
        high = low + 1.0;
    }
    let most = most.max(2);
    #[expect(clippy::cast_precision_loss, reason = "a handful of ticks")]
    let step = nice(nice(high - low, false) / (most - 1) as f64, true);
    let first = (low / step).floor();
    let last = (high / step).ceil();
    // The fewest decimals that write the step whole; computed so, not from its logarithm,
    // which may land a hair off an integer.
    let decimals = (0..15u8).find(|&d| {
        let scaled = step * 10f64.powi(i32::from(d));
        (scaled - scaled.round()).abs() < 1e-9 * scaled.max(1.0)
    });
    let decimals = decimals.unwrap_or(15);
    let mut values = Vec::new();
    let mut k = first;
    while k <= last && values.len() <= 4 * most {
        // Each tick from whole steps, rounded to the step's decimals: adding steps up would
        // give 0.30000000000000004.
        values.push(crate::number::round_to(k * step, decimals));
        k += 1.0;
    }
    Ticks {
        values,
        step,
        decimals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_from_near_zero_get_an_axis_from_zero() {
        // 3 ≤ 97 / 2, so from 0. Range 97 → nice 100; 100 / 4 = 25 → step 20 (2.5 rounds to 2).
        let t = nice_ticks(3.0, 97.0, 5);
        assert_eq!(t.values, [0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!((t.step, t.decimals), (20.0, 0));
    }

    #[test]
    fn values_far_from_zero_keep_a_fitted_axis() {
        // 12.3 > 18.9 / 2: no zero. Range 6.6 → nice 10; 10 / 4 = 2.5 → step 2;
        // floor(12.3 / 2) × 2 = 12, ceil(18.9 / 2) × 2 = 20.
        assert_eq!(
            nice_ticks(12.3, 18.9, 5).values,
            [12.0, 14.0, 16.0, 18.0, 20.0]
        );
        // Range 0.35 → nice 0.5; 0.5 / 4 = 0.125 → step 0.1 with one decimal;
        // floor(0.72 / 0.1) = 7, ceil(1.07 / 0.1) = 11.
        let t = nice_ticks(0.72, 1.07, 5);
        assert_eq!(t.values, [0.7, 0.8, 0.9, 1.0, 1.1]);
        assert_eq!(t.decimals, 1);
    }

    #[test]
    fn negative_values() {
        // −80 to −10: −10 ≥ −80 / 2 brings in 0. Range 80 → nice 100; 25 → step 20.
        assert_eq!(
            nice_ticks(-80.0, -10.0, 5).values,
            [-80.0, -60.0, -40.0, -20.0, 0.0]
        );
        // Across zero: range 7 → nice 10; 2.5 → step 2; −4 to 4.
        assert_eq!(nice_ticks(-3.0, 4.0, 5).values, [-4.0, -2.0, 0.0, 2.0, 4.0]);
    }

    #[test]
    fn one_value_or_none() {
        // A single positive value: from 0 to it. Range 50 → nice 50; 12.5 → step 10.
        assert_eq!(
            nice_ticks(50.0, 50.0, 5).values,
            [0.0, 10.0, 20.0, 30.0, 40.0, 50.0]
        );
        assert_eq!(
            nice_ticks(0.0, 0.0, 5).values,
            [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        );
        assert_eq!(
            nice_ticks(f64::NAN, 3.0, 5).values,
            [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
        );
    }
}
