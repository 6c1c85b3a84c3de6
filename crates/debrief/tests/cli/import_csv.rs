//! `debrief import FILE.csv` on exports shaped like HubSpot's, Salesforce's,
//! Pipedrive's and Odoo's (tests/fixtures/crm, see its README), and
//! `debrief triage` for the lost contacts they bring: every preset told from
//! its header, nothing imported twice, every bad row named by line and
//! column, nothing written when a row is bad unless --reject-file is asked.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::harness::Db;

/// A database whose clock is past every date of the fixtures (the week of 2026-12-07).
fn after_fixtures() -> Db {
    let mut db = Db::sqlite();
    db.now = "2026-12-07T12:00:00Z".into();
    db
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/crm").join(name).to_str().unwrap().to_string()
}

fn write(db: &Db, name: &str, text: &str) -> String {
    let path: PathBuf = db.dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn counts(v: &Value) -> (u64, u64, u64) {
    (v["added"].as_u64().unwrap(), v["updated"].as_u64().unwrap(), v["unchanged"].as_u64().unwrap())
}

fn outcome_count(v: &Value, outcome: &str) -> u64 {
    v["outcomes"].as_array().unwrap().iter().find(|c| c["what"] == outcome).map_or(0, |c| c["n"].as_u64().unwrap())
}

/// Stderr of a command that must fail, with nothing on stdout.
fn refused(db: &Db, args: &[&str]) -> String {
    let out = db.cmd(args).output().unwrap();
    assert!(!out.status.success(), "debrief {args:?} should have failed");
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn every_preset_is_told_from_its_header() {
    let db = after_fixtures();
    let cases = [
        ("hubspot-deals.csv", "hubspot-deals"),
        ("hubspot-calls.csv", "hubspot-calls"),
        ("hubspot-meetings.csv", "hubspot-meetings"),
        ("salesforce-opportunities.csv", "salesforce-opportunities"),
        ("salesforce-tasks.csv", "salesforce-tasks"),
        ("salesforce-events.csv", "salesforce-events"),
        ("pipedrive-deals.csv", "pipedrive-deals"),
        ("pipedrive-activities.csv", "pipedrive-activities"),
        ("odoo-leads.csv", "odoo-leads"),
    ];
    for (file, source) in cases {
        let v = db.json(&["import", &fixture(file), "--dry-run"]);
        assert_eq!(v["source"], source, "{file}: {v}");
        assert_eq!(v["bad_rows"], 0, "{file}: {}", v["problems"]);
        assert!(v["contacts"].as_u64().unwrap() > 0, "{file}: {v}");
        assert_eq!(v["written"], false);
    }
    // A dry run writes nothing.
    assert_eq!(db.json(&["list"])["total"], 0);
}

#[test]
fn a_hubspot_deals_export_becomes_first_contacts_and_closes() {
    let db = after_fixtures();
    let v = db.json(&["import", &fixture("hubspot-deals.csv")]);
    assert_eq!(v["written"], true);
    assert_eq!(v["rows"], 15);
    // Every deal is opened; closed ones also close, at their close date.
    assert_eq!((outcome_count(&v, "won"), outcome_count(&v, "lost")), (3, 6), "{v}");
    assert_eq!(outcome_count(&v, "advanced") + 9, v["contacts"].as_u64().unwrap());
    let values = v["values"].as_array().unwrap();
    assert!(
        values.contains(&json!({"value": "Awaiting procurement (not closed)", "read_as": "open", "rows": 2})),
        "{values:?}"
    );
    let reps: Vec<&str> = v["reps"].as_array().unwrap().iter().map(|r| r["what"].as_str().unwrap()).collect();
    assert_eq!(reps.len(), 2, "each deal owner is a rep: {reps:?}");
    assert_eq!(v["triage"], 6, "every lost deal waits for triage");
    // The duplicated "Associated Company" fills in for an empty first one.
    let text = db.ok(&["import", &fixture("hubspot-deals.csv"), "--dry-run"]);
    assert!(text.contains("client ← Associated Company | Associated Company"), "{text}");
    assert!(text.contains("Would import: 0 new, 0 changed, 24 as before."), "{text}");
}

#[test]
fn importing_again_adds_nothing_and_a_later_export_updates_what_changed() {
    let db = after_fixtures();
    let first = db.json(&["--rep", "ann", "import", &fixture("pipedrive-deals.csv")]);
    let total = first["contacts"].as_u64().unwrap();
    assert_eq!(counts(&first), (total, 0, 0));
    let again = db.json(&["--rep", "ann", "import", &fixture("pipedrive-deals.csv")]);
    assert_eq!(counts(&again), (0, 0, total));
    assert_eq!(db.json(&["--rep", "ann", "list", "--limit", "100"])["total"], total);

    // A later export: deal 3 was open and is now won; everything else as it was.
    let original = std::fs::read_to_string(fixture("pipedrive-deals.csv")).unwrap();
    let open_row = original.lines().find(|l| l.contains(",Open,")).expect("an open deal").to_string();
    let id = open_row.split(',').next().unwrap().to_string();
    let won_row = open_row.replacen(",Open,", ",Won,", 1);
    let cells: Vec<&str> = won_row.split(',').collect();
    // "Deal - Won time" is the 13th column.
    let mut cells: Vec<String> = cells.iter().map(|c| c.to_string()).collect();
    cells[12] = "2026-11-20 10:00:00".to_string();
    let later = original.replace(&open_row, &cells.join(","));
    let file = write(&db, "later.csv", &later);
    let update = db.json(&["--rep", "ann", "import", &file]);
    assert_eq!(counts(&update), (1, 0, total), "the deal's close is new, its opening unchanged: {update}");
    let won = db.json(&["--rep", "ann", "list", "--outcome", "won", "--limit", "100"]);
    assert!(
        won["contacts"].as_array().unwrap().iter().any(|c| c["at"].as_str().unwrap().starts_with("2026-11-20T10:00")),
        "deal {id}: {won}"
    );
}

#[test]
fn owners_become_reps_unless_mapped_or_one_rep_is_named() {
    let db = after_fixtures();
    let mapped = db.json(&[
        "import",
        &fixture("hubspot-calls.csv"),
        "--dry-run",
        "--owner",
        "Devin Okafor=devin",
        "--owner",
        "mara ellison=mara",
    ]);
    let reps: Vec<&str> = mapped["reps"].as_array().unwrap().iter().map(|r| r["what"].as_str().unwrap()).collect();
    assert_eq!(reps, ["devin", "mara"]);
    let one = db.json(&["--rep", "sam", "import", &fixture("hubspot-calls.csv"), "--dry-run"]);
    assert_eq!(one["reps"], json!([{"what": "sam", "n": one["contacts"]}]));
    let bad = db.fails(&["import", &fixture("hubspot-calls.csv"), "--owner", "Devin Okafor"]);
    assert!(bad.contains("--owner \"Devin Okafor\" is not CRM_NAME=REP"), "{bad}");
}

#[test]
fn dates_in_day_first_order_are_refused_until_the_order_is_given() {
    let db = after_fixtures();
    let file = fixture("salesforce-opportunities-report.csv");
    let err = refused(&db, &["--rep", "me", "import", &file]);
    assert!(err.contains("salesforce-opportunities-report.csv:2:9: Created Date: \"08/01/2026\" could be day-first or month-first: give --date-order dmy or mdy"), "{err}");
    assert!(err.trim_end().ends_with("(and 2 more: --dry-run lists them); nothing was imported: 5 of 13 rows are bad; fix them, or give --reject-file FILE to import the good rows and set the bad ones aside"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert_eq!(db.json(&["list"])["total"], 0);
    let v = db.json(&["--rep", "me", "import", &file, "--date-order", "dmy"]);
    assert_eq!(v["bad_rows"], 0, "{v}");
    // The report's footer is no row; a spreadsheet date number is a date.
    assert_eq!(v["skipped"], json!([{"what": "a report's footer", "n": 2}]));
    let listed = db.json(&["list", "--limit", "100"]);
    assert!(
        listed["contacts"].as_array().unwrap().iter().any(|c| c["at"].as_str().unwrap().starts_with("2026-03-19")),
        "{listed}"
    );
}

#[test]
fn activities_not_held_are_skipped_and_hubspot_dispositions_read() {
    let db = after_fixtures();
    let calls = db.json(&["import", &fixture("hubspot-calls.csv"), "--dry-run"]);
    let values = calls["values"].as_array().unwrap();
    assert!(values.iter().any(|u| u["value"] == "left voicemail" && u["read_as"] == "no-answer"), "{values:?}");
    let meetings = db.json(&["import", &fixture("hubspot-meetings.csv"), "--dry-run"]);
    assert_eq!(outcome_count(&meetings, "no-show"), 1);
    assert!(meetings["skipped"][0]["n"].as_u64().unwrap() > 0, "scheduled and cancelled meetings: {meetings}");
    // A value no preset knows is named with the fix; --outcome gives its meaning.
    let db2 = Db::sqlite();
    let file = write(
        &db2,
        "calls.csv",
        "Call title,Activity date,Call outcome,Associated Company\nIntro,2026-11-02 10:00,Gatekeeper,Acme\n",
    );
    let err = db2.fails(&["import", &file]);
    assert!(err.contains("calls.csv:2:3: Call outcome: \"Gatekeeper\" is not an outcome this import knows: say what it means with --outcome \"Gatekeeper=…\""), "{err}");
    let ok = db2.json(&["import", &file, "--outcome", "Gatekeeper=no-answer"]);
    assert_eq!(outcome_count(&ok, "no-answer"), 1);
}

#[test]
fn any_csv_reads_with_map() {
    let db = Db::sqlite();
    let file = write(
        &db,
        "mine.csv",
        "Firma;Datum;Ergebnis;Grund\nAcme;2026-11-02 10:00;lost;zu teuer\nBolt;2026-11-03 11:00;won;\n",
    );
    let err = db.fails(&["import", &file]);
    assert!(
        err.contains(
            "mine.csv: 1: no preset knows this header (it starts \"Firma\", \"Datum\", \"Ergebnis\", \"Grund\")"
        ),
        "{err}"
    );
    let v = db.json(&[
        "import",
        &file,
        "--map",
        "Firma=client",
        "--map",
        "Datum=at",
        "--map",
        "Ergebnis=outcome",
        "--map",
        "#4=reason",
    ]);
    assert_eq!((v["source"].clone(), v["contacts"].clone(), v["triage"].clone()), (json!("csv"), json!(2), json!(1)));
    let bad = db.fails(&["import", &file, "--map", "Firma=colour"]);
    assert!(bad.contains("--map in \"Firma=colour\": unknown field \"colour\""), "{bad}");
}

#[test]
fn bad_files_are_named_by_line_and_column_and_change_nothing() {
    let db = Db::sqlite();
    crate::harness::log(&db, "Keep", "won", "2026-11-20 10:00", &[]);
    let before = db.snapshot();
    let header = "Deal Name,Deal Stage,Close Date,Create Date,Is Deal Closed?";
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "missing.csv",
            "Deal Name,Deal Stage,Closing\nA,Closed won,2026-11-01\n".into(),
            "missing.csv: 1: the header lacks the date (a column like \"Close Date\", \"closedate\", \"Create Date\"); closest in the file: \"Closing\"",
        ),
        (
            "twice.csv",
            "Deal Name,Deal Stage,Deal Stage,Close Date\nA,x,y,2026-11-01\n".into(),
            "twice.csv: 1: the header names \"Deal Stage\" twice (columns 2 and 3)",
        ),
        (
            "date.csv",
            format!("{header}\nA,Closed won,31/02/2026,2026-01-01,true\n"),
            "date.csv:2:3: Close Date: \"31/02/2026\" is not a date the calendar has",
        ),
        (
            "stage.csv",
            "Deal Name,Deal Stage,Close Date\nA,Maybe later,2026-11-01\n".into(),
            "stage.csv:2:2: Deal Stage: stage \"Maybe later\" is not one this import knows as won, lost or open",
        ),
        (
            "quote.csv",
            format!(
                "{header}\nA,Closed won,2026-11-01,2026-10-01,true\n\"B,Closed lost,2026-11-02,2026-10-01,true\nC,Closed lost,2026-11-03,2026-10-01,true\n"
            ),
            "quote.csv:3: a quote opened in this row runs on to line",
        ),
        (
            "cut.csv",
            format!("{header}\nA,Closed won\n"),
            "cut.csv:2: 2 cells where the header has 5: a cut line, or a delimiter inside a cell without quotes",
        ),
        (
            "one.csv",
            "Deal Name Deal Stage Close Date\nA Closed won 2026-11-01\n".into(),
            "one.csv: 1: the header is one column (\"Deal Name Deal Stage Close Date\"): expected columns separated by commas, semicolons or tabs",
        ),
        (
            "future.csv",
            format!("{header}\nA,Closed won,2027-01-05,2026-10-01,true\n"),
            "future.csv:2:3: Close Date: 2027-01-05 12:00 is in the future",
        ),
        ("empty.csv", String::new(), "empty.csv: the file is empty"),
    ];
    for (name, text, expected) in &cases {
        let file = write(&db, name, text);
        let err = db.fails(&["import", &file]);
        assert!(err.contains(expected), "{name}: {err}");
    }
    // Bytes that are not UTF-8, and UTF-16.
    let path = db.dir.path().join("latin1.csv");
    std::fs::write(&path, b"Deal Name,Deal Stage,Close Date\nCaf\xe9 Nord,Closed won,2026-11-01\n").unwrap();
    let err = db.fails(&["import", path.to_str().unwrap()]);
    assert!(err.contains("latin1.csv:2:1: Deal Name: byte 0xE9 is not UTF-8 (the file may be Windows-1252 or Latin-1): save it as UTF-8"), "{err}");
    let path = db.dir.path().join("utf16.csv");
    std::fs::write(&path, b"\xff\xfeD\0e\0a\0l\0").unwrap();
    assert!(db.fails(&["import", path.to_str().unwrap()]).contains("the file is UTF-16: save it as UTF-8"));
    assert!(
        db.fails(&["import", "--preset", "zoho", &fixture("odoo-leads.csv")])
            .contains("--preset \"zoho\" is not one this build knows: hubspot-deals")
    );
    assert_eq!(db.snapshot(), before, "nothing stored changed");
}

#[test]
fn a_reject_file_takes_the_bad_rows_and_the_good_ones_are_imported() {
    let db = Db::sqlite();
    let file = write(
        &db,
        "deals.csv",
        "Record ID,Deal Name,Deal Stage,Close Date,Create Date,Is Deal Closed?,Closed Lost Reason\n\
         1,Acme,Closed won,2026-11-02 10:00,2026-10-01 09:00,true,\n\
         2,Bolt,Closed lost,2026-13-01 10:00,2026-10-01 09:00,true,price\n\
         3,Cedar,Closed lost,2026-11-04 10:00,2026-10-01 09:00,true,they picked a competitor\n",
    );
    let reject = db.dir.path().join("rejected.csv");
    let out = db.ok(&["import", &file, "--reject-file", reject.to_str().unwrap()]);
    assert!(out.contains("Imported: 4 new, 0 changed, 0 as before."), "{out}");
    assert!(out.contains("1 bad row set aside in"), "{out}");
    let rejected = std::fs::read_to_string(&reject).unwrap();
    let lines: Vec<&str> = rejected.lines().collect();
    assert_eq!(
        lines[0],
        "Record ID,Deal Name,Deal Stage,Close Date,Create Date,Is Deal Closed?,Closed Lost Reason,debrief error"
    );
    assert!(lines[1].starts_with("2,Bolt,Closed lost,2026-13-01 10:00,"), "{rejected}");
    assert!(lines[1].contains("line 3: \"\"2026-13-01 10:00\"\" is not a date the calendar has"), "{rejected}");
    assert_eq!(lines.len(), 2);
    // Without it, the same file imports nothing, and says so in one line.
    let db2 = Db::sqlite();
    let file2 = write(&db2, "deals.csv", &std::fs::read_to_string(&file).unwrap());
    let err = db2.fails(&["import", &file2]);
    assert!(
        err.ends_with(
            "; nothing was imported: fix the row, or give --reject-file FILE to import the others and set it aside"
        ),
        "{err}"
    );
    assert_eq!(db2.json(&["list"])["total"], 0);
}

/// Imports lost deals, then files their reasons in triage.
fn triage_walk(db: &Db) -> Value {
    let file = write(
        db,
        "deals.csv",
        "Record ID,Deal Name,Deal Stage,Close Date,Create Date,Is Deal Closed?,Closed Lost Reason\n\
         1,Acme,Closed lost,2026-11-23 10:00,2026-10-01 09:00,true,Budget frozen until next year\n\
         2,Bolt,Closed lost,2026-11-24 10:00,2026-10-01 09:00,true,\n\
         3,Cedar,Closed lost,2026-11-25 10:00,2026-10-01 09:00,true,we never followed up after the demo\n\
         4,Dune,Closed won,2026-11-26 10:00,2026-10-01 09:00,true,\n",
    );
    db.ok(&["import", &file]);
    let week = db.json(&["week", "--week", "2026-W48"]);
    assert_eq!((week["lost"].clone(), week["triage_waiting"].clone()), (json!(3), json!(3)));
    assert!(
        db.ok(&["week", "--week", "2026-W48"])
            .contains("Triage: 3 lost contacts imported from your CRM wait for their reason: debrief triage")
    );
    let list = db.json(&["triage"]);
    assert_eq!(list["waiting"], 3);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items[0]["client"], "Cedar", "newest first");
    assert_eq!(items[1]["text"], "", "no reason given");
    let acme = &items[2];
    assert_eq!(acme["reads_as"]["controllable"], false, "the client's budget is not the rep's mistake: {acme}");
    let text = db.ok(&["triage"]);
    let bolt = format!("debrief triage {} --mine|--theirs --text \"what happened\"", items[1]["contact_id"]);
    assert!(text.contains(&bolt), "{text}");

    let acme_id = acme["contact_id"].to_string();
    let filed = db.json(&["triage", &acme_id, "--accept"]);
    assert_eq!((filed["controllable"].clone(), filed["waiting"].clone()), (json!(false), json!(2)));
    let no_words = db.fails(&["triage", &items[1]["contact_id"].to_string(), "--mine"]);
    assert!(
        no_words.contains("the CRM gave no reason for this loss: write it in your own words with --text"),
        "{no_words}"
    );
    db.ok(&[
        "triage",
        &items[1]["contact_id"].to_string(),
        "--mine",
        "--text",
        "sent the quote a week late",
        "--differently",
        "quote within a day",
    ]);
    let cedar = db.json(&["triage", &items[0]["contact_id"].to_string(), "--as", "didn't follow up"]);
    assert_eq!((cedar["reason"].clone(), cedar["waiting"].clone()), (json!("didn't follow up"), json!(0)));
    let again = db.fails(&["triage", &items[0]["contact_id"].to_string(), "--accept"]);
    assert!(again.contains("does not wait for triage"), "{again}");
    assert!(
        db.fails(&["triage", "1", "--accept", "--mine"])
            .contains("give one of --accept, --as, --mine and --theirs, not several")
    );
    assert!(db.fails(&["triage", "--accept"]).contains("name the contact to file"));
    // Re-importing the same export does not bring them back to triage.
    let again = db.json(&["import", &file]);
    assert_eq!((counts(&again).2, again["triage"].clone()), (8, json!(0)));
    let week = db.json(&["week", "--week", "2026-W48"]);
    assert_eq!(week["triage_waiting"], 0);
    week
}

#[test]
fn triage_files_imported_reasons_on_sqlite_and_postgres() {
    let sqlite = triage_walk(&Db::sqlite());
    if let Some(pg) = Db::postgres() {
        assert_eq!(sqlite, triage_walk(&pg));
    }
}

#[test]
fn an_export_carries_the_sources_and_the_triage_to_another_database() {
    let from = after_fixtures();
    from.ok(&["--rep", "me", "import", &fixture("hubspot-deals.csv")]);
    let exported = from.dir.path().join("me.json");
    from.ok(&["export", "--format", "json", "--output", exported.to_str().unwrap()]);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&exported).unwrap()).unwrap();
    assert_eq!(doc["version"], 2);
    let mut to = Db::sqlite();
    to.now = from.now.clone();
    to.ok(&["import", exported.to_str().unwrap()]);
    assert_eq!(to.json(&["triage"]), from.json(&["triage"]));
    let again = to.json(&["--rep", "me", "import", &fixture("hubspot-deals.csv")]);
    assert_eq!(counts(&again), (0, 0, 24), "the CRM's rows are known on the new database too");
}

/// The highest resident memory of a running process, from `/proc` (kB).
fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// A 200 MB export is read as a stream: 100,000 deals whose cells carry
/// 2 KB each of what the import does not keep (the deal's contacts) are
/// imported with the import's memory far below the file's size.
#[test]
fn a_200_mb_export_is_streamed_in_flat_memory() {
    let db = after_fixtures();
    let text = std::fs::read_to_string(fixture("hubspot-deals.csv")).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let fields: Vec<&str> = lines.next().unwrap().trim_matches('"').split("\",\"").collect();
    let names: Vec<&str> = header.trim_matches('"').split("\",\"").collect();
    assert_eq!(fields.len(), names.len());
    let column = |name: &str| names.iter().position(|n| *n == name).unwrap();
    let (id, contacts) = (column("Record ID"), column("Associated Contact"));
    let path = db.dir.path().join("big.csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    use std::io::Write;
    writeln!(out, "{header}").unwrap();
    let padding = "Jana Weiss (jana.weiss@hollowmere.example);".repeat(48);
    let rows = 100_000;
    for n in 0..rows {
        let mut row = fields.clone();
        let key = format!("{}", 90_000_000 + n);
        let people = format!("{padding}{n}");
        row[id] = &key;
        row[contacts] = &people;
        writeln!(out, "\"{}\"", row.join("\",\"")).unwrap();
    }
    out.into_inner().unwrap().sync_all().unwrap();
    let size = std::fs::metadata(&path).unwrap().len();
    assert!(size > 200_000_000, "{size} bytes");

    let mut child = db
        .cmd(&["import", path.to_str().unwrap(), "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut peak = 0;
    let status = loop {
        peak = peak.max(peak_kb(pid).unwrap_or(0));
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let output = child.wait_with_output().unwrap();
    assert!(status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let v: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(v["rows"], rows, "{v}");
    assert_eq!(v["added"], 2 * rows, "a won deal is its opening and its close");
    let peak_mb = peak / 1024;
    assert!(peak_mb > 0 && peak_mb < 128, "{peak_mb} MB for a {} MB file", size / 1_000_000);
}
