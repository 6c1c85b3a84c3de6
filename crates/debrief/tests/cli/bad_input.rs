//! Every bad input: a one-line error saying what is wrong and what is right,
//! a non-zero exit, and the database exactly as it was.

use crate::harness::{self, Db, log};

fn seeded() -> Db {
    let db = Db::sqlite();
    log(&db, "Acme", "lost", "2026-11-16 10:00", &["--reason", "was late", "--do", "leave earlier"]);
    log(&db, "Bolt", "won", "2026-11-17 10:00", &["--new-lead"]);
    db
}

/// Runs `args`, expects failure mentioning each of `says`, and checks nothing changed.
fn rejected(db: &Db, args: &[&str], says: &[&str]) {
    let before = db.snapshot();
    let err = db.fails(args);
    for s in says {
        assert!(err.contains(s), "error for {args:?} should mention {s:?}: {err}");
    }
    assert_eq!(db.snapshot(), before, "{args:?} changed the database");
}

#[test]
fn unknown_outcome_and_channel_list_the_valid_ones() {
    let db = seeded();
    rejected(
        &db,
        &["log", "Acme", "maybe"],
        &["unknown outcome \"maybe\"", "won, lost, advanced, no-answer, no-show, pending"],
    );
    rejected(
        &db,
        &["log", "Acme", "won", "--channel", "fax"],
        &["unknown channel \"fax\"", "call, visit, meeting, online-meeting, email, message"],
    );
    rejected(&db, &["list", "--outcome", "nope"], &["unknown outcome"]);
}

#[test]
fn the_rules_of_a_debrief_are_enforced() {
    let db = seeded();
    rejected(&db, &["log", "Acme", "lost"], &["lost contact needs at least one reason", "--reason"]);
    rejected(
        &db,
        &["log", "Acme", "lost", "--reason", "a", "--reason", "b", "--reason", "c"],
        &["3 controllable reasons", "at most two"],
    );
    rejected(
        &db,
        &["log", "Acme", "lost", "--external", "x", "--do", "y"],
        &["--do: \"what I'd do differently\" #1 has no reason"],
    );
    rejected(
        &db,
        &["log", "Acme", "lost", "--reason", "a", "--do", "x", "--do", "y"],
        &["--do: \"what I'd do differently\" #2 has no reason"],
    );
    rejected(&db, &["log", "  ", "won"], &["client name is empty"]);
    let long = "x".repeat(2001);
    rejected(
        &db,
        &["log", "Acme", "won", "--better", &long],
        &["--better: the text is 2001 characters long: at most 2000"],
    );
}

#[test]
fn times_and_weeks_that_are_not() {
    let db = seeded();
    rejected(
        &db,
        &["log", "Acme", "won", "--at", "someday"],
        &["\"someday\" is not a time", "yesterday 14:00", "2026-11-30 10:00"],
    );
    rejected(&db, &["log", "Acme", "won", "--at", "2026-02-30 10:00"], &["is not a time"]);
    rejected(&db, &["week", "--week", "2026-W54"], &["2026 has 53 ISO weeks: give a week from 2026-W01 to 2026-W53"]);
    rejected(&db, &["week", "--week", "2025-W53"], &["2025 has 52 ISO weeks"]);
    rejected(&db, &["log", "Acme", "won", "--at", "2030-01-01 10:00"], &["is more than a day ahead", "follow-up"]);
    rejected(&db, &["log", "Acme", "won", "--at", "30/11/2026 10:00"], &["day-first or month-first", "date_order"]);
    rejected(&db, &["week", "--week", "last"], &["is not a week"]);
    rejected(&db, &["list", "--week", "2026-47"], &["is not a week"]);
    rejected(&db, &["week", "--tz", "Mars/Olympus"], &["unknown time zone", "Europe/Berlin"]);
}

#[test]
fn unknown_ids_and_names() {
    let db = seeded();
    rejected(&db, &["show", "999"], &["no contact #999", "list of contacts"]);
    rejected(&db, &["edit", "999", "--note", "x"], &["no contact #999"]);
    rejected(&db, &["delete", "999", "--yes"], &["no contact #999"]);
    rejected(&db, &["reasons", "merge", "#9999", "was late"], &["no reason #9999"]);
    rejected(&db, &["focus", "set", "qqqq zzzz"], &["no reason matches"]);
    rejected(&db, &["focus", "set", "chose a competitor"], &["not something you control"]);
    rejected(&db, &["focus", "clear"], &["no focus set"]);
    rejected(&db, &["reasons", "merge", "was late", "was late"], &["already the same reason"]);
    // A name that is no reason is never read as the closest one: nothing moves.
    rejected(
        &db,
        &["reasons", "refile", "1", "was late", "--as", "no such reason"],
        &["no reason matches \"no such reason\""],
    );
    rejected(&db, &["reasons", "merge", "was late", "no such reason"], &["no reason matches"]);
    rejected(
        &db,
        &["focus", "set", "late"],
        &["\"late\" names more than one reason", "\"was late\"", "\"sent the proposal too late\"", "#number"],
    );
    let one = db.json(&["focus", "set", "proposal"]);
    assert_eq!(one["reason"], "sent the proposal too late", "{one}");
    let within = db.json(&["focus", "set", "was late to the meeting"]);
    assert_eq!(within["reason"], "was late", "{within}");
    rejected(&db, &["focus", "set", "was late and didn't ask about budget"], &["names more than one reason"]);
}

#[test]
fn a_database_path_that_cannot_be_written() {
    let db = Db::sqlite();
    let missing = db.dir.path().join("no/such/dir/x.db");
    let err = db.fails(&["--db", missing.to_str().unwrap(), "week"]);
    assert!(err.contains("cannot open the database") && err.contains("--db"), "{err}");
    let err = db.fails(&["--db", db.dir.path().to_str().unwrap(), "week"]);
    assert!(err.contains("cannot open the database"), "{err}");
    assert!(!missing.exists());
}

#[test]
fn a_database_from_a_newer_debrief_is_refused_untouched() {
    let db = seeded();
    let harness::Target::Sqlite(path) = &db.target else { unreachable!() };
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
        use sqlx::Connection;
        let url = format!("sqlite://{}", path.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) VALUES (999, 'from the future', CURRENT_TIMESTAMP, 1, x'00', 0)")
            .execute(&mut conn)
            .await
            .unwrap();
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    });
    let before = std::fs::read(path).unwrap();
    let err = db.fails(&["week"]);
    assert!(err.contains("schema version 999") && err.contains("upgrade debrief"), "{err}");
    db.fails(&["log", "Acme", "won"]);
    assert_eq!(std::fs::read(path).unwrap(), before);
}

#[test]
fn a_bad_config_file_names_the_line() {
    let db = seeded();
    let config = db.dir.path().join("bad.toml");
    std::fs::write(&config, "rep = \"ana\"\ntimezone = \"UTC\"\n").unwrap();
    let err = db.fails(&["--config", config.to_str().unwrap(), "week"]);
    assert!(err.contains("line 2, column 1") && err.contains("timezone"), "{err}");
}

#[test]
fn usage_errors_are_one_line_too() {
    let db = seeded();
    rejected(&db, &["log", "Acme"], &["required", "<OUTCOME>"]);
    rejected(&db, &["frobnicate"], &["unrecognized subcommand"]);
}
