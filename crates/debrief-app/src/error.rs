//! Errors of the application layer, each one line saying what was wrong and what would be right.

use debrief_core::{ParseError, ValidationError};
use debrief_store::StoreError;
use thiserror::Error;

#[derive(Debug, Error)]
pub enum AppError {
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    #[error(transparent)]
    Parse(#[from] ParseError),
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A name or id that matches nothing; the message says what exists.
    #[error("{0}")]
    NotFound(String),
    /// A request that is well-formed but not allowed.
    #[error("{0}")]
    Rejected(String),
}

impl AppError {
    /// Whether the fault is in the request (4xx) rather than in the system.
    pub fn is_user_error(&self) -> bool {
        match self {
            AppError::Store(e) => {
                !matches!(e, StoreError::Database(_) | StoreError::Sqlite(_) | StoreError::Unreachable(_))
            }
            _ => true,
        }
    }
}
