//! Reading, correcting and deleting logged contacts.

use debrief_core::IsoWeek;
use debrief_core::model::{Channel, ContactId, Outcome};
use debrief_store::{ContactQuery, StoreError};
use jiff::Timestamp;

use crate::log::{LogRequest, ReasonEntry, build_contact};
use crate::views::{ContactListView, ContactView};
use crate::{App, AppError, Result};

/// Which contacts to list. Every field narrows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactFilter {
    pub rep: Option<String>,
    pub week: Option<IsoWeek>,
    pub outcome: Option<Outcome>,
    /// A reason label, a way to say it, or `#id`.
    pub reason: Option<String>,
    pub limit: u32,
    pub offset: u32,
}

/// A correction to a contact: each `Some` field replaces the stored value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContactPatch {
    pub client: Option<String>,
    pub outcome: Option<Outcome>,
    pub at: Option<Timestamp>,
    pub channel: Option<Channel>,
    pub new_lead: Option<bool>,
    /// Replaces the controllable reasons when `Some`.
    pub reasons: Option<Vec<ReasonEntry>>,
    /// Replaces the external reasons when `Some`.
    pub external: Option<Vec<ReasonEntry>>,
    /// `Some(None)` clears it.
    pub better: Option<Option<String>>,
    pub note: Option<Option<String>>,
}

impl App {
    /// Contacts matching `filter`, newest first, one page at a time.
    pub async fn list(&self, filter: &ContactFilter) -> Result<ContactListView> {
        let mut query = ContactQuery {
            outcome: filter.outcome,
            limit: Some(filter.limit.max(1)),
            offset: filter.offset,
            ..ContactQuery::default()
        };
        if let Some(name) = &filter.rep {
            match self.existing_rep(name).await? {
                Some(rep) => query.rep = Some(rep),
                None => return Ok(ContactListView { total: 0, offset: filter.offset, contacts: Vec::new() }),
            }
        }
        if let Some(week) = filter.week {
            let (from, to) = week.bounds(self.tz());
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
        let contact = self.store().contact(ContactId(id)).await.map_err(|e| not_found(e, id))?;
        Ok(self.contact_views(std::slice::from_ref(&contact)).await?.remove(0))
    }

    /// Corrects a contact; the whole debrief is checked again before anything is written.
    pub async fn edit(&self, id: i64, patch: ContactPatch) -> Result<ContactView> {
        let stored = self.store().contact(ContactId(id)).await.map_err(|e| not_found(e, id))?;
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
        let req = LogRequest {
            rep: String::new(),
            client: patch.client.unwrap_or(stored.client_name.clone()),
            outcome: patch.outcome.unwrap_or(stored.outcome),
            at: Some(patch.at.unwrap_or(stored.at)),
            channel: patch.channel.unwrap_or(stored.channel),
            new_lead: patch.new_lead.unwrap_or(stored.new_lead),
            reasons: patch.reasons.unwrap_or_else(|| keep(true)),
            external: patch.external.unwrap_or_else(|| keep(false)),
            better: patch.better.unwrap_or(stored.better.clone()),
            note: patch.note.unwrap_or(stored.note.clone()),
        };
        let vocabulary = self.vocabulary_entries().await?;
        let contact = build_contact(&req, stored.rep, stored.at, &vocabulary)?;
        let contact = debrief_store::NewContact { at: req.at.unwrap_or(stored.at), ..contact };
        self.store().update_contact(stored.id, &contact).await?;
        self.show(id).await
    }

    /// Deletes a contact and its reasons for good.
    pub async fn delete(&self, id: i64) -> Result<()> {
        self.store().delete_contact(ContactId(id)).await.map_err(|e| not_found(e, id))
    }

    async fn contact_views(&self, contacts: &[debrief_core::model::Contact]) -> Result<Vec<ContactView>> {
        let labels = self.labels().await?;
        let label =
            |r: i64| labels.get(&debrief_core::model::ReasonId(r)).map_or_else(|| format!("#{r}"), |r| r.label.clone());
        Ok(contacts.iter().map(|c| ContactView::new(c, label, self.tz())).collect())
    }
}

fn not_found(e: StoreError, id: i64) -> AppError {
    match e {
        StoreError::NotFound { .. } => {
            AppError::NotFound(format!("no contact #{id}: `debrief list` shows the contacts and their ids"))
        }
        e => e.into(),
    }
}
