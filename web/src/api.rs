//! Every request the UI makes to the server (`/api/…`), in one place.

use std::fmt;

use gloo_net::http::Request;
use sosik_types::{ErrorBody, SearchResponse};

/// How many hits one search asks for.
pub const PAGE_SIZE: usize = 20;

/// Why a request failed; `Display` is the Korean message shown to the reader.
#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// No answer at all (server down, connection lost).
    Network,
    /// A non-2xx answer; `message` comes from the server's `{ "error": { … } }` body when it has one.
    Server { status: u16, message: Option<String> },
    /// A 2xx answer that is not the JSON we expect.
    Decode(String),
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network => {
                write!(f, "서버에 연결할 수 없습니다. 잠시 후 다시 시도해 주세요.")
            }
            ApiError::Server { status, message: Some(m) } => write!(f, "서버 오류({status}): {m}"),
            ApiError::Server { status, message: None } => write!(f, "서버 오류({status})가 발생했습니다."),
            ApiError::Decode(e) => write!(f, "서버 응답을 읽을 수 없습니다: {e}"),
        }
    }
}

/// `GET /api/search?q=…&limit=20` (the server picks the mode: hybrid).
pub async fn search(q: &str) -> Result<SearchResponse, ApiError> {
    let limit = PAGE_SIZE.to_string();
    let resp = Request::get("/api/search")
        .query([("q", q), ("limit", limit.as_str())])
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if !resp.ok() {
        let message = resp.json::<ErrorBody>().await.ok().map(|b| b.error.message);
        return Err(ApiError::Server { status: resp.status(), message });
    }
    resp.json::<SearchResponse>().await.map_err(|e| ApiError::Decode(e.to_string()))
}
