//! ISO weeks (Monday first) named like `2026-W47`, and their bounds in a time zone.

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, ISOWeekDate, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::error::ParseError;

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

    /// The Monday that starts the week.
    pub fn monday(self) -> Date {
        ISOWeekDate::new(self.year, self.week, Weekday::Monday).expect("an IsoWeek is always valid").date()
    }

    /// `weeks` weeks later (negative: earlier).
    pub fn plus(self, weeks: i32) -> IsoWeek {
        let date = self.monday().checked_add((weeks as i64 * 7).days()).expect("weeks stay within jiff's range");
        IsoWeek::of_date(date)
    }

    pub fn prev(self) -> IsoWeek {
        self.plus(-1)
    }

    pub fn next(self) -> IsoWeek {
        self.plus(1)
    }

    /// The half-open span `[start, end)` of the week in `tz`. Monday 00:00 is
    /// resolved with jiff's compatible rule, so a DST gap at midnight still
    /// yields the first instant of the day.
    pub fn bounds(self, tz: &TimeZone) -> (Timestamp, Timestamp) {
        let start = self.monday().to_zoned(tz.clone()).expect("in range");
        let end = self.next().monday().to_zoned(tz.clone()).expect("in range");
        (start.timestamp(), end.timestamp())
    }

    /// The `count` weeks ending with `self`, oldest first.
    pub fn window(self, count: u32) -> Vec<IsoWeek> {
        (0..count as i32).rev().map(|i| self.plus(-i)).collect()
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
        IsoWeek::new(year, week).ok_or_else(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

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
            "2026-W54".parse::<IsoWeek>().unwrap_err().to_string(),
            "\"2026-W54\" is not a week: expected an ISO week like 2026-W47"
        );
    }

    #[test]
    fn year_boundaries() {
        // 2026 is a long ISO year: 2027-01-01 is in 2026-W53.
        assert_eq!(IsoWeek::of_date(date(2027, 1, 1)).to_string(), "2026-W53");
        assert_eq!(IsoWeek::of_date(date(2027, 1, 4)).to_string(), "2027-W01");
        assert_eq!(IsoWeek::of_date(date(2024, 12, 30)).to_string(), "2025-W01");
        let w53: IsoWeek = "2026-W53".parse().unwrap();
        assert_eq!(w53.next().to_string(), "2027-W01");
        assert_eq!(w53.next().prev(), w53);
    }

    #[test]
    fn bounds_follow_the_time_zone_across_dst() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        // 2026-W13 holds the spring change (29 March): 167 hours long.
        let (s, e) = "2026-W13".parse::<IsoWeek>().unwrap().bounds(&tz);
        assert_eq!(e.as_second() - s.as_second(), 167 * 3600);
        let (s, e) = "2026-W43".parse::<IsoWeek>().unwrap().bounds(&tz);
        assert_eq!(e.as_second() - s.as_second(), 169 * 3600);
        assert_eq!(s.to_string(), "2026-10-18T22:00:00Z");
    }

    #[test]
    fn window_is_oldest_first() {
        let w: IsoWeek = "2027-W02".parse().unwrap();
        let names: Vec<_> = w.window(3).iter().map(|w| w.to_string()).collect();
        assert_eq!(names, ["2026-W53", "2027-W01", "2027-W02"]);
    }

    #[test]
    fn plus_is_consistent_with_repeated_next() {
        let mut w: IsoWeek = "2020-W01".parse().unwrap();
        let start = w;
        for i in 1..=400 {
            w = w.next();
            assert_eq!(start.plus(i), w);
            assert_eq!(w.plus(-i), start);
        }
    }
}
