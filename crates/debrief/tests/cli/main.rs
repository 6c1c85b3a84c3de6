//! The `debrief` binary end to end: the loop, the numbers, both databases,
//! and every bad input.

mod backup;
mod bad_input;
mod calendar;
mod export;
mod harness;
mod import_csv;
mod parity;
mod review;
mod steps;
mod tidy;

use harness::{Db, log};
use serde_json::{Value, json};

/// 2026-W47: 25 contacts, 5 won (3 of them among 12 new leads), 20 lost.
fn week_of_25(db: &Db) {
    let lost: [(&str, &[&str]); 20] = [
        ("--reason", &["talked features, not benefits"]),
        ("--reason", &["talked features, not benefits"]),
        ("--reason", &["pitched features instead of benefits"]),
        ("--reason", &["pitched features instead of benefits"]),
        ("--reason", &["talked about features not benefits"]),
        ("--reason", &["talked about features not benefits"]),
        ("--reason", &["didn't ask about budget"]),
        ("--reason", &["never asked the budget question"]),
        ("--reason", &["didn't ask about budget"]),
        ("--reason", &["did not ask about their budget"]),
        ("--external", &["chose a competitor"]),
        ("--external", &["chose a competitor"]),
        ("--external", &["chose a competitor"]),
        ("--external", &["went with a competitor"]),
        ("--external", &["chose a competitor"]),
        ("--reason", &["was late"]),
        ("--reason", &["was late"]),
        ("--reason", &["no clear next step agreed"]),
        ("--reason", &["no clear next step agreed"]),
        ("--reason", &["no clear next step agreed"]),
    ];
    let mut lost = lost.iter();
    for i in 1..=25 {
        let client = format!("client {i:02}");
        let at = format!("2026-11-{:02} {:02}:00", 16 + (i % 5), 8 + i / 5);
        let mut extra = vec![];
        if i <= 12 {
            extra.push("--new-lead");
        }
        let outcome = if [1, 2, 3, 13, 14].contains(&i) {
            "won"
        } else {
            let (flag, texts) = lost.next().unwrap();
            extra.push(flag);
            extra.push(texts[0]);
            "lost"
        };
        log(db, &client, outcome, &at, &extra);
    }
}

fn check_week_of_25(db: &Db) -> Value {
    week_of_25(db);
    let week = db.json(&["week", "--week", "2026-W47"]);
    let expected = json!({
        "week": "2026-W47", "rep": "me", "contacts": 25, "won": 5, "lost": 20,
        "success_rate": {"value": 0.2, "low": 0.0886, "high": 0.3913},
        "new_leads": 12, "converted": 3,
        "conversion_rate": {"value": 0.25, "low": 0.0889, "high": 0.5323},
    });
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(&week[key], value, "{key}");
    }
    let first = &week["reasons"][0];
    assert_eq!(first["reason"], "talked features, not benefits");
    assert_eq!((first["controllable"].clone(), first["lost_contacts"].clone()), (json!(true), json!(6)));
    assert_eq!((first["share_of_lost"].clone(), first["repeated"].clone()), (json!(0.3), json!(true)));
    assert_eq!(
        week["focus"],
        json!({"reason": "talked features, not benefits", "id": first["id"], "status": "suggested", "since": null, "since_when": null, "effect": null})
    );
    assert_eq!(week["change"]["success_rate"], "no previous week");
    let repeated = week["repeated"].as_array().unwrap();
    assert!(repeated.contains(&json!("talked features, not benefits")));
    // An external reason is counted apart, never called a repeated mistake.
    assert!(!repeated.contains(&json!("chose a competitor")), "{repeated:?}");
    week
}

#[test]
fn a_week_of_25_contacts_with_5_won_is_5_of_25_with_its_interval() {
    check_week_of_25(&Db::sqlite());
}

#[test]
fn sqlite_and_postgres_give_the_same_documents() {
    let Some(pg) = Db::postgres() else { return };
    let sqlite = Db::sqlite();
    assert_eq!(check_week_of_25(&sqlite), check_week_of_25(&pg));
    for args in [&["reasons", "--weeks", "2"][..], &["list", "--limit", "100"], &["trend", "--weeks", "3"], &["focus"]]
    {
        assert_eq!(sqlite.json(args), pg.json(args), "{args:?}");
    }
    assert_eq!(sqlite.snapshot(), pg.snapshot());
}

#[test]
fn one_reason_written_three_ways_is_one_reason_and_the_focus() {
    let db = Db::sqlite();
    let texts = [
        "didn't ask about budget",
        "never asked about their budget",
        "forgot to ask what they can spend",
        "didn't ask about budget",
    ];
    for (i, text) in texts.iter().enumerate() {
        let at = format!("2026-11-1{} 10:00", 6 + i);
        let logged = log(&db, &format!("lost {i}"), "lost", &at, &["--reason", text]);
        assert_eq!(logged["reasons"][0]["text"], *text, "the text is kept as written");
    }
    let week = db.json(&["week", "--week", "2026-W47"]);
    let first = &week["reasons"][0];
    assert_eq!((first["lost_contacts"].as_u64(), first["repeated"].as_bool()), (Some(4), Some(true)));
    let canonical = first["reason"].as_str().unwrap().to_string();
    assert_eq!(week["focus"]["reason"], canonical.as_str());
    assert_eq!(week["repeated"], json!([canonical]));

    // An external reason on more lost contacts is counted, never suggested.
    for i in 0..6 {
        log(&db, &format!("ext {i}"), "lost", "2026-11-20 15:00", &["--external", "chose a competitor"]);
    }
    let week = db.json(&["week", "--week", "2026-W47"]);
    assert_eq!(week["reasons"][0]["reason"], "chose a competitor");
    assert_eq!(week["reasons"][0]["lost_contacts"], 6);
    assert_eq!(week["reasons"][0]["controllable"], false);
    assert_eq!(week["focus"]["reason"], canonical.as_str());
    let reasons = db.json(&["reasons", "--weeks", "4"]);
    assert_eq!(reasons["suggested_focus"], canonical.as_str());
}

#[test]
fn logging_says_when_a_reason_repeats_this_week() {
    let db = Db::sqlite();
    log(&db, "a", "won", "2026-11-23 09:00", &[]);
    log(&db, "b", "lost", "2026-11-23 10:00", &["--reason", "was late"]);
    let out = db.ok(&["log", "c", "lost", "--at", "2026-11-24 10:00", "--reason", "was late to the meeting"]);
    assert!(out.contains("1 of 3 won this week"), "{out}");
    assert!(out.contains("2nd time this week"), "{out}");
}

fn at_week(week: u32, day: u32, hour: u32) -> String {
    // Monday of 2026-W01 is 2025-12-29.
    let monday = jiff::civil::date(2025, 12, 29) + jiff::Span::new().weeks(week as i64 - 1).days(day as i64);
    format!("{monday} {hour:02}:00")
}

#[test]
fn focus_says_too_few_then_measures_a_drop() {
    let mut db = Db::sqlite();
    // Before: 30 lost contacts in W33–W40, half of them for the budget mistake.
    for i in 0..30u32 {
        let reason = if i % 2 == 0 { "didn't ask about budget" } else { "was late" };
        log(&db, &format!("b{i}"), "lost", &at_week(33 + i / 4, i % 5, 10), &["--reason", reason]);
    }
    db.now = "2026-10-05T08:00:00Z".into(); // Monday of W41
    let set = db.json(&["focus", "set", "didn't ask about budget"]);
    assert_eq!(set["status"], "set");
    assert_eq!(set["effect"]["verdict"], "too few contacts to tell");

    db.now = "2026-10-09T18:00:00Z".into();
    for i in 0..3u32 {
        log(&db, &format!("a{i}"), "lost", &at_week(41, i, 11), &["--reason", "was late"]);
    }
    let focus = db.json(&["focus"]);
    assert_eq!(focus["effect"]["verdict"], "too few contacts to tell");
    assert_eq!(focus["effect"]["after"], json!({"hits": 0, "total": 3}));

    db.now = "2026-11-27T18:00:00Z".into();
    for i in 0..30u32 {
        let reason = if i % 15 == 0 { "didn't ask about budget" } else { "was late" };
        log(&db, &format!("c{i}"), "lost", &at_week(42 + i / 6, i % 5, 12), &["--reason", reason]);
    }
    let focus = db.json(&["focus"]);
    assert_eq!(focus["effect"]["before"], json!({"hits": 15, "total": 30}));
    assert_eq!(focus["effect"]["after"], json!({"hits": 2, "total": 33}));
    assert_eq!(focus["effect"]["verdict"], "appears less often");
    let text = db.ok(&["focus"]);
    assert!(text.contains("appears less often"), "{text}");

    db.ok(&["focus", "clear"]);
    assert_eq!(db.json(&["week"])["focus"]["status"], "suggested");
}

#[test]
fn a_lead_won_weeks_later_counts_for_the_week_it_came_in() {
    let mut db = Db::sqlite();
    log(&db, "Acme", "advanced", "2026-11-03 10:00", &["--new-lead"]);
    log(&db, "Bolt", "pending", "2026-11-04 10:00", &["--new-lead"]);
    log(&db, "Acme", "won", "2026-11-18 10:00", &[]);
    let w45 = db.json(&["week", "--week", "2026-W45"]);
    assert_eq!((w45["new_leads"].as_u64(), w45["converted"].as_u64()), (Some(2), Some(1)));
    assert_eq!(w45["conversion_rate"]["value"], 0.5);
    let w47 = db.json(&["week", "--week", "2026-W47"]);
    assert_eq!((w47["new_leads"].as_u64(), w47["converted"].as_u64()), (Some(0), Some(0)));
    assert_eq!(w47["conversion_rate"], Value::Null);
    // Seen before the win, the same week had not converted yet.
    db.now = "2026-11-10T12:00:00Z".into();
    assert_eq!(db.json(&["week", "--week", "2026-W45"])["converted"], 0);
}

#[test]
fn the_week_shows_earlier_lessons_and_the_change_against_last_week() {
    let db = Db::sqlite();
    log(
        &db,
        "a",
        "lost",
        "2026-11-10 10:00",
        &["--reason", "didn't ask about budget", "--do", "ask it in the first ten minutes"],
    );
    log(&db, "b", "won", "2026-11-11 10:00", &[]);
    log(&db, "c", "lost", "2026-11-17 10:00", &["--reason", "never asked the budget question"]);
    let week = db.json(&["week", "--week", "2026-W47"]);
    assert_eq!(week["lessons"][0]["text"], "ask it in the first ten minutes");
    assert_eq!(week["lessons"][0]["week"], "2026-W46");
    assert_eq!(week["change"]["success_rate"], "within noise");
    let text = db.ok(&["week", "--week", "2026-W47"]);
    assert!(text.contains("ask it in the first ten minutes"), "{text}");
    assert!(text.contains("0 of 1 decided contacts won — 0%, about the same as last week."), "{text}");
    let all = db.ok(&["week", "--week", "2026-W47", "--all"]);
    assert!(all.contains("0 of 1 = 0% (95% CI 0–79%)"), "{all}");
}

#[test]
fn merge_and_rename_keep_every_text_as_written() {
    let db = Db::sqlite();
    log(&db, "a", "lost", "2026-11-16 10:00", &["--reason", "zigzagged through the pricing deck"]);
    log(&db, "b", "lost", "2026-11-17 10:00", &["--reason", "rambled about the roadmap"]);
    db.ok(&["reasons", "merge", "rambled about the roadmap", "zigzagged through the pricing deck"]);
    let week = db.json(&["week", "--week", "2026-W47"]);
    assert_eq!(week["reasons"][0]["reason"], "zigzagged through the pricing deck");
    assert_eq!(week["reasons"][0]["lost_contacts"], 2);
    db.ok(&["reasons", "rename", "zigzagged through the pricing deck", "lost the thread of the pitch"]);
    let contacts = db.json(&["list", "--reason", "lost the thread of the pitch"]);
    assert_eq!(contacts["total"], 2);
    let texts: Vec<&str> =
        contacts["contacts"].as_array().unwrap().iter().map(|c| c["reasons"][0]["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["rambled about the roadmap", "zigzagged through the pricing deck"]);
    // The old wording still finds the reason.
    let logged = log(&db, "c", "lost", "2026-11-18 10:00", &["--reason", "rambled about the roadmap"]);
    assert_eq!(logged["reasons"][0]["reason"], "lost the thread of the pitch");
    assert!(db.fails(&["reasons", "rename", "was late", "lost the thread of the pitch"]).contains("already exists"));
}

#[test]
fn edit_show_delete_and_trend() {
    let db = Db::sqlite();
    let logged = log(&db, "Acme", "pending", "2026-11-16 10:00", &["--note", "asked for a quote"]);
    let id = logged["contact"]["id"].as_i64().unwrap().to_string();
    let edited = db.json(&[
        "edit",
        &id,
        "--outcome",
        "lost",
        "--reason",
        "sent the proposal too late",
        "--do",
        "send it the same day",
    ]);
    assert_eq!(edited["outcome"], "lost");
    assert_eq!(edited["note"], "asked for a quote");
    assert_eq!(edited["reasons"][0]["do_differently"], "send it the same day");
    let err = db.fails(&["edit", &id, "--clear-reasons"]);
    assert!(err.contains("lost contact needs at least one reason"), "{err}");
    assert_eq!(db.json(&["show", &id]), edited);
    let shown = db.ok(&["show", &id]);
    assert!(shown.contains("next time: send it the same day"), "{shown}");

    log(&db, "Bolt", "won", "2026-11-09 10:00", &[]);
    let trend = db.json(&["trend", "--weeks", "3"]);
    let weeks: Vec<&str> = trend["weeks"].as_array().unwrap().iter().map(|w| w["week"].as_str().unwrap()).collect();
    assert_eq!(weeks, ["2026-W46", "2026-W47", "2026-W48"]);
    assert_eq!(trend["weeks"][0]["success_rate"]["value"], 1.0);
    assert!(db.ok(&["trend", "--weeks", "3"]).contains('█'));

    assert!(db.fails(&["delete", &id]).contains("add --yes"));
    db.ok(&["delete", &id, "--yes"]);
    assert!(db.fails(&["show", &id]).contains(&format!("no contact #{id}")));
}

#[test]
fn demo_fills_every_report() {
    let db = Db::sqlite();
    let demo = db.json(&["demo", "--reps", "3", "--weeks", "12", "--seed", "4"]);
    let contacts = demo["contacts"].as_u64().unwrap();
    assert!((3 * 12 * 35..3 * 12 * 60).contains(&contacts), "{contacts}");
    let week = db.json(&["week", "--week", "2026-W47"]);
    assert!(week["contacts"].as_u64().unwrap() > 20);
    assert!(!week["reasons"].as_array().unwrap().is_empty());
    assert!(week["success_rate"]["value"].as_f64().is_some());
    assert_eq!(db.json(&["week", "--rep", "rep-002", "--week", "2026-W47"])["rep"], "rep-002");
    assert_eq!(db.json(&["focus"])["status"], "set");
    let err = db.fails(&["demo"]);
    assert!(err.contains("already holds contacts"), "{err}");
}

#[test]
fn times_as_people_type_them() {
    let db = Db::sqlite(); // now: Friday 2026-11-27 18:00 UTC
    let at = |args: &[&str]| db.json(args)["contact"]["at"].as_str().unwrap().to_string();
    assert_eq!(at(&["log", "A", "won", "--at", "yesterday 14:00"]), "2026-11-26T14:00:00+00:00");
    assert_eq!(at(&["log", "B", "won", "--at", "today 9:30"]), "2026-11-27T09:30:00+00:00");
    assert_eq!(at(&["log", "C", "won", "--at", "mon 10:00"]), "2026-11-23T10:00:00+00:00");
    assert_eq!(at(&["log", "D", "won", "--at", "2 hours ago"]), "2026-11-27T16:00:00+00:00");
    // Numeric dates follow the configured order, never a guess.
    let config = db.dir.path().join("dmy.toml");
    std::fs::write(&config, "date_order = \"dmy\"\n").unwrap();
    let config = config.to_str().unwrap();
    assert_eq!(at(&["--config", config, "log", "E", "won", "--at", "03/11/2026 10:00"]), "2026-11-03T10:00:00+00:00");
    std::fs::write(db.dir.path().join("mdy.toml"), "date_order = \"mdy\"\n").unwrap();
    let mdy = db.dir.path().join("mdy.toml");
    assert_eq!(
        at(&["--config", mdy.to_str().unwrap(), "log", "F", "won", "--at", "03/11/2026 10:00"]),
        "2026-03-11T10:00:00+00:00"
    );
    // A contact is something that happened; a follow-up may be planned for any weekday to come.
    db.ok(&["log", "G", "won", "--at", "tomorrow 10:00"]); // within a day: a clock set wrong
    let ahead = db.fails(&["log", "H", "won", "--at", "2026-12-05 10:00"]);
    assert!(ahead.contains("--at: Sat 5 Dec, 10:00 is more than a day ahead"), "{ahead}");
    let planned = db.json(&["follow-up", "A", "--at", "mon 09:00", "--note", "call back"]);
    assert!(planned["due"].as_str().unwrap().starts_with("2026-11-30T09:00"), "{planned}");
}

/// The client's situation typed as a mistake of the rep's is kept apart and
/// the output says how to move it; moving it counts it as outside the rep's
/// control with the words kept, and the printed undo puts it back.
fn refile_moves_counts_and_keeps_the_text(db: &Db) -> Value {
    let text = "the client simply had no money";
    let out = db.ok(&["log", "Acme", "lost", "--at", "2026-11-26 10:00", "--reason", text]);
    assert!(out.contains("reads as outside your control"), "{out}");
    let command = format!("debrief reasons refile 1 '{text}' --external");
    assert!(out.contains(&command), "the output names the command that moves it: {out}");
    let before = db.json(&["week", "--week", "2026-W48"]);
    assert_eq!(before["reasons"][0]["controllable"], json!(true), "kept as a reason of its own, on the side given");

    let moved = db.json(&["reasons", "refile", "1", text, "--external"]);
    assert_eq!((moved["text"].clone(), moved["controllable"].clone()), (json!(text), json!(false)));
    let shown = db.json(&["show", "1"]);
    assert_eq!(shown["reasons"][0]["text"], json!(text), "the words stay as written");
    assert_eq!(shown["reasons"][0]["controllable"], json!(false));
    let week = db.json(&["week", "--week", "2026-W48"]);
    let mine: Vec<&Value> =
        week["reasons"].as_array().unwrap().iter().filter(|r| r["controllable"] == json!(true)).collect();
    assert!(mine.is_empty(), "no mistake of the rep's is left: {week}");
    assert_eq!(week["repeated"], json!([]));

    // The text output prints the undo, and the undo restores the filing.
    let again = db.ok(&["reasons", "refile", "1", text, "--as", moved["undo_as"].as_str().unwrap()]);
    assert!(again.contains("now counts as"), "{again}");
    assert!(again.contains("Undo: debrief reasons refile 1"), "{again}");
    let restored = db.json(&["show", "1"]);
    assert_eq!(restored["reasons"][0]["reason_id"], shown_before(&before));
    assert_eq!(restored["reasons"][0]["controllable"], json!(true));

    // Under a known reason: the counts move there.
    let to_budget = db.json(&["reasons", "refile", "1", text, "--as", "didn't ask about budget"]);
    assert_eq!(to_budget["to"], json!("didn't ask about budget"));
    let week = db.json(&["week", "--week", "2026-W48"]);
    assert_eq!(week["reasons"][0]["reason"], json!("didn't ask about budget"), "{week}");
    // Words counted under one reason and re-filed under another are filed there next time.
    let words = "never found out how much money they had to spend";
    let first = db.json(&["log", "Beta", "lost", "--at", "2026-11-26 11:00", "--reason", words]);
    let target = if first["reasons"][0]["reason"] == json!("didn't identify the decision maker") {
        "didn't ask about budget"
    } else {
        "didn't identify the decision maker"
    };
    db.ok(&["reasons", "refile", "2", words, "--as", target]);
    let next = db.json(&["log", "Gamma", "lost", "--at", "2026-11-26 12:00", "--reason", words]);
    assert_eq!(next["reasons"][0]["reason"], json!(target), "learned: {next}");

    // Kept as words of their own, then undone: the reason left behind with
    // no contact no longer catches those words.
    let plain = "never asked the budget question";
    let logged = db.json(&["log", "Delta", "lost", "--at", "2026-11-26 13:00", "--reason", plain]);
    assert_eq!(logged["reasons"][0]["reason"], json!("didn't ask about budget"), "{logged}");
    let id = logged["contact"]["id"].as_i64().unwrap().to_string();
    let kept = db.json(&["reasons", "refile", &id, plain, "--new"]);
    assert_eq!(kept["to"], json!(plain), "{kept}");
    db.json(&["reasons", "refile", &id, plain, "--as", kept["undo_as"].as_str().unwrap()]);
    let again = db.json(&["log", "Epsilon", "lost", "--at", "2026-11-26 14:00", "--reason", plain]);
    assert_eq!(again["reasons"][0]["reason"], json!("didn't ask about budget"), "{again}");

    // Refusals: nothing chosen, a text the contact lacks, already there.
    let none = db.fails(&["reasons", "refile", "1", text]);
    assert!(none.contains("--as: nothing says where it should count"), "{none}");
    let missing = db.fails(&["reasons", "refile", "1", "talked too much", "--new"]);
    assert!(missing.contains("TEXT: contact #1 has no reason written \"talked too much\""), "{missing}");
    let same = db.fails(&["reasons", "refile", "1", text, "--as", "didn't ask about budget"]);
    assert!(same.contains("already counts as"), "{same}");
    db.json(&["list", "--limit", "10"])
}

fn shown_before(week: &Value) -> Value {
    week["reasons"][0]["id"].clone()
}

#[test]
fn refiling_a_reason_moves_its_counts_on_sqlite_and_postgres() {
    let sqlite = refile_moves_counts_and_keeps_the_text(&Db::sqlite());
    if let Some(pg) = Db::postgres() {
        assert_eq!(sqlite, refile_moves_counts_and_keeps_the_text(&pg));
    }
}

#[test]
fn follow_ups_fall_on_working_days_in_working_hours() {
    let db = Db::sqlite();
    // Friday 23:30: the chase two days later would be Sunday 23:30.
    let logged = db.json(&["--tz", "Europe/Berlin", "log", "Acme", "no-answer", "--at", "2026-11-20 23:30"]);
    assert!(logged["contact"]["id"].is_number());
    let due = db.json(&["--tz", "Europe/Berlin", "due", "--days", "30"]);
    assert_eq!(due["items"][0]["due"].as_str().unwrap().get(..16), Some("2026-11-23T09:00"), "{due}");
    // Configured hours; check-ins after a win land inside them, in whole minutes.
    let config = db.dir.path().join("hours.toml");
    std::fs::write(&config, "working_hours = \"10:00-16:00\"\n").unwrap();
    let config = config.to_str().unwrap();
    db.ok(&["--config", config, "log", "Beta", "won", "--at", "2026-11-25T08:17:41Z"]);
    let ics = db.ok(&["--config", config, "export", "--ics", "-"]);
    // The rep works in Berlin (the zone of their first contact): 10:00 there.
    assert!(ics.contains("DTSTART:20261202T090000Z"), "a week later, moved to the start of the hours: {ics}");
    for line in ics.lines().filter(|l| l.starts_with("DTSTART:")) {
        assert!(line.trim_end().ends_with("00Z"), "whole minutes: {line}");
    }
    let bad = db.dir.path().join("bad.toml");
    std::fs::write(&bad, "working_hours = \"17:00-09:00\"\n").unwrap();
    let err = db.fails(&["--config", bad.to_str().unwrap(), "week"]);
    assert!(err.contains("line 1, column 17: \"17:00-09:00\" are not working hours"), "{err}");
}

/// On a terminal, a reason whose filing is not certain is asked about:
/// numbered choices, "keep my words", "that's not mine".
#[test]
fn on_a_terminal_an_unsure_reason_is_asked_about() {
    if std::process::Command::new("script").arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI is set but `script` (util-linux) is missing");
        return;
    }
    let db = Db::sqlite();
    let mut cmd = db.cmd(&[]);
    let debrief = cmd.get_program().to_str().unwrap().to_string();
    let line = format!(
        "{debrief} log Cedar lost --at '2026-11-26 12:00' --reason 'forgot to ask for a referral' --do 'ask every happy client'"
    );
    let out = cmd_with_input(&mut cmd, &line, "x\nn\n");
    assert!(out.contains("Where does \"forgot to ask for a referral\" count?"), "{out}");
    assert!(out.contains("x) that's not mine: outside my control"), "{out}");
    let shown = db.json(&["show", "1"]);
    assert_eq!(shown["reasons"][0]["controllable"], json!(false), "{shown}");
    assert_eq!(shown["better"], json!("ask every happy client"), "what they'd do differently is kept");
    assert_eq!(shown["new_lead"], json!(false));
}

/// Runs `line` in a pseudo-terminal (util-linux `script`) with `input` typed.
fn cmd_with_input(cmd: &mut std::process::Command, line: &str, input: &str) -> String {
    use std::io::Write;
    let mut script = std::process::Command::new("script");
    script.args(["-qec", line, "/dev/null"]);
    for (k, v) in cmd.get_envs() {
        match v {
            Some(v) => script.env(k, v),
            None => script.env_remove(k),
        };
    }
    let mut child = script
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// A contact's week is its week in the rep's zone, whoever looks and from where.
fn weeks_in_the_reps_zone(db: &Db) -> Value {
    // Monday 23 November, 08:00 in Auckland is still Sunday 22 November in UTC.
    let logged = db.json(&["--tz", "Pacific/Auckland", "log", "Acme", "won", "--at", "2026-11-23 08:00"]);
    assert_eq!(logged["contact"]["week"], json!("2026-W48"), "{logged}");
    assert_eq!(db.json(&["zone"])["tz"], json!("Pacific/Auckland"), "the zone the rep first wrote in");
    for viewer in ["UTC", "America/New_York", "Pacific/Auckland"] {
        let week = db.json(&["--tz", viewer, "week", "--week", "2026-W48"]);
        assert_eq!(week["contacts"], json!(1), "seen from {viewer}: {week}");
        assert_eq!(db.json(&["--tz", viewer, "week", "--week", "2026-W47"])["contacts"], json!(0), "{viewer}");
    }
    let set = db.json(&["zone", "Europe/Berlin"]);
    assert_eq!(set, json!({"rep": "me", "tz": "Europe/Berlin"}));
    assert_eq!(
        db.json(&["--tz", "Pacific/Auckland", "week", "--week", "2026-W47"])["contacts"],
        json!(1),
        "now counted in Berlin"
    );
    let bad = db.fails(&["zone", "Mars/Olympus_Mons"]);
    assert!(
        bad.contains("TZ: unknown time zone \"Mars/Olympus_Mons\": expected an IANA name like Europe/Berlin or UTC"),
        "{bad}"
    );
    db.json(&["week", "--week", "2026-W47"])
}

#[test]
fn a_contacts_week_is_the_same_for_viewers_in_any_zone_on_sqlite_and_postgres() {
    let sqlite = weeks_in_the_reps_zone(&Db::sqlite());
    if let Some(pg) = Db::postgres() {
        assert_eq!(sqlite, weeks_in_the_reps_zone(&pg));
    }
}
