//! Debrief your day from the calendar: `debrief import meetings.ics` keeps
//! the day's (or a range's) meetings with someone from outside as meetings
//! to debrief; `today` lists those not yet debriefed, and logging a contact
//! for one marks it debriefed. Importing the calendar again adds nothing
//! twice: moved meetings move, cancelled ones go, debriefed ones stay.

use debrief_core::calendar::{self, CalendarRead};
use debrief_core::model::ContactId;
use debrief_store::{Meeting, NewMeeting};
use jiff::civil::Date;
use jiff::{Timestamp, ToSpan};
use serde::Serialize;

use crate::crm::Counted;
use crate::input::{LogRequest, RepName};
use crate::views::LogView;
use crate::{App, AppError, Result};

/// Longest range of days one import takes.
pub const MAX_DAYS: i64 = 92;

/// Which days of a calendar to take, and whose domain is the rep's.
#[derive(Clone, Debug, Default)]
pub struct CalendarOptions {
    /// First day (default: today in the rep's zone).
    pub from: Option<Date>,
    /// Last day, included (default: `from`).
    pub to: Option<Date>,
    /// The rep's own e-mail domain (default: found from the file).
    pub domain: Option<String>,
    pub dry_run: bool,
}

/// A meeting to debrief (or debriefed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeetingView {
    /// 0 on a dry run (not saved).
    pub id: i64,
    /// RFC 3339.
    pub start: String,
    /// The start as people read it ("Mon 7 Dec, 14:00").
    pub when: String,
    pub title: String,
    pub client: String,
    pub attendees: Vec<String>,
    /// The contact that debriefed it.
    pub contact_id: Option<i64>,
}

/// What a calendar import did (or would do).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CalendarImportView {
    pub file: String,
    pub from: String,
    pub to: String,
    /// The rep's own domain: meetings with only this domain are not client meetings.
    pub domain: Option<String>,
    pub dry_run: bool,
    /// Events in the file.
    pub events: usize,
    pub meetings: Vec<MeetingView>,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub removed: u64,
    /// Instances in the range left out, by why.
    pub skipped: Vec<Counted>,
}

impl App {
    /// Reads a calendar export and keeps its meetings with outsiders in the
    /// range as the rep's meetings to debrief.
    pub async fn import_calendar(
        &self,
        rep: &RepName,
        file: &str,
        bytes: &[u8],
        options: &CalendarOptions,
    ) -> Result<CalendarImportView> {
        let refuse = |what: String| AppError::Rejected(format!("{file}: {what}"));
        let today = self.now().to_zoned(self.tz().clone()).date();
        let from = options.from.unwrap_or(today);
        let to = options.to.unwrap_or(from);
        if to < from {
            return Err(AppError::Rejected(format!(
                "the range ends ({to}) before it starts ({from}): give --to on or after --from"
            )));
        }
        if from.until(to).map_or(true, |span| i64::from(span.get_days()) >= MAX_DAYS) {
            return Err(AppError::Rejected(format!(
                "{from} to {to} is more than {MAX_DAYS} days: import a calendar a quarter at a time"
            )));
        }
        let start = self.day_start(from)?;
        let end = self.day_start(
            to.checked_add(1.day()).map_err(|_| AppError::Rejected(format!("{to} is beyond the calendar")))?,
        )?;
        let text = decode(bytes).map_err(refuse)?;
        let read: CalendarRead = calendar::read_meetings(&text, start, end, options.domain.as_deref(), self.tz())
            .map_err(|e| refuse(e.to_string()))?;
        let new: Vec<NewMeeting> = read
            .meetings
            .iter()
            .map(|m| NewMeeting {
                key: m.key.clone(),
                start: m.start,
                end: m.end,
                title: m.title.chars().take(crate::input::MAX_NAME).collect(),
                client: m.client.chars().take(crate::input::MAX_NAME).collect(),
                attendees: m.external.join(", "),
            })
            .collect();
        let mut view = CalendarImportView {
            file: file.to_string(),
            from: from.to_string(),
            to: to.to_string(),
            domain: read.domain.clone(),
            dry_run: options.dry_run,
            events: read.events,
            meetings: Vec::new(),
            added: 0,
            updated: 0,
            unchanged: 0,
            removed: 0,
            skipped: read.skipped.iter().map(|(what, n)| Counted { what: what.to_string(), n: *n as u64 }).collect(),
        };
        if options.dry_run {
            view.added = new.len() as u64;
            view.meetings =
                new.iter().map(|m| self.meeting_view(0, m.start, &m.title, &m.client, &m.attendees, None)).collect();
            return Ok(view);
        }
        let id = self.writing_rep(rep).await?;
        let counts = self.store().save_meetings(id, start, end, &new).await?;
        view.added = counts.added;
        view.updated = counts.updated;
        view.unchanged = counts.unchanged;
        view.removed = counts.removed;
        view.meetings = self.store().meetings(id, start, end).await?.iter().map(|m| self.view_of(m)).collect();
        Ok(view)
    }

    /// Today's meetings not yet debriefed.
    pub async fn meetings_to_debrief(&self, rep: &RepName) -> Result<Vec<MeetingView>> {
        let Some(id) = self.existing_rep(rep).await? else { return Ok(Vec::new()) };
        let today = self.now().to_zoned(self.tz().clone()).date();
        let start = self.day_start(today)?;
        let end = self.day_start(today.tomorrow().map_err(|_| AppError::Rejected("beyond the calendar".into()))?)?;
        let meetings = self.store().meetings(id, start, end).await?;
        Ok(meetings.iter().filter(|m| m.contact.is_none()).map(|m| self.view_of(m)).collect())
    }

    /// One of the rep's meetings.
    pub async fn meeting(&self, rep: &RepName, id: i64) -> Result<MeetingView> {
        let (owner, meeting) = self.store().meeting(id).await.map_err(|_| no_meeting(id))?;
        if self.existing_rep(rep).await? != Some(owner) {
            return Err(no_meeting(id));
        }
        Ok(self.view_of(&meeting))
    }

    /// Logs the contact of a meeting (at its start when no time is given)
    /// and marks the meeting debriefed.
    pub async fn log_meeting(&self, rep: &RepName, meeting: i64, mut req: LogRequest) -> Result<LogView> {
        let (owner, stored) = self.store().meeting(meeting).await.map_err(|_| no_meeting(meeting))?;
        if self.existing_rep(rep).await? != Some(owner) {
            return Err(no_meeting(meeting));
        }
        if let Some(contact) = stored.contact {
            return Err(AppError::Conflict(format!(
                "meeting {meeting} ({}) is debriefed already, as contact #{}",
                stored.title, contact.0
            )));
        }
        if req.at.is_none() {
            req.at = Some(stored.start);
        }
        let view = self.log(rep, req).await?;
        self.store().meeting_debriefed(meeting, ContactId(view.contact.id)).await?;
        Ok(view)
    }

    fn view_of(&self, m: &Meeting) -> MeetingView {
        self.meeting_view(m.id, m.start, &m.title, &m.client, &m.attendees, m.contact.map(|c| c.0))
    }

    fn meeting_view(
        &self,
        id: i64,
        start: Timestamp,
        title: &str,
        client: &str,
        attendees: &str,
        contact: Option<i64>,
    ) -> MeetingView {
        MeetingView {
            id,
            start: crate::views::local_time(start, self.tz()),
            when: crate::summary::human_time(start, self.tz()),
            title: title.to_string(),
            client: client.to_string(),
            attendees: attendees.split(", ").filter(|a| !a.is_empty()).map(str::to_string).collect(),
            contact_id: contact,
        }
    }

    /// The first instant of a day in the rep's zone.
    fn day_start(&self, day: Date) -> Result<Timestamp> {
        day.to_zoned(self.tz().clone())
            .map(|z| z.timestamp())
            .map_err(|_| AppError::Rejected(format!("{day} is beyond the calendar")))
    }
}

fn no_meeting(id: i64) -> AppError {
    AppError::NotFound(format!("no meeting {id}: `debrief today` lists the meetings to debrief"))
}

/// The calendar as text: UTF-8 (a byte-order mark dropped); other bytes are refused.
fn decode(bytes: &[u8]) -> std::result::Result<String, String> {
    if bytes.len() > calendar::MAX_BYTES {
        return Err(format!("the file is {} MB: a calendar export is read up to 16 MB", bytes.len() >> 20));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|e| {
        let line = 1 + bytes[..e.utf8_error().valid_up_to()].iter().filter(|&&b| b == b'\n').count();
        format!("line {line}: the file is not UTF-8, as iCalendar must be: export it again")
    })
}
