//! From a text to what matching reads: the words as typed (to explain a
//! match), the words after shorthand, contractions and phrases (for the
//! mine-or-theirs judgement), and the concepts with their polarity (for the
//! score).
//!
//! Linear in the text: at most [`MAX_CHARS`] characters are read, each a
//! fixed number of times.

use rust_stemmers::{Algorithm, Stemmer};

use super::lexicon::{self, CF, FLIP, NOT};
use super::semantic::{self, Vector};

/// At most this many characters of a text are read: a reason is a line, and a
/// pasted essay then costs what a long line costs.
pub const MAX_CHARS: usize = 600;

/// A word after shorthand, contractions and phrases, with the typed words it
/// comes from (`from..to` in [`Analysis::surface`]), or a clause break.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Raw {
    Word { word: String, from: usize, to: usize },
    Break,
}

/// A concept with its polarity and the typed words it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Token {
    pub term: String,
    /// The stem it came from, before synonyms: typos are corrected on stems.
    pub stem: String,
    pub negated: bool,
    pub from: usize,
    pub to: usize,
}

/// A text read for matching.
#[derive(Clone, Debug, Default)]
pub(super) struct Analysis {
    /// The text's [`key`].
    pub key: String,
    /// The text as typed (its first [`MAX_CHARS`] characters).
    pub text: String,
    /// The words as typed, lowercased.
    pub surface: Vec<String>,
    pub raw: Vec<Raw>,
    /// Concepts with polarity, without duplicates, in order.
    pub tokens: Vec<Token>,
    /// What the words mean (after shorthand and contractions, before
    /// phrases are joined), if the word vectors know one of them.
    pub vector: Option<Vector>,
}

impl Analysis {
    pub fn new(text: &str) -> Self {
        let (surface, split) = split(text);
        let vector = semantic::sentence(vector_words(&split));
        let raw = join_phrases(split);
        let tokens = polar_tokens(&pieces(&raw));
        Analysis { key: key(text), text: text.chars().take(MAX_CHARS).collect(), surface, raw, tokens, vector }
    }

    /// The words the word vectors are looked up by (for the word list they
    /// were distilled for).
    #[cfg(test)]
    pub fn words(text: &str) -> Vec<String> {
        vector_words(&split(text).1).map(str::to_string).collect()
    }

    /// The typed words `from..to`, joined by spaces.
    pub fn typed(&self, from: usize, to: usize) -> String {
        self.surface.get(from..to).map(|w| w.join(" ")).unwrap_or_default()
    }
}

/// The words of a text in order, after shorthand and contractions, with
/// `|` where punctuation ends a clause: what the sequence reader reads.
pub(super) fn sequence(text: &str) -> Vec<String> {
    split(text)
        .1
        .into_iter()
        .map(|r| match r {
            Raw::Word { word, .. } => word,
            Raw::Break => "|".to_string(),
        })
        .collect()
}

/// The words after shorthand and contractions, before phrases are joined,
/// bare numbers left out.
fn vector_words(split: &[Raw]) -> impl Iterator<Item = &str> {
    split.iter().filter_map(|r| match r {
        Raw::Word { word, .. } if word != "num" => Some(word.as_str()),
        _ => None,
    })
}

/// The normalised key used to de-duplicate texts: lowercase words separated by
/// single spaces, apostrophes dropped, other punctuation as spaces. Not stemmed.
pub fn key(text: &str) -> String {
    let spaced: String =
        text.chars().filter(|c| !is_apostrophe(*c)).map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    spaced.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`')
}

fn ends_clause(c: char) -> bool {
    matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | '(' | ')' | '–' | '—')
}

/// The typed words (lowercase) and the words they stand for, with breaks
/// where punctuation ends a clause.
fn split(text: &str) -> (Vec<String>, Vec<Raw>) {
    let lower: String = text.chars().take(MAX_CHARS).collect::<String>().to_lowercase();
    let lower = lower.replace("w/o", " without ").replace("f/u", " followup ").replace("b/c", " because ");
    let mut surface = Vec::new();
    let mut raw = Vec::new();
    let mut word = String::new();
    let mut previous = ' ';
    let mut chars = lower.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied().unwrap_or(' ');
        if c.is_alphanumeric() || (is_apostrophe(c) && !word.is_empty() && next.is_alphanumeric()) {
            word.push(if is_apostrophe(c) { '\'' } else { c });
        } else {
            finish(&mut word, &mut surface, &mut raw);
            let dash = c == '-' && (previous.is_whitespace() || next.is_whitespace());
            match c {
                '$' | '€' | '£' => push_symbol("money", &mut surface, &mut raw),
                '%' => push_symbol("percent", &mut surface, &mut raw),
                _ if ends_clause(c) || dash => raw.push(Raw::Break),
                _ => {}
            }
        }
        previous = c;
    }
    finish(&mut word, &mut surface, &mut raw);
    (surface, raw)
}

fn push_symbol(word: &str, surface: &mut Vec<String>, raw: &mut Vec<Raw>) {
    // "$$" is one word.
    if surface.last().is_some_and(|w| w == word) && matches!(raw.last(), Some(Raw::Word { .. })) {
        return;
    }
    surface.push(word.to_string());
    let at = surface.len() - 1;
    raw.push(Raw::Word { word: word.to_string(), from: at, to: at + 1 });
}

/// Ends the typed word being read: records it and the words it stands for.
fn finish(word: &mut String, surface: &mut Vec<String>, raw: &mut Vec<Raw>) {
    if word.is_empty() {
        return;
    }
    let typed = std::mem::take(word);
    let at = surface.len();
    for meaning in meanings(&typed) {
        for part in meaning.split(' ').filter(|p| !p.is_empty()) {
            raw.push(Raw::Word { word: part.to_string(), from: at, to: at + 1 });
        }
    }
    surface.push(typed);
}

/// The words a typed word stands for: contractions and shorthand expanded,
/// bare numbers dropped.
fn meanings(typed: &str) -> Vec<String> {
    if typed.chars().all(|c| c.is_ascii_digit()) {
        return vec!["num".to_string()];
    }
    let Some((head, tail)) = typed.rsplit_once('\'') else {
        return vec![lexicon::expand(typed).unwrap_or(typed).to_string()];
    };
    if tail == "t" && head.ends_with('n') {
        let head = match head {
            "can" => "can",
            "won" => "will",
            "ain" => "is",
            _ => head.strip_suffix('n').unwrap_or(head),
        };
        return vec![head.to_string(), NOT.to_string()];
    }
    match (lexicon::contraction(tail), tail) {
        (Some(word), _) => vec![head.to_string(), word.to_string()],
        (None, "s") => vec![head.to_string()],
        (None, _) => vec![format!("{head}{tail}")],
    }
}

/// Joins phrases of two or three words into the words they stand for;
/// articles are dropped first and phrases never span a clause break.
fn join_phrases(raw: Vec<Raw>) -> Vec<Raw> {
    let words: Vec<Raw> =
        raw.into_iter().filter(|r| !matches!(r, Raw::Word { word, .. } if lexicon::is_skipped(word))).collect();
    let text = |i: usize| match words.get(i) {
        Some(Raw::Word { word, .. }) => word.as_str(),
        _ => "",
    };
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while let Some(current) = words.get(i) {
        let Raw::Word { from, .. } = current else {
            out.push(Raw::Break);
            i += 1;
            continue;
        };
        let Some((joined, taken)) = lexicon::phrase(text(i), text(i + 1), text(i + 2)) else {
            out.push(current.clone());
            i += 1;
            continue;
        };
        let to = match words.get(i + taken - 1) {
            Some(Raw::Word { to, .. }) => *to,
            _ => from + 1,
        };
        for part in joined.split(' ').filter(|p| !p.is_empty()) {
            out.push(Raw::Word { word: part.to_string(), from: *from, to });
        }
        i += taken;
    }
    out
}

/// A normalised word read in order.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Word { term: String, stem: String, flip: bool, from: usize, to: usize },
    Not,
    Counterfactual,
    Break,
}

/// The words as concepts, negations, counterfactuals and clause breaks.
fn pieces(raw: &[Raw]) -> Vec<Piece> {
    let stemmer = Stemmer::create(Algorithm::English);
    let mut out = Vec::new();
    // Whether the word just before was a content word: "features not benefits"
    // contrasts two things, so the negation starts a clause of its own.
    let mut after_content = false;
    for item in raw {
        let Raw::Word { word, from, to } = item else {
            out.push(Piece::Break);
            after_content = false;
            continue;
        };
        for part in lexicon::rewrite(word).split(' ') {
            let was_content = std::mem::take(&mut after_content);
            if part == "," || lexicon::is_conjunction(part) {
                out.push(Piece::Break);
            } else if part == NOT {
                if was_content {
                    out.push(Piece::Break);
                }
                out.push(Piece::Not);
            } else if part == CF {
                out.push(Piece::Counterfactual);
            } else if !part.is_empty() && !lexicon::is_stop_word(part) {
                let (flip, bare) = match part.strip_prefix(FLIP) {
                    Some(bare) => (true, bare),
                    None => (false, part),
                };
                let stem = stemmer.stem(bare);
                let term = lexicon::concept(&stem);
                if !lexicon::is_setting(term) {
                    let term = term.to_string();
                    out.push(Piece::Word { term, stem: stem.to_string(), flip, from: *from, to: *to });
                    after_content = true;
                }
            }
        }
    }
    out
}

/// Each concept with its polarity: negated when its clause holds a negation
/// ("the demo wasn't tailored" negates "demo" too), unless a counterfactual
/// turns it back ("should not have discounted"); a flipped word ("on time")
/// means the opposite of its concept.
fn polar_tokens(pieces: &[Piece]) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    for clause in pieces.split(|p| matches!(p, Piece::Break)) {
        let not = clause.iter().any(|p| matches!(p, Piece::Not));
        let counterfactual = clause.iter().any(|p| matches!(p, Piece::Counterfactual));
        for piece in clause {
            if let Piece::Word { term, stem, flip, from, to } = piece {
                let negated = not ^ counterfactual ^ flip;
                if !out.iter().any(|t| t.term == *term && t.negated == negated) {
                    out.push(Token { term: term.clone(), stem: stem.clone(), negated, from: *from, to: *to });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn concepts(text: &str) -> Vec<String> {
        Analysis::new(text).tokens.iter().map(|t| format!("{}{}", if t.negated { "-" } else { "" }, t.term)).collect()
    }

    #[test]
    fn keys_ignore_case_punctuation_and_spacing() {
        let cases = [
            ("Didn't ask about budget!", "didnt ask about budget"),
            ("didn't ask about  budget", "didnt ask about budget"),
            ("  Didn’t ask\tabout budget. ", "didnt ask about budget"),
            ("follow-up: none", "follow up none"),
            ("prepare / research", "prepare research"),
            ("!!!", ""),
        ];
        for (text, expected) in cases {
            assert_eq!(key(text), expected, "{text:?}");
        }
    }

    #[test]
    fn concepts_carry_negations_phrases_and_synonyms() {
        let cases: &[(&str, &[&str])] = &[
            ("Didn't ask about budget!", &["-ask", "-budget"]),
            ("didnt ask what they can spend", &["-ask", "-budget"]),
            ("didnt ask abt $$", &["-ask", "-budget"]),
            ("Never followed-up", &["-followup"]),
            ("no f/u sent", &["-followup", "-send"]),
            ("forgot to confirm the appointment", &["-confirm"]),
            ("the price, the cost, the pricing", &["price"]),
            ("talked over the customer", &["interrupt"]),
            ("missed the economic buyer", &["-decisionmak"]),
            ("no idea who the dm was", &["-idea", "-decisionmak"]),
            ("no clear next steps", &["-clear", "-nextstep"]),
            ("misunderstood their pain", &["-understand", "-need"]),
            ("wish I'd asked for the order", &["-ask", "-close"]),
            ("should have asked more questions", &["-ask", "-question"]),
            ("shouldn't have discounted so early", &["discount", "earli"]),
            ("wasn't on time", &["late"]),
            ("asked about budget", &["ask", "budget"]),
            ("talked too much, didn't listen", &["talk", "-listen"]),
            ("talked about features not benefits", &["talk", "featur", "-benefit"]),
            ("the demo wasn't tailored", &["-demo", "-tailor"]),
            ("features instead of benefits", &["featur", "-benefit"]),
            ("the the a an", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(concepts(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn explanations_name_the_typed_words() {
        let a = Analysis::new("Never found out who the DM was");
        let words: Vec<String> = a.tokens.iter().map(|t| a.typed(t.from, t.to)).collect();
        assert_eq!(words, ["found out", "dm"]);
    }

    #[test]
    fn long_texts_are_cut_and_odd_input_never_panics() {
        let long = "didn't ask about budget ".repeat(1000);
        assert!(Analysis::new(&long).surface.len() <= MAX_CHARS / 2);
        for odd in ["", "'", "''t", "n't", "'s", "$", "$$ $", "- - -", "é'ç", "a\u{0}b", "🙂 late 🙂", "ǅ'T"] {
            let _ = Analysis::new(odd);
        }
    }
}
