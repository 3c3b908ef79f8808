//! `manifest.json`: what an index directory holds and how it was made.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::digest::FileSum;
use super::IndexFile;
use crate::error::EngineError;

/// Bumped whenever the on-disk layout changes; the server refuses other versions.
/// 2: several vectors per item (vector_owners.json). 3: story threads (stories.json).
/// 4: the character-bigram field `grams`. 5: items carry the glossary's people, products and
/// organisations (`names`), which `/api/names` counts.
pub const FORMAT_VERSION: u32 = 5;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format_version: u32,
    pub model_id: String,
    pub dim: usize,
    pub items: usize,
    pub posts: usize,
    /// RFC 3339, UTC.
    pub built_at: String,
    /// What it was built from (the sosik version that built it among them); two builds with
    /// equal inputs have equal
    /// [`content_digest`](Manifest::content_digest)s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inputs: Option<Inputs>,
    /// The digest over every file's content ([`digest`](super::digest)), build time excluded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_digest: Option<String>,
    /// Every file but this one, with its size and SHA-256 (`sosik-indexer verify` checks them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<FileSum>,
}

/// The inputs of a build, each by its digest or name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inputs {
    /// SHA-256 over every post file: its path in the posts folder and its bytes' SHA-256 (for a
    /// file too large or unreadable, the reason it was not read).
    pub posts_digest: String,
    /// SHA-256 of the company/topic catalog as `catalog.json` holds it.
    pub catalog_digest: String,
    pub model_id: String,
    pub format_version: u32,
    pub sosik_version: String,
    /// SHA-256 of the topic model that tagged the items (`data/topic_model.json`); absent when
    /// topics were decided by the keyword rule alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic_model: Option<String>,
}

impl Manifest {
    pub fn read(dir: &Path) -> Result<Manifest, EngineError> {
        let path = IndexFile::Manifest.path(dir);
        let text = std::fs::read_to_string(&path).map_err(|e| EngineError::BadIndex {
            dir: dir.to_path_buf(),
            reason: format!("cannot read {} ({e}); build one with `sosik-indexer build`", IndexFile::Manifest),
        })?;
        let m: Manifest = serde_json::from_str(&text).map_err(|e| EngineError::BadIndex {
            dir: dir.to_path_buf(),
            reason: format!("{} is invalid: {e}", IndexFile::Manifest),
        })?;
        if m.format_version != FORMAT_VERSION {
            return Err(EngineError::BadIndex {
                dir: dir.to_path_buf(),
                reason: format!(
                    "format version {} but this build reads version {FORMAT_VERSION}; rebuild the index",
                    m.format_version
                ),
            });
        }
        Ok(m)
    }
}
