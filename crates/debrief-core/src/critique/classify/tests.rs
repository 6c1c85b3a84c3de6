//! Tests of the classifier: examples, the committed weights, and floors
//! under the dev figures (`data/sentences/README.md`).

use super::train::{all_rows, figures};
use super::*;

/// The dev part's figures with the committed weights stay at least where
/// they were when the model was frozen (accuracy 0.926; per class precision
/// and recall 0.86 to 0.97): a change to the inputs or the data that makes
/// them worse fails here.
#[test]
fn dev_figures_hold() {
    let all = all_rows();
    let dev: Vec<_> = all.iter().filter(|r| r.dev).collect();
    assert!(dev.len() >= 300, "{} dev sentences", dev.len());
    let (per, accuracy) = figures(&dev, &crate::learn::parse::<3>(WEIGHTS_TEXT));
    assert!(accuracy >= 0.92, "dev accuracy {accuracy:.3}");
    for (class, (p, r)) in learned::CLASSES.iter().zip(per) {
        assert!(p >= 0.85 && r >= 0.85, "{}: precision {p:.3}, recall {r:.3}", class.as_str());
    }
}

const WEIGHTS_TEXT: &str = include_str!("../../../data/sentences/weights.tsv");

#[test]
fn every_weight_line_reads() {
    let lines = WEIGHTS_TEXT.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).count();
    let parsed = crate::learn::parse::<3>(WEIGHTS_TEXT);
    assert_eq!(parsed.len(), lines, "a weight line that does not read is skipped");
    assert!(parsed.contains_key("bias") && parsed.len() > 1000, "{} inputs", parsed.len());
}

#[test]
fn labeled_parts_are_large_and_balanced() {
    let all = all_rows();
    assert!(all.len() >= 1500, "{} sentences", all.len());
    for c in SentenceClass::ALL {
        let n = all.iter().filter(|r| r.dev && r.class == c).count();
        assert!(n >= 80, "dev {}: {n}", c.as_str());
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
        ("Our platform leverages cutting-edge AI to synergize your workflows.", Feature),
        ("Talk to you soon,", Neither),
    ] {
        assert_eq!(classify(text), class, "{text}");
    }
}

/// Every verdict names the words that weighed most, never function words.
#[test]
fn verdicts_name_their_words() {
    let v = judge("It has a 6-hour battery and 40 GB of storage.");
    assert_eq!(v.class, SentenceClass::Feature);
    assert!(!v.because.is_empty() && v.because.len() <= 3, "{v:?}");
    assert!(v.because.iter().all(|w| !["a", "and", "of", "it"].contains(&w.as_str())), "{v:?}");
    assert!(v.probability > 0.5 && v.probability <= 1.0, "{v:?}");
}

/// The held-out part, measured once after the freeze (accuracy 0.948; per
/// class precision and recall from 0.901 to 0.993): floors just under it, so
/// a later change that makes it worse fails here. Tuning on it would make it
/// a dev part; a new held-out part must then be written.
#[test]
fn holdout_figures_hold() {
    use super::train::{HOLDOUT, rows};
    let holdout = rows(HOLDOUT.0, HOLDOUT.1);
    let holdout: Vec<_> = holdout.iter().collect();
    assert!(holdout.len() >= 400, "{} held-out sentences", holdout.len());
    let (per, accuracy) = figures(&holdout, &crate::learn::parse::<3>(WEIGHTS_TEXT));
    assert!(accuracy >= 0.94, "held-out accuracy {accuracy:.3}");
    for (class, (p, r)) in learned::CLASSES.iter().zip(per) {
        assert!(p >= 0.90 && r >= 0.90, "{}: precision {p:.3}, recall {r:.3}", class.as_str());
    }
}
