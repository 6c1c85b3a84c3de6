//! The server-rendered pages, one module per page. They work without
//! JavaScript; htmx only adds reason suggestions while typing.
//!
//! Adding a page: a module here with `routes()`, one `.merge(…)` line in
//! [`routes`], one entry in [`NAV`].

mod agenda;
mod annotate;
mod contacts;
mod errors;
mod focus;
mod form;
mod log;
mod mishaps;
mod own;
mod present;
mod reasons;
mod review;
mod strip;
mod today;
mod week;

use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use debrief_app::{AppError, Invalid};
use serde::de::DeserializeOwned;

use crate::cache::Cached;
use crate::error::ApiError;
use crate::extract::CurrentRep;
use crate::state::AppState;

/// One entry of the main navigation.
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
}

/// The main navigation, in the order it is shown.
pub const NAV: &[NavItem] = &[
    NavItem { href: "/", label: "This week" },
    NavItem { href: "/log", label: "Log a contact" },
    NavItem { href: "/today", label: "Today" },
    NavItem { href: "/agenda", label: "Agenda" },
    NavItem { href: "/own", label: "Own up" },
    NavItem { href: "/mishaps", label: "Recover" },
    NavItem { href: "/contacts", label: "Contacts" },
    NavItem { href: "/reasons", label: "Reasons" },
    NavItem { href: "/focus", label: "Focus" },
    NavItem { href: "/review", label: "Review a message" },
];

/// Every page's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(week::routes())
        .merge(log::routes())
        .merge(contacts::routes())
        .merge(reasons::routes())
        .merge(focus::routes())
        .merge(review::routes())
        .merge(agenda::routes())
        .merge(own::routes())
        .merge(mishaps::routes())
        .merge(today::routes())
}

/// What the shared layout (`base.html`) needs from every page.
pub struct Layout {
    pub title: String,
    /// The `href` of the navigation entry this page belongs to.
    pub active: &'static str,
    pub rep: String,
}

impl Layout {
    pub fn new(title: impl Into<String>, active: &'static str, rep: &CurrentRep) -> Layout {
        Layout { title: title.into(), active, rep: rep.name().to_string() }
    }

    pub fn nav(&self) -> &'static [NavItem] {
        NAV
    }

    pub fn is_active(&self, item: &NavItem) -> bool {
        item.href == self.active
    }

    pub fn style(&self) -> String {
        crate::assets::url("style.css")
    }

    pub fn script(&self) -> String {
        crate::assets::url("htmx.min.js")
    }
}

/// Renders a page with `status`.
pub fn render(status: StatusCode, page: &impl Template) -> Response {
    html(status, page).into_response()
}

/// Renders a page with `status` into an answer the read cache can keep (a
/// page that fails to render is a 500, which it does not keep).
pub fn html(status: StatusCode, page: &impl Template) -> Cached {
    match page.render() {
        Ok(html) => Cached::html(status, html),
        Err(e) => {
            tracing::error!(error = %e, "a template failed to render");
            let fallback = "<!doctype html><title>Error</title><p>The page failed to render.</p>";
            Cached::html(StatusCode::INTERNAL_SERVER_ERROR, fallback.to_string())
        }
    }
}

/// A request a page cannot answer, rendered as an HTML page.
#[derive(Debug)]
pub struct PageError(pub ApiError);

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let title = self.0.status.canonical_reason().unwrap_or("Error").to_string();
        let layout = Layout { title, active: "", rep: String::new() };
        let page = ErrorPage { layout, status: self.0.status.as_u16(), message: self.0.message };
        render(self.0.status, &page)
    }
}

impl From<ApiError> for PageError {
    fn from(e: ApiError) -> PageError {
        PageError(e)
    }
}

impl From<AppError> for PageError {
    fn from(e: AppError) -> PageError {
        PageError(e.into())
    }
}

impl From<Invalid> for PageError {
    fn from(e: Invalid) -> PageError {
        PageError(e.into())
    }
}

/// The answer for an address no page or API route has.
pub async fn not_found() -> PageError {
    PageError(ApiError::not_found("there is no page at this address"))
}

/// Reads a page's query string; pages keep every value as typed, so only
/// malformed encodings fail.
fn query<T: DeserializeOwned + Default>(raw: Option<String>) -> Result<T, PageError> {
    match raw {
        Some(q) => Ok(crate::extract::parse_urlencoded(q.as_bytes())?),
        None => Ok(T::default()),
    }
}

/// Redirects after a successful form post (303: the browser follows with GET).
fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(axum::http::header::LOCATION, to.to_string())]).into_response()
}
