//! The SQLite backend: one local file in WAL mode, for a person on their own.

mod load;

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Pool, Sqlite};
use tokio::sync::mpsc::Receiver;

use crate::sql::{self, Backend, Param};
use crate::{LoadBatch, NewContact, Result, StoreError};

/// The migrations, in order; the same numbered files as PostgreSQL's.
const MIGRATIONS: &[sql::MigrationFile] = &[
    (1, "init", include_str!("../migrations/sqlite/0001_init.sql")),
    (2, "loop", include_str!("../migrations/sqlite/0002_loop.sql")),
];

/// How long a connection waits for another's write lock.
const BUSY: Duration = Duration::from_secs(5);

/// A debrief database in a SQLite file.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: Pool<Sqlite>,
    /// The database file, for a bulk load's connection of its own.
    path: PathBuf,
}

impl SqliteStore {
    /// Opens the database file at `path` (created when missing) and brings its
    /// schema up to date. A database from a newer debrief is refused untouched.
    /// Up to four connections read side by side (for a server).
    pub async fn open(path: &Path) -> Result<SqliteStore> {
        SqliteStore::open_with_connections(path, 4).await
    }

    /// [`SqliteStore::open`] with at most `connections` open at once: one
    /// suits a single command, which then opens the file only once.
    pub async fn open_with_connections(path: &Path, connections: u32) -> Result<SqliteStore> {
        probe(path)?;
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY)
            // Queries with growing `IN` lists prepare new statements; keep few cached
            // so a busy server does not hold hundreds per connection.
            .statement_cache_capacity(16)
            // 64 MiB of page cache (allocated as used): index pages of a large
            // database stay in memory instead of spilling mid-transaction.
            .pragma("cache_size", "-65536")
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(connections.max(1))
            .connect_with(options)
            .await
            .map_err(|e| unwritable(path, e.to_string()))?;
        let store = SqliteStore { pool, path: path.to_path_buf() };
        sql::migrate(&store, MIGRATIONS).await?;
        Ok(store)
    }
}

/// Checks up front that `path` can be a database file, so that the error
/// says why in words rather than as a SQLite code.
fn probe(path: &Path) -> Result<()> {
    if path.is_dir() {
        return Err(unwritable(path, "is a directory"));
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
    if dir.is_some_and(|d| !d.exists()) {
        return Err(unwritable(path, "the directory does not exist"));
    }
    let file = std::fs::OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path);
    file.map(drop).map_err(|e| unwritable(path, io_reason(&e)))
}

fn io_reason(e: &io::Error) -> String {
    let reason = match e.kind() {
        io::ErrorKind::NotFound => "the directory does not exist",
        io::ErrorKind::PermissionDenied => "permission denied",
        io::ErrorKind::IsADirectory => "is a directory",
        io::ErrorKind::NotADirectory => "a parent of it is not a directory",
        io::ErrorKind::ReadOnlyFilesystem => "the file system is read-only",
        _ => return e.to_string(),
    };
    reason.to_string()
}

fn unwritable(path: &Path, reason: impl Into<String>) -> StoreError {
    StoreError::Unwritable { path: path.display().to_string(), reason: reason.into() }
}

#[async_trait]
impl Backend for SqliteStore {
    type Db = Sqlite;
    type Row = SqliteRow;
    const NAME: &'static str = "sqlite";
    const HAS_MIGRATIONS_TABLE: &'static str = "SELECT EXISTS (SELECT 1 FROM sqlite_master \
         WHERE type = 'table' AND name = '_sqlx_migrations')";
    // Taking the write lock first means a concurrent writer waits for
    // busy_timeout instead of failing when this transaction upgrades.
    const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";
    const ANONYMOUS_LISTS: bool = true;

    fn pool(&self) -> &Pool<Sqlite> {
        &self.pool
    }

    async fn bulk_log(&self, contacts: &[NewContact]) -> Result<u64> {
        if contacts.is_empty() {
            return Ok(0);
        }
        let (path, contacts) = (self.path.clone(), contacts.to_vec());
        blocking(move || load::log(&path, contacts)).await
    }

    /// On a connection of its own, on threads of its own; the pool's idle
    /// connections are closed first so that the load may leave the
    /// write-ahead log ([`load::load`]).
    async fn bulk_load(&self, batches: Receiver<LoadBatch>) -> Result<u64> {
        // A connection just used may still be on its way back to the pool
        // (a task that waits for SQLite's worker thread); one that another
        // task holds longer keeps the load in the log.
        let deadline = std::time::Instant::now() + Duration::from_millis(200);
        while self.pool.num_idle() < self.pool.size() as usize && std::time::Instant::now() < deadline {
            tokio::task::yield_now().await;
        }
        while let Some(idle) = self.pool.try_acquire() {
            idle.close().await?;
        }
        let path = self.path.clone();
        blocking(move || load::load(&path, batches)).await
    }

    async fn fetch(conn: &mut SqliteConnection, sql: &str, params: &[Param<'_>]) -> sqlx::Result<Vec<SqliteRow>> {
        sql::fetch_with::<Sqlite>(conn, sql, params).await
    }

    async fn execute(conn: &mut SqliteConnection, sql: &str, params: &[Param<'_>]) -> sqlx::Result<u64> {
        Ok(sql::bind(sqlx::query(sql), params).execute(conn).await?.rows_affected())
    }
}

/// Runs `work` on a thread where it may block, and waits for it.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work).await.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
}
