//! Reason matching: files a free-text reason under a canonical reason of the
//! vocabulary, or keeps it as a new one, and says whether the text is about
//! the rep ("mine") or the client and the world ("theirs").
//!
//! # Using it
//!
//! Build a [`Matcher`] from the vocabulary, starter reasons and the reasons
//! and texts users added alike: [`Matcher::add_reason`] declares a reason's
//! side with its label, [`Matcher::add`] records every other text written for
//! it. Then [`Matcher::judge`] a text:
//!
//! - [`Judgement::side`]: mine or theirs, the probability, whether it is sure
//!   ([`SideCall::is_sure`]) and the cues that decided, each with its words;
//! - [`Judgement::best`] and [`Judgement::runner_up`]: the closest two reasons
//!   *of that side* with their scores, the stored text each came closest to
//!   and the words of the new text they share (for "counted as …");
//! - [`Judgement::confidence`]: the probability that counting the text under
//!   the best is right; [`Judgement::reason`] is the best when it reaches
//!   [`ACCEPT`], otherwise the text is kept as a new reason of its side;
//! - [`Judgement::certain`]: whether that filing can be made without asking
//!   (confidence beyond [`SURE`] either way, and a sure side).
//!
//! A text read as theirs is never counted under a controllable reason, and a
//! text read as mine never under an external one. [`Matcher::best`] is
//! [`Judgement::reason`] as a [`Match`]; [`Matcher::suggestions`] ranks every
//! reason by its words and their closeness in meaning, whatever the side
//! (for a prompt's choices). Reasons recorded only
//! with [`Matcher::add`] have no side and take texts of either side.
//!
//! For callers of the earlier matcher: `Matcher::new`, `add`, `best`,
//! `suggestions`, [`Match`] and [`key`] keep their signatures. `best` now
//! answers only when the confidence reaches [`ACCEPT`] (a text written
//! exactly as a known one always does) and, on a matcher built with
//! [`Matcher::add_reason`], only with a reason of the side the text reads
//! as. `THRESHOLD` is gone (the confidence replaces it) and so is `tokens`.
//! To use the side judgement, build one matcher over both kinds of reasons
//! with `add_reason` instead of one matcher per kind.
//!
//! # How a text is read
//!
//! `text`: lowercase, at most [`MAX_CHARS`] characters; contractions and
//! shorthand expanded ("dm", "$$", "prop", "f/u"); phrases joined ("follow
//! up", "decision maker", "on time"); every negation one `not`, a
//! counterfactual ("wish I'd", "should have") turning what follows into what
//! did not happen; stop words dropped (never negations), and the words naming
//! the setting ("client", "meeting"); Snowball stems; stems mapped to the
//! concept they share with their synonyms (`lexicon::concept`: money ≈
//! budget ≈ afford ≈ spend).
//!
//! Scoring (`matcher`): each concept carries the polarity of its clause, so
//! "asked about budget" shares nothing with "didn't ask about budget". The
//! score is a Tversky overlap of those concepts weighted by how well each
//! tells reasons apart (inverse frequency over reasons, not texts): concepts
//! of the stored text that the new one lacks cost more than extra ones the
//! new one adds, and a misspelt word counts as the known stem one or two
//! letters away. Texts are indexed by concept.
//!
//! Closeness in meaning (`semantic`): static word vectors distilled from the
//! sentence model all-MiniLM-L6-v2 and committed in `data/vectors/` (see its
//! README: 64 dimensions, 21,813 words, 1.7 MB, read with `include_bytes!`).
//! A text's vector is the mean of its known words' (after shorthand and
//! contractions, function words and negations left out); each stored text's
//! vector is computed once at `add`. A new text is compared with every
//! stored text by cosine, except texts holding one of its concepts with the
//! other polarity ("asked about budget" is close in meaning to "didn't ask
//! about budget": the topic is the same, and that is what they disagree on).
//! The score of a reason is its words' score with part of the gap closed by
//! its closest text in meaning: `1 - (1 - words) (1 - 0.25 c)`, where `c`
//! runs from 0 at cosine 0.35 to 1 at cosine 1; a reason no word is shared
//! with can rank on meaning alone (the closest 16 of them). Words the table
//! does not know carry no vector.
//!
//! The learned model (`learned`): a softmax over the starter reasons and
//! "another reason" of each side, reading the text's concepts with their
//! polarity, their stems, pairs of neighbouring concepts, who the subject
//! and object are, and its closeness in meaning; trained on
//! `data/reasons/wide.tsv` (about nineteen thousand texts in many voices)
//! and the first ten holdouts, weights committed in
//! `data/reasons/model.tsv` and read once a process (only the rows a text
//! uses). Its probabilities are averaged with the sequence readers'
//! (`sequence`), which weigh three parts in four: five bidirectional GRUs
//! of 64 units each way over the text's words in order (each word's
//! distilled vector beside an embedding learned for the words of the
//! training texts and one learned for its pieces of three to five letters,
//! which reads typos and other forms of a word), trained alike from five
//! seeds and averaged, pooled
//! into the same classes, trained on the same texts by
//! `data/reasons/tools/train_sequence.py`; weights committed in
//! `data/reasons/sequence.bin` (10.5 MB). Where the learned model reads a
//! bag of concepts, the sequence readers read which clause says what ("I
//! asked for the close twice, they said the board froze all capex"). On
//! texts by writers none of them ever read, the five readers together put
//! the right reason first for 91.9% (three of them: 90.8%; one: 87.0%),
//! and the matcher reads mine or theirs right for 96.1%, against 92.5%
//! with the learned model alone.
//!
//! Mine or theirs (`side`): a logistic model over who the subject is, who
//! the object is, possessives, regret, how close the text is to each kind
//! of reason (by words, and by meaning) and how much of the learned model's
//! probability lies on each side; weights trained on
//! `data/reasons/train.tsv`, which the learned model never saw, and
//! committed. Two more logistic models, trained there and on the learned
//! model's own texts as judged by models trained without their writer (so
//! that they learn how far to trust it on people it never read), say how
//! likely counting is right (`accept`): for the closest reason by words and
//! meaning, its words' evidence, the closest and mean cosine with the
//! reason's texts, its lead in meaning and whether it is also the closest
//! in meaning; for the starter reason the learned model puts first of the
//! side ([`Judgement::best`] unless the closest by words is a reason users
//! added that is likelier), its probability and lead, the larger of the two
//! readers' probabilities of it, how many of the five sequence readers put
//! it first, the probability that the text is another reason, whether the
//! words agree and the side's certainty.
//!
//! Quality is measured on the labeled corpus in `data/reasons/` (see its
//! README): `cargo test -p debrief-core --release -- --ignored corpus_report
//! --nocapture`.

mod accept;
mod learned;
mod lexicon;
mod matcher;
mod semantic;
mod sequence;
pub mod side;
mod text;

#[cfg(test)]
mod corpus;
#[cfg(test)]
mod speed;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod train;

pub use matcher::Matcher;
/// A text's closeness-in-meaning vector (the distilled word vectors), for
/// the sentence classifier of `critique`.
pub(crate) use semantic::sentence as meaning;
pub use side::{Cue, Feature, Side, SideCall};
pub use text::{MAX_CHARS, key};

use crate::model::ReasonId;

/// Score from which a reason is offered as a suggestion, and considered at all.
pub const SUGGEST: f64 = 0.3;
/// Learned probability from which a starter reason is offered as a choice
/// ([`Matcher::suggestions`]): one chance in a hundred. Ranked by that
/// probability, the prompt's three choices of a text's side hold its reason
/// for 95.8% of the texts of writers the learned model never read
/// (`train::unseen_voices_report`), against 90.9% when word overlap could
/// push the learned model's second and third choices out.
pub const SUGGEST_LEARNED: f64 = 0.01;
/// Learned probability from which a starter reason the text contradicts
/// (more of its texts hold a concept of the text with the other polarity
/// than share one: "asked about budget" against "didn't ask about budget")
/// is offered all the same.
pub const SUGGEST_CONTRADICTED: f64 = 0.05;
/// Confidence from which a text is counted under its closest reason,
/// chosen on what models that never read a text's writer say of it
/// (`train::unseen_voices_report`). On the ten holdouts already measured,
/// written as every new holdout is (by writers who saw only the list of
/// reasons; 2,731 texts) it counts 89.1% of the texts of a known reason
/// with 1.2% wrong merges (0.85: 87.1% and 0.9%; 0.75: 90.6% and 1.3%). On
/// every writer (22,087 texts, most of them in blocks written to be hard:
/// key words avoided, near-misses in pairs) it counts 83.6% with 2.3%
/// (0.85: 81.3% and 1.9%). A text not counted is kept as a new reason,
/// shown with the reason it came closest to and the command that files it
/// there; a wrong merge silently inflates a mistake.
pub const ACCEPT: f64 = 0.8;
/// Confidence from which counting (or not counting) needs no question: at
/// least this, or at most one minus this.
pub const SURE: f64 = 0.9;

/// A canonical reason and how well a text matches it, in `0..=1`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Match {
    pub reason: ReasonId,
    pub score: f64,
}

/// A reason a text could be counted under, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub reason: ReasonId,
    /// In `0..=1`; 1 for a text written exactly as a known one.
    pub score: f64,
    /// The stored text (label or earlier text) the new one came closest to.
    pub closest: String,
    /// The words of the new text, as typed, that it shares with `closest`.
    pub words: Vec<String>,
}

/// What a text should be filed as. See the module docs.
#[derive(Clone, Debug, PartialEq)]
pub struct Judgement {
    /// The closest reason of the side the text reads as, if one scores at
    /// least [`SUGGEST`].
    pub best: Option<Candidate>,
    /// The next closest reason of that side, if one scores at least [`SUGGEST`].
    pub runner_up: Option<Candidate>,
    /// Probability that counting the text under `best` is right (0 without
    /// a `best`).
    pub confidence: f64,
    /// Whether `confidence` reaches [`ACCEPT`]: the text is counted under `best`.
    pub counted: bool,
    /// Whether the filing (under `best`, or as a new reason) needs no question.
    pub certain: bool,
    pub side: SideCall,
}

impl Judgement {
    /// The reason to count the text under, if any.
    pub fn reason(&self) -> Option<&Candidate> {
        self.best.as_ref().filter(|_| self.counted)
    }
}
