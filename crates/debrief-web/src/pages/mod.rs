//! The server-rendered pages, one module per page. They work without
//! JavaScript; htmx only adds reason suggestions while typing.
//!
//! Adding a page: a module here with `routes()`, one `.merge(…)` line in
//! [`routes`], one entry in [`DAILY`] or [`MORE`].

mod agenda;
mod annotate;
mod contacts;
mod errors;
mod focus;
mod form;
pub(crate) mod import;
mod log;
mod mishaps;
mod more;
mod own;
mod present;
mod reasons;
mod review;
mod strip;
mod today;
mod triage;
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

/// One destination of the navigation.
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    /// What it is for, on the "More" page.
    pub about: &'static str,
    /// A sign shown above the label in the phone's bottom bar.
    pub icon: &'static str,
}

/// The four things a rep does daily: the phone's bottom bar, with "More".
pub const DAILY: &[NavItem] = &[
    NavItem { href: "/", label: "Week", about: "How your week went", icon: "▦" },
    NavItem { href: "/log", label: "Log", about: "Log a contact", icon: "+" },
    NavItem { href: "/agenda", label: "Agenda", about: "Follow-ups due", icon: "☰" },
    NavItem { href: "/today", label: "Today", about: "What could I have done better today?", icon: "✎" },
];

/// Everything else, one tap away under "More" on a phone.
pub const MORE: &[NavItem] = &[
    NavItem { href: "/own", label: "Own up", about: "Mistakes that touched a client, to own up to", icon: "" },
    NavItem { href: "/mishaps", label: "Recover", about: "Mishaps on their way to being put right", icon: "" },
    NavItem { href: "/contacts", label: "Contacts", about: "Every contact you logged", icon: "" },
    NavItem { href: "/reasons", label: "Reasons", about: "Your reasons ranked, merged and renamed", icon: "" },
    NavItem { href: "/focus", label: "Focus", about: "The one mistake you are working on", icon: "" },
    NavItem {
        href: "/import",
        label: "Import",
        about: "Your history from a CRM's export (HubSpot, Salesforce, Pipedrive, Odoo)",
        icon: "",
    },
    NavItem {
        href: "/triage",
        label: "Triage",
        about: "Lost deals imported from your CRM, waiting for their reason",
        icon: "",
    },
    NavItem {
        href: "/review",
        label: "Review a message",
        about: "What a buyer hears in an e-mail or a call",
        icon: "",
    },
];

/// The destination of that `href`, if it is one (a page to come back to).
pub fn destination(href: &str) -> Option<&'static NavItem> {
    DAILY.iter().chain(MORE).find(|item| item.href == href)
}

/// The "More" entry of the bottom bar.
pub const MORE_ITEM: NavItem = NavItem { href: "/more", label: "More", about: "", icon: "⋯" };

/// Every page's routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(week::routes())
        .merge(triage::routes())
        .merge(import::routes())
        .merge(log::routes())
        .merge(contacts::routes())
        .merge(reasons::routes())
        .merge(focus::routes())
        .merge(review::routes())
        .merge(agenda::routes())
        .merge(own::routes())
        .merge(mishaps::routes())
        .merge(today::routes())
        .merge(more::routes())
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

    /// Every destination, daily ones first (the laptop's top bar).
    pub fn nav(&self) -> impl Iterator<Item = &'static NavItem> {
        DAILY.iter().chain(MORE)
    }

    /// The phone's bottom bar: the daily four and "More".
    pub fn tabs(&self) -> impl Iterator<Item = &'static NavItem> {
        DAILY.iter().chain(std::iter::once(&MORE_ITEM))
    }

    pub fn is_active(&self, item: &NavItem) -> bool {
        item.href == self.active || (item.href == MORE_ITEM.href && MORE.iter().any(|m| m.href == self.active))
    }

    /// Where "Log a contact" leads from this page: the log form, which offers
    /// to come back here once the contact is saved.
    pub fn log_href(&self) -> String {
        match destination(self.active) {
            Some(item) if item.href != "/log" => format!("/log?back={}", item.href),
            _ => "/log".to_string(),
        }
    }

    /// Whether the page shows the floating "Log a contact" button (every page but the log itself).
    pub fn shows_log_button(&self) -> bool {
        self.active != "/log"
    }

    pub fn style(&self) -> String {
        crate::assets::url("style.css")
    }

    pub fn script(&self) -> String {
        crate::assets::url("htmx.min.js")
    }

    /// debrief's own small enhancements (tapped suggestions fill their field).
    pub fn app_script(&self) -> String {
        crate::assets::url("app.js")
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
    message: String,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status;
        let title = match status {
            StatusCode::NOT_FOUND => "Nothing here",
            StatusCode::METHOD_NOT_ALLOWED => "Not something this page does",
            _ if status.is_client_error() => "Please check that",
            _ => "Something went wrong",
        };
        let layout = Layout { title: title.to_string(), active: "", rep: String::new() };
        let page = ErrorPage { layout, message: self.0.message };
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
