//! The labeled transcript set (`data/transcripts/`): every figure of the
//! user's, checked exactly against `expected.tsv`.

use super::super::*;

macro_rules! file {
    ($name:literal) => {
        ($name, include_str!(concat!("../../../data/transcripts/", $name)))
    };
}

const FILES: &[(&str, &str)] = &[
    file!("01-cold-call-saas.txt"),
    file!("02-insurance-renewal.vtt"),
    file!("03-discovery-manufacturing.srt"),
    file!("04-real-estate-viewing.txt"),
    file!("05-telecom-zoom.vtt"),
    file!("06-insurance-inbound.srt"),
    file!("07-consulting-pitch.txt"),
    file!("08-healthcare-scheduling.vtt"),
    file!("09-retail-fillers.srt"),
    file!("10-logistics-counter-offer.txt"),
    file!("11-finance-monologue.vtt"),
    file!("12-saas-renewal.txt"),
    file!("13-construction-rebar.srt"),
    file!("14-education-no-budget.txt"),
    file!("15-hospitality-offsite.vtt"),
    file!("16-automotive-fleet.srt"),
    file!("17-security-datasheet.txt"),
    file!("18-agriculture-sensors.vtt"),
    file!("19-legal-demo.txt"),
    file!("20-telecom-declined.srt"),
    file!("21-manufacturing-rfq.txt"),
    file!("22-consulting-checkin.txt"),
];

const EXPECTED: &str = include_str!("../../../data/transcripts/expected.tsv");

/// One row of `expected.tsv`, as text, so a mismatch prints both sides.
fn actual_row(name: &str, text: &str, me_arg: &str) -> String {
    let me = (me_arg != "-").then_some(me_arg);
    let input = ReviewInput { name, bytes: text.as_bytes(), kind: None, me };
    let review = review(&input, &ReviewConfig::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let Details::Transcript(t) = &review.details else { panic!("{name} read as a message") };
    let m = &t.me;
    let seconds = m.longest_monologue_seconds.map_or("-".to_owned(), |s| format!("{s}"));
    [
        name.to_owned(),
        me_arg.to_owned(),
        m.name.clone(),
        m.chosen_by.as_str().to_owned(),
        t.speakers.len().to_string(),
        m.words.to_string(),
        format!("{:.3}", m.word_share),
        m.questions.to_string(),
        m.longest_monologue_words.to_string(),
        seconds,
        if m.next_step_agreed { "yes" } else { "no" }.to_owned(),
        m.filler_count.to_string(),
    ]
    .join("\t")
}

#[test]
fn transcript_figures_match_exactly() {
    let rows: Vec<&str> = EXPECTED.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).collect();
    assert!(rows.len() >= 20, "{} transcripts", rows.len());
    assert_eq!(rows.len(), FILES.len(), "every file has a row");
    let mut mismatches = Vec::new();
    for row in &rows {
        let mut cols = row.split('\t');
        let (name, me_arg) = (cols.next().unwrap(), cols.next().unwrap());
        let (_, text) = FILES.iter().find(|(f, _)| *f == name).unwrap_or_else(|| panic!("no file {name}"));
        let got = actual_row(name, text, me_arg);
        if got != *row {
            mismatches.push(format!("want {row}\n got {got}"));
        }
    }
    eprintln!("transcript set: {} of {} match exactly", rows.len() - mismatches.len(), rows.len());
    assert!(mismatches.is_empty(), "\n{}", mismatches.join("\n"));
}
