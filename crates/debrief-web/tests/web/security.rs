//! A local server stays local: foreign Host and Origin are refused,
//! cross-site changes are refused, every response carries security headers.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use debrief_web::{AppState, HostPolicy, router};
use serde_json::json;

use crate::harness::{ORIGIN, TestApp, request};

fn form_post(path: &str) -> axum::http::request::Builder {
    request(Method::POST, path).header("content-type", "application/x-www-form-urlencoded")
}

#[tokio::test]
async fn foreign_hosts_and_origins_are_refused() {
    let t = TestApp::sqlite().await;
    let with_host = |host: &str| Request::get("/api/v1/week").header("host", host).body(Body::empty()).unwrap();
    t.send(with_host("evil.example:7878")).await.error(403, "forbidden", None);
    t.send(with_host("localhost.evil.example")).await.error(403, "forbidden", None);
    assert_eq!(t.send(with_host("localhost:7878")).await.status, StatusCode::OK);
    assert_eq!(t.send(with_host("[::1]:7878")).await.status, StatusCode::OK);
    t.send(Request::get("/api/v1/week").body(Body::empty()).unwrap()).await.error(400, "bad_request", None);
    let page = t.send(Request::get("/").header("host", "evil.example").body(Body::empty()).unwrap()).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.header("content-type").starts_with("text/html"));
    let origin =
        request(Method::GET, "/api/v1/week").header("origin", "http://evil.example").body(Body::empty()).unwrap();
    t.send(origin).await.error(403, "forbidden", None);
    let null = request(Method::GET, "/").header("origin", "null").body(Body::empty()).unwrap();
    assert_eq!(t.send(null).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_bound_server_checks_the_port() {
    let t = TestApp::sqlite().await;
    let policy = HostPolicy::for_addr("127.0.0.1:7878".parse().unwrap());
    let app = router(AppState::new(t.app.clone(), crate::harness::rep()).with_hosts(policy));
    let get = |host: &'static str| Request::get("/api/v1/focus").header("host", host).body(Body::empty()).unwrap();
    use tower::ServiceExt;
    assert_eq!(app.clone().oneshot(get("127.0.0.1:7878")).await.unwrap().status(), StatusCode::OK);
    assert_eq!(app.oneshot(get("127.0.0.1:9999")).await.unwrap().status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn cross_site_changes_are_refused() {
    let t = TestApp::sqlite().await;
    let fields = "outcome=won&client=Acme";
    let no_origin = t.send(form_post("/log").body(Body::from(fields)).unwrap()).await;
    assert_eq!(no_origin.status, StatusCode::FORBIDDEN, "a form post without Origin or Referer");
    let foreign = form_post("/log").header("origin", "http://evil.example").body(Body::from(fields)).unwrap();
    assert_eq!(t.send(foreign).await.status, StatusCode::FORBIDDEN);
    let cross =
        form_post("/log").header("origin", ORIGIN).header("sec-fetch-site", "cross-site").body(Body::from(fields));
    assert_eq!(t.send(cross.unwrap()).await.status, StatusCode::FORBIDDEN);
    let foreign_referer =
        form_post("/log").header("referer", "http://evil.example/x").body(Body::from(fields)).unwrap();
    assert_eq!(t.send(foreign_referer).await.status, StatusCode::FORBIDDEN);
    let own_referer =
        form_post("/log").header("referer", "http://127.0.0.1:7878/log").body(Body::from(fields)).unwrap();
    assert_eq!(t.send(own_referer).await.status, StatusCode::OK);
    let text_api =
        request(Method::POST, "/api/v1/contacts").header("content-type", "text/plain").body(Body::from("{}"));
    t.send(text_api.unwrap()).await.error(403, "forbidden", None);
    let json_api = t.json(Method::POST, "/api/v1/contacts", json!({"client": "Acme", "outcome": "won"})).await;
    assert_eq!(json_api.status, StatusCode::CREATED, "API clients send JSON without Origin");
    assert_eq!(t.get("/api/v1/contacts").await.json()["total"], 2);
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let t = TestApp::sqlite().await;
    for path in ["/", "/log", "/api/v1/week", "/api/v1/nothing", "/assets/style.css", "/nowhere"] {
        let res = t.get(path).await;
        let csp = res.header("content-security-policy");
        assert!(
            csp.contains("default-src 'self'")
                && csp.contains("script-src 'self'")
                && csp.contains("frame-ancestors 'none'"),
            "{path}: {csp}"
        );
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(res.header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(res.header("x-frame-options"), "DENY", "{path}");
    }
    assert_eq!(t.get("/api/v1/week").await.header("cache-control"), "no-store");
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let t = TestApp::sqlite().await;
    let big = format!("client={}&outcome=won", "x".repeat(70_000));
    let res = t.send(form_post("/log").header("origin", ORIGIN).body(Body::from(big)).unwrap()).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(res.body.contains("at most 64 KiB"));
}
