//! What a reviewed file holds once parsed: a message (subject and body) or a
//! transcript (turns by speaker), with positions back into the file.

use super::text::{Pos, SourceText};

/// Which kind of document a file is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Message,
    Transcript,
}

impl Kind {
    /// The contract's name: `message` or `transcript`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Message => "message",
            Kind::Transcript => "transcript",
        }
    }
}

/// A parsed file.
#[derive(Clone, Debug)]
pub enum Document {
    Message(Message),
    Transcript(Transcript),
}

impl Document {
    pub fn kind(&self) -> Kind {
        match self {
            Document::Message(_) => Kind::Message,
            Document::Transcript(_) => Kind::Transcript,
        }
    }

    /// The bytes of text the rules would read: subject and body, or every
    /// turn with its speaker's name.
    pub fn text_len(&self) -> usize {
        match self {
            Document::Message(m) => m.subject.as_ref().map_or(0, |s| s.text.len()) + m.body.text.len(),
            Document::Transcript(t) => t.turns.iter().map(|u| u.speaker.len() + u.text.text.len()).sum(),
        }
    }
}

/// An outgoing e-mail or message.
#[derive(Clone, Debug)]
pub struct Message {
    /// The subject line, when the file has one.
    pub subject: Option<Subject>,
    /// The body without quoted replies and signature, line positions kept.
    pub body: SourceText,
    /// Whether the file was a MIME message (.eml); a missing subject is
    /// then a finding, while a pasted body simply has none.
    pub is_mime: bool,
    /// How the file was read, where that matters to the reader.
    pub notes: Vec<Note>,
}

/// Something the reader should know about how a file was read: what was
/// left out of the review, how its text was decoded, where positions are
/// only the first line of a part. Not a finding: it costs no points.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub pos: Pos,
    pub message: String,
}

impl Note {
    pub fn new(pos: Pos, message: impl Into<String>) -> Self {
        Note { pos, message: message.into() }
    }
}

/// A subject line and where its text starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Subject {
    pub text: String,
    pub pos: Pos,
}

/// The format a transcript was read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TranscriptFormat {
    WebVtt,
    Srt,
    SpeakerLines,
    /// Zoom's saved transcript: `[Name] hh:mm:ss`, then what was said.
    Zoom,
    /// Otter's export: `Name  m:ss`, then the paragraph.
    Otter,
    /// A Zoom chat file: `hh:mm:ss From Name to Everyone: text`.
    ZoomChat,
}

impl TranscriptFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            TranscriptFormat::WebVtt => "webvtt",
            TranscriptFormat::Srt => "srt",
            TranscriptFormat::SpeakerLines => "speaker-lines",
            TranscriptFormat::Zoom => "zoom",
            TranscriptFormat::Otter => "otter",
            TranscriptFormat::ZoomChat => "zoom-chat",
        }
    }
}

/// A call transcript: turns in order. Consecutive cues by one speaker are
/// one turn.
#[derive(Clone, Debug)]
pub struct Transcript {
    pub format: TranscriptFormat,
    pub turns: Vec<Turn>,
    /// How the file was read (cues with impossible timings, …).
    pub notes: Vec<Note>,
}

/// One speaker's uninterrupted stretch of talk.
#[derive(Clone, Debug)]
pub struct Turn {
    pub speaker: String,
    pub text: SourceText,
    /// Seconds from the start of the call, when the file has timestamps.
    pub start: Option<f64>,
    pub end: Option<f64>,
}

impl Turn {
    /// Where the turn's text starts in the file.
    pub fn pos(&self) -> Pos {
        self.text.pos(0)
    }

    /// Its length in seconds, when both ends are known.
    pub fn seconds(&self) -> Option<f64> {
        Some((self.end? - self.start?).max(0.0))
    }
}
