//! Fresh databases for the suite, the `cases!` macro that runs each case on
//! both backends, and builders for test data.

use std::future::Future;
use std::hash::{BuildHasher, RandomState};
use std::path::PathBuf;
use std::sync::Arc;

use debrief_core::model::{Channel, Outcome, Reason, ReasonId, RepId};
use debrief_store::{NewContact, NewReasonNote, PostgresStore, ReasonRef, ReasonTexts, SqliteStore, Store, StoreError};
use jiff::Timestamp;
use sqlx::{Connection, PgConnection, SqliteConnection};
use tempfile::TempDir;

/// Runs each listed `async fn(&dyn Store)` as a `sqlite` and a `postgres` test.
macro_rules! cases {
    ($($case:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $case() {
                let db = $crate::harness::TestDb::sqlite();
                $crate::harness::run(db, |s| async move { super::$case(&*s).await }).await;
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $case() {
                let Some(db) = $crate::harness::TestDb::postgres().await else { return };
                $crate::harness::run(db, |s| async move { super::$case(&*s).await }).await;
            })*
        }
    };
}
pub(crate) use cases;

/// Runs each listed `async fn(&TestDb)` (cases that look under the store) on both backends.
macro_rules! db_cases {
    ($($case:ident),* $(,)?) => {
        mod sqlite_db {
            $(#[tokio::test]
            async fn $case() {
                let db = $crate::harness::TestDb::sqlite();
                super::$case(&db).await;
            })*
        }
        mod postgres_db {
            $(#[tokio::test]
            async fn $case() {
                let Some(db) = $crate::harness::TestDb::postgres().await else { return };
                let outcome = tokio::spawn(async move { super::$case(&db).await; db }).await;
                $crate::harness::finish(outcome).await;
            })*
        }
    };
}
pub(crate) use db_cases;

/// A fresh, empty database: a file in a temporary directory or a PostgreSQL schema.
pub enum TestDb {
    Sqlite { _dir: TempDir, path: PathBuf },
    Postgres { admin_url: String, schema: String, url: String },
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("debrief.db");
        TestDb::Sqlite { _dir: dir, path }
    }

    /// A new schema in the test database; `None` (with a note) when none is
    /// configured, a failure when `CI` is set.
    pub async fn postgres() -> Option<TestDb> {
        let admin_url = database_url()?;
        let schema = format!("t_{:016x}", RandomState::new().hash_one(std::process::id()));
        let mut admin = PgConnection::connect(&admin_url).await.unwrap();
        sqlx::query(&format!("CREATE SCHEMA {schema}")).execute(&mut admin).await.unwrap();
        let separator = if admin_url.contains('?') { '&' } else { '?' };
        let url = format!("{admin_url}{separator}options=-c%20search_path%3D{schema}");
        Some(TestDb::Postgres { admin_url, schema, url })
    }

    /// "sqlite" or "postgres", for messages.
    pub fn backend(&self) -> &'static str {
        match self {
            TestDb::Sqlite { .. } => "sqlite",
            TestDb::Postgres { .. } => "postgres",
        }
    }

    /// The store on this database (migrating it).
    pub async fn open(&self) -> Result<Arc<dyn Store>, StoreError> {
        Ok(match self {
            TestDb::Sqlite { path, .. } => Arc::new(SqliteStore::open(path).await?),
            TestDb::Postgres { url, .. } => Arc::new(PostgresStore::connect(url).await?),
        })
    }

    /// Runs one raw statement, beside the store.
    pub async fn execute(&self, sql: &str) {
        match self {
            TestDb::Sqlite { path, .. } => {
                let mut conn = SqliteConnection::connect(&sqlite_url(path)).await.unwrap();
                sqlx::query(sql).execute(&mut conn).await.unwrap();
            }
            TestDb::Postgres { url, .. } => {
                let mut conn = PgConnection::connect(url).await.unwrap();
                sqlx::query(sql).execute(&mut conn).await.unwrap();
            }
        }
    }

    /// One integer from a raw query, beside the store.
    pub async fn scalar(&self, sql: &str) -> i64 {
        match self {
            TestDb::Sqlite { path, .. } => {
                let mut conn = SqliteConnection::connect(&sqlite_url(path)).await.unwrap();
                sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
            }
            TestDb::Postgres { url, .. } => {
                let mut conn = PgConnection::connect(url).await.unwrap();
                sqlx::query_scalar(sql).fetch_one(&mut conn).await.unwrap()
            }
        }
    }

    /// Drops the PostgreSQL schema (the SQLite directory goes with `self`).
    pub async fn cleanup(self) {
        if let TestDb::Postgres { admin_url, schema, .. } = self {
            let mut admin = PgConnection::connect(&admin_url).await.unwrap();
            let drop = format!("DROP SCHEMA {schema} CASCADE");
            sqlx::query(&drop).execute(&mut admin).await.unwrap();
        }
    }
}

fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

fn database_url() -> Option<String> {
    match std::env::var("DEBRIEF_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ if std::env::var_os("CI").is_some() => panic!(
            "DEBRIEF_TEST_DATABASE_URL is not set, and CI is: the store suite must also run on \
             PostgreSQL, e.g. DEBRIEF_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
        ),
        _ => {
            eprintln!("note: DEBRIEF_TEST_DATABASE_URL is not set: skipping the PostgreSQL run");
            None
        }
    }
}

/// Opens the store on `db`, runs `case` on it, cleans `db` up even when the case panicked.
pub async fn run<F, Fut>(db: TestDb, case: F)
where
    F: FnOnce(Arc<dyn Store>) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let store = db.open().await.unwrap();
    let outcome = tokio::spawn(case(store)).await.map(|()| db);
    finish(outcome).await;
}

/// Cleans up after a spawned case, then passes its panic on.
pub async fn finish(outcome: Result<TestDb, tokio::task::JoinError>) {
    match outcome {
        Ok(db) => db.cleanup().await,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}

/// A timestamp from `2026-03-02T09:00:00Z`-style text.
pub fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// A contact with no reasons, better or note.
pub fn contact(rep: RepId, client: &str, when: &str, outcome: Outcome) -> NewContact {
    NewContact {
        rep,
        client: client.to_string(),
        at: at(when),
        channel: Channel::Call,
        outcome,
        new_lead: false,
        reasons: Vec::new(),
        better: None,
        note: None,
        follow_ups: Default::default(),
    }
}

/// A note on an existing reason.
pub fn note(reason: ReasonId, text: &str, do_differently: Option<&str>) -> NewReasonNote {
    NewReasonNote {
        reason: ReasonRef::Existing(reason),
        text: text.to_string(),
        controllable: true,
        do_differently: do_differently.map(str::to_string),
        affected_client: false,
    }
}

/// A note on a reason new to the vocabulary.
pub fn new_note(label: &str, text: &str, controllable: bool) -> NewReasonNote {
    NewReasonNote {
        reason: ReasonRef::New { label: label.to_string(), controllable },
        text: text.to_string(),
        controllable,
        do_differently: None,
        affected_client: false,
    }
}

/// Creates controllable reasons by label and returns their ids in order.
pub async fn reasons(store: &dyn Store, labels: &[&str]) -> Vec<ReasonId> {
    let new: Vec<ReasonTexts> = labels
        .iter()
        .map(|label| ReasonTexts {
            reason: Reason { id: ReasonId(0), label: label.to_string(), controllable: true },
            texts: Vec::new(),
        })
        .collect();
    store.add_reasons(&new).await.unwrap();
    let vocabulary = store.vocabulary().await.unwrap();
    let id = |label: &&str| vocabulary.iter().find(|r| r.reason.label == *label).unwrap().reason.id;
    labels.iter().map(id).collect()
}
