//! The SQLite backend: one local file in WAL mode, for a person on their own.

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use async_trait::async_trait;
use sqlx::query::Query;
use sqlx::sqlite::{
    SqliteArguments, SqliteConnectOptions, SqliteConnection, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Pool, Sqlite, Transaction};

use crate::sql::{self, Backend, Found, Param, fetch_with};
use crate::{Result, Store, StoreError};

/// The migrations, in order; the same numbered files as PostgreSQL's.
const MIGRATIONS: &[sql::MigrationFile] = &[
    (1, "init", include_str!("../migrations/sqlite/0001_init.sql")),
    (2, "loop", include_str!("../migrations/sqlite/0002_loop.sql")),
    (3, "marker", include_str!("../migrations/sqlite/0003_marker.sql")),
    (4, "reason_redirects", include_str!("../migrations/sqlite/0004_reason_redirects.sql")),
    (5, "rep_zone", include_str!("../migrations/sqlite/0005_rep_zone.sql")),
    (6, "import", include_str!("../migrations/sqlite/0006_import.sql")),
    (7, "meetings", include_str!("../migrations/sqlite/0007_meetings.sql")),
    (8, "sources_by_key", include_str!("../migrations/sqlite/0008_sources_by_key.sql")),
];

/// How long a connection waits for another's write lock.
const BUSY: Duration = Duration::from_secs(5);

/// A debrief database in a SQLite file.
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: Pool<Sqlite>,
    /// The one connection a load writes through: without foreign-key
    /// enforcement, so that its many-row inserts need no statement journal
    /// (SQLite copies every page such a statement touches, to undo it alone
    /// should a row break a key). A load checks what its rows refer to
    /// before writing them (`sql::write::Writer`), holds the write lock
    /// throughout, and is undone whole when anything fails.
    loads: Pool<Sqlite>,
}

impl SqliteStore {
    /// Opens the database file at `path` (created when missing) and brings its
    /// schema up to date. A file of another program, or from a newer debrief,
    /// is refused untouched: nothing, not even the journal mode, is written
    /// before it is known to be an empty or a debrief database this build can
    /// read. Up to four connections read side by side (for a server).
    pub async fn open(path: &Path) -> Result<SqliteStore> {
        SqliteStore::open_with_connections(path, 4).await
    }

    /// [`SqliteStore::open`] with at most `connections` open at once: one
    /// suits a single command, which then opens the file only once.
    pub async fn open_with_connections(path: &Path, connections: u32) -> Result<SqliteStore> {
        probe(path)?;
        // No journal mode here: sqlx would switch it on connecting, before
        // the file is known to be ours (it is switched once it is).
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY)
            // Room for every statement a load uses (each multi-row insert in
            // up to twelve sizes, see `sql::insert`), so none is prepared twice;
            // lists of ids come in a few sizes too, so the cache stays this small.
            .statement_cache_capacity(128)
            // 64 MiB of page cache (allocated as used): index pages of a large
            // database stay in memory instead of spilling mid-transaction.
            .pragma("cache_size", "-65536")
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(connections.max(1))
            .connect_with(options.clone())
            .await
            .map_err(|e| cannot_open(path, e))?;
        // Opened on the first load, once the file is known to be ours and up
        // to date. Half the page cache: a load appends more than it looks up.
        // Its sorts, when it makes an index again, spill to a temporary file
        // past that cache, so a large load stays within bounded memory.
        let load_options = options.foreign_keys(false).pragma("cache_size", "-32768").pragma("temp_store", "file");
        // A second load waits for the first as long as a writer waits for the write lock.
        let loads = SqlitePoolOptions::new().max_connections(1).acquire_timeout(BUSY).connect_lazy_with(load_options);
        let store = SqliteStore { pool, loads };
        let found = sql::inspect(&store, MIGRATIONS).await.map_err(|e| match e {
            StoreError::Database(e) => cannot_open(path, e),
            e => e,
        })?;
        match found {
            Found::Foreign => return Err(StoreError::Foreign { place: format!("the database at {}", path.display()) }),
            Found::UpToDate => {}
            Found::Empty | Found::Behind => {
                // The write-ahead log is a property of the file: switched once,
                // by the first debrief that opens it.
                let mut conn = store.pool.acquire().await?;
                sqlx::query("PRAGMA journal_mode = WAL").execute(&mut *conn).await.map_err(|e| cannot_open(path, e))?;
                drop(conn);
                sql::migrate(&store, MIGRATIONS).await?;
            }
        }
        Ok(store)
    }

    /// Closes every connection to the file.
    async fn close(&self) {
        self.pool.close().await;
        self.loads.close().await;
    }
}

/// What a restore of a SQLite backup found in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Restored {
    pub contacts: u64,
    /// Contacts the database held before, deleted by `replace`.
    pub replaced: u64,
}

impl SqliteStore {
    /// Puts the SQLite backup `backup` in the place of the database file
    /// `target`. The backup is copied beside the target and opened there
    /// first (a file of another program, or from a newer debrief, is
    /// refused; an older one is brought up to date), so a damaged backup
    /// leaves the target as it was. A target holding contacts is replaced
    /// only with `replace`. No debrief may have the target open meanwhile.
    pub async fn restore_file(backup: &Path, target: &Path, replace: bool) -> Result<Restored> {
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let staged = target.with_file_name(format!(".{name}.restoring"));
        remove_database(&staged)?;
        std::fs::copy(backup, &staged).map_err(|e| unwritable(&staged, e.to_string()))?;
        let result = async {
            let copy = SqliteStore::open_with_connections(&staged, 1).await?;
            let contacts = copy.count_contacts(&crate::ContactQuery::default()).await?;
            copy.close().await;
            let replaced = if target.exists() {
                let held = SqliteStore::open_with_connections(target, 1).await?;
                let n = held.count_contacts(&crate::ContactQuery::default()).await?;
                held.close().await;
                n
            } else {
                0
            };
            if replaced > 0 && !replace {
                return Err(StoreError::Conflict(format!(
                    "{} holds {replaced} contacts: a backup is restored only into an empty database, or with --replace (which deletes them)",
                    target.display()
                )));
            }
            remove_database(target)?;
            std::fs::rename(&staged, target).map_err(|e| unwritable(target, e.to_string()))?;
            Ok(Restored { contacts, replaced })
        }
        .await;
        if result.is_err() {
            let _ = remove_database(&staged);
        }
        result
    }
}

/// Removes a database file and its write-ahead log, if there.
fn remove_database(path: &Path) -> Result<()> {
    for suffix in ["", "-wal", "-shm"] {
        let file = PathBuf::from(format!("{}{suffix}", path.display()));
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(unwritable(&file, e.to_string())),
        }
    }
    Ok(())
}

/// Why the file at `path` could not be opened, in words.
fn cannot_open(path: &Path, e: sqlx::Error) -> StoreError {
    match &e {
        // SQLITE_NOTADB: the file has some other content.
        sqlx::Error::Database(db) if db.code().as_deref() == Some("26") => {
            StoreError::NotSqlite { path: path.display().to_string() }
        }
        _ => unwritable(path, e.to_string()),
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
    const HAS_TABLE: &'static str = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1)";
    const ANY_TABLE: &'static str = "SELECT EXISTS (SELECT 1 FROM sqlite_master \
         WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\')";
    // Taking the write lock first means a concurrent writer waits for
    // busy_timeout instead of failing when this transaction upgrades.
    const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";
    // One writer at a time: what a write reads stays as it is until it ends.
    const FOR_SHARE: &'static str = "";
    const FOR_UPDATE: &'static str = "";
    const AFTER_LOAD: Option<&'static str> = Some("PRAGMA wal_checkpoint(TRUNCATE)");
    const ANONYMOUS_LISTS: bool = true;
    const INSERT_MANY: &'static str = "INSERT OR FAIL INTO";
    // The contacts' and their sources' own indexes, not those of a key
    // (which a load looks rows up by).
    const LOAD_INDEXES: Option<&'static str> = Some(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL \
         AND tbl_name IN ('contacts', 'contact_sources') ORDER BY name",
    );
    const BACKUP_INTO: Option<&'static str> = Some("VACUUM INTO $1");

    fn pool(&self) -> &Pool<Sqlite> {
        &self.pool
    }

    async fn begin_load_write(&self) -> sqlx::Result<Transaction<'static, Sqlite>> {
        self.loads.begin_with(Self::BEGIN_WRITE).await
    }

    /// The next ids after the largest: the write lock, taken at `BEGIN
    /// IMMEDIATE`, keeps any other writer out until this one commits.
    async fn reserve_ids(conn: &mut SqliteConnection, table: &'static str, n: usize) -> sqlx::Result<Vec<i64>> {
        let sql = format!("SELECT COALESCE(MAX(id), 0) FROM {table}");
        let last: i64 = sqlx::query_scalar(&sql).fetch_one(conn).await?;
        Ok((last + 1..).take(n).collect())
    }

    async fn fetch(conn: &mut SqliteConnection, sql: &str, params: &[Param<'_>]) -> sqlx::Result<Vec<SqliteRow>> {
        fetch_with::<Sqlite>(conn, sql, params).await
    }

    type Bound<'q> = Query<'q, Sqlite, SqliteArguments<'q>>;

    fn bound<'q>(sql: &'q str, params: &[Param<'q>]) -> Self::Bound<'q> {
        sql::bind(sql, params)
    }

    async fn run(conn: &mut SqliteConnection, statement: Self::Bound<'_>) -> sqlx::Result<u64> {
        Ok(statement.execute(conn).await?.rows_affected())
    }
}
