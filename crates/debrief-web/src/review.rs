//! Reviewing a pasted text, shared by the review page and `/api/v1/review`:
//! the application's review with the server's settings, and its one-line
//! error placed on the field it is about. The review runs on tokio's
//! blocking threads ([`off_the_workers`]): it is CPU work of up to a few
//! hundred milliseconds on the largest text, and the async workers must stay
//! free for every other request meanwhile.

use debrief_app::FieldError;
use debrief_app::review::{ReviewView, review_file};
use debrief_core::critique::Kind;

use crate::state::AppState;

/// A text to review, already read from the form or the body.
pub struct ReviewRequest {
    /// The name it came from (`-` when none): its extension helps detect the format.
    pub name: String,
    pub text: String,
    /// Forced kind; detected when `None`.
    pub kind: Option<Kind>,
    /// The user's speaker in a transcript; guessed when `None`.
    pub me: Option<String>,
}

/// Reviews `req` off the async workers; a text that cannot be reviewed is an
/// error on `text`, a `me` that names no speaker an error on `me`.
pub async fn run(state: &AppState, req: ReviewRequest) -> Result<ReviewView, FieldError> {
    let state = state.clone();
    let reviewed = off_the_workers(move || {
        review_file(&req.name, req.text.as_bytes(), req.kind, req.me.as_deref(), state.review_config())
    });
    reviewed.await?.map_err(|e| on_field(e.error))
}

/// Runs CPU-heavy `work` (a review, an apology check) on tokio's blocking
/// threads, so that the async workers go on serving other requests.
pub async fn off_the_workers<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, FieldError> {
    match tokio::task::spawn_blocking(work).await {
        Ok(done) => Ok(done),
        Err(e) => match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(_) => Err(FieldError::new("text", "the server is shutting down: send the text again")),
        },
    }
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
