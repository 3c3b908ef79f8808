//! sosik's HTTP layer. It only parses requests, calls the engine ([`sosik_engine::Engine`]) and
//! shapes answers; everything about search lives in the engine.

mod error;
mod explore;
pub mod limits;
pub mod observe;
mod openapi;
pub mod params;
pub mod reload;
pub mod serve;
pub mod web;

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use arc_swap::ArcSwap;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use sosik_engine::Engine;
use sosik_types::{ErrorBody, Item, SearchResponse, SimilarResponse, SuggestResponse};
use tower_http::compression::CompressionLayer;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

pub use error::{ApiError, ErrorCode};
pub use openapi::document as openapi_document;
use params::{NoParams, Params, SearchParams, SimilarParams, SuggestParams};

#[derive(Clone)]
pub struct AppState {
    /// The engine serving now; a reload swaps it (see [`reload`]).
    served: reload::Slot,
    /// The last index the reloader would not switch to, for `/api/health`.
    refused: Arc<Mutex<Option<reload::Refused>>>,
    /// A folder holding the built web UI (`--web`); it wins over the built-in one.
    pub web_root: Option<PathBuf>,
    /// Serve the UI built into the binary ([`web::Dist`]) when there is no `web_root`; with
    /// neither, the API only.
    pub embedded_ui: bool,
    /// The day date phrases in queries are read against (`지난주`); `None`: the local date.
    pub today: Option<chrono::NaiveDate>,
}

impl AppState {
    pub fn new(engine: impl Into<Arc<Engine>>, web_root: Option<PathBuf>) -> AppState {
        AppState {
            served: Arc::new(ArcSwap::from_pointee(reload::Served::new(engine.into()))),
            refused: Arc::new(Mutex::new(None)),
            web_root,
            embedded_ui: false,
            today: None,
        }
    }

    /// The day date phrases in queries are read against: the pinned one, else the local date.
    pub fn today(&self) -> chrono::NaiveDate {
        self.today.unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// The engine serving now. Handlers take it once per request, so a request finishes on the
    /// index it started on even if a reload swaps in another meanwhile.
    pub fn engine(&self) -> Arc<Engine> {
        self.served.load().engine.clone()
    }

    /// Serves `engine` from now on (and forgets an earlier refused index); returns the engine it
    /// replaces, which lives on until the requests holding it finish.
    pub fn replace_engine(&self, engine: impl Into<Arc<Engine>>) -> Arc<Engine> {
        let old = self.served.swap(Arc::new(reload::Served::new(engine.into())));
        self.set_refused(None);
        old.engine.clone()
    }

    fn set_refused(&self, refused: Option<reload::Refused>) {
        *self.refused.lock().unwrap_or_else(|p| p.into_inner()) = refused;
    }

    /// What `/api/health` reports: the index served, and the last one refused.
    pub fn health(&self) -> reload::Health {
        let refused = self.refused.lock().unwrap_or_else(|p| p.into_inner()).clone();
        reload::health(&self.served.load(), refused)
    }
}

/// The whole application: `/api/*` and the web UI, with the default [`limits::Limits`].
pub fn app(state: AppState) -> Router {
    app_with(state, &limits::Limits::default())
}

/// [`app`] with the given request limits.
pub fn app_with(state: AppState, limits: &limits::Limits) -> Router {
    let api = Router::new()
        .route("/openapi.json", get(openapi::serve))
        .route("/health", get(health))
        .route("/search", get(search))
        .route("/items/{id}", get(item))
        .route("/items/{id}/similar", get(similar))
        .route("/suggest", get(suggest))
        .merge(explore::api_routes())
        .fallback(api_not_found)
        .with_state(state.clone());
    let feeds = explore::feed_routes().fallback(api_not_found).with_state(state.clone());
    let router = Router::new().nest("/api", api).nest("/feeds", feeds);
    let router = match &state.web_root {
        Some(root) => {
            // Unknown paths get index.html so that client-side routes (deep links) load the app.
            let site = ServeDir::new(root).fallback(ServeFile::new(root.join("index.html")));
            router.fallback_service(site)
        }
        None if state.embedded_ui => router.fallback(web::serve::<web::Dist>),
        None => router.fallback(no_ui),
    };
    let header =
        |name, value: &'static str| SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value));
    // request ids, logs and limits inside the header layers, so refusals carry the headers too
    observe::layer(limits::layer(router, limits))
        .layer(middleware::from_fn(cache_control))
        .layer(header(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::REFERRER_POLICY, "no-referrer"))
        .layer(CompressionLayer::new())
}

/// What the page may load: only its own scripts (no inline ones), WebAssembly compiled from
/// them, inline styles (Leptos sets style attributes), its own API; never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
     style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// API answers are never cached; versioned assets (`?v=<hash>`, stamped by build-web.sh) are
/// immutable; everything else (index.html) is revalidated.
async fn cache_control(req: Request<axum::body::Body>, next: Next) -> Response {
    let policy = if req.uri().path().starts_with("/api/") {
        "no-store"
    } else if req.uri().query().is_some_and(|q| q.split('&').any(|p| p.starts_with("v="))) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut resp = next.run(req).await;
    if resp.status().is_success() {
        resp.headers_mut().entry(header::CACHE_CONTROL).or_insert(HeaderValue::from_static(policy));
    }
    resp
}

/// Liveness: answers while the server runs.
#[utoipa::path(get, path = "/api/health", tag = "meta",
    responses((status = 200, description = "The server is up, with the index it serves", body = reload::Health)))]
async fn health(State(state): State<AppState>) -> Json<reload::Health> {
    Json(state.health())
}

async fn api_not_found() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "no such API endpoint")
}

async fn no_ui() -> Response {
    (StatusCode::NOT_FOUND, "sosik: the web UI is not built (run scripts/build-web.sh); the JSON API is under /api/\n")
        .into_response()
}

/// Runs CPU-bound engine work (tokenising, scoring, embedding) off the async I/O threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, sosik_engine::EngineError> + Send + 'static,
) -> Result<T, ApiError> {
    // the job keeps the request's admission slot until it ends, even if the request times out
    // first (see limits.rs); its log lines belong to the request's span
    let (slot, span) = (limits::current_slot(), tracing::Span::current());
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        span.in_scope(work)
    })
    .await
    .map_err(|e| ApiError::new(ErrorCode::Internal, format!("engine task failed: {e}")))?
    .map_err(ApiError::from)
}

/// Searches the news items: BM25, vector or hybrid ranking, with filters and facets.
///
/// Near-duplicate copies of a story are collapsed into one hit (`also_in`); `total` counts
/// those collapsed hits in the set the mode ranks, after filters.
#[utoipa::path(
    get,
    path = "/api/search",
    tag = "search",
    params(SearchParams),
    responses(
        (status = 200, description = "One page of hits, the total and the facets", body = SearchResponse),
        (status = 400, description = "A parameter is malformed, out of bounds, repeated or unknown",
         body = ErrorBody),
    ),
)]
async fn search(
    State(state): State<AppState>,
    Params(p): Params<SearchParams>,
) -> Result<Json<SearchResponse>, ApiError> {
    let req = p.into_request(state.today());
    req.validate()?;
    let engine = state.engine();
    Ok(Json(blocking(move || engine.search(&req)).await?))
}

/// Everything sosik knows about one item.
#[utoipa::path(
    get,
    path = "/api/items/{id}",
    tag = "items",
    params(("id" = String, Path, description = "Item id (from a hit's `id`)")),
    responses(
        (status = 200, description = "The item", body = Item),
        (status = 400, description = "A query parameter was given (this endpoint takes none)", body = ErrorBody),
        (status = 404, description = "No item has this id", body = ErrorBody),
    ),
)]
async fn item(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Params(NoParams {}): Params<NoParams>,
) -> Result<Json<Item>, ApiError> {
    let engine = state.engine();
    let lookup = id.clone();
    blocking(move || engine.item(&lookup))
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no item with id {id:?}")))
}

/// The nearest items by embedding, from other posts.
#[utoipa::path(
    get,
    path = "/api/items/{id}/similar",
    tag = "items",
    params(
        ("id" = String, Path, description = "Item id (from a hit's `id`)"),
        SimilarParams,
    ),
    responses(
        (status = 200, description = "The nearest items, most similar first", body = SimilarResponse),
        (status = 400, description = "`limit` is malformed or out of bounds, or an unknown parameter", body = ErrorBody),
        (status = 404, description = "No item has this id", body = ErrorBody),
    ),
)]
async fn similar(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Params(p): Params<SimilarParams>,
) -> Result<Json<SimilarResponse>, ApiError> {
    let limit = p.limit();
    let engine = state.engine();
    let lookup = id.clone();
    let hits = blocking(move || engine.similar(&lookup, limit))
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no item with id {id:?}")))?;
    Ok(Json(SimilarResponse { id, hits }))
}

/// Typeahead: companies, topics, names, story threads and title words for what the search box
/// holds, matched the way Korean is typed (a syllable still being composed, initial consonants
/// only, Latin aliases).
#[utoipa::path(
    get,
    path = "/api/suggest",
    tag = "search",
    params(SuggestParams),
    responses(
        (status = 200, description = "Suggestions, best first", body = SuggestResponse),
        (status = 400, description = "`q` is missing or too long, `limit` is out of bounds, or an unknown parameter",
         body = ErrorBody),
    ),
)]
async fn suggest(
    State(state): State<AppState>,
    Params(p): Params<SuggestParams>,
) -> Result<Json<SuggestResponse>, ApiError> {
    let limit = p.limit();
    let engine = state.engine();
    blocking(move || engine.suggest(&p.q, limit)).await.map(Json)
}
