//! "More": every destination that is not in the phone's bottom bar.

use askama::Template;
use axum::Router;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;

use super::{Layout, MORE, NavItem, render};
use crate::extract::CurrentRep;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/more", get(show))
}

#[derive(Template)]
#[template(path = "more.html")]
struct MorePage {
    layout: Layout,
    items: &'static [NavItem],
}

async fn show(rep: CurrentRep) -> Response {
    render(StatusCode::OK, &MorePage { layout: Layout::new("More", "/more", &rep), items: MORE })
}
