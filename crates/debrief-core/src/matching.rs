//! Reason matching: turns a free-text reason into normalised tokens and scores
//! it against every text already written for each canonical reason.
//!
//! Pipeline: lowercase, expand contractions, join sales phrases ("follow
//! up", "decision maker"), rewrite negations to one `not` token, drop stop
//! words (never negations), stem, map synonyms.
//!
//! The matcher reads each word with its polarity: a word after a negation in
//! the same clause is a different term from the same word without one, so
//! "asked about budget" shares nothing with "didn't ask about budget", while
//! "talked too much, didn't listen" still shares "talked". Scoring is an
//! IDF-weighted Tversky overlap of those terms that forgives extra words in
//! the new text more than missing ones, and corrects typos against the
//! matcher's own words.

use std::collections::{HashMap, HashSet};

use rust_stemmers::{Algorithm, Stemmer};

use crate::model::ReasonId;

/// Score from which a text is matched to a reason without asking.
pub const THRESHOLD: f64 = 0.5;
/// Score from which a reason is offered as a suggestion.
pub const SUGGEST: f64 = 0.3;

/// The one token every negation becomes.
const NOT: &str = "not";
/// Weight of words only the new text has that other texts use: evidence that
/// the new text says something else too.
const KNOWN_EXTRA: f64 = 0.5;
/// Weight of words no stored text uses: mostly context ("ten minutes",
/// "traffic") that says nothing about which reason it is.
const UNKNOWN_EXTRA: f64 = 0.1;
/// Weight of words only the stored text has: part of the reason is missing.
const STORED_EXTRA: f64 = 0.6;
/// Stands for punctuation that ends a clause, and so a negation's reach.
const BREAK: &str = ",";

/// A canonical reason and how well a text matches it, in `0..=1`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Match {
    pub reason: ReasonId,
    pub score: f64,
}

/// The normalised key used to de-duplicate texts: lowercase words separated by
/// single spaces, apostrophes dropped, other punctuation as spaces. Not stemmed.
pub fn key(text: &str) -> String {
    let spaced: String = text
        .chars()
        .filter(|c| !is_apostrophe(*c))
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    spaced.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The matching tokens of a text, in order of first appearance, without
/// duplicates. Every negation becomes `"not"`.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for piece in pieces(text) {
        let token = match piece {
            Piece::Word(word) => word,
            Piece::Not => NOT.to_string(),
            Piece::Break => continue,
        };
        if !out.contains(&token) {
            out.push(token);
        }
    }
    out
}

/// A normalised text read in order.
enum Piece {
    Word(String),
    Not,
    Break,
}

fn pieces(text: &str) -> Vec<Piece> {
    let stemmer = Stemmer::create(Algorithm::English);
    let phrased = join_phrases(words(text));
    let mut out = Vec::new();
    for word in phrased.iter().flat_map(|w| rewrite(w).split(' ')) {
        if word == BREAK || matches!(word, "but" | "and" | "so" | "because" | "though") {
            out.push(Piece::Break);
        } else if word == NOT {
            out.push(Piece::Not);
        } else if !is_stop_word(word) {
            let stem = stemmer.stem(word);
            let token = synonym(&stem);
            if !is_setting(token) {
                out.push(Piece::Word(token.to_string()));
            }
        }
    }
    out
}

/// Each token with its polarity: negated when its clause holds a negation
/// ("the demo wasn't tailored" negates "demo" too).
fn polar_tokens(text: &str) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let pieces = pieces(text);
    for clause in pieces.split(|p| matches!(p, Piece::Break)) {
        let negated = clause.iter().any(|p| matches!(p, Piece::Not));
        for piece in clause {
            if let Piece::Word(word) = piece {
                let polar = (word.clone(), negated);
                if !out.contains(&polar) {
                    out.push(polar);
                }
            }
        }
    }
    out
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`')
}

/// Lowercase words with contractions expanded, and [`BREAK`] where
/// punctuation ends a clause.
fn words(text: &str) -> Vec<String> {
    let lower: String = text
        .to_lowercase()
        .chars()
        .map(|c| if is_apostrophe(c) { '\'' } else { c })
        .collect();
    let expanded = lower
        .replace("can't", "can not")
        .replace("won't", "will not")
        .replace("n't", " not");
    let mut out = Vec::new();
    for chunk in expanded.split_inclusive(|c: char| !c.is_alphanumeric()) {
        let word = chunk.trim_end_matches(|c: char| !c.is_alphanumeric());
        if !word.is_empty() {
            out.push(word.to_string());
        }
        if chunk.ends_with([',', '.', ';', ':', '!', '?', '(', ')']) {
            out.push(BREAK.to_string());
        }
    }
    out
}

/// Rewrites one word before stemming: negations (also contractions typed
/// without an apostrophe) become `not`; a few words carry a negation inside.
fn rewrite(word: &str) -> &str {
    match word {
        "no" | "never" | "without" | "nobody" | "none" | "nor" | "cannot" | "instead"
        | "rather" | "barely" | "hardly" | "forgot" | "forget" | "forgotten" | "forgetting"
        | "fail" | "failed" | "failing" | "missed" | "lack" | "lacked" | "lacking"
        | "neglected" | "skipped" | "skip" | "few" => NOT,
        "didnt" | "dont" | "doesnt" | "wasnt" | "werent" | "isnt" | "arent" | "couldnt"
        | "wouldnt" | "shouldnt" | "hasnt" | "havent" | "hadnt" | "cant" | "wont" => NOT,
        "misunderstood" | "misunderstand" | "misread" => "not understood",
        "unprepared" => "not prepared",
        "unqualified" => "not qualified",
        "unclear" => "not clear",
        "generic" | "canned" | "standard" => "not tailored",
        "customise" | "customised" | "customize" | "customized" | "personalise"
        | "personalised" | "personalize" | "personalized" => "tailored",
        _ => word,
    }
}

/// Joins two-word sales phrases into one word, so that "follow up" and
/// "followup" agree and "decision maker" is not read as "decision".
fn join_phrases(words: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let next = words.get(i + 1).map_or("", String::as_str);
        match phrase(&words[i], next) {
            Some(joined) => {
                out.extend(joined.split(' ').map(str::to_string));
                i += 2;
            }
            None => {
                out.push(words[i].clone());
                i += 1;
            }
        }
    }
    out
}

fn phrase(first: &str, second: &str) -> Option<&'static str> {
    let joined = match (first, second) {
        ("follow" | "follows" | "followed" | "following", "up" | "ups") => "followup",
        ("decision", "maker" | "makers") => "decisionmaker",
        ("economic", "buyer" | "buyers") | ("budget", "holder" | "holders") => "decisionmaker",
        ("next", "step" | "steps" | "action" | "actions" | "meeting" | "call") => "nextstep",
        ("show" | "showed" | "shows" | "turn" | "turned" | "turns", "up") => "showup",
        ("talk" | "talked" | "talking" | "spoke" | "speaking", "over") => "interrupted",
        ("small", "talk") => "rapport",
        ("case", "study" | "studies") => "proof",
        ("hard", "sell") => "pushy",
        ("in", "house") => "inhouse",
        ("status", "quo") => "statusquo",
        ("on", "time") => "ontime",
        ("no", "show" | "shows") => "not showup",
        ("budget", "question" | "questions") => "budget",
        ("my" | "our", "end") => "side",
        ("data", "protection" | "privacy") => "legal",
        ("changed" | "changing" | "new", "job" | "jobs") => "left",
        ("was" | "were" | "got" | "been" | "being", "bought" | "acquired") => "acquired",
        ("taken" | "took" | "take", "over") => "acquired",
        _ => return None,
    };
    Some(joined)
}

/// Maps a stem to the token shared by its synonyms in sales wording.
fn synonym(stem: &str) -> &str {
    match stem {
        "cost" | "price" | "pricing" | "expens" => "price",
        "budget" | "spend" | "spent" | "money" | "fund" => "budget",
        "talk" | "spoke" | "speak" | "pitch" => "talk",
        "decisionmak" | "buyer" => "decisionmak",
        "meet" | "call" | "appoint" => "meet",
        "chase" => "followup",
        "sale" | "order" | "sign" | "signatur" => "close",
        "research" | "homework" | "prep" => "prepar",
        "urgenc" | "rush" | "hurri" => "urgent",
        "want" | "pain" => "need",
        "custom" => "client",
        "cut" | "interrupt" => "interrupt",
        "remind" | "reconfirm" => "confirm",
        "discoveri" => "question",
        "pushback" => "object",
        "poor" | "bad" | "weak" | "fumbl" | "wrong" => "weak",
        "intro" | "introduct" | "start" => "open",
        "prospect" => "lead",
        "fit" | "qualif" => "qualifi",
        "quot" | "offer" => "propos",
        "sent" => "send",
        "decis" => "decid",
        "soon" | "fast" => "earli",
        "knowledg" | "knew" => "know",
        "plan" | "structur" => "agenda",
        "relationship" | "chemistri" | "warm" => "rapport",
        "internet" | "wifi" | "audio" | "video" | "screen" => "connect",
        "issu" | "crash" => "problem",
        "refer" | "testimoni" | "stori" => "proof",
        "committe" | "team" => "stakehold",
        "loop" | "bring" => "involv",
        "push" | "pressur" | "aggress" | "salesi" => "pushi",
        "respons" | "respond" => "repli",
        "slowli" => "slow",
        "technic" | "tech" | "acronym" | "buzzword" => "jargon",
        "vendor" | "supplier" | "rival" | "competit" => "competitor",
        "reorg" | "restructur" | "reorgan" => "reorganis",
        "moment" => "time",
        "champion" | "sponsor" => "contact",
        "quit" | "resign" | "leav" => "left",
        "firm" => "compani",
        "initi" => "project",
        "kill" | "scrap" | "shelv" | "plug" => "cancel",
        "intern" => "inhous",
        "purchas" => "procur",
        "limit" | "cap" | "maximum" => "ceil",
        "acquisit" | "takeov" => "acquir",
        "complianc" | "secur" | "lawyer" | "gdpr" => "legal",
        "stop" | "reject" | "veto" => "block",
        "benchmark" | "comparison" | "shop" => "compar",
        "focus" => "prioriti",
        "shift" | "move" => "chang",
        "came" | "come" => "showup",
        "valu" => "benefit",
        "statusquo" => "noth",
        "frozen" => "freez",
        "lower" | "conced" => "discount",
        _ => stem,
    }
}

/// English function words that carry no reason. Negations are deliberately
/// absent: they decide what a reason means. Sorted for binary search.
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "actually", "after", "again", "against", "all", "already", "also", "am",
    "an", "and", "another", "any", "anything", "are", "as", "at", "basically", "be", "became",
    "because", "become", "been", "before", "being", "below", "between", "bit", "both", "but", "by",
    "can", "choose", "chose", "chosen", "could", "d", "did", "do", "does", "doing", "down",
    "during", "each", "else", "enough", "even", "ever", "everything", "for", "from",
    "further", "gave", "get", "gets", "getting", "give", "gives", "go", "goes", "going", "gone",
    "got", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him",
    "himself", "his", "how", "i", "if", "im", "in", "into", "is", "it", "its", "itself", "just",
    "keep", "keeps", "kept", "kind", "let", "lets", "ll", "lot", "m", "made", "make", "makes",
    "many", "me", "might", "more", "most", "much", "must", "my", "myself", "now", "of", "off",
    "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own", "pick",
    "picked", "put", "puts", "quite", "re", "real", "really", "s", "said", "same", "say", "says",
    "she", "should", "so", "some", "something", "still", "such", "t", "take", "than", "that",
    "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "thing",
    "things", "this", "those", "through", "to", "too", "took", "under", "until", "up", "us", "use",
    "used", "ve", "very", "was", "way", "we", "well", "went", "were", "what", "when", "where",
    "which", "while", "who", "whole", "whom", "why", "will", "with", "would", "you", "your",
    "yours", "yourself", "yourselves",
];

/// Words naming the setting of every debrief, not a reason: every call has a
/// client. Phrases like "next meeting" are joined before this applies.
fn is_setting(token: &str) -> bool {
    matches!(token, "client" | "meet")
}

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.binary_search(&word).is_ok()
}

/// Optimal-string-alignment distance (edits plus adjacent transpositions).
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

/// How many typos a token of this length may carry and still be corrected.
fn allowed_typos(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// One stored text, read once at `add`.
#[derive(Clone, Debug)]
struct Entry {
    reason: ReasonId,
    key: String,
    terms: Vec<Term>,
}

/// A known word with its polarity: `word id * 2 + negated`.
type Term = u32;

fn term(word: u32, negated: bool) -> Term {
    word * 2 + u32::from(negated)
}

fn word_of(term: Term) -> usize {
    (term / 2) as usize
}

/// A text being matched, resolved against the matcher's words.
struct Query {
    key: String,
    terms: Vec<Term>,
    /// IDF of the known words.
    known_weight: f64,
    /// IDF of the words no stored text uses.
    unknown_weight: f64,
}

/// Matches free text to canonical reasons, learning from every text added.
#[derive(Clone, Debug, Default)]
pub struct Matcher {
    ids: HashMap<String, u32>,
    /// For each word, its letters (to correct typos) and the reasons whose
    /// texts use it.
    spellings: Vec<Vec<char>>,
    used_by: Vec<Vec<ReasonId>>,
    reasons: HashSet<ReasonId>,
    entries: Vec<Entry>,
    seen: HashSet<(ReasonId, String)>,
}

impl Matcher {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a text written for a reason (or its label). Empty texts and
    /// texts already recorded for the same reason are ignored.
    pub fn add(&mut self, reason: ReasonId, text: &str) {
        let key = key(text);
        if key.is_empty() || !self.seen.insert((reason, key.clone())) {
            return;
        }
        let mut terms = Vec::new();
        for (word, negated) in polar_tokens(text) {
            let id = self.intern(word);
            let used_by = &mut self.used_by[id as usize];
            if !used_by.contains(&reason) {
                used_by.push(reason);
            }
            terms.push(term(id, negated));
        }
        self.reasons.insert(reason);
        self.entries.push(Entry { reason, key, terms });
    }

    /// The number of texts recorded.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The best score of each reason scoring at least [`SUGGEST`], best first
    /// (ties by reason id), at most `limit` of them.
    pub fn suggestions(&self, text: &str, limit: usize) -> Vec<Match> {
        let mut out: Vec<Match> = self
            .reason_scores(text)
            .into_iter()
            .filter(|&(_, score)| score >= SUGGEST)
            .map(|(reason, score)| Match { reason, score })
            .collect();
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.reason.cmp(&b.reason)));
        out.truncate(limit);
        out
    }

    /// The reason to match without asking, if one scores at least [`THRESHOLD`].
    pub fn best(&self, text: &str) -> Option<Match> {
        self.suggestions(text, 1).into_iter().find(|m| m.score >= THRESHOLD)
    }

    fn intern(&mut self, word: String) -> u32 {
        if let Some(&id) = self.ids.get(&word) {
            return id;
        }
        let id = u32::try_from(self.spellings.len()).expect("fewer than 2^31 distinct words");
        self.spellings.push(word.chars().collect());
        self.used_by.push(Vec::new());
        self.ids.insert(word, id);
        id
    }

    fn reason_scores(&self, text: &str) -> HashMap<ReasonId, f64> {
        let idf = self.idf();
        let query = self.query(text, &idf);
        let mut best: HashMap<ReasonId, f64> = HashMap::new();
        for entry in &self.entries {
            let score = score(&query, entry, &idf);
            let slot = best.entry(entry.reason).or_insert(0.0);
            *slot = slot.max(score);
        }
        best
    }

    fn query(&self, text: &str, idf: &[f64]) -> Query {
        let mut query = Query { key: key(text), terms: Vec::new(), known_weight: 0.0, unknown_weight: 0.0 };
        for (word, negated) in polar_tokens(text) {
            match self.ids.get(&word).copied().or_else(|| self.correct(&word)) {
                Some(id) if !query.terms.contains(&term(id, negated)) => {
                    query.terms.push(term(id, negated));
                    query.known_weight += idf[id as usize];
                }
                Some(_) => {}
                None => query.unknown_weight += self.unknown_idf(),
            }
        }
        query
    }

    /// The known word closest to a misspelt one, preferring the more common.
    /// A word that extends or shortens a known one ("later", "shown") is
    /// another word, not a typo.
    fn correct(&self, word: &str) -> Option<u32> {
        let chars: Vec<char> = word.chars().collect();
        let allowed = allowed_typos(chars.len());
        if allowed == 0 {
            return None;
        }
        let candidates = self.spellings.iter().enumerate().filter(|(_, w)| {
            w.len() >= 4
                && w.len().abs_diff(chars.len()) <= allowed
                && !w.starts_with(&chars)
                && !chars.starts_with(w)
        });
        let (_, id) = candidates
            .map(|(id, w)| (edit_distance(&chars, w), id))
            .filter(|&(distance, _)| distance <= allowed)
            .min_by_key(|&(distance, id)| (distance, std::cmp::Reverse(self.used_by[id].len())))?;
        u32::try_from(id).ok()
    }

    /// Inverse frequency of every known word across reasons (not texts): a
    /// word that tells reasons apart weighs more, however many texts of its
    /// own reason repeat it.
    fn idf(&self) -> Vec<f64> {
        let n = self.reasons.len() as f64;
        self.used_by.iter().map(|r| (1.0 + n / r.len().max(1) as f64).ln()).collect()
    }

    /// Words no stored text uses weigh like the rarest known word.
    fn unknown_idf(&self) -> f64 {
        (1.0 + self.reasons.len() as f64).ln()
    }
}

/// Tversky overlap of the terms weighted by IDF; 1.0 for the same key. The
/// same word with the other polarity is not shared: it is missing on one
/// side and extra on the other.
fn score(query: &Query, entry: &Entry, idf: &[f64]) -> f64 {
    if query.key == entry.key {
        return 1.0;
    }
    let weight = |t: &Term| idf[word_of(*t)];
    let shared: f64 = entry.terms.iter().filter(|t| query.terms.contains(t)).map(weight).sum();
    if shared == 0.0 {
        return 0.0;
    }
    let stored: f64 = entry.terms.iter().map(weight).sum();
    let extra = KNOWN_EXTRA * (query.known_weight - shared)
        + UNKNOWN_EXTRA * query.unknown_weight
        + STORED_EXTRA * (stored - shared);
    round(shared / (shared + extra))
}

/// Rounds a score to six decimals, so that equal evidence summed in another
/// order compares equal, also against the thresholds.
fn round(score: f64) -> f64 {
    (score * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vocabulary::STARTER;

    fn id(index: usize) -> ReasonId {
        ReasonId(index as i64)
    }

    fn label(reason: ReasonId) -> &'static str {
        STARTER[reason.0 as usize].label
    }

    /// A matcher of every label, plus every paraphrase `keep` accepts.
    fn matcher(keep: impl Fn(usize, usize) -> bool) -> Matcher {
        let mut m = Matcher::new();
        for (r, reason) in STARTER.iter().enumerate() {
            m.add(id(r), reason.label);
            for (p, text) in reason.paraphrases.iter().enumerate() {
                if keep(r, p) {
                    m.add(id(r), text);
                }
            }
        }
        m
    }

    /// Share of paraphrases whose best match is their own reason, and share
    /// matched to another reason above THRESHOLD.
    fn shares(build: impl Fn(usize, usize) -> Matcher) -> (f64, f64) {
        let (mut own, mut wrong, mut total) = (0, 0, 0);
        for (r, reason) in STARTER.iter().enumerate() {
            for (p, text) in reason.paraphrases.iter().enumerate() {
                let m = build(r, p);
                let top = m.suggestions(text, 1).first().copied();
                total += 1;
                match m.best(text) {
                    Some(b) if b.reason == id(r) => own += 1,
                    Some(b) => {
                        wrong += 1;
                        println!("WRONG {text:?} -> {:?} {:.2}", label(b.reason), b.score);
                    }
                    None => println!("MISS  {text:?} top {:?}", top.map(|t| (label(t.reason), t.score))),
                }
            }
        }
        (own as f64 / total as f64, wrong as f64 / total as f64)
    }

    fn starter_matcher() -> Matcher {
        matcher(|_, _| true)
    }

    fn reason_named(name: &str) -> ReasonId {
        let index = STARTER.iter().position(|r| r.label == name);
        id(index.unwrap_or_else(|| panic!("no starter reason {name:?}")))
    }

    /// New phrasings, typos, case and punctuation, none of them in the
    /// vocabulary, with the label they must match (or `None`).
    pub(super) const HELD_OUT: &[(&str, Option<&str>)] = &[
        ("Didn't ask about budget!", Some("didn't ask about budget")),
        ("didnt ask abut budget", Some("didn't ask about budget")),
        ("Never asked what they could spend.", Some("didn't ask about budget")),
        ("forgot to discuss the budget", Some("didn't ask about budget")),
        ("I was 15 minutes late", Some("was late")),
        ("arrived late", Some("was late")),
        ("never sent a follow-up email", Some("didn't follow up")),
        ("forgot to follow up with them", Some("didn't follow up")),
        ("we ended the call without next steps", Some("no clear next step agreed")),
        ("NO NEXT STEP AGREED!!!", Some("no clear next step agreed")),
        ("I talked way too much again", Some("talked more than listened")),
        ("talked about features instead of benefits", Some("talked features, not benefits")),
        ("didn't know who the decision maker was", Some("didn't identify the decision maker")),
        ("couldn't handle the pricing objection", Some("didn't handle the price objection")),
        ("forgot to confirm the appointment", Some("forgot to confirm the meeting")),
        ("did not prepare for the call", Some("didn't prepare / research the client")),
        ("I didn't ask for the close", Some("didn't ask for the sale")),
        ("demo was too generic", Some("no tailored demo")),
        ("kept interrupting the customer", Some("interrupted the client")),
        ("didn't understand what the client needed", Some("didn't understand their need")),
        ("didnt undrestand their needs", Some("didn't understand their need")),
        ("proposal went out late", Some("sent the proposal too late")),
        ("the wifi kept dropping on my end", Some("connection problems on my side")),
        ("too pushy with them", Some("too pushy")),
        ("didn't qualify the prospect", Some("didn't qualify the lead")),
        ("gave a discount way too early", Some("gave a discount too early")),
        ("weak intro", Some("weak opening")),
        ("no agenda", Some("no agenda for the meeting")),
        ("didn't create any urgency", Some("didn't create urgency")),
        ("asked no questions at all", Some("didn't ask enough questions")),
        ("slow to reply to their email", Some("slow to reply")),
        ("they went with a competitor", Some("chose a competitor")),
        ("they chose another vendor", Some("chose a competitor")),
        ("no budget left this year", Some("no budget this year")),
        ("the project got cancelled", Some("project cancelled")),
        ("they will build it in-house", Some("went with an in-house solution")),
        ("our contact left the company", Some("the contact left the company")),
        ("They decided to do nothing.", Some("decided to do nothing")),
        ("they're reorganising, bad timing", Some("bad timing / reorganisation")),
        ("legal blocked it", Some("blocked by legal or compliance")),
        ("client didnt show up", Some("the client didn't show up")),
        ("the company got acquired", Some("company was acquired")),
        ("procurement said the price is over their limit", Some("price above their ceiling set by procurement")),
        ("Talked too much, didn't listen", Some("talked more than listened")),
        ("spoke too much and listened too little", Some("talked more than listened")),
        ("showed up twenty minutes late, traffic", Some("was late")),
        ("pitched the product but never asked for the order", Some("didn't ask for the sale")),
        ("Did not follow-up.", Some("didn't follow up")),
        ("didn't ask about their budget or timeline", Some("didn't ask about budget")),
        ("couldn't get past the price objection", Some("didn't handle the price objection")),
        ("the demo wasn't tailored to their industry", Some("no tailored demo")),
        ("they picked a cheaper competitor", Some("chose a competitor")),
        ("budget cuts this year", Some("no budget this year")),
        ("our champion left", Some("the contact left the company")),
        ("totally unprepared", Some("didn't prepare / research the client")),
        ("didn't confirm the meeting the day before", Some("forgot to confirm the meeting")),
        ("we never agreed on what happens next", Some("no clear next step agreed")),
        ("asked great questions", None),
        ("asked about budget", None),
        ("asked for the sale and got it", None),
        ("followed up the next day", None),
        ("great weather today", None),
        ("the client loved the demo", None),
        ("had a nice chat about football", None),
        ("we signed the contract", None),
        ("the client was very happy", None),
        ("we had a good first meeting", None),
    ];

    #[test]
    fn held_out_sentences_match_the_expected_reason() {
        let m = starter_matcher();
        let failures: Vec<String> = HELD_OUT
            .iter()
            .filter_map(|&(text, expected)| {
                let got = m.best(text);
                let ok = got.map(|b| b.reason) == expected.map(reason_named);
                let top = m.suggestions(text, 1).first().map(|t| (label(t.reason), t.score));
                (!ok).then(|| format!("{text:?}: expected {expected:?}, top {top:?}"))
            })
            .collect();
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn paraphrases_match_their_reason_from_labels_alone() {
        let labels_only = matcher(|_, _| false);
        let (own, wrong) = shares(|_, _| labels_only.clone());
        println!("labels only: own {own:.3} wrong {wrong:.3}");
        assert!(own >= 0.85, "own {own}");
        assert!(wrong <= 0.03, "wrong {wrong}");
    }

    #[test]
    fn paraphrases_match_their_reason_leaving_one_out() {
        let (own, wrong) = shares(|r, p| matcher(|r2, p2| (r2, p2) != (r, p)));
        println!("leave one out: own {own:.3} wrong {wrong:.3}");
        assert!(own >= 0.95, "own {own}");
        assert!(wrong <= 0.03, "wrong {wrong}");
    }
}
#[cfg(test)]
mod diag {
    use super::*;
    use crate::vocabulary::STARTER;
    #[test]
    fn diag_scores() {
        let build = |skip: Option<(usize, usize)>, para: bool| {
            let mut m = Matcher::new();
            for (r, reason) in STARTER.iter().enumerate() {
                m.add(ReasonId(r as i64), reason.label);
                for (p, t) in reason.paraphrases.iter().enumerate() {
                    if para && skip != Some((r, p)) { m.add(ReasonId(r as i64), t); }
                }
            }
            m
        };
        let labels = build(None, false);
        let mut right = vec![]; let mut wrong = vec![];
        let mut lright = vec![]; let mut lwrong = vec![];
        for (r, reason) in STARTER.iter().enumerate() {
            for (p, t) in reason.paraphrases.iter().enumerate() {
                let m = build(Some((r, p)), true);
                let s = m.suggestions(t, 2);
                if let Some(top) = s.first() { if top.reason.0 as usize == r { right.push(top.score); if let Some(sec) = s.get(1) { wrong.push(sec.score);} } else { wrong.push(top.score); } }
                let s = labels.suggestions(t, 2);
                if let Some(top) = s.first() { if top.reason.0 as usize == r { lright.push(top.score); if let Some(sec) = s.get(1) { lwrong.push(sec.score);} } else { lwrong.push(top.score); } }
            }
        }
        let full = build(None, true);
        for (t, e) in super::tests::HELD_OUT { let s = full.suggestions(t, 2); println!("{:<55} {:?} -> {:?}", t, e, s.iter().map(|m| (STARTER[m.reason.0 as usize].label, m.score)).collect::<Vec<_>>()); }
        let hist = |v: &Vec<f64>| { let mut h = [0; 10]; for x in v { h[((x * 10.0) as usize).min(9)] += 1; } h };
        println!("LOO right {:?}\nLOO wrong {:?}\nLAB right {:?}\nLAB wrong {:?}", hist(&right), hist(&wrong), hist(&lright), hist(&lwrong));
    }
}
