//! Phrase lexicons compiled once: cue phrases matched against word tokens,
//! with per-word alternatives ("help|helps you|your"), used by the sentence
//! classifier and the message and transcript rules.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: lexicon keys are short words, for which SipHash's setup costs
/// more than the lookup; the keys are our own, so flooding is no concern.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h = (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A compiled set of weighted phrases, indexed by their first word.
#[derive(Debug, Default)]
pub struct Lexicon {
    by_first: HashMap<String, Vec<Phrase>, BuildHasherDefault<Fnv>>,
}

#[derive(Debug)]
struct Phrase {
    rest: Vec<Vec<String>>,
    weight: i32,
}

/// A phrase found in a token list: where it starts, how many tokens, its weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub start: usize,
    pub len: usize,
    pub weight: i32,
}

impl Lexicon {
    /// Compiles `(phrases, weight)` pairs. `,` separates whole phrases; the
    /// words of a phrase are separated by spaces; `|` separates alternatives
    /// for one word: `"so you|your, that way"`.
    pub fn new(entries: &[(&str, i32)]) -> Self {
        let mut lex = Lexicon::default();
        for &(phrases, weight) in entries {
            for phrase in phrases.split(',') {
                lex.add(phrase, weight);
            }
        }
        lex
    }

    fn add(&mut self, phrase: &str, weight: i32) {
        let lex = self;
        {
            let mut words = phrase.split_whitespace().map(|w| w.split('|').map(str::to_owned).collect::<Vec<_>>());
            let Some(first) = words.next() else { return };
            let rest: Vec<Vec<String>> = words.collect();
            for alt in first {
                let phrases = lex.by_first.entry(alt).or_default();
                phrases.push(Phrase { rest: rest.clone(), weight });
            }
        }
    }

    /// Phrase occurrences in `words`, left to right, longest first, not
    /// overlapping.
    pub fn hits<S: AsRef<str>>(&self, words: &[S]) -> Vec<Hit> {
        let mut out = Vec::new();
        let mut start = 0;
        while start < words.len() {
            match self.longest_at(words, start) {
                Some(hit) => {
                    start += hit.len;
                    out.push(hit);
                }
                None => start += 1,
            }
        }
        out
    }

    /// The sum of the weights of every hit.
    pub fn score<S: AsRef<str>>(&self, words: &[S]) -> i32 {
        self.hits(words).iter().map(|h| h.weight).sum()
    }

    /// The weights (0–63) of every phrase that occurs anywhere in `words`,
    /// overlaps allowed, as bits: one scan for a lexicon whose weights name
    /// kinds, the same answer as asking each kind's lexicon [`Lexicon::any`].
    pub fn weights_found<S: AsRef<str>>(&self, words: &[S]) -> u64 {
        let mut bits = 0u64;
        for start in 0..words.len() {
            let Some(phrases) = self.by_first.get(words[start].as_ref()) else { continue };
            for p in phrases.iter().filter(|p| matches_rest(&p.rest, &words[start + 1..])) {
                bits |= 1u64.checked_shl(u32::try_from(p.weight).unwrap_or(u32::MAX)).unwrap_or(0);
            }
        }
        bits
    }

    /// Whether any phrase occurs in `words`.
    pub fn any<S: AsRef<str>>(&self, words: &[S]) -> bool {
        (0..words.len()).any(|i| self.longest_at(words, i).is_some())
    }

    fn longest_at<S: AsRef<str>>(&self, words: &[S], start: usize) -> Option<Hit> {
        let phrases = self.by_first.get(words[start].as_ref())?;
        phrases
            .iter()
            .filter(|p| matches_rest(&p.rest, &words[start + 1..]))
            .map(|p| Hit { start, len: p.rest.len() + 1, weight: p.weight })
            .max_by_key(|h| (h.len, h.weight))
    }
}

fn matches_rest<S: AsRef<str>>(rest: &[Vec<String>], words: &[S]) -> bool {
    rest.len() <= words.len() && rest.iter().zip(words).all(|(alts, w)| alts.iter().any(|a| a == w.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_longest_phrase_with_alternatives() {
        let lex = Lexicon::new(&[("help|helps you|your", 2), ("help", 1), ("so you can, so that", 3), ("you can", 5)]);
        let words = ["it", "helps", "your", "team", "so", "you", "can", "help"];
        let hits = lex.hits(&words);
        assert_eq!(
            hits,
            [
                Hit { start: 1, len: 2, weight: 2 },
                Hit { start: 4, len: 3, weight: 3 },
                Hit { start: 7, len: 1, weight: 1 },
            ]
        );
        assert_eq!(lex.score(&words), 6);
        assert!(!lex.any(&["nothing", "here"]));
        assert_eq!(lex.weights_found(&words), (1 << 1) | (1 << 2) | (1 << 3) | (1 << 5));
    }
}
