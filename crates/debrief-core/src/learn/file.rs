//! The weights files of the learned models, and the table the build makes
//! of each (`build.rs` includes this file, so that the build and the program
//! read a file the same way).
//!
//! A weights file is `input<TAB>w1<TAB>…<TAB>wK` lines, `#` lines being
//! comments; the dense inputs are named `meaning:0` … `meaning:63`. The
//! table holds the same weights ready to use: a hash index of the named
//! inputs by key, their rows, then the dense rows, little-endian:
//!
//! | bytes | what |
//! | --- | --- |
//! | 16 | `K`, the number of index slots (a power of two), of rows, of dense rows (`u32` each) |
//! | 12 × slots | the key (`u64`, [`key_of`] the name) and row (`u32`, `u32::MAX` when empty) of each slot; linear probing from `key & (slots - 1)` |
//! | 4 × K × rows | the rows, `f32` |
//! | 4 × K × dense rows | the dense rows, `f32`, by index |

/// The prefix of the dense inputs (`meaning:0` … `meaning:63`), read from an
/// array, not by name.
pub const DENSE: &str = "meaning:";

/// FNV-1a, 64 bits: feature names are short and the keys never leave the
/// process (also the hasher of maps keyed by short words).
pub struct Fnv(pub u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.bytes(bytes);
    }
}

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    pub fn bytes(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The key of a whole name (as `Feature::key` computes it from pieces).
#[cfg_attr(not(test), allow(dead_code, reason = "used by the build script and the tests"))]
pub fn key_of(name: &str) -> u64 {
    let mut h = Fnv::default();
    h.bytes(name.as_bytes());
    h.0
}

/// The index of a dense input's name (`meaning:3`).
#[cfg_attr(not(test), allow(dead_code, reason = "used by the build script and the tests"))]
pub fn dense_index(name: &str) -> Option<usize> {
    name.strip_prefix(DENSE).and_then(|i| i.parse::<usize>().ok())
}

/// The data lines of a weights file: the name and the rest of the line.
#[cfg_attr(not(test), allow(dead_code, reason = "used by the build script and the tests"))]
pub fn lines(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).filter_map(|line| line.split_once('\t'))
}

/// `K` weights separated by tabs.
#[cfg_attr(not(test), allow(dead_code, reason = "used by the build script and the tests"))]
pub fn cells<const K: usize>(mut rest: &str) -> Option<[f32; K]> {
    let mut w = [0.0f32; K];
    for (i, slot) in w.iter_mut().enumerate() {
        let (cell, tail) = match rest.find('\t') {
            Some(at) if i + 1 < K => (&rest[..at], &rest[at + 1..]),
            Some(_) => return None,
            None => (rest, ""),
        };
        *slot = weight(cell)?;
        rest = tail;
    }
    Some(w)
}

/// A weight as the files write it: thousandths (`-0.125`, `2`, `0.03`) are
/// read as an integer divided by 1,000, which rounds to the same `f32` as
/// parsing the decimal (both are the nearest to it) in a fraction of the
/// time; anything else is parsed.
#[cfg_attr(not(test), allow(dead_code, reason = "used by the build script and the tests"))]
pub fn weight(text: &str) -> Option<f32> {
    let bytes = text.as_bytes();
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    let mut thousandths: i32 = 0;
    let mut whole = 0;
    let mut fraction: Option<usize> = None;
    for &b in digits {
        match (b, fraction.as_mut()) {
            (b'0'..=b'9', None) if whole < 4 => whole += 1,
            (b'0'..=b'9', Some(n)) if *n < 3 => *n += 1,
            (b'.', None) if whole > 0 => {
                fraction = Some(0);
                continue;
            }
            _ => return text.parse().ok(),
        }
        thousandths = thousandths * 10 + i32::from(b - b'0');
    }
    if whole == 0 || fraction == Some(0) {
        return text.parse().ok();
    }
    thousandths *= [1000, 100, 10, 1][fraction.unwrap_or(0)];
    let value = thousandths as f32 / 1000.0;
    Some(if negative { -value } else { value })
}

const HEAD: usize = 16;
const SLOT: usize = 12;
const EMPTY: u32 = u32::MAX;

/// The table of a weights file whose rows have `K` weights: every row that
/// reads, as the program's map would hold it (a later row of the same key
/// replaces an earlier one).
#[cfg_attr(not(test), allow(dead_code, reason = "used by the build script and the tests"))]
pub fn compile<const K: usize>(text: &str) -> Vec<u8> {
    let mut rows: Vec<(u64, [f32; K])> = Vec::new();
    let mut at: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    let mut dense: Vec<[f32; K]> = Vec::new();
    for (name, rest) in lines(text) {
        let Some(w) = cells::<K>(rest) else { continue };
        match dense_index(name) {
            Some(i) => {
                if dense.len() <= i {
                    dense.resize(i + 1, [0.0; K]);
                }
                dense[i] = w;
            }
            None => {
                let key = key_of(name);
                match at.get(&key) {
                    Some(&r) => rows[r].1 = w,
                    None => {
                        at.insert(key, rows.len());
                        rows.push((key, w));
                    }
                }
            }
        }
    }
    // At most half full, so that a lookup that finds nothing stops soon.
    let slots = (rows.len() * 2).next_power_of_two().max(2);
    let mut index = vec![(0u64, EMPTY); slots];
    for (r, (key, _)) in rows.iter().enumerate() {
        let mut i = slot_of(*key, slots);
        while index[i].1 != EMPTY {
            i = (i + 1) & (slots - 1);
        }
        index[i] = (*key, u32::try_from(r).expect("fewer than 2^32 rows"));
    }
    let mut out = Vec::with_capacity(HEAD + SLOT * slots + 4 * K * (rows.len() + dense.len()));
    for n in [K, slots, rows.len(), dense.len()] {
        out.extend_from_slice(&u32::try_from(n).expect("a small table").to_le_bytes());
    }
    for (key, row) in index {
        out.extend_from_slice(&key.to_le_bytes());
        out.extend_from_slice(&row.to_le_bytes());
    }
    for w in rows.iter().map(|(_, w)| w).chain(&dense) {
        for x in w {
            out.extend_from_slice(&x.to_le_bytes());
        }
    }
    out
}

fn slot_of(key: u64, slots: usize) -> usize {
    (key as usize) & (slots - 1)
}

/// A table made by [`compile`], read in place.
#[derive(Clone, Copy, Debug)]
pub struct Table<const K: usize> {
    bytes: &'static [u8],
    slots: usize,
    rows_at: usize,
    dense_at: usize,
    dense: usize,
}

impl<const K: usize> Table<K> {
    /// The table in `bytes`; `None` if they are not one of `K` weights a row.
    pub fn new(bytes: &'static [u8]) -> Option<Table<K>> {
        let head = |i: usize| -> Option<usize> {
            let b = bytes.get(4 * i..4 * i + 4)?;
            usize::try_from(u32::from_le_bytes(b.try_into().ok()?)).ok()
        };
        let (k, slots, rows, dense) = (head(0)?, head(1)?, head(2)?, head(3)?);
        let rows_at = HEAD + SLOT * slots;
        let dense_at = rows_at + 4 * K * rows;
        let whole = k == K && slots.is_power_of_two() && bytes.len() == dense_at + 4 * K * dense;
        whole.then_some(Table { bytes, slots, rows_at, dense_at, dense })
    }

    /// The weights of the input of `key`.
    pub fn get(&self, key: u64) -> Option<[f32; K]> {
        let mut i = slot_of(key, self.slots);
        for _ in 0..self.slots {
            let at = HEAD + SLOT * i;
            let slot = self.bytes.get(at..at + SLOT)?;
            let row = u32::from_le_bytes(slot[8..].try_into().ok()?);
            if row == EMPTY {
                return None;
            }
            if u64::from_le_bytes(slot[..8].try_into().ok()?) == key {
                return self.row(self.rows_at, usize::try_from(row).ok()?);
            }
            i = (i + 1) & (self.slots - 1);
        }
        None
    }

    /// The dense rows, by index.
    pub fn dense(&self) -> Vec<[f32; K]> {
        (0..self.dense).filter_map(|i| self.row(self.dense_at, i)).collect()
    }

    fn row(&self, from: usize, i: usize) -> Option<[f32; K]> {
        let at = from + 4 * K * i;
        let bytes = self.bytes.get(at..at + 4 * K)?;
        let mut w = [0.0f32; K];
        for (x, b) in w.iter_mut().zip(bytes.chunks_exact(4)) {
            *x = f32::from_le_bytes(b.try_into().ok()?);
        }
        Some(w)
    }
}
