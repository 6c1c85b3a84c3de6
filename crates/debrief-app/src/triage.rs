//! Triage: lost contacts imported from a CRM wait here until the rep files
//! their reason. A CRM's "lost reason" says nothing about whose control it
//! was in, so the reason filer reads the CRM's words on both sides (the
//! rep's mistakes and the client's or the world's reasons) and suggests;
//! the rep decides.

use debrief_core::matching::Side;
use debrief_core::model::{ContactId, Outcome};
use debrief_store::{NewReasonNote, ReasonRef};
use serde::Serialize;

use crate::input::{FieldError, Invalid, MAX_TEXT, RawSuggest, RepName, SuggestRequest};
use crate::views::SuggestionView;
use crate::{App, AppError, Result};

/// Most items a triage page lists.
pub const PAGE: u32 = 50;

/// The rep's lost contacts waiting for their reason, newest first.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriageView {
    pub rep: String,
    /// How many wait in all (the list holds at most a page of them).
    pub waiting: u64,
    pub items: Vec<TriageItemView>,
}

/// One lost contact waiting for its reason.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriageItemView {
    pub contact_id: i64,
    pub client: String,
    /// RFC 3339.
    pub at: String,
    /// The CRM's lost reason, in its words ("" when it gave none).
    pub text: String,
    /// What the words read as: the closest reason of the side they read as.
    pub reads_as: Option<SuggestionView>,
    /// Whether the words surely read as the rep's own doing (`Some(true)`),
    /// the client's or the world's (`Some(false)`), or cannot tell (`None`).
    pub mine: Option<bool>,
    /// The closest reasons of both sides, best first.
    pub choices: Vec<SuggestionView>,
}

/// Where a waiting contact's reason is filed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TriageTarget {
    /// What the words read as (`reads_as`).
    Suggested,
    /// A reason named by its label, a way to say it, or `#id`.
    As(String),
    /// The words as a reason of the rep's own, within their control.
    Mine,
    /// The words as a reason outside the rep's control.
    Theirs,
}

/// Files the reason of one waiting contact.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TriageRequest {
    pub contact: i64,
    pub target: TriageTarget,
    /// The rep's own words, instead of the CRM's.
    pub text: Option<String>,
    /// What the rep would do differently (a reason within their control).
    pub do_differently: Option<String>,
}

impl TriageTarget {
    /// The target named as the API names it: `suggested`, `mine`, `theirs`,
    /// or `reason` with the reason in `reason`.
    pub fn named(to: &str, reason: Option<String>) -> std::result::Result<TriageTarget, FieldError> {
        match (to, reason) {
            ("suggested", None) => Ok(TriageTarget::Suggested),
            ("mine", None) => Ok(TriageTarget::Mine),
            ("theirs", None) => Ok(TriageTarget::Theirs),
            ("reason", Some(reason)) => Ok(TriageTarget::As(reason)),
            ("reason", None) => {
                Err(FieldError::new("reason", "with to: reason, name the reason: a label, a way to say it, or #id"))
            }
            (other, _) => Err(FieldError::new(
                "to",
                format!(
                    "\"{}\" is not a place to file it: expected suggested, reason, mine or theirs (reason only with to: reason)",
                    crate::input::echo(other)
                ),
            )),
        }
    }
}

impl TriageRequest {
    /// Checks the texts; the contact and the reason are checked against the store.
    pub fn new(
        contact: i64,
        target: TriageTarget,
        text: Option<&str>,
        do_differently: Option<&str>,
    ) -> std::result::Result<TriageRequest, Invalid> {
        let contact = crate::input::id("id", contact)?;
        let text = crate::input::text("text", text, MAX_TEXT)?;
        let do_differently = crate::input::text("do_differently", do_differently, MAX_TEXT)?;
        if let TriageTarget::As(reason) = &target
            && reason.trim().is_empty()
        {
            return Err(FieldError::new("as", "the reason is empty: give its label, a way to say it, or #id").into());
        }
        Ok(TriageRequest { contact, target, text, do_differently })
    }
}

/// A contact's reason, filed.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TriagedView {
    pub contact_id: i64,
    pub client: String,
    /// The words kept with the contact.
    pub text: String,
    /// The reason they count under.
    pub reason: String,
    pub controllable: bool,
    /// How many of the rep's contacts still wait.
    pub waiting: u64,
}

impl App {
    /// The rep's lost contacts waiting for their reason (a page), each with
    /// what its words read as.
    pub async fn triage(&self, rep: &RepName) -> Result<TriageView> {
        let Some(id) = self.existing_rep(rep).await? else {
            return Ok(TriageView { rep: rep.to_string(), waiting: 0, items: Vec::new() });
        };
        let waiting = self.store().triage_count(id).await?;
        let stored = self.store().triage(id, PAGE).await?;
        let vocabulary = self.vocabulary_entries().await?;
        let mut filer = crate::filing::Filer::new(&vocabulary);
        let week_contacts = self.week_contacts(rep).await?;
        let mut items = Vec::with_capacity(stored.len());
        for item in stored {
            let (reads_as, mine, choices) = match item.text.trim() {
                "" => (None, None, Vec::new()),
                text => {
                    let judgement = filer.matcher().judge(text);
                    let mine = judgement.side.is_sure().then_some(judgement.side.side == Side::Mine);
                    let req =
                        SuggestRequest::new(RawSuggest { text: text.to_string(), controllable: None, limit: Some(4) })
                            .map_err(AppError::Invalid)?;
                    let choices = crate::log::suggestion_views(&req, &vocabulary, filer.matcher(), &week_contacts);
                    let best = judgement.best.as_ref().map(|b| b.reason.0);
                    let reads_as = choices.iter().find(|c| Some(c.id) == best).cloned();
                    (reads_as, mine, choices)
                }
            };
            items.push(TriageItemView {
                contact_id: item.contact.id.0,
                client: item.contact.client_name.clone(),
                at: item.contact.at.to_string(),
                text: item.text,
                reads_as,
                mine,
                choices,
            });
        }
        Ok(TriageView { rep: rep.to_string(), waiting, items })
    }

    /// Files the reason of one of the rep's waiting contacts.
    pub async fn triage_file(&self, rep: &RepName, req: &TriageRequest) -> Result<TriagedView> {
        let contact = self.stored_contact(req.contact).await?;
        let owner = self.existing_rep(rep).await?;
        if owner != Some(contact.rep) || contact.outcome != Outcome::Lost {
            return Err(AppError::NotFound(format!(
                "contact #{} is not one of {rep}'s lost contacts waiting for triage: `debrief triage` lists them",
                req.contact
            )));
        }
        let crm_text = self.store().triage_text(ContactId(req.contact)).await?.ok_or_else(|| {
            AppError::NotFound(format!(
                "contact #{} does not wait for triage (its reason is filed): change it with `debrief reasons refile`",
                req.contact
            ))
        })?;
        let text = req.text.clone().unwrap_or_else(|| crm_text.trim().to_string());
        if text.is_empty() {
            return Err(Invalid::from(FieldError::new(
                "text",
                "the CRM gave no reason for this loss: write it in your own words with --text",
            ))
            .into());
        }
        let vocabulary = self.vocabulary_entries().await?;
        let (reason, controllable) = match &req.target {
            TriageTarget::As(name) => match self.resolve_reason(name).await {
                Ok(r) => (ReasonRef::Existing(r.id), r.controllable),
                Err(AppError::NotFound(message)) => return Err(Invalid::from(FieldError::new("as", message)).into()),
                Err(e) => return Err(e),
            },
            TriageTarget::Suggested => {
                let judgement = crate::filing::matcher(&vocabulary).judge(&text);
                let best = judgement.best.ok_or_else(|| {
                    Invalid::from(FieldError::new(
                        "as",
                        format!("\"{text}\" reads as no known reason: keep the words with --mine or --theirs, or name one with --as"),
                    ))
                })?;
                let controllable = vocabulary
                    .iter()
                    .find(|v| v.reason.id == best.reason)
                    .map_or(judgement.side.side == Side::Mine, |v| v.reason.controllable);
                (ReasonRef::Existing(best.reason), controllable)
            }
            TriageTarget::Mine => (own_or_known(&text, true, &vocabulary), true),
            TriageTarget::Theirs => (own_or_known(&text, false, &vocabulary), false),
        };
        let note = NewReasonNote {
            reason: reason.clone(),
            text: text.clone(),
            controllable,
            do_differently: if controllable { req.do_differently.clone() } else { None },
            affected_client: false,
        };
        self.store().file_triaged(ContactId(req.contact), &note).await?;
        let label = match &reason {
            // A reason named by --as may have been merged since: its label is read back.
            ReasonRef::Existing(id) => match vocabulary.iter().find(|v| v.reason.id == *id) {
                Some(v) => v.reason.label.clone(),
                None => self.resolve_reason(&format!("#{}", id.0)).await.map_or_else(|_| String::new(), |r| r.label),
            },
            ReasonRef::New { label, .. } => label.clone(),
        };
        let left = match owner {
            Some(id) => self.store().triage_count(id).await?,
            None => 0,
        };
        Ok(TriagedView {
            contact_id: req.contact,
            client: contact.client_name,
            text,
            reason: label,
            controllable,
            waiting: left,
        })
    }

    /// How many of the rep's lost contacts wait for triage.
    pub async fn triage_waiting(&self, rep: &RepName) -> Result<u64> {
        match self.existing_rep(rep).await? {
            Some(id) => Ok(self.store().triage_count(id).await?),
            None => Ok(0),
        }
    }
}

/// The reason of that side labelled with these words, or a new one.
fn own_or_known(text: &str, controllable: bool, vocabulary: &[debrief_store::ReasonTexts]) -> ReasonRef {
    let wanted = debrief_core::matching::key(text);
    vocabulary
        .iter()
        .find(|v| v.reason.controllable == controllable && debrief_core::matching::key(&v.reason.label) == wanted)
        .map_or_else(
            || crate::contacts::own_reason(text, controllable, vocabulary),
            |v| ReasonRef::Existing(v.reason.id),
        )
}
