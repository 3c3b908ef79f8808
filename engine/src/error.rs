use std::path::PathBuf;

/// Everything that can stop opening, searching or publishing an index.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("index at {dir} is not usable: {reason}")]
    BadIndex { dir: PathBuf, reason: String },
    /// A build found something at (or beside) its `--index` path that it must not replace or
    /// delete (see [`crate::format::layout`]); it stopped before changing anything.
    #[error("will not build at {path} (nothing was changed): {reason}")]
    IndexPathRefused { path: PathBuf, reason: String },
    /// `verify` (or opening an archive) found the index differs from its manifest; every
    /// problem found, each naming the file.
    #[error("{path} failed verification:\n  {}", problems.join("\n  "))]
    Unverified { path: PathBuf, problems: Vec<String> },
    #[error("invalid search parameter `{param}`: {reason}")]
    InvalidParam { param: &'static str, reason: String },
    #[error(transparent)]
    Corpus(#[from] sosik_corpus::CorpusError),
    #[error(transparent)]
    Ko(#[from] sosik_ko::KoError),
    #[error(transparent)]
    Embed(#[from] sosik_embed::EmbedError),
    #[error("tantivy: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

impl EngineError {
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> EngineError {
        let path = path.into();
        move |source| EngineError::Io { path, source }
    }
}
