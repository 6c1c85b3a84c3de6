//! Requests of the later steps of the loop: own up, recover from a mishap,
//! check an apology, follow up, the daily question; and demo data.

use debrief_core::followup::MAX_DAYS;
use debrief_core::mishap::{MishapKind, Step};
use debrief_core::ownership::How;
use jiff::Timestamp;
use jiff::civil::Date;

use super::{
    Check, Context, FieldError, Invalid, MAX_AGENDA_DAYS, MAX_TEXT, echo, id, keyword, name, required_text, text, time,
    within,
};

/// Owning up to a mistake with the client, as received.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawOwnUp {
    pub id: i64,
    /// call, email or in-person.
    pub how: String,
    pub said: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnUpRequest {
    pub(crate) id: i64,
    pub(crate) how: How,
    pub(crate) said: String,
}

impl OwnUpRequest {
    pub fn new(raw: RawOwnUp) -> Result<OwnUpRequest, Invalid> {
        let mut check = Check::default();
        let id = check.take(id("id", raw.id));
        let how = check.take(keyword::<How>("how", &raw.how));
        let said = check.take(required_text("said", "what you said", &raw.said, MAX_TEXT));
        let (Some(id), Some(how), Some(said)) = (id, how, said) else {
            return Err(check.invalid());
        };
        Ok(OwnUpRequest { id, how, said })
    }
}

/// What will be different from now on, as received.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawOwnCommit {
    pub id: i64,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnCommitRequest {
    pub(crate) id: i64,
    pub(crate) text: String,
}

impl OwnCommitRequest {
    pub fn new(raw: RawOwnCommit) -> Result<OwnCommitRequest, Invalid> {
        let mut check = Check::default();
        let id = check.take(id("id", raw.id));
        let text = check.take(required_text("commitment", "commitment", &raw.text, MAX_TEXT));
        let (Some(id), Some(text)) = (id, text) else {
            return Err(check.invalid());
        };
        Ok(OwnCommitRequest { id, text })
    }
}

/// A mishap to recover from, as received.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawOpenMishap {
    pub client: String,
    /// late, missed-meeting, system-failure or other.
    pub kind: String,
    pub what: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenMishapRequest {
    pub(crate) client: String,
    pub(crate) kind: MishapKind,
    pub(crate) what: String,
}

impl OpenMishapRequest {
    pub fn new(raw: RawOpenMishap) -> Result<OpenMishapRequest, Invalid> {
        let mut check = Check::default();
        let client = check.take(name("client", "client name", &raw.client));
        let kind = check.take(keyword::<MishapKind>("kind", &raw.kind));
        let what = check.take(required_text("what", "description of what happened", &raw.what, MAX_TEXT));
        let (Some(client), Some(kind), Some(what)) = (client, kind, what) else {
            return Err(check.invalid());
        };
        Ok(OpenMishapRequest { client, kind, what })
    }
}

/// A step of a recovery, as received.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawMishapStep {
    pub id: i64,
    /// told-ahead, apologized, plan, accepted, resolved or asked-advice.
    pub step: String,
    pub text: Option<String>,
    pub client_said: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MishapStepRequest {
    pub(crate) id: i64,
    pub(crate) step: Step,
    pub(crate) text: Option<String>,
    pub(crate) client_said: Option<String>,
}

impl MishapStepRequest {
    pub fn new(raw: RawMishapStep) -> Result<MishapStepRequest, Invalid> {
        let mut check = Check::default();
        let id = check.take(id("id", raw.id));
        let step = check.take(keyword::<Step>("step", &raw.step));
        let text = check.take(text("text", raw.text.as_deref(), MAX_TEXT));
        let client_said = check.take(text_field("client_said", raw.client_said.as_deref()));
        let (Some(id), Some(step), Some(text), Some(client_said)) = (id, step, text, client_said) else {
            return Err(check.invalid());
        };
        Ok(MishapStepRequest { id, step, text, client_said })
    }
}

fn text_field(field: &'static str, value: Option<&str>) -> Result<Option<String>, FieldError> {
    text(field, value, MAX_TEXT)
}

/// A draft apology or plan to check for excuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApologyRequest {
    pub(crate) text: String,
}

impl ApologyRequest {
    pub fn new(raw: &str) -> Result<ApologyRequest, Invalid> {
        let text = required_text("text", "apology", raw, MAX_TEXT)?;
        Ok(ApologyRequest { text })
    }

    /// The text checked (trimmed, lines ended with `\n`): what the findings' offsets count in.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// The agenda: how many days ahead (0 = today; default 7).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DueRequest {
    pub(crate) days: u32,
}

impl DueRequest {
    pub fn new(days: Option<u32>) -> Result<DueRequest, Invalid> {
        let days = within("days", days.unwrap_or(7), 0..=MAX_AGENDA_DAYS, "days")?;
        Ok(DueRequest { days })
    }

    pub fn days(&self) -> u32 {
        self.days
    }
}

/// Moving a follow-up later, as received.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawSnooze {
    pub id: i64,
    pub days: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnoozeRequest {
    pub(crate) id: i64,
    pub(crate) days: i64,
}

impl SnoozeRequest {
    pub fn new(raw: RawSnooze) -> Result<SnoozeRequest, Invalid> {
        let mut check = Check::default();
        let id = check.take(id("id", raw.id));
        let days = check.take(within("days", raw.days, 1..=i64::from(MAX_DAYS), "days"));
        let (Some(id), Some(days)) = (id, days) else {
            return Err(check.invalid());
        };
        Ok(SnoozeRequest { id, days })
    }
}

/// A follow-up added by hand, as received.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawAddFollowUp {
    pub client: String,
    pub at: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddFollowUpRequest {
    pub(crate) client: String,
    pub(crate) due: Timestamp,
    pub(crate) note: String,
}

impl AddFollowUpRequest {
    pub fn new(raw: RawAddFollowUp, cx: &Context) -> Result<AddFollowUpRequest, Invalid> {
        let mut check = Check::default();
        let client = check.take(name("client", "client name", &raw.client));
        let due = check.take(time("at", &raw.at, cx, debrief_core::when::Tense::Future));
        let note = check.take(required_text("note", "note", &raw.note, MAX_TEXT));
        let (Some(client), Some(due), Some(note)) = (client, due, note) else {
            return Err(check.invalid());
        };
        Ok(AddFollowUpRequest { client, due, note })
    }
}

/// The daily question's answer, as received: items, or "nothing to
/// improve", or a note on why an earlier day was missed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RawDaily {
    pub items: Vec<String>,
    pub nothing: bool,
    /// A past working day without an entry (`YYYY-MM-DD`), with `note`.
    pub missed: Option<String>,
    pub note: Option<String>,
}

/// Most items in one day's answer.
pub const MAX_ITEMS: usize = 20;

/// The daily answer, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DailyRequest {
    Items(Vec<String>),
    NothingToImprove,
    Missed { date: Date, note: String },
}

impl DailyRequest {
    pub fn new(raw: RawDaily) -> Result<DailyRequest, Invalid> {
        let items: Vec<&String> = raw.items.iter().filter(|i| !i.trim().is_empty()).collect();
        let given = [!items.is_empty(), raw.nothing, raw.missed.is_some()].iter().filter(|g| **g).count();
        if given > 1 {
            return Err(FieldError::new(
                "items",
                "give one answer: the things you could have done better, \"nothing to improve\", or a missed-day note",
            )
            .into());
        }
        if let Some(date) = raw.missed.as_deref() {
            let mut check = Check::default();
            let date = check.take(day("missed", date));
            let note = check.take(required_text("note", "note", raw.note.as_deref().unwrap_or(""), MAX_TEXT));
            let (Some(date), Some(note)) = (date, note) else {
                return Err(check.invalid());
            };
            return Ok(DailyRequest::Missed { date, note });
        }
        if raw.note.as_deref().is_some_and(|n| !n.trim().is_empty()) {
            return Err(FieldError::new("note", "a note goes with a missed day: give the day it explains").into());
        }
        if raw.nothing {
            return Ok(DailyRequest::NothingToImprove);
        }
        if items.len() > MAX_ITEMS {
            return Err(FieldError::new("items", format!("{} items given: at most {MAX_ITEMS}", items.len())).into());
        }
        let mut check = Check::default();
        let items: Vec<String> = items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                check.take(required_text("items", "item", item, MAX_TEXT).map_err(|e| e.at_index(i)))
            })
            .collect();
        check.done()?;
        if items.is_empty() {
            return Err(FieldError::new(
                "items",
                "the entry is empty: write what you could have done better, or say \"nothing to improve today\"",
            )
            .into());
        }
        Ok(DailyRequest::Items(items))
    }
}

/// A calendar day `YYYY-MM-DD` within the years any date may have.
fn day(field: &'static str, value: &str) -> Result<Date, FieldError> {
    let date: Date = value.trim().parse().map_err(|_| {
        FieldError::new(field, format!("\"{}\" is not a date: expected YYYY-MM-DD", echo(value.trim())))
    })?;
    if !super::YEARS.contains(&date.year()) {
        return Err(FieldError::new(field, format!("the year {} is out of range", date.year())));
    }
    Ok(date)
}

/// Demo data to fill an empty database with, as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawDemo {
    pub reps: u32,
    pub weeks: u32,
    pub per_week: u32,
    pub seed: u64,
}

impl Default for RawDemo {
    fn default() -> RawDemo {
        RawDemo { reps: 1, weeks: 12, per_week: 48, seed: 1 }
    }
}

/// Most reps of demo data.
pub const MAX_DEMO_REPS: u32 = 1000;
/// Most weeks of demo data.
pub const MAX_DEMO_WEEKS: u32 = 520;
/// Most contacts per rep and week of demo data.
pub const MAX_DEMO_PER_WEEK: u32 = 10_000;
/// Most contacts of demo data in all.
pub const MAX_DEMO_CONTACTS: u64 = 20_000_000;

/// Demo data, checked: every number bounded before anything is allocated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoRequest {
    pub(crate) reps: u32,
    pub(crate) weeks: u32,
    pub(crate) per_week: u32,
    pub(crate) seed: u64,
}

impl DemoRequest {
    pub fn new(raw: RawDemo) -> Result<DemoRequest, Invalid> {
        let mut check = Check::default();
        let reps = check.take(within("reps", raw.reps, 1..=MAX_DEMO_REPS, "reps"));
        let weeks = check.take(within("weeks", raw.weeks, 1..=MAX_DEMO_WEEKS, "weeks"));
        let per_week = check.take(within("per_week", raw.per_week, 1..=MAX_DEMO_PER_WEEK, "contacts per week"));
        let (Some(reps), Some(weeks), Some(per_week)) = (reps, weeks, per_week) else {
            return Err(check.invalid());
        };
        let total = u64::from(reps) * u64::from(weeks) * u64::from(per_week);
        if total > MAX_DEMO_CONTACTS {
            return Err(FieldError::new(
                "per_week",
                format!("{total} demo contacts is too many: at most {MAX_DEMO_CONTACTS} (fewer reps, weeks or contacts per week)"),
            )
            .into());
        }
        Ok(DemoRequest { reps, weeks, per_week, seed: raw.seed })
    }

    pub fn weeks(&self) -> u32 {
        self.weeks
    }
}

impl crate::DemoOptions {
    /// The demo data a checked request asks for, the first rep being `rep`.
    pub fn new(rep: &super::RepName, req: &DemoRequest) -> crate::DemoOptions {
        crate::DemoOptions {
            first_rep: rep.to_string(),
            reps: req.reps,
            weeks: req.weeks,
            contacts_per_week: req.per_week,
            seed: req.seed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_and_ownership_read_their_keywords() {
        let raw = RawOwnUp { id: 3, how: "fax".into(), said: String::new() };
        let fields: Vec<&str> = OwnUpRequest::new(raw).unwrap_err().errors().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["how", "said"]);
        let raw = RawOpenMishap { client: "Acme".into(), kind: "bogus".into(), what: "late".into() };
        assert!(OpenMishapRequest::new(raw).unwrap_err().to_string().contains("expected one of late"));
    }

    #[test]
    fn numbers_are_bounded_before_any_work() {
        assert!(SnoozeRequest::new(RawSnooze { id: 1, days: 3651 }).is_err());
        assert!(SnoozeRequest::new(RawSnooze { id: 1, days: 0 }).is_err());
        assert!(DueRequest::new(Some(100_000)).is_err());
        let huge = RawDemo { reps: u32::MAX, ..RawDemo::default() };
        assert_eq!(DemoRequest::new(huge).unwrap_err().first().field, "reps");
        let many = RawDemo { reps: 1000, weeks: 520, per_week: 10_000, seed: 1 };
        assert!(DemoRequest::new(many).unwrap_err().to_string().contains("too many"));
    }

    #[test]
    fn one_daily_answer_at_a_time() {
        let both = RawDaily { items: vec!["x".into()], nothing: true, ..RawDaily::default() };
        assert!(DailyRequest::new(both).is_err());
        let missed =
            RawDaily { missed: Some("2026-11-20".into()), note: Some("offsite".into()), ..RawDaily::default() };
        assert!(matches!(DailyRequest::new(missed), Ok(DailyRequest::Missed { .. })));
        assert!(DailyRequest::new(RawDaily::default()).is_err());
    }
}
