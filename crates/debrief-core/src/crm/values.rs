//! What the cells of a CRM export mean: stages and dispositions, yes/no
//! flags, activity types, deal types, and the dates CRMs write.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::model::{Channel, Outcome};
use crate::when::DateOrder;

/// A header or a value compared without case, spaces or punctuation.
pub fn squash(text: &str) -> String {
    text.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// A value in words: lower case, punctuation as spaces, single spaces.
fn words(text: &str) -> String {
    let spaced: String = text.chars().map(|c| if c.is_alphanumeric() { c.to_ascii_lowercase() } else { ' ' }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What a stage, status or disposition says a row is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// A contact with this outcome.
    Outcome(Outcome),
    /// A deal still open: its first contact moved it forward.
    Open,
    /// Not a contact (yet): a meeting scheduled or cancelled, a task to do.
    Skip,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Outcome(o) => o.as_str(),
            Verdict::Open => "open",
            Verdict::Skip => "skip",
        }
    }

    /// What `--outcome VALUE=…` names.
    pub fn parse(text: &str) -> Option<Verdict> {
        match words(text).as_str() {
            "open" => Some(Verdict::Open),
            "skip" => Some(Verdict::Skip),
            w => Outcome::ALL.into_iter().find(|o| words(o.as_str()) == w).map(Verdict::Outcome),
        }
    }

    pub const NAMES: &'static str = "won, lost, open, advanced, pending, no-answer, no-show or skip";
}

/// HubSpot's call dispositions, stored as ids (its documented table).
const HUBSPOT_DISPOSITIONS: [(&str, &str); 6] = [
    ("f240bbac-87c9-4f6e-bf70-924b57d47db7", "connected"),
    ("73a0d17f-1163-4015-bdd5-ec830791da20", "no answer"),
    ("b2cf5968-551e-4856-9783-52b3da59a7d0", "left voicemail"),
    ("a4c4c377-d246-4b32-a13b-75a56a4cd0ff", "left live message"),
    ("9d9162e7-6cf3-4944-bf63-4dff82258764", "busy"),
    ("17b47fee-58de-441e-a44c-c6300d46f273", "wrong number"),
];

/// A value as a person would read it: a HubSpot disposition id becomes its label.
pub fn readable(value: &str) -> &str {
    let v = value.trim();
    HUBSPOT_DISPOSITIONS.iter().find(|(id, _)| id.eq_ignore_ascii_case(v)).map_or(v, |(_, label)| label)
}

/// What a deal's stage or status says, when the words tell: won, lost or
/// one of the common open stages of the CRMs' default pipelines.
pub fn deal_stage(value: &str) -> Option<Verdict> {
    let w = words(readable(value));
    let has = |word: &str| w.split(' ').any(|x| x == word);
    if has("won") || w == "closedwon" || w == "win" {
        return Some(Verdict::Outcome(Outcome::Won));
    }
    const LOST: [&str; 8] =
        ["lost", "abandoned", "dead", "disqualified", "cancelled", "canceled", "rejected", "closedlost"];
    if LOST.iter().any(|l| has(l)) {
        return Some(Verdict::Outcome(Outcome::Lost));
    }
    const OPEN: [&str; 24] = [
        "open",
        "new",
        "qualified",
        "qualification",
        "prospecting",
        "appointment scheduled",
        "qualified to buy",
        "presentation scheduled",
        "decision maker bought in",
        "contract sent",
        "needs analysis",
        "value proposition",
        "id decision makers",
        "perception analysis",
        "proposal price quote",
        "proposal",
        "proposition",
        "negotiation review",
        "negotiation",
        "lead in",
        "contact made",
        "demo scheduled",
        "proposal made",
        "negotiations started",
    ];
    OPEN.contains(&w.as_str()).then_some(Verdict::Open)
}

/// What an activity's outcome, disposition or status says.
pub fn activity_outcome(value: &str) -> Option<Verdict> {
    let w = words(readable(value));
    let verdict = match w.as_str() {
        "won" | "closed won" => Verdict::Outcome(Outcome::Won),
        "lost" | "closed lost" => Verdict::Outcome(Outcome::Lost),
        "advanced" | "moved forward" | "next step" | "next step agreed" | "interested" | "qualified" => {
            Verdict::Outcome(Outcome::Advanced)
        }
        "connected" | "completed" | "complete" | "held" | "done" | "left live message" | "reached" | "answered"
        | "spoke" | "talked" | "pending" | "call back later" | "callback" => Verdict::Outcome(Outcome::Pending),
        "no answer"
        | "noanswer"
        | "no response"
        | "busy"
        | "left voicemail"
        | "voicemail"
        | "left message"
        | "wrong number"
        | "not reached"
        | "unreachable"
        | "no answer left voicemail"
        | "no connect" => Verdict::Outcome(Outcome::NoAnswer),
        "no show" | "noshow" | "didn t show" | "did not show" | "no showed" => Verdict::Outcome(Outcome::NoShow),
        "scheduled"
        | "rescheduled"
        | "canceled"
        | "cancelled"
        | "not started"
        | "to do"
        | "todo"
        | "open"
        | "in progress"
        | "deferred"
        | "waiting on someone else"
        | "planned" => Verdict::Skip,
        "not interested" | "rejected" => Verdict::Outcome(Outcome::Lost),
        _ => return None,
    };
    Some(verdict)
}

/// A yes/no cell: `Some(true)`, `Some(false)`, or `None` when it is neither.
pub fn flag(value: &str) -> Option<bool> {
    match words(value).as_str() {
        "true" | "yes" | "y" | "1" | "x" | "done" | "completed" | "complete" | "closed" => Some(true),
        "false"
        | "no"
        | "n"
        | "0"
        | "to do"
        | "todo"
        | "not done"
        | "not started"
        | "open"
        | "in progress"
        | "deferred"
        | "waiting on someone else" => Some(false),
        _ => None,
    }
}

/// What an activity's type says: a channel, `Err(())` for what is not a
/// contact (a task, a deadline), `Ok(None)` when the words do not tell.
#[allow(clippy::result_unit_err)]
pub fn channel(value: &str) -> Result<Option<Channel>, ()> {
    let w = words(value);
    let has = |word: &str| w.split(' ').any(|x| x == word);
    if has("task") || has("deadline") || has("todo") || has("reminder") || w == "to do" || w == "note" {
        return Err(());
    }
    let channel = if has("call") || has("phone") || has("calls") {
        Channel::Call
    } else if has("email") || has("mail") || (has("e") && has("mail")) {
        Channel::Email
    } else if has("video") || has("zoom") || has("teams") || has("online") || has("web") || has("virtual") {
        Channel::OnlineMeeting
    } else if has("visit") || has("person") || has("onsite") || has("site") {
        Channel::Visit
    } else if has("meeting") || has("lunch") || has("demo") || has("presentation") || has("event") {
        Channel::Meeting
    } else if has("message") || has("sms") || has("text") || has("whatsapp") || has("linkedin") || has("chat") {
        Channel::Message
    } else {
        return Ok(None);
    };
    Ok(Some(channel))
}

/// What a deal type says about a new lead: `None` when the words do not tell.
pub fn new_lead(value: &str) -> Option<bool> {
    let w = words(value);
    let has = |word: &str| w.split(' ').any(|x| x == word);
    if has("existing") || has("renewal") || has("upsell") || has("upgrade") || has("expansion") || has("cross") {
        Some(false)
    } else if has("new") || has("lead") || has("prospect") || flag(value) == Some(true) {
        Some(true)
    } else if flag(value) == Some(false) {
        Some(false)
    } else {
        None
    }
}

/// A probability cell as a percentage (`100`, `100.0`, `1.0` is 1%).
pub fn percent(value: &str) -> Option<f64> {
    value.trim().trim_end_matches('%').trim().replace(',', ".").parse::<f64>().ok().filter(|p| p.is_finite())
}

/// A CRM date the import could not read, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not a date in any form CRMs write.
    NotADate,
    /// Day-first or month-first: both read.
    Ambiguous,
    /// A form the file uses, with numbers no calendar has.
    OutOfRange,
}

/// Reads a date or time as CRM exports write them:
/// `2026-03-04 09:12`, `2026-03-04T09:12:00.000Z`, `2026-03-04`,
/// `04/03/2026 9:12 AM` (in `order`; unambiguous ones without it),
/// `04.03.2026`, spreadsheet serial days (`46085`, `46085.5`) and unix
/// seconds or milliseconds. A time without an offset is in `tz`; a date
/// without a time is taken at noon, which no zone moves to another day.
pub fn date_time(value: &str, order: Option<DateOrder>, tz: &TimeZone) -> Result<Timestamp, DateError> {
    let v = value.trim();
    if v.is_empty() || v.len() > 40 {
        return Err(DateError::NotADate);
    }
    if let Some(stamp) = number(v) {
        return stamp;
    }
    let (date_part, rest) = split_date(v);
    let date = civil_date(date_part, order)?;
    let rest = rest.trim();
    if rest.is_empty() {
        return zoned(date.to_datetime(Time::constant(12, 0, 0, 0)), tz);
    }
    let (time, offset) = clock(rest)?;
    let local = date.to_datetime(time);
    match offset {
        Some(seconds) => {
            let utc = local.to_zoned(TimeZone::UTC).map_err(|_| DateError::OutOfRange)?.timestamp();
            utc.checked_sub(seconds.seconds()).map_err(|_| DateError::OutOfRange)
        }
        None => zoned(local, tz),
    }
}

fn zoned(local: DateTime, tz: &TimeZone) -> Result<Timestamp, DateError> {
    local.to_zoned(tz.clone()).map(|z| z.timestamp()).map_err(|_| DateError::OutOfRange)
}

/// A cell that is only a number: a spreadsheet serial day or a unix time.
fn number(v: &str) -> Option<Result<Timestamp, DateError>> {
    let (whole, fraction) = v.split_once('.').unwrap_or((v, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = whole.len();
    let n: i64 = whole.parse().ok()?;
    Some(match digits {
        // Spreadsheet serial days: 1900-01-01 is 1 (counting 1900 as a leap year), so day 0 is 1899-12-30.
        1..=5 => {
            let day_part = format!("0.{fraction}").parse::<f64>().unwrap_or(0.0);
            let seconds = (day_part * 86_400.0).round() as i64;
            let base = DateTime::constant(1899, 12, 30, 0, 0, 0, 0);
            base.checked_add(n.days())
                .and_then(|d| d.checked_add(seconds.seconds()))
                .map_err(|_| DateError::OutOfRange)
                .and_then(|d| d.to_zoned(TimeZone::UTC).map(|z| z.timestamp()).map_err(|_| DateError::OutOfRange))
                .and_then(|t| if n < 60 { Err(DateError::OutOfRange) } else { Ok(t) })
        }
        10 if fraction.is_empty() => Timestamp::from_second(n).map_err(|_| DateError::OutOfRange),
        13 if fraction.is_empty() => Timestamp::from_millisecond(n).map_err(|_| DateError::OutOfRange),
        _ => Err(DateError::NotADate),
    })
}

/// The date part and what follows it (after a `T` or a space).
fn split_date(v: &str) -> (&str, &str) {
    let cut = v.find([' ', 'T', 't']).unwrap_or(v.len());
    (&v[..cut], v.get(cut + 1..).unwrap_or(""))
}

fn civil_date(text: &str, order: Option<DateOrder>) -> Result<Date, DateError> {
    let sep = text.chars().find(|c| matches!(c, '-' | '/' | '.')).ok_or(DateError::NotADate)?;
    let parts: Vec<&str> = text.split(sep).collect();
    if parts.len() != 3 || parts.iter().any(|p| p.is_empty() || p.len() > 4 || !p.bytes().all(|b| b.is_ascii_digit())) {
        return Err(DateError::NotADate);
    }
    let n: Vec<i16> = parts.iter().map(|p| p.parse::<i16>().unwrap_or(0)).collect();
    let (y, m, d) = if parts[0].len() == 4 {
        (n[0], n[1], n[2])
    } else if parts[2].len() == 4 {
        let (a, b) = (n[0], n[1]);
        match order {
            Some(DateOrder::Dmy) => (n[2], b, a),
            Some(DateOrder::Mdy) => (n[2], a, b),
            _ if a > 12 && b <= 12 => (n[2], b, a),
            _ if b > 12 && a <= 12 => (n[2], a, b),
            _ if a == b => (n[2], a, b),
            _ => return Err(DateError::Ambiguous),
        }
    } else {
        return Err(DateError::NotADate);
    };
    Date::new(y, m as i8, d as i8).map_err(|_| DateError::OutOfRange)
}

/// `09:12`, `9:12:30.000`, `9:12 AM`, `14:00:00Z`, `09:12:00+01:00`: the
/// time and the offset in seconds when one is written.
fn clock(text: &str) -> Result<(Time, Option<i64>), DateError> {
    let mut t = text.trim();
    let mut offset = None;
    if let Some(stripped) = t.strip_suffix(['Z', 'z']) {
        offset = Some(0);
        t = stripped;
    } else if let Some(pos) = t.rfind(['+', '-']) {
        let (clock, zone) = t.split_at(pos);
        let sign = if zone.starts_with('-') { -1 } else { 1 };
        let digits: String = zone[1..].chars().filter(char::is_ascii_digit).collect();
        if digits.len() == 4 || digits.len() == 2 {
            let h: i64 = digits[..2].parse().map_err(|_| DateError::NotADate)?;
            let m: i64 =
                digits.get(2..).filter(|s| !s.is_empty()).map_or(Ok(0), str::parse).map_err(|_| DateError::NotADate)?;
            offset = Some(sign * (h * 3600 + m * 60));
            t = clock;
        } else {
            return Err(DateError::NotADate);
        }
    }
    let lower = t.trim().to_ascii_lowercase();
    let (t, half) = if let Some(x) = lower.strip_suffix("am") {
        (x.trim().to_string(), Some(false))
    } else if let Some(x) = lower.strip_suffix("pm") {
        (x.trim().to_string(), Some(true))
    } else {
        (lower, None)
    };
    let fields: Vec<&str> = t.split(':').collect();
    if !(2..=3).contains(&fields.len()) {
        return Err(DateError::NotADate);
    }
    let num = |s: &str| -> Result<i64, DateError> {
        if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DateError::NotADate);
        }
        s.parse().map_err(|_| DateError::NotADate)
    };
    let mut hour = num(fields[0])?;
    let minute = num(fields[1])?;
    let second = match fields.get(2) {
        Some(s) => num(s.split('.').next().unwrap_or(""))?,
        None => 0,
    };
    match half {
        Some(pm) if (1..=12).contains(&hour) => hour = hour % 12 + if pm { 12 } else { 0 },
        Some(_) => return Err(DateError::OutOfRange),
        None => {}
    }
    let time = Time::new(hour as i8, minute as i8, second as i8, 0).map_err(|_| DateError::OutOfRange)?;
    Ok((time, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(v: &str, order: Option<DateOrder>) -> Result<String, DateError> {
        date_time(v, order, &TimeZone::UTC).map(|t| t.to_string())
    }

    #[test]
    fn the_dates_crms_write_are_read() {
        assert_eq!(at("2026-03-04 09:12", None).unwrap(), "2026-03-04T09:12:00Z");
        assert_eq!(at("2026-03-04T09:12:00.000Z", None).unwrap(), "2026-03-04T09:12:00Z");
        assert_eq!(at("2026-03-04T09:12:00+01:00", None).unwrap(), "2026-03-04T08:12:00Z");
        assert_eq!(at("2026-03-04", None).unwrap(), "2026-03-04T12:00:00Z");
        assert_eq!(at("04/03/2026", Some(DateOrder::Dmy)).unwrap(), "2026-03-04T12:00:00Z");
        assert_eq!(at("04/03/2026 2:05 PM", Some(DateOrder::Mdy)).unwrap(), "2026-04-03T14:05:00Z");
        assert_eq!(at("25.12.2026", None).unwrap(), "2026-12-25T12:00:00Z");
        assert_eq!(at("12/25/2026 12:00 AM", None).unwrap(), "2026-12-25T00:00:00Z");
        assert_eq!(at("44124", None).unwrap(), "2020-10-20T00:00:00Z");
        assert_eq!(at("44124.5", None).unwrap(), "2020-10-20T12:00:00Z");
        assert_eq!(at("1772615520000", None).unwrap(), "2026-03-04T09:12:00Z");
    }

    #[test]
    fn what_is_not_a_date_or_is_ambiguous_is_said() {
        assert_eq!(at("04/03/2026", None), Err(DateError::Ambiguous));
        assert_eq!(at("2026-02-30", None), Err(DateError::OutOfRange));
        assert_eq!(at("next tuesday", None), Err(DateError::NotADate));
        assert_eq!(at("04/03/26", Some(DateOrder::Dmy)), Err(DateError::NotADate));
        assert_eq!(at("2026-03-04 25:00", None), Err(DateError::OutOfRange));
        assert_eq!(at("123456789", None), Err(DateError::NotADate));
    }

    #[test]
    fn stages_and_dispositions_are_read() {
        assert_eq!(deal_stage("Closed won"), Some(Verdict::Outcome(Outcome::Won)));
        assert_eq!(deal_stage("Closed: abandoned"), Some(Verdict::Outcome(Outcome::Lost)));
        assert_eq!(deal_stage("Negotiation/Review"), Some(Verdict::Open));
        assert_eq!(deal_stage("Awaiting procurement"), None);
        assert_eq!(activity_outcome("73a0d17f-1163-4015-bdd5-ec830791da20"), Some(Verdict::Outcome(Outcome::NoAnswer)));
        assert_eq!(activity_outcome("No show"), Some(Verdict::Outcome(Outcome::NoShow)));
        assert_eq!(activity_outcome("Scheduled"), Some(Verdict::Skip));
        assert_eq!(channel("task"), Err(()));
        assert_eq!(channel("Call"), Ok(Some(Channel::Call)));
        assert_eq!(new_lead("Existing Customer - Upgrade"), Some(false));
        assert_eq!(new_lead("New Business"), Some(true));
    }
}
