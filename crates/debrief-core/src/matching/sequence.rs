//! Which starter reason a text means, read in word order: a small
//! bidirectional GRU over the text's words (each word's distilled vector,
//! [`super::semantic::word`], beside an embedding learned for the words of
//! the training texts and the mean of embeddings learned for the word's
//! pieces of three to five letters, so that "disussed" and "discussed",
//! "budgeting" and "budget" read alike), pooled by maximum and mean into the same classes as
//! [`super::learned`]. Where the learned model reads a bag of concepts, this
//! one reads who did what in which clause: "I asked for the close twice,
//! they said the board froze all capex" is about the board.
//!
//! Five such readers, trained alike from different seeds, read each text
//! and their probabilities are averaged: one seed's quirks are not the
//! matcher's.
//!
//! Trained by `data/reasons/tools/train_sequence.py` on the texts the
//! learned model reads (never `train.tsv` or `dev.tsv`, on which the smaller
//! models learn how far to trust both); weights committed in
//! `data/reasons/sequence.bin` and reproduced byte for byte by the script.
//! The file is the readers one after the other, each laid out so, all
//! numbers little-endian:
//!
//! ```text
//! magic  b"DBSQ"
//! u32    version (2)
//! u32    vector dims, embedding dims, hidden units, classes, words, longest text
//! u32    piece dims, piece buckets, pieces read per word
//! u32    bytes of the word list, then the words sorted bytewise, each ending in '\n'
//!        (word i has embedding row i + 2; row 0 is padding, row 1 any other word)
//! f32    embedding (rows × embedding dims), the piece embedding ((buckets + 1)
//!        × piece dims; row 0 is padding), then for each direction (forward,
//!        backward) the input weights (3 hidden × input), the hidden weights
//!        (3 hidden × hidden), both biases (3 hidden each) in PyTorch's gate
//!        order (reset, update, new), then the output weights (classes × 4
//!        hidden) and biases
//! ```
//!
//! A word's pieces are the byte strings of three, then four, then five
//! bytes of `<word>` (UTF-8), in order, the first `pieces read per word` of
//! them; each is hashed by 32-bit FNV-1a and read at row `hash % buckets +
//! 1`. A clause break has none.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::LazyLock;

use super::learned::CLASSES;
use super::lexicon;
use super::semantic::{self, DIMS, dot};
use super::text;

const FILE: &[u8] = include_bytes!("../../data/reasons/sequence.bin");
const MAGIC: &[u8] = b"DBSQ";

/// One direction's weights.
struct Direction {
    input: Vec<f32>,
    hidden: Vec<f32>,
    input_bias: Vec<f32>,
    hidden_bias: Vec<f32>,
}

/// What the readers made of a text.
struct Read {
    /// The words read, in order.
    words: Vec<String>,
    /// The probability of each class, the readers' mean.
    probabilities: [f64; CLASSES],
    /// The share of the readers that put each class first.
    firsts: [f64; CLASSES],
    /// For each reader, and each state its max pooling kept, the position
    /// of the word it came after, and its value.
    kept: Vec<Vec<(usize, f32)>>,
}

/// The reader's weights, read once a process.
struct Reader {
    embedding_dims: usize,
    hidden: usize,
    longest: usize,
    /// The words with a learned embedding, sorted bytewise.
    words: Vec<&'static str>,
    /// Read in place, a row when a word needs it: most rows are never read.
    embedding: &'static [u8],
    piece_dims: usize,
    buckets: usize,
    pieces_per_word: usize,
    /// Read in place as the embedding is.
    pieces: &'static [u8],
    directions: [Direction; 2],
    out: Vec<f32>,
    out_bias: Vec<f32>,
}

/// Reads little-endian numbers off the front of a byte slice.
struct Cursor(&'static [u8]);

impl Cursor {
    fn take(&mut self, n: usize) -> Option<&'static [u8]> {
        let (head, rest) = self.0.split_at_checked(n)?;
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<usize> {
        let b = self.take(4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize)
    }

    fn floats(&mut self, n: usize) -> Option<Vec<f32>> {
        let bytes = self.take(n.checked_mul(4)?)?;
        Some(bytes.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect())
    }
}

impl Reader {
    /// Every reader in the file, or `None` if any part of it is not one.
    fn parse_all(file: &'static [u8]) -> Option<Vec<Reader>> {
        let mut c = Cursor(file);
        let mut readers = Vec::new();
        while !c.0.is_empty() {
            readers.push(Reader::parse(&mut c)?);
        }
        (!readers.is_empty()).then_some(readers)
    }

    /// One reader off the front of the cursor.
    fn parse(c: &mut Cursor) -> Option<Reader> {
        if c.take(MAGIC.len())? != MAGIC || c.u32()? != 2 {
            return None;
        }
        let (vector_dims, embedding_dims, hidden, classes, count, longest) =
            (c.u32()?, c.u32()?, c.u32()?, c.u32()?, c.u32()?, c.u32()?);
        let (piece_dims, buckets, pieces_per_word) = (c.u32()?, c.u32()?, c.u32()?);
        if vector_dims != DIMS || classes != CLASSES || buckets == 0 {
            return None;
        }
        let size = c.u32()?;
        let words: Vec<&'static str> = std::str::from_utf8(c.take(size)?).ok()?.split_terminator('\n').collect();
        if words.len() != count || !words.is_sorted() {
            return None;
        }
        let embedding = c.take((count + 2) * embedding_dims * 4)?;
        let pieces = c.take((buckets + 1) * piece_dims * 4)?;
        let input = DIMS + embedding_dims + piece_dims;
        let mut direction = || {
            Some(Direction {
                input: c.floats(3 * hidden * input)?,
                hidden: c.floats(3 * hidden * hidden)?,
                input_bias: c.floats(3 * hidden)?,
                hidden_bias: c.floats(3 * hidden)?,
            })
        };
        let directions = [direction()?, direction()?];
        let out = c.floats(CLASSES * 4 * hidden)?;
        let out_bias = c.floats(CLASSES)?;
        Some(Reader {
            embedding_dims,
            hidden,
            longest,
            words,
            embedding,
            piece_dims,
            buckets,
            pieces_per_word,
            pieces,
            directions,
            out,
            out_bias,
        })
    }

    /// The input of one word: its distilled vector (zeros if the table
    /// lacks it, or for a clause break), its learned embedding, then the
    /// mean of its pieces' (zeros for a clause break).
    fn input(&self, word: &str) -> Vec<f32> {
        let mut x = semantic::word(word).map_or_else(|| vec![0.0; DIMS], |v| v.to_vec());
        let row = self.words.binary_search(&word).map_or(1, |i| i + 2);
        x.extend(floats_at(self.embedding, row, self.embedding_dims));
        let start = x.len();
        x.resize(start + self.piece_dims, 0.0);
        if word != "|" {
            let bracketed = bracketed(word);
            let mut n = 0;
            for row in piece_rows(&bracketed, self.buckets, self.pieces_per_word) {
                for (m, v) in x[start..].iter_mut().zip(floats_at(self.pieces, row, self.piece_dims)) {
                    *m += v;
                }
                n += 1;
            }
            x[start..].iter_mut().for_each(|m| *m /= n.max(1) as f32);
        }
        x
    }

    /// The hidden state after each word, read in one direction.
    fn run(&self, d: &Direction, inputs: &[Vec<f32>], backward: bool) -> Vec<Vec<f32>> {
        let h_n = self.hidden;
        let mut h = vec![0.0f32; h_n];
        let n = inputs.len();
        let mut states = vec![Vec::new(); n];
        let mut gi = vec![0.0f32; 3 * h_n];
        let mut gh = vec![0.0f32; 3 * h_n];
        for step in 0..n {
            let t = if backward { n - 1 - step } else { step };
            affine(&d.input, &d.input_bias, &inputs[t], &mut gi);
            affine(&d.hidden, &d.hidden_bias, &h, &mut gh);
            for k in 0..h_n {
                let r = sigmoid(gi[k] + gh[k]);
                let z = sigmoid(gi[h_n + k] + gh[h_n + k]);
                let n = (gi[2 * h_n + k] + r * gh[2 * h_n + k]).tanh();
                h[k] = (1.0 - z) * n + z * h[k];
            }
            states[t] = h.clone();
        }
        states
    }

    /// The probabilities of a text's words, and the states max pooling kept.
    fn read(&self, words: &[String]) -> ([f64; CLASSES], Vec<(usize, f32)>) {
        let inputs: Vec<Vec<f32>> = words.iter().map(|w| self.input(w)).collect();
        let forward = self.run(&self.directions[0], &inputs, false);
        let backward = self.run(&self.directions[1], &inputs, true);
        let width = 2 * self.hidden;
        let mut max = vec![(0, f32::NEG_INFINITY); width];
        let mut mean = vec![0.0f32; width];
        for (t, (f, b)) in forward.iter().zip(&backward).enumerate() {
            for (k, x) in f.iter().chain(b).enumerate() {
                if *x > max[k].1 {
                    max[k] = (t, *x);
                }
                mean[k] += x;
            }
        }
        let n = inputs.len() as f32;
        let pooled: Vec<f32> = max.iter().map(|m| m.1).chain(mean.into_iter().map(|m| m / n)).collect();
        let mut logits = vec![0.0f32; CLASSES];
        affine(&self.out, &self.out_bias, &pooled, &mut logits);
        let mut scores = [0.0f64; CLASSES];
        for (s, l) in scores.iter_mut().zip(logits) {
            *s = f64::from(l);
        }
        (crate::learn::softmax(scores), max)
    }

    /// How much each word's states, kept by max pooling, raise `class`
    /// over the other classes, added to `lead`.
    fn lead(&self, kept: &[(usize, f32)], class: usize, lead: &mut [f32]) {
        let width = 4 * self.hidden;
        for (k, (t, x)) in kept.iter().enumerate() {
            let weight = |c: usize| self.out[c * width + k];
            let others = ((0..CLASSES).map(weight).sum::<f32>() - weight(class)) / (CLASSES - 1) as f32;
            lead[*t] += (weight(class) - others) * x;
        }
    }
}

/// Reads a text with every reader.
fn read_all(readers: &[Reader], text: &str) -> Read {
    let mut words = text::sequence(text);
    words.truncate(readers.iter().map(|r| r.longest).min().unwrap_or(0));
    if words.is_empty() {
        words.push("|".to_string());
    }
    let mut probabilities = [0.0f64; CLASSES];
    let mut tops = Vec::with_capacity(readers.len());
    let mut kept = Vec::with_capacity(readers.len());
    for reader in readers {
        let (p, k) = reader.read(&words);
        tops.push(first(&p));
        for (sum, p) in probabilities.iter_mut().zip(p) {
            *sum += p / readers.len() as f64;
        }
        kept.push(k);
    }
    Read { words, probabilities, firsts: shares(&tops), kept }
}

/// The class of the largest probability (the first of equals).
fn first(p: &[f64; CLASSES]) -> usize {
    (0..CLASSES).fold(0, |best, c| if p[c] > p[best] { c } else { best })
}

/// The share of `tops`, the readers' first classes, that is each class.
fn shares(tops: &[usize]) -> [f64; CLASSES] {
    let mut shares = [0.0; CLASSES];
    for top in tops {
        shares[(*top).min(CLASSES - 1)] += 1.0 / tops.len() as f64;
    }
    shares
}

/// The words whose states, kept by max pooling, raise `class` most over
/// the other classes (on the readers' mean), at most `n`, stop words left
/// out: what the readers read the class in.
fn because_of(readers: &[Reader], read: &Read, class: usize, n: usize) -> Vec<String> {
    let words = &read.words;
    let mut lead = vec![0.0f32; words.len()];
    for (reader, kept) in readers.iter().zip(&read.kept) {
        reader.lead(kept, class, &mut lead);
    }
    for l in &mut lead {
        *l /= readers.len() as f32;
    }
    let mut ranked: Vec<(f32, &str)> = words
        .iter()
        .zip(&lead)
        .filter(|(w, l)| **l > LEAD && w.as_str() != "|" && w.as_str() != "num" && !lexicon::is_stop_word(w))
        .map(|(w, l)| (*l, w.as_str()))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    let mut out: Vec<String> = Vec::new();
    for (_, w) in ranked {
        if !out.iter().any(|o| o == w) && out.len() < n {
            out.push(w.to_string());
        }
    }
    out
}

/// How much a word's states must raise a class's score (over the other
/// classes' mean) to be named as what the reader read it in.
const LEAD: f32 = 0.5;

/// Row `row` of a table of `width` little-endian floats.
fn floats_at(table: &[u8], row: usize, width: usize) -> impl Iterator<Item = f32> + '_ {
    table[row * width * 4..(row + 1) * width * 4].chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

/// `<word>`, the bytes a word's pieces are cut from.
fn bracketed(word: &str) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(word.len() + 2);
    bytes.push(b'<');
    bytes.extend_from_slice(word.as_bytes());
    bytes.push(b'>');
    bytes
}

/// The rows of a word's pieces: the byte strings of three, four and five
/// bytes of `<word>` ([`bracketed`]), in that order, at most `most`, each
/// at its FNV-1a hash modulo `buckets`, plus one (row 0 is padding).
fn piece_rows(bracketed: &[u8], buckets: usize, most: usize) -> impl Iterator<Item = usize> + '_ {
    (3..=5).flat_map(|n| bracketed.windows(n)).take(most).map(move |piece| fnv1a(piece) as usize % buckets + 1)
}

/// 32-bit FNV-1a.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5, |h, b| (h ^ u32::from(*b)).wrapping_mul(0x0100_0193))
}

/// `out = weights · x + bias`, the weights by rows.
fn affine(weights: &[f32], bias: &[f32], x: &[f32], out: &mut [f32]) {
    for ((o, row), b) in out.iter_mut().zip(weights.chunks_exact(x.len())).zip(bias) {
        *o = b + dot(row, x);
    }
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

static READERS: LazyLock<Option<Vec<Reader>>> = LazyLock::new(|| Reader::parse_all(FILE));

/// What the readers say of a text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Said {
    /// The probability of each class, the readers' mean.
    pub p: [f64; CLASSES],
    /// The share of the readers that put each class first.
    pub firsts: [f64; CLASSES],
}

/// What the readers say of `text`, or `None` if the weights could not be
/// read (never, for the committed file: a test reads it).
pub(super) fn classify(text: &str) -> Option<Said> {
    read(text).map(|r| Said { p: r.probabilities, firsts: r.firsts })
}

/// The words the reader read `class` in, at most `n`.
pub(super) fn because(text: &str, class: usize, n: usize) -> Vec<String> {
    let (Some(readers), Some(read)) = (READERS.as_ref(), read(text)) else { return Vec::new() };
    because_of(readers, &read, class, n)
}

/// What the reader made of `text`, remembered for the last text a thread
/// read: a judgement asks for the probabilities, then for the words behind
/// its reason.
fn read(text: &str) -> Option<Rc<Read>> {
    thread_local! {
        static LAST: RefCell<Option<(String, Rc<Read>)>> = const { RefCell::new(None) };
    }
    let readers = READERS.as_ref()?;
    LAST.with_borrow_mut(|last| {
        if let Some((_, read)) = last.as_ref().filter(|(seen, _)| seen == text) {
            return Some(Rc::clone(read));
        }
        let read = Rc::new(read_all(readers, text));
        *last = Some((text.to_string(), Rc::clone(&read)));
        Some(read)
    })
}

/// What the readers said of each text they learn from (in the order of
/// `super::train`'s voices) when trained without that text's writers:
/// `data/reasons/sequence-oof.bin`, written by the training script.
#[cfg(test)]
pub(super) fn held_out() -> Vec<Said> {
    let mut c = Cursor(include_bytes!("../../data/reasons/sequence-oof.bin"));
    let header = (c.take(4), c.u32(), c.u32(), c.u32(), c.u32());
    let (Some(b"DBSO"), Some(2), Some(count), Some(CLASSES), Some(readers @ 1..)) = header else {
        panic!("data/reasons/sequence-oof.bin: not what train_sequence.py writes");
    };
    let values = c.take(count * CLASSES * 2).expect("the file holds every text's probabilities");
    let firsts = c.take(count * readers).expect("the file holds every reader's first class of every text");
    values
        .chunks_exact(CLASSES * 2)
        .zip(firsts.chunks_exact(readers))
        .map(|(row, tops)| Said {
            p: std::array::from_fn(|k| f64::from(u16::from_le_bytes([row[2 * k], row[2 * k + 1]])) / 65535.0),
            firsts: shares(&tops.iter().map(|t| usize::from(*t)).collect::<Vec<_>>()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_weights_are_read() {
        assert!(READERS.as_ref().is_some_and(|r| r.len() == 5));
    }

    /// What the training script printed for these texts, to four places:
    /// the reader here computes what PyTorch computed.
    #[test]
    fn it_reads_as_pytorch_did() {
        let expected = include_str!("../../data/reasons/sequence-check.tsv");
        let mut checked = 0;
        for line in expected.lines().filter(|l| !l.starts_with('#')) {
            let (text, rest) = line.split_once('\t').expect("text<TAB>probabilities<TAB>first classes");
            let (probabilities, firsts) = rest.rsplit_once('\t').expect("probabilities<TAB>first classes");
            let said = classify(text).expect("the weights are read");
            let p = said.p;
            for (c, want) in probabilities.split('\t').enumerate() {
                let want: f64 = want.parse().expect("a number");
                assert!((p[c] - want).abs() < 1e-4, "{text:?}, class {c}: {} against {want}", p[c]);
            }
            let mut want = [0.0; CLASSES];
            let firsts: Vec<usize> = firsts.split(',').map(|c| c.parse().expect("a class")).collect();
            for c in &firsts {
                want[*c] += 1.0 / firsts.len() as f64;
            }
            assert_eq!(said.firsts, want, "{text:?}: each reader's first class");
            checked += 1;
        }
        assert!(checked >= 10);
    }

    /// The pieces a word is read by, as the training script cuts them.
    #[test]
    fn pieces_are_cut_and_hashed_as_in_training() {
        assert_eq!(fnv1a(b""), 0x811c_9dc5);
        assert_eq!(fnv1a(b"a"), 0xe40c_292c);
        assert_eq!(fnv1a(b"foobar"), 0xbf9c_f968);
        // "<ok>": two of three bytes, one of four, none of five.
        let rows: Vec<usize> = piece_rows(&bracketed("ok"), 1 << 30, 12).collect();
        let want: Vec<usize> =
            [&b"<ok"[..], b"ok>", b"<ok>"].iter().map(|p| fnv1a(p) as usize % (1 << 30) + 1).collect();
        assert_eq!(rows, want);
        let discussed: Vec<usize> = piece_rows(&bracketed("discussed"), 16384, 12).collect();
        assert_eq!(discussed.len(), 12);
        assert!(discussed.iter().all(|r| (1..=16384).contains(r)));
    }

    #[test]
    fn it_names_the_words_it_read_a_reason_in() {
        let budget = crate::matching::learned::class_of("didn't ask about budget").expect("a starter reason");
        let words = because("never found out how much money they had to spend", budget, 3);
        assert!(words.iter().any(|w| w == "money" || w == "spend"), "{words:?}");
        assert!(words.len() <= 3);
        assert!(because("", budget, 3).is_empty() || because("", budget, 3).iter().all(|w| w != "|"));
    }

    #[test]
    fn odd_input_never_panics() {
        for text in ["", "|", ",,,", "ok", &"word ".repeat(500), "日本語のテキスト", "didn't didn't didn't"] {
            let said = classify(text).expect("the weights are read");
            assert!((said.p.iter().sum::<f64>() - 1.0).abs() < 1e-6);
            assert!((said.firsts.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        }
    }
}
