//! Shared by the test modules: an index of a folder of posts, built through the library (the
//! embedding cache in `$SOSIK_HOME` makes it seconds) and opened.

use std::path::Path;

use sosik_corpus::tagging::Catalog;
use sosik_engine::Engine;
use sosik_indexer::build::{build, BuildOptions};

/// Builds `posts` with `catalog` (strict: every post must index) into a temporary folder and
/// opens it; the folder lives as long as the returned guard.
pub fn build_and_open(posts: &Path, catalog: Catalog) -> (tempfile::TempDir, Engine) {
    let out = tempfile::tempdir().unwrap();
    let index = out.path().join("index");
    let embedder =
        sosik_embed::Embedder::shared(&sosik_embed::Assets::locate()).expect("model (scripts/setup/embed.sh)");
    let opts = BuildOptions {
        posts: posts.to_path_buf(),
        index: index.clone(),
        catalog,
        dictionary: sosik_ko::default_dictionary_dir(),
        embedding_cache: sosik_indexer::default_embedding_cache(),
        strict: true,
        vector_graph: false,
    };
    build(&opts, embedder, &sosik_indexer::build::progress::Silent).expect("build the test index");
    let engine = Engine::open(&index, &sosik_ko::default_dictionary_dir(), embedder).expect("open the test index");
    (out, engine)
}
