//! `/api/v1/reasons`: the ranking over a window, the vocabulary, suggestions
//! while typing, merge and rename.

use axum::Json;
use axum::extract::State;
use debrief_app::input::{
    MergeRequest, RawMerge, RawRename, RawSuggest, ReasonsRequest, RenameRequest, SuggestRequest,
};
use debrief_app::views::{ReasonsView, SuggestionView, VocabularyEntryView};
use debrief_app::{App, AppError};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::params::{MergedView, RenamedView};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiQuery, CurrentRep};
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RankParams {
    /// The window, in weeks ending with the current one: 1 to 104 (default 4).
    weeks: Option<u32>,
}

/// Reasons ranked by the lost contacts they appear in over a window of weeks.
#[utoipa::path(get, path = "/api/v1/reasons", tag = "reasons", params(RankParams),
    responses(
        (status = 200, description = "The ranking", body = ReasonsView),
        (status = 400, description = "Unreadable parameters", body = ErrorBody),
        (status = 422, description = "A wrong parameter", body = ErrorBody),
    ))]
pub async fn ranked(
    State(state): State<AppState>,
    rep: CurrentRep,
    ApiQuery(q): ApiQuery<RankParams>,
) -> Result<Json<ReasonsView>, ApiError> {
    let req = ReasonsRequest::new(q.weeks)?;
    Ok(Json(state.app().reasons(rep.name(), &req).await?))
}

/// Every reason of the vocabulary with the ways it has been written.
#[utoipa::path(get, path = "/api/v1/reasons/vocabulary", tag = "reasons",
    responses((status = 200, description = "The vocabulary", body = Vec<VocabularyEntryView>)))]
pub async fn vocabulary(State(state): State<AppState>) -> Result<Json<Vec<VocabularyEntryView>>, ApiError> {
    Ok(Json(state.app().vocabulary().await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Controllable,
    External,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestParams {
    /// What the rep has typed so far.
    text: String,
    /// Only reasons of this kind.
    #[param(inline)]
    kind: Option<Kind>,
    /// At most this many, 1 to 20 (default 5).
    limit: Option<u32>,
}

/// Reasons of the vocabulary like `text`, best first, with how often each occurred this week.
#[utoipa::path(get, path = "/api/v1/reasons/suggest", tag = "reasons", params(SuggestParams),
    responses(
        (status = 200, description = "Suggestions, best first", body = Vec<SuggestionView>),
        (status = 400, description = "Unreadable or missing parameters", body = ErrorBody),
        (status = 422, description = "A wrong parameter", body = ErrorBody),
    ))]
pub async fn suggest(
    State(state): State<AppState>,
    rep: CurrentRep,
    ApiQuery(q): ApiQuery<SuggestParams>,
) -> Result<Json<Vec<SuggestionView>>, ApiError> {
    let controllable = q.kind.map(|k| matches!(k, Kind::Controllable));
    let req = SuggestRequest::new(RawSuggest { text: q.text, controllable, limit: q.limit })?;
    Ok(Json(state.app().suggest(rep.name(), &req).await?))
}

/// Two reasons to count as one.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeBody {
    /// The reason merged away: its label, a way to say it, or `#id`.
    #[schema(max_length = 200, example = "#12")]
    from: String,
    /// The reason it will count under.
    #[schema(max_length = 200, example = "#7")]
    into: String,
}

/// Counts every use of `from` under `into`; every text stays as written.
#[utoipa::path(post, path = "/api/v1/reasons/merge", tag = "reasons", request_body = MergeBody,
    responses(
        (status = 200, description = "Merged", body = MergedView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 404, description = "A reason that matches nothing", body = ErrorBody),
        (status = 409, description = "The store refused the merge", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "Already the same reason, or a wrong value", body = ErrorBody),
    ))]
pub async fn merge(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<MergeBody>,
) -> Result<Json<MergedView>, ApiError> {
    let app = state.app();
    let req = MergeRequest::new(RawMerge { from: body.from.clone(), into: body.into })?;
    match app.merge_reasons(&req).await {
        Ok((from, into)) => Ok(Json(MergedView { merged: from.label, into: into.label, id: into.id.0 })),
        Err(e @ AppError::NotFound(_)) => Err(ApiError::from(e).with_field(missing_side(&app, &body.from).await)),
        Err(e) => Err(ApiError::from(e).or_field("into")),
    }
}

/// A reason and its new label.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RenameBody {
    /// The reason: its label, a way to say it, or `#id`.
    #[schema(max_length = 200, example = "#12")]
    reason: String,
    /// The new label.
    #[schema(max_length = 200, example = "Didn't ask about the budget")]
    label: String,
}

/// Gives a reason a clearer label; the old one still matches.
#[utoipa::path(post, path = "/api/v1/reasons/rename", tag = "reasons", request_body = RenameBody,
    responses(
        (status = 200, description = "Renamed", body = RenamedView),
        (status = 400, description = "Not JSON", body = ErrorBody),
        (status = 404, description = "A reason that matches nothing", body = ErrorBody),
        (status = 409, description = "Another reason has that label", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Not sent as JSON", body = ErrorBody),
        (status = 422, description = "A wrong value", body = ErrorBody),
    ))]
pub async fn rename(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<RenameBody>,
) -> Result<Json<RenamedView>, ApiError> {
    let req = RenameRequest::new(RawRename { reason: body.reason, label: body.label })?;
    let renamed = state.app().rename_reason(&req).await.map_err(|e| match e {
        AppError::NotFound(_) => ApiError::from(e).with_field("reason"),
        e => ApiError::from(e).or_field("label"),
    })?;
    Ok(Json(RenamedView { id: renamed.id.0, reason: renamed.label }))
}

/// Which reason of a refused merge matches nothing: `from` when the reason to
/// merge away does not, else `into` (the application's not-found names no field).
pub async fn missing_side(app: &App, from: &str) -> &'static str {
    if app.resolve_reason(from).await.is_err() { "from" } else { "into" }
}
