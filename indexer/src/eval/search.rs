//! Relevance evaluation: nDCG@10 and Recall@100 of several ranking systems on judged query
//! sets (post-level graded judgements; `tests/fixtures/relevance/`), in two views, with a paired
//! significance test for every comparison it prints.
//!
//! - **Systems** ([`SYSTEMS`]): sosik's hybrid search, its two legs, and the BM25 leg's two
//!   analyses alone — morphemes, and character bigrams (the dictionary-free baseline).
//! - **Views.** A search returns hits; a hit stands for its near-duplicate copies in other
//!   posts (`also_in`). The *post view* lists each hit's post and then its copies' posts, as a
//!   list of posts would show them. The *hit view* gives each hit one slot, its own post: copies
//!   earn nothing. In both a post counts once, at its first slot.
//! - **Sets.** Each query file is scored on its own: the tuning sets (parameters were chosen on
//!   them) and the held-out set (never used to choose anything) are never mixed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sosik_engine::search::{Engine, Lexical, SearchRequest, MAX_LIMIT, MAX_OFFSET};
use sosik_types::{SearchMode, SortOrder};

use crate::error::IndexerError;

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

/// A ranking system under evaluation: a search mode and the BM25 leg's analyses.
#[derive(Clone, Copy, Debug)]
pub struct System {
    pub name: &'static str,
    pub mode: SearchMode,
    /// `None`: the engine's own setting (what the server runs).
    pub lexical: Option<Lexical>,
    pub sort: SortOrder,
}

/// Every system scored, in table order.
pub const SYSTEMS: [System; 6] = [
    System {
        name: "bigram",
        mode: SearchMode::Bm25,
        lexical: Some(Lexical { morphemes: 0.0, grams: 1.0, glossary: 0.0 }),
        sort: SortOrder::Relevance,
    },
    System {
        name: "morphemes",
        mode: SearchMode::Bm25,
        lexical: Some(Lexical { morphemes: 1.0, grams: 0.0, glossary: 0.0 }),
        sort: SortOrder::Relevance,
    },
    System { name: "bm25", mode: SearchMode::Bm25, lexical: None, sort: SortOrder::Relevance },
    System { name: "vector", mode: SearchMode::Vector, lexical: None, sort: SortOrder::Relevance },
    System { name: "hybrid", mode: SearchMode::Hybrid, lexical: None, sort: SortOrder::Relevance },
    // hybrid with recent coverage lifted (`sort=fresh`): what the option costs or gains, per type
    System { name: "fresh", mode: SearchMode::Hybrid, lexical: None, sort: SortOrder::Fresh },
];

/// The comparisons printed with a significance test: (better?, than), by system name.
pub const COMPARISONS: [(&str, &str); 6] = [
    ("hybrid", "bm25"),
    ("hybrid", "vector"),
    ("bm25", "bigram"),
    ("bm25", "morphemes"),
    ("morphemes", "bigram"),
    ("fresh", "hybrid"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum View {
    Post,
    Hit,
}

pub const VIEWS: [View; 2] = [View::Post, View::Hit];

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

/// One hit of a ranking: its post and its copies' posts.
type HitPosts = (String, Vec<String>);

/// The list of posts a view makes of `hits` (each post once, at its first slot).
pub fn posts_of(hits: &[HitPosts], view: View) -> Vec<String> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for (post, copies) in hits {
        let copies = match view {
            View::Post => copies.as_slice(),
            View::Hit => &[],
        };
        for p in std::iter::once(post).chain(copies) {
            if seen.insert(p.as_str()) {
                out.push(p.clone());
            }
        }
    }
    out
}

/// The hits of a search, page by page, until they cover `want` posts (in the post view).
fn ranked_hits(
    engine: &Engine,
    q: &str,
    mode: SearchMode,
    sort: SortOrder,
    want: usize,
) -> Result<Vec<HitPosts>, IndexerError> {
    let mut hits = Vec::new();
    let mut posts = HashSet::new();
    let mut offset = 0;
    // date phrases are read as the server reads them, against the corpus's last day (not the
    // clock, so that a figure does not change as the days pass)
    let today = engine.newest_date();
    while posts.len() < want && offset <= MAX_OFFSET {
        let mut req = SearchRequest::new(q, mode, MAX_LIMIT);
        req.offset = offset;
        req.today = today;
        req.sort = sort;
        let page = engine.search(&req)?;
        for hit in &page.hits {
            let copies: Vec<String> = hit.also_in.iter().map(|d| d.post_path.clone()).collect();
            posts.insert(hit.post_path.clone());
            posts.extend(copies.iter().cloned());
            hits.push((hit.post_path.clone(), copies));
        }
        if page.hits.len() < MAX_LIMIT {
            break;
        }
        offset += MAX_LIMIT;
    }
    Ok(hits)
}

#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct Scores {
    pub ndcg10: f64,
    pub recall100: f64,
}

/// One query's scores: per system (in [`SYSTEMS`] order) and view.
#[derive(Clone, Debug)]
pub struct QueryScores {
    pub query: JudgedQuery,
    pub scores: Vec<HashMap<View, Scores>>,
}

/// Scores every query with every system. The engine's BM25 setting is restored afterwards.
pub fn evaluate(engine: &mut Engine, queries: &[JudgedQuery]) -> Result<Vec<QueryScores>, IndexerError> {
    let own = engine.lexical();
    let mut out: Vec<QueryScores> =
        queries.iter().map(|q| QueryScores { query: q.clone(), scores: Vec::new() }).collect();
    for system in SYSTEMS {
        engine.set_lexical(system.lexical.unwrap_or(own));
        for q in out.iter_mut() {
            let hits = match ranked_hits(engine, &q.query.query, system.mode, system.sort, 100) {
                Ok(hits) => hits,
                Err(e) => {
                    engine.set_lexical(own);
                    return Err(e);
                }
            };
            let j = &q.query.judgements;
            let per_view = VIEWS
                .iter()
                .map(|&v| {
                    let posts = posts_of(&hits, v);
                    (v, Scores { ndcg10: ndcg_at(&posts, j, 10), recall100: recall_at(&posts, j, 100) })
                })
                .collect();
            q.scores.push(per_view);
        }
    }
    engine.set_lexical(own);
    Ok(out)
}

fn system_index(name: &str) -> usize {
    SYSTEMS.iter().position(|s| s.name == name).expect("a system of SYSTEMS")
}

/// Per-query nDCG@10 of one system in one view.
fn ndcgs(results: &[QueryScores], system: usize, view: View) -> Vec<f64> {
    results.iter().map(|r| r.scores[system][&view].ndcg10).collect()
}

/// Mean of a non-empty slice (0 for an empty one).
fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f64>() / xs.len() as f64
    }
}

/// SplitMix64: a fixed, dependency-free generator, so the p-values printed in the README
/// reproduce exactly (a crate's generator may change its stream between versions).
pub(crate) struct SplitMix(pub(crate) u64);

impl SplitMix {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Two-sided paired randomisation test of `a` against `b` (same queries): the share of 10,000
/// random sign flips of the per-query differences whose mean is at least as far from 0 as the
/// observed one (Smucker, Allan & Carterette 2007).
pub fn paired_p_value(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len(), "paired samples");
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let observed = mean(&d).abs();
    const ROUNDS: u32 = 10_000;
    let mut rng = SplitMix(0x0050_514b);
    let mut extreme = 0u32;
    for _ in 0..ROUNDS {
        let flipped: f64 = d.iter().map(|x| if rng.next() & 1 == 1 { -x } else { *x }).sum::<f64>();
        if (flipped / d.len() as f64).abs() >= observed - 1e-12 {
            extreme += 1;
        }
    }
    (extreme + 1) as f64 / (ROUNDS + 1) as f64
}

/// The figures of one query set, for the JSON report and the quality gate.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub queries: usize,
    /// view → system → query type (and "all") → mean nDCG@10.
    pub ndcg10: BTreeMap<View, BTreeMap<String, BTreeMap<String, f64>>>,
}

pub fn summary(results: &[QueryScores]) -> Summary {
    let mut ndcg10 = BTreeMap::new();
    for view in VIEWS {
        let mut per_system = BTreeMap::new();
        for (s, system) in SYSTEMS.iter().enumerate() {
            let mut groups: BTreeMap<String, Vec<f64>> = BTreeMap::new();
            for r in results {
                let x = r.scores[s][&view].ndcg10;
                groups.entry(r.query.kind.clone()).or_default().push(x);
                groups.entry("all".into()).or_default().push(x);
            }
            per_system.insert(system.name.to_string(), groups.into_iter().map(|(k, xs)| (k, mean(&xs))).collect());
        }
        ndcg10.insert(view, per_system);
    }
    Summary { queries: results.len(), ndcg10 }
}

/// The tables of one query set: per view, mean nDCG@10 per query type and overall for each
/// system, Recall@100 overall, and the paired tests of [`COMPARISONS`].
pub fn table(results: &[QueryScores]) -> String {
    let mut out = String::new();
    for view in VIEWS {
        let label = match view {
            View::Post => "post view (a hit's copies count right after it)",
            View::Hit => "hit view (each hit once, copies earn nothing)",
        };
        out.push_str(&format!("\nnDCG@10, {label}\n\n| query type | n |"));
        for s in SYSTEMS {
            out.push_str(&format!(" {} |", s.name));
        }
        out.push_str(&format!("\n|---|---|{}\n", "---|".repeat(SYSTEMS.len())));
        let mut groups: BTreeMap<String, Vec<&QueryScores>> = BTreeMap::new();
        for r in results {
            groups.entry(r.query.kind.clone()).or_default().push(r);
            groups.entry("~all".into()).or_default().push(r);
        }
        for (kind, rows) in &groups {
            let name = if kind == "~all" { "**all**".to_string() } else { kind.clone() };
            out.push_str(&format!("| {name} | {} |", rows.len()));
            for s in 0..SYSTEMS.len() {
                let xs: Vec<f64> = rows.iter().map(|r| r.scores[s][&view].ndcg10).collect();
                out.push_str(&format!(" {:.3} |", mean(&xs)));
            }
            out.push('\n');
        }
        out.push_str("| Recall@100, all | |");
        for s in 0..SYSTEMS.len() {
            let xs: Vec<f64> = results.iter().map(|r| r.scores[s][&view].recall100).collect();
            out.push_str(&format!(" {:.3} |", mean(&xs)));
        }
        out.push_str("\n\npaired randomisation test on nDCG@10 (10,000 sign flips, two-sided):\n");
        for (a, b) in COMPARISONS {
            let (xa, xb) = (ndcgs(results, system_index(a), view), ndcgs(results, system_index(b), view));
            let diff = mean(&xa) - mean(&xb);
            let p = paired_p_value(&xa, &xb);
            let verdict = if p < 0.05 { "significant" } else { "not significant" };
            out.push_str(&format!("  {a} − {b}: {diff:+.3} (p = {p:.3}, {verdict} at 0.05)\n"));
        }
    }
    out
}

/// Where a post's own title ranks its post: `n` posts drawn evenly from the index (in path
/// order), each post's title searched in hybrid mode. (post path, title, rank from 1 in the
/// post view's first 20 posts, or `None`).
pub fn title_ranks(engine: &Engine, n: usize) -> Result<Vec<(String, String, Option<usize>)>, IndexerError> {
    let (items, _, _) = engine.corpus()?;
    let posts: BTreeMap<&str, &str> = items.iter().map(|i| (i.post_path.as_str(), i.post_title.as_str())).collect();
    let posts: Vec<(&str, &str)> = posts.into_iter().filter(|(_, t)| !t.trim().is_empty()).collect();
    let step = (posts.len() / n.max(1)).max(1);
    let mut out = Vec::new();
    for &(path, title) in posts.iter().step_by(step).take(n) {
        let hits = ranked_hits(engine, title, SearchMode::Hybrid, SortOrder::Relevance, 20)?;
        let rank = posts_of(&hits, View::Post).iter().take(20).position(|p| p == path).map(|r| r + 1);
        out.push((path.to_string(), title.to_string(), rank));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judged(pairs: &[(&str, u8)]) -> HashMap<String, u8> {
        pairs.iter().map(|(p, g)| (p.to_string(), *g)).collect()
    }

    fn strings(xs: &[&str]) -> Vec<String> {
        xs.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn perfect_and_empty_rankings() {
        let j = judged(&[("a", 3), ("b", 1)]);
        let perfect = strings(&["a", "b"]);
        assert!((ndcg_at(&perfect, &j, 10) - 1.0).abs() < 1e-9);
        assert_eq!(ndcg_at(&[], &j, 10), 0.0);
        assert_eq!(recall_at(&perfect, &j, 100), 1.0);
        assert_eq!(recall_at(&strings(&["b"]), &j, 100), 0.5);
    }

    #[test]
    fn order_matters_for_ndcg_only() {
        let j = judged(&[("a", 3), ("b", 1)]);
        let swapped = strings(&["b", "x", "a"]);
        let n = ndcg_at(&swapped, &j, 10);
        assert!(n < 1.0 && n > 0.0, "{n}");
        assert_eq!(recall_at(&swapped, &j, 100), 1.0);
        // a grade-3 post at rank 1 is worth more than a grade-1 post there
        let better = strings(&["a", "x", "b"]);
        assert!(ndcg_at(&better, &j, 10) > n);
    }

    #[test]
    fn the_post_view_gives_copies_slots_and_the_hit_view_does_not() {
        let hits: Vec<HitPosts> = vec![
            ("a".into(), strings(&["b", "c"])),
            ("b".into(), vec![]), // already listed as a's copy: no second slot
            ("d".into(), strings(&["a"])),
        ];
        assert_eq!(posts_of(&hits, View::Post), strings(&["a", "b", "c", "d"]));
        assert_eq!(posts_of(&hits, View::Hit), strings(&["a", "b", "d"]));
        let j = judged(&[("a", 3), ("c", 3)]);
        assert!(ndcg_at(&posts_of(&hits, View::Post), &j, 10) > ndcg_at(&posts_of(&hits, View::Hit), &j, 10));
    }

    #[test]
    fn the_paired_test_separates_a_steady_gain_from_noise() {
        let base: Vec<f64> = (0..30).map(|i| (i % 7) as f64 / 10.0).collect();
        let steady: Vec<f64> = base.iter().map(|x| x + 0.05).collect();
        assert!(paired_p_value(&steady, &base) < 0.001);
        let noisy: Vec<f64> =
            base.iter().enumerate().map(|(i, x)| if i % 2 == 0 { x + 0.05 } else { x - 0.05 }).collect();
        assert!(paired_p_value(&noisy, &base) > 0.5);
        assert_eq!(paired_p_value(&base, &base), 1.0);
    }
}
