//! debrief's web server: the loop (log, week review, reasons, focus, trend,
//! contacts, message review) as server-rendered pages and as a JSON API under
//! `/api/v1`, over the same application layer as the CLI. It is the only crate
//! that knows HTTP.
//!
//! [`router`] builds the whole app from an [`AppState`], so tests call it in
//! process; [`serve`] runs it on a listener the caller bound, until `shutdown`,
//! with deadlines for slow clients ([`Timeouts`]).

mod api;
mod assets;
mod cache;
mod charts;
mod error;
mod extract;
mod pages;
mod pwa;
mod review;
mod security;
mod server;
mod state;

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tokio::net::TcpListener;
use tower_http::compression::CompressionLayer;

pub use extract::CurrentRep;
pub use server::{BODY_READ_TIMEOUT, HEADER_READ_TIMEOUT, IDLE_TIMEOUT, Timeouts};
pub use state::{AppState, HostPolicy};

/// The largest request body accepted; larger ones get 413.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Why the server stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot read the listening address: {0}")]
    Address(std::io::Error),
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

/// The whole web app: pages, API, assets, behind the security guard.
pub fn router(state: AppState) -> Router {
    let policy = state.hosts.clone();
    Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .merge(assets::routes())
        .merge(pwa::routes())
        .fallback(pages::not_found)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn_with_state(state.clone(), cache::invalidate_on_write))
        .layer(axum::middleware::from_fn_with_state(policy, security::guard))
        // Pages, the API and the assets go out gzipped to clients that accept it.
        .layer(CompressionLayer::new())
        .with_state(state)
}

/// Serves `app` for the single rep `rep` on `listener` until `shutdown` resolves.
/// Requests must name this server (loopback names or the bound address) as
/// their Host; see [`HostPolicy`]. Slow clients are cut off after the
/// default [`Timeouts`].
pub async fn serve(
    app: debrief_app::App,
    rep: debrief_app::RepName,
    review: debrief_core::critique::ReviewConfig,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    serve_with(app, rep, review, listener, shutdown, Timeouts::default()).await
}

/// [`serve`] with other deadlines for slow clients.
pub async fn serve_with(
    app: debrief_app::App,
    rep: debrief_app::RepName,
    review: debrief_core::critique::ReviewConfig,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    timeouts: Timeouts,
) -> Result<(), ServeError> {
    let addr: SocketAddr = listener.local_addr().map_err(ServeError::Address)?;
    let state = AppState::new(app, rep).with_hosts(HostPolicy::for_addr(addr)).with_review(review);
    tracing::info!(%addr, "debrief serving");
    server::run(router(state), listener, shutdown, timeouts).await
}
