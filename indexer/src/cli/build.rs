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
}

pub fn run(args: Args) -> CommandResult {
    let Args { posts, index, lists: Lists { companies, topics, glossary, dict, embedding_cache }, strict } = args;
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
    };
    let report = builder::build(&opts, embedder, &super::progress::Reporter::stderr())?;
    print!("{}", report.summary());
    println!("index written to {}", index.display());
    Ok(())
}
