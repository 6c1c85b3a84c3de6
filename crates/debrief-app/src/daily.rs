//! The daily question, "what could I have done better today?": one entry a
//! day, a streak of working days, a forgiving habit strength, a 30-day strip.

use debrief_core::daily::{self, DailyContent, DailyEntry};
use jiff::ToSpan;
use serde::Serialize;

use crate::input::{DailyRequest, RepName};
use crate::{App, AppError, Result};

/// How far back entries are read for the habit strength.
const HISTORY_DAYS: i64 = 400;

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StripDayView {
    pub date: String,
    /// "done", "missed", "missed-with-note", "not-working-day", "pending" or "not-started".
    #[serde(serialize_with = "crate::views::word")]
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub state: daily::DayState,
}

/// `debrief today`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyView {
    pub date: String,
    pub items: Vec<String>,
    pub nothing_to_improve: bool,
    pub done_today: bool,
    pub streak: u32,
    /// 0..=1, an exponential moving average over working days.
    pub strength: f64,
    pub strip: Vec<StripDayView>,
    /// Today's meetings with clients (from the calendar) not yet debriefed.
    pub meetings_to_debrief: Vec<crate::calendar::MeetingView>,
}

impl App {
    /// Saves (or replaces) today's entry, or a note for a missed day, and returns the habit.
    pub async fn today(&self, rep_name: &RepName, answer: &DailyRequest) -> Result<DailyView> {
        let today = daily::today(self.now(), self.tz());
        let date = match answer {
            DailyRequest::Missed { date, .. } => *date,
            _ => today,
        };
        if date > today {
            return Err(AppError::Rejected(format!("{date} is in the future: answer for today or an earlier day")));
        }
        let content = match answer {
            DailyRequest::Items(items) => DailyContent::items(items).map_err(|e| AppError::Rejected(e.to_string()))?,
            DailyRequest::NothingToImprove => DailyContent::NothingToImprove,
            DailyRequest::Missed { note, .. } => {
                let existing = self.entry_on(rep_name, date).await?;
                daily::check_missed_note(
                    date,
                    today,
                    &self.settings.working_days,
                    existing.as_ref().map(|e| &e.content),
                )
                .map_err(|e| AppError::Rejected(e.to_string()))?;
                DailyContent::missed(note).map_err(|e| AppError::Rejected(e.to_string()))?
            }
        };
        let rep = self.writing_rep(rep_name).await?;
        self.store().save_daily(rep, &DailyEntry { date, content }).await?;
        self.daily(rep_name).await
    }

    /// The habit as it stands: today's entry, streak, strength and strip.
    pub async fn daily(&self, rep_name: &RepName) -> Result<DailyView> {
        let today = daily::today(self.now(), self.tz());
        let entries = match self.existing_rep(rep_name).await? {
            Some(rep) => {
                let from = today.checked_sub(HISTORY_DAYS.days()).unwrap_or(jiff::civil::Date::MIN);
                self.store().daily_entries(rep, from, today).await?
            }
            None => Vec::new(),
        };
        let summary = daily::summary(&entries, today, &self.settings.working_days);
        let todays = entries.iter().find(|e| e.date == today);
        let (items, nothing) = match todays.map(|e| &e.content) {
            Some(DailyContent::Items(items)) => (items.clone(), false),
            Some(DailyContent::NothingToImprove) => (Vec::new(), true),
            _ => (Vec::new(), false),
        };
        Ok(DailyView {
            date: today.to_string(),
            items,
            nothing_to_improve: nothing,
            done_today: summary.today_done,
            streak: summary.streak,
            strength: crate::views::round4(summary.strength),
            strip: summary.strip.iter().map(|d| StripDayView { date: d.date.to_string(), state: d.state }).collect(),
            meetings_to_debrief: self.meetings_to_debrief(rep_name).await?,
        })
    }

    async fn entry_on(&self, rep_name: &RepName, date: jiff::civil::Date) -> Result<Option<DailyEntry>> {
        let Some(rep) = self.existing_rep(rep_name).await? else {
            return Ok(None);
        };
        Ok(self.store().daily_entries(rep, date, date).await?.into_iter().next())
    }
}
