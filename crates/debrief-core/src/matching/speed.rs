//! How long matching one text takes against a large vocabulary: 5,000
//! reasons of three texts each, made up from sales words and invented names
//! (`cargo test -p debrief-core --release -- --ignored match_speed --nocapture`).

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::corpus::{DEV, rows};
use super::{Matcher, Side};
use crate::model::ReasonId;
use crate::vocabulary::STARTER;

/// A vocabulary of `reasons` reasons: the starter ones, then made-up ones.
pub(super) fn synthetic(reasons: usize, seed: u64) -> Matcher {
    let mut rng = SmallRng::seed_from_u64(seed);
    let words: Vec<&str> = STARTER
        .iter()
        .flat_map(|r| std::iter::once(r.label).chain(r.paraphrases.iter().copied()))
        .flat_map(str::split_whitespace)
        .collect();
    let mut m = Matcher::new();
    for (i, r) in STARTER.iter().enumerate() {
        m.add_reason(ReasonId(i as i64), Side::of(r.controllable), r.label);
        r.paraphrases.iter().for_each(|p| m.add(ReasonId(i as i64), p));
    }
    for i in STARTER.len()..reasons {
        let id = ReasonId(i as i64);
        let side = if rng.random_bool(0.7) { Side::Mine } else { Side::Theirs };
        for t in 0..3 {
            let n = rng.random_range(3..9);
            let mut text: Vec<String> = (0..n).map(|_| words[rng.random_range(0..words.len())].to_string()).collect();
            // An invented name (product, client, tool) in about every other text.
            if rng.random_bool(0.5) {
                let name: String =
                    (0..rng.random_range(5..10)).map(|_| rng.random_range(b'a'..=b'z') as char).collect();
                text.push(name);
            }
            let text = text.join(" ");
            if t == 0 { m.add_reason(id, side, &text) } else { m.add(id, &text) }
        }
    }
    m
}

#[test]
#[ignore = "measures time; run in release with --nocapture"]
#[allow(clippy::disallowed_methods)] // A measurement, not domain code: it reads the clock.
fn match_speed() {
    let start = std::time::Instant::now();
    let starter = synthetic(0, 7);
    let starter_built = start.elapsed().as_secs_f64() * 1e3;
    let start = std::time::Instant::now();
    std::hint::black_box(synthetic(0, 7));
    let again = start.elapsed().as_secs_f64() * 1e3;
    println!(
        "the starter vocabulary, {} texts, built in {starter_built:.2} ms (the first in a process), {again:.2} ms again",
        starter.len()
    );
    let start = std::time::Instant::now();
    std::hint::black_box(super::learned::classify(&super::text::Analysis::new("no budget")));
    let learned_read = start.elapsed().as_secs_f64() * 1e3;
    println!("the learned model read (once in a process) and one text classified: {learned_read:.2} ms");
    let texts: Vec<&str> =
        STARTER.iter().flat_map(|r| std::iter::once(r.label).chain(r.paraphrases.iter().copied())).collect();
    let start = std::time::Instant::now();
    for t in &texts {
        std::hint::black_box(super::text::Analysis::new(t));
    }
    println!("  of which reading the texts: {:.2} ms", start.elapsed().as_secs_f64() * 1e3);
    let words: Vec<Vec<String>> = texts.iter().map(|t| super::text::Analysis::words(t)).collect();
    let start = std::time::Instant::now();
    for w in &words {
        std::hint::black_box(super::semantic::sentence(w.iter().map(String::as_str)));
    }
    println!("  of which their vectors: {:.2} ms", start.elapsed().as_secs_f64() * 1e3);
    let texts: Vec<&str> = rows(DEV).iter().map(|r| r.text).collect();
    let times = times_of(&texts, |t| {
        std::hint::black_box(starter.judge(t));
    });
    println!("judge() of one dev text against it: median {:.0} µs, p90 {:.0} µs", at(&times, 0.5), at(&times, 0.9));
    let start = std::time::Instant::now();
    let m = synthetic(5_000, 7);
    let built = start.elapsed().as_secs_f64() * 1e3;
    let times = times_of(&texts, |t| {
        std::hint::black_box(m.judge(t));
    });
    println!(
        "5,000 reasons, {} texts, built in {built:.1} ms; judge() of one dev text: median {:.0} µs, p90 {:.0} µs, max {:.0} µs",
        m.len(),
        at(&times, 0.5),
        at(&times, 0.9),
        at(&times, 1.0)
    );
    for (name, matcher) in [("the starter vocabulary", &starter), ("5,000 reasons", &m)] {
        let times = times_of(&texts, |t| {
            std::hint::black_box(matcher.suggestions(t, 3));
        });
        let (median, p90) = (at(&times, 0.5), at(&times, 0.9));
        println!("suggestions(…, 3) of one dev text against {name}: median {median:.0} µs, p90 {p90:.0} µs");
    }
    let long = "so honestly I went in without a plan and talked about features for an hour ".repeat(40);
    let start = std::time::Instant::now();
    std::hint::black_box(m.judge(&long));
    println!(
        "a {}-character text (read up to {} characters): {:.0} µs",
        long.len(),
        super::MAX_CHARS,
        start.elapsed().as_secs_f64() * 1e6
    );
}

/// The time of `f` on each of `texts`, in µs, sorted: five rounds after
/// one that warms the caches.
#[allow(clippy::disallowed_methods)] // A measurement, not domain code: it reads the clock.
fn times_of(texts: &[&str], mut f: impl FnMut(&str)) -> Vec<f64> {
    let mut times = Vec::new();
    for round in 0..6 {
        for t in texts {
            let start = std::time::Instant::now();
            f(t);
            if round > 0 {
                times.push(start.elapsed().as_secs_f64() * 1e6);
            }
        }
    }
    times.sort_by(f64::total_cmp);
    times
}

/// The `q` quantile of sorted `times`.
fn at(times: &[f64], q: f64) -> f64 {
    times[((times.len() - 1) as f64 * q) as usize]
}
