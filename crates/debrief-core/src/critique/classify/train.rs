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

use super::learned::{self, CLASSES};
use super::{SentenceClass, leaning_of};
use crate::critique::text::tokens;
use crate::learn::{self, Fit, Input};

/// The labeled parts: (file name, text). Each data line is `label<TAB>sentence`.
pub(crate) const PARTS: &[(&str, &str)] = &[
    ("first.tsv", include_str!("../../../data/sentences/first.tsv")),
    ("written-a.tsv", include_str!("../../../data/sentences/written-a.tsv")),
    ("written-b.tsv", include_str!("../../../data/sentences/written-b.tsv")),
];

/// The held-out part, written after the model was frozen (`700e575`): measured, never trained or tuned on.
pub(crate) const HOLDOUT: (&str, &str) = ("holdout.tsv", include_str!("../../../data/sentences/holdout.tsv"));

/// Chosen on the dev part (`GRID=1 … sentence_figures` prints the L2 grid).
pub(crate) const FIT: Fit = Fit { steps: 300, rate: 0.3, l2: 0.0001, min_count: 2 };

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
    learned::inputs(text, &words, leaning_of(text, &words)).by_name()
}

fn index(class: SentenceClass) -> usize {
    CLASSES.iter().position(|c| *c == class).unwrap_or(2)
}

/// Trains on `rows` with L2 `l2`: the weights by input name, rounded.
pub(crate) fn fit(rows: &[&Row], l2: f64) -> BTreeMap<String, [f64; 3]> {
    let data: Vec<(Vec<Input>, usize)> = rows.iter().map(|r| (inputs_of(r.text), index(r.class))).collect();
    learn::fit(&data, Fit { l2, ..FIT })
}

/// The weights file's text.
pub(crate) fn render(weights: &BTreeMap<String, [f64; 3]>) -> String {
    let header = "# The learned benefit / feature / neither model (src/critique/classify/learned.rs),\n\
                  # trained by src/critique/classify/train.rs on the train part of this folder.\n\
                  # Do not edit: retrain. input<TAB>benefit<TAB>feature<TAB>neither\n";
    learn::render(header, weights)
}

/// Per class (precision, recall), and the accuracy, of `weights` on `rows`.
pub(crate) fn figures(rows: &[&Row], weights: &HashMap<&str, [f32; 3]>) -> ([(f64, f64); 3], f64) {
    let got: Vec<(usize, usize)> = rows
        .iter()
        .map(|r| {
            let p = learn::softmax(learn::scores(&inputs_of(r.text), weights));
            (index(r.class), learn::best(&p))
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
    let weights = fit(&train_rows(&all), FIT.l2);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sentences/weights.tsv");
    std::fs::write(path, render(&weights)).unwrap();
    eprintln!("{} inputs written to {path}", weights.len());
}

/// The committed weights are what training gives.
#[test]
#[ignore = "a few seconds in a debug build; run by benches/critique.sh"]
fn sentence_weights_are_reproducible() {
    let all = all_rows();
    let weights = fit(&train_rows(&all), FIT.l2);
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
            let parsed = learn::parse(&text);
            print_figures(&format!("dev, l2 {l2}"), &dev, &parsed);
        }
    }
    let committed = learn::parse(include_str!("../../../data/sentences/weights.tsv"));
    rules_figures("dev, the hand lexicons alone", &dev);
    print_figures("train", &train, &committed);
    print_figures("dev", &dev, &committed);
    for (part, _) in PARTS {
        let of: Vec<&Row> = dev.iter().copied().filter(|r| r.part == *part).collect();
        print_figures(&format!("dev of {part}"), &of, &committed);
    }
    let holdout: Vec<Row> = rows(HOLDOUT.0, HOLDOUT.1).into_iter().map(|r| Row { dev: false, ..r }).collect();
    let holdout: Vec<&Row> = holdout.iter().collect();
    rules_figures("holdout, the hand lexicons", &holdout);
    print_figures("holdout", &holdout, &committed);
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
