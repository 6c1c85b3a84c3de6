//! `debrief export`: everything a rep owns as one versioned JSON document,
//! CSV files in a folder, a Markdown journal, the same on SQLite and
//! PostgreSQL; a command that cannot export says why in one line.

use serde_json::{Value, json};

use crate::harness::{Db, log};

/// A little of everything: contacts with reasons as written, a focus set,
/// cleared and set again, a mistake owned and committed, a recovery with a
/// step, a follow-up and a daily answer.
fn a_history(db: &mut Db) {
    db.now = "2026-11-27T18:00:00Z".into();
    log(
        db,
        "Acme",
        "lost",
        "2026-11-23 10:00",
        &["--reason", "was late", "--affected-client", "--do", "leave *early*"],
    );
    log(db, "Bolt", "won", "2026-11-24 11:00", &["--new-lead"]);
    log(db, "Cedar", "lost", "2026-11-25 09:00", &["--external", "chose a competitor"]);
    db.now = "2026-11-27T18:10:00Z".into();
    db.ok(&["focus", "set", "was late"]);
    db.now = "2026-11-27T18:20:00Z".into();
    db.ok(&["focus", "clear"]);
    db.now = "2026-11-27T18:30:00Z".into();
    db.ok(&["focus", "set", "was late"]);
    let own = db.json(&["own"]);
    let id = own["items"][0]["id"].as_i64().unwrap().to_string();
    db.ok(&["own", "owned", &id, "--how", "call", "--said", "I was late and I am sorry"]);
    db.ok(&["own", "commit", &id, "leave 30 minutes earlier"]);
    let opened = db.json(&["mishap", "open", "Acme", "--kind", "late", "--what", "30 minutes late to the demo"]);
    let mishap = opened["id"].as_i64().unwrap().to_string();
    db.ok(&["mishap", "step", &mishap, "apologized", "--text", "I am sorry I was late; that is on me"]);
    db.ok(&["follow-up", "Bolt", "--at", "mon 09:00", "--note", "send the onboarding plan"]);
    db.ok(&["today", "--item", "should have confirmed the time the day before"]);
}

fn exported(db: &Db) -> Value {
    let text = db.ok(&["export", "--format", "json"]);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn json_export_holds_everything(db: &mut Db) -> Value {
    a_history(db);
    let doc = exported(db);
    assert_eq!((doc["format"].clone(), doc["version"].clone()), (json!("debrief-export"), json!(1)));
    assert_eq!((doc["rep"].clone(), doc["time_zone"].clone()), (json!("me"), json!("UTC")));
    let contacts = doc["contacts"].as_array().unwrap();
    assert_eq!(contacts.len(), 3, "{doc}");
    let acme = &contacts[0];
    assert_eq!((acme["client"].clone(), acme["outcome"].clone()), (json!("Acme"), json!("lost")));
    assert_eq!(acme["at"], json!("2026-11-23T10:00:00Z"));
    assert_eq!(
        acme["reasons"][0],
        json!({"text": "was late", "reason_id": acme["reasons"][0]["reason_id"], "reason": "was late", "controllable": true, "do_differently": "leave *early*"})
    );
    assert_eq!(contacts[1]["new_lead"], json!(true));
    assert_eq!(contacts[2]["reasons"][0]["controllable"], json!(false));
    let focus = doc["focus"].as_array().unwrap();
    assert_eq!(focus.len(), 2, "the whole history: {doc}");
    assert_eq!(
        (focus[0]["set_at"].clone(), focus[0]["cleared_at"].clone()),
        (json!("2026-11-27T18:10:00Z"), json!("2026-11-27T18:20:00Z"))
    );
    assert_eq!(focus[1]["cleared_at"], Value::Null);
    let own = &doc["ownership"][0];
    assert_eq!(
        (own["owned_how"].clone(), own["commitment"].clone()),
        (json!("call"), json!("leave 30 minutes earlier"))
    );
    let recovery = &doc["recoveries"][0];
    assert_eq!(
        (recovery["kind"].clone(), recovery["what"].clone()),
        (json!("late"), json!("30 minutes late to the demo"))
    );
    assert_eq!(recovery["steps"][0]["step"], json!("apologized"));
    let notes: Vec<&str> = doc["follow_ups"].as_array().unwrap().iter().filter_map(|f| f["note"].as_str()).collect();
    assert!(notes.contains(&"send the onboarding plan"), "{notes:?}");
    assert_eq!(doc["daily"][0]["items"], json!(["should have confirmed the time the day before"]));
    assert!(doc["reasons"].as_array().unwrap().iter().any(|r| r["label"] == json!("was late")));
    doc
}

#[test]
fn the_json_export_holds_everything_and_is_the_same_on_sqlite_and_postgres() {
    let sqlite = json_export_holds_everything(&mut Db::sqlite());
    if let Some(mut pg) = Db::postgres() {
        assert_eq!(sqlite, json_export_holds_everything(&mut pg));
    }
}

#[test]
fn csv_is_one_file_per_kind_and_markdown_a_journal_by_week() {
    let mut db = Db::sqlite();
    a_history(&mut db);
    let dir = db.dir.path().join("out");
    let said = db.ok(&["export", "--format", "csv", "--output", dir.to_str().unwrap()]);
    assert!(said.contains("Wrote 9 CSV files to"), "{said}");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let contacts = read("contacts.csv");
    assert_eq!(contacts.lines().next(), Some("id,at,client,channel,outcome,new_lead,better,note"));
    assert_eq!(contacts.lines().count(), 4, "{contacts}");
    let reasons = read("contact_reasons.csv");
    assert!(reasons.contains("1,1,was late,"), "{reasons}");
    assert!(read("focus.csv").lines().count() == 3);
    assert!(read("recovery_steps.csv").contains("apologized"));
    // The JSON and Markdown to a file say where they went.
    let file = db.dir.path().join("me.json");
    assert!(
        db.ok(&["export", "--format", "json", "--output", file.to_str().unwrap()])
            .contains("Wrote everything you own to")
    );
    assert_eq!(serde_json::from_str::<Value>(&std::fs::read_to_string(&file).unwrap()).unwrap(), exported(&db));
    let journal = db.ok(&["export", "--format", "markdown"]);
    assert!(journal.starts_with("# debrief journal: me"), "{journal}");
    assert!(journal.contains("## 2026-W48"), "{journal}");
    assert!(
        journal.contains("was late *(mine: was late)* — next time: leave \\*early\\*"),
        "markup in a text is shown as written: {journal}"
    );
    assert!(journal.contains("## Focus"), "{journal}");
}

#[test]
fn an_export_that_cannot_be_made_says_why() {
    let db = Db::sqlite();
    assert_eq!(db.fails(&["export"]), "error: --format: say what to export: --format json, csv, markdown or ics");
    let csv = db.fails(&["export", "--format", "csv"]);
    assert!(csv.contains("--output: CSV is one file per kind: give a folder"), "{csv}");
    let bad = db.fails(&["export", "--format", "xml"]);
    assert!(bad.contains("unknown format \"xml\": expected one of json, csv, markdown, ics"), "{bad}");
    // An empty database exports the vocabulary and empty lists.
    let doc: Value = serde_json::from_str(&db.ok(&["export", "--format", "json"])).unwrap();
    assert_eq!(doc["contacts"], json!([]));
    assert!(!doc["reasons"].as_array().unwrap().is_empty());
}
