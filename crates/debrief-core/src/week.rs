//! ISO weeks (Monday first) named like `2026-W47`, and their bounds in a time zone.

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, ISOWeekDate, Weekday};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

use crate::error::{ParseError, RangeError};

/// An ISO 8601 week: exactly `YYYY-Www` both ways.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    year: i16,
    week: i8,
}

impl IsoWeek {
    /// The week `week` of ISO year `year`, if it exists (week 53 only in long years).
    pub fn new(year: i16, week: i8) -> Option<IsoWeek> {
        ISOWeekDate::new(year, week, Weekday::Monday).ok()?;
        Some(IsoWeek { year, week })
    }

    /// The week a civil date falls in.
    pub fn of_date(date: Date) -> IsoWeek {
        let iso = date.iso_week_date();
        IsoWeek { year: iso.year(), week: iso.week() }
    }

    /// The week an instant falls in, seen from `tz`.
    pub fn of(at: Timestamp, tz: &TimeZone) -> IsoWeek {
        IsoWeek::of_date(at.to_zoned(tz.clone()).date())
    }

    pub fn year(self) -> i16 {
        self.year
    }

    pub fn week(self) -> i8 {
        self.week
    }

    /// The Monday that starts the week. Every `IsoWeek` has one: jiff's ISO
    /// week dates run from -9999-W01 (a Monday) to 9999-W52, whose Monday is
    /// 9999-12-27, and [`IsoWeek::new`] and [`IsoWeek::of_date`] make no other.
    pub fn monday(self) -> Date {
        ISOWeekDate::new(self.year, self.week, Weekday::Monday).expect("an IsoWeek's Monday exists").date()
    }

    /// `weeks` weeks later (negative: earlier), or a [`RangeError`] beyond the calendar.
    pub fn plus(self, weeks: i64) -> Result<IsoWeek, RangeError> {
        let beyond = || RangeError::moved(self, weeks, "weeks");
        let days = weeks.checked_mul(7).ok_or_else(beyond)?;
        let span = Span::new().try_days(days).map_err(|_| beyond())?;
        let date = self.monday().checked_add(span).map_err(|_| beyond())?;
        Ok(IsoWeek::of_date(date))
    }

    pub fn prev(self) -> Result<IsoWeek, RangeError> {
        self.plus(-1)
    }

    pub fn next(self) -> Result<IsoWeek, RangeError> {
        self.plus(1)
    }

    /// The half-open span `[start, end)` of the week in `tz`. Monday 00:00 is
    /// resolved with jiff's compatible rule, so a DST gap at midnight still
    /// yields the first instant of the day. The first and last weeks of the
    /// calendar have no bounds: their edges are not instants jiff holds.
    pub fn bounds(self, tz: &TimeZone) -> Result<(Timestamp, Timestamp), RangeError> {
        let start_of = |week: IsoWeek| {
            week.monday()
                .to_zoned(tz.clone())
                .map(|z| z.timestamp())
                .map_err(|_| RangeError(format!("the start of {week}")))
        };
        Ok((start_of(self)?, start_of(self.next()?)?))
    }

    /// The `count` weeks ending with `self`, oldest first.
    pub fn window(self, count: u32) -> Result<Vec<IsoWeek>, RangeError> {
        if count == 0 {
            return Ok(Vec::new());
        }
        let first = self.plus(1 - i64::from(count))?;
        // Every week from `first` to `self` exists, so each step does too.
        Ok(std::iter::successors(Some(first), |w| w.next().ok()).take(count as usize).collect())
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.week)
    }
}

impl FromStr for IsoWeek {
    type Err = ParseError;

    fn from_str(s: &str) -> Result<IsoWeek, ParseError> {
        let bad = || ParseError::Week(s.to_string());
        let (year, week) = s.trim().split_once(['W', 'w']).ok_or_else(bad)?;
        let year = year.strip_suffix('-').ok_or_else(bad)?;
        if year.len() != 4 || week.len() != 2 {
            return Err(bad());
        }
        let year: i16 = year.parse().map_err(|_| bad())?;
        let week: i8 = week.parse().map_err(|_| bad())?;
        if let Some(found) = IsoWeek::new(year, week) {
            return Ok(found);
        }
        // The form is right; the year just has fewer weeks (52 in most years).
        match IsoWeek::new(year, 52) {
            Some(_) if (1..=99).contains(&week) => {
                let weeks = if IsoWeek::new(year, 53).is_some() { 53 } else { 52 };
                Err(ParseError::NoSuchWeek { year, weeks })
            }
            _ => Err(bad()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn a_year_without_that_week_says_how_many_it_has() {
        let e = "2025-W53".parse::<IsoWeek>().unwrap_err().to_string();
        assert_eq!(e, "2025 has 52 ISO weeks: give a week from 2025-W01 to 2025-W52");
        assert!("2026-W53".parse::<IsoWeek>().is_ok(), "2026 has 53");
        assert!("2026-W99".parse::<IsoWeek>().unwrap_err().to_string().contains("2026 has 53 ISO weeks"));
        assert!(matches!("2026-W00".parse::<IsoWeek>(), Err(ParseError::Week(_))));
    }

    #[test]
    fn names_round_trip() {
        let w: IsoWeek = "2026-W47".parse().unwrap();
        assert_eq!(w.to_string(), "2026-W47");
        assert_eq!(w.monday(), date(2026, 11, 16));
        assert_eq!("2026-w05".parse::<IsoWeek>().unwrap().to_string(), "2026-W05");
    }

    #[test]
    fn rejects_what_is_not_a_week() {
        for bad in ["2026-47", "2026-W54", "2025-W53", "26-W01", "2026-W1", "week", "2026-W00", ""] {
            assert!(bad.parse::<IsoWeek>().is_err(), "{bad}");
        }
        assert_eq!(
            "2026-47".parse::<IsoWeek>().unwrap_err().to_string(),
            "\"2026-47\" is not a week: expected an ISO week like 2026-W47"
        );
    }

    #[test]
    fn year_boundaries() {
        // 2026 is a long ISO year: 2027-01-01 is in 2026-W53.
        assert_eq!(IsoWeek::of_date(date(2027, 1, 1)).to_string(), "2026-W53");
        assert_eq!(IsoWeek::of_date(date(2027, 1, 4)).to_string(), "2027-W01");
        assert_eq!(IsoWeek::of_date(date(2024, 12, 30)).to_string(), "2025-W01");
        let w53: IsoWeek = "2026-W53".parse().unwrap();
        assert_eq!(w53.next().unwrap().to_string(), "2027-W01");
        assert_eq!(w53.next().and_then(IsoWeek::prev), Ok(w53));
    }

    #[test]
    fn bounds_follow_the_time_zone_across_dst() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        // 2026-W13 holds the spring change (29 March): 167 hours long.
        let (s, e) = "2026-W13".parse::<IsoWeek>().unwrap().bounds(&tz).unwrap();
        assert_eq!(e.as_second() - s.as_second(), 167 * 3600);
        let (s, e) = "2026-W43".parse::<IsoWeek>().unwrap().bounds(&tz).unwrap();
        assert_eq!(e.as_second() - s.as_second(), 169 * 3600);
        assert_eq!(s.to_string(), "2026-10-18T22:00:00Z");
    }

    #[test]
    fn window_is_oldest_first() {
        let w: IsoWeek = "2027-W02".parse().unwrap();
        let names: Vec<_> = w.window(3).unwrap().iter().map(|w| w.to_string()).collect();
        assert_eq!(names, ["2026-W53", "2027-W01", "2027-W02"]);
    }

    #[test]
    fn plus_is_consistent_with_repeated_next() {
        let mut w: IsoWeek = "2020-W01".parse().unwrap();
        let start = w;
        for i in 1..=400 {
            w = w.next().unwrap();
            assert_eq!(start.plus(i), Ok(w));
            assert_eq!(w.plus(-i), Ok(start));
        }
    }

    #[test]
    fn the_calendar_ends_in_an_error_not_a_panic() {
        let first = IsoWeek::of_date(Date::MIN);
        let last = IsoWeek::of_date(Date::MAX);
        assert_eq!((first.to_string(), first.monday()), ("-9999-W01".to_string(), Date::MIN));
        assert_eq!((last.to_string(), last.monday()), ("9999-W52".to_string(), date(9999, 12, 27)));
        assert!(first.prev().is_err() && last.next().is_err());
        assert!(last.bounds(&TimeZone::UTC).is_err());
        let w: IsoWeek = "2026-W47".parse().unwrap();
        assert_eq!(
            w.window(2_000_000).unwrap_err().to_string(),
            "2026-W47 - 1999999 weeks is beyond the calendar (-9999-01-01 to 9999-12-31): use a nearer date or a shorter span"
        );
        for weeks in [i64::MIN, i64::MAX, 1 << 40] {
            assert!(w.plus(weeks).is_err(), "{weeks}");
        }
        assert_eq!(w.window(0), Ok(vec![]));
    }
}
