//! Times as people type them: `yesterday 14:00`, `today 9:30`, `mon 10:00`,
//! `2 hours ago`, `2026-11-30 10:00`, RFC 3339, and numeric dates such as
//! `30/11/2026 10:00` read in the configured day/month order (never guessed).
//! Natural phrases are read by the `interim` crate against the time now in
//! the user's zone; a weekday name means the last such day when the time is
//! for something that happened.

use std::fmt;
use std::str::FromStr;

use interim::{Dialect, parse_date_string};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan, Zoned};
use thiserror::Error;

/// Longest time text read; anything longer is not a time.
const LONGEST: usize = 64;

/// How numeric dates like `03/04/2026` are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DateOrder {
    /// Day first: 30/11/2026.
    Dmy,
    /// Month first: 11/30/2026.
    Mdy,
    /// Year first: 2026/11/30.
    Ymd,
}

impl DateOrder {
    pub const ALL: [DateOrder; 3] = [DateOrder::Dmy, DateOrder::Mdy, DateOrder::Ymd];

    pub fn as_str(self) -> &'static str {
        match self {
            DateOrder::Dmy => "dmy",
            DateOrder::Mdy => "mdy",
            DateOrder::Ymd => "ymd",
        }
    }
}

impl fmt::Display for DateOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DateOrder {
    type Err = crate::ParseError;

    fn from_str(s: &str) -> Result<DateOrder, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        DateOrder::ALL.into_iter().find(|o| o.as_str() == wanted).ok_or_else(|| crate::ParseError::Keyword {
            what: "date order",
            got: s.to_string(),
            valid: "dmy, mdy, ymd".to_string(),
        })
    }
}

/// Whether a time is of something that happened (a weekday name means the
/// last one) or of something planned (the next one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tense {
    Past,
    Future,
}

/// A time text that could not be read.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum WhenError {
    #[error(
        "\"{0}\" is not a time: write it like \"yesterday 14:00\", \"mon 10:00\", \"2 hours ago\" or \"2026-11-30 10:00\""
    )]
    NotATime(String),
    #[error(
        "\"{0}\" could be day-first or month-first: write 2026-11-30 10:00, or set date_order = \"dmy\" or \"mdy\" in the config file"
    )]
    Ambiguous(String),
}

/// Reads `text` as an instant, relative to `now` in `tz` for natural phrases.
pub fn parse_when(
    text: &str,
    now: Timestamp,
    tz: &TimeZone,
    order: Option<DateOrder>,
    tense: Tense,
) -> Result<Timestamp, WhenError> {
    let text = text.trim();
    let not_a_time = || WhenError::NotATime(shown(text));
    if text.is_empty() || text.chars().count() > LONGEST {
        return Err(not_a_time());
    }
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    if let Some(dt) = text.parse::<DateTime>().ok().filter(|_| text.len() >= 16) {
        return dt.to_zoned(tz.clone()).map(|z| z.timestamp()).map_err(|_| not_a_time());
    }
    let normalized = numeric_date(text, order)?;
    let now_zoned = now.to_zoned(tz.clone());
    let dialect = if order == Some(DateOrder::Mdy) { Dialect::Us } else { Dialect::Uk };
    let found: Zoned =
        parse_date_string(&normalized.to_ascii_lowercase(), now_zoned.clone(), dialect).map_err(|_| not_a_time())?;
    Ok(last_one(found, &now_zoned, &normalized, tense).timestamp())
}

/// The text shown back in an error: short and one line.
fn shown(text: &str) -> String {
    let mut out: String = text.chars().filter(|c| !c.is_control()).take(40).collect();
    if text.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// A weekday named for something that happened is the last such day, not the next.
fn last_one(found: Zoned, now: &Zoned, text: &str, tense: Tense) -> Zoned {
    let names_weekday =
        text.split_whitespace().next().is_some_and(|w| WEEKDAYS.iter().any(|d| w.to_ascii_lowercase().starts_with(d)));
    let says_next = text.to_ascii_lowercase().contains("next");
    if tense == Tense::Past && names_weekday && !says_next && found.timestamp() > now.timestamp() {
        return found.checked_sub(7.days()).unwrap_or(found);
    }
    found
}

const WEEKDAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// A numeric date with `/` or `.` separators rewritten as ISO `YYYY-MM-DD`
/// in the configured order; without an order such a date is refused, never
/// guessed. Other texts pass unchanged.
fn numeric_date(text: &str, order: Option<DateOrder>) -> Result<String, WhenError> {
    let mut words: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        let parts: Vec<&str> = word.split(['/', '.']).collect();
        let numeric = parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()));
        if !numeric {
            words.push(word.to_string());
            continue;
        }
        let Some(order) = order else {
            return Err(WhenError::Ambiguous(shown(text)));
        };
        let number = |s: &str| s.parse::<u32>().ok();
        let (y, m, d) = match order {
            DateOrder::Dmy => (parts[2], parts[1], parts[0]),
            DateOrder::Mdy => (parts[2], parts[0], parts[1]),
            DateOrder::Ymd => (parts[0], parts[1], parts[2]),
        };
        let (Some(mut year), Some(month), Some(day)) = (number(y), number(m), number(d)) else {
            return Err(WhenError::NotATime(shown(text)));
        };
        if y.len() == 2 {
            year += 2000;
        }
        words.push(format!("{year:04}-{month:02}-{day:02}"));
    }
    Ok(words.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Friday 27 Nov 2026, 18:00 in Berlin.
    fn now() -> Timestamp {
        "2026-11-27T17:00:00Z".parse().unwrap()
    }

    fn at(text: &str, order: Option<DateOrder>) -> Result<String, WhenError> {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        parse_when(text, now(), &tz, order, Tense::Past)
            .map(|t| t.to_zoned(tz.clone()).strftime("%Y-%m-%d %H:%M %a").to_string())
    }

    #[test]
    fn phrases_people_type() {
        assert_eq!(at("yesterday 14:00", None).unwrap(), "2026-11-26 14:00 Thu");
        assert_eq!(at("today 9:30", None).unwrap(), "2026-11-27 09:30 Fri");
        assert_eq!(at("mon 10:00", None).unwrap(), "2026-11-23 10:00 Mon", "the last Monday");
        assert_eq!(at("2 hours ago", None).unwrap(), "2026-11-27 16:00 Fri");
        assert_eq!(at("2026-11-30 10:00", None).unwrap(), "2026-11-30 10:00 Mon");
        assert_eq!(at("2026-11-23T14:30:00+01:00", None).unwrap(), "2026-11-23 14:30 Mon");
        assert_eq!(at("2026-07-01T09:00", None).unwrap(), "2026-07-01 09:00 Wed");
    }

    #[test]
    fn numeric_dates_follow_the_configured_order() {
        assert_eq!(at("30/11/2026 10:00", Some(DateOrder::Dmy)).unwrap(), "2026-11-30 10:00 Mon");
        assert_eq!(at("11/30/2026 10:00", Some(DateOrder::Mdy)).unwrap(), "2026-11-30 10:00 Mon");
        assert_eq!(at("03.04.2026 10:00", Some(DateOrder::Dmy)).unwrap(), "2026-04-03 10:00 Fri");
        assert_eq!(at("03/04/2026 10:00", Some(DateOrder::Mdy)).unwrap(), "2026-03-04 10:00 Wed");
        let refused = at("30/11/2026 10:00", None).unwrap_err().to_string();
        assert!(refused.contains("date_order"), "{refused}");
    }

    #[test]
    fn what_is_not_a_time() {
        for bad in ["", "soon", "2026-13-01 10:00", "someday at noon", &"9".repeat(100)] {
            let e = at(bad, Some(DateOrder::Dmy)).unwrap_err().to_string();
            assert!(e.contains("is not a time") && e.chars().count() < 200, "{bad}: {e}");
        }
    }

    #[test]
    fn a_planned_weekday_is_the_next_one() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let next = parse_when("mon 10:00", now(), &tz, None, Tense::Future).unwrap();
        assert_eq!(next.to_zoned(tz).strftime("%Y-%m-%d").to_string(), "2026-11-30");
    }
}
