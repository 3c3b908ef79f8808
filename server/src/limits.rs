//! Request limits and admission control: what a request may look like (URI, headers, body) and
//! how many run at once.
//!
//! Admission: at most `max_concurrent` requests run (hold an engine slot) and at most
//! `max_queued` more wait for one. A request that finds the queue full gets `503 overloaded`
//! with `Retry-After` at once (load shedding: memory stays bounded however hard the server is
//! flooded). A small queue rather than none, because a client that opens a page fires several
//! requests at once and a burst of e.g. 64 connections should be served, just slower, on 2 cores;
//! waiting is bounded by the request timeout, which counts from arrival.
//!
//! Engine work runs on tokio's blocking pool and cannot be cancelled. So the slot is shared with
//! that work ([`current_slot`], taken by the handlers' `blocking` helper): a request that times
//! out answers `503 timeout` at once, but its slot is only given back when the engine work it
//! started has finished. The number of engine jobs in flight therefore never exceeds
//! `max_concurrent`, even when requests time out, and new requests queue or are shed instead.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

use crate::{ApiError, ErrorCode};

/// Longest accepted request target (path and query) in bytes. A search URL with a 500-character
/// Korean query percent-encoded takes about 4.5 KB.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// Largest accepted request head (all header names and values) in bytes.
pub const MAX_HEADER_BYTES: usize = 16 * 1024;

#[derive(Debug, Clone)]
pub struct Limits {
    /// Requests running at once (each may hold an engine job on the blocking pool).
    pub max_concurrent: usize,
    /// Requests waiting for a slot; beyond that, `503 overloaded`.
    pub max_queued: usize,
    /// Time budget of a request from arrival, queueing included.
    pub request_timeout: Duration,
    pub max_uri_bytes: usize,
    pub max_header_bytes: usize,
}

impl Default for Limits {
    /// Twice the cores running (engine work is CPU-bound; a little more than the cores keeps them
    /// busy while a request is between steps), 128 waiting, 10 s per request.
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Limits {
            max_concurrent: 2 * cores,
            max_queued: 128,
            request_timeout: Duration::from_secs(10),
            max_uri_bytes: MAX_URI_BYTES,
            max_header_bytes: MAX_HEADER_BYTES,
        }
    }
}

/// The two counters of admission control, shared by every request of one app.
#[derive(Clone)]
struct Admission {
    limits: Arc<Limits>,
    /// running + waiting
    admitted: Arc<Semaphore>,
    running: Arc<Semaphore>,
}

/// A request's place: admitted and running. Dropped when the request and any engine work it
/// started are both done.
pub struct Slot {
    _admitted: OwnedSemaphorePermit,
    _running: OwnedSemaphorePermit,
}

tokio::task_local! {
    static SLOT: Arc<Slot>;
}

/// The slot of the request being handled on this task, for work that may outlive the request
/// (engine jobs on the blocking pool): keep it until that work ends.
pub fn current_slot() -> Option<Arc<Slot>> {
    SLOT.try_with(Arc::clone).ok()
}

/// Wraps `router` in the request checks and admission control.
pub fn layer(router: Router, limits: &Limits) -> Router {
    assert!(limits.max_concurrent > 0, "max_concurrent must be positive");
    let admission = Admission {
        limits: Arc::new(limits.clone()),
        admitted: Arc::new(Semaphore::new(limits.max_concurrent + limits.max_queued)),
        running: Arc::new(Semaphore::new(limits.max_concurrent)),
    };
    router.layer(middleware::from_fn_with_state(admission, admit))
}

async fn admit(State(admission): State<Admission>, req: Request, next: Next) -> Response {
    let limits = &admission.limits;
    if let Err(e) = check(&req, limits) {
        tracing::info!(code = e.code.as_str(), "request refused");
        return e.into_response();
    }
    // the liveness probe answers even when the server is saturated: it does no engine work
    if req.uri().path() == "/api/health" {
        return next.run(req).await;
    }
    let deadline = Instant::now() + limits.request_timeout;
    let Ok(admitted) = admission.admitted.clone().try_acquire_owned() else {
        tracing::debug!("overloaded: request shed");
        return ApiError::new(
            ErrorCode::Overloaded,
            format!(
                "the server is busy ({} requests running, {} waiting); retry shortly",
                limits.max_concurrent, limits.max_queued
            ),
        )
        .into_response();
    };
    let running = match tokio::time::timeout_at(deadline, admission.running.clone().acquire_owned()).await {
        Ok(Ok(permit)) => permit,
        Ok(Err(_)) => unreachable!("the admission semaphores are never closed"),
        Err(_) => {
            tracing::warn!("overloaded: no slot within the request timeout");
            return ApiError::new(
                ErrorCode::Overloaded,
                format!("the server is busy: no free slot within {}; retry shortly", seconds(limits.request_timeout)),
            )
            .into_response();
        }
    };
    let slot = Arc::new(Slot { _admitted: admitted, _running: running });
    match tokio::time::timeout_at(deadline, SLOT.scope(slot, next.run(req))).await {
        Ok(resp) => resp,
        Err(_) => {
            tracing::warn!("request timed out");
            ApiError::new(
                ErrorCode::Timeout,
                format!("the request did not finish within {}; retry shortly", seconds(limits.request_timeout)),
            )
            .into_response()
        }
    }
}

fn seconds(d: Duration) -> String {
    format!("{} s", d.as_secs_f64())
}

/// The request-shape limits: target length, header size, no body.
fn check(req: &Request, limits: &Limits) -> Result<(), ApiError> {
    let uri = req.uri();
    let uri_len =
        uri.path_and_query().map_or(0, |p| p.as_str().len()) + uri.authority().map_or(0, |a| a.as_str().len());
    if uri_len > limits.max_uri_bytes {
        return Err(ApiError::new(
            ErrorCode::UriTooLong,
            format!("the request target is {uri_len} bytes; the limit is {} bytes", limits.max_uri_bytes),
        ));
    }
    // as on the wire: "name: value\r\n"
    let header_len: usize = req.headers().iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum();
    if header_len > limits.max_header_bytes {
        return Err(ApiError::new(
            ErrorCode::HeadersTooLarge,
            format!("the request headers are {header_len} bytes; the limit is {} bytes", limits.max_header_bytes),
        ));
    }
    let headers = req.headers();
    let length = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).map(str::trim);
    if headers.contains_key(header::TRANSFER_ENCODING) || length.is_some_and(|l| l != "0") {
        return Err(ApiError::new(
            ErrorCode::RequestTooLarge,
            "this server only answers GET requests without a body; send the parameters in the query string",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::Body;
    use axum::http::StatusCode;
    use axum::routing::get;
    use tower::ServiceExt;

    fn slow_app(limits: &Limits, work: Duration) -> Router {
        let router = Router::new().route(
            "/api/slow",
            get(move || async move {
                // like the handlers' `blocking`: the engine job keeps the slot
                let slot = current_slot().expect("a slot inside admission");
                tokio::task::spawn_blocking(move || {
                    std::thread::sleep(work);
                    drop(slot);
                })
                .await
                .unwrap();
                "done"
            }),
        );
        layer(router, limits)
    }

    fn limits(max_concurrent: usize, max_queued: usize, timeout_ms: u64) -> Limits {
        Limits { max_concurrent, max_queued, request_timeout: Duration::from_millis(timeout_ms), ..Limits::default() }
    }

    /// status, Retry-After, error code
    async fn call(app: &Router, req: Request<Body>) -> (StatusCode, Option<String>, Option<String>) {
        let resp = app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let retry = resp.headers().get(header::RETRY_AFTER).map(|v| v.to_str().unwrap().to_string());
        let body = axum::body::to_bytes(resp.into_body(), 1 << 16).await.unwrap();
        let code = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|json| json["error"]["code"].as_str().map(String::from));
        (status, retry, code)
    }

    fn get_req(uri: &str) -> Request<Body> {
        Request::get(uri).body(Body::empty()).unwrap()
    }

    #[tokio::test]
    async fn beyond_running_and_queued_requests_are_shed_with_retry_after() {
        let app = slow_app(&limits(1, 1, 5_000), Duration::from_millis(300));
        let mut tasks = Vec::new();
        for _ in 0..5 {
            let app = app.clone();
            tasks.push(tokio::spawn(async move { call(&app, get_req("/api/slow")).await }));
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let mut answers = Vec::new();
        for t in tasks {
            answers.push(t.await.unwrap());
        }
        let ok = (StatusCode::OK, None, None);
        let shed = (StatusCode::SERVICE_UNAVAILABLE, Some("1".to_string()), Some("overloaded".to_string()));
        // one running, one waiting; the other three shed at once
        assert_eq!(answers, [ok.clone(), ok.clone(), shed.clone(), shed.clone(), shed]);
        // and it answers normally afterwards
        assert_eq!(call(&app, get_req("/api/slow")).await, ok);
    }

    #[tokio::test]
    async fn a_timed_out_request_keeps_its_slot_until_its_engine_work_ends() {
        let app = slow_app(&limits(1, 4, 200), Duration::from_millis(600));
        let started = std::time::Instant::now();
        let first = call(&app, get_req("/api/slow")).await;
        assert_eq!(first, (StatusCode::SERVICE_UNAVAILABLE, Some("1".into()), Some("timeout".into())));
        assert!(started.elapsed() < Duration::from_millis(500), "the timeout answered late");
        // the blocking job of the first request still runs: the next one cannot get the slot
        // within its 200 ms, so no second engine job starts beside the first
        let second = call(&app, get_req("/api/slow")).await;
        assert_eq!(second.2.as_deref(), Some("overloaded"), "{second:?}");
        // once that job has ended, a request gets the slot again (and times out in its own work)
        tokio::time::sleep(Duration::from_millis(400)).await;
        let third = call(&app, get_req("/api/slow")).await;
        assert_eq!(third.2.as_deref(), Some("timeout"), "{third:?}");
    }

    #[tokio::test]
    async fn request_shape_limits() {
        let app = slow_app(&limits(2, 2, 5_000), Duration::from_millis(1));
        let code = |(_, _, code): (StatusCode, Option<String>, Option<String>)| code;
        let long = format!("/api/slow?q={}", "a".repeat(MAX_URI_BYTES));
        assert_eq!(code(call(&app, get_req(&long)).await).as_deref(), Some("uri_too_long"));
        let big = Request::get("/api/slow").header("x-big", "b".repeat(MAX_HEADER_BYTES)).body(Body::empty()).unwrap();
        assert_eq!(call(&app, big).await.0, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
        let body = Request::get("/api/slow").header("content-length", "3").body(Body::from("abc")).unwrap();
        assert_eq!(call(&app, body).await.0, StatusCode::PAYLOAD_TOO_LARGE);
        let empty = Request::get("/api/slow").header("content-length", "0").body(Body::empty()).unwrap();
        assert_eq!(call(&app, empty).await.0, StatusCode::OK);
        let fits = format!("/api/slow?q={}", "a".repeat(MAX_URI_BYTES - 20));
        assert_eq!(call(&app, get_req(&fits)).await.0, StatusCode::OK);
    }
}
