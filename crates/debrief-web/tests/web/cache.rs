//! The read cache behind the week page and `/api/v1/week`: a write through
//! the server is seen by the very next read; a write it cannot see (the CLI
//! on the same database) within a second.

use axum::http::Method;
use serde_json::json;

use debrief_app::input::{LogRequest, RawLog, RawReason};

use crate::harness::{TestApp, lost, rep};

/// The "Lost" count the week page shows.
fn lost_on_page(body: &str) -> u64 {
    let at = body.find("<dt>Lost</dt><dd>").expect("a Lost count") + "<dt>Lost</dt><dd>".len();
    body[at..].split('<').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_write_through_the_server_is_seen_by_the_next_read() {
    let t = TestApp::sqlite().await;
    t.demo().await;
    let before = lost_on_page(&t.get("/").await.body);
    let api_before = t.get("/api/v1/week").await.json()["lost"].as_u64().unwrap();
    assert_eq!(before, api_before);
    assert_eq!(lost_on_page(&t.get("/").await.body), before, "a reload is the same page");
    let id = t.log(lost("Acme", "never asked the budget question", "talked features")).await;
    assert_eq!(lost_on_page(&t.get("/").await.body), before + 1, "the page sees the new contact");
    assert_eq!(t.get("/api/v1/week").await.json()["lost"], api_before + 1, "so does the API");
    let form = [("outcome", "won"), ("client", "Acme"), ("at", "2026-11-26T10:00")];
    t.form(&format!("/contacts/{id}/edit"), &form).await;
    assert_eq!(lost_on_page(&t.get("/").await.body), before, "and an edit from a form");
    t.delete(&format!("/api/v1/contacts/{id}")).await;
    t.json(Method::PUT, "/api/v1/focus", json!({"reason": "didn't ask about budget"})).await;
    assert!(t.get("/").await.body.contains("Your focus:"), "and a focus set through the API");
}

#[tokio::test]
async fn a_write_the_server_cannot_see_shows_within_a_second() {
    let t = TestApp::sqlite().await;
    t.demo().await;
    let before = lost_on_page(&t.get("/").await.body);
    let raw = RawLog {
        client: "Birch".into(),
        outcome: "lost".into(),
        at: Some("2026-11-26T10:00:00Z".into()),
        reasons: vec![RawReason::text("talked features")],
        ..RawLog::default()
    };
    let req = LogRequest::new(raw, &t.app.context()).unwrap();
    t.app.log(&rep(), req).await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(lost_on_page(&t.get("/").await.body), before + 1);
}
