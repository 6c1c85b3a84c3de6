//! The week review: success rate, new-lead conversion, reasons ranked, repeated
//! mistakes and the suggested focus, computed from contacts already read.

use std::collections::{BTreeSet, HashMap, HashSet};

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::model::{ClientId, Contact, Outcome, Reason, ReasonId};
use crate::stats::{Change, Rate, compare};
use crate::week::IsoWeek;

/// How many weeks, ending with the reviewed one, reasons are ranked over by default.
pub const RANK_WINDOW_WEEKS: u32 = 4;

/// A suggested focus must appear on at least this many lost contacts in the window.
pub const FOCUS_MIN_LOST: u64 = 2;

/// Won out of decided (won + lost) contacts.
pub fn success(contacts: &[Contact]) -> Rate {
    let won = count(contacts, Outcome::Won);
    Rate::new(won, won + count(contacts, Outcome::Lost))
}

pub fn count(contacts: &[Contact], outcome: Outcome) -> u64 {
    contacts.iter().filter(|c| c.outcome == outcome).count() as u64
}

/// The distinct clients logged as new leads among `contacts`, in order of first contact.
pub fn new_leads(contacts: &[Contact]) -> Vec<ClientId> {
    let mut seen = HashSet::new();
    contacts.iter().filter(|c| c.new_lead && seen.insert(c.client)).map(|c| c.client).collect()
}

/// New-lead conversion: of `leads`, the share in `won` (won by the time of the report).
pub fn conversion(leads: &[ClientId], won: &HashSet<ClientId>) -> Rate {
    let hits = leads.iter().filter(|c| won.contains(c)).count() as u64;
    Rate::new(hits, leads.len() as u64)
}

/// One reason's standing over a window of contacts.
#[derive(Clone, Debug, PartialEq)]
pub struct RankedReason {
    pub reason: Reason,
    /// Lost contacts the reason appears in.
    pub lost_contacts: u64,
    /// Contacts of any outcome the reason appears in.
    pub contacts: u64,
    /// `lost_contacts` out of every lost contact of the window.
    pub share_of_lost: f64,
    /// The weeks it was seen in, oldest first.
    pub weeks: Vec<IsoWeek>,
    pub last_seen: Timestamp,
}

/// A controllable reason on at least this many lost contacts of a week is "repeated".
pub const REPEATED_MIN_LOST: u64 = 2;

impl RankedReason {
    /// A mistake of the rep's on two or more lost contacts of the window (for
    /// a one-week window: "repeated this week"). External reasons are counted
    /// apart and never called repeated mistakes.
    pub fn repeated(&self) -> bool {
        self.reason.controllable && self.lost_contacts >= REPEATED_MIN_LOST
    }
}

/// Ranks the reasons of `contacts` by the lost contacts they appear in; ties go
/// to the most recently seen, then to the label. A reason that lost nothing
/// (seen only on won or open contacts) is not ranked. `vocabulary` names each
/// reason; reasons missing from it are skipped.
pub fn rank_reasons(contacts: &[Contact], vocabulary: &HashMap<ReasonId, Reason>, tz: &TimeZone) -> Vec<RankedReason> {
    let lost_total = count(contacts, Outcome::Lost);
    let mut by_reason: HashMap<ReasonId, Tally> = HashMap::new();
    for contact in contacts {
        // A reason written twice on one contact counts once for it.
        let ids: BTreeSet<ReasonId> = contact.reasons.iter().map(|r| r.reason).collect();
        for id in ids {
            by_reason.entry(id).or_default().add(contact, tz);
        }
    }
    let mut ranked: Vec<RankedReason> = by_reason
        .into_iter()
        .filter(|(_, tally)| tally.lost > 0)
        .filter_map(|(id, tally)| tally.finish(vocabulary.get(&id)?.clone(), lost_total))
        .collect();
    ranked.sort_by(|a, b| {
        b.lost_contacts
            .cmp(&a.lost_contacts)
            .then(b.last_seen.cmp(&a.last_seen))
            .then_with(|| a.reason.label.cmp(&b.reason.label))
    });
    ranked
}

#[derive(Default)]
struct Tally {
    lost: u64,
    contacts: u64,
    weeks: BTreeSet<IsoWeek>,
    last_seen: Option<Timestamp>,
}

impl Tally {
    fn add(&mut self, contact: &Contact, tz: &TimeZone) {
        self.contacts += 1;
        self.lost += u64::from(contact.outcome == Outcome::Lost);
        self.weeks.insert(IsoWeek::of(contact.at, tz));
        self.last_seen = self.last_seen.max(Some(contact.at));
    }

    fn finish(self, reason: Reason, lost_total: u64) -> Option<RankedReason> {
        let share = if lost_total == 0 { 0.0 } else { self.lost as f64 / lost_total as f64 };
        Some(RankedReason {
            reason,
            lost_contacts: self.lost,
            contacts: self.contacts,
            share_of_lost: share,
            weeks: self.weeks.into_iter().collect(),
            last_seen: self.last_seen?,
        })
    }
}

/// The highest-ranked controllable reason seen on at least [`FOCUS_MIN_LOST`]
/// lost contacts. External reasons are never suggested.
pub fn suggest_focus(ranked: &[RankedReason]) -> Option<&Reason> {
    ranked.iter().find(|r| r.reason.controllable && r.lost_contacts >= FOCUS_MIN_LOST).map(|r| &r.reason)
}

/// The numbers of one week, before any rendering.
#[derive(Clone, Debug, PartialEq)]
pub struct WeekNumbers {
    pub week: IsoWeek,
    pub contacts: u64,
    pub won: u64,
    pub lost: u64,
    pub success: Rate,
    pub conversion: Rate,
    pub change: Change,
}

/// Counts and rates of a week's contacts. `won_leads` holds the week's new
/// leads that have a won contact by report time; `previous` is the previous
/// week's success rate.
pub fn week_numbers(week: IsoWeek, contacts: &[Contact], won_leads: &HashSet<ClientId>, previous: Rate) -> WeekNumbers {
    let success = success(contacts);
    WeekNumbers {
        week,
        contacts: contacts.len() as u64,
        won: count(contacts, Outcome::Won),
        lost: count(contacts, Outcome::Lost),
        success,
        conversion: conversion(&new_leads(contacts), won_leads),
        change: compare(previous, success),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{Channel, ContactId, ReasonNote, RepId};

    pub(crate) fn contact(id: i64, at: &str, outcome: Outcome, reasons: &[(i64, bool)]) -> Contact {
        Contact {
            id: ContactId(id),
            rep: RepId(1),
            client: ClientId(id),
            client_name: format!("client {id}"),
            at: at.parse().unwrap(),
            channel: Channel::Call,
            outcome,
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

    pub(crate) fn vocabulary() -> HashMap<ReasonId, Reason> {
        [(1, "talked features", true), (2, "no budget question", true), (3, "chose a competitor", false)]
            .into_iter()
            .map(|(id, label, controllable)| {
                (ReasonId(id), Reason { id: ReasonId(id), label: label.into(), controllable })
            })
            .collect()
    }

    #[test]
    fn ranks_by_lost_contacts_then_recency() {
        let contacts = [
            contact(1, "2026-11-16T10:00:00Z", Outcome::Lost, &[(1, true), (3, false)]),
            contact(2, "2026-11-17T10:00:00Z", Outcome::Lost, &[(2, true), (3, false)]),
            contact(3, "2026-11-18T10:00:00Z", Outcome::Lost, &[(1, true), (3, false)]),
            contact(4, "2026-11-19T10:00:00Z", Outcome::Lost, &[(2, true)]),
            contact(5, "2026-11-19T11:00:00Z", Outcome::Won, &[]),
        ];
        let ranked = rank_reasons(&contacts, &vocabulary(), &TimeZone::UTC);
        let labels: Vec<_> = ranked.iter().map(|r| (r.reason.id.0, r.lost_contacts)).collect();
        // 3 leads with 3; 1 and 2 tie at 2 and 2 was seen last.
        assert_eq!(labels, [(3, 3), (2, 2), (1, 2)]);
        assert_eq!(ranked[0].share_of_lost, 0.75);
        // Repeated: a mistake of the rep's on two lost contacts; never the external reason.
        let repeated: Vec<i64> = ranked.iter().filter(|r| r.repeated()).map(|r| r.reason.id.0).collect();
        assert_eq!(repeated, [2, 1]);
        // The external reason leads, but only a controllable one is suggested.
        assert_eq!(suggest_focus(&ranked).unwrap().id, ReasonId(2));
        assert_eq!(success(&contacts), Rate::new(1, 5));
    }

    #[test]
    fn a_reason_that_lost_nothing_is_not_ranked() {
        let contacts = [
            contact(1, "2026-11-16T10:00:00Z", Outcome::Won, &[(1, true)]),
            contact(2, "2026-11-16T11:00:00Z", Outcome::Advanced, &[(1, true)]),
            contact(3, "2026-11-16T12:00:00Z", Outcome::Lost, &[(2, true)]),
        ];
        let ranked = rank_reasons(&contacts, &vocabulary(), &TimeZone::UTC);
        assert_eq!(ranked.iter().map(|r| r.reason.id.0).collect::<Vec<_>>(), [2]);
        assert!(!ranked[0].repeated(), "one lost contact is not a repetition");
    }

    #[test]
    fn no_suggestion_below_two_lost_contacts() {
        let contacts = [
            contact(1, "2026-11-16T10:00:00Z", Outcome::Lost, &[(1, true)]),
            contact(2, "2026-11-16T11:00:00Z", Outcome::Advanced, &[(1, true)]),
        ];
        let ranked = rank_reasons(&contacts, &vocabulary(), &TimeZone::UTC);
        assert_eq!(ranked[0].contacts, 2);
        assert!(!ranked[0].repeated());
        assert_eq!(suggest_focus(&ranked), None);
    }

    #[test]
    fn conversion_counts_each_lead_once() {
        let mut a = contact(1, "2026-11-16T10:00:00Z", Outcome::Pending, &[]);
        a.new_lead = true;
        let mut b = a.clone();
        b.id = ContactId(2);
        let mut c = contact(3, "2026-11-17T10:00:00Z", Outcome::Lost, &[]);
        c.new_lead = true;
        let leads = new_leads(&[a, b, c]);
        assert_eq!(leads, [ClientId(1), ClientId(3)]);
        let won = HashSet::from([ClientId(1)]);
        assert_eq!(conversion(&leads, &won), Rate::new(1, 2));
    }
}
