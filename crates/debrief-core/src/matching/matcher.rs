//! The matcher: every text of every reason, read once at [`Matcher::add`],
//! indexed by concept, and scored against a new text.

use std::collections::{HashMap, HashSet};

use super::accept::{self, Evidence};
use super::learned::{self, CLASSES, Reading};
use super::semantic::{self, Vector};
use super::side::{self, Side, SideCall};
use super::text::{Analysis, Token, key};
use super::{ACCEPT, Candidate, Judgement, Match, SUGGEST, SUGGEST_CONTRADICTED, SUGGEST_LEARNED, SURE};
use crate::model::ReasonId;

/// How the score counts concepts that are not shared.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Params {
    /// Concepts only the new text has that other texts use: evidence that the
    /// new text says something else too.
    pub known_extra: f64,
    /// Concepts no stored text uses: often context ("ten minutes", "traffic")
    /// that says little about which reason it is.
    pub unknown_extra: f64,
    /// Concepts only the stored text has: part of the reason is missing.
    pub stored_extra: f64,
    /// How much the closeness in meaning adds to the score at most.
    pub meaning_weight: f64,
    /// The cosine under which meaning adds nothing.
    pub meaning_floor: f64,
}

pub(super) const PARAMS: Params =
    Params { known_extra: 0.4, unknown_extra: 0.25, stored_extra: 0.5, meaning_weight: 0.25, meaning_floor: 0.35 };

impl Default for Params {
    fn default() -> Self {
        PARAMS
    }
}
/// At most this many reasons found by closeness in meaning alone are ranked.
const MAX_CLOSE: usize = 16;
/// At most this many unknown words of a text are looked up as typos.
const MAX_CORRECTIONS: usize = 16;

/// A concept with its polarity: `word id * 2 + negated`.
type Term = u32;

fn term(word: u32, negated: bool) -> Term {
    word * 2 + u32::from(negated)
}

fn word_of(term: Term) -> usize {
    (term / 2) as usize
}

/// One stored text, read once at `add`.
#[derive(Clone, Debug)]
struct Entry {
    reason: ReasonId,
    text: String,
    terms: Vec<Term>,
}

/// How close in meaning a text comes to one reason.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Meaning {
    /// The largest cosine with one of its texts, and that text.
    pub max: f64,
    entry: u32,
    /// The mean cosine with its texts.
    pub mean: f64,
}

/// Matches free text to canonical reasons, learning from every text added.
#[derive(Clone, Debug, Default)]
pub struct Matcher {
    /// Concept → word id.
    ids: HashMap<String, u32>,
    /// For each word, how many reasons use it.
    df: Vec<u32>,
    /// For each word and reason, how many of the reason's texts use it.
    word_reasons: HashMap<(u32, ReasonId), u32>,
    /// Stems seen in stored texts, by first letter, with their word: typos are
    /// corrected against these.
    stems: HashMap<char, Vec<(Vec<char>, u32)>>,
    known_stems: HashSet<String>,
    /// Term → the entries holding it.
    postings: HashMap<Term, Vec<u32>>,
    /// Key → the entries written that way.
    by_key: HashMap<String, Vec<u32>>,
    entries: Vec<Entry>,
    seen: HashSet<(ReasonId, String)>,
    /// Every reason with its number of texts.
    reasons: HashMap<ReasonId, u32>,
    sides: HashMap<ReasonId, Side>,
    /// Each reason's place in `reason_list`, and the reasons in that order.
    slots: HashMap<ReasonId, u32>,
    reason_list: Vec<ReasonId>,
    /// The entries with a vector, each with its reason's slot, and the vectors.
    vectored: Vec<(u32, u32)>,
    vectors: Vec<Vector>,
    /// The reason of each starter label the learned model knows, by class.
    learned: HashMap<usize, ReasonId>,
    params: Params,
}

/// A reason's best score for a text, which stored text gave it, and the
/// evidence behind it.
#[derive(Clone, Copy, Debug)]
pub(super) struct Scored {
    pub reason: ReasonId,
    pub score: f64,
    entry: u32,
    /// IDF weight of the concepts shared with that text, and their number.
    pub shared: f64,
    pub count: u32,
    /// IDF weight of that text's concepts.
    pub stored: f64,
    /// How many of the reason's texts score at least [`SUGGEST`].
    pub support: u32,
    /// Whether that text was written exactly so (ignoring case and punctuation).
    pub exact: bool,
    /// The score of the words alone.
    pub lexical: f64,
    pub meaning: Meaning,
}

impl Matcher {
    pub fn new() -> Self {
        Self::default()
    }

    /// Declares a reason's side and records its label. A text read as the
    /// other side is never counted under it.
    pub fn add_reason(&mut self, reason: ReasonId, side: Side, label: &str) {
        self.sides.insert(reason, side);
        if let Some(class) = learned::class_of(label).filter(|c| learned::side_of(*c) == side) {
            self.learned.entry(class).or_insert(reason);
        }
        self.add(reason, label);
    }

    /// Records a text written for a reason (or its label). Empty texts and
    /// texts already recorded for the same reason are ignored. A reason never
    /// declared with [`Matcher::add_reason`] has no side: any text may be
    /// counted under it.
    pub fn add(&mut self, reason: ReasonId, text: &str) {
        let key = key(text);
        if key.is_empty() || !self.seen.insert((reason, key.clone())) {
            return;
        }
        let Ok(at) = u32::try_from(self.entries.len()) else { return };
        let analysis = Analysis::new(text);
        let mut terms = Vec::new();
        for token in &analysis.tokens {
            let Some(id) = self.intern(&token.term) else { return };
            let uses = self.word_reasons.entry((id, reason)).or_insert(0);
            *uses += 1;
            if *uses == 1
                && let Some(df) = self.df.get_mut(id as usize)
            {
                *df += 1;
            }
            self.remember_stem(&token.stem, id);
            let t = term(id, token.negated);
            terms.push(t);
            self.postings.entry(t).or_default().push(at);
        }
        self.by_key.entry(key).or_default().push(at);
        *self.reasons.entry(reason).or_insert(0) += 1;
        if let Some(vector) = analysis.vector {
            let slot = self.slot(reason);
            self.vectored.push((at, slot));
            self.vectors.push(vector);
        }
        self.entries.push(Entry { reason, text: text.trim().to_string(), terms });
    }

    /// The number of texts recorded.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn texts_of(&self, reason: ReasonId) -> u32 {
        self.reasons.get(&reason).copied().unwrap_or(0)
    }

    /// The largest share of the reason's texts that use a concept the text
    /// shares with it: near 1 when the text holds what the reason is about
    /// ("competitor"), low when it shares a side word of one text ("mention").
    fn centrality(&self, query: &Query, top: &Scored) -> f64 {
        let Some(entry) = self.entries.get(top.entry as usize) else { return 0.0 };
        let texts = f64::from(self.texts_of(top.reason).max(1));
        query
            .terms
            .iter()
            .filter(|t| entry.terms.contains(t))
            .map(|t| self.word_reasons.get(&(*t / 2, top.reason)).copied().unwrap_or(0))
            .map(|uses| f64::from(uses) / texts)
            .fold(0.0, f64::max)
    }

    /// Sets how the score counts concepts that are not shared (for tuning).
    #[cfg(test)]
    pub(super) fn set_params(&mut self, params: Params) {
        self.params = params;
    }

    /// The side a reason was declared with.
    pub fn side_of(&self, reason: ReasonId) -> Option<Side> {
        self.sides.get(&reason).copied()
    }

    /// The reasons to offer as choices for `text`, best first (ties by
    /// reason id), at most `limit` of them. A starter reason is scored by
    /// the learned model's probability (when the model reads a word of the
    /// text it has learned from) and offered from [`SUGGEST_LEARNED`]
    /// ([`SUGGEST_CONTRADICTED`] when the text contradicts it), or when its
    /// words and meaning reach [`SUGGEST`]; a text written exactly as one of
    /// its texts (a wording the rep re-filed there) scores 1. A reason the
    /// learned model does not know (one a user added), or any reason when no
    /// starter reason is held, is scored by its words and meaning and
    /// offered from [`SUGGEST`]. The side a text reads as does not narrow
    /// these (see [`Matcher::judge`]).
    pub fn suggestions(&self, text: &str, limit: usize) -> Vec<Match> {
        let analysis = Analysis::new(text);
        let query = self.query(&analysis);
        let ranked = self.rank(&query);
        let mut scores: HashMap<ReasonId, f64> =
            ranked.iter().filter(|s| s.score >= SUGGEST).map(|s| (s.reason, s.score)).collect();
        if let Some(Reading { p, .. }) = self.learned_view(&analysis).filter(|_| learned::reads(&analysis)) {
            let (_, votes) = self.polarity(&query);
            let contradicted =
                |reason| self.slots.get(&reason).and_then(|s| votes.get(*s as usize)).is_some_and(|v| *v < 0);
            let exact: HashSet<ReasonId> = ranked.iter().filter(|s| s.exact).map(|s| s.reason).collect();
            for (&class, &reason) in &self.learned {
                let offered = p[class] >= SUGGEST_LEARNED && !contradicted(reason)
                    || p[class] >= SUGGEST_CONTRADICTED
                    || scores.contains_key(&reason);
                match (exact.contains(&reason), offered) {
                    (true, _) => scores.insert(reason, 1.0),
                    (false, true) => scores.insert(reason, round(p[class])),
                    (false, false) => scores.remove(&reason),
                };
            }
        }
        let mut out: Vec<Match> = scores.into_iter().map(|(reason, score)| Match { reason, score }).collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.reason.cmp(&b.reason)));
        out.truncate(limit);
        out
    }

    /// The reason to count the text under: [`Judgement::reason`].
    pub fn best(&self, text: &str) -> Option<Match> {
        let judgement = self.judge(text);
        judgement.reason().map(|c| Match { reason: c.reason, score: c.score })
    }

    /// Everything the app needs to file a text and say why: the side it
    /// reads as, the closest reason of that side and the runner-up, whether
    /// it is counted under the closest, and whether that is certain.
    pub fn judge(&self, text: &str) -> Judgement {
        self.judge_with(text, &side::WEIGHTS, &accept::WEIGHTS, &accept::STACKED)
    }

    /// [`Matcher::judge`] with the given model weights.
    pub(super) fn judge_with(
        &self,
        text: &str,
        side_weights: &[f64; side::WEIGHT_COUNT],
        accept_weights: &[f64; accept::WEIGHT_COUNT],
        stacked_weights: &[f64; accept::STACKED_COUNT],
    ) -> Judgement {
        let analysis = Analysis::new(text);
        let query = self.query(&analysis);
        let ranked = self.rank(&query);
        let learned = self.learned_view(&analysis);
        let side = side::call(self.side_cues(&analysis, &query, &ranked, learned.as_ref().map(|r| &r.p)), side_weights);
        let (top, next) = self.closest(&ranked, side.side);
        // A text written exactly as a known text of its side is that reason;
        // it is only unclear when another reason has the same text.
        let by_words = match top {
            Some(t) if t.exact => 1.0,
            Some(_) => self.evidence(&query, &ranked, &side).map_or(0.0, |e| e.probability(accept_weights)),
            None => 0.0,
        };
        let pick = self.pick(top, by_words, learned.as_ref(), &side, stacked_weights);
        let confidence = pick.map_or(0.0, |p| p.1);
        let counted = confidence >= ACCEPT;
        let tied = top.is_some_and(|t| t.exact) && next.is_some_and(|n| n.exact);
        let clear = !tied && if counted { confidence >= SURE } else { confidence <= 1.0 - SURE };
        let (best, runner_up) = match pick {
            Some((reason, _)) if top.is_none_or(|t| t.reason != reason) => {
                let scored = ranked.iter().find(|s| s.reason == reason);
                let best = match scored {
                    Some(s) => self.candidate(&analysis, &query, s),
                    None => self.learned_candidate(&analysis, reason, learned.as_ref().map(|r| &r.p)),
                };
                (Some(best), top.map(|t| self.candidate(&analysis, &query, t)))
            }
            _ => {
                (top.map(|t| self.candidate(&analysis, &query, t)), next.map(|t| self.candidate(&analysis, &query, t)))
            }
        };
        Judgement { best, runner_up, counted, confidence, certain: clear && side.is_sure(), side }
    }

    /// The learned probability of each class, if the matcher holds a reason
    /// the learned model knows.
    fn learned_view(&self, analysis: &Analysis) -> Option<Reading> {
        (!self.learned.is_empty()).then(|| learned::classify(analysis))
    }

    /// The reason to offer first and the confidence that counting the text
    /// under it is right. With the learned model: the starter reason it puts
    /// first among those of `side`, judged by [`accept::Stacked`] (its
    /// probability, and whether the words and meaning agree), unless the
    /// closest by words and meaning is a reason the learned model does not
    /// know (one a user added) and is more likely right. Without it: the
    /// closest by words and meaning (`top`, with the confidence `by_words`).
    fn pick(
        &self,
        top: Option<&Scored>,
        by_words: f64,
        learned: Option<&Reading>,
        side: &SideCall,
        weights: &[f64; accept::STACKED_COUNT],
    ) -> Option<(ReasonId, f64)> {
        if let Some(t) = top.filter(|t| t.exact) {
            return Some((t.reason, 1.0));
        }
        let words = top.map(|t| (t.reason, by_words));
        let Some(reading) = learned else { return words };
        let stacked = self.stacked(top, by_words, reading, side).map(|(r, s)| (r, s.probability(weights)));
        let unknown = words.filter(|(r, _)| self.class_of(*r).is_none());
        match (stacked, unknown) {
            (Some(s), Some(w)) => Some(if w.1 > s.1 { w } else { s }),
            (s, w) => s.or(w),
        }
    }

    /// The learned class of a reason, if it is a starter reason.
    fn class_of(&self, reason: ReasonId) -> Option<usize> {
        self.learned.iter().find(|(_, r)| **r == reason).map(|(c, _)| *c)
    }

    /// The starter reason of `side` the learned model puts first, and the
    /// evidence behind it.
    pub(super) fn stacked(
        &self,
        top: Option<&Scored>,
        by_words: f64,
        reading: &Reading,
        side: &SideCall,
    ) -> Option<(ReasonId, accept::Stacked)> {
        let probability = &reading.p;
        let mut of_side: Vec<(usize, ReasonId)> =
            self.learned.iter().filter(|(c, _)| learned::side_of(**c) == side.side).map(|(c, r)| (*c, *r)).collect();
        of_side.sort_by(|a, b| probability[b.0].total_cmp(&probability[a.0]).then(a.0.cmp(&b.0)));
        let (class, reason) = *of_side.first()?;
        let next = of_side.get(1).map_or(0.0, |(c, _)| probability[*c]);
        let agree = top.is_some_and(|t| t.reason == reason);
        let new = match side.side {
            Side::Mine => probability[learned::NEW_MINE],
            Side::Theirs => probability[learned::NEW_THEIRS],
        };
        Some((
            reason,
            accept::Stacked {
                learned: probability[class],
                surer: reading.surer[class],
                firsts: reading.firsts[class],
                margin: probability[class] - next,
                new,
                agree,
                words: if agree { by_words } else { 0.0 },
                other_words: if agree || top.is_none() { 0.0 } else { by_words },
                side: side.confidence,
                learned_side: (0..CLASSES).filter(|c| learned::side_of(*c) == side.side).map(|c| probability[c]).sum(),
            },
        ))
    }

    /// A reason put first by the learned model alone: its label, and the
    /// words that weighed most for it.
    fn learned_candidate(&self, analysis: &Analysis, reason: ReasonId, learned: Option<&[f64; CLASSES]>) -> Candidate {
        let class = self.class_of(reason);
        let closest = class.and_then(|c| crate::vocabulary::STARTER.get(c)).map_or("", |r| r.label).to_string();
        let score = match (class, learned) {
            (Some(c), Some(p)) => round(p[c]),
            _ => 0.0,
        };
        let words = class.map(|c| learned::because(analysis, c)).unwrap_or_default();
        Candidate { reason, score, closest, words }
    }

    /// The two closest reasons a text read as `side` may be counted under.
    fn closest<'r>(&self, ranked: &'r [Scored], side: Side) -> (Option<&'r Scored>, Option<&'r Scored>) {
        let mut allowed =
            ranked.iter().filter(|s| s.score >= SUGGEST && self.side_of(s.reason).is_none_or(|k| k == side));
        (allowed.next(), allowed.next())
    }

    fn evidence(&self, query: &Query, ranked: &[Scored], side: &SideCall) -> Option<Evidence> {
        let (top, next) = self.closest(ranked, side.side);
        let top = top?;
        let total = query.known_weight + query.unknown_weight;
        let nearest = ranked
            .iter()
            .filter(|s| self.side_of(s.reason).is_none_or(|k| k == side.side))
            .max_by(|a, b| a.meaning.max.total_cmp(&b.meaning.max).then(b.reason.cmp(&a.reason)));
        Some(Evidence {
            score: top.score,
            margin: top.score - next.map_or(0.0, |n| n.score),
            shared: top.count,
            query_coverage: if total > 0.0 { (top.shared / total).min(1.0) } else { 0.0 },
            stored_coverage: if top.stored > 0.0 { (top.shared / top.stored).min(1.0) } else { 0.0 },
            support: f64::from(top.support) / f64::from(self.texts_of(top.reason).clamp(1, 4)),
            central: self.centrality(query, top),
            side: side.confidence,
            lexical: top.lexical,
            meaning: top.meaning.max,
            meaning_mean: top.meaning.mean,
            agree: nearest.is_some_and(|n| n.reason == top.reason),
            meaning_margin: top.meaning.max
                - ranked
                    .iter()
                    .filter(|s| s.reason != top.reason && self.side_of(s.reason).is_none_or(|k| k == side.side))
                    .map(|s| s.meaning.max)
                    .fold(0.0, f64::max),
        })
    }

    /// The side cues and the match evidence of a text, with the side read by
    /// `side_weights`, and the reason it is closest to (for training).
    #[cfg(test)]
    pub(super) fn training_view(
        &self,
        text: &str,
        side_weights: &[f64; side::WEIGHT_COUNT],
    ) -> (Vec<side::Cue>, Option<(ReasonId, Evidence)>) {
        let analysis = Analysis::new(text);
        let query = self.query(&analysis);
        let ranked = self.rank(&query);
        let learned = self.learned_view(&analysis);
        let cues = self.side_cues(&analysis, &query, &ranked, learned.as_ref().map(|r| &r.p));
        let side = side::call(cues.clone(), side_weights);
        let (top, _) = self.closest(&ranked, side.side);
        (cues, top.and_then(|t| Some((t.reason, self.evidence(&query, &ranked, &side)?))))
    }

    /// The learned model's first reason for a text and the evidence behind
    /// it, read with the given weights (for training).
    #[cfg(test)]
    pub(super) fn training_stacked(
        &self,
        text: &str,
        side_weights: &[f64; side::WEIGHT_COUNT],
        accept_weights: &[f64; accept::WEIGHT_COUNT],
    ) -> Option<(ReasonId, accept::Stacked)> {
        let analysis = Analysis::new(text);
        let query = self.query(&analysis);
        let ranked = self.rank(&query);
        let learned = self.learned_view(&analysis)?;
        let side = side::call(self.side_cues(&analysis, &query, &ranked, Some(&learned.p)), side_weights);
        let (top, _) = self.closest(&ranked, side.side);
        let by_words = match top {
            Some(t) if t.exact => 1.0,
            Some(_) => self.evidence(&query, &ranked, &side).map_or(0.0, |e| e.probability(accept_weights)),
            None => 0.0,
        };
        self.stacked(top, by_words, &learned, &side)
    }

    /// The mine-or-theirs cues: the text's own, and how close it comes to
    /// each kind of reason.
    fn side_cues(
        &self,
        analysis: &Analysis,
        query: &Query,
        ranked: &[Scored],
        learned: Option<&[f64; CLASSES]>,
    ) -> Vec<side::Cue> {
        let mut cues = side::cues(&analysis.raw, |from, to| analysis.typed(from, to));
        // By the words alone: closeness in meaning is the same for "I was
        // late" and "they were late", which is what this call must tell apart.
        let closest = |kind: Side| {
            ranked
                .iter()
                .filter(|s| self.side_of(s.reason) == Some(kind) && s.lexical > 0.0)
                .max_by(|a, b| a.lexical.total_cmp(&b.lexical).then(b.reason.cmp(&a.reason)))
                .map_or((0.0, String::new()), |s| (s.lexical, self.shared_words(analysis, query, s.entry).join(" ")))
        };
        let vocabulary = side::score_cues(&cues, closest(Side::Mine), closest(Side::Theirs));
        cues.extend(vocabulary);
        let nearest = |kind: Side| {
            ranked.iter().filter(|s| self.side_of(s.reason) == Some(kind)).map(|s| s.meaning.max).fold(0.0, f64::max)
        };
        let lead = nearest(Side::Theirs) - nearest(Side::Mine);
        if lead != 0.0 {
            cues.push(side::Cue {
                feature: side::Feature::MeaningLead,
                words: String::new(),
                value: lead,
                weight: 0.0,
            });
        }
        if let Some(p) = learned {
            cues.push(side::Cue {
                feature: side::Feature::LearnedLead,
                words: String::new(),
                value: round(learned::theirs_lead(p)),
                weight: 0.0,
            });
        }
        cues
    }

    fn candidate(&self, analysis: &Analysis, query: &Query, scored: &Scored) -> Candidate {
        let closest = self.entries.get(scored.entry as usize).map_or_else(String::new, |e| e.text.clone());
        Candidate {
            reason: scored.reason,
            score: scored.score,
            closest,
            words: self.shared_words(analysis, query, scored.entry),
        }
    }

    /// The words of the text, as typed, whose concepts the entry shares.
    fn shared_words(&self, analysis: &Analysis, query: &Query, entry: u32) -> Vec<String> {
        let Some(entry) = self.entries.get(entry as usize) else { return Vec::new() };
        let mut words: Vec<String> = Vec::new();
        for (t, token) in query.terms.iter().zip(&query.tokens) {
            let Some(token) = analysis.tokens.get(*token) else { continue };
            let typed = analysis.typed(token.from, token.to);
            if entry.terms.contains(t) && !words.contains(&typed) {
                words.push(typed);
            }
        }
        words
    }

    /// Every reason sharing a concept with the text or close to it in
    /// meaning, with its best score, best first (ties by reason id).
    fn rank(&self, query: &Query) -> Vec<Scored> {
        let mut best = self.rank_words(query);
        let p = &self.params;
        let meanings = self.meanings(query);
        // The reasons the words found, and the closest few in meaning alone:
        // a large vocabulary holds many reasons a little close to any text.
        let mut close: Vec<(usize, Meaning)> =
            meanings.into_iter().enumerate().filter(|(_, m)| m.max > p.meaning_floor).collect();
        if close.len() > MAX_CLOSE {
            close.select_nth_unstable_by(MAX_CLOSE, |a, b| b.1.max.total_cmp(&a.1.max).then(a.0.cmp(&b.0)));
        }
        for (i, (slot, meaning)) in close.into_iter().enumerate() {
            let Some(&reason) = self.reason_list.get(slot) else { continue };
            if i >= MAX_CLOSE {
                if let Some(s) = best.get_mut(&reason) {
                    s.meaning = meaning;
                }
                continue;
            }
            let scored = best.entry(reason).or_insert(Scored {
                reason,
                score: 0.0,
                entry: meaning.entry,
                shared: 0.0,
                count: 0,
                stored: 0.0,
                support: 0,
                exact: false,
                lexical: 0.0,
                meaning,
            });
            scored.meaning = meaning;
        }
        let mut out: Vec<Scored> = best
            .into_values()
            .map(|mut s| {
                let closeness = ((s.meaning.max - p.meaning_floor) / (1.0 - p.meaning_floor)).clamp(0.0, 1.0);
                // Meaning closes part of the gap the words leave.
                let gap = (1.0 - s.lexical) * (1.0 - p.meaning_weight * closeness);
                s.score = if s.exact { 1.0 } else { round(1.0 - gap) };
                s
            })
            .filter(|s| s.score > 0.0)
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.reason.cmp(&b.reason)));
        out
    }

    /// Every reason sharing a concept with the text, with its best score by
    /// the words alone.
    fn rank_words(&self, query: &Query) -> HashMap<ReasonId, Scored> {
        let mut shared: HashMap<u32, (f64, u32)> = HashMap::new();
        for &t in &query.terms {
            for &e in self.postings.get(&t).map_or(&[][..], Vec::as_slice) {
                let slot = shared.entry(e).or_insert((0.0, 0));
                slot.0 += self.idf(word_of(t));
                slot.1 += 1;
            }
        }
        let exact: HashSet<u32> = self.by_key.get(&query.key).map_or(&[][..], Vec::as_slice).iter().copied().collect();
        for &e in &exact {
            shared.entry(e).or_insert((0.0, 0));
        }
        let mut best: HashMap<ReasonId, Scored> = HashMap::new();
        for (&e, &(weight, count)) in &shared {
            let Some(entry) = self.entries.get(e as usize) else { continue };
            let stored: f64 = entry.terms.iter().map(|t| self.idf(word_of(*t))).sum();
            let is_exact = exact.contains(&e);
            let score = if is_exact { 1.0 } else { self.score(query, weight, stored) };
            let scored = Scored {
                reason: entry.reason,
                score,
                entry: e,
                shared: weight,
                stored,
                count,
                support: 0,
                exact: is_exact,
                lexical: score,
                meaning: Meaning::default(),
            };
            let slot = best.entry(entry.reason).or_insert(Scored { score: -1.0, ..scored });
            if score >= SUGGEST {
                slot.support += 1;
            }
            if score > slot.score || (score == slot.score && e < slot.entry) {
                *slot = Scored { support: slot.support, ..scored };
            }
        }
        best.retain(|_, s| s.score > 0.0);
        best
    }

    /// Tversky overlap of the terms weighted by IDF. The same word with the
    /// other polarity is not shared: it is missing on one side and extra on
    /// the other.
    fn score(&self, query: &Query, shared: f64, stored: f64) -> f64 {
        if shared <= 0.0 {
            return 0.0;
        }
        let p = &self.params;
        let extra = p.known_extra * (query.known_weight - shared).max(0.0)
            + p.unknown_extra * query.unknown_weight
            + p.stored_extra * (stored - shared).max(0.0);
        round(shared / (shared + extra))
    }

    fn query(&self, analysis: &Analysis) -> Query {
        let mut query = Query {
            key: analysis.key.clone(),
            vector: analysis.vector,
            terms: Vec::new(),
            tokens: Vec::new(),
            known_weight: 0.0,
            unknown_weight: 0.0,
        };
        let mut corrections = 0;
        for (i, token) in analysis.tokens.iter().enumerate() {
            let found = self.lookup(token).or_else(|| {
                corrections += 1;
                (corrections <= MAX_CORRECTIONS)
                    .then(|| self.correct(&token.stem))
                    .flatten()
                    .map(|id| term(id, token.negated))
            });
            match found {
                Some(t) if !query.terms.contains(&t) => {
                    query.terms.push(t);
                    query.tokens.push(i);
                    query.known_weight += self.idf(word_of(t));
                }
                Some(_) => {}
                None => query.unknown_weight += self.unknown_idf(),
            }
        }
        query
    }

    /// The term of a token, if its concept is known.
    fn lookup(&self, token: &Token) -> Option<Term> {
        self.ids.get(&token.term).map(|&id| term(id, token.negated))
    }

    fn slot(&mut self, reason: ReasonId) -> u32 {
        let next = u32::try_from(self.reason_list.len()).unwrap_or(u32::MAX);
        *self.slots.entry(reason).or_insert_with(|| {
            self.reason_list.push(reason);
            next
        })
    }

    /// How close in meaning the text comes to each reason, by slot. Texts
    /// that hold a concept of the query with the other polarity ("asked about
    /// budget" against "didn't ask about budget") are left out: their
    /// closeness is about the topic, and the topic is what they disagree on.
    fn meanings(&self, query: &Query) -> Vec<Meaning> {
        let mut out = vec![Meaning::default(); self.reason_list.len()];
        let Some(v) = &query.vector else { return out };
        let (marks, votes) = self.polarity(query);
        let mut counts = vec![0u32; out.len()];
        for (&(entry, slot), stored) in self.vectored.iter().zip(&self.vectors) {
            if marks[entry as usize] & 2 != 0 || votes.get(slot as usize).is_none_or(|v| *v < 0) {
                continue;
            }
            let cosine = f64::from(semantic::dot(v, stored));
            let (Some(m), Some(n)) = (out.get_mut(slot as usize), counts.get_mut(slot as usize)) else { continue };
            if *n == 0 || cosine > m.max {
                m.max = cosine;
                m.entry = entry;
            }
            m.mean += cosine;
            *n += 1;
        }
        for (m, n) in out.iter_mut().zip(counts) {
            m.mean /= f64::from(n.max(1));
            m.max = round(m.max);
            m.mean = round(m.mean);
        }
        out
    }

    /// Each text's agreement with the query, and each reason's (over its
    /// texts with a meaning), by slot. A text is marked when it shares a
    /// concept of the query (1) and when it holds one with the other
    /// polarity (2); a reason's vote is its texts that share one less those
    /// that contradict one, so a reason more of whose texts are contradicted
    /// than agree ("didn't ask about budget" for "asked about budget") has a
    /// negative vote.
    fn polarity(&self, query: &Query) -> (Vec<u8>, Vec<i32>) {
        let mut marks = vec![0u8; self.entries.len()];
        for &t in &query.terms {
            self.postings_of(t).iter().for_each(|&e| marks[e as usize] |= 1);
            if !query.terms.contains(&(t ^ 1)) {
                self.postings_of(t ^ 1).iter().for_each(|&e| marks[e as usize] |= 2);
            }
        }
        let mut votes = vec![0i32; self.reason_list.len()];
        for &(entry, slot) in &self.vectored {
            let mark = marks[entry as usize];
            if let Some(v) = votes.get_mut(slot as usize) {
                *v += i32::from(mark & 1) - i32::from(mark >> 1);
            }
        }
        (marks, votes)
    }

    fn postings_of(&self, term: Term) -> &[u32] {
        self.postings.get(&term).map_or(&[][..], Vec::as_slice)
    }

    fn intern(&mut self, word: &str) -> Option<u32> {
        if let Some(&id) = self.ids.get(word) {
            return Some(id);
        }
        let id = u32::try_from(self.df.len()).ok().filter(|id| *id < u32::MAX / 2)?;
        self.df.push(0);
        self.ids.insert(word.to_string(), id);
        Some(id)
    }

    fn remember_stem(&mut self, stem: &str, id: u32) {
        let chars: Vec<char> = stem.chars().collect();
        if chars.len() < 4 || !self.known_stems.insert(stem.to_string()) {
            return;
        }
        if let Some(&first) = chars.first() {
            self.stems.entry(first).or_default().push((chars, id));
        }
    }

    /// The known word whose stem is closest to a misspelt one, preferring the
    /// more common. Only stems with the same first letter are tried (typos
    /// rarely hit it), which keeps this fast on a large vocabulary. A word
    /// that extends or shortens a known one ("later", "shown") is another
    /// word, not a typo.
    fn correct(&self, stem: &str) -> Option<u32> {
        let chars: Vec<char> = stem.chars().collect();
        let allowed = allowed_typos(chars.len());
        if allowed == 0 || self.known_stems.contains(stem) {
            return None;
        }
        let candidates = self.stems.get(chars.first()?)?.iter().filter(|(w, _)| {
            w.len().abs_diff(chars.len()) <= allowed && !w.starts_with(&chars) && !chars.starts_with(w)
        });
        candidates
            .map(|(w, id)| (edit_distance(&chars, w), *id))
            .filter(|&(distance, _)| distance <= allowed)
            .min_by_key(|&(distance, id)| (distance, std::cmp::Reverse(self.df.get(id as usize).copied()), id))
            .map(|(_, id)| id)
    }

    /// Inverse frequency of a word across reasons (not texts): a word that
    /// tells reasons apart weighs more, however many texts of its own reason
    /// repeat it.
    fn idf(&self, word: usize) -> f64 {
        let n = self.reasons.len() as f64;
        let df = f64::from(self.df.get(word).copied().unwrap_or(0).max(1));
        libm::log(1.0 + n / df)
    }

    /// Words no stored text uses weigh like the rarest known word.
    fn unknown_idf(&self) -> f64 {
        libm::log(1.0 + self.reasons.len() as f64)
    }
}

/// A text being matched, resolved against the matcher's words.
struct Query {
    key: String,
    vector: Option<Vector>,
    terms: Vec<Term>,
    /// For each term, the token of the analysis it comes from.
    tokens: Vec<usize>,
    /// IDF of the known words.
    known_weight: f64,
    /// IDF of the words no stored text uses.
    unknown_weight: f64,
}

/// How many typos a stem of this length may carry and still be corrected.
/// The longest word corrected for typos, in characters. No word of a reason
/// is longer, and the edit distance costs the product of the two lengths.
const MAX_TYPO_WORD: usize = 40;

fn allowed_typos(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=8 => 1,
        9..=MAX_TYPO_WORD => 2,
        _ => 0,
    }
}

/// Optimal-string-alignment distance (edits plus adjacent transpositions).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut d = vec![0; (a.len() + 1) * width];
    let at = |i: usize, j: usize| i * width + j;
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for (i, ca) in a.iter().enumerate().map(|(i, c)| (i + 1, c)) {
        d[at(i, 0)] = i;
        for (j, cb) in b.iter().enumerate().map(|(j, c)| (j + 1, c)) {
            let cost = usize::from(ca != cb);
            let mut best = (d[at(i - 1, j)] + 1).min(d[at(i, j - 1)] + 1).min(d[at(i - 1, j - 1)] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[at(i - 2, j - 2)] + 1);
            }
            d[at(i, j)] = best;
        }
    }
    d[at(a.len(), b.len())]
}

/// Rounds a score to six decimals, so that equal evidence summed in another
/// order compares equal, also against the thresholds.
fn round(score: f64) -> f64 {
    (score * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_transpositions_as_one() {
        let d = |a: &str, b: &str| edit_distance(&a.chars().collect::<Vec<_>>(), &b.chars().collect::<Vec<_>>());
        assert_eq!(d("budget", "budget"), 0);
        assert_eq!(d("bugdet", "budget"), 1);
        assert_eq!(d("undrestand", "understand"), 1);
        assert_eq!(d("abut", "about"), 1);
        assert_eq!(d("", "late"), 4);
    }
}
