//! Review of outgoing messages and call transcripts, like a linter: parse a
//! file's bytes, then return findings with line and column, classified
//! sentences, figures and a score from 0 to 100 with its parts.
//!
//! Entry point: [`review`]. Pure: bytes and settings in, data out; the
//! caller reads files, prints findings and maps [`Review`] to JSON.
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

/// Reviews one file: detects what it is, parses it and applies the rules.
/// Never panics; bad input is an [`InputError`] whose message, prefixed
/// with the file name, is the one line to show.
pub fn review(input: &ReviewInput<'_>, config: &ReviewConfig) -> Result<Review, InputError> {
    match parse(input.name, input.bytes, input.kind)? {
        Document::Message(m) => Ok(review_message(&m, config)),
        Document::Transcript(t) => review_transcript(&t, input.me, config),
    }
}
