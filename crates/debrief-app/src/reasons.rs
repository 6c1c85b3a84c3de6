//! The reason vocabulary: ranking over a window, merging, renaming, the
//! starter vocabulary, and finding a reason by what the user typed.

use debrief_core::matching::key;
use debrief_core::model::Reason;
use debrief_core::review;
use debrief_core::vocabulary::STARTER;
use debrief_store::{ReasonTexts, Store};

use crate::input::{MergeRequest, ReasonsRequest, RenameRequest, RepName};
use crate::views::{ReasonsView, VocabularyEntryView};
use crate::week::rank_view;
use crate::{App, AppError, Result};

/// Adds the starter vocabulary to a database that has no reasons yet.
pub(crate) async fn seed(store: &dyn Store) -> Result<()> {
    let starter: Vec<ReasonTexts> = STARTER
        .iter()
        .map(|s| ReasonTexts {
            reason: Reason {
                id: debrief_core::model::ReasonId(0),
                label: s.label.into(),
                controllable: s.controllable,
            },
            texts: s.paraphrases.iter().map(|p| p.to_string()).collect(),
        })
        .collect();
    store.add_reasons(&starter).await?;
    Ok(())
}

impl App {
    /// Reasons ranked over the last `weeks` weeks (ending this week).
    pub async fn reasons(&self, rep_name: &RepName, req: &ReasonsRequest) -> Result<ReasonsView> {
        let last = self.this_week();
        let first = last.plus(1 - i64::from(req.weeks))?;
        let contacts = match self.existing_rep(rep_name).await? {
            Some(rep) => self.contacts_between(rep, first, last).await?,
            None => Vec::new(),
        };
        let labels = self.labels().await?;
        let ranked = review::rank_reasons(&contacts, &labels, self.tz());
        Ok(ReasonsView {
            rep: rep_name.to_string(),
            from_week: first.to_string(),
            to_week: last.to_string(),
            lost: review::count(&contacts, debrief_core::model::Outcome::Lost),
            suggested_focus: review::suggest_focus(&ranked).map(|r| r.label.clone()),
            reasons: ranked.iter().map(rank_view).collect(),
            triage_waiting: self.triage_waiting(rep_name).await?,
        })
    }

    /// Every reason of the vocabulary with the ways it has been written.
    pub async fn vocabulary(&self) -> Result<Vec<VocabularyEntryView>> {
        let vocabulary = self.vocabulary_entries().await?;
        Ok(vocabulary
            .into_iter()
            .map(|v| VocabularyEntryView {
                id: v.reason.id.0,
                reason: v.reason.label,
                controllable: v.reason.controllable,
                texts: v.texts,
            })
            .collect())
    }

    /// Counts every use of `from` under `into`. Both are labels, ways to say them, or `#id`.
    pub async fn merge_reasons(&self, req: &MergeRequest) -> Result<(Reason, Reason)> {
        let (from, into) = (self.resolve_reason(&req.from).await?, self.resolve_reason(&req.into).await?);
        if from.id == into.id {
            return Err(AppError::Rejected(format!(
                "\"{}\" and \"{}\" are already the same reason: nothing to merge",
                from.label, into.label
            )));
        }
        self.store().merge_reasons(from.id, into.id).await?;
        Ok((from, into))
    }

    /// Gives a reason a clearer label; the old one still matches.
    pub async fn rename_reason(&self, req: &RenameRequest) -> Result<Reason> {
        let reason = self.resolve_reason(&req.reason).await?;
        self.store().rename_reason(reason.id, &req.label).await?;
        Ok(Reason { label: req.label.clone(), ..reason })
    }

    /// Finds the reason the user names: `#id`, an exact label or written
    /// text (ignoring case and punctuation), or the one label holding every
    /// word typed ("proposal" for "sent the proposal too late") or whose
    /// words are all in what was typed ("was late to the meeting" for "was
    /// late"). Never a guess: a command that moves counts acts on the reason
    /// named, and a name that fits none or several is refused with the
    /// closest labels.
    pub async fn resolve_reason(&self, text: &str) -> Result<Reason> {
        let vocabulary = self.vocabulary_entries().await?;
        if let Some(id) = text.trim().strip_prefix('#').and_then(|n| n.parse::<i64>().ok()) {
            return vocabulary.into_iter().find(|v| v.reason.id.0 == id).map(|v| v.reason).ok_or_else(|| {
                AppError::NotFound(format!("no reason #{id}: the vocabulary lists the reasons with their numbers"))
            });
        }
        let wanted = key(text);
        let exact =
            vocabulary.iter().find(|v| key(&v.reason.label) == wanted || v.texts.iter().any(|t| key(t) == wanted));
        if let Some(v) = exact {
            return Ok(v.reason.clone());
        }
        let typed: Vec<&str> = wanted.split_whitespace().collect();
        let within = |part: &[&str], whole: &[&str]| part.iter().all(|w| whole.contains(w));
        let holding: Vec<&Reason> = vocabulary
            .iter()
            .map(|v| &v.reason)
            .filter(|r| {
                let label = key(&r.label);
                let label: Vec<&str> = label.split_whitespace().collect();
                !typed.is_empty() && !label.is_empty() && (within(&typed, &label) || within(&label, &typed))
            })
            .collect();
        match holding.as_slice() {
            [one] => return Ok((*one).clone()),
            [] => {}
            several => {
                let labels: Vec<String> =
                    several.iter().take(4).map(|r| format!("\"{}\" (#{})", r.label, r.id.0)).collect();
                let more = if several.len() > 4 { format!(" and {} more", several.len() - 4) } else { String::new() };
                return Err(AppError::NotFound(format!(
                    "\"{}\" names more than one reason: {}{more}; give the whole label or its #number",
                    crate::input::echo(text.trim()),
                    labels.join(", ")
                )));
            }
        }
        let matcher = crate::filing::matcher(&vocabulary);
        let label_of = |id| vocabulary.iter().find(|v| v.reason.id == id).map(|v| v.reason.clone());
        let close: Vec<String> = matcher
            .suggestions(text, 3)
            .into_iter()
            .filter_map(|m| label_of(m.reason))
            .map(|r| format!("\"{}\"", r.label))
            .collect();
        let hint = if close.is_empty() {
            "the vocabulary lists every reason".to_string()
        } else {
            format!("did you mean {}?", close.join(" or "))
        };
        Err(AppError::NotFound(format!("no reason matches \"{}\": {hint}", crate::input::echo(text.trim()))))
    }
}
