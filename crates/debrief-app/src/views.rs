//! The serializable views: the stable JSON documents behind `--json` and the
//! API. Only these types derive `Serialize`, so a contract change shows up here.

use debrief_core::focus::Effect;
use debrief_core::model::Contact;
use debrief_core::stats::{Estimate, Rate};
use serde::{Serialize, Serializer};

/// A word of the domain (a state, a verdict, a kind) as the JSON contract
/// writes it: views hold the domain's enums, so interfaces compare types,
/// and serialize the same strings as ever.
pub trait Word: Copy {
    fn word(self) -> &'static str;
}

macro_rules! words {
    ($($t:ty),* $(,)?) => {
        $(impl Word for $t {
            fn word(self) -> &'static str {
                self.as_str()
            }
        })*
    };
}

words!(
    debrief_core::ownership::State,
    debrief_core::ownership::How,
    debrief_core::apology::Verdict,
    debrief_core::daily::DayState,
    debrief_core::focus::Verdict,
    debrief_core::stats::Change,
);

/// Serializes a [`Word`] as its string.
pub(crate) fn word<S: Serializer, W: Word>(w: &W, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(w.word())
}

/// Serializes an optional [`Word`] as its string or null.
pub(crate) fn word_opt<S: Serializer, W: Word>(w: &Option<W>, s: S) -> Result<S::Ok, S::Error> {
    match w {
        Some(w) => s.serialize_str(w.word()),
        None => s.serialize_none(),
    }
}

/// Whether a focus was chosen by the rep or is suggested by the ranking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum FocusStatus {
    Set,
    Suggested,
}

/// How a typed reason was filed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Filing {
    /// Counted under an existing reason.
    Matched,
    /// Added to the vocabulary as a reason of its own.
    New,
}

/// A rate as a point estimate with its 95% Wilson interval, rounded to 4 places.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RateView {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

/// An instant as RFC 3339 in the user's time zone, to the second.
pub fn local_time(at: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> String {
    at.to_zoned(tz.clone()).strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

pub fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

impl RateView {
    /// `None` when the denominator is 0.
    pub fn of(rate: Rate) -> Option<RateView> {
        rate.estimate().map(|Estimate { value, low, high }| RateView {
            value: round4(value),
            low: round4(low),
            high: round4(high),
        })
    }
}

/// Counts kept beside a rate so it can always be read as "5 of 25".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CountView {
    pub hits: u64,
    pub total: u64,
}

impl From<Rate> for CountView {
    fn from(r: Rate) -> CountView {
        CountView { hits: r.hits, total: r.total }
    }
}

/// One reason's standing in a week or a window.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonRankView {
    pub id: i64,
    pub reason: String,
    pub controllable: bool,
    pub lost_contacts: u64,
    pub share_of_lost: f64,
    /// Contacts of any outcome the reason appears on.
    pub contacts: u64,
    pub repeated: bool,
    /// The weeks it was seen in, oldest first.
    pub weeks: Vec<String>,
}

/// A "what I'd do differently" line written in an earlier week.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LessonView {
    pub reason: String,
    pub week: String,
    pub contact: i64,
    pub text: String,
}

/// The measured effect of a focus.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EffectView {
    /// Lost contacts with the reason out of lost contacts, before the focus.
    pub before: CountView,
    pub after: CountView,
    pub before_share: Option<RateView>,
    pub after_share: Option<RateView>,
    pub p_value: Option<f64>,
    /// "too few contacts to tell", "appears less often", "appears more often", "no clear change yet".
    #[serde(serialize_with = "word")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub verdict: debrief_core::focus::Verdict,
}

impl From<Effect> for EffectView {
    fn from(e: Effect) -> EffectView {
        EffectView {
            before: e.before.into(),
            after: e.after.into(),
            before_share: RateView::of(e.before),
            after_share: RateView::of(e.after),
            p_value: e.p_value.map(round4),
            verdict: e.verdict,
        }
    }
}

/// The focus: set by the rep, or suggested from the ranking.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FocusView {
    pub reason: String,
    pub id: i64,
    /// "set" or "suggested".
    pub status: FocusStatus,
    /// When it was set (RFC 3339), for a set focus.
    pub since: Option<String>,
    /// `since` as people read it: "Mon 19 Oct".
    pub since_when: Option<String>,
    pub effect: Option<EffectView>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeView {
    /// "improved", "declined", "within noise" or "no previous week".
    #[serde(serialize_with = "word")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub success_rate: debrief_core::stats::Change,
    pub previous_week: String,
    pub previous_success: CountView,
    /// The two-proportion test's p-value against the previous week, when there is one.
    pub p_value: Option<f64>,
}

/// `debrief week --json`: the contract other parts and scripts rely on.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekView {
    pub week: String,
    pub rep: String,
    pub contacts: u64,
    pub won: u64,
    pub lost: u64,
    pub success_rate: Option<RateView>,
    pub new_leads: u64,
    pub converted: u64,
    pub conversion_rate: Option<RateView>,
    pub reasons: Vec<ReasonRankView>,
    pub repeated: Vec<String>,
    pub focus: Option<FocusView>,
    pub change: ChangeView,
    /// Earlier "what I'd do differently" lines for this week's top controllable reasons.
    pub lessons: Vec<LessonView>,
    /// Mistakes that touched a client and are not yet owned.
    pub ownership: OwnershipSummaryView,
    /// This week's contacts whose reason came back after a commitment on it.
    pub recurred_after_commitment: Vec<RecurrenceView>,
    /// Recoveries from mishaps not yet resolved.
    pub open_recoveries: Vec<OpenRecoveryView>,
    /// The week in plain words: what is shown first.
    pub summary: crate::summary::WeekSummaryView,
    /// Lost contacts imported from a CRM still waiting for their reason
    /// (all weeks): until filed, they count in no reason's rank.
    pub triage_waiting: u64,
}

/// "2 mistakes not yet owned, oldest 9 days".
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OwnershipSummaryView {
    pub not_owned: usize,
    pub oldest_days: Option<i64>,
    pub without_commitment: usize,
    /// Empty when nothing is open.
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecurrenceView {
    pub reason: String,
    pub contact: Option<i64>,
    pub at: String,
    /// `at` as people read it.
    pub when: String,
    pub committed_at: String,
    pub commitment: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenRecoveryView {
    pub id: i64,
    pub kind: &'static str,
    pub what: String,
    pub age_days: i64,
}

/// `debrief reasons --json`: reasons ranked over a window of weeks.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonsView {
    pub rep: String,
    pub from_week: String,
    pub to_week: String,
    pub lost: u64,
    pub reasons: Vec<ReasonRankView>,
    pub suggested_focus: Option<String>,
    /// Lost contacts imported from a CRM still waiting for their reason (all weeks).
    pub triage_waiting: u64,
}

/// One reason of the vocabulary.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VocabularyEntryView {
    pub id: i64,
    pub reason: String,
    pub controllable: bool,
    pub texts: Vec<String>,
}

/// One week of `debrief trend`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendWeekView {
    pub week: String,
    pub contacts: u64,
    pub won: u64,
    pub lost: u64,
    pub success_rate: Option<RateView>,
    pub new_leads: u64,
    pub converted: u64,
    pub conversion_rate: Option<RateView>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TrendView {
    pub rep: String,
    pub weeks: Vec<TrendWeekView>,
    /// First half of the window against the second half.
    pub success_change: &'static str,
}

/// A reason as written on a contact.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactReasonView {
    pub reason: String,
    pub reason_id: i64,
    pub text: String,
    pub controllable: bool,
    pub do_differently: Option<String>,
}

/// What a re-file did (`debrief reasons refile --json`, the API, the web).
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefiledView {
    /// The contact as it is now.
    pub contact: ContactView,
    /// The reason as written, unchanged.
    pub text: String,
    /// The reason it counted under before.
    pub from: String,
    pub from_id: i64,
    /// The reason it counts under now.
    pub to: String,
    pub to_id: i64,
    /// Whether it now counts as something the rep could control.
    pub controllable: bool,
    /// The own-up item of the mistake went (it now counts as outside the rep's control).
    pub ownership_removed: bool,
    /// Where to re-file it to undo this: `#id` of the reason it counted under before.
    pub undo_as: String,
}

/// A stored contact.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactView {
    pub id: i64,
    pub client: String,
    pub at: String,
    /// `at` as people read it: "Fri 27 Nov 2026, 18:00".
    pub when: String,
    pub week: String,
    pub channel: &'static str,
    pub outcome: &'static str,
    pub new_lead: bool,
    pub reasons: Vec<ContactReasonView>,
    pub better: Option<String>,
    pub note: Option<String>,
}

impl ContactView {
    pub fn new(c: &Contact, labels: impl Fn(i64) -> String, tz: &jiff::tz::TimeZone) -> ContactView {
        ContactView {
            id: c.id.0,
            client: c.client_name.clone(),
            at: local_time(c.at, tz),
            when: crate::summary::human_time_with_year(c.at, tz),
            week: debrief_core::IsoWeek::of(c.at, tz).to_string(),
            channel: c.channel.as_str(),
            outcome: c.outcome.as_str(),
            new_lead: c.new_lead,
            reasons: c
                .reasons
                .iter()
                .map(|r| ContactReasonView {
                    reason: labels(r.reason.0),
                    reason_id: r.reason.0,
                    text: r.text.clone(),
                    controllable: r.controllable,
                    do_differently: r.do_differently.clone(),
                })
                .collect(),
            better: c.better.clone(),
            note: c.note.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactListView {
    pub total: u64,
    pub offset: u32,
    pub contacts: Vec<ContactView>,
}

/// How a reason text on a newly logged contact was understood.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoggedReasonView {
    pub text: String,
    pub reason: String,
    pub reason_id: i64,
    pub controllable: bool,
    /// "matched" (counted under an existing reason) or "new" (added to the vocabulary).
    pub matched: Filing,
    /// Contacts of this week, this one included, that carry the reason.
    pub this_week: u64,
    /// "what I'd do differently" written for it, if any.
    pub do_differently: Option<String>,
    /// How sure the filing is, in `0..=1`: 1 for a known text or a picked reason.
    pub confidence: f64,
    /// Filed without needing a question (an unsure one is worth a look).
    pub certain: bool,
    /// The closest other reason ("or did you mean …"): the runner-up of a
    /// counted text, the closest reason of one kept as new.
    pub runner_up: Option<String>,
    /// The words of the text the filing rests on.
    pub words: Vec<String>,
    /// The text reads as the other side than it was given as (the client's
    /// doing given as the rep's mistake, or the other way round): kept as
    /// written, a reason of its own, never merged.
    pub kept_apart: bool,
}

/// What `debrief log` returns.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LogView {
    pub contact: ContactView,
    pub reasons: Vec<LoggedReasonView>,
    /// The week so far: won of decided (won + lost) contacts.
    pub week_won: u64,
    pub week_decided: u64,
    pub week_contacts: u64,
    /// The one line that turns the contact into the next step.
    pub next_step: String,
    /// Reasons that came back after a commitment to change them.
    pub recurred: Vec<String>,
}

/// A reason suggested while typing, with how often it occurred this week.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SuggestionView {
    pub id: i64,
    pub reason: String,
    pub controllable: bool,
    /// How likely the reason is meant, `0..=1`: for a starter reason the
    /// learned model's probability (1 for a text written exactly as one of
    /// its texts), for a reason a user added its words and meaning.
    pub score: f64,
    pub this_week: u64,
}

/// How a typed reason would be filed, before anything is stored: the
/// interactive CLI asks when it is not certain or reads as the other side.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FilingPreview {
    /// The reason it would count under, `None` for a reason of its own.
    pub reason_id: Option<i64>,
    pub reason: Option<String>,
    pub certain: bool,
    /// It reads as the other side than it was given as.
    pub reads_other_side: bool,
    /// The closest reasons of the side it was given as, best first.
    pub choices: Vec<SuggestionView>,
}

/// What `debrief demo` did.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DemoView {
    pub reps: u32,
    pub weeks: u32,
    pub contacts: u64,
    pub seconds: f64,
    pub contacts_per_second: f64,
}

/// Ordinal suffix: 1st, 2nd, 3rd, 4th, 11th, 21st.
pub fn ordinal(n: u64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals() {
        let got: Vec<_> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111].map(ordinal).into();
        assert_eq!(got, ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"]);
    }

    #[test]
    fn rates_round_to_four_places_and_vanish_without_a_denominator() {
        let v = RateView::of(Rate::new(5, 25)).unwrap();
        assert_eq!(serde_json::to_string(&v).unwrap(), r#"{"value":0.2,"low":0.0886,"high":0.3913}"#);
        assert_eq!(RateView::of(Rate::new(0, 0)), None);
    }
}
