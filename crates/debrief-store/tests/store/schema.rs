//! Opening databases: migrations in step on both backends; a newer schema
//! and another program's database refused untouched, byte for byte; and
//! unusable SQLite paths explained.

use std::path::Path;

use debrief_core::model::{ContactId, Outcome, ReasonId, RepId};
use debrief_store::{NewReasonNote, PostgresStore, SCHEMA_VERSION, SqliteStore, StoreError};
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, PgConnection, SqliteConnection};

use crate::harness::{TestDb, at, contact, db_cases, note};

db_cases!(
    a_newer_schema_is_refused_untouched,
    reopening_keeps_the_data,
    version_1_migrates_keeping_its_data,
    another_programs_tables_are_refused_untouched,
);

async fn a_newer_schema_is_refused_untouched(db: &TestDb) {
    let store = db.open().await.unwrap();
    store.rep("ana").await.unwrap();
    drop(store);
    let checksum = match db {
        TestDb::Sqlite { .. } => "X'00'",
        TestDb::Postgres { .. } => "'\\x00'::bytea",
    };
    let fake = format!(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (999, 'from the future', TRUE, {checksum}, 0)"
    );
    db.execute(&fake).await;
    let before = db.scalar("SELECT COUNT(*) FROM _sqlx_migrations").await;

    let err = db.open().await.err().expect("a newer schema is refused");

    assert!(matches!(err, StoreError::NewerSchema { found: 999, known: SCHEMA_VERSION }), "{err}");
    assert!(err.to_string().contains("left untouched"), "{err}");
    assert_eq!(db.scalar("SELECT COUNT(*) FROM _sqlx_migrations").await, before);
    assert_eq!(db.scalar("SELECT COUNT(*) FROM reps").await, 1);
}

/// Tables, but no debrief marker and no debrief migration: refused with one
/// line, and nothing is created (issue 10: `--db other-app.db` gained 13 tables).
async fn another_programs_tables_are_refused_untouched(db: &TestDb) {
    db.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, total INTEGER)").await;
    db.execute("INSERT INTO orders (id, total) VALUES (1, 100)").await;
    let tables = match db {
        TestDb::Sqlite { .. } => "SELECT COUNT(*) FROM sqlite_master",
        TestDb::Postgres { .. } => {
            "SELECT COUNT(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n \
                                    ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"
        }
    };
    let before = db.scalar(tables).await;

    let err = db.open().await.err().expect("another program's database is refused");

    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    let place = match db {
        TestDb::Sqlite { path, .. } => format!("the database at {}", path.display()),
        TestDb::Postgres { schema, .. } => format!("the PostgreSQL schema \"{schema}\" of database \"test\""),
    };
    assert_eq!(
        err.to_string(),
        format!(
            "{place} holds another program's tables, not debrief's; it was left untouched: \
             give a debrief database or an empty one"
        )
    );
    assert_eq!(db.scalar(tables).await, before, "nothing was created");
}

async fn reopening_keeps_the_data(db: &TestDb) {
    let store = db.open().await.unwrap();
    let ana = store.rep("ana").await.unwrap();
    drop(store);
    let store = db.open().await.unwrap();
    assert_eq!(store.find_rep("ana").await.unwrap(), Some(ana));
    let applied = db.scalar("SELECT MAX(version) FROM _sqlx_migrations").await;
    assert_eq!(applied, SCHEMA_VERSION);
}

/// Brings an empty `db` to schema version 1 only, as the first debrief did.
async fn at_version_1(db: &TestDb) {
    let backend = match db {
        TestDb::Sqlite { .. } => "sqlite",
        TestDb::Postgres { .. } => "postgres",
    };
    let dir = tempfile::tempdir().unwrap();
    let first = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(backend).join("0001_init.sql");
    std::fs::copy(first, dir.path().join("0001_init.sql")).unwrap();
    let migrator = Migrator::new(dir.path()).await.unwrap();
    // `run_direct`, not `run`: `run`'s `Acquire` bound is "not general
    // enough" inside the spawned case (sqlx keeps `run_direct` for this).
    match db {
        TestDb::Sqlite { path, .. } => {
            let options = SqliteConnectOptions::new().filename(path).create_if_missing(true);
            migrator.run_direct(&mut SqliteConnection::connect_with(&options).await.unwrap()).await.unwrap();
        }
        TestDb::Postgres { url, .. } => {
            migrator.run_direct(&mut PgConnection::connect(url).await.unwrap()).await.unwrap()
        }
    }
}

async fn version_1_migrates_keeping_its_data(db: &TestDb) {
    at_version_1(db).await;
    for sql in [
        "INSERT INTO reps (name) VALUES ('ana')",
        "INSERT INTO clients (rep_id, name) VALUES (1, 'Acme')",
        "INSERT INTO reasons (label, controllable) VALUES ('late', TRUE)",
        "INSERT INTO contacts (rep_id, client_id, at, channel, outcome, new_lead) \
         VALUES (1, 1, 1772442000, 'call', 'lost', FALSE)",
        "INSERT INTO contact_reasons (contact_id, position, reason_id, text, controllable) \
         VALUES (1, 0, 1, 'late again', TRUE)",
    ] {
        db.execute(sql).await;
    }
    assert_eq!(db.scalar("SELECT MAX(version) FROM _sqlx_migrations").await, 1);

    let store = db.open().await.unwrap();

    assert_eq!(db.scalar("SELECT MAX(version) FROM _sqlx_migrations").await, SCHEMA_VERSION);
    let old = store.contact(ContactId(1)).await.unwrap();
    assert_eq!((old.rep, old.client_name.as_str(), old.at), (RepId(1), "Acme", at("2026-03-02T09:00:00Z")));
    assert_eq!(old.reasons[0].text, "late again");
    assert_eq!(store.client(old.client).await.unwrap().closed, None);
    let mut c = contact(RepId(1), "Acme", "2026-03-03T09:00:00Z", Outcome::Lost);
    c.reasons = vec![NewReasonNote { affected_client: true, ..note(ReasonId(1), "late", None) }];
    let id = store.log_contact(&c).await.unwrap();
    let items = store.ownership_items(RepId(1), true).await.unwrap();
    assert_eq!((items.len(), items[0].contact, items[0].client), (1, id, old.client));
}

#[tokio::test]
async fn sqlite_explains_a_path_it_cannot_use() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/dir/debrief.db");
    let err = SqliteStore::open(&missing).await.unwrap_err();
    assert!(matches!(&err, StoreError::Unwritable { reason, .. } if reason == "the directory does not exist"), "{err}");
    assert!(!dir.path().join("no").exists());

    let err = SqliteStore::open(dir.path()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "cannot open the database at {}: is a directory; \
             give a writable path with --db or DEBRIEF_DB",
            dir.path().display()
        )
    );
}

/// Opens a raw connection to the SQLite file at `path` (no pragmas of ours).
async fn raw(path: &Path) -> SqliteConnection {
    // A store just dropped closes its connections in the background: wait for them.
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .busy_timeout(std::time::Duration::from_secs(10));
    SqliteConnection::connect_with(&options).await.unwrap()
}

/// Everything in `dir`: names and bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    files.sort();
    files
}

/// Another program's file in rollback-journal mode: refused, and the file
/// (and its directory) stays byte for byte as it was: no journal mode
/// switched, no table, no `-wal` or `-shm` file.
#[tokio::test]
async fn sqlite_leaves_another_programs_file_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("other-app.db");
    let mut conn = raw(&path).await;
    for sql in ["CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)", "INSERT INTO notes (body) VALUES ('hi')"] {
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
    conn.close().await.unwrap();
    let before = files(dir.path());

    let err = SqliteStore::open(&path).await.unwrap_err();

    assert!(matches!(err, StoreError::Foreign { .. }), "{err}");
    assert_eq!(files(dir.path()), before);
}

/// A file from a newer debrief, in rollback-journal mode: refused byte for byte.
#[tokio::test]
async fn sqlite_leaves_a_newer_database_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    let store = SqliteStore::open(&path).await.unwrap();
    debrief_store::Store::rep(&store, "ana").await.unwrap();
    drop(store);
    let mut conn = raw(&path).await;
    for sql in [
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (999, 'from the future', TRUE, X'00', 0)",
        "PRAGMA journal_mode = DELETE",
    ] {
        sqlx::query(sql).execute(&mut conn).await.unwrap();
    }
    conn.close().await.unwrap();
    let before = files(dir.path());
    assert_eq!(before.len(), 1, "one file, no log");

    let err = SqliteStore::open(&path).await.unwrap_err();

    assert!(matches!(err, StoreError::NewerSchema { found: 999, .. }), "{err}");
    assert_eq!(files(dir.path()), before);
}

/// A file that is not a SQLite database at all: one line, untouched.
#[tokio::test]
async fn sqlite_refuses_a_file_that_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "Call Acme on Monday.\n".repeat(200)).unwrap();
    let before = files(dir.path());

    let err = SqliteStore::open(&path).await.unwrap_err();

    assert_eq!(
        err.to_string(),
        format!(
            "the file at {} is not a SQLite database; it was left untouched: \
             give a debrief database or a new file with --db or DEBRIEF_DB",
            path.display()
        )
    );
    assert_eq!(files(dir.path()), before);
}

#[tokio::test]
async fn sqlite_initialises_an_empty_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.db");
    std::fs::write(&path, b"").unwrap();
    let store = SqliteStore::open(&path).await.unwrap();
    assert_eq!(debrief_store::Store::find_rep(&store, "ana").await.unwrap(), None);
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut raw(&path).await).await.unwrap();
    assert_eq!(mode, "wal");
}

#[tokio::test]
async fn sqlite_creates_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let store = SqliteStore::open(&path).await.unwrap();
    assert!(path.is_file());
    assert_eq!(debrief_store::Store::find_rep(&store, "ana").await.unwrap(), None);
}

/// Migrations are append-only and parallel: the same numbered files in both
/// folders, as many as `SCHEMA_VERSION`.
#[test]
fn both_backends_have_the_same_migrations() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    let names = |backend: &str| {
        let mut names: Vec<String> = std::fs::read_dir(root.join(backend))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let sqlite = names("sqlite");
    assert_eq!(sqlite, names("postgres"));
    assert_eq!(sqlite.len() as i64, SCHEMA_VERSION);
    for (i, name) in sqlite.iter().enumerate() {
        assert!(name.starts_with(&format!("{:04}_", i + 1)), "{name} is numbered in order");
    }
}

#[tokio::test]
async fn postgres_that_cannot_be_reached_says_so() {
    let started = std::time::Instant::now();
    let err = PostgresStore::connect("postgres://nobody@127.0.0.1:1/none").await.unwrap_err();
    assert!(matches!(err, StoreError::Unreachable(_)), "{err}");
    assert!(err.to_string().starts_with("cannot reach PostgreSQL: "), "{err}");
    assert!(started.elapsed().as_secs() < 5, "refused quickly, not after a long timeout");
    let err = PostgresStore::connect("not a url").await.unwrap_err();
    assert!(matches!(err, StoreError::Unreachable(_)), "{err}");
}
