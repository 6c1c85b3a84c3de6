//! `/api/v1/triage`: lost contacts imported from a CRM, waiting for their
//! reason, and filing one; the same documents as `debrief triage --json`.

use axum::Json;
use axum::extract::State;
use debrief_app::triage::{TriageRequest, TriageTarget, TriageView, TriagedView};
use serde::Deserialize;
use utoipa::ToSchema;

use super::ids::RawId;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, CurrentRep};
use crate::state::AppState;

/// The rep's lost contacts waiting for their reason, newest first, each with
/// what the CRM's words read as.
#[utoipa::path(get, path = "/api/v1/triage", tag = "triage",
    responses((status = 200, description = "The contacts waiting", body = TriageView)))]
pub async fn list(State(state): State<AppState>, rep: CurrentRep) -> Result<Json<TriageView>, ApiError> {
    Ok(Json(state.app().triage(rep.name()).await?))
}

/// Where a waiting contact's reason counts.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileBody {
    /// `suggested` (what the words read as), `reason` (the one named in
    /// `reason`), `mine` (the words as a mistake of the rep's) or `theirs`
    /// (the words as outside the rep's control).
    #[schema(example = "suggested")]
    to: String,
    /// With `to: reason`: a label, a way to say it, or `#id`.
    #[serde(default)]
    reason: Option<String>,
    /// The rep's own words instead of the CRM's.
    #[serde(default)]
    #[schema(max_length = 2000)]
    text: Option<String>,
    /// What the rep would do differently (a reason of their own).
    #[serde(default)]
    #[schema(max_length = 2000)]
    do_differently: Option<String>,
}

/// Files the reason of one waiting contact.
#[utoipa::path(post, path = "/api/v1/triage/{id}", tag = "triage", request_body = FileBody,
    params(("id" = i64, Path, description = "The contact's id")),
    responses(
        (status = 200, description = "Filed", body = TriagedView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 404, description = "No such contact waiting", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "A wrong value", body = ErrorBody),
    ))]
pub async fn file(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: RawId,
    ApiJson(body): ApiJson<FileBody>,
) -> Result<Json<TriagedView>, ApiError> {
    let target = TriageTarget::named(&body.to, body.reason).map_err(debrief_app::AppError::from)?;
    let req = TriageRequest::new(id.parse("contact")?, target, body.text.as_deref(), body.do_differently.as_deref())?;
    Ok(Json(state.app().triage_file(rep.name(), &req).await?))
}
