//! The `sosik-indexer` binary over the library: one module per command (its flags and what it
//! runs), and how a build shows its progress.

pub mod build;
pub mod eval_search;
pub mod eval_stories;
pub mod eval_tagging;
pub mod glossary;
pub mod items;
pub mod pack;
pub mod progress;
pub mod train_topics;

use std::path::PathBuf;

use sosik_corpus::tagging::{Catalog, CatalogFiles};

/// What every command returns: its error is printed by `main`, which exits with status 1.
pub type CommandResult = Result<(), Box<dyn std::error::Error>>;

/// What tagging reads: the lists, the dictionary and the embedding cache (`build`, `eval-tagging`).
#[derive(clap::Args)]
pub struct Lists {
    /// Company list (default: the data/companies.toml built into this binary).
    #[arg(long)]
    pub companies: Option<PathBuf>,
    /// Topic list (default: the data/topics.toml built into this binary).
    #[arg(long)]
    pub topics: Option<PathBuf>,
    /// Glossary (default: the data/glossary.toml built into this binary).
    #[arg(long)]
    pub glossary: Option<PathBuf>,
    /// Compiled Korean dictionary (default: $SOSIK_HOME/ko-dic).
    #[arg(long, env = "SOSIK_DICT")]
    pub dict: Option<PathBuf>,
    /// Embedding cache file (default: $SOSIK_HOME/cache/embeddings.bin).
    #[arg(long)]
    pub embedding_cache: Option<PathBuf>,
}

/// The built-in lists, or the files given (a missing one falls back to the source tree's).
pub fn load_catalog(
    companies: Option<PathBuf>,
    topics: Option<PathBuf>,
    glossary: Option<PathBuf>,
) -> Result<Catalog, sosik_indexer::IndexerError> {
    let catalog = match (companies, topics, glossary) {
        (None, None, None) => Catalog::builtin(),
        (c, t, g) => {
            let default = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data");
            let companies = c.unwrap_or_else(|| default.join("companies.toml"));
            let topics = t.unwrap_or_else(|| default.join("topics.toml"));
            let glossary = g.unwrap_or_else(|| default.join("glossary.toml"));
            Catalog::load(CatalogFiles { companies: &companies, topics: &topics, glossary: &glossary })
        }
    };
    Ok(catalog?)
}
