//! Reasons: ranked over a chosen window of weeks, merged, renamed.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use debrief_app::views::{ReasonsView, VocabularyEntryView};
use debrief_core::review::RANK_WINDOW_WEEKS;
use serde::Deserialize;

use super::form::FieldErrors;
use super::present::{self, ReasonRow};
use super::{Layout, PageError, query, render};
use crate::charts;
use crate::error::ApiError;
use crate::extract::{CurrentRep, FormBody};
use crate::input::{self, FieldError, MAX_NAME};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reasons", get(show))
        .route("/reasons/merge", post(merge))
        .route("/reasons/rename", post(rename))
}

/// The forms of the page, as typed.
#[derive(Clone, Default, Deserialize)]
#[serde(default)]
struct ReasonsForm {
    weeks: String,
    from: String,
    into: String,
    reason: String,
    label: String,
}

#[derive(Template)]
#[template(path = "reasons.html")]
struct ReasonsPage {
    layout: Layout,
    form: ReasonsForm,
    errors: FieldErrors,
    done: Option<String>,
    view: ReasonsView,
    rows: Vec<ReasonRow>,
    bars_svg: Option<String>,
    vocabulary: Vec<VocabularyEntryView>,
}

async fn page(
    state: &AppState,
    rep: &CurrentRep,
    form: ReasonsForm,
    mut errors: FieldErrors,
    done: Option<String>,
) -> Result<Response, PageError> {
    let weeks = window(&form.weeks).unwrap_or_else(|e| {
        errors.0.push(e);
        RANK_WINDOW_WEEKS
    });
    let view = state.app().reasons(rep.name(), weeks).await?;
    let desc = format!(
        "Reasons from {} to {} ranked by the lost contacts they appear in; solid bars are yours to control, outlined bars are not. The table below lists them all.",
        view.from_week, view.to_week
    );
    let page = ReasonsPage {
        layout: Layout::new("Reasons", "/reasons", rep),
        bars_svg: charts::reasons(
            "reasons-chart",
            &present::bars(&view.reasons),
            "Reasons ranked by lost contacts",
            &desc,
        ),
        rows: present::reason_rows(&view.reasons),
        vocabulary: state.app().vocabulary().await?,
        form,
        errors,
        done,
        view,
    };
    let status = if page.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(render(status, &page))
}

async fn show(State(state): State<AppState>, rep: CurrentRep, RawQuery(raw): RawQuery) -> Result<Response, PageError> {
    let form: ReasonsForm = query(raw)?;
    page(&state, &rep, form, FieldErrors::default(), None).await
}

/// The reason a field names, or the error to show next to it.
async fn resolve(state: &AppState, field: &str, typed: &str) -> Result<String, FieldErrors> {
    let fail = |message: String| FieldErrors(vec![FieldError::new(field, message)]);
    if typed.trim().is_empty() {
        return Err(fail("name a reason: its label, a way to say it, or #id".into()));
    }
    let text = input::text(field, typed, MAX_NAME).map_err(|e| FieldErrors(vec![e]))?;
    match state.app().resolve_reason(&text).await {
        Ok(reason) => Ok(format!("#{}", reason.id)),
        Err(e) => Err(fail(ApiError::from(e).message)),
    }
}

async fn merge(
    State(state): State<AppState>,
    rep: CurrentRep,
    FormBody(form): FormBody<ReasonsForm>,
) -> Result<Response, PageError> {
    let (from, into) = match (resolve(&state, "from", &form.from).await, resolve(&state, "into", &form.into).await) {
        (Ok(from), Ok(into)) => (from, into),
        (from, into) => {
            let errors = FieldErrors(from.err().into_iter().chain(into.err()).flat_map(|e| e.0).collect());
            return page(&state, &rep, form, errors, None).await;
        }
    };
    match state.app().merge_reasons(&from, &into).await {
        Ok((from, into)) => {
            done(
                &state,
                &rep,
                form,
                format!("“{}” now counts as “{}”; every text stays as written.", from.label, into.label),
            )
            .await
        }
        Err(e) => page(&state, &rep, form, FieldErrors::from_app(e, &["into"])?, None).await,
    }
}

/// The page after a change that worked: the form emptied (its window kept) and `message`.
async fn done(state: &AppState, rep: &CurrentRep, form: ReasonsForm, message: String) -> Result<Response, PageError> {
    let fresh = ReasonsForm { weeks: form.weeks, ..ReasonsForm::default() };
    page(state, rep, fresh, FieldErrors::default(), Some(message)).await
}

async fn rename(
    State(state): State<AppState>,
    rep: CurrentRep,
    FormBody(form): FormBody<ReasonsForm>,
) -> Result<Response, PageError> {
    let reason = match resolve(&state, "reason", &form.reason).await {
        Ok(r) => r,
        Err(errors) => return page(&state, &rep, form, errors, None).await,
    };
    let label = match input::text("label", form.label.trim(), MAX_NAME) {
        Ok(l) => l,
        Err(e) => return page(&state, &rep, form, FieldErrors(vec![e]), None).await,
    };
    match state.app().rename_reason(&reason, &label).await {
        Ok(renamed) => {
            done(
                &state,
                &rep,
                form,
                format!("#{} is now “{}”; the old label still matches.", renamed.id, renamed.label),
            )
            .await
        }
        Err(e) => page(&state, &rep, form, FieldErrors::from_app(e, &["label"])?, None).await,
    }
}

/// The window of weeks typed, or the default.
fn window(typed: &str) -> Result<u32, FieldError> {
    match typed.trim() {
        "" => Ok(RANK_WINDOW_WEEKS),
        t => t
            .parse()
            .map_err(|_| {
                FieldError::new("weeks", format!("\"{t}\" is not a number of weeks: give 1 to {}", input::MAX_WEEKS))
            })
            .and_then(|w| input::weeks("weeks", w)),
    }
}
