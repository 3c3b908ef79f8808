//! Shared by the contract tests: one index of data/posts per test binary, built through the
//! library; the router answering in process (`app(state)` + `tower::ServiceExt::oneshot`); the
//! served OpenAPI document and the check of an answer against it.

#![allow(dead_code)] // each test binary uses a part

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use sosik_corpus::tagging::Catalog;
use sosik_engine::Engine;
use sosik_indexer::build::{build, BuildOptions};
use sosik_server::{app, AppState};
use tower::ServiceExt;

pub fn engine() -> Arc<Engine> {
    static ENGINE: OnceLock<(tempfile::TempDir, Arc<Engine>)> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let index = dir.path().join("index");
            let embedder = sosik_embed::Embedder::shared(&sosik_embed::Assets::locate())
                .expect("embedding model (run scripts/setup/embed.sh)");
            let opts = BuildOptions {
                posts: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/posts"),
                index: index.clone(),
                catalog: Catalog::builtin().unwrap(),
                dictionary: sosik_ko::default_dictionary_dir(),
                embedding_cache: sosik_indexer::default_embedding_cache(),
                strict: true,
                vector_graph: false,
            };
            build(&opts, embedder, &sosik_indexer::build::progress::Silent).expect("build the sample index");
            let engine = Engine::open(&index, &sosik_ko::default_dictionary_dir(), embedder).expect("open");
            (dir, Arc::new(engine))
        })
        .1
        .clone()
}

/// The whole application (API only, no web UI) on the sample index.
pub fn router() -> Router {
    app(AppState::new(engine(), None))
}

pub struct Answer {
    pub status: StatusCode,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// `GET uri` through the router.
pub async fn get(router: &Router, uri: &str) -> Answer {
    send(router, Request::builder().uri(uri).body(Body::empty()).unwrap()).await
}

/// Any request through the router.
pub async fn send(router: &Router, req: Request<Body>) -> Answer {
    let resp = router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let content_type = resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    let body = resp.into_body().collect().await.unwrap().to_bytes().to_vec();
    Answer { status, content_type, body }
}

pub fn short(text: &str) -> String {
    text.chars().take(400).collect()
}

/// The served OpenAPI document and checks of answers against it.
pub struct Contract {
    pub doc: Value,
    /// The document as the root schema of every check: its own members are not keywords, and the
    /// `$ref`s of the schemas (`#/components/schemas/…`) resolve in it. Objects are closed
    /// (`additionalProperties: false` unless the document says otherwise), so a field the server
    /// sends but the document does not declare is an error too.
    root: Value,
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

impl Contract {
    pub async fn fetch(router: &Router) -> Contract {
        let answer = get(router, "/api/openapi.json").await;
        assert_eq!(answer.status, 200, "{}", answer.text());
        assert!(answer.content_type.starts_with("application/json"), "{}", answer.content_type);
        let doc: Value = serde_json::from_slice(&answer.body).expect("the document is JSON");
        assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "{}", doc["openapi"]);
        let mut root = doc.clone();
        close_objects(&mut root["components"]);
        Contract { doc, root, validators: Mutex::new(HashMap::new()) }
    }

    /// Validates `instance` against `schema` (a schema of the document, or `{"$ref": …}`).
    pub fn validate(&self, schema: &Value, instance: &Value) -> Result<(), String> {
        let key = schema.to_string();
        let validator = self.validators.lock().unwrap().get(&key).cloned();
        let validator = match validator {
            Some(v) => v,
            None => {
                let mut schema = schema.clone();
                close_objects(&mut schema);
                let mut root = self.root.clone();
                root.as_object_mut().unwrap().insert("allOf".into(), json!([schema]));
                let v = Arc::new(
                    jsonschema::validator_for(&root).map_err(|e| format!("the document is no valid schema: {e}"))?,
                );
                self.validators.lock().unwrap().insert(key, v.clone());
                v
            }
        };
        let errors: Vec<String> =
            validator.iter_errors(instance).map(|e| format!("{} at {}", e, e.instance_path())).collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors.join("\n"))
        }
    }

    /// The document's path template (`/api/items/{id}`) that a concrete path matches.
    pub fn template_for(&self, path: &str) -> Option<String> {
        let segments: Vec<&str> = path.split('/').collect();
        self.doc["paths"].as_object().unwrap().keys().find_map(|template| {
            let parts: Vec<&str> = template.split('/').collect();
            let fits = parts.len() == segments.len()
                && parts.iter().zip(&segments).all(|(p, s)| p == s || (p.starts_with('{') && !s.is_empty()));
            fits.then(|| template.clone())
        })
    }

    /// Checks one answer to `GET uri`: its status is documented for the operation, its content
    /// type too, a JSON body validates against the schema given for both, and an error's code
    /// is one the documentation puts under that status. Returns the (template, status) seen.
    pub fn check(&self, uri: &str, answer: &Answer) -> Result<(String, u16), String> {
        let path = uri.split('?').next().unwrap();
        let status = answer.status.as_u16();
        let template = self.template_for(path).ok_or_else(|| format!("{} is not in the document", short(path)))?;
        let response = self.doc["paths"][&template]["get"]["responses"]
            .get(status.to_string())
            .ok_or_else(|| format!("GET {template} answered {status}, which the document does not list"))?;
        let media = answer.content_type.split(';').next().unwrap().trim();
        let content = response["content"]
            .get(media)
            .ok_or_else(|| format!("GET {template} {status} came as {media:?}; documented: {}", response["content"]))?;
        if media.ends_with("json") {
            let body: Value =
                serde_json::from_slice(&answer.body).map_err(|e| format!("{}: not JSON: {e}", short(uri)))?;
            self.validate(&content["schema"], &body)
                .map_err(|e| format!("GET {} ({status}): {e}\nbody: {}", short(uri), short(&body.to_string())))?;
            if status >= 400 {
                let code = body["error"]["code"].as_str().unwrap();
                let described = response["description"].as_str().unwrap_or("");
                if !described.contains(&format!("`{code}`")) {
                    return Err(format!(
                        "GET {}: code {code} under status {status}, documented: {described}",
                        short(uri)
                    ));
                }
            }
        } else {
            let text = String::from_utf8(answer.body.clone()).map_err(|e| format!("{}: {e}", short(uri)))?;
            if media.ends_with("xml") && !text.trim_start().starts_with('<') {
                return Err(format!("GET {}: {media} body is not XML: {}", short(uri), short(&text)));
            }
        }
        Ok((template, status))
    }
}

fn close_objects(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            map.values_mut().for_each(close_objects);
        }
        Value::Array(list) => list.iter_mut().for_each(close_objects),
        _ => {}
    }
}
