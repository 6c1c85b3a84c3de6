//! Owning up: the mistakes that touched a client, oldest first with their
//! age; per item, how it was owned and what was said, then what will be
//! different from now on.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use debrief_app::input::{OwnCommitRequest, OwnUpRequest, RawOwnCommit, RawOwnUp};
use debrief_app::{FieldError, OwnListView, OwnershipView};
use debrief_core::ownership::How;
use serde::Deserialize;

use super::errors::FieldErrors;
use super::{Layout, PageError, render, see_other};
use crate::api::ids::RawId;
use crate::extract::{CurrentRep, FormBody};
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

/// The field of item `id`'s forms an error is about (`said-3`); the
/// commitment is the commit form's `text`.
fn item_field(id: i64) -> impl Fn(&FieldError) -> String {
    move |e| match e.field {
        "commitment" | "text" => format!("text-{id}"),
        "how" => format!("how-{id}"),
        _ => format!("said-{id}"),
    }
}

async fn owned(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: RawId,
    FormBody(form): FormBody<OwnedForm>,
) -> Result<Response, PageError> {
    let id = id.parse("ownership item")?;
    let owned = match OwnUpRequest::new(RawOwnUp { id, how: form.how.clone(), said: form.said.clone() }) {
        Ok(req) => state.app().own_up(rep.name(), &req).await.map(drop),
        Err(e) => Err(e.into()),
    };
    match owned {
        Ok(()) => Ok(see_other(&format!("/own#item-{id}"))),
        Err(e) => {
            let errors = FieldErrors::refusal(e, item_field(id), &format!("said-{id}"))?;
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
    let committed = match OwnCommitRequest::new(RawOwnCommit { id, text: form.text.clone() }) {
        Ok(req) => state.app().own_commit(rep.name(), &req).await.map(drop),
        Err(e) => Err(e.into()),
    };
    match committed {
        Ok(()) => Ok(see_other("/own")),
        Err(e) => {
            let errors = FieldErrors::refusal(e, item_field(id), &format!("text-{id}"))?;
            page(&state, &rep, Again { id, commit: form, errors, ..Again::default() }).await
        }
    }
}
