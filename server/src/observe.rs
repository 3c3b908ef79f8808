//! Logs: one span per request carrying its request id, so every log line of that request (the
//! engine's on the blocking pool included) names it; one line per response with status and
//! latency. `x-request-id` is taken from the client when it is a sane token, generated (UUID v4)
//! otherwise, and always returned.

use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Response};
use axum::middleware::{self, Next};
use axum::response::IntoResponse;
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use tracing::Span;

use crate::{ApiError, ErrorCode};

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Longest client-supplied request id kept; longer or odd ones are replaced.
const MAX_CLIENT_ID: usize = 128;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line (fields, span with the request id).
    Json,
}

/// Logs to stderr at `RUST_LOG` (default `info`).
pub fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        LogFormat::Text => builder.init(),
        LogFormat::Json => builder.json().with_current_span(true).with_span_list(false).init(),
    }
}

/// Wraps `router` in request ids, the request span and response log, and a net for panics.
pub fn layer(router: Router) -> Router {
    router
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(TraceLayer::new_for_http().make_span_with(span).on_request(()).on_response(on_response).on_failure(()))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(middleware::from_fn(drop_odd_request_id))
}

/// A client's request id is kept only if it is a short token (letters, digits, `-_.:`), so a log
/// line cannot be padded or confused by it.
async fn drop_odd_request_id(mut req: Request, next: Next) -> axum::response::Response {
    let sane = |v: &HeaderValue| {
        v.len() <= MAX_CLIENT_ID
            && !v.is_empty()
            && v.as_bytes().iter().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(b))
    };
    let ids = req.headers().get_all(&REQUEST_ID);
    if ids.iter().count() > 1 || ids.iter().next().is_some_and(|v| !sane(v)) {
        req.headers_mut().remove(&REQUEST_ID);
    }
    next.run(req).await
}

fn span(req: &Request) -> Span {
    let id = req.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("-");
    // the target as sent, cut short: a 8 KB query is not worth a log line of that size
    let target = req.uri().path_and_query().map_or("", |p| p.as_str());
    let target = match target.char_indices().nth(300) {
        Some((cut, _)) => &target[..cut],
        None => target,
    };
    tracing::info_span!("request", id = %id, method = %req.method(), target = %target)
}

fn on_response<B>(resp: &Response<B>, latency: Duration, _span: &Span) {
    let status = resp.status().as_u16();
    let latency_ms = (latency.as_secs_f64() * 1e6).round() / 1e3;
    if resp.status().is_server_error() {
        tracing::warn!(status, latency_ms, "response");
    } else {
        tracing::info!(status, latency_ms, "response");
    }
}

fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response<Body> {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = what, "handler panicked");
    ApiError::new(ErrorCode::Internal, "internal error; see the server log").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use tower::ServiceExt;

    async fn boom() -> &'static str {
        panic!("boom")
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_500_with_a_request_id() {
        let app = layer(Router::new().route("/boom", get(boom)));
        let resp = app.clone().oneshot(Request::get("/boom").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(resp.status(), 500);
        assert!(resp.headers().contains_key(&REQUEST_ID));
        let body = axum::body::to_bytes(resp.into_body(), 1 << 16).await.unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["error"]["code"], "internal", "{json}");
        // and the next request is served
        let resp = app.oneshot(Request::get("/nope").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(resp.status(), 404);
    }

    #[tokio::test]
    async fn a_sane_client_request_id_is_kept_and_an_odd_one_replaced() {
        let app = layer(Router::new().route("/", get(|| async { "ok" })));
        let id = |value: &str| {
            let app = app.clone();
            let req = Request::get("/").header(&REQUEST_ID, value).body(Body::empty()).unwrap();
            async move { app.oneshot(req).await.unwrap().headers()[&REQUEST_ID].to_str().unwrap().to_string() }
        };
        assert_eq!(id("abc-123.x:y_z").await, "abc-123.x:y_z");
        for odd in ["has space", "semi;colon", &"x".repeat(MAX_CLIENT_ID + 1)] {
            let got = id(odd).await;
            assert!(got != odd && got.len() == 36, "{odd:?} → {got}");
        }
    }
}
