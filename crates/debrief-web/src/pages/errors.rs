//! What a refused form shows: every message of the application's refusal,
//! each next to the form field it is about (found from the error's field and
//! index, never from its words), and all of them in a summary.

use debrief_app::{AppError, FieldError, Invalid};

use super::PageError;
use crate::error::ApiError;

/// A message next to the form field named `field` (its `name` and `id`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormError {
    pub field: String,
    pub message: String,
}

/// Messages by form field, shown next to each field and in a summary.
#[derive(Clone, Debug, Default)]
pub struct FieldErrors(Vec<FormError>);

impl FieldErrors {
    /// One message next to `field`.
    pub fn one(field: impl Into<String>, message: impl Into<String>) -> FieldErrors {
        FieldErrors(vec![FormError { field: field.into(), message: message.into() }])
    }

    /// Every error of a refused request, each on the form field `place` names for it.
    pub fn placed(invalid: &Invalid, place: impl Fn(&FieldError) -> String) -> FieldErrors {
        let errors =
            invalid.errors().iter().map(|e| FormError { field: place(e), message: e.message.clone() }).collect();
        FieldErrors(errors)
    }

    /// An application error shown on the form: a refused request on its
    /// fields, anything else the request got wrong (a name that matches
    /// nothing, a step not allowed now, a clash) next to `other`. A fault of
    /// the system is an error page.
    pub fn from_app(e: AppError, place: impl Fn(&FieldError) -> String, other: &str) -> Result<FieldErrors, PageError> {
        match e {
            AppError::Invalid(invalid) => Ok(FieldErrors::placed(&invalid, place)),
            AppError::NotFound(m) | AppError::Rejected(m) | AppError::Conflict(m) => Ok(FieldErrors::one(other, m)),
            e @ (AppError::Unavailable(_) | AppError::Failed(_)) => Err(PageError(ApiError::from(e))),
        }
    }

    /// Like [`FieldErrors::from_app`], but something that does not exist
    /// (the item the form is about) is an error page too.
    pub fn refusal(e: AppError, place: impl Fn(&FieldError) -> String, other: &str) -> Result<FieldErrors, PageError> {
        match e {
            AppError::NotFound(_) => Err(PageError(ApiError::from(e))),
            e => FieldErrors::from_app(e, place, other),
        }
    }

    /// Adds a message next to `field`.
    pub fn push(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FormError { field: field.into(), message: message.into() });
    }

    /// The value, or `None` with its message kept next to its field.
    pub fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        r.map_err(|e| self.push(e.field, e.message)).ok()
    }

    /// Adds every message of `other`.
    pub fn extend(&mut self, other: FieldErrors) {
        self.0.extend(other.0);
    }

    /// The first message next to `field`.
    pub fn get(&self, field: impl AsRef<str>) -> Option<&str> {
        self.0.iter().find(|e| e.field == field.as_ref()).map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn all(&self) -> &[FormError] {
        &self.0
    }
}

impl From<FieldError> for FieldErrors {
    fn from(e: FieldError) -> FieldErrors {
        FieldErrors::one(e.field, e.message)
    }
}

impl FromIterator<FormError> for FieldErrors {
    fn from_iter<I: IntoIterator<Item = FormError>>(iter: I) -> FieldErrors {
        FieldErrors(iter.into_iter().collect())
    }
}

/// A field of a form named as the application names it.
pub fn same_name(e: &FieldError) -> String {
    e.field.to_string()
}

/// A whole number typed in a form field: blank is `None`; anything else that
/// is not a number is the message to show next to the field.
pub fn number<T: std::str::FromStr>(typed: &str) -> Result<Option<T>, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    typed
        .parse()
        .map(Some)
        .map_err(|_| format!("\"{}\" is not a whole number: give one like 2", debrief_app::input::echo(typed)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_of_a_refusal_is_placed() {
        let mut second = FieldError::new("reasons", "the reason is empty");
        second.index = Some(1);
        let invalid = Invalid::from(FieldError::new("client", "the client is empty"));
        let errors = FieldErrors::placed(&invalid, same_name);
        assert_eq!(errors.get("client"), Some("the client is empty"));
        let place = |e: &FieldError| format!("{}{}", e.field, e.index.map_or(1, |i| i + 1));
        assert_eq!(FieldErrors::placed(&Invalid::from(second), place).get("reasons2"), Some("the reason is empty"));
    }

    #[test]
    fn refusals_go_next_to_a_field_and_faults_to_an_error_page() {
        let e = FieldErrors::from_app(AppError::NotFound("no reason matches".into()), same_name, "reason").unwrap();
        assert_eq!(e.get("reason"), Some("no reason matches"));
        assert!(FieldErrors::refusal(AppError::NotFound("no item #9".into()), same_name, "said").is_err());
        assert!(FieldErrors::from_app(AppError::Failed("disk".into()), same_name, "reason").is_err());
    }

    #[test]
    fn numbers_are_read_or_explained() {
        assert_eq!(number::<u32>(" 12 "), Ok(Some(12)));
        assert_eq!(number::<u32>(""), Ok(None));
        assert!(number::<u32>("soon").unwrap_err().contains("\"soon\" is not a whole number"));
        assert!(number::<u32>("-1").is_err());
    }
}
