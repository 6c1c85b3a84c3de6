//! The daily question, "what could I have done better today?": one item per
//! line, or "nothing to improve today"; the streak, the habit strength and
//! the 30-day strip.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use debrief_app::input::{DailyRequest, RawDaily};
use debrief_app::{AppError, DailyView, FieldError};
use serde::Deserialize;

use super::errors::{FieldErrors, FormError, same_name};
use super::present::percent;
use super::strip::Strip;
use super::{Layout, PageError, render};
use crate::extract::{CurrentRep, FormBody};
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
    let (raw, lines) = answer(&form);
    let saved = match DailyRequest::new(raw) {
        Ok(answer) => state.app().today(rep.name(), &answer).await,
        Err(e) => Err(e.into()),
    };
    match saved {
        Ok(view) => page(&state, &rep, Some(view), None, FieldErrors::default()).await,
        Err(AppError::Invalid(e)) => {
            let errors = e.errors().iter().map(|f| FormError { field: "items".into(), message: on_line(f, &lines) });
            page(&state, &rep, None, Some(form.items), errors.collect()).await
        }
        Err(e) => {
            let errors = FieldErrors::from_app(e, same_name, "items")?;
            page(&state, &rep, None, Some(form.items), errors).await
        }
    }
}

/// The answer the form gives: "nothing to improve" when that button was
/// pressed, else the textarea's lines that hold anything, with their line numbers.
fn answer(form: &TodayForm) -> (RawDaily, Vec<usize>) {
    if !form.nothing.is_empty() {
        return (RawDaily { nothing: true, ..RawDaily::default() }, Vec::new());
    }
    let (lines, items): (Vec<usize>, Vec<String>) = form
        .items
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| (n + 1, l.to_string()))
        .unzip();
    (RawDaily { items, ..RawDaily::default() }, lines)
}

/// A message about one item says which line of the textarea it is on.
fn on_line(e: &FieldError, lines: &[usize]) -> String {
    match e.index.and_then(|i| lines.get(i)) {
        Some(line) => format!("line {line}: {}", e.message),
        None => e.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_are_the_lines_that_hold_anything() {
        let form = TodayForm { items: "ask early\n\n  \nlisten more\n".into(), nothing: String::new() };
        let (raw, lines) = answer(&form);
        assert_eq!((raw.items, lines), (vec!["ask early".to_string(), "listen more".to_string()], vec![1, 4]));
        let mut e = FieldError::new("items", "the text contains a control character");
        e.index = Some(1);
        assert_eq!(on_line(&e, &[1, 4]), "line 4: the text contains a control character");
        let nothing = TodayForm { items: "typed anyway".into(), nothing: "1".into() };
        assert_eq!(answer(&nothing).0, RawDaily { nothing: true, ..RawDaily::default() });
    }
}
