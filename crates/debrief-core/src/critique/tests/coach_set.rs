//! Whole e-mails and calls graded by a coach's standard (`data/messages/`,
//! `data/calls/`, written by a writer who never saw the review): how the
//! review's score ranks them against the coach's ranking. The rules were
//! tuned on the first sets; `holdout/` in each folder was never tuned on
//! (see each folder's README).
//!
//!     cargo test -p debrief-core --release --lib -- --ignored coach_rankings --nocapture

use super::super::*;

/// One graded file: its name, text, the coach's grade and score, and for a call the rep and whether the client agreed a next step.
struct Graded {
    file: String,
    grade: String,
    coach: f64,
    rep: Option<String>,
    next_step: Option<bool>,
}

#[allow(clippy::disallowed_methods, reason = "reads the labeled files of the data folder, a measurement")]
fn graded(folder: &str) -> Vec<(Graded, Vec<u8>)> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(folder);
    let ranking = std::fs::read_to_string(dir.join("ranking.tsv")).unwrap();
    ranking
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let g = if folder.starts_with("calls") {
                Graded {
                    file: cols[0].into(),
                    rep: Some(cols[1].into()),
                    grade: cols[2].into(),
                    coach: cols[3].parse().unwrap(),
                    next_step: Some(cols[4] == "yes"),
                }
            } else {
                Graded {
                    file: cols[0].into(),
                    grade: cols[1].into(),
                    coach: cols[2].parse().unwrap(),
                    rep: None,
                    next_step: None,
                }
            };
            let bytes = std::fs::read(dir.join(&g.file)).unwrap();
            (g, bytes)
        })
        .collect()
}

/// Ranks (1-based, ties averaged).
fn ranks(xs: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut r = vec![0.0; xs.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && xs[order[j + 1]] == xs[order[i]] {
            j += 1;
        }
        for k in i..=j {
            r[order[k]] = (i + j) as f64 / 2.0 + 1.0;
        }
        i = j + 1;
    }
    r
}

/// Spearman's rank correlation.
fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = ra.len() as f64;
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = ra.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = rb.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[test]
#[ignore = "prints figures"]
fn coach_rankings() {
    for folder in ["messages", "calls", "messages/holdout", "calls/holdout"] {
        let files = graded(folder);
        let mut scores = Vec::new();
        let mut next_right = 0;
        for (g, bytes) in &files {
            let input = ReviewInput { name: &g.file, bytes, kind: None, me: g.rep.as_deref() };
            let (score, next) = match review(&input, &ReviewConfig::default()) {
                Ok(r) => {
                    let next = match &r.details {
                        Details::Transcript(t) => Some(t.me.next_step_agreed),
                        Details::Message(_) => None,
                    };
                    (f64::from(r.score), next)
                }
                Err(e) => {
                    eprintln!("{folder}/{}: refused: {e}", g.file);
                    (0.0, None)
                }
            };
            if g.next_step.is_some() && next == g.next_step {
                next_right += 1;
            }
            eprintln!("{folder}/{:<45} {:<5} coach {:>3}  review {score:>3}", g.file, g.grade, g.coach);
            scores.push(score);
        }
        let coach: Vec<f64> = files.iter().map(|(g, _)| g.coach).collect();
        let rho = spearman(&coach, &scores);
        let mut inversions = 0;
        for (i, (p, _)) in files.iter().enumerate() {
            for (j, (g, _)) in files.iter().enumerate() {
                if p.grade == "poor" && g.grade == "good" && scores[i] > scores[j] + 20.0 {
                    inversions += 1;
                }
            }
        }
        eprintln!(
            "{folder}: {} files, rank correlation with the coach {rho:.3}, poor scored above good by more than 20 points: {inversions} pairs{}",
            files.len(),
            if folder.starts_with("calls") {
                format!(", next step agreed right {next_right} of {}", files.len())
            } else {
                String::new()
            }
        );
    }
}

/// Every graded e-mail and call is English and is reviewed: the language
/// check does not refuse English written by others (sign-offs, names,
/// prices, slang and all).
#[test]
fn every_graded_file_is_reviewed_as_english() {
    for folder in ["messages", "calls", "messages/holdout", "calls/holdout"] {
        for (g, bytes) in graded(folder) {
            let input = ReviewInput { name: &g.file, bytes: &bytes, kind: None, me: g.rep.as_deref() };
            let result = review(&input, &ReviewConfig::default());
            assert!(result.is_ok(), "{folder}/{}: {:?}", g.file, result.err());
        }
    }
}

/// A message in another language is named and not scored; a short one, or
/// English with a foreign name or phrase, is reviewed.
#[test]
fn another_language_is_named_and_not_scored() {
    let german = "Subject: Ihr Angebot\n\nSehr geehrte Frau Müller,\n\nvielen Dank für Ihre Anfrage. \
        Unser neues System spart Ihrem Team jede Woche mehrere Stunden, weil alle Aufträge automatisch \
        geplant werden. Hätten Sie am Dienstag um zehn Uhr Zeit für ein kurzes Gespräch?\n\nMit freundlichen Grüßen\nJan\n";
    let spanish = "Hola Marta,\n\nGracias por la reunión de ayer. Nuestro servicio reduce el tiempo que su equipo \
        dedica a las facturas y le permite cobrar antes. ¿Podemos hablar el jueves a las once para ver los números?\n\nSaludos,\nLuis\n";
    for (text, language) in [(german, "German"), (spanish, "Spanish")] {
        let input = ReviewInput { name: "mail.txt", bytes: text.as_bytes(), kind: None, me: None };
        let err = review(&input, &ReviewConfig::default()).unwrap_err();
        assert!(matches!(&err, InputError::NotEnglish { language: l } if l == language), "{err}");
        assert!(err.to_string().contains("only English is reviewed"), "{err}");
    }
    for english in [
        "Danke schön, Anna!",
        "Hi Jürgen,\n\nThanks for the tour of the Düsseldorf plant yesterday. Our scheduler cuts the time your \
         planners spend on changeovers by a third, so the line runs longer each shift. Could we walk through \
         your numbers on Tuesday at 10?\n\nBest,\nSam\n",
    ] {
        let input = ReviewInput { name: "mail.txt", bytes: english.as_bytes(), kind: None, me: None };
        assert!(review(&input, &ReviewConfig::default()).is_ok(), "{english}");
    }
}

/// The time the language check takes on a 115-word e-mail (printed).
#[test]
#[ignore = "prints a timing"]
#[allow(clippy::disallowed_methods, reason = "a benchmark measures wall time")]
fn language_check_speed() {
    let text = "Subject: Your logistics follow-up\n\nHi Anna,\n\nThanks for taking the time to talk with me on Monday about your logistics plans. \
        Our platform includes a scheduling engine, an API and single sign-on. It cuts the time your team spends on manual logistics reports by about a third, \
        so you can focus on customers. We have been in the market for fifteen years and we serve more than two hundred clients. \
        You mentioned that logistics delays cost you two lost orders last quarter. Could we book thirty minutes next Monday to walk through your numbers together? \
        The introductory price holds until the end of the month.\n\nBest,\nTom\n";
    let doc = crate::critique::parse("mail.txt", text.as_bytes(), None).unwrap();
    let started = std::time::Instant::now();
    for _ in 0..1000 {
        std::hint::black_box(crate::critique::not_english(&doc));
    }
    eprintln!("language check: {:.1} µs an e-mail", started.elapsed().as_secs_f64() * 1e6 / 1000.0);
}
