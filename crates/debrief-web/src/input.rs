//! Reading what a user typed, in a form or a JSON body, into typed values:
//! one function per kind of field, each failing with the field's name and a
//! one-line message. Limits that protect the store (lengths, NUL characters,
//! the years jiff can step through) are checked here, before the app runs.

use debrief_core::IsoWeek;
use debrief_core::model::{Channel, Outcome};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Longest client name, reason text or label (they are indexed).
pub const MAX_NAME: usize = 200;
/// Longest free text ("what I'd do differently", "what could I have done better", note).
pub const MAX_TEXT: usize = 2000;
/// Years a contact time or a week may fall in.
const YEARS: std::ops::RangeInclusive<i16> = 1900..=2200;
/// Most weeks a window (reasons, trend) may span.
pub const MAX_WEEKS: u32 = 104;
/// Most contacts on one page of a list.
pub const MAX_LIMIT: u32 = 500;

/// A value of one field that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> FieldError {
        FieldError { field: field.into(), message: message.into() }
    }
}

type Result<T> = std::result::Result<T, FieldError>;

/// Text of at most `max` characters and without NUL characters.
pub fn text(field: &str, value: &str, max: usize) -> Result<String> {
    if value.contains('\0') {
        return Err(FieldError::new(field, "the text contains a NUL character: remove it"));
    }
    let len = value.chars().count();
    if len > max {
        return Err(FieldError::new(field, format!("{len} characters is too long: at most {max}")));
    }
    Ok(value.to_string())
}

/// Like [`text`], with blank meaning "not given" (form fields).
pub fn optional_text(field: &str, value: &str, max: usize) -> Result<Option<String>> {
    if value.trim().is_empty() {
        return Ok(None);
    }
    text(field, value, max).map(Some)
}

pub fn outcome(field: &str, value: &str) -> Result<Outcome> {
    if value.trim().is_empty() {
        return Err(FieldError::new(
            field,
            "pick how the contact ended: won, lost, advanced, no-answer, no-show or pending",
        ));
    }
    value.parse().map_err(|e: debrief_core::ParseError| FieldError::new(field, e.to_string()))
}

pub fn channel(field: &str, value: &str) -> Result<Channel> {
    value.parse().map_err(|e: debrief_core::ParseError| FieldError::new(field, e.to_string()))
}

/// A contact time: RFC 3339, or `YYYY-MM-DD HH:MM` (also `T`, as a
/// `datetime-local` field sends it) in the user's time zone.
pub fn at(field: &str, value: &str, tz: &TimeZone) -> Result<Timestamp> {
    let at = debrief_core::entry::parse_at(value, tz).map_err(|e| FieldError::new(field, e.to_string()))?;
    let year = at.to_zoned(tz.clone()).year();
    if !YEARS.contains(&year) {
        return Err(FieldError::new(
            field,
            format!("the year {year} is out of range: give a time between 1900 and 2200"),
        ));
    }
    Ok(at)
}

/// An ISO week like `2026-W47`.
pub fn week(field: &str, value: &str) -> Result<IsoWeek> {
    let week: IsoWeek = value.parse().map_err(|e: debrief_core::ParseError| FieldError::new(field, e.to_string()))?;
    if !YEARS.contains(&week.year()) {
        return Err(FieldError::new(field, format!("{week} is out of range: give a week between 1900 and 2200")));
    }
    Ok(week)
}

/// A number of weeks for a window: 1 to [`MAX_WEEKS`].
pub fn weeks(field: &str, value: u32) -> Result<u32> {
    if !(1..=MAX_WEEKS).contains(&value) {
        return Err(FieldError::new(field, format!("{value} weeks is out of range: give 1 to {MAX_WEEKS}")));
    }
    Ok(value)
}

/// A page size: 1 to [`MAX_LIMIT`].
pub fn limit(field: &str, value: u32) -> Result<u32> {
    if !(1..=MAX_LIMIT).contains(&value) {
        return Err(FieldError::new(
            field,
            format!("{value} is out of range: give 1 to {MAX_LIMIT} contacts per page"),
        ));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_bounded_and_free_of_nul() {
        assert_eq!(text("client", "Acme", MAX_NAME).unwrap(), "Acme");
        assert_eq!(text("client", "a\0b", MAX_NAME).unwrap_err().field, "client");
        assert!(text("client", &"x".repeat(201), MAX_NAME).unwrap_err().message.contains("at most 200"));
        assert_eq!(optional_text("better", "  ", MAX_TEXT), Ok(None));
    }

    #[test]
    fn keywords_times_and_weeks() {
        assert_eq!(outcome("outcome", "no_answer"), Ok(Outcome::NoAnswer));
        assert!(outcome("outcome", "").unwrap_err().message.starts_with("pick how"));
        assert!(channel("channel", "fax").unwrap_err().message.contains("expected one of"));
        let utc = TimeZone::UTC;
        assert!(at("at", "2026-11-23T14:30", &utc).is_ok());
        assert!(at("at", "2300-01-01 10:00", &utc).unwrap_err().message.contains("out of range"));
        assert!(at("at", "9999-12-31 23:59", &utc).is_err());
        assert!(week("week", "9999-W52").is_err());
        assert_eq!(week("week", "2026-W47").unwrap().to_string(), "2026-W47");
        assert!(weeks("weeks", 0).is_err() && weeks("weeks", 105).is_err() && weeks("weeks", 12).is_ok());
        assert!(limit("limit", 0).is_err() && limit("limit", 50).is_ok());
    }
}
