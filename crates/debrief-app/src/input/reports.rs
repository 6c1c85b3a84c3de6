//! Requests of the reviews and the vocabulary: week, trend, reasons ranked,
//! merge, rename, focus, suggestions.

use debrief_core::IsoWeek;
use debrief_core::review::RANK_WINDOW_WEEKS;
use serde::Deserialize;

use super::{Check, FieldError, Invalid, MAX_NAME, MAX_SUGGESTIONS, MAX_WEEKS, id, name, week, within};

/// Weeks a trend shows when none is given.
pub const DEFAULT_TREND_WEEKS: u32 = 12;

/// The week to review (this week when none is given).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WeekRequest {
    pub(crate) week: Option<IsoWeek>,
}

impl WeekRequest {
    pub fn new(raw: Option<&str>) -> Result<WeekRequest, Invalid> {
        let week = raw.filter(|w| !w.trim().is_empty()).map(|w| week("week", w)).transpose()?;
        Ok(WeekRequest { week })
    }

    /// This week.
    pub fn current() -> WeekRequest {
        WeekRequest { week: None }
    }

    /// The week asked for; `None` for this week.
    pub fn week(&self) -> Option<IsoWeek> {
        self.week
    }
}

/// The trend, as received.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RawTrend {
    /// How many weeks, 1 to 104 (default 12).
    pub weeks: Option<u32>,
    /// The last week shown (default: this week).
    pub last: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TrendRequest {
    pub(crate) weeks: u32,
    pub(crate) last: Option<IsoWeek>,
}

impl TrendRequest {
    pub fn new(raw: RawTrend) -> Result<TrendRequest, Invalid> {
        let mut check = Check::default();
        let weeks = check.take(within("weeks", raw.weeks.unwrap_or(DEFAULT_TREND_WEEKS), 1..=MAX_WEEKS, "weeks"));
        let last =
            check.take(raw.last.as_deref().filter(|w| !w.trim().is_empty()).map(|w| week("last", w)).transpose());
        let (Some(weeks), Some(last)) = (weeks, last) else {
            return Err(check.invalid());
        };
        Ok(TrendRequest { weeks, last })
    }
}

/// Reasons ranked over a window of weeks ending this week (default 4).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReasonsRequest {
    pub(crate) weeks: u32,
}

impl ReasonsRequest {
    pub fn new(weeks: Option<u32>) -> Result<ReasonsRequest, Invalid> {
        let weeks = within("weeks", weeks.unwrap_or(RANK_WINDOW_WEEKS), 1..=MAX_WEEKS, "weeks")?;
        Ok(ReasonsRequest { weeks })
    }

    pub fn weeks(&self) -> u32 {
        self.weeks
    }
}

/// Two reasons to merge, as received: each a label, a way to say it, or `#id`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RawMerge {
    pub from: String,
    pub into: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeRequest {
    pub(crate) from: String,
    pub(crate) into: String,
}

impl MergeRequest {
    pub fn new(raw: RawMerge) -> Result<MergeRequest, Invalid> {
        let mut check = Check::default();
        let from = check.take(name("from", "reason to merge", &raw.from));
        let into = check.take(name("into", "reason to merge into", &raw.into));
        let (Some(from), Some(into)) = (from, into) else {
            return Err(check.invalid());
        };
        Ok(MergeRequest { from, into })
    }
}

/// A reason and its new label, as received.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RawRename {
    /// The reason: its label, a way to say it, or `#id`.
    pub reason: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameRequest {
    pub(crate) reason: String,
    pub(crate) label: String,
}

impl RenameRequest {
    pub fn new(raw: RawRename) -> Result<RenameRequest, Invalid> {
        let mut check = Check::default();
        let reason = check.take(name("reason", "reason to rename", &raw.reason));
        let label = check.take(name("label", "new label", &raw.label));
        let (Some(reason), Some(label)) = (reason, label) else {
            return Err(check.invalid());
        };
        Ok(RenameRequest { reason, label })
    }
}

/// Where a reason written on a contact should count, as received: exactly
/// one of `as` (a reason: its label, a way to say it, or `#id`), `new`
/// (the words as a reason of their own) or `external` (outside the rep's
/// control, a reason of its own unless written as a known external one).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RawRefile {
    pub contact: i64,
    /// The reason as written on the contact.
    pub text: String,
    #[serde(rename = "as")]
    pub as_reason: Option<String>,
    pub new: bool,
    pub external: bool,
}

/// Where a re-filed reason goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefileTarget {
    /// Under this reason (and on its side).
    As(String),
    /// The words as a reason of their own, on the side they were given.
    New,
    /// Outside the rep's control.
    External,
}

/// A reason on a contact to count elsewhere; the text stays as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefileRequest {
    pub(crate) contact: i64,
    pub(crate) text: String,
    pub(crate) target: RefileTarget,
}

impl RefileRequest {
    pub fn new(raw: RawRefile) -> Result<RefileRequest, Invalid> {
        let mut check = Check::default();
        let contact = check.take(id("contact", raw.contact));
        let text = check.take(name("text", "reason text", &raw.text));
        let as_reason = raw.as_reason.as_deref().map(|r| name("as", "reason to file it under", r));
        let chosen = usize::from(as_reason.is_some()) + usize::from(raw.new) + usize::from(raw.external);
        let target = match (as_reason, raw.new, raw.external) {
            _ if chosen != 1 => {
                check.push(FieldError::new(
                    "as",
                    format!(
                        "{} where it should count: give one of a reason to file it under, new (a reason of its own) or external (outside your control)",
                        if chosen == 0 { "nothing says" } else { "more than one choice says" }
                    ),
                ));
                None
            }
            (Some(r), _, _) => check.take(r).map(RefileTarget::As),
            (None, true, _) => Some(RefileTarget::New),
            (None, _, _) => Some(RefileTarget::External),
        };
        let (Some(contact), Some(text), Some(target)) = (contact, text, target) else {
            return Err(check.invalid());
        };
        Ok(RefileRequest { contact, text, target })
    }

    pub fn contact(&self) -> i64 {
        self.contact
    }
}

/// The reason to make the focus: a label, a way to say it, or `#id`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FocusSetRequest {
    pub(crate) reason: String,
}

impl FocusSetRequest {
    pub fn new(raw: &str) -> Result<FocusSetRequest, Invalid> {
        Ok(FocusSetRequest { reason: name("reason", "reason", raw)? })
    }
}

/// Suggestions for a reason being typed, as received.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RawSuggest {
    pub text: String,
    /// Only controllable (`true`) or only external (`false`) reasons.
    pub controllable: Option<bool>,
    /// 1 to 20 (default 5).
    pub limit: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuggestRequest {
    pub(crate) text: String,
    pub(crate) controllable: Option<bool>,
    pub(crate) limit: u32,
}

impl SuggestRequest {
    pub fn new(raw: RawSuggest) -> Result<SuggestRequest, Invalid> {
        let mut check = Check::default();
        let text = check.take(super::text("text", Some(&raw.text), MAX_NAME));
        let limit = check.take(within("limit", raw.limit.unwrap_or(5), 1..=MAX_SUGGESTIONS, "suggestions"));
        let (Some(text), Some(limit)) = (text, limit) else {
            return Err(check.invalid());
        };
        Ok(SuggestRequest { text: text.unwrap_or_default(), controllable: raw.controllable, limit })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_are_bounded() {
        assert_eq!(TrendRequest::new(RawTrend::default()).unwrap().weeks, DEFAULT_TREND_WEEKS);
        let raw = RawTrend { weeks: Some(2_000_000), last: None };
        assert_eq!(TrendRequest::new(raw).unwrap_err().first().field, "weeks");
        assert!(ReasonsRequest::new(Some(0)).is_err());
        assert!(WeekRequest::new(Some("2026-W99")).is_err());
        assert_eq!(WeekRequest::new(Some(" ")).unwrap(), WeekRequest::current());
    }

    #[test]
    fn labels_are_names() {
        let raw = RawRename { reason: "#3".into(), label: " ".into() };
        assert_eq!(RenameRequest::new(raw).unwrap_err().first().field, "label");
        let raw = RawMerge { from: "a\u{1b}".into(), into: "b".into() };
        assert_eq!(MergeRequest::new(raw).unwrap_err().first().field, "from");
    }
}
