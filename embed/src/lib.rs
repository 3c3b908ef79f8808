//! Sentence embeddings for sosik.
//!
//! - [`Embedder`] runs multilingual-e5-small (4-bit weights, ONNX) through fastembed and an ONNX
//!   Runtime loaded at run time. Both are installed offline by `scripts/setup/embed.sh` under
//!   `$SOSIK_HOME` (see [`Assets`]). e5 is trained with the prefixes `"query: "` and
//!   `"passage: "`; [`Embedder::embed_query`] and [`Embedder::embed_passages`] add them.
//!   Vectors have [`DIM`] dimensions and unit length, so a dot product is the cosine. e5's
//!   cosines sit in a narrow band (about 0.7–0.9): compare them by rank, never against a fixed
//!   threshold.
//! - [`EmbeddingCache`] is an append-only file of vectors keyed by a hash of (model, prefix,
//!   text), so re-indexing only embeds new or changed passages.
//!
//! A loaded model takes about 700 MB of memory: keep one [`Embedder`] per process
//! ([`Embedder::shared`]); it loads the passage and the query model only when first used.

mod cache;
mod embedder;

use std::path::{Path, PathBuf};

pub use cache::{CacheStats, EmbeddingCache, PARALLEL_MIN};
pub use embedder::{EmbedOptions, Embedder};

/// Dimensions of an embedding.
pub const DIM: usize = 384;

/// Longest input in tokens (special tokens included); longer text is cut, so chunk long posts.
pub const MAX_TOKENS: usize = 512;

/// Prefix e5 expects on documents.
pub const PASSAGE_PREFIX: &str = "passage: ";

/// Prefix e5 expects on search queries.
pub const QUERY_PREFIX: &str = "query: ";

/// Files `scripts/setup/embed.sh` puts in the model directory.
pub const MODEL_FILES: [&str; 7] = [
    "model.onnx",
    "model-query.onnx",
    "tokenizer.json",
    "config.json",
    "special_tokens_map.json",
    "tokenizer_config.json",
    "MODEL_ID",
];

#[derive(Debug, thiserror::Error)]
pub enum EmbedError {
    #[error(
        "embedding asset missing: {path}; run `bash scripts/setup/embed.sh` \
         (or set SOSIK_HOME to where it installed them)"
    )]
    AssetMissing { path: PathBuf },
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error(
        "cannot load ONNX Runtime from {path}: {message}; run `bash scripts/setup/embed.sh` \
         to install ONNX Runtime 1.24"
    )]
    Runtime { path: PathBuf, message: String },
    #[error("cannot load the embedding model from {dir}: {message}")]
    Model { dir: PathBuf, message: String },
    #[error("embedding failed: {0}")]
    Inference(String),
    #[error("embedding cache {path}: {source}")]
    CacheIo { path: PathBuf, source: std::io::Error },
    #[error("{path} is not a sosik embedding cache ({reason}); refusing to overwrite it")]
    NotACache { path: PathBuf, reason: String },
    #[error("embedding cache is for model {cache} but the embedder runs {embedder}")]
    ModelMismatch { cache: String, embedder: String },
}

/// Where the embedding assets live: `$SOSIK_HOME` if set, else `$HOME/.cache/sosik`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assets {
    /// `…/e5`: model.onnx (passages), model-query.onnx (queries), the tokenizer files and
    /// `MODEL_ID`.
    pub model_dir: PathBuf,
    /// `…/ort/libonnxruntime.so` (ONNX Runtime ≥ 1.24).
    pub ort_lib: PathBuf,
}

impl Assets {
    /// Assets under `$SOSIK_HOME`, or `$HOME/.cache/sosik` when it is unset or empty.
    pub fn locate() -> Assets {
        if let Some(home) = std::env::var_os("SOSIK_HOME").filter(|h| !h.is_empty()) {
            return Assets::from_home(Path::new(&home));
        }
        let user_home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("."));
        Assets::from_home(&user_home.join(".cache").join("sosik"))
    }

    /// Assets under an explicit sosik home directory.
    pub fn from_home(home: &Path) -> Assets {
        Assets { model_dir: home.join("e5"), ort_lib: home.join("ort").join("libonnxruntime.so") }
    }

    /// Every required file, ONNX Runtime first.
    pub fn required_files(&self) -> Vec<PathBuf> {
        let mut files = vec![self.ort_lib.clone()];
        files.extend(MODEL_FILES.iter().map(|f| self.model_dir.join(f)));
        files
    }

    /// The model's id (`MODEL_ID`), read without loading the model: what an index built with it
    /// records, and what a reader checks an index against.
    pub fn model_id(&self) -> Result<String, EmbedError> {
        let path = self.model_dir.join("MODEL_ID");
        match std::fs::read(&path) {
            Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).trim().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(EmbedError::AssetMissing { path }),
            Err(source) => Err(EmbedError::Read { path, source }),
        }
    }

    /// `Err(AssetMissing)` naming the first required file that does not exist.
    pub fn check(&self) -> Result<(), EmbedError> {
        match self.required_files().into_iter().find(|f| !f.is_file()) {
            Some(path) => Err(EmbedError::AssetMissing { path }),
            None => Ok(()),
        }
    }
}

/// Cosine of two unit vectors (their dot product).
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_layout() {
        let a = Assets::from_home(Path::new("/x/sosik"));
        assert_eq!(a.model_dir, Path::new("/x/sosik/e5"));
        assert_eq!(a.ort_lib, Path::new("/x/sosik/ort/libonnxruntime.so"));
        assert_eq!(a.required_files().len(), 1 + MODEL_FILES.len());
    }

    #[test]
    fn missing_assets_name_the_file_and_the_fix() {
        let a = Assets::from_home(Path::new("/nonexistent/sosik-home"));
        let msg = a.check().unwrap_err().to_string();
        assert!(msg.contains("/nonexistent/sosik-home/ort/libonnxruntime.so"), "{msg}");
        assert!(msg.contains("scripts/setup/embed.sh"), "{msg}");
        let msg = Embedder::open(&a).expect_err("open must fail").to_string();
        assert!(msg.contains("libonnxruntime.so") && msg.contains("scripts/setup/embed.sh"), "{msg}");
    }

    #[test]
    fn a_broken_runtime_library_is_an_error_not_a_panic() {
        let home = std::env::temp_dir().join(format!("sosik-embed-broken-ort-{}", std::process::id()));
        let a = Assets::from_home(&home);
        std::fs::create_dir_all(&a.model_dir).unwrap();
        std::fs::create_dir_all(a.ort_lib.parent().unwrap()).unwrap();
        for file in a.required_files() {
            std::fs::write(file, b"not what it should be").unwrap();
        }
        let err = Embedder::open(&a).expect_err("open must fail");
        assert!(matches!(err, EmbedError::Runtime { .. }), "{err}");
        assert!(err.to_string().contains("libonnxruntime.so"), "{err}");
        let _ = std::fs::remove_dir_all(&home);
    }
}
