//! Relevance evaluation: nDCG@10 and Recall@100 of each search mode on a judged query set
//! (`tests/fixtures/relevance/queries.jsonl`, post-level graded judgements).
//!
//! A post is judged by its best item, so a ranked list of items is first reduced to the list of
//! distinct posts in the order their first item appears.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;
use sosik_types::SearchMode;

use crate::error::IndexerError;
use sosik_engine::search::{Engine, SearchRequest, MAX_LIMIT, MAX_OFFSET};

#[derive(Clone, Debug, Deserialize)]
pub struct JudgedQuery {
    pub id: String,
    pub query: String,
    #[serde(rename = "type")]
    pub kind: String,
    /// post path → grade (3 exact, 2 clearly about it, 1 partial).
    pub judgements: HashMap<String, u8>,
}

pub fn read_queries(path: &Path) -> Result<Vec<JudgedQuery>, IndexerError> {
    super::read_jsonl(path)
}

/// Discounted cumulative gain of graded `gains` (gain 2^g − 1, log2 discount).
fn dcg(gains: impl Iterator<Item = u8>) -> f64 {
    gains.enumerate().map(|(i, g)| (2f64.powi(g as i32) - 1.0) / ((i + 2) as f64).log2()).sum()
}

/// nDCG@k of a ranked list of posts against the judgements.
pub fn ndcg_at(ranked_posts: &[String], judgements: &HashMap<String, u8>, k: usize) -> f64 {
    let got = dcg(ranked_posts.iter().take(k).map(|p| judgements.get(p).copied().unwrap_or(0)));
    let mut ideal: Vec<u8> = judgements.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let best = dcg(ideal.into_iter().take(k));
    if best == 0.0 {
        0.0
    } else {
        got / best
    }
}

/// Share of the relevant (grade ≥ 1) posts found in the first `k` posts.
pub fn recall_at(ranked_posts: &[String], judgements: &HashMap<String, u8>, k: usize) -> f64 {
    let relevant: HashSet<&String> = judgements.iter().filter(|(_, g)| **g > 0).map(|(p, _)| p).collect();
    if relevant.is_empty() {
        return 0.0;
    }
    let found = ranked_posts.iter().take(k).filter(|p| relevant.contains(p)).count();
    found as f64 / relevant.len() as f64
}

/// The first `want` distinct posts of a search, in rank order.
fn ranked_posts(engine: &Engine, q: &str, mode: SearchMode, want: usize) -> Result<Vec<String>, IndexerError> {
    let mut posts = Vec::new();
    let mut seen = HashSet::new();
    let mut offset = 0;
    while posts.len() < want && offset <= MAX_OFFSET {
        let mut req = SearchRequest::new(q, mode, MAX_LIMIT);
        req.offset = offset;
        let page = engine.search(&req)?;
        // a collapsed hit stands for its copies too: they are retrieved at its rank
        for hit in &page.hits {
            for post in std::iter::once(&hit.post_path).chain(hit.also_in.iter().map(|d| &d.post_path)) {
                if seen.insert(post.clone()) {
                    posts.push(post.clone());
                }
            }
        }
        if page.hits.len() < MAX_LIMIT {
            break;
        }
        offset += MAX_LIMIT;
    }
    Ok(posts)
}

#[derive(Clone, Copy, Debug, Default)]
pub struct Scores {
    pub ndcg10: f64,
    pub recall100: f64,
}

pub const MODES: [SearchMode; 3] = [SearchMode::Bm25, SearchMode::Vector, SearchMode::Hybrid];

/// Per query and mode: the scores.
pub fn evaluate(engine: &Engine, queries: &[JudgedQuery]) -> Result<Vec<(JudgedQuery, [Scores; 3])>, IndexerError> {
    let mut out = Vec::new();
    for q in queries {
        let mut scores = [Scores::default(); 3];
        for (i, mode) in MODES.iter().enumerate() {
            let posts = ranked_posts(engine, &q.query, *mode, 100)?;
            scores[i] =
                Scores { ndcg10: ndcg_at(&posts, &q.judgements, 10), recall100: recall_at(&posts, &q.judgements, 100) };
        }
        out.push((q.clone(), scores));
    }
    Ok(out)
}

/// The table: mean nDCG@10 and Recall@100 per query type and overall, for each mode.
pub fn table(results: &[(JudgedQuery, [Scores; 3])]) -> String {
    let mut groups: BTreeMap<String, Vec<&[Scores; 3]>> = BTreeMap::new();
    for (q, s) in results {
        groups.entry(q.kind.clone()).or_default().push(s);
        groups.entry("~ all".to_string()).or_default().push(s);
    }
    let mut out = String::from(
        "| query type | n | nDCG@10 bm25 | vector | hybrid | Recall@100 bm25 | vector | hybrid |\n|---|---|---|---|---|---|---|---|\n",
    );
    for (kind, rows) in &groups {
        let mean = |f: &dyn Fn(&[Scores; 3]) -> f64| rows.iter().map(|s| f(s)).sum::<f64>() / rows.len() as f64;
        let label = if kind == "~ all" { "**all**".to_string() } else { kind.clone() };
        out.push_str(&format!(
            "| {label} | {} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} | {:.3} |\n",
            rows.len(),
            mean(&|s| s[0].ndcg10),
            mean(&|s| s[1].ndcg10),
            mean(&|s| s[2].ndcg10),
            mean(&|s| s[0].recall100),
            mean(&|s| s[1].recall100),
            mean(&|s| s[2].recall100),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(pairs: &[(&str, u8)]) -> HashMap<String, u8> {
        pairs.iter().map(|(p, g)| (p.to_string(), *g)).collect()
    }

    #[test]
    fn perfect_and_empty_rankings() {
        let j = judged(&[("a", 3), ("b", 1)]);
        let perfect = vec!["a".to_string(), "b".to_string()];
        assert!((ndcg_at(&perfect, &j, 10) - 1.0).abs() < 1e-9);
        assert_eq!(ndcg_at(&[], &j, 10), 0.0);
        assert_eq!(recall_at(&perfect, &j, 100), 1.0);
        assert_eq!(recall_at(&["b".to_string()], &j, 100), 0.5);
    }

    #[test]
    fn order_matters_for_ndcg_only() {
        let j = judged(&[("a", 3), ("b", 1)]);
        let swapped = vec!["b".to_string(), "x".to_string(), "a".to_string()];
        let n = ndcg_at(&swapped, &j, 10);
        assert!(n < 1.0 && n > 0.0, "{n}");
        assert_eq!(recall_at(&swapped, &j, 100), 1.0);
        // a grade-3 post at rank 1 is worth more than a grade-1 post there
        let better = vec!["a".to_string(), "x".to_string(), "b".to_string()];
        assert!(ndcg_at(&better, &j, 10) > n);
    }
}
