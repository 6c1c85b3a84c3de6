//! `/api/v1/agenda` and `/api/v1/follow-ups`: what is due (overdue first),
//! done, snooze, a follow-up added by hand, and the iCalendar export.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::IntoResponse;
use debrief_app::input::{AddFollowUpRequest, DueRequest, RawAddFollowUp, RawSnooze, SnoozeRequest};
use debrief_app::{AgendaView, AppError, FieldError, FollowUpView};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::ids::RawId;
use crate::error::{ApiError, ErrorBody, field_path};
use crate::extract::{ApiJson, ApiQuery, CurrentRep};
use crate::state::AppState;

/// The file name the iCalendar export is offered under.
pub const ICS_FILE: &str = "debrief-follow-ups.ics";

/// How far ahead the agenda looks.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgendaParams {
    /// Days ahead, 0 (today) to 366; 7 when absent.
    #[param(maximum = 366)]
    days: Option<u32>,
}

/// The agenda: overdue first, then what is due in the next `days` days; the same document as `debrief due --json`.
#[utoipa::path(get, path = "/api/v1/agenda", tag = "follow-ups", params(AgendaParams),
    responses(
        (status = 200, description = "The agenda", body = AgendaView),
        (status = 400, description = "Unreadable parameters", body = ErrorBody),
        (status = 422, description = "Days out of range", body = ErrorBody),
    ))]
pub async fn agenda(
    State(state): State<AppState>,
    rep: CurrentRep,
    ApiQuery(q): ApiQuery<AgendaParams>,
) -> Result<Json<AgendaView>, ApiError> {
    let req = DueRequest::new(q.days)?;
    Ok(Json(state.app().due(rep.name(), &req).await?))
}

/// A follow-up added by hand.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewFollowUpBody {
    /// A client the rep has logged a contact with.
    #[schema(max_length = 200, example = "Acme")]
    client: String,
    /// RFC 3339 (`2026-12-01T09:00:00+01:00`) or `YYYY-MM-DD HH:MM` in the server's time zone.
    #[schema(example = "2026-12-01T09:00:00Z")]
    due: String,
    /// What to do.
    #[schema(max_length = 2000, example = "send the revised quote")]
    note: String,
}

/// Adds a follow-up by hand for a client already logged; the same document as `debrief follow-up --json`.
#[utoipa::path(post, path = "/api/v1/follow-ups", tag = "follow-ups", request_body = NewFollowUpBody,
    responses(
        (status = 201, description = "Added", body = FollowUpView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 404, description = "No contact logged with this client", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "A wrong value", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    rep: CurrentRep,
    ApiJson(body): ApiJson<NewFollowUpBody>,
) -> Result<(StatusCode, Json<FollowUpView>), ApiError> {
    let app = state.app();
    let raw = RawAddFollowUp { client: body.client, at: body.due, note: body.note };
    let req = AddFollowUpRequest::new(raw, &app.context()).map_err(|e| ApiError::from_app(e.into(), due_path))?;
    let view = app.add_follow_up(rep.name(), &req).await.map_err(|e| match e {
        AppError::NotFound(_) => ApiError::from(e).with_field("client"),
        e => ApiError::from(e).or_field("note"),
    })?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// The body names the time a follow-up is due `due`.
fn due_path(e: &FieldError) -> String {
    match e.field {
        "at" => "due".to_string(),
        _ => field_path(e),
    }
}

/// Marks a follow-up done; answers the follow-ups it scheduled next (a chase schedules the next chase),
/// the same document as `debrief done --json`.
#[utoipa::path(post, path = "/api/v1/follow-ups/{id}/done", tag = "follow-ups",
    params(("id" = i64, Path, description = "The follow-up's id")),
    responses(
        (status = 200, description = "Done; the follow-ups scheduled next", body = Vec<FollowUpView>),
        (status = 403, description = "Sent without Origin and without a JSON content type (a possible cross-site form)", body = ErrorBody),
        (status = 404, description = "No such follow-up", body = ErrorBody),
        (status = 422, description = "Already done or cancelled", body = ErrorBody),
    ))]
pub async fn done(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: RawId,
) -> Result<Json<Vec<FollowUpView>>, ApiError> {
    let id = id.parse("follow-up")?;
    Ok(Json(state.app().done(rep.name(), id).await?))
}

/// How long to snooze.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SnoozeBody {
    /// Whole days, 1 to 3650.
    #[schema(minimum = 1, maximum = 3650, example = 2)]
    days: i64,
}

/// Moves a follow-up `days` days later; the same document as `debrief snooze --json`.
#[utoipa::path(post, path = "/api/v1/follow-ups/{id}/snooze", tag = "follow-ups", request_body = SnoozeBody,
    params(("id" = i64, Path, description = "The follow-up's id")),
    responses(
        (status = 200, description = "The follow-up with its new due time", body = FollowUpView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 404, description = "No such follow-up", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "Days out of range, or the follow-up is no longer open", body = ErrorBody),
    ))]
pub async fn snooze(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: RawId,
    ApiJson(body): ApiJson<SnoozeBody>,
) -> Result<Json<FollowUpView>, ApiError> {
    let req = SnoozeRequest::new(RawSnooze { id: id.parse("follow-up")?, days: body.days })?;
    Ok(Json(state.app().snooze(rep.name(), &req).await?))
}

/// The open follow-ups as an iCalendar file (`text/calendar`), for any calendar app.
#[utoipa::path(get, path = "/api/v1/follow-ups.ics", tag = "follow-ups",
    responses((status = 200, description = "An iCalendar file", content_type = "text/calendar", body = String)))]
pub async fn ics(State(state): State<AppState>, rep: CurrentRep) -> Result<impl IntoResponse, ApiError> {
    Ok(ics_response(state.app().follow_ups_ics(rep.name()).await?))
}

/// Everything the rep owns as one versioned document (`debrief-export`,
/// the same as `debrief export --format json`), offered as a download;
/// `debrief import FILE` reads it back into another database.
#[utoipa::path(get, path = "/api/v1/export", tag = "export",
    responses((status = 200, description = "The rep's export", body = debrief_app::export::Export)))]
pub async fn export(State(state): State<AppState>, rep: CurrentRep) -> Result<impl IntoResponse, ApiError> {
    let doc = state.app().export(rep.name()).await?;
    let file = format!("debrief-{}.json", rep.name().as_str().replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    Ok(([(CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\""))], Json(doc)))
}

/// An iCalendar body offered as a download.
pub fn ics_response(text: String) -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"{ICS_FILE}\"")),
        ],
        text,
    )
}
