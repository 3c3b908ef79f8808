use std::path::PathBuf;

/// Everything that can stop the indexer or the search engine. A single bad post is never an
/// error here: it is recorded in the build report (see [`crate::report`]) and skipped.
#[derive(Debug, thiserror::Error)]
pub enum IndexerError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{file}: {reason}")]
    Catalog { file: String, reason: String },
    #[error("posts folder {0} does not exist or is not a folder")]
    NoPostsDir(PathBuf),
    #[error("no post could be indexed from {dir} ({rejected} rejected; see the build report)")]
    NothingIndexed { dir: PathBuf, rejected: usize },
    #[error("{rejected} post(s) rejected and --strict is set (see the build report)")]
    Strict { rejected: usize },
    #[error("index at {dir} is not usable: {reason}")]
    BadIndex { dir: PathBuf, reason: String },
    /// A build found something at (or beside) its `--index` path that it must not replace or
    /// delete (see [`crate::layout`]); it stopped before changing anything.
    #[error("will not build at {path} (nothing was changed): {reason}")]
    IndexPathRefused { path: PathBuf, reason: String },
    #[error(transparent)]
    Ko(#[from] sosik_ko::KoError),
    #[error(transparent)]
    Embed(#[from] sosik_embed::EmbedError),
    #[error("tantivy: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error("invalid search parameter `{param}`: {reason}")]
    InvalidParam { param: &'static str, reason: String },
}

impl IndexerError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> IndexerError {
        let path = path.into();
        move |source| IndexerError::Io { path, source }
    }
}
