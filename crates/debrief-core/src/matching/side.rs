//! Mine or theirs: whether a reason text is about what the rep did ("I
//! didn't…", "forgot to…", "my demo crashed", "no follow-up sent") or about
//! the client and the world ("they had no money", "client's boss refused",
//! "budget frozen").
//!
//! Read from cues, each tied to the words that raised it: who is the subject
//! of the first clause (the rep, the client's side, or nobody), who is the
//! object ("interrupted them" against "interrupted me"), possessives ("my
//! wifi", "their wifi"), regret ("should have", "forgot", "my bad"), and what
//! the closest reasons of each kind in the vocabulary say. A logistic model
//! weighs the cues; its weights are trained on `data/reasons/train.tsv` by
//! `matching::train` (tests) and committed in [`WEIGHTS`].

use super::text::Raw;

/// Who a reason text is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// The rep could have controlled it.
    Mine,
    /// The client or the world: not the rep's mistake.
    Theirs,
}

impl Side {
    pub fn controllable(self) -> bool {
        self == Side::Mine
    }

    pub fn of(controllable: bool) -> Side {
        if controllable { Side::Mine } else { Side::Theirs }
    }
}

/// The cues the model weighs. Each is 0 or 1 except the two vocabulary
/// scores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Feature {
    /// The first clause's subject is "I" (or "the rep").
    FirstI,
    /// … "we".
    FirstWe,
    /// … "my …"/"our …" naming a thing ("my wifi", "our demo").
    FirstMy,
    /// … "they", "he", "she", "nobody".
    FirstThey,
    /// … "their …", "his …" ("their wifi", "their boss").
    FirstTheir,
    /// … the client's side by name ("the client", "procurement", "budget", "our champion").
    FirstParty,
    /// The first clause has no subject and starts with a negation ("no follow-up sent", "never asked").
    FirstNegation,
    /// A later clause's subject is "I" or "we".
    LaterMe,
    /// A later clause's subject is the client's side.
    LaterThem,
    /// "me"/"us" after the verb: something was done to the rep.
    ObjectMe,
    /// "them"/"him"/"her"/"the client" after the verb: the rep did something to them.
    ObjectThem,
    /// "my"/"our" later in the text.
    PossessiveMine,
    /// "their"/"his" later in the text.
    PossessiveTheirs,
    /// "should have", "wish", "forgot", "my bad", "my fault".
    Regret,
    /// Best score among the vocabulary's controllable reasons.
    MineScore,
    /// Best score among its external reasons.
    TheirsScore,
    /// The second minus the first.
    Lead,
    /// The client's side is the subject, of words close to a reason the rep
    /// controls: "their wifi kept dropping".
    TheirsDoingMine,
    /// The rep is the subject, of words close to a reason outside their
    /// control: "I forgot the meeting".
    MineDoingTheirs,
    /// How much closer in meaning the text is to a reason outside the rep's
    /// control than to one within.
    MeaningLead,
    /// How much more likely the learned model finds a reason outside the
    /// rep's control than one within.
    LearnedLead,
}

pub const FEATURES: [Feature; 21] = [
    Feature::FirstI,
    Feature::FirstWe,
    Feature::FirstMy,
    Feature::FirstThey,
    Feature::FirstTheir,
    Feature::FirstParty,
    Feature::FirstNegation,
    Feature::LaterMe,
    Feature::LaterThem,
    Feature::ObjectMe,
    Feature::ObjectThem,
    Feature::PossessiveMine,
    Feature::PossessiveTheirs,
    Feature::Regret,
    Feature::MineScore,
    Feature::TheirsScore,
    Feature::Lead,
    Feature::TheirsDoingMine,
    Feature::MineDoingTheirs,
    Feature::MeaningLead,
    Feature::LearnedLead,
];

impl Feature {
    fn index(self) -> usize {
        self as usize
    }

    /// How the cue reads in an explanation.
    pub fn describe(self) -> &'static str {
        match self {
            Feature::FirstI => "the rep is the subject",
            Feature::FirstWe => "\"we\" is the subject",
            Feature::FirstMy => "the rep's own thing is the subject",
            Feature::FirstThey => "they are the subject",
            Feature::FirstTheir => "their thing is the subject",
            Feature::FirstParty => "the client's side is the subject",
            Feature::FirstNegation => "a note of something not done",
            Feature::LaterMe => "the rep is a subject later",
            Feature::LaterThem => "the client's side is a subject later",
            Feature::ObjectMe => "done to the rep",
            Feature::ObjectThem => "done to the client",
            Feature::PossessiveMine => "the rep's own",
            Feature::PossessiveTheirs => "theirs",
            Feature::Regret => "regret",
            Feature::MineScore => "close to a reason the rep controls",
            Feature::TheirsScore => "close to a reason outside the rep's control",
            Feature::Lead => "closer to a reason outside the rep's control than to one within",
            Feature::TheirsDoingMine => "the client's side did what a rep's mistake says",
            Feature::MineDoingTheirs => "the rep did what an outside reason says",
            Feature::MeaningLead => "closer in meaning to a reason outside the rep's control",
            Feature::LearnedLead => "read by the learned model as outside the rep's control",
        }
    }
}

/// A cue found in a text, with the words that raised it.
#[derive(Clone, Debug, PartialEq)]
pub struct Cue {
    pub feature: Feature,
    /// The words as typed (for the vocabulary scores: the closest reason's shared words).
    pub words: String,
    /// Its value (1 for word cues, the score for the vocabulary ones).
    pub value: f64,
    /// How much it pushed towards "theirs" (negative: towards "mine").
    pub weight: f64,
}

/// The judgement with its certainty and the cues that decided it, strongest
/// first.
#[derive(Clone, Debug, PartialEq)]
pub struct SideCall {
    pub side: Side,
    /// Probability that the text is "theirs", in `0..=1`.
    pub theirs: f64,
    /// How sure the call is, in `0.5..=1`: the probability of the side chosen.
    pub confidence: f64,
    pub cues: Vec<Cue>,
}

/// From this confidence on, the call is made without asking.
pub const SURE: f64 = 0.8;

impl SideCall {
    pub fn is_sure(&self) -> bool {
        self.confidence >= SURE
    }
}

/// The feature values of a text as cues (weight not yet set).
pub(super) fn cues(raw: &[Raw], typed: impl Fn(usize, usize) -> String) -> Vec<Cue> {
    let mut found: Vec<Cue> = Vec::new();
    let mut raise = |feature: Feature, from: usize, to: usize| {
        if !found.iter().any(|c| c.feature == feature) {
            found.push(Cue { feature, words: typed(from, to), value: 1.0, weight: 0.0 });
        }
    };
    for (n, clause) in clauses(raw).iter().enumerate() {
        let subject = subject(clause);
        if let Some(s) = &subject
            && let Some(feature) = subject_feature(n, s.who)
        {
            raise(feature, s.from, s.to);
        }
        let last = subject.as_ref().map(|s| s.last);
        for (i, (word, from, to)) in clause.iter().enumerate() {
            let after_subject = last.is_none_or(|last| i > last);
            let after_my = i > 0 && clause.get(i - 1).is_some_and(|(w, _, _)| *w == "my");
            match *word {
                "me" | "us" | "myself" if after_subject => raise(Feature::ObjectMe, *from, *to),
                "them" | "him" | "her" if after_subject => raise(Feature::ObjectThem, *from, *to),
                w if after_subject && is_person(w) && i > 0 => raise(Feature::ObjectThem, *from, *to),
                "my" | "our" if after_subject => raise(Feature::PossessiveMine, *from, *to),
                "their" | "his" if after_subject => raise(Feature::PossessiveTheirs, *from, *to),
                _ => {}
            }
            if is_regret(word) || after_my && matches!(*word, "bad" | "fault" | "mistake") {
                raise(Feature::Regret, *from, *to);
            }
        }
    }
    found
}

/// The words of each clause (no breaks), with where they were typed.
fn clauses(raw: &[Raw]) -> Vec<Vec<(&str, usize, usize)>> {
    let mut out: Vec<Vec<(&str, usize, usize)>> = vec![Vec::new()];
    for item in raw {
        match item {
            Raw::Word { word, from, to } if !is_clause_start(word) => {
                if let Some(last) = out.last_mut() {
                    last.push((word.as_str(), *from, *to));
                }
            }
            _ => {
                if out.last().is_some_and(|c| !c.is_empty()) {
                    out.push(Vec::new());
                }
            }
        }
    }
    out.retain(|c| !c.is_empty());
    out
}

fn subject_feature(clause: usize, who: Who) -> Option<Feature> {
    Some(match (clause, who) {
        (0, Who::I) => Feature::FirstI,
        (0, Who::We) => Feature::FirstWe,
        (0, Who::My) => Feature::FirstMy,
        (0, Who::They) => Feature::FirstThey,
        (0, Who::Their) => Feature::FirstTheir,
        (0, Who::Party) => Feature::FirstParty,
        (0, Who::Negation) => Feature::FirstNegation,
        (_, Who::I | Who::We | Who::My) => Feature::LaterMe,
        (_, Who::They | Who::Their | Who::Party) => Feature::LaterThem,
        (_, Who::Negation) => return None,
    })
}

/// Words of a rep looking back on their own doing.
fn is_regret(word: &str) -> bool {
    matches!(word, "_cf" | "wish" | "should" | "forgot" | "forget" | "forgetting" | "forgotten" | "oops")
}

fn is_clause_start(word: &str) -> bool {
    matches!(word, "and" | "but" | "so" | "because" | "though" | "although" | "then" | "since" | "while" | "when")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    I,
    We,
    My,
    They,
    Their,
    Party,
    Negation,
}

struct Subject {
    who: Who,
    from: usize,
    to: usize,
    /// Index of the clause's last subject word.
    last: usize,
}

/// Who the clause is about, read from its first words. The subject runs on
/// over the party words that follow it ("the client's boss").
fn subject(clause: &[(&str, usize, usize)]) -> Option<Subject> {
    let start = clause.iter().position(|(w, _, _)| !is_filler(w))?;
    let (word, from, _) = *clause.get(start)?;
    let next = clause.get(start + 1).map_or("", |(w, _, _)| *w);
    let who = match word {
        "i" | "rep" | "myself" => Who::I,
        "we" => Who::We,
        "my" | "our" if is_party(next) => Who::Party,
        "my" | "our" => Who::My,
        "they" | "he" | "she" | "nobody" | "everyone" | "someone" | "noone" => Who::They,
        "their" | "his" | "her" => Who::Their,
        "not" | "no" | "never" | "didnt" | "dont" | "wasnt" | "forgot" | "zero" | "without" => Who::Negation,
        w if is_party(w) => Who::Party,
        _ => return None,
    };
    // A possessive takes the word it owns.
    let mut last =
        if matches!(word, "my" | "our" | "their" | "his" | "her") && !next.is_empty() { start + 1 } else { start };
    while clause.get(last + 1).is_some_and(|(w, _, _)| is_party(w)) {
        last += 1;
    }
    let to = clause.get(last).map_or(from + 1, |(_, _, t)| *t);
    Some(Subject { who, from, to, last })
}

/// Words before a clause's subject that say nothing of it.
fn is_filler(word: &str) -> bool {
    matches!(
        word,
        "just"
            | "honestly"
            | "basically"
            | "also"
            | "really"
            | "actually"
            | "again"
            | "still"
            | "totally"
            | "simply"
            | "in"
            | "end"
            | "ultimately"
            | "finally"
            | "unfortunately"
            | "sadly"
            | "apparently"
            | "well"
            | "yeah"
            | "turns"
            | "out"
            | "think"
            | "guess"
            | "last"
            | "minute"
            | "at"
            | "wish"
            | "_cf"
    )
}

/// Words naming people on the client's side.
fn is_person(word: &str) -> bool {
    matches!(
        word,
        "client"
            | "clients"
            | "customer"
            | "customers"
            | "prospect"
            | "prospects"
            | "buyer"
            | "buyers"
            | "boss"
            | "cfo"
            | "ceo"
            | "cto"
            | "coo"
            | "cio"
            | "owner"
            | "owners"
            | "manager"
            | "decisionmaker"
            | "champion"
            | "contact"
            | "sponsor"
            | "director"
            | "head"
            | "team"
            | "lawyers"
            | "staff"
            | "partner"
            | "lead"
    )
}

/// Words naming the client's side or the world around the deal: its people,
/// and what surrounds them.
fn is_party(word: &str) -> bool {
    is_person(word)
        || matches!(
            word,
            "management"
                | "company"
                | "firm"
                | "procurement"
                | "purchasing"
                | "legal"
                | "compliance"
                | "security"
                | "board"
                | "finance"
                | "competitor"
                | "competitors"
                | "competition"
                | "vendor"
                | "budget"
                | "budgets"
                | "money"
                | "funds"
                | "project"
                | "initiative"
                | "priorities"
                | "priority"
                | "timing"
                | "acquisition"
                | "merger"
                | "reorg"
                | "government"
                | "market"
                | "economy"
                | "everything"
                | "deal"
                | "headquarters"
                | "parent"
                | "spending"
                | "cash"
                | "ops"
                | "devs"
                | "engineers"
        )
}

/// The vocabulary cues: how close the text is to each kind of reason.
pub(super) fn score_cues(found: &[Cue], mine: (f64, String), theirs: (f64, String)) -> Vec<Cue> {
    let lead = theirs.0 - mine.0;
    let words = if lead >= 0.0 { theirs.1.clone() } else { mine.1.clone() };
    let has = |features: &[Feature]| found.iter().any(|c| features.contains(&c.feature));
    let theirs_first = has(&[Feature::FirstThey, Feature::FirstTheir, Feature::FirstParty]);
    let mine_first = has(&[Feature::FirstI, Feature::FirstWe, Feature::FirstMy]);
    let mut out = Vec::new();
    if theirs_first {
        out.push(Cue { feature: Feature::TheirsDoingMine, words: mine.1.clone(), value: mine.0, weight: 0.0 });
    }
    if mine_first {
        out.push(Cue { feature: Feature::MineDoingTheirs, words: theirs.1.clone(), value: theirs.0, weight: 0.0 });
    }
    out.extend([
        Cue { feature: Feature::Lead, words, value: lead, weight: 0.0 },
        Cue { feature: Feature::MineScore, words: mine.1, value: mine.0, weight: 0.0 },
        Cue { feature: Feature::TheirsScore, words: theirs.1, value: theirs.0, weight: 0.0 },
    ]);
    out
}

/// Weighs the cues with `weights` (bias last) into a call.
pub(super) fn call(mut cues: Vec<Cue>, weights: &[f64; WEIGHT_COUNT]) -> SideCall {
    let mut z = weights[WEIGHT_COUNT - 1];
    for cue in &mut cues {
        cue.weight = weights.get(cue.feature.index()).copied().unwrap_or(0.0) * cue.value;
        z += cue.weight;
    }
    let theirs = sigmoid(z);
    cues.retain(|c| c.weight.abs() >= 0.05);
    cues.sort_by(|a, b| b.weight.abs().total_cmp(&a.weight.abs()));
    let side = if theirs >= 0.5 { Side::Theirs } else { Side::Mine };
    let confidence = round(theirs.max(1.0 - theirs));
    SideCall { side, theirs: round(theirs), confidence, cues }
}

/// The feature vector of some cues, for training.
#[cfg(test)]
pub(super) fn vector(cues: &[Cue]) -> [f64; WEIGHT_COUNT] {
    let mut x = [0.0; WEIGHT_COUNT];
    for cue in cues {
        if let Some(slot) = x.get_mut(cue.feature.index()) {
            *slot = cue.value;
        }
    }
    x[WEIGHT_COUNT - 1] = 1.0;
    x
}

pub(crate) fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + libm::exp(-z))
}

fn round(x: f64) -> f64 {
    (x * 1e4).round() / 1e4
}

/// One weight per feature, then the bias.
pub const WEIGHT_COUNT: usize = FEATURES.len() + 1;

/// The trained weights, in [`FEATURES`] order, then the bias. Reproduced by
/// `cargo test -p debrief-core weights_are_reproducible`; printed anew by
/// `cargo test -p debrief-core --release -- --ignored train_weights --nocapture`.
#[rustfmt::skip]
pub const WEIGHTS: [f64; WEIGHT_COUNT] = [
    -0.418, -0.031, -0.232, 0.312, 0.393, 1.252, -0.322, -0.135, 1.272, -0.333, -0.264, -0.212, 0.737, -0.226, -0.336, 0.256, 0.593, 1.548, -0.279, 0.347, 4.271, 0.08,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::text::Analysis;

    fn features(text: &str) -> Vec<Feature> {
        let a = Analysis::new(text);
        cues(&a.raw, |f, t| a.typed(f, t)).into_iter().map(|c| c.feature).collect()
    }

    #[test]
    fn subjects_objects_and_possessives_are_read() {
        use Feature::*;
        let cases: &[(&str, &[Feature])] = &[
            ("I kept interrupting them", &[FirstI, ObjectThem]),
            ("they kept interrupting me", &[FirstThey, ObjectMe]),
            ("the client simply had no money", &[FirstParty]),
            ("their wifi kept dropping", &[FirstTheir]),
            ("my wifi dropped twice", &[FirstMy]),
            ("our champion quit", &[FirstParty]),
            ("no follow-up sent", &[FirstNegation]),
            ("wish I'd asked for the order", &[Regret, FirstI]),
            ("interrupted the client", &[ObjectThem]),
            ("client's boss said no", &[FirstParty]),
            ("bad timing, my fault", &[LaterMe, Regret]),
        ];
        for (text, expected) in cases {
            let mut got = features(text);
            let mut want = expected.to_vec();
            got.sort_by_key(|f| f.index());
            want.sort_by_key(|f| f.index());
            assert_eq!(got, want, "{text:?}");
        }
    }
}
