//! One table of bad input, tried through every door: the command line (the
//! real binary), the web form (the router, in process) and the JSON API. All
//! three refuse with the same message text, and nothing stored changes.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{Method, Request};
use debrief_app::{App, FixedClock};
use debrief_store::SqliteStore;
use debrief_web::{AppState, router};
use jiff::tz::TimeZone;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::harness::{Db, NOW, Target};

const HOST: &str = "127.0.0.1:7878";
const ORIGIN: &str = "http://127.0.0.1:7878";
const REP: &str = "me";

/// How the web app is asked: a form posted from its page, or a page read.
enum Web {
    Form(&'static str, Vec<(&'static str, String)>),
    Page(String),
    /// The web app has no way to say it (a form has two reason fields, say).
    None,
}

struct Case {
    name: &'static str,
    cli: Vec<String>,
    web: Web,
    api: Option<(Method, &'static str, Value)>,
    /// Words the refusal must hold, the same on every door.
    says: &'static str,
}

fn case(
    name: &'static str,
    cli: &[&str],
    web: Web,
    api: Option<(Method, &'static str, Value)>,
    says: &'static str,
) -> Case {
    Case { name, cli: cli.iter().map(|s| s.to_string()).collect(), web, api, says }
}

fn form(path: &'static str, fields: &[(&'static str, &str)]) -> Web {
    Web::Form(path, fields.iter().map(|(k, v)| (*k, v.to_string())).collect())
}

fn post(path: &'static str, body: Value) -> Option<(Method, &'static str, Value)> {
    Some((Method::POST, path, body))
}

fn cases() -> Vec<Case> {
    let long_name = "n".repeat(201);
    let long_text = "t".repeat(2001);
    let escape = "Acme\u{1b}[31m";
    let eleven: Vec<String> = (1..=11).map(|i| format!("reason {i}")).collect();
    let mut eleven_flags = vec!["log", "Acme", "lost"];
    for r in &eleven {
        eleven_flags.extend(["--external", r.as_str()]);
    }
    let mut cases = vec![
        case(
            "a client name over 200 characters",
            &["log", &long_name, "won"],
            form("/log", &[("client", &long_name), ("outcome", "won")]),
            post("/api/v1/contacts", json!({"client": long_name, "outcome": "won"})),
            "the client name is 201 characters long: at most 200",
        ),
        case(
            "a client name with a terminal escape",
            &["log", escape, "won"],
            form("/log", &[("client", escape), ("outcome", "won")]),
            post("/api/v1/contacts", json!({"client": escape, "outcome": "won"})),
            "the control character \\u{1b}",
        ),
        case(
            "an unknown outcome",
            &["log", "Acme", "maybe"],
            form("/log", &[("client", "Acme"), ("outcome", "maybe")]),
            post("/api/v1/contacts", json!({"client": "Acme", "outcome": "maybe"})),
            "unknown outcome \"maybe\": expected one of won, lost, advanced, no-answer, no-show, pending",
        ),
        case(
            "an unknown channel",
            &["log", "Acme", "won", "--channel", "fax"],
            form("/log", &[("client", "Acme"), ("outcome", "won"), ("channel", "fax")]),
            post("/api/v1/contacts", json!({"client": "Acme", "outcome": "won", "channel": "fax"})),
            "unknown channel \"fax\"",
        ),
        case(
            "a time that is not one",
            &["log", "Acme", "won", "--at", "garbage"],
            form("/log", &[("client", "Acme"), ("outcome", "won"), ("at", "garbage")]),
            post("/api/v1/contacts", json!({"client": "Acme", "outcome": "won", "at": "garbage"})),
            "\"garbage\" is not a time",
        ),
        case(
            "a year out of range",
            &["log", "Acme", "no-answer", "--at", "9999-12-27 10:00"],
            form("/log", &[("client", "Acme"), ("outcome", "no-answer"), ("at", "9999-12-27T10:00")]),
            post("/api/v1/contacts", json!({"client": "Acme", "outcome": "no-answer", "at": "9999-12-27 10:00"})),
            "the year 9999 is out of range: give a time between 1900 and 2200",
        ),
        case(
            "a lost contact without a reason",
            &["log", "Acme", "lost"],
            form("/log", &[("client", "Acme"), ("outcome", "lost")]),
            post("/api/v1/contacts", json!({"client": "Acme", "outcome": "lost"})),
            "a lost contact needs at least one reason",
        ),
        case(
            "three controllable reasons",
            &["log", "Acme", "lost", "--reason", "a", "--reason", "b", "--reason", "c"],
            Web::None,
            post(
                "/api/v1/contacts",
                json!({"client": "Acme", "outcome": "lost", "reasons": [{"text": "a"}, {"text": "b"}, {"text": "c"}]}),
            ),
            "3 controllable reasons given: at most two per contact",
        ),
        case(
            "what I'd do differently without its reason",
            &["log", "Acme", "lost", "--external", "x", "--do", "y"],
            form("/log", &[("client", "Acme"), ("outcome", "lost"), ("do1", "y"), ("external1", "x")]),
            post(
                "/api/v1/contacts",
                json!({"client": "Acme", "outcome": "lost", "reasons": [{"text": "", "do_differently": "y"}], "external": ["x"]}),
            ),
            "\"what I'd do differently\" #1 has no reason to go with",
        ),
        case(
            "eleven external reasons",
            &eleven_flags,
            Web::None,
            post("/api/v1/contacts", json!({"client": "Acme", "outcome": "lost", "external": eleven})),
            "11 external reasons given: at most 10",
        ),
        case(
            "a text over 2,000 characters",
            &["log", "Acme", "won", "--better", &long_text],
            form("/log", &[("client", "Acme"), ("outcome", "won"), ("better", &long_text)]),
            post("/api/v1/contacts", json!({"client": "Acme", "outcome": "won", "better": long_text})),
            "the text is 2001 characters long: at most 2000",
        ),
        case(
            "it affected the client, without a reason of mine",
            &["log", "Acme", "lost", "--external", "x", "--affected-client"],
            form("/log", &[("client", "Acme"), ("outcome", "lost"), ("external1", "x"), ("affected_client", "on")]),
            Option::None,
            "\"it affected the client\" needs a reason you could have controlled",
        ),
        case(
            "an edit to a time that is not one",
            &["edit", "1", "--at", "garbage"],
            form("/contacts/1/edit", &[("client", "Acme"), ("outcome", "lost"), ("external1", "x"), ("at", "garbage")]),
            Some((Method::PATCH, "/api/v1/contacts/1", json!({"at": "garbage"}))),
            "\"garbage\" is not a time",
        ),
        case(
            "a week that does not exist",
            &["week", "--week", "2026-W99"],
            Web::Page("/?week=2026-W99".into()),
            Some((Method::GET, "/api/v1/week?week=2026-W99", Value::Null)),
            "2026 has 53 ISO weeks: give a week from 2026-W01 to 2026-W53",
        ),
        case(
            "a trend over too many weeks",
            &["trend", "--weeks", "2000000"],
            Web::None,
            Some((Method::GET, "/api/v1/trend?weeks=2000000", Value::Null)),
            "2000000 weeks is out of range: give 1 to 104",
        ),
        case(
            "a ranking over no weeks",
            &["reasons", "--weeks", "0"],
            Web::Page("/reasons?weeks=0".into()),
            Some((Method::GET, "/api/v1/reasons?weeks=0", Value::Null)),
            "0 weeks is out of range: give 1 to 104",
        ),
        case(
            "a page of too many contacts",
            &["list", "--limit", "501"],
            Web::None,
            Some((Method::GET, "/api/v1/contacts?limit=501", Value::Null)),
            "501 contacts per page is out of range: give 1 to 500",
        ),
        case(
            "a snooze of no days",
            &["snooze", "1", "--days", "0"],
            form("/agenda/1/snooze", &[("days", "0")]),
            post("/api/v1/follow-ups/1/snooze", json!({"days": 0})),
            "0 days is out of range: give 1 to 3650",
        ),
        case(
            "a snooze of more than ten years",
            &["snooze", "1", "--days", "3651"],
            form("/agenda/1/snooze", &[("days", "3651")]),
            post("/api/v1/follow-ups/1/snooze", json!({"days": 3651})),
            "3651 days is out of range: give 1 to 3650",
        ),
        case(
            "a follow-up at a time that is not one",
            &["follow-up", "Acme", "--at", "soon", "--note", "call back"],
            form("/agenda/add", &[("client", "Acme"), ("due", "soon"), ("note", "call back")]),
            post("/api/v1/follow-ups", json!({"client": "Acme", "due": "soon", "note": "call back"})),
            "\"soon\" is not a time",
        ),
        case(
            "an unknown kind of mishap",
            &["mishap", "open", "Acme", "--kind", "bogus", "--what", "late"],
            form("/mishaps", &[("client", "Acme"), ("kind", "bogus"), ("what", "late")]),
            post("/api/v1/mishaps", json!({"client": "Acme", "kind": "bogus", "what": "late"})),
            "unknown mishap kind \"bogus\": expected one of late, missed-meeting, system-failure, other",
        ),
        case(
            "an unknown step of a recovery",
            &["mishap", "step", "1", "dance"],
            form("/mishaps/1/steps", &[("step", "dance")]),
            post("/api/v1/mishaps/1/steps", json!({"step": "dance"})),
            "unknown recovery step \"dance\"",
        ),
        case(
            "an unknown way of owning up",
            &["own", "owned", "1", "--how", "fax", "--said", "sorry"],
            form("/own/1/owned", &[("how", "fax"), ("said", "sorry")]),
            post("/api/v1/own/1/owned", json!({"how": "fax", "said": "sorry"})),
            "expected one of call, email, in-person",
        ),
        case(
            "a commitment without words",
            &["own", "commit", "1", " "],
            form("/own/1/commit", &[("text", " ")]),
            post("/api/v1/own/1/commit", json!({"text": " "})),
            "the commitment is empty",
        ),
        case(
            "a label over 200 characters",
            &["reasons", "rename", "#1", &long_name],
            form("/reasons/rename", &[("reason", "#1"), ("label", &long_name)]),
            post("/api/v1/reasons/rename", json!({"reason": "#1", "label": long_name})),
            "the new label is 201 characters long: at most 200",
        ),
    ];
    cases.sort_by_key(|c| c.name);
    cases
}

/// Every row of every table, in order: what "nothing changed" is checked against.
fn dump(path: &std::path::Path) -> String {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        use sqlx::{Connection, Row};
        let url = format!("sqlite://{}?mode=ro", path.display());
        let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
        let tables: Vec<String> = sqlx::query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
        let mut out = String::new();
        for table in tables {
            let columns: Vec<String> = sqlx::query(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .fetch_all(&mut conn)
                .await
                .unwrap()
                .iter()
                .map(|r| r.get(0))
                .collect();
            let row = columns.iter().map(|c| format!("quote(\"{c}\")")).collect::<Vec<_>>().join("||','||");
            let order = (1..=columns.len()).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
            let sql = format!(
                "SELECT coalesce(group_concat({row}, '\n'), '') FROM (SELECT * FROM \"{table}\" ORDER BY {order})"
            );
            let rows: String = sqlx::query(&sql).fetch_one(&mut conn).await.unwrap().get(0);
            out.push_str(&format!("== {table}\n{rows}\n"));
        }
        out
    })
}

/// The text a reader sees in a page: askama's entities turned back.
fn unescape(html: &str) -> String {
    html.replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

struct Web2 {
    rt: tokio::runtime::Runtime,
    router: axum::Router,
}

impl Web2 {
    fn over(path: &std::path::Path) -> Web2 {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let router = rt.block_on(async {
            let store = SqliteStore::open(path).await.unwrap();
            let app = App::new(Arc::new(store), Arc::new(FixedClock(NOW.parse().unwrap())), TimeZone::UTC);
            router(AppState::new(app, debrief_app::RepName::new(REP).unwrap()))
        });
        Web2 { rt, router }
    }

    fn send(&self, req: Request<Body>) -> (u16, String) {
        self.rt.block_on(async {
            let res = self.router.clone().oneshot(req).await.unwrap();
            let status = res.status().as_u16();
            let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
            (status, String::from_utf8_lossy(&bytes).into_owned())
        })
    }
}

#[test]
fn every_door_refuses_the_same_input_with_the_same_words() {
    let db = Db::sqlite();
    let Target::Sqlite(path) = &db.target else { unreachable!("a SQLite database") };
    // Something of every kind to refer to: contact #1 with an ownership item,
    // follow-up #1 (a chase), recovery #1.
    db.ok(&["log", "Acme", "lost", "--reason", "was late", "--affected-client", "--at", "2026-11-26 10:00"]);
    db.ok(&["log", "Acme", "no-answer", "--at", "2026-11-26 12:00"]);
    db.ok(&["mishap", "open", "Acme", "--kind", "late", "--what", "twenty minutes late"]);
    let before = dump(path);
    let web = Web2::over(path);
    for c in cases() {
        // The API's message is the one every other door must say too.
        let message = c.api.as_ref().map(|(method, uri, body)| {
            let req = Request::builder().method(method.clone()).uri(*uri).header("host", HOST);
            let req = match body {
                Value::Null => req.body(Body::empty()),
                body => req.header("content-type", "application/json").body(Body::from(body.to_string())),
            };
            let (status, text) = web.send(req.unwrap());
            assert!((400..500).contains(&status), "{}: API answered {status}: {text}", c.name);
            let v: Value = serde_json::from_str(&text).unwrap();
            let message = v["error"]["message"].as_str().unwrap().to_string();
            assert!(message.contains(c.says), "{}: the API said {message:?}", c.name);
            message
        });
        let message = message.unwrap_or_else(|| c.says.to_string());
        let cli: Vec<&str> = c.cli.iter().map(String::as_str).collect();
        let said = db.fails(&cli);
        assert!(said.contains(&message), "{}: the CLI said {said:?}, the API {message:?}", c.name);
        match &c.web {
            Web::Form(path, fields) => {
                let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
                let req = Request::builder()
                    .method(Method::POST)
                    .uri(*path)
                    .header("host", HOST)
                    .header("origin", ORIGIN)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(Body::from(body));
                let (status, page) = web.send(req.unwrap());
                assert!((400..500).contains(&status), "{}: the form answered {status}", c.name);
                assert!(unescape(&page).contains(&message), "{}: the form page does not say {message:?}", c.name);
            }
            Web::Page(uri) => {
                let req = Request::builder().uri(uri.as_str()).header("host", HOST).body(Body::empty());
                let (status, page) = web.send(req.unwrap());
                assert!((400..500).contains(&status), "{}: the page answered {status}", c.name);
                assert!(unescape(&page).contains(&message), "{}: the page does not say {message:?}", c.name);
            }
            Web::None => {}
        }
        assert_eq!(dump(path), before, "{}: something stored changed", c.name);
    }
}
