//! `/api/v1/today`: the daily question, "what could I have done better
//! today?", with the streak, the habit strength and the 30-day strip.

use axum::Json;
use axum::extract::State;
use debrief_app::DailyView;
use debrief_app::input::{DailyRequest, RawDaily};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, CurrentRep};
use crate::state::AppState;

/// Today's habit: the entry if there is one, streak, strength and strip; the same document as `debrief today --json`.
#[utoipa::path(get, path = "/api/v1/today", tag = "today",
    responses((status = 200, description = "The habit as it stands", body = DailyView)))]
pub async fn get(State(state): State<AppState>, rep: CurrentRep) -> Result<Json<DailyView>, ApiError> {
    Ok(Json(state.app().daily(rep.name()).await?))
}

/// Today's answer: the things to do better, or `nothing: true`. Exactly one of them.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TodayBody {
    /// One thing per item.
    #[serde(default)]
    #[schema(max_items = 20, example = json!(["ask for the budget before the demo"]))]
    items: Option<Vec<String>>,
    /// "Nothing to improve today".
    #[serde(default)]
    nothing: Option<bool>,
}

/// Saves (or replaces) today's answer.
#[utoipa::path(put, path = "/api/v1/today", tag = "today", request_body = TodayBody,
    responses(
        (status = 200, description = "Saved; the habit as it now stands", body = DailyView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "Neither or both of `items` and `nothing`, or a wrong item", body = ErrorBody),
    ))]
pub async fn put(
    State(state): State<AppState>,
    rep: CurrentRep,
    ApiJson(body): ApiJson<TodayBody>,
) -> Result<Json<DailyView>, ApiError> {
    let raw = RawDaily {
        items: body.items.unwrap_or_default(),
        nothing: body.nothing.unwrap_or(false),
        ..RawDaily::default()
    };
    let answer = DailyRequest::new(raw)?;
    let view = state.app().today(rep.name(), &answer).await.map_err(|e| ApiError::from(e).or_field("items"))?;
    Ok(Json(view))
}
