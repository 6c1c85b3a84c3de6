//! Reviewing an outgoing message or a call transcript: the domain's review
//! mapped to the JSON contract scripts rely on.

use debrief_core::critique::{self, Details, Kind, MeChoice, MeStats, MessageStats, Review, ReviewConfig, ReviewInput};
use serde::Serialize;

use crate::views::round4;

/// One finding, as a linter prints it: `file:line:col: rule: message`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FindingView {
    pub line: u32,
    pub col: u32,
    pub rule: &'static str,
    pub message: String,
}

/// How the file was read, where it matters: what was left out of the
/// review, how the text was decoded, where positions are only a part's
/// first line. Costs no points.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NoteView {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SentenceView {
    pub line: u32,
    pub col: u32,
    pub text: String,
    /// "benefit", "feature" or "neither".
    pub class: &'static str,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScorePartView {
    pub name: &'static str,
    pub points: f64,
    pub max: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SpeakerView {
    pub name: String,
    pub words: usize,
    pub turns: usize,
    pub share: f64,
}

/// The user's side of a call.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MeView {
    pub name: String,
    /// How the user was identified: "given" (--me), "role-name", "introduction", "leads-call" or "first-speaker".
    pub chosen_by: &'static str,
    /// When the user was guessed (not named), why, in words: "spoke first",
    /// "is labelled like a seller", "introduced themselves from a company".
    pub guessed: Option<&'static str>,
    pub words: usize,
    pub word_share: f64,
    pub talk_listen_ratio: Option<f64>,
    pub questions: usize,
    pub longest_monologue_words: usize,
    pub longest_monologue_seconds: Option<f64>,
    pub next_step_agreed: bool,
    pub filler_words: usize,
    pub fillers: Vec<(String, usize)>,
    pub benefit_sentences: usize,
    pub feature_sentences: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MessageView {
    pub subject: Option<String>,
    pub words: usize,
    pub sentences: usize,
    pub longest_sentence_words: usize,
    pub flesch: Option<f64>,
    pub you: usize,
    pub we: usize,
    pub questions: usize,
    pub calls_to_action: Vec<&'static str>,
    pub urgency: bool,
    pub benefit_sentences: usize,
    pub feature_sentences: usize,
}

/// `debrief review --json`: one document per file.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewView {
    pub file: String,
    /// "message" or "transcript".
    pub kind: &'static str,
    pub score: u8,
    pub parts: Vec<ScorePartView>,
    pub findings: Vec<FindingView>,
    /// How the file was read (see [`NoteView`]); empty when nothing needs saying.
    pub notes: Vec<NoteView>,
    pub sentences: Vec<SentenceView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<MessageView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub speakers: Option<Vec<SpeakerView>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub me: Option<MeView>,
}

/// A file that could not be reviewed, and why (one line).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ReviewErrorView {
    pub file: String,
    pub error: String,
}

/// Reviews one file's bytes; an unreadable file is an error view, never a panic.
pub fn review_file(
    file: &str,
    bytes: &[u8],
    kind: Option<Kind>,
    me: Option<&str>,
    config: &ReviewConfig,
) -> Result<ReviewView, ReviewErrorView> {
    let input = ReviewInput { name: file, bytes, kind, me };
    critique::review(&input, config)
        .map(|r| view(file, r))
        .map_err(|e| ReviewErrorView { file: file.to_string(), error: e.to_string() })
}

fn view(file: &str, r: Review) -> ReviewView {
    let kind = r.kind().as_str();
    let (message, speakers, me) = match r.details {
        Details::Message(m) => (Some(message_view(m)), None, None),
        Details::Transcript(t) => {
            let speakers = t
                .speakers
                .into_iter()
                .map(|s| SpeakerView { name: s.name, words: s.words, turns: s.turns, share: round4(s.share) })
                .collect();
            (None, Some(speakers), Some(me_view(t.me)))
        }
    };
    ReviewView {
        file: file.to_string(),
        kind,
        score: r.score,
        parts: r.parts.iter().map(|p| ScorePartView { name: p.name, points: round4(p.points), max: p.max }).collect(),
        findings: r
            .findings
            .into_iter()
            .map(|f| FindingView { line: f.line, col: f.col, rule: f.rule, message: f.message })
            .collect(),
        notes: r.notes.into_iter().map(|n| NoteView { line: n.pos.line, col: n.pos.col, message: n.message }).collect(),
        sentences: r
            .sentences
            .into_iter()
            .map(|s| SentenceView { line: s.line, col: s.col, text: s.text, class: s.class.as_str() })
            .collect(),
        message,
        speakers,
        me,
    }
}

fn message_view(m: MessageStats) -> MessageView {
    MessageView {
        subject: m.subject,
        words: m.words,
        sentences: m.sentences,
        longest_sentence_words: m.longest_sentence_words,
        flesch: m.flesch.map(|f| (f * 10.0).round() / 10.0),
        you: m.you_count,
        we: m.we_count,
        questions: m.questions,
        calls_to_action: m.cta_kinds,
        urgency: m.urgency,
        benefit_sentences: m.benefits,
        feature_sentences: m.features,
    }
}

fn me_view(m: MeStats) -> MeView {
    MeView {
        name: m.name,
        chosen_by: m.chosen_by.as_str(),
        guessed: match m.chosen_by {
            MeChoice::Given => None,
            MeChoice::RoleName => Some("is labelled like a seller"),
            MeChoice::Introduction => Some("introduced themselves from a company"),
            MeChoice::LeadsCall => Some("leads the call (asks the most questions, proposes the next steps)"),
            MeChoice::FirstSpeaker => Some("spoke first"),
        },
        words: m.words,
        word_share: round4(m.word_share),
        talk_listen_ratio: m.talk_listen_ratio.map(round4),
        questions: m.questions,
        longest_monologue_words: m.longest_monologue_words,
        longest_monologue_seconds: m.longest_monologue_seconds.map(|s| (s * 10.0).round() / 10.0),
        next_step_agreed: m.next_step_agreed,
        filler_words: m.filler_count,
        fillers: m.fillers,
        benefit_sentences: m.benefits,
        feature_sentences: m.features,
    }
}
