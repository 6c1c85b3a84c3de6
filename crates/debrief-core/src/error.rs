//! Errors of the domain: what was wrong and what would be right, in one line.

use std::fmt;

use thiserror::Error;

/// A value that could not be read from text.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ParseError {
    #[error("unknown {what} \"{got}\": expected one of {valid}")]
    Keyword { what: &'static str, got: String, valid: String },
    #[error("\"{0}\" is not a week: expected an ISO week like 2026-W47")]
    Week(String),
    #[error("{year} has {weeks} ISO weeks: give a week from {year}-W01 to {year}-W{weeks}")]
    NoSuchWeek { year: i16, weeks: i8 },
    #[error("\"{0}\" is not a time: expected RFC 3339 (2026-11-23T14:30:00+01:00) or \"YYYY-MM-DD HH:MM\"")]
    Time(String),
}

/// A contact that breaks a rule of the loop. The messages name no command
/// line flag: the CLI says them its own way ([`ValidationError`] is matched
/// there), the web app next to the form field.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ValidationError {
    #[error(
        "a lost contact needs at least one reason: what you could have controlled, or what you could not (an external reason)"
    )]
    LostWithoutReason,
    #[error("{0} controllable reasons given: at most two per contact (keep the two that mattered most)")]
    TooManyReasons(usize),
    #[error(
        "\"what I'd do differently\" #{0} has no reason to go with: each one belongs to the reason in the same place"
    )]
    DoWithoutReason(usize),
    #[error("the client name is empty: give the client's name")]
    EmptyClient,
    #[error("the {0} is empty: write a few words or leave it out")]
    EmptyText(&'static str),
}

/// Date or week arithmetic that would leave the calendar: jiff, and so
/// debrief, holds the years -9999 to 9999. A far-future `--at`, a snooze
/// repeated for centuries or a window of a million weeks end here instead of
/// in a panic.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("{0} is beyond the calendar (-9999-01-01 to 9999-12-31): use a nearer date or a shorter span")]
pub struct RangeError(pub String);

impl RangeError {
    /// `from` moved by `n` of `units`: "9999-12-27 + 2 days", "2026-W47 - 2000000 weeks",
    /// "9999-W52 + 1 week".
    pub fn moved(from: impl fmt::Display, n: i64, units: &str) -> RangeError {
        let sign = if n < 0 { '-' } else { '+' };
        let count = n.unsigned_abs();
        let units = if count == 1 { units.strip_suffix('s').unwrap_or(units) } else { units };
        RangeError(format!("{from} {sign} {count} {units}"))
    }
}
