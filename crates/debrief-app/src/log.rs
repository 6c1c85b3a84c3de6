//! Logging a contact: check the debrief, count each reason under its canonical
//! reason, store it whole, and say what it means for the week.

use std::collections::HashMap;

use debrief_core::IsoWeek;
use debrief_core::ValidationError;
use debrief_core::entry::{self, ReasonInput};
use debrief_core::followup::{self, ContactEvent};
use debrief_core::matching::{Matcher, key};
use debrief_core::model::{Channel, Contact, Outcome, Reason, ReasonId};
use debrief_core::model::{ClientId, RepId};
use debrief_core::ownership;
use debrief_core::review;
use debrief_store::{ContactQuery, FollowUpChanges, NewContact, NewReasonNote, ReasonRef, ReasonTexts};
use jiff::Timestamp;

use crate::views::{ContactView, LogView, LoggedReasonView, SuggestionView, ordinal};
use crate::{App, Result};

/// A reason as the rep gave it; `reason` pins it to a vocabulary entry the rep
/// picked from the suggestions, otherwise the text is matched.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReasonEntry {
    pub text: String,
    pub do_differently: Option<String>,
    pub reason: Option<ReasonId>,
    /// The mistake touched the client: an ownership item is opened for it.
    pub affected_client: bool,
}

impl ReasonEntry {
    pub fn text(text: impl Into<String>) -> ReasonEntry {
        ReasonEntry { text: text.into(), ..ReasonEntry::default() }
    }
}

/// Everything `debrief log` needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogRequest {
    pub rep: String,
    pub client: String,
    pub outcome: Outcome,
    /// When the contact happened; now when `None`.
    pub at: Option<Timestamp>,
    pub channel: Channel,
    pub new_lead: bool,
    /// Controllable reasons, at most two.
    pub reasons: Vec<ReasonEntry>,
    /// Reasons the rep could not control.
    pub external: Vec<ReasonEntry>,
    pub better: Option<String>,
    pub note: Option<String>,
}

impl App {
    /// Logs a contact with its debrief and returns the next-step view.
    pub async fn log(&self, req: LogRequest) -> Result<LogView> {
        let vocabulary = self.vocabulary_entries().await?;
        let rep = self.store().rep(&req.rep).await?;
        let mut contact = build_contact(&req, rep, req.at.unwrap_or_else(|| self.now()), &vocabulary)?;
        contact.follow_ups = self.follow_ups_for(rep, &contact).await?;
        let id = self.store().log_contact(&contact).await?;
        let matched: Vec<&'static str> = contact
            .reasons
            .iter()
            .map(|r| match r.reason {
                ReasonRef::Existing(_) => "matched",
                ReasonRef::New { .. } => "new",
            })
            .collect();
        // A reason new to the vocabulary has no label in what was read before.
        let labels = match matched.contains(&"new") {
            true => self.labels().await?,
            false => crate::labels_of(vocabulary),
        };
        let mut view = self.logged_view(id, contact.at, &matched, &labels).await?;
        self.say_recurrences(&mut view, rep, contact.at).await?;
        Ok(view)
    }

    /// Whether the rep has logged this client before (else it may be a new lead).
    pub async fn client_known(&self, rep_name: &str, client: &str) -> Result<bool> {
        Ok(match self.existing_rep(rep_name).await? {
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
        let event = ContactEvent { client: client.unwrap_or(ClientId(0)), outcome: contact.outcome, at: contact.at };
        Ok(crate::agenda::changes(followup::on_contact(&event, &open, &self.rules()), contact.at))
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
                r.committed_at.to_zoned(self.tz().clone()).date(),
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
        matched: &[&'static str],
        labels: &HashMap<ReasonId, Reason>,
    ) -> Result<LogView> {
        let week = IsoWeek::of(at, self.tz());
        let (from, to) = week.bounds(self.tz());
        let stored = self.store().contact(id).await?;
        let query = ContactQuery { rep: Some(stored.rep), from: Some(from), to: Some(to), ..ContactQuery::default() };
        let week_contacts = self.store().contacts(&query).await?;
        let label = |r: i64| labels.get(&ReasonId(r)).map_or_else(|| format!("#{r}"), |r| r.label.clone());
        let focus = self.store().focus(stored.rep).await?;
        let reasons: Vec<LoggedReasonView> = stored
            .reasons
            .iter()
            .zip(matched)
            .map(|(note, &matched)| LoggedReasonView {
                text: note.text.clone(),
                reason: label(note.reason.0),
                controllable: note.controllable,
                matched,
                reason_id: note.reason.0,
                this_week: carrying(&week_contacts, note.reason),
                do_differently: note.do_differently.clone(),
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
    pub async fn suggest(
        &self,
        rep: &str,
        text: &str,
        controllable: Option<bool>,
        limit: usize,
    ) -> Result<Vec<SuggestionView>> {
        let vocabulary = self.vocabulary_entries().await?;
        let matcher = matcher(&vocabulary, controllable);
        let matches = matcher.suggestions(text, limit);
        let week_contacts = match self.existing_rep(rep).await? {
            Some(rep) => {
                let (from, to) = self.this_week().bounds(self.tz());
                let query = ContactQuery { rep: Some(rep), from: Some(from), to: Some(to), ..ContactQuery::default() };
                self.store().contacts(&query).await?
            }
            None => Vec::new(),
        };
        let by_id: HashMap<ReasonId, &ReasonTexts> = vocabulary.iter().map(|v| (v.reason.id, v)).collect();
        Ok(matches
            .into_iter()
            .filter_map(|m| {
                let entry = by_id.get(&m.reason)?;
                Some(SuggestionView {
                    id: m.reason.0,
                    reason: entry.reason.label.clone(),
                    controllable: entry.reason.controllable,
                    score: crate::views::round4(m.score),
                    this_week: carrying(&week_contacts, m.reason),
                })
            })
            .collect())
    }
}

/// Contacts among `contacts` that carry `reason`.
fn carrying(contacts: &[Contact], reason: ReasonId) -> u64 {
    contacts.iter().filter(|c| c.reasons.iter().any(|r| r.reason == reason)).count() as u64
}

/// Checks the request and resolves every reason text against the vocabulary.
pub(crate) fn build_contact(
    req: &LogRequest,
    rep: RepId,
    at: Timestamp,
    vocabulary: &[ReasonTexts],
) -> Result<NewContact> {
    let client = req.client.trim();
    if client.is_empty() {
        return Err(ValidationError::EmptyClient.into());
    }
    let inputs: Vec<ReasonInput> = req
        .reasons
        .iter()
        .map(|r| ReasonInput { text: r.text.clone(), do_differently: r.do_differently.clone() })
        .collect();
    let external: Vec<String> = req.external.iter().map(|r| r.text.clone()).collect();
    entry::check(req.outcome, &inputs, &external)?;
    let better = non_empty(&req.better, "\"what could I have done better\"")?;
    let note = non_empty(&req.note, "note")?;
    let mut controllable = Resolver::new(vocabulary, true);
    let mut uncontrollable = Resolver::new(vocabulary, false);
    let reasons = req
        .reasons
        .iter()
        .map(|r| note_for(r, true, &mut controllable))
        .chain(req.external.iter().map(|r| note_for(r, false, &mut uncontrollable)))
        .collect();
    Ok(NewContact {
        rep,
        client: client.to_string(),
        at,
        channel: req.channel,
        outcome: req.outcome,
        new_lead: req.new_lead,
        reasons,
        better,
        note,
        follow_ups: FollowUpChanges::default(),
    })
}

fn non_empty(text: &Option<String>, what: &'static str) -> Result<Option<String>> {
    match text {
        Some(t) if t.trim().is_empty() => Err(ValidationError::EmptyText(what).into()),
        Some(t) => Ok(Some(t.trim().to_string())),
        None => Ok(None),
    }
}

/// A matcher over the vocabulary, narrowed to one kind of reason when asked.
pub(crate) fn matcher(vocabulary: &[ReasonTexts], controllable: Option<bool>) -> Matcher {
    let mut matcher = Matcher::new();
    for entry in vocabulary.iter().filter(|v| controllable.is_none_or(|c| v.reason.controllable == c)) {
        matcher.add(entry.reason.id, &entry.reason.label);
        for text in &entry.texts {
            matcher.add(entry.reason.id, text);
        }
    }
    matcher
}

/// Finds the reason of texts of one kind (controllable or not): a text
/// written as a known text or label of exactly one reason (ignoring case and
/// punctuation) is that reason; any other goes to the matcher, built the
/// first time one is needed.
struct Resolver<'v> {
    vocabulary: &'v [ReasonTexts],
    controllable: bool,
    matcher: Option<Matcher>,
}

impl<'v> Resolver<'v> {
    fn new(vocabulary: &'v [ReasonTexts], controllable: bool) -> Self {
        Resolver { vocabulary, controllable, matcher: None }
    }

    fn best(&mut self, text: &str) -> Option<ReasonId> {
        let wanted = key(text);
        let mut exact = self
            .vocabulary
            .iter()
            .filter(|v| v.reason.controllable == self.controllable)
            .filter(|v| std::iter::once(&v.reason.label).chain(&v.texts).any(|t| key(t) == wanted))
            .map(|v| v.reason.id);
        if let (Some(id), None) = (exact.next(), exact.next()) {
            return Some(id);
        }
        let (vocabulary, controllable) = (self.vocabulary, self.controllable);
        let matcher = self.matcher.get_or_insert_with(|| matcher(vocabulary, Some(controllable)));
        matcher.best(text).map(|m| m.reason)
    }
}

fn note_for(entry: &ReasonEntry, controllable: bool, resolver: &mut Resolver<'_>) -> NewReasonNote {
    let text = entry.text.trim().to_string();
    let reason = match entry.reason.or_else(|| resolver.best(&text)) {
        Some(id) => ReasonRef::Existing(id),
        None => ReasonRef::New { label: text.clone(), controllable },
    };
    NewReasonNote {
        reason,
        text,
        controllable,
        affected_client: controllable && entry.affected_client,
        do_differently: entry.do_differently.as_ref().map(|d| d.trim().to_string()).filter(|d| !d.is_empty()),
    }
}

/// "#12 Acme: lost. 4 of 19 won this week. "budget" is the 3rd time this week."
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
            line.push_str(&format!(" \"{}\": {} time this week", view.reason, ordinal(view.this_week)));
            line.push_str(if is_focus { " (your focus)." } else { "." });
        } else if is_focus {
            line.push_str(&format!(" \"{}\" is your focus: note what you will do next time.", label(note.reason.0)));
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, label: &str, controllable: bool, texts: &[&str]) -> ReasonTexts {
        ReasonTexts {
            reason: Reason { id: ReasonId(id), label: label.into(), controllable },
            texts: texts.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn a_known_text_is_its_reason_and_others_are_matched() {
        let vocabulary = [
            entry(1, "talked features, not benefits", true, &["listed specs"]),
            entry(2, "no clear next step", true, &["left without a next step", "too vague"]),
            entry(3, "budget frozen", false, &["too vague"]),
            entry(4, "ignored the budget", true, &["too vague"]),
        ];
        let mut controllable = Resolver::new(&vocabulary, true);
        assert_eq!(controllable.best("Talked features - not benefits!"), Some(ReasonId(1)));
        assert_eq!(controllable.best("listed specs"), Some(ReasonId(1)));
        assert!(controllable.matcher.is_none(), "exact texts need no matcher");
        // Written for two controllable reasons: the matcher decides.
        let vague = controllable.best("too vague");
        assert!(matches!(vague, Some(ReasonId(2 | 4))), "{vague:?}");
        assert_eq!(
            controllable.best("we left without a clear next step"),
            Some(ReasonId(2)),
            "a paraphrase is matched"
        );
        let mut external = Resolver::new(&vocabulary, false);
        assert_eq!(external.best("too vague"), Some(ReasonId(3)), "only reasons of its kind");
        assert_eq!(external.best("talked features, not benefits"), None);
    }
}
