//! Trains the learned sentence model ([`super::learned`]) on the train
//! part of `data/sentences/` and writes `data/sentences/weights.tsv`.
//!
//! Softmax regression, full batch, AdaGrad from zero, L2 on every weight
//! but the biases, a fixed number of steps, rows and inputs in a fixed
//! order and `libm`'s `exp`: the same weights on every machine, rounded to
//! three decimals. Inputs seen in fewer than two train sentences are left
//! out (a word seen once teaches the model that sentence, not the class).
//!
//!     cargo test -p debrief-core --release --lib -- --ignored train_sentence_weights --nocapture
//!     cargo test -p debrief-core --release --lib -- --ignored sentence_figures --nocapture

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use super::learned::{self, CLASSES, Input};
use super::{SentenceClass, leaning_of};
use crate::critique::text::tokens;

/// The labeled parts: (file name, text). Each data line is `label<TAB>sentence`.
pub(crate) const PARTS: &[(&str, &str)] = &[
    ("first.tsv", include_str!("../../../data/sentences/first.tsv")),
    ("written-a.tsv", include_str!("../../../data/sentences/written-a.tsv")),
    ("written-b.tsv", include_str!("../../../data/sentences/written-b.tsv")),
];

const STEPS: usize = 300;
const RATE: f64 = 0.3;
/// Chosen on the dev part (`sentence_figures` prints the grid).
pub(crate) const L2: f64 = 0.0001;
/// An input enters the model when at least this many train sentences have it.
const MIN_COUNT: usize = 2;

/// One labeled sentence.
#[derive(Clone, Debug)]
pub(crate) struct Row {
    pub part: &'static str,
    pub dev: bool,
    pub class: SentenceClass,
    pub text: &'static str,
}

/// The data lines of a part; every fifth (5th, 10th, …) is dev.
pub(crate) fn rows(part: &'static str, text: &'static str) -> Vec<Row> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .enumerate()
        .map(|(i, line)| {
            let mut cols = line.split('\t');
            let label = cols.next().unwrap_or_default();
            let sentence = cols.next().unwrap_or_else(|| panic!("{part}: label<TAB>sentence: {line:?}"));
            let class = SentenceClass::parse(label.trim()).unwrap_or_else(|| panic!("{part}: label {label:?}"));
            Row { part, dev: (i + 1) % 5 == 0, class, text: sentence.trim() }
        })
        .collect()
}

pub(crate) fn all_rows() -> Vec<Row> {
    PARTS.iter().flat_map(|(name, text)| rows(name, text)).collect()
}

pub(crate) fn inputs_of(text: &str) -> Vec<Input> {
    let words: Vec<Cow<'_, str>> = tokens(text).into_iter().map(|(_, w)| w).collect();
    learned::inputs(text, &words, leaning_of(text, &words))
}

fn index(class: SentenceClass) -> usize {
    CLASSES.iter().position(|c| *c == class).unwrap_or(2)
}

/// Trains on `rows` with L2 `l2`: the weights by input name, rounded.
pub(crate) fn fit(rows: &[&Row], l2: f64) -> BTreeMap<String, [f64; 3]> {
    let all: Vec<Vec<Input>> = rows.iter().map(|r| inputs_of(r.text)).collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for inputs in &all {
        for (name, _) in inputs {
            *counts.entry(name.as_str()).or_default() += 1;
        }
    }
    let names: Vec<&str> = counts.iter().filter(|(_, n)| **n >= MIN_COUNT).map(|(name, _)| *name).collect();
    let at: HashMap<&str, usize> = names.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let data: Vec<(Vec<(usize, f64)>, usize)> = all
        .iter()
        .zip(rows)
        .map(|(inputs, r)| {
            let x = inputs.iter().filter_map(|(n, v)| Some((*at.get(n.as_str())?, f64::from(*v)))).collect();
            (x, index(r.class))
        })
        .collect();
    let biased: Vec<bool> = names.iter().map(|n| *n == "bias").collect();
    let n = data.len().max(1) as f64;
    let mut w = vec![[0.0f64; 3]; names.len()];
    let mut g2 = vec![[0.0f64; 3]; names.len()];
    for _ in 0..STEPS {
        let mut grad = vec![[0.0f64; 3]; names.len()];
        for (x, y) in &data {
            let mut z = [0.0f64; 3];
            for (i, v) in x {
                for c in 0..3 {
                    z[c] += w[*i][c] * v;
                }
            }
            let p = learned::softmax(z);
            for (i, v) in x {
                for c in 0..3 {
                    grad[*i][c] += (p[c] - f64::from(u8::from(c == *y))) * v;
                }
            }
        }
        for i in 0..names.len() {
            for c in 0..3 {
                let decay = if biased[i] { 0.0 } else { l2 * w[i][c] };
                let g = grad[i][c] / n + decay;
                g2[i][c] += g * g;
                w[i][c] -= RATE * g / (g2[i][c].sqrt() + 1e-8);
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

/// The weights file's text.
pub(crate) fn render(weights: &BTreeMap<String, [f64; 3]>) -> String {
    let mut out = String::from(
        "# The learned benefit / feature / neither model (src/critique/classify/learned.rs),\n\
         # trained by src/critique/classify/train.rs on the train part of this folder.\n\
         # Do not edit: retrain. input<TAB>benefit<TAB>feature<TAB>neither\n",
    );
    for (name, w) in weights {
        out.push_str(&format!("{name}\t{}\t{}\t{}\n", w[0], w[1], w[2]));
    }
    out
}

/// Per class (precision, recall), and the accuracy, of `weights` on `rows`.
pub(crate) fn figures(rows: &[&Row], weights: &HashMap<&str, [f32; 3]>) -> ([(f64, f64); 3], f64) {
    let got: Vec<(usize, usize)> = rows
        .iter()
        .map(|r| {
            let p = learned::softmax(learned::scores(&inputs_of(r.text), weights));
            let best = (0..3).max_by(|&a, &b| p[a].total_cmp(&p[b]).then(b.cmp(&a))).unwrap_or(2);
            (index(r.class), best)
        })
        .collect();
    let per = [0, 1, 2].map(|c| {
        let tp = got.iter().filter(|(g, p)| *g == c && *p == c).count() as f64;
        let predicted = got.iter().filter(|(_, p)| *p == c).count() as f64;
        let actual = got.iter().filter(|(g, _)| *g == c).count() as f64;
        (tp / predicted.max(1.0), tp / actual.max(1.0))
    });
    let right = got.iter().filter(|(g, p)| g == p).count() as f64;
    (per, right / got.len().max(1) as f64)
}

fn print_figures(what: &str, rows: &[&Row], weights: &HashMap<&str, [f32; 3]>) {
    let (per, accuracy) = figures(rows, weights);
    let classes: Vec<String> =
        CLASSES.iter().zip(per).map(|(c, (p, r))| format!("{} {:.3}/{:.3}", c.as_str(), p, r)).collect();
    eprintln!("{what:<28} {:>4} sentences  accuracy {accuracy:.3}  {}", rows.len(), classes.join("  "));
}

/// The figures of the hand lexicons alone ([`super::Leaning::class`]), for comparison.
fn rules_figures(what: &str, rows: &[&Row]) {
    let got: Vec<(usize, usize)> = rows
        .iter()
        .map(|r| {
            let words: Vec<_> = tokens(r.text).into_iter().map(|(_, w)| w).collect();
            (index(r.class), index(leaning_of(r.text, &words).class()))
        })
        .collect();
    let right = got.iter().filter(|(g, p)| g == p).count() as f64 / got.len().max(1) as f64;
    let classes: Vec<String> = (0..3)
        .map(|c| {
            let tp = got.iter().filter(|(g, p)| *g == c && *p == c).count() as f64;
            let predicted = got.iter().filter(|(_, p)| *p == c).count().max(1) as f64;
            let actual = got.iter().filter(|(g, _)| *g == c).count().max(1) as f64;
            format!("{} {:.3}/{:.3}", CLASSES[c].as_str(), tp / predicted, tp / actual)
        })
        .collect();
    eprintln!("{what:<28} {:>4} sentences  accuracy {right:.3}  {}", rows.len(), classes.join("  "));
}

fn train_rows(all: &[Row]) -> Vec<&Row> {
    all.iter().filter(|r| !r.dev).collect()
}

#[test]
#[ignore = "writes data/sentences/weights.tsv"]
#[allow(clippy::disallowed_methods, reason = "a development tool that writes the trained weights")]
fn train_sentence_weights() {
    let all = all_rows();
    let weights = fit(&train_rows(&all), L2);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sentences/weights.tsv");
    std::fs::write(path, render(&weights)).unwrap();
    eprintln!("{} inputs written to {path}", weights.len());
}

/// The committed weights are what training gives.
#[test]
#[ignore = "a few seconds in a debug build; run by benches/critique.sh"]
fn sentence_weights_are_reproducible() {
    let all = all_rows();
    let weights = fit(&train_rows(&all), L2);
    let committed = include_str!("../../../data/sentences/weights.tsv");
    assert!(render(&weights) == committed, "retrain: data/sentences/weights.tsv is not what training gives");
}

/// Figures per part (train, dev) for the L2 grid, and for the committed weights.
#[test]
#[ignore = "prints figures"]
fn sentence_figures() {
    let all = all_rows();
    let train = train_rows(&all);
    let dev: Vec<&Row> = all.iter().filter(|r| r.dev).collect();
    if std::env::var_os("GRID").is_some() {
        for l2 in [0.0, 0.0001, 0.0005, 0.002, 0.005, 0.01] {
            let w = fit(&train, l2);
            let text = render(&w);
            let parsed = learned::parse(&text);
            print_figures(&format!("dev, l2 {l2}"), &dev, &parsed);
        }
    }
    let committed = learned::parse(include_str!("../../../data/sentences/weights.tsv"));
    rules_figures("dev, the hand lexicons alone", &dev);
    print_figures("train", &train, &committed);
    print_figures("dev", &dev, &committed);
    for (part, _) in PARTS {
        let of: Vec<&Row> = dev.iter().copied().filter(|r| r.part == *part).collect();
        print_figures(&format!("dev of {part}"), &of, &committed);
    }
    if std::env::var_os("MISSES").is_some() {
        for r in &dev {
            let words: Vec<_> = tokens(r.text).into_iter().map(|(_, w)| w).collect();
            let v = learned::verdict(r.text, &words, leaning_of(r.text, &words));
            if v.class != r.class {
                eprintln!(
                    "miss {} -> {} ({:.2}, {:?}): {}",
                    r.class.as_str(),
                    v.class.as_str(),
                    v.probability,
                    v.because,
                    r.text
                );
            }
        }
    }
}
