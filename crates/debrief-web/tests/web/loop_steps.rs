//! The later steps of the loop in process: the agenda, owning up, recovering
//! from mishaps, the apology check and the daily question, as pages (every
//! form, and every refused value shown again next to its field) and as API
//! routes (success and every error).

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::{Resp, TestApp, request};

/// A won contact with `client`, so follow-ups can be added for them.
async fn won(t: &TestApp, client: &str) -> i64 {
    t.log(json!({"client": client, "outcome": "won", "at": "2026-11-26 10:00"})).await
}

/// A lost contact whose controllable reason affected the client.
async fn affected(t: &TestApp, client: &str) -> i64 {
    t.log(json!({
        "client": client, "outcome": "lost", "at": "2026-11-26 10:00",
        "reasons": [{"text": "sent the wrong price list", "affected_client": true}],
    }))
    .await
}

/// A follow-up added by hand through the API; returns its id.
async fn follow_up(t: &TestApp, client: &str, due: &str, note: &str) -> i64 {
    let res = t.json(Method::POST, "/api/v1/follow-ups", json!({"client": client, "due": due, "note": note})).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    res.json()["id"].as_i64().unwrap()
}

async fn first_own_item(t: &TestApp) -> i64 {
    let v = t.get("/api/v1/own").await.json();
    v["items"][0]["id"].as_i64().unwrap_or_else(|| panic!("no item: {v}"))
}

async fn open_recovery(t: &TestApp) -> i64 {
    let body = json!({"client": "Acme", "kind": "late", "what": "30 minutes late to the demo"});
    let res = t.json(Method::POST, "/api/v1/mishaps", body).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    res.json()["id"].as_i64().unwrap()
}

/// A body that is not JSON, sent as JSON.
async fn malformed(t: &TestApp, method: Method, path: &str) -> Resp {
    let req = request(method, path).header("content-type", "application/json").body(Body::from("{oops"));
    t.send(req.unwrap()).await
}

fn assert_redirect(res: &Resp, to: &str) {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(res.header("location").starts_with(to), "{}", res.header("location"));
}

/// A refused form: 422, the message next to `field` (its `-error` paragraph), the typed value kept.
fn assert_refused(res: &Resp, field: &str, kept: &str) {
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains(&format!("id=\"{field}-error\"")), "no message next to {field}: {}", res.body);
    assert!(res.body.contains(&format!("aria-describedby=\"{field}-error")), "{field} not described: {}", res.body);
    assert!(res.body.contains(kept), "{kept:?} not kept: {}", res.body);
}

#[tokio::test]
async fn every_new_page_renders_with_its_nav_entry() {
    let t = TestApp::sqlite().await;
    for (path, heading) in [
        ("/agenda", "<h1>Agenda</h1>"),
        ("/own", "<h1>Own up</h1>"),
        ("/mishaps", "<h1>Recover</h1>"),
        ("/today", "<h1>Today</h1>"),
    ] {
        let res = t.get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.body);
        assert!(res.body.contains(heading), "{path}: {}", res.body);
        assert!(res.body.contains(&format!("<a href=\"{path}\" aria-current=\"page\">")), "{path} nav");
    }
    let week = t.get("/").await;
    assert!(week.body.contains("Daily question, last 30 days"), "{}", week.body);
    assert!(week.body.contains("No mistakes waiting to be owned"), "{}", week.body);
    let log = t.get("/log").await;
    assert!(log.body.contains("name=\"affected_client\""), "{}", log.body);
}

#[tokio::test]
async fn the_agenda_adds_snoozes_and_completes_follow_ups() {
    let t = TestApp::sqlite().await;
    won(&t, "Acme").await;
    let res =
        t.form("/agenda/add", &[("client", "Acme"), ("due", "2026-11-26T09:00"), ("note", "send the quote")]).await;
    assert_redirect(&res, "/agenda");
    let page = t.get("/agenda").await;
    assert!(page.body.contains("send the quote") && page.body.contains("1 day late"), "{}", page.body);
    assert!(page.body.contains("last: won"), "the last contact with the client, one tap away: {}", page.body);
    let agenda = t.get("/api/v1/agenda").await.json();
    assert_eq!(agenda["items"][0]["last_contact"]["outcome"], "won", "{agenda}");
    let id = agenda["items"][0]["id"].as_i64().unwrap();

    let res = t.form(&format!("/agenda/{id}/snooze"), &[("days", "0")]).await;
    assert_refused(&res, &format!("days-{id}"), "value=\"0\"");
    let res = t.form(&format!("/agenda/{id}/snooze"), &[("days", "soon")]).await;
    assert_refused(&res, &format!("days-{id}"), "value=\"soon\"");
    let res = t.form(&format!("/agenda/{id}/snooze"), &[("days", "2")]).await;
    assert_redirect(&res, "/agenda");
    let page = t.get(res.header("location")).await;
    assert!(page.body.contains("Sun 29 Nov, 09:00"), "{}", page.body);
    assert!(page.body.contains("class=\"toast\" role=\"status\">Snoozed to Sun 29 Nov, 09:00:"), "{}", page.body);
    assert!(!t.get("/agenda").await.body.contains("class=\"toast\""), "the toast is said once");

    let res = t.form(&format!("/agenda/{id}/done"), &[]).await;
    assert_redirect(&res, "/agenda");
    let page = t.get(res.header("location")).await;
    assert!(!page.body.contains("send the quote"));
    assert!(page.body.contains("Done. It is off your agenda."), "{}", page.body);
    assert_eq!(t.form("/agenda/999/done", &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.form("/agenda/x/done", &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.get("/agenda?days=9999999").await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_bad_follow_up_comes_back_with_its_message_and_values() {
    let t = TestApp::sqlite().await;
    won(&t, "Acme").await;
    let res = t.form("/agenda/add", &[("client", "Acme"), ("due", "tomorrowish"), ("note", "call them")]).await;
    assert_refused(&res, "due", "value=\"tomorrowish\"");
    assert!(res.body.contains("value=\"call them\""), "{}", res.body);
    let res = t.form("/agenda/add", &[("client", "Nobody"), ("due", "2026-12-01T09:00"), ("note", "call them")]).await;
    assert_refused(&res, "client", "value=\"Nobody\"");
    let res = t.form("/agenda/add", &[("client", "Acme"), ("due", "2026-12-01T09:00"), ("note", " ")]).await;
    assert_refused(&res, "note", "value=\"Acme\"");
}

#[tokio::test]
async fn the_ics_download_is_a_calendar() {
    let t = TestApp::sqlite().await;
    won(&t, "Acme").await;
    follow_up(&t, "Acme", "2026-12-01T09:00:00Z", "send the quote").await;
    for path in ["/agenda.ics", "/api/v1/follow-ups.ics"] {
        let res = t.get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert!(res.header("content-type").starts_with("text/calendar"), "{path}");
        assert!(res.header("content-disposition").contains("filename=\"debrief-follow-ups.ics\""), "{path}");
        assert!(res.body.starts_with("BEGIN:VCALENDAR"), "{}", res.body);
        assert!(res.body.contains("BEGIN:VEVENT") && res.body.contains("END:VCALENDAR"), "{}", res.body);
    }
    assert!(t.get("/agenda").await.body.contains("href=\"/agenda.ics\""));
}

/// The API's export is the CLI's document, as a download.
#[tokio::test]
async fn the_api_exports_everything_the_rep_owns() {
    let t = TestApp::sqlite().await;
    won(&t, "Acme").await;
    follow_up(&t, "Acme", "2026-12-01T09:00:00Z", "send the quote").await;
    let res = t.get("/api/v1/export").await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.header("content-disposition").contains("filename=\"debrief-"), "{}", res.header("content-disposition"));
    let doc = res.json();
    assert_eq!((doc["format"].as_str(), doc["version"].as_u64()), (Some("debrief-export"), Some(2)));
    assert_eq!(doc["contacts"][0]["client"], "Acme");
    assert!(doc["follow_ups"].as_array().unwrap().iter().any(|f| f["note"] == "send the quote"), "{doc}");
}

#[tokio::test]
async fn owning_up_from_the_log_form_to_a_commitment() {
    let t = TestApp::sqlite().await;
    let fields =
        [("outcome", "lost"), ("client", "Acme"), ("reason1", "sent the wrong price list"), ("affected_client", "on")];
    let res = t.form("/log", &fields).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let page = t.get("/own").await;
    assert!(page.body.contains("1 mistake") && page.body.contains("Acme"), "{}", page.body);
    let home = t.get("/").await;
    assert!(home.body.contains("href=\"/own\">1 mistake"), "{}", home.body);
    let id = first_own_item(&t).await;

    let res = t.form(&format!("/own/{id}/owned"), &[("how", ""), ("said", "It was my mistake")]).await;
    assert_refused(&res, &format!("how-{id}"), "It was my mistake");
    let res = t.form(&format!("/own/{id}/owned"), &[("how", "call"), ("said", "  ")]).await;
    assert_refused(&res, &format!("said-{id}"), "value=\"call\" checked");
    let res = t.form(&format!("/own/{id}/owned"), &[("how", "call"), ("said", "It was my mistake")]).await;
    assert_redirect(&res, "/own");

    let res = t.form(&format!("/own/{id}/commit"), &[("text", "")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains(&format!("id=\"text-{id}-error\"")), "{}", res.body);
    assert_redirect(&t.form(&format!("/own/{id}/commit"), &[("text", "check the list date")]).await, "/own");
    assert!(t.get("/own").await.body.contains("Nothing to own up to"));
    assert_eq!(t.form("/own/999/commit", &[("text", "x")]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_logged_contact_without_the_box_opens_nothing_to_own() {
    let t = TestApp::sqlite().await;
    let fields = [("outcome", "lost"), ("client", "Acme"), ("reason1", "sent the wrong price list")];
    assert_eq!(t.form("/log", &fields).await.status, StatusCode::OK);
    assert_eq!(t.get("/api/v1/own").await.json()["items"], json!([]));
    let bad = [("outcome", "maybe"), ("client", "Acme"), ("affected_client", "on")];
    let res = t.form("/log", &bad).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("name=\"affected_client\" value=\"on\" checked"), "the box stays ticked: {}", res.body);
    assert_refused(&res, "affected_client", "value=\"Acme\"");
    assert!(res.body.contains("id=\"outcome-error\""), "every error of the refusal is shown: {}", res.body);
}

#[tokio::test]
async fn recovering_from_a_mishap_on_the_page() {
    let t = TestApp::sqlite().await;
    let res = t.form("/mishaps", &[("client", "Acme"), ("kind", ""), ("what", "late to the demo")]).await;
    assert_refused(&res, "kind", "late to the demo");
    let res = t.form("/mishaps", &[("client", " "), ("kind", "late"), ("what", "late to the demo")]).await;
    assert_refused(&res, "client", "late to the demo");
    assert_redirect(
        &t.form("/mishaps", &[("client", "Acme"), ("kind", "late"), ("what", "late to the demo")]).await,
        "/mishaps",
    );
    let id = t.get("/api/v1/mishaps").await.json()[0]["id"].as_i64().unwrap();
    let page = t.get("/mishaps").await;
    assert!(page.body.contains("client told ahead") && page.body.contains(&format!("recovery-{id}")), "{}", page.body);

    let res =
        t.form(&format!("/mishaps/{id}/steps"), &[("step", "plan"), ("text", ""), ("client_said", "ok then")]).await;
    assert_refused(&res, &format!("step-{id}"), "ok then");
    let res = t.form(&format!("/mishaps/{id}/steps"), &[("step", "fly"), ("text", "x")]).await;
    assert_refused(&res, &format!("step-{id}"), "id=\"step-");
    let res = t.form(&format!("/mishaps/{id}/steps"), &[("step", "resolved"), ("text", "fixed")]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("Worth knowing") && res.body.contains("resolved"), "{}", res.body);
    assert_eq!(t.form("/mishaps/999/steps", &[("step", "plan"), ("text", "x")]).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_apology_check_shows_its_findings() {
    let t = TestApp::sqlite().await;
    let res = t.form("/mishaps/apology", &[("text", "Sorry, but the system was down and traffic was terrible.")]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("Verdict: excusing"), "{}", res.body);
    assert!(res.body.contains("Instead:"), "{}", res.body);
    let res = t.form("/mishaps/apology", &[("text", "   ")]).await;
    assert_refused(&res, "apology", "Check an apology");
}

#[tokio::test]
async fn the_daily_question_on_the_page() {
    let t = TestApp::sqlite().await;
    let res = t.form("/today", &[("items", "\n  \n")]).await;
    assert_refused(&res, "items", "<textarea id=\"items\"");
    let res = t.form("/today", &[("items", "ask for the budget\nlisten more")]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("Saved.") && res.body.contains("2 things to do better"), "{}", res.body);
    assert!(
        res.body.contains("1 day in a row") && res.body.contains("ask for the budget\nlisten more"),
        "{}",
        res.body
    );
    assert!(res.body.contains("Fri 27 Nov: <span aria-hidden=\"true\">✓ </span>answered"), "{}", res.body);
    let res = t.form("/today", &[("items", ""), ("nothing", "1")]).await;
    assert!(res.body.contains("Nothing to improve today."), "{}", res.body);
    let week = t.get("/").await;
    assert!(week.body.contains("Fri 27 Nov: answered"), "the strip's drawing names each day: {}", week.body);
}

#[tokio::test]
async fn the_agenda_api_and_its_errors() {
    let t = TestApp::sqlite().await;
    won(&t, "Acme").await;
    let id = follow_up(&t, "Acme", "2026-11-26T09:00:00Z", "send the quote").await;
    let v = t.get("/api/v1/agenda?days=0").await.json();
    assert_eq!((v["days"].clone(), v["overdue"].clone()), (json!(0), json!(1)), "{v}");
    assert!(v["items"].as_array().unwrap().iter().any(|i| i["id"] == id && i["overdue"] == true), "{v}");
    t.get("/api/v1/agenda?days=9999").await.error(422, "invalid", Some("days"));
    t.get("/api/v1/agenda?days=abc").await.error(422, "invalid", Some("days"));

    let add = |client: &str, due: &str, note: &str| json!({"client": client, "due": due, "note": note});
    t.json(Method::POST, "/api/v1/follow-ups", add("Nobody", "2026-12-01T09:00:00Z", "x")).await.error(
        404,
        "not_found",
        Some("client"),
    );
    t.json(Method::POST, "/api/v1/follow-ups", add("Acme", "someday", "x")).await.error(422, "invalid", Some("due"));
    t.json(Method::POST, "/api/v1/follow-ups", add("Acme", "2026-12-01T09:00:00Z", " ")).await.error(
        422,
        "invalid",
        Some("note"),
    );
    t.json(Method::POST, "/api/v1/follow-ups", json!({"client": "Acme"})).await.error(422, "invalid", Some("due"));
    malformed(&t, Method::POST, "/api/v1/follow-ups").await.error(400, "malformed_json", None);

    let snooze = format!("/api/v1/follow-ups/{id}/snooze");
    t.json(Method::POST, &snooze, json!({"days": 0})).await.error(422, "invalid", Some("days"));
    t.json(Method::POST, &snooze, json!({"days": "two"})).await.error(422, "invalid", Some("days"));
    malformed(&t, Method::POST, &snooze).await.error(400, "malformed_json", None);
    t.json(Method::POST, "/api/v1/follow-ups/999/snooze", json!({"days": 1})).await.error(404, "not_found", None);
    let v = t.json(Method::POST, &snooze, json!({"days": 3})).await.json();
    assert_eq!(v["due"], "2026-11-30T09:00:00+00:00", "{v}");

    let done = t.json(Method::POST, &format!("/api/v1/follow-ups/{id}/done"), json!({})).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json(), json!([]));
    t.json(Method::POST, &format!("/api/v1/follow-ups/{id}/done"), json!({})).await.error(422, "rejected", None);
    t.json(Method::POST, "/api/v1/follow-ups/999/done", json!({})).await.error(404, "not_found", None);
    t.json(Method::POST, "/api/v1/follow-ups/abc/done", json!({})).await.error(404, "not_found", None);
}

#[tokio::test]
async fn the_own_api_and_its_errors() {
    let t = TestApp::sqlite().await;
    affected(&t, "Acme").await;
    let v = t.get("/api/v1/own").await.json();
    assert_eq!(v["not_owned"], 1, "{v}");
    assert_eq!(v["items"][0]["state"], "open", "{v}");
    let id = first_own_item(&t).await;
    let owned = format!("/api/v1/own/{id}/owned");
    let commit = format!("/api/v1/own/{id}/commit");

    t.json(Method::POST, &owned, json!({"how": "fax", "said": "sorry"})).await.error(422, "invalid", Some("how"));
    t.json(Method::POST, &owned, json!({"how": "call"})).await.error(422, "invalid", Some("said"));
    malformed(&t, Method::POST, &owned).await.error(400, "malformed_json", None);
    t.json(Method::POST, "/api/v1/own/999/owned", json!({"how": "call", "said": "x"})).await.error(
        404,
        "not_found",
        None,
    );
    let v = t.json(Method::POST, &owned, json!({"how": "in-person", "said": "It was my mistake."})).await.json();
    assert_eq!((v["state"].clone(), v["how"].clone()), (json!("owned"), json!("in-person")), "{v}");

    t.json(Method::POST, &commit, json!({"text": 5})).await.error(422, "invalid", Some("text"));
    malformed(&t, Method::POST, &commit).await.error(400, "malformed_json", None);
    t.json(Method::POST, "/api/v1/own/999/commit", json!({"text": "x"})).await.error(404, "not_found", None);
    let v = t.json(Method::POST, &commit, json!({"text": "check the date first"})).await.json();
    assert_eq!(v["state"], "committed", "{v}");
    assert_eq!(t.get("/api/v1/own").await.json()["items"], json!([]));
}

#[tokio::test]
async fn the_mishap_and_apology_api_and_their_errors() {
    let t = TestApp::sqlite().await;
    let bad = json!({"client": "Acme", "kind": "flood", "what": "x"});
    t.json(Method::POST, "/api/v1/mishaps", bad).await.error(422, "invalid", Some("kind"));
    t.json(Method::POST, "/api/v1/mishaps", json!({"client": " ", "kind": "late", "what": "x"})).await.error(
        422,
        "invalid",
        Some("client"),
    );
    malformed(&t, Method::POST, "/api/v1/mishaps").await.error(400, "malformed_json", None);
    let id = open_recovery(&t).await;
    let list = t.get("/api/v1/mishaps").await.json();
    assert_eq!(list[0]["id"], id, "{list}");
    assert_eq!(list[0]["next_step"], "told-ahead", "{list}");
    t.get("/api/v1/mishaps?all=maybe").await.error(422, "invalid", Some("all"));

    let steps = format!("/api/v1/mishaps/{id}/steps");
    t.json(Method::POST, &steps, json!({"step": "fly"})).await.error(422, "invalid", Some("step"));
    t.json(Method::POST, &steps, json!({"step": "plan"})).await.error(422, "rejected", Some("step"));
    t.json(Method::POST, "/api/v1/mishaps/999/steps", json!({"step": "plan", "text": "x"})).await.error(
        404,
        "not_found",
        None,
    );
    malformed(&t, Method::POST, &steps).await.error(400, "malformed_json", None);
    let v = t
        .json(Method::POST, &steps, json!({"step": "apologized", "text": "Sorry, but traffic was terrible."}))
        .await
        .json();
    let warnings: Vec<&str> = v["warnings"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
    assert!(warnings.iter().any(|w| w.contains("excuses")), "{v}");
    let v = t.json(Method::POST, &steps, json!({"step": "resolved"})).await.json();
    assert_eq!(v["open"], false, "{v}");
    assert!(!v["warnings"].as_array().unwrap().is_empty(), "{v}");
    assert_eq!(t.get("/api/v1/mishaps").await.json(), json!([]));
    assert_eq!(t.get("/api/v1/mishaps?all=true").await.json()[0]["id"], id);

    let v = t.json(Method::POST, "/api/v1/apology", json!({"text": "Sorry, but the system was down."})).await.json();
    assert_eq!(v["verdict"], "excusing", "{v}");
    assert!(v["findings"][0]["suggestion"].as_str().is_some_and(|s| !s.is_empty()), "{v}");
    let v = t
        .json(Method::POST, "/api/v1/apology", json!({"text": "I was late. That was my fault, and I am sorry."}))
        .await
        .json();
    assert_eq!(v["verdict"], "owning", "{v}");
    t.json(Method::POST, "/api/v1/apology", json!({"text": "  "})).await.error(422, "invalid", Some("text"));
    t.json(Method::POST, "/api/v1/apology", json!({"text": "x".repeat(2001)})).await.error(
        422,
        "invalid",
        Some("text"),
    );
    malformed(&t, Method::POST, "/api/v1/apology").await.error(400, "malformed_json", None);
}

#[tokio::test]
async fn the_today_api_and_its_errors() {
    let t = TestApp::sqlite().await;
    let v = t.get("/api/v1/today").await.json();
    assert_eq!((v["done_today"].clone(), v["strip"].as_array().unwrap().len()), (json!(false), 30), "{v}");
    let v: Value = t.json(Method::PUT, "/api/v1/today", json!({"items": ["ask for the budget"]})).await.json();
    assert_eq!((v["done_today"].clone(), v["streak"].clone()), (json!(true), json!(1)), "{v}");
    assert_eq!(v["items"], json!(["ask for the budget"]));
    let v = t.json(Method::PUT, "/api/v1/today", json!({"nothing": true})).await.json();
    assert_eq!(v["nothing_to_improve"], true, "{v}");
    t.json(Method::PUT, "/api/v1/today", json!({})).await.error(422, "invalid", Some("items"));
    t.json(Method::PUT, "/api/v1/today", json!({"items": ["a"], "nothing": true})).await.error(
        422,
        "invalid",
        Some("items"),
    );
    let bell = json!({"items": ["a", " ", "b\u{7}"]});
    let message = t.json(Method::PUT, "/api/v1/today", bell).await.error(422, "invalid", Some("items[1]"));
    assert!(message.contains("control character"), "{message}");
    t.json(Method::PUT, "/api/v1/today", json!({"items": vec!["a"; 21]})).await.error(422, "invalid", Some("items"));
    malformed(&t, Method::PUT, "/api/v1/today").await.error(400, "malformed_json", None);
}
