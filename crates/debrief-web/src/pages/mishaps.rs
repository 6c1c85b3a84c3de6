//! Recovering from a mishap: the open recoveries with their checklist, a
//! form to open one, a form per recovery to record a step (with what the
//! application warns about it), and the apology check.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use debrief_app::input::{ApologyRequest, MishapStepRequest, OpenMishapRequest, RawMishapStep, RawOpenMishap};
use debrief_app::{ApologyView, AppError, FieldError, RecoveryView};
use debrief_core::apology::Verdict;
use debrief_core::mishap::{MishapKind, Step};
use serde::Deserialize;

use super::errors::{FieldErrors, same_name};
use super::{Layout, PageError, render, see_other};
use crate::api::ids::RawId;
use crate::extract::{CurrentRep, FormBody};
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
    owning: bool,
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
        Checked { owning: view.verdict == Verdict::Owning, findings }
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

async fn open(
    State(state): State<AppState>,
    rep: CurrentRep,
    FormBody(form): FormBody<OpenForm>,
) -> Result<Response, PageError> {
    let raw = RawOpenMishap { client: form.client.clone(), kind: form.kind.clone(), what: form.what.clone() };
    let opened = match OpenMishapRequest::new(raw) {
        Ok(req) => state.app().open_mishap(rep.name(), &req).await,
        Err(e) => Err(e.into()),
    };
    match opened {
        Ok(r) => Ok(see_other(&format!("/mishaps#recovery-{}", r.id))),
        Err(e) => {
            let errors = FieldErrors::refusal(e, same_name, "what")?;
            page(&state, &rep, Extra { open: form, errors, ..Extra::default() }).await
        }
    }
}

/// The field of recovery `id`'s step form an error is about (`text-3`).
fn step_field(id: i64) -> impl Fn(&FieldError) -> String {
    move |e| match e.field {
        "text" | "client_said" => format!("{}-{id}", e.field),
        _ => format!("step-{id}"),
    }
}

async fn step(
    State(state): State<AppState>,
    rep: CurrentRep,
    id: RawId,
    FormBody(form): FormBody<StepForm>,
) -> Result<Response, PageError> {
    let id = id.parse("recovery")?;
    let raw = RawMishapStep {
        id,
        step: form.step.clone(),
        text: Some(form.text.clone()),
        client_said: Some(form.client_said.clone()),
    };
    let recorded = match MishapStepRequest::new(raw) {
        Ok(req) => state.app().mishap_step(rep.name(), &req).await,
        Err(e) => Err(e.into()),
    };
    match recorded {
        Ok(view) => page(&state, &rep, Extra { recorded: Some(view), ..Extra::default() }).await,
        Err(e) => {
            let errors = FieldErrors::refusal(e, step_field(id), &format!("step-{id}"))?;
            page(&state, &rep, Extra { step: Some((id, form)), errors, ..Extra::default() }).await
        }
    }
}

async fn apology(
    State(state): State<AppState>,
    rep: CurrentRep,
    FormBody(form): FormBody<ApologyForm>,
) -> Result<Response, PageError> {
    let checked = match ApologyRequest::new(&form.text) {
        Ok(req) => {
            let checked = crate::review::off_the_workers(move || {
                debrief_app::check_apology(&req).map(|v| Checked::new(req.text(), v))
            });
            checked.await.map_err(AppError::from).and_then(|checked| checked)
        }
        Err(e) => Err(e.into()),
    };
    match checked {
        Ok(c) => page(&state, &rep, Extra { apology: form, checked: Some(c), ..Extra::default() }).await,
        Err(e) => {
            let errors = FieldErrors::from_app(e, |_| "apology".into(), "apology")?;
            page(&state, &rep, Extra { apology: form, errors, ..Extra::default() }).await
        }
    }
}
