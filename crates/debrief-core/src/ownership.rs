//! Owning up to a mistake that affected a client: the ownership item
//! `open` → `owned` (when, how, what was said) → `committed` (what will be
//! different), the summary of what is still open, and recurrence of a reason
//! after a commitment on it.
//!
//! Decisions:
//!
//! * Only a **controllable** reason of a contact can open an item: the
//!   mistake has to be one the rep could have avoided.
//! * The states go strictly in order. A commitment needs the item owned
//!   first (the commitment is what you tell the client when you own up), so
//!   `commit` on an open item is an error that says to own it first; a caller
//!   doing both at once calls `own` then `commit`. Owning twice or committing
//!   twice is an error too: the record of what was said stays as said.
//! * "Still open" for the week review means *not yet owned*; items owned but
//!   without a commitment are counted separately.
//! * Ages are whole civil days in the user's time zone (opened Monday, seen
//!   Wednesday: 2 days), so a DST change never makes a day of 23 hours count
//!   as none.
//! * A reason **recurs** when a contact after the commitment's time carries
//!   the same canonical reason, with any client: the commitment was not to
//!   make that mistake again.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use thiserror::Error;

use crate::error::ParseError;
use crate::mishap::civil_days_between;
use crate::model::{ClientId, Contact, ContactId, ReasonId};

/// An ownership item as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OwnershipId(pub i64);

impl fmt::Display for OwnershipId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// How the rep owned up.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum How {
    Call,
    Email,
    InPerson,
}

impl How {
    pub const ALL: [How; 3] = [How::Call, How::Email, How::InPerson];

    pub fn as_str(self) -> &'static str {
        match self {
            How::Call => "call",
            How::Email => "email",
            How::InPerson => "in-person",
        }
    }
}

impl fmt::Display for How {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for How {
    type Err = ParseError;

    /// `call`, `email`, `in-person` (also `in_person`, `In Person`).
    fn from_str(s: &str) -> Result<How, ParseError> {
        let wanted = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        How::ALL.into_iter().find(|h| h.as_str() == wanted).ok_or_else(|| ParseError::Keyword {
            what: "way of owning up",
            got: s.to_string(),
            valid: How::ALL.map(How::as_str).join(", "),
        })
    }
}

/// Where an item stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum State {
    Open,
    Owned,
    Committed,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Open => "open",
            State::Owned => "owned",
            State::Committed => "committed",
        }
    }
}

/// A transition that is not allowed: nothing changes.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum OwnershipError {
    #[error("reason {reason} is not on contact {contact}: flag one of the contact's own reasons")]
    ReasonNotOnContact { contact: ContactId, reason: ReasonId },
    #[error("reason {0} is not controllable: only a mistake you could have avoided opens an ownership item")]
    NotControllable(ReasonId),
    #[error("the {0} is empty: write a few words")]
    EmptyText(&'static str),
    #[error("item {id} was already owned at {at}: what was said stays as recorded")]
    AlreadyOwned { id: OwnershipId, at: Timestamp },
    #[error(
        "item {0} is not owned yet: record how you owned up first (--owned --how call|email|in-person --said TEXT)"
    )]
    NotOwnedYet(OwnershipId),
    #[error("item {id} already has a commitment since {at}: it stays as recorded")]
    AlreadyCommitted { id: OwnershipId, at: Timestamp },
}

/// The owning-up: when, how and what was said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Owned {
    pub at: Timestamp,
    pub how: How,
    pub said: String,
}

/// What will be different.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commitment {
    pub at: Timestamp,
    pub text: String,
}

/// An item about to be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOwnership {
    pub contact: ContactId,
    pub client: ClientId,
    pub reason: ReasonId,
    pub opened_at: Timestamp,
}

/// Opens an item for `reason` of `contact`, flagged as having affected the
/// client. The reason must be one of the contact's controllable reasons.
pub fn open(contact: &Contact, reason: ReasonId, now: Timestamp) -> Result<NewOwnership, OwnershipError> {
    let note = contact
        .reasons
        .iter()
        .find(|r| r.reason == reason)
        .ok_or(OwnershipError::ReasonNotOnContact { contact: contact.id, reason })?;
    if !note.controllable {
        return Err(OwnershipError::NotControllable(reason));
    }
    Ok(NewOwnership { contact: contact.id, client: contact.client, reason, opened_at: now })
}

/// An ownership item as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnershipItem {
    pub id: OwnershipId,
    pub contact: ContactId,
    pub client: ClientId,
    pub reason: ReasonId,
    pub opened_at: Timestamp,
    pub owned: Option<Owned>,
    pub committed: Option<Commitment>,
}

fn non_empty(text: &str, what: &'static str) -> Result<String, OwnershipError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(OwnershipError::EmptyText(what));
    }
    Ok(text.to_string())
}

impl OwnershipItem {
    pub fn state(&self) -> State {
        match (&self.owned, &self.committed) {
            (_, Some(_)) => State::Committed,
            (Some(_), None) => State::Owned,
            (None, None) => State::Open,
        }
    }

    /// Records the owning-up. On error nothing changes.
    pub fn own(&mut self, how: How, said: &str, now: Timestamp) -> Result<(), OwnershipError> {
        if let Some(o) = &self.owned {
            return Err(OwnershipError::AlreadyOwned { id: self.id, at: o.at });
        }
        let said = non_empty(said, "text of what you said")?;
        self.owned = Some(Owned { at: now, how, said });
        Ok(())
    }

    /// Records what will be different. Needs the item owned first.
    pub fn commit(&mut self, text: &str, now: Timestamp) -> Result<(), OwnershipError> {
        if let Some(c) = &self.committed {
            return Err(OwnershipError::AlreadyCommitted { id: self.id, at: c.at });
        }
        if self.owned.is_none() {
            return Err(OwnershipError::NotOwnedYet(self.id));
        }
        let text = non_empty(text, "commitment")?;
        self.committed = Some(Commitment { at: now, text });
        Ok(())
    }

    /// Whole civil days since the item was opened, in `tz`.
    pub fn age_days(&self, now: Timestamp, tz: &TimeZone) -> i64 {
        civil_days_between(self.opened_at, now, tz)
    }
}

/// The items that still need something (open or owned without a
/// commitment), oldest first: what `debrief own` lists.
pub fn pending_oldest_first(items: &[OwnershipItem]) -> Vec<&OwnershipItem> {
    let mut pending: Vec<&OwnershipItem> = items.iter().filter(|i| i.state() != State::Committed).collect();
    pending.sort_by_key(|i| (i.opened_at, i.id));
    pending
}

/// What the week review and the dashboard say about ownership.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct OpenSummary {
    /// Items not yet owned.
    pub not_owned: usize,
    /// Age in days of the oldest item not yet owned.
    pub oldest_days: Option<i64>,
    /// Items owned but without a commitment yet.
    pub without_commitment: usize,
}

impl OpenSummary {
    pub fn is_clear(&self) -> bool {
        self.not_owned == 0 && self.without_commitment == 0
    }
}

/// Counts what is still open, with the age of the oldest, as of `now`.
pub fn open_summary(items: &[OwnershipItem], now: Timestamp, tz: &TimeZone) -> OpenSummary {
    let open = items.iter().filter(|i| i.state() == State::Open);
    OpenSummary {
        not_owned: open.clone().count(),
        oldest_days: open.map(|i| i.age_days(now, tz)).max(),
        without_commitment: items.iter().filter(|i| i.state() == State::Owned).count(),
    }
}

fn plural(n: impl Into<i64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

impl fmt::Display for OpenSummary {
    /// "2 mistakes not yet owned, oldest 9 days; 1 owned without a commitment".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if self.not_owned > 0 {
            let mut s = format!("{} not yet owned", plural(self.not_owned as i64, "mistake", "mistakes"));
            if let Some(days) = self.oldest_days {
                let age = plural(days, "day", "days");
                s += &if self.not_owned == 1 { format!(", {age} old") } else { format!(", oldest {age}") };
            }
            parts.push(s);
        }
        if self.without_commitment > 0 {
            parts.push(format!("{} owned without a commitment", self.without_commitment));
        }
        if parts.is_empty() {
            return f.write_str("every mistake owned and committed");
        }
        f.write_str(&parts.join("; "))
    }
}

/// A reason that came back after a commitment on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recurrence {
    pub item: OwnershipId,
    pub reason: ReasonId,
    pub committed_at: Timestamp,
    pub commitment: String,
    /// The contact it recurred on (`None` for a contact not stored yet).
    pub contact: Option<ContactId>,
    pub at: Timestamp,
}

/// The commitments broken by a contact at `at` carrying `reasons`: for each
/// reason, the latest commitment on it made before `at`. Use it when logging,
/// before or after the contact is stored.
pub fn recurred(
    items: &[OwnershipItem],
    reasons: &[ReasonId],
    at: Timestamp,
    contact: Option<ContactId>,
) -> Vec<Recurrence> {
    let mut out = Vec::new();
    for &reason in reasons {
        let latest = items
            .iter()
            .filter(|i| i.reason == reason)
            .filter_map(|i| i.committed.as_ref().map(|c| (i, c)))
            .filter(|(_, c)| c.at < at)
            .max_by_key(|(i, c)| (c.at, i.id));
        if let Some((item, c)) = latest {
            out.push(Recurrence { item: item.id, reason, committed_at: c.at, commitment: c.text.clone(), contact, at });
        }
    }
    out
}

/// Every recurrence among `contacts` (say, a week's), in contact order: the
/// week review's "recurred after commitment".
pub fn recurrences(items: &[OwnershipItem], contacts: &[Contact]) -> Vec<Recurrence> {
    let mut sorted: Vec<&Contact> = contacts.iter().collect();
    sorted.sort_by_key(|c| (c.at, c.id));
    sorted
        .into_iter()
        .flat_map(|c| {
            let reasons: Vec<ReasonId> = c.reasons.iter().map(|r| r.reason).collect();
            recurred(items, &reasons, c.at, Some(c.id))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Channel, Outcome, ReasonNote, RepId};

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn contact(id: i64, at: &str, reasons: &[(i64, bool)]) -> Contact {
        Contact {
            id: ContactId(id),
            rep: RepId(1),
            client: ClientId(10 + id),
            client_name: format!("client {id}"),
            at: ts(at),
            channel: Channel::Call,
            outcome: Outcome::Lost,
            new_lead: false,
            reasons: reasons
                .iter()
                .map(|&(r, controllable)| ReasonNote {
                    reason: ReasonId(r),
                    text: format!("reason {r}"),
                    controllable,
                    do_differently: None,
                })
                .collect(),
            better: None,
            note: None,
        }
    }

    fn item(id: i64, reason: i64, opened: &str) -> OwnershipItem {
        OwnershipItem {
            id: OwnershipId(id),
            contact: ContactId(id),
            client: ClientId(1),
            reason: ReasonId(reason),
            opened_at: ts(opened),
            owned: None,
            committed: None,
        }
    }

    #[test]
    fn how_parses_and_lists_the_valid_ones() {
        for h in How::ALL {
            assert_eq!(h.to_string().parse::<How>().unwrap(), h);
        }
        assert_eq!("In Person".parse::<How>().unwrap(), How::InPerson);
        assert_eq!(
            "fax".parse::<How>().unwrap_err().to_string(),
            "unknown way of owning up \"fax\": expected one of call, email, in-person"
        );
    }

    #[test]
    fn only_a_controllable_reason_of_the_contact_opens_an_item() {
        let c = contact(1, "2026-03-29T09:00:00Z", &[(5, true), (6, false)]);
        let now = ts("2026-03-29T10:00:00Z");
        let new = open(&c, ReasonId(5), now).unwrap();
        assert_eq!(
            (new.contact, new.client, new.reason, new.opened_at),
            (ContactId(1), ClientId(11), ReasonId(5), now)
        );
        assert_eq!(open(&c, ReasonId(6), now), Err(OwnershipError::NotControllable(ReasonId(6))));
        assert_eq!(
            open(&c, ReasonId(7), now).unwrap_err().to_string(),
            "reason 7 is not on contact 1: flag one of the contact's own reasons"
        );
    }

    #[test]
    fn transitions_go_in_order_and_errors_change_nothing() {
        let t1 = ts("2026-10-24T08:00:00Z");
        let t2 = ts("2026-10-26T08:00:00Z");
        let mut i = item(3, 5, "2026-10-23T08:00:00Z");
        assert_eq!(i.state(), State::Open);
        let before = i.clone();
        let cases: [(Result<(), OwnershipError>, &str); 2] = [
            (
                i.commit("check the address", t1),
                "item 3 is not owned yet: record how you owned up first (--owned --how call|email|in-person --said TEXT)",
            ),
            (i.own(How::Call, "  ", t1), "the text of what you said is empty: write a few words"),
        ];
        for (result, msg) in cases {
            assert_eq!(result.unwrap_err().to_string(), msg);
        }
        assert_eq!(i, before);
        i.own(How::Call, " I'm sorry, I should have checked. ", t1).unwrap();
        assert_eq!(i.state(), State::Owned);
        assert_eq!(i.owned.as_ref().unwrap().said, "I'm sorry, I should have checked.");
        assert!(matches!(i.own(How::Email, "again", t2), Err(OwnershipError::AlreadyOwned { .. })));
        assert_eq!(i.commit("", t2), Err(OwnershipError::EmptyText("commitment")));
        i.commit("I confirm every delivery address by phone", t2).unwrap();
        assert_eq!(i.state(), State::Committed);
        assert_eq!(
            i.commit("more", t2).unwrap_err().to_string(),
            "item 3 already has a commitment since 2026-10-26T08:00:00Z: it stays as recorded"
        );
    }

    #[test]
    fn summary_counts_open_items_and_the_oldest_age() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        // Opened across the autumn DST change; seen on 2026-11-01 at 00:30 Berlin (still 31 Oct in UTC).
        let now = ts("2026-10-31T23:30:00Z");
        let mut owned = item(4, 1, "2026-10-30T08:00:00Z");
        owned.own(How::Email, "sorry", now).unwrap();
        let items = vec![item(1, 1, "2026-10-23T08:00:00Z"), item(2, 2, "2026-10-29T08:00:00Z"), owned];
        let s = open_summary(&items, now, &tz);
        assert_eq!(s, OpenSummary { not_owned: 2, oldest_days: Some(9), without_commitment: 1 });
        assert_eq!(s.to_string(), "2 mistakes not yet owned, oldest 9 days; 1 owned without a commitment");
        let one = open_summary(&items[1..2], now, &tz);
        assert_eq!(one.to_string(), "1 mistake not yet owned, 3 days old");
        assert_eq!(open_summary(&[], now, &tz).to_string(), "every mistake owned and committed");
        assert!(open_summary(&[], now, &tz).is_clear());
        let listed: Vec<_> = pending_oldest_first(&items).iter().map(|i| i.id.0).collect();
        assert_eq!(listed, [1, 2, 4]);
    }

    #[test]
    fn a_reason_recurs_only_after_the_commitment() {
        let mut i = item(1, 5, "2026-12-21T09:00:00Z");
        i.own(How::InPerson, "I'm sorry", ts("2026-12-22T09:00:00Z")).unwrap();
        i.commit("agenda sent a day ahead", ts("2026-12-23T09:00:00Z")).unwrap();
        let items = vec![i, item(2, 6, "2026-12-21T09:00:00Z")];
        let contacts = vec![
            contact(11, "2026-12-22T12:00:00Z", &[(5, true)]), // before the commitment
            contact(12, "2027-01-01T12:00:00Z", &[(5, true), (6, true)]), // 2026-W53: 5 recurs; 6 has no commitment
            contact(13, "2027-01-04T12:00:00Z", &[(7, true)]),
        ];
        let r = recurrences(&items, &contacts);
        assert_eq!(r.len(), 1);
        assert_eq!((r[0].item, r[0].reason, r[0].contact), (OwnershipId(1), ReasonId(5), Some(ContactId(12))));
        assert_eq!(r[0].commitment, "agenda sent a day ahead");
        let at_log = recurred(&items, &[ReasonId(5)], ts("2026-12-23T09:00:01Z"), None);
        assert_eq!(at_log.len(), 1, "logging says so at once");
        assert!(recurred(&items, &[ReasonId(5)], ts("2026-12-23T09:00:00Z"), None).is_empty());
    }
}
