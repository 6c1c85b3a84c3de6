//! Keeps a local server local: requests must name this server in Host and
//! Origin (DNS rebinding), unsafe methods from other sites are refused (CSRF),
//! and every response carries the security headers.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::pages::PageError;
use crate::state::HostPolicy;

/// No inline scripts or styles anywhere; charts are inline SVG, whose
/// presentation attributes are not styles.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                       frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'";

/// The middleware in front of every route.
pub async fn guard(State(policy): State<Arc<HostPolicy>>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let mut res = match check(&policy, &req) {
        Ok(()) => next.run(req).await,
        Err(e) => reject(e, api),
    };
    if res.headers().get(header::CONTENT_TYPE).is_none() && res.status().is_client_error() {
        res = explain(res, api);
    }
    secure(res.headers_mut());
    res
}

fn reject(e: ApiError, api: bool) -> Response {
    if api { e.into_response() } else { PageError(e).into_response() }
}

/// Whether the request is for this server and, when it changes something, from this server's pages.
fn check(policy: &HostPolicy, req: &Request) -> Result<(), ApiError> {
    let headers = req.headers();
    let host = req
        .uri()
        .authority()
        .map(|a| a.as_str().to_string())
        .or_else(|| text(headers, header::HOST).map(str::to_string))
        .ok_or_else(|| ApiError::bad_request("the request names no Host"))?;
    if !policy.allows(&host) {
        return Err(ApiError::forbidden(format!(
            "this server answers to localhost and its own address only, not to the Host \"{host}\""
        )));
    }
    if let Some(origin) = text(headers, header::ORIGIN)
        && !origin_allowed(policy, origin)
    {
        return Err(ApiError::forbidden(format!("requests from the origin \"{origin}\" are refused")));
    }
    if is_safe(req.method()) {
        return Ok(());
    }
    same_site(policy, req.method(), headers)
}

/// Refuses a change that a browser says comes from another site, or a form
/// post that carries neither Origin nor Referer.
fn same_site(policy: &HostPolicy, method: &Method, headers: &HeaderMap) -> Result<(), ApiError> {
    let cross = || ApiError::forbidden("cross-site requests that change data are refused");
    if text(headers, "sec-fetch-site") == Some("cross-site") {
        return Err(cross());
    }
    if text(headers, header::ORIGIN).is_some() {
        return Ok(());
    }
    match text(headers, header::REFERER) {
        Some(referer) if origin_allowed(policy, referer) => Ok(()),
        Some(_) => Err(cross()),
        None if is_form(method, headers) => Err(ApiError::forbidden(
            "a form post without Origin or Referer is refused: submit it from this server's pages",
        )),
        None => Ok(()),
    }
}

/// `http://localhost:7878` (or a full Referer URL) names this server.
fn origin_allowed(policy: &HostPolicy, origin: &str) -> bool {
    let Some(rest) = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !authority.contains('@') && policy.allows(authority)
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A POST with a content type a cross-site HTML form can send without a
/// preflight (or none at all).
fn is_form(method: &Method, headers: &HeaderMap) -> bool {
    if *method != Method::POST {
        return false;
    }
    let mime = text(headers, header::CONTENT_TYPE).unwrap_or("text/plain").to_ascii_lowercase();
    ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"].iter().any(|f| mime.starts_with(f))
}

fn text<K: header::AsHeaderName>(headers: &HeaderMap, key: K) -> Option<&str> {
    headers.get(key).and_then(|v| v.to_str().ok())
}

/// Gives axum's bodiless 404/405 (unknown path, wrong method) our error format.
fn explain(res: Response, api: bool) -> Response {
    let (mut parts, _) = res.into_parts();
    let e = match parts.status {
        StatusCode::METHOD_NOT_ALLOWED => ApiError::method_not_allowed(),
        StatusCode::NOT_FOUND => ApiError::not_found("there is nothing at this address"),
        status => ApiError::new(status, "bad_request", status.canonical_reason().unwrap_or("bad request")),
    };
    let fresh = reject(e, api);
    for (name, value) in fresh.headers() {
        parts.headers.insert(name.clone(), value.clone());
    }
    Response::from_parts(parts, fresh.into_body())
}

fn secure(headers: &mut HeaderMap) {
    let set = |h: &mut HeaderMap, name: &'static str, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(headers, "content-security-policy", CSP);
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "x-frame-options", "DENY");
    set(headers, "referrer-policy", "same-origin");
    set(headers, "cross-origin-opener-policy", "same-origin");
    if !headers.contains_key(header::CACHE_CONTROL) {
        set(headers, "cache-control", "no-store");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_must_name_this_server() {
        let p = HostPolicy::loopback();
        assert!(origin_allowed(&p, "http://localhost:7878"));
        assert!(origin_allowed(&p, "http://127.0.0.1:7878/log?x=1"));
        assert!(!origin_allowed(&p, "null"));
        assert!(!origin_allowed(&p, "http://evil.example"));
        assert!(!origin_allowed(&p, "http://localhost@evil.example"));
        assert!(!origin_allowed(&p, "file://localhost"));
    }
}
