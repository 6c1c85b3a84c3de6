//! `/api/v1/week` and `/api/v1/trend`: the week review (the same document as
//! `debrief week --json`) and success and conversion per week.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use debrief_app::input::{RawTrend, TrendRequest, WeekRequest};
use debrief_app::views::{TrendView, WeekView};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::cache::{self, Cached};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiQuery, CurrentRep};
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeekParams {
    /// An ISO week like `2026-W47`; the current week when absent.
    #[param(example = "2026-W47")]
    week: Option<String>,
}

/// The review of one week: counts and rates with their intervals, the change
/// verdict, the reasons ranked, repeated mistakes, the focus and its effect.
#[utoipa::path(get, path = "/api/v1/week", tag = "reports", params(WeekParams),
    responses(
        (status = 200, description = "The week review", body = WeekView),
        (status = 400, description = "Unreadable parameters", body = ErrorBody),
        (status = 422, description = "Not a week", body = ErrorBody),
    ))]
pub async fn week(
    State(state): State<AppState>,
    rep: CurrentRep,
    accepts: cache::AcceptsGzip,
    ApiQuery(q): ApiQuery<WeekParams>,
) -> Result<Response, ApiError> {
    let app = state.app();
    let req = WeekRequest::new(q.week.as_deref())?;
    let this_week = app.this_week();
    let week = req.week().unwrap_or(this_week);
    let key = cache::key(&["api-week", rep.name().as_str(), &week.to_string(), &this_week.to_string()]);
    state.cache().through(key, accepts, async { Ok(Cached::json(&app.week(rep.name(), &req).await?)) }).await
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendParams {
    /// How many weeks, 1 to 104 (default 12).
    weeks: Option<u32>,
    /// The last week shown, like `2026-W47`; the current week when absent.
    #[param(example = "2026-W47")]
    last: Option<String>,
}

/// Success rate and new-lead conversion for each of the last weeks.
#[utoipa::path(get, path = "/api/v1/trend", tag = "reports", params(TrendParams),
    responses(
        (status = 200, description = "One row per week, oldest first", body = TrendView),
        (status = 400, description = "Unreadable parameters", body = ErrorBody),
        (status = 422, description = "A wrong parameter", body = ErrorBody),
    ))]
pub async fn trend(
    State(state): State<AppState>,
    rep: CurrentRep,
    ApiQuery(q): ApiQuery<TrendParams>,
) -> Result<Json<TrendView>, ApiError> {
    let req = TrendRequest::new(RawTrend { weeks: q.weeks, last: q.last })?;
    Ok(Json(state.app().trend(rep.name(), &req).await?))
}
