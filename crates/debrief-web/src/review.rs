//! Reviewing a pasted text, shared by the review page and `/api/v1/review`:
//! the application's review with the server's settings, and its one-line
//! error placed on the field it is about.

use debrief_app::review::{ReviewView, review_file};
use debrief_core::critique::Kind;

use crate::input::FieldError;
use crate::state::AppState;

/// A text to review, already read from the form or the body.
pub struct ReviewRequest<'a> {
    /// The name it came from (`-` when none): its extension helps detect the format.
    pub name: &'a str,
    pub text: &'a str,
    /// Forced kind; detected when `None`.
    pub kind: Option<Kind>,
    /// The user's speaker in a transcript; guessed when `None`.
    pub me: Option<&'a str>,
}

/// Reviews `req`; a text that cannot be reviewed is an error on `text`, a
/// `me` that names no speaker an error on `me`.
pub fn run(state: &AppState, req: &ReviewRequest<'_>) -> Result<ReviewView, FieldError> {
    review_file(req.name, req.text.as_bytes(), req.kind, req.me, state.review_config()).map_err(|e| on_field(e.error))
}

/// The field a review error is about. The domain words an unknown speaker
/// for the CLI (`--me "X" is not a speaker…`); here the field is `me`.
fn on_field(message: String) -> FieldError {
    match message.strip_prefix("--me ") {
        Some(rest) => FieldError::new("me", rest),
        None => FieldError::new("text", message),
    }
}

#[cfg(test)]
mod tests {
    use debrief_core::critique::InputError;

    use super::*;

    #[test]
    fn an_unknown_speaker_is_an_error_on_me() {
        let e = InputError::UnknownSpeaker { given: "Bo".into(), speakers: "Ann, Cy".into() };
        let f = on_field(e.to_string());
        assert_eq!(f.field, "me");
        assert_eq!(f.message, "\"Bo\" is not a speaker in this transcript: speakers are Ann, Cy");
        assert_eq!(on_field(InputError::NoSpeakers.to_string()).field, "text");
    }
}
