//! Trains the two logistic models of matching on `data/reasons/train.tsv`:
//! mine-or-theirs ([`side::WEIGHTS`]), then whether to count a text under
//! its closest reason ([`accept::WEIGHTS`]). L2-regularised, full-batch
//! gradient descent from zero, a fixed number of steps, `libm`'s `exp`: the
//! same weights on every machine, rounded to three decimals. Each text is
//! read against the starter vocabulary without it, as a new text would be.

use super::accept::{self, Evidence};
use super::corpus::Row;
use super::corpus::{TRAIN, rows, without};
use super::learned;
use super::matcher::Params;
use super::side::{self, FEATURES};
use super::text::Analysis;
use super::{Matcher, Side};
use crate::learn;

const STEPS: usize = 4000;
const RATE: f64 = 0.5;
const L2: f64 = 0.002;

/// Fits `y ≈ sigmoid(w · x)`; the last feature is the bias (not decayed).
fn fit<const N: usize>(data: &[([f64; N], f64)]) -> [f64; N] {
    let n = data.len().max(1) as f64;
    let mut w = [0.0; N];
    for _ in 0..STEPS {
        let mut grad = [0.0; N];
        for (x, y) in data {
            let z: f64 = x.iter().zip(&w).map(|(a, b)| a * b).sum();
            let err = side::sigmoid(z) - y;
            for (g, xi) in grad.iter_mut().zip(x) {
                *g += err * xi;
            }
        }
        for (i, (wi, g)) in w.iter_mut().zip(&grad).enumerate() {
            let decay = if i + 1 == N { 0.0 } else { L2 * *wi };
            *wi -= RATE * (g / n + decay);
        }
    }
    w.map(|x| (x * 1000.0).round() / 1000.0)
}

/// The weights of the three models: mine-or-theirs trained on `side_rows`,
/// the other two on `rows`, each text read by its matcher.
type Weights = ([f64; side::WEIGHT_COUNT], [f64; accept::WEIGHT_COUNT], [f64; accept::STACKED_COUNT]);

fn train_on(side_rows: &[(&Row, &Matcher)], rows: &[(&Row, &Matcher)]) -> Weights {
    let neutral = [0.0; side::WEIGHT_COUNT];
    let side_data: Vec<_> = side_rows
        .iter()
        .map(|(r, m)| (side::vector(&m.training_view(r.text, &neutral).0), f64::from(r.side == Side::Theirs)))
        .collect();
    let side_weights = fit(&side_data);
    let accept_data: Vec<([f64; accept::WEIGHT_COUNT], f64)> = rows
        .iter()
        .filter_map(|(r, m)| {
            let (_, closest) = m.training_view(r.text, &side_weights);
            let (reason, evidence): (_, Evidence) = closest?;
            let right = r.label == Some(super::tests::label(reason));
            Some((evidence.vector(), f64::from(right)))
        })
        .collect();
    let accept_weights = fit(&accept_data);
    let stacked_data: Vec<([f64; accept::STACKED_COUNT], f64)> = rows
        .iter()
        .filter_map(|(r, m)| {
            let (reason, stacked) = m.training_stacked(r.text, &side_weights, &accept_weights)?;
            Some((stacked.vector(), f64::from(r.label == Some(super::tests::label(reason)))))
        })
        .collect();
    (side_weights, accept_weights, fit(&stacked_data))
}

/// The weights of the three models. Mine-or-theirs is trained on
/// `train.tsv` (each text read against the starter vocabulary without it).
/// The two that say whether to count a text are trained there too and on
/// every text the learned model learns from, each read as the learned model
/// judged it when it never read that text's writer ([`out_of_fold`]): so
/// they learn how far to trust it on the voices of people it never read.
/// (Mine-or-theirs trained on those too leaned on the learned model's side
/// so much that "the client arrived late" read as the rep's.)
fn trained() -> Weights {
    let train = rows(TRAIN);
    let matchers: Vec<_> = train.iter().map(|r| without(r.text)).collect();
    let held = out_of_fold(LEARNED_FIT);
    let full = super::corpus::vocabulary();
    with_held_out(&held, || {
        let own: Vec<(&Row, &Matcher)> = train.iter().zip(&matchers).collect();
        let all: Vec<(&Row, &Matcher)> = own.iter().copied().chain(held.iter().map(|(r, _)| (r, &full))).collect();
        train_on(&own, &all)
    })
}

/// Runs `f` with the learned model answering, for each of `held`'s texts,
/// what it said of it in [`out_of_fold`].
pub(super) fn with_held_out<T>(held: &[(Row, Reading)], f: impl FnOnce() -> T) -> T {
    learned::HELD_OUT.with(|h| h.borrow_mut().extend(held.iter().map(|(r, p)| (super::key(r.text), *p))));
    let out = f();
    learned::HELD_OUT.with(|h| h.borrow_mut().clear());
    out
}

/// Tries score parameters: for each, trains both models on train and prints
/// the recall reached on train and dev with wrong merges at most 2%, how
/// often the right reason ranks first, and both on the part of dev written
/// in wording the concept tables were never grown from.
#[test]
#[ignore = "slow; run in release with --nocapture"]
fn tune_params() {
    let train = rows(TRAIN);
    let dev = rows(super::corpus::DEV);
    let later = super::corpus::DEV
        .split("# Written later")
        .nth(1)
        .and_then(|s| s.split_once('\n'))
        .map(|s| rows(s.1))
        .unwrap_or_default();
    let later_texts: std::collections::HashSet<&str> = later.iter().map(|r| r.text).collect();
    let mut train_m: Vec<Matcher> = train.iter().map(|r| without(r.text)).collect();
    let mut full = super::corpus::vocabulary();
    let grid = [(0.25, 0.35), (0.5, 0.35), (0.5, 0.5), (0.75, 0.5)];
    for (meaning_weight, meaning_floor) in grid {
        let p = Params { meaning_weight, meaning_floor, ..Params::default() };
        train_m.iter_mut().for_each(|m| m.set_params(p));
        full.set_params(p);
        let pairs: Vec<(&Row, &Matcher)> = train.iter().zip(&train_m).collect();
        let (sw, aw, stw) = train_on(&pairs, &pairs);
        // (confidence, right, known, side right, in the later part)
        let mut judged: Vec<(f64, bool, bool, bool, bool)> = Vec::new();
        for (r, m) in train.iter().zip(&train_m).chain(dev.iter().map(|r| (r, &full))) {
            let j = m.judge_with(r.text, &sw, &aw, &stw);
            let right = j.best.as_ref().map(|b| super::tests::label(b.reason)) == r.label;
            let late = later_texts.contains(r.text);
            judged.push((j.confidence, right && j.best.is_some(), r.label.is_some(), j.side.side == r.side, late));
        }
        let summary = |judged: &[(f64, bool, bool, bool, bool)], t: f64| {
            let known = judged.iter().filter(|j| j.2).count() as f64;
            let n = judged.len() as f64;
            let right = judged.iter().filter(|j| j.0 >= t && j.1).count() as f64;
            let wrong = judged.iter().filter(|j| j.0 >= t && !j.1).count() as f64;
            let first = judged.iter().filter(|j| j.1).count() as f64 / known;
            let side = judged.iter().filter(|j| j.3).count() as f64 / n;
            format!("first {first:.3} side {side:.3} recall {:.3} wrong {:.3}", right / known, wrong / n)
        };
        let n = judged.len() as f64;
        let t = (30..100)
            .map(|t| f64::from(t) / 100.0)
            .find(|&t| judged.iter().filter(|j| j.0 >= t && !j.1).count() as f64 / n <= 0.02);
        let t = t.unwrap_or(1.0);
        let late: Vec<_> = judged.iter().copied().filter(|j| j.4).collect();
        println!(
            "meaning {meaning_weight} from {meaning_floor} at {t}: all {} | later dev {}",
            summary(&judged, t),
            summary(&late, t)
        );
    }
}

fn rust(name: &str, w: &[f64]) -> String {
    let list: Vec<String> = w.iter().map(|x| format!("{x:?}")).collect();
    format!("pub const {name}: [f64; WEIGHT_COUNT] = [\n    {},\n];", list.join(", "))
}

#[test]
#[ignore = "prints the weights to commit in side.rs and accept.rs; run with --nocapture"]
fn train_weights() {
    let (s, a, st) = trained();
    for (f, x) in FEATURES.iter().zip(&s) {
        println!("side {f:?}: {x}");
    }
    for (f, x) in accept::FEATURE_NAMES.iter().zip(&a) {
        println!("accept {f}: {x}");
    }
    for (f, x) in accept::STACKED_NAMES.iter().zip(&st) {
        println!("stacked {f}: {x}");
    }
    println!(
        "side.rs\n{}\naccept.rs\n{}\n{}",
        rust("WEIGHTS", &s),
        rust("WEIGHTS", &a),
        rust("STACKED", &st).replace("WEIGHT_COUNT", "STACKED_COUNT")
    );
}

#[test]
#[ignore = "slow in a debug build"]
fn weights_are_reproducible() {
    let (s, a, st) = trained();
    assert_eq!(st, accept::STACKED, "retrain with `--ignored train_weights` and commit the weights");
    assert_eq!(s, side::WEIGHTS, "retrain with `--ignored train_weights` and commit the weights");
    assert_eq!(a, accept::WEIGHTS, "retrain with `--ignored train_weights` and commit the weights");
}

/// How the learned model is fitted (chosen on dev: `--ignored tune_learned`).
pub(super) const LEARNED_FIT: learn::Fit = learn::Fit { steps: 600, rate: 0.3, l2: 0.00001, min_count: 2 };

/// The rows the learned model is trained on: each starter label with the
/// first paraphrases written with the vocabulary, then every text of
/// [`voices`] (`wide.tsv` and the holdouts already measured). Never
/// `train.tsv`, on which the two smaller models learn how far to trust it.
fn learned_rows() -> Vec<(Vec<learn::Input>, usize)> {
    let mut texts = starter_texts();
    for r in voices().into_iter().flat_map(|(_, rows)| rows) {
        texts.push((r.text, class_of_row(&r)));
    }
    texts.iter().map(|(t, c)| (learned::inputs(&Analysis::new(t)).by_name(), *c)).collect()
}

/// Each starter label with its first five paraphrases, by class.
fn starter_texts() -> Vec<(&'static str, usize)> {
    let mut texts = Vec::new();
    for (c, reason) in crate::vocabulary::STARTER.iter().enumerate() {
        texts.push((reason.label, c));
        texts.extend(reason.paraphrases.iter().take(5).map(|p| (*p, c)));
    }
    texts
}

fn fit_learned(how: learn::Fit) -> std::collections::BTreeMap<String, [f64; learned::CLASSES]> {
    learn::fit(&learned_rows(), how)
}

fn render_learned(weights: &std::collections::BTreeMap<String, [f64; learned::CLASSES]>) -> String {
    let header = "# The learned reason model (src/matching/learned.rs), trained by\n\
                  # src/matching/train.rs on wide.tsv and holdout.tsv to holdout6.tsv of this folder.\n\
                  # Do not edit: retrain. input<TAB>one weight per starter reason, then new (mine), new (theirs)\n";
    learn::render(header, weights)
}

#[test]
#[ignore = "writes data/reasons/model.tsv"]
#[allow(clippy::disallowed_methods, reason = "a development tool that writes the trained weights")]
fn train_learned() {
    let weights = fit_learned(LEARNED_FIT);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/reasons/model.tsv");
    std::fs::write(path, render_learned(&weights)).unwrap();
    eprintln!("{} inputs written to {path}", weights.len());
}

/// The committed weights are what training gives.
#[test]
#[ignore = "slow in a debug build; run by benches/reasons.sh"]
fn learned_weights_are_reproducible() {
    let weights = fit_learned(LEARNED_FIT);
    let committed = include_str!("../../data/reasons/model.tsv");
    assert!(render_learned(&weights) == committed, "retrain: data/reasons/model.tsv is not what training gives");
}

/// For each L2, the learned model alone on train and dev: how often its
/// first class is right, and how many texts it would count at each
/// probability with how many of them wrong (`MISSES=dev` also prints the
/// texts of dev it puts under another reason first).
#[test]
#[ignore = "slow; run in release with --nocapture"]
#[allow(clippy::disallowed_methods, reason = "a development tool: GRID=l2:steps,… chooses what to try")]
fn tune_learned() {
    let data = learned_rows();
    let eval: Vec<(String, Vec<Row>)> = vec![("train".into(), rows(TRAIN)), ("dev".into(), rows(super::corpus::DEV))];
    let grid: Vec<(f64, usize)> = std::env::var("GRID")
        .ok()
        .map(|g| {
            g.split(',')
                .filter_map(|p| p.split_once(':'))
                .map(|(l, s)| (l.parse().unwrap(), s.parse().unwrap()))
                .collect()
        })
        .unwrap_or_else(|| vec![(LEARNED_FIT.l2, LEARNED_FIT.steps)]);
    for (l2, steps) in grid {
        let weights = learn::fit::<{ learned::CLASSES }>(&data, learn::Fit { l2, steps, ..LEARNED_FIT });
        let text = render_learned(&weights);
        let parsed = learn::parse::<{ learned::CLASSES }>(&text);
        for (name, part) in &eval {
            let mut line = format!("l2 {l2} steps {steps} {name:>8}:");
            let judged: Vec<(usize, f64, Option<usize>)> = part
                .iter()
                .map(|r| {
                    let p = learn::softmax(learn::scores(&learned::inputs(&Analysis::new(r.text)).by_name(), &parsed));
                    let best = (0..42).max_by(|&a, &b| p[a].total_cmp(&p[b])).unwrap_or(0);
                    (best, p[best], r.label.and_then(learned::class_of))
                })
                .collect();
            if std::env::var("MISSES").is_ok_and(|m| m == *name) {
                for (r, j) in part.iter().zip(&judged) {
                    if j.2.is_some() && j.2 != Some(j.0) {
                        let got = crate::vocabulary::STARTER[j.0].label;
                        println!("  miss {:.2} {:?} -> {got} (is {})", j.1, r.text, r.label.unwrap_or("new"));
                    }
                }
            }
            let known = judged.iter().filter(|j| j.2.is_some()).count() as f64;
            let first = judged.iter().filter(|j| j.2 == Some(j.0)).count() as f64 / known;
            line.push_str(&format!(" first {first:.3}"));
            for t in [0.5, 0.6, 0.7, 0.8] {
                let right = judged.iter().filter(|j| j.1 >= t && j.2 == Some(j.0)).count() as f64;
                let wrong = judged.iter().filter(|j| j.1 >= t && j.2 != Some(j.0)).count() as f64;
                line.push_str(&format!(" | {t}: {:.3}/{:.3}", right / known, wrong / part.len() as f64));
            }
            println!("{line}");
        }
    }
}

/// The labeled parts the learned model may learn from, in blocks of one
/// writer or voice each: `wide.tsv` by its block comments, then each holdout
/// already measured.
fn voices() -> Vec<(String, Vec<Row>)> {
    let wide = super::corpus::WIDE;
    let mut out: Vec<(String, Vec<Row>)> = Vec::new();
    let mut push = |name: &str, block: &'static str| {
        let r = rows(block);
        if !r.is_empty() {
            out.push((name.to_string(), r));
        }
    };
    let (mut name, mut start, mut at) = ("wide", 0, 0);
    for line in wide.split_inclusive('\n') {
        let header = line.trim_end().strip_prefix("# ").filter(|h| {
            ["part", "more", "side", "fine"].iter().any(|p| h.starts_with(p))
                && h.split(':').next().is_some_and(|w| !w.contains(' '))
        });
        if let Some(h) = header {
            push(name, &wide[start..at]);
            name = h.split(':').next().unwrap_or(h);
            start = at + line.len();
        }
        at += line.len();
    }
    push(name, &wide[start..]);
    let trained = &super::corpus::HOLDOUTS[..super::corpus::TRAINED_HOLDOUTS];
    out.extend(trained.iter().map(|(name, part)| (name.to_string(), rows(part))));
    out
}

fn class_of_row(r: &Row) -> usize {
    match r.label {
        Some(l) => learned::class_of(l).unwrap_or(learned::NEW_THEIRS),
        None if r.side == Side::Mine => learned::NEW_MINE,
        None => learned::NEW_THEIRS,
    }
}

/// Into how many folds the voices are dealt for [`out_of_fold`].
const FOLDS: usize = 5;

type Probabilities = [f64; learned::CLASSES];
type Reading = learned::Reading;

/// What the learned model says of each text of [`voices`] when it never read
/// that text's writer: the voices are dealt into [`FOLDS`] folds and each
/// fold's texts are judged by a model trained (as [`LEARNED_FIT`]) on the
/// other folds and the starter texts. Two folds at a time, one per core; the
/// same on every machine.
fn out_of_fold(how: learn::Fit) -> Vec<(Row, Reading)> {
    let voices = voices();
    let encode = |r: &Row| (learned::inputs(&Analysis::new(r.text)).by_name(), class_of_row(r));
    let starter: Vec<(Vec<learn::Input>, usize)> =
        starter_texts().into_iter().map(|(t, c)| (learned::inputs(&Analysis::new(t)).by_name(), c)).collect();
    let encoded: Vec<Vec<(Vec<learn::Input>, usize)>> =
        voices.iter().map(|(_, rs)| rs.iter().map(encode).collect()).collect();
    let judge = |weights: &std::collections::BTreeMap<String, Probabilities>, data: &[&Vec<learn::Input>]| {
        let text = render_learned(weights);
        let parsed = learn::parse::<{ learned::CLASSES }>(&text);
        data.iter().map(|x| learn::softmax(learn::scores(x, &parsed))).collect::<Vec<_>>()
    };
    let mut folds: Vec<(usize, Vec<Probabilities>)> = Vec::new();
    for pair in (0..FOLDS).collect::<Vec<_>>().chunks(2) {
        std::thread::scope(|s| {
            let handles: Vec<_> = pair
                .iter()
                .map(|&f| {
                    let (encoded, starter, judge) = (&encoded, &starter, &judge);
                    s.spawn(move || {
                        let mut train: Vec<(Vec<learn::Input>, usize)> = starter.clone();
                        for (v, rows) in encoded.iter().enumerate() {
                            if v % FOLDS != f {
                                train.extend(rows.iter().cloned());
                            }
                        }
                        let weights = learn::fit::<{ learned::CLASSES }>(&train, how);
                        let held: Vec<&Vec<learn::Input>> = encoded
                            .iter()
                            .enumerate()
                            .filter(|(v, _)| v % FOLDS == f)
                            .flat_map(|(_, r)| r.iter().map(|(x, _)| x))
                            .collect();
                        (f, judge(&weights, &held))
                    })
                })
                .collect();
            folds.extend(handles.into_iter().map(|h| h.join().expect("a fold trains")));
        });
    }
    // What the sequence reader said of each text when trained without its
    // fold, in the order of `voices`.
    let order = super::sequence::held_out();
    let all = voices.iter().flat_map(|(_, r)| r);
    assert_eq!(all.clone().count(), order.len(), "retrain the sequence reader: data/reasons/tools/train_sequence.py");
    let order: std::collections::HashMap<String, &super::sequence::Said> =
        all.map(|r| super::key(r.text)).zip(order.iter()).collect();
    let mut held = Vec::new();
    for (f, probabilities) in folds {
        let rows = voices.iter().enumerate().filter(|(v, _)| v % FOLDS == f).flat_map(|(_, (_, r))| r.iter().cloned());
        held.extend(rows.zip(probabilities).map(|(r, p)| {
            let reading = learned::Reading::of(&p, order[&super::key(r.text)]);
            (r, reading)
        }));
    }
    held
}

/// The learned model judged on writers it never read ([`out_of_fold`]):
/// how often the right reason is first, per voice and overall, and the
/// most frequent wrong first choices.
#[test]
#[ignore = "slow; run in release with --nocapture"]
#[allow(clippy::disallowed_methods, reason = "a development tool: FIT=l2:steps:min_count chooses what to try")]
fn cross_voices() {
    let how = std::env::var("FIT")
        .ok()
        .and_then(|f| {
            let mut parts = f.split(':');
            Some(learn::Fit {
                l2: parts.next()?.parse().ok()?,
                steps: parts.next()?.parse().ok()?,
                min_count: parts.next().map_or(Some(LEARNED_FIT.min_count), |m| m.parse().ok())?,
                ..LEARNED_FIT
            })
        })
        .unwrap_or(LEARNED_FIT);
    println!("{how:?}");
    let held = out_of_fold(how);
    let first = |judged: &mut dyn Iterator<Item = (&Row, &Probabilities)>| {
        let (mut known, mut right) = (0, 0);
        for (r, p) in judged {
            if r.label.is_some() {
                known += 1;
                right += usize::from(learn::best(p) == class_of_row(r));
            }
        }
        format!("first {:.4} of {known}", right as f64 / f64::from(known.max(1)))
    };
    for (name, rows) in voices() {
        let texts: std::collections::HashSet<&str> = rows.iter().map(|r| r.text).collect();
        println!(
            "{name:>9}: {}",
            first(&mut held.iter().filter(|(r, _)| texts.contains(r.text)).map(|(r, p)| (r, &p.p)))
        );
    }
    println!("ALL unseen voices: {}", first(&mut held.iter().map(|(r, p)| (r, &p.p))));
    if let Ok(path) = std::env::var("DUMP") {
        let mut out = String::new();
        for (r, p) in &held {
            let probabilities: Vec<String> = p.p.iter().map(|x| format!("{x:.5}")).collect();
            out.push_str(&format!("{}\t{}\t{}\n", r.text, class_of_row(r), probabilities.join("\t")));
        }
        std::fs::write(path, out).expect("DUMP is a writable path");
    }
    let label = |c: usize| {
        crate::vocabulary::STARTER
            .get(c)
            .map_or(if c == learned::NEW_MINE { "new (mine)" } else { "new (theirs)" }, |s| s.label)
    };
    let mut confusions: std::collections::BTreeMap<(usize, usize), usize> = std::collections::BTreeMap::new();
    for (r, p) in &held {
        let (is, got) = (class_of_row(r), learn::best(&p.p));
        if is != got {
            *confusions.entry((is, got)).or_default() += 1;
        }
    }
    let mut ranked: Vec<_> = confusions.into_iter().collect();
    ranked.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    println!("most frequent first choices of another class ({} in all):", ranked.iter().map(|(_, n)| n).sum::<usize>());
    for ((is, got), n) in ranked.iter().take(25) {
        println!("  {n:>4}  {} -> {}", label(*is), label(*got));
    }
}

/// The whole matcher (the committed weights) on writers the learned model
/// never read: each text of [`voices`] judged against the starter
/// vocabulary with the learned model's probabilities from [`out_of_fold`];
/// the figures, and recall / wrong merges if texts were counted from each
/// confidence (`ACCEPT` is the lowest that keeps wrong merges at or under
/// 2% here).
#[test]
#[ignore = "slow; run in release with --nocapture"]
#[allow(clippy::disallowed_methods, reason = "a development tool: MISTAKES=path writes every mistake there")]
fn unseen_voices_report() {
    let held = out_of_fold(LEARNED_FIT);
    let all: Vec<Row> = held.iter().map(|(r, _)| r.clone()).collect();
    let f = with_held_out(&held, || super::corpus::measure(&all));
    if let Ok(path) = std::env::var("MISTAKES") {
        std::fs::write(path, f.mistakes.join("\n")).expect("MISTAKES is a writable path");
    }
    println!("{}", super::corpus::report("unseen voices (out of fold)", &f, false));
    println!("recall / wrong merges from each confidence:{}", curve(&f));
    // The holdouts already measured, as their writers' readers never read
    // them: written as every new holdout is, by writers who saw only the
    // list of reasons, where the blocks of `wide.tsv` seek out the hardest
    // texts.
    let holdouts: std::collections::HashSet<String> = super::corpus::HOLDOUTS[..super::corpus::TRAINED_HOLDOUTS]
        .iter()
        .flat_map(|(_, part)| rows(part))
        .map(|r| super::key(r.text))
        .collect();
    let like_holdouts: Vec<Row> = all.into_iter().filter(|r| holdouts.contains(&super::key(r.text))).collect();
    let h = with_held_out(&held, || super::corpus::measure(&like_holdouts));
    println!("{}", super::corpus::report("the measured holdouts (out of fold)", &h, false));
    println!("recall / wrong merges from each confidence:{}", curve(&h));
}

/// Recall and wrong merges had texts been counted from each of a few
/// confidences.
fn curve(f: &super::corpus::Figures) -> String {
    let mut curve = String::new();
    for t in [0.5, 0.6, 0.65, 0.7, 0.75, 0.775, 0.8, 0.825, 0.85, 0.875, 0.9, 0.925] {
        let (recall, wrong) = f.if_counted_from(t);
        curve.push_str(&format!(" {t}: {:.1}% / {:.1}% |", 100.0 * recall, 100.0 * wrong));
    }
    curve
}

/// Texts whose probabilities the training script writes to
/// `data/reasons/sequence-check.tsv`, odd ones among them.
const SEQUENCE_CHECK: &[&str] = &[
    "didn't ask about budget",
    "the client simply had no money",
    "I asked for the close. twice. clearly. they said the board froze all capex",
    "forgot to ask for a referral",
    "never found out how much money they had to spend",
    "their connection kept failing",
    "talked over them the whole call",
    "they went with a cheaper competitor",
    "ok",
    "",
    "didnt mention the free trial lol",
    "Client's CFO killed it — budget frozen till Q3, $$ gone",
    "日本語 and émigré words",
];

/// Writes every text the models learn from, with its fold, class and the
/// words the sequence reader reads: `SEQUENCES=path`.
#[test]
#[ignore = "a development tool"]
#[allow(clippy::disallowed_methods, reason = "a development tool: SEQUENCES=path")]
fn dump_sequences() {
    let mut out = String::new();
    let mut line = |fold: &str, name: &str, class: usize, text: &str| {
        let words = super::text::sequence(text).join(" ");
        out.push_str(&format!("{fold}\t{name}\t{class}\t{}\t{words}\t{text}\n", super::key(text)));
    };
    // What `sequence::tests::it_reads_as_pytorch_did` checks the reader by.
    for t in SEQUENCE_CHECK {
        line("c", "check", 0, t);
    }
    for (t, c) in starter_texts() {
        line("s", "starter", c, t);
    }
    for (v, (name, rows)) in voices().iter().enumerate() {
        for r in rows {
            line(&(v % FOLDS).to_string(), name, class_of_row(r), r.text);
        }
    }
    for (name, part) in &super::corpus::HOLDOUTS[super::corpus::TRAINED_HOLDOUTS..] {
        for r in rows(part) {
            line("h", name, class_of_row(&r), r.text);
        }
    }
    for r in rows(super::corpus::DEV).into_iter().chain(rows(TRAIN)) {
        line("d", "train+dev", class_of_row(&r), r.text);
    }
    std::fs::write(std::env::var("SEQUENCES").expect("SEQUENCES=path"), out).expect("a writable path");
}
