//! The API contract: `GET /api/openapi.json` documents every route of the router and every
//! error code of the table in `error.rs`, and real answers of every endpoint — successes and
//! errors — validate against the schema the document declares for their status and content type.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::common::{get, router, send, short, Contract};
use axum::body::Body;
use axum::http::Request;
use axum::Router;
use serde_json::{json, Value};
use sosik_server::limits::{MAX_HEADER_BYTES, MAX_URI_BYTES};

fn server_sources() -> Vec<(PathBuf, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    // unit tests' own routes (`#[cfg(test)]` at the end of a file) are not the app's
    let app_part = |text: String| text.split("#[cfg(test)]").next().unwrap().to_string();
    files.into_iter().map(|p| (p.clone(), app_part(std::fs::read_to_string(&p).unwrap()))).collect()
}

/// The path of every `.route("…", …)` in the server's source.
fn routes_in_source() -> Vec<(String, String)> {
    let mut routes = Vec::new();
    for (file, text) in server_sources() {
        for (i, _) in text.match_indices(".route(") {
            let rest = text[i + ".route(".len()..].trim_start();
            if let Some(lit) = rest.strip_prefix('"') {
                let path = &lit[..lit.find('"').unwrap()];
                routes.push((file.file_name().unwrap().to_string_lossy().into_owned(), path.to_string()));
            }
        }
    }
    routes
}

/// The strings of the error table (`ErrorCode::X => "code"` in error.rs).
fn codes_in_source() -> BTreeSet<String> {
    let text = std::fs::read_to_string(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/error.rs")).unwrap();
    text.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("ErrorCode::") && l.contains("=> \""))
        .map(|l| l.split('"').nth(1).unwrap().to_string())
        .collect()
}

/// Every `$ref` in `value` (with where it is).
fn refs(value: &Value, at: String, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push((at.clone(), r.clone())),
                    _ => refs(v, format!("{at}/{k}"), out),
                }
            }
        }
        Value::Array(list) => list.iter().enumerate().for_each(|(i, v)| refs(v, format!("{at}/{i}"), out)),
        _ => {}
    }
}

#[tokio::test]
async fn every_route_of_the_router_is_documented() {
    let router = router();
    let contract = Contract::fetch(&router).await;
    let doc = &contract.doc;
    let documented: Vec<&String> = doc["paths"].as_object().unwrap().keys().collect();
    let routes = routes_in_source();
    assert!(routes.iter().any(|(_, r)| r == "/search"), "the scan finds the routes: {routes:?}");
    for (file, route) in &routes {
        assert!(
            documented.iter().any(|d| d.ends_with(route.as_str())),
            "route {route} ({file}) has no #[utoipa::path] in the OpenAPI document; documented: {documented:?}"
        );
    }
    for (template, item) in doc["paths"].as_object().unwrap() {
        let op = item.get("get").unwrap_or_else(|| panic!("{template}: only GET is served"));
        assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{template} has no summary (doc comment)");
    }
}

#[tokio::test]
async fn every_error_code_is_documented() {
    let router = router();
    let contract = Contract::fetch(&router).await;
    let doc = &contract.doc;
    let table = codes_in_source();
    assert!(table.contains("not_found"), "the scan finds the table: {table:?}");
    let documented: BTreeSet<String> = doc["components"]["schemas"]["ErrorDetail"]["properties"]["code"]["enum"]
        .as_array()
        .expect("ErrorDetail.code is an enum")
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(documented, table, "the document lists exactly the codes of error.rs");
}

#[tokio::test]
async fn parameter_bounds_are_the_engines() {
    let router = router();
    let contract = Contract::fetch(&router).await;
    let doc = &contract.doc;
    let param = |path: &str, name: &str| -> Value {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} documents `{name}`"))["schema"]
            .clone()
    };
    use sosik_engine::search::{MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS};
    assert_eq!(param("/api/search", "q")["maxLength"], json!(MAX_QUERY_CHARS));
    assert_eq!(param("/api/search", "limit")["maximum"], json!(MAX_LIMIT));
    assert_eq!(param("/api/search", "offset")["maximum"], json!(MAX_OFFSET));
    assert_eq!(param("/api/items/{id}/similar", "limit")["maximum"], json!(MAX_LIMIT));
    use sosik_engine::explore::MAX_TOP;
    assert_eq!(param("/api/timeline", "top")["maximum"], json!(MAX_TOP));
    assert_eq!(param("/api/timeline", "q")["maxLength"], json!(MAX_QUERY_CHARS));
    assert_eq!(param("/api/stories", "limit")["maximum"], json!(MAX_LIMIT));
    use sosik_types::limits::{MAX_SUGGESTIONS, MAX_SUGGEST_CHARS};
    assert_eq!(param("/api/suggest", "limit")["maximum"], json!(MAX_SUGGESTIONS));
    assert_eq!(param("/api/suggest", "q")["maxLength"], json!(MAX_SUGGEST_CHARS));
    assert_eq!(param("/api/stories", "offset")["maximum"], json!(MAX_OFFSET));
    assert_eq!(param("/feeds/search.atom", "q")["maxLength"], json!(MAX_QUERY_CHARS));
    assert_eq!(param("/api/timeline", "interval")["$ref"], json!("#/components/schemas/Interval"));
    assert_eq!(param("/api/search", "mode")["$ref"], json!("#/components/schemas/SearchMode"));
    assert_eq!(doc["components"]["schemas"]["SearchMode"]["enum"], json!(["bm25", "vector", "hybrid"]));
    // every date parameter documents the range of the one date parser
    use sosik_corpus::dates::{MAX_DATE, MIN_DATE};
    let mut dates = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for p in item["get"]["parameters"].as_array().into_iter().flatten().filter(|p| p["schema"]["format"] == "date")
        {
            let description = p["description"].as_str().unwrap_or_default();
            let range = format!("{MIN_DATE} to {MAX_DATE}");
            assert!(description.contains(&range), "{path} `{}`: {description:?} lacks {range}", p["name"]);
            dates.push(format!("{path} {}", p["name"]));
        }
    }
    assert_eq!(dates.len(), 9, "search, timeline, stories and the search feed: from, to; trending: to; {dates:?}");
}

/// Real requests (successes and errors) of every endpoint, with the status each must get.
async fn requests(router: &Router) -> Vec<(String, u16)> {
    let answer = get(router, "/api/search?q=%EC%95%A4%ED%8A%B8%EB%A1%9C%ED%94%BD&limit=5").await;
    let hits: sosik_types::SearchResponse = serde_json::from_slice(&answer.body).unwrap();
    let id = hits.hits.first().expect("앤트로픽 finds an item in data/posts").id.clone();
    let answer = get(router, "/api/stories?limit=1").await;
    let stories: sosik_types::StoryList = serde_json::from_slice(&answer.body).unwrap();
    let story = stories.stories.first().expect("data/posts has a story thread").id.clone();
    // a query naming that thread: the answer carries it (`story`)
    let named: String = form_urlencoded::byte_serialize(stories.stories[0].title.as_bytes()).collect();
    let mut list: Vec<(String, u16)> = vec![
        ("/api/openapi.json".into(), 200),
        ("/api/health".into(), 200),
        // search: every mode, filters, facets, explain, date sort
        ("/api/search?q=Cowork&mode=bm25&limit=3".into(), 200),
        ("/api/search?q=%EC%95%A4%ED%8A%B8%EB%A1%9C%ED%94%BD&explain=true".into(), 200),
        ("/api/search?q=AI%20agents&mode=vector&sort=date&from=2025-01-01&to=2027-12-31".into(), 200),
        ("/api/search?q=Claude&company=anthropic&offset=1&limit=2".into(), 200),
        ("/api/search?q=zzzzqqqq&mode=bm25".into(), 200),
        ("/api/search?from=2026-01-01".into(), 200),
        ("/api/search?q=x&limit=0".into(), 400),
        ("/api/search?q=x&offset=-1".into(), 400),
        ("/api/search?q=x&mode=fuzzy".into(), 400),
        ("/api/search?q=x&from=2026-02-01&to=2026-01-01".into(), 400),
        ("/api/search?from=1989-12-31".into(), 400),
        ("/api/trending?to=-262143-01-01".into(), 400),
        ("/api/timeline?from=%2B262142-12-31&to=%2B262142-12-31".into(), 400),
        ("/api/search?q=x&q=y".into(), 400),
        ("/api/search?q=x&page=2".into(), 400),
        // items
        (format!("/api/items/{id}"), 200),
        (format!("/api/items/{id}?full=1"), 400),
        ("/api/items/0000000000000000".into(), 404),
        (format!("/api/items/{id}/similar?limit=3"), 200),
        (format!("/api/items/{id}/similar?limit=1000"), 400),
        ("/api/items/0000000000000000/similar".into(), 404),
        // explore
        ("/api/companies".into(), 200),
        ("/api/companies?sort=name".into(), 400),
        ("/api/companies/anthropic".into(), 200),
        ("/api/companies/anthropic?x=1".into(), 400),
        ("/api/companies/no-such-company".into(), 404),
        ("/api/topics".into(), 200),
        ("/api/topics?x=1".into(), 400),
        ("/api/topics/agents".into(), 200),
        ("/api/topics/agents?x=1".into(), 400),
        ("/api/topics/no-such-topic".into(), 404),
        ("/api/timeline".into(), 200),
        ("/api/timeline?q=Claude&interval=day&top=2&company=anthropic&from=2026-01-01&to=2026-02-28".into(), 200),
        ("/api/timeline?interval=month&topic=agents".into(), 200),
        ("/api/timeline?interval=year".into(), 400),
        ("/api/timeline?top=11".into(), 400),
        ("/api/stories".into(), 200),
        ("/api/stories?company=anthropic&limit=2&offset=1".into(), 200),
        ("/api/stories?limit=0".into(), 400),
        (format!("/api/stories/{story}"), 200),
        (format!("/api/stories/{story}?x=1"), 400),
        ("/api/stories/0000000000000000".into(), 404),
        ("/api/trending".into(), 200),
        ("/api/relays".into(), 200),
        ("/api/relays?x=1".into(), 400),
        ("/api/trending?window=30d&to=2026-02-07".into(), 200),
        ("/api/trending?window=0d".into(), 400),
        ("/api/names".into(), 200),
        ("/api/names?kind=person".into(), 200),
        ("/api/names?kind=product&new=30d".into(), 200),
        ("/api/names?kind=company".into(), 400),
        ("/api/names?new=366d".into(), 400),
        ("/api/names?new=7&new=30".into(), 400),
        ("/api/names/claude-code".into(), 200),
        ("/api/names/claude-code?x=1".into(), 400),
        ("/api/names/no-such-name".into(), 404),
        ("/api/search?name=claude-code&limit=5".into(), 200),
        ("/api/timeline?name=claude-code".into(), 200),
        ("/api/stories?name=claude-code".into(), 200),
        (format!("/api/search?q={named}"), 200),
        // fresh first; what 새 소식 asks for a followed company
        ("/api/search?q=AI&sort=fresh&limit=5".into(), 200),
        ("/api/search?company=anthropic&from=2026-02-01&sort=date&limit=10".into(), 200),
        // several values per filter field
        ("/api/search?q=Claude&company=anthropic&company=openai&topic=agents".into(), 200),
        ("/api/search?company=anthropic,openai&mode=bm25".into(), 200),
        ("/api/timeline?company=anthropic&company=openai&interval=month".into(), 200),
        ("/api/stories?topic=agents&topic=capex".into(), 200),
        ("/feeds/search.atom?company=anthropic&company=openai".into(), 200),
        (format!("/api/search?company={}", (0..21).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",")), 400),
        // typeahead
        ("/api/suggest?q=%EC%95%A4%ED%8A%B8%EB%A1%9C".into(), 200),
        ("/api/suggest?q=%E3%85%87%E3%85%8C%E3%84%B9%E3%85%8D&limit=3".into(), 200),
        ("/api/suggest?q=".into(), 200),
        ("/api/suggest".into(), 400),
        ("/api/suggest?q=a&limit=21".into(), 400),
        (format!("/api/suggest?q={}", "a".repeat(101)), 400),
        ("/api/suggest?q=a&x=1".into(), 400),
        // Atom feeds
        ("/feeds/search.atom".into(), 200),
        ("/feeds/search.atom?q=Claude&company=anthropic".into(), 200),
        ("/feeds/search.atom?page=2".into(), 400),
        ("/feeds/companies/anthropic.atom".into(), 200),
        ("/feeds/companies/anthropic.atom?x=1".into(), 400),
        ("/feeds/companies/no-such-company.atom".into(), 404),
        ("/feeds/topics/agents.atom".into(), 200),
        ("/feeds/topics/agents.atom?x=1".into(), 400),
        ("/feeds/topics/agents.rss".into(), 404),
        ("/feeds/names/claude-code.atom".into(), 200),
        ("/feeds/names/claude-code.atom?x=1".into(), 400),
        ("/feeds/names/no-such-name.atom".into(), 404),
        ("/feeds/search.atom?name=claude-code".into(), 200),
        (format!("/feeds/stories/{story}.atom"), 200),
        (format!("/feeds/stories/{story}.atom?x=1"), 400),
        ("/feeds/stories/0000000000000000.atom".into(), 404),
    ];
    list.sort();
    list
}

/// Requests that break the limits every endpoint enforces: a body, an overlong URI, huge headers.
fn over_the_limits(id: &str) -> Vec<(String, Request<Body>, u16)> {
    let body = Request::get("/api/search?q=x").header("content-length", "3").body(Body::from("abc")).unwrap();
    let long = format!("/api/items/{id}/similar?limit=1&pad={}", "a".repeat(MAX_URI_BYTES));
    let big = Request::get(format!("/api/items/{id}"))
        .header("x-big", "b".repeat(MAX_HEADER_BYTES))
        .body(Body::empty())
        .unwrap();
    vec![
        ("/api/search?q=x".into(), body, 413),
        (long.clone(), Request::get(long).body(Body::empty()).unwrap(), 414),
        (format!("/api/items/{id}"), big, 431),
    ]
}

#[tokio::test]
async fn answers_match_the_document() {
    let router = router();
    let contract = Contract::fetch(&router).await;
    let doc = &contract.doc;
    let mut exercised: BTreeMap<String, BTreeSet<u16>> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut answers = Vec::new();
    for (uri, expected) in requests(&router).await {
        answers.push((uri.clone(), get(&router, &uri).await, expected));
    }
    let id = answers.iter().find_map(|(uri, _, _)| uri.strip_prefix("/api/items/")).unwrap().to_string();
    for (uri, req, expected) in over_the_limits(&id) {
        answers.push((uri, send(&router, req).await, expected));
    }
    for (uri, answer, expected) in answers {
        assert_eq!(answer.status.as_u16(), expected, "GET {}: {}", short(&uri), short(&answer.text()));
        match contract.check(&uri, &answer) {
            Ok((template, status)) => {
                exercised.entry(template).or_default().insert(status);
            }
            Err(e) => failures.push(e),
        }
    }
    // the API's fallback: an unknown path is a JSON 404 in the documented error body
    let answer = get(&router, "/api/no/such/endpoint").await;
    assert_eq!(answer.status, 404);
    let body: Value = serde_json::from_slice(&answer.body).unwrap();
    if let Err(e) = contract.validate(&json!({"$ref": "#/components/schemas/ErrorBody"}), &body) {
        failures.push(format!("fallback 404: {e}"));
    }
    assert!(failures.is_empty(), "answers that do not match the document:\n{}", failures.join("\n\n"));

    // Every documented answer was seen: an endpoint's own statuses on that endpoint, and the
    // statuses every endpoint lists (the limits) on one of them. Not 500 (it needs a broken
    // engine) nor 503 (a saturated server; limits.rs tests it).
    let paths = doc["paths"].as_object().unwrap();
    let statuses = |item: &Value| -> BTreeSet<u16> {
        item["get"]["responses"].as_object().unwrap().keys().map(|s| s.parse().unwrap()).collect()
    };
    let everywhere: BTreeSet<u16> =
        paths.values().map(statuses).reduce(|a, b| a.intersection(&b).copied().collect()).unwrap();
    let seen_anywhere: BTreeSet<u16> = exercised.values().flatten().copied().collect();
    for (template, item) in paths {
        for status in statuses(item) {
            let seen = if everywhere.contains(&status) {
                seen_anywhere.contains(&status)
            } else {
                exercised.get(template).is_some_and(|s| s.contains(&status))
            };
            assert!(
                seen || status == 500 || status == 503,
                "no request of this test gets GET {template} → {status}; add one to `requests`"
            );
        }
    }
}

#[tokio::test]
async fn every_ref_resolves() {
    let router = router();
    let contract = Contract::fetch(&router).await;
    let doc = &contract.doc;
    let mut found = Vec::new();
    refs(doc, String::new(), &mut found);
    assert!(found.len() > 10, "{found:?}");
    for (at, r) in found {
        let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("{at}: external $ref {r}"));
        assert!(doc.pointer(pointer).is_some(), "{at}: $ref {r} points nowhere in the document");
    }
}

/// The check can fail: an answer that breaks its schema is reported with the reason.
#[tokio::test]
async fn a_body_off_the_schema_is_caught() {
    let router = router();
    let contract = Contract::fetch(&router).await;
    let answer = get(&router, "/api/search?q=Cowork&mode=bm25&limit=1").await;
    let mut body: Value = serde_json::from_slice(&answer.body).unwrap();
    let hit = json!({"$ref": "#/components/schemas/SearchResponse"});
    assert_eq!(contract.validate(&hit, &body), Ok(()));
    body["hits"][0]["undeclared"] = json!(1);
    let err = contract.validate(&hit, &body).unwrap_err();
    assert!(err.contains("undeclared"), "{err}");
    body["hits"][0].as_object_mut().unwrap().remove("undeclared");
    body["hits"][0]["date"] = json!("13 Jan 2026");
    let err = contract.validate(&hit, &body).unwrap_err();
    assert!(err.contains("/hits/0/date"), "{err}");
    body["hits"][0].as_object_mut().unwrap().remove("title");
    body["total"] = json!(-1);
    let err = contract.validate(&hit, &body).unwrap_err();
    assert!(err.contains("title") && err.contains("/total"), "{err}");
    let error = json!({"$ref": "#/components/schemas/ErrorBody"});
    let err = contract.validate(&error, &json!({"error": {"code": "teapot", "message": "x"}})).unwrap_err();
    assert!(err.contains("/error/code"), "{err}");
}
