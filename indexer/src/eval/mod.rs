//! The evaluation commands of `sosik-indexer` (`eval-tagging`, `eval-search`, `eval-stories`):
//! quality figures against hand labels, on the dev corpus. They are part of the indexer binary
//! only; the server never links them.
//!
//! - [`tagging`]: company and topic tagging, micro P/R/F1 against item labels.
//! - [`search`]: nDCG@10 and Recall@100 of each search mode on judged queries.
//! - [`stories`]: pairwise precision and recall of story threads against labelled stories.

pub mod search;
pub mod stories;
pub mod tagging;

use std::path::Path;

use crate::error::IndexerError;

/// Every non-blank line of a JSON-lines file (the label and judgement files of the `eval-*`
/// commands), each as a `T`; a bad line is an error naming the file and the line.
pub fn read_jsonl<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>, IndexerError> {
    let text = std::fs::read_to_string(path).map_err(IndexerError::io(path))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(n, l)| {
            serde_json::from_str(l).map_err(|e| IndexerError::Labels {
                file: format!("{}:{}", path.display(), n + 1),
                reason: e.to_string(),
            })
        })
        .collect()
}

/// The harmonic mean of precision and recall (0 when both are 0).
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}
