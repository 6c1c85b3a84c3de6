//! The follow-up agenda: overdue first, each with Done and Snooze buttons;
//! a follow-up added by hand; the open follow-ups as an iCalendar download.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use debrief_app::{AgendaView, FollowUpView};
use serde::Deserialize;

use super::form::FieldErrors;
use super::{Layout, PageError, query, render, see_other};
use crate::api::agenda::{agenda_days, follow_up_error, ics_response, snooze_error};
use crate::api::ids::RawId;
use crate::extract::{CurrentRep, FormBody};
use crate::input::{self, FieldError, MAX_NAME, MAX_TEXT};
use crate::state::AppState;

/// Days ahead shown when the address says nothing.
const DEFAULT_DAYS: u32 = 7;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agenda", get(show))
        .route("/agenda.ics", get(ics))
        .route("/agenda/add", post(add))
        .route("/agenda/{id}/done", post(done))
        .route("/agenda/{id}/snooze", post(snooze))
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct Params {
    days: String,
}

#[derive(Clone, Default, Deserialize)]
#[serde(default)]
struct AddForm {
    client: String,
    due: String,
    note: String,
}

#[derive(Default, Deserialize)]
#[serde(default)]
struct SnoozeForm {
    days: String,
}

/// One follow-up with its snooze field.
struct Row {
    item: FollowUpView,
    due: String,
    /// `days-12`: the id and name of its snooze field.
    field: String,
    days: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "agenda.html")]
struct AgendaPage {
    layout: Layout,
    view: AgendaView,
    rows: Vec<Row>,
    add: AddForm,
    errors: FieldErrors,
    days_input: String,
}

/// What a page shows again after a refused form: values as typed, errors by field.
#[derive(Default)]
struct Again {
    add: AddForm,
    snoozed: Option<(i64, String)>,
    errors: FieldErrors,
}

async fn page(state: &AppState, rep: &CurrentRep, days_input: String, again: Again) -> Result<Response, PageError> {
    let mut errors = again.errors;
    let days = match days_input.trim() {
        "" => DEFAULT_DAYS,
        typed => match typed.parse::<u32>().map_err(|_| ()).and_then(|d| agenda_days("days", d).map_err(|_| ())) {
            Ok(d) => d,
            Err(()) => {
                errors.0.push(FieldError::new("days", "give the days ahead as a whole number from 0 (today) to 3650"));
                DEFAULT_DAYS
            }
        },
    };
    let view = state.app().due(rep.name(), days).await?;
    let rows = view
        .items
        .iter()
        .map(|item| {
            let field = format!("days-{}", item.id);
            let days = match &again.snoozed {
                Some((id, typed)) if *id == item.id => typed.clone(),
                _ => "1".to_string(),
            };
            Row { due: when(&item.due), error: errors.get(&field).map(String::from), field, days, item: item.clone() }
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page =
        AgendaPage { layout: Layout::new("Agenda", "/agenda", rep), view, rows, add: again.add, errors, days_input };
    Ok(render(status, &page))
}

/// "2026-11-27 18:00" from a view's "2026-11-27T18:00:00+00:00".
pub fn when(at: &str) -> String {
    at.get(..16).unwrap_or(at).replace('T', " ")
}

async fn show(State(state): State<AppState>, rep: CurrentRep, RawQuery(raw): RawQuery) -> Result<Response, PageError> {
    let params: Params = query(raw)?;
    page(&state, &rep, params.days, Again::default()).await
}

async fn ics(State(state): State<AppState>, rep: CurrentRep) -> Result<Response, PageError> {
    Ok(ics_response(state.app().follow_ups_ics(rep.name()).await?).into_response())
}

async fn add(
    State(state): State<AppState>,
    rep: CurrentRep,
    FormBody(form): FormBody<AddForm>,
) -> Result<Response, PageError> {
    let app = state.app();
    let mut errors = FieldErrors::default();
    let client = errors.take(input::text("client", form.client.trim(), MAX_NAME).and_then(|c| {
        if c.is_empty() { Err(FieldError::new("client", "give the client's name, as logged")) } else { Ok(c) }
    }));
    let due = match form.due.trim() {
        "" => {
            errors.0.push(FieldError::new("due", "say when it is due: YYYY-MM-DD HH:MM"));
            None
        }
        t => errors.take(input::at("due", t, app.tz())),
    };
    let note = errors.take(input::text("note", form.note.trim(), MAX_TEXT).and_then(|n| {
        if n.is_empty() {
            Err(FieldError::new("note", "say what to do, like \"send the revised quote\""))
        } else {
            Ok(n)
        }
    }));
    let (Some(client), Some(due), Some(note)) = (client, due, note) else {
        return page(&state, &rep, String::new(), Again { add: form, errors, ..Again::default() }).await;
    };
    match app.add_follow_up(rep.name(), &client, due, &note).await {
        Ok(_) => Ok(see_other("/agenda")),
        Err(e) => {
            let e = follow_up_error(e, "note");
            if e.status.is_server_error() {
                return Err(e.into());
            }
            let field = e.field.clone().unwrap_or_else(|| "note".into());
            let errors = FieldErrors(vec![FieldError::new(field, e.message)]);
            page(&state, &rep, String::new(), Again { add: form, errors, ..Again::default() }).await
        }
    }
}

async fn done(State(state): State<AppState>, rep: CurrentRep, id: RawId) -> Result<Response, PageError> {
    let id = id.parse("follow-up")?;
    state.app().done(rep.name(), id).await?;
    Ok(see_other("/agenda"))
}

async fn snooze(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: RawId,
    FormBody(form): FormBody<SnoozeForm>,
) -> Result<Response, PageError> {
    let id = id.parse("follow-up")?;
    let field = format!("days-{id}");
    let refused = |message: String| Again {
        snoozed: Some((id, form.days.clone())),
        errors: FieldErrors(vec![FieldError::new(field.clone(), message)]),
        ..Again::default()
    };
    let Ok(days) = form.days.trim().parse::<i64>() else {
        let again = refused(format!("\"{}\" is not a number of days: give a whole number like 2", form.days.trim()));
        return page(&state, &rep, String::new(), again).await;
    };
    match state.app().snooze(rep.name(), id, days).await {
        Ok(_) => Ok(see_other("/agenda")),
        Err(e) => {
            let e = snooze_error(e, days, "days");
            if e.status == StatusCode::NOT_FOUND || e.status.is_server_error() {
                return Err(e.into());
            }
            page(&state, &rep, String::new(), refused(e.message)).await
        }
    }
}
