//! The static assets, embedded in the binary. Each is served under a name
//! that carries a hash of its content, so it can be cached for a year; the
//! plain name is served too, with a short cache.

use std::sync::LazyLock;

use axum::Router;
use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::error::ApiError;
use crate::state::AppState;

struct Asset {
    /// The plain name, e.g. `style.css`.
    name: &'static str,
    mime: &'static str,
    body: &'static [u8],
}

const ASSETS: &[Asset] = &[
    Asset { name: "style.css", mime: "text/css; charset=utf-8", body: include_bytes!("../assets/style.css") },
    Asset { name: "app.js", mime: "text/javascript; charset=utf-8", body: include_bytes!("../assets/app.js") },
    Asset { name: "icon-192.png", mime: "image/png", body: include_bytes!("../assets/icons/icon-192.png") },
    Asset { name: "icon-512.png", mime: "image/png", body: include_bytes!("../assets/icons/icon-512.png") },
    Asset {
        name: "htmx.min.js",
        mime: "text/javascript; charset=utf-8",
        body: include_bytes!("../assets/vendor/htmx.min.js"),
    },
];

/// `style.<hash>.css`: the name a page links to.
static HASHED: LazyLock<Vec<String>> = LazyLock::new(|| ASSETS.iter().map(hashed_name).collect());

fn hashed_name(asset: &Asset) -> String {
    let (stem, ext) = asset.name.split_once('.').unwrap_or((asset.name, ""));
    format!("{stem}.{:016x}.{ext}", fnv1a(asset.body))
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The URL of an asset by its plain name, for templates.
pub fn url(name: &str) -> String {
    let i = ASSETS.iter().position(|a| a.name == name).expect("a known asset");
    format!("/assets/{}", HASHED[i])
}

/// Every asset's URL, for the service worker to keep.
pub fn all_urls() -> Vec<String> {
    HASHED.iter().map(|h| format!("/assets/{h}")).collect()
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/assets/{file}", get(asset))
}

async fn asset(Path(file): Path<String>) -> Response {
    let found = ASSETS.iter().zip(HASHED.iter()).find(|(a, h)| a.name == file || **h == file);
    let Some((asset, hashed)) = found else {
        return ApiError::not_found(format!("no asset \"{file}\"")).into_response();
    };
    let cache = if *hashed == file { "public, max-age=31536000, immutable" } else { "public, max-age=300" };
    ([(CONTENT_TYPE, asset.mime), (CACHE_CONTROL, cache)], asset.body).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_names_follow_the_content() {
        assert!(url("style.css").starts_with("/assets/style.") && url("style.css").ends_with(".css"));
        assert_ne!(fnv1a(b"a"), fnv1a(b"b"));
    }
}
