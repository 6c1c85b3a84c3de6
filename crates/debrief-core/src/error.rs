//! Errors of the domain: what was wrong and what would be right, in one line.

use thiserror::Error;

/// A value that could not be read from text.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum ParseError {
    #[error("unknown {what} \"{got}\": expected one of {valid}")]
    Keyword { what: &'static str, got: String, valid: String },
    #[error("\"{0}\" is not a week: expected an ISO week like 2026-W47")]
    Week(String),
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
