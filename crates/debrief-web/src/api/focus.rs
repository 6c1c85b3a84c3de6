//! `/api/v1/focus`: the focus (set or suggested) with its measured effect;
//! setting and clearing it.

use axum::Json;
use axum::extract::State;
use debrief_app::input::FocusSetRequest;
use debrief_app::views::FocusView;
use serde::Deserialize;
use utoipa::ToSchema;

use super::params::{ClearedView, FocusStateView};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, CurrentRep};
use crate::state::AppState;

/// The focus set (with its effect) or suggested; `null` when there is nothing to suggest.
#[utoipa::path(get, path = "/api/v1/focus", tag = "focus",
    responses((status = 200, description = "The focus", body = FocusStateView)))]
pub async fn get(State(state): State<AppState>, rep: CurrentRep) -> Result<Json<FocusStateView>, ApiError> {
    Ok(Json(FocusStateView { focus: state.app().focus(rep.name()).await? }))
}

/// The reason to focus on.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetFocusBody {
    /// A controllable reason: its label, a way to say it, or `#id`.
    #[schema(max_length = 200, example = "#7")]
    reason: String,
}

/// Makes a controllable reason the rep's focus.
#[utoipa::path(put, path = "/api/v1/focus", tag = "focus", request_body = SetFocusBody,
    responses(
        (status = 200, description = "The new focus", body = FocusView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 404, description = "A reason that matches nothing", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "Not a controllable reason, or a wrong value", body = ErrorBody),
    ))]
pub async fn set(
    State(state): State<AppState>,
    rep: CurrentRep,
    ApiJson(body): ApiJson<SetFocusBody>,
) -> Result<Json<FocusView>, ApiError> {
    let req = FocusSetRequest::new(&body.reason)?;
    let view = state.app().set_focus(rep.name(), &req).await.map_err(|e| ApiError::from(e).or_field("reason"))?;
    Ok(Json(view))
}

/// Ends the rep's focus.
#[utoipa::path(delete, path = "/api/v1/focus", tag = "focus",
    responses(
        (status = 200, description = "Cleared", body = ClearedView),
        (status = 404, description = "No focus is set", body = ErrorBody),
    ))]
pub async fn clear(State(state): State<AppState>, rep: CurrentRep) -> Result<Json<ClearedView>, ApiError> {
    state.app().clear_focus(rep.name()).await?;
    Ok(Json(ClearedView { cleared: true }))
}
