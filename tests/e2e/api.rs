use sosik_tests::server;

fn position_of(hits: &[sosik_types::Hit], needle: &str) -> Option<usize> {
    hits.iter().position(|h| h.title.contains(needle))
}

#[test]
fn health() {
    let (status, json) = server().get_json("/api/health");
    assert_eq!(status, 200);
    assert_eq!(json["status"], "ok");
}

#[test]
fn bm25_finds_cowork_first() {
    let r = server().search("Cowork", "bm25", 10);
    assert!(!r.hits.is_empty(), "no hits for Cowork");
    let first = &r.hits[0];
    assert!(first.title.contains("Cowork"), "first hit is {:?}", first.title);
    assert!(first.companies.iter().any(|c| c == "anthropic"), "companies {:?}", first.companies);
    assert_eq!(first.date, "2026-01-13");
    assert_eq!(first.post_path, "000_309dbb059d70d9ee.txt");
    assert!(first.sources.iter().any(|s| s.url.contains("arstechnica.com")), "sources {:?}", first.sources);
    assert!(first.snippet.contains("<mark>"), "snippet not highlighted: {}", first.snippet);
    assert!(r.total >= 1);
}

#[test]
fn hangul_spelling_finds_cowork_in_hybrid() {
    let r = server().search("코워크", "hybrid", 10);
    let pos = position_of(&r.hits, "Cowork");
    assert!(
        matches!(pos, Some(p) if p < 3),
        "Cowork item at {pos:?}: {:?}",
        r.hits.iter().map(|h| &h.title).collect::<Vec<_>>()
    );
}

#[test]
fn vector_finds_capex_by_paraphrase() {
    let r = server().search("설비 투자 경쟁", "vector", 10);
    let pos = r.hits.iter().position(|h| h.title.contains("CAPEX") || h.title.contains("아마존과 구글"));
    assert!(
        matches!(pos, Some(p) if p < 3),
        "capex item at {pos:?}: {:?}",
        r.hits.iter().map(|h| &h.title).collect::<Vec<_>>()
    );
}

#[test]
fn search_response_shape() {
    let (status, json) = server().get_json("/api/search?q=%EC%95%A4%ED%8A%B8%EB%A1%9C%ED%94%BD&limit=2");
    assert_eq!(status, 200);
    assert!(json["total"].as_u64().unwrap() >= 2);
    assert!(json["took_ms"].as_f64().unwrap() >= 0.0);
    let hits = json["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 2);
    for key in ["id", "post_path", "title", "date", "snippet", "score", "companies", "topics", "sources"] {
        assert!(hits[0].get(key).is_some(), "hit lacks {key}: {}", hits[0]);
    }
    // paging: offset 1 starts at the second hit
    let (_, page2) = server().get_json("/api/search?q=%EC%95%A4%ED%8A%B8%EB%A1%9C%ED%94%BD&limit=1&offset=1");
    assert_eq!(page2["hits"][0]["id"], hits[1]["id"]);
}

#[test]
fn bad_parameters_are_400_with_a_code() {
    for (path, code, mentions) in [
        ("/api/search?q=x&limit=1000", "invalid_parameter", "limit"),
        ("/api/search?q=x&limit=abc", "invalid_parameter", "limit"),
        ("/api/search?q=", "invalid_parameter", "q"),
        ("/api/search?q=x&mode=fuzzy", "invalid_parameter", "mode"),
        ("/api/search?q=x&colour=red", "unknown_parameter", "colour"),
    ] {
        let (status, json) = server().get_json(path);
        assert_eq!(status, 400, "{path}: {json}");
        assert_eq!(json["error"]["code"], code, "{path}: {json}");
        assert!(json["error"]["message"].as_str().unwrap().contains(mentions), "{path}: {json}");
    }
    let (status, json) = server().get_json("/api/nope");
    assert_eq!(status, 404);
    assert_eq!(json["error"]["code"], "not_found");
}
