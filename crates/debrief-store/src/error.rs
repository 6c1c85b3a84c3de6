//! The store's errors: few, typed, each a one-line message.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("no {what} with id {id}")]
    NotFound { what: &'static str, id: String },
    #[error("{0}")]
    Conflict(String),
    #[error(
        "the database is at schema version {found}, newer than this debrief knows ({known}): upgrade debrief to open it; it was left untouched"
    )]
    NewerSchema { found: i64, known: i64 },
    #[error("cannot open the database at {path}: {reason}; give a writable path with --db or DEBRIEF_DB")]
    Unwritable { path: String, reason: String },
    #[error("cannot reach PostgreSQL: {0}; check --database-url or DEBRIEF_DATABASE_URL")]
    Unreachable(String),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// From a bulk load into SQLite, which binds rows without sqlx.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}
