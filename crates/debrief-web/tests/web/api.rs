//! Every route of `/api/v1` and every error it can give, in process.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::harness::{ORIGIN, TestApp, lost, rep, request};

#[tokio::test]
async fn logging_a_contact_answers_the_next_step() {
    let t = TestApp::sqlite().await;
    t.log(lost("Acme", "never asked the budget question", "pitched features instead of benefits")).await;
    let res = t.json(Method::POST, "/api/v1/contacts", lost("Birch", "no budget discussion", "talked features")).await;
    assert_eq!(res.status, StatusCode::CREATED);
    let v = res.json();
    assert_eq!(v["contact"]["client"], "Birch");
    assert_eq!(v["reasons"][0]["reason"], "didn't ask about budget");
    assert_eq!(v["reasons"][0]["this_week"], 2);
    assert!(v["next_step"].as_str().unwrap().contains("0 of 2 won this week"), "{v}");
    assert!(v["next_step"].as_str().unwrap().contains("2nd time this week"), "{v}");
}

#[tokio::test]
async fn a_contact_with_every_field_and_a_pinned_reason() {
    let t = TestApp::sqlite().await;
    let vocab = t.get("/api/v1/reasons/vocabulary").await.json();
    let budget =
        vocab.as_array().unwrap().iter().find(|r| r["reason"] == "didn't ask about budget").unwrap()["id"].clone();
    let body = json!({
        "client": "Cedar", "outcome": "won", "at": "2026-11-25T09:30:00Z", "channel": "online-meeting",
        "new_lead": true, "reasons": [{"text": "money talk came late", "reason_id": budget}],
        "external": ["chose a competitor"], "better": "send the recap sooner", "note": "big account"
    });
    let v = t.json(Method::POST, "/api/v1/contacts", body).await.json();
    assert_eq!(v["contact"]["channel"], "online-meeting");
    assert_eq!(v["contact"]["reasons"][0]["reason_id"], budget);
    assert_eq!(v["contact"]["reasons"][1]["controllable"], false);
    assert_eq!(v["contact"]["week"], "2026-W48");
}

#[tokio::test]
async fn bad_contacts_get_field_errors_and_nothing_is_stored() {
    let t = TestApp::sqlite().await;
    let cases = [
        (json!({"client": "A", "outcome": "lost"}), 422, "invalid", Some("reasons")),
        (json!({"client": "A", "outcome": "maybe"}), 422, "invalid", Some("outcome")),
        (json!({"client": "A", "outcome": "won", "channel": "fax"}), 422, "invalid", Some("channel")),
        (json!({"client": "  ", "outcome": "won"}), 422, "invalid", Some("client")),
        (json!({"client": "A\u{0}B", "outcome": "won"}), 422, "invalid", Some("client")),
        (json!({"client": "x".repeat(201), "outcome": "won"}), 422, "invalid", Some("client")),
        (json!({"client": "A", "outcome": "won", "at": "someday"}), 422, "invalid", Some("at")),
        (json!({"client": "A", "outcome": "won", "at": "2030-01-01 10:00"}), 422, "invalid", Some("at")),
        (json!({"client": "A", "outcome": "won", "at": "9999-12-31 23:00"}), 422, "invalid", Some("at")),
        (json!({"client": "A", "outcome": "won", "colour": "red"}), 422, "invalid", None),
        (json!({"client": "A", "outcome": "won", "better": "a\u{7}b"}), 422, "invalid", Some("better")),
        (
            json!({"client": "A", "outcome": "lost", "reasons": [{"text": "a"}, {"text": "b"}, {"text": "c"}]}),
            422,
            "invalid",
            Some("reasons"),
        ),
        (
            json!({"client": "A", "outcome": "lost", "reasons": [{"text": "a", "reason_id": 999_999}]}),
            404,
            "not_found",
            Some("reasons[0].reason_id"),
        ),
        (json!({"client": "A", "outcome": "lost", "external": vec!["x"; 11]}), 422, "invalid", Some("external")),
        (json!({"client": 5, "outcome": "won"}), 422, "invalid", Some("client")),
        (json!(["not", "an", "object"]), 422, "invalid", None),
    ];
    for (body, status, code, field) in cases {
        let res = t.json(Method::POST, "/api/v1/contacts", body.clone()).await;
        if field.is_none() && status == 422 {
            assert_eq!(res.status.as_u16(), 422, "{body}: {}", res.body);
            continue;
        }
        res.error(status, code, field);
    }
    assert_eq!(t.get("/api/v1/contacts").await.json()["total"], 0);
}

#[tokio::test]
async fn malformed_bodies_get_400_413_and_415() {
    let t = TestApp::sqlite().await;
    let raw = |ct: &str, body: Vec<u8>| {
        let req = request(Method::POST, "/api/v1/contacts").header("content-type", ct).header("origin", ORIGIN);
        req.body(Body::from(body)).unwrap()
    };
    t.send(raw("application/json", b"{\"client\":".to_vec())).await.error(400, "malformed_json", None);
    t.send(raw("application/json", b"".to_vec())).await.error(400, "malformed_json", None);
    t.send(raw("application/json", br#"{"client": "A", "outcome": "won"} []"#.to_vec())).await.error(
        400,
        "malformed_json",
        None,
    );
    t.send(raw("application/json", b"{}".to_vec())).await.error(422, "invalid", Some("client"));
    t.send(raw("text/plain", b"{}".to_vec())).await.error(415, "unsupported_media_type", None);
    let no_type = request(Method::POST, "/api/v1/contacts").header("origin", ORIGIN).body(Body::from("{}")).unwrap();
    t.send(no_type).await.error(415, "unsupported_media_type", None);
    let big = format!("{{\"client\": \"{}\", \"outcome\": \"won\"}}", "x".repeat(70_000));
    t.send(raw("application/json", big.into_bytes())).await.error(413, "payload_too_large", None);
    t.send(raw("application/json", vec![0xff, 0xfe])).await.error(400, "malformed_json", None);
}

#[tokio::test]
async fn listing_filters_and_pages() {
    let t = TestApp::sqlite().await;
    let a = t.log(lost("Acme", "never asked the budget question", "talked features")).await;
    t.log(json!({"client": "Birch", "outcome": "won", "at": "2026-11-24 10:00"})).await;
    t.log(json!({"client": "Cedar", "outcome": "won", "at": "2026-11-10 10:00"})).await;
    let all = t.get("/api/v1/contacts?limit=2").await.json();
    assert_eq!((all["total"].as_u64(), all["contacts"].as_array().unwrap().len()), (Some(3), 2));
    let rest = t.get("/api/v1/contacts?limit=2&offset=2").await.json();
    assert_eq!((rest["offset"].as_u64(), rest["contacts"][0]["client"].as_str()), (Some(2), Some("Cedar")));
    assert_eq!(t.get("/api/v1/contacts?week=2026-W48").await.json()["total"], 2);
    assert_eq!(t.get("/api/v1/contacts?outcome=lost").await.json()["contacts"][0]["id"], a);
    let budget = t.get("/api/v1/contacts?reason=didn%27t%20ask%20about%20budget").await.json();
    assert_eq!(budget["total"], 1);
    t.get("/api/v1/contacts?week=2026-47").await.error(422, "invalid", Some("week"));
    t.get("/api/v1/contacts?week=9999-W52").await.error(422, "invalid", Some("week"));
    t.get("/api/v1/contacts?outcome=meh").await.error(422, "invalid", Some("outcome"));
    t.get("/api/v1/contacts?limit=abc").await.error(422, "invalid", Some("limit"));
    t.get("/api/v1/contacts?limit=0").await.error(422, "invalid", Some("limit"));
    t.get("/api/v1/contacts?limit=501").await.error(422, "invalid", Some("limit"));
    t.get("/api/v1/contacts?offset=-1").await.error(422, "invalid", Some("offset"));
    t.get("/api/v1/contacts?reason=zzzz%20qqqq").await.error(404, "not_found", Some("reason"));
    t.get("/api/v1/contacts?reason=%00").await.error(422, "invalid", Some("reason"));
}

#[tokio::test]
async fn getting_updating_and_deleting_one_contact() {
    let t = TestApp::sqlite().await;
    let id = t.log(lost("Acme", "never asked the budget question", "talked features")).await;
    let path = format!("/api/v1/contacts/{id}");
    assert_eq!(t.get(&path).await.json()["client"], "Acme");
    let patched = t.json(Method::PATCH, &path, json!({"outcome": "won", "better": null, "client": "Acme Ltd"})).await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    let v = patched.json();
    assert_eq!(
        (v["outcome"].as_str(), v["client"].as_str(), v["better"].is_null()),
        (Some("won"), Some("Acme Ltd"), true)
    );
    assert_eq!(v["reasons"].as_array().unwrap().len(), 2, "reasons are kept when not given");
    let cleared = t.json(Method::PATCH, &path, json!({"reasons": [], "external": []})).await.json();
    assert!(cleared["reasons"].as_array().unwrap().is_empty());
    t.json(Method::PATCH, &path, json!({"outcome": "lost"})).await.error(422, "invalid", Some("reasons"));
    t.json(Method::PATCH, &path, json!({"at": "soon"})).await.error(422, "invalid", Some("at"));
    t.json(Method::PATCH, &path, json!({"client": ""})).await.error(422, "invalid", Some("client"));
    t.json(Method::PATCH, "/api/v1/contacts/999", json!({})).await.error(404, "not_found", None);
    assert_eq!(t.delete(&path).await.json()["deleted"], id);
    t.delete(&path).await.error(404, "not_found", None);
    t.get(&path).await.error(404, "not_found", None);
    t.get("/api/v1/contacts/abc").await.error(404, "not_found", None);
    t.get("/api/v1/contacts/99999999999999999999").await.error(404, "not_found", None);
}

#[tokio::test]
async fn the_week_is_the_same_document_as_the_cli_prints() {
    let t = TestApp::sqlite().await;
    t.demo().await;
    let res = t.get("/api/v1/week").await;
    assert_eq!(res.status, StatusCode::OK);
    let expected =
        serde_json::to_value(t.app.week(&rep(), &debrief_app::input::WeekRequest::current()).await.unwrap()).unwrap();
    assert_eq!(res.json(), expected);
    assert_eq!(res.json()["week"], "2026-W48");
    let earlier = t.get("/api/v1/week?week=2026-W45").await.json();
    assert_eq!(earlier["week"], "2026-W45");
    t.get("/api/v1/week?week=W45").await.error(422, "invalid", Some("week"));
    t.get("/api/v1/week?week=2026-W54").await.error(422, "invalid", Some("week"));
}

#[tokio::test]
async fn the_trend_spans_the_weeks_asked_for() {
    let t = TestApp::sqlite().await;
    t.demo().await;
    let v = t.get("/api/v1/trend").await.json();
    assert_eq!(v["weeks"].as_array().unwrap().len(), 12);
    assert_eq!(v["weeks"][11]["week"], "2026-W48");
    let short = t.get("/api/v1/trend?weeks=3&last=2026-W40").await.json();
    assert_eq!(short["weeks"][2]["week"], "2026-W40");
    t.get("/api/v1/trend?weeks=0").await.error(422, "invalid", Some("weeks"));
    t.get("/api/v1/trend?weeks=4294967295").await.error(422, "invalid", Some("weeks"));
    t.get("/api/v1/trend?weeks=x").await.error(422, "invalid", Some("weeks"));
    t.get("/api/v1/trend?last=soon").await.error(422, "invalid", Some("last"));
}

#[tokio::test]
async fn reasons_rank_list_and_suggest() {
    let t = TestApp::sqlite().await;
    t.log(lost("Acme", "never asked the budget question", "talked features")).await;
    let ranked = t.get("/api/v1/reasons?weeks=8").await.json();
    assert_eq!(ranked["lost"], 1);
    assert_eq!(ranked["reasons"].as_array().unwrap().len(), 2);
    t.get("/api/v1/reasons?weeks=0").await.error(422, "invalid", Some("weeks"));
    t.get("/api/v1/reasons?weeks=105").await.error(422, "invalid", Some("weeks"));
    assert!(t.get("/api/v1/reasons/vocabulary").await.json().as_array().unwrap().len() >= 40);
    let s = t.get("/api/v1/reasons/suggest?text=never%20asked%20about%20the%20budget&kind=controllable").await.json();
    assert_eq!(s[0]["reason"], "didn't ask about budget");
    assert_eq!(s[0]["this_week"], 1);
    t.get("/api/v1/reasons/suggest").await.error(400, "bad_request", Some("text"));
    t.get("/api/v1/reasons/suggest?text=x&limit=50").await.error(422, "invalid", Some("limit"));
    t.get("/api/v1/reasons/suggest?text=x&kind=mine").await.error(422, "invalid", Some("kind"));
}

#[tokio::test]
async fn reasons_merge_and_rename() {
    let t = TestApp::sqlite().await;
    t.log(lost("Acme", "the zebra incident", "talked features")).await;
    let merged = t
        .json(
            Method::POST,
            "/api/v1/reasons/merge",
            json!({"from": "the zebra incident", "into": "didn't ask about budget"}),
        )
        .await;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.body);
    assert_eq!(merged.json()["into"], "didn't ask about budget");
    let same = json!({"from": "didn't ask about budget", "into": "never asked the budget question"});
    t.json(Method::POST, "/api/v1/reasons/merge", same).await.error(422, "rejected", Some("into"));
    let unknown = json!({"from": "zzzz qqqq", "into": "#1"});
    t.json(Method::POST, "/api/v1/reasons/merge", unknown).await.error(404, "not_found", Some("from"));
    t.json(Method::POST, "/api/v1/reasons/merge", json!({"from": "#1"})).await.error(422, "invalid", Some("into"));
    let renamed = t
        .json(
            Method::POST,
            "/api/v1/reasons/rename",
            json!({"reason": "didn't ask about budget", "label": "skipped the budget"}),
        )
        .await;
    assert_eq!(renamed.json()["reason"], "skipped the budget");
    let taken = json!({"reason": "skipped the budget", "label": "chose a competitor"});
    t.json(Method::POST, "/api/v1/reasons/rename", taken).await.error(409, "conflict", Some("label"));
    let empty = json!({"reason": "skipped the budget", "label": " "});
    t.json(Method::POST, "/api/v1/reasons/rename", empty).await.error(422, "invalid", Some("label"));
    let nul = json!({"reason": "skipped\u{0}", "label": "x"});
    t.json(Method::POST, "/api/v1/reasons/rename", nul).await.error(422, "invalid", Some("reason"));
}

/// The filing is returned with how sure it is and the runner-up; re-filing
/// moves the counts, keeps the words, and `undo_as` puts it back.
async fn refile_through_the_api(t: &TestApp) {
    let body = json!({"client": "Acme", "outcome": "lost", "at": "2026-11-26T10:00:00Z",
        "reasons": [{"text": "the client simply had no money"}]});
    let logged = t.json(Method::POST, "/api/v1/contacts", body).await;
    assert_eq!(logged.status, StatusCode::CREATED, "{}", logged.body);
    let v = logged.json();
    let filed = &v["reasons"][0];
    assert_eq!(filed["kept_apart"], true, "{v}");
    assert!(filed["confidence"].is_number() && filed.get("runner_up").is_some(), "{v}");
    let id = v["contact"]["id"].as_i64().unwrap();
    let path = format!("/api/v1/contacts/{id}/refile");
    let moved = t.json(Method::POST, &path, json!({"text": "the client simply had no money", "external": true})).await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let m = moved.json();
    assert_eq!(
        (m["controllable"].clone(), m["contact"]["reasons"][0]["text"].clone()),
        (json!(false), json!("the client simply had no money"))
    );
    let week = t.get("/api/v1/week?week=2026-W48").await.json();
    assert!(week["reasons"].as_array().unwrap().iter().all(|r| r["controllable"] == false), "{week}");
    let undo = json!({"text": "the client simply had no money", "as": m["undo_as"]});
    let back = t.json(Method::POST, &path, undo).await;
    assert_eq!(back.json()["controllable"], true, "{}", back.body);
    let two = json!({"text": "the client simply had no money", "new": true, "external": true});
    t.json(Method::POST, &path, two).await.error(422, "invalid", Some("as"));
    let unknown = json!({"text": "the client simply had no money", "as": "zzzz qqqq"});
    t.json(Method::POST, &path, unknown).await.error(422, "invalid", Some("as"));
    let missing = json!({"text": "talked too much", "new": true});
    t.json(Method::POST, &path, missing).await.error(422, "invalid", Some("text"));
    let none = json!({"text": "x", "new": true});
    t.json(Method::POST, "/api/v1/contacts/999/refile", none).await.error(404, "not_found", None);
}

#[tokio::test]
async fn refiling_through_the_api_on_sqlite_and_postgres() {
    refile_through_the_api(&TestApp::sqlite().await).await;
    if let Some(t) = TestApp::postgres().await {
        refile_through_the_api(&t).await;
    }
}

/// The rep's weeks are counted in the rep's zone; changing it moves a
/// Monday-morning contact in Auckland from the week of UTC into its own.
#[tokio::test]
async fn the_reps_zone_decides_the_week() {
    let t = TestApp::sqlite().await;
    let set = t.json(Method::PUT, "/api/v1/zone", json!({"tz": "Pacific/Auckland"})).await;
    assert_eq!(set.json()["tz"], "Pacific/Auckland", "{}", set.body);
    let at = json!({"client": "Acme", "outcome": "won", "at": "2026-11-23T08:00:00+13:00"});
    t.log(at).await;
    assert_eq!(t.get("/api/v1/week?week=2026-W48").await.json()["contacts"], 1);
    assert_eq!(t.get("/api/v1/zone").await.json()["tz"], "Pacific/Auckland");
    t.json(Method::PUT, "/api/v1/zone", json!({"tz": "UTC"})).await;
    assert_eq!(t.get("/api/v1/week?week=2026-W47").await.json()["contacts"], 1, "Sunday 22 November in UTC");
    t.json(Method::PUT, "/api/v1/zone", json!({"tz": "Mars/Base"})).await.error(422, "invalid", Some("tz"));
}

#[tokio::test]
async fn focus_get_set_clear() {
    let t = TestApp::sqlite().await;
    assert_eq!(t.get("/api/v1/focus").await.json(), json!({"focus": null}));
    t.log(lost("Acme", "never asked the budget question", "talked features")).await;
    t.log(lost("Birch", "no budget discussion", "talked features")).await;
    let suggested = t.get("/api/v1/focus").await.json();
    assert_eq!(suggested["focus"]["status"], "suggested");
    let set = t.json(Method::PUT, "/api/v1/focus", json!({"reason": "didn't ask about budget"})).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(
        (set.json()["status"].as_str(), set.json()["effect"]["verdict"].as_str()),
        (Some("set"), Some("too few contacts to tell"))
    );
    assert_eq!(t.get("/api/v1/focus").await.json()["focus"]["status"], "set");
    t.json(Method::PUT, "/api/v1/focus", json!({"reason": "chose a competitor"})).await.error(
        422,
        "rejected",
        Some("reason"),
    );
    t.json(Method::PUT, "/api/v1/focus", json!({"reason": "zzzz qqqq"})).await.error(404, "not_found", Some("reason"));
    t.json(Method::PUT, "/api/v1/focus", json!({"why": 1})).await.error(422, "invalid", Some("why"));
    assert_eq!(t.delete("/api/v1/focus").await.json(), json!({"cleared": true}));
    t.delete("/api/v1/focus").await.error(404, "not_found", None);
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_our_format() {
    let t = TestApp::sqlite().await;
    t.get("/api/v1/nothing").await.error(404, "not_found", None);
    let res = t.send(request(Method::PUT, "/api/v1/contacts").body(Body::empty()).unwrap()).await;
    res.error(405, "method_not_allowed", None);
    assert!(res.header("allow").contains("GET"), "Allow: {}", res.header("allow"));
    t.delete("/api/v1/week").await.error(405, "method_not_allowed", None);
}

#[tokio::test]
async fn on_postgresql_the_api_works_the_same() {
    let Some(t) = TestApp::postgres().await else { return };
    let id = t.log(lost("Acme", "never asked the budget question", "talked features")).await;
    t.log(lost("Birch", "no budget discussion", "talked features")).await;
    assert_eq!(t.get("/api/v1/week").await.json()["lost"], 2);
    assert_eq!(t.get("/api/v1/contacts?outcome=lost&limit=1").await.json()["total"], 2);
    let patched = t.json(Method::PATCH, &format!("/api/v1/contacts/{id}"), json!({"outcome": "won"})).await;
    assert_eq!(patched.json()["outcome"], "won");
    t.json(Method::POST, "/api/v1/contacts", json!({"client": "A\u{0}", "outcome": "won"})).await.error(
        422,
        "invalid",
        Some("client"),
    );
    let long = json!({"client": "A", "outcome": "lost", "reasons": [{"text": "é".repeat(200)}]});
    assert_eq!(t.json(Method::POST, "/api/v1/contacts", long).await.status, StatusCode::CREATED);
    let merged = json!({"from": "didn't ask about budget", "into": "talked features, not benefits"});
    let merged = t.json(Method::POST, "/api/v1/reasons/merge", merged).await;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.body);
    let set = t.json(Method::PUT, "/api/v1/focus", json!({"reason": "#1"})).await;
    assert_eq!(set.json()["status"], "set");
}
