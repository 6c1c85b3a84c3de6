//! Follow-ups: the agenda (overdue first), done, snooze, added by hand, and
//! the iCalendar export. The rules that create them live in the domain.

use std::collections::HashMap;

use debrief_core::followup::{self, Actions, FollowUp, FollowUpId, FollowUpKind, IcsEvent, Rules};
use debrief_core::model::{ClientId, RepId};
use debrief_store::{FollowUpChanges, StoreError};
use jiff::Timestamp;
use serde::Serialize;

use crate::input::{AddFollowUpRequest, DueRequest, RepName, SnoozeRequest, YEARS};
use crate::{App, AppError, Result};

/// One follow-up on the agenda.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpView {
    pub id: i64,
    pub client: String,
    /// "chase", "check-in", "mishap-update" or "manual".
    pub kind: &'static str,
    pub title: String,
    pub due: String,
    pub overdue: bool,
    pub days_overdue: i64,
    pub note: Option<String>,
    /// Due on the rep's today (overdue or not).
    pub due_today: bool,
    /// When it is due, in words: "today 14:00", "Mon 7 Dec, 09:00".
    pub when: String,
    /// The last contact with the client, for context (on the agenda).
    pub last_contact: Option<LastContactView>,
}

/// The last contact with a follow-up's client: what happened and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LastContactView {
    pub id: i64,
    pub outcome: &'static str,
    /// "Tue 24 Nov".
    pub when: String,
    /// The reasons it counts under, by label.
    pub reasons: Vec<String>,
}

/// `debrief due`: what is due in the next days, overdue first.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AgendaView {
    pub rep: String,
    pub days: u32,
    pub overdue: usize,
    pub items: Vec<FollowUpView>,
}

/// Turns a domain rule's actions into the store's changes, at `at`.
pub(crate) fn changes(actions: Actions, at: Timestamp) -> FollowUpChanges {
    FollowUpChanges {
        create: actions.create,
        complete: actions.complete.into_iter().map(|id| (id, at)).collect(),
        cancel: actions.cancel.into_iter().map(|id| (id, at)).collect(),
        reschedule: Vec::new(),
        close: actions.close,
    }
}

impl App {
    pub(crate) fn rules(&self) -> Rules {
        Rules {
            cadences: self.settings.cadences.clone(),
            working_days: self.settings.working_days,
            working_hours: self.settings.working_hours,
            tz: self.tz().clone(),
        }
    }

    /// The agenda for the next `days` days (0 = today), overdue first.
    pub async fn due(&self, rep_name: &RepName, req: &DueRequest) -> Result<AgendaView> {
        let days = req.days;
        let items = match self.existing_rep(rep_name).await? {
            Some(rep) => self.store().follow_ups(rep, true).await?,
            None => Vec::new(),
        };
        let agenda = followup::agenda(&items, self.now(), days, self.tz());
        let names = self.client_names(agenda.iter().map(|e| e.item.client)).await?;
        let mut views: Vec<FollowUpView> =
            agenda.iter().map(|e| self.follow_up_view(e.item, &names, e.overdue, e.days_overdue)).collect();
        let last = self.last_contacts(agenda.iter().map(|e| e.item.client)).await?;
        for (view, entry) in views.iter_mut().zip(&agenda) {
            view.last_contact = last.get(&entry.item.client).cloned();
        }
        Ok(AgendaView {
            rep: rep_name.to_string(),
            days,
            overdue: views.iter().filter(|v| v.overdue).count(),
            items: views,
        })
    }

    /// Marks a follow-up done; a chase or a mishap update schedules the next one.
    pub async fn done(&self, rep_name: &RepName, id: i64) -> Result<Vec<FollowUpView>> {
        let id = crate::input::id("id", id)?;
        let (rep, item) = self.owned_follow_up(rep_name, id).await?;
        let now = self.now();
        let actions = followup::on_done(&item, now, &self.rules()).map_err(rejected)?;
        let created = self.store().apply_follow_ups(rep, &changes(actions, now)).await?;
        self.views_of(rep, &created).await
    }

    /// Moves a follow-up `days` days later.
    pub async fn snooze(&self, rep_name: &RepName, req: &SnoozeRequest) -> Result<FollowUpView> {
        let (rep, item) = self.owned_follow_up(rep_name, req.id).await?;
        let due = followup::snooze(&item, req.days, self.now(), self.tz()).map_err(rejected)?;
        in_years(due, self.tz())?;
        let change = FollowUpChanges { reschedule: vec![(item.id, due)], ..FollowUpChanges::default() };
        self.store().apply_follow_ups(rep, &change).await?;
        one(self.views_of(rep, &[item.id]).await?)
    }

    /// Adds a follow-up by hand for a client the rep has logged.
    pub async fn add_follow_up(&self, rep_name: &RepName, req: &AddFollowUpRequest) -> Result<FollowUpView> {
        let not_logged =
            || AppError::NotFound(format!("no client \"{}\" logged yet: log a contact with them first", req.client));
        let rep = self.existing_rep(rep_name).await?.ok_or_else(not_logged)?;
        let client_id = self.store().find_client(rep, &req.client).await?.ok_or_else(not_logged)?;
        let plan = followup::manual(client_id, req.due, &req.note, self.now()).map_err(rejected)?;
        let change = FollowUpChanges { create: vec![plan], ..FollowUpChanges::default() };
        let created = self.store().apply_follow_ups(rep, &change).await?;
        one(self.views_of(rep, &created).await?)
    }

    /// The open follow-ups as an iCalendar file.
    pub async fn follow_ups_ics(&self, rep_name: &RepName) -> Result<String> {
        let items = match self.existing_rep(rep_name).await? {
            Some(rep) => self.store().follow_ups(rep, true).await?,
            None => Vec::new(),
        };
        let names = self.client_names(items.iter().map(|f| f.client)).await?;
        let events: Vec<IcsEvent> =
            items.iter().map(|f| IcsEvent::for_follow_up(f, names.get(&f.client).map_or("", String::as_str))).collect();
        Ok(followup::to_ics(&events, self.now()))
    }

    async fn owned_follow_up(&self, rep_name: &RepName, id: i64) -> Result<(RepId, FollowUp)> {
        let id = crate::input::id("id", id)?;
        let missing = || AppError::NotFound(format!("no follow-up #{id}: the agenda lists them with their numbers"));
        let (rep, item) = self.store().follow_up(FollowUpId(id)).await.map_err(|e| match e {
            StoreError::NotFound { .. } => missing(),
            e => e.into(),
        })?;
        if self.existing_rep(rep_name).await? != Some(rep) {
            return Err(missing());
        }
        Ok((rep, item))
    }

    async fn views_of(&self, rep: RepId, ids: &[FollowUpId]) -> Result<Vec<FollowUpView>> {
        let all = self.store().follow_ups(rep, false).await?;
        let picked: Vec<&FollowUp> = ids.iter().filter_map(|id| all.iter().find(|f| f.id == *id)).collect();
        let names = self.client_names(picked.iter().map(|f| f.client)).await?;
        let now = self.now();
        Ok(picked.into_iter().map(|f| self.follow_up_view(f, &names, f.is_open() && f.due < now, 0)).collect())
    }

    /// Each client's last contact (one read per client: an agenda holds a few dozen).
    async fn last_contacts(
        &self,
        clients: impl Iterator<Item = ClientId>,
    ) -> Result<HashMap<ClientId, LastContactView>> {
        let mut clients: Vec<ClientId> = clients.collect();
        clients.sort_unstable();
        clients.dedup();
        let labels = self.labels().await?;
        let mut last = HashMap::new();
        for client in clients {
            let query = debrief_store::ContactQuery { client: Some(client), limit: Some(1), ..Default::default() };
            if let Some(c) = self.store().contacts(&query).await?.into_iter().next() {
                let reasons = c.reasons.iter().filter_map(|r| labels.get(&r.reason)).map(|r| r.label.clone()).collect();
                let when = crate::summary::human_date(c.at, self.now(), self.tz());
                last.insert(client, LastContactView { id: c.id.0, outcome: c.outcome.as_str(), when, reasons });
            }
        }
        Ok(last)
    }

    pub(crate) async fn client_names(&self, ids: impl Iterator<Item = ClientId>) -> Result<HashMap<ClientId, String>> {
        let mut ids: Vec<ClientId> = ids.collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(self.store().client_names(&ids).await?.into_iter().collect())
    }

    fn follow_up_view(
        &self,
        f: &FollowUp,
        names: &HashMap<ClientId, String>,
        overdue: bool,
        days: i64,
    ) -> FollowUpView {
        let client = names.get(&f.client).cloned().unwrap_or_default();
        let (due, now) = (f.due.to_zoned(self.tz().clone()), self.now().to_zoned(self.tz().clone()));
        let due_today = due.date() == now.date();
        let time = due.strftime("%H:%M");
        let when = match (due.date() - now.date()).get_days() {
            0 => format!("today {time}"),
            1 => format!("tomorrow {time}"),
            -1 => format!("yesterday {time}"),
            _ => format!("{}, {time}", crate::summary::human_date(f.due, self.now(), self.tz())),
        };
        FollowUpView {
            id: f.id.0,
            title: f.title(&client),
            client,
            kind: kind_name(&f.kind),
            due: crate::views::local_time(f.due, self.tz()),
            overdue,
            days_overdue: days,
            note: f.note.clone(),
            due_today,
            when,
            last_contact: None,
        }
    }
}

fn kind_name(kind: &FollowUpKind) -> &'static str {
    match kind {
        FollowUpKind::Chase { .. } => "chase",
        FollowUpKind::CheckIn { .. } => "check-in",
        FollowUpKind::MishapUpdate { .. } => "mishap-update",
        FollowUpKind::Manual => "manual",
    }
}

/// The one view of a write that returns one item.
fn one(mut views: Vec<FollowUpView>) -> Result<FollowUpView> {
    views.pop().ok_or_else(|| AppError::Failed("the follow-up just written could not be read back".into()))
}

/// A due time within the years any time may have.
fn in_years(due: Timestamp, tz: &jiff::tz::TimeZone) -> Result<()> {
    let year = due.to_zoned(tz.clone()).year();
    if !YEARS.contains(&year) {
        return Err(AppError::Rejected(format!(
            "that would move it into the year {year}: follow-ups stay before {}",
            YEARS.end()
        )));
    }
    Ok(())
}

fn rejected(e: impl std::fmt::Display) -> AppError {
    AppError::Rejected(e.to_string())
}
