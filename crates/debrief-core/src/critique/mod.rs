//! Review of outgoing messages and call transcripts, like a linter: parse a
//! file's bytes, then return findings with line and column, classified
//! sentences, figures and a score from 0 to 100 with its parts.
//!
//! Entry point: [`review`]. Pure: bytes and settings in, data out; the
//! caller reads files, prints findings and maps [`Review`] to JSON.
//!
//! Bounded: a file over [`MAX_INPUT_BYTES`], or holding more than
//! [`MAX_TEXT_BYTES`] of text once decoded, is refused before any rule runs,
//! and every step takes time linear in the text (or `n log n`), so the
//! largest review takes milliseconds (BENCHMARKS.md).
//!
//! | module | owns |
//! | --- | --- |
//! | `parse`, `mime`, `cues`, `decode` | bytes → [`Document`]; bad input → [`InputError`] |
//! | `furniture` | signatures, footers, legal notices, lone links: left out, and said |
//! | `sentences`, `text` | sentence splitting, positions, words |
//! | `classify`, `lexicon` | benefit / feature / neither |
//! | `readability` | syllables, Flesch reading ease |
//! | `message`, `transcript`, `signals` | the rules and the score |
//! | `config`, `report` | settings in, results out |

pub mod classify;
pub mod config;
pub mod cues;
pub mod decode;
pub mod document;
pub mod error;
pub mod furniture;
pub mod lexicon;
pub mod message;
pub mod mime;
pub mod parse;
pub mod readability;
pub mod report;
pub mod sentences;
pub mod signals;
pub mod text;
pub mod transcript;

#[cfg(test)]
mod tests;

pub use classify::{SentenceClass, classify};
pub use config::{RULES, ReviewConfig, RuleInfo, SETTINGS};
pub use document::{Document, Kind, Message, Note, Subject, Transcript, TranscriptFormat, Turn};
pub use error::InputError;
pub use message::review_message;
pub use parse::parse;
pub use report::{
    Details, Finding, MeChoice, MeStats, MessageStats, Review, ScorePart, Sentence, SpeakerStats, TranscriptStats,
};
pub use text::Pos;
pub use transcript::review_transcript;

/// One file to review.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReviewInput<'a> {
    /// The file's name, for its extension only (`-` or empty for stdin).
    pub name: &'a str,
    pub bytes: &'a [u8],
    /// Force a message or a transcript instead of detecting it.
    pub kind: Option<Kind>,
    /// Which transcript speaker is the user (`--me`); guessed when `None`.
    pub me: Option<&'a str>,
}

/// Reads what the review needs once per process (the sentence model's
/// weights) ahead of the first file; optional, the review reads it anyway.
pub fn prepare() {
    classify::learned::prepare();
}

/// The largest file read, in bytes: an e-mail with its attachments (an .eml
/// carries them base64-encoded, a third larger than the files) still fits.
/// Reading is linear, so this bounds memory; what is reviewed is bounded by
/// [`MAX_TEXT_BYTES`].
pub const MAX_INPUT_BYTES: usize = 8 * 1024 * 1024;

/// The most text reviewed, in bytes of UTF-8 once decoded: a message's
/// subject and body, or every turn of a call. 256 KiB is about 40,000 words,
/// a call of four hours or more; an e-mail worth sending is a few hundred.
pub const MAX_TEXT_BYTES: usize = 256 * 1024;

/// Reviews one file: detects what it is, parses it and applies the rules.
/// Never panics; bad input is an [`InputError`] whose message, prefixed
/// with the file name, is the one line to show. A file over
/// [`MAX_INPUT_BYTES`] or with more than [`MAX_TEXT_BYTES`] of text is
/// [`InputError::TooLarge`] or [`InputError::TooMuchText`].
pub fn review(input: &ReviewInput<'_>, config: &ReviewConfig) -> Result<Review, InputError> {
    if input.bytes.len() > MAX_INPUT_BYTES {
        return Err(InputError::TooLarge { bytes: input.bytes.len() });
    }
    let doc = parse(input.name, input.bytes, input.kind)?;
    let text = doc.text_len();
    if text > MAX_TEXT_BYTES {
        return Err(InputError::TooMuchText { bytes: text });
    }
    if let Some(language) = not_english(&doc) {
        return Err(InputError::NotEnglish { language });
    }
    apply_rules(&doc, input.me, config)
}

/// How much text the language is told from: the first few thousand
/// characters say it as well as the whole.
const LANGUAGE_SAMPLE: usize = 1500;
/// Fewer words than this cannot tell a language reliably: they are reviewed.
const LANGUAGE_MIN_WORDS: usize = 20;

/// English's commonest words, sorted (a fast path for English text; see
/// [`not_english`]); none is longer than four letters.
const ENGLISH_COMMONEST: &[&str] = &[
    "a", "and", "are", "as", "at", "be", "can", "for", "have", "i", "if", "in", "is", "it", "me", "my", "of", "on",
    "or", "our", "that", "the", "this", "to", "us", "we", "will", "with", "you", "your",
];

/// The language the text is written in, when it is surely not English
/// (whatlang: trigrams, reliable only on enough text).
pub(crate) fn not_english(doc: &Document) -> Option<String> {
    let mut sample = String::with_capacity(LANGUAGE_SAMPLE + 64);
    let mut push = |t: &str| {
        if sample.len() < LANGUAGE_SAMPLE {
            let end = (0..=LANGUAGE_SAMPLE.min(t.len())).rev().find(|&i| t.is_char_boundary(i)).unwrap_or(0);
            sample.push_str(&t[..end]);
            sample.push('\n');
        }
    };
    match doc {
        Document::Message(m) => {
            if let Some(subject) = &m.subject {
                push(&subject.text);
            }
            push(&m.body.text);
        }
        Document::Transcript(t) => t.turns.iter().for_each(|u| push(&u.text.text)),
    }
    let words = sample.split_whitespace().count();
    if words < LANGUAGE_MIN_WORDS {
        return None;
    }
    // A fast path, not the judgment: text of which a fifth or more is
    // English's commonest words is English without asking the detector
    // (which takes longer than the whole review of a short e-mail); the
    // detector alone ever says a text is not English.
    let common = sample
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| w.len() <= 4 && ENGLISH_COMMONEST.binary_search(&w.to_ascii_lowercase().as_str()).is_ok())
        .count();
    if common * 5 >= words {
        return None;
    }
    let info = whatlang::detect(&sample)?;
    (info.lang() != whatlang::Lang::Eng && info.is_reliable()).then(|| info.lang().eng_name().to_string())
}

/// [`review`] without the size limits, for the tests that time it.
#[cfg(test)]
pub(crate) fn review_unbounded(input: &ReviewInput<'_>, config: &ReviewConfig) -> Result<Review, InputError> {
    apply_rules(&parse(input.name, input.bytes, input.kind)?, input.me, config)
}

fn apply_rules(doc: &Document, me: Option<&str>, config: &ReviewConfig) -> Result<Review, InputError> {
    match doc {
        Document::Message(m) => Ok(review_message(m, config)),
        Document::Transcript(t) => review_transcript(t, me, config),
    }
}
