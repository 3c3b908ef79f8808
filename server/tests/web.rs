//! The web UI built into the binary (`sosik_server::web`), on a fixture site embedded the same
//! way: files with their types and ETags, client-side routes get index.html, and nothing outside
//! the embedded folder is reachable.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use tower::ServiceExt;

#[derive(rust_embed::Embed)]
#[folder = "$CARGO_MANIFEST_DIR/tests/fixtures/site"]
struct Site;

#[derive(rust_embed::Embed)]
#[folder = "$CARGO_MANIFEST_DIR/tests/fixtures/no-such-site"]
#[allow_missing = true]
struct NoSite;

async fn get<E: rust_embed::RustEmbed + 'static>(
    method: &str,
    uri: &str,
    etag: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let router: Router = Router::new().fallback(sosik_server::web::serve::<E>);
    let mut req = Request::builder().method(method).uri(uri);
    if let Some(tag) = etag {
        req = req.header(header::IF_NONE_MATCH, tag);
    }
    let resp = router.oneshot(req.body(Body::empty()).unwrap()).await.unwrap();
    let (status, headers) = (resp.status(), resp.headers().clone());
    (status, headers, resp.into_body().collect().await.unwrap().to_bytes().to_vec())
}

#[tokio::test]
async fn files_are_served_with_their_type_and_routes_get_the_page() {
    let (status, h, body) = get::<Site>("GET", "/app_bg.wasm", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h[header::CONTENT_TYPE], "application/wasm", "browsers compile wasm streams only with this type");
    assert_eq!(body, b"\0asm\x01\0\0\0");
    let (_, h, _) = get::<Site>("GET", "/app.js", None).await;
    assert!(h[header::CONTENT_TYPE].to_str().unwrap().contains("javascript"), "{h:?}");
    for route in ["/", "/companies/anthropic", "/search?q=x", "/missing.js"] {
        let (status, h, body) = get::<Site>("GET", route, None).await;
        assert_eq!(status, StatusCode::OK, "{route}");
        assert_eq!(h[header::CONTENT_TYPE], "text/html", "{route}");
        assert!(String::from_utf8_lossy(&body).contains("sosik test site"), "{route}");
    }
    for escape in ["/../Cargo.toml", "/%2e%2e/Cargo.toml", "/..%2fweb.rs"] {
        let (_, _, body) = get::<Site>("GET", escape, None).await;
        assert!(String::from_utf8_lossy(&body).contains("sosik test site"), "{escape} must only find the page");
    }
}

#[tokio::test]
async fn a_matching_etag_is_answered_with_304_and_other_methods_refused() {
    let (_, h, _) = get::<Site>("GET", "/app.js", None).await;
    let etag = h[header::ETAG].to_str().unwrap().to_string();
    assert!(etag.starts_with('"') && etag.len() == 66, "{etag}");
    let (status, _, body) = get::<Site>("GET", "/app.js", Some(&etag)).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    let (status, _, _) = get::<Site>("GET", "/app.js", Some("\"other\"")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, h, _) = get::<Site>("POST", "/app.js", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(h[header::ALLOW], "GET, HEAD");
}

#[tokio::test]
async fn a_binary_built_without_the_ui_says_so() {
    let (status, _, body) = get::<NoSite>("GET", "/", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(String::from_utf8_lossy(&body).contains("built without its web UI"));
}
