//! `/api/v1/today`: the daily question, "what could I have done better
//! today?", with the streak, the habit strength and the 30-day strip.

use axum::Json;
use axum::extract::State;
use debrief_app::{DailyAnswer, DailyView};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, CurrentRep};
use crate::input::{self, MAX_TEXT};
use crate::state::AppState;

/// Most items one answer may hold.
pub const MAX_ITEMS: usize = 20;

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
        (status = 422, description = "Neither or both of `items` and `nothing`, or a blank item", body = ErrorBody),
    ))]
pub async fn put(
    State(state): State<AppState>,
    rep: CurrentRep,
    ApiJson(body): ApiJson<TodayBody>,
) -> Result<Json<DailyView>, ApiError> {
    let answer = match (body.items, body.nothing.unwrap_or(false)) {
        (Some(_), true) => {
            return Err(ApiError::invalid("nothing", "give either items or nothing: true, not both"));
        }
        (Some(items), false) => DailyAnswer::Items(items_of("items", &items)?),
        (None, true) => DailyAnswer::NothingToImprove,
        (None, false) => {
            return Err(ApiError::invalid(
                "items",
                "say what you could have done better today as items, or send nothing: true",
            ));
        }
    };
    let view = state.app().today(rep.name(), answer, None).await.map_err(|e| super::own::with_field(e, "items"))?;
    Ok(Json(view))
}

/// The items checked: at most [`MAX_ITEMS`], each a bounded text.
pub fn items_of(field: &str, items: &[String]) -> Result<Vec<String>, ApiError> {
    if items.len() > MAX_ITEMS {
        return Err(ApiError::invalid(field, format!("{} items is too many: at most {MAX_ITEMS}", items.len())));
    }
    items.iter().enumerate().map(|(i, t)| Ok(input::text(&format!("{field}[{i}]"), t, MAX_TEXT)?)).collect()
}
