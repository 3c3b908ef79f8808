use std::path::PathBuf;

/// Everything that can stop a build or an evaluation. A single bad post is never an error here:
/// it is recorded in the build report (see [`crate::build::report`]) and skipped.
#[derive(Debug, thiserror::Error)]
pub enum IndexerError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("posts folder {0} does not exist or is not a folder")]
    NoPostsDir(PathBuf),
    #[error("no post could be indexed from {dir} ({rejected} rejected; see the build report)")]
    NothingIndexed { dir: PathBuf, rejected: usize },
    #[error("{rejected} post(s) rejected and --strict is set (see the build report)")]
    Strict { rejected: usize },
    /// A bad line in a label or judgement file of an `eval-*` command.
    #[error("{file}: {reason}")]
    Labels { file: String, reason: String },
    #[error(transparent)]
    Corpus(#[from] sosik_corpus::CorpusError),
    #[error(transparent)]
    Engine(#[from] sosik_engine::EngineError),
    #[error(transparent)]
    Ko(#[from] sosik_ko::KoError),
    #[error(transparent)]
    Embed(#[from] sosik_embed::EmbedError),
    #[error("tantivy: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

impl IndexerError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> IndexerError {
        let path = path.into();
        move |source| IndexerError::Io { path, source }
    }
}
