//! The labeled reason corpus (`data/reasons/`, see its README) and the
//! figures the matcher reaches on it.
//!
//! `cargo test -p debrief-core --release -- --ignored corpus_report --nocapture`
//! prints them per split; the tests below hold floors slightly under the
//! measured figures.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::tests::{label, reason_named, starter};
use super::{Matcher, Side, key};
use crate::vocabulary::STARTER;

pub(super) const TRAIN: &str = include_str!("../../data/reasons/train.tsv");
pub(super) const DEV: &str = include_str!("../../data/reasons/dev.tsv");
pub(super) const HOLDOUT: &str = include_str!("../../data/reasons/holdout.tsv");
pub(super) const HOLDOUT2: &str = include_str!("../../data/reasons/holdout2.tsv");
pub(super) const HOLDOUT3: &str = include_str!("../../data/reasons/holdout3.tsv");
pub(super) const HOLDOUT4: &str = include_str!("../../data/reasons/holdout4.tsv");
pub(super) const HOLDOUT5: &str = include_str!("../../data/reasons/holdout5.tsv");
pub(super) const HOLDOUT6: &str = include_str!("../../data/reasons/holdout6.tsv");
pub(super) const HOLDOUT7: &str = include_str!("../../data/reasons/holdout7.tsv");
pub(super) const HOLDOUT8: &str = include_str!("../../data/reasons/holdout8.tsv");
pub(super) const HOLDOUT9: &str = include_str!("../../data/reasons/holdout9.tsv");
pub(super) const HOLDOUT10: &str = include_str!("../../data/reasons/holdout10.tsv");
pub(super) const HOLDOUT11: &str = include_str!("../../data/reasons/holdout11.tsv");
pub(super) const WIDE: &str = include_str!("../../data/reasons/wide.tsv");

/// The holdouts by name, in the order they were written.
pub(super) const HOLDOUTS: [(&str, &str); 11] = [
    ("holdout", HOLDOUT),
    ("holdout2", HOLDOUT2),
    ("holdout3", HOLDOUT3),
    ("holdout4", HOLDOUT4),
    ("holdout5", HOLDOUT5),
    ("holdout6", HOLDOUT6),
    ("holdout7", HOLDOUT7),
    ("holdout8", HOLDOUT8),
    ("holdout9", HOLDOUT9),
    ("holdout10", HOLDOUT10),
    ("holdout11", HOLDOUT11),
];

/// How many of the first [`HOLDOUTS`] the learned model is trained on (each
/// measured once before it was).
pub(super) const TRAINED_HOLDOUTS: usize = 10;

/// One labeled text.
#[derive(Clone, Debug)]
pub(super) struct Row {
    pub text: &'static str,
    /// The starter reason it means, or `None` for a reason not in the vocabulary.
    pub label: Option<&'static str>,
    pub side: Side,
    /// A near-miss: its words overlap a reason of another meaning.
    pub near: bool,
}

pub(super) fn rows(tsv: &'static str) -> Vec<Row> {
    tsv.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let (text, label, side) = match cols.as_slice() {
                [text, label, side, ..] => (*text, *label, *side),
                _ => panic!("a row needs text, label and side: {line:?}"),
            };
            let label = (label != "new").then_some(label);
            if let Some(l) = label {
                reason_named(l);
            }
            let side = match side {
                "mine" => Side::Mine,
                "theirs" => Side::Theirs,
                other => panic!("side is mine or theirs, not {other:?}: {line:?}"),
            };
            Row { text, label, side, near: cols.get(3) == Some(&"near") }
        })
        .collect()
}

/// The figures of one split.
#[derive(Clone, Debug, Default)]
pub(super) struct Figures {
    pub texts: usize,
    pub known: usize,
    /// Texts of a known reason counted under it.
    pub filed_right: usize,
    /// Texts counted under a reason of another meaning (a `new` text counted under anything).
    pub wrong_merges: usize,
    /// Texts counted under any reason.
    pub merged: usize,
    pub near: usize,
    /// Near-misses counted under a reason of another meaning.
    pub near_wrong: usize,
    /// Texts labeled theirs counted under a controllable reason.
    pub theirs_as_mine: usize,
    pub side_right: usize,
    pub certain: usize,
    pub certain_right: usize,
    /// Texts of a known reason whose reason is among the three the prompt
    /// offers for the text's side (`debrief log` asked interactively).
    pub offered_right: usize,
    /// Per label: (texts, counted right), and where the others went.
    pub per_reason: BTreeMap<&'static str, (usize, usize, Vec<String>)>,
    /// Per reason counted under: (merged, right).
    pub received: BTreeMap<&'static str, (usize, usize)>,
    pub mistakes: Vec<String>,
    /// Per text with a closest reason: (confidence, whether it is the right reason).
    pub confidences: Vec<(f64, bool)>,
}

impl Figures {
    pub fn recall(&self) -> f64 {
        ratio(self.filed_right, self.known)
    }

    pub fn wrong_share(&self) -> f64 {
        ratio(self.wrong_merges, self.texts)
    }

    pub fn precision(&self) -> f64 {
        ratio(self.merged - self.wrong_merges, self.merged)
    }

    /// Share of the texts of a known reason whose reason is among the
    /// prompt's three choices of its side.
    pub fn offered(&self) -> f64 {
        ratio(self.offered_right, self.known)
    }

    pub fn side_accuracy(&self) -> f64 {
        ratio(self.side_right, self.texts)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

/// Measures `rows` against the starter vocabulary. A row whose text is one
/// of the vocabulary's (the train paraphrases) is matched with that text left
/// out.
impl Figures {
    /// Recall and the share of wrong merges had texts been counted from
    /// confidence `t`.
    pub(super) fn if_counted_from(&self, t: f64) -> (f64, f64) {
        let right = self.confidences.iter().filter(|(c, r)| *c >= t && *r).count();
        let wrong = self.confidences.iter().filter(|(c, r)| *c >= t && !*r).count();
        (ratio(right, self.known), ratio(wrong, self.texts))
    }
}

pub(super) fn measure(rows: &[Row]) -> Figures {
    let full = vocabulary();
    let mut f = Figures { texts: rows.len(), ..Figures::default() };
    for row in rows {
        let left_out = in_vocabulary(row.text).then(|| without(row.text));
        let matcher = left_out.as_ref().unwrap_or(&full);
        let j = matcher.judge(row.text);
        let offered = matcher
            .suggestions(row.text, usize::MAX)
            .into_iter()
            .filter(|m| matcher.side_of(m.reason) == Some(row.side))
            .take(3)
            .any(|m| Some(label(m.reason)) == row.label);
        f.offered_right += usize::from(offered);
        let got = j.reason().map(|c| label(c.reason));
        if let Some(b) = &j.best {
            f.confidences.push((j.confidence, row.label == Some(label(b.reason))));
        }
        let right = got == row.label;
        let side_right = j.side.side == row.side;
        f.known += usize::from(row.label.is_some());
        f.filed_right += usize::from(right && got.is_some());
        f.merged += usize::from(got.is_some());
        f.near += usize::from(row.near);
        f.side_right += usize::from(side_right);
        if j.certain {
            f.certain += 1;
            f.certain_right += usize::from(right && side_right);
        }
        if let Some(g) = got {
            let slot = f.received.entry(g).or_default();
            slot.0 += 1;
            slot.1 += usize::from(right);
            if !right {
                f.wrong_merges += 1;
                f.near_wrong += usize::from(row.near);
                let controllable = STARTER.iter().any(|r| r.label == g && r.controllable);
                f.theirs_as_mine += usize::from(row.side == Side::Theirs && controllable);
            }
        }
        if let Some(l) = row.label {
            let slot = f.per_reason.entry(l).or_default();
            slot.0 += 1;
            slot.1 += usize::from(right);
            if !right {
                slot.2.push(format!("{:?} -> {}", row.text, got.unwrap_or("(new)")));
            }
        }
        if !right || !side_right {
            let best = j.best.as_ref().map(|b| format!("{} {:.2} {:?}", label(b.reason), b.score, b.words));
            let cues: Vec<String> =
                j.side.cues.iter().take(3).map(|c| format!("{:?}({}) {:+.2}", c.feature, c.words, c.weight)).collect();
            f.mistakes.push(format!(
                "{:?} [{} {}] -> {} | side {:?} p={:.2} {} | best {}",
                row.text,
                row.label.unwrap_or("new"),
                if row.side == Side::Mine { "mine" } else { "theirs" },
                got.unwrap_or("(new)"),
                j.side.side,
                j.side.theirs,
                cues.join(", "),
                best.unwrap_or_default(),
            ));
        }
    }
    f
}

/// The matcher the app would build from the starter vocabulary.
pub(super) fn vocabulary() -> Matcher {
    starter(|_, _| true)
}

fn in_vocabulary(text: &str) -> bool {
    let k = key(text);
    STARTER.iter().flat_map(|r| r.paraphrases).any(|p| key(p) == k)
}

/// The starter vocabulary without one paraphrase.
pub(super) fn without(text: &str) -> Matcher {
    let k = key(text);
    starter(|r, p| STARTER.get(r).and_then(|s| s.paraphrases.get(p)).is_none_or(|t| key(t) != k))
}

pub(super) fn report(name: &str, f: &Figures, detail: bool) -> String {
    let mut out = String::new();
    let pct = |x: f64| format!("{:.1}%", 100.0 * x);
    let _ = writeln!(out, "== {name}: {} texts ({} of a known reason, {} near-misses)", f.texts, f.known, f.near);
    let _ = writeln!(
        out,
        "paraphrases filed under their reason (recall): {} of {} = {}",
        f.filed_right,
        f.known,
        pct(f.recall())
    );
    let _ = writeln!(
        out,
        "offered among the prompt's three choices of its side: {} of {} = {}",
        f.offered_right,
        f.known,
        pct(f.offered())
    );
    let _ = writeln!(out, "counted under a reason: {}, of them right (precision): {}", f.merged, pct(f.precision()));
    let _ = writeln!(out, "wrong merges: {} of {} = {}", f.wrong_merges, f.texts, pct(f.wrong_share()));
    let _ = writeln!(
        out,
        "near-misses merged wrongly: {} of {}; theirs counted as a rep's mistake: {}",
        f.near_wrong, f.near, f.theirs_as_mine
    );
    let _ = writeln!(out, "mine/theirs right: {} of {} = {}", f.side_right, f.texts, pct(f.side_accuracy()));
    let _ = writeln!(
        out,
        "certain (filed without asking): {} of {} = {}, of them right: {}",
        f.certain,
        f.texts,
        pct(ratio(f.certain, f.texts)),
        pct(ratio(f.certain_right, f.certain))
    );
    let mut worst: Vec<_> = f.per_reason.iter().filter(|(_, v)| v.1 < v.0).collect();
    worst.sort_by(|a, b| ratio(a.1.1, a.1.0).total_cmp(&ratio(b.1.1, b.1.0)));
    let _ = writeln!(out, "worst reasons (recall, where the others went):");
    for (reason, (n, right, missed)) in worst.iter().take(if detail { 50 } else { 8 }) {
        let _ = writeln!(out, "  {reason}: {right} of {n}");
        for m in missed.iter().take(if detail { 10 } else { 3 }) {
            let _ = writeln!(out, "      {m}");
        }
    }
    let mut received: Vec<_> = f.received.iter().filter(|(_, v)| v.1 < v.0).collect();
    received.sort_by_key(|(_, v)| std::cmp::Reverse(v.0 - v.1));
    let _ = writeln!(out, "reasons receiving wrong merges (precision):");
    for (reason, (n, right)) in received.iter().take(8) {
        let _ = writeln!(out, "  {reason}: {right} of {n} right");
    }
    let _ = writeln!(out, "if counted from confidence … (recall / wrong merges):");
    for t in [0.3, 0.5, 0.7, 0.8, 0.85, 0.875, 0.9, 0.925] {
        let (recall, wrong) = f.if_counted_from(t);
        let _ = writeln!(out, "  {t}: {} / {}", pct(recall), pct(wrong));
    }
    if detail {
        let _ = writeln!(out, "mistakes:");
        for m in &f.mistakes {
            let _ = writeln!(out, "  {m}");
        }
    }
    out
}

#[test]
#[ignore = "prints the figures; run with --nocapture"]
fn corpus_report() {
    print_figures(false);
}

#[test]
#[ignore = "prints the figures and every mistake; run with --nocapture"]
fn corpus_mistakes() {
    print_figures(true);
}

fn print_figures(detail: bool) {
    let train = rows(TRAIN);
    let dev = rows(DEV);
    let both: Vec<Row> = train.iter().chain(&dev).cloned().collect();
    for (name, rows) in [("train", &train), ("dev", &dev), ("train+dev", &both)] {
        println!("{}", report(name, &measure(rows), detail));
    }
    for (name, part) in HOLDOUTS {
        println!("{}", report(name, &measure(&rows(part)), detail));
    }
}

#[test]
fn corpus_rows_are_well_formed_and_dev_and_holdout_unlike_the_vocabulary() {
    let known: std::collections::HashSet<String> =
        STARTER.iter().flat_map(|r| std::iter::once(&r.label).chain(r.paraphrases)).map(|t| key(t)).collect();
    let mut seen = std::collections::HashSet::new();
    let held: Vec<Row> = HOLDOUTS.into_iter().flat_map(|(_, part)| rows(part)).collect();
    for row in rows(DEV).iter().chain(&held) {
        assert!(!known.contains(&key(row.text)), "{:?} is a vocabulary text", row.text);
    }
    let parts = [TRAIN, DEV, WIDE].into_iter().chain(HOLDOUTS.map(|(_, part)| part));
    for row in parts.flat_map(rows) {
        assert!(seen.insert(key(row.text)), "{:?} twice", row.text);
        if let Some(l) = row.label {
            let kind = STARTER.iter().find(|r| r.label == l).map(|r| Side::of(r.controllable));
            assert_eq!(kind, Some(row.side), "{:?}: side of {l:?}", row.text);
        }
    }
}

/// The vocabulary starts with the train paraphrases (up to 80 characters).
#[test]
fn train_paraphrases_are_in_the_vocabulary() {
    for row in rows(TRAIN).iter().filter(|r| r.text.chars().count() <= 80) {
        let Some(l) = row.label else { continue };
        let reason = STARTER.iter().find(|r| r.label == l).unwrap();
        assert!(reason.paraphrases.iter().any(|p| key(p) == key(row.text)), "{:?} missing from {l:?}", row.text);
    }
}

/// Asserts the floors of one part: recall, mine-or-theirs right and the
/// reason among the prompt's choices ([`Figures::offered`]) at least; wrong
/// merges and client's reasons counted as a rep's mistake at most.
fn floors_hold(name: &str, part: &'static str, [recall, wrong, side, offered]: [f64; 4], theirs_as_mine: usize) {
    let f = measure(&rows(part));
    let shown = report(name, &f, false);
    assert!(f.recall() >= recall, "{shown}");
    assert!(f.offered() >= offered, "{shown}");
    assert!(f.wrong_share() <= wrong, "{shown}");
    assert!(f.side_accuracy() >= side, "{shown}");
    assert!(f.theirs_as_mine <= theirs_as_mine, "{shown}");
}

/// Floors slightly under the figures measured on the dev part (see
/// BENCHMARKS.md): a change that files worse fails here. Counting from 0.8
/// (0.85 before), dev merges five texts wrongly, four of them a client's
/// doing counted as the rep's ("he kept talking over me", "client hadn't
/// done any research on us").
#[test]
fn dev_figures_hold() {
    floors_hold("dev", DEV, [0.96, 0.02, 0.97, 0.99], 4);
}

/// Floors slightly under the figures on the first holdout. It was measured
/// once, for the method frozen at `7c21980`; the method that reads closeness
/// in meaning was then measured on it too, so it is now seen, like dev, and
/// the learned model is trained on it (see BENCHMARKS.md).
#[test]
fn holdout_figures_hold() {
    floors_hold("holdout", HOLDOUT, [0.89, 0.01, 0.98, 0.99], 0);
}

/// Floors slightly under the figures on the second holdout. It was measured
/// once, for the matcher that reads closeness in meaning (frozen at
/// `6507771`); the learned model was then chosen looking at it too, and is
/// now trained on it (see BENCHMARKS.md).
#[test]
fn holdout2_figures_hold() {
    floors_hold("holdout2", HOLDOUT2, [0.87, 0.005, 0.98, 0.99], 0);
}

/// Floors slightly under the figures on the third holdout. It was written
/// after the learned model was frozen at `be61645` and measured once; the
/// learned model is now trained on it (see BENCHMARKS.md).
#[test]
fn holdout3_figures_hold() {
    floors_hold("holdout3", HOLDOUT3, [0.93, 0.005, 0.99, 0.99], 0);
}

/// Floors slightly under the figures on the fourth holdout. It was written
/// after the learned model was retrained and frozen at `1e12ce2` and
/// measured once; the method was then changed looking at it, and the learned
/// model is now trained on it (see BENCHMARKS.md).
#[test]
fn holdout4_figures_hold() {
    floors_hold("holdout4", HOLDOUT4, [0.9, 0.005, 0.99, 0.99], 0);
}

/// Floors slightly under the figures on the fifth holdout, written after
/// the matcher was frozen at `2dc19cf` and measured once (see
/// BENCHMARKS.md); the learned model is now trained on it.
#[test]
fn holdout5_figures_hold() {
    floors_hold("holdout5", HOLDOUT5, [0.9, 0.005, 0.99, 0.99], 0);
}

/// Floors slightly under the figures on the sixth holdout, written after
/// the matcher was frozen at `e3dbb76` (the prompt's choices ranked by the
/// learned model) and measured once (see BENCHMARKS.md); the learned model
/// is now trained on it.
#[test]
fn holdout6_figures_hold() {
    floors_hold("holdout6", HOLDOUT6, [0.94, 0.005, 0.99, 0.99], 0);
}

/// Floors slightly under the figures on the seventh holdout, written after
/// the learned model was retrained on four more blocks of writers and the
/// fourth to sixth holdouts and frozen at `e8f3d38`, and measured once; it
/// was then read again by the build with the sequence reader, whose counting
/// threshold it kept at 0.9, and both readers are now trained on it (see
/// BENCHMARKS.md).
#[test]
fn holdout7_figures_hold() {
    floors_hold("holdout7", HOLDOUT7, [0.97, 0.005, 0.99, 0.99], 0);
}

/// Floors slightly under the figures on the eighth holdout, written after
/// the sequence reader was added and the matcher frozen at `f0e72f2`, and
/// measured once (see BENCHMARKS.md); both readers are now trained on it.
#[test]
fn holdout8_figures_hold() {
    floors_hold("holdout8", HOLDOUT8, [0.97, 0.005, 0.99, 0.99], 0);
}

/// Floors slightly under the figures on the ninth holdout, written after
/// the matcher was frozen at `899f7a9` (three sequence readers; both
/// readers trained on the seventh and eighth holdouts) and measured once
/// (see BENCHMARKS.md); both readers are now trained on it.
#[test]
fn holdout9_figures_hold() {
    floors_hold("holdout9", HOLDOUT9, [0.97, 0.005, 0.99, 0.99], 0);
}

/// Floors slightly under the figures on the tenth holdout, written after
/// the matcher was frozen at `9a9a29f` (the sequence readers read word
/// pieces; both readers trained on `part34`, `part35` and the ninth
/// holdout; counting from 0.85), and measured once (see BENCHMARKS.md);
/// both readers are now trained on it.
#[test]
fn holdout10_figures_hold() {
    floors_hold("holdout10", HOLDOUT10, [0.97, 0.005, 0.99, 0.99], 0);
}

/// Floors slightly under the figures measured once on the eleventh
/// holdout, written after the matcher was frozen at `34a1017` (five
/// sequence readers; the counting model reads how many put a reason first;
/// both readers trained on `part36` to `part39` and the tenth holdout;
/// counting from 0.8), and never tuned on (see BENCHMARKS.md). Wrong merges
/// (2%) meet the target on it; recall (95%) does not, nor mine-or-theirs
/// (95%): twelve of its eighteen misreads are failures of the rep's own
/// company ("our platform had a 2 day outage") its writers called the
/// rep's, where most of the corpus calls them outside the rep's control.
/// One client's doing is counted as the rep's mistake.
#[test]
fn holdout11_figures_hold() {
    floors_hold("holdout11", HOLDOUT11, [0.86, 0.01, 0.94, 0.98], 1);
}

/// Two readers who saw only the list of reasons and holdout5's texts
/// (shuffled, without the writers' labels) labeled them again
/// (`data/reasons/agreement.tsv`): they give the writers' reason to all but
/// a few texts and the writers' side to nearly all, so the figures the
/// matcher is held to are ones a careful reader reaches.
#[test]
fn readers_agree_with_the_writers() {
    let agreement = include_str!("../../data/reasons/agreement.tsv");
    let written = rows(HOLDOUT5);
    let read: Vec<Vec<&str>> =
        agreement.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(|l| l.split('\t').collect()).collect();
    assert_eq!(read.len(), written.len(), "agreement.tsv labels every text of holdout5.tsv");
    let labels: std::collections::HashSet<&str> = crate::vocabulary::STARTER.iter().map(|s| s.label).collect();
    let mut same = [0usize; 2];
    let mut same_side = [0usize; 2];
    for (row, cells) in written.iter().zip(&read) {
        assert_eq!(cells.len(), 5, "text, then each reader's label and side: {cells:?}");
        assert_eq!(cells[0], row.text, "agreement.tsv follows holdout5.tsv's order");
        for (reader, (label, side)) in [(cells[1], cells[2]), (cells[3], cells[4])].into_iter().enumerate() {
            assert!(label == "new" || labels.contains(label), "{label:?} is a starter reason or new");
            same[reader] += usize::from(label == row.label.unwrap_or("new"));
            same_side[reader] += usize::from(side == if row.side == Side::Mine { "mine" } else { "theirs" });
        }
    }
    let n = written.len() as f64;
    for reader in 0..2 {
        let (label, side) = (same[reader] as f64 / n, same_side[reader] as f64 / n);
        assert!(label >= 0.98 && side >= 0.97, "reader {reader}: reason {label:.3}, side {side:.3}");
    }
}
