//! The store's errors: few, typed, each a one-line message. None carries a
//! `source`: the message already says all, so a chain printed with `{:#}`
//! says it once.

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
    /// A database with tables but no mark of debrief's.
    #[error(
        "{place} holds another program's tables, not debrief's; it was left untouched: give a debrief database or an empty one"
    )]
    Foreign { place: String },
    #[error(
        "the file at {path} is not a SQLite database; it was left untouched: give a debrief database or a new file with --db or DEBRIEF_DB"
    )]
    NotSqlite { path: String },
    #[error("cannot open the database at {path}: {reason}; give a writable path with --db or DEBRIEF_DB")]
    Unwritable { path: String, reason: String },
    #[error("cannot reach PostgreSQL: {0}; check --database-url or DEBRIEF_DATABASE_URL")]
    Unreachable(String),
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        StoreError::Database(e)
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        StoreError::Database(e.into())
    }
}

impl StoreError {
    /// Whether the write lost a race with another transaction (a deadlock,
    /// a serialization failure, a row it points to deleted meanwhile) and
    /// is worth running again from the start.
    pub(crate) fn is_transient(&self) -> bool {
        let StoreError::Database(sqlx::Error::Database(e)) = self else { return false };
        // PostgreSQL: serialization_failure, deadlock_detected, foreign_key_violation.
        matches!(e.code().as_deref(), Some("40001" | "40P01" | "23503"))
    }

    /// What a write that kept losing races says.
    pub(crate) fn contended() -> StoreError {
        StoreError::Conflict(
            "other changes to the same reasons or clients kept conflicting with this one; nothing was stored: try again"
                .into(),
        )
    }
}
