//! Builds the router over a fresh SQLite file (or a fresh PostgreSQL schema)
//! with a pinned clock, and sends it requests in process.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use debrief_app::{App, DemoOptions, FixedClock, RepName};
use debrief_store::{PostgresStore, SqliteStore, Store};
use debrief_web::{AppState, router};
use jiff::tz::TimeZone;
use serde_json::Value;
use tempfile::TempDir;
use tower::ServiceExt;

/// The clock every test sees: Friday 2026-11-27, in 2026-W48.
pub const NOW: &str = "2026-11-27T18:00:00Z";
pub const HOST: &str = "127.0.0.1:7878";
pub const ORIGIN: &str = "http://127.0.0.1:7878";
pub const REP: &str = "sam";
const DEFAULT_PG: &str = "postgres://postgres@127.0.0.1:5432/test";

pub struct TestApp {
    pub app: App,
    pub router: Router,
    _dir: TempDir,
    schema: Option<(String, String)>,
}

/// A response with its body read.
pub struct Resp {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    /// Asserts an API error: status, code, field.
    pub fn error(&self, status: u16, code: &str, field: Option<&str>) -> String {
        assert_eq!(self.status.as_u16(), status, "{}", self.body);
        let v = self.json();
        assert_eq!(v["error"]["code"], code, "{}", self.body);
        assert_eq!(v["error"]["field"].as_str(), field, "{}", self.body);
        let message = v["error"]["message"].as_str().unwrap().to_string();
        assert!(!message.is_empty() && !message.contains('\n'), "one line: {message}");
        message
    }
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("debrief.db")).await.unwrap();
        TestApp::with_store(Arc::new(store), dir, None).await
    }

    /// A fresh schema on the test PostgreSQL server; `None` (with a note) when
    /// there is none, except under CI, where a missing server fails the test.
    pub async fn postgres() -> Option<TestApp> {
        let admin = std::env::var("DEBRIEF_TEST_DATABASE_URL").unwrap_or_else(|_| DEFAULT_PG.into());
        let schema = format!("web_{:016x}", rand_u64());
        if let Err(e) = execute(&admin, &format!("CREATE SCHEMA {schema}")).await {
            if std::env::var_os("CI").is_some() {
                panic!("CI is set but PostgreSQL at {admin} is unreachable: {e}");
            }
            eprintln!("note: skipping a PostgreSQL case, no server at {admin}: {e}");
            return None;
        }
        let sep = if admin.contains('?') { '&' } else { '?' };
        let url = format!("{admin}{sep}options=-c%20search_path%3D{schema}");
        let store = PostgresStore::connect(&url).await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        Some(TestApp::with_store(Arc::new(store), dir, Some((admin, schema))).await)
    }

    async fn with_store(store: Arc<dyn Store>, dir: TempDir, schema: Option<(String, String)>) -> TestApp {
        let clock = Arc::new(FixedClock(NOW.parse().unwrap()));
        let app = App::new(store, clock, TimeZone::UTC);
        app.ensure_vocabulary().await.unwrap();
        let router = router(AppState::new(app.clone(), rep()));
        TestApp { app, router, _dir: dir, schema }
    }

    /// Fills the database with a small demo history for the rep.
    pub async fn demo(&self) {
        let opts = DemoOptions { first_rep: REP.into(), reps: 1, weeks: 12, contacts_per_week: 25, seed: 7 };
        self.app.demo(&opts).await.unwrap();
    }

    pub async fn send(&self, req: Request<Body>) -> Resp {
        let res = self.router.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        Resp { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(request(Method::GET, path).body(Body::empty()).unwrap()).await
    }

    pub async fn json(&self, method: Method, path: &str, body: Value) -> Resp {
        let req = request(method, path).header("content-type", "application/json").body(Body::from(body.to_string()));
        self.send(req.unwrap()).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.send(request(Method::DELETE, path).body(Body::empty()).unwrap()).await
    }

    /// Posts a form the way a browser on this server's page does.
    pub async fn form(&self, path: &str, fields: &[(&str, &str)]) -> Resp {
        let body = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
        let req = request(Method::POST, path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", ORIGIN)
            .body(Body::from(body));
        self.send(req.unwrap()).await
    }

    /// Logs a contact through the API; returns its id.
    pub async fn log(&self, body: Value) -> i64 {
        let res = self.json(Method::POST, "/api/v1/contacts", body).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        res.json()["contact"]["id"].as_i64().unwrap()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some((admin, schema)) = self.schema.take() {
            let sql = format!("DROP SCHEMA {schema} CASCADE");
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
                rt.block_on(execute(&admin, &sql))
            })
            .join();
        }
    }
}

async fn execute(url: &str, sql: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect(url).await?;
    sqlx::query(sql).execute(&mut conn).await?;
    Ok(())
}

/// The rep every test acts as.
pub fn rep() -> RepName {
    RepName::new(REP).unwrap()
}

/// A request to this server, as a browser on it would send it.
pub fn request(method: Method, path: &str) -> axum::http::request::Builder {
    Request::builder().method(method).uri(path).header("host", HOST)
}

fn rand_u64() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now())
}

/// A lost contact with two controllable reasons, this week.
pub fn lost(client: &str, r1: &str, r2: &str) -> Value {
    serde_json::json!({
        "client": client,
        "outcome": "lost",
        "at": "2026-11-26 10:00",
        "reasons": [{"text": r1, "do_differently": "ask earlier"}, {"text": r2}],
        "better": "listen more",
    })
}
