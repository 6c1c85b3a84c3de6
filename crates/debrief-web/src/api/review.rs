//! `/api/v1/review`: an outgoing e-mail or a call transcript reviewed like a
//! linter would (findings with line and column, classified sentences, a
//! score); the same document as `debrief review --json` gives per file.

use axum::Json;
use axum::extract::State;
use debrief_app::review::ReviewView;
use debrief_core::critique::Kind;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::review::{self, ReviewRequest};
use crate::state::AppState;

/// What the text is; detected when absent or `null`.
#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = ReviewKind)]
pub enum KindParam {
    /// An outgoing e-mail or message (plain text with an optional `Subject:` line, or a whole .eml).
    Message,
    /// A call: WebVTT, SRT or `Speaker: text` lines.
    Transcript,
}

impl From<KindParam> for Kind {
    fn from(k: KindParam) -> Kind {
        match k {
            KindParam::Message => Kind::Message,
            KindParam::Transcript => Kind::Transcript,
        }
    }
}

/// A text to review.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewBody {
    /// The e-mail or the transcript, as text (the whole body is at most 64 KiB).
    #[schema(example = "Subject: Your Q3 numbers\n\nHi Dana, you can cut close time by a week. Can we talk Tuesday?")]
    pub text: String,
    #[serde(default)]
    pub kind: Option<KindParam>,
    /// Which speaker of a transcript is you; guessed when absent, `null` or blank.
    #[serde(default)]
    #[schema(max_length = 200, example = "Sam")]
    pub me: Option<String>,
    /// The file name the text came from: its extension (`.eml`, `.vtt`, `.srt`) helps
    /// detect the format. Answered back as `file`; `-` when absent.
    #[serde(default)]
    #[schema(max_length = 200, example = "call.vtt")]
    pub name: Option<String>,
}

/// Reviews an e-mail or a call transcript: the score with its parts, findings
/// at line and column, each sentence classed as benefit, feature or neither.
#[utoipa::path(post, path = "/api/v1/review", tag = "review", request_body = ReviewBody,
    responses(
        (status = 200, description = "The review", body = ReviewView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "A text that cannot be reviewed (empty, no speakers, …) or a wrong field", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ReviewBody>,
) -> Result<Json<ReviewView>, ApiError> {
    let me = match body.me.as_deref().filter(|me| !me.trim().is_empty()) {
        Some(me) => Some(debrief_app::input::name("me", "speaker", me)?),
        None => None,
    };
    let name = match body.name.as_deref() {
        Some(name) => debrief_app::input::name("name", "file name", name)?,
        None => "-".to_string(),
    };
    let req = ReviewRequest { name, text: body.text, kind: body.kind.map(Kind::from), me };
    Ok(Json(review::run(&state, req).await?))
}
