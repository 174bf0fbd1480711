//! Dates as precise as the source says, and periods made of them.
//!
//! Plan documents give "2019–2022", "hösten 2021", "4 december 2019". A [`PartialDate`] holds a
//! year, a year and month, or a whole date, so that nothing is stored more precisely than it
//! is known. Comparisons between partial dates use the span each one covers.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: u16,
    month: Option<u8>,
    day: Option<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("not of the form YYYY, YYYY-MM or YYYY-MM-DD")]
    Shape,
    #[error("no such date")]
    NoSuchDate,
}

impl PartialDate {
    pub fn year(year: u16) -> Result<Self, DateError> {
        if (1000..=9999).contains(&year) {
            Ok(Self {
                year,
                month: None,
                day: None,
            })
        } else {
            Err(DateError::Shape)
        }
    }

    pub fn parse(s: &str) -> Result<Self, DateError> {
        let parts: Vec<&str> = s.split('-').collect();
        let widths_ok = match parts.as_slice() {
            [y] => y.len() == 4,
            [y, m] => y.len() == 4 && m.len() == 2,
            [y, m, d] => y.len() == 4 && m.len() == 2 && d.len() == 2,
            _ => false,
        };
        if !widths_ok || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
            return Err(DateError::Shape);
        }
        let num = |p: &str| p.parse::<u16>().map_err(|_| DateError::Shape);
        let mut date = Self::year(num(parts[0])?)?;
        if let Some(m) = parts.get(1) {
            let m = u8::try_from(num(m)?).map_err(|_| DateError::NoSuchDate)?;
            if !(1..=12).contains(&m) {
                return Err(DateError::NoSuchDate);
            }
            date.month = Some(m);
        }
        if let Some(d) = parts.get(2) {
            let d = u8::try_from(num(d)?).map_err(|_| DateError::NoSuchDate)?;
            if d == 0 || d > days_in_month(date.year, date.month.unwrap_or(1)) {
                return Err(DateError::NoSuchDate);
            }
            date.day = Some(d);
        }
        Ok(date)
    }

    /// A whole date; `None` when there is no such day.
    pub fn ymd(year: u16, month: u8, day: u8) -> Option<Self> {
        Self::parse(&format!("{year:04}-{month:02}-{day:02}")).ok()
    }

    /// The first day this date covers, as (year, month, day).
    pub fn earliest(&self) -> (u16, u8, u8) {
        (self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
    }

    /// The last day this date covers, as (year, month, day).
    pub fn latest(&self) -> (u16, u8, u8) {
        let month = self.month.unwrap_or(12);
        let day = self.day.unwrap_or_else(|| days_in_month(self.year, month));
        (self.year, month, day)
    }

    pub fn year_value(&self) -> u16 {
        self.year
    }

    pub fn is_year_only(&self) -> bool {
        self.month.is_none()
    }
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

/// A span of time with either end possibly unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Period {
    pub start: Option<PartialDate>,
    pub end: Option<PartialDate>,
}

impl Period {
    /// Whether the end lies wholly before the start: "2021" → "2021-06" is fine (they overlap),
    /// "2021" → "2020" is not.
    pub fn ends_before_start(&self) -> bool {
        match (self.start, self.end) {
            (Some(s), Some(e)) => e.latest() < s.earliest(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).expect(s)
    }

    #[test]
    fn keeps_the_precision_it_was_given() {
        for s in ["2019", "2021-09", "2019-12-04", "2024-02-29"] {
            assert_eq!(d(s).to_string(), s);
        }
        assert!(d("2019").is_year_only());
        assert!(!d("2019-03").is_year_only());
    }

    #[test]
    fn refuses_malformed_and_impossible_dates() {
        for s in [
            "",
            "19",
            "2019-3",
            "2019-03-4",
            "2019/03",
            "2019-03-04-05",
            "år 2019",
            "+201",
        ] {
            assert_eq!(PartialDate::parse(s), Err(DateError::Shape), "{s}");
        }
        for s in [
            "2019-13",
            "2019-00",
            "2019-02-29",
            "2019-04-31",
            "2019-01-00",
        ] {
            assert_eq!(PartialDate::parse(s), Err(DateError::NoSuchDate), "{s}");
        }
    }

    #[test]
    fn compares_periods_by_the_days_they_cover() {
        let p = |s: &str, e: &str| Period {
            start: Some(d(s)),
            end: Some(d(e)),
        };
        assert!(!p("2021", "2021-06").ends_before_start());
        assert!(!p("2021-09", "2021").ends_before_start());
        assert!(!p("2019", "2022").ends_before_start());
        assert!(p("2021", "2020").ends_before_start());
        assert!(p("2021-09-02", "2021-09-01").ends_before_start());
        assert!(
            !Period {
                start: Some(d("2030")),
                end: None
            }
            .ends_before_start()
        );
    }
}

crate::text_serde!(PartialDate, |s: &str| PartialDate::parse(s));
