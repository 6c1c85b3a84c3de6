//! End-to-end tests of [`review`]: bad input, arbitrary bytes, the labeled
//! transcript set and (ignored) timings.

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use super::*;

mod adversarial;
mod coach_set;
mod transcript_set;

fn run(name: &str, bytes: &[u8]) -> Result<Review, InputError> {
    let input = ReviewInput { name, bytes, ..ReviewInput::default() };
    review(&input, &ReviewConfig::default())
}

#[test]
fn bad_input_gets_a_clear_error() {
    let cases: [(&str, &[u8], InputError); 5] = [
        ("empty.txt", b"", InputError::Empty),
        ("blank.eml", b"\r\n  \r\n", InputError::Empty),
        ("latin1.txt", b"Hi Ren\xE9,\nthanks.", InputError::NotUtf8 { byte: 0xE9, line: 1, col: 7 }),
        ("call.vtt", b"WEBVTT\n\n00:01.000 --> 00:02.000\nno names here\n", InputError::NoSpeakers),
        ("forced.txt", b"", InputError::Empty),
    ];
    for (name, bytes, want) in cases {
        assert_eq!(run(name, bytes).unwrap_err(), want, "{name}");
    }
    let err = run("photo.jpg", b"\xFF\xD8\xFF\xE0\x00\x10JFIF").unwrap_err();
    assert!(matches!(err, InputError::Binary { .. }), "{err}");
    assert!(err.to_string().starts_with("binary content (looks like a JPEG image)"), "{err}");
}

#[test]
fn latin1_eml_with_declared_charset_is_reviewed() {
    let raw = b"From: Ana <ana@example.com>\nTo: Bo <bo@example.com>\nSubject: =?ISO-8859-1?Q?Votre_r=E9duction?=\nContent-Type: text/plain; charset=ISO-8859-1\n\nBonjour Ren\xE9,\nVous \xE9conomisez deux heures par semaine.\n";
    let r = run("offer.eml", raw).unwrap();
    assert_eq!(r.kind(), Kind::Message);
    let Details::Message(m) = &r.details else { panic!() };
    assert_eq!(m.subject.as_deref(), Some("Votre réduction"));
    assert_eq!(r.sentences[0].text, "Bonjour René,");
    assert_eq!((r.sentences[0].line, r.sentences[0].col), (6, 1));
}

#[test]
fn forced_transcript_without_speakers() {
    let input = ReviewInput { name: "-", bytes: b"Just a note.", kind: Some(Kind::Transcript), me: None };
    assert_eq!(review(&input, &ReviewConfig::default()).unwrap_err(), InputError::NoSpeakers);
}

#[test]
fn me_is_passed_through() {
    let input = ReviewInput { name: "c.txt", bytes: b"Ann: Hi.\nBob: Hello?\n", kind: None, me: Some("Bob") };
    let r = review(&input, &ReviewConfig::default()).unwrap();
    let Details::Transcript(t) = &r.details else { panic!() };
    assert_eq!((t.me.name.as_str(), t.me.questions), ("Bob", 1));
}

/// Arbitrary bytes, under every name and kind, never panic.
#[test]
fn arbitrary_bytes_never_panic() {
    let mut rng = SmallRng::seed_from_u64(0xDEB1EF);
    let alphabet: &[u8] = b"Ab: \n\r\t.,?!-<>v0123456789WEBVTT-->:[]\xC3\xA9\xE9\xFF\x00";
    let fragments = [
        "Ann: ",
        "Bob: ",
        "İ",
        "ß",
        "…",
        "’",
        "😀",
        ". ",
        "?",
        "\n",
        "\n\n",
        "- ",
        "1. ",
        "<v X>",
        "</v>",
        "<i>",
        "00:01.000 --> 00:02.000\n",
        "Subject: ",
        ",",
        " like",
        " you know",
        " kind of",
        " ",
        "\u{3000}",
        "&amp;",
        "Dr.",
        "e.g.",
        "so you can",
        "includes",
        "Tuesday",
        "[00:00:05] ",
        "-- \n",
        "> ",
    ];
    let names = ["a.txt", "a.eml", "a.vtt", "a.srt", "-"];
    for i in 0..3000 {
        let len = rng.random_range(0..200);
        let bytes: Vec<u8> = match i % 3 {
            0 => (0..len).map(|_| rng.random()).collect(),
            1 => (0..len).map(|_| alphabet[rng.random_range(0..alphabet.len())]).collect(),
            _ => (0..len / 4).map(|_| fragments[rng.random_range(0..fragments.len())]).collect::<String>().into_bytes(),
        };
        for name in names {
            let _ = run(name, &bytes);
        }
        for kind in [Kind::Message, Kind::Transcript] {
            let input = ReviewInput { name: "x", bytes: &bytes, kind: Some(kind), me: Some("ann") };
            let _ = review(&input, &ReviewConfig::default());
        }
        let prefixed = [b"WEBVTT\n\n00:01.000 --> 00:02.000\n".as_slice(), &bytes].concat();
        let _ = run("x.vtt", &prefixed);
        let mail =
            [b"From: a@b.c\nSubject: x\nContent-Type: text/plain; charset=utf-8\n\n".as_slice(), &bytes].concat();
        let _ = run("x.eml", &mail);
    }
}

/// Issue 10: the largest text of each adversarial shape is reviewed (in
/// linear time: see `adversarial_timings`), and one byte more is refused.
#[test]
fn issue_10_the_largest_adversarial_messages_are_reviewed() {
    let shapes = [
        "one line of '!'",
        "no spaces",
        "all one word",
        "many tiny sentences",
        "nested MIME",
        "objections never answered",
        "proposals never answered",
        "sign-offs and footers",
        "Zoom headings",
        "quoted-printable breaks",
    ];
    for (shape, name, bytes) in adversarial::inputs(MAX_TEXT_BYTES).into_iter().filter(|i| shapes.contains(&i.0)) {
        let r = run(name, &bytes);
        assert!(r.is_ok(), "{shape}: {:?}", r.err());
    }
    let text = "A. ".repeat(MAX_TEXT_BYTES / 3 + 1);
    assert_eq!(run("a.txt", text.as_bytes()).unwrap_err(), InputError::TooMuchText { bytes: text.len() });
    let big = vec![b'a'; MAX_INPUT_BYTES + 1];
    assert_eq!(run("a.eml", &big).unwrap_err(), InputError::TooLarge { bytes: MAX_INPUT_BYTES + 1 });
}

/// Issue 10: the longest apology of each adversarial shape is checked, one
/// character more is refused.
#[test]
fn issue_10_the_longest_adversarial_apologies_are_checked() {
    use crate::apology::{MAX_CHARS, TooLong, check};
    for (shape, text) in adversarial::apologies(MAX_CHARS) {
        assert!(check(&text).is_ok(), "{shape}");
    }
    let text = "é".repeat(MAX_CHARS + 1);
    assert_eq!(check(&text).unwrap_err(), TooLong { chars: MAX_CHARS + 1 });
    assert!(check(&"é".repeat(MAX_CHARS)).is_ok(), "the limit counts characters, not bytes");
}

/// Builds a realistic e-mail of about 120 words.
fn email_120() -> String {
    "Subject: Cut your month-end close to three days\n\nHi Priya,\n\nThanks for the call on Monday. You mentioned that closing the books takes your team ten days and two late nights every month.\n\nOur platform matches invoices to orders automatically, so your accountants stop chasing numbers by hand. Teams like yours usually close in three days and avoid the overtime. Last quarter, Brightline Foods cut their close from nine days to four with the same team.\n\nIt includes approval workflows and integrates with NetSuite.\n\nWould Thursday at 2 work for a 20-minute walkthrough with your controller? If we start before the end of the quarter, you would close Q3 on the new process.\n\nBest regards,\nSam Ortiz\nLedgerly".to_owned()
}

/// About an hour of talk: ~9,000 words in WebVTT cues, two speakers.
fn hour_call() -> String {
    let mut out = String::from("WEBVTT\n\n");
    let lines = [
        ("Sam", "So tell me, how do you handle routing today, and what does a late delivery cost you when it happens?"),
        (
            "Kim",
            "Um, we basically use spreadsheets, and it takes our planners most of the morning, you know, every single day.",
        ),
        (
            "Sam",
            "Our planner includes live traffic data and it integrates with your ERP, so your team saves those mornings.",
        ),
        (
            "Kim",
            "That sounds interesting, but I would need to see it working with our own data before deciding anything.",
        ),
    ];
    let mut t = 0.0;
    for i in 0..480 {
        let (who, text) = lines[i % lines.len()];
        let (a, b) = (stamp(t), stamp(t + 7.5));
        out.push_str(&format!("{}\n{a} --> {b}\n<v {who}>{text}\n\n", i + 1));
        t += 7.5;
    }
    out.push_str("481\n01:00:00.000 --> 01:00:05.000\n<v Sam>Shall we book the demo for Thursday at 2?\n\n482\n01:00:05.000 --> 01:00:08.000\n<v Kim>Sounds good, Thursday works.\n");
    out
}

fn stamp(secs: f64) -> String {
    let s = secs as u64;
    format!("{:02}:{:02}:{:02}.{:03}", s / 3600, s / 60 % 60, s % 60, ((secs.fract()) * 1000.0) as u64)
}

#[test]
fn timing_inputs_are_realistic() {
    assert!((110..=135).contains(&text::count_words(&email_120())), "{}", text::count_words(&email_120()));
    let call = hour_call();
    let r = run("hour.vtt", call.as_bytes()).unwrap();
    let Details::Transcript(t) = &r.details else { panic!() };
    let words: usize = t.speakers.iter().map(|s| s.words).sum();
    assert!((8_500..=9_500).contains(&words), "{words}");
    assert!(t.me.next_step_agreed);
    assert_eq!(t.speakers.len(), 2);
}

/// Timings: `cargo test -p debrief-core --release critique::tests::timings -- --ignored --nocapture`.
#[test]
#[ignore = "timing, run on demand"]
#[allow(clippy::disallowed_methods, reason = "a benchmark measures wall time")]
fn timings() {
    use std::time::Instant;
    let config = ReviewConfig::default();
    let email = email_120();
    let input = ReviewInput { name: "mail.txt", bytes: email.as_bytes(), ..ReviewInput::default() };
    let _ = review(&input, &config);
    let n = 2000;
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(review(&input, &config).unwrap());
    }
    let per_email = start.elapsed() / n;
    let call = hour_call();
    let input = ReviewInput { name: "hour.vtt", bytes: call.as_bytes(), ..ReviewInput::default() };
    let _ = review(&input, &config);
    let start = Instant::now();
    for _ in 0..20 {
        std::hint::black_box(review(&input, &config).unwrap());
    }
    let per_call = start.elapsed() / 20;
    eprintln!("one ~120-word e-mail: {per_email:?}; 200 e-mails: {:?}", per_email * 200);
    eprintln!("one one-hour transcript (~8,700 spoken words, 482 cues): {per_call:?}");
}

/// How the time grows with the size on the inputs built to find quadratic
/// work, without the size limits (BENCHMARKS.md): `cargo test -p
/// debrief-core --release critique::tests::adversarial_timings -- --ignored
/// --nocapture`; `SIZES=1048576,2097152` picks the sizes, `ONLY="all one
/// word"` one shape.
#[test]
#[ignore = "timing, run on demand"]
#[allow(clippy::disallowed_methods, reason = "a benchmark measures wall time")]
fn adversarial_timings() {
    use std::time::{Duration, Instant};
    let config = ReviewConfig::default();
    let sizes: Vec<usize> = std::env::var("SIZES")
        .map_or(vec![16 * 1024, 64 * 1024, 256 * 1024], |v| v.split(',').map(|s| s.parse().unwrap()).collect());
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        f();
        start.elapsed()
    };
    let mut slow = std::collections::HashSet::new();
    for size in sizes {
        for (shape, name, bytes) in adversarial::inputs(size) {
            if slow.contains(shape) || std::env::var("ONLY").is_ok_and(|o| o != shape) {
                continue;
            }
            let input = ReviewInput { name, bytes: &bytes, ..ReviewInput::default() };
            let took = time(&mut || {
                let _ = std::hint::black_box(review_unbounded(&input, &config));
            });
            eprintln!("review {shape:<28} {:>7} bytes {took:>12.2?}", bytes.len());
            if took > Duration::from_secs(20) {
                slow.insert(shape);
            }
        }
        for (shape, text) in adversarial::apologies(size) {
            if slow.contains(shape) || std::env::var("ONLY").is_ok_and(|o| o != shape) {
                continue;
            }
            let took = time(&mut || {
                std::hint::black_box(crate::apology::analyse(&text));
            });
            eprintln!("apology {shape:<27} {:>7} bytes {took:>12.2?}", text.len());
            if took > Duration::from_secs(20) {
                slow.insert(shape);
            }
        }
    }
}
