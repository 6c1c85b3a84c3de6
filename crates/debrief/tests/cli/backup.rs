//! `debrief backup FILE` and `debrief restore FILE [--replace]`: a SQLite
//! database copied whole, a PostgreSQL database as a JSON archive, each
//! with its checksum; a damaged, cut, unchecked or newer backup is refused
//! and a database holding contacts is replaced only when asked.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::export::{a_history, exported, reports, without_ids};
use crate::harness::Db;

fn backup(db: &Db, name: &str) -> PathBuf {
    let file = db.dir.path().join(name);
    let said = db.ok(&["backup", file.to_str().unwrap()]);
    assert!(said.starts_with(&format!("Backed up to {}", file.display())), "{said}");
    file
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn a_sqlite_backup_restores_every_report_and_refuses_what_it_must() {
    let mut from = Db::sqlite();
    a_history(&mut from);
    let file = backup(&from, "monday.db");
    let sum = std::fs::read_to_string(format!("{}.sha256", file.display())).unwrap();
    assert!(sum.ends_with("  monday.db\n") && sum.len() == 64 + 2 + 9 + 1, "{sum:?}");
    // A backup goes to a new file.
    let again = from.fails(&["backup", s(&file)]);
    assert!(again.contains("monday.db already exists: a backup goes to a new file"), "{again}");

    let to = Db::sqlite();
    let said = to.ok(&["restore", s(&file)]);
    assert_eq!(said, format!("Restored 3 contacts from {}.\n", file.display()));
    assert_eq!(without_ids(exported(&to)), without_ids(exported(&from)));
    assert_eq!(reports(&to), reports(&from));

    // A database holding contacts is replaced only with --replace.
    let err = to.fails(&["restore", s(&file)]);
    assert!(
        err.contains("holds 3 contacts: a backup is restored only into an empty database, or with --replace"),
        "{err}"
    );
    to.ok(&["log", "Dune", "won", "--at", "2026-11-26 10:00"]);
    let said = to.ok(&["restore", s(&file), "--replace"]);
    assert!(said.contains("Restored 3 contacts") && said.contains("(4 contacts that were there are gone)"), "{said}");
    assert_eq!(reports(&to), reports(&from));

    // Cut in half: refused by its checksum, and the database is as it was.
    let bytes = std::fs::read(&file).unwrap();
    let cut = to.dir.path().join("cut.db");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    std::fs::copy(format!("{}.sha256", file.display()), format!("{}.sha256", cut.display())).unwrap();
    let err = to.fails(&["restore", s(&cut), "--replace"]);
    assert!(err.contains("cut.db: damaged or cut") && err.contains("nothing was restored"), "{err}");
    assert_eq!(reports(&to), reports(&from));
    // Without its checksum: refused.
    let lone = to.dir.path().join("lone.db");
    std::fs::copy(&file, &lone).unwrap();
    let err = to.fails(&["restore", s(&lone), "--replace"]);
    assert!(err.contains("its checksum file") && err.contains("lone.db.sha256 is missing"), "{err}");
    let err = to.fails(&["restore", s(&to.dir.path().join("nothing.db"))]);
    assert!(err.contains("nothing.db: no such backup file"), "{err}");
    assert_eq!(reports(&to), reports(&from));
}

#[test]
fn a_backup_from_a_newer_debrief_is_refused_and_the_database_kept() {
    let mut from = Db::sqlite();
    a_history(&mut from);
    let file = backup(&from, "newer.db");
    // The backup as a later debrief would write it: a migration this build does not know.
    crate::harness::runtime().block_on(async {
        use sqlx::Connection;
        let url = format!("sqlite://{}", file.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (999, 'from the future', 1, x'00', 0)",
        )
        .execute(&mut conn)
        .await
        .unwrap();
        conn.close().await.unwrap();
    });
    std::fs::remove_file(format!("{}.sha256", file.display())).unwrap();
    let sum = {
        use std::process::Command;
        let out = Command::new("sha256sum").arg(&file).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    std::fs::write(format!("{}.sha256", file.display()), sum).unwrap();
    let to = Db::sqlite();
    to.ok(&["log", "Dune", "won", "--at", "2026-11-26 10:00"]);
    let before = reports(&to);
    let err = to.fails(&["restore", s(&file), "--replace"]);
    assert!(err.contains("newer"), "{err}");
    assert_eq!(reports(&to), before);
}

#[test]
fn a_postgres_backup_is_a_json_archive_that_restores_on_postgres_and_sqlite() {
    let Some(mut from) = Db::postgres() else { return };
    a_history(&mut from);
    let file = backup(&from, "team.json");
    let archive: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!((archive["format"].clone(), archive["version"].clone()), (json!("debrief-backup"), json!(2)));
    assert_eq!(archive["reps"][0]["rep"], json!("me"));
    for to in [Db::postgres().unwrap(), Db::sqlite()] {
        let said = to.ok(&["restore", s(&file)]);
        assert_eq!(said, format!("Restored 3 contacts from {}.\n", file.display()));
        assert_eq!(without_ids(exported(&to)), without_ids(exported(&from)));
        assert_eq!(reports(&to), reports(&from));
        let err = to.fails(&["restore", s(&file)]);
        assert!(
            err.contains("holds 3 contacts: a backup is restored only into an empty one, or with --replace"),
            "{err}"
        );
        let said = to.ok(&["restore", s(&file), "--replace"]);
        assert!(said.contains("(3 contacts that were there are gone)"), "{said}");
        // The database's own ids go on from where they were.
        assert_eq!(without_ids(exported(&to)), without_ids(exported(&from)));
    }
    // A SQLite backup does not go into PostgreSQL.
    let mut lite = Db::sqlite();
    a_history(&mut lite);
    let copy = backup(&lite, "laptop.db");
    let err = Db::postgres().unwrap().fails(&["restore", s(&copy)]);
    assert!(err.contains("laptop.db is a SQLite backup: it is restored into a SQLite database"), "{err}");
    // A newer archive is refused.
    let newer = from.dir.path().join("newer.json");
    std::fs::write(&newer, "{\"format\": \"debrief-backup\", \"version\": 7, \"reps\": []}").unwrap();
    let out = std::process::Command::new("sha256sum").arg(&newer).output().unwrap();
    std::fs::write(format!("{}.sha256", newer.display()), out.stdout).unwrap();
    let err = from.fails(&["restore", s(&newer), "--replace"]);
    assert!(err.contains("written by a newer debrief (backup version 7; this one reads up to 2)"), "{err}");
}

#[test]
fn serve_backs_up_on_the_schedule_of_the_config_file() {
    let mut db = Db::sqlite();
    a_history(&mut db);
    let folder = db.dir.path().join("backups");
    let config = db.dir.path().join("debrief.toml");
    std::fs::write(
        &config,
        format!("[backup]\nevery = \"1d\"\nkeep = 3\nfolder = {:?}\n", folder.display().to_string()),
    )
    .unwrap();
    let mut server = db
        .cmd(&["--config", s(&config), "serve", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The first backup is taken as the server starts.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let taken = loop {
        let found: Vec<PathBuf> = std::fs::read_dir(&folder)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        if let Some(f) = found.iter().find(|p| p.extension().is_some_and(|e| e == "sha256")) {
            break PathBuf::from(f.to_str().unwrap().trim_end_matches(".sha256"));
        }
        assert!(std::time::Instant::now() < deadline, "no backup in {}", folder.display());
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    server.kill().unwrap();
    let _ = server.wait();
    let name = taken.file_name().unwrap().to_str().unwrap().to_string();
    assert!(name.starts_with("debrief-20261127T") && name.ends_with(".backup"), "{name}");
    let to = Db::sqlite();
    assert_eq!(to.ok(&["restore", s(&taken)]), format!("Restored 3 contacts from {}.\n", taken.display()));
    assert_eq!(reports(&to), reports(&db));

    // How often must read as a duration; the error names its place.
    std::fs::write(&config, "[backup]\nevery = \"weekly-ish\"\nfolder = \"b\"\n").unwrap();
    let err = db.fails(&["--config", s(&config), "week"]);
    assert!(err.contains("line 2, column 9: [backup] every: \"weekly-ish\" is not how often to back up"), "{err}");
}

/// Writes `text` as an archive with its checksum beside it.
fn archive_file(db: &Db, name: &str, text: &str) -> PathBuf {
    let file = db.dir.path().join(name);
    std::fs::write(&file, text).unwrap();
    let out = std::process::Command::new("sha256sum").arg(&file).output().unwrap();
    std::fs::write(format!("{}.sha256", file.display()), out.stdout).unwrap();
    file
}

/// An archive is read a rep at a time: its reps are written in one
/// transaction, and one that goes wrong anywhere (a field of the wrong
/// kind, a rep twice, a file cut after its checksum was written, a
/// version after the reps it governs) is named by line and column, with
/// the database left as it was.
#[test]
fn an_archive_is_read_rep_by_rep_and_a_bad_one_changes_nothing() {
    let mut from = Db::sqlite();
    a_history(&mut from);
    let export = from.ok(&["export", "--format", "json"]);
    let mut other: serde_json::Value = serde_json::from_str(&export).unwrap();
    other["rep"] = json!("sam");
    let head = r#"{"format": "debrief-backup", "version": 2, "taken_at": "2026-12-07T10:00:00Z", "reps": ["#;
    let good = archive_file(&from, "two.json", &format!("{head}{export}, {other}]}}"));
    let to = Db::sqlite();
    to.ok(&["log", "Dune", "won", "--at", "2026-11-26 10:00"]);
    let before = reports(&to);

    let mut wrong = other.clone();
    wrong["contacts"][1]["outcome"] = json!(7);
    let file = archive_file(&from, "wrong.json", &format!("{head}{export},\n{wrong}]}}"));
    let err = to.fails(&["restore", s(&file), "--replace"]);
    let line = std::fs::read_to_string(&file).unwrap().lines().position(|l| l.contains("\"outcome\":7")).unwrap() + 1;
    let at = format!("wrong.json: line {line}, column");
    assert!(err.contains(&at) && err.contains("at reps[1].contacts[1].outcome: invalid type: integer `7`"), "{err}");
    let twice = archive_file(&from, "twice.json", &format!("{head}{export}, {export}]}}"));
    let err = to.fails(&["restore", s(&twice), "--replace"]);
    assert!(err.contains("me already has 3 contacts in this database"), "{err}");
    let cut = archive_file(&from, "cut.json", &format!("{head}{export}, {}", &other.to_string()[..200]));
    let err = to.fails(&["restore", s(&cut), "--replace"]);
    assert!(err.contains("cut.json: line ") && err.contains("not JSON (EOF while parsing"), "{err}");
    let late = archive_file(
        &from,
        "late.json",
        &format!(r#"{{"format": "debrief-backup", "reps": [{export}], "version": 2}}"#),
    );
    let err = to.fails(&["restore", s(&late), "--replace"]);
    assert!(err.contains("late.json: the backup has no version number"), "{err}");
    let none = archive_file(&from, "none.json", r#"{"format": "debrief-backup", "version": 2}"#);
    let err = to.fails(&["restore", s(&none), "--replace"]);
    assert!(err.contains("none.json: the backup has no \"reps\""), "{err}");
    assert_eq!(reports(&to), before, "nothing of a bad archive was restored");

    let said = to.ok(&["restore", s(&good), "--replace"]);
    assert!(said.contains("Restored 6 contacts") && said.contains("(the 1 contact that was there is gone)"), "{said}");
    let mine: serde_json::Value = serde_json::from_str(&to.ok(&["export", "--format", "json"])).unwrap();
    assert_eq!(without_ids(mine), without_ids(serde_json::from_str(&export).unwrap()));
}
