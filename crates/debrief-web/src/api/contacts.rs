//! `/api/v1/contacts`: create (log), list with filters and paging, get,
//! update, delete.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use debrief_app::views::{ContactListView, ContactView, LogView};
use debrief_app::{App, ContactFilter, ContactPatch, LogRequest, ReasonEntry};
use debrief_core::model::ReasonId;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::params::{ChannelParam, DeletedView, OutcomeParam, nullable};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, ContactId, CurrentRep};
use crate::input::{self, MAX_NAME, MAX_TEXT};
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
}

/// A contact to log.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewContactBody {
    #[schema(max_length = 200, example = "Acme")]
    pub client: String,
    #[schema(inline)]
    pub outcome: OutcomeParam,
    /// RFC 3339 (`2026-11-23T14:30:00+01:00`) or `YYYY-MM-DD HH:MM` in the server's time zone; now when absent.
    #[serde(default)]
    pub at: Option<String>,
    /// `call` when absent.
    #[serde(default)]
    #[schema(inline)]
    pub channel: Option<ChannelParam>,
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
    #[schema(inline)]
    pub outcome: Option<OutcomeParam>,
    #[serde(default)]
    pub at: Option<String>,
    #[serde(default)]
    #[schema(inline)]
    pub channel: Option<ChannelParam>,
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

/// Which contacts to list; every parameter narrows.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// An ISO week like `2026-W47`.
    #[param(example = "2026-W47")]
    week: Option<String>,
    #[param(inline)]
    outcome: Option<OutcomeParam>,
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
    let req = LogRequest {
        rep: rep.name().to_string(),
        client: input::text("client", &body.client, MAX_NAME)?,
        outcome: body.outcome.0,
        at: body.at.as_deref().map(|t| input::at("at", t, app.tz())).transpose()?,
        channel: body.channel.map_or(debrief_core::model::Channel::Call, |c| c.0),
        new_lead: body.new_lead,
        reasons: reasons(app, "reasons", body.reasons).await?,
        external: external(body.external)?,
        better: free_text("better", body.better)?,
        note: free_text("note", body.note)?,
    };
    Ok((StatusCode::CREATED, Json(app.log(req).await?)))
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
    let filter = ContactFilter {
        rep: Some(rep.name().to_string()),
        week: q.week.as_deref().map(|w| input::week("week", w)).transpose()?,
        outcome: q.outcome.map(|o| o.0),
        reason: q.reason.as_deref().map(|r| input::text("reason", r, MAX_NAME)).transpose()?,
        limit: input::limit("limit", q.limit.unwrap_or(50))?,
        offset: q.offset.unwrap_or(0),
    };
    Ok(Json(state.app().list(&filter).await.map_err(|e| ApiError::from(e).or_field("reason"))?))
}

/// One contact with its debrief.
#[utoipa::path(get, path = "/api/v1/contacts/{id}", tag = "contacts",
    params(("id" = i64, Path, description = "The contact's id")),
    responses(
        (status = 200, description = "The contact", body = ContactView),
        (status = 404, description = "No such contact", body = ErrorBody),
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
    let patch = ContactPatch {
        client: body.client.map(|c| input::text("client", &c, MAX_NAME)).transpose()?,
        outcome: body.outcome.map(|o| o.0),
        at: body.at.as_deref().map(|t| input::at("at", t, app.tz())).transpose()?,
        channel: body.channel.map(|c| c.0),
        new_lead: body.new_lead,
        reasons: match body.reasons {
            Some(r) => Some(reasons(app, "reasons", r).await?),
            None => None,
        },
        external: body.external.map(external).transpose()?,
        better: body.better.map(|b| free_text("better", b)).transpose()?,
        note: body.note.map(|n| free_text("note", n)).transpose()?,
    };
    Ok(Json(app.edit(id.0, patch).await?))
}

/// Deletes a contact and its reasons for good.
#[utoipa::path(delete, path = "/api/v1/contacts/{id}", tag = "contacts",
    params(("id" = i64, Path, description = "The contact's id")),
    responses(
        (status = 200, description = "Deleted", body = DeletedView),
        (status = 404, description = "No such contact", body = ErrorBody),
    ))]
pub async fn delete(State(state): State<AppState>, id: ContactId) -> Result<Json<DeletedView>, ApiError> {
    state.app().delete(id.0).await?;
    Ok(Json(DeletedView { deleted: id.0 }))
}

/// Checks each reason's texts; a pinned `reason_id` must exist.
async fn reasons(app: &App, field: &str, bodies: Vec<ReasonBody>) -> Result<Vec<ReasonEntry>, ApiError> {
    let mut entries = Vec::with_capacity(bodies.len());
    for (i, r) in bodies.into_iter().enumerate() {
        let reason = match r.reason_id {
            Some(id) => Some(ReasonId(
                app.resolve_reason(&format!("#{id}"))
                    .await
                    .map_err(|e| ApiError::from(e).with_field(format!("{field}[{i}].reason_id")))?
                    .id
                    .0,
            )),
            None => None,
        };
        entries.push(ReasonEntry {
            text: input::text(&format!("{field}[{i}].text"), &r.text, MAX_NAME)?,
            do_differently: r
                .do_differently
                .map(|d| input::text(&format!("{field}[{i}].do_differently"), &d, MAX_TEXT))
                .transpose()?,
            reason,
            affected_client: r.affected_client,
        });
    }
    Ok(entries)
}

fn external(texts: Vec<String>) -> Result<Vec<ReasonEntry>, ApiError> {
    if texts.len() > 10 {
        return Err(ApiError::invalid("external", format!("{} external reasons given: at most 10", texts.len())));
    }
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| Ok(ReasonEntry::text(input::text(&format!("external[{i}]"), t, MAX_NAME)?)))
        .collect()
}

fn free_text(field: &str, text: Option<String>) -> Result<Option<String>, ApiError> {
    Ok(text.map(|t| input::text(field, &t, MAX_TEXT)).transpose()?)
}
