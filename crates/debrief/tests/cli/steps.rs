//! Own up, recover, follow up and the daily question through the binary,
//! each with a pinned clock.

use serde_json::{Value, json};

use crate::harness::{Db, log};

fn ids(v: &Value, key: &str) -> Vec<i64> {
    v[key].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

#[test]
fn a_mistake_that_touched_the_client_is_owned_committed_and_its_recurrence_said_loudly() {
    let mut db = Db::sqlite();
    db.now = "2026-11-16T12:00:00Z".into();
    log(&db, "Acme", "lost", "2026-11-10 10:00", &["--reason", "was late", "--affected-client"]);
    let own = db.json(&["own"]);
    assert_eq!(own["not_owned"], 1);
    assert_eq!(own["summary"], "1 mistake not yet owned, 6 days old");
    let id = ids(&own, "items")[0].to_string();
    let week = db.json(&["week", "--week", "2026-W46"]);
    assert_eq!(week["ownership"]["not_owned"], 1);

    let owned = db.json(&["own", "owned", &id, "--how", "call", "--said", "I was late and I am sorry"]);
    assert_eq!(owned["state"], "owned");
    let err = db.fails(&["own", "owned", &id, "--how", "fax", "--said", "x"]);
    assert!(err.contains("call, email, in-person"), "{err}");
    let committed = db.json(&["own", "commit", &id, "leave 30 minutes earlier"]);
    assert_eq!(committed["state"], "committed");
    assert_eq!(db.json(&["own"])["items"], json!([]));

    db.now = "2026-11-20T12:00:00Z".into();
    let logged = db.json(&["log", "Bolt", "lost", "--at", "2026-11-19 09:00", "--reason", "was late again"]);
    assert_eq!(logged["recurred"].as_array().unwrap().len(), 1, "{logged}");
    assert!(logged["next_step"].as_str().unwrap().contains("RECURRED"), "{logged}");
    let said = logged["recurred"][0].as_str().unwrap();
    assert!(said.starts_with("\"was late\" came back after you committed on Mon 16 Nov:"), "{said}");
    let week = db.json(&["week", "--week", "2026-W47"]);
    let recurred = &week["recurred_after_commitment"][0];
    assert_eq!(recurred["reason"], "was late");
    assert_eq!(recurred["commitment"], "leave 30 minutes earlier");
    let text = db.ok(&["week", "--week", "2026-W47"]);
    assert!(text.contains("Came back after you committed to change it"), "{text}");
    assert!(text.contains("was late — once this week; last Thu 19 Nov, 09:00 (you committed on"), "{text}");
}

#[test]
fn no_answer_is_chased_then_the_client_moves_on_and_a_win_gets_check_ins() {
    let mut db = Db::sqlite();
    db.now = "2026-11-02T08:00:00Z".into();
    log(&db, "Bolt", "no-answer", "2026-11-02 10:00", &[]);
    log(&db, "Cobalt", "won", "2026-11-02 11:00", &[]);
    let due = db.json(&["due", "--days", "100"]);
    let titles: Vec<&str> = due["items"].as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(titles, ["chase", "check-in", "check-in", "check-in"]);
    assert_eq!(due["items"][0]["due"], "2026-11-04T10:00:00+00:00");
    // Overdue first: a week later the chase is overdue.
    db.now = "2026-11-10T08:00:00Z".into();
    let due = db.json(&["due", "--days", "0"]);
    assert_eq!((due["overdue"].as_u64(), due["items"][0]["kind"].as_str()), (Some(2), Some("chase")));
    let chase = due["items"][0]["id"].as_i64().unwrap().to_string();
    let next = db.json(&["done", &chase]);
    assert_eq!(next[0]["kind"], "chase");
    let err = db.fails(&["done", &chase]);
    assert!(err.contains("not open") || err.contains("already"), "{err}");
    // The client answers: the pending chase is cancelled.
    log(&db, "Bolt", "advanced", "2026-11-10 09:00", &[]);
    let kinds: Vec<String> = db.json(&["due", "--days", "100"])["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap().to_string())
        .collect();
    assert!(!kinds.contains(&"chase".to_string()), "{kinds:?}");
}

#[test]
fn snooze_and_follow_ups_by_hand() {
    let db = Db::sqlite();
    log(&db, "Acme", "advanced", "2026-11-26 10:00", &[]);
    let added = db.json(&["follow-up", "Acme", "--at", "2026-11-30 09:00", "--note", "send the revised quote"]);
    let id = added["id"].as_i64().unwrap().to_string();
    let snoozed = db.json(&["snooze", &id, "--days", "2"]);
    assert_eq!(snoozed["due"], "2026-12-02T09:00:00+00:00");
    for bad in ["0", "-3"] {
        let err = db.fails(&["snooze", &id, "--days", bad]);
        assert!(err.contains("days"), "{err}");
    }
    assert!(db.fails(&["snooze", "999", "--days", "1"]).contains("no follow-up #999"));
    assert!(db.fails(&["follow-up", "Nobody", "--at", "2026-11-30 09:00", "--note", "x"]).contains("no client"));
    assert!(db.fails(&["follow-up", "Acme", "--at", "2026-11-30 09:00", "--note", " "]).contains("empty"));
}

#[test]
fn the_follow_ups_export_as_a_valid_icalendar_file() {
    let mut db = Db::sqlite();
    db.now = "2026-11-02T08:00:00Z".into();
    log(&db, "Bolt, Inc; \"north\"", "no-answer", "2026-11-02 10:00", &[]);
    log(&db, "Cobalt", "won", "2026-11-02 11:00", &[]);
    let path = db.dir.path().join("follow-ups.ics");
    db.ok(&["export", "--ics", path.to_str().unwrap()]);
    let text = std::fs::read_to_string(&path).unwrap();
    let calendar: icalendar::Calendar = text.parse().expect("a real iCalendar parser reads it");
    let events: Vec<_> = calendar.components.iter().filter_map(|c| c.as_event()).collect();
    assert_eq!(events.len(), 4);
    use icalendar::Component;
    assert!(events.iter().any(|e| e.get_summary().is_some_and(|s| s.contains("Bolt, Inc; \"north\""))), "{text}");
}

#[test]
fn a_mishap_is_recovered_step_by_step_and_excuses_are_called_out() {
    let db = Db::sqlite();
    let opened = db.json(&["mishap", "open", "Acme", "--kind", "late", "--what", "30 minutes late to the demo"]);
    let id = opened["id"].as_i64().unwrap().to_string();
    assert_eq!(opened["open"], true);
    let due = db.json(&["due", "--days", "3"]);
    assert_eq!(due["items"][0]["kind"], "mishap-update");
    let step = db.json(&["mishap", "step", &id, "apologized", "--text", "Sorry, but the traffic was terrible"]);
    let warnings = step["warnings"].as_array().unwrap();
    assert!(warnings.iter().any(|w| w.as_str().unwrap().contains("traffic")), "{warnings:?}");
    let resolved = db.json(&["mishap", "step", &id, "resolved"]);
    assert!(
        resolved["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w.as_str().unwrap().contains("resolved before a plan was agreed"))
    );
    assert_eq!(resolved["open"], false);
    assert!(db.fails(&["mishap", "step", &id, "plan", "--text", "x"]).contains("resolved"));
    assert!(db.fails(&["mishap", "step", &id, "dance"]).contains("told-ahead"));
    assert!(db.fails(&["mishap", "open", "Acme", "--kind", "meteor", "--what", "x"]).contains("missed-meeting"));
    assert!(db.fails(&["mishap", "step", "999", "resolved"]).contains("no recovery #999"));
    assert_eq!(db.json(&["mishap"]), json!([]));
    let kinds: Vec<String> = db.json(&["due", "--days", "30"])["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap().to_string())
        .collect();
    assert!(!kinds.contains(&"mishap-update".to_string()), "updates stop once resolved: {kinds:?}");
}

#[test]
fn the_apology_check_stands_alone() {
    let db = Db::sqlite();
    let excusing = db.json(&["apology", "I'm sorry I was late, but the traffic was terrible."]);
    assert_eq!(excusing["verdict"], "excusing");
    let f = &excusing["findings"][0];
    for key in ["start", "end", "kind", "message", "suggestion"] {
        assert!(!f[key].is_null(), "{key}");
    }
    let owning = db.json(&[
        "apology",
        "I'm sorry I was late. I didn't leave early enough; from now on I leave 30 minutes earlier.",
    ]);
    assert_eq!(owning["verdict"], "owning");
    assert!(db.fails(&["apology", "  "]).contains("empty"));
}

#[test]
fn the_daily_question_keeps_a_forgiving_streak() {
    let mut db = Db::sqlite();
    for (now, item) in [
        ("2026-11-16T17:00:00Z", "ask about budget earlier"),
        ("2026-11-17T17:00:00Z", "listen more"),
        ("2026-11-19T17:00:00Z", "confirm the meeting"),
    ] {
        db.now = now.into();
        db.json(&["today", "--item", item]);
    }
    db.now = "2026-11-20T17:00:00Z".into();
    let day = db.json(&["today", "--nothing"]);
    assert_eq!(day["nothing_to_improve"], true);
    assert_eq!(day["streak"], 2, "Thursday and Friday; Wednesday was missed");
    let strength = day["strength"].as_f64().unwrap();
    assert!(strength > 0.1 && strength < 0.3, "{strength}");
    let noted = db.json(&["today", "--missed", "2026-11-18", "--note", "offsite all day"]);
    let states: Vec<&str> = noted["strip"].as_array().unwrap().iter().map(|d| d["state"].as_str().unwrap()).collect();
    assert_eq!(&states[states.len() - 5..], ["done", "done", "missed-with-note", "done", "done"]);
    assert!(
        db.fails(&["today", "--item", " "]).contains("empty") || db.fails(&["today", "--item", " "]).contains("item")
    );
    // Monday: the weekend does not break the streak.
    db.now = "2026-11-23T17:00:00Z".into();
    assert_eq!(db.json(&["today", "--item", "prepare"])["streak"], 3);
}

#[test]
fn a_bad_cadence_in_the_config_file_names_its_line() {
    let db = Db::sqlite();
    let config = db.dir.path().join("config.toml");
    std::fs::write(&config, "[follow_up]\nno_answer = [\"2d\", \"later\"]\n").unwrap();
    let err = db.fails(&["--config", config.to_str().unwrap(), "due"]);
    assert!(err.contains("line 2"), "{err}");
    std::fs::write(&config, "[follow_up]\nno_answer = [\"1d\"]\n").unwrap();
    let mut db2 = Db::sqlite();
    db2.now = "2026-11-02T08:00:00Z".into();
    let cfg = config.to_str().unwrap().to_string();
    db2.json(&["--config", &cfg, "log", "Bolt", "no-answer", "--at", "2026-11-02 10:00"]);
    let due = db2.json(&["--config", &cfg, "due", "--days", "10"]);
    assert_eq!(due["items"][0]["due"], "2026-11-03T10:00:00+00:00");
}
