//! Import: a CRM's CSV export (or debrief's own JSON export) uploaded,
//! checked and shown as it would be imported (columns read, stages read as,
//! counts per outcome, a sample, every problem by line and column), then
//! imported on confirmation. The upload waits for the confirmation in
//! memory, for the rep who sent it, for half an hour.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use debrief_app::calendar::{CalendarImportView, CalendarOptions};
use debrief_app::crm::{CsvImportView, CsvOptions};
use debrief_app::import::ImportView;
use debrief_app::input::DateOrder;
use serde::Deserialize;

use super::{Layout, PageError, render};
use crate::error::ApiError;
use crate::extract::{CurrentRep, FormBody};
use crate::state::AppState;

/// The largest upload: larger exports go through `debrief import` on the command line.
pub const UPLOAD_LIMIT: usize = 8 * 1024 * 1024;
/// How long an upload waits for its confirmation.
const KEPT: Duration = Duration::from_secs(30 * 60);
/// Uploads kept at once; the oldest goes first.
const KEPT_UPLOADS: usize = 8;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/import", get(blank).post(upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT + 64 * 1024)))
        .route("/import/confirm", post(confirm))
}

/// An upload waiting for its confirmation.
struct Pending {
    rep: String,
    name: String,
    bytes: Vec<u8>,
    options: CsvOptions,
    at: Instant,
}

/// Uploads waiting for their confirmation, by token.
#[derive(Clone, Default)]
pub struct Uploads(Arc<Mutex<HashMap<String, Pending>>>);

impl Uploads {
    fn keep(&self, pending: Pending) -> String {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        map.retain(|_, p| p.at.elapsed() < KEPT);
        while map.len() >= KEPT_UPLOADS {
            let Some(oldest) = map.iter().min_by_key(|(_, p)| p.at).map(|(k, _)| k.clone()) else { break };
            map.remove(&oldest);
        }
        let token = token();
        map.insert(token.clone(), pending);
        token
    }

    fn take(&self, token: &str, rep: &str) -> Option<Pending> {
        let mut map = self.0.lock().unwrap_or_else(|p| p.into_inner());
        match map.get(token) {
            Some(p) if p.rep == rep && p.at.elapsed() < KEPT => map.remove(token),
            _ => None,
        }
    }
}

/// 128 random bits, in hex.
fn token() -> String {
    use std::hash::{BuildHasher, RandomState};
    let a = RandomState::new().hash_one(Instant::now());
    let b = RandomState::new().hash_one(std::time::SystemTime::now());
    format!("{a:016x}{b:016x}")
}

/// What the page shows: the form, a preview waiting for confirmation, or what was imported.
#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    layout: Layout,
    presets: Vec<(&'static str, &'static str)>,
    error: Option<String>,
    csv: Option<CsvImportView>,
    json: Option<ImportView>,
    calendar: Option<CalendarImportView>,
    /// The confirmation's token, while a preview waits for it.
    token: Option<String>,
}

impl ImportPage {
    fn new(rep: &CurrentRep) -> ImportPage {
        ImportPage {
            layout: Layout::new("Import", "/import", rep),
            presets: debrief_core::crm::PRESETS.iter().map(|p| (p.name, p.title)).collect(),
            error: None,
            csv: None,
            json: None,
            calendar: None,
            token: None,
        }
    }
}

async fn blank(rep: CurrentRep) -> Response {
    render(StatusCode::OK, &ImportPage::new(&rep))
}

/// Reads the upload and its options, checks it, and shows the preview.
async fn upload(State(state): State<AppState>, rep: CurrentRep, mut form: Multipart) -> Result<Response, PageError> {
    let mut page = ImportPage::new(&rep);
    let (mut name, mut bytes) = (String::new(), Vec::new());
    let mut options = CsvOptions { dry_run: true, rep: Some(rep.name().clone()), ..CsvOptions::default() };
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        PageError(ApiError::new(e.status(), "bad_upload", format!("the upload could not be read: {}", e.body_text())))
    };
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let field_name = field.name().unwrap_or_default().to_string();
        if field_name == "file" {
            name = field.file_name().unwrap_or("upload.csv").to_string();
            bytes = field.bytes().await.map_err(unreadable)?.to_vec();
            continue;
        }
        let value = field.text().await.map_err(unreadable)?;
        let lines = || value.lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from);
        match field_name.as_str() {
            "preset" if !value.is_empty() => options.preset = Some(value.clone()),
            "date_order" if !value.is_empty() => match value.parse::<DateOrder>() {
                Ok(order) => options.date_order = Some(order),
                Err(e) => page.error = Some(e.to_string()),
            },
            "map" => options.maps = lines().collect(),
            "outcome" => options.outcomes = lines().collect(),
            _ => {}
        }
    }
    if page.error.is_none() && bytes.is_empty() {
        page.error = Some("choose a file to import: a CSV export of your CRM, or a debrief JSON export".into());
    }
    if page.error.is_some() {
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page));
    }
    let app = state.app();
    let checked = check(&app, &rep, &name, &bytes, &options, &mut page).await;
    match checked {
        Ok(ready) => {
            if ready {
                let pending = Pending { rep: rep.name().to_string(), name, bytes, options, at: Instant::now() };
                page.token = Some(state.uploads().keep(pending));
            }
            Ok(render(StatusCode::OK, &page))
        }
        Err(e) if e.is_user_error() => {
            page.error = Some(e.to_string());
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}

/// The dry run of an upload into the page; whether it may be imported.
async fn check(
    app: &debrief_app::App,
    rep: &CurrentRep,
    name: &str,
    bytes: &[u8],
    options: &CsvOptions,
    page: &mut ImportPage,
) -> debrief_app::Result<bool> {
    if name.to_ascii_lowercase().ends_with(".json") {
        let view = app.import_json(rep.name(), name, bytes, true).await?;
        page.json = Some(view);
        return Ok(true);
    }
    if name.to_ascii_lowercase().ends_with(".ics") {
        let view = app
            .import_calendar(rep.name(), name, bytes, &CalendarOptions { dry_run: true, ..CalendarOptions::default() })
            .await?;
        let ready = !view.meetings.is_empty();
        page.calendar = Some(view);
        return Ok(ready);
    }
    let view = app.import_csv(rep.name(), name, bytes, options, None, &|_| {}).await?;
    let ready = view.contacts > 0 || view.bad_rows > 0;
    page.csv = Some(view);
    Ok(ready)
}

#[derive(Deserialize)]
struct ConfirmForm {
    token: String,
}

/// Imports an upload that was checked: the good rows, with the bad ones listed.
async fn confirm(
    State(state): State<AppState>,
    rep: CurrentRep,
    FormBody(form): FormBody<ConfirmForm>,
) -> Result<Response, PageError> {
    let mut page = ImportPage::new(&rep);
    let Some(pending) = state.uploads().take(&form.token, rep.name().as_str()) else {
        page.error = Some(
            "this upload is no longer waiting (it was imported, or half an hour passed): upload the file again".into(),
        );
        return Ok(render(StatusCode::CONFLICT, &page));
    };
    let app = state.app();
    let lower = pending.name.to_ascii_lowercase();
    let result = if lower.ends_with(".json") {
        app.import_json(rep.name(), &pending.name, &pending.bytes, false).await.map(|v| page.json = Some(v))
    } else if lower.ends_with(".ics") {
        app.import_calendar(rep.name(), &pending.name, &pending.bytes, &CalendarOptions::default())
            .await
            .map(|v| page.calendar = Some(v))
    } else {
        let options = CsvOptions { dry_run: false, ..pending.options };
        let mut rejected = Vec::new();
        app.import_csv(rep.name(), &pending.name, pending.bytes.as_slice(), &options, Some(&mut rejected), &|_| {})
            .await
            .map(|v| page.csv = Some(v))
    };
    match result {
        Ok(()) => Ok(render(StatusCode::OK, &page)),
        Err(e) if e.is_user_error() => {
            page.error = Some(e.to_string());
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(e) => Err(e.into()),
    }
}
