//! Reading, correcting and deleting logged contacts.

use debrief_core::matching::key;
use debrief_core::model::{Contact, ContactId};
use debrief_store::{ContactQuery, Learn, ReasonRef, StoreError};
use jiff::Timestamp;

use crate::input::{
    EditRequest, FieldError, Invalid, ListRequest, LogRequest, ReasonEntry, RefileRequest, RefileTarget, RepName,
};
use crate::log::build_contact;
use crate::views::{ContactListView, ContactView, RefiledView};
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

    /// The clients the rep logged most recently, newest first, each once
    /// (offered while typing a client's name).
    pub async fn recent_clients(&self, rep: &RepName) -> Result<Vec<String>> {
        const CONTACTS_READ: u32 = 400;
        const CLIENTS: usize = 100;
        let Some(rep) = self.existing_rep(rep).await? else { return Ok(Vec::new()) };
        let query = ContactQuery { rep: Some(rep), limit: Some(CONTACTS_READ), ..ContactQuery::default() };
        let mut seen = std::collections::HashSet::new();
        let contacts = self.store().contacts(&query).await?;
        let names = contacts.into_iter().map(|c| c.client_name).filter(|name| seen.insert(name.clone()));
        Ok(names.take(CLIENTS).collect())
    }

    /// One contact with its debrief.
    pub async fn show(&self, id: i64) -> Result<ContactView> {
        let contact = self.stored_contact(id).await?;
        self.contact_view(&contact).await
    }

    pub(crate) async fn stored_contact(&self, id: i64) -> Result<Contact> {
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
                    own: false,
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

    /// Counts a reason written on a contact under another reason, as a
    /// reason of its own, or as outside the rep's control; the text stays
    /// as written and becomes a way to say where it went, so the next time
    /// the same words are filed there. Undone by re-filing it to `undo_as`.
    pub async fn refile(&self, req: &RefileRequest) -> Result<RefiledView> {
        let stored = self.stored_contact(req.contact).await?;
        let wanted = key(&req.text);
        let position = stored.reasons.iter().position(|r| r.text == req.text).or_else(|| {
            let mut same = stored.reasons.iter().enumerate().filter(|(_, r)| key(&r.text) == wanted);
            match (same.next(), same.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        });
        let Some(position) = position else {
            let written: Vec<String> = stored.reasons.iter().map(|r| format!("\"{}\"", r.text)).collect();
            let has = if written.is_empty() {
                "it has no reasons".to_string()
            } else {
                format!("its reasons are {}", written.join(", "))
            };
            let message =
                format!("contact #{} has no reason written \"{}\": {has}", stored.id, crate::input::echo(&req.text));
            return Err(AppError::Invalid(Invalid::from(FieldError::new("text", message))));
        };
        let note = &stored.reasons[position];
        let vocabulary = self.vocabulary_entries().await?;
        let known = |controllable: bool| {
            vocabulary
                .iter()
                .find(|v| v.reason.controllable == controllable && key(&v.reason.label) == wanted)
                .map(|v| v.reason.id)
        };
        let to = match &req.target {
            RefileTarget::As(reason) => match self.resolve_reason(reason).await {
                Ok(reason) => ReasonRef::Existing(reason.id),
                Err(AppError::NotFound(message)) => return Err(Invalid::from(FieldError::new("as", message)).into()),
                Err(e) => return Err(e),
            },
            RefileTarget::New => match known(note.controllable) {
                Some(id) => ReasonRef::Existing(id),
                None => own_reason(&note.text, note.controllable, &vocabulary),
            },
            RefileTarget::External => match known(false) {
                Some(id) => ReasonRef::Existing(id),
                None => own_reason(&note.text, false, &vocabulary),
            },
        };
        if let ReasonRef::Existing(id) = &to
            && *id == note.reason
        {
            let label = vocabulary.iter().find(|v| v.reason.id == *id).map_or("it", |v| v.reason.label.as_str());
            let message = format!("\"{}\" already counts as \"{label}\": nothing to change", note.text);
            return Err(Invalid::from(FieldError::new("as", message)).into());
        }
        // A reason's label stays that reason's own words, unless it is the
        // label of the reason the note leaves and no contact counts there
        // any more ("keep my words as a new reason", then undone).
        let to_id = match &to {
            ReasonRef::Existing(id) => Some(*id),
            ReasonRef::New { .. } => None,
        };
        let mut labelled = vocabulary.iter().filter(|v| key(&v.reason.label) == wanted && Some(v.reason.id) != to_id);
        let learn = match (labelled.next(), labelled.next()) {
            (None, _) => Learn::Yes,
            (Some(only), None) if only.reason.id == note.reason => Learn::IfLeftUnused,
            _ => Learn::No,
        };
        let position =
            u32::try_from(position).map_err(|_| AppError::Failed("a reason position out of range".into()))?;
        let refiled = self.store().refile_reason(stored.id, position, &to, learn).await?;
        let labels = self.labels().await?;
        let label = |id: debrief_core::model::ReasonId| {
            labels.get(&id).map_or_else(|| format!("#{}", id.0), |r| r.label.clone())
        };
        let now = self.stored_contact(stored.id.0).await?;
        Ok(RefiledView {
            contact: ContactView::new(&now, |id| label(debrief_core::model::ReasonId(id)), self.tz()),
            text: note.text.clone(),
            from: label(refiled.from),
            from_id: refiled.from.0,
            to: label(refiled.to),
            to_id: refiled.to.0,
            controllable: refiled.controllable,
            ownership_removed: refiled.ownership_removed,
            undo_as: format!("#{}", refiled.from.0),
        })
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

/// A new reason worded as the rep wrote it; when a reason of the other side
/// already has those words as its label, the side is said after them.
pub(crate) fn own_reason(text: &str, controllable: bool, vocabulary: &[debrief_store::ReasonTexts]) -> ReasonRef {
    let taken = vocabulary.iter().any(|v| v.reason.label == text && v.reason.controllable != controllable);
    let label = match (taken, controllable) {
        (false, _) => text.to_string(),
        (true, true) => format!("{text} (mine)"),
        (true, false) => format!("{text} (outside my control)"),
    };
    ReasonRef::New { label, controllable }
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
