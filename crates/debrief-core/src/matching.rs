//! Reason matching: turns a free-text reason into normalised tokens and scores
//! it against every text already written for each canonical reason.
//!
//! Pipeline: lowercase, expand contractions, rewrite negations to one `not`
//! token, join sales phrases ("follow up", "decision maker"), drop stop words
//! (never negations), stem, map synonyms. Scoring is an IDF-weighted Tversky
//! overlap that forgives extra words in the new text more than missing ones,
//! corrects typos against the matcher's own words, and strongly penalises a
//! negation on one side only ("asked about budget" is not "didn't ask about
//! budget").

use std::collections::{HashMap, HashSet};

use rust_stemmers::{Algorithm, Stemmer};

use crate::model::ReasonId;

/// Score from which a text is matched to a reason without asking.
pub const THRESHOLD: f64 = 0.6;
/// Score from which a reason is offered as a suggestion.
pub const SUGGEST: f64 = 0.35;

/// The one token every negation becomes.
const NOT: &str = "not";
/// Weight of words only the new text has: context the rep added.
const QUERY_EXTRA: f64 = 0.3;
/// Weight of words only the stored text has: part of the reason is missing.
const STORED_EXTRA: f64 = 0.7;
/// Factor applied when exactly one side is negated.
const NEGATION_MISMATCH: f64 = 0.25;

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
    let stemmer = Stemmer::create(Algorithm::English);
    let mut out: Vec<String> = Vec::new();
    for word in join_phrases(words(text)) {
        if is_stop_word(&word) {
            continue;
        }
        let token = synonym(&stemmer.stem(&word)).to_string();
        if !out.contains(&token) {
            out.push(token);
        }
    }
    out
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`')
}

/// Lowercase words with contractions expanded and single words rewritten.
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
    expanded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .flat_map(|w| rewrite(w).split(' '))
        .map(str::to_string)
        .collect()
}

/// Rewrites one word before stemming: negations (also contractions typed
/// without an apostrophe) become `not`; a few words carry a negation inside.
fn rewrite(word: &str) -> &str {
    match word {
        "no" | "never" | "without" | "nobody" | "none" | "nor" | "cannot" | "instead"
        | "rather" | "barely" | "hardly" | "forgot" | "forget" | "forgotten" | "forgetting"
        | "fail" | "failed" | "failing" | "missed" | "lack" | "lacked" | "lacking"
        | "neglected" | "skipped" | "skip" => NOT,
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
                out.push(joined.to_string());
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
        "poor" | "bad" | "weak" | "fumbl" => "weak",
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
        "end" => "side",
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
        "benchmark" | "comparison" => "compar",
        "focus" => "prioriti",
        "shift" | "move" => "chang",
        "came" | "come" => "showup",
        "valu" => "benefit",
        _ => stem,
    }
}

/// English function words that carry no reason. Negations are deliberately
/// absent: they decide what a reason means. Sorted for binary search.
const STOP_WORDS: &[&str] = &[
    "a", "about", "above", "actually", "after", "again", "against", "all", "also", "am", "an",
    "and", "any", "anything", "are", "as", "at", "basically", "be", "because", "been", "before",
    "being", "below", "between", "bit", "both", "but", "by", "can", "could", "d", "did", "do",
    "does", "doing", "down", "during", "each", "enough", "even", "everything", "few", "for",
    "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself",
    "him", "himself", "his", "how", "i", "if", "im", "in", "into", "is", "it", "its", "itself",
    "just", "kind", "ll", "lot", "m", "many", "me", "might", "more", "most", "much", "must", "my",
    "myself", "now", "of", "off", "on", "once", "only", "or", "other", "our", "ours",
    "ourselves", "out", "over", "own", "quite", "re", "real", "really", "s", "said", "same",
    "say", "says", "she", "should", "so", "some", "something", "such", "t", "than", "that",
    "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "thing",
    "things", "this", "those", "through", "to", "too", "under", "until", "up", "us", "ve",
    "very", "was", "way", "we", "were", "what", "when", "where", "which", "while", "who", "whom",
    "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves",
];

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

/// One stored text, tokenised once at `add`.
#[derive(Clone, Debug)]
struct Entry {
    reason: ReasonId,
    key: String,
    tokens: Vec<u32>,
    negated: bool,
}

/// A text being matched, with its tokens resolved against the matcher.
struct Query {
    key: String,
    known: Vec<u32>,
    unknown: usize,
    negated: bool,
}

/// Matches free text to canonical reasons, learning from every text added.
#[derive(Clone, Debug, Default)]
pub struct Matcher {
    ids: HashMap<String, u32>,
    words: Vec<Vec<char>>,
    doc_freq: Vec<u32>,
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
        let words = tokens(text);
        let negated = words.iter().any(|w| w == NOT);
        let tokens = words.into_iter().map(|w| self.intern(w)).collect::<Vec<_>>();
        for &t in &tokens {
            self.doc_freq[t as usize] += 1;
        }
        self.entries.push(Entry { reason, key, tokens, negated });
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

    fn intern(&mut self, token: String) -> u32 {
        if let Some(&id) = self.ids.get(&token) {
            return id;
        }
        let id = u32::try_from(self.words.len()).expect("fewer than 2^32 distinct words");
        self.words.push(token.chars().collect());
        self.doc_freq.push(0);
        self.ids.insert(token, id);
        id
    }

    fn reason_scores(&self, text: &str) -> HashMap<ReasonId, f64> {
        let query = self.query(text);
        let idf = self.idf();
        let query_weight = query.known.iter().map(|&t| idf[t as usize]).sum::<f64>()
            + query.unknown as f64 * self.unknown_idf();
        let mut best: HashMap<ReasonId, f64> = HashMap::new();
        for entry in &self.entries {
            let score = score(&query, query_weight, entry, &idf);
            let slot = best.entry(entry.reason).or_insert(0.0);
            *slot = slot.max(score);
        }
        best
    }

    fn query(&self, text: &str) -> Query {
        let words = tokens(text);
        let negated = words.iter().any(|w| w == NOT);
        let mut known = Vec::with_capacity(words.len());
        let mut unknown = 0;
        for word in &words {
            match self.ids.get(word).copied().or_else(|| self.correct(word)) {
                Some(id) if !known.contains(&id) => known.push(id),
                Some(_) => {}
                None => unknown += 1,
            }
        }
        Query { key: key(text), known, unknown, negated }
    }

    /// The known word closest to a misspelt one, preferring the more common.
    fn correct(&self, word: &str) -> Option<u32> {
        let chars: Vec<char> = word.chars().collect();
        let allowed = allowed_typos(chars.len());
        if allowed == 0 {
            return None;
        }
        let candidates = self.words.iter().enumerate().filter(|(_, w)| {
            w.len() >= 4 && w.len().abs_diff(chars.len()) <= allowed
        });
        candidates
            .map(|(id, w)| (edit_distance(&chars, w), id))
            .filter(|&(distance, _)| distance <= allowed)
            .min_by_key(|&(distance, id)| (distance, std::cmp::Reverse(self.doc_freq[id])))
            .map(|(_, id)| id as u32)
    }

    /// Inverse document frequency of every known word: rare words weigh more.
    fn idf(&self) -> Vec<f64> {
        let n = self.entries.len() as f64;
        self.doc_freq.iter().map(|&df| (1.0 + n / f64::from(df.max(1))).ln()).collect()
    }

    /// Words no stored text uses weigh like the rarest known word.
    fn unknown_idf(&self) -> f64 {
        (1.0 + self.entries.len() as f64).ln()
    }
}

/// Tversky overlap weighted by IDF, with the negation penalty; 1.0 for the
/// same key.
fn score(query: &Query, query_weight: f64, entry: &Entry, idf: &[f64]) -> f64 {
    if query.key == entry.key {
        return 1.0;
    }
    let weight = |t: &u32| idf[*t as usize];
    let shared: f64 = entry.tokens.iter().filter(|t| query.known.contains(t)).map(weight).sum();
    if shared == 0.0 {
        return 0.0;
    }
    let stored: f64 = entry.tokens.iter().map(weight).sum();
    let overlap =
        shared / (shared + QUERY_EXTRA * (query_weight - shared) + STORED_EXTRA * (stored - shared));
    if query.negated == entry.negated {
        overlap
    } else {
        overlap * NEGATION_MISMATCH
    }
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
