//! Filing a typed reason under a canonical one, visibly: a text written as a
//! known one is that reason; any other is judged by the matcher (closest
//! reason, how sure, the runner-up, and whether it reads as the rep's own
//! doing or the client's and the world's). A text that reads as the other
//! side than the list it was given in is never merged: it is kept as
//! written, a new reason, and the rep is told so with the way to move it.

use debrief_core::matching::{Judgement, Matcher, Side, key};
use debrief_core::model::ReasonId;
use debrief_store::ReasonTexts;

/// How one text was filed, and what the rep should see about it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Filed {
    /// The reason it counts under, or `None` for a new reason of its own.
    pub reason: Option<ReasonId>,
    /// How sure the filing is, in `0..=1` (1: written as a known text, or picked).
    pub confidence: f64,
    /// Whether it could be filed without asking.
    pub certain: bool,
    /// The closest other reason of its side: the runner-up of a counted text,
    /// the closest reason of one kept as new.
    pub runner_up: Option<ReasonId>,
    /// The words of the text the match rests on.
    pub words: Vec<String>,
    /// The text reads as the other side than the list it was given in: kept apart.
    pub reads_other_side: bool,
}

impl Filed {
    fn sure(reason: ReasonId) -> Filed {
        Filed {
            reason: Some(reason),
            confidence: 1.0,
            certain: true,
            runner_up: None,
            words: Vec::new(),
            reads_other_side: false,
        }
    }
}

/// One matcher over the whole vocabulary, both sides, built the first time
/// a text is not a known one.
pub(crate) struct Filer<'v> {
    vocabulary: &'v [ReasonTexts],
    matcher: Option<Matcher>,
}

impl<'v> Filer<'v> {
    pub(crate) fn new(vocabulary: &'v [ReasonTexts]) -> Filer<'v> {
        Filer { vocabulary, matcher: None }
    }

    /// Files `text`, given by the rep as controllable or not; `picked` is a
    /// reason the rep chose from the suggestions.
    pub(crate) fn file(&mut self, text: &str, controllable: bool, picked: Option<ReasonId>) -> Filed {
        if let Some(id) = picked {
            return Filed::sure(id);
        }
        if let Some(id) = self.exact(text, controllable) {
            return Filed::sure(id);
        }
        let judgement = self.matcher().judge(text);
        decide(&judgement, controllable)
    }

    /// `text` kept as the rep asked, a reason of its own: the reason of its
    /// side labelled with these words, or a new one.
    pub(crate) fn own(&self, text: &str, controllable: bool) -> Filed {
        let wanted = key(text);
        let labelled = self
            .vocabulary
            .iter()
            .find(|v| v.reason.controllable == controllable && key(&v.reason.label) == wanted)
            .map(|v| v.reason.id);
        Filed {
            reason: labelled,
            confidence: 1.0,
            certain: true,
            runner_up: None,
            words: Vec::new(),
            reads_other_side: false,
        }
    }

    /// The one reason of this kind a text is written as (ignoring case and punctuation).
    fn exact(&self, text: &str, controllable: bool) -> Option<ReasonId> {
        let wanted = key(text);
        let mut exact = self
            .vocabulary
            .iter()
            .filter(|v| v.reason.controllable == controllable)
            .filter(|v| std::iter::once(&v.reason.label).chain(&v.texts).any(|t| key(t) == wanted))
            .map(|v| v.reason.id);
        match (exact.next(), exact.next()) {
            (Some(id), None) => Some(id),
            _ => None,
        }
    }

    /// The matcher over the whole vocabulary, built the first time it is needed.
    pub(crate) fn matcher(&mut self) -> &Matcher {
        let vocabulary = self.vocabulary;
        self.matcher.get_or_insert_with(|| matcher(vocabulary))
    }
}

/// The matcher over every reason of the vocabulary with its side.
pub(crate) fn matcher(vocabulary: &[ReasonTexts]) -> Matcher {
    let mut matcher = Matcher::new();
    for entry in vocabulary {
        matcher.add_reason(entry.reason.id, Side::of(entry.reason.controllable), &entry.reason.label);
        for text in &entry.texts {
            matcher.add(entry.reason.id, text);
        }
    }
    matcher
}

/// Counts a judged text under its best reason when the matcher is confident
/// and the text reads as the side it was given as; otherwise keeps it as a
/// new reason. A text that surely reads as the other side is kept apart and
/// said so.
fn decide(j: &Judgement, controllable: bool) -> Filed {
    let given = Side::of(controllable);
    let reads_other_side = j.side.side != given && j.side.is_sure();
    let words = j.best.as_ref().map(|b| b.words.clone()).unwrap_or_default();
    let counted = j.reason().is_some() && j.side.side == given;
    let runner_up = if counted { j.runner_up.as_ref() } else { j.best.as_ref() }.map(|c| c.reason);
    if reads_other_side {
        return Filed {
            reason: None,
            confidence: j.side.confidence,
            certain: false,
            runner_up,
            words,
            reads_other_side,
        };
    }
    // Judged on the side the text reads as; a match is kept only on the side it was given.
    let reason = j.reason().filter(|_| counted).map(|c| c.reason);
    let certain = j.certain && j.side.side == given;
    Filed { reason, confidence: j.confidence, certain, runner_up, words, reads_other_side: false }
}

#[cfg(test)]
mod tests {
    use debrief_core::model::Reason;

    use super::*;

    fn vocabulary() -> Vec<ReasonTexts> {
        debrief_core::vocabulary::STARTER
            .iter()
            .enumerate()
            .map(|(i, s)| ReasonTexts {
                reason: Reason { id: ReasonId(i as i64 + 1), label: s.label.into(), controllable: s.controllable },
                texts: s.paraphrases.iter().map(|p| p.to_string()).collect(),
            })
            .collect()
    }

    fn label(v: &[ReasonTexts], id: Option<ReasonId>) -> Option<&str> {
        id.and_then(|id| v.iter().find(|e| e.reason.id == id)).map(|e| e.reason.label.as_str())
    }

    #[test]
    fn the_clients_situation_is_never_the_reps_mistake() {
        let v = vocabulary();
        let mut filer = Filer::new(&v);
        let filed = filer.file("the client simply had no money", true, None);
        assert_eq!(filed.reason, None, "{filed:?}");
        assert!(filed.reads_other_side, "{filed:?}");
    }

    #[test]
    fn known_texts_and_picks_are_sure() {
        let v = vocabulary();
        let mut filer = Filer::new(&v);
        let filed = filer.file("Didn't ask about budget!", true, None);
        assert_eq!(label(&v, filed.reason), Some("didn't ask about budget"));
        assert!(filed.certain && filer.matcher.is_none(), "no matcher for a known text");
        assert_eq!(filer.file("anything", true, Some(ReasonId(3))).reason, Some(ReasonId(3)));
    }

    #[test]
    fn a_paraphrase_is_filed_under_its_reason() {
        let v = vocabulary();
        let mut filer = Filer::new(&v);
        let filed = filer.file("never asked the budget question", true, None);
        assert_eq!(label(&v, filed.reason), Some("didn't ask about budget"), "{filed:?}");
    }
}
