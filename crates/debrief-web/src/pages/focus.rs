//! The focus: the one reason worked on, or the suggested one; setting it,
//! clearing it, and its measured effect.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;

use super::form::FieldErrors;
use super::log::Vocabulary;
use super::present::FocusBlock;
use super::{Layout, PageError, render, see_other};
use crate::extract::{CurrentRep, FormBody};
use crate::input::{self, FieldError, MAX_NAME};
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
    let typed = form.reason.trim();
    if typed.is_empty() {
        let e = FieldError::new("reason", "name the reason to work on: its label, a way to say it, or #id");
        return page(&state, &rep, form.reason, FieldErrors(vec![e])).await;
    }
    let text = match input::text("reason", typed, MAX_NAME) {
        Ok(t) => t,
        Err(e) => return page(&state, &rep, form.reason, FieldErrors(vec![e])).await,
    };
    match state.app().set_focus(rep.name(), &text).await {
        Ok(_) => Ok(see_other("/focus")),
        Err(e) => page(&state, &rep, form.reason, FieldErrors::from_app(e, &["reason"])?).await,
    }
}

async fn clear(State(state): State<AppState>, rep: CurrentRep) -> Result<Response, PageError> {
    state.app().clear_focus(rep.name()).await?;
    Ok(see_other("/focus"))
}
