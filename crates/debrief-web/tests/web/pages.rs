//! Every page and every form error, in process: what a browser without
//! JavaScript gets.

use axum::body::Body;
use axum::http::{Method, StatusCode};

use crate::harness::{TestApp, lost, request};

fn assert_page(res: &crate::harness::Resp, status: u16, needles: &[&str]) {
    assert_eq!(res.status.as_u16(), status, "{}", res.body);
    assert!(res.header("content-type").starts_with("text/html"), "{}", res.header("content-type"));
    for n in needles {
        assert!(res.body.contains(n), "missing {n:?} in:\n{}", res.body);
    }
}

#[tokio::test]
async fn the_week_page_shows_numbers_charts_and_tables() {
    let t = TestApp::sqlite().await;
    t.demo().await;
    let res = t.get("/").await;
    assert_page(
        &res,
        200,
        &["<h1>Week 2026-W48</h1>", "Success rate (won of decided)", "95% interval", "Focus", "aria-current=\"page\""],
    );
    assert_eq!(res.body.matches("<svg class=\"chart\" role=\"img\"").count(), 2, "both charts");
    assert!(
        res.body.contains("<caption>Success rate per week</caption>")
            && res.body.contains("<caption>Reasons ranked by lost contacts</caption>")
    );
    assert!(!res.body.contains("<script>") && !res.body.contains("style=\""), "no inline script or style");
    let earlier = t.get("/?week=2026-W40").await;
    assert_page(&earlier, 200, &["<h1>Week 2026-W40</h1>", "href=\"/?week=2026-W41\""]);
}

#[tokio::test]
async fn a_wrong_week_comes_back_typed_with_a_message() {
    let t = TestApp::sqlite().await;
    let res = t.get("/?week=2026-W99").await;
    assert_page(
        &res,
        422,
        &["value=\"2026-W99\"", "id=\"week-error\"", "2026 has 53 ISO weeks", "aria-invalid=\"true\""],
    );
    let empty = t.get("/").await;
    assert_page(&empty, 200, &["Nothing logged this week yet", "Nothing to suggest yet"]);
}

#[tokio::test]
async fn the_log_form_saves_and_says_the_next_step() {
    let t = TestApp::sqlite().await;
    assert_page(
        &t.get("/log").await,
        200,
        &[
            "How did it end?",
            "name=\"outcome\" value=\"no-answer\"",
            "<datalist id=\"controllable-reasons\">",
            "hx-get=\"/log/suggest\"",
        ],
    );
    let fields = [
        ("outcome", "lost"),
        ("client", "Acme"),
        ("reason1", "never asked the budget question"),
        ("do1", "ask in the first call"),
        ("reason2", "talked features"),
        ("external1", "chose a competitor"),
        ("better", "listen more"),
    ];
    let res = t.form("/log", &fields).await;
    assert_page(
        &res,
        200,
        &["<strong>Saved.</strong>", "Acme: lost. 0 of 1 won this week.", "counts as “didn&#39;t ask about budget”"],
    );
    let again = t.form("/log", &[("outcome", "lost"), ("client", "Birch"), ("reason1", "no budget discussion")]).await;
    assert_page(&again, 200, &["2nd time this week"]);
    assert_eq!(t.get("/api/v1/contacts").await.json()["total"], 2);
}

#[tokio::test]
async fn a_wrong_log_form_keeps_what_was_typed() {
    let t = TestApp::sqlite().await;
    let res = t.form("/log", &[("outcome", "lost"), ("client", "Acme &amp; Co"), ("better", "listen")]).await;
    assert_page(
        &res,
        422,
        &[
            "value=\"Acme &#38;amp; Co\"",
            "id=\"reason1-error\"",
            "a lost contact needs at least one reason",
            "listen</textarea>",
            "role=\"alert\"",
        ],
    );
    let res =
        t.form("/log", &[("outcome", "maybe"), ("client", ""), ("at", "tomorrow-ish"), ("do2", "call back")]).await;
    assert_page(
        &res,
        422,
        &[
            "id=\"outcome-error\"",
            "id=\"client-error\"",
            "id=\"at-error\"",
            "id=\"do2-error\"",
            "value=\"tomorrow-ish\"",
            "value=\"call back\"",
        ],
    );
    let nul = t.form("/log", &[("outcome", "won"), ("client", "A\u{0}")]).await;
    assert_page(&nul, 422, &["the control character \\u{0}"]);
    assert_eq!(t.get("/api/v1/contacts").await.json()["total"], 0);
    let wrong_type = request(Method::POST, "/log")
        .header("origin", crate::harness::ORIGIN)
        .header("content-type", "application/json")
        .body(Body::from("{}"))
        .unwrap();
    assert_page(&t.send(wrong_type).await, 415, &["Content-Type: application/x-www-form-urlencoded"]);
}

#[tokio::test]
async fn each_error_goes_next_to_the_field_it_is_about() {
    let t = TestApp::sqlite().await;
    let fields = [
        ("outcome", "lost"),
        ("client", "Acme"),
        ("reason1", "never asked the budget question"),
        ("do2", "call back"),
        ("external2", "chose a\u{7} competitor"),
        ("better", &"x".repeat(2001)),
    ];
    let res = t.form("/log", &fields).await;
    assert_page(
        &res,
        422,
        &["id=\"do2-error\"", "id=\"external2-error\"", "id=\"better-error\"", "value=\"call back\""],
    );
    for quiet in ["id=\"reason1-error\"", "id=\"do1-error\"", "id=\"external1-error\""] {
        assert!(!res.body.contains(quiet), "{quiet} has nothing wrong: {}", res.body);
    }
    assert!(res.body.contains("Please check these fields"), "{}", res.body);
    assert_eq!(t.get("/api/v1/contacts").await.json()["total"], 0);
}

#[tokio::test]
async fn the_form_and_the_api_refuse_with_the_same_words() {
    let t = TestApp::sqlite().await;
    let cases: [(&str, &str, &str); 4] = [
        ("outcome", "maybe", "outcome"),
        ("channel", "fax", "channel"),
        ("at", "9999-12-28 10:00", "at"),
        ("client", "A\u{1b}[31mB", "client"),
    ];
    for (name, value, field) in cases {
        let mut form = vec![("outcome", "won"), ("client", "Acme")];
        form.retain(|(n, _)| *n != name);
        form.push((name, value));
        let page = t.form("/log", &form).await;
        let mut body = serde_json::json!({"outcome": "won", "client": "Acme"});
        body[name] = serde_json::Value::from(value);
        let message = t.json(Method::POST, "/api/v1/contacts", body).await.error(422, "invalid", Some(field));
        let shown = message.replace('&', "&#38;").replace('"', "&#34;").replace('\'', "&#39;");
        assert_page(&page, 422, &[&format!("id=\"{field}-error\""), &shown]);
    }
    assert_eq!(t.get("/api/v1/contacts").await.json()["total"], 0);
}

#[tokio::test]
async fn a_form_that_is_not_utf8_is_refused_not_replaced() {
    let t = TestApp::sqlite().await;
    let req = request(Method::POST, "/log")
        .header("origin", crate::harness::ORIGIN)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("outcome=won&client=Acme%FF"))
        .unwrap();
    let res = t.send(req).await;
    assert_page(&res, 400, &["the value of &#34;client&#34; is not valid UTF-8"]);
    assert_eq!(t.get("/api/v1/contacts").await.json()["total"], 0);
    assert_eq!(t.get("/contacts?reason=%FF").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn suggestions_while_typing_count_this_week() {
    let t = TestApp::sqlite().await;
    t.log(lost("Acme", "never asked the budget question", "talked features")).await;
    t.log(lost("Birch", "no budget discussion", "talked features")).await;
    let res = t.get("/log/suggest?reason1=never%20asked%20about%20the%20budget").await;
    assert_page(&res, 200, &["didn&#39;t ask about budget", "3rd time this week"]);
    let external = t.get("/log/suggest?external1=competitor").await;
    assert_page(&external, 200, &["chose a competitor"]);
    assert!(!external.body.contains("time this week"));
    assert_eq!(t.get("/log/suggest").await.body.trim(), "");
}

#[tokio::test]
async fn contacts_list_filters_and_pages() {
    let t = TestApp::sqlite().await;
    t.demo().await;
    let res = t.get("/contacts").await;
    assert_page(&res, 200, &["1–20 of", "rel=\"next\"", "class=\"contact-list\""]);
    let next = t.get("/contacts?offset=20").await;
    assert_page(&next, 200, &["21–40 of", "rel=\"prev\""]);
    let lost = t.get("/contacts?week=2026-W48&outcome=lost&reason=didn%27t%20ask%20about%20budget").await;
    assert_eq!(lost.status, StatusCode::OK);
    let bad = t.get("/contacts?week=48&outcome=meh").await;
    assert_page(
        &bad,
        422,
        &["value=\"48\"", "id=\"week-error\"", "id=\"outcome-error\"", "<option value=\"meh\" selected>meh</option>"],
    );
    let unknown = t.get("/contacts?reason=zzzz%20qqqq").await;
    assert_page(&unknown, 422, &["id=\"reason-error\"", "no reason matches", "value=\"zzzz qqqq\""]);
}

#[tokio::test]
async fn a_contact_can_be_read_edited_and_deleted() {
    let t = TestApp::sqlite().await;
    let id = t.log(lost("Acme", "never asked the budget question", "talked features")).await;
    let path = format!("/contacts/{id}");
    assert_page(
        &t.get(&path).await,
        200,
        &[
            "Acme</h1>",
            "never asked the budget question",
            "(counts as “didn&#39;t ask about budget”)",
            "Next time: ask earlier",
        ],
    );
    let form = t.get(&format!("{path}/edit")).await;
    assert_page(
        &form,
        200,
        &[
            "value=\"Acme\"",
            "value=\"never asked the budget question\"",
            "value=\"2026-11-26T10:00\"",
            "name=\"outcome\" value=\"lost\" checked",
        ],
    );
    let fields = [
        ("outcome", "won"),
        ("client", "Acme Ltd"),
        ("reason1", "never asked the budget question"),
        ("at", "2026-11-26T10:00"),
        ("channel", "visit"),
    ];
    let saved = t.form(&format!("{path}/edit"), &fields).await;
    assert_eq!((saved.status, saved.header("location")), (StatusCode::SEE_OTHER, path.as_str()));
    let v = t.get(&format!("/api/v1{path}")).await.json();
    assert_eq!(
        (v["outcome"].as_str(), v["channel"].as_str(), v["at"].as_str()),
        (Some("won"), Some("visit"), Some("2026-11-26T10:00:00+00:00"))
    );
    let bad = t.form(&format!("{path}/edit"), &[("outcome", "lost"), ("client", "Acme Ltd")]).await;
    assert_page(&bad, 422, &["id=\"reason1-error\"", "value=\"Acme Ltd\""]);
    assert_page(&t.get(&format!("{path}/delete")).await, 200, &["Delete #", "Delete for good", "cannot be undone"]);
    let gone = t.form(&format!("{path}/delete"), &[]).await;
    assert_eq!(
        (gone.status, gone.header("location")),
        (StatusCode::SEE_OTHER, format!("/contacts?deleted={id}").as_str())
    );
    assert_page(&t.get(&format!("/contacts?deleted={id}")).await, 200, &[&format!("Deleted #{id}.")]);
    assert_page(&t.get(&path).await, 404, &["no contact #"]);
    assert_page(&t.get("/contacts/abc").await, 404, &["ids are whole numbers"]);
    assert_page(&t.form(&format!("{path}/edit"), &[("outcome", "won")]).await, 404, &["no contact #"]);
    assert_page(&t.form(&format!("{path}/delete"), &[]).await, 404, &["no contact #"]);
}

#[tokio::test]
async fn reasons_rank_merge_and_rename() {
    let t = TestApp::sqlite().await;
    t.demo().await;
    assert_page(
        &t.get("/reasons").await,
        200,
        &["Merge two reasons", "Rename a reason", "<svg class=\"chart\"", "All "],
    );
    assert_page(&t.get("/reasons?weeks=12").await, 200, &["2026-W37 to 2026-W48"]);
    assert_page(&t.get("/reasons?weeks=abc").await, 422, &["value=\"abc\"", "id=\"weeks-error\""]);
    assert_page(&t.get("/reasons?weeks=0").await, 422, &["id=\"weeks-error\""]);
    let merged = t
        .form("/reasons/merge", &[("from", "didn't ask about budget"), ("into", "talked features, not benefits")])
        .await;
    assert_page(&merged, 200, &["now counts as “talked features, not benefits”"]);
    let empty = t.form("/reasons/merge", &[("from", "zzzz qqqq"), ("into", "")]).await;
    assert_page(&empty, 422, &["id=\"into-error\"", "value=\"zzzz qqqq\""]);
    assert!(!empty.body.contains("id=\"from-error\""), "nothing is looked up before the request is whole");
    let unknown = t.form("/reasons/merge", &[("from", "zzzz qqqq"), ("into", "#1")]).await;
    assert_page(&unknown, 422, &["id=\"from-error\"", "no reason matches", "value=\"zzzz qqqq\""]);
    let same = t.form("/reasons/merge", &[("from", "#1"), ("into", "#1")]).await;
    assert_page(&same, 422, &["id=\"into-error\"", "already the same reason"]);
    let renamed = t.form("/reasons/rename", &[("reason", "#1"), ("label", "features, no benefits")]).await;
    assert_page(&renamed, 200, &["#1 is now “features, no benefits”"]);
    let taken = t.form("/reasons/rename", &[("reason", "#1"), ("label", "chose a competitor")]).await;
    assert_page(&taken, 422, &["id=\"label-error\"", "already exists", "value=\"chose a competitor\""]);
}

#[tokio::test]
async fn focus_set_clear_and_errors() {
    let t = TestApp::sqlite().await;
    t.log(lost("Acme", "never asked the budget question", "talked features")).await;
    t.log(lost("Birch", "no budget discussion", "talked features")).await;
    assert_page(&t.get("/focus").await, 200, &["Suggested focus:", "Make it my focus"]);
    let set = t.form("/focus", &[("reason", "didn't ask about budget")]).await;
    assert_eq!((set.status, set.header("location")), (StatusCode::SEE_OTHER, "/focus"));
    assert_page(
        &t.get("/focus").await,
        200,
        &[
            "Your focus: <strong>didn&#39;t ask about budget</strong> since Fri 27 Nov.",
            "Too few contacts to tell.",
            "Clear the focus",
        ],
    );
    assert_page(&t.get("/").await, 200, &["Your focus:", "Before the focus"]);
    let external = t.form("/focus", &[("reason", "chose a competitor")]).await;
    assert_page(&external, 422, &["id=\"reason-error\"", "not something you control", "value=\"chose a competitor\""]);
    assert_page(&t.form("/focus", &[("reason", " ")]).await, 422, &["id=\"reason-error\""]);
    let cleared = t.form("/focus/clear", &[]).await;
    assert_eq!(cleared.status, StatusCode::SEE_OTHER);
    assert_page(&t.form("/focus/clear", &[]).await, 404, &["no focus set"]);
}

#[tokio::test]
async fn assets_are_embedded_and_cached() {
    let t = TestApp::sqlite().await;
    let page = t.get("/log").await.body;
    let href = page.split("href=\"/assets/style.").nth(1).and_then(|s| s.split('"').next()).unwrap();
    let hashed = t.get(&format!("/assets/style.{href}")).await;
    assert_eq!(hashed.status, StatusCode::OK);
    assert_eq!(hashed.header("content-type"), "text/css; charset=utf-8");
    assert_eq!(hashed.header("cache-control"), "public, max-age=31536000, immutable");
    let plain = t.get("/assets/htmx.min.js").await;
    assert_eq!((plain.status, plain.header("cache-control")), (StatusCode::OK, "public, max-age=300"));
    assert!(plain.header("content-type").starts_with("text/javascript"));
    assert_eq!(t.get("/assets/nothing.js").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn unknown_pages_and_methods_get_html_errors() {
    let t = TestApp::sqlite().await;
    let missing = t.get("/nowhere").await;
    assert_page(&missing, 404, &["there is no page at this address", "Nothing here", "Back to your week"]);
    let res = t.form("/", &[]).await;
    assert_page(&res, 405, &["not allowed"]);
}

/// Words for people: no page speaks of commands, APIs or HTTP; every page
/// has the phone's bar of daily destinations and "More" reaches the rest.
#[tokio::test]
async fn pages_speak_to_people_and_reach_everything() {
    let t = TestApp::sqlite().await;
    let more = t.get("/more").await;
    assert_page(&more, 200, &["href=\"/contacts\"", "href=\"/reasons\"", "href=\"/review\"", "aria-current=\"page\">"]);
    for path in [
        "/",
        "/log",
        "/agenda",
        "/today",
        "/own",
        "/mishaps",
        "/contacts",
        "/reasons",
        "/focus",
        "/review",
        "/more",
        "/nowhere",
    ] {
        let page = t.get(path).await;
        for word in ["JSON", "/api/v1", "HTTP ", "<code>debrief", "checked like code", "CLI"] {
            assert!(!page.body.contains(word), "{path} says {word:?}");
        }
        assert!(page.body.contains("class=\"tabbar\""), "{path} has the bar of daily destinations");
    }
}

#[tokio::test]
async fn on_postgresql_the_pages_work_the_same() {
    let Some(t) = TestApp::postgres().await else { return };
    let res = t
        .form("/log", &[("outcome", "lost"), ("client", "Acme"), ("reason1", "never asked the budget question")])
        .await;
    assert_page(&res, 200, &["<strong>Saved.</strong>"]);
    assert_page(&t.get("/").await, 200, &["<h1>Week 2026-W48</h1>", "<svg class=\"chart\""]);
    assert_page(&t.get("/contacts?outcome=lost").await, 200, &["1–1 of 1"]);
}

#[tokio::test]
async fn a_saved_reason_can_be_refiled_with_one_tap_and_undone() {
    let t = TestApp::sqlite().await;
    let text = "the client simply had no money";
    let saved = t.form("/log", &[("outcome", "lost"), ("client", "Acme"), ("reason1", text)]).await;
    assert_page(
        &saved,
        200,
        &["reads as outside your control", "action=\"/contacts/1/refile\"", "name=\"external\"", "Outside my control"],
    );
    let moved = t.form("/contacts/1/refile", &[("text", text), ("external", "on")]).await;
    assert_page(
        &moved,
        200,
        &["now counts as", "outside your control", "Undo", "Not yours:</strong> the client simply had no money"],
    );
    let undo_as =
        moved.body.split("name=\"as\" value=\"").nth(1).and_then(|r| r.split('"').next()).unwrap().to_string();
    let back = t.form("/contacts/1/refile", &[("text", text), ("as", &undo_as)]).await;
    assert_page(&back, 200, &["Yours:</strong> the client simply had no money"]);
    // The contact page offers the change for every reason; a wrong choice is said on the page.
    assert_page(&t.get("/contacts/1").await, 200, &["Change where it counts", "list=\"refile-labels\""]);
    let wrong = t.form("/contacts/1/refile", &[("text", text), ("as", "zzzz qqqq")]).await;
    assert_page(&wrong, 422, &["no reason matches"]);
    assert_page(&t.form("/contacts/9/refile", &[("text", text), ("new", "on")]).await, 404, &["no contact #9"]);
}

/// Installable: a manifest with icons, a service worker that keeps the
/// pages of the daily loop and every asset, and each page linking them.
#[tokio::test]
async fn the_app_installs_and_keeps_its_shell() {
    let t = TestApp::sqlite().await;
    let manifest = t.get("/manifest.webmanifest").await;
    assert_eq!(manifest.header("content-type"), "application/manifest+json");
    let m: serde_json::Value = serde_json::from_str(&manifest.body).unwrap();
    assert_eq!((m["display"].as_str(), m["start_url"].as_str()), (Some("standalone"), Some("/")));
    for icon in m["icons"].as_array().unwrap() {
        let res = t.get(icon["src"].as_str().unwrap()).await;
        assert_eq!((res.status.as_u16(), res.header("content-type")), (200, "image/png"));
    }
    let worker = t.get("/sw.js").await;
    assert!(worker.header("content-type").starts_with("text/javascript"));
    assert!(
        worker.body.contains("\"/log\"")
            && worker.body.contains("/assets/style.")
            && worker.body.contains("/assets/app.")
    );
    assert!(!worker.body.contains("/*ASSETS*/"), "the asset names are filled in");
    let page = t.get("/log").await;
    assert!(page.body.contains("rel=\"manifest\"") && page.body.contains("/assets/app."), "{}", page.body);
}

/// "Log a contact" from a page offers, once saved, the way back to it; an
/// address that is not one of the app's pages is never offered.
#[tokio::test]
async fn after_logging_the_rep_goes_back_where_they_were() {
    let t = TestApp::sqlite().await;
    let agenda = t.get("/agenda").await;
    assert!(agenda.body.contains("href=\"/log?back=/agenda\""), "{}", agenda.body);
    let form = t.get("/log?back=/agenda").await;
    assert_page(&form, 200, &["name=\"back\" value=\"/agenda\""]);
    let saved = t.form("/log", &[("outcome", "won"), ("client", "Acme"), ("back", "/agenda")]).await;
    assert_page(&saved, 200, &["Saved.", "href=\"/agenda\">Back to Agenda</a>"]);
    for strange in ["//elsewhere.example", "https://elsewhere.example/", "/log", "/nowhere"] {
        let saved = t.form("/log", &[("outcome", "won"), ("client", "Birch"), ("back", strange)]).await;
        assert_page(&saved, 200, &["Saved."]);
        assert!(!saved.body.contains("Back to"), "{strange}");
    }
}

/// Dates as people read them on the contact pages.
#[tokio::test]
async fn contacts_show_human_dates() {
    let t = TestApp::sqlite().await;
    let id = t.log(serde_json::json!({"client": "Acme", "outcome": "won", "at": "2026-11-26T14:24:00Z"})).await;
    assert_page(&t.get("/contacts").await, 200, &["Thu 26 Nov 2026, 14:24"]);
    assert_page(&t.get(&format!("/contacts/{id}")).await, 200, &["Thu 26 Nov 2026, 14:24 (2026-W48)"]);
}
