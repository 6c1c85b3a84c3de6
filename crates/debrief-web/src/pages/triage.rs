//! Triage: lost contacts imported from a CRM, each waiting for the rep to
//! say where its reason counts. What the CRM's words read as comes first;
//! the closest reasons of both sides, or the words kept as the rep's own
//! mistake or as outside their control, are one tap away.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use debrief_app::triage::{TriageItemView, TriageRequest, TriageTarget, TriageView};
use serde::Deserialize;

use super::errors::FieldErrors;
use super::{Layout, PageError, render, see_other};
use crate::api::ids::RawId;
use crate::extract::{CurrentRep, FormBody};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/triage", get(show)).route("/triage/{id}", post(file))
}

#[derive(Clone, Default, Deserialize)]
#[serde(default)]
struct FileForm {
    /// `accept`, `mine`, `theirs`, or a reason as `#id`.
    choice: String,
    text: String,
}

/// One waiting contact with its form's field names and error.
struct Row {
    item: TriageItemView,
    /// The choices other than what the words read as.
    others: Vec<debrief_app::views::SuggestionView>,
    /// The day it was lost, `2026-11-20`.
    day: String,
    choice_name: String,
    text_name: String,
    text: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "triage.html")]
struct TriagePage {
    layout: Layout,
    view: TriageView,
    rows: Vec<Row>,
    errors: FieldErrors,
}

async fn page(
    state: &AppState,
    rep: &CurrentRep,
    id: i64,
    form: FileForm,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let view = state.app().triage(rep.name()).await?;
    let rows = view
        .items
        .iter()
        .map(|item| {
            let mine = item.contact_id == id;
            let best = item.reads_as.as_ref().map(|b| b.id);
            Row {
                others: item.choices.iter().filter(|c| Some(c.id) != best).cloned().collect(),
                day: item.at.chars().take(10).collect(),
                item: item.clone(),
                choice_name: format!("choice-{}", item.contact_id),
                text_name: format!("text-{}", item.contact_id),
                text: if mine { form.text.clone() } else { String::new() },
                error: errors.get(format!("text-{}", item.contact_id)).map(String::from),
            }
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok(render(status, &TriagePage { layout: Layout::new("Triage", "/triage", rep), view, rows, errors }))
}

async fn show(State(state): State<AppState>, rep: CurrentRep) -> Result<Response, PageError> {
    page(&state, &rep, 0, FileForm::default(), FieldErrors::default()).await
}

async fn file(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: RawId,
    FormBody(form): FormBody<FileForm>,
) -> Result<Response, PageError> {
    let id = id.parse("contact")?;
    let target = match form.choice.as_str() {
        "accept" => Some(TriageTarget::Suggested),
        "mine" => Some(TriageTarget::Mine),
        "theirs" => Some(TriageTarget::Theirs),
        c if c.starts_with('#') => Some(TriageTarget::As(c.to_string())),
        _ => None,
    };
    let filed = match target {
        None => Err(debrief_app::AppError::Invalid(
            debrief_app::FieldError::new("choice", "pick where the reason counts").into(),
        )),
        Some(target) => match TriageRequest::new(id, target, Some(form.text.as_str()), None) {
            Ok(req) => state.app().triage_file(rep.name(), &req).await.map(drop),
            Err(e) => Err(e.into()),
        },
    };
    match filed {
        Ok(()) => Ok(see_other("/triage")),
        Err(e) => {
            let errors = FieldErrors::refusal(e, |_| format!("text-{id}"), &format!("text-{id}"))?;
            page(&state, &rep, id, form, errors).await
        }
    }
}
