//! The follow-up agenda: overdue first, each with Done and Snooze buttons;
//! a follow-up added by hand; the open follow-ups as an iCalendar download.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use debrief_app::input::{AddFollowUpRequest, DueRequest, RawAddFollowUp, RawSnooze, SnoozeRequest};
use debrief_app::{AgendaView, AppError, FieldError, FollowUpView};
use serde::Deserialize;

use super::errors::{FieldErrors, number, same_name};
use super::{Layout, PageError, query, render, see_other};
use crate::api::agenda::ics_response;
use crate::api::ids::RawId;
use crate::extract::{CurrentRep, FormBody};
use crate::state::AppState;

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
    /// Set after a follow-up was marked done (its id): the page says so.
    done: String,
    /// Set after a follow-up was snoozed (its id): the page says until when.
    snoozed: String,
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
    groups: Vec<Group>,
    snoozes: &'static [(u32, &'static str)],
    add: AddForm,
    errors: FieldErrors,
    days_input: String,
    /// What the last tap did, said once at the foot of the screen.
    toast: Option<String>,
}

/// Follow-ups under one heading: overdue, today, later.
struct Group {
    title: &'static str,
    /// Needs action now.
    urgent: bool,
    rows: Vec<Row>,
}

/// The snooze choices offered with one tap: the days and the words.
const SNOOZES: [(u32, &str); 3] = [(1, "1 day"), (3, "3 days"), (7, "1 week")];

/// What a page shows again after a refused form: values as typed, errors by field.
#[derive(Default)]
struct Again {
    add: AddForm,
    snoozed: Option<(i64, String)>,
    errors: FieldErrors,
}

/// What the tap before this page did, from the query it was sent to.
enum Tapped {
    Nothing,
    Done,
    Snoozed(i64),
}

impl Tapped {
    fn from(params: &Params) -> Tapped {
        if !params.done.is_empty() {
            Tapped::Done
        } else if let Ok(id) = params.snoozed.parse() {
            Tapped::Snoozed(id)
        } else {
            Tapped::Nothing
        }
    }

    /// The toast: "Done.", or what was snoozed and until when.
    fn toast(&self, items: &[FollowUpView]) -> Option<String> {
        match self {
            Tapped::Nothing => None,
            Tapped::Done => Some("Done. It is off your agenda.".to_string()),
            Tapped::Snoozed(id) => Some(match items.iter().find(|i| i.id == *id) {
                Some(item) => format!("Snoozed to {}: {}.", item.when, item.title),
                None => "Snoozed past the days shown.".to_string(),
            }),
        }
    }
}

async fn page(
    state: &AppState,
    rep: &CurrentRep,
    days_input: String,
    again: Again,
    tapped: Tapped,
) -> Result<Response, PageError> {
    let mut errors = again.errors;
    let req = match days_asked(&days_input) {
        Ok(req) => req,
        Err(refused) => {
            errors.extend(refused);
            DueRequest::new(None)?
        }
    };
    let view = state.app().due(rep.name(), &req).await?;
    let mut groups = [
        Group { title: "Overdue", urgent: true, rows: Vec::new() },
        Group { title: "Today", urgent: false, rows: Vec::new() },
        Group { title: "Coming up", urgent: false, rows: Vec::new() },
    ];
    for item in &view.items {
        let field = format!("days-{}", item.id);
        let days = match &again.snoozed {
            Some((id, typed)) if *id == item.id => typed.clone(),
            _ => "1".to_string(),
        };
        let row = Row { error: errors.get(&field).map(String::from), field, days, item: item.clone() };
        let group = match (item.overdue, item.due_today) {
            (true, _) => 0,
            (false, true) => 1,
            (false, false) => 2,
        };
        groups[group].rows.push(row);
    }
    let groups = groups.into_iter().filter(|g| !g.rows.is_empty()).collect();
    let toast = tapped.toast(&view.items);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = AgendaPage {
        layout: Layout::new("Agenda", "/agenda", rep),
        view,
        groups,
        snoozes: &SNOOZES,
        add: again.add,
        errors,
        days_input,
        toast,
    };
    Ok(render(status, &page))
}

/// The days ahead typed (the application's default when blank), or the messages to show.
fn days_asked(typed: &str) -> Result<DueRequest, FieldErrors> {
    let days = number(typed).map_err(|m| FieldErrors::one("days", m))?;
    DueRequest::new(days).map_err(|e| FieldErrors::placed(&e, same_name))
}

async fn show(State(state): State<AppState>, rep: CurrentRep, RawQuery(raw): RawQuery) -> Result<Response, PageError> {
    let params: Params = query(raw)?;
    let tapped = Tapped::from(&params);
    page(&state, &rep, params.days, Again::default(), tapped).await
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
    let raw = RawAddFollowUp { client: form.client.clone(), at: form.due.clone(), note: form.note.clone() };
    let added = match AddFollowUpRequest::new(raw, &app.context()) {
        Ok(req) => app.add_follow_up(rep.name(), &req).await.map(drop),
        Err(e) => Err(e.into()),
    };
    let errors = match added {
        Ok(()) => return Ok(see_other("/agenda")),
        Err(e @ AppError::NotFound(_)) => FieldErrors::from_app(e, due_field, "client")?,
        Err(e) => FieldErrors::from_app(e, due_field, "note")?,
    };
    page(&state, &rep, String::new(), Again { add: form, errors, ..Again::default() }, Tapped::Nothing).await
}

/// The form names the time a follow-up is due `due`.
fn due_field(e: &FieldError) -> String {
    match e.field {
        "at" => "due".to_string(),
        field => field.to_string(),
    }
}

async fn done(State(state): State<AppState>, rep: CurrentRep, id: RawId) -> Result<Response, PageError> {
    let id = id.parse("follow-up")?;
    state.app().done(rep.name(), id).await?;
    Ok(see_other(&format!("/agenda?done={id}")))
}

async fn snooze(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: RawId,
    FormBody(form): FormBody<SnoozeForm>,
) -> Result<Response, PageError> {
    let id = id.parse("follow-up")?;
    let field = format!("days-{id}");
    let refused = |errors: FieldErrors| Again { snoozed: Some((id, form.days.clone())), errors, ..Again::default() };
    let days = match number::<i64>(&form.days) {
        Ok(days) => days.unwrap_or_default(),
        Err(m) => return page(&state, &rep, String::new(), refused(FieldErrors::one(field, m)), Tapped::Nothing).await,
    };
    let snoozed = match SnoozeRequest::new(RawSnooze { id, days }) {
        Ok(req) => state.app().snooze(rep.name(), &req).await.map(drop),
        Err(e) => Err(e.into()),
    };
    match snoozed {
        Ok(()) => Ok(see_other(&format!("/agenda?snoozed={id}"))),
        Err(e) => {
            let errors = FieldErrors::refusal(e, |_| field.clone(), &field)?;
            page(&state, &rep, String::new(), refused(errors), Tapped::Nothing).await
        }
    }
}
