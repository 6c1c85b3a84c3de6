//! `debrief review`: findings like a linter, the JSON contract, and bad files
//! reported one by one while the others are still reviewed.

use std::process::Stdio;

use serde_json::Value;

use crate::harness::Db;

const FEATURE_MAIL: &str = "Subject: Our new platform\n\nHi Anna,\n\nWe are proud to announce our new platform. \
It has 12 integrations and a 99.9% SLA. We built it on a modern cloud stack.\n\nBest,\nTom\n";

const CALL: &str = "Dana: Hi Sam, this is Dana from Brightline. Do you have a minute?\n\
Sam: Sure, go ahead.\n\
Dana: How do you plan routes today?\n\
Sam: Mostly by hand in spreadsheets, it takes hours every morning.\n\
Dana: Our planner cuts that to minutes so your drivers leave earlier. Could we book a demo on Tuesday at 10?\n\
Sam: Tuesday at 10 works, send me the invite.\n";

fn write(db: &Db, name: &str, bytes: &[u8]) -> String {
    let path = db.dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

#[test]
fn a_feature_heavy_mail_gets_line_and_column_findings() {
    let db = Db::sqlite();
    let mail = write(&db, "mail.txt", FEATURE_MAIL.as_bytes());
    let out = db.ok(&["review", &mail]);
    assert!(out.contains(&format!("{mail}:5:44: benefit/feature-without-benefit:")), "{out}");
    assert!(out.contains("(\"12\", \"99\", \"sla\")"), "the words that weighed: {out}");
    assert!(out.contains("so that you"), "{out}");
    assert!(out.contains("message score"), "{out}");
    let json: Value = db.json(&["review", &mail]);
    let doc = &json[0];
    assert_eq!(doc["file"], mail.as_str());
    assert_eq!(doc["kind"], "message");
    assert!(doc["score"].as_u64().unwrap() < 70);
    let first = &doc["findings"][0];
    for key in ["line", "col", "rule", "message"] {
        assert!(!first[key].is_null(), "{key} missing in {first}");
    }
    let classes: Vec<&str> =
        doc["sentences"].as_array().unwrap().iter().map(|s| s["class"].as_str().unwrap()).collect();
    assert!(classes.contains(&"feature"), "{classes:?}");
}

#[test]
fn a_call_transcript_reports_the_users_side() {
    let db = Db::sqlite();
    let call = write(&db, "call.txt", CALL.as_bytes());
    let json = db.json(&["review", &call, "--me", "Dana"]);
    let doc = &json[0];
    assert_eq!(doc["kind"], "transcript");
    assert_eq!(doc["speakers"].as_array().unwrap().len(), 2);
    let me = &doc["me"];
    assert_eq!(me["questions"], 3);
    assert_eq!(me["next_step_agreed"], true);
    for key in ["words", "word_share", "longest_monologue_words", "longest_monologue_seconds"] {
        assert!(me.get(key).is_some(), "{key} missing");
    }
    let err = db.fails(&["review", &call, "--me", "Zed"]);
    assert!(err.contains("not a speaker"), "{err}");
    let named = db.ok(&["review", &call, "--me", "Dana"]);
    assert!(!named.contains("took Dana for you"), "{named}");
    let guessed = db.ok(&["review", &call]);
    assert!(
        guessed.contains(&format!("{call}: took Dana for you (Dana introduced themselves from a company); if that is wrong, name yourself with --me NAME")),
        "the guess is said, with how to change it: {guessed}"
    );
    assert_eq!(db.json(&["review", &call])[0]["me"]["guessed"], "introduced themselves from a company");
}

#[test]
fn bad_files_are_reported_and_the_others_still_reviewed() {
    let db = Db::sqlite();
    let good = write(&db, "good.txt", FEATURE_MAIL.as_bytes());
    let binary = write(&db, "photo.txt", &[0x89, b'P', b'N', b'G', 0, 0, 1, 2, 3]);
    let latin1 = write(&db, "latin1.txt", b"Sch\xf6ne Gr\xfc\xdfe, wir haben ein Angebot.\n");
    let empty = write(&db, "empty.txt", b"");
    let nobody = write(&db, "call.vtt", b"WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhello there\n");
    let dir = db.dir.path().display().to_string();
    let out = db
        .cmd(&["review", &binary, &good, &latin1, &empty, &nobody, &dir])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains(&format!("{good}: message score")), "{stdout}");
    for (file, says) in [
        (&binary, "binary"),
        (&latin1, "not UTF-8"),
        (&empty, "empty"),
        (&nobody, "no recognisable speakers"),
        (&dir, "is a directory"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.starts_with(&format!("{file}: ")))
            .unwrap_or_else(|| panic!("{file} not reported: {stderr}"));
        assert!(line.contains(says), "{line}");
    }
    assert!(stderr.contains("5 of 6 files could not be reviewed"), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn review_rules_can_be_switched_off_in_the_config_file() {
    let db = Db::sqlite();
    let mail = write(&db, "mail.txt", FEATURE_MAIL.as_bytes());
    let config = write(&db, "config.toml", b"[review]\n\"benefit/feature-without-benefit\" = \"off\"\n");
    let out = db.ok(&["--config", &config, "review", &mail]);
    assert!(!out.contains("benefit/feature-without-benefit"), "{out}");
    let bad = write(&db, "bad.toml", b"[review]\nmax_wordz = 3\n");
    let err = db.fails(&["--config", &bad, "review", &mail]);
    assert!(err.contains("line 2, column 13") && err.contains("max_wordz"), "{err}");
}

#[test]
fn stdin_is_reviewed_as_dash() {
    let db = Db::sqlite();
    let mut child = db.cmd(&["review", "-", "--json"]).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(FEATURE_MAIL.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["file"], "-");
}

#[test]
fn a_mail_in_another_language_is_named_not_scored() {
    let db = Db::sqlite();
    let german = "Subject: Ihr Angebot\n\nSehr geehrte Frau Müller,\n\nvielen Dank für Ihre Anfrage. Unser neues System \
        spart Ihrem Team jede Woche mehrere Stunden, weil alle Aufträge automatisch geplant werden. Hätten Sie am \
        Dienstag um zehn Uhr Zeit für ein kurzes Gespräch?\n\nMit freundlichen Grüßen\nJan\n";
    let de = write(&db, "angebot.txt", german.as_bytes());
    let err = db.fails(&["review", &de]);
    assert!(err.contains(&format!("{de}: the text reads as German: only English is reviewed")), "{err}");
}

/// A mail is read by its headers whatever its name, a raw 8-bit byte in a
/// header does not sink it, and what was left out of the review is said on
/// a `note:` line and in the JSON's `notes`.
#[test]
fn mail_by_content_and_notes_on_what_was_left_out() {
    let db = Db::sqlite();
    let raw = b"From: Jos\xE9 <j@b.example>\r\nTo: a@b.example\r\nSubject: Your picking time\r\nContent-Type: text/plain; charset=iso-8859-1\r\n\r\nHi Ren\xE9,\r\n\r\nYour pickers walk half the distance, so you ship more before the cut-off.\r\nCould we talk on Tuesday at 10?\r\n\r\nBest,\r\nTom\r\nAcme | +1 555 010 2030\r\n\r\nTo unsubscribe from these e-mails, click here.\r\n";
    let mail = write(&db, "saved-mail.txt", raw);
    let out = db.ok(&["review", &mail]);
    assert!(
        out.contains(&format!("{mail}:11:1: note: left out of the review: the sign-off and signature (lines 11–13)")),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{mail}:15:1: note: left out of the review: the unsubscribe and address footer (line 15)"
        )),
        "{out}"
    );
    assert!(out.contains("message score"), "{out}");
    let json: Value = db.json(&["review", &mail]);
    assert_eq!(json[0]["kind"], "message");
    assert_eq!(json[0]["notes"].as_array().unwrap().len(), 2, "{json}");
    assert_eq!(json[0]["notes"][0]["line"], 11);
}

/// Zoom's and Otter's exports are calls, known by their content.
#[test]
fn zoom_and_otter_transcripts_are_calls() {
    let db = Db::sqlite();
    let zoom = "[Dana Ortiz] 10:00:01\nHi Sam, thanks for making the time. How do you plan routes today?\n\n[Sam Lee] 10:00:09\nBy hand, mostly, and it takes hours.\n\n[Dana Ortiz] 10:00:15\nCould we walk through it on Tuesday at 10?\n\n[Sam Lee] 10:00:19\nTuesday at 10 works.\n";
    let otter = zoom
        .replace("[Dana Ortiz] 10:00:01", "Dana Ortiz  0:01")
        .replace("[Sam Lee] 10:00:09", "Sam Lee  0:09")
        .replace("[Dana Ortiz] 10:00:15", "Dana Ortiz  0:15")
        .replace("[Sam Lee] 10:00:19", "Sam Lee  0:19");
    for (name, text) in [("zoom.txt", zoom.to_string()), ("otter.txt", otter)] {
        let file = write(&db, name, text.as_bytes());
        let json: Value = db.json(&["review", "--me", "Dana", &file]);
        assert_eq!(json[0]["kind"], "transcript", "{name}: {json}");
        assert_eq!(json[0]["me"]["name"], "Dana Ortiz", "{name}");
        assert_eq!(json[0]["me"]["next_step_agreed"], true, "{name}");
    }
}
