//! `/api/v1/contacts`: create (log), list with filters and paging, get,
//! update, delete.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use debrief_app::input::{
    EditRequest, ListRequest, LogRequest, RawEdit, RawList, RawLog, RawReason, RawRefile, RefileRequest,
};
use debrief_app::views::{ContactListView, ContactView, LogView, RefiledView};
use debrief_app::{App, AppError, FieldError};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::params::{ChannelParam, DeletedView, OutcomeParam, nullable};
use crate::error::{ApiError, ErrorBody, field_path};
use crate::extract::{ApiJson, ApiQuery, ContactId, CurrentRep};
use crate::state::AppState;

/// A reason the rep could control, as written.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReasonBody {
    /// The reason in the rep's words; matched to the vocabulary.
    #[schema(max_length = 200, example = "didn't ask about the budget")]
    pub text: String,
    /// "What I'd do differently".
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub do_differently: Option<String>,
    /// Count it under this reason of the vocabulary instead of matching the text.
    #[serde(default)]
    pub reason_id: Option<i64>,
    /// The mistake touched the client: an item to own up to is opened for it.
    #[serde(default)]
    pub affected_client: bool,
    /// Keep the words as a reason of their own instead of matching them.
    #[serde(default)]
    pub own: bool,
}

/// A contact to log.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContactBody {
    #[schema(max_length = 200, example = "Acme")]
    pub client: String,
    #[schema(value_type = OutcomeParam, inline)]
    pub outcome: String,
    /// RFC 3339 (`2026-11-23T14:30:00+01:00`) or `YYYY-MM-DD HH:MM` in the server's time zone; now when absent.
    #[serde(default)]
    pub at: Option<String>,
    /// `call` when absent.
    #[serde(default)]
    #[schema(value_type = Option<ChannelParam>, inline)]
    pub channel: Option<String>,
    /// Whether this is the first contact with a new lead.
    #[serde(default)]
    pub new_lead: bool,
    /// Reasons the rep could control: at most two. A lost contact needs a reason here or in `external`.
    #[serde(default)]
    #[schema(max_items = 2)]
    pub reasons: Vec<ReasonBody>,
    /// Reasons the rep could not control.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub external: Vec<String>,
    /// "What could I have done better?"
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub better: Option<String>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

/// A correction: each field given replaces the stored one; `null` clears `better` and `note`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactPatchBody {
    #[serde(default)]
    #[schema(max_length = 200)]
    pub client: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<OutcomeParam>, inline)]
    pub outcome: Option<String>,
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<ChannelParam>, inline)]
    pub channel: Option<String>,
    #[serde(default)]
    pub new_lead: Option<bool>,
    /// Replaces every controllable reason.
    #[serde(default)]
    #[schema(max_items = 2)]
    pub reasons: Option<Vec<ReasonBody>>,
    /// Replaces every external reason.
    #[serde(default)]
    #[schema(max_items = 10)]
    pub external: Option<Vec<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub better: Option<Option<String>>,
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>, max_length = 2000)]
    pub note: Option<Option<String>>,
}

impl From<ReasonBody> for RawReason {
    fn from(r: ReasonBody) -> RawReason {
        RawReason {
            text: r.text,
            do_differently: r.do_differently,
            reason_id: r.reason_id,
            affected_client: r.affected_client,
            own: r.own,
        }
    }
}

/// Which contacts to list; every parameter narrows.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// An ISO week like `2026-W47`.
    #[param(example = "2026-W47")]
    week: Option<String>,
    #[param(value_type = Option<OutcomeParam>, inline)]
    outcome: Option<String>,
    /// A reason: its label, a way to say it, or `#id`.
    reason: Option<String>,
    /// Contacts per page, 1 to 500 (default 50).
    limit: Option<u32>,
    /// Contacts to skip (default 0).
    offset: Option<u32>,
}

/// Logs a contact with its debrief; answers the same document as `debrief log --json`.
#[utoipa::path(post, path = "/api/v1/contacts", tag = "contacts", request_body = NewContactBody,
    responses(
        (status = 201, description = "Logged, with the next step", body = LogView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 404, description = "A `reason_id` that does not exist", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "A value breaks a rule", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<AppState>,
    rep: CurrentRep,
    ApiJson(body): ApiJson<NewContactBody>,
) -> Result<(StatusCode, Json<LogView>), ApiError> {
    let app = state.app();
    let pinned: Vec<Option<i64>> = body.reasons.iter().map(|r| r.reason_id).collect();
    let raw = RawLog {
        client: body.client,
        outcome: body.outcome,
        at: body.at,
        channel: body.channel,
        new_lead: body.new_lead,
        reasons: body.reasons.into_iter().map(RawReason::from).collect(),
        external: body.external.into_iter().map(RawReason::text).collect(),
        better: body.better,
        note: body.note,
        affected_client: false,
    };
    let req = LogRequest::new(raw, &app.context()).map_err(|e| ApiError::from_app(e.into(), body_path))?;
    match app.log(rep.name(), req).await {
        Ok(view) => Ok((StatusCode::CREATED, Json(view))),
        Err(e) => Err(on_pinned(&app, e, &pinned).await),
    }
}

/// Lists contacts, newest first; the same document as `debrief list --json`.
#[utoipa::path(get, path = "/api/v1/contacts", tag = "contacts", params(ListParams),
    responses(
        (status = 200, description = "One page of contacts", body = ContactListView),
        (status = 400, description = "Unreadable parameters", body = ErrorBody),
        (status = 404, description = "A reason that matches nothing", body = ErrorBody),
        (status = 422, description = "A wrong parameter", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<AppState>,
    rep: CurrentRep,
    ApiQuery(q): ApiQuery<ListParams>,
) -> Result<Json<ContactListView>, ApiError> {
    let raw = RawList { week: q.week, outcome: q.outcome, reason: q.reason, limit: q.limit, offset: q.offset };
    let filter = ListRequest::new(raw)?;
    Ok(Json(state.app().list(rep.name(), &filter).await.map_err(|e| ApiError::from(e).or_field("reason"))?))
}

/// One contact with its debrief.
#[utoipa::path(get, path = "/api/v1/contacts/{id}", tag = "contacts",
    params(("id" = i64, Path, description = "The contact's id")),
    responses(
        (status = 200, description = "The contact", body = ContactView),
        (status = 404, description = "No such contact", body = ErrorBody),
        (status = 422, description = "Not an id (ids are whole numbers from 1)", body = ErrorBody),
    ))]
pub async fn get(State(state): State<AppState>, id: ContactId) -> Result<Json<ContactView>, ApiError> {
    Ok(Json(state.app().show(id.0).await?))
}

/// Corrects a contact; the whole debrief is checked again before anything is written.
#[utoipa::path(patch, path = "/api/v1/contacts/{id}", tag = "contacts", request_body = ContactPatchBody,
    params(("id" = i64, Path, description = "The contact's id")),
    responses(
        (status = 200, description = "The corrected contact", body = ContactView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 404, description = "No such contact or reason", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "A value breaks a rule", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<AppState>,
    id: ContactId,
    ApiJson(body): ApiJson<ContactPatchBody>,
) -> Result<Json<ContactView>, ApiError> {
    let app = state.app();
    let pinned: Vec<Option<i64>> = body.reasons.iter().flatten().map(|r| r.reason_id).collect();
    let raw = RawEdit {
        id: id.0,
        client: body.client,
        outcome: body.outcome,
        at: body.at,
        channel: body.channel,
        new_lead: body.new_lead,
        reasons: body.reasons.map(|r| r.into_iter().map(RawReason::from).collect()),
        external: body.external.map(|e| e.into_iter().map(RawReason::text).collect()),
        clear_reasons: false,
        better: body.better,
        note: body.note,
        affected_client: false,
    };
    let patch = EditRequest::new(raw, &app.context()).map_err(|e| ApiError::from_app(e.into(), body_path))?;
    match app.edit(patch).await {
        Ok(view) => Ok(Json(view)),
        Err(e) => Err(on_pinned(&app, e, &pinned).await),
    }
}

/// Where a reason written on a contact should count: exactly one of `as`, `new`, `external`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefileBody {
    /// The reason as written on the contact.
    #[schema(max_length = 200, example = "the client simply had no money")]
    pub text: String,
    /// The reason it should count under: its label, a way to say it, or `#id`.
    #[serde(default, rename = "as")]
    #[schema(max_length = 200, example = "#7")]
    pub as_reason: Option<String>,
    /// Keep the words as a reason of their own.
    #[serde(default)]
    pub new: bool,
    /// It was outside the rep's control.
    #[serde(default)]
    pub external: bool,
}

/// Counts a reason written on a contact elsewhere: under another reason, as
/// a reason of its own, or as outside the rep's control. The text stays as
/// written; re-filing to `undo_as` puts it back.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/refile", tag = "contacts", request_body = RefileBody,
    params(("id" = i64, Path, description = "The contact's id")),
    responses(
        (status = 200, description = "Re-filed", body = RefiledView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 404, description = "No such contact", body = ErrorBody),
        (status = 409, description = "The words are the label of a reason of the other side", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "A wrong value, a reason that matches nothing, or already counted there", body = ErrorBody),
    ))]
pub async fn refile(
    State(state): State<AppState>,
    id: ContactId,
    ApiJson(body): ApiJson<RefileBody>,
) -> Result<Json<RefiledView>, ApiError> {
    let raw =
        RawRefile { contact: id.0, text: body.text, as_reason: body.as_reason, new: body.new, external: body.external };
    let req = RefileRequest::new(raw)?;
    Ok(Json(state.app().refile(&req).await?))
}

/// Deletes a contact and its reasons for good.
#[utoipa::path(delete, path = "/api/v1/contacts/{id}", tag = "contacts",
    params(("id" = i64, Path, description = "The contact's id")),
    responses(
        (status = 200, description = "Deleted", body = DeletedView),
        (status = 404, description = "No such contact", body = ErrorBody),
        (status = 422, description = "Not an id (ids are whole numbers from 1)", body = ErrorBody),
    ))]
pub async fn delete(State(state): State<AppState>, id: ContactId) -> Result<Json<DeletedView>, ApiError> {
    state.app().delete(id.0).await?;
    Ok(Json(DeletedView { deleted: id.0 }))
}

/// An error of a contact's write; a reason pinned by `reason_id` that does
/// not exist is named by its place in the body (the application's
/// not-found names no field).
async fn on_pinned(app: &App, e: AppError, pinned: &[Option<i64>]) -> ApiError {
    let AppError::NotFound(_) = e else {
        return ApiError::from_app(e, body_path);
    };
    for (i, id) in pinned.iter().enumerate() {
        if let Some(id) = id
            && app.resolve_reason(&format!("#{id}")).await.is_err()
        {
            return ApiError::from(e).with_field(format!("reasons[{i}].reason_id"));
        }
    }
    ApiError::from(e)
}

/// A field of a contact's body as its JSON path: a reason's text is
/// `reasons[1].text`, what the rep would do differently `reasons[1].do_differently`.
fn body_path(e: &FieldError) -> String {
    match (e.field, e.index) {
        ("reasons", Some(i)) => format!("reasons[{i}].text"),
        ("do_differently", Some(i)) => format!("reasons[{i}].do_differently"),
        ("reason_id", Some(i)) => format!("reasons[{i}].reason_id"),
        _ => field_path(e),
    }
}
