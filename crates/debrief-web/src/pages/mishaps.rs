//! Recovering from a mishap: the open recoveries with their checklist, a
//! form to open one, a form per recovery to record a step (with what the
//! application warns about it), and the apology check.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use debrief_app::{ApologyView, AppError, RecoveryView};
use debrief_core::mishap::{MishapKind, Step};
use serde::Deserialize;

use super::form::FieldErrors;
use super::{Layout, PageError, render, see_other};
use crate::api::ids::RawId;
use crate::error::ApiError;
use crate::extract::{CurrentRep, FormBody};
use crate::input::{self, FieldError, MAX_NAME, MAX_TEXT};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/mishaps", get(show).post(open))
        .route("/mishaps/apology", post(apology))
        .route("/mishaps/{id}/steps", post(step))
}

#[derive(Clone, Default, Deserialize)]
#[serde(default)]
struct OpenForm {
    client: String,
    kind: String,
    what: String,
}

#[derive(Clone, Default, Deserialize)]
#[serde(default)]
struct StepForm {
    step: String,
    text: String,
    client_said: String,
}

#[derive(Clone, Default, Deserialize)]
#[serde(default)]
struct ApologyForm {
    text: String,
}

/// A choice of a select: the value sent and the words shown.
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

fn kinds() -> Vec<Choice> {
    MishapKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.as_str(),
            label: match k {
                MishapKind::Late => "Late",
                MishapKind::MissedMeeting => "Missed a meeting",
                MishapKind::SystemFailure => "System failure",
                MishapKind::Other => "Something else",
            },
        })
        .collect()
}

fn steps() -> Vec<Choice> {
    Step::ALL.iter().map(|s| Choice { value: s.as_str(), label: s.label() }).collect()
}

/// One open recovery with its step form.
struct Row {
    r: RecoveryView,
    step: String,
    text: String,
    client_said: String,
    /// `step-3`, `text-3`, `client_said-3`: ids of its fields.
    step_name: String,
    text_name: String,
    said_name: String,
    step_error: Option<String>,
    text_error: Option<String>,
    said_error: Option<String>,
}

impl Row {
    fn is_step(&self, value: &str) -> bool {
        self.step == value
    }
}

/// The apology check's answer with the words it is about.
struct Checked {
    verdict: &'static str,
    findings: Vec<Finding>,
}

struct Finding {
    quote: String,
    kind: &'static str,
    message: String,
    suggestion: &'static str,
}

impl Checked {
    fn new(text: &str, view: ApologyView) -> Checked {
        let findings = view
            .findings
            .into_iter()
            .map(|f| Finding {
                quote: text.chars().skip(f.start).take(f.end.saturating_sub(f.start)).collect(),
                kind: f.kind,
                message: f.message,
                suggestion: f.suggestion,
            })
            .collect();
        Checked { verdict: view.verdict, findings }
    }
}

#[derive(Template)]
#[template(path = "mishaps.html")]
struct MishapsPage {
    layout: Layout,
    rows: Vec<Row>,
    kinds: Vec<Choice>,
    steps: Vec<Choice>,
    open: OpenForm,
    apology: ApologyForm,
    checked: Option<Checked>,
    /// The recovery a step was just recorded on, with its warnings.
    recorded: Option<RecoveryView>,
    errors: FieldErrors,
}

impl MishapsPage {
    fn is_kind(&self, value: &str) -> bool {
        self.open.kind == value
    }
}

/// What the page shows besides the recoveries.
#[derive(Default)]
struct Extra {
    open: OpenForm,
    step: Option<(i64, StepForm)>,
    apology: ApologyForm,
    checked: Option<Checked>,
    recorded: Option<RecoveryView>,
    errors: FieldErrors,
}

async fn page(state: &AppState, rep: &CurrentRep, extra: Extra) -> Result<Response, PageError> {
    let list = state.app().mishaps(rep.name(), false).await?;
    let errors = extra.errors;
    let rows = list
        .into_iter()
        .map(|r| {
            let typed = match &extra.step {
                Some((id, f)) if *id == r.id => f.clone(),
                _ => StepForm { step: r.next_step.unwrap_or_default().to_string(), ..StepForm::default() },
            };
            let (step_name, text_name, said_name) =
                (format!("step-{}", r.id), format!("text-{}", r.id), format!("client_said-{}", r.id));
            Row {
                step_error: errors.get(&step_name).map(String::from),
                text_error: errors.get(&text_name).map(String::from),
                said_error: errors.get(&said_name).map(String::from),
                step: typed.step,
                text: typed.text,
                client_said: typed.client_said,
                step_name,
                text_name,
                said_name,
                r,
            }
        })
        .collect();
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = MishapsPage {
        layout: Layout::new("Recover", "/mishaps", rep),
        rows,
        kinds: kinds(),
        steps: steps(),
        open: extra.open,
        apology: extra.apology,
        checked: extra.checked,
        recorded: extra.recorded,
        errors,
    };
    Ok(render(status, &page))
}

async fn show(State(state): State<AppState>, rep: CurrentRep) -> Result<Response, PageError> {
    page(&state, &rep, Extra::default()).await
}

/// A required text of at most `max` characters.
fn required(field: &str, value: &str, max: usize, missing: &str) -> Result<String, FieldError> {
    let t = input::text(field, value.trim(), max)?;
    if t.is_empty() {
        return Err(FieldError::new(field, missing));
    }
    Ok(t)
}

/// An optional text of at most [`MAX_TEXT`] characters.
fn optional(field: &str, value: &str) -> Result<Option<String>, FieldError> {
    input::optional_text(field, value.trim(), MAX_TEXT)
}

/// A refusal of the application placed on `field`; a missing item or a fault stays an error page.
fn refusal(e: AppError, field: &str) -> Result<FieldErrors, PageError> {
    let e = ApiError::from(e);
    if e.status == StatusCode::NOT_FOUND || e.status.is_server_error() {
        return Err(e.into());
    }
    let field = match e.field.as_deref() {
        Some("client") => "client",
        _ => field,
    };
    Ok(FieldErrors(vec![FieldError::new(field, e.message)]))
}

async fn open(
    State(state): State<AppState>,
    rep: CurrentRep,
    FormBody(form): FormBody<OpenForm>,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    let client = errors.take(required("client", &form.client, MAX_NAME, "give the client's name"));
    let kind = match form.kind.trim() {
        "" => {
            errors.0.push(FieldError::new("kind", "pick what went wrong"));
            None
        }
        k => errors.take(k.parse::<MishapKind>().map_err(|e| FieldError::new("kind", e.to_string()))),
    };
    let what = errors.take(required("what", &form.what, MAX_TEXT, "say in a few words what happened"));
    let (Some(client), Some(kind), Some(what)) = (client, kind, what) else {
        return page(&state, &rep, Extra { open: form, errors, ..Extra::default() }).await;
    };
    match state.app().open_mishap(rep.name(), &client, kind, &what).await {
        Ok(r) => Ok(see_other(&format!("/mishaps#recovery-{}", r.id))),
        Err(e) => {
            let errors = refusal(e, "what")?;
            page(&state, &rep, Extra { open: form, errors, ..Extra::default() }).await
        }
    }
}

async fn step(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: RawId,
    FormBody(form): FormBody<StepForm>,
) -> Result<Response, PageError> {
    let id = id.parse("recovery")?;
    let (step_name, text_name, said_name) = (format!("step-{id}"), format!("text-{id}"), format!("client_said-{id}"));
    let mut errors = FieldErrors::default();
    let step = match form.step.trim() {
        "" => {
            errors.0.push(FieldError::new(&step_name, "pick the step you took"));
            None
        }
        s => errors.take(s.parse::<Step>().map_err(|e| FieldError::new(&step_name, e.to_string()))),
    };
    let text = errors.take(optional(&text_name, &form.text));
    let said = errors.take(optional(&said_name, &form.client_said));
    let (Some(step), Some(text), Some(said)) = (step, text, said) else {
        return page(&state, &rep, Extra { step: Some((id, form)), errors, ..Extra::default() }).await;
    };
    match state.app().mishap_step(rep.name(), id, step, text, said).await {
        Ok(view) => page(&state, &rep, Extra { recorded: Some(view), ..Extra::default() }).await,
        Err(e) => {
            let errors = refusal(e, &step_name)?;
            page(&state, &rep, Extra { step: Some((id, form)), errors, ..Extra::default() }).await
        }
    }
}

async fn apology(
    State(state): State<AppState>,
    rep: CurrentRep,
    FormBody(form): FormBody<ApologyForm>,
) -> Result<Response, PageError> {
    let checked = required("apology", &form.text, MAX_TEXT, "paste the apology or plan to check")
        .map_err(|e| FieldErrors(vec![e]))
        .and_then(|text| {
            debrief_app::check_apology(&text)
                .map(|v| Checked::new(&text, v))
                .map_err(|e| refusal(e, "apology").unwrap_or_default())
        });
    match checked {
        Ok(c) => page(&state, &rep, Extra { apology: form, checked: Some(c), ..Extra::default() }).await,
        Err(errors) => page(&state, &rep, Extra { apology: form, errors, ..Extra::default() }).await,
    }
}
