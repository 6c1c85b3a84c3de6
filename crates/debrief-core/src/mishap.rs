//! Recovering from a mishap (late, missed meeting, system failure): the
//! checklist of steps with their times, warnings for steps out of the usual
//! order, told-ahead versus told-after-the-fact, and the excuse check of
//! apology and plan texts.
//!
//! Decisions:
//!
//! * The checklist order is told-ahead → apologized → plan → accepted →
//!   resolved → asked-advice. Steps out of that order are **allowed** and
//!   said, as warnings ("resolved before a plan was agreed").
//! * A recovery is **closed** once `resolved` is recorded. Any further step is
//!   an error, except `asked-advice`: asking the client what to do differently
//!   next time is the checklist's last item and naturally comes after.
//! * A step may be recorded again (a revised plan, a second apology); that is
//!   said too, and the latest record is the one that counts.
//! * A `told-ahead` step recorded after the mishap's time (`Recovery::at`:
//!   when the meeting was, when the system failed) is "told after the fact".
//! * The `plan` step needs its text; other texts are optional. Apology and
//!   plan texts go through [`apology::check`]; excuses come back as a warning
//!   that carries the findings and their suggested wording.

use std::fmt;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use thiserror::Error;

use crate::apology::{self, ApologyCheck};
use crate::error::ParseError;
use crate::model::ClientId;

/// A recovery as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecoveryId(pub i64);

impl fmt::Display for RecoveryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// What went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MishapKind {
    Late,
    MissedMeeting,
    SystemFailure,
    Other,
}

/// One item of the recovery checklist, in its usual order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Step {
    ToldAhead,
    Apologized,
    Plan,
    Accepted,
    Resolved,
    AskedAdvice,
}

macro_rules! keywords {
    ($name:ident, $what:literal, [$($variant:ident => $text:literal),* $(,)?]) => {
        impl $name {
            pub const ALL: [$name; [$($name::$variant),*].len()] = [$($name::$variant),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }

        crate::model::keyword_enum!($name, $what);
    };
}

keywords!(MishapKind, "mishap kind", [
    Late => "late",
    MissedMeeting => "missed-meeting",
    SystemFailure => "system-failure",
    Other => "other",
]);

keywords!(Step, "recovery step", [
    ToldAhead => "told-ahead",
    Apologized => "apologized",
    Plan => "plan",
    Accepted => "accepted",
    Resolved => "resolved",
    AskedAdvice => "asked-advice",
]);

impl Step {
    /// The checklist wording.
    pub fn label(self) -> &'static str {
        match self {
            Step::ToldAhead => "client told ahead",
            Step::Apologized => "apologized",
            Step::Plan => "fix plan proposed",
            Step::Accepted => "client accepted the plan",
            Step::Resolved => "resolved",
            Step::AskedAdvice => "asked the client what we should do differently next time",
        }
    }

    /// The steps that usually come first, most important first.
    fn expects(self) -> &'static [Step] {
        match self {
            Step::ToldAhead => &[],
            Step::Apologized => &[Step::ToldAhead],
            Step::Plan => &[Step::Apologized],
            Step::Accepted => &[Step::Plan],
            Step::Resolved => &[Step::Plan, Step::Accepted],
            Step::AskedAdvice => &[Step::Resolved],
        }
    }
}

/// A wrong mishap or step: nothing is recorded.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum MishapError {
    #[error("the mishap description is empty: say what happened, like \"30 minutes late to the demo\"")]
    EmptyWhat,
    #[error("the {0} is empty: write a few words or leave it out")]
    EmptyText(&'static str),
    #[error("a plan step needs its text: say what you will do to fix it (--text)")]
    PlanNeedsText,
    #[error("recovery {id} was resolved at {resolved_at}: no {step} step can follow (only asked-advice)")]
    Closed { id: RecoveryId, step: Step, resolved_at: Timestamp },
    /// An apology or plan text longer than the apology check reads.
    #[error(transparent)]
    TooLong(#[from] apology::TooLong),
}

/// A mishap about to be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRecovery {
    /// The client's name, as the rep wrote it (trimmed); the store creates
    /// the client when it is new.
    pub client: String,
    pub kind: MishapKind,
    pub what: String,
    /// When it happened (or will: the meeting one is going to be late for).
    pub at: Timestamp,
}

/// Checks a new mishap: the description must say something.
pub fn open(client: &str, kind: MishapKind, what: &str, at: Timestamp) -> Result<NewRecovery, MishapError> {
    let what = what.trim();
    if what.is_empty() {
        return Err(MishapError::EmptyWhat);
    }
    Ok(NewRecovery { client: client.trim().to_string(), kind, what: what.to_string(), at })
}

/// One recorded step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StepRecord {
    pub step: Step,
    pub at: Timestamp,
    /// The apology, the plan, or a note on the step.
    pub text: Option<String>,
    /// What the client said (their acceptance, their advice).
    pub client_said: Option<String>,
}

/// A step as the user gives it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StepInput {
    pub text: Option<String>,
    pub client_said: Option<String>,
}

/// A mishap and the steps taken to recover from it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recovery {
    pub id: RecoveryId,
    pub client: ClientId,
    pub kind: MishapKind,
    pub what: String,
    /// When it happened (see [`NewRecovery::at`]).
    pub at: Timestamp,
    /// In the order recorded.
    pub steps: Vec<StepRecord>,
}

/// Something about a recorded step worth saying; the step is recorded anyway.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Warning {
    /// `step` came before the usual `missing` step.
    OutOfOrder { step: Step, missing: Step },
    /// The client was told after the mishap's time.
    ToldAfterTheFact,
    /// The apology or plan text makes excuses.
    Excuses { step: Step, check: ApologyCheck },
    /// The apology text never says sorry or names the writer's part.
    NoApology,
    /// The step was already recorded; the new record is the latest.
    Repeated { step: Step, first_at: Timestamp },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::OutOfOrder { step, missing } => f.write_str(out_of_order(*step, *missing)),
            Warning::ToldAfterTheFact => f.write_str("the client was told after the fact, not ahead"),
            Warning::Excuses { step, check } => {
                let found: Vec<&str> = check.findings.iter().map(|x| x.message.as_str()).collect();
                let what = if *step == Step::Plan { "plan" } else { "apology" };
                write!(f, "the {what} makes excuses: {}", found.join("; "))
            }
            Warning::NoApology => f.write_str("the apology never says sorry or names your part"),
            Warning::Repeated { step, first_at } => {
                write!(f, "{step} was already recorded at {first_at}; this one is now the latest")
            }
        }
    }
}

fn out_of_order(step: Step, missing: Step) -> &'static str {
    match (step, missing) {
        (Step::Apologized, _) => "apologized without telling the client ahead",
        (Step::Plan, _) => "a plan was proposed before apologizing",
        (Step::Accepted, _) => "the client accepted before a plan was proposed",
        (Step::Resolved, Step::Plan) => "resolved before a plan was agreed",
        (Step::Resolved, _) => "resolved before the client accepted the plan",
        _ => "asked for advice before the mishap was resolved",
    }
}

impl Recovery {
    /// When `resolved` was first recorded.
    pub fn resolved_at(&self) -> Option<Timestamp> {
        self.first(Step::Resolved).map(|r| r.at)
    }

    pub fn is_open(&self) -> bool {
        self.resolved_at().is_none()
    }

    fn first(&self, step: Step) -> Option<&StepRecord> {
        self.steps.iter().find(|r| r.step == step)
    }

    /// The latest record of `step`.
    pub fn latest(&self, step: Step) -> Option<&StepRecord> {
        self.steps.iter().rev().find(|r| r.step == step)
    }

    /// `Some(true)` when the client was told before the mishap's time,
    /// `Some(false)` after the fact, `None` when not told yet.
    pub fn told_ahead(&self) -> Option<bool> {
        self.first(Step::ToldAhead).map(|r| r.at <= self.at)
    }

    /// The checklist in its usual order, each with its latest record.
    pub fn checklist(&self) -> Vec<(Step, Option<&StepRecord>)> {
        Step::ALL.into_iter().map(|s| (s, self.latest(s))).collect()
    }

    /// The first checklist step not yet recorded.
    pub fn next_step(&self) -> Option<Step> {
        Step::ALL.into_iter().find(|s| self.latest(*s).is_none())
    }

    /// Whole days since the mishap, counted in civil days in `tz`.
    pub fn age_days(&self, now: Timestamp, tz: &TimeZone) -> i64 {
        civil_days_between(self.at, now, tz)
    }

    /// Records `step` at `now`, after checking it; returns what is worth
    /// saying about it. On error nothing is recorded.
    pub fn record(&mut self, step: Step, input: StepInput, now: Timestamp) -> Result<Vec<Warning>, MishapError> {
        self.check_step(step, &input)?;
        let warnings = self.warnings(step, &input, now);
        self.steps.push(StepRecord {
            step,
            at: now,
            text: input.text.map(|t| t.trim().to_string()),
            client_said: input.client_said.map(|t| t.trim().to_string()),
        });
        Ok(warnings)
    }

    fn check_step(&self, step: Step, input: &StepInput) -> Result<(), MishapError> {
        if let Some(resolved_at) = self.resolved_at()
            && step != Step::AskedAdvice
        {
            return Err(MishapError::Closed { id: self.id, step, resolved_at });
        }
        if input.text.as_deref().is_some_and(|t| t.trim().is_empty()) {
            return Err(MishapError::EmptyText(if step == Step::Plan { "plan" } else { "text" }));
        }
        if input.client_said.as_deref().is_some_and(|t| t.trim().is_empty()) {
            return Err(MishapError::EmptyText("client's answer"));
        }
        if step == Step::Plan && input.text.is_none() {
            return Err(MishapError::PlanNeedsText);
        }
        if let Some(text) = &input.text {
            apology::check_len(text)?;
        }
        Ok(())
    }

    fn warnings(&self, step: Step, input: &StepInput, now: Timestamp) -> Vec<Warning> {
        let mut out = Vec::new();
        if let Some(first) = self.first(step) {
            out.push(Warning::Repeated { step, first_at: first.at });
        }
        if let Some(&missing) = step.expects().iter().find(|s| self.latest(**s).is_none()) {
            out.push(Warning::OutOfOrder { step, missing });
        }
        if step == Step::ToldAhead && now > self.at {
            out.push(Warning::ToldAfterTheFact);
        }
        if let (Step::Apologized | Step::Plan, Some(text)) = (step, input.text.as_deref()) {
            out.extend(text_warnings(step, text));
        }
        out
    }
}

/// What is worth saying about the text of a step: an apology that never says
/// sorry, an apology or plan that makes excuses. Shown beside the step.
pub fn text_warnings(step: Step, text: &str) -> Vec<Warning> {
    // `check_step` refused a text too long to check.
    let Ok(check) = apology::check(text) else { return Vec::new() };
    let mut out = Vec::new();
    if step == Step::Apologized && !check.apologizes {
        out.push(Warning::NoApology);
    }
    if !check.is_owning() {
        out.push(Warning::Excuses { step, check });
    }
    out
}

pub(crate) fn civil_days_between(from: Timestamp, to: Timestamp, tz: &TimeZone) -> i64 {
    let a = from.to_zoned(tz.clone()).date();
    let b = to.to_zoned(tz.clone()).date();
    (b - a).get_days() as i64
}

/// The open recoveries, oldest mishap first (for the agenda and the week review).
pub fn open_oldest_first(recoveries: &[Recovery]) -> Vec<&Recovery> {
    let mut open: Vec<&Recovery> = recoveries.iter().filter(|r| r.is_open()).collect();
    open.sort_by_key(|r| (r.at, r.id));
    open
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn recovery(at: &str) -> Recovery {
        let new = open(" Acme ", MishapKind::Late, "  late to the demo ", ts(at)).unwrap();
        assert_eq!((new.client.as_str(), new.what.as_str()), ("Acme", "late to the demo"));
        Recovery { id: RecoveryId(1), client: ClientId(7), kind: new.kind, what: new.what, at: new.at, steps: vec![] }
    }

    fn text(t: &str) -> StepInput {
        StepInput { text: Some(t.into()), client_said: None }
    }

    #[test]
    fn keywords_round_trip_and_list_the_valid_ones() {
        for k in MishapKind::ALL {
            assert_eq!(k.as_str().parse::<MishapKind>().unwrap(), k);
        }
        for s in Step::ALL {
            assert_eq!(s.to_string().parse::<Step>().unwrap(), s);
        }
        assert_eq!("Missed_Meeting".parse::<MishapKind>().unwrap(), MishapKind::MissedMeeting);
        assert_eq!(
            "flood".parse::<MishapKind>().unwrap_err().to_string(),
            "unknown mishap kind \"flood\": expected one of late, missed-meeting, system-failure, other"
        );
        assert_eq!(
            "done".parse::<Step>().unwrap_err().to_string(),
            "unknown recovery step \"done\": expected one of told-ahead, apologized, plan, accepted, resolved, asked-advice"
        );
        assert_eq!(open("Acme", MishapKind::Other, " ", ts("2026-01-01T00:00:00Z")), Err(MishapError::EmptyWhat));
    }

    #[test]
    fn the_usual_order_has_no_warnings() {
        let mut r = recovery("2026-03-29T12:00:00Z");
        let steps = [
            (Step::ToldAhead, "2026-03-29T11:30:00Z", StepInput::default()),
            (Step::Apologized, "2026-03-29T12:20:00Z", text("I'm sorry I was late; I didn't leave early enough.")),
            (Step::Plan, "2026-03-29T12:25:00Z", text("I'll run the rest of the demo on Tuesday at 10.")),
            (
                Step::Accepted,
                "2026-03-29T12:30:00Z",
                StepInput { text: None, client_said: Some("Tuesday works".into()) },
            ),
            (Step::Resolved, "2026-03-31T10:00:00Z", StepInput::default()),
            (
                Step::AskedAdvice,
                "2026-03-31T11:00:00Z",
                StepInput { text: None, client_said: Some("send an agenda".into()) },
            ),
        ];
        for (step, at, input) in steps {
            assert_eq!(r.record(step, input, ts(at)).unwrap(), vec![], "{step}");
        }
        assert_eq!(r.told_ahead(), Some(true));
        assert_eq!(r.next_step(), None);
        assert!(!r.is_open());
        assert_eq!(r.resolved_at(), Some(ts("2026-03-31T10:00:00Z")));
        assert_eq!(r.latest(Step::Accepted).unwrap().client_said.as_deref(), Some("Tuesday works"));
    }

    #[test]
    fn out_of_order_steps_are_allowed_and_said() {
        let at = ts("2026-10-25T09:00:00Z");
        let cases: &[(&[Step], Step, &[&str])] = &[
            (&[], Step::Apologized, &["apologized without telling the client ahead"]),
            (&[Step::ToldAhead], Step::Plan, &["a plan was proposed before apologizing"]),
            (&[Step::ToldAhead, Step::Apologized], Step::Accepted, &["the client accepted before a plan was proposed"]),
            (&[Step::ToldAhead, Step::Apologized], Step::Resolved, &["resolved before a plan was agreed"]),
            (
                &[Step::ToldAhead, Step::Apologized, Step::Plan],
                Step::Resolved,
                &["resolved before the client accepted the plan"],
            ),
            (&[Step::ToldAhead], Step::AskedAdvice, &["asked for advice before the mishap was resolved"]),
        ];
        for (before, step, want) in cases {
            let mut r = recovery("2026-10-25T10:00:00Z");
            for s in *before {
                let input = if *s == Step::Plan { text("I'll fix it by noon.") } else { StepInput::default() };
                r.record(*s, input, at).unwrap();
            }
            let input = if *step == Step::Plan { text("I'll fix it by noon.") } else { StepInput::default() };
            let got: Vec<String> = r.record(*step, input, at).unwrap().iter().map(|w| w.to_string()).collect();
            assert_eq!(got, *want, "{step} after {before:?}");
        }
    }

    #[test]
    fn told_after_the_fact() {
        let mut r = recovery("2026-12-31T14:00:00Z");
        let w = r.record(Step::ToldAhead, StepInput::default(), ts("2026-12-31T14:05:00Z")).unwrap();
        assert_eq!(w, vec![Warning::ToldAfterTheFact]);
        assert_eq!(r.told_ahead(), Some(false));
        assert_eq!(w[0].to_string(), "the client was told after the fact, not ahead");
    }

    #[test]
    fn excuses_in_apology_and_plan_are_warned() {
        let mut r = recovery("2026-03-29T12:00:00Z");
        r.record(Step::ToldAhead, StepInput::default(), ts("2026-03-29T11:00:00Z")).unwrap();
        let w = r.record(Step::Apologized, text("Sorry, traffic was terrible."), ts("2026-03-29T12:30:00Z")).unwrap();
        assert_eq!(w.len(), 1);
        assert!(matches!(&w[0], Warning::Excuses { step: Step::Apologized, check } if !check.is_owning()));
        assert_eq!(
            w[0].to_string(),
            "the apology makes excuses: blames traffic or travel, not your own planning: \"traffic\""
        );
        let w = r.record(Step::Apologized, text("See you Tuesday."), ts("2026-03-29T12:40:00Z")).unwrap();
        assert_eq!(
            w[0].to_string(),
            "apologized was already recorded at 2026-03-29T12:30:00Z; this one is now the latest"
        );
        assert_eq!(w[1], Warning::NoApology);
        let w = r
            .record(Step::Plan, text("The server was down, so we'll retry tomorrow."), ts("2026-03-29T13:00:00Z"))
            .unwrap();
        assert!(w[0].to_string().starts_with("the plan makes excuses: blames a system"), "{}", w[0]);
    }

    #[test]
    fn bad_steps_change_nothing() {
        let mut r = recovery("2026-03-29T12:00:00Z");
        let now = ts("2026-03-30T12:00:00Z");
        assert_eq!(r.record(Step::Plan, StepInput::default(), now), Err(MishapError::PlanNeedsText));
        assert_eq!(r.record(Step::Plan, text("  "), now), Err(MishapError::EmptyText("plan")));
        let blank_answer = StepInput { text: None, client_said: Some(" ".into()) };
        assert_eq!(r.record(Step::Accepted, blank_answer, now), Err(MishapError::EmptyText("client's answer")));
        assert!(r.steps.is_empty());
        r.record(Step::Resolved, StepInput::default(), now).unwrap();
        let err = r.record(Step::Plan, text("more"), now).unwrap_err();
        assert_eq!(
            err.to_string(),
            "recovery 1 was resolved at 2026-03-30T12:00:00Z: no plan step can follow (only asked-advice)"
        );
        assert_eq!(r.steps.len(), 1);
        assert!(r.record(Step::AskedAdvice, StepInput::default(), now).is_ok());
    }

    #[test]
    fn open_recoveries_oldest_first_with_age() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let mut a = recovery("2026-12-28T08:00:00Z");
        let mut b = recovery("2026-12-20T08:00:00Z");
        b.id = RecoveryId(2);
        let mut c = recovery("2026-12-01T08:00:00Z");
        c.id = RecoveryId(3);
        c.record(Step::Resolved, StepInput::default(), ts("2026-12-02T08:00:00Z")).unwrap();
        a.record(Step::ToldAhead, StepInput::default(), ts("2026-12-28T07:00:00Z")).unwrap();
        let all = [a, b, c];
        let open: Vec<_> = open_oldest_first(&all).iter().map(|r| r.id.0).collect();
        assert_eq!(open, [2, 1]);
        // 2027-01-03 00:30 Berlin is still 2027-01-02 in UTC: civil days count in tz.
        let now = ts("2027-01-02T23:30:00Z");
        assert_eq!(all[0].age_days(now, &tz), 6);
        assert_eq!(all[0].next_step(), Some(Step::Apologized));
        assert_eq!(all[0].checklist()[0].1.unwrap().step, Step::ToldAhead);
    }
}
