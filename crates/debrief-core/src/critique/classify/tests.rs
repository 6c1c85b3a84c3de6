//! Tests of the classifier: examples, and precision and recall on the shipped
//! labeled set (held-out third only for the benchmark).

use super::*;

const LABELED: &str = include_str!("../../../data/sentences.tsv");

/// The labeled set's data lines as (held_out, label, sentence): every third
/// data line (3rd, 6th, …) is held out, as the file's header says.
fn labeled() -> Vec<(bool, SentenceClass, &'static str)> {
    LABELED
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .enumerate()
        .map(|(i, line)| {
            let (label, text) = line.split_once('\t').expect("label<TAB>sentence");
            let class = SentenceClass::parse(label).expect("known label");
            ((i + 1) % 3 == 0, class, text)
        })
        .collect()
}

/// Per-class (precision, recall) over `items`.
fn precision_recall(items: &[(SentenceClass, SentenceClass)]) -> Vec<(SentenceClass, f64, f64)> {
    SentenceClass::ALL
        .iter()
        .map(|&c| {
            let tp = items.iter().filter(|(gold, got)| *gold == c && *got == c).count() as f64;
            let predicted = items.iter().filter(|(_, got)| *got == c).count() as f64;
            let actual = items.iter().filter(|(gold, _)| *gold == c).count() as f64;
            (c, tp / predicted.max(1.0), tp / actual.max(1.0))
        })
        .collect()
}

fn evaluate(held_out: bool) -> Vec<(SentenceClass, f64, f64)> {
    let pairs: Vec<_> = labeled()
        .into_iter()
        .filter(|(h, _, _)| *h == held_out)
        .map(|(_, gold, text)| (gold, classify(text)))
        .collect();
    precision_recall(&pairs)
}

#[test]
fn labeled_set_is_large_and_balanced() {
    let all = labeled();
    assert!(all.len() >= 300, "{} sentences", all.len());
    let held = all.iter().filter(|(h, _, _)| *h).count();
    assert_eq!(held, all.len() / 3);
    for c in SentenceClass::ALL {
        let n = all.iter().filter(|(h, g, _)| *h && *g == c).count();
        assert!(n >= 30, "held-out {}: {n}", c.as_str());
    }
}

/// The benchmark: precision and recall per class on the held-out third.
/// Copy the printed figures into BENCHMARKS.md.
#[test]
fn held_out_precision_and_recall() {
    let figures = evaluate(true);
    eprintln!("held-out classifier figures (class: precision / recall):");
    for (c, p, r) in &figures {
        eprintln!("  {:<8} {p:.3} / {r:.3}", c.as_str());
    }
    for (c, p, r) in figures {
        assert!(p >= 0.85 && r >= 0.85, "{}: precision {p:.3}, recall {r:.3}", c.as_str());
    }
}

/// The tuning two thirds: figures, and every miss, to tune the lexicons on.
#[test]
fn tuning_set_figures() {
    for (held, gold, text) in labeled() {
        let got = classify(text);
        if !held && got != gold {
            eprintln!("miss: {} -> {} {:?}: {text}", gold.as_str(), got.as_str(), leaning(text));
        }
    }
    for (c, p, r) in evaluate(false) {
        eprintln!("tuning {:<8} {p:.3} / {r:.3}", c.as_str());
        assert!(p >= 0.85 && r >= 0.85, "{}: precision {p:.3}, recall {r:.3}", c.as_str());
    }
}

#[test]
fn examples() {
    use SentenceClass::*;
    for (text, class) in [
        ("It has a 6-hour battery.", Feature),
        ("The app comes with offline maps.", Feature),
        ("So you can find any invoice in seconds.", Benefit),
        ("It saves your team ten hours a week.", Benefit),
        ("Are you free on Tuesday?", Neither),
        ("Best,", Neither),
        ("", Neither),
        ("Our reporting module, which includes 40 templates, helps you close the month faster.", Benefit),
    ] {
        assert_eq!(classify(text), class, "{text}");
    }
}
