//! The focus: the one reason worked on, or the suggested one; setting it,
//! clearing it, and its measured effect.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use debrief_app::input::FocusSetRequest;
use serde::Deserialize;

use super::errors::{FieldErrors, same_name};
use super::log::Vocabulary;
use super::present::FocusBlock;
use super::{Layout, PageError, render, see_other};
use crate::extract::{CurrentRep, FormBody};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/focus", get(show).post(set)).route("/focus/clear", post(clear))
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct FocusForm {
    reason: String,
}

#[derive(Template)]
#[template(path = "focus.html")]
struct FocusPage {
    layout: Layout,
    focus: Option<FocusBlock>,
    reason: String,
    errors: FieldErrors,
    reasons: Vec<String>,
}

async fn page(state: &AppState, rep: &CurrentRep, reason: String, errors: FieldErrors) -> Result<Response, PageError> {
    let focus = state.app().focus(rep.name()).await?;
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = FocusPage {
        layout: Layout::new("Focus", "/focus", rep),
        focus: focus.as_ref().map(FocusBlock::new),
        reason,
        errors,
        reasons: Vocabulary::load(state).await?.controllable,
    };
    Ok(render(status, &page))
}

async fn show(State(state): State<AppState>, rep: CurrentRep) -> Result<Response, PageError> {
    page(&state, &rep, String::new(), FieldErrors::default()).await
}

async fn set(
    State(state): State<AppState>,
    rep: CurrentRep,
    FormBody(form): FormBody<FocusForm>,
) -> Result<Response, PageError> {
    let set = match FocusSetRequest::new(&form.reason) {
        Ok(req) => state.app().set_focus(rep.name(), &req).await.map(drop),
        Err(e) => Err(e.into()),
    };
    match set {
        Ok(()) => Ok(see_other("/focus")),
        Err(e) => page(&state, &rep, form.reason, FieldErrors::from_app(e, same_name, "reason")?).await,
    }
}

async fn clear(State(state): State<AppState>, rep: CurrentRep) -> Result<Response, PageError> {
    state.app().clear_focus(rep.name()).await?;
    Ok(see_other("/focus"))
}
