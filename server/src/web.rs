//! The web UI built into the binary: `web/dist` (what `scripts/build-web.sh` writes) embedded by
//! `rust-embed` when the server is compiled (release and debug alike: the `debug-embed` feature),
//! so a deployment is this binary and an index archive. `build.rs` makes cargo recompile the
//! server whenever `web/dist` changes. `--web DIR` serves a folder instead (tower-http's
//! `ServeDir`, see `lib.rs`), as `scripts/up.sh` does: it builds the UI beside the server.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use sosik_engine::format::digest::hex;

/// `web/dist` at the time this binary was compiled; empty when it was not built then.
#[derive(rust_embed::Embed)]
#[folder = "$CARGO_MANIFEST_DIR/../web/dist"]
#[allow_missing = true]
pub struct Dist;

/// Whether the built-in UI has a page to serve.
pub fn has_embedded_ui() -> bool {
    Dist::get("index.html").is_some()
}

/// Written here rather than taken from tower-http: `ServeDir` reads a file system, and the
/// embedded files are in the binary.
///
/// Answers a request for a file of the UI from the embedded assets of `E`: the file itself, or
/// `index.html` for any other path (client-side routes), with its content type and an `ETag`
/// (the file's SHA-256) that a matching `If-None-Match` turns into 304.
pub async fn serve<E: rust_embed::RustEmbed>(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return (StatusCode::METHOD_NOT_ALLOWED, [(header::ALLOW, "GET, HEAD")]).into_response();
    }
    let path = uri.path().trim_start_matches('/');
    let Some(file) = E::get(path).filter(|_| !path.is_empty()).or_else(|| E::get("index.html")) else {
        return (StatusCode::NOT_FOUND, "sosik: this server was built without its web UI\n").into_response();
    };
    let etag = format!("\"{}\"", hex(&file.metadata.sha256_hash()));
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let etag = HeaderValue::from_str(&etag).expect("hex is a valid header value");
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let mime =
        HeaderValue::from_str(file.metadata.mimetype()).unwrap_or(HeaderValue::from_static("application/octet-stream"));
    // a HEAD response's body is dropped by hyper
    ([(header::CONTENT_TYPE, mime), (header::ETAG, etag)], Body::from(file.data)).into_response()
}
