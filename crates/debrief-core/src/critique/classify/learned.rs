//! The learned benefit / feature / neither model: multinomial logistic
//! regression over what a sentence is made of — its words, its pairs of
//! words, its first word, a few shape cues (a question, a link, a price, a
//! closing comma), the hand lexicons' scores ([`super::Leaning`]) and its
//! closeness in meaning (the distilled word vectors of reason matching).
//!
//! The weights are trained by `train.rs` on `data/sentences/` (see its
//! README) and committed in `data/sentences/weights.tsv`; nothing is learned
//! at run time. Every verdict names the words that weighed most for it.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::LazyLock;

use super::{Leaning, SentenceClass};
use crate::learn::{self, Input};
use crate::matching::meaning;

/// The committed weights: `input<TAB>benefit<TAB>feature<TAB>neither`.
const WEIGHTS: &str = include_str!("../../../data/sentences/weights.tsv");

/// The classes in the order of a weight row.
pub(crate) const CLASSES: [SentenceClass; 3] = SentenceClass::ALL;

/// The model's verdict on one sentence.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub class: SentenceClass,
    /// The model's probability for `class`, in `0..=1`.
    pub probability: f64,
    /// The words (or pairs of words) of the sentence that weighed most
    /// towards `class`, strongest first; at most three.
    pub because: Vec<String>,
}

/// The inputs of one sentence (`words` are its [`super::tokens`]).
pub(crate) fn inputs(sentence: &str, words: &[Cow<'_, str>], leaning: Leaning) -> Vec<Input> {
    let mut out: Vec<Input> = Vec::with_capacity(2 * words.len() + 80);
    out.push(("bias".into(), 1.0));
    let lexicon = |score: i32| (score.clamp(0, 12) as f32) / 4.0;
    out.push(("lex:benefit".into(), lexicon(leaning.benefit)));
    out.push(("lex:feature".into(), lexicon(leaning.feature)));
    out.push(("lex:neither".into(), lexicon(leaning.neither)));
    let trimmed = sentence.trim();
    let lower = trimmed.to_lowercase();
    let shapes = [
        ("shape:question", trimmed.ends_with('?')),
        ("shape:exclaims", trimmed.contains('!')),
        ("shape:ends-with-comma", trimmed.ends_with(',')),
        ("shape:link", lower.contains("http") || lower.contains("www.") || lower.contains(".com")),
        ("shape:email-address", trimmed.contains('@')),
        ("shape:digits", trimmed.chars().any(|c| c.is_ascii_digit())),
        ("shape:percent", trimmed.contains('%')),
        ("shape:money", trimmed.contains(['$', '€', '£'])),
        ("shape:shouts", trimmed.split_whitespace().any(|w| w.len() >= 3 && w.chars().all(|c| c.is_uppercase()))),
        ("shape:short", words.len() <= 3),
        ("shape:long", words.len() > 25),
        ("shape:no-words", words.is_empty()),
    ];
    out.extend(shapes.iter().filter(|(_, on)| *on).map(|(name, _)| (name.to_string(), 1.0)));
    if let Some(first) = words.first() {
        out.push((format!("first:{first}"), 1.0));
    }
    let mut seen: Vec<String> = Vec::with_capacity(2 * words.len());
    for w in words {
        seen.push(format!("w:{w}"));
    }
    for pair in words.windows(2) {
        seen.push(format!("b:{} {}", pair[0], pair[1]));
    }
    seen.sort_unstable();
    seen.dedup();
    out.extend(seen.into_iter().map(|name| (name, 1.0)));
    if let Some(v) = meaning(words.iter().map(|w| w.as_ref())) {
        out.extend(v.iter().enumerate().map(|(i, x)| (format!("meaning:{i}"), *x)));
    }
    out
}

/// Words that carry weight in the model but explain nothing to a reader.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "as", "is", "are", "was",
    "be", "it", "its", "it's", "this", "that", "so", "if", "up", "out", "from", "about", "into", "than", "then",
    "there", "here", "just", "all", "any", "some", "do", "does", "did", "has", "have", "had",
];

/// The committed weights, read once.
static MODEL: LazyLock<HashMap<&'static str, [f32; 3]>> = LazyLock::new(|| learn::parse(WEIGHTS));

/// The verdict on a sentence, with the words that weighed most for it.
pub fn verdict(sentence: &str, words: &[Cow<'_, str>], leaning: Leaning) -> Verdict {
    let inputs = inputs(sentence, words, leaning);
    let p = learn::softmax(learn::scores(&inputs, &MODEL));
    let best = learn::best(&p);
    let because = learn::because(&inputs, &MODEL, best, FUNCTION_WORDS, 3);
    Verdict { class: CLASSES[best], probability: p[best], because }
}
