//! Errors of the application layer, each one line saying what was wrong and
//! what would be right. Interfaces see only these: the store's errors are
//! turned into them here, once.

use debrief_core::RangeError;
use debrief_store::StoreError;
use thiserror::Error;

use crate::input::{FieldError, Invalid};

#[derive(Debug, Error)]
pub enum AppError {
    /// Input that breaks a limit or a rule: each field at fault, with its message.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// A name or id that matches nothing; the message says what exists.
    #[error("{0}")]
    NotFound(String),
    /// A request that is well-formed but not allowed in the present state.
    #[error("{0}")]
    Rejected(String),
    /// A request that clashes with what is stored (a label taken, data already there).
    #[error("{0}")]
    Conflict(String),
    /// The database cannot be reached or is busy: trying again may work.
    #[error("{0}")]
    Unavailable(String),
    /// A fault of the system, not of the request: the interface logs it in
    /// full and tells the user briefly.
    #[error("{0}")]
    Failed(String),
}

/// A date or week beyond the calendar is a request that cannot be met.
impl From<RangeError> for AppError {
    fn from(e: RangeError) -> AppError {
        AppError::Rejected(e.to_string())
    }
}

impl AppError {
    /// Whether the fault is in the request (4xx) rather than in the system.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, AppError::Unavailable(_) | AppError::Failed(_))
    }

    /// The field at fault, when the error is about one.
    pub fn field(&self) -> Option<&FieldError> {
        match self {
            AppError::Invalid(invalid) => Some(invalid.first()),
            _ => None,
        }
    }
}

impl From<FieldError> for AppError {
    fn from(e: FieldError) -> AppError {
        AppError::Invalid(e.into())
    }
}

impl From<debrief_core::ValidationError> for AppError {
    fn from(e: debrief_core::ValidationError) -> AppError {
        crate::input::validation(e).into()
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        let message = e.to_string();
        match e {
            StoreError::NotFound { .. } => AppError::NotFound(message),
            StoreError::Conflict(_) => AppError::Conflict(message),
            StoreError::Unreachable(_) => AppError::Unavailable(message),
            StoreError::NewerSchema { .. }
            | StoreError::Unwritable { .. }
            | StoreError::Foreign { .. }
            | StoreError::NotSqlite { .. } => AppError::Rejected(message),
            _ => AppError::Failed(message),
        }
    }
}
