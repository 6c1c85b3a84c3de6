//! Call review cases: choosing the user, the figures, and the findings.

use super::*;
use crate::critique::cues::{parse_speaker_lines, parse_webvtt};

fn review(text: &str, me: Option<&str>) -> Review {
    let t = parse_speaker_lines(text).unwrap();
    review_transcript(&t, me, &ReviewConfig::default()).unwrap()
}

fn me_of(r: &Review) -> &MeStats {
    match &r.details {
        Details::Transcript(t) => &t.me,
        Details::Message(_) => panic!("not a transcript"),
    }
}

const CALL: &str = "\
Ann: Hi Bob, this is Ann from Acme. Is now still a good time?
Bob: Yes, go ahead.
Ann: How do you plan routes today? What does a late truck cost you?
Bob: We use spreadsheets and it takes hours.
Ann: So you'd save those hours. Shall we do a demo on Thursday at 2?
Bob: Sounds good, Thursday works.
";

#[test]
fn figures_of_a_short_call() {
    let r = review(CALL, None);
    let me = me_of(&r);
    assert_eq!((me.name.as_str(), me.chosen_by), ("Ann", MeChoice::Introduction));
    assert_eq!(me.words, 40);
    assert_eq!(me.questions, 4);
    assert_eq!(me.longest_monologue_words, 14);
    assert_eq!(me.longest_monologue_seconds, None);
    assert!(me.next_step_agreed);
    let Details::Transcript(t) = &r.details else { panic!() };
    assert_eq!(
        t.speakers.iter().map(|s| (s.name.as_str(), s.words, s.turns)).collect::<Vec<_>>(),
        [("Ann", 40, 3), ("Bob", 14, 3)]
    );
}

#[test]
fn choosing_the_user() {
    let r = review(CALL, Some("bob"));
    assert_eq!((me_of(&r).name.as_str(), me_of(&r).chosen_by), ("Bob", MeChoice::Given));
    let t = parse_speaker_lines("Prospect: Hello?\nRep: Hi, it's Sam.\n").unwrap();
    let r = review_transcript(&t, None, &ReviewConfig::default()).unwrap();
    assert_eq!(me_of(&r).chosen_by, MeChoice::RoleName);
    let r = review("Carl Diaz: Hello.\nDee: Hi.\n", None);
    assert_eq!((me_of(&r).name.as_str(), me_of(&r).chosen_by), ("Carl Diaz", MeChoice::FirstSpeaker));
    let r = review("Carl Diaz: Hello.\nDee: Hi.\n", Some("carl"));
    assert_eq!(me_of(&r).name, "Carl Diaz");
    let t = parse_speaker_lines("Ann: Hi.\nBob: Hi.\n").unwrap();
    let err = review_transcript(&t, Some("Zed"), &ReviewConfig::default()).unwrap_err();
    assert_eq!(err.to_string(), "--me \"Zed\" is not a speaker in this transcript: speakers are Ann, Bob");
}

#[test]
fn findings_of_a_pitchy_call() {
    let text = "\
Rep: Um, so our platform has, like, a routing engine. It includes live tracking. It integrates with SAP. Basically it supports every carrier.
Lead: Okay.
Rep: It also comes with a mobile app and the dashboard refreshes every minute, um, and it has alerts.
Lead: I'll think about it.
";
    let r = review(text, None);
    let ids: Vec<&str> = r.findings.iter().map(|f| f.rule).collect();
    for id in ["talk/too-much", "questions/too-few", "benefit/feature-heavy", "next-step/missing"] {
        assert!(ids.contains(&id), "{id}: {ids:?}");
    }
    assert!(!ids.contains(&"filler/frequent"), "three fillers in 40 words say nothing of a rate: {ids:?}");
    let next = r.findings.iter().find(|f| f.rule == "next-step/missing").unwrap();
    assert_eq!((next.line, next.col), (4, 7));
    assert!(r.score < 50, "{} {:?}", r.score, r.parts);
}

#[test]
fn timed_monologue_in_seconds() {
    let vtt = "WEBVTT\n\n00:00:00.000 --> 00:00:50.000\n<v Sam>Let me walk you through it, every screen and every report we have built this year.\n\n00:00:50.000 --> 00:02:10.000\n<v Sam>And there is more: the dashboards, the alerts, the exports, the mobile app, the admin pages and the integrations with every tool you use.\n\n00:02:10.000 --> 00:02:15.000\n<v Kim>Okay.\n";
    let t = parse_webvtt(vtt).unwrap();
    let r = review_transcript(&t, Some("Sam"), &ReviewConfig::default()).unwrap();
    assert_eq!(me_of(&r).longest_monologue_seconds, Some(130.0));
    let f = r.findings.iter().find(|f| f.rule == "monologue/too-long").unwrap();
    assert_eq!((f.line, f.col), (4, 8));
    assert!(f.message.contains("130 seconds"), "{}", f.message);
}

#[test]
fn next_step_needs_the_other_side() {
    let declined = "Al: Can we meet on Friday?\nBo: Not right now, thanks.\n";
    assert!(!me_of(&review(declined, Some("Al"))).next_step_agreed);
    let accepted = "Al: Can we meet on Friday?\nBo: Sure.\n";
    assert!(me_of(&review(accepted, Some("Al"))).next_step_agreed);
    let early = "Al: Demo on Friday?\nBo: Sure.\nAl: x\nBo: y\nAl: z\nBo: w\nAl: v\nBo: u\nAl: t\nBo: Bye.\n";
    assert!(!me_of(&review(early, Some("Al"))).next_step_agreed);
}

/// Fillers are counted as a rate once the user has said enough words for
/// one ([`super::RATE_MIN_WORDS`]); the finding points at the first.
#[test]
fn fillers_need_enough_words_for_a_rate() {
    let pitch = "Um, so our planner, like, builds every route for you, um, overnight. ".repeat(12);
    let text = format!("Rep: {pitch}\nLead: Okay.\n");
    let r = review(&text, None);
    let filler = r.findings.iter().find(|f| f.rule == "filler/frequent").expect("a filler finding");
    assert_eq!((filler.line, filler.col), (1, 6));
    assert!(filler.message.contains("per 100 words"), "{}", filler.message);
    let short = review("Rep: Um, could we meet on Tuesday at ten to go through it?\nLead: Sure.\n", None);
    assert!(short.findings.iter().all(|f| f.rule != "filler/frequent"), "one um in 13 words is not a rate");
}

fn rules_of(r: &Review) -> Vec<&'static str> {
    r.findings.iter().map(|f| f.rule).collect()
}

/// A next step needs a when (or a meeting) and the other side's yes,
/// whoever proposed it and whoever you are.
#[test]
fn a_next_step_is_concrete_and_accepted() {
    let vague = "Al: I'll send something over sometime this week.\nBo: Okay.\n";
    assert!(!me_of(&review(vague, Some("Al"))).next_step_agreed);
    let touch = "Al: Let's touch base next week.\nBo: Sure.\n";
    assert!(!me_of(&review(touch, Some("Al"))).next_step_agreed);
    let theirs = "Bo: Can you come by Tuesday at 10 to look at the site?\nAl: Absolutely, Tuesday at 10.\n";
    for me in ["Al", "Bo"] {
        assert!(me_of(&review(theirs, Some(me))).next_step_agreed, "as {me}");
    }
    let maybe = "Al: Could we meet with your CFO on Friday at 2?\nBo: Maybe. It depends on the board.\nAl: I'll follow up after the board meeting.\nBo: Okay.\n";
    let r = review(maybe, Some("Al"));
    assert!(!me_of(&r).next_step_agreed);
    let declined = rules_of(&r);
    assert!(declined.contains(&"next-step/declined") && !declined.contains(&"next-step/missing"), "{declined:?}");
    let price = "Al: Shall we book the demo for Thursday at 3?\nBo: Honestly, that's over our budget, so we'll pass on the demo.\n";
    let r = review(price, Some("Al"));
    assert!(!me_of(&r).next_step_agreed);
    let f = r.findings.iter().find(|f| f.rule == "next-step/declined").unwrap();
    assert_eq!((f.line, f.col), (2, 5));
    let later_no = "Al: Demo on Thursday at 3?\nBo: Sure.\nAl: Great.\nBo: Actually, no, not right now.\n";
    assert!(!me_of(&review(later_no, Some("Al"))).next_step_agreed);
}

/// A price objection met with neither a question nor the buyer's own
/// numbers is a finding; one answered with either is not.
#[test]
fn price_objections_need_an_answer() {
    let ignored = "Al: It's 900 a month.\nBo: That's too expensive for us.\nAl: It's the best on the market, you'll love it.\nBo: Hm.\n";
    let r = review(ignored, Some("Al"));
    let f = r.findings.iter().find(|f| f.rule == "objection/unanswered").expect("unanswered");
    assert_eq!((f.line, f.col), (3, 5));
    assert!(f.message.contains("too expensive"), "{}", f.message);
    for answer in [
        "Al: Fair. What are you comparing it with?",
        "Al: You said the late trucks cost you 3,000 a month, so it pays for itself in the first month.",
    ] {
        let text = format!("Al: It's 900 a month.\nBo: That's too expensive for us.\n{answer}\nBo: Hm.\n");
        assert!(!rules_of(&review(&text, Some("Al"))).contains(&"objection/unanswered"), "{answer}");
    }
}

/// Brushing off a question, and pushing on after two noes, are findings
/// that cost points.
#[test]
fn brush_offs_and_ignored_refusals() {
    let brush = "Bo: When will the integration be ready?\nAl: Don't worry about that, I'll get back to you sometime.\nBo: Okay.\n";
    let r = review(brush, Some("Al"));
    assert!(rules_of(&r).contains(&"answer/dismissive"), "{:?}", rules_of(&r));
    let pushy = "Al: Can I book you for a review on Monday at 9?\nBo: No thanks, we're not interested.\nAl: It only takes ten minutes, how about Tuesday at 9?\nBo: No, I said we're not interested.\nAl: What about Wednesday at 9 then?\nBo: Goodbye.\n";
    let r = review(pushy, Some("Al"));
    let f = r.findings.iter().find(|f| f.rule == "refusal/ignored").expect("refusal ignored");
    assert!(f.message.contains("said no 2 times (lines 2, 4)"), "{}", f.message);
    let answers = r.parts.iter().find(|p| p.name == "answers").unwrap();
    assert_eq!(answers.points, 0.0);
}

/// Guessed, "you" is the one who leads the call among those who talk at
/// length, not a host who only opened it or someone who said one line.
#[test]
fn the_guess_prefers_who_leads_the_call() {
    let text = "Lee Park: Welcome all, I'll hand over.\nKim Lo: Thanks. So tell me, how do you schedule crews today?\nRae: On paper, mostly, and it breaks every Monday.\nKim Lo: What does a missed job cost you? And who decides on tools like this?\nRae: A few hundred each, and I decide, with our owner.\nKim Lo: Could we walk through it with your owner on Thursday at 2?\nRae: Yes, Thursday at 2 works for both of us.\n";
    let r = review(text, None);
    assert_eq!((me_of(&r).name.as_str(), me_of(&r).chosen_by), ("Kim Lo", MeChoice::LeadsCall));
}
