//! A small cache of rendered reads (the week page, the week report): the
//! most visited answers cost about twenty queries each, the same bytes for
//! every reload.
//!
//! Correctness first:
//! - every request that may write (any method but GET, HEAD, OPTIONS) moves
//!   the *generation* on before and after it runs ([`invalidate_on_write`]);
//!   an answer is kept only if the generation did not move while it was
//!   computed, and served only while the generation is the one it was
//!   computed under. A write through this server is therefore seen by the
//!   very next read.
//! - writes this server cannot see (the `debrief` command on the same
//!   database, another server on the same PostgreSQL) and the clock (the
//!   current week, "won by now") are bounded by [`FRESH`]: an older answer is
//!   recomputed by the first request that finds it; requests arriving while
//!   that one computes get the previous answer rather than a queue.
//! - answers are keyed by everything the handler reads from the request (the
//!   rep, the parameters as typed) and by the current week.
//!
//! A kept answer is also kept gzipped, compressed once: a browser's reload
//! costs a copy, not a compression (the compression layer leaves an answer
//! that is already encoded as it is).

use std::collections::HashMap;
use std::future::Future;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use std::io::Write;

use axum::body::Bytes;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE, VARY};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::state::AppState;

/// How long an answer is served as it is.
pub const FRESH: Duration = Duration::from_secs(1);
/// After this, an answer whose refresh never finished (the client went away)
/// is not served at all.
const STALE_LIMIT: Duration = Duration::from_secs(5);
/// Answers kept at most (a week page is about 45 KB).
const CAPACITY: usize = 128;

/// A finished answer: status, content type and body.
#[derive(Clone, Debug)]
pub struct Cached {
    pub status: StatusCode,
    pub content_type: &'static str,
    pub body: Bytes,
}

impl Cached {
    pub fn html(status: StatusCode, html: String) -> Cached {
        Cached { status, content_type: "text/html; charset=utf-8", body: Bytes::from(html) }
    }

    /// `value` as a 200 JSON answer; a view that cannot be written (none
    /// can: they hold no maps and no failing types) is a 500, never a panic.
    pub fn json(value: &impl Serialize) -> Cached {
        match serde_json::to_vec(value) {
            Ok(body) => Cached { status: StatusCode::OK, content_type: "application/json", body: Bytes::from(body) },
            Err(e) => {
                tracing::error!(error = %e, "a view failed to serialize");
                let body = br#"{"error":{"code":"internal","message":"the server failed to answer: see its log","field":null}}"#;
                let status = StatusCode::INTERNAL_SERVER_ERROR;
                Cached { status, content_type: "application/json", body: Bytes::from_static(body) }
            }
        }
    }
}

impl IntoResponse for Cached {
    fn into_response(self) -> Response {
        (self.status, [(CONTENT_TYPE, self.content_type)], self.body).into_response()
    }
}

/// Whether the client takes gzip (its `Accept-Encoding` names `gzip` or
/// `*` without `q=0`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AcceptsGzip(pub bool);

impl AcceptsGzip {
    pub fn of(headers: &HeaderMap) -> AcceptsGzip {
        let takes = headers.get_all(ACCEPT_ENCODING).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(','));
        AcceptsGzip(takes.into_iter().any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let coding = parts.next().unwrap_or_default();
            let refused = parts.any(|p| p.strip_prefix("q=").is_some_and(|q| q.parse::<f32>().is_ok_and(|q| q <= 0.0)));
            (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
        }))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for AcceptsGzip {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(AcceptsGzip::of(&parts.headers))
    }
}

/// Answers shorter than this are not worth compressing.
const GZIP_FROM: usize = 1024;

/// `body` gzipped, when it is long enough to gain from it.
fn gzip(body: &[u8]) -> Option<Bytes> {
    if body.len() < GZIP_FROM {
        return None;
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::with_capacity(body.len() / 4), flate2::Compression::default());
    encoder.write_all(body).ok()?;
    encoder.finish().ok().map(Bytes::from)
}

/// The response for `value`, gzipped (`gz`) when the client takes it.
fn respond(value: Cached, gz: Option<Bytes>, accepts: AcceptsGzip) -> Response {
    match gz.filter(|_| accepts.0) {
        Some(gz) => {
            let headers = [(CONTENT_TYPE, value.content_type), (CONTENT_ENCODING, "gzip"), (VARY, "accept-encoding")];
            (value.status, headers, gz).into_response()
        }
        None => {
            (value.status, [(CONTENT_TYPE, value.content_type), (VARY, "accept-encoding")], value.body).into_response()
        }
    }
}

struct Entry {
    generation: u64,
    made: Instant,
    value: Cached,
    /// `value`'s body gzipped, if it is worth it.
    gz: Option<Bytes>,
    /// A request is computing a newer answer.
    refreshing: bool,
}

/// The cache; one per server, shared by every handler.
pub struct ReadCache {
    generation: AtomicU64,
    entries: Mutex<HashMap<String, Entry>>,
    fresh: Duration,
}

impl Default for ReadCache {
    fn default() -> ReadCache {
        ReadCache::new(FRESH)
    }
}

/// What a lookup found.
enum Lookup {
    Hit(Cached, Option<Bytes>),
    /// Compute it (and keep it if the generation holds).
    Compute {
        generation: u64,
    },
}

impl ReadCache {
    pub fn new(fresh: Duration) -> ReadCache {
        ReadCache { generation: AtomicU64::new(0), entries: Mutex::new(HashMap::new()), fresh }
    }

    /// Forgets every answer: something may have been written.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.lock().clear();
    }

    /// The answer kept under `key`, or the one `compute` gives (kept when
    /// it is a success), gzipped when the client `accepts` it.
    pub async fn through<E, F>(&self, key: String, accepts: AcceptsGzip, compute: F) -> Result<Response, E>
    where
        F: Future<Output = Result<Cached, E>>,
    {
        let generation = match self.lookup(&key) {
            Lookup::Hit(value, gz) => return Ok(respond(value, gz, accepts)),
            Lookup::Compute { generation } => generation,
        };
        let value = compute.await?;
        if !value.status.is_success() {
            return Ok(respond(value, None, accepts));
        }
        let gz = gzip(&value.body);
        self.keep(key, generation, value.clone(), gz.clone());
        Ok(respond(value, gz, accepts))
    }

    fn lookup(&self, key: &str) -> Lookup {
        // Read the generation before the entries: an invalidation in between
        // makes the answer computed here one that is not kept.
        let generation = self.generation.load(Ordering::SeqCst);
        let mut entries = self.lock();
        let Some(entry) = entries.get_mut(key).filter(|e| e.generation == generation) else {
            return Lookup::Compute { generation };
        };
        let age = entry.made.elapsed();
        if age < self.fresh || (entry.refreshing && age < STALE_LIMIT) {
            return Lookup::Hit(entry.value.clone(), entry.gz.clone());
        }
        entry.refreshing = true;
        Lookup::Compute { generation }
    }

    fn keep(&self, key: String, generation: u64, value: Cached, gz: Option<Bytes>) {
        let mut entries = self.lock();
        if self.generation.load(Ordering::SeqCst) != generation {
            return;
        }
        if entries.len() >= CAPACITY && !entries.contains_key(&key) {
            entries.retain(|_, e| e.made.elapsed() < self.fresh);
            if entries.len() >= CAPACITY {
                entries.clear();
            }
        }
        entries.insert(key, Entry { generation, made: Instant::now(), value, gz, refreshing: false });
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Entry>> {
        // A panic while holding the lock leaves a map that is still whole.
        self.entries.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A cache key from the parts an answer depends on.
pub fn key(parts: &[&str]) -> String {
    parts.join("\u{1f}")
}

/// The middleware that forgets every kept answer around a request that may write.
pub async fn invalidate_on_write(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method().is_safe() {
        return next.run(req).await;
    }
    let cache = state.cache();
    cache.invalidate();
    let res = next.run(req).await;
    cache.invalidate();
    res
}

#[cfg(test)]
mod tests {
    use std::convert::Infallible;

    use super::*;

    fn body(text: &str) -> Cached {
        Cached::html(StatusCode::OK, text.to_string())
    }

    async fn read(cache: &ReadCache, key: &str, text: &str) -> String {
        let res = cache
            .through(key.to_string(), AcceptsGzip(false), async { Ok::<_, Infallible>(body(text)) })
            .await
            .unwrap();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[tokio::test]
    async fn answers_are_kept_until_a_write() {
        let cache = ReadCache::default();
        assert_eq!(read(&cache, "a", "one").await, "one");
        assert_eq!(read(&cache, "a", "two").await, "one", "kept");
        assert_eq!(read(&cache, "b", "three").await, "three", "by key");
        cache.invalidate();
        assert_eq!(read(&cache, "a", "four").await, "four", "forgotten after a write");
    }

    #[tokio::test]
    async fn an_answer_computed_across_a_write_is_not_kept() {
        let cache = ReadCache::default();
        let res = cache
            .through("a".to_string(), AcceptsGzip(false), async {
                cache.invalidate();
                Ok::<_, Infallible>(body("read before the write ended"))
            })
            .await;
        assert!(res.is_ok());
        assert_eq!(read(&cache, "a", "fresh").await, "fresh");
    }

    #[tokio::test]
    async fn old_answers_are_recomputed_and_failures_are_not_kept() {
        let cache = ReadCache::new(Duration::from_millis(20));
        assert_eq!(read(&cache, "a", "one").await, "one");
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert_eq!(read(&cache, "a", "two").await, "two");
        let failed = Cached { status: StatusCode::UNPROCESSABLE_ENTITY, ..body("no") };
        let _ = cache.through("c".to_string(), AcceptsGzip(false), async { Ok::<_, Infallible>(failed) }).await;
        assert_eq!(read(&cache, "c", "yes").await, "yes");
    }

    #[test]
    fn while_one_request_refreshes_the_others_get_the_previous_answer() {
        let cache = ReadCache::new(Duration::ZERO);
        cache.keep("a".into(), 0, body("old"), None);
        assert!(matches!(cache.lookup("a"), Lookup::Compute { .. }), "the first refreshes");
        assert!(matches!(cache.lookup("a"), Lookup::Hit(..)), "the next is served meanwhile");
        cache.invalidate();
        assert!(matches!(cache.lookup("a"), Lookup::Compute { .. }), "never after a write");
    }

    #[test]
    fn a_full_cache_makes_room() {
        let cache = ReadCache::default();
        for i in 0..CAPACITY + 5 {
            cache.keep(format!("k{i}"), 0, body("x"), None);
        }
        assert!(cache.lock().len() <= CAPACITY);
    }
}
