//! Meetings to debrief, from a calendar export (`.ics` from Google, Outlook
//! or Apple): the events of a range of time that have someone from outside
//! the rep's own domain, recurring ones expanded in the event's own time
//! zone (the `rrule` crate), moved instances in their new place, cancelled
//! instances, cancelled events and all-day events left out.
//!
//! Pure: the caller reads the file. Every refusal names the line of the file.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use icalendar::parser::{Component, Property};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// Most instances of one recurring event taken from a range.
const INSTANCES: u16 = 500;
/// Longest calendar file read, in bytes.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// A meeting with someone from outside, to debrief.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarMeeting {
    /// The event's UID and the instance's first planned start: the same
    /// meeting imported again (even moved) has the same key.
    pub key: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub title: String,
    /// The client, from the title or the first outside attendee's domain.
    pub client: String,
    /// The outside attendees' addresses.
    pub external: Vec<String>,
}

/// What a calendar holds for a range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarRead {
    /// Start order.
    pub meetings: Vec<CalendarMeeting>,
    /// The rep's own domain, as given or as found (the domain in most events).
    pub domain: Option<String>,
    /// Events in the file.
    pub events: usize,
    /// Instances in the range left out, by why.
    pub skipped: BTreeMap<&'static str, usize>,
}

/// A calendar that cannot be read: the line of the file and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarError {
    /// 1-based; 0 when the fault is the whole file's.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for CalendarError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            0 => f.write_str(&self.message),
            line => write!(f, "line {line}: {}", self.message),
        }
    }
}

fn fail(line: usize, message: impl Into<String>) -> CalendarError {
    CalendarError { line, message: message.into() }
}

/// The meetings of `[from, to)` in `text`. `domain` is the rep's own
/// (found from the file when `None`); `floating` is the zone of times
/// written without one.
pub fn read_meetings(
    text: &str,
    from: Timestamp,
    to: Timestamp,
    domain: Option<&str>,
    floating: &TimeZone,
) -> Result<CalendarRead, CalendarError> {
    if text.len() > MAX_BYTES {
        return Err(fail(0, format!("the file is {} MB: a calendar export is read up to 16 MB", text.len() >> 20)));
    }
    let uid_lines = check_lines(text)?;
    let unfolded = icalendar::parser::unfold(text);
    let calendar = icalendar::parser::read_calendar(&unfolded).map_err(|e| {
        fail(0, format!("not an iCalendar file ({}): expected BEGIN:VCALENDAR … END:VCALENDAR", first_line(&e)))
    })?;
    let mut events: Vec<&Component<'_>> = Vec::new();
    for c in &calendar.components {
        collect_events(c, &mut events);
    }
    if events.is_empty() {
        return Err(fail(0, "the calendar holds no events (VEVENT): export the calendar with its meetings"));
    }
    let named = calendar.components.iter().find_map(|c| prop(c, "X-WR-CALNAME")).map(|p| p.val.as_str().to_string());
    let domain = match domain {
        Some(d) => Some(d.trim().trim_start_matches('@').to_ascii_lowercase()),
        None => guess_domain(&events, named.as_deref()),
    };
    let mut read =
        CalendarRead { meetings: Vec::new(), domain: domain.clone(), events: events.len(), skipped: BTreeMap::new() };
    // Moved or cancelled instances, by UID and the start they replace.
    let mut overrides: HashMap<(String, i64), &Component<'_>> = HashMap::new();
    for e in &events {
        if let Some(rid) = prop(e, "RECURRENCE-ID") {
            let line = line_of(&uid_lines, e);
            let at = when(rid, floating, line)?;
            if let When::At(t) = at {
                overrides.insert((uid(e), t.as_second()), e);
            }
        }
    }
    for e in events.iter().filter(|e| prop(e, "RECURRENCE-ID").is_none()) {
        let line = line_of(&uid_lines, e);
        let Some(start_prop) = prop(e, "DTSTART") else {
            return Err(fail(line, "an event has no DTSTART: every VEVENT needs its start"));
        };
        let start = match when(start_prop, floating, line)? {
            When::Day => {
                count(&mut read.skipped, "all-day events", in_day_range(e, from, to));
                continue;
            }
            When::At(t) => t,
        };
        let length = match prop(e, "DTEND").map(|p| when(p, floating, line)).transpose()? {
            Some(When::At(end)) if end >= start => end.duration_since(start),
            _ => SignedDuration::ZERO,
        };
        let cancelled = is_cancelled(e);
        let starts = match prop(e, "RRULE") {
            None => vec![start],
            Some(rule) => instances(e, start_prop, rule, from, to, floating, line)?,
        };
        for planned in starts {
            let (event, at, end) = match overrides.get(&(uid(e), planned.as_second())) {
                Some(moved) => {
                    let at = match prop(moved, "DTSTART").map(|p| when(p, floating, line)).transpose()? {
                        Some(When::At(t)) => t,
                        _ => planned,
                    };
                    let end = match prop(moved, "DTEND").map(|p| when(p, floating, line)).transpose()? {
                        Some(When::At(t)) if t >= at => t,
                        _ => at + length,
                    };
                    (*moved, at, end)
                }
                None => (*e, planned, planned + length),
            };
            if at < from || at >= to {
                continue;
            }
            if cancelled || is_cancelled(event) {
                count(&mut read.skipped, "cancelled", 1);
                continue;
            }
            let people = attendees(event);
            if people.is_empty() {
                count(&mut read.skipped, "without attendees", 1);
                continue;
            }
            let external: Vec<String> = people
                .iter()
                .filter(|a| domain.as_deref().is_none_or(|d| domain_of(a).as_deref() != Some(d)))
                .cloned()
                .collect();
            if external.is_empty() {
                count(&mut read.skipped, "with your own colleagues only", 1);
                continue;
            }
            let title = prop(event, "SUMMARY")
                .or_else(|| prop(e, "SUMMARY"))
                .map_or(String::new(), |p| unescape(p.val.as_str()));
            read.meetings.push(CalendarMeeting {
                key: format!("{}#{}", uid(e), planned.strftime("%Y%m%dT%H%M%SZ")),
                start: at,
                end,
                client: client_of(&title, &external[0]),
                title: if title.is_empty() { "(no title)".to_string() } else { title },
                external,
            });
        }
    }
    read.meetings.sort_by(|a, b| a.start.cmp(&b.start).then(a.key.cmp(&b.key)));
    Ok(read)
}

/// Every VEVENT under `c`, VALARMs and other sub-components aside.
fn collect_events<'a>(c: &'a Component<'a>, out: &mut Vec<&'a Component<'a>>) {
    if c.name.as_str().eq_ignore_ascii_case("VEVENT") {
        out.push(c);
        return;
    }
    for inner in &c.components {
        collect_events(inner, out);
    }
}

fn prop<'a>(c: &'a Component<'a>, name: &str) -> Option<&'a Property<'a>> {
    c.properties.iter().find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

fn param<'a>(p: &'a Property<'a>, name: &str) -> Option<&'a str> {
    p.params
        .iter()
        .find(|q| q.key.as_str().eq_ignore_ascii_case(name))
        .and_then(|q| q.val.as_ref())
        .map(|v| v.as_str().trim_matches('"'))
}

fn uid(e: &Component<'_>) -> String {
    prop(e, "UID").map_or_else(String::new, |p| p.val.as_str().trim().to_string())
}

fn is_cancelled(e: &Component<'_>) -> bool {
    prop(e, "STATUS").is_some_and(|p| p.val.as_str().trim().eq_ignore_ascii_case("CANCELLED"))
}

fn count(skipped: &mut BTreeMap<&'static str, usize>, why: &'static str, n: usize) {
    if n > 0 {
        *skipped.entry(why).or_default() += n;
    }
}

/// Whether an all-day event's day falls in the range (for the count of what was left out).
fn in_day_range(e: &Component<'_>, from: Timestamp, to: Timestamp) -> usize {
    let Some(p) = prop(e, "DTSTART") else { return 0 };
    let Ok(date) = jiff::civil::Date::strptime("%Y%m%d", p.val.as_str().trim()) else { return 0 };
    let Ok(noon) = date.to_datetime(jiff::civil::Time::constant(12, 0, 0, 0)).to_zoned(TimeZone::UTC) else { return 0 };
    let t = noon.timestamp();
    usize::from(t >= from - SignedDuration::from_hours(12) && t < to + SignedDuration::from_hours(12))
}

/// A property's time: a whole day, or an instant.
enum When {
    Day,
    At(Timestamp),
}

fn when(p: &Property<'_>, floating: &TimeZone, line: usize) -> Result<When, CalendarError> {
    let value = p.val.as_str().trim();
    let all_day = param(p, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE")) || value.len() == 8;
    if all_day {
        return Ok(When::Day);
    }
    let (local, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(v) => (v, true),
        None => (value, false),
    };
    let civil = DateTime::strptime("%Y%m%dT%H%M%S", local).map_err(|_| {
        fail(
            line,
            format!(
                "{} \"{value}\" is not an iCalendar time: expected like 20261207T140000 or 20261207T130000Z",
                p.name.as_str()
            ),
        )
    })?;
    let tz = match (utc, param(p, "TZID")) {
        (true, _) => TimeZone::UTC,
        (false, Some(name)) => zone(name).ok_or_else(|| {
            fail(line, format!("the time zone \"{name}\" is not one this build knows: expected an IANA name like Europe/Berlin or a Windows name like W. Europe Standard Time"))
        })?,
        (false, None) => floating.clone(),
    };
    civil
        .to_zoned(tz)
        .map(|z| When::At(z.timestamp()))
        .map_err(|_| fail(line, format!("{} \"{value}\" is beyond the calendar", p.name.as_str())))
}

/// An IANA zone, or the IANA zone of a Windows zone name (CLDR's table, the common ones).
fn zone(name: &str) -> Option<TimeZone> {
    let name = name.trim().trim_start_matches('/');
    if let Ok(tz) = TimeZone::get(name) {
        return Some(tz);
    }
    windows_zone(name).and_then(|iana| TimeZone::get(iana).ok())
}

/// CLDR's `windowsZones.xml`, territory 001, for the zones Outlook writes most.
fn windows_zone(name: &str) -> Option<&'static str> {
    const TABLE: [(&str, &str); 32] = [
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("Central Europe Standard Time", "Europe/Budapest"),
        ("Central European Standard Time", "Europe/Warsaw"),
        ("Romance Standard Time", "Europe/Paris"),
        ("GMT Standard Time", "Europe/London"),
        ("Greenwich Standard Time", "Atlantic/Reykjavik"),
        ("E. Europe Standard Time", "Europe/Chisinau"),
        ("FLE Standard Time", "Europe/Kiev"),
        ("GTB Standard Time", "Europe/Bucharest"),
        ("Russian Standard Time", "Europe/Moscow"),
        ("Turkey Standard Time", "Europe/Istanbul"),
        ("Israel Standard Time", "Asia/Jerusalem"),
        ("South Africa Standard Time", "Africa/Johannesburg"),
        ("Arabian Standard Time", "Asia/Dubai"),
        ("India Standard Time", "Asia/Calcutta"),
        ("China Standard Time", "Asia/Shanghai"),
        ("Singapore Standard Time", "Asia/Singapore"),
        ("Tokyo Standard Time", "Asia/Tokyo"),
        ("Korea Standard Time", "Asia/Seoul"),
        ("AUS Eastern Standard Time", "Australia/Sydney"),
        ("New Zealand Standard Time", "Pacific/Auckland"),
        ("Eastern Standard Time", "America/New_York"),
        ("Central Standard Time", "America/Chicago"),
        ("Mountain Standard Time", "America/Denver"),
        ("US Mountain Standard Time", "America/Phoenix"),
        ("Pacific Standard Time", "America/Los_Angeles"),
        ("Alaskan Standard Time", "America/Anchorage"),
        ("Hawaiian Standard Time", "Pacific/Honolulu"),
        ("Atlantic Standard Time", "America/Halifax"),
        ("E. South America Standard Time", "America/Sao_Paulo"),
        ("SA Pacific Standard Time", "America/Bogota"),
        ("UTC", "UTC"),
    ];
    TABLE.iter().find(|(w, _)| w.eq_ignore_ascii_case(name)).map(|(_, iana)| *iana)
}

/// The planned starts of a recurring event within `[from, to)` (a day
/// either side, for instances moved into or out of the range).
fn instances(
    e: &Component<'_>,
    start: &Property<'_>,
    rule: &Property<'_>,
    from: Timestamp,
    to: Timestamp,
    floating: &TimeZone,
    line: usize,
) -> Result<Vec<Timestamp>, CalendarError> {
    let value = start.val.as_str().trim();
    let head = match (value.ends_with(['Z', 'z']), param(start, "TZID")) {
        (true, _) => format!("DTSTART:{value}"),
        (false, Some(name)) => {
            let iana = zone(name).and_then(|z| z.iana_name().map(str::to_string)).unwrap_or_else(|| name.to_string());
            format!("DTSTART;TZID={iana}:{value}")
        }
        (false, None) => format!("DTSTART;TZID={}:{value}", floating.iana_name().unwrap_or("UTC")),
    };
    let mut set = format!("{head}\nRRULE:{}", rule.val.as_str().trim());
    for p in e.properties.iter().filter(|p| p.name.as_str().eq_ignore_ascii_case("EXDATE")) {
        for v in p.val.as_str().split(',').map(str::trim).filter(|v| !v.is_empty()) {
            if let Some(t) = instant(v, param(p, "TZID"), floating) {
                set.push_str(&format!("\nEXDATE:{}", utc(t)));
            }
        }
    }
    let parsed: rrule::RRuleSet = set.parse().map_err(|e: rrule::RRuleError| {
        fail(line, format!("the recurrence \"{}\" cannot be read: {e}", rule.val.as_str().trim()))
    })?;
    let day = SignedDuration::from_hours(24);
    let bound =
        |t: Timestamp| chrono::DateTime::from_timestamp(t.as_second(), 0).map(|d| d.with_timezone(&rrule::Tz::UTC));
    let (Some(after), Some(before)) = (bound(from - day * 31), bound(to + day)) else {
        return Ok(Vec::new());
    };
    let found = parsed.after(after).before(before).all(INSTANCES);
    Ok(found.dates.iter().filter_map(|d| Timestamp::from_second(d.timestamp()).ok()).collect())
}

/// An iCalendar time value as an instant: UTC with `Z`, else in `tzid`, else floating.
fn instant(value: &str, tzid: Option<&str>, floating: &TimeZone) -> Option<Timestamp> {
    let (local, tz) = match (value.strip_suffix(['Z', 'z']), tzid) {
        (Some(v), _) => (v, TimeZone::UTC),
        (None, Some(name)) => (value, zone(name)?),
        (None, None) => (value, floating.clone()),
    };
    DateTime::strptime("%Y%m%dT%H%M%S", local).ok()?.to_zoned(tz).ok().map(|z| z.timestamp())
}

fn utc(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// The people of an event: its organizer and attendees, by address, in order.
fn attendees(e: &Component<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in e.properties.iter().filter(|p| {
        let n = p.name.as_str();
        n.eq_ignore_ascii_case("ATTENDEE") || n.eq_ignore_ascii_case("ORGANIZER")
    }) {
        let value = p.val.as_str().trim();
        let address = value.get(..7).filter(|m| m.eq_ignore_ascii_case("mailto:")).map_or(value, |_| &value[7..]);
        let address = match param(p, "EMAIL") {
            Some(email) if !address.contains('@') => email,
            _ => address,
        };
        let address = address.trim().to_ascii_lowercase();
        if address.contains('@') && !out.contains(&address) {
            out.push(address);
        }
    }
    out
}

fn domain_of(address: &str) -> Option<String> {
    address.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase())
}

/// The rep's own domain: the calendar's owner's (Google names the calendar
/// by its owner's address), else the domain in the most events.
fn guess_domain(events: &[&Component<'_>], calendar_name: Option<&str>) -> Option<String> {
    if let Some(owner) = calendar_name.filter(|n| n.contains('@')).and_then(domain_of) {
        return Some(owner);
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    for e in events {
        let mut domains: Vec<String> = attendees(e).iter().filter_map(|a| domain_of(a)).collect();
        domains.sort();
        domains.dedup();
        for d in domains {
            *seen.entry(d).or_default() += 1;
        }
    }
    seen.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(d, _)| d)
}

/// The client of a meeting: the title's lead ("Kestrel Ridge – rollout
/// check-in") when it names the outside attendee's organisation, else that
/// organisation from their domain ("halvorsen-energy.example" → "Halvorsen Energy").
fn client_of(title: &str, external: &str) -> String {
    let label = domain_of(external)
        .and_then(|d| d.split('.').next().map(str::to_string))
        .unwrap_or_else(|| external.to_string());
    let squash = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect::<String>();
    for sep in [" – ", " — ", " - ", ": ", " | "] {
        if let Some((lead, _)) = title.split_once(sep) {
            let lead = lead.trim();
            let (a, b) = (squash(lead), squash(&label));
            if !a.is_empty() && (b.starts_with(&a) || a.starts_with(&b)) {
                return lead.to_string();
            }
        }
    }
    label
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// iCalendar text escapes: `\,` `\;` `\n` `\\`.
fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, true) => match chars.next() {
                Some('n' | 'N') => out.push(' '),
                Some(other) => out.push(other),
                None => {}
            },
            (c, false) => out.push(c),
        }
    }
    out.trim().to_string()
}

/// Checks the file line by line before it is parsed: every line a
/// `NAME:value` (or a folded continuation), BEGIN and END paired. Returns
/// each UID's line, for errors about its event.
fn check_lines(text: &str) -> Result<HashMap<String, usize>, CalendarError> {
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut uids = HashMap::new();
    let mut any = false;
    // Logical lines: a line starting with a space or tab continues the one before.
    let mut logical: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim_end_matches('\r');
        match (l.strip_prefix([' ', '\t']), logical.last_mut()) {
            (Some(rest), Some((_, last))) => last.push_str(rest),
            _ if l.is_empty() => {}
            _ => logical.push((i + 1, l.to_string())),
        }
    }
    for (line, l) in &logical {
        let (line, l) = (*line, l.as_str());
        let Some((head, value)) = l.split_once(':') else {
            return Err(fail(
                line,
                format!("\"{}\" is not a NAME:value line of iCalendar", l.chars().take(40).collect::<String>()),
            ));
        };
        let name = head.split(';').next().unwrap_or("").to_ascii_uppercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(fail(
                line,
                format!("\"{}\" is not a property name", name.chars().take(40).collect::<String>()),
            ));
        }
        let value = value.trim().to_ascii_uppercase();
        match name.as_str() {
            "BEGIN" => {
                any = true;
                open.push((value, line));
            }
            "END" => match open.pop() {
                Some((begun, _)) if begun == value => {}
                Some((begun, at)) => {
                    return Err(fail(
                        line,
                        format!("END:{value} closes BEGIN:{begun} of line {at}: expected END:{begun}"),
                    ));
                }
                None => return Err(fail(line, format!("END:{value} without its BEGIN"))),
            },
            "UID" if open.last().is_some_and(|(c, _)| c == "VEVENT") => {
                uids.entry(l.split_once(':').map_or("", |(_, v)| v).trim().to_string()).or_insert(line);
            }
            _ => {}
        }
    }
    if !any {
        return Err(fail(1, "not an iCalendar file: expected BEGIN:VCALENDAR"));
    }
    if let Some((begun, at)) = open.pop() {
        return Err(fail(at, format!("BEGIN:{begun} is never closed: the file may be cut short")));
    }
    Ok(uids)
}

/// The line an event starts near (its UID's), for errors.
fn line_of(uids: &HashMap<String, usize>, e: &Component<'_>) -> usize {
    uids.get(&uid(e)).copied().unwrap_or(0)
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or("").chars().take(80).collect()
}

#[cfg(test)]
mod tests;
