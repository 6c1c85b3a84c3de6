//! The import page (upload, check, confirm) and the triage page.

use axum::body::Body;
use axum::http::{Method, StatusCode};

use crate::harness::{ORIGIN, TestApp, request};

const DEALS: &str = "Record ID,Deal Name,Deal Stage,Close Date,Create Date,Is Deal Closed?,Closed Lost Reason\r\n\
1,Acme,Closed lost,2026-11-23 10:00,2026-10-01 09:00,true,Budget frozen until next year\r\n\
2,Bolt,Closed won,2026-11-24 10:00,2026-10-02 09:00,true,\r\n\
3,Cedar,Closed lost,2026-11-25 10:00,2026-10-03 09:00,true,\r\n";

/// Posts the upload form as a browser does (multipart), with `fields` beside the file.
async fn upload(t: &TestApp, name: &str, file: &str, fields: &[(&str, &str)]) -> crate::harness::Resp {
    let boundary = "----debrieftest";
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
    ));
    let req = request(Method::POST, "/import")
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("origin", ORIGIN)
        .body(Body::from(body))
        .unwrap();
    t.send(req).await
}

fn token(body: &str) -> String {
    let at = body.find("name=\"token\" value=\"").expect("a confirmation form") + 20;
    body[at..at + 32].to_string()
}

#[tokio::test]
async fn an_upload_is_checked_shown_and_imported_on_confirmation() {
    let t = TestApp::sqlite().await;
    let page = t.get("/import").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("enctype=\"multipart/form-data\""), "{}", page.body);

    let checked = upload(&t, "deals.csv", DEALS, &[("preset", ""), ("date_order", "")]).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert!(checked.body.contains("Check before importing: deals.csv"), "{}", checked.body);
    assert!(checked.body.contains("HubSpot deals export, 3 rows"), "{}", checked.body);
    assert!(checked.body.contains("Would add 6"), "{}", checked.body);
    assert_eq!(t.get("/api/v1/contacts").await.json()["total"], 0, "a check writes nothing");

    let done = t.form("/import/confirm", &[("token", &token(&checked.body))]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("Imported: deals.csv"), "{}", done.body);
    assert!(done.body.contains("2 lost contacts wait for triage"), "{}", done.body);
    assert_eq!(t.get("/api/v1/contacts").await.json()["total"], 6);
    // A token is good once.
    let again = t.form("/import/confirm", &[("token", &token(&checked.body))]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("upload the file again"), "{}", again.body);

    // The week says what waits; the triage page files it.
    assert!(t.get("/").await.body.contains("2 lost contacts imported from your CRM wait for their reason"));
    let triage = t.get("/triage").await;
    assert!(triage.body.contains("Budget frozen until next year"), "{}", triage.body);
    let cedar = triage.body.find("<h2 id=\"contact-").map(|i| &triage.body[i + 16..]).unwrap();
    let cedar_id: String = cedar.chars().take_while(char::is_ascii_digit).collect();
    let refused = t.form(&format!("/triage/{cedar_id}"), &[("choice", "mine"), ("text", "")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("the CRM gave no reason for this loss"), "{}", refused.body);
    let filed = t.form(&format!("/triage/{cedar_id}"), &[("choice", "mine"), ("text", "sent the quote late")]).await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.body);
    let left = t.get("/triage").await;
    assert!(left.body.contains("1 lost contact waits for their reason"), "{}", left.body);
}

#[tokio::test]
async fn a_bad_file_is_refused_with_its_line_and_column() {
    let t = TestApp::sqlite().await;
    let empty = upload(&t, "deals.csv", "", &[]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad = upload(&t, "odd.csv", "Firma,Datum\nAcme,2026-11-02\n", &[]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("no preset knows this header"), "{}", bad.body);
    let rows = upload(&t, "deals.csv", &DEALS.replace("2026-11-24 10:00", "2026-11-31 10:00"), &[]).await;
    assert_eq!(rows.status, StatusCode::OK);
    assert!(
        rows.body.contains("deals.csv:3:4: Close Date: &#34;2026-11-31 10:00&#34; is not a date the calendar has"),
        "{}",
        rows.body
    );
    assert!(rows.body.contains("1 bad row: importing takes the others and sets it aside"), "{}", rows.body);
}

const CALENDAR: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:m1\r\nDTSTART:20261127T140000Z\r\nDTEND:20261127T143000Z\r\nSUMMARY:Acme – pricing call\r\nORGANIZER:mailto:sam@ourco.example\r\nATTENDEE:mailto:sam@ourco.example\r\nATTENDEE;CN=Jo:mailto:jo@acme.example\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:m2\r\nDTSTART:20261127T160000Z\r\nDTEND:20261127T163000Z\r\nSUMMARY:Team sync\r\nATTENDEE:mailto:sam@ourco.example\r\nATTENDEE:mailto:al@ourco.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";

#[tokio::test]
async fn todays_meetings_from_a_calendar_are_debriefed_with_one_tap() {
    let t = TestApp::sqlite().await;
    let checked = upload(&t, "work.ics", CALENDAR, &[]).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert!(checked.body.contains("Acme – pricing call"), "{}", checked.body);
    assert!(!checked.body.contains("Team sync"), "colleagues only: {}", checked.body);
    let kept = t.form("/import/confirm", &[("token", &token(&checked.body))]).await;
    assert_eq!(kept.status, StatusCode::OK, "{}", kept.body);
    let today = t.get("/today").await;
    assert!(today.body.contains("1 meeting today not yet debriefed"), "{}", today.body);
    let link = today.body.find("/log?meeting=").map(|i| &today.body[i + 13..]).unwrap();
    let id: String = link.chars().take_while(char::is_ascii_digit).collect();
    let form = t.get(&format!("/log?meeting={id}")).await;
    assert!(form.body.contains("value=\"Acme\""), "the client is filled in: {}", form.body);
    assert!(form.body.contains("Debriefing the meeting"), "{}", form.body);
    let saved = t
        .form(
            "/log",
            &[
                ("client", "Acme"),
                ("outcome", "advanced"),
                ("channel", "meeting"),
                ("at", "2026-11-27 14:00"),
                ("meeting", &id),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert!(!t.get("/today").await.body.contains("not yet debriefed"));
}

#[tokio::test]
async fn the_api_lists_and_files_what_waits_for_triage() {
    let t = TestApp::sqlite().await;
    let options = debrief_app::crm::CsvOptions { rep: Some(crate::harness::rep()), ..Default::default() };
    t.app.import_csv(&crate::harness::rep(), "deals.csv", DEALS.as_bytes(), &options, None, &|_| {}).await.unwrap();
    let list = t.get("/api/v1/triage").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let v = list.json();
    assert_eq!(v["waiting"], 2);
    let acme = v["items"].as_array().unwrap().iter().find(|i| i["client"] == "Acme").unwrap().clone();
    let path = format!("/api/v1/triage/{}", acme["contact_id"]);
    let bad = t.json(Method::POST, &path, serde_json::json!({"to": "somewhere"})).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("expected suggested, reason, mine or theirs"), "{}", bad.body);
    let filed = t.json(Method::POST, &path, serde_json::json!({"to": "suggested"})).await;
    assert_eq!(filed.status, StatusCode::OK, "{}", filed.body);
    assert_eq!(filed.json()["controllable"], false, "{}", filed.body);
    assert_eq!(filed.json()["waiting"], 1);
    let again = t.json(Method::POST, &path, serde_json::json!({"to": "mine"})).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "{}", again.body);
}
