//! The one error type of the API, rendered once as
//! `{"error": {"code", "message", "field"}}`, and how application errors map
//! to HTTP statuses, once. Pages render the same value as HTML.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use debrief_app::{AppError, FieldError, Invalid};
use serde::Serialize;
use utoipa::ToSchema;

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
    /// A stable machine-readable code: `bad_request`, `invalid`, `rejected`, `not_found`, `conflict`,
    /// `payload_too_large`, `unsupported_media_type`, `method_not_allowed`, `forbidden`, `unavailable`, …
    pub code: String,
    /// One line: what was wrong and what would be right.
    pub message: String,
    /// The request field at fault, when there is one (`reasons[1].do_differently` for an item of a list).
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

    /// Sets the field when the error is the request's (4xx) and names none yet.
    pub fn or_field(mut self, field: &str) -> ApiError {
        if self.status.is_client_error() {
            self.field.get_or_insert_with(|| field.to_string());
        }
        self
    }

    /// An application error whose fields are named by `path` (how the
    /// request's body spells them), instead of by [`field_path`].
    pub fn from_app(e: AppError, path: impl Fn(&FieldError) -> String) -> ApiError {
        match e {
            AppError::Invalid(invalid) => {
                let first = invalid.first();
                ApiError::invalid(path(first), first.message.clone())
            }
            AppError::NotFound(m) => ApiError::not_found(m),
            AppError::Rejected(m) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "rejected", m),
            AppError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            AppError::Unavailable(m) => {
                tracing::warn!(error = %m, "the database is unavailable");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "the database is busy or cannot be reached: try again shortly",
                )
            }
            AppError::Failed(m) => {
                tracing::error!(error = %m, "request failed");
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "the server failed to answer: see its log")
            }
        }
    }
}

/// A field as a request names it: `client`, or `external[1]` for an item of a list.
pub fn field_path(e: &FieldError) -> String {
    match e.index {
        Some(i) => format!("{}[{i}]", e.field),
        None => e.field.to_string(),
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
        ApiError::invalid(field_path(&e), e.message)
    }
}

impl From<Invalid> for ApiError {
    fn from(e: Invalid) -> ApiError {
        ApiError::from(AppError::Invalid(e))
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        ApiError::from_app(e, field_path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn application_errors_map_to_statuses_and_fields() {
        let e = ApiError::from(AppError::from(debrief_core::ValidationError::LostWithoutReason));
        assert_eq!((e.status, e.field.as_deref()), (StatusCode::UNPROCESSABLE_ENTITY, Some("reasons")));
        let e = ApiError::from(AppError::NotFound("no contact #9".into()));
        assert_eq!((e.status, e.code, e.field), (StatusCode::NOT_FOUND, "not_found", None));
        let e = ApiError::from(AppError::Rejected("already done".into()));
        assert_eq!((e.status, e.code), (StatusCode::UNPROCESSABLE_ENTITY, "rejected"));
        let e = ApiError::from(AppError::Conflict("taken".into()));
        assert_eq!(e.status, StatusCode::CONFLICT);
        let e = ApiError::from(AppError::Unavailable("connection refused to 10.0.0.7".into()));
        assert_eq!((e.status, e.code), (StatusCode::SERVICE_UNAVAILABLE, "unavailable"));
        assert!(!e.message.contains("10.0.0.7"), "internals stay in the log: {}", e.message);
        let e = ApiError::from(AppError::Failed("pool timed out".into()));
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(!e.message.contains("pool"), "internals stay in the log: {}", e.message);
    }

    #[test]
    fn the_first_field_at_fault_is_named_with_its_place_in_a_list() {
        let mut second = FieldError::new("external", "the text contains a control character");
        second.index = Some(1);
        let invalid = Invalid::from(second);
        let e = ApiError::from(AppError::Invalid(invalid));
        assert_eq!((e.code, e.field.as_deref()), ("invalid", Some("external[1]")));
        assert_eq!(e.message, "the text contains a control character");
    }
}
