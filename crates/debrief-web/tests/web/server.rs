//! The server over a real TCP connection: a client that trickles its head,
//! sends its body slowly or stays idle is cut off after its deadline; a
//! normal request is answered; a long review runs beside a week page
//! without holding it up.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use debrief_web::Timeouts;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

use crate::harness::{REP, TestApp};

/// Short deadlines, so the tests take a second, not the production ten.
const SHORT: Timeouts = Timeouts { header_read: Duration::from_millis(500), body_read: Duration::from_millis(500) };

/// A served app; dropping `stop` shuts it down.
struct Served {
    addr: SocketAddr,
    _t: TestApp,
    stop: Option<oneshot::Sender<()>>,
    server: tokio::task::JoinHandle<Result<(), debrief_web::ServeError>>,
}

impl Served {
    async fn start(timeouts: Timeouts) -> Served {
        let t = TestApp::sqlite().await;
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let shutdown = async {
            let _ = stopped.await;
        };
        let server = tokio::spawn(debrief_web::serve_with(
            t.app.clone(),
            debrief_app::RepName::new(REP).unwrap(),
            Default::default(),
            listener,
            shutdown,
            timeouts,
        ));
        Served { addr, _t: t, stop: Some(stop), server }
    }

    async fn connect(&self) -> TcpStream {
        TcpStream::connect(self.addr).await.unwrap()
    }

    /// Sends one request on a new connection and reads the whole answer.
    async fn request(&self, method: &str, path: &str, body: Option<&str>) -> String {
        let mut s = self.connect().await;
        let head = match body {
            Some(b) => format!(
                "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                self.addr,
                b.len()
            ),
            None => format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr),
        };
        s.write_all(head.as_bytes()).await.unwrap();
        if let Some(b) = body {
            s.write_all(b.as_bytes()).await.unwrap();
        }
        let mut out = Vec::new();
        s.read_to_end(&mut out).await.unwrap();
        String::from_utf8_lossy(&out).into_owned()
    }

    async fn stop(mut self) {
        let _ = self.stop.take().map(|s| s.send(()));
        tokio::time::timeout(Duration::from_secs(10), &mut self.server).await.expect("shuts down").unwrap().unwrap();
    }
}

/// Reads until the server closes the connection (or `limit` passes): what it
/// sent, and when it closed.
async fn until_closed(s: &mut TcpStream, started: Instant, limit: Duration) -> (String, Option<Duration>) {
    let mut out = Vec::new();
    let mut buf = [0; 1024];
    while started.elapsed() < limit {
        match tokio::time::timeout(Duration::from_millis(50), s.read(&mut buf)).await {
            Ok(Ok(0) | Err(_)) => return (String::from_utf8_lossy(&out).into_owned(), Some(started.elapsed())),
            Ok(Ok(n)) => out.extend_from_slice(&buf[..n]),
            Err(_) => {}
        }
    }
    (String::from_utf8_lossy(&out).into_owned(), None)
}

#[tokio::test]
async fn a_client_that_trickles_its_head_is_cut_off() {
    let served = Served::start(SHORT).await;
    let mut s = served.connect().await;
    let started = Instant::now();
    let head = format!("GET /api/v1/week HTTP/1.1\r\nHost: {}\r\nX-Slow: {}\r\n\r\n", served.addr, "a".repeat(200));
    let mut closed_at = None;
    for byte in head.bytes() {
        if s.write_all(&[byte]).await.is_err() {
            closed_at = Some(started.elapsed());
            break;
        }
        let (_, closed) = until_closed(&mut s, Instant::now(), Duration::from_millis(100)).await;
        if closed.is_some() {
            closed_at = Some(started.elapsed());
            break;
        }
    }
    let closed_at = closed_at.expect("the server kept a trickling client for the whole head");
    assert!(closed_at >= SHORT.header_read && closed_at < SHORT.header_read * 4, "closed after {closed_at:?}");
    served.stop().await;
}

#[tokio::test]
async fn a_late_body_gets_408_and_the_connection_closes() {
    let served = Served::start(SHORT).await;
    let mut s = served.connect().await;
    let head = format!(
        "POST /api/v1/apology HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{{\"text\":",
        served.addr
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let started = Instant::now();
    let (answer, closed) = until_closed(&mut s, started, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("did not arrive within 0.5 seconds"), "{answer}");
    let closed = closed.expect("closed");
    assert!(closed >= SHORT.body_read && closed < SHORT.body_read * 4, "closed after {closed:?}");
    served.stop().await;
}

#[tokio::test]
async fn an_idle_connection_is_closed_after_the_idle_timeout() {
    let served = Served::start(SHORT).await;
    let mut s = served.connect().await;
    let req = format!("GET /api/v1/week HTTP/1.1\r\nHost: {}\r\n\r\n", served.addr);
    s.write_all(req.as_bytes()).await.unwrap();
    let started = Instant::now();
    let (answer, closed) = until_closed(&mut s, started, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let closed = closed.expect("an idle keep-alive connection is closed");
    assert!(closed >= SHORT.header_read && closed < SHORT.header_read * 4, "closed after {closed:?}");
    served.stop().await;
}

#[tokio::test]
async fn a_normal_request_is_answered_and_a_large_body_still_gets_413() {
    let served = Served::start(Timeouts::default()).await;
    let answer = served.request("GET", "/api/v1/week", None).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"week\":\"2026-W48\""), "{answer}");
    let body = serde_json::json!({ "text": "sorry ".repeat(20_000) }).to_string();
    let answer = served.request("POST", "/api/v1/apology", Some(&body)).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let answer = served.request("POST", "/api/v1/apology", Some(r#"{"text":"Sorry, the traffic was bad."}"#)).await;
    assert!(answer.starts_with("HTTP/1.1 200") && answer.contains("excusing"), "{answer}");
    served.stop().await;
}

/// Issue 10: a 64 KiB review request held a week page for 5.6 s; reviews now
/// run on the blocking threads while the async workers serve the page. Eight
/// reviews of about 0.2 s of CPU each on two workers would keep the page
/// waiting until the first of them ends.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reviews_do_not_hold_up_a_week_page() {
    let served = std::sync::Arc::new(Served::start(Timeouts::default()).await);
    let text = "Hi you\nGo now\n".repeat(3700);
    let body = serde_json::json!({ "text": text, "kind": "message" }).to_string();
    assert!(body.len() < debrief_web::BODY_LIMIT);
    let started = Instant::now();
    let answer = served.request("POST", "/api/v1/review", Some(&body)).await;
    let one = started.elapsed();
    assert!(answer.starts_with("HTTP/1.1 200"), "{}", &answer[..answer.len().min(300)]);
    let reviews: Vec<_> = (0..8)
        .map(|_| {
            let (served, body) = (served.clone(), body.clone());
            tokio::spawn(async move {
                let started = Instant::now();
                let answer = served.request("POST", "/api/v1/review", Some(&body)).await;
                assert!(answer.starts_with("HTTP/1.1 200"), "{}", &answer[..answer.len().min(300)]);
                started.elapsed()
            })
        })
        .collect();
    // The reviews' bodies arrive and their work starts.
    tokio::time::sleep(Duration::from_millis(150)).await;
    let started = Instant::now();
    let page = served.request("GET", "/", None).await;
    let page_took = started.elapsed();
    assert!(page.starts_with("HTTP/1.1 200"), "{}", &page[..page.len().min(300)]);
    let mut took = Vec::new();
    for r in reviews {
        took.push(r.await.unwrap());
    }
    took.sort();
    eprintln!("week page {page_took:?} beside eight 60 KB reviews ({took:?}); one review alone {one:?}");
    // Had the reviews held the async workers, the page would wait until they
    // freed one: it would end after the slowest of eight reviews sharing two cores.
    let slowest = took.last().copied().unwrap_or_default();
    assert!(page_took < slowest, "the week page took {page_took:?}, the slowest review {slowest:?}");
    assert!(page_took < Duration::from_secs(2), "the week page took {page_took:?} beside the reviews");
    std::sync::Arc::into_inner(served).expect("the reviews are done").stop().await;
}

/// Pages, the API and the assets go out gzipped to a client that accepts it
/// (the cached week page and week report compressed once, the rest per
/// request), and as they are to one that does not; unzipped, they are the
/// same bytes.
#[tokio::test]
async fn responses_are_compressed_for_clients_that_accept_it() {
    use std::io::Read;

    use axum::body::Body;
    use axum::http::Method;
    use tower::ServiceExt as _;

    let t = TestApp::sqlite().await;
    t.demo().await;
    let page = t.get("/").await;
    let style = page.body.split("href=\"").find(|s| s.starts_with("/assets/style")).unwrap().split('"').next().unwrap();
    for path in ["/", "/", "/agenda", "/api/v1/week", "/api/v1/week", style] {
        for accept in ["gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8", "gzip;q=0", "identity", ""] {
            let mut req = crate::harness::request(Method::GET, path);
            if !accept.is_empty() {
                req = req.header("accept-encoding", accept);
            }
            let res = t.router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
            assert_eq!(res.status(), 200, "{path}");
            let headers = res.headers().clone();
            let encodings: Vec<_> = headers.get_all("content-encoding").iter().collect();
            let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
            let wants = accept.contains("gzip") && !accept.split(",").any(|p| p.trim() == "gzip;q=0");
            if wants {
                assert_eq!(encodings, ["gzip"], "{path} with {accept:?}");
                let mut plain = String::new();
                flate2::read::GzDecoder::new(&bytes[..]).read_to_string(&mut plain).unwrap();
                assert_eq!(plain, t.get(path).await.body, "{path}: the same bytes, unzipped");
                assert!(bytes.len() * 2 < plain.len(), "{path}: {} gzipped, {} plain", bytes.len(), plain.len());
            } else {
                assert!(encodings.is_empty(), "{path} as it is with {accept:?}");
            }
            let vary = headers.get("vary").and_then(|v| v.to_str().ok()).unwrap_or_default().to_ascii_lowercase();
            assert!(vary.contains("accept-encoding"), "{path}: {vary}");
        }
    }
}

/// Each page's HTML, CSS and JavaScript as they go over the wire (gzipped)
/// stays under 100 KB; the figures are printed for the record.
#[tokio::test]
async fn every_page_weighs_under_100_kb_compressed() {
    use axum::body::Body;
    use axum::http::Method;
    use tower::ServiceExt as _;

    let t = TestApp::sqlite().await;
    t.demo().await;
    let gzipped = |path: String| {
        let t = &t;
        async move {
            let req = crate::harness::request(Method::GET, &path).header("accept-encoding", "gzip");
            let res = t.router.clone().oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
            let encoding = res.headers().get("content-encoding").map(|v| v.to_str().unwrap_or_default().to_string());
            let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
            (bytes.len(), encoding)
        }
    };
    let contact = t.get("/contacts").await.body;
    let contact = contact.split("href=\"/contacts/").nth(1).unwrap().split('"').next().unwrap().to_string();
    let mut lines = Vec::new();
    for path in [
        "/",
        "/log",
        "/agenda",
        "/today",
        "/more",
        "/contacts",
        &format!("/contacts/{contact}"),
        "/reasons",
        "/focus",
        "/own",
        "/mishaps",
        "/review",
    ] {
        let html = t.get(path).await.body;
        let assets: Vec<String> = html
            .split(['"', '\''])
            .filter(|s| s.starts_with("/assets/") && (s.ends_with(".css") || s.ends_with(".js")))
            .map(String::from)
            .collect();
        let (page, encoding) = gzipped(path.to_string()).await;
        assert_eq!(encoding.as_deref(), Some("gzip"), "{path}");
        let mut total = page;
        for asset in &assets {
            total += gzipped(asset.clone()).await.0;
        }
        lines.push(format!("{path}: {total} bytes gzipped ({page} the page, {} assets)", assets.len()));
        assert!(total < 100 * 1024, "{path} weighs {total} bytes over the wire");
    }
    println!("{}", lines.join("\n"));
}
