//! What a review returns: findings with positions, classified sentences, a
//! 0–100 score with its parts, and the figures of a message or a call.
//! Plain data; the application layer maps it to the JSON contract.

use super::classify::SentenceClass;
use super::config::ReviewConfig;
use super::document::{Kind, Note, TranscriptFormat};
use super::text::Pos;

/// One problem found, linter style: `file:line:col: rule: message`.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub line: u32,
    pub col: u32,
    /// The rule's id, e.g. `cta/missing` (see [`super::RULES`]).
    pub rule: &'static str,
    /// Why it matters and how to fix it, in one line.
    pub message: String,
}

impl Finding {
    pub fn new(pos: Pos, rule: &'static str, message: String) -> Self {
        Finding { line: pos.line, col: pos.col, rule, message }
    }

    /// `file:line:col: rule: message`, the form compilers and prose linters use.
    pub fn render(&self, file: &str) -> String {
        format!("{file}:{}:{}: {}: {}", self.line, self.col, self.rule, self.message)
    }
}

/// A sentence of the message (or of the user's turns in a call) and its class.
#[derive(Clone, Debug, PartialEq)]
pub struct Sentence {
    pub line: u32,
    pub col: u32,
    pub text: String,
    pub class: SentenceClass,
}

/// One named part of the score: `points` earned out of `max`.
#[derive(Clone, Debug, PartialEq)]
pub struct ScorePart {
    /// `benefits`, `focus`, `cta`, `urgency`, `readability`, `subject`,
    /// `questions` for a message; `talk`, `monologue`, `questions`,
    /// `benefits`, `next_step`, `fillers` for a call.
    pub name: &'static str,
    pub points: f64,
    pub max: f64,
}

/// The result of reviewing one file.
#[derive(Clone, Debug, PartialEq)]
pub struct Review {
    /// 0–100: the parts' points over their maxima.
    pub score: u8,
    pub parts: Vec<ScorePart>,
    /// In file order.
    pub findings: Vec<Finding>,
    pub sentences: Vec<Sentence>,
    pub details: Details,
    /// How the file was read: what was left out, how it was decoded, where
    /// positions are approximate. In file order.
    pub notes: Vec<Note>,
}

impl Review {
    pub fn kind(&self) -> Kind {
        match self.details {
            Details::Message(_) => Kind::Message,
            Details::Transcript(_) => Kind::Transcript,
        }
    }
}

/// The figures behind a review.
#[derive(Clone, Debug, PartialEq)]
pub enum Details {
    Message(MessageStats),
    Transcript(TranscriptStats),
}

/// A message's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct MessageStats {
    pub subject: Option<String>,
    pub subject_chars: usize,
    pub words: usize,
    pub sentences: usize,
    pub longest_sentence_words: usize,
    pub flesch: Option<f64>,
    /// "you", "your", "you'll", … in the body.
    pub you_count: usize,
    /// "we", "our", "us", "I", "my", "me", … in the body.
    pub we_count: usize,
    pub questions: usize,
    /// The kinds of ask found: `meeting`, `reply`, `commit`, `visit`, `refer`.
    pub cta_kinds: Vec<&'static str>,
    pub urgency: bool,
    pub benefits: usize,
    pub features: usize,
}

/// A call's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct TranscriptStats {
    pub format: TranscriptFormat,
    /// Every speaker, in order of first turn.
    pub speakers: Vec<SpeakerStats>,
    pub me: MeStats,
    /// Whether cues carry timestamps (then monologues are also in seconds).
    pub timed: bool,
}

/// One speaker's share of the call.
#[derive(Clone, Debug, PartialEq)]
pub struct SpeakerStats {
    pub name: String,
    pub words: usize,
    /// Uninterrupted stretches of talk.
    pub turns: usize,
    /// `words` over all words of the call, 0–1.
    pub share: f64,
}

/// How the user was picked among the speakers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeChoice {
    /// Named by the caller (`--me`).
    Given,
    /// A speaker labelled like the seller: "Me", "Rep", "Sales", "Agent"…
    RoleName,
    /// The speaker who introduced themselves from a company ("this is Ann
    /// from Acme", "calling from").
    Introduction,
    /// Among the speakers who talk at length, the one who leads the call:
    /// asks the most questions and proposes the next steps.
    LeadsCall,
    /// The first speaker who talks at length (who usually placed the call).
    FirstSpeaker,
}

impl MeChoice {
    pub fn as_str(self) -> &'static str {
        match self {
            MeChoice::Given => "given",
            MeChoice::RoleName => "role-name",
            MeChoice::Introduction => "introduction",
            MeChoice::LeadsCall => "leads-call",
            MeChoice::FirstSpeaker => "first-speaker",
        }
    }
}

/// The user's figures in a call.
#[derive(Clone, Debug, PartialEq)]
pub struct MeStats {
    pub name: String,
    pub chosen_by: MeChoice,
    pub words: usize,
    /// The user's words over all words, 0–1.
    pub word_share: f64,
    /// The user's words over everyone else's (talk-to-listen); `None` when
    /// nobody else spoke.
    pub talk_listen_ratio: Option<f64>,
    /// Sentences of the user's that end in `?`.
    pub questions: usize,
    pub longest_monologue_words: usize,
    /// When the cues carry timestamps.
    pub longest_monologue_seconds: Option<f64>,
    pub next_step_agreed: bool,
    /// Filler words and how often, most frequent first.
    pub fillers: Vec<(String, usize)>,
    pub filler_count: usize,
    pub benefits: usize,
    pub features: usize,
}

/// Builds the score from components, each tied to a rule: a disabled rule's
/// component counts neither its points nor its maximum.
pub(crate) struct Score<'a> {
    config: &'a ReviewConfig,
    parts: Vec<ScorePart>,
    /// The most the total may be, when a rule caps it.
    cap: Option<f64>,
}

impl<'a> Score<'a> {
    pub fn new(config: &'a ReviewConfig) -> Self {
        Score { config, parts: Vec::new(), cap: None }
    }

    /// Caps the total at `limit` (0–100) when `rule` is enabled: a fault
    /// no other strength makes up for (a pushy e-mail is not a good one
    /// however clear its benefits). The rule's finding says so.
    pub fn cap(&mut self, rule: &str, limit: f64) {
        if self.config.is_enabled(rule) {
            self.cap = Some(self.cap.map_or(limit, |c| c.min(limit)));
        }
    }

    /// Adds `fraction` (clamped to 0–1) of `max` points to part `name`.
    pub fn add(&mut self, name: &'static str, rule: &str, fraction: f64, max: f64) {
        if !self.config.is_enabled(rule) {
            return;
        }
        let points = fraction.clamp(0.0, 1.0) * max;
        match self.parts.iter_mut().find(|p| p.name == name) {
            Some(p) => {
                p.points += points;
                p.max += max;
            }
            None => self.parts.push(ScorePart { name, points, max }),
        }
    }

    /// The total on 0–100 and the parts (points rounded to one decimal).
    pub fn finish(mut self) -> (u8, Vec<ScorePart>) {
        let max: f64 = self.parts.iter().map(|p| p.max).sum();
        let points: f64 = self.parts.iter().map(|p| p.points).sum();
        let score = if max > 0.0 { (100.0 * points / max).round() } else { 100.0 };
        let score = self.cap.map_or(score, |cap| score.min(cap));
        for p in &mut self.parts {
            p.points = (p.points * 10.0).round() / 10.0;
        }
        (score.clamp(0.0, 100.0) as u8, self.parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_renders_like_a_compiler() {
        let f = Finding::new(Pos::new(3, 7), "cta/missing", "no ask".into());
        assert_eq!(f.render("mail.txt"), "mail.txt:3:7: cta/missing: no ask");
    }

    #[test]
    fn disabled_rules_leave_the_score() {
        let mut config = ReviewConfig::default();
        config.set("urgency/missing", "off").unwrap();
        let mut s = Score::new(&config);
        s.add("cta", "cta/missing", 1.0, 20.0);
        s.add("urgency", "urgency/missing", 0.0, 10.0);
        s.add("readability", "length/too-long", 0.5, 5.0);
        s.add("readability", "readability/flesch", 2.0, 5.0);
        let (score, parts) = s.finish();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1], ScorePart { name: "readability", points: 7.5, max: 10.0 });
        assert_eq!(score, 92);
    }
}
