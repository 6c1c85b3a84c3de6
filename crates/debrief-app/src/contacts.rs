//! Reading, correcting and deleting logged contacts.

use debrief_core::model::{Contact, ContactId};
use debrief_store::{ContactQuery, StoreError};
use jiff::Timestamp;

use crate::input::{EditRequest, ListRequest, LogRequest, ReasonEntry, RepName};
use crate::log::build_contact;
use crate::views::{ContactListView, ContactView};
use crate::{App, AppError, Result};

impl App {
    /// Contacts matching `filter`, newest first, one page at a time.
    pub async fn list(&self, rep: &RepName, filter: &ListRequest) -> Result<ContactListView> {
        let mut query = ContactQuery {
            outcome: filter.outcome,
            limit: Some(filter.limit),
            offset: filter.offset,
            ..ContactQuery::default()
        };
        match self.existing_rep(rep).await? {
            Some(rep) => query.rep = Some(rep),
            None => return Ok(ContactListView { total: 0, offset: filter.offset, contacts: Vec::new() }),
        }
        if let Some(week) = filter.week {
            let (from, to) = week.bounds(self.tz())?;
            (query.from, query.to) = (Some(from), Some(to));
        }
        if let Some(reason) = &filter.reason {
            query.reason = Some(self.resolve_reason(reason).await?.id);
        }
        let total = self.store().count_contacts(&query).await?;
        let contacts = self.store().contacts(&query).await?;
        let views = self.contact_views(&contacts).await?;
        Ok(ContactListView { total, offset: filter.offset, contacts: views })
    }

    /// One contact with its debrief.
    pub async fn show(&self, id: i64) -> Result<ContactView> {
        let contact = self.stored_contact(id).await?;
        self.contact_view(&contact).await
    }

    async fn stored_contact(&self, id: i64) -> Result<Contact> {
        let id = crate::input::id("id", id)?;
        self.store().contact(ContactId(id)).await.map_err(|e| not_found(e, id))
    }

    /// Corrects a contact; the whole debrief is checked again before anything
    /// is written. A reason given with the text it already has keeps the
    /// reason it was counted under; a time equal to the stored one to the
    /// minute keeps the stored one.
    pub async fn edit(&self, patch: EditRequest) -> Result<ContactView> {
        let stored = self.stored_contact(patch.id).await?;
        let keep = |controllable: bool| -> Vec<ReasonEntry> {
            stored
                .reasons
                .iter()
                .filter(|r| r.controllable == controllable)
                .map(|r| ReasonEntry {
                    text: r.text.clone(),
                    do_differently: r.do_differently.clone(),
                    reason: Some(r.reason),
                    affected_client: false,
                })
                .collect()
        };
        let pin = |entries: Vec<ReasonEntry>, controllable: bool| -> Vec<ReasonEntry> {
            entries.into_iter().map(|e| pinned(e, &stored, controllable)).collect()
        };
        let at = patch.at.filter(|at| !same_minute(*at, stored.at)).unwrap_or(stored.at);
        let req = LogRequest {
            client: patch.client.unwrap_or(stored.client_name.clone()),
            outcome: patch.outcome.unwrap_or(stored.outcome),
            at: Some(at),
            channel: patch.channel.unwrap_or(stored.channel),
            new_lead: patch.new_lead.unwrap_or(stored.new_lead),
            reasons: patch.reasons.map_or_else(|| keep(true), |r| pin(r, true)),
            external: patch.external.map_or_else(|| keep(false), |r| pin(r, false)),
            better: patch.better.unwrap_or(stored.better.clone()),
            note: patch.note.unwrap_or(stored.note.clone()),
        };
        let vocabulary = self.vocabulary_entries().await?;
        let (contact, _) = build_contact(&req, stored.rep, at, &vocabulary)?;
        self.store().update_contact(stored.id, &contact).await?;
        self.show(patch.id).await
    }

    /// Deletes a contact and its reasons for good.
    pub async fn delete(&self, id: i64) -> Result<()> {
        let id = crate::input::id("id", id)?;
        self.store().delete_contact(ContactId(id)).await.map_err(|e| not_found(e, id))
    }

    async fn contact_view(&self, contact: &Contact) -> Result<ContactView> {
        let mut views = self.contact_views(std::slice::from_ref(contact)).await?;
        views.pop().ok_or_else(|| AppError::Failed("a contact could not be shown".into()))
    }

    async fn contact_views(&self, contacts: &[debrief_core::model::Contact]) -> Result<Vec<ContactView>> {
        let labels = self.labels().await?;
        let label =
            |r: i64| labels.get(&debrief_core::model::ReasonId(r)).map_or_else(|| format!("#{r}"), |r| r.label.clone());
        Ok(contacts.iter().map(|c| ContactView::new(c, label, self.tz())).collect())
    }
}

/// A reason given with the text it was stored with keeps its reason, unless one was picked.
fn pinned(mut entry: ReasonEntry, stored: &Contact, controllable: bool) -> ReasonEntry {
    if entry.reason.is_none() {
        entry.reason =
            stored.reasons.iter().find(|r| r.controllable == controllable && r.text == entry.text).map(|r| r.reason);
    }
    entry
}

fn same_minute(a: Timestamp, b: Timestamp) -> bool {
    a.as_second().div_euclid(60) == b.as_second().div_euclid(60)
}

fn not_found(e: StoreError, id: i64) -> AppError {
    match e {
        StoreError::NotFound { .. } => {
            AppError::NotFound(format!("no contact #{id}: the list of contacts shows their numbers"))
        }
        e => e.into(),
    }
}
