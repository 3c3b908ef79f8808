//! sosik's HTTP layer. It only parses requests, calls the engine ([`sosik_indexer::Engine`]) and
//! shapes answers; everything about search lives in the engine.

mod error;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use sosik_indexer::{Engine, SearchRequest};
use sosik_types::{SearchMode, SearchResponse};
use tower_http::services::{ServeDir, ServeFile};

pub use error::{ApiError, ErrorCode};

#[derive(Clone)]
pub struct AppState {
    pub engine: Arc<Engine>,
    /// The built web UI (`web/dist`); `None` serves the API only.
    pub web_root: Option<PathBuf>,
}

/// The whole application: `/api/*` and the web UI.
pub fn app(state: AppState) -> Router {
    let api = Router::new()
        .route("/health", get(health))
        .route("/search", get(search))
        .fallback(api_not_found)
        .with_state(state.clone());
    let router = Router::new().nest("/api", api);
    match &state.web_root {
        Some(root) => {
            // Unknown paths get index.html so that client-side routes (deep links) load the app.
            let site = ServeDir::new(root).fallback(ServeFile::new(root.join("index.html")));
            router.fallback_service(site)
        }
        None => router.fallback(no_ui),
    }
}

async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

async fn api_not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such API endpoint")
}

async fn no_ui() -> Response {
    (StatusCode::NOT_FOUND, "sosik: the web UI is not built (run scripts/build-web.sh); the JSON API is under /api/\n")
        .into_response()
}

/// Query-string parameters as a map; a repeated or unknown parameter is an error.
fn params(raw: Option<String>, allowed: &[&str]) -> Result<HashMap<String, String>, ApiError> {
    let mut map = HashMap::new();
    for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        if !allowed.contains(&k.as_ref()) {
            return Err(ApiError::new(
                ErrorCode::UnknownParameter,
                format!("unknown parameter `{k}`; allowed: {}", allowed.join(", ")),
            ));
        }
        if map.insert(k.to_string(), v.to_string()).is_some() {
            return Err(ApiError::new(ErrorCode::InvalidParameter, format!("parameter `{k}` given more than once")));
        }
    }
    Ok(map)
}

fn number(map: &HashMap<String, String>, name: &str, default: usize) -> Result<usize, ApiError> {
    match map.get(name) {
        None => Ok(default),
        Some(v) => v.trim().parse().map_err(|_| {
            ApiError::new(
                ErrorCode::InvalidParameter,
                format!("parameter `{name}` must be a non-negative integer, got {v:?}"),
            )
        }),
    }
}

async fn search(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<SearchResponse>, ApiError> {
    let p = params(raw, &["q", "mode", "limit", "offset"])?;
    let mode = match p.get("mode").map(String::as_str) {
        None | Some("") | Some("hybrid") => SearchMode::Hybrid,
        Some("bm25") => SearchMode::Bm25,
        Some("vector") => SearchMode::Vector,
        Some(other) => {
            return Err(ApiError::new(
                ErrorCode::InvalidParameter,
                format!("parameter `mode` must be bm25, vector or hybrid, got {other:?}"),
            ))
        }
    };
    let req = SearchRequest {
        q: p.get("q").cloned().unwrap_or_default(),
        mode,
        limit: number(&p, "limit", 20)?,
        offset: number(&p, "offset", 0)?,
    };
    req.validate()?;
    let engine = state.engine.clone();
    // Tokenising, scoring and embedding the query are CPU work: keep them off the I/O threads.
    let answer = tokio::task::spawn_blocking(move || engine.search(&req))
        .await
        .map_err(|e| ApiError::new(ErrorCode::Internal, format!("search task failed: {e}")))??;
    Ok(Json(answer))
}
