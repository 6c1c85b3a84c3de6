//! Which starter reason a text means, learned: a softmax model over the
//! text's concepts (with their polarity), their stems, pairs of neighbouring
//! concepts, who the subject and object are (the mine-or-theirs cues) and
//! its closeness in meaning (the distilled word vectors). Its classes are
//! the starter reasons in [`STARTER`] order, then "another reason of the
//! rep's" and "another reason outside the rep's control".
//!
//! Trained by `super::train` on `data/reasons/wide.tsv` (texts written for
//! it, in many voices) and the first six holdouts; never on `train.tsv`, on
//! which the two smaller models (mine-or-theirs, whether to count a text
//! under its closest reason) learn how far to trust it, the second also on
//! this model's own texts as judged by models trained without their writer
//! (`super::train::out_of_fold`). Weights committed in
//! `data/reasons/model.tsv`.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::sequence::Said;
use super::side::{self, Side};
use super::text::{Analysis, key};
use crate::learn::{self, Feature, Inputs};
use crate::vocabulary::STARTER;

/// The starter reasons, then another reason of each side.
pub(super) const CLASSES: usize = 44;
/// The class of a reason not in the vocabulary, of the rep's.
pub(super) const NEW_MINE: usize = 42;
/// The class of a reason not in the vocabulary, outside the rep's control.
pub(super) const NEW_THEIRS: usize = 43;

static MODEL: LazyLock<learn::Model<CLASSES>> = LazyLock::new(|| {
    learn::Model::compiled(include_bytes!(concat!(env!("OUT_DIR"), "/reasons.table")))
        .expect("the build makes the table of this model's classes")
});

/// Words that weigh in the model but explain nothing.
const FUNCTION_WORDS: &[&str] = &["not"];

/// What the model reads of a text.
pub(super) fn inputs(analysis: &Analysis) -> Inputs<'_> {
    let mut out = Inputs::default();
    out.push(Feature::named("bias"), 1.0);
    let cues = side::cues(&analysis.raw, |_, _| String::new());
    out.push_once(cues.iter().map(|c| Feature::of("side:", c.feature.describe())));
    let tokens = &analysis.tokens;
    out.push_once(tokens.iter().map(|t| match t.negated {
        false => Feature::of("w:", t.term.as_str()),
        true => Feature::pair("not", t.term.as_str()),
    }));
    out.push_once(tokens.iter().filter(|t| t.stem != t.term).map(|t| match t.negated {
        false => Feature::of("s:", t.stem.as_str()),
        true => Feature::of("not s:", t.stem.as_str()),
    }));
    if tokens.iter().any(|t| t.negated) {
        out.push(Feature::named("negated"), 1.0);
    }
    out.push_once(tokens.windows(2).filter_map(|p| match p {
        [a, b] if !a.negated && !b.negated => Some(Feature::pair(a.term.as_str(), b.term.as_str())),
        _ => None,
    }));
    out.dense = analysis.vector;
    out
}

/// Whether the model reads a word of the text (alone, as a stem or in a
/// pair) that it has learned from: without one, what it says of the text
/// is little more than how common each reason is ("ok", "asdfgh").
pub(super) fn reads(analysis: &Analysis) -> bool {
    MODEL.knows_any(&inputs(analysis), |f| matches!(f.prefix, "w:" | "s:" | "not s:" | "b:"))
}

/// What the two readers say of a text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Reading {
    /// The probability of each class: the two readers' averaged.
    pub p: [f64; CLASSES],
    /// The larger of the two readers' probabilities, for each class: one
    /// reader sure of a short, plain text ("we were 10 min late") is worth
    /// counting even when the other hesitates.
    pub surer: [f64; CLASSES],
    /// The share of the sequence readers that put each class first: five
    /// readers agreeing are surer than their mean says.
    pub firsts: [f64; CLASSES],
}

impl Reading {
    /// What the two readers say, the bag of concepts (`words`) and the
    /// sequence readers (`order`).
    pub fn of(words: &[f64; CLASSES], order: &Said) -> Reading {
        Reading {
            p: std::array::from_fn(|c| (1.0 - SEQUENCE_SHARE) * words[c] + SEQUENCE_SHARE * order.p[c]),
            surer: std::array::from_fn(|c| words[c].max(order.p[c])),
            firsts: order.firsts,
        }
    }
}

/// What the learned model and the sequence reader say of a text.
pub(super) fn classify(analysis: &Analysis) -> Reading {
    #[cfg(test)]
    if let Some(r) = HELD_OUT.with(|h| h.borrow().get(&analysis.key).copied()) {
        return r;
    }
    let words = learn::softmax(MODEL.scores(&inputs(analysis)));
    let order = super::sequence::classify(&analysis.text).unwrap_or(Said { p: words, firsts: [0.0; CLASSES] });
    Reading::of(&words, &order)
}

/// How much of the probability the sequence readers give: on writers never
/// read, three parts in four and nine in ten count as many texts at the same
/// share of wrong merges, and both read mine or theirs right more often
/// than half and half (95.8% against 95.0%).
const SEQUENCE_SHARE: f64 = 0.75;

#[cfg(test)]
thread_local! {
    /// Probabilities to give instead of the model's, by the text's key: what
    /// a model that never read the text said of it, for training the models
    /// that learn how far to trust this one (`super::train`).
    pub(super) static HELD_OUT: std::cell::RefCell<HashMap<String, Reading>> =
        std::cell::RefCell::new(HashMap::new());
}

/// The words that weighed most for `class`, at most three: the learned
/// model's first, then those the sequence reader read it in.
pub(super) fn because(analysis: &Analysis, class: usize) -> Vec<String> {
    let mut words = MODEL.because(&inputs(analysis), class, FUNCTION_WORDS, 3);
    for w in super::sequence::because(&analysis.text, class, 3) {
        if words.len() < 3 && !words.iter().any(|b| b.split(' ').any(|p| p == w)) {
            words.push(w);
        }
    }
    words
}

/// The side of a class.
pub(super) fn side_of(class: usize) -> Side {
    match class {
        NEW_MINE => Side::Mine,
        NEW_THEIRS => Side::Theirs,
        c => STARTER.get(c).map_or(Side::Theirs, |r| Side::of(r.controllable)),
    }
}

/// How much more of the probability is on reasons outside the rep's control
/// than on the rep's, in `-1..=1`.
pub(super) fn theirs_lead(p: &[f64; CLASSES]) -> f64 {
    p.iter().enumerate().map(|(c, x)| if side_of(c) == Side::Theirs { *x } else { -*x }).sum()
}

/// The class of a starter label, if it is one.
pub(super) fn class_of(label: &str) -> Option<usize> {
    static CLASSES_BY_KEY: LazyLock<HashMap<String, usize>> =
        LazyLock::new(|| STARTER.iter().enumerate().map(|(c, r)| (key(r.label), c)).collect());
    CLASSES_BY_KEY.get(&key(label)).copied()
}
