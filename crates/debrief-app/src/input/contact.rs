//! Requests about contacts: log, edit, list.

use debrief_core::IsoWeek;
use debrief_core::ValidationError;
use debrief_core::entry::{self, ReasonInput};
use debrief_core::model::{Channel, Outcome, ReasonId};
use debrief_core::when::Tense;
use jiff::Timestamp;
use serde::Deserialize;

use super::{
    Check, Context, FieldError, Invalid, MAX_EXTERNAL, MAX_LIMIT, MAX_OFFSET, MAX_TEXT, id, keyword, name, text, time,
    week, within,
};

/// A reason as received: its text, what the rep would do differently, the
/// reason of the vocabulary it was picked as (if any), and whether it touched the client.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RawReason {
    pub text: String,
    pub do_differently: Option<String>,
    pub reason_id: Option<i64>,
    pub affected_client: bool,
    /// Keep the words as a reason of their own, never matched to another.
    pub own: bool,
}

impl RawReason {
    pub fn text(text: impl Into<String>) -> RawReason {
        RawReason { text: text.into(), ..RawReason::default() }
    }
}

/// A contact to log, as received.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawLog {
    pub client: String,
    pub outcome: String,
    /// When it happened; now when `None` or blank.
    pub at: Option<String>,
    /// `call` when `None` or blank.
    pub channel: Option<String>,
    pub new_lead: bool,
    /// Reasons the rep could control, at most two.
    pub reasons: Vec<RawReason>,
    /// Reasons the rep could not control.
    pub external: Vec<RawReason>,
    pub better: Option<String>,
    pub note: Option<String>,
    /// Every controllable reason touched the client (needs at least one).
    pub affected_client: bool,
}

/// A reason of a checked request.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReasonEntry {
    pub text: String,
    pub do_differently: Option<String>,
    /// Pinned to this reason of the vocabulary instead of matching the text.
    pub reason: Option<ReasonId>,
    /// The mistake touched the client: an ownership item is opened for it.
    pub affected_client: bool,
    /// Kept as a reason of its own (the rep said so), never matched to another.
    pub own: bool,
}

/// A contact to log, checked: every field within its limits and the debrief
/// keeping the rules of the loop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRequest {
    pub(crate) client: String,
    pub(crate) outcome: Outcome,
    pub(crate) at: Option<Timestamp>,
    pub(crate) channel: Channel,
    pub(crate) new_lead: bool,
    pub(crate) reasons: Vec<ReasonEntry>,
    pub(crate) external: Vec<ReasonEntry>,
    pub(crate) better: Option<String>,
    pub(crate) note: Option<String>,
}

/// What checking a contact to log found, when a missing reason may still be asked for.
#[derive(Debug)]
pub enum LogCheck {
    Ready(LogRequest),
    /// Everything is right but a lost contact has no reason yet: ask for one
    /// and check again.
    NeedsReason(RawLog),
}

impl LogRequest {
    /// The one checked constructor.
    pub fn new(raw: RawLog, cx: &Context) -> Result<LogRequest, Invalid> {
        let mut check = Check::default();
        let fields = Fields::read(&raw, cx, &mut check);
        let (Some(fields), true) = (fields, check.is_clean()) else {
            return Err(check.invalid());
        };
        fields.debrief_rules(&mut check);
        check.done()?;
        Ok(fields.request)
    }

    /// Like [`LogRequest::new`], but a lost contact without any reason is
    /// handed back to be completed (interactive use) when nothing else is wrong.
    pub fn check(raw: RawLog, cx: &Context) -> Result<LogCheck, Invalid> {
        let needs_reason = is_lost(&raw.outcome) && raw.reasons.is_empty() && raw.external.is_empty();
        if !needs_reason {
            return LogRequest::new(raw, cx).map(LogCheck::Ready);
        }
        let mut probe = raw.clone();
        probe.external.push(RawReason::text("-"));
        LogRequest::new(probe, cx).map(|_| LogCheck::NeedsReason(raw))
    }

    pub fn client(&self) -> &str {
        &self.client
    }

    pub fn outcome(&self) -> Outcome {
        self.outcome
    }

    pub fn new_lead(&self) -> bool {
        self.new_lead
    }

    /// Marks the contact as a new lead (asked interactively for an unknown client).
    pub fn set_new_lead(&mut self, new_lead: bool) {
        self.new_lead = new_lead;
    }

    /// The reasons as typed, those the rep could control first: each text,
    /// whether it was given as controllable, and whether the rep already
    /// said where it counts.
    pub fn typed_reasons(&self) -> Vec<(String, bool, bool)> {
        let given = |r: &ReasonEntry, controllable| (r.text.clone(), controllable, r.reason.is_some() || r.own);
        self.reasons.iter().map(|r| given(r, true)).chain(self.external.iter().map(|r| given(r, false))).collect()
    }

    /// Files the reason at `index` of [`typed_reasons`](Self::typed_reasons)
    /// as the rep answered when asked. Moving a reason outside the rep's
    /// control keeps what they'd do differently as what they could have done
    /// better, when that is not written yet.
    pub fn settle(&mut self, index: usize, choice: Settle) {
        let mine = self.reasons.len();
        let entry = match index.checked_sub(mine) {
            None => self.reasons.get_mut(index),
            Some(i) => self.external.get_mut(i),
        };
        let Some(entry) = entry else { return };
        match choice {
            Settle::Reason(id) => entry.reason = Some(id),
            Settle::Own => entry.own = true,
            Settle::Outside if index < mine => {
                let mut entry = self.reasons.remove(index);
                if let Some(d) = entry.do_differently.take() {
                    self.better.get_or_insert(d);
                }
                entry.affected_client = false;
                self.external.push(entry);
            }
            Settle::Outside => {}
        }
    }
}

/// Where the rep, asked, said a typed reason counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Settle {
    /// Under this reason of the vocabulary.
    Reason(ReasonId),
    /// As a reason of its own, in the rep's words.
    Own,
    /// Outside the rep's control (for a reason given as the rep's).
    Outside,
}

fn is_lost(outcome: &str) -> bool {
    outcome.parse::<Outcome>() == Ok(Outcome::Lost)
}

/// The fields of a contact read one by one, before the rules across them.
struct Fields {
    request: LogRequest,
}

impl Fields {
    fn read(raw: &RawLog, cx: &Context, check: &mut Check) -> Option<Fields> {
        let client = check.take(name("client", "client name", &raw.client));
        let outcome = check.take(keyword::<Outcome>("outcome", &raw.outcome));
        let channel = check.take(optional(raw.channel.as_deref()).map_or(Ok(Channel::Call), |c| keyword("channel", c)));
        let at = check.take(optional(raw.at.as_deref()).map(|t| happened("at", t, cx)).transpose());
        let reasons = reasons(&raw.reasons, raw.affected_client, check);
        let external = external(&raw.external, check);
        let better = check.take(text("better", raw.better.as_deref(), MAX_TEXT));
        let note = check.take(text("note", raw.note.as_deref(), MAX_TEXT));
        let (Some(client), Some(outcome), Some(channel), Some(at), Some(better), Some(note)) =
            (client, outcome, channel, at, better, note)
        else {
            return None;
        };
        let request =
            LogRequest { client, outcome, at, channel, new_lead: raw.new_lead, reasons, external, better, note };
        Some(Fields { request })
    }

    /// The rules of a debrief across fields (the domain's).
    fn debrief_rules(&self, check: &mut Check) {
        let r = &self.request;
        let inputs: Vec<ReasonInput> = r
            .reasons
            .iter()
            .map(|e| ReasonInput { text: e.text.clone(), do_differently: e.do_differently.clone() })
            .collect();
        let external: Vec<String> = r.external.iter().map(|e| e.text.clone()).collect();
        if let Err(e) = entry::check(r.outcome, &inputs, &external) {
            check.push(validation(e));
        }
    }
}

/// How far ahead a contact's time may be: contacts are things that happened
/// (a day's slack for a clock or a zone set wrong); the future is for follow-ups.
pub const CONTACT_AHEAD: jiff::SignedDuration = jiff::SignedDuration::from_hours(24);

/// The time of a contact: something that happened, at most a day ahead of now.
fn happened(field: &'static str, value: &str, cx: &Context) -> Result<Timestamp, FieldError> {
    let at = time(field, value, cx, Tense::Past)?;
    if at > cx.now() + CONTACT_AHEAD {
        let when = crate::summary::human_time(at, cx.tz());
        return Err(FieldError::new(
            field,
            format!("{when} is more than a day ahead: a contact is logged once it happened (plan it as a follow-up)"),
        ));
    }
    Ok(at)
}

/// A blank optional value is not given.
fn optional(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

/// Where a broken rule of the debrief shows, and its words.
pub(crate) fn validation(e: ValidationError) -> FieldError {
    let field = match &e {
        ValidationError::LostWithoutReason | ValidationError::TooManyReasons(_) => "reasons",
        ValidationError::DoWithoutReason(_) => "do_differently",
        ValidationError::EmptyClient => "client",
        ValidationError::EmptyText("external reason") => "external",
        ValidationError::EmptyText(_) => "reasons",
    };
    FieldError::new(field, e.to_string())
}

fn reasons(raw: &[RawReason], affected_all: bool, check: &mut Check) -> Vec<ReasonEntry> {
    if affected_all && raw.iter().all(|r| r.text.trim().is_empty()) {
        check.push(FieldError::new(
            "affected_client",
            "\"it affected the client\" needs a reason you could have controlled: say which mistake touched the client",
        ));
    }
    if raw.len() > entry::MAX_CONTROLLABLE {
        check.push(validation(ValidationError::TooManyReasons(raw.len())));
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let do_differently =
            check.take(text("do_differently", r.do_differently.as_deref(), MAX_TEXT).map_err(|e| e.at_index(i)));
        if r.text.trim().is_empty() {
            let e = match do_differently {
                Some(Some(_)) => ValidationError::DoWithoutReason(i + 1),
                _ => ValidationError::EmptyText("reason"),
            };
            check.push(validation(e).at_index(i));
            continue;
        }
        let text = check.take(name("reasons", "reason", &r.text).map_err(|e| e.at_index(i)));
        let reason = check.take(r.reason_id.map(|n| id("reason_id", n).map(ReasonId)).transpose());
        if let (Some(text), Some(do_differently), Some(reason)) = (text, do_differently, reason) {
            let affected_client = r.affected_client || affected_all;
            out.push(ReasonEntry { text, do_differently, reason, affected_client, own: r.own });
        }
    }
    out
}

fn external(raw: &[RawReason], check: &mut Check) -> Vec<ReasonEntry> {
    if raw.len() > MAX_EXTERNAL {
        check.push(FieldError::new(
            "external",
            format!("{} external reasons given: at most {MAX_EXTERNAL} (keep the ones that decided it)", raw.len()),
        ));
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        if r.do_differently.as_deref().is_some_and(|d| !d.trim().is_empty()) {
            check.push(
                FieldError::new(
                    "external",
                    "\"what I'd do differently\" goes with a reason you could control, not an external one",
                )
                .at_index(i),
            );
        }
        if r.text.trim().is_empty() {
            check.push(validation(ValidationError::EmptyText("external reason")).at_index(i));
            continue;
        }
        let text = check.take(name("external", "external reason", &r.text).map_err(|e| e.at_index(i)));
        let reason = check.take(r.reason_id.map(|n| id("reason_id", n).map(ReasonId)).transpose());
        if let (Some(text), Some(reason)) = (text, reason) {
            out.push(ReasonEntry { text, do_differently: None, reason, affected_client: false, own: r.own });
        }
    }
    out
}

/// A correction to a contact, as received: each field given replaces the stored one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawEdit {
    pub id: i64,
    pub client: Option<String>,
    pub outcome: Option<String>,
    pub at: Option<String>,
    pub channel: Option<String>,
    pub new_lead: Option<bool>,
    /// Replaces every controllable reason.
    pub reasons: Option<Vec<RawReason>>,
    /// Replaces every external reason.
    pub external: Option<Vec<RawReason>>,
    /// Removes every reason (alone: not with `reasons` or `external`).
    pub clear_reasons: bool,
    /// `Some(None)` or blank clears it.
    pub better: Option<Option<String>>,
    pub note: Option<Option<String>>,
    /// Every controllable reason given touched the client.
    pub affected_client: bool,
}

/// A checked correction. The whole contact is checked again against the
/// rules of the loop when it is applied to the stored one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditRequest {
    pub(crate) id: i64,
    pub(crate) client: Option<String>,
    pub(crate) outcome: Option<Outcome>,
    pub(crate) at: Option<Timestamp>,
    pub(crate) channel: Option<Channel>,
    pub(crate) new_lead: Option<bool>,
    pub(crate) reasons: Option<Vec<ReasonEntry>>,
    pub(crate) external: Option<Vec<ReasonEntry>>,
    pub(crate) better: Option<Option<String>>,
    pub(crate) note: Option<Option<String>>,
}

impl EditRequest {
    pub fn new(raw: RawEdit, cx: &Context) -> Result<EditRequest, Invalid> {
        let mut check = Check::default();
        let id = check.take(id("id", raw.id));
        let client = check.take(raw.client.as_deref().map(|c| name("client", "client name", c)).transpose());
        let outcome = check.take(optional(raw.outcome.as_deref()).map(|o| keyword("outcome", o)).transpose());
        let at = check.take(optional(raw.at.as_deref()).map(|t| happened("at", t, cx)).transpose());
        let channel = check.take(optional(raw.channel.as_deref()).map(|c| keyword("channel", c)).transpose());
        if raw.clear_reasons && (raw.reasons.is_some() || raw.external.is_some()) {
            check.push(FieldError::new(
                "clear_reasons",
                "clearing removes every reason: clear alone, or give new reasons to replace them",
            ));
        }
        if raw.affected_client && raw.reasons.is_none() {
            reasons(&[], true, &mut check);
        }
        let (mine, theirs) = match raw.clear_reasons {
            true => (Some(Vec::new()), Some(Vec::new())),
            false => (
                raw.reasons.as_deref().map(|r| reasons(r, raw.affected_client, &mut check)),
                raw.external.as_deref().map(|r| external(r, &mut check)),
            ),
        };
        let better = check.take(raw.better.as_ref().map(|b| text("better", b.as_deref(), MAX_TEXT)).transpose());
        let note = check.take(raw.note.as_ref().map(|n| text("note", n.as_deref(), MAX_TEXT)).transpose());
        let (Some(id), Some(client), Some(outcome), Some(at), Some(channel), Some(better), Some(note), true) =
            (id, client, outcome, at, channel, better, note, check.is_clean())
        else {
            return Err(check.invalid());
        };
        let new_lead = raw.new_lead;
        Ok(EditRequest { id, client, outcome, at, channel, new_lead, reasons: mine, external: theirs, better, note })
    }

    pub fn id(&self) -> i64 {
        self.id
    }
}

/// Which contacts to list, as received.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RawList {
    /// An ISO week like `2026-W47`.
    pub week: Option<String>,
    pub outcome: Option<String>,
    /// A reason: its label, a way to say it, or `#id`.
    pub reason: Option<String>,
    /// Contacts per page, 1 to 500 (default 50).
    pub limit: Option<u32>,
    /// Contacts to skip (default 0).
    pub offset: Option<u32>,
}

/// Which contacts to list, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListRequest {
    pub(crate) week: Option<IsoWeek>,
    pub(crate) outcome: Option<Outcome>,
    pub(crate) reason: Option<String>,
    pub(crate) limit: u32,
    pub(crate) offset: u32,
}

/// Contacts on a page when no limit is given.
pub const DEFAULT_LIMIT: u32 = 50;

impl ListRequest {
    pub fn new(raw: RawList) -> Result<ListRequest, Invalid> {
        let mut check = Check::default();
        let week = check.take(optional(raw.week.as_deref()).map(|w| week("week", w)).transpose());
        let outcome = check.take(optional(raw.outcome.as_deref()).map(|o| keyword("outcome", o)).transpose());
        let reason = check.take(optional(raw.reason.as_deref()).map(|r| name("reason", "reason", r)).transpose());
        let limit = check.take(within("limit", raw.limit.unwrap_or(DEFAULT_LIMIT), 1..=MAX_LIMIT, "contacts per page"));
        let offset = check.take(within("offset", raw.offset.unwrap_or(0), 0..=MAX_OFFSET, "contacts to skip"));
        let (Some(week), Some(outcome), Some(reason), Some(limit), Some(offset)) =
            (week, outcome, reason, limit, offset)
        else {
            return Err(check.invalid());
        };
        Ok(ListRequest { week, outcome, reason, limit, offset })
    }

    pub fn limit(&self) -> u32 {
        self.limit
    }

    pub fn offset(&self) -> u32 {
        self.offset
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::tz::TimeZone;

    fn cx() -> Context {
        Context::new(TimeZone::UTC, "2026-11-25T12:00:00Z".parse().unwrap())
    }

    fn lost(reasons: &[&str]) -> RawLog {
        RawLog {
            client: "Acme".into(),
            outcome: "lost".into(),
            reasons: reasons.iter().map(|r| RawReason::text(*r)).collect(),
            ..RawLog::default()
        }
    }

    #[test]
    fn a_good_contact_is_checked_once() {
        let req = LogRequest::new(lost(&["no budget talk"]), &cx()).unwrap();
        assert_eq!((req.client(), req.outcome(), req.channel), ("Acme", Outcome::Lost, Channel::Call));
    }

    #[test]
    fn every_field_at_fault_is_named() {
        let raw = RawLog {
            client: " ".into(),
            outcome: "maybe".into(),
            at: Some("someday".into()),
            better: Some("x".repeat(2001)),
            ..RawLog::default()
        };
        let fields: Vec<&str> = LogRequest::new(raw, &cx()).unwrap_err().errors().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["client", "outcome", "at", "better"]);
    }

    #[test]
    fn the_rules_of_a_debrief_hold_for_every_door() {
        let e = LogRequest::new(lost(&[]), &cx()).unwrap_err();
        assert_eq!(e.first().field, "reasons");
        assert!(e.to_string().starts_with("a lost contact needs at least one reason"));
        assert!(LogRequest::new(lost(&["a", "b", "c"]), &cx()).unwrap_err().to_string().contains("at most two"));
        let mut raw = lost(&[""]);
        raw.reasons[0].do_differently = Some("ask early".into());
        assert_eq!(LogRequest::new(raw, &cx()).unwrap_err().first().field, "do_differently");
        let mut raw = lost(&[]);
        raw.external = (0..11).map(|i| RawReason::text(format!("r{i}"))).collect();
        assert!(LogRequest::new(raw, &cx()).unwrap_err().to_string().contains("at most 10"));
        let raw = RawLog { affected_client: true, ..lost(&[]) };
        assert_eq!(LogRequest::new(raw, &cx()).unwrap_err().first().field, "affected_client");
    }

    #[test]
    fn a_lost_contact_may_wait_for_its_reason() {
        assert!(matches!(LogRequest::check(lost(&[]), &cx()), Ok(LogCheck::NeedsReason(_))));
        let bad = RawLog { client: String::new(), ..lost(&[]) };
        assert!(LogRequest::check(bad, &cx()).is_err(), "other faults are said at once");
    }

    #[test]
    fn lists_are_bounded() {
        assert_eq!(ListRequest::new(RawList::default()).unwrap().limit, DEFAULT_LIMIT);
        let raw = RawList { limit: Some(501), ..RawList::default() };
        assert_eq!(ListRequest::new(raw).unwrap_err().first().field, "limit");
    }

    #[test]
    fn an_edit_clears_reasons_alone() {
        let raw = RawEdit { id: 1, clear_reasons: true, reasons: Some(vec![]), ..RawEdit::default() };
        assert_eq!(EditRequest::new(raw, &cx()).unwrap_err().first().field, "clear_reasons");
        let raw = RawEdit { id: 0, ..RawEdit::default() };
        assert_eq!(EditRequest::new(raw, &cx()).unwrap_err().first().field, "id");
    }
}
