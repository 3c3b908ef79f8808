use std::path::PathBuf;

/// What can stop reading the catalog or tagging. A bad post is never an error here: parsing
/// returns a [`crate::post::PostError`] for it, and the indexer records and skips it.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{file}: {reason}")]
    Catalog { file: String, reason: String },
    #[error(transparent)]
    Ko(#[from] sosik_ko::KoError),
    #[error(transparent)]
    Embed(#[from] sosik_embed::EmbedError),
}
