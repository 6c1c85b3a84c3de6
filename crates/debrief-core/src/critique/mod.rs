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
pub use document::{Document, Kind, Message, Subject, Transcript, TranscriptFormat, Turn};
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
    apply_rules(&doc, input.me, config)
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
