//! The connection loop: HTTP/1 over hyper with a deadline for every read a
//! client controls, so a slow or silent client holds a connection for
//! seconds, not forever. `axum::serve` has no timeouts; this is its loop
//! with hyper's header-read timer and a body deadline, and the same
//! graceful shutdown.

use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::CONNECTION;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hyper::body::{Body as _, Frame};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

use crate::error::ApiError;
use crate::{BODY_LIMIT, ServeError};

/// How long a client may take to send a request's head (request line and
/// headers), counted from the moment the connection waits for it. A browser
/// sends the head in one packet, so ten seconds leave room for a phone
/// retransmitting on a bad network, while a client that trickles its head
/// byte by byte holds the connection no longer than that.
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a keep-alive connection may wait for its next request. Hyper
/// runs its header-read timer from the moment a connection waits for a
/// request, the first or the next, so this is [`HEADER_READ_TIMEOUT`]: a
/// browser that comes back later opens a new connection, which on loopback
/// or behind the TLS proxy costs a round trip.
pub const IDLE_TIMEOUT: Duration = HEADER_READ_TIMEOUT;

/// How long a client may take to send a request's body once its head has
/// arrived. The largest body is [`BODY_LIMIT`] (64 KiB), which a slow
/// mobile link (about 100 kbit/s) sends in five seconds; twice that is
/// allowed. A late body gets 408 and the connection is closed.
pub const BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The deadlines the server gives its clients; tests shorten them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// See [`HEADER_READ_TIMEOUT`] (also the idle timeout, [`IDLE_TIMEOUT`]).
    pub header_read: Duration,
    /// See [`BODY_READ_TIMEOUT`].
    pub body_read: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { header_read: HEADER_READ_TIMEOUT, body_read: BODY_READ_TIMEOUT }
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets the
/// requests in flight finish (idle connections close at once).
pub async fn run(
    router: Router,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    timeouts: Timeouts,
) -> Result<(), ServeError> {
    let router = router.layer(axum::middleware::from_fn_with_state(timeouts.body_read, read_body_in_time));
    let mut builder = http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(timeouts.header_read);
    let graceful = GracefulShutdown::new();
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors and the like: the next accept may work.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let service = TowerToHyperService::new(router.clone());
        let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection closed");
            }
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Reads the whole body (at most [`BODY_LIMIT`] and one byte: the body limit
/// then refuses it as before) within `limit`, or answers 408 and closes.
async fn read_body_in_time(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    match tokio::time::timeout(limit, read_up_to(body, BODY_LIMIT + 1)).await {
        Ok(Ok(bytes)) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "the request body broke off");
            ApiError::new(StatusCode::BAD_REQUEST, "bad_request", "the request body broke off: send it again")
                .into_response()
        }
        Err(_) => {
            let message =
                format!("the request body did not arrive within {} seconds: send it again", limit.as_secs_f64());
            let mut res = ApiError::new(StatusCode::REQUEST_TIMEOUT, "timeout", message).into_response();
            res.headers_mut().insert(CONNECTION, HeaderValue::from_static("close"));
            res
        }
    }
}

/// The body's bytes, stopping once more than `max` arrived.
async fn read_up_to(mut body: Body, max: usize) -> Result<Vec<u8>, axum::Error> {
    let mut out = Vec::new();
    while out.len() < max {
        let Some(frame) = std::future::poll_fn(|cx| std::pin::Pin::new(&mut body).poll_frame(cx)).await else {
            break;
        };
        if let Ok(data) = Frame::into_data(frame?) {
            out.extend_from_slice(&data);
        }
    }
    Ok(out)
}
