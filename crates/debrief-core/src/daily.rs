//! The daily question "what could I have done better today?": working days,
//! one entry per civil day, the streak, a forgiving habit strength and the
//! 30-day strip for the dashboard.
//!
//! Days are civil dates in the user's time zone ([`today`] turns `now` into
//! one), so daylight-saving changes never move an entry to another day.
//!
//! * An entry is a short list of items or "nothing to improve today"; both
//!   count. A missed-day note ("on a plane all day") explains a missed working
//!   day but does **not** count as an entry.
//! * The **streak** is the number of consecutive working days with an entry,
//!   ending today — or, while today has no entry yet, ending at the last
//!   working day before today, so the streak is not lost in the morning.
//!   Entries on days that are not working days neither count nor break it.
//! * The **habit strength** is an exponential moving average over working days,
//!   as in the Loop habit tracker: `s = s·(1−α) + α·done`, with
//!   `α = 1 − 0.5^(1/13)` ≈ 0.0519 (Loop's value for a daily habit): thirteen
//!   days take an empty habit to 50 %, one missed day costs about 5 % of the
//!   strength, and nothing ever resets it to zero. It starts at 0 on the day of
//!   the first entry; today counts only once it has an entry.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use thiserror::Error;

/// The longest missed-day note, in characters: it is a short "why".
pub const MAX_NOTE_CHARS: usize = 200;
/// How many days the dashboard strip shows.
pub const STRIP_DAYS: usize = 30;
/// The habit-strength smoothing factor: `1 − 0.5^(1/13)`.
pub const HABIT_ALPHA: f64 = 0.051_922_485_660_828_58;

/// Something wrong with a daily entry or the working days.
#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum DailyError {
    #[error("\"{0}\" is not a set of working days: expected day names like mon-fri or mon,tue,thu")]
    WorkingDays(String),
    #[error("no working days given: expected at least one day, like mon-fri")]
    NoWorkingDays,
    #[error("the entry is empty: write what you could have done better, or say \"nothing to improve today\"")]
    EmptyEntry,
    #[error("item {0} is empty: write a few words or leave it out")]
    BlankItem(usize),
    #[error("the note is empty: say in a few words why the day was missed")]
    EmptyNote,
    #[error("the note is {0} characters long: keep it under {MAX_NOTE_CHARS}")]
    NoteTooLong(usize),
    #[error("{0} is not over yet: a missed-day note is for a day before today")]
    NoteNotPast(Date),
    #[error("{0} is a {1}, not a working day: nothing was missed")]
    NotAWorkingDay(Date, &'static str),
    #[error("{0} already has an entry: a missed-day note is only for a day without one")]
    AlreadyDone(Date),
}

const NAMES: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

fn weekday_name(day: Weekday) -> &'static str {
    NAMES[day.to_monday_zero_offset() as usize]
}

fn weekday_at(offset: usize) -> Weekday {
    Weekday::from_monday_zero_offset(offset as i8).expect("0..7")
}

/// The days of the week the user works (default Monday to Friday).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct WorkingDays {
    /// Bit `i` is set when the weekday `i` days after Monday is a working day.
    mask: u8,
}

impl Default for WorkingDays {
    fn default() -> Self {
        WorkingDays { mask: 0b001_1111 }
    }
}

impl WorkingDays {
    /// The given days; at least one.
    pub fn new(days: impl IntoIterator<Item = Weekday>) -> Result<WorkingDays, DailyError> {
        let mask = days.into_iter().fold(0u8, |m, d| m | 1 << d.to_monday_zero_offset());
        if mask == 0 {
            return Err(DailyError::NoWorkingDays);
        }
        Ok(WorkingDays { mask })
    }

    pub fn is_working(&self, day: Weekday) -> bool {
        self.mask & (1 << day.to_monday_zero_offset()) != 0
    }

    pub fn is_working_date(&self, date: Date) -> bool {
        self.is_working(date.weekday())
    }

    /// The working days, Monday first.
    pub fn days(&self) -> Vec<Weekday> {
        (0..7).map(weekday_at).filter(|d| self.is_working(*d)).collect()
    }

    /// The first working day strictly after `date`; `None` past the end of the calendar.
    pub fn next_after(&self, date: Date) -> Option<Date> {
        let mut d = date.tomorrow().ok()?;
        while !self.is_working_date(d) {
            d = d.tomorrow().ok()?;
        }
        Some(d)
    }

    /// The last working day strictly before `date`; `None` before the start of the calendar.
    pub fn previous_before(&self, date: Date) -> Option<Date> {
        let mut d = date.yesterday().ok()?;
        while !self.is_working_date(d) {
            d = d.yesterday().ok()?;
        }
        Some(d)
    }
}

impl fmt::Display for WorkingDays {
    /// Runs of three or more days as `mon-fri`, single days by name: `mon-thu,sun`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        let mut i = 0;
        while i < 7 {
            if self.mask & (1 << i) == 0 {
                i += 1;
                continue;
            }
            let start = i;
            while i + 1 < 7 && self.mask & (1 << (i + 1)) != 0 {
                i += 1;
            }
            if i - start >= 2 {
                parts.push(format!("{}-{}", &NAMES[start][..3], &NAMES[i][..3]));
            } else {
                parts.extend((start..=i).map(|d| NAMES[d][..3].to_string()));
            }
            i += 1;
        }
        f.write_str(&parts.join(","))
    }
}

impl FromStr for WorkingDays {
    type Err = DailyError;

    /// `mon-fri`, `mon,tue,thu`, `sun-thu`, `fri-mon` (wraps), full names too.
    fn from_str(s: &str) -> Result<WorkingDays, DailyError> {
        let bad = || DailyError::WorkingDays(s.to_string());
        let mut days = Vec::new();
        for part in s.split(',').map(str::trim) {
            match part.split_once('-') {
                Some((a, b)) => days.extend(day_range(parse_day(a).ok_or_else(bad)?, parse_day(b).ok_or_else(bad)?)),
                None => days.push(parse_day(part).ok_or_else(bad)?),
            }
        }
        WorkingDays::new(days)
    }
}

/// A day name or a prefix of at least two letters: `mo`, `tue`, `thurs`, `sunday`.
fn parse_day(s: &str) -> Option<Weekday> {
    let s = s.trim().to_ascii_lowercase();
    if s.len() < 2 {
        return None;
    }
    NAMES.iter().position(|n| n.starts_with(&s)).map(weekday_at)
}

fn day_range(from: Weekday, to: Weekday) -> Vec<Weekday> {
    let mut days = vec![from];
    let mut d = from;
    while d != to {
        d = d.next();
        days.push(d);
    }
    days
}

/// What was written for one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DailyContent {
    /// What could have been done better, one short item each.
    Items(Vec<String>),
    /// "Nothing to improve today": an entry like any other.
    NothingToImprove,
    /// Why a working day was missed. Not an entry: it does not count.
    MissedNote(String),
}

impl DailyContent {
    /// Checks the items of an entry: at least one, none blank. A single item
    /// that says "nothing" / "nothing to improve (today)" is
    /// [`DailyContent::NothingToImprove`].
    pub fn items<S: AsRef<str>>(items: &[S]) -> Result<DailyContent, DailyError> {
        let items: Vec<String> = items.iter().map(|s| s.as_ref().trim().to_string()).collect();
        if items.is_empty() {
            return Err(DailyError::EmptyEntry);
        }
        if let Some(i) = items.iter().position(|s| s.is_empty()) {
            return Err(DailyError::BlankItem(i + 1));
        }
        if items.len() == 1 && says_nothing(&items[0]) {
            return Ok(DailyContent::NothingToImprove);
        }
        Ok(DailyContent::Items(items))
    }

    /// Checks a missed-day note: not empty, at most [`MAX_NOTE_CHARS`].
    pub fn missed(note: &str) -> Result<DailyContent, DailyError> {
        let note = note.trim();
        let len = note.chars().count();
        match len {
            0 => Err(DailyError::EmptyNote),
            n if n > MAX_NOTE_CHARS => Err(DailyError::NoteTooLong(n)),
            _ => Ok(DailyContent::MissedNote(note.to_string())),
        }
    }

    /// Whether this is an entry (items or "nothing to improve"), not a note.
    pub fn counts(&self) -> bool {
        !matches!(self, DailyContent::MissedNote(_))
    }
}

fn says_nothing(item: &str) -> bool {
    let words: String = item.to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    matches!(words.as_str(), "nothing" | "nothing to improve" | "nothing to improve today")
}

/// One day's entry or note.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DailyEntry {
    pub date: Date,
    pub content: DailyContent,
}

/// The civil date of `now` in the user's time zone.
pub fn today(now: Timestamp, tz: &TimeZone) -> Date {
    now.to_zoned(tz.clone()).date()
}

/// Whether a missed-day note may be written for `date`: a past working day
/// without an entry. `existing` is what is stored for that day, if anything.
pub fn check_missed_note(
    date: Date,
    today: Date,
    working: &WorkingDays,
    existing: Option<&DailyContent>,
) -> Result<(), DailyError> {
    if date >= today {
        return Err(DailyError::NoteNotPast(date));
    }
    if !working.is_working_date(date) {
        return Err(DailyError::NotAWorkingDay(date, weekday_name(date.weekday())));
    }
    if existing.is_some_and(DailyContent::counts) {
        return Err(DailyError::AlreadyDone(date));
    }
    Ok(())
}

fn done_days(entries: &[DailyEntry]) -> HashSet<Date> {
    entries.iter().filter(|e| e.content.counts()).map(|e| e.date).collect()
}

/// Days with an entry in a row, ending today (or, while today has no entry
/// yet, ending yesterday): every working day must have one, and an entry on a
/// day off counts too, so answering on a Sunday never shows a zero streak.
pub fn streak(entries: &[DailyEntry], today: Date, working: &WorkingDays) -> u32 {
    let done = done_days(entries);
    let Some(&first) = done.iter().min() else {
        return 0;
    };
    let mut count = 0;
    let mut day = today;
    loop {
        if done.contains(&day) {
            count += 1;
        } else if working.is_working_date(day) && day != today {
            break;
        }
        // A day off without an entry, or today still open, neither counts nor breaks.
        match day.yesterday() {
            Ok(before) if day > first => day = before,
            _ => break,
        }
    }
    count
}

/// The habit strength in `0.0..=1.0` (see the module docs for the formula).
pub fn habit_strength(entries: &[DailyEntry], today: Date, working: &WorkingDays) -> f64 {
    let done = done_days(entries);
    let Some(&start) = done.iter().min() else {
        return 0.0;
    };
    let mut strength = 0.0;
    let mut d = start;
    while d <= today {
        let over = d < today || done.contains(&d);
        // A working day counts once it is over (or answered); an answer on a day off counts too.
        if (working.is_working_date(d) && over) || done.contains(&d) {
            let hit = if done.contains(&d) { 1.0 } else { 0.0 };
            strength = strength * (1.0 - HABIT_ALPHA) + HABIT_ALPHA * hit;
        }
        let Ok(next) = d.tomorrow() else { break };
        d = next;
    }
    strength
}

/// How one day of the strip looks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DayState {
    /// An entry (on any day, working or not).
    Done,
    /// A working day without an entry.
    Missed,
    /// A missed working day with a note saying why.
    MissedWithNote,
    /// Not a working day, and no entry.
    NotWorkingDay,
    /// Before the first entry ever: nothing to miss yet.
    NotStarted,
    /// Today, without an entry yet.
    Pending,
}

impl DayState {
    pub fn as_str(self) -> &'static str {
        match self {
            DayState::Done => "done",
            DayState::Missed => "missed",
            DayState::MissedWithNote => "missed-with-note",
            DayState::NotWorkingDay => "not-working-day",
            DayState::NotStarted => "not-started",
            DayState::Pending => "pending",
        }
    }
}

/// One day of the strip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StripDay {
    pub date: Date,
    pub state: DayState,
}

/// The last `days` days ending today, oldest first.
pub fn strip(entries: &[DailyEntry], today: Date, working: &WorkingDays, days: usize) -> Vec<StripDay> {
    let by_date: HashMap<Date, &DailyContent> = entries.iter().map(|e| (e.date, &e.content)).collect();
    let start = entries.iter().filter(|e| e.content.counts()).map(|e| e.date).min();
    let mut out = Vec::with_capacity(days);
    let mut d = today;
    for _ in 0..days {
        out.push(StripDay { date: d, state: day_state(d, today, start, working, by_date.get(&d).copied()) });
        let Ok(before) = d.yesterday() else { break };
        d = before;
    }
    out.reverse();
    out
}

fn day_state(
    d: Date,
    today: Date,
    start: Option<Date>,
    working: &WorkingDays,
    content: Option<&DailyContent>,
) -> DayState {
    match content {
        Some(c) if c.counts() => DayState::Done,
        _ if start.is_none_or(|s| d < s) => DayState::NotStarted,
        _ if !working.is_working_date(d) => DayState::NotWorkingDay,
        _ if d == today => DayState::Pending,
        Some(DailyContent::MissedNote(_)) => DayState::MissedWithNote,
        _ => DayState::Missed,
    }
}

/// Everything the dashboard shows about the daily habit.
#[derive(Clone, Debug, PartialEq)]
pub struct DailySummary {
    pub today_done: bool,
    pub streak: u32,
    /// `0.0..=1.0`.
    pub strength: f64,
    /// The last [`STRIP_DAYS`] days, oldest first.
    pub strip: Vec<StripDay>,
}

/// Streak, strength and strip in one go.
pub fn summary(entries: &[DailyEntry], today: Date, working: &WorkingDays) -> DailySummary {
    DailySummary {
        today_done: entries.iter().any(|e| e.date == today && e.content.counts()),
        streak: streak(entries, today, working),
        strength: habit_strength(entries, today, working),
        strip: strip(entries, today, working, STRIP_DAYS),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn done(d: Date) -> DailyEntry {
        DailyEntry { date: d, content: DailyContent::Items(vec!["asked for budget later".into()]) }
    }

    fn note(d: Date) -> DailyEntry {
        DailyEntry { date: d, content: DailyContent::MissedNote("flight".into()) }
    }

    /// Entries on every working day from `from` to `to` inclusive.
    fn run(from: Date, to: Date, working: &WorkingDays) -> Vec<DailyEntry> {
        let mut out = Vec::new();
        let mut d = from;
        while d <= to {
            if working.is_working_date(d) {
                out.push(done(d));
            }
            d = d.tomorrow().unwrap();
        }
        out
    }

    #[test]
    fn working_days_parse_and_print() {
        let cases = [
            ("mon-fri", "mon-fri"),
            ("Mon,Tue,Thu", "mon,tue,thu"),
            ("monday - wednesday", "mon-wed"),
            ("sun-thu", "mon-thu,sun"),
            ("fri-mon", "mon,fri-sun"),
            ("sat", "sat"),
            ("tues, thurs", "tue,thu"),
        ];
        for (input, shown) in cases {
            let w: WorkingDays = input.parse().unwrap();
            assert_eq!(w.to_string(), shown, "{input}");
            assert_eq!(w.to_string().parse::<WorkingDays>().unwrap(), w);
        }
        assert_eq!(WorkingDays::default().to_string(), "mon-fri");
        for bad in ["", "funday", "mon-", "m", "mon;tue", "t"] {
            let err = bad.parse::<WorkingDays>().unwrap_err().to_string();
            assert!(err.contains("expected day names like mon-fri"), "{bad}: {err}");
        }
        assert_eq!(WorkingDays::new([]).unwrap_err(), DailyError::NoWorkingDays);
    }

    #[test]
    fn next_and_previous_working_day() {
        let w = WorkingDays::default();
        // Thu 2026-12-31 → Fri 2027-01-01 → Mon 2027-01-04 (2026-W53 into W01).
        assert_eq!(w.next_after(date(2026, 12, 31)), Some(date(2027, 1, 1)));
        assert_eq!(w.next_after(date(2027, 1, 1)), Some(date(2027, 1, 4)));
        assert_eq!(w.previous_before(date(2027, 1, 4)), Some(date(2027, 1, 1)));
        assert_eq!(w.next_after(date(9999, 12, 31)), None);
        assert_eq!(w.previous_before(Date::MIN), None);
    }

    #[test]
    fn entries_are_checked() {
        assert_eq!(DailyContent::items::<&str>(&[]).unwrap_err(), DailyError::EmptyEntry);
        assert_eq!(DailyContent::items(&["ok", "  "]).unwrap_err(), DailyError::BlankItem(2));
        assert_eq!(DailyContent::items(&["Nothing to improve today."]).unwrap(), DailyContent::NothingToImprove);
        assert_eq!(DailyContent::items(&[" listen more "]).unwrap(), DailyContent::Items(vec!["listen more".into()]));
        assert!(DailyContent::NothingToImprove.counts());
        assert!(!DailyContent::missed("sick").unwrap().counts());
        assert_eq!(DailyContent::missed(" ").unwrap_err(), DailyError::EmptyNote);
        assert_eq!(DailyContent::missed(&"x".repeat(201)).unwrap_err(), DailyError::NoteTooLong(201));
        assert_eq!(
            DailyError::EmptyEntry.to_string(),
            "the entry is empty: write what you could have done better, or say \"nothing to improve today\""
        );
    }

    #[test]
    fn missed_notes_only_for_past_working_days_without_entry() {
        let w = WorkingDays::default();
        let today = date(2026, 12, 30);
        let items = DailyContent::NothingToImprove;
        let note = DailyContent::missed("flight").unwrap();
        let cases: [(Date, Option<&DailyContent>, Result<(), DailyError>); 5] = [
            (date(2026, 12, 29), None, Ok(())),
            (date(2026, 12, 29), Some(&note), Ok(())),
            (today, None, Err(DailyError::NoteNotPast(today))),
            (date(2026, 12, 27), None, Err(DailyError::NotAWorkingDay(date(2026, 12, 27), "sunday"))),
            (date(2026, 12, 28), Some(&items), Err(DailyError::AlreadyDone(date(2026, 12, 28)))),
        ];
        for (d, existing, want) in cases {
            assert_eq!(check_missed_note(d, today, &w, existing), want, "{d}");
        }
        assert_eq!(
            DailyError::NotAWorkingDay(date(2026, 12, 27), "sunday").to_string(),
            "2026-12-27 is a sunday, not a working day: nothing was missed"
        );
    }

    #[test]
    fn today_follows_the_time_zone_across_dst() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let cases = [
            ("2026-03-28T23:30:00Z", date(2026, 3, 29)), // 00:30 CET, the night of the spring change
            ("2026-03-29T21:59:00Z", date(2026, 3, 29)), // 23:59 CEST
            ("2026-10-24T22:30:00Z", date(2026, 10, 25)), // 00:30 CEST, the night of the autumn change
            ("2026-10-25T22:59:00Z", date(2026, 10, 25)), // 23:59 CET
            ("2026-12-31T23:00:00Z", date(2027, 1, 1)),
        ];
        for (at, want) in cases {
            assert_eq!(today(at.parse().unwrap(), &tz), want, "{at}");
        }
    }

    #[test]
    fn streak_across_the_year_boundary_and_weekends() {
        let w = WorkingDays::default();
        // Mon 2026-12-21 … Mon 2027-01-04: 11 working days, two weekends skipped.
        let entries = run(date(2026, 12, 21), date(2027, 1, 4), &w);
        let cases = [
            (date(2027, 1, 4), 11),  // today done
            (date(2027, 1, 5), 11),  // today not yet written: yesterday's streak holds
            (date(2027, 1, 6), 0),   // yesterday missed
            (date(2027, 1, 2), 10),  // a Saturday: ends at Friday 2027-01-01
            (date(2026, 12, 20), 0), // before any entry
        ];
        for (today, want) in cases {
            assert_eq!(streak(&entries, today, &w), want, "{today}");
        }
    }

    #[test]
    fn notes_weekend_entries_and_custom_working_days() {
        let w = WorkingDays::default();
        let mut entries = run(date(2026, 3, 23), date(2026, 3, 27), &w); // Mon–Fri around the spring DST change
        entries.push(done(date(2026, 3, 29))); // a Sunday entry counts; Saturday off doesn't break
        assert_eq!(streak(&entries, date(2026, 3, 30), &w), 6);
        entries.push(note(date(2026, 3, 30)));
        assert_eq!(streak(&entries, date(2026, 3, 31), &w), 0, "a note is not an entry");
        let sun_thu: WorkingDays = "sun-thu".parse().unwrap();
        let entries = vec![done(date(2026, 10, 22)), done(date(2026, 10, 25)), done(date(2026, 10, 26))];
        assert_eq!(streak(&entries, date(2026, 10, 26), &sun_thu), 3, "Thu, Sun, Mon across the autumn change");
    }

    #[test]
    fn an_answer_on_a_day_off_is_never_a_zero_streak() {
        let w = WorkingDays::default();
        let sunday = date(2026, 11, 29);
        let entries = vec![done(sunday)];
        assert_eq!(streak(&entries, sunday, &w), 1);
        assert!(habit_strength(&entries, sunday, &w) > 0.0);
        assert!(summary(&entries, sunday, &w).today_done);
    }

    #[test]
    fn habit_strength_is_forgiving() {
        let w = WorkingDays::default();
        let entries = run(date(2026, 11, 2), date(2026, 12, 11), &w); // 30 working days
        let full = habit_strength(&entries, date(2026, 12, 11), &w);
        let expected = 1.0 - (1.0 - HABIT_ALPHA).powi(30);
        assert!((full - expected).abs() < 1e-12, "{full}");
        // Monday 14th missed, seen on Tuesday before writing.
        let dented = habit_strength(&entries, date(2026, 12, 15), &w);
        assert!((dented - full * (1.0 - HABIT_ALPHA)).abs() < 1e-12);
        assert!(dented > 0.75 && full - dented < 0.05, "one miss dents: {full} → {dented}");
        assert_eq!(streak(&entries, date(2026, 12, 15), &w), 0, "the streak does reset");
        // Thirteen days from nothing reach one half.
        let half = run(date(2026, 12, 14), date(2026, 12, 30), &w);
        let s = habit_strength(&half, date(2026, 12, 30), &w);
        assert!((s - 0.5).abs() < 1e-9, "{s}");
        assert_eq!(habit_strength(&[], date(2026, 12, 30), &w), 0.0);
        assert!((HABIT_ALPHA - (1.0 - 0.5f64.powf(1.0 / 13.0))).abs() < 1e-15);
    }

    #[test]
    fn strip_shows_each_day() {
        let w = WorkingDays::default();
        let today = date(2027, 1, 5); // Tuesday of 2027-W01
        let entries = vec![
            done(date(2026, 12, 30)),
            note(date(2026, 12, 31)),
            DailyEntry { date: date(2027, 1, 1), content: DailyContent::NothingToImprove },
            done(date(2027, 1, 3)), // Sunday
        ];
        let s = strip(&entries, today, &w, 8);
        let got: Vec<_> = s.iter().map(|d| (d.date.day(), d.state)).collect();
        use DayState::*;
        assert_eq!(
            got,
            [
                (29, NotStarted),
                (30, Done),
                (31, MissedWithNote),
                (1, Done),
                (2, NotWorkingDay),
                (3, Done),
                (4, Missed),
                (5, Pending)
            ]
        );
        let sum = summary(&entries, today, &w);
        assert_eq!((sum.today_done, sum.streak, sum.strip.len()), (false, 0, STRIP_DAYS));
        assert_eq!(MissedWithNote.as_str(), "missed-with-note");
    }
}
