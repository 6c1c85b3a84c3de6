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
use std::sync::LazyLock;

use super::{Leaning, SentenceClass};
use crate::learn::{self, Feature, Inputs};
use crate::matching::meaning;

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
pub(crate) fn inputs<'t>(sentence: &str, words: &'t [Cow<'_, str>], leaning: Leaning) -> Inputs<'t> {
    let mut out = Inputs::default();
    out.named.reserve(2 * words.len() + 16);
    out.push(Feature::named("bias"), 1.0);
    let lexicon = |score: i32| (score.clamp(0, 12) as f32) / 4.0;
    out.push(Feature::named("lex:benefit"), lexicon(leaning.benefit));
    out.push(Feature::named("lex:feature"), lexicon(leaning.feature));
    out.push(Feature::named("lex:neither"), lexicon(leaning.neither));
    let trimmed = sentence.trim();
    let lower = trimmed.to_ascii_lowercase();
    let has_link = lower.contains("http") || lower.contains("www.") || lower.contains(".com");
    let shapes = [
        ("shape:question", trimmed.ends_with('?')),
        ("shape:exclaims", trimmed.contains('!')),
        ("shape:ends-with-comma", trimmed.ends_with(',')),
        ("shape:link", has_link),
        ("shape:email-address", trimmed.contains('@')),
        ("shape:digits", trimmed.chars().any(|c| c.is_ascii_digit())),
        ("shape:percent", trimmed.contains('%')),
        ("shape:money", trimmed.contains(['$', '€', '£'])),
        ("shape:shouts", trimmed.split_whitespace().any(|w| w.len() >= 3 && w.chars().all(|c| c.is_uppercase()))),
        ("shape:short", words.len() <= 3),
        ("shape:long", words.len() > 25),
        ("shape:no-words", words.is_empty()),
    ];
    for (name, on) in shapes {
        if on {
            out.push(Feature::named(name), 1.0);
        }
    }
    if let Some(first) = words.first() {
        out.push(Feature::of("first:", first), 1.0);
    }
    // Each once (training writes them in the order of their names).
    out.push_once(
        words.iter().map(|w| Feature::of("w:", w)).chain(words.windows(2).map(|p| Feature::pair(&p[0], &p[1]))),
    );
    out.dense = meaning(words.iter().map(|w| w.as_ref()));
    out
}

/// Words that carry weight in the model but explain nothing to a reader.
const FUNCTION_WORDS: &[&str] = &[
    "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "as", "is", "are", "was",
    "be", "it", "its", "it's", "this", "that", "so", "if", "up", "out", "from", "about", "into", "than", "then",
    "there", "here", "just", "all", "any", "some", "do", "does", "did", "has", "have", "had",
];

/// The committed weights, read once.
static MODEL: LazyLock<learn::Model<3>> = LazyLock::new(|| {
    learn::Model::compiled(include_bytes!(concat!(env!("OUT_DIR"), "/sentences.table")))
        .expect("the build makes the table of this model's classes")
});

/// Reads the committed weights now rather than at the first sentence: a
/// caller reviewing many files on several threads lets one thread do it
/// while another starts on the text.
pub fn prepare() {
    LazyLock::force(&MODEL);
}

/// The verdict on a sentence, with the words that weighed most for it.
pub fn verdict(sentence: &str, words: &[Cow<'_, str>], leaning: Leaning) -> Verdict {
    verdict_explaining(sentence, words, leaning, |_| true)
}

/// [`verdict`], naming the words only for the classes `explain` asks for
/// (the rest have `because` empty): a review explains only what it flags.
pub fn verdict_explaining(
    sentence: &str,
    words: &[Cow<'_, str>],
    leaning: Leaning,
    explain: impl Fn(SentenceClass) -> bool,
) -> Verdict {
    let inputs = inputs(sentence, words, leaning);
    let p = learn::softmax(MODEL.scores(&inputs));
    let best = learn::best(&p);
    let because = if explain(CLASSES[best]) { MODEL.because(&inputs, best, FUNCTION_WORDS, 3) } else { Vec::new() };
    Verdict { class: CLASSES[best], probability: p[best], because }
}
