//! `sosik-indexer build --vector-graph`: the sample posts built with and without the HNSW graph.
//! The graph is listed and verified like every other file, two builds write it alike (the same
//! content digest), and on a corpus this small its searches find what the exact scan finds.

use std::path::Path;

use sosik_corpus::tagging::Catalog;
use sosik_engine::format::{manifest::Manifest, verify, IndexFile};
use sosik_engine::{Engine, SearchRequest};
use sosik_indexer::build::{build, BuildOptions};
use sosik_types::SearchMode;

fn built(dir: &Path, vector_graph: bool) -> Manifest {
    let embedder =
        sosik_embed::Embedder::shared(&sosik_embed::Assets::locate()).expect("model (scripts/setup/embed.sh)");
    let opts = BuildOptions {
        posts: Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/posts"),
        index: dir.to_path_buf(),
        catalog: Catalog::builtin().unwrap(),
        dictionary: sosik_ko::default_dictionary_dir(),
        embedding_cache: sosik_indexer::default_embedding_cache(),
        strict: true,
        vector_graph,
    };
    build(&opts, embedder, &sosik_indexer::build::progress::Silent).expect("build the sample posts");
    verify::verify_dir(&std::fs::canonicalize(dir).unwrap(), embedder.model_id()).expect("verifies")
}

#[test]
fn a_graph_is_listed_written_alike_and_finds_what_the_scan_finds() {
    let tmp = tempfile::tempdir().unwrap();
    let (plain, graph, again) = (tmp.path().join("plain"), tmp.path().join("graph"), tmp.path().join("again"));
    let listed = |m: &Manifest| m.files.iter().any(|f| f.path == IndexFile::VectorGraph.name());
    let (m_plain, m_graph, m_again) = (built(&plain, false), built(&graph, true), built(&again, true));
    assert!(!listed(&m_plain), "no graph unless asked for");
    assert!(listed(&m_graph), "the graph is in the manifest's file list");
    assert_eq!(m_graph.content_digest, m_again.content_digest, "two builds write the same graph");
    assert_ne!(m_graph.content_digest, m_plain.content_digest);

    let embedder = sosik_embed::Embedder::shared(&sosik_embed::Assets::locate()).unwrap();
    let dict = sosik_ko::default_dictionary_dir();
    let (plain, graph) =
        (Engine::open(&plain, &dict, embedder).unwrap(), Engine::open(&graph, &dict, embedder).unwrap());
    assert!(graph.vector_graph() && !plain.vector_graph());
    for q in ["앤트로픽 클로드", "AI 데이터센터 투자", "OpenAI agents", "반도체 수출 규제"] {
        for mode in [SearchMode::Vector, SearchMode::Hybrid] {
            let ids = |e: &Engine| -> Vec<(String, f32)> {
                let r = e.search(&SearchRequest::new(q, mode, 20)).unwrap();
                r.hits.into_iter().map(|h| (h.id, h.score)).collect()
            };
            assert_eq!(ids(&graph), ids(&plain), "{q} ({mode:?})");
        }
    }
}
