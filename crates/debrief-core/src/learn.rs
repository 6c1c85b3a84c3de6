//! Small linear models learned from labeled text, shared by the judgments
//! that read words (the benefit / feature / neither model, the apology
//! model): softmax regression over named inputs (words, pairs of words,
//! hand-rule scores, shape cues, closeness in meaning), weights committed as
//! a text file of which the build makes a table ([`Model::compiled`], read in
//! place), every verdict explained by the words that weighed most for it.
//!
//! Training ([`fit`], tests only) is full batch, AdaGrad from zero, L2 on
//! every weight but the bias, a fixed number of steps, rows and inputs in a
//! fixed order and `libm`'s `exp`: the same weights on every machine,
//! rounded to three decimals. Inputs seen in fewer than [`Fit::min_count`]
//! training rows are left out.

#[cfg(test)]
use std::collections::HashMap;

mod file;

use file::Table;
#[cfg(test)]
pub(crate) use file::compile;
pub(crate) use file::{DENSE, Fnv};
#[cfg(test)]
use file::{cells, dense_index, key_of, lines};

/// One input of a model: its name and value. Word inputs are named `w:word`,
/// pairs `b:word word`; the bias is `bias`.
pub type Input = (String, f32);

/// Reads `input<TAB>w1<TAB>…<TAB>wK` lines; `#` lines are comments. A line
/// that does not read is skipped (each model's tests check that none is).
/// Training and the tests read the files by name; the program reads the
/// table the build makes of them ([`Model::compiled`]).
#[cfg(test)]
pub fn parse<const K: usize>(text: &str) -> HashMap<&str, [f32; K]> {
    rows(text).collect()
}

/// The rows of a weights file: `name` and its `K` weights, comments and
/// blank lines skipped.
#[cfg(test)]
fn rows<const K: usize>(text: &str) -> impl Iterator<Item = (&str, [f32; K])> {
    lines(text).filter_map(|(name, rest)| Some((name, cells::<K>(rest)?)))
}

/// One named input, as pieces of its name (`w:` + a word, `b:` + two words
/// with a space, `bias`…), so that a model can find its weight by a hash of
/// the name without writing the name out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Feature<'t> {
    pub prefix: &'static str,
    pub a: &'t str,
    pub b: Option<&'t str>,
}

impl<'t> Feature<'t> {
    /// An input whose whole name is `name` (`bias`, `shape:question`).
    pub const fn named(name: &'static str) -> Feature<'t> {
        Feature { prefix: name, a: "", b: None }
    }

    /// `prefix` followed by `a` (`w:` + a word, `rule:` + a kind).
    pub const fn of(prefix: &'static str, a: &'t str) -> Feature<'t> {
        Feature { prefix, a, b: None }
    }

    /// A pair of words: `b:a b`.
    pub const fn pair(a: &'t str, b: &'t str) -> Feature<'t> {
        Feature { prefix: "b:", a, b: Some(b) }
    }

    /// The name as the weights file writes it.
    pub fn name(&self) -> String {
        match self.b {
            Some(b) => format!("{}{} {b}", self.prefix, self.a),
            None => format!("{}{}", self.prefix, self.a),
        }
    }

    /// The hash of [`Feature::name`], computed from the pieces.
    pub fn key(&self) -> u64 {
        let mut h = Fnv::default();
        h.bytes(self.prefix.as_bytes());
        h.bytes(self.a.as_bytes());
        if let Some(b) = self.b {
            h.bytes(b" ");
            h.bytes(b.as_bytes());
        }
        h.0
    }

    /// The words of a word or pair input, for an explanation.
    fn words(&self) -> Option<String> {
        match (self.prefix, self.b) {
            ("w:", None) => Some(self.a.to_string()),
            ("b:", Some(b)) => Some(format!("{} {b}", self.a)),
            _ => None,
        }
    }
}

/// What a model reads of one text: its named inputs (each once) and its
/// dense inputs (closeness in meaning).
#[derive(Clone, Debug, Default)]
pub struct Inputs<'t> {
    /// Each named input with its key ([`Feature::key`]) and value.
    pub named: Vec<(Feature<'t>, u64, f32)>,
    pub dense: Option<[f32; 64]>,
}

impl<'t> Inputs<'t> {
    pub fn push(&mut self, feature: Feature<'t>, value: f32) {
        self.named.push((feature, feature.key(), value));
    }

    /// Adds `features` with the value 1, each once.
    pub fn push_once(&mut self, features: impl IntoIterator<Item = Feature<'t>>) {
        let mut keyed: Vec<(Feature<'t>, u64, f32)> = features.into_iter().map(|f| (f, f.key(), 1.0)).collect();
        keyed.sort_unstable_by_key(|(_, k, _)| *k);
        keyed.dedup_by_key(|(_, k, _)| *k);
        self.named.extend(keyed);
    }

    /// Every input by name, the dense ones as `meaning:i` (for training and
    /// its figures): the inputs as given, but words and pairs in the order
    /// of their names.
    pub fn by_name(&self) -> Vec<Input> {
        let is_word = |f: &Feature<'_>| f.prefix == "w:" || f.prefix == "b:";
        let mut out: Vec<Input> =
            self.named.iter().filter(|(f, _, _)| !is_word(f)).map(|(f, _, v)| (f.name(), *v)).collect();
        let mut words: Vec<Input> =
            self.named.iter().filter(|(f, _, _)| is_word(f)).map(|(f, _, v)| (f.name(), *v)).collect();
        words.sort_by(|a, b| a.0.cmp(&b.0));
        out.extend(words);
        if let Some(d) = &self.dense {
            out.extend(d.iter().enumerate().map(|(i, x)| (format!("{DENSE}{i}"), *x)));
        }
        out
    }
}

/// A model ready to score, in the table the build made of its weights file
/// ([`compile`]), read in place: the named inputs' weights by key, the dense
/// inputs' by index.
pub struct Model<const K: usize> {
    table: Table<K>,
    dense: Vec<[f32; K]>,
}

impl<const K: usize> Model<K> {
    /// The model in `table`; `None` if it is not a table of `K` classes.
    pub fn compiled(table: &'static [u8]) -> Option<Model<K>> {
        let table = Table::<K>::new(table)?;
        Some(Model { dense: table.dense(), table })
    }

    /// The weights of a named input.
    fn weights(&self, key: &u64) -> Option<[f32; K]> {
        self.table.get(*key)
    }

    /// Whether the model has a weight for one of `inputs` that `which` picks.
    pub fn knows_any(&self, inputs: &Inputs<'_>, which: impl Fn(&Feature<'_>) -> bool) -> bool {
        inputs.named.iter().any(|(f, key, _)| which(f) && self.weights(key).is_some())
    }

    /// The class scores (before the softmax).
    pub fn scores(&self, inputs: &Inputs<'_>) -> [f64; K] {
        let mut z = [0.0f64; K];
        let mut add = |w: &[f32; K], x: f32| {
            for (zc, wc) in z.iter_mut().zip(w) {
                *zc += f64::from(*wc) * f64::from(x);
            }
        };
        for (_, key, x) in &inputs.named {
            if let Some(w) = self.weights(key) {
                add(&w, *x);
            }
        }
        for (x, w) in inputs.dense.iter().flatten().zip(&self.dense) {
            add(w, *x);
        }
        z
    }

    /// The words (or pairs) among `inputs` that weighed most towards
    /// `class` against the other classes, strongest first, at most `n`,
    /// leaving out `function_words` and pairs made only of them, and a pair
    /// whose word is already said (or the other way round).
    pub fn because(&self, inputs: &Inputs<'_>, class: usize, function_words: &[&str], n: usize) -> Vec<String> {
        let mut weighed: Vec<(f32, &Feature<'_>)> = inputs
            .named
            .iter()
            .filter(|(f, _, _)| {
                (f.prefix == "w:" || f.prefix == "b:")
                    && !(function_words.contains(&f.a) && f.b.is_none_or(|b| function_words.contains(&b)))
            })
            .filter_map(|(f, key, x)| {
                let w = self.weights(key)?;
                let others = (w.iter().sum::<f32>() - w[class]) / (K - 1).max(1) as f32;
                let lead = (w[class] - others) * x;
                (lead > 0.1).then_some((lead, f))
            })
            .collect();
        weighed.sort_by(|a, b| b.0.total_cmp(&a.0).then((a.1.a, a.1.b).cmp(&(b.1.a, b.1.b))));
        let mut out: Vec<String> = Vec::new();
        for words in weighed.into_iter().filter_map(|(_, f)| f.words()) {
            if out.iter().any(|b| b.contains(words.as_str()) || words.contains(b.as_str())) {
                continue;
            }
            out.push(words);
            if out.len() == n {
                break;
            }
        }
        out
    }
}

/// The class scores (before the softmax) of `inputs` under `weights`.
#[cfg(test)]
pub fn scores<const K: usize>(inputs: &[Input], weights: &HashMap<&str, [f32; K]>) -> [f64; K] {
    let mut z = [0.0f64; K];
    for (name, x) in inputs {
        if let Some(w) = weights.get(name.as_str()) {
            for (zc, wc) in z.iter_mut().zip(w) {
                *zc += f64::from(*wc) * f64::from(*x);
            }
        }
    }
    z
}

/// Softmax of the scores.
pub fn softmax<const K: usize>(z: [f64; K]) -> [f64; K] {
    let top = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let e = z.map(|v| libm::exp(v - top));
    let sum: f64 = e.iter().sum();
    e.map(|v| v / sum)
}

/// The most probable class (the first of equals).
pub fn best<const K: usize>(p: &[f64; K]) -> usize {
    (0..K).max_by(|&a, &b| p[a].total_cmp(&p[b]).then(b.cmp(&a))).unwrap_or(0)
}

/// How a model is fitted.
#[cfg(test)]
#[derive(Clone, Copy, Debug)]
pub struct Fit {
    pub steps: usize,
    pub rate: f64,
    pub l2: f64,
    pub min_count: usize,
}

/// Fits the weights to `rows` (inputs and the right class): by input name, rounded.
#[cfg(test)]
pub fn fit<const K: usize>(rows: &[(Vec<Input>, usize)], how: Fit) -> std::collections::BTreeMap<String, [f64; K]> {
    use std::collections::BTreeMap;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (inputs, _) in rows {
        for (name, _) in inputs {
            *counts.entry(name.as_str()).or_default() += 1;
        }
    }
    let names: Vec<&str> = counts.iter().filter(|(_, n)| **n >= how.min_count).map(|(name, _)| *name).collect();
    let at: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let data: Vec<(Vec<(usize, f64)>, usize)> = rows
        .iter()
        .map(|(inputs, y)| {
            let x = inputs.iter().filter_map(|(n, v)| Some((*at.get(n.as_str())?, f64::from(*v)))).collect();
            (x, *y)
        })
        .collect();
    let biased: Vec<bool> = names.iter().map(|n| *n == "bias").collect();
    let n = data.len().max(1) as f64;
    let mut w = vec![[0.0f64; K]; names.len()];
    let mut g2 = vec![[0.0f64; K]; names.len()];
    for _ in 0..how.steps {
        let mut grad = vec![[0.0f64; K]; names.len()];
        for (x, y) in &data {
            let mut z = [0.0f64; K];
            for (i, v) in x {
                for c in 0..K {
                    z[c] += w[*i][c] * v;
                }
            }
            let p = softmax(z);
            for (i, v) in x {
                for c in 0..K {
                    grad[*i][c] += (p[c] - f64::from(u8::from(c == *y))) * v;
                }
            }
        }
        for i in 0..names.len() {
            for c in 0..K {
                let decay = if biased[i] { 0.0 } else { how.l2 * w[i][c] };
                let g = grad[i][c] / n + decay;
                g2[i][c] += g * g;
                w[i][c] -= how.rate * g / (g2[i][c].sqrt() + 1e-8);
            }
        }
    }
    names
        .iter()
        .zip(&w)
        .map(|(name, w)| (name.to_string(), w.map(|x| (x * 1000.0).round() / 1000.0)))
        .filter(|(_, w)| w.iter().any(|x| *x != 0.0))
        .collect()
}

/// The weights file's text: `header` (comment lines), then a line per input.
#[cfg(test)]
pub fn render<const K: usize>(header: &str, weights: &std::collections::BTreeMap<String, [f64; K]>) -> String {
    let mut out = String::from(header);
    for (name, w) in weights {
        out.push_str(name);
        for x in w {
            out.push('\t');
            out.push_str(&x.to_string());
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::file::weight;
    use super::*;

    fn row(words: &[&str], y: usize) -> (Vec<Input>, usize) {
        let mut inputs: Vec<Input> = vec![("bias".into(), 1.0)];
        inputs.extend(words.iter().map(|w| (format!("w:{w}"), 1.0)));
        (inputs, y)
    }

    /// The table the build makes of a weights file finds every input of the
    /// file with the weights [`parse`] reads, no other, and the same dense
    /// rows; a table is refused for another number of classes.
    fn table_matches_its_file<const K: usize>(text: &str, table: &'static [u8]) {
        let parsed = parse::<K>(text);
        let compiled = Model::<K>::compiled(table).expect("a table of K classes");
        assert_eq!(compile::<K>(text), table, "the build's table is what compile makes of the file");
        let mut dense = vec![[0.0f32; K]; compiled.dense.len()];
        let mut named = 0;
        for (name, w) in &parsed {
            match dense_index(name) {
                Some(i) => dense[i] = *w,
                None => {
                    named += 1;
                    let found = compiled.weights(&key_of(name)).map(|w| w.map(f32::to_bits));
                    assert_eq!(found, Some(w.map(f32::to_bits)), "{name:?}");
                }
            }
        }
        assert!(named > 100);
        assert_eq!(dense, compiled.dense);
        for name in ["w:no-such-word-in-any-model", "b:no such", "", "meaning:0"] {
            assert_eq!(compiled.weights(&key_of(name)), None, "{name:?}");
        }
        assert!(Model::<1>::compiled(table).is_none());
        assert!(Model::<K>::compiled(&table[..table.len() - 1]).is_none());
    }

    #[test]
    fn the_built_tables_hold_their_weights_files() {
        table_matches_its_file::<3>(
            include_str!("../data/sentences/weights.tsv"),
            include_bytes!(concat!(env!("OUT_DIR"), "/sentences.table")),
        );
        table_matches_its_file::<2>(
            include_str!("../data/apology/weights.tsv"),
            include_bytes!(concat!(env!("OUT_DIR"), "/apology.table")),
        );
        table_matches_its_file::<44>(
            include_str!("../data/reasons/model.tsv"),
            include_bytes!(concat!(env!("OUT_DIR"), "/reasons.table")),
        );
    }

    #[test]
    fn weights_read_as_thousandths_equal_the_parsed_decimals() {
        let cases = ["0", "-0", "1", "-2.5", "0.001", "-0.125", "3.14", "9999.999", "-1234.5", "0.1", "12.34"];
        for text in cases {
            assert_eq!(weight(text), text.parse::<f32>().ok(), "{text}");
        }
        for i in -20_000..20_000 {
            let text = format!("{}", f64::from(i) / 1000.0);
            assert_eq!(weight(&text).map(f32::to_bits), text.parse::<f32>().ok().map(f32::to_bits), "{text}");
        }
        for text in ["1e-3", "12345.6", "", "-", ".5", "1.2345", "nan", "1.2.3"] {
            assert_eq!(weight(text).map(f32::to_bits), text.parse::<f32>().ok().map(f32::to_bits), "{text:?}");
        }
    }

    #[test]
    fn a_fitted_model_separates_what_it_was_shown_and_reads_back() {
        let rows = [row(&["good", "fine"], 0), row(&["good"], 0), row(&["bad", "awful"], 1), row(&["bad"], 1)];
        let how = Fit { steps: 200, rate: 0.3, l2: 0.0, min_count: 1 };
        let weights = fit::<2>(&rows, how);
        let text = render("# test\n", &weights);
        let parsed = parse::<2>(&text);
        assert_eq!(parsed.len(), weights.len());
        for (inputs, y) in &rows {
            assert_eq!(best(&softmax(scores(inputs, &parsed))), *y);
        }
        let table: &'static [u8] = Box::leak(compile::<2>(&text).into_boxed_slice());
        let compiled = Model::<2>::compiled(table).unwrap();
        let mut inputs = Inputs::default();
        inputs.push(Feature::named("bias"), 1.0);
        inputs.push(Feature::of("w:", "bad"), 1.0);
        inputs.push(Feature::of("w:", "the"), 1.0);
        assert_eq!(best(&softmax(compiled.scores(&inputs))), 1);
        assert_eq!(scores(&inputs.by_name(), &parsed), compiled.scores(&inputs));
        assert_eq!(compiled.because(&inputs, 1, &["the"], 3), ["bad"]);
        assert_eq!(Feature::pair("so", "you").key(), key_of("b:so you"));
        assert_eq!(fit::<2>(&rows, how), weights, "the same weights every time");
    }
}
