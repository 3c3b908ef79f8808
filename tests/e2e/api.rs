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
        ("/api/search?q=x&sort=newest", "invalid_parameter", "sort"),
        ("/api/search?q=x&from=2026-13-01", "invalid_parameter", "from"),
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

#[test]
fn without_a_query_search_browses_newest_first() {
    let all = search_json("/api/search?limit=100");
    assert!(all.total >= 20, "every item (copies once): {}", all.total);
    assert_eq!(all.hits.len() as u64, all.total);
    assert!(all.hits.windows(2).all(|w| w[0].date >= w[1].date), "not newest first");
    assert_eq!(search_json("/api/search?q=").total, all.total, "an empty q is no query");
    let openai = search_json("/api/search?q=%20&company=openai&limit=100");
    assert!(openai.total >= 1 && openai.total < all.total);
    assert!(openai.hits.iter().all(|h| h.companies.iter().any(|c| c == "openai")));
    assert_eq!(openai.facets.companies.iter().find(|f| f.value == "openai").map(|f| f.count), Some(openai.total));
}

fn search_json(path: &str) -> sosik_types::SearchResponse {
    let (status, json) = server().get_json(path);
    assert_eq!(status, 200, "{path}: {json}");
    serde_json::from_value(json).expect("SearchResponse")
}

#[test]
fn filters_combine_and_facets_count_the_whole_match_set() {
    // "AI" occurs in nearly every item; filters cut it down
    let all = search_json("/api/search?q=AI&mode=bm25&limit=100");
    let months: u64 = all.facets.months.iter().map(|m| m.count).sum();
    assert_eq!(months, all.total, "every match is in exactly one month");
    assert!(
        all.facets.months.iter().any(|m| m.value == "2026-01")
            && all.facets.months.iter().any(|m| m.value == "2026-02")
    );
    let anthropic = all.facets.companies.iter().find(|c| c.value == "anthropic").expect("anthropic facet").count;

    let only = search_json("/api/search?q=AI&mode=bm25&limit=100&company=anthropic");
    assert_eq!(only.total, anthropic, "the facet count predicts the filtered total");
    assert!(only.hits.iter().all(|h| h.companies.iter().any(|c| c == "anthropic")));

    let feb = search_json("/api/search?q=AI&mode=hybrid&limit=100&company=anthropic&from=2026-02-01&to=2026-02-28");
    assert!(!feb.hits.is_empty());
    assert!(
        feb.hits.iter().all(|h| h.date.as_str() >= "2026-02-01" && h.date.as_str() <= "2026-02-28"),
        "{:?}",
        feb.hits
    );
    assert!(feb.total < only.total);

    let tc = search_json("/api/search?q=AI&mode=bm25&limit=100&source=techcrunch.com");
    assert!(tc.hits.iter().all(|h| h.sources.iter().any(|s| s.url.contains("techcrunch.com"))));
    let topic = search_json("/api/search?q=AI&mode=vector&limit=100&topic=capex");
    assert!(!topic.hits.is_empty() && topic.hits.iter().all(|h| h.topics.iter().any(|t| t == "capex")));
}

#[test]
fn sort_by_date_is_newest_first() {
    let r = search_json("/api/search?q=%EC%97%90%EC%9D%B4%EC%A0%84%ED%8A%B8&sort=date&limit=50");
    assert!(r.hits.len() > 3);
    assert!(
        r.hits.windows(2).all(|w| w[0].date >= w[1].date),
        "{:?}",
        r.hits.iter().map(|h| &h.date).collect::<Vec<_>>()
    );
}

#[test]
fn item_and_similar_items() {
    let cowork = server().search("Cowork", "bm25", 1).hits.remove(0);
    let (status, item) = server().get_json(&format!("/api/items/{}", cowork.id));
    assert_eq!(status, 200, "{item}");
    assert_eq!(item["title"], cowork.title.as_str());
    assert!(item["summary"].as_str().unwrap().contains("Cowork"));
    assert!(item["why"].as_str().unwrap().len() > 50);
    assert_eq!(item["post_title"], "2026-01-13 Daily AI & Tech News");

    let (status, similar) = server().get_json(&format!("/api/items/{}/similar?limit=3", cowork.id));
    assert_eq!(status, 200, "{similar}");
    let hits = similar["hits"].as_array().unwrap();
    assert_eq!(hits.len(), 3);
    for h in hits {
        assert_ne!(h["id"], cowork.id.as_str());
        assert_ne!(h["post_path"], cowork.post_path.as_str(), "similar items are other stories, not the same post");
    }

    let (status, json) = server().get_json("/api/items/0000000000000000");
    assert_eq!(status, 404);
    assert_eq!(json["error"]["code"], "not_found");
}

#[test]
fn bad_filters_are_400() {
    for (path, mentions) in [
        ("/api/search?q=x&from=2026-13-01", "from"),
        ("/api/search?q=x&to=yesterday", "to"),
        ("/api/search?q=x&from=2026-03-01&to=2026-01-01", "from"),
        ("/api/search?q=x&sort=random", "sort"),
    ] {
        let (status, json) = server().get_json(path);
        assert_eq!(status, 400, "{path}: {json}");
        assert!(json["error"]["message"].as_str().unwrap().contains(mentions), "{path}: {json}");
    }
}

#[test]
fn a_company_alias_finds_every_spelling_in_bm25() {
    // "앤트로픽" is written only in one post; the others say Anthropic or Claude.
    let r = server().search("앤트로픽", "bm25", 50);
    let posts: std::collections::HashSet<&str> = r.hits.iter().map(|h| h.post_path.as_str()).collect();
    for post in ["001_70f0b9b6bd1d999e.txt", "002_2a27a2cd3d086f8e.txt", "003_bold-label-digest.md"] {
        assert!(posts.contains(post), "{post} (Anthropic only in Latin letters) missing from {posts:?}");
    }
    let latin = server().search("Anthropic", "bm25", 50);
    assert!(latin.hits.iter().any(|h| h.post_path == "000_309dbb059d70d9ee.txt"));
}

#[test]
fn explain_reports_each_legs_rank_and_score() {
    let r = search_json("/api/search?q=Cowork&mode=hybrid&limit=5&explain=true");
    let first = &r.hits[0];
    let e = first.explain.as_ref().expect("explain present");
    let (bm25, vector) = (e.bm25.expect("bm25 ranked it"), e.vector.expect("vector ranked it"));
    assert_eq!(bm25.rank, 1, "{e:?}");
    // the fused score is the weighted RRF of the two ranks (k 20, weights 0.5 and 1)
    let expected = 0.5 / (20.0 + bm25.rank as f32) + 1.0 / (20.0 + vector.rank as f32);
    assert!((first.score - expected).abs() < 1e-6, "{} vs {expected}", first.score);

    let plain = search_json("/api/search?q=Cowork&mode=bm25&limit=5&explain=true");
    let e = plain.hits[0].explain.as_ref().unwrap();
    assert!(e.bm25.is_some() && e.vector.is_none());
    let (_, json) = server().get_json("/api/search?q=Cowork&limit=1");
    assert!(json["hits"][0].get("explain").is_none(), "no explain unless asked: {json}");
}

#[test]
fn snippets_are_escaped_excerpts_with_whole_marked_words() {
    let r = server().search("에이전트 출시", "bm25", 10);
    assert!(!r.hits.is_empty());
    for hit in &r.hits {
        let plain = hit.snippet.replace("<mark>", "").replace("</mark>", "");
        assert!(!plain.contains('<') && !plain.contains('>'), "only <mark> is markup: {}", hit.snippet);
        let text = plain
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&amp;", "&");
        let (_, item) = server().get_json(&format!("/api/items/{}", hit.id));
        let body = item["body"].as_str().unwrap();
        // an excerpt of the body (the snippet joins lines with spaces)
        let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            norm(body).contains(norm(text.trim_end_matches('…')).as_str()),
            "{text:?} not in the body of {}",
            hit.title
        );
        // every highlight is a whole query morpheme (or its inflected surface), never half a syllable block
        for marked in hit.snippet.split("<mark>").skip(1).map(|s| s.split("</mark>").next().unwrap()) {
            assert!(
                marked.starts_with("에이전트") || marked.starts_with("출시"),
                "marked {marked:?} in {}",
                hit.snippet
            );
        }
    }
}
