//! The daily question, "what could I have done better today?": one item per
//! line, or "nothing to improve today"; the streak, the habit strength and
//! the 30-day strip.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use debrief_app::{DailyAnswer, DailyView};
use serde::Deserialize;

use super::form::FieldErrors;
use super::present::percent;
use super::strip::Strip;
use super::{Layout, PageError, render};
use crate::api::daily::MAX_ITEMS;
use crate::extract::{CurrentRep, FormBody};
use crate::input::{FieldError, MAX_TEXT};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/today", get(show).post(save))
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct TodayForm {
    items: String,
    /// Set by the "Nothing to improve today" button.
    nothing: String,
}

#[derive(Template)]
#[template(path = "today.html")]
struct TodayPage {
    layout: Layout,
    view: DailyView,
    strength: String,
    strip: Strip,
    items: String,
    errors: FieldErrors,
    saved: bool,
}

async fn page(
    state: &AppState,
    rep: &CurrentRep,
    view: Option<DailyView>,
    items: Option<String>,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let saved = view.is_some();
    let view = match view {
        Some(v) => v,
        None => state.app().daily(rep.name()).await?,
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = TodayPage {
        layout: Layout::new("Today", "/today", rep),
        strength: percent(view.strength),
        strip: Strip::new(&view.strip),
        items: items.unwrap_or_else(|| view.items.join("\n")),
        view,
        errors,
        saved,
    };
    Ok(render(status, &page))
}

async fn show(State(state): State<AppState>, rep: CurrentRep) -> Result<Response, PageError> {
    page(&state, &rep, None, None, FieldErrors::default()).await
}

async fn save(
    State(state): State<AppState>,
    rep: CurrentRep,
    FormBody(form): FormBody<TodayForm>,
) -> Result<Response, PageError> {
    let answer = if form.nothing.is_empty() {
        match lines(&form.items) {
            Ok(items) => DailyAnswer::Items(items),
            Err(e) => return page(&state, &rep, None, Some(form.items), FieldErrors(vec![e])).await,
        }
    } else {
        DailyAnswer::NothingToImprove
    };
    match state.app().today(rep.name(), answer, None).await {
        Ok(view) => page(&state, &rep, Some(view), None, FieldErrors::default()).await,
        Err(e) => page(&state, &rep, None, Some(form.items), FieldErrors::from_app(e, &["items"])?).await,
    }
}

/// The textarea's non-blank lines, each a bounded text.
fn lines(text: &str) -> Result<Vec<String>, FieldError> {
    let items: Vec<String> = text.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect();
    if items.is_empty() {
        return Err(FieldError::new(
            "items",
            "write what you could have done better, one thing per line, or press \"Nothing to improve today\"",
        ));
    }
    if items.len() > MAX_ITEMS {
        return Err(FieldError::new("items", format!("{} lines is too many: at most {MAX_ITEMS}", items.len())));
    }
    for (i, item) in items.iter().enumerate() {
        crate::input::text("items", item, MAX_TEXT)
            .map_err(|e| FieldError::new("items", format!("line {}: {}", i + 1, e.message)))?;
    }
    Ok(items)
}
