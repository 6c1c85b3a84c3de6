//! `/api/v1/zone`: the rep's time zone, in which the rep's weeks and days
//! are counted whoever looks; setting it.

use axum::Json;
use axum::extract::State;
use debrief_app::ZoneView;
use debrief_app::input::ZoneRequest;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, CurrentRep};
use crate::state::AppState;

/// The rep's time zone.
#[utoipa::path(get, path = "/api/v1/zone", tag = "reports",
    responses((status = 200, description = "The rep's time zone", body = ZoneView)))]
pub async fn get(State(state): State<AppState>, rep: CurrentRep) -> Result<Json<ZoneView>, ApiError> {
    Ok(Json(state.app().zone(rep.name()).await?))
}

/// A time zone to set.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ZoneBody {
    /// An IANA name.
    #[schema(max_length = 200, example = "Europe/Berlin")]
    tz: String,
}

/// Sets the rep's time zone: weeks and days are counted in it from now on.
#[utoipa::path(put, path = "/api/v1/zone", tag = "reports", request_body = ZoneBody,
    responses(
        (status = 200, description = "The rep's new time zone", body = ZoneView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "Not a time zone", body = ErrorBody),
    ))]
pub async fn set(
    State(state): State<AppState>,
    rep: CurrentRep,
    ApiJson(body): ApiJson<ZoneBody>,
) -> Result<Json<ZoneView>, ApiError> {
    let req = ZoneRequest::new(&body.tz)?;
    let app = state.app();
    let view = app.set_zone(rep.name(), &req).await?;
    state.replace_app(app.for_rep(rep.name()).await?);
    Ok(Json(view))
}
