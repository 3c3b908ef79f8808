//! The build report: what was indexed, what was rejected and why.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rejected {
    /// Path relative to the posts folder.
    pub path: String,
    pub reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Timings {
    pub parse_s: f64,
    pub tag_s: f64,
    /// Running the Korean analyzer over the BM25 fields (all cores).
    #[serde(default)]
    pub tokenise_s: f64,
    /// Writing the tantivy index from the tokens (one thread).
    pub bm25_s: f64,
    pub embed_s: f64,
    /// Vector store, near-duplicate groups and story threads.
    #[serde(default)]
    pub groups_s: f64,
    /// The near-duplicate grouping alone (part of `groups_s`).
    #[serde(default)]
    pub duplicates_s: f64,
    /// The story threads alone (part of `groups_s`).
    #[serde(default)]
    pub stories_s: f64,
    /// The vector graph (beside `groups_s`; 0 without `--vector-graph`).
    #[serde(default)]
    pub graph_s: f64,
    pub total_s: f64,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct BuildReport {
    pub posts_dir: String,
    /// SHA-256 over every post file read, by its path in the folder and its bytes' SHA-256
    /// (the manifest's `inputs.posts_digest`): equal for equal folders wherever they are.
    #[serde(default)]
    pub posts_digest: String,
    /// Files with a post extension (.md, .markdown, .txt) that were read.
    pub files_seen: usize,
    pub posts_indexed: usize,
    pub items: usize,
    pub rejected: Vec<Rejected>,
    /// Files skipped because their extension is not a post's (images, data files).
    pub ignored_files: usize,
    pub embeddings_computed: usize,
    pub embeddings_cached: usize,
    /// How topics were decided: the trained topic model, or the keyword rule and why.
    #[serde(default)]
    pub topic_tagging: String,
    pub timings: Timings,
}

impl BuildReport {
    /// The human summary printed at the end of `sosik-indexer build`.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "indexed {} items from {} of {} posts in {} ({} rejected, {} other files ignored)\n\
             embeddings: {} computed, {} from cache\n\
             topics: {}\n\
             time: parse {:.1}s, embed {:.1}s, tag {:.1}s, tokenise {:.1}s, bm25 {:.1}s, groups {:.1}s \
             (duplicates {:.1}s, stories {:.1}s), total {:.1}s\n",
            self.items,
            self.posts_indexed,
            self.files_seen,
            self.posts_dir,
            self.rejected.len(),
            self.ignored_files,
            self.embeddings_computed,
            self.embeddings_cached,
            self.topic_tagging,
            self.timings.parse_s,
            self.timings.embed_s,
            self.timings.tag_s,
            self.timings.tokenise_s,
            self.timings.bm25_s,
            self.timings.groups_s,
            self.timings.duplicates_s,
            self.timings.stories_s,
            self.timings.total_s,
        );
        if !self.rejected.is_empty() {
            let mut reasons: std::collections::BTreeMap<String, usize> = Default::default();
            for r in &self.rejected {
                *reasons.entry(reason_kind(&r.reason)).or_default() += 1;
            }
            s.push_str("rejected by reason:\n");
            for (reason, n) in reasons {
                s.push_str(&format!("  {n:>5}  {reason}\n"));
            }
            s.push_str("rejected posts:\n");
            for r in self.rejected.iter().take(20) {
                s.push_str(&format!("  {}: {}\n", r.path, r.reason));
            }
            if self.rejected.len() > 20 {
                s.push_str(&format!(
                    "  … and {} more in {}\n",
                    self.rejected.len() - 20,
                    sosik_engine::format::IndexFile::Report
                ));
            }
        }
        s
    }
}

/// The reason without its particulars ("invalid YAML front matter: …" → "invalid YAML front matter").
fn reason_kind(reason: &str) -> String {
    let cut = reason.find([':', '(']).unwrap_or(reason.len());
    reason[..cut].trim().to_string()
}
