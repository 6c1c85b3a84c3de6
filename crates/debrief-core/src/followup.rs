//! Follow-ups: the rules that create them from contacts and mishaps, their
//! cadences, the agenda, done and snooze, and the iCalendar export.
//!
//! The rules return [`Actions`] (follow-ups to create, complete, cancel, and a
//! client to close) for the store to apply in one transaction; nothing here
//! changes anything by itself.
//!
//! Decisions:
//!
//! * **Chases are created one at a time.** A `no-answer` contact creates chase
//!   1; when a chase is done (with `done`, or by logging another `no-answer`
//!   contact with the client, which counts as that chase) the next one is
//!   created; when the last is done the client is closed as "moved on". Any
//!   later contact with the client that is an answer (`won`, `lost`,
//!   `advanced`, `pending`) cancels the pending chase, so only one row ever
//!   needs cancelling and a client who answered is never chased again. A
//!   `no-show` neither answers nor starts a chain.
//! * Chase `n` is due at the no-answer contact + the `n`-th cadence, in local
//!   calendar days (`+2 days` at 10:00 stays 10:00 across DST), but at least
//!   one day after the previous chase was done.
//! * **Check-ins are created all at once** on `won` (they don't depend on an
//!   answer); a new `won` with the same client replaces the open ones.
//! * **Mishap updates** are one at a time too: the first on the working day
//!   after the mishap was opened, each next one on the working day after the
//!   later of the previous one's due date and the day it was done, at
//!   [`Cadences::mishap_update_at`] local time. Resolving the mishap cancels
//!   the pending one.
//! * An empty cadence list turns its rule off.
//! * The agenda shows open follow-ups due before the end of the local day `days`
//!   days from today (0 = today only): overdue first, oldest first, then by
//!   due time.
//! * **Rule-made follow-ups fall in working time:** on a working day, within
//!   the working hours (default 09:00–17:00 in the rep's zone), in whole
//!   minutes. A time the rule computes outside them moves forward: before the
//!   start to the start of that day, at or after the end (or on a day off) to
//!   the start of the next working day. A follow-up added by hand or snoozed
//!   keeps the time the rep chose.
//! * Snoozing moves the follow-up `days` local days after the later of its due
//!   date and today, keeping its local time of day.

use std::fmt;

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use thiserror::Error;

use crate::daily::WorkingDays;
use crate::error::RangeError;
use crate::mishap::{RecoveryId, civil_days_between};
use crate::model::{ClientId, Outcome};

/// The longest cadence step or snooze, in days (ten years).
pub const MAX_DAYS: u32 = 3650;
/// The most steps in one cadence.
pub const MAX_STEPS: usize = 50;

/// A follow-up as stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FollowUpId(pub i64);

impl fmt::Display for FollowUpId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// Which client a follow-up to create, or a client to close, is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ClientRef {
    /// The client of the contact or mishap written with the plan, which may
    /// not exist yet (a client named for the first time).
    This,
    /// A stored client.
    Id(ClientId),
}

/// Which mishap a planned mishap update is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecoveryRef {
    /// The mishap opened or changed by the write that carries the plan.
    This,
    /// A stored recovery.
    Id(RecoveryId),
}

/// Why a follow-up exists. A stored follow-up's mishap update names its
/// recovery by id (`R = RecoveryId`); a planned one by [`RecoveryRef`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FollowUpKind<R = RecoveryId> {
    /// The `n`-th chase (from 1) after a no-answer.
    Chase { n: u8 },
    /// The `n`-th check-in (from 1) after a win.
    CheckIn { n: u8 },
    /// A daily update to the client while a mishap is open.
    MishapUpdate { recovery: R },
    /// Added by hand.
    Manual,
}

/// The kind of a follow-up to create.
pub type PlannedKind = FollowUpKind<RecoveryRef>;

impl<R> FollowUpKind<R> {
    /// The stable name: `chase`, `check-in`, `mishap-update`, `manual`.
    pub fn as_str(&self) -> &'static str {
        match self {
            FollowUpKind::Chase { .. } => "chase",
            FollowUpKind::CheckIn { .. } => "check-in",
            FollowUpKind::MishapUpdate { .. } => "mishap-update",
            FollowUpKind::Manual => "manual",
        }
    }
}

impl<R> fmt::Display for FollowUpKind<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FollowUpKind::Chase { n } => write!(f, "chase {n}"),
            FollowUpKind::CheckIn { n } => write!(f, "check-in {n}"),
            FollowUpKind::MishapUpdate { .. } => f.write_str("mishap update"),
            FollowUpKind::Manual => f.write_str("follow-up"),
        }
    }
}

/// Where a follow-up stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    Open,
    Done { at: Timestamp },
    Cancelled { at: Timestamp },
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Open => "open",
            Status::Done { .. } => "done",
            Status::Cancelled { .. } => "cancelled",
        }
    }
}

/// A follow-up to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUpPlan {
    pub client: ClientRef,
    pub kind: PlannedKind,
    /// The event the chain counts from (the no-answer, the win, the mishap's
    /// opening; for a manual one, when it was added).
    pub anchor: Timestamp,
    pub due: Timestamp,
    pub note: Option<String>,
}

impl FollowUpPlan {
    /// The stored follow-up, once the store gave it an id; `None` while the
    /// plan names the client or mishap of the write that carries it.
    pub fn with_id(self, id: FollowUpId) -> Option<FollowUp> {
        let FollowUpPlan { client, kind, anchor, due, note } = self;
        let ClientRef::Id(client) = client else { return None };
        let kind = match kind {
            FollowUpKind::Chase { n } => FollowUpKind::Chase { n },
            FollowUpKind::CheckIn { n } => FollowUpKind::CheckIn { n },
            FollowUpKind::MishapUpdate { recovery: RecoveryRef::Id(recovery) } => {
                FollowUpKind::MishapUpdate { recovery }
            }
            FollowUpKind::MishapUpdate { recovery: RecoveryRef::This } => return None,
            FollowUpKind::Manual => FollowUpKind::Manual,
        };
        Some(FollowUp { id, client, kind, anchor, due, note, status: Status::Open })
    }
}

/// A follow-up as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUp {
    pub id: FollowUpId,
    pub client: ClientId,
    pub kind: FollowUpKind,
    pub anchor: Timestamp,
    pub due: Timestamp,
    pub note: Option<String>,
    pub status: Status,
}

impl FollowUp {
    pub fn is_open(&self) -> bool {
        self.status == Status::Open
    }

    /// A one-line title: "Chase Acme (chase 2)".
    pub fn title(&self, client_name: &str) -> String {
        match self.kind {
            FollowUpKind::Chase { .. } => format!("Chase {client_name} ({})", self.kind),
            FollowUpKind::CheckIn { .. } => format!("Check in with {client_name} ({})", self.kind),
            FollowUpKind::MishapUpdate { .. } => format!("Update {client_name} on the mishap"),
            FollowUpKind::Manual => format!("Follow up with {client_name}"),
        }
    }
}

/// Bad input for a follow-up or a cadence: nothing changes.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum FollowUpError {
    #[error("follow-up {id} is already {status}: only an open follow-up can be done or snoozed")]
    NotOpen { id: FollowUpId, status: &'static str },
    #[error("cannot snooze by {0} days: give a number of days from 1 to {MAX_DAYS}")]
    SnoozeDays(i64),
    #[error("the follow-up note is empty: say what to follow up on")]
    EmptyNote,
    #[error(
        "\"{0}\" is not a duration: expected whole days or weeks from 1 day to {MAX_DAYS} days, like 2d, 12 days or 1w"
    )]
    Duration(String),
    #[error("the cadence {0} is not increasing: list the days in order, like 2d, 5d, 12d")]
    NotIncreasing(String),
    #[error("the cadence has {0} steps: at most {MAX_STEPS}")]
    TooManySteps(usize),
    #[error("\"{0}\" is not a time of day: expected HH:MM, like 10:00")]
    TimeOfDay(String),
    #[error("\"{0}\" are not working hours: expected a start before an end, like 09:00-17:00")]
    WorkingHours(String),
    /// A date the rules would compute lies beyond the calendar.
    #[error(transparent)]
    Range(#[from] RangeError),
}

/// How often to follow up, in days after the event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cadences {
    /// Chases after a no-answer; the client is closed after the last one.
    pub no_answer: Vec<u32>,
    /// Check-ins after a win.
    pub won: Vec<u32>,
    /// Whether an open mishap gets an update every working day.
    pub mishap_updates: bool,
    /// The local time of day mishap updates are due.
    pub mishap_update_at: Time,
}

impl Default for Cadences {
    fn default() -> Self {
        Cadences {
            no_answer: vec![2, 5, 12],
            won: vec![7, 30, 90],
            mishap_updates: true,
            mishap_update_at: Time::constant(10, 0, 0, 0),
        }
    }
}

impl Cadences {
    /// The config keys a cadence file may use, for the "unknown key" error.
    pub const KEYS: [&'static str; 5] = ["no-answer", "won", "mishap-updates", "mishap-update-at", "working-days"];

    /// Each list at most [`MAX_STEPS`] long, strictly increasing, within 1..=[`MAX_DAYS`].
    pub fn validate(&self) -> Result<(), FollowUpError> {
        [&self.no_answer, &self.won].into_iter().try_for_each(|c| check_cadence(c))
    }
}

fn check_cadence(days: &[u32]) -> Result<(), FollowUpError> {
    if days.len() > MAX_STEPS {
        return Err(FollowUpError::TooManySteps(days.len()));
    }
    if let Some(d) = days.iter().find(|d| !(1..=MAX_DAYS).contains(*d)) {
        return Err(FollowUpError::Duration(format!("{d}d")));
    }
    if days.windows(2).any(|w| w[0] >= w[1]) {
        let shown: Vec<String> = days.iter().map(|d| format!("{d}d")).collect();
        return Err(FollowUpError::NotIncreasing(shown.join(", ")));
    }
    Ok(())
}

/// Reads a duration in whole days: `2d`, `2 days`, `1 day`, `1w`, `2 weeks`,
/// or a bare `2` (days).
pub fn parse_duration(text: &str) -> Result<u32, FollowUpError> {
    let bad = || FollowUpError::Duration(text.to_string());
    let s = text.trim().to_ascii_lowercase();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (number, unit) = s.split_at(split);
    let n: u32 = number.parse().map_err(|_| bad())?;
    let per = match unit.trim() {
        "" | "d" | "day" | "days" => 1,
        "w" | "wk" | "week" | "weeks" => 7,
        _ => return Err(bad()),
    };
    n.checked_mul(per).filter(|d| (1..=MAX_DAYS).contains(d)).ok_or_else(bad)
}

/// Reads a cadence list (`["2d", "5d", "12d"]`) and checks it.
pub fn parse_cadence<S: AsRef<str>>(values: &[S]) -> Result<Vec<u32>, FollowUpError> {
    let days = values.iter().map(|v| parse_duration(v.as_ref())).collect::<Result<Vec<_>, _>>()?;
    check_cadence(&days)?;
    Ok(days)
}

/// Reads a local time of day, `HH:MM`.
pub fn parse_time_of_day(text: &str) -> Result<Time, FollowUpError> {
    let s = text.trim();
    let ok = s.len() == 5 && s.as_bytes()[2] == b':';
    ok.then(|| s.parse::<Time>().ok()).flatten().ok_or_else(|| FollowUpError::TimeOfDay(text.to_string()))
}

/// The hours of a working day in which rule-made follow-ups fall: from
/// `start` (included) to `end` (excluded), local time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WorkingHours {
    start: Time,
    end: Time,
}

impl Default for WorkingHours {
    fn default() -> Self {
        WorkingHours { start: Time::constant(9, 0, 0, 0), end: Time::constant(17, 0, 0, 0) }
    }
}

impl WorkingHours {
    /// From `start` to `end`, in whole minutes; `start` before `end`.
    pub fn new(start: Time, end: Time) -> Result<WorkingHours, FollowUpError> {
        let minute = |t: Time| t.second() == 0 && t.subsec_nanosecond() == 0;
        if start >= end || !minute(start) || !minute(end) {
            return Err(FollowUpError::WorkingHours(format!("{}-{}", hh_mm(start), hh_mm(end))));
        }
        Ok(WorkingHours { start, end })
    }

    pub fn start(&self) -> Time {
        self.start
    }

    pub fn end(&self) -> Time {
        self.end
    }
}

fn hh_mm(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

impl fmt::Display for WorkingHours {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", hh_mm(self.start), hh_mm(self.end))
    }
}

impl std::str::FromStr for WorkingHours {
    type Err = FollowUpError;

    /// `09:00-17:00`; spaces around the dash are fine.
    fn from_str(s: &str) -> Result<WorkingHours, FollowUpError> {
        let bad = || FollowUpError::WorkingHours(s.to_string());
        let (a, b) = s.split_once('-').ok_or_else(bad)?;
        let (start, end) = (parse_time_of_day(a).map_err(|_| bad())?, parse_time_of_day(b).map_err(|_| bad())?);
        WorkingHours::new(start, end).map_err(|_| bad())
    }
}

/// Everything the rules need besides the events: cadences, working days and
/// hours, and the rep's time zone.
#[derive(Clone, Debug)]
pub struct Rules {
    pub cadences: Cadences,
    pub working_days: WorkingDays,
    pub working_hours: WorkingHours,
    pub tz: TimeZone,
}

impl Rules {
    /// `at` in whole minutes, moved forward into working time when it falls
    /// outside: before the start of a working day to its start, at or after
    /// its end or on a day off to the start of the next working day.
    pub fn in_working_time(&self, at: Timestamp) -> Result<Timestamp, RangeError> {
        let z = at.to_zoned(self.tz.clone());
        let (date, time) = (z.date(), z.time());
        let minute = Time::new(time.hour(), time.minute(), 0, 0).unwrap_or(time);
        let (start, end) = (self.working_hours.start, self.working_hours.end);
        if self.working_days.is_working_date(date) && minute < end {
            return local_at(date, minute.max(start), &self.tz);
        }
        let next =
            self.working_days.next_after(date).ok_or_else(|| RangeError(format!("the working day after {date}")))?;
        local_at(next, start, &self.tz)
    }
}

/// A contact as the rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ContactEvent {
    /// The contact's client: [`ClientRef::This`] for one named for the first time.
    pub client: ClientRef,
    pub outcome: Outcome,
    pub at: Timestamp,
}

/// Why a client was closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CloseReason {
    /// The last chase went unanswered: there is always the next prospect.
    MovedOn,
}

impl CloseReason {
    /// The stable name: `moved on`.
    pub fn as_str(self) -> &'static str {
        match self {
            CloseReason::MovedOn => "moved on",
        }
    }
}

impl fmt::Display for CloseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for CloseReason {
    type Err = UnknownCloseReason;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "moved on" => Ok(CloseReason::MovedOn),
            other => Err(UnknownCloseReason(other.to_string())),
        }
    }
}

/// A stored close reason this build does not know.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error("unknown close reason \"{0}\": expected \"moved on\"")]
pub struct UnknownCloseReason(pub String);

/// A client to close (after the last chase went unanswered).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientClosure {
    pub client: ClientRef,
    pub at: Timestamp,
    pub reason: CloseReason,
}

/// What a rule asks the store to do, all in one transaction.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Actions {
    pub create: Vec<FollowUpPlan>,
    /// Mark done at the event's time.
    pub complete: Vec<FollowUpId>,
    /// Mark cancelled at the event's time.
    pub cancel: Vec<FollowUpId>,
    pub close: Option<ClientClosure>,
}

/// `at` plus `days` local calendar days, at the same local time of day.
pub fn add_days_local(at: Timestamp, days: i64, tz: &TimeZone) -> Result<Timestamp, RangeError> {
    let z = at.to_zoned(tz.clone());
    let beyond = || RangeError::moved(z.date(), days, "days");
    let span = Span::new().try_days(days).map_err(|_| beyond())?;
    z.checked_add(span).map(|z| z.timestamp()).map_err(|_| beyond())
}

/// The instant of `time` on `date` in `tz` (a time in a DST gap moves forward).
pub fn local_at(date: Date, time: Time, tz: &TimeZone) -> Result<Timestamp, RangeError> {
    let zoned = date.to_datetime(time).to_zoned(tz.clone());
    zoned.map(|z| z.timestamp()).map_err(|_| RangeError(format!("{date} {time} in {}", tz_name(tz))))
}

/// `date` plus `days` days.
fn add_days(date: Date, days: i64) -> Result<Date, RangeError> {
    let beyond = || RangeError::moved(date, days, "days");
    date.checked_add(Span::new().try_days(days).map_err(|_| beyond())?).map_err(|_| beyond())
}

fn tz_name(tz: &TimeZone) -> &str {
    tz.iana_name().unwrap_or("the time zone")
}

fn local_date(at: Timestamp, tz: &TimeZone) -> Date {
    at.to_zoned(tz.clone()).date()
}

/// The rules for a logged contact. `open` holds the client's open follow-ups
/// (others are ignored). A follow-up that would fall beyond the calendar is
/// an error, so the contact is refused before anything is stored.
pub fn on_contact(event: &ContactEvent, open: &[FollowUp], rules: &Rules) -> Result<Actions, FollowUpError> {
    let mine: Vec<&FollowUp> = open.iter().filter(|f| event.client == ClientRef::Id(f.client) && f.is_open()).collect();
    let chases: Vec<&FollowUp> =
        mine.iter().copied().filter(|f| matches!(f.kind, FollowUpKind::Chase { .. })).collect();
    let mut actions = Actions::default();
    match event.outcome {
        Outcome::NoAnswer => match chases.iter().max_by_key(|f| f.due) {
            Some(chase) => {
                actions.complete.push(chase.id);
                next_chase(chase, event.at, rules, &mut actions)?;
            }
            None => actions.create.extend(first_chase(event, rules)?),
        },
        Outcome::NoShow => {}
        Outcome::Won => {
            actions.cancel.extend(chases.iter().map(|f| f.id));
            let check_ins = mine.iter().filter(|f| matches!(f.kind, FollowUpKind::CheckIn { .. }));
            actions.cancel.extend(check_ins.map(|f| f.id));
            actions.create.extend(check_ins_after(event, rules)?);
        }
        Outcome::Lost | Outcome::Advanced | Outcome::Pending => {
            actions.cancel.extend(chases.iter().map(|f| f.id));
        }
    }
    Ok(actions)
}

fn first_chase(event: &ContactEvent, rules: &Rules) -> Result<Option<FollowUpPlan>, RangeError> {
    let Some(&days) = rules.cadences.no_answer.first() else { return Ok(None) };
    Ok(Some(FollowUpPlan {
        client: event.client,
        kind: FollowUpKind::Chase { n: 1 },
        anchor: event.at,
        due: rules.in_working_time(add_days_local(event.at, days.into(), &rules.tz)?)?,
        note: None,
    }))
}

fn check_ins_after(event: &ContactEvent, rules: &Rules) -> Result<Vec<FollowUpPlan>, RangeError> {
    let steps = (1..).zip(rules.cadences.won.iter().take(MAX_STEPS));
    steps
        .map(|(n, &days)| {
            Ok(FollowUpPlan {
                client: event.client,
                kind: FollowUpKind::CheckIn { n },
                anchor: event.at,
                due: rules.in_working_time(add_days_local(event.at, days.into(), &rules.tz)?)?,
                note: None,
            })
        })
        .collect()
}

/// After chase `n` was done at `done_at`: chase `n + 1`, or close the client.
fn next_chase(chase: &FollowUp, done_at: Timestamp, rules: &Rules, actions: &mut Actions) -> Result<(), RangeError> {
    let FollowUpKind::Chase { n } = chase.kind else { return Ok(()) };
    let next = n.checked_add(1).and_then(|next| Some((next, *rules.cadences.no_answer.get(usize::from(n))?)));
    match next {
        Some((next, days)) => {
            let planned = add_days_local(chase.anchor, days.into(), &rules.tz)?;
            let earliest = add_days_local(done_at, 1, &rules.tz)?;
            actions.create.push(FollowUpPlan {
                client: ClientRef::Id(chase.client),
                kind: FollowUpKind::Chase { n: next },
                anchor: chase.anchor,
                due: rules.in_working_time(planned.max(earliest))?,
                note: None,
            });
        }
        None => {
            let client = ClientRef::Id(chase.client);
            actions.close = Some(ClientClosure { client, at: done_at, reason: CloseReason::MovedOn });
        }
    }
    Ok(())
}

/// Marks `item` done at `now` and applies its rule: the next chase (or the
/// client closed after the last), the next mishap update.
pub fn on_done(item: &FollowUp, now: Timestamp, rules: &Rules) -> Result<Actions, FollowUpError> {
    ensure_open(item)?;
    let mut actions = Actions { complete: vec![item.id], ..Actions::default() };
    match item.kind {
        FollowUpKind::Chase { .. } => next_chase(item, now, rules, &mut actions)?,
        FollowUpKind::MishapUpdate { recovery } => {
            let after = local_date(now, &rules.tz).max(local_date(item.due, &rules.tz));
            let (recovery, client) = (RecoveryRef::Id(recovery), ClientRef::Id(item.client));
            actions.create.push(mishap_update(recovery, client, item.anchor, after, rules)?);
        }
        FollowUpKind::CheckIn { .. } | FollowUpKind::Manual => {}
    }
    Ok(actions)
}

fn ensure_open(item: &FollowUp) -> Result<(), FollowUpError> {
    match item.status {
        Status::Open => Ok(()),
        s => Err(FollowUpError::NotOpen { id: item.id, status: s.as_str() }),
    }
}

fn mishap_update(
    recovery: RecoveryRef,
    client: ClientRef,
    anchor: Timestamp,
    after: Date,
    rules: &Rules,
) -> Result<FollowUpPlan, RangeError> {
    let day =
        rules.working_days.next_after(after).ok_or_else(|| RangeError(format!("the working day after {after}")))?;
    Ok(FollowUpPlan {
        client,
        kind: FollowUpKind::MishapUpdate { recovery },
        anchor,
        due: rules.in_working_time(local_at(day, rules.cadences.mishap_update_at, &rules.tz)?)?,
        note: None,
    })
}

/// The first update for a mishap just opened, if mishap updates are on and
/// the next working day is within the calendar (the clock would have to say
/// 9999 for it not to be).
pub fn on_mishap_opened(
    recovery: RecoveryRef,
    client: ClientRef,
    opened_at: Timestamp,
    rules: &Rules,
) -> Option<FollowUpPlan> {
    rules
        .cadences
        .mishap_updates
        .then(|| mishap_update(recovery, client, opened_at, local_date(opened_at, &rules.tz), rules).ok())
        .flatten()
}

/// The open updates of a resolved mishap, to cancel.
pub fn on_mishap_resolved(recovery: RecoveryId, open: &[FollowUp]) -> Vec<FollowUpId> {
    open.iter().filter(|f| f.is_open() && f.kind == FollowUpKind::MishapUpdate { recovery }).map(|f| f.id).collect()
}

/// A follow-up added by hand.
pub fn manual(client: ClientId, due: Timestamp, note: &str, now: Timestamp) -> Result<FollowUpPlan, FollowUpError> {
    let note = note.trim();
    if note.is_empty() {
        return Err(FollowUpError::EmptyNote);
    }
    let client = ClientRef::Id(client);
    Ok(FollowUpPlan { client, kind: FollowUpKind::Manual, anchor: now, due, note: Some(note.to_string()) })
}

/// The new due time of `item` snoozed by `days` (see the module docs).
pub fn snooze(item: &FollowUp, days: i64, now: Timestamp, tz: &TimeZone) -> Result<Timestamp, FollowUpError> {
    if !(1..=i64::from(MAX_DAYS)).contains(&days) {
        return Err(FollowUpError::SnoozeDays(days));
    }
    ensure_open(item)?;
    let due = item.due.to_zoned(tz.clone());
    let base = due.date().max(local_date(now, tz));
    Ok(local_at(add_days(base, days)?, due.time(), tz)?)
}

/// One line of the agenda.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AgendaEntry<'a> {
    pub item: &'a FollowUp,
    pub overdue: bool,
    /// Local calendar days since it was due (0 when due today or later).
    pub days_overdue: i64,
}

/// The open follow-ups due before the end of the local day `days` days from
/// today: overdue first, oldest first, then by due time. A horizon beyond the
/// calendar holds every open follow-up.
pub fn agenda<'a>(items: &'a [FollowUp], now: Timestamp, days: u32, tz: &TimeZone) -> Vec<AgendaEntry<'a>> {
    let end = add_days(local_date(now, tz), i64::from(days) + 1).and_then(|d| local_at(d, Time::midnight(), tz)).ok();
    let mut out: Vec<AgendaEntry> = items
        .iter()
        .filter(|f| f.is_open() && end.is_none_or(|end| f.due < end))
        .map(|f| AgendaEntry { item: f, overdue: f.due < now, days_overdue: civil_days_between(f.due, now, tz).max(0) })
        .collect();
    out.sort_by_key(|e| (!e.overdue, e.item.due, e.item.id));
    out
}

// ---------------------------------------------------------------------------
// iCalendar (RFC 5545), written by hand: the few properties we need, with
// CRLF line ends, folding at 75 octets, TEXT escaping and times in UTC.

/// One calendar event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IcsEvent {
    /// Stable across exports, so calendars update rather than duplicate.
    pub uid: String,
    pub start: Timestamp,
    pub minutes: u32,
    pub summary: String,
    pub description: Option<String>,
}

impl IcsEvent {
    /// The event for an open follow-up: 15 minutes at its due time.
    pub fn for_follow_up(item: &FollowUp, client_name: &str) -> IcsEvent {
        IcsEvent {
            uid: format!("followup-{}@debrief", item.id),
            start: item.due,
            minutes: 15,
            summary: item.title(client_name),
            description: item.note.clone(),
        }
    }
}

/// The events as an iCalendar document, stamped `now`.
pub fn to_ics(events: &[IcsEvent], now: Timestamp) -> String {
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//debrief//follow-ups//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
    ];
    for e in events {
        lines.push("BEGIN:VEVENT".to_string());
        lines.push(format!("UID:{}", ics_text(&e.uid)));
        lines.push(format!("DTSTAMP:{}", ics_utc(now)));
        lines.push(format!("DTSTART:{}", ics_utc(e.start)));
        lines.push(format!("DURATION:PT{}M", e.minutes));
        lines.push(format!("SUMMARY:{}", ics_text(&e.summary)));
        if let Some(d) = &e.description {
            lines.push(format!("DESCRIPTION:{}", ics_text(d)));
        }
        lines.push("END:VEVENT".to_string());
    }
    lines.push("END:VCALENDAR".to_string());
    lines.iter().map(|l| fold(l) + "\r\n").collect()
}

/// A UTC date-time in whole minutes: calendars show minutes, and seconds
/// make a follow-up look like a machine made it.
fn ics_utc(at: Timestamp) -> String {
    at.strftime("%Y%m%dT%H%M00Z").to_string()
}

/// Escapes a TEXT value: backslash, semicolon, comma and newlines.
fn ics_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.replace("\r\n", "\n").chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line so no physical line exceeds 75 octets, never
/// splitting a UTF-8 character; continuation lines start with a space.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut width = 0;
    for c in line.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::week::IsoWeek;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn berlin() -> Rules {
        Rules {
            cadences: Cadences::default(),
            working_days: WorkingDays::default(),
            working_hours: WorkingHours::default(),
            tz: TimeZone::get("Europe/Berlin").unwrap(),
        }
    }

    fn event(outcome: Outcome, at: &str) -> ContactEvent {
        ContactEvent { client: ClientRef::Id(ClientId(1)), outcome, at: ts(at) }
    }

    /// Stores the plans of `actions` with ids from `first_id`.
    fn stored(actions: &Actions, first_id: i64) -> Vec<FollowUp> {
        let plans = actions.create.iter().cloned().enumerate();
        plans.map(|(i, p)| p.with_id(FollowUpId(first_id + i as i64)).unwrap()).collect()
    }

    #[test]
    fn durations_parse_or_say_what_is_wrong() {
        let good = [("2d", 2), ("12 days", 12), ("1 day", 1), ("1w", 7), ("2 weeks", 14), (" 3 ", 3), ("3D", 3)];
        for (text, want) in good {
            assert_eq!(parse_duration(text), Ok(want), "{text}");
        }
        for bad in ["0d", "-2d", "2h", "", "d", "1.5d", "3651d", "99999999999d", "2 fortnights"] {
            assert_eq!(parse_duration(bad), Err(FollowUpError::Duration(bad.to_string())), "{bad}");
        }
        assert_eq!(
            parse_duration("2h").unwrap_err().to_string(),
            "\"2h\" is not a duration: expected whole days or weeks from 1 day to 3650 days, like 2d, 12 days or 1w"
        );
    }

    #[test]
    fn cadences_and_times_of_day() {
        assert_eq!(parse_cadence(&["2d", "5d", "12d"]), Ok(vec![2, 5, 12]));
        assert_eq!(parse_cadence::<&str>(&[]), Ok(vec![]));
        assert_eq!(
            parse_cadence(&["1w", "5d"]).unwrap_err().to_string(),
            "the cadence 7d, 5d is not increasing: list the days in order, like 2d, 5d, 12d"
        );
        assert!(Cadences::default().validate().is_ok());
        let bad = Cadences { won: vec![7, 7], ..Cadences::default() };
        assert_eq!(bad.validate(), Err(FollowUpError::NotIncreasing("7d, 7d".into())));
        assert_eq!(parse_time_of_day("09:30"), Ok(Time::constant(9, 30, 0, 0)));
        for bad in ["9:30", "25:00", "10", "10:00:00", "noon"] {
            assert_eq!(parse_time_of_day(bad), Err(FollowUpError::TimeOfDay(bad.into())), "{bad}");
        }
    }

    #[test]
    fn chases_keep_local_time_across_dst_then_close_the_client() {
        let rules = berlin();
        // Friday 27 March 2026, 10:00 CET; the clocks go forward on Sunday the 29th.
        let first = on_contact(&event(Outcome::NoAnswer, "2026-03-27T09:00:00Z"), &[], &rules).unwrap();
        assert_eq!(first.create.len(), 1);
        let chase1 = stored(&first, 1).remove(0);
        // +2 days is Sunday: moved to the start of Monday's working hours.
        assert_eq!((chase1.kind, chase1.due), (FollowUpKind::Chase { n: 1 }, ts("2026-03-30T07:00:00Z")));
        let a = on_done(&chase1, ts("2026-03-29T09:00:00Z"), &rules).unwrap();
        assert_eq!(a.complete, vec![FollowUpId(1)]);
        let chase2 = stored(&a, 2).remove(0);
        assert_eq!((chase2.kind, chase2.due), (FollowUpKind::Chase { n: 2 }, ts("2026-04-01T08:00:00Z")));
        let chase3 = stored(&on_done(&chase2, ts("2026-04-01T08:30:00Z"), &rules).unwrap(), 3).remove(0);
        assert_eq!(chase3.due, ts("2026-04-08T08:00:00Z"), "+12 days at 10:00 CEST");
        let last = on_done(&chase3, ts("2026-04-08T09:00:00Z"), &rules).unwrap();
        assert!(last.create.is_empty());
        assert_eq!(
            last.close,
            Some(ClientClosure {
                client: ClientRef::Id(ClientId(1)),
                at: ts("2026-04-08T09:00:00Z"),
                reason: CloseReason::MovedOn
            })
        );
    }

    #[test]
    fn an_answer_cancels_the_pending_chase() {
        let rules = berlin();
        let chase1 = stored(&on_contact(&event(Outcome::NoAnswer, "2026-10-24T08:00:00Z"), &[], &rules).unwrap(), 1);
        assert_eq!(chase1[0].due, ts("2026-10-26T09:00:00Z"), "10:00 CEST + 2 days = 10:00 CET");
        let cases = [
            (Outcome::Advanced, vec![FollowUpId(1)], vec![], 0),
            (Outcome::Lost, vec![FollowUpId(1)], vec![], 0),
            (Outcome::Pending, vec![FollowUpId(1)], vec![], 0),
            (Outcome::NoShow, vec![], vec![], 0),
            (Outcome::NoAnswer, vec![], vec![FollowUpId(1)], 1),
            (Outcome::Won, vec![FollowUpId(1)], vec![], 3),
        ];
        for (outcome, cancel, complete, created) in cases {
            let a = on_contact(&event(outcome, "2026-10-25T08:00:00Z"), &chase1, &rules).unwrap();
            assert_eq!((a.cancel, a.complete, a.create.len()), (cancel, complete, created), "{outcome}");
        }
        let other_client =
            ContactEvent { client: ClientRef::Id(ClientId(2)), ..event(Outcome::Advanced, "2026-10-25T08:00:00Z") };
        assert!(on_contact(&other_client, &chase1, &rules).unwrap().cancel.is_empty());
    }

    #[test]
    fn a_late_chase_pushes_the_next_one_a_day_after() {
        let rules = berlin();
        let chase1 = stored(&on_contact(&event(Outcome::NoAnswer, "2026-06-01T08:00:00Z"), &[], &rules).unwrap(), 1);
        // Done on day 6, after chase 2's planned day 5.
        let a = on_contact(&event(Outcome::NoAnswer, "2026-06-07T12:00:00Z"), &chase1, &rules).unwrap();
        assert_eq!(a.complete, vec![FollowUpId(1)]);
        assert_eq!(a.create[0].due, ts("2026-06-08T12:00:00Z"));
        assert_eq!(a.create[0].anchor, ts("2026-06-01T08:00:00Z"));
    }

    #[test]
    fn won_schedules_check_ins_into_iso_week_53() {
        let rules = berlin();
        let a = on_contact(&event(Outcome::Won, "2026-12-25T09:00:00Z"), &[], &rules).unwrap();
        let dues: Vec<Timestamp> = a.create.iter().map(|p| p.due).collect();
        // +30 days is Sunday 24 January: moved to Monday 09:00.
        assert_eq!(dues, [ts("2027-01-01T09:00:00Z"), ts("2027-01-25T08:00:00Z"), ts("2027-03-25T09:00:00Z")]);
        assert_eq!(IsoWeek::of(dues[0], &rules.tz).to_string(), "2026-W53");
        assert_eq!(a.create[2].kind, FollowUpKind::CheckIn { n: 3 });
        let again = on_contact(&event(Outcome::Won, "2027-02-01T09:00:00Z"), &stored(&a, 1), &rules).unwrap();
        assert_eq!(again.cancel, [FollowUpId(1), FollowUpId(2), FollowUpId(3)]);
        let off = Rules { cadences: Cadences { won: vec![], no_answer: vec![], ..Cadences::default() }, ..rules };
        assert_eq!(on_contact(&event(Outcome::Won, "2027-02-01T09:00:00Z"), &[], &off).unwrap(), Actions::default());
        assert_eq!(
            on_contact(&event(Outcome::NoAnswer, "2027-02-01T09:00:00Z"), &[], &off).unwrap(),
            Actions::default()
        );
    }

    #[test]
    fn rule_made_follow_ups_fall_in_working_time() {
        let rules = berlin();
        let first = |at: &str| on_contact(&event(Outcome::NoAnswer, at), &[], &rules).unwrap().create[0].due;
        // Friday 23:30 + 2 days is Sunday 23:30: Monday 09:00 instead.
        assert_eq!(first("2026-12-04T22:30:00Z"), ts("2026-12-07T08:00:00Z"));
        // Tuesday 07:15 + 2 days is Thursday 07:15, before the day starts: Thursday 09:00.
        assert_eq!(first("2026-12-01T06:15:00Z"), ts("2026-12-03T08:00:00Z"));
        // Wednesday 18:45 + 2 days is Friday after hours: Monday 09:00.
        assert_eq!(first("2026-12-02T17:45:00Z"), ts("2026-12-07T08:00:00Z"));
        // Inside the hours the time is kept, in whole minutes.
        assert_eq!(first("2026-12-01T09:28:27.5Z"), ts("2026-12-03T09:28:00Z"));
        // 17:00 itself is after hours; 16:59 is not.
        assert_eq!(first("2026-12-01T16:00:00Z"), ts("2026-12-04T08:00:00Z"));
        assert_eq!(first("2026-12-01T15:59:00Z"), ts("2026-12-03T15:59:00Z"));
        // Configured hours and days: 07:30-12:00, Sunday to Thursday.
        let gulf = Rules {
            working_days: "sun-thu".parse().unwrap(),
            working_hours: "07:30 - 12:00".parse().unwrap(),
            tz: TimeZone::get("Asia/Dubai").unwrap(),
            ..berlin()
        };
        // Wednesday 11:00 in Dubai + 2 days is Friday: Sunday 07:30.
        let a = on_contact(&event(Outcome::NoAnswer, "2026-12-02T07:00:00Z"), &[], &gulf).unwrap();
        assert_eq!(a.create[0].due, ts("2026-12-06T03:30:00Z"));
        // A mishap update at a configured 06:00 waits for the day to start.
        let early = Rules {
            cadences: Cadences { mishap_update_at: Time::constant(6, 0, 0, 0), ..Cadences::default() },
            ..berlin()
        };
        let plan = on_mishap_opened(
            RecoveryRef::Id(RecoveryId(1)),
            ClientRef::Id(ClientId(1)),
            ts("2026-12-01T10:00:00Z"),
            &early,
        )
        .unwrap();
        assert_eq!(plan.due, ts("2026-12-02T08:00:00Z"));
    }

    #[test]
    fn working_hours_parse_or_say_what_is_wrong() {
        assert_eq!(WorkingHours::default().to_string(), "09:00-17:00");
        assert_eq!("08:30-16:30".parse::<WorkingHours>().unwrap().to_string(), "08:30-16:30");
        for bad in ["17:00-09:00", "09:00-09:00", "9-5", "09:00", "", "09:00-25:00", "nine to five"] {
            let e = bad.parse::<WorkingHours>().unwrap_err();
            assert_eq!(e, FollowUpError::WorkingHours(bad.to_string()), "{bad}");
        }
        assert_eq!(
            "17:00-09:00".parse::<WorkingHours>().unwrap_err().to_string(),
            "\"17:00-09:00\" are not working hours: expected a start before an end, like 09:00-17:00"
        );
    }

    #[test]
    fn mishap_updates_every_working_day_until_resolved() {
        let rules = berlin();
        let r = RecoveryId(9);
        // Thursday 31 December 2026, 15:00 CET.
        let first =
            on_mishap_opened(RecoveryRef::Id(r), ClientRef::Id(ClientId(1)), ts("2026-12-31T14:00:00Z"), &rules)
                .unwrap();
        assert_eq!(first.due, ts("2027-01-01T09:00:00Z"), "Friday 10:00 (2026-W53)");
        let friday = first.with_id(FollowUpId(1)).unwrap();
        let monday = on_done(&friday, ts("2027-01-01T11:00:00Z"), &rules).unwrap().create.remove(0);
        assert_eq!(monday.due, ts("2027-01-04T09:00:00Z"), "the weekend is skipped");
        let monday = monday.with_id(FollowUpId(2)).unwrap();
        let late = on_done(&monday, ts("2027-01-05T16:00:00Z"), &rules).unwrap().create.remove(0);
        assert_eq!(late.due, ts("2027-01-06T09:00:00Z"), "done late on Tuesday: next on Wednesday");
        let spring =
            on_mishap_opened(RecoveryRef::Id(r), ClientRef::Id(ClientId(1)), ts("2026-03-27T15:00:00Z"), &rules)
                .unwrap();
        assert_eq!(spring.due, ts("2026-03-30T08:00:00Z"), "Monday 10:00 CEST");
        let open =
            [monday.clone(), FollowUpPlan { kind: FollowUpKind::Manual, ..spring }.with_id(FollowUpId(3)).unwrap()];
        assert_eq!(on_mishap_resolved(r, &open), [FollowUpId(2)]);
        let off = Rules { cadences: Cadences { mishap_updates: false, ..Cadences::default() }, ..rules };
        assert_eq!(
            on_mishap_opened(RecoveryRef::Id(r), ClientRef::Id(ClientId(1)), ts("2026-12-31T14:00:00Z"), &off),
            None
        );
    }

    #[test]
    fn done_snooze_and_manual_refuse_bad_input() {
        let tz = berlin().tz;
        let now = ts("2026-03-27T12:00:00Z");
        let mut item = manual(ClientId(1), ts("2026-03-28T09:00:00Z"), " send the case study ", now)
            .unwrap()
            .with_id(FollowUpId(4))
            .unwrap();
        assert_eq!(item.note.as_deref(), Some("send the case study"));
        assert_eq!(manual(ClientId(1), now, "  ", now), Err(FollowUpError::EmptyNote));
        for days in [0, -3, 3651] {
            assert_eq!(snooze(&item, days, now, &tz), Err(FollowUpError::SnoozeDays(days)));
        }
        assert_eq!(
            snooze(&item, 0, now, &tz).unwrap_err().to_string(),
            "cannot snooze by 0 days: give a number of days from 1 to 3650"
        );
        // Due Saturday 10:00 CET; one day later is Sunday 10:00 CEST.
        assert_eq!(snooze(&item, 1, now, &tz), Ok(ts("2026-03-29T08:00:00Z")));
        // Overdue since Saturday, snoozed on Tuesday: two days from today.
        assert_eq!(snooze(&item, 2, ts("2026-03-31T12:00:00Z"), &tz), Ok(ts("2026-04-02T08:00:00Z")));
        item.status = Status::Done { at: now };
        assert_eq!(
            on_done(&item, now, &berlin()).unwrap_err().to_string(),
            "follow-up 4 is already done: only an open follow-up can be done or snoozed"
        );
        assert!(matches!(snooze(&item, 1, now, &tz), Err(FollowUpError::NotOpen { .. })));
    }

    #[test]
    fn agenda_puts_overdue_first_then_by_due() {
        let tz = berlin().tz;
        let plan = |due: &str| manual(ClientId(1), ts(due), "call", ts("2026-12-01T00:00:00Z")).unwrap();
        let mut done = plan("2026-12-20T09:00:00Z").with_id(FollowUpId(5)).unwrap();
        done.status = Status::Done { at: ts("2026-12-21T09:00:00Z") };
        let items = vec![
            plan("2026-12-31T15:00:00Z").with_id(FollowUpId(1)).unwrap(), // today, later
            plan("2026-12-29T09:00:00Z").with_id(FollowUpId(2)).unwrap(), // overdue 2 days
            plan("2027-01-01T22:30:00Z").with_id(FollowUpId(3)).unwrap(), // 23:30 on the 1st in Berlin
            plan("2026-12-31T09:00:00Z").with_id(FollowUpId(4)).unwrap(), // overdue this morning
            done,
            plan("2027-01-02T00:30:00Z").with_id(FollowUpId(6)).unwrap(), // 01:30 on the 2nd in Berlin
        ];
        let now = ts("2026-12-31T11:00:00Z");
        let line = |e: &AgendaEntry| (e.item.id.0, e.overdue, e.days_overdue);
        let today: Vec<_> = agenda(&items, now, 0, &tz).iter().map(line).collect();
        assert_eq!(today, [(2, true, 2), (4, true, 0), (1, false, 0)]);
        let two: Vec<_> = agenda(&items, now, 1, &tz).iter().map(|e| e.item.id.0).collect();
        assert_eq!(two, [2, 4, 1, 3]);
    }

    /// Unfolds and splits an iCalendar document, checking the framing rules.
    fn parse_ics(text: &str) -> Vec<(String, String)> {
        assert!(text.ends_with("\r\n"));
        for physical in text.split("\r\n") {
            assert!(physical.len() <= 75, "line over 75 octets: {physical:?}");
            assert!(!physical.contains('\n') && !physical.contains('\r'));
        }
        let unfolded = text.replace("\r\n ", "");
        let props: Vec<(String, String)> = unfolded
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .map(|l| {
                let (k, v) = l.split_once(':').expect("NAME:value");
                (k.to_string(), v.to_string())
            })
            .collect();
        let mut depth = Vec::new();
        for (k, v) in &props {
            match k.as_str() {
                "BEGIN" => depth.push(v.clone()),
                "END" => assert_eq!(depth.pop().as_ref(), Some(v)),
                _ => assert!(!depth.is_empty()),
            }
        }
        assert!(depth.is_empty());
        props
    }

    fn unescape(v: &str) -> String {
        v.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")
    }

    #[test]
    fn ics_is_well_formed() {
        let rules = berlin();
        let note = "Ask about Q1 budget; bring the case study, the one\nwith Müller GmbH — and the price list \\ v2. "
            .repeat(2);
        let chase =
            on_contact(&event(Outcome::NoAnswer, "2026-12-29T09:00:00Z"), &[], &rules).unwrap().create.remove(0);
        let items = [
            chase.with_id(FollowUpId(1)).unwrap(),
            manual(ClientId(2), ts("2027-01-01T09:00:00Z"), &note, ts("2026-12-29T09:00:00Z"))
                .unwrap()
                .with_id(FollowUpId(2))
                .unwrap(),
        ];
        let events: Vec<IcsEvent> = items.iter().map(|f| IcsEvent::for_follow_up(f, "Acme, Inc.")).collect();
        let text = to_ics(&events, ts("2026-12-29T10:15:30Z"));
        let props = parse_ics(&text);
        let get = |name: &str| props.iter().filter(|p| p.0 == name).map(|p| p.1.clone()).collect::<Vec<_>>();
        assert_eq!(get("VERSION"), ["2.0"]);
        assert_eq!(get("UID"), ["followup-1@debrief", "followup-2@debrief"]);
        // Whole minutes, even for a stamp or a due time with seconds.
        assert_eq!(get("DTSTAMP"), ["20261229T101500Z", "20261229T101500Z"]);
        assert_eq!(get("DTSTART"), ["20261231T090000Z", "20270101T090000Z"]);
        let odd = IcsEvent { start: ts("2026-12-08T09:28:27Z"), ..events[0].clone() };
        assert!(to_ics(&[odd], ts("2026-12-29T10:15:30Z")).contains("DTSTART:20261208T092800Z\r\n"));
        assert_eq!(get("SUMMARY")[0], "Chase Acme\\, Inc. (chase 1)");
        assert_eq!(unescape(&get("DESCRIPTION")[0]), note.trim());
        assert!(text.lines().count() > 12, "the long description is folded");
        assert_eq!(fold(&"é".repeat(40)).split("\r\n").map(str::len).collect::<Vec<_>>(), [74, 7]);
        assert_eq!(to_ics(&[], ts("2026-12-29T10:15:30Z")).matches("\r\n").count(), 6);
    }

    /// Issue 10: far-future dates end in an error, never in a panic.
    #[test]
    fn issue_10_dates_beyond_the_calendar_are_errors() {
        let rules = berlin();
        let won = on_contact(&event(Outcome::Won, "9999-12-28T09:00:00Z"), &[], &rules).unwrap_err();
        assert_eq!(
            won.to_string(),
            "9999-12-28 + 7 days is beyond the calendar (-9999-01-01 to 9999-12-31): use a nearer date or a shorter span"
        );
        assert!(on_contact(&event(Outcome::NoAnswer, "9999-12-30T09:00:00Z"), &[], &rules).is_err());
        // Snoozing ten years at a time reaches the end of the calendar in an error.
        let now = ts("2026-03-27T09:00:00Z");
        let plan = manual(ClientId(1), now, "call back", now).unwrap();
        let mut item = plan.with_id(FollowUpId(1)).unwrap();
        let mut snoozes = 0;
        let err = loop {
            match snooze(&item, i64::from(MAX_DAYS), now, &rules.tz) {
                Ok(due) => item.due = due,
                Err(e) => break e,
            }
            snoozes += 1;
        };
        assert!(matches!(err, FollowUpError::Range(_)) && snoozes > 700, "{snoozes}: {err}");
        // The far-future row can still be done, and a far-future chase or
        // mishap update says why no next one can be planned.
        assert!(on_done(&item, now, &rules).is_ok());
        let last_day = ts("9999-12-30T09:00:00Z");
        let chase = FollowUp { kind: FollowUpKind::Chase { n: 1 }, anchor: last_day, due: last_day, ..item.clone() };
        assert!(matches!(on_done(&chase, last_day, &rules), Err(FollowUpError::Range(_))));
        let recovery = FollowUpKind::MishapUpdate { recovery: RecoveryId(1) };
        let update = FollowUp { kind: recovery, due: last_day, ..item.clone() };
        assert!(matches!(on_done(&update, now, &rules), Err(FollowUpError::Range(_))));
        // The agenda's horizon may pass the end of the calendar: it holds everything.
        assert_eq!(agenda(std::slice::from_ref(&item), now, u32::MAX, &rules.tz).len(), 1);
        assert_eq!(
            on_mishap_opened(RecoveryRef::Id(RecoveryId(1)), ClientRef::Id(ClientId(1)), Timestamp::MAX, &rules),
            None
        );
    }
}
