//! Message review: the page (without JavaScript) and `/api/v1/review`.

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::harness::{ORIGIN, TestApp, request};

pub const EMAIL: &str = "Subject: Your Fridays back\n\nHi Dana,\n\nOur platform has SSO, audit logs and a REST API.\n\
                         You will close deals a week sooner and get your Fridays back.\n\
                         Can we talk on Tuesday at 10?\n\nBest,\nSam";

pub const CALL: &str = "Sam: Hi Dana, thanks for taking the call. What slows your team down?\n\
                        Dana: Reporting takes us all of Friday.\n\
                        Sam: Our tool has automatic reports. You would get your Fridays back.\n\
                        Dana: Sounds good.\n\
                        Sam: Shall we book a demo next Tuesday at 10?\n\
                        Dana: Yes, Tuesday works.";

fn assert_page(res: &crate::harness::Resp, status: u16, needles: &[&str]) {
    assert_eq!(res.status.as_u16(), status, "{}", res.body);
    for n in needles {
        assert!(res.body.contains(n), "missing {n:?} in:\n{}", res.body);
    }
}

#[tokio::test]
async fn the_review_page_is_a_paste_box() {
    let t = TestApp::sqlite().await;
    let res = t.get("/review").await;
    assert_page(
        &res,
        200,
        &[
            "<h1>Review a message</h1>",
            "<label for=\"text\">",
            "<textarea id=\"text\" name=\"text\"",
            "<option value=\"detect\" selected>Detect</option>",
            "<option value=\"transcript\">Call transcript</option>",
            "id=\"me\" name=\"me\"",
            "href=\"/review\" aria-current=\"page\"",
        ],
    );
    assert!(!res.body.contains("Score "), "no result before a text is sent");
}

#[tokio::test]
async fn a_pasted_email_gets_its_score_findings_under_its_lines_and_marked_sentences() {
    let t = TestApp::sqlite().await;
    // Browsers send a textarea with CRLF line ends.
    let typed = EMAIL.replace('\n', "\r\n");
    let res = t.form("/review", &[("text", &typed), ("kind", "message"), ("me", "")]).await;
    let api = t.json(Method::POST, "/api/v1/review", json!({"text": EMAIL, "kind": "message"})).await.json();
    let score = format!("Score {} of 100", api["score"]);
    assert_page(
        &res,
        200,
        &[
            &score,
            "(e-mail)",
            "Where the points come from",
            "<option value=\"message\" selected>E-mail</option>",
            "Your Fridays back",
            "id=\"line-5\"",
            "<mark class=\"s-benefit\"><span class=\"stag\">benefit</span> You will close deals",
            "<mark class=\"s-feature\"><span class=\"stag\">feature</span> Our platform has SSO",
        ],
    );
    for f in api["findings"].as_array().unwrap() {
        let line = format!(
            "<code>{}:{}</code> <code class=\"rule\">{}</code>: ",
            f["line"],
            f["col"],
            f["rule"].as_str().unwrap()
        );
        assert!(res.body.contains(&line), "finding {line} in:\n{}", res.body);
    }
    assert!(res.body.contains("Hi Dana,"), "the text as typed is kept");
}

#[tokio::test]
async fn a_pasted_call_names_the_user_and_counts_the_speakers() {
    let t = TestApp::sqlite().await;
    let res = t.form("/review", &[("text", CALL), ("kind", "detect"), ("me", "Sam")]).await;
    assert_page(
        &res,
        200,
        &["(call transcript)", "Sam (as you said)", "<caption>Speakers</caption>", "Next step agreed", "value=\"Sam\""],
    );
    let unknown = t.form("/review", &[("text", CALL), ("kind", "transcript"), ("me", "Bob")]).await;
    assert_page(
        &unknown,
        422,
        &["id=\"me-error\"", "&#34;Bob&#34; is not a speaker", "value=\"Bob\"", "Dana: Sounds good."],
    );
}

#[tokio::test]
async fn an_empty_or_unreadable_text_comes_back_with_the_message_next_to_the_field() {
    let t = TestApp::sqlite().await;
    let empty = t.form("/review", &[("text", "  \r\n "), ("kind", "detect"), ("me", "")]).await;
    assert_page(&empty, 422, &["id=\"text-error\"", "nothing to review", "aria-invalid=\"true\"", "role=\"alert\""]);
    let no_speakers = t.form("/review", &[("text", "just a line\nand another"), ("kind", "transcript")]).await;
    assert_page(
        &no_speakers,
        422,
        &["id=\"text-error\"", "no recognisable speakers", "just a line\nand another</textarea>"],
    );
    let kind = t.form("/review", &[("text", EMAIL), ("kind", "poem")]).await;
    assert_page(&kind, 422, &["id=\"kind-error\""]);
    let leading = t.form("/review", &[("text", "\n\nHello"), ("kind", "fax")]).await;
    assert!(
        leading
            .body
            .contains("<textarea id=\"text\" name=\"text\" rows=\"12\" spellcheck=\"true\">\n\n\nHello</textarea>"),
        "a leading newline survives the round trip:\n{}",
        leading.body
    );
}

#[tokio::test]
async fn the_api_reviews_a_message() {
    let t = TestApp::sqlite().await;
    let res = t.json(Method::POST, "/api/v1/review", json!({"text": EMAIL})).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let v = res.json();
    assert_eq!((v["file"].as_str(), v["kind"].as_str()), (Some("-"), Some("message")));
    assert!(v["score"].as_u64().unwrap() <= 100 && !v["parts"].as_array().unwrap().is_empty());
    assert_eq!(v["message"]["subject"], "Your Fridays back");
    let classes: Vec<&str> = v["sentences"].as_array().unwrap().iter().filter_map(|s| s["class"].as_str()).collect();
    assert!(classes.contains(&"benefit") && classes.contains(&"feature"), "{classes:?}");
    assert!(v.get("me").is_none() && v.get("speakers").is_none());
    // The sign-off is left out of the review, and said.
    assert_eq!(v["notes"][0]["message"], "left out of the review: the sign-off and signature (lines 9–10)", "{v}");
}

#[tokio::test]
async fn the_page_says_what_was_left_out() {
    let t = TestApp::sqlite().await;
    let text = format!("{EMAIL}\n\nYou are receiving this because you asked for our news. Unsubscribe here.");
    let res = t.form("/review", &[("text", &text), ("kind", "message"), ("me", "")]).await;
    assert_page(
        &res,
        200,
        &[
            "<ul class=\"notes\">",
            "<li>left out of the review: the sign-off and signature (lines 9–10)</li>",
            "<li>left out of the review: the unsubscribe and address footer (line 12)</li>",
        ],
    );
}

#[tokio::test]
async fn the_api_reviews_a_transcript_as_the_given_speaker() {
    let t = TestApp::sqlite().await;
    let body = json!({"text": CALL, "kind": "transcript", "me": "Sam", "name": "dana.txt"});
    let v = t.json(Method::POST, "/api/v1/review", body).await.json();
    assert_eq!((v["file"].as_str(), v["kind"].as_str()), (Some("dana.txt"), Some("transcript")));
    assert_eq!((v["me"]["name"].as_str(), v["me"]["chosen_by"].as_str()), (Some("Sam"), Some("given")));
    assert_eq!(v["speakers"].as_array().unwrap().len(), 2);
    let dana =
        t.json(Method::POST, "/api/v1/review", json!({"text": CALL, "kind": null, "me": "Dana", "name": null})).await;
    assert_eq!(dana.json()["me"]["name"], "Dana");
}

#[tokio::test]
async fn the_api_refuses_what_it_cannot_review_in_our_error_format() {
    let t = TestApp::sqlite().await;
    let cases = [
        (json!({"text": ""}), 422, "invalid", Some("text")),
        (json!({"text": "one line, no speakers", "kind": "transcript"}), 422, "invalid", Some("text")),
        (json!({"text": CALL, "me": "Bob"}), 422, "invalid", Some("me")),
        (json!({"text": "a\u{0}b"}), 422, "invalid", Some("text")),
        (json!({"text": EMAIL, "kind": "poem"}), 422, "invalid", Some("kind")),
        (json!({"text": EMAIL, "name": "x".repeat(201)}), 422, "invalid", Some("name")),
        (json!({"kind": "message"}), 422, "invalid", Some("text")),
        (json!({"text": EMAIL, "colour": "red"}), 422, "invalid", None),
    ];
    for (body, status, code, field) in cases {
        let res = t.json(Method::POST, "/api/v1/review", body.clone()).await;
        if field.is_none() {
            assert_eq!(res.status.as_u16(), status, "{body}: {}", res.body);
            continue;
        }
        res.error(status, code, field);
    }
    let malformed = request(Method::POST, "/api/v1/review")
        .header("content-type", "application/json")
        .body(Body::from("{\"text\": \"Hi"))
        .unwrap();
    t.send(malformed).await.error(400, "malformed_json", None);
    let huge = json!({ "text": "We help you sell. ".repeat(4000) });
    t.json(Method::POST, "/api/v1/review", huge).await.error(413, "payload_too_large", None);
    let form = request(Method::POST, "/api/v1/review")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", ORIGIN)
        .body(Body::from("text=hi"))
        .unwrap();
    t.send(form).await.error(415, "unsupported_media_type", None);
}
