//! The JSON API under `/api/v1`: contacts, the week report (the same document
//! as `debrief week --json`), trend, reasons, focus, message review, and the
//! OpenAPI document generated from these handlers at `/api/v1/openapi.json`.

pub(crate) mod agenda;
mod contacts;
pub(crate) mod daily;
mod focus;
pub(crate) mod ids;
mod own;
mod params;
pub(crate) mod reasons;
mod reports;
mod review;
mod triage;
mod zone;

use std::sync::LazyLock;

use axum::Router;
use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use utoipa::OpenApi;

use crate::error::ApiError;
use crate::state::AppState;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "debrief",
        description = "Debrief every sales contact: log it, review the week, rank the reasons, keep one focus. \
                       Every error is a 4xx or 5xx with {\"error\": {\"code\", \"message\", \"field\"}}.",
        version = "1"
    ),
    paths(
        contacts::create,
        contacts::list,
        contacts::get,
        contacts::update,
        contacts::delete,
        contacts::refile,
        reports::week,
        reports::trend,
        reasons::ranked,
        reasons::vocabulary,
        reasons::suggest,
        reasons::merge,
        reasons::rename,
        focus::get,
        focus::set,
        focus::clear,
        review::create,
        agenda::agenda,
        agenda::create,
        agenda::done,
        agenda::snooze,
        agenda::ics,
        agenda::export,
        own::list,
        own::owned,
        own::commit,
        own::mishaps,
        own::open,
        own::step,
        own::apology,
        daily::get,
        daily::put,
        zone::get,
        zone::set,
        triage::list,
        triage::file,
    ),
    tags(
        (name = "contacts", description = "Logged contacts with their debrief"),
        (name = "reports", description = "The week review and the trend"),
        (name = "reasons", description = "The reason vocabulary"),
        (name = "focus", description = "The one reason worked on"),
        (name = "review", description = "E-mails and call transcripts reviewed like code"),
        (name = "follow-ups", description = "The agenda of follow-ups and its iCalendar export"),
        (name = "own", description = "Owning up to mistakes that touched a client"),
        (name = "mishaps", description = "Recovering from mishaps, and the apology check"),
        (name = "today", description = "The daily question and its habit"),
        (name = "triage", description = "Lost contacts imported from a CRM, waiting for their reason"),
    )
)]
struct ApiDoc;

/// The OpenAPI document, built once.
static DOCUMENT: LazyLock<String> =
    LazyLock::new(|| ApiDoc::openapi().to_pretty_json().expect("the OpenAPI document serializes"));

/// The document as JSON (for tests and tools).
pub fn document() -> &'static str {
    &DOCUMENT
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/contacts", get(contacts::list).post(contacts::create))
        .route("/contacts/{id}", get(contacts::get).patch(contacts::update).delete(contacts::delete))
        .route("/contacts/{id}/refile", post(contacts::refile))
        .route("/week", get(reports::week))
        .route("/trend", get(reports::trend))
        .route("/reasons", get(reasons::ranked))
        .route("/reasons/vocabulary", get(reasons::vocabulary))
        .route("/reasons/suggest", get(reasons::suggest))
        .route("/reasons/merge", post(reasons::merge))
        .route("/reasons/rename", post(reasons::rename))
        .route("/focus", get(focus::get).put(focus::set).delete(focus::clear))
        .route("/review", post(review::create))
        .route("/agenda", get(agenda::agenda))
        .route("/follow-ups", post(agenda::create))
        .route("/follow-ups.ics", get(agenda::ics))
        .route("/export", get(agenda::export))
        .route("/follow-ups/{id}/done", post(agenda::done))
        .route("/follow-ups/{id}/snooze", post(agenda::snooze))
        .route("/own", get(own::list))
        .route("/own/{id}/owned", post(own::owned))
        .route("/own/{id}/commit", post(own::commit))
        .route("/mishaps", get(own::mishaps).post(own::open))
        .route("/mishaps/{id}/steps", post(own::step))
        .route("/apology", post(own::apology))
        .route("/today", get(daily::get).put(daily::put))
        .route("/zone", get(zone::get).put(zone::set))
        .route("/triage", get(triage::list))
        .route("/triage/{id}", post(triage::file))
        .fallback(not_found)
}

async fn openapi() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/json")], document())
}

async fn not_found() -> ApiError {
    ApiError::not_found("no such API route: see /api/v1/openapi.json")
}
