//! Whether the focused reason really became rarer: its share of lost contacts
//! before the focus was set against its share since.

use crate::model::{Contact, Outcome, ReasonId};
use crate::stats::{Rate, two_proportion_p};

/// How many weeks before the focus was set serve as its baseline.
pub const BASELINE_WEEKS: u32 = 8;

/// Each side needs at least this many lost contacts before anything is claimed.
pub const MIN_LOST_EACH_SIDE: u64 = 10;

/// What the numbers say about a focus so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Not enough lost contacts on one side to say anything.
    TooFew,
    /// The reason appears on a smaller share of lost contacts (p < 0.05).
    Rarer,
    /// The reason appears on a larger share of lost contacts (p < 0.05).
    MoreOften,
    /// Enough data, but the difference is within noise.
    NoClearChange,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::TooFew => "too few contacts to tell",
            Verdict::Rarer => "appears less often",
            Verdict::MoreOften => "appears more often",
            Verdict::NoClearChange => "no clear change yet",
        }
    }
}

/// The measured effect of a focus.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Effect {
    /// Lost contacts with the reason, out of lost contacts, before the focus.
    pub before: Rate,
    /// The same since the focus was set.
    pub after: Rate,
    /// Two-sided p-value of the difference, when defined.
    pub p_value: Option<f64>,
    pub verdict: Verdict,
}

/// Lost contacts carrying `reason` out of all lost `contacts`.
pub fn share_of_lost(contacts: &[Contact], reason: ReasonId) -> Rate {
    let lost = contacts.iter().filter(|c| c.outcome == Outcome::Lost);
    let (hits, total) = lost.fold((0, 0), |(hits, total), c| {
        let has = c.reasons.iter().any(|r| r.reason == reason);
        (hits + u64::from(has), total + 1)
    });
    Rate::new(hits, total)
}

/// Compares the reason's share of lost contacts before and after the focus.
pub fn effect(reason: ReasonId, before: &[Contact], after: &[Contact]) -> Effect {
    compare_shares(share_of_lost(before, reason), share_of_lost(after, reason))
}

/// The verdict on two shares of lost contacts: before the focus and since.
pub fn compare_shares(before: Rate, after: Rate) -> Effect {
    let p_value = two_proportion_p(before, after);
    let verdict = if before.total < MIN_LOST_EACH_SIDE || after.total < MIN_LOST_EACH_SIDE {
        Verdict::TooFew
    } else {
        match p_value {
            Some(p) if p < 0.05 => {
                let rate = |r: Rate| r.hits as f64 / r.total as f64;
                if rate(after) < rate(before) { Verdict::Rarer } else { Verdict::MoreOften }
            }
            _ => Verdict::NoClearChange,
        }
    };
    Effect { before, after, p_value, verdict }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::tests::contact;

    fn lost(n: usize, with_reason: usize, start: i64) -> Vec<Contact> {
        (0..n)
            .map(|i| {
                let reasons: &[(i64, bool)] = if i < with_reason { &[(1, true)] } else { &[(2, true)] };
                contact(start + i as i64, "2026-11-16T10:00:00Z", Outcome::Lost, reasons)
            })
            .collect()
    }

    #[test]
    fn too_few_until_both_sides_have_enough() {
        let e = effect(ReasonId(1), &lost(30, 15, 0), &lost(4, 0, 100));
        assert_eq!(e.verdict, Verdict::TooFew);
        assert_eq!((e.after.hits, e.after.total), (0, 4));
    }

    #[test]
    fn a_real_drop_is_reported() {
        let e = effect(ReasonId(1), &lost(40, 20, 0), &lost(40, 4, 100));
        assert_eq!(e.verdict, Verdict::Rarer);
        assert!(e.p_value.unwrap() < 0.05);
        assert_eq!(e.before, Rate::new(20, 40));
    }

    #[test]
    fn noise_is_not_a_change() {
        let e = effect(ReasonId(1), &lost(20, 6, 0), &lost(20, 5, 100));
        assert_eq!(e.verdict, Verdict::NoClearChange);
        let e = effect(ReasonId(1), &lost(40, 4, 0), &lost(40, 20, 100));
        assert_eq!(e.verdict, Verdict::MoreOften);
    }

    #[test]
    fn only_lost_contacts_count() {
        let mut contacts = lost(3, 1, 0);
        contacts.push(contact(9, "2026-11-16T10:00:00Z", Outcome::Won, &[(1, true)]));
        assert_eq!(share_of_lost(&contacts, ReasonId(1)), Rate::new(1, 3));
    }
}
