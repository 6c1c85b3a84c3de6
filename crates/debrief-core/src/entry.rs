//! The rules a debrief entry must keep before anything is stored: a lost
//! contact has a reason, at most two controllable ones, every "do differently"
//! has its reason, and times are read in the user's time zone.

use jiff::Timestamp;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;

use crate::error::{ParseError, ValidationError};
use crate::model::Outcome;

/// At most this many controllable reasons per contact: its "top reasons".
pub const MAX_CONTROLLABLE: usize = 2;

/// A controllable reason as written, with what the rep would do differently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReasonInput {
    pub text: String,
    pub do_differently: Option<String>,
}

/// Pairs each `--do` with the `--reason` in the same position.
pub fn pair(reasons: Vec<String>, dos: Vec<String>) -> Result<Vec<ReasonInput>, ValidationError> {
    if dos.len() > reasons.len() {
        return Err(ValidationError::DoWithoutReason(reasons.len() + 1));
    }
    let mut dos = dos.into_iter();
    Ok(reasons
        .into_iter()
        .map(|text| ReasonInput { text, do_differently: dos.next().filter(|d| !d.trim().is_empty()) })
        .collect())
}

/// Checks the reasons of a contact against the rules of the loop.
pub fn check(outcome: Outcome, controllable: &[ReasonInput], external: &[String]) -> Result<(), ValidationError> {
    if controllable.len() > MAX_CONTROLLABLE {
        return Err(ValidationError::TooManyReasons(controllable.len()));
    }
    if controllable.iter().any(|r| r.text.trim().is_empty()) {
        return Err(ValidationError::EmptyText("reason"));
    }
    if external.iter().any(|r| r.trim().is_empty()) {
        return Err(ValidationError::EmptyText("external reason"));
    }
    if outcome == Outcome::Lost && controllable.is_empty() && external.is_empty() {
        return Err(ValidationError::LostWithoutReason);
    }
    Ok(())
}

/// Reads a time as RFC 3339 (`2026-11-23T14:30:00+01:00`) or as a civil
/// `YYYY-MM-DD HH:MM` (also with `T` and seconds) in `tz`.
pub fn parse_at(text: &str, tz: &TimeZone) -> Result<Timestamp, ParseError> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    text.parse::<DateTime>()
        .ok()
        .filter(|_| text.len() >= 16)
        .and_then(|dt| dt.to_zoned(tz.clone()).ok())
        .map(|z| z.timestamp())
        .ok_or_else(|| ParseError::Time(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inputs(texts: &[&str]) -> Vec<ReasonInput> {
        pair(texts.iter().map(|t| t.to_string()).collect(), vec![]).unwrap()
    }

    #[test]
    fn dos_pair_by_position() {
        let paired = pair(vec!["a".into(), "b".into()], vec!["x".into()]).unwrap();
        assert_eq!(paired[0].do_differently.as_deref(), Some("x"));
        assert_eq!(paired[1].do_differently, None);
        assert_eq!(pair(vec!["a".into()], vec!["x".into(), "y".into()]), Err(ValidationError::DoWithoutReason(2)));
        assert_eq!(pair(vec![], vec!["x".into()]), Err(ValidationError::DoWithoutReason(1)));
    }

    #[test]
    fn the_rules_of_a_debrief() {
        assert_eq!(check(Outcome::Lost, &[], &[]), Err(ValidationError::LostWithoutReason));
        assert_eq!(check(Outcome::Lost, &[], &["competitor".into()]), Ok(()));
        assert_eq!(check(Outcome::Won, &[], &[]), Ok(()));
        assert_eq!(check(Outcome::Lost, &inputs(&["a", "b", "c"]), &[]), Err(ValidationError::TooManyReasons(3)));
        assert_eq!(check(Outcome::Lost, &inputs(&["  "]), &[]), Err(ValidationError::EmptyText("reason")));
    }

    #[test]
    fn times_in_both_forms() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let a = parse_at("2026-11-23 14:30", &tz).unwrap();
        assert_eq!(a.to_string(), "2026-11-23T13:30:00Z");
        let b = parse_at("2026-11-23T14:30:00+01:00", &TimeZone::UTC).unwrap();
        assert_eq!(a, b);
        assert_eq!(parse_at("2026-07-01T09:00", &tz).unwrap().to_string(), "2026-07-01T07:00:00Z");
        for bad in ["yesterday", "2026-13-01 10:00", "2026-11-23", "14:30", ""] {
            assert!(parse_at(bad, &tz).is_err(), "{bad}");
        }
    }
}
