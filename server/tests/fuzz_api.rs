//! Fuzzing the query side with proptest, through the router in process: the Korean analyzer,
//! query building and parameter parsing get arbitrary strings and parameter values. The server
//! never answers 5xx (nor panics), every answer is one the OpenAPI document lists for the
//! endpoint and validates against its schema, and a search that succeeds honours its filters.
//!
//! Bounded for CI: a fixed number of cases per property (`PROPTEST_CASES=n` overrides it).

use std::sync::LazyLock;

use crate::common::{get, router, short, Answer, Contract};
use axum::Router;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use serde_json::Value;
use sosik_types::{ErrorBody, SearchResponse};

fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    let failure_persistence = Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions")) as Box<_>);
    Config { cases, failure_persistence, ..Config::default() }
}

struct Fixture {
    runtime: tokio::runtime::Runtime,
    router: Router,
    contract: Contract,
    /// Real item and story ids and company and topic slugs, for path parameters.
    ids: Vec<String>,
}

static FIXTURE: LazyLock<Fixture> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let router = router();
    let (contract, ids) = runtime.block_on(async {
        let contract = Contract::fetch(&router).await;
        let json = |answer: Answer| serde_json::from_slice::<Value>(&answer.body).unwrap();
        let mut ids = Vec::new();
        let items = json(get(&router, "/api/search?limit=100").await);
        ids.extend(items["hits"].as_array().unwrap().iter().map(|h| h["id"].as_str().unwrap().to_string()));
        let stories = json(get(&router, "/api/stories?limit=100").await);
        ids.extend(stories["stories"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_string()));
        for list in ["/api/companies", "/api/topics"] {
            let entities = json(get(&router, list).await);
            let slugs = entities["entities"].as_array().unwrap().iter().take(10);
            ids.extend(slugs.map(|e| e["slug"].as_str().unwrap().to_string()));
        }
        (contract, ids)
    });
    assert!(!ids.is_empty());
    Fixture { runtime, router, contract, ids }
});

/// `GET uri`: never a 5xx, and an answer the document allows.
fn fetch(uri: &str) -> Answer {
    let f = &*FIXTURE;
    let answer = f.runtime.block_on(get(&f.router, uri));
    assert!(answer.status.as_u16() < 500, "GET {} → {}: {}", short(uri), answer.status, short(&answer.text()));
    if let Err(e) = f.contract.check(uri, &answer) {
        panic!("{e}");
    }
    answer
}

/// Strings the analyzer and the query builder might choke on.
fn query_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[가-힣 ]{0,20}",
        "[가-힣a-zA-Z0-9 .+-]{0,30}",
        // tantivy query-parser syntax, quotes, escapes, punctuation
        "[가-힣a-z \"'*?~^:()\\[\\]{}!&|+/\\\\-]{0,30}",
        Just("앤트로픽 Claude GPT-5.3-Codex H200".to_string()),
        // date phrases (read as date ranges): extreme, signed and impossible numbers, ranges
        "(([+-]?[0-9]{1,6}(년|월|일|주차|분기|-|\\.)|최근 |지난 ?|이번 ?|첫째 ?주|마지막 ?주|부터|까지|~) ?){1,6}[가-힣 ]{0,6}",
        "[\u{1100}-\u{11FF}\u{3130}-\u{318F}\u{AC00}-\u{D7A3}\u{0300}-\u{036F}\u{200B}\u{FEFF}\u{3000}]{0,20}",
        any::<String>().prop_map(|s| s.chars().take(60).collect()),
        // around the 500-character limit
        (495usize..506).prop_map(|n| "가".repeat(n)),
        Just(String::new()),
        Just("   ".to_string()),
    ]
}

/// A parameter value: a valid one or junk.
fn value(valid: impl Strategy<Value = String> + 'static) -> impl Strategy<Value = Option<String>> {
    let junk = prop_oneof![
        Just(String::new()),
        Just("-1".to_string()),
        Just("1e3".to_string()),
        Just("99999999999999999999999".to_string()),
        Just(" 5 ".to_string()),
        "[0-9]{1,5}",
        any::<String>().prop_map(|s| s.chars().take(20).collect()),
    ];
    prop::option::of(prop_oneof![3 => valid.boxed(), 1 => junk.boxed()])
}

/// A date parameter's value: mostly days of the sample corpus, and every kind of date the one
/// parser must refuse — the edges of the range and just past them, years chrono's `%Y` reads
/// (signed, five and six digits, its calendar's edges), days that do not exist, other shapes.
fn date() -> impl Strategy<Value = String> {
    let sign = prop_oneof![Just(""), Just("+"), Just("-")];
    prop_oneof![
        6 => (2025i32..2027, 1u32..13, 1u32..32).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        2 => prop::sample::select(vec![
            "1990-01-01", "2100-12-31", "1989-12-31", "2101-01-01", "0206-01-01", "0000-01-01", "9999-12-31",
            "-262143-01-01", "+262142-12-31", "262142-12-31", "-0001-12-31", "+2026-01-13", "02026-01-13",
            "2026-02-30", "2026-13-01", "2026-00-10", "2026-1-5", "2026/01/13", "2026-01-13T00:00", "２０２６-01-13",
        ])
        .prop_map(str::to_string),
        2 => (sign, any::<i32>(), 0u32..14, 0u32..33).prop_map(|(s, y, m, d)| format!("{s}{y}-{m:02}-{d:02}")),
        1 => (1000i32..10000, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        1 => "[0-9+-]{0,14}",
    ]
}

/// Whether the one parser must take `value` (as the server reads it: trimmed, blank is absent):
/// `YYYY-MM-DD` of a real day from 1990-01-01 to 2100-12-31. Written apart from the parser.
fn accepted_date(value: &str) -> bool {
    let v = value.trim();
    let b = v.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    shape
        && ("1990-01-01"..="2100-12-31").contains(&v)
        && chrono::NaiveDate::from_ymd_opt(v[..4].parse().unwrap(), v[5..7].parse().unwrap(), v[8..].parse().unwrap())
            .is_some()
}

#[derive(Debug, Clone)]
struct Search {
    params: Vec<(&'static str, Option<String>)>,
}

fn search() -> impl Strategy<Value = Search> {
    let slug = || prop_oneof![Just("anthropic".to_string()), Just("openai".to_string()), "[a-z-]{1,12}"];
    (
        prop::option::of(query_text()),
        value(prop_oneof![Just("bm25"), Just("vector"), Just("hybrid")].prop_map(str::to_string)),
        value((0usize..150).prop_map(|n| n.to_string())),
        value((0usize..1100).prop_map(|n| n.to_string())),
        value(slug()),
        value(prop_oneof![Just("agents".to_string()), Just("capex".to_string()), "[a-z-]{1,12}"]),
        value(prop_oneof![Just("techcrunch.com".to_string()), "[a-z.]{1,15}"]),
        (value(date()), value(date())),
        value(prop_oneof![Just("relevance"), Just("date")].prop_map(str::to_string)),
        value(prop_oneof![Just("true"), Just("false"), Just("1"), Just("0")].prop_map(str::to_string)),
    )
        .prop_map(|(q, mode, limit, offset, company, topic, source, (from, to), sort, explain)| Search {
            params: vec![
                ("q", q),
                ("mode", mode),
                ("limit", limit),
                ("offset", offset),
                ("company", company),
                ("topic", topic),
                ("source", source),
                ("from", from),
                ("to", to),
                ("sort", sort),
                ("explain", explain),
            ],
        })
}

fn query_string(params: &[(&str, Option<String>)]) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in params {
        if let Some(v) = v {
            s.append_pair(k, v);
        }
    }
    s.finish()
}

proptest! {
    #![proptest_config(config(96))]

    /// Search with arbitrary queries and parameter values: 200 with filters honoured, or a 400
    /// that names one of the parameters given.
    #[test]
    fn search_parameters(s in search()) {
        let uri = format!("/api/search?{}", query_string(&s.params));
        let answer = fetch(&uri);
        let given = |name: &str| s.params.iter().find(|(k, _)| *k == name).and_then(|(_, v)| v.clone());
        if answer.status == 200 {
            let r: SearchResponse = serde_json::from_slice(&answer.body).unwrap();
            let limit = given("limit").and_then(|l| l.trim().parse().ok()).unwrap_or(20);
            prop_assert!(r.hits.len() <= limit);
            for hit in &r.hits {
                if let Some(c) = given("company").map(|c| c.trim().to_string()).filter(|c| !c.is_empty()) {
                    prop_assert!(hit.companies.contains(&c), "{} lacks company {c}", hit.id);
                }
                if let Some(from) = given("from").filter(|d| !d.trim().is_empty()) {
                    prop_assert!(hit.date.as_str() >= from.trim(), "{} before {from}", hit.date);
                }
                if let Some(to) = given("to").filter(|d| !d.trim().is_empty()) {
                    prop_assert!(hit.date.as_str() <= to.trim(), "{} after {to}", hit.date);
                }
            }
        } else {
            prop_assert_eq!(answer.status, 400, "{}", answer.text());
            let e: ErrorBody = serde_json::from_slice(&answer.body).unwrap();
            prop_assert!(
                s.params.iter().any(|(k, v)| v.is_some() && e.error.message.contains(&format!("`{k}`"))),
                "the message names a parameter given: {}", e.error.message
            );
        }
    }

    /// Every documented endpoint, with its documented parameters filled with valid values or
    /// junk, path parameters with real ids or junk, and sometimes a parameter it does not take.
    #[test]
    fn every_documented_endpoint(
        which in any::<prop::sample::Index>(),
        values in prop::collection::vec((any::<prop::sample::Index>(), any::<u32>(), query_text()), 16),
        extra in prop::option::of("[a-z_]{1,8}"),
    ) {
        let f = &*FIXTURE;
        let paths: Vec<(&String, &Value)> = f.contract.doc["paths"].as_object().unwrap().iter().collect();
        let (template, item) = which.get(&paths);
        let mut path = template.to_string();
        let mut query = Vec::new();
        let params = item["get"]["parameters"].as_array().cloned().unwrap_or_default();
        for (p, (pick, n, text)) in params.iter().zip(&values) {
            let name = p["name"].as_str().unwrap();
            let schema = resolve(&f.contract.doc, &p["schema"]);
            let v = match pick.index(4) {
                0 => None,
                1 => Some(text.clone()),
                _ => Some(valid_value(&schema, *n, &f.ids, pick.index(1000))),
            };
            if p["in"] == "path" {
                let mut v = v.unwrap_or_else(|| f.ids[pick.index(f.ids.len())].clone());
                if name == "file" && n % 4 != 0 {
                    v.push_str(".atom");
                }
                let encoded: String = form_urlencoded::byte_serialize(v.as_bytes()).collect();
                let encoded = if encoded.is_empty() { "x".to_string() } else { encoded };
                path = path.replace(&format!("{{{name}}}"), &encoded);
            } else if let Some(v) = v {
                query.push((name.to_string(), v));
            }
        }
        if let Some(extra) = extra {
            query.push((extra, "1".into()));
        }
        let mut s = form_urlencoded::Serializer::new(String::new());
        query.iter().for_each(|(k, v)| { s.append_pair(k, v); });
        fetch(&format!("{path}?{}", s.finish()));
    }

    /// Raw query strings that no form encoder would write: stray `%`, `&`, `=`, `+`.
    #[test]
    fn raw_query_strings(which in any::<prop::sample::Index>(), raw in "[a-z0-9%&=+;.~_-]{0,40}") {
        let f = &*FIXTURE;
        let paths: Vec<&String> = f.contract.doc["paths"].as_object().unwrap().keys().collect();
        let path = which.get(&paths).replace("{id}", &f.ids[0]);
        let path = path.split('{').next().unwrap().trim_end_matches('/').to_string();
        if f.contract.template_for(&path).is_some() {
            fetch(&format!("{path}?{raw}"));
        }
    }
}

proptest! {
    #![proptest_config(config(128))]

    /// Every date parameter the document lists (search, timeline, stories, trending, the search
    /// feed) with dates of every kind: never a 5xx; a date the parser must refuse is a typed 400
    /// naming a date parameter given; dates it takes are answered, or refused for what they
    /// mean together (`from` after `to`, too many timeline buckets).
    #[test]
    fn every_date_parameter(
        which in any::<prop::sample::Index>(),
        values in prop::collection::vec(prop::option::of(date()), 2),
        interval in prop::option::of(prop_oneof![Just("day"), Just("week"), Just("month")]),
    ) {
        let f = &*FIXTURE;
        let endpoints: Vec<(&String, Vec<String>)> = f.contract.doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(path, item)| {
                let params = item["get"]["parameters"].as_array().cloned().unwrap_or_default();
                let dates = params.iter().filter(|p| p["schema"]["format"] == "date");
                (path, dates.map(|p| p["name"].as_str().unwrap().to_string()).collect::<Vec<_>>())
            })
            .filter(|(_, dates)| !dates.is_empty())
            .collect();
        prop_assert_eq!(endpoints.len(), 5, "endpoints with date parameters");
        let (path, names) = which.get(&endpoints);
        let given: Vec<(&str, String)> =
            names.iter().zip(&values).filter_map(|(n, v)| Some((n.as_str(), v.clone()?))).collect();
        let mut s = form_urlencoded::Serializer::new(String::new());
        given.iter().for_each(|(k, v)| { s.append_pair(k, v); });
        if let (Some(interval), true) = (interval, path.as_str() == "/api/timeline") {
            s.append_pair("interval", interval);
        }
        let answer = fetch(&format!("{path}?{}", s.finish()));
        let refused: Vec<&str> =
            given.iter().filter(|(_, v)| !v.trim().is_empty() && !accepted_date(v)).map(|(k, _)| *k).collect();
        if answer.status != 200 {
            prop_assert_eq!(answer.status, 400, "{}", answer.text());
            let e: ErrorBody = serde_json::from_slice(&answer.body).unwrap();
            prop_assert_eq!(e.error.code.as_str(), "invalid_parameter");
            let names_one = |params: &[&str]| params.iter().any(|k| e.error.message.contains(&format!("`{k}`")));
            if refused.is_empty() {
                prop_assert!(names_one(&["from", "interval"]), "{}", e.error.message);
            } else {
                prop_assert!(names_one(&refused), "{} names none of {:?}", e.error.message, refused);
            }
        } else {
            prop_assert!(refused.is_empty(), "{:?} taken: {:?}", given, refused);
        }
    }
}

/// A schema with its `$ref` followed.
fn resolve(doc: &Value, schema: &Value) -> Value {
    match schema["$ref"].as_str() {
        Some(r) => doc.pointer(r.trim_start_matches('#')).cloned().unwrap_or(Value::Null),
        None => schema.clone(),
    }
}

/// A value the schema allows (enum member, number within bounds, date, id, word).
fn valid_value(schema: &Value, n: u32, ids: &[String], pick: usize) -> String {
    if let Some(options) = schema["enum"].as_array() {
        return options[pick % options.len()].as_str().unwrap_or_default().to_string();
    }
    let types = schema["type"].to_string();
    if types.contains("integer") {
        let lo = schema["minimum"].as_u64().unwrap_or(0);
        let hi = schema["maximum"].as_u64().unwrap_or(1000).max(lo);
        return (lo + u64::from(n) % (hi - lo + 1)).to_string();
    }
    if types.contains("boolean") {
        return n.is_multiple_of(2).to_string();
    }
    if schema["format"] == "date" {
        return format!("2026-{:02}-{:02}", 1 + n % 12, 1 + n % 28);
    }
    ["Claude", "앤트로픽", "agents", "anthropic", &ids[pick % ids.len()]][pick % 5].to_string()
}
