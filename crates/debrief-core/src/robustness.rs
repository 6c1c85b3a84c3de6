//! Property tests: every parser and every date computation of the domain,
//! fed arbitrary bytes, strings, instants and counts, answers `Ok` or a typed
//! error and never panics (issue 10). Case counts stay small so that
//! `cargo test -p debrief-core` takes seconds; `PROPTEST_CASES=10000` runs
//! more.

use jiff::civil::{Date, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ToSpan};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::select;

use crate::apology;
use crate::critique::{self, Kind, RULES, ReviewConfig, ReviewInput, SETTINGS};
use crate::daily::{self, DailyContent, DailyEntry, WorkingDays};
use crate::entry::parse_at;
use crate::followup::{self, Cadences, ContactEvent, FollowUp, FollowUpId, FollowUpKind, Rules, Status};
use crate::matching::Matcher;
use crate::mishap::RecoveryId;
use crate::model::{ClientId, Outcome, ReasonId};
use crate::vocabulary::STARTER;
use crate::week::IsoWeek;

fn cases(n: u32) -> ProptestConfig {
    ProptestConfig { cases: n, failure_persistence: None, ..ProptestConfig::default() }
}

/// Pieces that steer generated text into the parsers' branches.
const FRAGMENTS: &[&str] = &[
    "Ann: ",
    "Bob: ",
    "Speaker 1: ",
    "[00:00:05] ",
    "(01:02) ",
    "WEBVTT\n\n",
    "NOTE x\n",
    "1\n",
    "00:01.000 --> 00:02.000\n",
    "00:00:01,000 --> 00:00:02,000\n",
    "99:99:99.9 --> 1:2\n",
    "<v Ann>",
    "</v>",
    "<i>",
    "<",
    ">",
    "&amp;",
    "Subject: ",
    "From: a@b.c\n",
    "Content-Type: text/plain; charset=utf-8\n",
    "Content-Type: multipart/mixed; boundary=b\n",
    "--b\n",
    "--b--\n",
    "Content-Transfer-Encoding: base64\n",
    "Content-Transfer-Encoding: quoted-printable\n",
    "Content-Type: text/plain; charset=shift_jis\n",
    "Content-Type: text/html; charset=utf-7\n",
    "=C3=A9",
    "=\n",
    "=?UTF-8?B?SGk=?=",
    "[Ann Lee] 10:00:01\n",
    "Ann Lee  0:01\n",
    "Bob  1:02:03\n",
    "10:01:02 From Ann to Everyone: ",
    "Unsubscribe\n",
    "Best,\n",
    "Sent from my iPhone\n",
    "https://a.example/x\n",
    "LAST CHANCE!! ",
    "01:00:00.000 --> 00:00:01.000\n",
    "\n",
    "\n\n",
    "\r\n",
    " ",
    "\t",
    ". ",
    "!",
    "?",
    "…",
    ".",
    "...",
    "\"",
    "’",
    ")",
    "- ",
    "• ",
    "1. ",
    "2) ",
    "-- \n",
    "> ",
    "On Mon, Ann wrote:\n",
    "Dr.",
    "e.g.",
    "J.",
    "so you can",
    "includes",
    "16 GB",
    "99.9%",
    "you",
    "we",
    "Tuesday",
    "today",
    "reply",
    "um,",
    " like,",
    " you know,",
    "kind of",
    "sorry",
    "but",
    "because",
    "traffic",
    "I forgot",
    "not my fault",
    "İ",
    "ß",
    "😀",
    "\u{3000}",
    "\u{feff}",
    "\u{0}",
    "\u{7f}",
    "é",
];

fn shaped() -> impl Strategy<Value = String> {
    vec(select(FRAGMENTS), 0..60).prop_map(|parts| parts.concat())
}

const NAMES: &[&str] = &["a.txt", "a.eml", "a.vtt", "a.srt", "-", ""];

fn kind() -> impl Strategy<Value = Option<Kind>> {
    option::of(prop_oneof![Just(Kind::Message), Just(Kind::Transcript)])
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    let range = Timestamp::MIN.as_second()..=Timestamp::MAX.as_second();
    prop_oneof![
        range.prop_map(|s| Timestamp::from_second(s).expect("in range")),
        Just(Timestamp::MIN),
        Just(Timestamp::MAX),
        (-5_000_000_000i64..5_000_000_000).prop_map(|s| Timestamp::from_second(s).expect("in range")),
    ]
}

fn date() -> impl Strategy<Value = Date> {
    prop_oneof![timestamp().prop_map(|t| t.to_zoned(TimeZone::UTC).date()), Just(Date::MIN), Just(Date::MAX)]
}

fn tz() -> impl Strategy<Value = TimeZone> {
    let berlin = TimeZone::get("Europe/Berlin").expect("the tz database has Berlin");
    prop_oneof![
        Just(TimeZone::UTC),
        Just(berlin),
        (Offset::MIN.seconds()..=Offset::MAX.seconds())
            .prop_map(|s| TimeZone::fixed(Offset::from_seconds(s).expect("in range"))),
    ]
}

fn days() -> impl Strategy<Value = i64> {
    prop_oneof![any::<i64>(), -10_000i64..10_000, Just(i64::from(followup::MAX_DAYS))]
}

fn rules() -> impl Strategy<Value = Rules> {
    let cadence = vec(any::<u32>(), 0..4);
    (cadence.clone(), cadence, any::<bool>(), 0i8..24, any::<u8>(), tz(), 0i8..24, 0i8..24).prop_map(
        |(no_answer, won, mishap_updates, hour, mask, tz, from, to)| Rules {
            cadences: Cadences { no_answer, won, mishap_updates, mishap_update_at: Time::constant(hour, 0, 0, 0) },
            working_days: WorkingDays::new(
                (0..7)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| jiff::civil::Weekday::from_monday_zero_offset(i).expect("0..7")),
            )
            .unwrap_or_default(),
            working_hours: followup::WorkingHours::new(Time::constant(from, 0, 0, 0), Time::constant(to, 0, 0, 0))
                .unwrap_or_default(),
            tz,
        },
    )
}

fn follow_up() -> impl Strategy<Value = FollowUp> {
    let kind = prop_oneof![
        any::<u8>().prop_map(|n| FollowUpKind::Chase { n }),
        any::<u8>().prop_map(|n| FollowUpKind::CheckIn { n }),
        Just(FollowUpKind::MishapUpdate { recovery: RecoveryId(1) }),
        Just(FollowUpKind::Manual),
    ];
    (kind, timestamp(), timestamp()).prop_map(|(kind, anchor, due)| FollowUp {
        id: FollowUpId(1),
        client: ClientId(1),
        kind,
        anchor,
        due,
        note: None,
        status: Status::Open,
    })
}

/// A review's answer: findings in the file, a score out of 100, one-line errors.
fn check_review(result: Result<critique::Review, critique::InputError>) -> Result<(), TestCaseError> {
    match result {
        Ok(r) => {
            prop_assert!(r.score <= 100);
            prop_assert!(r.findings.iter().all(|f| f.line >= 1 && f.col >= 1));
        }
        Err(e) => prop_assert!(!e.to_string().contains('\n')),
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(96))]

    #[test]
    fn review_reads_any_bytes(
        bytes in vec(any::<u8>(), 0..1024),
        name in select(NAMES),
        kind in kind(),
        me in option::of(".{0,12}"),
    ) {
        check_review(critique::review(&ReviewInput { name, bytes: &bytes, kind, me: me.as_deref() }, &ReviewConfig::default()))?;
    }

    #[test]
    fn review_reads_any_mail_transcript_or_text(text in shaped(), name in select(NAMES), kind in kind(), head in select(&[
        "", "WEBVTT\n\n00:01.000 --> 00:02.000\n", "1\n00:00:01,000 --> 00:00:02,000\n",
        "From: a@b.c\nTo: d@e.f\nSubject: x\nContent-Type: text/plain; charset=utf-8\n\n",
        "From: a@b.c\nSubject: x\nContent-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/html\n\n",
        "Ann: Hi.\nBob: ",
    ][..])) {
        let bytes = format!("{head}{text}").into_bytes();
        check_review(critique::review(&ReviewInput { name, bytes: &bytes, kind, me: None }, &ReviewConfig::default()))?;
        let parts = critique::cues::parse_webvtt(&text).is_ok() || critique::cues::parse_srt(&text).is_ok();
        let _ = (parts, critique::cues::parse_speaker_lines(&text), critique::mime::parse(text.as_bytes()));
    }

    #[test]
    fn apology_check_marks_real_spans(text in prop_oneof![".{0,400}", shaped()]) {
        let c = apology::check(&text).expect("short texts are checked");
        for f in &c.findings {
            let bytes = text.get(f.start..f.end);
            let chars: String = text.chars().skip(f.char_start).take(f.char_end - f.char_start).collect();
            prop_assert_eq!(bytes, Some(chars.as_str()));
        }
        prop_assert_eq!(c.is_owning(), c.findings.is_empty());
    }

    #[test]
    fn review_settings_refuse_without_changing(
        key in prop_oneof![select(RULES.iter().map(|r| r.id).chain(SETTINGS.iter().map(|s| s.0)).collect::<Vec<_>>()).prop_map(String::from), ".{0,20}"],
        value in prop_oneof![".{0,10}", "-?[0-9]{0,6}(\\.[0-9]{0,6})?(e[0-9]{1,3})?", select(&["on", "off", "NaN", "inf", "-0", "1e308"][..]).prop_map(String::from)],
    ) {
        let mut config = ReviewConfig::default();
        match config.set(&key, &value) {
            Ok(()) => prop_assert!((0.0..=1.0).contains(&config.min_you_share) && config.min_flesch.is_finite()),
            Err(e) => {
                prop_assert!(!e.contains('\n'));
                prop_assert_eq!(config, ReviewConfig::default());
            }
        }
    }

    #[test]
    fn times_and_weeks_parse_or_say_why(
        text in prop_oneof![
            ".{0,30}",
            "[+-]?[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}[ T][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?(Z|[+-][0-9]{2}:[0-9]{2})?",
            "[+-]?[0-9]{1,5}-[Ww][0-9]{1,3}",
        ],
        tz in tz(),
    ) {
        let _ = parse_at(&text, &tz);
        if let Ok(week) = text.parse::<IsoWeek>() {
            prop_assert_eq!(week.to_string().parse::<IsoWeek>(), Ok(week));
            let _ = week.bounds(&tz);
        }
        let _ = (followup::parse_duration(&text), followup::parse_time_of_day(&text), text.parse::<WorkingDays>());
    }

    #[test]
    fn week_arithmetic_round_trips_or_says_why(
        day in date(),
        weeks in prop_oneof![any::<i64>(), -1_100_000i64..1_100_000],
        count in prop_oneof![0u32..600, any::<u32>()],
        tz in tz(),
    ) {
        let week = IsoWeek::of_date(day);
        prop_assert!(week.monday() <= day);
        if let Ok(moved) = week.plus(weeks) {
            prop_assert_eq!(moved.plus(-weeks), Ok(week));
        }
        if let Ok((start, end)) = week.bounds(&tz) {
            prop_assert!(start < end);
        }
        if count < 600 && let Ok(window) = week.window(count) {
            prop_assert_eq!(window.len(), count as usize);
            prop_assert!(window.last().is_none_or(|w| *w == week));
        }
        let _ = (week.prev(), week.next());
    }

    #[test]
    fn follow_up_dates_are_computed_or_refused(
        at in timestamp(),
        now in timestamp(),
        days in days(),
        horizon in any::<u32>(),
        rules in rules(),
        outcome in select(&Outcome::ALL[..]),
        item in follow_up(),
    ) {
        let _ = followup::add_days_local(at, days, &rules.tz);
        let event = ContactEvent { client: followup::ClientRef::Id(ClientId(1)), outcome, at };
        let made = [followup::on_contact(&event, std::slice::from_ref(&item), &rules), followup::on_done(&item, now, &rules)];
        for plan in made.iter().flatten().flat_map(|a| &a.create) {
            // Every rule-made follow-up falls on a working day, inside the working hours, in whole minutes.
            let z = plan.due.to_zoned(rules.tz.clone());
            prop_assert!(rules.working_days.is_working_date(z.date()), "{} on a day off", z);
            prop_assert_eq!(z.time().second(), 0);
            let (start, end) = (rules.working_hours.start(), rules.working_hours.end());
            // A start that falls in a DST gap moves forward by the gap.
            prop_assert!(z.time() < end || z.time() < start.checked_add(jiff::SignedDuration::from_hours(3)).unwrap_or(end), "{} after hours", z);
        }
        let _ = followup::snooze(&item, days, now, &rules.tz);
        let _ = followup::on_mishap_opened(followup::RecoveryRef::Id(RecoveryId(1)), followup::ClientRef::Id(ClientId(1)), now, &rules);
        prop_assert!(followup::agenda(std::slice::from_ref(&item), now, horizon, &rules.tz).len() <= 1);
        let _ = (rules.working_days.next_after(day_of(at)), rules.working_days.previous_before(day_of(at)));
    }

    #[test]
    fn daily_figures_at_any_date(today in date(), back in vec(0i64..400, 0..20), strip in 0usize..40, mask in 1u8..128) {
        let working = WorkingDays::new(
            (0..7).filter(|i| mask & (1 << i) != 0).map(|i| jiff::civil::Weekday::from_monday_zero_offset(i).expect("0..7")),
        ).expect("at least one day");
        let entries: Vec<DailyEntry> = back
            .iter()
            .filter_map(|d| today.checked_sub(d.days()).ok())
            .map(|date| DailyEntry { date, content: DailyContent::NothingToImprove })
            .collect();
        let strength = daily::habit_strength(&entries, today, &working);
        prop_assert!((0.0..=1.0).contains(&strength));
        prop_assert!(daily::strip(&entries, today, &working, strip).len() <= strip);
        let _ = (daily::streak(&entries, today, &working), daily::summary(&entries, today, &working));
    }

    #[test]
    fn reason_matching_reads_any_text(texts in vec(prop_oneof![".{0,60}", shaped()], 0..6), query in prop_oneof![".{0,200}", shaped()]) {
        let mut m = Matcher::new();
        for (i, r) in STARTER.iter().enumerate().take(5) {
            m.add(ReasonId(i as i64), r.label);
        }
        for t in &texts {
            m.add(ReasonId(9), t);
        }
        prop_assert!(m.suggestions(&query, 3).len() <= 3);
    }
}

fn day_of(at: Timestamp) -> Date {
    at.to_zoned(TimeZone::UTC).date()
}
