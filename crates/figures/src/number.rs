//! Numbers as people read them, in the caller's locale. Values are rounded half away from zero
//! as they are written (1.005 to two decimals is 1.01, though the float is a hair below), since
//! that is what a reader checking a table by hand expects; Rust's own formatting would round
//! the binary value and say 1.00.

/// How numbers are written. The locale is chosen by the caller with the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Locale {
    pub decimal: char,
    /// Between groups of three digits; `None` writes none.
    pub thousands: Option<char>,
    /// The sign of negative numbers.
    pub minus: char,
}

impl Locale {
    /// A decimal comma, a no-break space between thousands (so `12 345` never breaks over two
    /// lines) and the typographic minus sign, as Språkrådet recommends.
    pub const SWEDISH: Locale = Locale {
        decimal: ',',
        thousands: Some('\u{a0}'),
        minus: '\u{2212}',
    };
    pub const ENGLISH: Locale = Locale {
        decimal: '.',
        thousands: Some(','),
        minus: '-',
    };
}

/// A value rounded to `decimals`, half away from zero as written (see the module doc).
pub(crate) fn round_to(value: f64, decimals: u8) -> f64 {
    let scale = 10f64.powi(i32::from(decimals));
    let scaled = value * scale;
    // Nudging by a few units in the last place turns 100.49999999999999 (1.005 × 100) back into
    // the 100.5 that was written before rounding.
    let nudged = scaled + scaled.signum() * scaled.abs() * 4.0 * f64::EPSILON;
    nudged.round() / scale
}

/// `value` with `decimals` decimals in `locale`: `format_number(12345.678, 1, Locale::SWEDISH)`
/// is `12 345,7` (with a no-break space). A value that is not finite is written `–`, the
/// typographic mark for "no value" in tables, which needs no words.
pub fn format_number(value: f64, decimals: u8, locale: Locale) -> String {
    if !value.is_finite() {
        return "–".to_owned();
    }
    let rounded = round_to(value, decimals);
    // `{:.n}` of an already rounded value only has to print it, not round it again.
    let plain = format!("{:.*}", usize::from(decimals), rounded.abs());
    let (whole, fraction) = plain.split_once('.').unwrap_or((&plain, ""));
    let mut out = String::with_capacity(plain.len() + 4);
    if rounded < 0.0 && plain.bytes().any(|b| (b'1'..=b'9').contains(&b)) {
        out.push(locale.minus);
    }
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            if let Some(sep) = locale.thousands {
                out.push(sep);
            }
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push(locale.decimal);
        out.push_str(fraction);
    }
    out
}

/// A value and its unit, as shown beside a point or in a map's title: `12,3 %`. The space is
/// a no-break space so the unit stays with its number.
pub(crate) fn with_unit(value: f64, decimals: u8, unit: &str, locale: Locale) -> String {
    let number = format_number(value, decimals, locale);
    if unit.is_empty() {
        number
    } else {
        format!("{number}\u{a0}{unit}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swedish_numbers_have_a_decimal_comma_and_spaced_thousands() {
        assert_eq!(
            format_number(12345.678, 1, Locale::SWEDISH),
            "12\u{a0}345,7"
        );
        assert_eq!(
            format_number(1_234_567.0, 0, Locale::SWEDISH),
            "1\u{a0}234\u{a0}567"
        );
        assert_eq!(format_number(-0.25, 2, Locale::SWEDISH), "\u{2212}0,25");
        assert_eq!(format_number(999.0, 0, Locale::SWEDISH), "999");
    }

    #[test]
    fn english_numbers_have_a_decimal_point() {
        assert_eq!(format_number(12345.678, 2, Locale::ENGLISH), "12,345.68");
        assert_eq!(format_number(-1500.0, 0, Locale::ENGLISH), "-1,500");
    }

    #[test]
    fn halves_round_away_from_zero_as_written() {
        assert_eq!(format_number(1.005, 2, Locale::ENGLISH), "1.01");
        assert_eq!(format_number(2.5, 0, Locale::ENGLISH), "3");
        assert_eq!(format_number(-2.5, 0, Locale::ENGLISH), "-3");
        assert_eq!(format_number(0.125, 2, Locale::ENGLISH), "0.13");
    }

    #[test]
    fn a_value_rounded_to_zero_has_no_minus() {
        assert_eq!(format_number(-0.04, 1, Locale::SWEDISH), "0,0");
        assert_eq!(format_number(-0.0, 0, Locale::ENGLISH), "0");
    }

    #[test]
    fn a_value_that_is_not_finite_is_a_dash() {
        assert_eq!(format_number(f64::NAN, 1, Locale::SWEDISH), "–");
        assert_eq!(format_number(f64::INFINITY, 1, Locale::SWEDISH), "–");
    }

    #[test]
    fn a_unit_stays_with_its_number() {
        assert_eq!(with_unit(12.34, 1, "%", Locale::SWEDISH), "12,3\u{a0}%");
        assert_eq!(with_unit(12.34, 1, "", Locale::SWEDISH), "12,3");
    }
}
