//! What makes the web app installable and forgiving offline: the web app
//! manifest and the service worker (`assets/sw.js`), served at the root so
//! it controls every page. The offline queue itself lives in `assets/app.js`.

use axum::Router;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;
use axum::routing::get;

use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/manifest.webmanifest", get(manifest)).route("/sw.js", get(service_worker))
}

const MANIFEST: &str = r##"{
  "name": "debrief",
  "short_name": "debrief",
  "description": "Log every client contact, learn from it, follow up.",
  "start_url": "/",
  "scope": "/",
  "display": "standalone",
  "background_color": "#ffffff",
  "theme_color": "#0f6e78",
  "icons": [
    {"src": "/assets/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any maskable"},
    {"src": "/assets/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any maskable"}
  ],
  "shortcuts": [{"name": "Log a contact", "url": "/log"}]
}
"##;

async fn manifest() -> impl IntoResponse {
    ([(CONTENT_TYPE, "application/manifest+json"), (CACHE_CONTROL, "public, max-age=300")], MANIFEST)
}

/// The worker with the names of today's assets filled in, never cached by
/// the browser's HTTP cache (a new build must reach it).
async fn service_worker() -> impl IntoResponse {
    let assets = serde_json::to_string(&crate::assets::all_urls()).unwrap_or_else(|_| "[]".to_string());
    let body = include_str!("../assets/sw.js").replace("/*ASSETS*/[]", &assets);
    ([(CONTENT_TYPE, "text/javascript; charset=utf-8"), (CACHE_CONTROL, "no-cache")], body)
}
