//! Message review cases: which rules fire where, and the score's parts.

use super::*;
use crate::critique::parse::plain_message;

fn review(text: &str) -> Review {
    review_message(&plain_message(text), &ReviewConfig::default())
}

fn rules(r: &Review) -> Vec<(&'static str, u32, u32)> {
    r.findings.iter().map(|f| (f.rule, f.line, f.col)).collect()
}

const GOOD: &str = "Subject: Cut your picking time by a third\n\nHi Dana,\n\nYour pickers walk half the distance per order, so you ship more before the 3 pm cut-off.\nYou also avoid the overtime you paid last peak.\n\nCould we talk on Tuesday at 10 for 15 minutes, before your peak season starts?\n\nBest,\nSam";

const FEATURE_DUMP: &str = "Subject: Our new WMS release\n\nHello,\n\nWe are excited to announce version 5 of our platform.\nIt includes barcode and RFID scanning.\nThe dashboard refreshes every fifteen minutes.\nIt integrates with SAP and Oracle.\n\nRegards,\nAcme";

#[test]
fn a_good_message_scores_high_and_is_clean() {
    let r = review(GOOD);
    assert_eq!(rules(&r), []);
    assert!(r.score >= 90, "{} {:?}", r.score, r.parts);
    let Details::Message(s) = &r.details else { panic!() };
    assert_eq!(s.cta_kinds, ["meeting"]);
    assert!(s.urgency);
    assert_eq!(s.questions, 1);
    assert_eq!(s.benefits, 2);
}

#[test]
fn features_without_benefits_are_named() {
    let r = review(FEATURE_DUMP);
    let flagged: Vec<(u32, u32)> =
        r.findings.iter().filter(|f| f.rule == "benefit/feature-without-benefit").map(|f| (f.line, f.col)).collect();
    assert_eq!(flagged, [(5, 1), (6, 1), (7, 1), (8, 1)]);
    for rule in ["cta/missing", "urgency/missing", "questions/none", "subject/not-about-reader", "focus/we-heavy"] {
        assert!(rules(&r).iter().any(|(id, _, _)| *id == rule), "{rule}: {:?}", rules(&r));
    }
    assert!(r.score < 40, "{} {:?}", r.score, r.parts);
}

#[test]
fn sentence_positions_and_classes() {
    let r = review(GOOD);
    let first = &r.sentences[0];
    assert_eq!((first.line, first.col, first.text.as_str()), (3, 1, "Hi Dana,"));
    assert_eq!(first.class, SentenceClass::Neither);
    let second = &r.sentences[1];
    assert_eq!((second.line, second.col), (5, 1));
    assert_eq!(second.class, SentenceClass::Benefit);
}

#[test]
fn multiple_kinds_of_ask() {
    let r = review(
        "Hi Jo,\n\nYou save two hours a day. Can we set up a call on Friday? Also, please forward this to your CFO.\n",
    );
    let f = r.findings.iter().find(|f| f.rule == "cta/multiple").expect("cta/multiple");
    assert_eq!((f.line, f.col), (3, 59));
    assert!(f.message.contains("meeting, refer"), "{}", f.message);
}

#[test]
fn long_text_and_long_sentences() {
    let sentence = "We would like to take this opportunity to explain in considerable detail the comprehensive organizational capabilities that our international consultancy provides to enterprises of every size and in every industry. ";
    let r = review(&sentence.repeat(8));
    let ids: Vec<&str> = r.findings.iter().map(|f| f.rule).collect();
    assert!(ids.contains(&"length/too-long"));
    assert!(ids.contains(&"readability/flesch"));
    assert_eq!(ids.iter().filter(|id| **id == "sentence/too-long").count(), 8);
}

#[test]
fn subjects() {
    let long = "Subject: A quick note about the quarterly business review we talked about last month\n\nYou save time. Free Tuesday?";
    let ids: Vec<&str> = review(long).findings.iter().map(|f| f.rule).collect();
    assert!(ids.contains(&"subject/too-long"), "{ids:?}");
    assert!(ids.contains(&"subject/not-about-reader"), "{ids:?}");
    let f = review(long).findings.into_iter().find(|f| f.rule == "subject/too-long").unwrap();
    assert_eq!((f.line, f.col), (1, 10));
}

#[test]
fn disabled_rules_neither_fire_nor_score() {
    let mut config = ReviewConfig::default();
    for id in ["cta/missing", "urgency/missing", "questions/none"] {
        config.set(id, "off").unwrap();
    }
    let r = review_message(&plain_message(FEATURE_DUMP), &config);
    assert!(r.findings.iter().all(|f| config.is_enabled(f.rule)));
    assert!(r.parts.iter().all(|p| p.name != "urgency" && p.name != "questions"));
}

#[test]
fn score_parts_add_up() {
    for text in [GOOD, FEATURE_DUMP, "Hi.", "x"] {
        let r = review(text);
        let max: f64 = r.parts.iter().map(|p| p.max).sum();
        let pts: f64 = r.parts.iter().map(|p| p.points).sum();
        assert!((f64::from(r.score) - 100.0 * pts / max).abs() <= 1.0, "{text}: {r:?}");
    }
}
