//! Logging a contact: check the debrief, count each reason under its canonical
//! reason, store it whole, and say what it means for the week.

use std::collections::HashMap;

use debrief_core::IsoWeek;
use debrief_core::entry::{self, ReasonInput};
use debrief_core::followup::{self, ClientRef, ContactEvent};
use debrief_core::model::RepId;
use debrief_core::model::{Contact, Reason, ReasonId};
use debrief_core::ownership;
use debrief_core::review;
use debrief_store::{ContactQuery, FollowUpChanges, NewContact, NewReasonNote, ReasonRef, ReasonTexts};
use jiff::Timestamp;

use crate::filing::{Filed, Filer};
use crate::input::{LogRequest, ReasonEntry, RepName, SuggestRequest};
use crate::views::{ContactView, Filing, FilingPreview, LogView, LoggedReasonView, SuggestionView, ordinal};
use crate::{App, Result};

impl App {
    /// Logs a contact with its debrief and returns the next-step view.
    pub async fn log(&self, rep: &RepName, req: LogRequest) -> Result<LogView> {
        let vocabulary = self.vocabulary_entries().await?;
        let rep = self.writing_rep(rep).await?;
        let (mut contact, filed) = build_contact(&req, rep, req.at.unwrap_or_else(|| self.now()), &vocabulary)?;
        contact.follow_ups = self.follow_ups_for(rep, &contact).await?;
        // The answer reports the contact's week: refuse a week beyond the calendar before writing.
        IsoWeek::of(contact.at, self.tz()).bounds(self.tz())?;
        let id = self.store().log_contact(&contact).await?;
        let matched: Vec<Filing> = contact
            .reasons
            .iter()
            .map(|r| match r.reason {
                ReasonRef::Existing(_) => Filing::Matched,
                ReasonRef::New { .. } => Filing::New,
            })
            .collect();
        // A reason new to the vocabulary has no label in what was read before.
        let labels = match matched.contains(&Filing::New) {
            true => self.labels().await?,
            false => crate::labels_of(vocabulary),
        };
        let mut view = self.logged_view(id, contact.at, &matched, &filed, &labels).await?;
        self.say_recurrences(&mut view, rep, contact.at).await?;
        Ok(view)
    }

    /// Whether the rep has logged this client before (else it may be a new lead).
    pub async fn client_known(&self, rep: &RepName, client: &str) -> Result<bool> {
        Ok(match self.existing_rep(rep).await? {
            Some(rep) => self.store().find_client(rep, client.trim()).await?.is_some(),
            None => false,
        })
    }

    /// The follow-up rules for a contact about to be stored: chase a no-answer,
    /// check in after a win, cancel chases once the client answers.
    async fn follow_ups_for(&self, rep: RepId, contact: &NewContact) -> Result<FollowUpChanges> {
        let client = self.store().find_client(rep, &contact.client).await?;
        let open = match client {
            Some(id) => self.store().client_follow_ups(id, true).await?,
            None => Vec::new(),
        };
        let client = client.map_or(ClientRef::This, ClientRef::Id);
        let event = ContactEvent { client, outcome: contact.outcome, at: contact.at };
        let actions =
            followup::on_contact(&event, &open, &self.rules()).map_err(|e| crate::AppError::Rejected(e.to_string()))?;
        Ok(crate::agenda::changes(actions, contact.at))
    }

    /// Says loudly when a reason comes back after the rep committed to change it.
    async fn say_recurrences(&self, view: &mut LogView, rep: RepId, at: Timestamp) -> Result<()> {
        let reasons: Vec<ReasonId> =
            view.contact.reasons.iter().filter(|r| r.controllable).map(|r| ReasonId(r.reason_id)).collect();
        if reasons.is_empty() {
            return Ok(());
        }
        let items = self.store().commitments(rep, &reasons).await?;
        for r in ownership::recurred(&items, &reasons, at, Some(debrief_core::model::ContactId(view.contact.id))) {
            let label = view.reasons.iter().find(|v| v.reason_id == r.reason.0).map_or("", |v| v.reason.as_str());
            let line = format!(
                "\"{label}\" came back after you committed on {}: \"{}\"",
                crate::summary::human_date(r.committed_at, at, self.tz()),
                r.commitment
            );
            view.next_step.push_str(&format!(" RECURRED: {line}."));
            view.recurred.push(line);
        }
        Ok(())
    }

    async fn logged_view(
        &self,
        id: debrief_core::model::ContactId,
        at: Timestamp,
        matched: &[Filing],
        filed: &[Filed],
        labels: &HashMap<ReasonId, Reason>,
    ) -> Result<LogView> {
        let week = IsoWeek::of(at, self.tz());
        let (from, to) = week.bounds(self.tz())?;
        let stored = self.store().contact(id).await?;
        let query = ContactQuery { rep: Some(stored.rep), from: Some(from), to: Some(to), ..ContactQuery::default() };
        let week_contacts = self.store().contacts(&query).await?;
        let label = |r: i64| labels.get(&ReasonId(r)).map_or_else(|| format!("#{r}"), |r| r.label.clone());
        let focus = self.store().focus(stored.rep).await?;
        let reasons: Vec<LoggedReasonView> = stored
            .reasons
            .iter()
            .zip(matched.iter().zip(filed))
            .map(|(note, (&matched, filed))| LoggedReasonView {
                text: note.text.clone(),
                reason: label(note.reason.0),
                controllable: note.controllable,
                matched,
                reason_id: note.reason.0,
                this_week: carrying(&week_contacts, note.reason),
                do_differently: note.do_differently.clone(),
                confidence: crate::views::round4(filed.confidence),
                certain: filed.certain,
                runner_up: filed.runner_up.map(|id| label(id.0)),
                words: filed.words.clone(),
                kept_apart: filed.reads_other_side,
            })
            .collect();
        let success = review::success(&week_contacts);
        let focus_id = focus.map(|f| f.reason.id);
        let next_step = next_step(&stored, &reasons, success.hits, success.total, focus_id, &label);
        Ok(LogView {
            contact: ContactView::new(&stored, label, self.tz()),
            reasons,
            week_won: success.hits,
            week_decided: success.total,
            week_contacts: week_contacts.len() as u64,
            next_step,
            recurred: Vec::new(),
        })
    }

    /// Reasons of the vocabulary that match `text`, best first, with how often
    /// each occurred on the rep's contacts this week.
    /// How `req.text` would be filed on the side `req.controllable` (the
    /// rep's own by default), with the closest reasons of that side.
    pub async fn preview_filing(&self, rep: &RepName, req: &SuggestRequest) -> Result<FilingPreview> {
        let controllable = req.controllable.unwrap_or(true);
        let vocabulary = self.vocabulary_entries().await?;
        let mut filer = crate::filing::Filer::new(&vocabulary);
        let filed = filer.file(&req.text, controllable, None);
        let label =
            filed.reason.and_then(|id| vocabulary.iter().find(|v| v.reason.id == id)).map(|v| v.reason.label.clone());
        let side = SuggestRequest { controllable: Some(controllable), ..req.clone() };
        let choices = self.suggestions(rep, &side, &vocabulary, filer.matcher()).await?;
        Ok(FilingPreview {
            reason_id: filed.reason.map(|r| r.0),
            reason: label,
            certain: filed.certain,
            reads_other_side: filed.reads_other_side,
            choices,
        })
    }

    pub async fn suggest(&self, rep: &RepName, req: &SuggestRequest) -> Result<Vec<SuggestionView>> {
        let vocabulary = self.vocabulary_entries().await?;
        self.suggestions(rep, req, &vocabulary, &crate::filing::matcher(&vocabulary)).await
    }

    /// The reasons of `vocabulary` closest to `req.text` by `matcher`, with this week's counts.
    pub(crate) async fn suggestions(
        &self,
        rep: &RepName,
        req: &SuggestRequest,
        vocabulary: &[ReasonTexts],
        matcher: &debrief_core::matching::Matcher,
    ) -> Result<Vec<SuggestionView>> {
        let week_contacts = self.week_contacts(rep).await?;
        Ok(suggestion_views(req, vocabulary, matcher, &week_contacts))
    }

    /// The rep's contacts of this week (none for a rep not stored yet).
    pub(crate) async fn week_contacts(&self, rep: &RepName) -> Result<Vec<Contact>> {
        Ok(match self.existing_rep(rep).await? {
            Some(rep) => {
                let (from, to) = self.this_week().bounds(self.tz())?;
                let query = ContactQuery { rep: Some(rep), from: Some(from), to: Some(to), ..ContactQuery::default() };
                self.store().contacts(&query).await?
            }
            None => Vec::new(),
        })
    }
}

/// The reasons of `vocabulary` closest to `req.text` by `matcher`, each with
/// how many of `week_contacts` carry it.
pub(crate) fn suggestion_views(
    req: &SuggestRequest,
    vocabulary: &[ReasonTexts],
    matcher: &debrief_core::matching::Matcher,
    week_contacts: &[Contact],
) -> Vec<SuggestionView> {
    let kind_of = |id: ReasonId| vocabulary.iter().find(|v| v.reason.id == id).map(|v| v.reason.controllable);
    let matches: Vec<_> = matcher
        .suggestions(&req.text, vocabulary.len())
        .into_iter()
        .filter(|m| req.controllable.is_none_or(|c| kind_of(m.reason) == Some(c)))
        .take(req.limit as usize)
        .collect();
    let by_id: HashMap<ReasonId, &ReasonTexts> = vocabulary.iter().map(|v| (v.reason.id, v)).collect();
    matches
        .into_iter()
        .filter_map(|m| {
            let entry = by_id.get(&m.reason)?;
            Some(SuggestionView {
                id: m.reason.0,
                reason: entry.reason.label.clone(),
                controllable: entry.reason.controllable,
                score: crate::views::round4(m.score),
                this_week: carrying(week_contacts, m.reason),
            })
        })
        .collect()
}

/// Contacts among `contacts` that carry `reason`.
fn carrying(contacts: &[Contact], reason: ReasonId) -> u64 {
    contacts.iter().filter(|c| c.reasons.iter().any(|r| r.reason == reason)).count() as u64
}

/// Checks the request and files every reason text against the vocabulary;
/// how each was filed comes back beside the contact, in the same order.
pub(crate) fn build_contact(
    req: &LogRequest,
    rep: RepId,
    at: Timestamp,
    vocabulary: &[ReasonTexts],
) -> Result<(NewContact, Vec<Filed>)> {
    let client = req.client.trim();
    let inputs: Vec<ReasonInput> = req
        .reasons
        .iter()
        .map(|r| ReasonInput { text: r.text.clone(), do_differently: r.do_differently.clone() })
        .collect();
    let external: Vec<String> = req.external.iter().map(|r| r.text.clone()).collect();
    entry::check(req.outcome, &inputs, &external)?;
    let mut filer = Filer::new(vocabulary);
    let given = req.reasons.iter().map(|r| (r, true)).chain(req.external.iter().map(|r| (r, false)));
    let (reasons, filed): (Vec<NewReasonNote>, Vec<Filed>) =
        given.map(|(r, controllable)| note_for(r, controllable, &mut filer)).unzip();
    let contact = NewContact {
        rep,
        client: client.to_string(),
        at,
        channel: req.channel,
        outcome: req.outcome,
        new_lead: req.new_lead,
        reasons,
        better: req.better.clone(),
        note: req.note.clone(),
        follow_ups: FollowUpChanges::default(),
    };
    Ok((contact, filed))
}

fn note_for(entry: &ReasonEntry, controllable: bool, filer: &mut Filer<'_>) -> (NewReasonNote, Filed) {
    let text = entry.text.trim().to_string();
    let filed = match entry.own && entry.reason.is_none() {
        true => filer.own(&text, controllable),
        false => filer.file(&text, controllable, entry.reason),
    };
    let reason = match filed.reason {
        Some(id) => ReasonRef::Existing(id),
        None => ReasonRef::New { label: text.clone(), controllable },
    };
    let note = NewReasonNote {
        reason,
        text,
        controllable,
        affected_client: controllable && entry.affected_client,
        do_differently: entry.do_differently.as_ref().map(|d| d.trim().to_string()).filter(|d| !d.is_empty()),
    };
    (note, filed)
}

/// "#12 Acme: lost. 4 of 19 won this week. “didn't ask about budget”: 3rd time this week."
fn next_step(
    contact: &Contact,
    reasons: &[LoggedReasonView],
    won: u64,
    decided: u64,
    focus: Option<ReasonId>,
    label: &impl Fn(i64) -> String,
) -> String {
    let mut line =
        format!("#{} {}: {}. {won} of {decided} won this week.", contact.id, contact.client_name, contact.outcome);
    for (note, view) in contact.reasons.iter().zip(reasons) {
        let is_focus = focus == Some(note.reason);
        if view.this_week >= 2 {
            line.push_str(&format!(" “{}”: {} time this week", view.reason, ordinal(view.this_week)));
            line.push_str(if is_focus { " (your focus)." } else { "." });
        } else if is_focus {
            line.push_str(&format!(" “{}” is your focus: note what you will do next time.", label(note.reason.0)));
        }
    }
    line
}
