//! `/api/v1/own`, `/api/v1/mishaps` and `/api/v1/apology`: owning up to
//! mistakes that touched a client, recovering from mishaps, and checking an
//! apology for excuses.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use debrief_app::input::{
    ApologyRequest, MishapStepRequest, OpenMishapRequest, OwnCommitRequest, OwnUpRequest, RawMishapStep, RawOpenMishap,
    RawOwnCommit, RawOwnUp,
};
use debrief_app::{ApologyView, AppError, FieldError, OwnListView, OwnershipView, RecoveryView};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::ids::{HowParam, MishapKindParam, RawId, StepParam};
use crate::error::{ApiError, ErrorBody, field_path};
use crate::extract::{ApiJson, ApiQuery, CurrentRep};
use crate::state::AppState;

/// The mistakes not yet committed on, oldest first; the same document as `debrief own --json`.
#[utoipa::path(get, path = "/api/v1/own", tag = "own",
    responses((status = 200, description = "The open items", body = OwnListView)))]
pub async fn list(State(state): State<AppState>, rep: CurrentRep) -> Result<Json<OwnListView>, ApiError> {
    Ok(Json(state.app().own_list(rep.name()).await?))
}

/// How the mistake was owned with the client.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnedBody {
    #[schema(value_type = HowParam, inline)]
    how: String,
    /// What was said to the client.
    #[schema(max_length = 2000, example = "I sent the wrong price list; the right one is attached.")]
    said: String,
}

/// Records that the rep owned the mistake with the client.
#[utoipa::path(post, path = "/api/v1/own/{id}/owned", tag = "own", request_body = OwnedBody,
    params(("id" = i64, Path, description = "The ownership item's id")),
    responses(
        (status = 200, description = "The item, owned", body = OwnershipView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 404, description = "No such item", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "A wrong value, or the item is already owned", body = ErrorBody),
    ))]
pub async fn owned(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: RawId,
    ApiJson(body): ApiJson<OwnedBody>,
) -> Result<Json<OwnershipView>, ApiError> {
    let req = OwnUpRequest::new(RawOwnUp { id: id.parse("ownership item")?, how: body.how, said: body.said })?;
    Ok(Json(state.app().own_up(rep.name(), &req).await.map_err(|e| on_field(e, "said"))?))
}

/// What will be different from now on.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CommitBody {
    #[schema(max_length = 2000, example = "I check the price list date before sending")]
    text: String,
}

/// Records what will be different from now on.
#[utoipa::path(post, path = "/api/v1/own/{id}/commit", tag = "own", request_body = CommitBody,
    params(("id" = i64, Path, description = "The ownership item's id")),
    responses(
        (status = 200, description = "The item, committed", body = OwnershipView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 404, description = "No such item", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "A wrong value, or the item is not owned yet", body = ErrorBody),
    ))]
pub async fn commit(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: RawId,
    ApiJson(body): ApiJson<CommitBody>,
) -> Result<Json<OwnershipView>, ApiError> {
    let raw = RawOwnCommit { id: id.parse("ownership item")?, text: body.text };
    let req = OwnCommitRequest::new(raw).map_err(|e| ApiError::from_app(e.into(), commit_path))?;
    Ok(Json(state.app().own_commit(rep.name(), &req).await.map_err(|e| on_field(e, "text"))?))
}

/// Which recoveries to list.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MishapParams {
    /// Resolved ones too (default false: open ones only).
    all: Option<bool>,
}

/// The rep's recoveries with their checklists; the same document as `debrief mishap --json`.
#[utoipa::path(get, path = "/api/v1/mishaps", tag = "mishaps", params(MishapParams),
    responses(
        (status = 200, description = "The recoveries", body = Vec<RecoveryView>),
        (status = 400, description = "Unreadable parameters", body = ErrorBody),
        (status = 422, description = "A wrong parameter", body = ErrorBody),
    ))]
pub async fn mishaps(
    State(state): State<AppState>,
    rep: CurrentRep,
    ApiQuery(q): ApiQuery<MishapParams>,
) -> Result<Json<Vec<RecoveryView>>, ApiError> {
    Ok(Json(state.app().mishaps(rep.name(), q.all.unwrap_or(false)).await?))
}

/// A mishap with a client.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMishapBody {
    #[schema(max_length = 200, example = "Acme")]
    client: String,
    #[schema(value_type = MishapKindParam, inline)]
    kind: String,
    /// What happened.
    #[schema(max_length = 2000, example = "the demo server was down")]
    what: String,
}

/// Opens a recovery and schedules the first update to the client.
#[utoipa::path(post, path = "/api/v1/mishaps", tag = "mishaps", request_body = NewMishapBody,
    responses(
        (status = 201, description = "The recovery with its checklist", body = RecoveryView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "A wrong value", body = ErrorBody),
    ))]
pub async fn open(
    State(state): State<AppState>,
    rep: CurrentRep,
    ApiJson(body): ApiJson<NewMishapBody>,
) -> Result<(StatusCode, Json<RecoveryView>), ApiError> {
    let req = OpenMishapRequest::new(RawOpenMishap { client: body.client, kind: body.kind, what: body.what })?;
    let view = state.app().open_mishap(rep.name(), &req).await.map_err(|e| on_field(e, "what"))?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// A step of the recovery checklist.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepBody {
    #[schema(value_type = StepParam, inline)]
    step: String,
    /// What was done or said.
    #[serde(default)]
    #[schema(max_length = 2000)]
    text: Option<String>,
    /// What the client said.
    #[serde(default)]
    #[schema(max_length = 2000)]
    client_said: Option<String>,
}

/// Records a step of a recovery; `warnings` says what is worth knowing about it
/// (out of order, excuses found, told after the fact).
#[utoipa::path(post, path = "/api/v1/mishaps/{id}/steps", tag = "mishaps", request_body = StepBody,
    params(("id" = i64, Path, description = "The recovery's id")),
    responses(
        (status = 200, description = "The recovery with the step and its warnings", body = RecoveryView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 404, description = "No such recovery", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "A wrong value, or the recovery is resolved", body = ErrorBody),
    ))]
pub async fn step(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: RawId,
    ApiJson(body): ApiJson<StepBody>,
) -> Result<Json<RecoveryView>, ApiError> {
    let raw =
        RawMishapStep { id: id.parse("recovery")?, step: body.step, text: body.text, client_said: body.client_said };
    let req = MishapStepRequest::new(raw)?;
    let view = state.app().mishap_step(rep.name(), &req).await.map_err(|e| on_field(e, "step"))?;
    Ok(Json(view))
}

/// A draft apology or plan.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApologyBody {
    #[schema(max_length = 2000, example = "Sorry, but the system was down.")]
    text: String,
}

/// Checks a draft apology or plan for excuses before it is sent; the same document as `debrief apology --json`.
#[utoipa::path(post, path = "/api/v1/apology", tag = "mishaps", request_body = ApologyBody,
    responses(
        (status = 200, description = "The verdict and what was found", body = ApologyView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "An empty or too long text", body = ErrorBody),
    ))]
pub async fn apology(ApiJson(body): ApiJson<ApologyBody>) -> Result<Json<ApologyView>, ApiError> {
    let req = ApologyRequest::new(&body.text)?;
    let checked = crate::review::off_the_workers(move || debrief_app::check_apology(&req)).await?;
    Ok(Json(checked.map_err(|e| ApiError::from(e).or_field("text"))?))
}

/// A refusal of the request placed on `field`; other errors stay as they are.
fn on_field(e: AppError, field: &str) -> ApiError {
    match e {
        AppError::Rejected(_) => ApiError::from(e).with_field(field),
        e => ApiError::from(e),
    }
}

/// The body names the commitment `text`.
fn commit_path(e: &FieldError) -> String {
    match e.field {
        "commitment" => "text".to_string(),
        _ => field_path(e),
    }
}
