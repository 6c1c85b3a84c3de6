//! Whether to count a text under its closest reason: a logistic model over
//! the evidence of the match (its score, its lead over the runner-up, how
//! many concepts it shares, how much of each text they cover, how many of the
//! reason's texts agree, how sure the side is, how close in meaning the
//! reason's texts are). It reads no word, so it works
//! the same for reasons users add. Weights trained by `super::train` on
//! `data/reasons/train.tsv` and on the learned model's texts as a model that
//! never read their writer judged them, and committed in [`WEIGHTS`].

use super::side::sigmoid;

/// The evidence behind the closest reason.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Evidence {
    pub score: f64,
    /// Score minus the runner-up's (of the same side).
    pub margin: f64,
    /// Concepts shared with the closest text.
    pub shared: u32,
    /// Share of the new text's weight that is shared.
    pub query_coverage: f64,
    /// Share of the closest text's weight that is shared.
    pub stored_coverage: f64,
    /// Texts of the reason scoring at least the suggestion level, as a share
    /// of its texts (of four at most): a reason known by its label alone is
    /// fully supported by it.
    pub support: f64,
    /// Confidence of the mine-or-theirs call, `0.5..=1`.
    pub side: f64,
    /// The largest share of the reason's texts using a shared concept.
    pub central: f64,
    /// The score of the words alone.
    pub lexical: f64,
    /// The largest cosine with one of the reason's texts, and the mean.
    pub meaning: f64,
    pub meaning_mean: f64,
    /// Whether the reason is also the closest in meaning of its side.
    pub agree: bool,
    /// The largest cosine minus the largest of any other reason of its side.
    pub meaning_margin: f64,
}

pub const FEATURE_NAMES: [&str; 13] = [
    "score",
    "margin",
    "two concepts",
    "text covered",
    "reason text covered",
    "texts agreeing",
    "side sure",
    "central concept",
    "words score",
    "closest in meaning",
    "mean closeness in meaning",
    "closest in meaning of its side",
    "lead in meaning",
];

/// One weight per feature, then the bias.
pub const WEIGHT_COUNT: usize = FEATURE_NAMES.len() + 1;

/// The trained weights, in [`FEATURE_NAMES`] order, then the bias. Reproduced by
/// `cargo test -p debrief-core weights_are_reproducible`; printed anew by
/// `cargo test -p debrief-core --release -- --ignored train_weights --nocapture`.
#[rustfmt::skip]
pub const WEIGHTS: [f64; WEIGHT_COUNT] = [
    0.575, 1.613, 0.955, 0.107, 1.201, 0.505, 1.308, 0.821, 0.605, -0.039, 0.337, 0.53, 0.703, -4.144,
];

impl Evidence {
    pub fn vector(&self) -> [f64; WEIGHT_COUNT] {
        [
            self.score,
            self.margin,
            if self.shared >= 2 { 1.0 } else { 0.0 },
            self.query_coverage,
            self.stored_coverage,
            self.support.min(1.0),
            (self.side - 0.5) * 2.0,
            self.central.min(1.0),
            self.lexical,
            self.meaning,
            self.meaning_mean,
            if self.agree { 1.0 } else { 0.0 },
            self.meaning_margin,
            1.0,
        ]
    }

    /// The probability that counting the text under the closest reason is right.
    pub fn probability(&self, weights: &[f64; WEIGHT_COUNT]) -> f64 {
        logistic(&self.vector(), weights)
    }
}

/// The evidence behind the starter reason the learned model puts first (of
/// the side the text reads as), for a second logistic model: how sure the
/// learned model is, how many of the sequence readers agree, and whether
/// the words and meaning agree.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(super) struct Stacked {
    /// Its learned probability.
    pub learned: f64,
    /// The larger of the two readers' probabilities of it.
    pub surer: f64,
    /// The share of the sequence readers that put it first.
    pub firsts: f64,
    /// That minus the next starter reason's.
    pub margin: f64,
    /// The learned probability of a reason not in the vocabulary, of the side.
    pub new: f64,
    /// Whether the words and meaning also put it first.
    pub agree: bool,
    /// The confidence by words and meaning of their first reason, when that
    /// is it, and when it is another reason.
    pub words: f64,
    pub other_words: f64,
    /// Confidence of the mine-or-theirs call, `0.5..=1`.
    pub side: f64,
    /// The learned probability of the side, all its reasons and new ones.
    pub learned_side: f64,
}

pub const STACKED_NAMES: [&str; 10] = [
    "learned probability",
    "surer reader's probability",
    "sequence readers putting it first",
    "learned lead",
    "learned: not in the vocabulary",
    "words agree",
    "words confidence",
    "words confidence, another reason",
    "side sure",
    "learned side",
];

pub const STACKED_COUNT: usize = STACKED_NAMES.len() + 1;

/// The trained weights, in [`STACKED_NAMES`] order, then the bias; trained
/// with [`WEIGHTS`] by `super::train`.
#[rustfmt::skip]
pub const STACKED: [f64; STACKED_COUNT] = [
    1.641, 1.238, 1.555, 1.499, -1.908, 0.065, 0.153, 0.057, 0.412, 0.414, -2.454,
];

impl Stacked {
    pub fn vector(&self) -> [f64; STACKED_COUNT] {
        [
            self.learned,
            self.surer,
            self.firsts,
            self.margin,
            self.new,
            if self.agree { 1.0 } else { 0.0 },
            self.words,
            self.other_words,
            (self.side - 0.5) * 2.0,
            self.learned_side,
            1.0,
        ]
    }

    /// The probability that counting the text under the learned model's
    /// first reason is right.
    pub fn probability(&self, weights: &[f64; STACKED_COUNT]) -> f64 {
        logistic(&self.vector(), weights)
    }
}

/// `sigmoid(w · x)`, rounded to four decimals.
fn logistic(x: &[f64], weights: &[f64]) -> f64 {
    let z: f64 = x.iter().zip(weights).map(|(x, w)| x * w).sum();
    (sigmoid(z) * 1e4).round() / 1e4
}
