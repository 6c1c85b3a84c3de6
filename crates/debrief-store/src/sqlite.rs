//! The SQLite backend: one local file in WAL mode, for a person on their own.

mod bulk;

use std::io;
use std::ops::{Deref, DerefMut};
use std::path::Path;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{ConnectOptions, Connection, Pool, Sqlite};

use crate::sql::{self, Backend, BulkContact, BulkNote, Param};
use crate::{Result, StoreError};

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
    /// How the pool's connections are opened, for one opened differently.
    options: SqliteConnectOptions,
}

/// The connection of a bulk load: its own, without the write-ahead log, or
/// one of the pool's when the log could not be left.
pub(crate) enum LoadConnection {
    Own(SqliteConnection),
    Pooled(PoolConnection<Sqlite>),
}

impl Deref for LoadConnection {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        match self {
            LoadConnection::Own(conn) => conn,
            LoadConnection::Pooled(conn) => conn,
        }
    }
}

impl DerefMut for LoadConnection {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        match self {
            LoadConnection::Own(conn) => conn,
            LoadConnection::Pooled(conn) => conn,
        }
    }
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
            .connect_with(options.clone())
            .await
            .map_err(|e| unwritable(path, e.to_string()))?;
        let store = SqliteStore { pool, options };
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

    async fn bulk_connection(&self) -> sqlx::Result<PoolConnection<Sqlite>> {
        let mut conn = self.pool.acquire().await?;
        // Per-row foreign key checks cost a sixth of a bulk load, and bulk_log
        // checks reps and reasons itself. Such a connection never goes back
        // to the pool: it is closed when dropped.
        conn.close_on_drop();
        sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await?;
        Ok(conn)
    }

    type LoadConn = LoadConnection;

    /// A rollback journal instead of the write-ahead log while a database is
    /// loaded from empty: the new pages are written once instead of to the
    /// log and then again into the file, and rolling back still works. Only
    /// the sole connection may switch: idle ones are closed, and the load
    /// gets a connection of its own, opened in that mode (so no page it
    /// caches predates the switch). When another connection is open the
    /// switch is refused at once and the load goes through the log as usual.
    async fn load_connection(&self) -> sqlx::Result<LoadConnection> {
        // A connection just used may still be on its way back to the pool.
        for _ in 0..100 {
            if self.pool.num_idle() >= self.pool.size() as usize {
                break;
            }
            tokio::task::yield_now().await;
        }
        while let Some(idle) = self.pool.try_acquire() {
            idle.close().await?;
        }
        let options = self
            .options
            .clone()
            .journal_mode(SqliteJournalMode::Delete)
            .busy_timeout(Duration::ZERO)
            .foreign_keys(false);
        match options.connect().await {
            Ok(mut conn) => {
                let busy = format!("PRAGMA busy_timeout = {}", BUSY.as_millis());
                sqlx::query(&busy).execute(&mut conn).await?;
                Ok(LoadConnection::Own(conn))
            }
            Err(e) => {
                tracing::debug!("the load goes through the write-ahead log: {e}");
                Ok(LoadConnection::Pooled(self.bulk_connection().await?))
            }
        }
    }

    async fn after_load(&self, conn: LoadConnection) -> sqlx::Result<()> {
        if let LoadConnection::Own(mut conn) = conn {
            sqlx::query("PRAGMA journal_mode = WAL").execute(&mut conn).await?;
            conn.close().await?;
        }
        Ok(())
    }

    async fn fetch(conn: &mut SqliteConnection, sql: &str, params: &[Param<'_>]) -> sqlx::Result<Vec<SqliteRow>> {
        sql::fetch_with::<Sqlite>(conn, sql, params).await
    }

    async fn execute(conn: &mut SqliteConnection, sql: &str, params: &[Param<'_>]) -> sqlx::Result<u64> {
        Ok(sql::bind(sqlx::query(sql), params).execute(conn).await?.rows_affected())
    }

    async fn bulk_clients(conn: &mut SqliteConnection, clients: &[(i64, i64, &str)]) -> sqlx::Result<u64> {
        bulk::clients(conn, clients).await
    }

    async fn reserve_ids(conn: &mut SqliteConnection, table: &'static str, n: usize) -> sqlx::Result<Vec<i64>> {
        bulk::reserve_ids(conn, table, n).await
    }

    async fn bulk_contacts(conn: &mut SqliteConnection, rows: &[BulkContact<'_>]) -> sqlx::Result<()> {
        bulk::contacts(conn, rows).await
    }

    async fn bulk_notes(conn: &mut SqliteConnection, rows: &[BulkNote<'_>]) -> sqlx::Result<()> {
        bulk::notes(conn, rows).await
    }
}
