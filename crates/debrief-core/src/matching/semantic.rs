//! Meaning beyond shared words: static word vectors distilled from a
//! sentence model (see `data/vectors/README.md`), averaged into one vector a
//! text and compared by cosine.

use std::cmp::Ordering;
use std::sync::OnceLock;

use super::lexicon::{self, NOT};

/// The table: words sorted bytewise, each with a vector of [`DIMS`] signed
/// bytes and a scale (see `data/reasons/tools/distill_vectors.py` for the layout).
const FILE: &[u8] = include_bytes!("../../data/vectors/words.bin");
const MAGIC: &[u8] = b"DBWV";

/// The dimensions of a vector.
pub(crate) const DIMS: usize = 64;

/// What a text means: the mean of its words' vectors, of unit length.
pub(crate) type Vector = [f32; DIMS];

/// The table, read in place: nothing is copied.
struct Table {
    count: usize,
    offsets: &'static [u8],
    words: &'static [u8],
    scales: &'static [u8],
    vectors: &'static [u8],
}

impl Table {
    fn parse(file: &'static [u8]) -> Option<Table> {
        let (magic, rest) = file.split_at_checked(MAGIC.len())?;
        let (version, count, dims) = (u32_at(rest, 0)?, u32_at(rest, 1)? as usize, u32_at(rest, 2)? as usize);
        if magic != MAGIC || version != 1 || dims != DIMS {
            return None;
        }
        let (offsets, rest) = rest.get(12..)?.split_at_checked((count + 1) * 4)?;
        let size = u32_at(offsets, count)? as usize;
        let (words, rest) = rest.split_at_checked(size)?;
        let (scales, vectors) = rest.split_at_checked(count * 4)?;
        (vectors.len() == count * DIMS).then_some(Table { count, offsets, words, scales, vectors })
    }

    fn word(&self, i: usize) -> &'static [u8] {
        let at = |i| u32_at(self.offsets, i).map_or(0, |o| o as usize);
        self.words.get(at(i)..at(i + 1)).unwrap_or_default()
    }

    fn find(&self, word: &str) -> Option<usize> {
        let (mut low, mut high) = (0, self.count);
        while low < high {
            let mid = low + (high - low) / 2;
            match self.word(mid).cmp(word.as_bytes()) {
                Ordering::Less => low = mid + 1,
                Ordering::Greater => high = mid,
                Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    /// Adds word `i`'s vector to `sum`.
    fn add_to(&self, i: usize, sum: &mut Vector) {
        let scale = self.scales.get(i * 4..i * 4 + 4).map_or(0.0, |b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]));
        let components = self.vectors.get(i * DIMS..(i + 1) * DIMS).unwrap_or_default();
        for (s, &q) in sum.iter_mut().zip(components) {
            *s += scale * f32::from(i8::from_le_bytes([q]));
        }
    }
}

fn u32_at(bytes: &[u8], i: usize) -> Option<u32> {
    let b = bytes.get(i * 4..i * 4 + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

fn table() -> Option<&'static Table> {
    static TABLE: OnceLock<Option<Table>> = OnceLock::new();
    TABLE.get_or_init(|| Table::parse(FILE)).as_ref()
}

/// Whether a word's vector counts towards a text's: function words and
/// negations say nothing of the topic (polarity is the concepts' business).
fn counts(word: &str) -> bool {
    !lexicon::is_stop_word(word) && lexicon::rewrite(word) != NOT
}

/// The vector of a text's words (after shorthand and contractions), or
/// `None` when the table knows none of them.
pub(crate) fn sentence<'a>(words: impl IntoIterator<Item = &'a str>) -> Option<Vector> {
    let table = table()?;
    let mut sum = [0.0; DIMS];
    let mut known = false;
    for i in words.into_iter().filter_map(|w| row_of(table, w)) {
        table.add_to(i, &mut sum);
        known = true;
    }
    let norm = dot(&sum, &sum).sqrt();
    (known && norm > 0.0).then(|| sum.map(|x| x / norm))
}

/// A word's own vector, of unit length (function words too), for the
/// sequence reader; `None` for a word the table does not hold.
pub(super) fn word(word: &str) -> Option<Vector> {
    let table = table()?;
    let mut v = [0.0; DIMS];
    table.add_to(table.find(word)?, &mut v);
    let norm = dot(&v, &v).sqrt();
    Some(v.map(|x| x / (norm + 1e-6)))
}

/// Words remembered per thread, at most: a server thread reading text for
/// months forgets and starts again.
const REMEMBERED: usize = 50_000;

/// The table row of a word that [`counts`], remembered per thread: the same
/// words come back in every sentence, and a binary search over the table
/// and the stop-word checks cost far more than a hash lookup.
fn row_of(table: &Table, word: &str) -> Option<usize> {
    use std::cell::RefCell;
    use std::collections::HashMap;
    type Seen = HashMap<Box<str>, Option<u32>, std::hash::BuildHasherDefault<crate::learn::Fnv>>;
    thread_local! {
        static SEEN: RefCell<Seen> = RefCell::new(Seen::default());
    }
    SEEN.with_borrow_mut(|seen| {
        if let Some(row) = seen.get(word) {
            return row.map(|r| r as usize);
        }
        let row = if counts(word) { table.find(word) } else { None };
        if seen.len() >= REMEMBERED {
            seen.clear();
        }
        seen.insert(word.into(), row.and_then(|r| u32::try_from(r).ok()));
        row
    })
}

/// The dot product, in eight lanes so that it vectorises (what is left
/// past a multiple of eight added after).
#[inline]
pub(super) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut lanes = [0.0f32; 8];
    let (a8, b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = a8.remainder().iter().zip(b8.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in a8.zip(b8) {
        for k in 0..8 {
            lanes[k] += x[k] * y[k];
        }
    }
    lanes.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::matching::corpus::{DEV, TRAIN, rows};
    use crate::matching::text::Analysis;
    use crate::vocabulary::STARTER;

    /// The words of the texts the table was distilled for: the train and dev
    /// parts of the corpus and the starter vocabulary (never a holdout).
    fn corpus_words() -> String {
        let texts = rows(TRAIN)
            .into_iter()
            .chain(rows(DEV))
            .map(|r| r.text)
            .chain(STARTER.iter().flat_map(|r| std::iter::once(r.label).chain(r.paraphrases.iter().copied())));
        let words: BTreeSet<String> = texts.flat_map(Analysis::words).collect();
        words.into_iter().map(|w| w + "\n").collect()
    }

    #[test]
    fn the_distilled_words_are_those_of_the_corpus() {
        let listed = include_str!("../../data/vectors/corpus-words.txt");
        let words = corpus_words();
        assert!(
            listed == words,
            "data/vectors/corpus-words.txt is out of date: write it anew with\n\
             cargo test -p debrief-core --lib -- --ignored print_corpus_words --nocapture | sed -n 's/^= //p' \
             > crates/debrief-core/data/vectors/corpus-words.txt\n\
             then distill the vectors again (data/vectors/README.md)"
        );
    }

    #[test]
    #[ignore = "prints data/vectors/corpus-words.txt"]
    fn print_corpus_words() {
        for word in corpus_words().lines() {
            println!("= {word}");
        }
    }

    #[test]
    fn the_table_is_read_and_near_words_are_near() {
        let table = table().expect("data/vectors/words.bin reads");
        assert!(table.count > 20_000);
        assert!((1..table.count).all(|i| table.word(i - 1) < table.word(i)), "sorted");
        let v = |text: &str| sentence(text.split(' ')).unwrap();
        let (money, budget, late) = (v("money"), v("budget"), v("late"));
        assert!(dot(&money, &budget) > dot(&money, &late) + 0.2, "{} {}", dot(&money, &budget), dot(&money, &late));
        assert_eq!(sentence(["the", "not", "zzzqx"]), None);
    }
}
