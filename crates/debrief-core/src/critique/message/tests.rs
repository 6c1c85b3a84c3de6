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

/// An imperative pointing at a link is an ask; the same kind of ask twice
/// is one ask; four kinds of ask are counted as four.
#[test]
fn asks_are_counted_by_kind() {
    let r = review(
        "Hi Ann,\n\nYour crews lose an hour a day to paper.\nVisit the site below for the details.\nhttps://acme.example/crews\n",
    );
    let Details::Message(s) = &r.details else { panic!() };
    assert_eq!(s.cta_kinds, ["visit"]);
    assert!(!rules(&r).iter().any(|(id, _, _)| *id == "cta/missing"), "{:?}", rules(&r));
    let twice = review(
        "Hi Ann,\n\nYou save an hour a day.\nCould we meet on Tuesday at 10?\nP.S. Would Tuesday at 10 work for a call?\n",
    );
    let Details::Message(s) = &twice.details else { panic!() };
    assert_eq!(s.cta_kinds, ["meeting"]);
    let four = review(
        "Hi Ann,\n\nYou save an hour a day.\nLet me know what you think.\nOr call me at 555 0100.\nStart your free trial today.\nUse code SAVE20 for a discount.\n",
    );
    let Details::Message(s) = &four.details else { panic!() };
    assert_eq!(s.cta_kinds, ["reply", "phone", "trial", "offer"]);
    let cta = four.parts.iter().find(|p| p.name == "cta").unwrap();
    assert!(cta.points < 12.0, "{cta:?}");
}

/// Everyday urgency counts as a reason to act now.
#[test]
fn everyday_urgency() {
    for line in [
        "Don't sit on this one.",
        "Get in before everyone else does.",
        "Only 3 spots left for April.",
        "The doors close tonight.",
    ] {
        let r = review(&format!("Hi Ann,\n\nYou save an hour a day. {line}\nCould we talk on Tuesday at 10?\n"));
        let Details::Message(s) = &r.details else { panic!() };
        assert!(s.urgency, "{line}");
    }
}

/// Shouting, pressure, hype and empty check-ins are named, with the words,
/// and cap the score: one kind at 60, two or more at 35.
#[test]
fn pushy_or_empty_tone_caps_the_score() {
    let pushy = "Subject: LAST CHANCE!!\n\nHi Ann,\n\nYour crews save an hour a day, so you finish jobs before dark.\nI've reached out three times and I'm a bit disappointed.\nCould we talk on Tuesday at 10, before the price goes up on Friday?\n";
    let r = review(pushy);
    let ids: Vec<&str> = rules(&r).iter().map(|(id, _, _)| *id).collect();
    assert!(ids.contains(&"tone/shouting") && ids.contains(&"tone/pressure"), "{ids:?}");
    let pressure = r.findings.iter().find(|f| f.rule == "tone/pressure").unwrap();
    assert!(
        pressure.message.contains("\"i've reached out\"") && pressure.message.contains("disappointed"),
        "{}",
        pressure.message
    );
    assert_eq!((pressure.line, pressure.col), (6, 1));
    assert!(r.score <= 35, "{} {:?}", r.score, r.parts);
    let empty = review(
        "Subject: Your picking time\n\nHi Ann,\n\nJust checking in to see if you had a chance to look at my note.\nYou would save an hour a day.\nCould we talk on Tuesday at 10?\n",
    );
    assert!(rules(&empty).iter().any(|(id, _, _)| *id == "tone/empty-follow-up"), "{:?}", rules(&empty));
    assert!(empty.score <= 60);
    // Acronyms are not shouting.
    let plain = review(
        "Hi Ann,\n\nOur CRM syncs with your ERP and SAP, so your team saves an hour a day.\nCould we talk on Tuesday at 10?\n",
    );
    assert!(!rules(&plain).iter().any(|(id, _, _)| *id == "tone/shouting"), "{:?}", rules(&plain));
}

/// Sign-off, signature, footer and lone links are left out, and said.
#[test]
fn mail_furniture_is_left_out_and_said() {
    let text = "Hi Ann,\n\nYour crews save an hour a day.\nCould we talk on Tuesday at 10?\n\nTalk to you soon,\nMark Li\nAcme | +1 555 010 2030\n\nYou are receiving this because you asked for our newsletter. Unsubscribe.\n";
    let r = review(text);
    assert!(
        r.sentences.iter().all(|s| !s.text.contains("soon") && !s.text.contains("Unsubscribe")),
        "{:?}",
        r.sentences
    );
    let said: Vec<&str> = r.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(
        said,
        [
            "left out of the review: the sign-off and signature (lines 6–8)",
            "left out of the review: the unsubscribe and address footer (line 10)"
        ]
    );
}
