//! Reasons: ranked over a chosen window of weeks, merged, renamed.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use debrief_app::AppError;
use debrief_app::input::{MergeRequest, RawMerge, RawRename, ReasonsRequest, RenameRequest};
use debrief_app::views::{ReasonsView, VocabularyEntryView};
use serde::Deserialize;

use super::errors::{FieldErrors, number, same_name};
use super::present::{self, ReasonRow};
use super::{Layout, PageError, query, render};
use crate::api::reasons::missing_side;
use crate::charts;
use crate::extract::{CurrentRep, FormBody};
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
    /// The window when none is typed (the application's default).
    default_weeks: u32,
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
    let default = ReasonsRequest::new(None)?;
    let req = match window(&form.weeks) {
        Ok(req) => req,
        Err(refused) => {
            errors.extend(refused);
            default.clone()
        }
    };
    let view = state.app().reasons(rep.name(), &req).await?;
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
        default_weeks: default.weeks(),
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

async fn merge(
    State(state): State<AppState>,
    rep: CurrentRep,
    FormBody(form): FormBody<ReasonsForm>,
) -> Result<Response, PageError> {
    let req = match MergeRequest::new(RawMerge { from: form.from.clone(), into: form.into.clone() }) {
        Ok(req) => req,
        Err(e) => return page(&state, &rep, form, FieldErrors::placed(&e, same_name), None).await,
    };
    match state.app().merge_reasons(&req).await {
        Ok((from, into)) => {
            let message = format!("“{}” now counts as “{}”; every text stays as written.", from.label, into.label);
            done(&state, &rep, form, message).await
        }
        Err(e @ AppError::NotFound(_)) => {
            let side = missing_side(&state.app(), &form.from).await;
            page(&state, &rep, form, FieldErrors::from_app(e, same_name, side)?, None).await
        }
        Err(e) => page(&state, &rep, form, FieldErrors::from_app(e, same_name, "into")?, None).await,
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
    let raw = RawRename { reason: form.reason.clone(), label: form.label.clone() };
    let req = match RenameRequest::new(raw) {
        Ok(req) => req,
        Err(e) => return page(&state, &rep, form, FieldErrors::placed(&e, same_name), None).await,
    };
    match state.app().rename_reason(&req).await {
        Ok(renamed) => {
            let message = format!("#{} is now “{}”; the old label still matches.", renamed.id, renamed.label);
            done(&state, &rep, form, message).await
        }
        Err(e @ AppError::NotFound(_)) => {
            page(&state, &rep, form, FieldErrors::from_app(e, same_name, "reason")?, None).await
        }
        Err(e) => page(&state, &rep, form, FieldErrors::from_app(e, same_name, "label")?, None).await,
    }
}

/// The window of weeks typed (the application's default when blank), or the messages to show.
fn window(typed: &str) -> Result<ReasonsRequest, FieldErrors> {
    let weeks = number(typed).map_err(|m| FieldErrors::one("weeks", m))?;
    ReasonsRequest::new(weeks).map_err(|e| FieldErrors::placed(&e, same_name))
}
