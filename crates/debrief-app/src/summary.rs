//! The week said in plain words, the way a rep reads it in thirty seconds:
//! a headline, the focus and whether it works, the mistakes you could
//! control with your own lessons, what came back after a commitment grouped
//! per reason, and what was outside your control counted apart. Numbers keep
//! their counts and intervals, in words ("likely between 11% and 40%");
//! p-values stay in the JSON document.

use std::collections::BTreeMap;

use debrief_core::focus::Verdict;
use debrief_core::ownership::Recurrence;
use debrief_core::review::RankedReason;
use debrief_core::stats::{Change, Rate};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::views::{FocusStatus, FocusView, LessonView, RateView};

/// How many of the rep's own reasons the summary shows.
pub const TOP_REASONS: usize = 3;

/// The week at a glance: what `debrief week` and the week page show first.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekSummaryView {
    /// "Mon 23 Nov – Sun 29 Nov 2026".
    pub dates: String,
    /// "7 of 31 decided contacts won — 23%, about the same as last week."
    pub headline: String,
    /// "Likely between 11% and 40%." (none without a decided contact).
    pub likely: Option<String>,
    /// "Of the 11 new leads first contacted this week, 2 are clients so far."
    pub new_leads: String,
    /// One line on the focus and whether it works; none without a focus.
    pub focus: Option<String>,
    /// The reasons you could have controlled, most lost deals first, with your lessons.
    pub yours: Vec<TopReasonView>,
    /// Reasons that came back after you committed to change them, one line each.
    pub recurred: Vec<RecurrenceGroupView>,
    /// What was outside your control, counted apart.
    pub outside: Vec<OutsideView>,
}

/// One of the rep's own reasons of the week.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopReasonView {
    pub id: i64,
    pub reason: String,
    pub lost_contacts: u64,
    /// On two or more lost contacts this week.
    pub repeated: bool,
    /// It is the rep's focus.
    pub focus: bool,
    /// What the rep said they would do differently, newest first, without repeats.
    pub lessons: Vec<String>,
}

/// A reason that came back after a commitment, however often.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecurrenceGroupView {
    pub reason: String,
    /// Contacts this week it came back on.
    pub times: u64,
    /// When the commitment was made ("Wed 11 Nov").
    pub committed: String,
    pub commitment: String,
    /// The last time it came back ("Fri 27 Nov, 12:58").
    pub last: String,
}

/// A reason outside the rep's control and the lost contacts it was on.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutsideView {
    pub reason: String,
    pub lost_contacts: u64,
}

/// "Mon 30 Nov, 14:24" in `tz`.
pub fn human_time(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%a %-d %b, %H:%M").to_string()
}

/// "Fri 27 Nov 2026, 18:00" in `tz`: a time read apart from any week.
pub fn human_time_with_year(at: Timestamp, tz: &TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%a %-d %b %Y, %H:%M").to_string()
}

/// "Mon 30 Nov" in `tz`, with the year when it is not `now`'s.
pub fn human_date(at: Timestamp, now: Timestamp, tz: &TimeZone) -> String {
    let (at, now) = (at.to_zoned(tz.clone()), now.to_zoned(tz.clone()));
    if at.year() == now.year() { at.strftime("%a %-d %b").to_string() } else { at.strftime("%a %-d %b %Y").to_string() }
}

/// "1 lost deal", "3 lost deals".
pub fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn percent(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

/// "likely between 11% and 40%".
pub fn likely(rate: Option<RateView>) -> Option<String> {
    rate.map(|r| format!("likely between {} and {}", percent(r.low), percent(r.high)))
}

/// "Likely between 11% and 40%.", the sentence the summary shows.
pub fn likely_line(rate: Option<RateView>) -> Option<String> {
    rate.map(|r| format!("Likely between {} and {}.", percent(r.low), percent(r.high)))
}

/// "about the same as last week", "better than last week", …
pub fn change_words(change: Change) -> &'static str {
    match change {
        Change::Improved => "better than last week",
        Change::Declined => "worse than last week",
        Change::WithinNoise => "about the same as last week",
        Change::NoPrevious => "nothing decided last week to compare with",
    }
}

/// The headline of a week.
pub fn headline(contacts: u64, success: Rate, change: Change) -> String {
    if contacts == 0 {
        return "Nothing logged this week yet.".to_string();
    }
    if success.total == 0 {
        return format!("{} logged, none decided yet.", count(contacts, "contact", "contacts"));
    }
    let share = percent(success.hits as f64 / success.total as f64);
    format!("{} of {} decided contacts won — {share}, {}.", success.hits, success.total, change_words(change))
}

/// What the new-lead figure means, in words.
pub fn new_leads(leads: u64, converted: u64) -> String {
    match leads {
        0 => "No new leads first contacted this week.".to_string(),
        1 => format!(
            "Of the 1 new lead first contacted this week, {} so far.",
            if converted == 1 { "it is a client" } else { "none is a client" }
        ),
        n => format!(
            "Of the {n} new leads first contacted this week, {} so far.",
            match converted {
                0 => "none is a client".to_string(),
                1 => "1 is a client".to_string(),
                c => format!("{c} are clients"),
            }
        ),
    }
}

/// One line on the focus: what it is, since when, and whether it works.
pub fn focus_line(focus: &FocusView, since: Option<String>) -> String {
    if focus.status == FocusStatus::Suggested {
        return format!("Suggested focus: “{}” — the mistake that cost you the most lost deals lately.", focus.reason);
    }
    let since = since.map(|s| format!(" since {s}")).unwrap_or_default();
    let Some(effect) = &focus.effect else {
        return format!("Focus: “{}”{since}.", focus.reason);
    };
    let shares = match (effect.after_share, effect.before_share) {
        (Some(after), Some(before)) => {
            format!(": on {} of lost contacts since, {} before", percent(after.value), percent(before.value))
        }
        _ => String::new(),
    };
    let verdict = match effect.verdict {
        Verdict::TooFew => format!("too few lost contacts to tell yet ({} since)", effect.after.total),
        Verdict::Rarer => format!("it is working{shares}"),
        Verdict::MoreOften => format!("it comes up more often{shares}"),
        Verdict::NoClearChange => format!("no clear change yet{shares}"),
    };
    format!("Focus: “{}”{since} — {verdict}.", focus.reason)
}

/// The rep's own reasons of the week, most lost deals first, with the
/// lessons written for each.
pub fn yours(ranked: &[RankedReason], focus: Option<i64>, lessons: &[LessonView]) -> Vec<TopReasonView> {
    ranked
        .iter()
        .filter(|r| r.reason.controllable)
        .take(TOP_REASONS)
        .map(|r| {
            let mut own: Vec<String> = Vec::new();
            for l in lessons.iter().filter(|l| l.reason == r.reason.label) {
                if !own.contains(&l.text) {
                    own.push(l.text.clone());
                }
            }
            TopReasonView {
                id: r.reason.id.0,
                reason: r.reason.label.clone(),
                lost_contacts: r.lost_contacts,
                repeated: r.repeated(),
                focus: focus == Some(r.reason.id.0),
                lessons: own,
            }
        })
        .collect()
}

/// The reasons outside the rep's control, with their lost contacts.
pub fn outside(ranked: &[RankedReason]) -> Vec<OutsideView> {
    ranked
        .iter()
        .filter(|r| !r.reason.controllable)
        .map(|r| OutsideView { reason: r.reason.label.clone(), lost_contacts: r.lost_contacts })
        .collect()
}

/// Recurrences after a commitment, one group per reason: how often this
/// week, the commitment, the last time.
pub fn recurred(
    recurrences: &[Recurrence],
    label: impl Fn(debrief_core::model::ReasonId) -> String,
    now: Timestamp,
    tz: &TimeZone,
) -> Vec<RecurrenceGroupView> {
    let mut groups: BTreeMap<i64, (u64, &Recurrence, Timestamp)> = BTreeMap::new();
    for r in recurrences {
        let entry = groups.entry(r.reason.0).or_insert((0, r, r.at));
        entry.0 += 1;
        entry.2 = entry.2.max(r.at);
        if r.committed_at > entry.1.committed_at {
            entry.1 = r;
        }
    }
    let mut out: Vec<(Timestamp, RecurrenceGroupView)> = groups
        .into_values()
        .map(|(times, r, last)| {
            let view = RecurrenceGroupView {
                reason: label(r.reason),
                times,
                committed: human_date(r.committed_at, now, tz),
                commitment: r.commitment.clone(),
                last: human_time(last, tz),
            };
            (last, view)
        })
        .collect();
    out.sort_by(|a, b| b.1.times.cmp(&a.1.times).then(b.0.cmp(&a.0)));
    out.into_iter().map(|(_, v)| v).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_headline_says_the_week_in_words() {
        assert_eq!(
            headline(43, Rate::new(7, 31), Change::WithinNoise),
            "7 of 31 decided contacts won — 23%, about the same as last week."
        );
        assert_eq!(headline(0, Rate::default(), Change::NoPrevious), "Nothing logged this week yet.");
        assert_eq!(headline(1, Rate::default(), Change::NoPrevious), "1 contact logged, none decided yet.");
        let r = RateView { value: 0.23, low: 0.114, high: 0.398 };
        assert_eq!(likely(Some(r)).as_deref(), Some("likely between 11% and 40%"));
    }

    #[test]
    fn new_leads_say_what_they_count() {
        assert_eq!(new_leads(11, 2), "Of the 11 new leads first contacted this week, 2 are clients so far.");
        assert_eq!(new_leads(1, 1), "Of the 1 new lead first contacted this week, it is a client so far.");
        assert_eq!(new_leads(3, 1), "Of the 3 new leads first contacted this week, 1 is a client so far.");
        assert_eq!(new_leads(0, 0), "No new leads first contacted this week.");
    }

    #[test]
    fn dates_are_for_people() {
        let tz = TimeZone::get("Pacific/Auckland").unwrap();
        let at: Timestamp = "2026-11-30T01:24:00Z".parse().unwrap();
        assert_eq!(human_time(at, &tz), "Mon 30 Nov, 14:24");
        assert_eq!(human_date(at, at, &tz), "Mon 30 Nov");
        let later: Timestamp = "2027-02-01T00:00:00Z".parse().unwrap();
        assert_eq!(human_date(at, later, &tz), "Mon 30 Nov 2026");
    }
}
