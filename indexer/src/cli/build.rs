//! `sosik-indexer build`: posts → a published index.

use std::path::PathBuf;

use super::*;
use sosik_indexer::build::{self as builder, BuildOptions};

#[derive(clap::Args)]
pub struct Args {
    /// Folder of posts (.md, .markdown, .txt with YAML front matter), read recursively.
    #[arg(long)]
    pub posts: PathBuf,
    /// Index directory to (re)create; written beside it first, then swapped in.
    #[arg(long)]
    pub index: PathBuf,
    #[command(flatten)]
    pub lists: Lists,
    /// Exit non-zero if any post is rejected.
    #[arg(long)]
    pub strict: bool,
    /// Also write an HNSW graph of the vectors (`vectors.usearch`), which the vector leg then
    /// walks instead of scanning every row: much faster on a million items, but approximate —
    /// see BENCHMARKS.md, "A vector graph at a million items", before using it.
    #[arg(long)]
    pub vector_graph: bool,
}

pub fn run(args: Args) -> CommandResult {
    let Args {
        posts,
        index,
        lists: Lists { companies, topics, glossary, dict, embedding_cache },
        strict,
        vector_graph,
    } = args;
    let catalog = load_catalog(companies, topics, glossary)?;
    let assets = sosik_embed::Assets::locate();
    let embedder = sosik_embed::Embedder::shared(&assets)?;
    let opts = BuildOptions {
        posts,
        index: index.clone(),
        catalog,
        dictionary: dict.unwrap_or_else(sosik_ko::default_dictionary_dir),
        embedding_cache: embedding_cache.unwrap_or_else(sosik_indexer::default_embedding_cache),
        strict,
        vector_graph,
    };
    let report = builder::build(&opts, embedder, &super::progress::Reporter::stderr())?;
    print!("{}", report.summary());
    println!("index written to {}", index.display());
    Ok(())
}
