//! The one table that maps every failure to an HTTP status and a stable error code.
//! Body: `{ "error": { "code": "...", "message": "..." } }`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use sosik_engine::EngineError;
use sosik_types::{ErrorBody, ErrorDetail};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    InvalidParameter,
    UnknownParameter,
    NotFound,
    /// A request with a body: the API is GET-only and takes none.
    RequestTooLarge,
    UriTooLong,
    HeadersTooLarge,
    /// Every engine slot is busy and the wait queue is full, or the request waited its whole
    /// time budget in the queue without getting a slot.
    Overloaded,
    /// The request got a slot but did not finish within the request timeout.
    Timeout,
    Internal,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidParameter => "invalid_parameter",
            ErrorCode::UnknownParameter => "unknown_parameter",
            ErrorCode::NotFound => "not_found",
            ErrorCode::RequestTooLarge => "request_too_large",
            ErrorCode::UriTooLong => "uri_too_long",
            ErrorCode::HeadersTooLarge => "headers_too_large",
            ErrorCode::Overloaded => "overloaded",
            ErrorCode::Timeout => "timeout",
            ErrorCode::Internal => "internal",
        }
    }

    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::InvalidParameter | ErrorCode::UnknownParameter => StatusCode::BAD_REQUEST,
            ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::RequestTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::UriTooLong => StatusCode::URI_TOO_LONG,
            ErrorCode::HeadersTooLarge => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            // 503 for both: the cause is the server's capacity, and a client may retry later
            ErrorCode::Overloaded | ErrorCode::Timeout => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Seconds for the `Retry-After` header, for the errors a retry can cure.
    pub fn retry_after(self) -> Option<u32> {
        match self {
            ErrorCode::Overloaded | ErrorCode::Timeout => Some(1),
            _ => None,
        }
    }
}

#[derive(Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError { code, message: message.into() }
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::InvalidParam { .. } => ApiError::new(ErrorCode::InvalidParameter, e.to_string()),
            other => {
                tracing::error!(error = %other, "request failed");
                ApiError::new(ErrorCode::Internal, "internal error; see the server log")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorDetail { code: self.code.as_str().to_string(), message: self.message } };
        let mut resp = (self.code.status(), Json(body)).into_response();
        if let Some(secs) = self.code.retry_after() {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}
