//! The learned apology verdict: a logistic model (softmax over owning and
//! excusing) over what the rules found ([`super::FindingKind`] by kind,
//! how often the writer names their own part, whether the text apologises
//! at all), the text's words and pairs of words and its closeness in
//! meaning. The rules find and name the excuses; the model decides whether,
//! all told, the text owns the writer's part — "traffic was bad, but I
//! should have left earlier" names an outside cause and owns it.
//!
//! Weights trained by `train.rs` on `data/apology/` (see its README) and
//! committed in `data/apology/weights.tsv`.

use std::borrow::Cow;
use std::sync::LazyLock;

use super::{Finding, Verdict};
use crate::critique::text::tokens;
use crate::learn::{self, Feature, Inputs};
use crate::matching::meaning;

/// The classes in the order of a weight row.
pub(crate) const CLASSES: [Verdict; 2] = [Verdict::Owning, Verdict::Excusing];

/// What the rules saw in a text.
pub(crate) struct Rules<'a> {
    pub findings: &'a [Finding],
    /// How many times the writer names their own part ("I forgot", "my mistake").
    pub marks: usize,
    pub apologizes: bool,
}

/// The model's reading of a text.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Judged {
    pub verdict: Verdict,
    pub probability: f64,
    /// The words that weighed most for the verdict, strongest first; at most three.
    pub because: Vec<String>,
}

/// The inputs of one text (`words` are its tokens).
pub(crate) fn inputs<'t>(words: &'t [Cow<'_, str>], rules: &Rules<'_>) -> Inputs<'t> {
    let mut out = Inputs::default();
    out.named.reserve(2 * words.len() + 16);
    out.push(Feature::named("bias"), 1.0);
    let mut kinds: Vec<&'static str> = rules.findings.iter().map(|f| f.kind.as_str()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for kind in kinds {
        out.push(Feature::of("rule:", kind), 1.0);
    }
    if !rules.findings.is_empty() {
        out.push(Feature::named("rules:any"), 1.0);
    }
    out.push(Feature::named("owns:marks"), rules.marks.min(3) as f32 / 3.0);
    if rules.marks == 0 {
        out.push(Feature::named("owns:none"), 1.0);
    }
    if rules.apologizes {
        out.push(Feature::named("apologizes"), 1.0);
    }
    // Each once (training writes them in the order of their names).
    out.push_once(
        words.iter().map(|w| Feature::of("w:", w)).chain(words.windows(2).map(|p| Feature::pair(&p[0], &p[1]))),
    );
    out.dense = meaning(words.iter().map(|w| w.as_ref()));
    out
}

/// A text's tokens, as the model reads them.
pub(crate) fn words(text: &str) -> Vec<Cow<'_, str>> {
    tokens(text).into_iter().map(|(_, w)| w).collect()
}

static MODEL: LazyLock<learn::Model<2>> = LazyLock::new(|| {
    learn::Model::compiled(include_bytes!(concat!(env!("OUT_DIR"), "/apology.table")))
        .expect("the build makes the table of this model's classes")
});

/// Words that weigh in the model but explain nothing to a reader.
const FUNCTION_WORDS: &[&str] = &[
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "to",
    "in",
    "on",
    "at",
    "by",
    "for",
    "with",
    "as",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "it",
    "its",
    "it's",
    "this",
    "that",
    "so",
    "if",
    "up",
    "out",
    "from",
    "about",
    "into",
    "than",
    "then",
    "there",
    "here",
    "just",
    "all",
    "any",
    "some",
    "do",
    "does",
    "did",
    "has",
    "have",
    "had",
    "sorry",
    "apologies",
    "apologise",
    "apologize",
    "i'm",
    "i",
    "you",
    "your",
    "we",
    "our",
];

/// The probability of excusing from which a text is called excusing: calling
/// an honest apology an excuse costs more than missing an excuse (chosen on
/// the dev part).
pub(crate) const EXCUSING_FROM: f64 = 0.6;

/// The probability of excusing from which a text that says no sorry and in
/// which the rules find no excuse is called excusing (chosen on the dev part).
pub(crate) const SURE_WITHOUT_SORRY: f64 = 0.95;

/// The class of probabilities `p` (owning, excusing).
pub(crate) fn class(p: &[f64; 2]) -> usize {
    usize::from(p[1] >= EXCUSING_FROM)
}

/// The verdict on a text, with the words that weighed most for it.
pub(crate) fn judge(text: &str, rules: &Rules<'_>) -> Judged {
    let words = words(text);
    let inputs = inputs(&words, rules);
    let p = learn::softmax(MODEL.scores(&inputs));
    let best = class(&p);
    let because = MODEL.because(&inputs, best, FUNCTION_WORDS, 3);
    Judged { verdict: CLASSES[best], probability: p[best], because }
}
