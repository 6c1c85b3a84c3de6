//! `debrief export`: everything a rep owns as one versioned JSON document,
//! CSV files in a folder, a Markdown journal, the same on SQLite and
//! PostgreSQL; a command that cannot export says why in one line.

use serde_json::{Value, json};

use crate::harness::{Db, log};

/// A little of everything: contacts with reasons as written, a focus set,
/// cleared and set again, a mistake owned and committed, a recovery with a
/// step, a follow-up and a daily answer.
pub(crate) fn a_history(db: &mut Db) {
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

pub(crate) fn exported(db: &Db) -> Value {
    let text = db.ok(&["export", "--format", "json"]);
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

fn json_export_holds_everything(db: &mut Db) -> Value {
    a_history(db);
    let doc = exported(db);
    assert_eq!((doc["format"].clone(), doc["version"].clone()), (json!("debrief-export"), json!(2)));
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
    assert!(said.contains("Wrote 10 CSV files to"), "{said}");
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

/// An export without the database's own ids and the time it was taken:
/// what must come back the same after an import.
pub(crate) fn without_ids(mut doc: Value) -> Value {
    doc.as_object_mut().unwrap().remove("exported_at");
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for key in ["id", "contact_id", "recovery_id", "reason_id"] {
                    map.remove(key);
                }
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut doc);
    doc
}

/// The reports a rep reads, as JSON.
pub(crate) fn reports(db: &Db) -> Vec<Value> {
    ["week --week 2026-W48", "reasons --weeks 4", "focus", "own", "trend --weeks 3", "mishap"]
        .iter()
        .map(|c| db.json(&c.split(' ').collect::<Vec<_>>()))
        .collect()
}

fn round_trip(from: &mut Db, to: &Db) {
    a_history(from);
    let file = from.dir.path().join("me.json");
    from.ok(&["export", "--format", "json", "--output", file.to_str().unwrap()]);
    let dry = to.ok(&["import", file.to_str().unwrap(), "--dry-run"]);
    assert!(dry.starts_with("Would import (nothing was written) for me: 3 contacts,"), "{dry}");
    assert_eq!(exported(to)["contacts"], json!([]), "a dry run writes nothing");
    let said = to.ok(&["import", file.to_str().unwrap()]);
    assert_eq!(
        said,
        "Imported for me: 3 contacts, 1 ownership item, 2 focus periods, 1 recovery, 5 follow-ups, 1 daily answer.\n"
    );
    assert_eq!(without_ids(exported(to)), without_ids(exported(from)));
    assert_eq!(reports(to), reports(from));
    // A second import is refused, and changes nothing.
    let again = to.fails(&["import", file.to_str().unwrap()]);
    assert!(again.contains("me already has 3 contacts in this database"), "{again}");
    let dry = to.fails(&["import", file.to_str().unwrap(), "--dry-run"]);
    assert!(dry.contains("me already has 3 contacts in this database"), "{dry}");
    assert_eq!(without_ids(exported(to)), without_ids(exported(from)));
}

#[test]
fn an_export_imported_into_an_empty_database_gives_every_report_back_sqlite_and_postgres_both_ways() {
    round_trip(&mut Db::sqlite(), &Db::sqlite());
    if let (Some(mut pg), Some(pg_empty)) = (Db::postgres(), Db::postgres()) {
        round_trip(&mut Db::sqlite(), &pg_empty);
        round_trip(&mut pg, &Db::sqlite());
    }
}

#[test]
fn a_file_that_is_not_an_export_is_refused_with_where_and_nothing_is_stored() {
    let db = Db::sqlite();
    let write = |name: &str, text: &str| {
        let path = db.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    let broken = write("broken.json", "{\n  \"format\": \"debrief-export\",\n  \"version\": 1,\n  \"contacts\": [\n");
    let err = db.fails(&["import", &broken]);
    assert!(err.contains("broken.json: line 5, column 0: not JSON"), "{err}");
    let other = write("other.json", "{\"name\": \"a CRM export\"}");
    assert!(db.fails(&["import", &other]).contains("not a debrief export"));
    let newer = write("newer.json", "{\"format\": \"debrief-export\", \"version\": 9}");
    let err = db.fails(&["import", &newer]);
    assert!(err.contains("written by a newer debrief (export version 9; this one reads up to 2)"), "{err}");
    // A value of the wrong kind is named by its place in the document.
    let mut doc = exported(&db);
    doc["contacts"] = json!([{"id": 1, "at": "2026-11-23T10:00:00Z", "client": "Acme", "channel": "call",
        "outcome": "maybe", "new_lead": false, "reasons": [], "better": null, "note": null}]);
    let bad = write("bad.json", &serde_json::to_string_pretty(&doc).unwrap());
    let err = db.fails(&["import", &bad]);
    assert!(err.contains("bad.json: at contacts[0].outcome: unknown outcome \"maybe\""), "{err}");
    let csv = write("deals.csv", "a,b\n");
    assert!(db.fails(&["import", &csv]).contains("deals.csv: 1: no preset knows this header"));
    let sheet = write("deals.xlsx", "PK");
    let err = db.fails(&["import", &sheet]);
    assert!(err.contains("deals.xlsx: expected a .csv (a CRM's export, saved as CSV UTF-8), a .json (debrief's own export) or an .ics (a calendar)"), "{err}");
    assert_eq!(exported(&db)["contacts"], json!([]), "nothing was stored");
}
