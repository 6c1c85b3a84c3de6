//! The apology check: finds the excuses in an apology or a fix plan (blaming
//! traffic, systems, colleagues or the client, "but"/"because" after "sorry",
//! "not my fault", conditional and passive apologies, minimising) and suggests
//! wording that owns the problem.
//!
//! The rules are lexicons and small token patterns, not a list of sentences:
//!
//! * An **outside cause** (traffic, a system, a colleague, the client, a busy
//!   week) is an excuse, *unless* the same clause already names my own action
//!   before it: "I didn't allow enough time for the traffic" owns it, "the
//!   traffic was terrible" excuses. "My own action" is a first person (`I`,
//!   `we`) followed closely by a self-critical verb (forgot, missed,
//!   underestimated, should have…), an owned negation ("I didn't check" — but
//!   not "I wasn't told", "I didn't get", "I couldn't"), an owning phrase ("my
//!   mistake", "that's on me", "I take responsibility") or a commitment ("I'll
//!   leave earlier to avoid the traffic").
//! * Naming what went wrong as the *object* of the apology ("I'm sorry the
//!   demo crashed") is not an excuse when the text also names my part
//!   somewhere ("I should have tested it").
//! * **"because"** (due to, owing to…) after an apology is an excuse unless the
//!   explanation names my own action: "sorry I was late because I didn't plan
//!   enough time" owns it, "…because the train was delayed" excuses.
//! * **"but"** (however, although) after an apology takes it back, unless what
//!   follows is my action or a commitment: "I'm sorry, but I will be there at 8".
//! * **Passive voice** ("mistakes were made", "the deadline was missed") is
//!   forgiven when the same sentence names my part.
//! * "Not my fault", conditional apologies ("sorry if…", "sorry you feel…") and
//!   minimising ("only five minutes late") are never forgiven.
//!
//! The verdict is `excusing` when there is any finding, else `owning`: the
//! check looks for excuses and does not judge whether a text apologises at all;
//! [`ApologyCheck::apologizes`] says whether it does.
//!
//! The check takes time linear in the text (each rule looks a few words
//! around a token; "is there an apology, an owning word in this clause or
//! sentence" is answered from an index built once), and reads at most
//! [`MAX_CHARS`] characters.

use std::fmt;
use std::ops::Range;

mod learned;
#[cfg(test)]
mod train;

use thiserror::Error;

/// The longest text checked, in characters. An apology or a fix plan is a few
/// sentences; twenty thousand characters is about eight pages, far beyond
/// either, and checked in milliseconds.
pub const MAX_CHARS: usize = 20_000;

/// A text longer than [`MAX_CHARS`].
#[derive(Debug, Error, Clone, PartialEq, Eq)]
#[error(
    "the text is {chars} characters long: at most {MAX_CHARS} are checked (an apology or a plan is a few sentences)"
)]
pub struct TooLong {
    pub chars: usize,
}

/// Fails when `text` is longer than [`MAX_CHARS`].
pub fn check_len(text: &str) -> Result<(), TooLong> {
    // A text of at most MAX_CHARS bytes has at most as many characters.
    if text.len() <= MAX_CHARS {
        return Ok(());
    }
    match text.chars().count() {
        chars if chars > MAX_CHARS => Err(TooLong { chars }),
        _ => Ok(()),
    }
}

/// Whether a text owns the problem or makes excuses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    Owning,
    Excusing,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Owning => "owning",
            Verdict::Excusing => "excusing",
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kind of excuse a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FindingKind {
    BlamesTraffic,
    BlamesSystem,
    BlamesColleague,
    BlamesClient,
    BlamesCircumstance,
    ButAfterSorry,
    BecauseAfterSorry,
    NotMyFault,
    Conditional,
    PassiveVoice,
    Minimising,
    /// Puts the cause elsewhere without any of the words the other kinds
    /// look for ("the invoice went to the address on your original form"),
    /// and owns nothing: found by the learned verdict.
    ShiftsBlame,
}

impl FindingKind {
    pub const ALL: [FindingKind; 12] = [
        FindingKind::BlamesTraffic,
        FindingKind::BlamesSystem,
        FindingKind::BlamesColleague,
        FindingKind::BlamesClient,
        FindingKind::BlamesCircumstance,
        FindingKind::ButAfterSorry,
        FindingKind::BecauseAfterSorry,
        FindingKind::NotMyFault,
        FindingKind::Conditional,
        FindingKind::PassiveVoice,
        FindingKind::Minimising,
        FindingKind::ShiftsBlame,
    ];

    /// The stable name used in JSON (`blames-traffic`, `but-after-sorry`…).
    pub fn as_str(self) -> &'static str {
        kind_text(self, 0)
    }

    /// The kind named `name` (as [`FindingKind::as_str`] writes it).
    pub fn from_name(name: &str) -> Option<FindingKind> {
        FindingKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    fn explanation(self) -> &'static str {
        kind_text(self, 1)
    }

    /// Owning wording to use instead.
    pub fn suggestion(self) -> &'static str {
        kind_text(self, 2)
    }
}

/// `name | what the finding says | owning wording`, a line per kind in
/// `FindingKind` order.
const KIND_TEXT: &str = "\
blames-traffic | blames traffic or travel, not your own planning | own the timing: \"I didn't leave early enough. I'm sorry I kept you waiting.\"
blames-system | blames a system or device, not your own preparation | own the preparation: \"I didn't have a backup ready. I'm sorry; here is what I'll do.\"
blames-colleague | puts it on a colleague or another party | speak for your side: \"We let you down and I'm sorry. I'll make sure it's fixed by Friday.\"
blames-client | puts it on the client | leave their part out: \"I should have confirmed the details with you. I'm sorry.\"
blames-circumstance | blames circumstances, not your own choices | own the choice: \"I didn't make our meeting my priority. I'm sorry.\"
but-after-sorry | \"but\" after the apology takes it back | end the apology, then go to the fix: \"I'm sorry. Here's what I'll do: …\"
because-after-sorry | explains the apology with something other than your own action | explain only with your own action: \"I'm sorry. I didn't plan enough time.\"
not-my-fault | denies it was yours to own | take it on: \"That's on me, and I'm sorry.\"
conditional | makes the apology conditional or about their feelings | drop the \"if\" and name what you did: \"I'm sorry I upset you with my email.\"
passive-voice | says it happened, not who did it | name who did it: \"I missed the deadline.\"
minimising | makes it smaller than it was for the client | don't shrink it: \"I'm sorry I was late and cost you time.\"
shifts-blame | puts the cause elsewhere and owns no part of it | name your part, then the fix: \"I should have checked it before it went out. I'm sorry; here's what I'll do.\"";

fn kind_text(kind: FindingKind, field: usize) -> &'static str {
    let line = KIND_TEXT.lines().nth(kind as usize).expect("a line per kind");
    line.split(" | ").nth(field).expect("three fields")
}

impl fmt::Display for FindingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One excuse found in a text.
///
/// `start..end` are **byte** offsets into the checked text (slice it with
/// them); `char_start..char_end` are the same span in Unicode scalar values,
/// for callers that index by character (JSON consumers, editors).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub start: usize,
    pub end: usize,
    pub char_start: usize,
    pub char_end: usize,
    pub kind: FindingKind,
    /// What was found, quoting the text: `blames traffic or travel, not your own planning: "traffic"`.
    pub message: String,
    /// Owning wording to use instead.
    pub suggestion: &'static str,
}

/// The result of [`check`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApologyCheck {
    pub verdict: Verdict,
    /// Findings in text order.
    pub findings: Vec<Finding>,
    /// Whether the text says sorry or names the writer's part at all.
    pub apologizes: bool,
}

impl ApologyCheck {
    pub fn is_owning(&self) -> bool {
        self.verdict == Verdict::Owning
    }
}

/// Checks an apology or a plan text for excuses; a text longer than
/// [`MAX_CHARS`] is refused.
pub fn check(text: &str) -> Result<ApologyCheck, TooLong> {
    check_len(text)?;
    Ok(analyse(text))
}

/// [`check`] without the size limit, for the tests that time it.
///
/// The rules find the excuses; the learned model ([`learned`]) decides the
/// verdict from them and the words. An owning verdict shows no excuse (the
/// text owns its part, whatever cause it also names); an excusing verdict
/// the rules found nothing for says which words carry the blame.
pub(crate) fn analyse(text: &str) -> ApologyCheck {
    let (found, marks, apologizes) = rules_of(text);
    let mut judged = learned::judge(text, &learned::Rules { findings: &found, marks, apologizes });
    // A text that names no excuse and says no sorry (a plan, a note) is
    // mostly not an apology at all: the model, which learned from
    // apologies, must be surer before calling it an excuse.
    if found.is_empty()
        && !says_sorry(text)
        && judged.verdict == Verdict::Excusing
        && judged.probability < learned::SURE_WITHOUT_SORRY
    {
        judged.verdict = Verdict::Owning;
    }
    let findings = match judged.verdict {
        Verdict::Owning => Vec::new(),
        Verdict::Excusing if found.is_empty() => vec![shifted_blame(text, &judged.because)],
        Verdict::Excusing => found,
    };
    ApologyCheck { verdict: judged.verdict, findings, apologizes }
}

/// What the rules see: the excuses they find, how many times the writer
/// names their own part, and whether the text apologises at all.
pub(crate) fn rules_of(text: &str) -> (Vec<Finding>, usize, bool) {
    let t = Text::new(text);
    let mut hits = rule_hits(&t);
    hits.extend(client_blame(&t));
    hits.extend(minimising(&t.toks));
    hits.extend(after_sorry(&t));
    let findings = to_findings(text, &t.toks, hits);
    let apologizes = !t.marks.is_empty() || t.toks.iter().any(|t| t.is_any(APOLOGY));
    (findings, t.marks.len(), apologizes)
}

/// Whether the text has a word of apology ("sorry", "apologise", …).
fn says_sorry(text: &str) -> bool {
    tokenize(text).iter().any(|t| t.is_any(APOLOGY))
}

/// The finding for an excuse no rule named: the span of the first of the
/// words that weighed most (the whole text when none is found in it).
fn shifted_blame(text: &str, because: &[String]) -> Finding {
    let lower = text.to_lowercase();
    let span = because
        .iter()
        .filter_map(|w| {
            let at = lower.find(w.as_str())?;
            // Lower-casing can change byte lengths: use the span only where it maps back.
            (lower.len() == text.len() && text.is_char_boundary(at) && text.is_char_boundary(at + w.len()))
                .then_some((at, at + w.len()))
        })
        .min();
    let (start, end) = span.unwrap_or((0, text.len()));
    let kind = FindingKind::ShiftsBlame;
    let quoted = if because.is_empty() {
        String::new()
    } else {
        format!(": {}", because.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(", "))
    };
    Finding {
        start,
        end,
        char_start: text[..start].chars().count(),
        char_end: text[..end].chars().count(),
        kind,
        message: format!("{}{quoted}", kind.explanation()),
        suggestion: kind.suggestion(),
    }
}

/// The tokens of a text with what every rule asks about them, computed once:
/// where the writer owns their part, and each sentence's and clause's tokens
/// and first apology word.
struct Text {
    toks: Vec<Tok>,
    /// Token indices of ownership marks, ascending.
    marks: Vec<usize>,
    /// By sentence number.
    sentences: Vec<Part>,
    /// By clause number.
    clauses: Vec<Part>,
}

/// A sentence or a clause: its tokens and its first apology word.
#[derive(Clone, Default)]
struct Part {
    toks: Range<usize>,
    apology: Option<usize>,
}

impl Text {
    fn new(text: &str) -> Text {
        let toks = tokenize(text);
        let marks = ownership_marks(&toks);
        let sentences = parts(&toks, |t| t.sentence);
        let clauses = parts(&toks, |t| t.clause);
        Text { toks, marks, sentences, clauses }
    }

    fn sentence(&self, i: usize) -> &Part {
        &self.sentences[self.toks[i].sentence]
    }

    fn clause(&self, i: usize) -> &Part {
        &self.clauses[self.toks[i].clause]
    }

    /// Whether a mark lies in the token range `from..to`.
    fn marked(&self, from: usize, to: usize) -> bool {
        let first = self.marks.partition_point(|&m| m < from);
        self.marks.get(first).is_some_and(|&m| m < to)
    }

    /// Whether my action is named before `hit` in its clause.
    fn owned_before(&self, hit: usize) -> bool {
        self.marked(self.clause(hit).toks.start, hit)
    }

    /// The hit is what the apology is *for*: "I'm sorry the demo crashed".
    fn apology_object(&self, hit: usize) -> bool {
        self.clause(hit).apology.is_some_and(|a| a < hit)
    }
}

/// The sentences or clauses of `toks` (numbered by `number`, which never
/// decreases along the text); numbers without tokens are empty.
fn parts(toks: &[Tok], number: impl Fn(&Tok) -> usize) -> Vec<Part> {
    let mut out = vec![Part::default(); toks.last().map_or(0, |t| number(t) + 1)];
    for (i, t) in toks.iter().enumerate() {
        let part = &mut out[number(t)];
        if part.toks.is_empty() {
            part.toks = i..i;
        }
        part.toks.end = i + 1;
        if part.apology.is_none() && t.is_any(APOLOGY) {
            part.apology = Some(i);
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Tokens

/// A word (normalised: lower case, contractions expanded) or a punctuation mark.
#[derive(Clone, Debug)]
struct Tok {
    word: String,
    punct: bool,
    /// Byte offsets in the text.
    start: usize,
    end: usize,
    /// The same in characters.
    char_start: usize,
    char_end: usize,
    sentence: usize,
    clause: usize,
}

impl Tok {
    fn is(&self, w: &str) -> bool {
        !self.punct && self.word == w
    }

    /// Whether the word is one of `set`, written `a|b|c`.
    fn is_any(&self, set: &str) -> bool {
        !self.punct && set.split('|').any(|w| w == self.word)
    }
}

const SENTENCE_END: &str = ".!?;\n";
const CLAUSE_START: &str = "because|but|however|although|though|since|whereas|cos|unless";
/// "so"/"and" start a clause only when a new subject follows them.
const SUBJECTS: &str = "i|we|you|they|he|she|it|the|my|our|your|there|this|that";

fn tokenize(text: &str) -> Vec<Tok> {
    let mut toks = raw_tokens(text);
    let (mut sentence, mut clause) = (0, 0);
    for i in 0..toks.len() {
        if starts_clause(&toks, i) {
            clause += 1;
        }
        toks[i].sentence = sentence;
        toks[i].clause = clause;
        let t = &toks[i];
        if t.punct && SENTENCE_END.contains(t.word.as_str()) {
            sentence += 1;
            clause += 1;
        } else if t.punct {
            clause += 1;
        }
    }
    toks
}

fn starts_clause(toks: &[Tok], i: usize) -> bool {
    let t = &toks[i];
    let next_is_subject = toks.get(i + 1).is_some_and(|n| n.is_any(SUBJECTS));
    let next_is_to = toks.get(i + 1).is_some_and(|n| n.is("to"));
    t.is_any(CLAUSE_START) || (t.is_any("so|and") && next_is_subject) || (t.is_any("due|owing|thanks") && next_is_to)
}

fn raw_tokens(text: &str) -> Vec<Tok> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let byte_end = |k: usize| chars.get(k).map_or(text.len(), |c| c.0);
    let mut toks = Vec::new();
    let mut k = 0;
    while k < chars.len() {
        let (start, c) = chars[k];
        if c.is_alphanumeric() {
            let mut e = k + 1;
            while e < chars.len() && (chars[e].1.is_alphanumeric() || joins_word(&chars, e)) {
                e += 1;
            }
            push_word(&mut toks, &text[start..byte_end(e)], (start, byte_end(e)), (k, e));
            k = e;
        } else {
            if c == '\n' || !c.is_whitespace() {
                toks.push(punct(c, (start, byte_end(k + 1)), k));
            }
            k += 1;
        }
    }
    toks
}

/// An apostrophe or hyphen between two letters belongs to the word.
fn joins_word(chars: &[(usize, char)], e: usize) -> bool {
    matches!(chars[e].1, '\'' | '’' | '-')
        && chars.get(e + 1).is_some_and(|c| c.1.is_alphanumeric())
        && chars[e - 1].1.is_alphanumeric()
}

/// The punctuation mark `c` at `bytes` (start, end), character `at`.
fn punct(c: char, (start, end): (usize, usize), at: usize) -> Tok {
    let word = if c == '…' { ".".to_string() } else { c.to_string() };
    Tok { word, punct: true, start, end, char_start: at, char_end: at + 1, sentence: 0, clause: 0 }
}

/// The word `raw` at `bytes` and `chars` (start, end), contractions expanded.
fn push_word(toks: &mut Vec<Tok>, raw: &str, (start, end): (usize, usize), (char_start, char_end): (usize, usize)) {
    let lower = if raw == "IT" { raw.to_string() } else { raw.to_lowercase().replace('’', "'") };
    for word in expand(&lower) {
        toks.push(Tok { word, punct: false, start, end, char_start, char_end, sentence: 0, clause: 0 });
    }
}

/// Expands contractions: "wasn't" → "was not", "I'm" → "i am", "it's" → "it is";
/// other "'s" is a possessive and dropped.
fn expand(word: &str) -> Vec<String> {
    if let Some(base) = word.strip_suffix("n't").filter(|b| !b.is_empty()) {
        let base = match base {
            "ca" => "can",
            "wo" => "will",
            "sha" => "shall",
            b => b,
        };
        return vec![base.to_string(), "not".to_string()];
    }
    const SUFFIXES: [(&str, &str); 5] =
        [("'m", "am"), ("'re", "are"), ("'ve", "have"), ("'ll", "will"), ("'d", "would")];
    for (suffix, full) in SUFFIXES {
        if let Some(base) = word.strip_suffix(suffix) {
            return vec![base.to_string(), full.to_string()];
        }
    }
    if let Some(base) = word.strip_suffix("'s") {
        return match base {
            "it" | "that" | "there" | "here" | "what" | "he" | "she" | "who" => {
                vec![base.to_string(), "is".to_string()]
            }
            "let" => vec!["let".to_string(), "us".to_string()],
            _ => vec![base.to_string()],
        };
    }
    vec![word.to_string()]
}

// ---------------------------------------------------------------------------
// Patterns: space-separated slots; `a|b` alternatives, `*` any word, a
// trailing `?` makes a slot optional. A pattern never crosses punctuation.

struct Slot<'a> {
    alts: Vec<&'a str>,
    optional: bool,
}

fn compile(pattern: &str) -> Vec<Slot<'_>> {
    pattern
        .split_whitespace()
        .map(|s| match s.strip_suffix('?') {
            Some(s) => Slot { alts: s.split('|').collect(), optional: true },
            None => Slot { alts: s.split('|').collect(), optional: false },
        })
        .collect()
}

fn match_from(toks: &[Tok], i: usize, slots: &[Slot]) -> Option<usize> {
    let Some((first, rest)) = slots.split_first() else {
        return Some(i);
    };
    let fits = toks.get(i).is_some_and(|t| !t.punct && first.alts.iter().any(|a| *a == "*" || *a == t.word));
    if fits && let Some(end) = match_from(toks, i + 1, rest) {
        return Some(end);
    }
    if first.optional { match_from(toks, i, rest) } else { None }
}

/// Every non-overlapping match of `pattern`, as token ranges.
fn find_all(toks: &[Tok], pattern: &str) -> Vec<(usize, usize)> {
    let slots = compile(pattern);
    let mut found = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match match_from(toks, i, &slots).filter(|&end| end > i && !toks[i].punct) {
            Some(end) => {
                found.push((i, end));
                i = end;
            }
            None => i += 1,
        }
    }
    found
}

// ---------------------------------------------------------------------------
// Ownership: where the text names the writer's own action.

const APOLOGY: &str =
    "sorry|apologize|apologise|apologized|apologised|apologies|apology|apologizing|apologising|regret|forgive|pardon";
const FIRST_PERSON: &str = "i|we";
const SELF_VERBS: &str = "forgot|forget|failed|neglected|overlooked|underestimated|overestimated|misjudged|misread|misunderstood|misplaced|mislaid|mixed|confused|double-booked|overbooked|overcommitted|overpromised|skipped|ignored|rushed|chose|decided|prioritised|prioritized|left|missed|lost|dropped|should|ought|kept|wasted|procrastinated|delayed|cancelled|canceled|assumed";
const NEG_AUX: &str = "did|do|does|had|have|has|was|were|am|is|should";
/// After "I didn't …" these make the clause about what happened *to* me.
const NOT_MY_ACTION: &str = "get|got|receive|received|know|knew|hear|heard|see|saw|realise|realize|realised|realized|expect|expected|mean|meant|intend|intended|told|informed|notified|aware|warned|given|included|invited|copied|briefed|able|have|had|feel|feeling|well|sure|think|thought";
const ADVERBS: &str = "really|even|properly|actually|always|ever|fully|quite|yet|just|simply";
const WINDOW_STOP: &str = "you|your|he|she|they|it|the|a|an|this|that|these|those|his|her|their|its|my|our";
/// Phrases that name my part or commit me, one pattern a line.
const OWNING_PHRASES: &str = "\
my|our fault|mistake|mistakes|error|errors|oversight|responsibility|bad|carelessness|negligence|failure
my|our own|poor|bad|lack
on me|us
i|we take *? *? responsibility|ownership|blame
i|we own this|it|that|the
i|we messed|screwed|dropped|blew|botched|fumbled|bungled
i|we got *? *? wrong
i|we let *? *? down|slip|slide
i|we am|was|were|have *? been? wrong|careless|disorganised|disorganized|unprepared|underprepared|sloppy|negligent|thoughtless|unclear
careless|sloppy|thoughtless of me|us
i|we will|shall
i|we am|are going|planning
i|we would like|love
i|we want to
i|we have already
i|we promise
let me|us
from now on";

/// Token indices where the writer names their own action or a commitment.
fn ownership_marks(toks: &[Tok]) -> Vec<usize> {
    let mut marks: Vec<usize> = OWNING_PHRASES.lines().flat_map(|p| find_all(toks, p)).map(|m| m.0).collect();
    marks.extend((0..toks.len()).filter(|&i| toks[i].is_any(FIRST_PERSON)).filter_map(|i| own_action(toks, i)));
    marks.sort_unstable();
    marks.dedup();
    marks
}

/// After the first person at `i`, the index of a self-critical verb or an
/// owned negation within a few words, if any.
fn own_action(toks: &[Tok], i: usize) -> Option<usize> {
    let clause = toks[i].clause;
    let window = toks.iter().enumerate().skip(i + 1).take(5);
    for (j, t) in window.take_while(|(_, t)| !t.punct && t.clause == clause && !t.is_any(WINDOW_STOP)) {
        if t.is_any(SELF_VERBS) || owned_negation(toks, j) {
            return Some(j);
        }
    }
    None
}

/// "did not check", "never sent" — but not "wasn't told", "couldn't", "didn't get".
fn owned_negation(toks: &[Tok], j: usize) -> bool {
    let t = &toks[j];
    let aux_ok = t.is("never") || (t.is("not") && j > 0 && toks[j - 1].is_any(NEG_AUX));
    aux_ok && next_verb(toks, j).is_some_and(|v| !v.is_any(NOT_MY_ACTION))
}

fn next_verb(toks: &[Tok], j: usize) -> Option<&Tok> {
    let next = toks.get(j + 1)?;
    if next.is_any(ADVERBS) { toks.get(j + 2) } else { Some(next) }.filter(|t| !t.punct)
}

// ---------------------------------------------------------------------------
// Rules

/// When a rule's hit is forgiven.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Exempt {
    /// `never`.
    Never,
    /// `clause`: my action is named before it in the clause (an outside cause).
    OwnedBefore,
    /// `sentence`: my action is named anywhere in the sentence (passive voice).
    OwnedInSentence,
}

/// One rule a line: the finding kind, when it is forgiven, and a pattern.
const RULES: &str = "\
blames-traffic      clause   traffic|gridlock|congestion|roadworks|motorway|highway|freeway|autobahn|detour|diversion|accident|train|trains|tram|bus|subway|metro|tube|flight|plane|airport|parking|weather|snow|storm|rain|fog|flooding|taxi|cab|uber
blames-traffic      clause   rush hour
blames-traffic      clause   public transport
blames-traffic      clause   road|roads works|closure|closed|blocked
blames-system       clause   system|systems|server|servers|software|computer|laptop|pc|internet|wifi|wi-fi|network|connection|crm|app|platform|website|portal|database|outage|glitch|glitches|bug|bugs|crashed|crash|crashes|offline|technical|tech|IT|zoom|outlook|calendar|battery|phone|printer|vpn|spam|autocorrect|bounced
blames-system       clause   power cut|outage|failure
blames-colleague    clause   colleague|colleagues|coworker|coworkers|co-worker|co-workers|assistant|manager|boss|supervisor|department|dept|ops|logistics|warehouse|accounting|finance|legal|billing|engineering|engineers|developers|devs|backoffice|admin|receptionist|secretary|intern|predecessor|courier|supplier|suppliers|vendor|carrier|subcontractor|manufacturer|factory|someone|somebody|nobody
blames-colleague    clause   back office
blames-colleague    clause   no one
blames-colleague    clause   support|service team|desk
blames-colleague    clause   the|my|their|his|her team|teams
blames-colleague    clause   they|he|she did|had|have|has|was|were not|never
blames-colleague    clause   they|he|she forgot|failed|lost|missed|mixed|messed|dropped|never
blames-colleague    clause   i|we was|were|am|had not|never been? told|informed|notified|warned|copied|included|invited|briefed|aware
blames-client       never    if you had|would *? told|said|sent|let|mentioned|informed|called|replied|answered|confirmed|reminded|given|asked|checked|read
blames-client       never    had you told|said|sent|let|mentioned|informed|called|replied|answered|confirmed
blames-client       never    your|their fault|mistake|error|responsibility
blames-client       clause   on your side|end
blames-circumstance clause   busy|swamped|slammed|hectic|overloaded|overwhelmed|overran|overrun|holiday|holidays|vacation|unexpected|unexpectedly|unforeseen|emergency|sick|unwell|ill
blames-circumstance clause   something|stuff|things|issue|issues|emergency came|come|comes up
blames-circumstance clause   ran|run|running|runs over|late|long
blames-circumstance clause   previous|earlier|other|another meeting|call|appointment|client
blames-circumstance clause   no time
blames-circumstance clause   did not have time|the|a time|chance
blames-circumstance clause   last minute|last-minute
blames-circumstance clause   on my plate
passive-voice       sentence mistakes|errors|mistake|error was|were|have|has|had been? made
passive-voice       sentence was|were|got|been|is|are|be not|never? missed|overlooked|forgotten|lost|dropped|delayed|misplaced|mislaid|mishandled|neglected|ignored|botched|messed|misrouted|misfiled
passive-voice       sentence was|were|got not|never sent|done|booked|confirmed|updated|scheduled|processed|followed|shipped|delivered|forwarded|passed|entered|recorded|logged
passive-voice       sentence fell|falls|fall|slipped|slips|slip through
passive-voice       sentence slipped|slips my mind
passive-voice       sentence fell|dropped off my radar
passive-voice       sentence got away from me|us
passive-voice       sentence it happens
passive-voice       sentence these? things|stuff happen|happens
passive-voice       sentence things got|went
not-my-fault        never    not really|entirely|totally|completely|all|exactly|strictly? my|our fault|doing|responsibility|job|problem|call
not-my-fault        never    no fault of mine|ours|my|our
not-my-fault        never    out of|beyond|outside my|our control|hands
not-my-fault        never    nothing i|we|anyone|anybody could *? do|done|have
not-my-fault        never    could|can not be helped|avoided
not-my-fault        never    cannot be helped|avoided
not-my-fault        never    not to blame
not-my-fault        never    is|are|was|were to blame
not-my-fault        never    do|did not blame me|us
not-my-fault        never    not on|down to me|us
not-my-fault        never    in my|our defence|defense
not-my-fault        never    to be fair
not-my-fault        never    i|we did everything|all|my|our *? could|best
not-my-fault        never    happens to everyone|everybody|the
conditional         never    sorry|apologize|apologise|apologies|apology *? if
conditional         never    sorry|apologize|apologise|apologies that? you feel|felt|think|thought|found|find|took
conditional         never    sorry|apologize|apologise|apologies that? you are|were|got upset|offended|hurt|annoyed|bothered|frustrated|disappointed
conditional         never    if you|anyone|anybody|somebody|someone|people was|were|felt|feel|are|is|got|have at? all? *? offended|upset|hurt|inconvenienced|bothered|disappointed|annoyed|confused|misled|uncomfortable
conditional         never    if i|we *? offended|upset|hurt|inconvenienced|bothered|disappointed|annoyed|confused|caused
conditional         never    if there was|were|is|has|had been? any
conditional         never    if any offence|offense|confusion|inconvenience|harm
conditional         never    for any inconvenience|confusion|trouble|misunderstanding|frustration
conditional         never    that is how you feel|see
conditional         never    to the extent
minimising          never    no|not *? big deal|biggie
minimising          never    no harm done
minimising          never    not that bad|serious|big|long|late
minimising          never    not the end of the world
minimising          never    hiccup|hiccups|blip|technically|unintentional|unintentionally
minimising          never    did|do not mean|intend to
minimising          never    never meant|intended to
minimising          never    was not intentional|deliberate";

struct Rule<'a> {
    kind: FindingKind,
    exempt: Exempt,
    pattern: &'a str,
}

fn rules() -> impl Iterator<Item = Rule<'static>> {
    RULES.lines().map(|line| {
        let (kind, rest) = line.split_once(' ').expect("kind, exempt, pattern");
        let (exempt, pattern) = rest.trim_start().split_once(' ').expect("exempt, pattern");
        let exempt = match exempt {
            "never" => Exempt::Never,
            "clause" => Exempt::OwnedBefore,
            _ => Exempt::OwnedInSentence,
        };
        let kind = FindingKind::from_name(kind).expect("a finding kind");
        Rule { kind, exempt, pattern: pattern.trim() }
    })
}

use FindingKind as K;

/// A finding before it is turned into text: kind and token range.
type Hit = (FindingKind, usize, usize);

fn rule_hits(t: &Text) -> Vec<Hit> {
    let mut hits = Vec::new();
    for r in rules() {
        for (s, e) in find_all(&t.toks, r.pattern) {
            if !forgiven(t, &r, s) {
                hits.push((r.kind, s, e));
            }
        }
    }
    hits
}

fn forgiven(t: &Text, r: &Rule, s: usize) -> bool {
    match r.exempt {
        Exempt::Never => false,
        Exempt::OwnedInSentence => {
            let sentence = &t.sentence(s).toks;
            t.marked(sentence.start, sentence.end)
        }
        Exempt::OwnedBefore => {
            let theirs = r.kind == K::BlamesColleague && s > 0 && t.toks[s - 1].is("your");
            theirs || t.owned_before(s) || (t.apology_object(s) && !t.marks.is_empty())
        }
    }
}

const CLIENT_VERBS: &str = "forgot|failed|neglected|ignored|confused|misread|misunderstood|changed|cancelled|canceled";
const CLIENT_NEG_OK: &str = "get|got|receive|received|have|had|hear|heard|deserve|need|needed|see|saw|been|wait";

/// "you didn't send", "your team never confirmed", "you should have told me".
fn client_blame(t: &Text) -> Vec<Hit> {
    let toks = &t.toks;
    let mut hits = Vec::new();
    for i in (0..toks.len()).filter(|&i| toks[i].is_any("you|your")) {
        let clause = toks[i].clause;
        let window = (i + 1..toks.len()).take(3).take_while(|&j| {
            let t = &toks[j];
            !t.punct && t.clause == clause && !t.is_any("i|we|me|us")
        });
        if let Some(j) = window.into_iter().find(|&j| blames_client(toks, j))
            && !t.owned_before(i)
        {
            hits.push((K::BlamesClient, i, j + 1));
        }
    }
    hits
}

fn blames_client(toks: &[Tok], j: usize) -> bool {
    let t = &toks[j];
    let after_ok = || next_verb(toks, j).is_none_or(|v| !v.is_any(CLIENT_NEG_OK));
    let negated = t.is("never") || (t.is("not") && toks[j - 1].is_any("did|do|does|had|have|has|was|were|are"));
    let should = t.is("should") && toks.get(j + 1).is_some_and(|n| n.is("have"));
    let should_ok = || toks.get(j + 2).is_none_or(|v| !v.is_any(CLIENT_NEG_OK));
    t.is_any(CLIENT_VERBS) || (negated && after_ok()) || (should && should_ok())
}

const SHRINKERS: &str = "only|just|barely|merely";
const TIME_UNITS: &str = "minute|minutes|min|mins|second|seconds|moment|hour|hours|day|days";
const SMALL: &str = "few|couple|little|bit|slightly|tiny|small|minor|slight";
const TROUBLE: &str = "late|behind|delay|delayed|hiccup|glitch|slip|inconvenience|mix-up|issue|issues|problem|mistake|error|oversight|blip";

/// "only five minutes", "a little late", "a small mistake".
fn minimising(toks: &[Tok]) -> Vec<Hit> {
    let mut hits = Vec::new();
    for i in 0..toks.len() {
        let targets = if toks[i].is_any(SHRINKERS) {
            TIME_UNITS
        } else if toks[i].is_any(SMALL) {
            TROUBLE
        } else {
            continue;
        };
        let window = (i + 1..toks.len()).take(3).take_while(|&j| !toks[j].punct);
        if let Some(j) = window.into_iter().find(|&j| toks[j].is_any(targets)) {
            hits.push((K::Minimising, i, j + 1));
        }
    }
    hits
}

const BUT: &str = "but|however|although|though";
const BECAUSE: &str = "because|cos|coz|bc";

/// "because", or "due to" / "owing to" / "thanks to".
fn is_because(toks: &[Tok], c: usize) -> bool {
    let to_follows = toks.get(c + 1).is_some_and(|n| n.is("to"));
    toks[c].is_any(BECAUSE) || (toks[c].is_any("due|owing|thanks") && to_follows)
}

/// "but" and "because" in a sentence after an apology, or opening the sentence
/// right after one.
fn after_sorry(t: &Text) -> Vec<Hit> {
    let toks = &t.toks;
    let mut hits = Vec::new();
    for c in (0..toks.len()).filter(|&c| follows_apology(t, c)) {
        let end = t.sentence(c).toks.end;
        let kind = if toks[c].is_any(BUT) {
            K::ButAfterSorry
        } else if is_because(toks, c) {
            K::BecauseAfterSorry
        } else {
            continue;
        };
        if !t.marked(c + 1, end) {
            hits.push((kind, c, c + 1));
        }
    }
    hits
}

/// An apology earlier in the sentence of `c`, or `c` opens the sentence right
/// after one with an apology.
fn follows_apology(t: &Text, c: usize) -> bool {
    let s = t.toks[c].sentence;
    let in_sentence = t.sentences[s].apology.is_some_and(|a| a < c);
    let opens_next = s > 0 && t.sentences[s].toks.start == c && t.sentences[s - 1].apology.is_some();
    in_sentence || opens_next
}

fn to_findings(text: &str, toks: &[Tok], mut hits: Vec<Hit>) -> Vec<Finding> {
    hits.sort_by_key(|&(kind, s, e)| (toks[s].start, kind, toks[e - 1].end));
    let mut findings: Vec<Finding> = Vec::new();
    // Hits come by start: one overlaps an earlier finding of its kind when
    // that finding ends after it starts.
    let mut reach = [0; FindingKind::ALL.len()];
    for (kind, s, e) in hits {
        let (start, end) = (toks[s].start, toks[e - 1].end);
        if reach[kind as usize] > start {
            continue;
        }
        reach[kind as usize] = end;
        findings.push(Finding {
            start,
            end,
            char_start: toks[s].char_start,
            char_end: toks[e - 1].char_end,
            kind,
            message: format!("{}: \"{}\"", kind.explanation(), &text[start..end]),
            suggestion: kind.suggestion(),
        });
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn examples(tsv: &str) -> Vec<(Verdict, &str)> {
        tsv.lines()
            .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|l| {
                let (label, text) = l.split_once('\t').expect("label<TAB>text");
                let label = match label {
                    "owning" => Verdict::Owning,
                    "excusing" => Verdict::Excusing,
                    other => panic!("unknown label {other:?}"),
                };
                (label, text)
            })
            .collect()
    }

    fn describe(text: &str) -> String {
        let c = check(text).unwrap();
        let found: Vec<_> = c.findings.iter().map(|f| f.message.as_str()).collect();
        format!("{text:?} → {} {found:?}", c.verdict)
    }

    #[test]
    fn every_example_is_classified_right() {
        let cases = examples(include_str!("../data/apology/examples.tsv"));
        let owning = cases.iter().filter(|c| c.0 == Verdict::Owning).count();
        assert!(owning >= 20 && cases.len() - owning >= 20, "need 20 of each");
        let wrong: Vec<_> =
            cases.iter().filter(|(v, t)| check(t).unwrap().verdict != *v).map(|c| describe(c.1)).collect();
        assert!(wrong.is_empty(), "misclassified:\n{}", wrong.join("\n"));
    }

    #[test]
    fn held_out_examples_generalise() {
        let cases = examples(include_str!("../data/apology/heldout.tsv"));
        assert!(cases.len() >= 20);
        let wrong: Vec<_> =
            cases.iter().filter(|(v, t)| check(t).unwrap().verdict != *v).map(|c| describe(c.1)).collect();
        let accuracy = 1.0 - wrong.len() as f64 / cases.len() as f64;
        println!("held-out apology accuracy: {accuracy:.3} ({} of {})", cases.len() - wrong.len(), cases.len());
        for w in &wrong {
            println!("  wrong: {w}");
        }
        assert!(accuracy >= 0.9, "held-out accuracy {accuracy:.3}:\n{}", wrong.join("\n"));
    }

    #[test]
    fn findings_name_the_kind_and_span() {
        let cases: &[(&str, &[FindingKind])] = &[
            ("Sorry I'm late, traffic was terrible.", &[K::BlamesTraffic]),
            ("I'm sorry, but the system was down.", &[K::ButAfterSorry, K::BlamesSystem]),
            (
                "Sorry I was late because the train was delayed.",
                &[K::BecauseAfterSorry, K::BlamesTraffic, K::PassiveVoice],
            ),
            ("It wasn't my fault.", &[K::NotMyFault]),
            ("I apologize if you were offended.", &[K::Conditional]),
            ("Mistakes were made.", &[K::PassiveVoice]),
            ("I was only five minutes late.", &[K::Minimising]),
            ("You didn't send the documents.", &[K::BlamesClient]),
            ("Sorry, something came up.", &[K::BlamesCircumstance]),
            ("My colleague forgot to book the room.", &[K::BlamesColleague]),
            ("I'm sorry I didn't leave early enough for the traffic.", &[]),
            ("I'm sorry I was late because I didn't plan enough time.", &[]),
            ("I'm sorry, but I will be there at 8 tomorrow.", &[]),
            ("I'll leave an hour earlier to avoid the traffic.", &[]),
            ("I'm sorry you didn't get the report on time; I forgot to send it.", &[]),
        ];
        for (text, kinds) in cases {
            let got: Vec<_> = check(text).unwrap().findings.iter().map(|f| f.kind).collect();
            let mut want = kinds.to_vec();
            let mut got_sorted = got.clone();
            want.sort();
            got_sorted.sort();
            assert_eq!(got_sorted, want, "{}", describe(text));
        }
    }

    #[test]
    fn offsets_are_bytes_and_chars() {
        let text = "Désolé — sorry, the CRM crashed.";
        let c = check(text).unwrap();
        let f = c.findings.iter().find(|f| f.kind == K::BlamesSystem).unwrap();
        assert_eq!(&text[f.start..f.end], "CRM");
        let chars: String = text.chars().skip(f.char_start).take(f.char_end - f.char_start).collect();
        assert_eq!(chars, "CRM");
        assert!(f.start > f.char_start, "é and — are multi-byte");
        assert_eq!(f.message, "blames a system or device, not your own preparation: \"CRM\"");
        assert!(f.suggestion.starts_with("own the preparation"));
    }

    #[test]
    fn verdict_and_apologizes() {
        let c = check("See you on Tuesday at 10.").unwrap();
        assert_eq!((c.verdict, c.apologizes), (Verdict::Owning, false));
        let c = check("That's on me.").unwrap();
        assert!(c.apologizes && c.is_owning());
        assert_eq!(check("").unwrap().verdict, Verdict::Owning);
        assert_eq!(Verdict::Excusing.to_string(), "excusing");
        for k in FindingKind::ALL {
            assert_eq!(FindingKind::from_name(k.as_str()), Some(k), "KIND_TEXT is in FindingKind order");
            assert!(!k.explanation().is_empty() && !k.suggestion().is_empty());
        }
        assert_eq!(K::BecauseAfterSorry.as_str(), "because-after-sorry");
    }

    #[test]
    fn odd_input_never_panics() {
        let odd =
            ["", "...", "’", "-", "n't", "'cause", "🙂 sorry but 🙂", "IT", "a\r\nb", "sorry because", "you never"];
        for text in odd {
            let c = check(text).unwrap();
            assert!(c.findings.iter().all(|f| text.get(f.start..f.end).is_some()), "{text:?}");
        }
        assert_eq!(check("sorry because").unwrap().findings[0].kind, K::BecauseAfterSorry);
    }

    #[test]
    fn contractions_and_curly_apostrophes() {
        assert_eq!(check("It wasn’t my fault.").unwrap().verdict, Verdict::Excusing);
        assert_eq!(check("I didn’t check the CRM before calling.").unwrap().verdict, Verdict::Owning);
        assert_eq!(check("I wasn’t told the CRM was down.").unwrap().verdict, Verdict::Excusing);
    }
}
