//! Raw input into typed requests: every limit, range, default and cross-field
//! rule a request must keep, checked once, before anything is opened or
//! written.
//!
//! An interface (the CLI, a form, the JSON API) only turns what it received
//! into one of the `Raw*` types (strings and numbers as typed) and calls the
//! request's checked constructor. A refusal is an [`Invalid`]: one
//! [`FieldError`] per field at fault, each naming the field the way every
//! interface knows it (`client`, `at`, `reasons`, …) with a one-line message
//! that says what was wrong and what would be right. The CLI names its flag,
//! the form marks its field and the API returns `field`, all from the same
//! error, so every door accepts and refuses the same input with the same words.

mod contact;
mod loop_steps;
mod reports;

use std::fmt;

use debrief_core::IsoWeek;
pub use debrief_core::when::DateOrder;
use debrief_core::when::Tense;
use jiff::Timestamp;
use jiff::tz::TimeZone;

pub(crate) use contact::validation;
pub use contact::{
    EditRequest, ListRequest, LogCheck, LogRequest, RawEdit, RawList, RawLog, RawReason, ReasonEntry, Settle,
};
pub use loop_steps::{
    AddFollowUpRequest, ApologyRequest, DailyRequest, DemoRequest, DueRequest, MishapStepRequest, OpenMishapRequest,
    OwnCommitRequest, OwnUpRequest, RawAddFollowUp, RawDaily, RawDemo, RawMishapStep, RawOpenMishap, RawOwnCommit,
    RawOwnUp, RawSnooze, SnoozeRequest,
};
pub use reports::{
    FocusSetRequest, MergeRequest, RawMerge, RawRefile, RawRename, RawSuggest, RawTrend, ReasonsRequest, RefileRequest,
    RefileTarget, RenameRequest, SuggestRequest, TrendRequest, WeekRequest,
};

/// Longest client name, rep name, reason text or label (they are indexed and shown in lists).
pub const MAX_NAME: usize = 200;
/// Longest free text ("what I'd do differently", "what could I have done better", a note, an apology).
pub const MAX_TEXT: usize = 2000;
/// The most bytes a text of [`MAX_TEXT`] characters can take, for
/// interfaces that read text from a stream before checking it.
pub const MAX_TEXT_BYTES: usize = MAX_TEXT * 4;
/// Years a contact, a follow-up or a week may fall in.
pub const YEARS: std::ops::RangeInclusive<i16> = 1900..=2200;
/// Most weeks a window (reasons, trend) may span.
pub const MAX_WEEKS: u32 = 104;
/// Most contacts on one page of a list.
pub const MAX_LIMIT: u32 = 500;
/// Most contacts a list may skip.
pub const MAX_OFFSET: u32 = 100_000_000;
/// Most external reasons on one contact.
pub const MAX_EXTERNAL: usize = 10;
/// Most days ahead the agenda looks.
pub const MAX_AGENDA_DAYS: u32 = 366;
/// Most suggestions asked for at once.
pub const MAX_SUGGESTIONS: u32 = 20;

/// What a request is read against: the user's time zone, the time now, and
/// how the user writes numeric dates.
#[derive(Clone, Debug)]
pub struct Context {
    tz: TimeZone,
    now: Timestamp,
    date_order: Option<DateOrder>,
}

impl Context {
    pub fn new(tz: TimeZone, now: Timestamp) -> Context {
        Context { tz, now, date_order: None }
    }

    /// Numeric dates (`30/11/2026`) read in this order; without one they are refused, never guessed.
    pub fn with_date_order(self, date_order: Option<DateOrder>) -> Context {
        Context { date_order, ..self }
    }

    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    pub fn now(&self) -> Timestamp {
        self.now
    }
}

/// A value of one field that cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field as every interface names it: `client`, `outcome`, `at`, `reasons`, …
    pub field: &'static str,
    /// Which one of a list (`reasons`, `external`, `items`), counted from 0.
    pub index: Option<usize>,
    /// One line: what was wrong and what would be right.
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> FieldError {
        FieldError { field, index: None, message: message.into() }
    }

    pub(crate) fn at_index(mut self, index: usize) -> FieldError {
        self.index = Some(index);
        self
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FieldError {}

/// A refused request: every field at fault, in the order of the request.
/// Shown as one line, the first message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid(Vec<FieldError>);

impl Invalid {
    /// The fields at fault; never empty.
    pub fn errors(&self) -> &[FieldError] {
        &self.0
    }

    /// The first field at fault.
    pub fn first(&self) -> &FieldError {
        // An `Invalid` is only built from at least one error.
        &self.0[0]
    }
}

impl From<FieldError> for Invalid {
    fn from(e: FieldError) -> Invalid {
        Invalid(vec![e])
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.first().fmt(f)
    }
}

impl std::error::Error for Invalid {}

/// Collects the errors of a request's fields, so a form can mark them all.
#[derive(Default)]
pub(crate) struct Check(Vec<FieldError>);

impl Check {
    /// The value, or `None` with its error kept.
    pub(crate) fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }

    pub(crate) fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    pub(crate) fn is_clean(&self) -> bool {
        self.0.is_empty()
    }

    /// The errors kept; call only when a value is missing, which means one was kept.
    pub(crate) fn invalid(self) -> Invalid {
        if self.0.is_empty() {
            return Invalid(vec![FieldError::new("request", "the request could not be read: send it again")]);
        }
        Invalid(self.0)
    }

    /// `Ok(())` when nothing was refused.
    pub(crate) fn done(self) -> Result<(), Invalid> {
        if self.0.is_empty() { Ok(()) } else { Err(Invalid(self.0)) }
    }
}

/// A value as it may be repeated in a message: control characters escaped,
/// long values cut, so that an error never carries what it refuses.
pub fn echo(value: &str) -> String {
    const LONGEST: usize = 40;
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i == LONGEST {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// The first control character of `text` that `allowed` does not admit.
fn control_char(text: &str, allowed: &[char]) -> Option<char> {
    text.chars().find(|c| (c.is_control() || is_bidi_override(*c)) && !allowed.contains(c))
}

/// Whether a character must never reach a terminal or a page as it is:
/// control characters (but line breaks and tabs) and those that reorder
/// the text around them.
pub fn is_unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || is_bidi_override(c)
}

/// Whether `text` holds a character [`is_unsafe_char`] refuses, read from
/// its bytes without decoding it (output is checked a block at a time): an
/// ASCII control but line breaks and tabs, a C1 control (U+0080–U+009F,
/// `C2 80`–`C2 9F`), or a bidirectional override (U+202A–U+202E, `E2 80
/// AA`–`AE`; U+2066–U+2069, `E2 81 A6`–`A9`).
pub fn has_unsafe_chars(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b' '..=b'~' | b'\n' | b'\t' => false,
        0xC2 => bytes.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)),
        0xE2 => matches!(
            (bytes.get(i + 1), bytes.get(i + 2)),
            (Some(0x80), Some(0xAA..=0xAE)) | (Some(0x81), Some(0xA6..=0xA9))
        ),
        0x80.. => false,
        _ => true,
    })
}

/// Characters that reorder the text shown around them.
fn is_bidi_override(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn control_message(c: char) -> String {
    format!("the text contains the control character {}: remove it", c.escape_unicode())
}

/// A name (client, rep, reason, label): trimmed, not empty, at most
/// [`MAX_NAME`] characters, one line without control characters. Public for
/// the names of inputs that have no request of their own yet (a reviewed
/// file's name, the speaker who is the user).
pub fn name(field: &'static str, what: &str, value: &str) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, format!("the {what} is empty: give the {what}")));
    }
    if let Some(c) = control_char(value, &[]) {
        return Err(FieldError::new(field, control_message(c)));
    }
    let len = value.chars().count();
    if len > MAX_NAME {
        return Err(FieldError::new(field, format!("the {what} is {len} characters long: at most {MAX_NAME}")));
    }
    Ok(value.to_string())
}

/// Free text of at most `max` characters: trimmed, lines and tabs allowed,
/// other control characters refused; blank is `None` (not given).
pub(crate) fn text(field: &'static str, value: Option<&str>, max: usize) -> Result<Option<String>, FieldError> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    if let Some(c) = control_char(value, &['\n', '\r', '\t']) {
        return Err(FieldError::new(field, control_message(c)));
    }
    let len = value.chars().count();
    if len > max {
        return Err(FieldError::new(field, format!("the text is {len} characters long: at most {max}")));
    }
    Ok(Some(value.replace("\r\n", "\n")))
}

/// Free text that must be given.
pub(crate) fn required_text(field: &'static str, what: &str, value: &str, max: usize) -> Result<String, FieldError> {
    text(field, Some(value), max)?
        .ok_or_else(|| FieldError::new(field, format!("the {what} is empty: write a few words")))
}

/// A keyword (outcome, channel, kind, step, how) read with its type's own
/// list of valid values; the refused value is echoed safely.
pub fn keyword<T>(field: &'static str, value: &str) -> Result<T, FieldError>
where
    T: std::str::FromStr<Err = debrief_core::ParseError>,
{
    value.parse::<T>().map_err(|e| match e {
        debrief_core::ParseError::Keyword { what, got, valid } => {
            if got.trim().is_empty() {
                FieldError::new(field, format!("the {what} is missing: give one of {valid}"))
            } else {
                FieldError::new(field, format!("unknown {what} \"{}\": expected one of {valid}", echo(&got)))
            }
        }
        other => FieldError::new(field, other.to_string()),
    })
}

/// A time as people type it (`yesterday 14:00`, `mon 10:00`, `2 hours ago`,
/// `2026-11-30 10:00`, RFC 3339; numeric dates in the configured order), in
/// the user's zone, within [`YEARS`]. `tense` says whether a weekday name
/// means the last one (something that happened) or the next (a plan).
pub(crate) fn time(field: &'static str, value: &str, cx: &Context, tense: Tense) -> Result<Timestamp, FieldError> {
    let at = debrief_core::when::parse_when(value, cx.now(), cx.tz(), cx.date_order, tense)
        .map_err(|e| FieldError::new(field, e.to_string()))?;
    let year = at.to_zoned(cx.tz().clone()).year();
    if !YEARS.contains(&year) {
        return Err(FieldError::new(
            field,
            format!("the year {year} is out of range: give a time between {} and {}", YEARS.start(), YEARS.end()),
        ));
    }
    Ok(at)
}

/// An ISO week like `2026-W47`, within [`YEARS`].
pub(crate) fn week(field: &'static str, value: &str) -> Result<IsoWeek, FieldError> {
    let week: IsoWeek = value.trim().parse().map_err(|e| match e {
        debrief_core::ParseError::NoSuchWeek { .. } => FieldError::new(field, e.to_string()),
        _ => FieldError::new(
            field,
            format!("\"{}\" is not a week: expected an ISO week like 2026-W47", echo(value.trim())),
        ),
    })?;
    if !YEARS.contains(&week.year()) {
        return Err(FieldError::new(
            field,
            format!("{week} is out of range: give a week between {} and {}", YEARS.start(), YEARS.end()),
        ));
    }
    Ok(week)
}

/// A whole number within `range`; `what` names the unit in the message.
pub(crate) fn within<T>(
    field: &'static str,
    value: T,
    range: std::ops::RangeInclusive<T>,
    what: &str,
) -> Result<T, FieldError>
where
    T: PartialOrd + fmt::Display + Copy,
{
    if range.contains(&value) {
        return Ok(value);
    }
    Err(FieldError::new(field, format!("{value} {what} is out of range: give {} to {}", range.start(), range.end())))
}

/// An id of a stored item: a positive number.
pub(crate) fn id(field: &'static str, value: i64) -> Result<i64, FieldError> {
    if value < 1 {
        return Err(FieldError::new(field, format!("{value} is not an id: ids are whole numbers from 1")));
    }
    Ok(value)
}

/// An id as an interface received it, checked like any id.
pub fn check_id(field: &'static str, value: i64) -> Result<i64, FieldError> {
    id(field, value)
}

/// A time zone as people name it (IANA: `Europe/Berlin`, `UTC`).
pub fn zone(field: &'static str, value: &str) -> Result<TimeZone, FieldError> {
    let name = value.trim();
    let known = !name.is_empty() && control_char(name, &[]).is_none() && name.len() <= MAX_NAME;
    known.then(|| TimeZone::get(name).ok()).flatten().ok_or_else(|| {
        FieldError::new(
            field,
            format!("unknown time zone \"{}\": expected an IANA name like Europe/Berlin or UTC", echo(name)),
        )
    })
}

/// A rep's time zone to set.
#[derive(Clone, Debug)]
pub struct ZoneRequest {
    pub(crate) tz: TimeZone,
}

impl ZoneRequest {
    pub fn new(raw: &str) -> Result<ZoneRequest, Invalid> {
        Ok(ZoneRequest { tz: zone("tz", raw)? })
    }
}

/// A rep's name, checked like any name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RepName(String);

impl RepName {
    pub fn new(value: &str) -> Result<RepName, FieldError> {
        name("rep", "rep's name", value).map(RepName)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RepName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bytes_tell_an_unsafe_character_as_the_characters_do() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let text = format!("a{c}b");
            assert_eq!(has_unsafe_chars(&text), is_unsafe_char(c), "{:?}", c.escape_unicode().to_string());
        }
        assert!(!has_unsafe_chars("lines 7–8, “quoted”, naïve\tok\n"));
        assert!(has_unsafe_chars("crlf\r\n") && has_unsafe_chars("\u{202E}gnp.exe"));
    }

    #[test]
    fn names_are_one_clean_line() {
        assert_eq!(name("client", "client name", "  Acme ").unwrap(), "Acme");
        assert!(name("client", "client name", " ").unwrap_err().message.starts_with("the client name is empty"));
        assert!(name("client", "client name", "a\u{1b}[31mb").unwrap_err().message.contains("\\u{1b}"));
        assert!(name("client", "client name", "a\nb").is_err());
        assert!(name("client", "client name", "a\u{202E}b").is_err());
        assert!(name("client", "client name", &"x".repeat(201)).unwrap_err().message.contains("at most 200"));
        assert!(name("client", "client name", &"é".repeat(200)).is_ok(), "characters, not bytes");
    }

    #[test]
    fn free_text_keeps_lines_and_drops_blanks() {
        assert_eq!(text("note", Some("a\r\nb"), MAX_TEXT).unwrap().as_deref(), Some("a\nb"));
        assert_eq!(text("note", Some("   "), MAX_TEXT).unwrap(), None);
        assert_eq!(text("note", None, MAX_TEXT).unwrap(), None);
        assert!(text("note", Some("a\u{7}"), MAX_TEXT).is_err());
        assert!(text("note", Some(&"x".repeat(2001)), MAX_TEXT).is_err());
    }

    #[test]
    fn echoes_are_short_and_escaped() {
        assert_eq!(echo("a\u{1b}b"), "a\\u{1b}b");
        assert_eq!(echo(&"x".repeat(100)).chars().count(), 41);
    }

    #[test]
    fn keywords_times_weeks_and_numbers() {
        use debrief_core::model::Outcome;
        assert_eq!(keyword::<Outcome>("outcome", "no_answer"), Ok(Outcome::NoAnswer));
        assert!(keyword::<Outcome>("outcome", "").unwrap_err().message.starts_with("the outcome is missing"));
        let bad = keyword::<Outcome>("outcome", "w\u{1b}on").unwrap_err().message;
        assert!(bad.contains("\\u{1b}") && bad.contains("expected one of won, lost"), "{bad}");
        let cx = Context::new(TimeZone::UTC, Timestamp::UNIX_EPOCH);
        assert!(time("at", "2026-11-23T14:30", &cx, Tense::Past).is_ok());
        assert!(time("at", "2300-01-01 10:00", &cx, Tense::Past).unwrap_err().message.contains("out of range"));
        assert!(time("at", "9999-12-28 10:00", &cx, Tense::Past).is_err());
        assert!(week("week", "2025-W53").unwrap_err().message.starts_with("2025 has 52 ISO weeks"));
        assert!(week("week", "9999-W52").is_err());
        assert_eq!(week("week", "2026-W47").unwrap().to_string(), "2026-W47");
        assert!(within("weeks", 0u32, 1..=MAX_WEEKS, "weeks").is_err());
        assert!(within("weeks", 2_000_000u32, 1..=MAX_WEEKS, "weeks").is_err());
        assert!(id("id", 0).is_err() && id("id", 7).is_ok());
    }
}
