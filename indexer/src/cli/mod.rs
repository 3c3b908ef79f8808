//! The `sosik-indexer` binary over the library: one module per command (its flags and what it
//! runs), and how a build shows its progress.

pub mod build;
pub mod eval_search;
pub mod eval_stories;
pub mod eval_tagging;
pub mod items;
pub mod pack;
pub mod progress;

use std::path::PathBuf;

use sosik_corpus::tagging::Catalog;

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
) -> Result<Catalog, sosik_indexer::IndexerError> {
    let catalog = match (companies, topics) {
        (None, None) => Catalog::builtin(),
        (c, t) => {
            let default = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data");
            Catalog::load(
                &c.unwrap_or_else(|| default.join("companies.toml")),
                &t.unwrap_or_else(|| default.join("topics.toml")),
            )
        }
    };
    Ok(catalog?)
}
