//! `debrief import meetings.ics`: a calendar's meetings with clients become
//! meetings to debrief; `today` lists those not yet debriefed and `log
//! --meeting` debriefs one. Calendars shaped like Google's, Outlook's and
//! Apple's exports (tests/fixtures/crm).

use std::path::Path;

use serde_json::{Value, json};

use crate::harness::Db;

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crm").join(name).to_str().unwrap().to_string()
}

/// Monday 2026-12-07, 16:00 in Berlin.
fn monday() -> Db {
    let mut db = Db::sqlite();
    db.now = "2026-12-07T15:00:00Z".into();
    db
}

fn starts(v: &Value) -> Vec<String> {
    v["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| format!("{} {}", m["start"].as_str().unwrap(), m["client"].as_str().unwrap()))
        .collect()
}

#[test]
fn a_weeks_meetings_with_clients_are_kept_once_and_debriefed_from_today() {
    let db = monday();
    let berlin = ["--tz", "Europe/Berlin"];
    let args = |extra: &[&str]| -> Vec<String> {
        let mut a: Vec<String> = berlin.iter().map(|s| s.to_string()).collect();
        a.extend(
            ["import", &fixture("meetings-google.ics"), "--from", "2026-12-07", "--to", "2026-12-11"].map(String::from),
        );
        a.extend(extra.iter().map(|s| s.to_string()));
        a
    };
    let run = |extra: &[&str]| {
        let a = args(extra);
        db.json(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let dry = run(&["--dry-run"]);
    assert_eq!(dry["domain"], "ourco.example");
    let v = run(&[]);
    let found = starts(&v);
    assert!(
        found.contains(&"2026-12-07T14:00:00+01:00 Kestrel Ridge".to_string()),
        "moved to the afternoon: {found:#?}"
    );
    assert!(!found.iter().any(|m| m.starts_with("2026-12-10T11:00")), "cancelled: {found:#?}");
    assert_eq!(v["added"].as_u64().unwrap(), found.len() as u64);
    let skipped: Vec<&str> = v["skipped"].as_array().unwrap().iter().map(|c| c["what"].as_str().unwrap()).collect();
    assert!(skipped.contains(&"all-day events") && skipped.contains(&"cancelled"), "{skipped:?}");
    let again = run(&[]);
    assert_eq!((again["added"].clone(), again["unchanged"].clone()), (json!(0), json!(found.len())));

    let today = db.json(&["--tz", "Europe/Berlin", "today"]);
    let waiting = today["meetings_to_debrief"].as_array().unwrap();
    assert_eq!(waiting.len(), 1, "{today}");
    let id = waiting[0]["id"].to_string();
    let text = db.ok(&["--tz", "Europe/Berlin", "today"]);
    assert!(text.contains("1 meeting today not yet debriefed:"), "{text}");
    assert!(text.contains(&format!("debrief log \"Kestrel Ridge\" OUTCOME --meeting {id}")), "{text}");

    let logged = db.json(&["--tz", "Europe/Berlin", "log", "Kestrel Ridge", "advanced", "--meeting", &id]);
    assert_eq!(logged["contact"]["at"], "2026-12-07T14:00:00+01:00");
    assert_eq!(logged["contact"]["channel"], "meeting");
    assert_eq!(db.json(&["--tz", "Europe/Berlin", "today"])["meetings_to_debrief"], json!([]));
    let twice = db.fails(&["--tz", "Europe/Berlin", "log", "Kestrel Ridge", "won", "--meeting", &id]);
    assert!(twice.contains("is debriefed already"), "{twice}");
    assert!(db.fails(&["log", "X", "won", "--meeting", "999"]).contains("no meeting 999"));
    // Importing again keeps the debriefed meeting as it is.
    let after = run(&[]);
    assert_eq!(after["added"], 0);
    let kept = after["meetings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"].to_string().as_str() == id.as_str())
        .unwrap()
        .clone();
    assert!(kept["contact_id"].is_number(), "{kept}");

    // The export carries the meetings, the debriefed one with its contact;
    // imported into another database, today's list is the same.
    let export = db.ok(&["export", "--format", "json"]);
    let doc: Value = serde_json::from_str(&export).unwrap();
    let meetings = doc["meetings"].as_array().unwrap();
    assert_eq!(meetings.len(), found.len(), "{doc}");
    let debriefed: Vec<&Value> = meetings.iter().filter(|m| m["contact_id"].is_number()).collect();
    assert_eq!(debriefed.len(), 1);
    let contact = &doc["contacts"].as_array().unwrap().iter().find(|c| c["id"] == debriefed[0]["contact_id"]).unwrap();
    assert_eq!(contact["client"], "Kestrel Ridge");
    let file = db.dir.path().join("export.json");
    std::fs::write(&file, &export).unwrap();
    let elsewhere = monday();
    elsewhere.ok(&["import", file.to_str().unwrap()]);
    let again: Value = serde_json::from_str(&elsewhere.ok(&["export", "--format", "json"])).unwrap();
    let strip = |v: &Value| {
        let mut m = v["meetings"].clone();
        m.as_array_mut().unwrap().iter_mut().for_each(|m| m["contact_id"] = json!(m["contact_id"].is_number()));
        m
    };
    assert_eq!(strip(&again), strip(&doc));
    let today = |d: &Db| d.json(&["--tz", "Europe/Berlin", "today"])["meetings_to_debrief"].clone();
    assert_eq!(today(&elsewhere), today(&db));
}

#[test]
fn outlook_and_apple_calendars_are_read_in_their_zones() {
    let db = monday();
    let outlook = db.json(&[
        "import",
        &fixture("meetings-outlook.ics"),
        "--from",
        "2026-12-07",
        "--to",
        "2026-12-13",
        "--dry-run",
    ]);
    let found = starts(&outlook);
    assert_eq!(found.iter().filter(|m| m.contains("Halvorsen")).count(), 5, "a daily stand-up, five times: {found:#?}");
    assert!(found[0].starts_with("2026-12-07T07:45:00"), "{found:#?}");
    let apple = db.json(&["import", &fixture("meetings-apple.ics"), "--from", "2026-12-07", "--dry-run"]);
    assert_eq!(starts(&apple), ["2026-12-07T14:30:00+00:00 Tidewell"]);
}

#[test]
fn a_calendar_that_cannot_be_read_is_named_and_nothing_is_kept() {
    let db = monday();
    let empty = db.fails(&["import", &fixture("empty.ics")]);
    assert!(empty.contains("empty.ics: the calendar holds no events (VEVENT)"), "{empty}");
    let google = std::fs::read_to_string(fixture("meetings-google.ics")).unwrap();
    let cut = db.dir.path().join("cut.ics");
    std::fs::write(&cut, &google[..google.len() / 2]).unwrap();
    let err = db.fails(&["import", cut.to_str().unwrap()]);
    assert!(err.contains("cut.ics: line ") && err.contains("is never closed: the file may be cut short"), "{err}");
    let long = db.fails(&["import", &fixture("meetings-google.ics"), "--from", "2026-01-01", "--to", "2026-12-31"]);
    assert!(long.contains("more than 92 days"), "{long}");
    let bad = db.fails(&["import", &fixture("meetings-google.ics"), "--from", "next week"]);
    assert!(bad.contains("--from: \"next week\" is not a date: write it like 2026-12-07"), "{bad}");
    assert_eq!(db.json(&["today"])["meetings_to_debrief"], json!([]));
}
