//! Owning up: the mistakes that touched a client, oldest first with their
//! age; per item, how it was owned and what was said, then what will be
//! different from now on.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use debrief_app::{AppError, OwnListView, OwnershipView};
use debrief_core::ownership::How;
use serde::Deserialize;

use super::form::FieldErrors;
use super::{Layout, PageError, render, see_other};
use crate::api::ids::RawId;
use crate::error::ApiError;
use crate::extract::{CurrentRep, FormBody};
use crate::input::{self, FieldError, MAX_TEXT};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/own", get(show)).route("/own/{id}/owned", post(owned)).route("/own/{id}/commit", post(commit))
}

#[derive(Clone, Default, Deserialize)]
#[serde(default)]
struct OwnedForm {
    how: String,
    said: String,
}

#[derive(Clone, Default, Deserialize)]
#[serde(default)]
struct CommitForm {
    text: String,
}

/// A way of owning up, as the radio buttons show it.
pub struct HowChoice {
    pub value: &'static str,
    pub label: &'static str,
}

fn hows() -> Vec<HowChoice> {
    How::ALL
        .iter()
        .map(|h| HowChoice {
            value: h.as_str(),
            label: match h {
                How::Call => "Call",
                How::Email => "Email",
                How::InPerson => "In person",
            },
        })
        .collect()
}

/// One item with its form's values and errors (field names carry the id).
struct Row {
    item: OwnershipView,
    how: String,
    said: String,
    text: String,
    how_name: String,
    said_name: String,
    text_name: String,
    how_error: Option<String>,
    said_error: Option<String>,
    text_error: Option<String>,
}

impl Row {
    fn is_how(&self, value: &str) -> bool {
        self.how == value
    }
}

#[derive(Template)]
#[template(path = "own.html")]
struct OwnPage {
    layout: Layout,
    view: OwnListView,
    rows: Vec<Row>,
    hows: Vec<HowChoice>,
    errors: FieldErrors,
}

/// The form sent again after a refusal, for item `id`.
#[derive(Default)]
struct Again {
    id: i64,
    owned: OwnedForm,
    commit: CommitForm,
    errors: FieldErrors,
}

async fn page(state: &AppState, rep: &CurrentRep, again: Again) -> Result<Response, PageError> {
    let view = state.app().own_list(rep.name()).await?;
    let rows = view
        .items
        .iter()
        .map(|item| {
            let mine = item.id == again.id;
            let err = |name: &str| again.errors.get(format!("{name}-{}", item.id)).map(String::from);
            Row {
                item: item.clone(),
                how: if mine { again.owned.how.clone() } else { String::new() },
                said: if mine { again.owned.said.clone() } else { String::new() },
                text: if mine { again.commit.text.clone() } else { String::new() },
                how_name: format!("how-{}", item.id),
                said_name: format!("said-{}", item.id),
                text_name: format!("text-{}", item.id),
                how_error: err("how"),
                said_error: err("said"),
                text_error: err("text"),
            }
        })
        .collect();
    let status = if again.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = OwnPage { layout: Layout::new("Own up", "/own", rep), view, rows, hows: hows(), errors: again.errors };
    Ok(render(status, &page))
}

async fn show(State(state): State<AppState>, rep: CurrentRep) -> Result<Response, PageError> {
    page(&state, &rep, Again::default()).await
}

/// A refusal of the application placed on `field`; a missing item or a fault stays an error page.
fn refusal(e: AppError, field: String) -> Result<FieldErrors, PageError> {
    let e = ApiError::from(e);
    if e.status == StatusCode::NOT_FOUND || e.status.is_server_error() {
        return Err(e.into());
    }
    Ok(FieldErrors(vec![FieldError::new(field, e.message)]))
}

async fn owned(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: RawId,
    FormBody(form): FormBody<OwnedForm>,
) -> Result<Response, PageError> {
    let id = id.parse("ownership item")?;
    let mut errors = FieldErrors::default();
    let how = match form.how.trim() {
        "" => {
            errors.0.push(FieldError::new(format!("how-{id}"), "say how you owned it: call, email or in person"));
            None
        }
        h => errors.take(h.parse::<How>().map_err(|e| FieldError::new(format!("how-{id}"), e.to_string()))),
    };
    let said = errors.take(input::text(&format!("said-{id}"), form.said.trim(), MAX_TEXT).and_then(|s| {
        if s.is_empty() {
            Err(FieldError::new(format!("said-{id}"), "write what you said to the client"))
        } else {
            Ok(s)
        }
    }));
    let (Some(how), Some(said)) = (how, said) else {
        return page(&state, &rep, Again { id, owned: form, errors, ..Again::default() }).await;
    };
    match state.app().own_up(rep.name(), id, how, &said).await {
        Ok(_) => Ok(see_other(&format!("/own#item-{id}"))),
        Err(e) => {
            let errors = refusal(e, format!("said-{id}"))?;
            page(&state, &rep, Again { id, owned: form, errors, ..Again::default() }).await
        }
    }
}

async fn commit(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: RawId,
    FormBody(form): FormBody<CommitForm>,
) -> Result<Response, PageError> {
    let id = id.parse("ownership item")?;
    let field = format!("text-{id}");
    let text = input::text(&field, form.text.trim(), MAX_TEXT).and_then(|t| {
        if t.is_empty() {
            Err(FieldError::new(field.clone(), "write what will be different from now on"))
        } else {
            Ok(t)
        }
    });
    let text = match text {
        Ok(t) => t,
        Err(e) => {
            return page(&state, &rep, Again { id, commit: form, errors: FieldErrors(vec![e]), ..Again::default() })
                .await;
        }
    };
    match state.app().own_commit(rep.name(), id, &text).await {
        Ok(_) => Ok(see_other("/own")),
        Err(e) => {
            let errors = refusal(e, field)?;
            page(&state, &rep, Again { id, commit: form, errors, ..Again::default() }).await
        }
    }
}
