//! A BM25 search ranks only the exact head of its matches (a heap of the best) and counts the rest
//! as a set (hybrid search scores every lexical match, but counts totals and facets the same way).
//! The page, the total and the facets must be what ranking every match gives
//! ([`Engine::search_ranking_every_match`]), so each query is run both ways.

use sosik_bench::corpus::{self, CorpusSpec};
use sosik_bench::vectors::seed_cache;
use sosik_corpus::tagging::Catalog;
use sosik_engine::{Engine, FilterField, Filters, SearchRequest};
use sosik_indexer::build::{build, BuildOptions};
use sosik_types::{SearchMode, SearchResponse};

/// What a page shows, but its scores: ids, copies, total and facets.
fn shown(r: &SearchResponse) -> String {
    let hits: Vec<String> = r
        .hits
        .iter()
        .map(|h| {
            let copies: Vec<&str> = h.also_in.iter().map(|c| c.id.as_str()).collect();
            format!("{} {copies:?}", h.id)
        })
        .collect();
    format!("total {}\n{}\n{:?}", r.total, hits.join("\n"), r.facets)
}

#[test]
fn the_ranked_head_gives_the_page_total_and_facets_of_ranking_every_match() {
    let catalog = Catalog::builtin().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let posts = dir.path().join("posts");
    corpus::generate(&posts, &CorpusSpec::new(11, 3000), &catalog).unwrap();
    let embedder =
        sosik_embed::Embedder::shared(&sosik_embed::Assets::locate()).expect("model (scripts/setup/embed.sh)");
    let cache = dir.path().join("embeddings.bin");
    seed_cache(11, &posts, &cache, &catalog, embedder).unwrap();
    let index = dir.path().join("index");
    let opts = BuildOptions {
        posts: posts.clone(),
        index: index.clone(),
        catalog: catalog.clone(),
        dictionary: sosik_ko::default_dictionary_dir(),
        embedding_cache: cache,
        strict: true,
        vector_graph: false,
    };
    build(&opts, embedder, &sosik_indexer::build::progress::Silent).unwrap();
    let engine = Engine::open(&index, &sosik_ko::default_dictionary_dir(), embedder).unwrap();

    // Short and long queries, names and topics: most match hundreds of the 3,000 items, so the
    // head is far shorter than the match set.
    let queries = [
        "엔비디아",
        "OpenAI",
        "앤트로픽 에이전트",
        "데이터센터 투자 확대",
        "AI 칩 수출 규제와 반도체 공급망",
        "오픈AI가 새로운 모델을 발표했다는 소식은 무엇인가",
        "Google Gemini model release",
        "헬스케어 AI",
    ];
    // A post's whole title puts that post's items first, in their BM25 order.
    let title = first_title(&posts);
    let queries: Vec<&str> = queries.iter().copied().chain([title.as_str()]).collect();
    let company = Filters::one(FilterField::Company, "nvidia");
    // several values per field: OR within, AND across, facets counted disjunctively
    let several = Filters {
        company: vec!["nvidia".into(), "openai".into(), "google".into()],
        topic: vec!["chips".into(), "agents".into()],
        ..Filters::default()
    };
    let mut pruned = 0;
    for &q in &queries {
        for mode in [SearchMode::Bm25, SearchMode::Hybrid] {
            for (limit, offset, filters) in [
                (10, 0, Filters::default()),
                (20, 0, company.clone()),
                (20, 0, several.clone()),
                (100, 0, Filters::default()),
                (20, 180, Filters::default()),
            ] {
                let mut req = SearchRequest::new(q, mode, limit);
                req.offset = offset;
                req.filters = filters.clone();
                let head = engine.search(&req).unwrap();
                let all = engine.search_ranking_every_match(&req).unwrap();
                let what = format!("{q:?} {mode:?} limit {limit} offset {offset} {filters:?}");
                assert!(!all.hits.is_empty() || offset > 0 || !filters.company.is_empty(), "{what}: no hits");
                assert_eq!((head.total, &head.facets), (all.total, &all.facets), "{what}");
                assert_eq!(shown(&head), shown(&all), "{what}");
                // the same query and scorer: the same scores
                let scores = |r: &SearchResponse| r.hits.iter().map(|h| h.score).collect::<Vec<_>>();
                assert_eq!(scores(&head), scores(&all), "{what}");
                // a BM25 search ranks a head twice as deep as its page
                if mode == SearchMode::Bm25 && all.total as usize > 2 * (offset + limit) {
                    pruned += 1;
                }
            }
        }
    }
    // the comparison means something only where the head was shorter than the matches
    assert!(pruned >= 16, "only {pruned} BM25 searches (of 36) matched more than their head");
}

/// The title of the first generated post (by file name).
fn first_title(posts: &std::path::Path) -> String {
    let mut files: Vec<_> = std::fs::read_dir(posts).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let line = text.lines().find_map(|l| l.strip_prefix("title:")).expect("a title in the front matter");
    line.trim().trim_matches('"').to_string()
}
