//! The one error type of the API, rendered once as
//! `{"error": {"code", "message", "field"}}`, and how application errors map
//! to HTTP statuses. Pages render the same value as HTML.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use debrief_app::AppError;
use debrief_core::{ParseError, ValidationError};
use debrief_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

use crate::input::FieldError;

/// A failed request: what was wrong, in one line, and which field when known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
}

/// The body of every error response.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable machine-readable code: `bad_request`, `invalid`, `not_found`, `conflict`,
    /// `payload_too_large`, `unsupported_media_type`, `method_not_allowed`, `forbidden`, …
    pub code: String,
    /// One line: what was wrong and what would be right.
    pub message: String,
    /// The request field at fault, when there is one.
    pub field: Option<String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError { status, code, message: message.into(), field: None }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> ApiError {
        self.field = Some(field.into());
        self
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message).with_field(field)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    pub fn method_not_allowed() -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "this method is not allowed here: see /api/v1/openapi.json",
        )
    }

    /// Sets the field when the error does not name one yet.
    pub fn or_field(mut self, field: &str) -> ApiError {
        self.field.get_or_insert_with(|| field.to_string());
        self
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body =
            ErrorBody { error: ErrorDetail { code: self.code.to_string(), message: self.message, field: self.field } };
        (self.status, Json(body)).into_response()
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> ApiError {
        ApiError::invalid(e.field, e.message)
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        if !e.is_user_error() {
            return system_error(&e);
        }
        let message = e.to_string();
        match e {
            AppError::Invalid(v) => ApiError::invalid(validation_field(&v), message),
            AppError::Parse(p) => ApiError::invalid(parse_field(&p), message),
            AppError::NotFound(_) => ApiError::not_found(message),
            AppError::Rejected(_) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "rejected", message),
            AppError::Store(StoreError::NotFound { .. }) => ApiError::not_found(message),
            AppError::Store(StoreError::Conflict(_)) => ApiError::new(StatusCode::CONFLICT, "conflict", message),
            AppError::Store(_) => ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message),
        }
    }
}

/// A fault of the system, not of the request: logged in full, answered briefly.
fn system_error(e: &AppError) -> ApiError {
    tracing::error!(error = %e, "request failed");
    if matches!(e, AppError::Store(StoreError::Unreachable(_))) {
        return ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the database cannot be reached: try again shortly",
        );
    }
    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the server failed to answer: see its log")
}

/// The request field a broken rule of the debrief is about.
fn validation_field(v: &ValidationError) -> &'static str {
    match v {
        ValidationError::LostWithoutReason | ValidationError::TooManyReasons(_) => "reasons",
        ValidationError::DoWithoutReason(_) => "reasons",
        ValidationError::EmptyClient => "client",
        ValidationError::EmptyText("reason") => "reasons",
        ValidationError::EmptyText("external reason") => "external",
        ValidationError::EmptyText("note") => "note",
        ValidationError::EmptyText("new label") => "label",
        ValidationError::EmptyText(_) => "better",
    }
}

fn parse_field(p: &ParseError) -> &'static str {
    match p {
        ParseError::Keyword { what, .. } => what,
        ParseError::Week(_) => "week",
        ParseError::Time(_) => "at",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn application_errors_map_to_statuses_and_fields() {
        let e = ApiError::from(AppError::from(ValidationError::LostWithoutReason));
        assert_eq!((e.status, e.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("reasons")));
        let e = ApiError::from(AppError::NotFound("no contact #9".into()));
        assert_eq!((e.status, e.code), (StatusCode::NOT_FOUND, "not_found"));
        let e = ApiError::from(AppError::Store(StoreError::Conflict("taken".into())));
        assert_eq!(e.status, StatusCode::CONFLICT);
        let e = ApiError::from(AppError::Store(StoreError::Database(sqlx::Error::PoolTimedOut)));
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!e.message.contains("pool"), "internals stay in the log: {}", e.message);
    }
}
