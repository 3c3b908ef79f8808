//! Fusing the two legs of a hybrid search: weighted reciprocal-rank fusion.

use std::collections::HashMap;

use fixedbitset::FixedBitSet;

use super::query::TextQuery;
use crate::format::ids::ItemOrd;

/// How the two legs of a hybrid search are fused: score = Σ weight / (k + rank).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fusion {
    pub k: f32,
    pub bm25_weight: f32,
    pub vector_weight: f32,
    /// Pseudo-relevance feedback into the vector leg of a hybrid search, for queries written
    /// in Hangul alone (no Latin letter): the query vector plus this weight times the mean
    /// vector of the top [`FEEDBACK_DOCS`] BM25 hits, normalised, is what the vector leg
    /// searches with. 0 turns it off. See [`feedback_applies`].
    pub feedback_weight: f32,
    /// `sort=fresh`: how much a hit of the newest day is lifted (its score times 1 + this),
    /// halving every [`Fusion::recency_half_life_days`] of age.
    pub recency_weight: f32,
    pub recency_half_life_days: f32,
}

/// The factor `sort=fresh` multiplies a score by, for an item `age_days` older than the index's
/// newest item: 1 + weight · 2^(−age / half-life).
pub fn recency_factor(age_days: i64, weight: f32, half_life_days: f32) -> f32 {
    let age = age_days.max(0) as f32;
    1.0 + weight * (-(age / half_life_days.max(f32::MIN_POSITIVE)) * std::f32::consts::LN_2).exp()
}

/// How many of the BM25 leg's first hits feed back into the query vector.
pub const FEEDBACK_DOCS: usize = 3;

/// Whether feedback is applied to `q`. A query that describes an event in other words
/// ("휴대폰 제조사가 … 사들였다") shares few words with the story, but the few BM25 hits it
/// finds pull the query vector towards the story's wording. Queries holding Latin letters (English,
/// product names, mixed) are left alone: on the tuning queries feedback hurt English queries
/// (0.521 → 0.461), whose BM25 hits in a Korean corpus are weak.
pub fn feedback_applies(q: &str) -> bool {
    !q.chars().any(|c| c.is_ascii_alphabetic())
}

/// `v` + `weight` × the mean of `rows`, scaled to unit length (`v` itself when there are no rows
/// or the weight is 0).
pub fn fed_back<'a>(v: &[f32], rows: impl ExactSizeIterator<Item = &'a [f32]>, weight: f32) -> Vec<f32> {
    let n = rows.len();
    let mut out = v.to_vec();
    if n == 0 || weight <= 0.0 {
        return out;
    }
    for row in rows {
        for (o, x) in out.iter_mut().zip(row) {
            *o += weight * x / n as f32;
        }
    }
    let norm = out.iter().map(|x| x * x).sum::<f32>().sqrt().max(f32::MIN_POSITIVE);
    out.iter_mut().for_each(|x| *x /= norm);
    out
}

impl Default for Fusion {
    /// BM25 counts half as much as the vector leg, the stronger one on the tuning queries
    /// (nDCG@10 0.52 vs 0.61), and k is 20 rather than the customary 60, so the first ranks of
    /// each leg count more. On the tuning queries hybrid gets 0.639 with these, 0.633 with k 60,
    /// 0.612 with equal weights at k 60 (see README, "Relevance"). Feedback weight 0.3 (of 0.2,
    /// 0.3, 0.5 with 3 or 5 hits, on the tuning queries): hybrid 0.639 → 0.664, paraphrases
    /// 0.392 → 0.547.
    fn default() -> Self {
        Fusion {
            k: 20.0,
            bm25_weight: 0.5,
            vector_weight: 1.0,
            feedback_weight: 0.3,
            recency_weight: RECENCY_WEIGHT,
            recency_half_life_days: RECENCY_HALF_LIFE_DAYS,
        }
    }
}

/// `sort=fresh`'s lift of the newest items and how fast it fades: chosen on the tuning queries
/// (README, "Fresh first").
pub const RECENCY_WEIGHT: f32 = 0.1;
pub const RECENCY_HALF_LIFE_DAYS: f32 = 90.0;

/// One leg's ranked candidates: (ord, score).
pub(crate) type Ranked = Vec<(ItemOrd, f32)>;

/// How much of the BM25 leg a ranking ranks (every match is scored either way).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    /// Every match, in order: sorting by date, timelines and explanations read every rank.
    All,
    /// The exact head of the ranking, as deep as asked (a heap of the best so far: no match
    /// below it is collected or sorted), and every match as a set for totals and facets.
    Head,
}

/// What [`super::Engine::rank`] found: each leg, their fusion, every match (when `ranked` is
/// only the head of the ranking) and the BM25 query (for snippets).
pub(crate) struct Ranking {
    pub(crate) lexical: Ranked,
    pub(crate) semantic: Ranked,
    /// Best first. With [`Scope::Head`], an exact head: every match not in it ranks below all of
    /// it.
    pub(crate) ranked: Ranked,
    /// With [`Scope::Head`], unless `ranked` holds every match: every match (those in `ranked`
    /// too), by ord.
    pub(crate) matches: Option<FixedBitSet>,
    /// When a filter field has a selection: the items that match but miss exactly one field's
    /// selection (they count in that field's facet only). The vector leg's neighbours are
    /// among them only in vector mode.
    pub(crate) near: Option<FixedBitSet>,
    pub(crate) text_query: Option<TextQuery>,
}

/// Puts the best `depth` of `matches` first, best first, and the rest after them in no order;
/// returns how many are in that head.
pub(crate) fn head_first(matches: &mut Ranked, depth: usize) -> usize {
    if matches.len() > depth {
        matches.select_nth_unstable_by(depth, by_score);
    }
    let head = matches.len().min(depth);
    matches[..head].sort_by(by_score);
    head
}

/// Weighted reciprocal-rank fusion of a lexical and a semantic leg (each adds weight / (k +
/// rank), rank from 1; ties break on `ord`), without ranking every lexical match: what fusing
/// the whole legs ranks first, in the same order with the same scores, down to the point below
/// which an item it leaves out could rank (all of it when `head` holds every match).
///
/// `lexical` is every lexical match with its score, its best `head` first and sorted (see
/// [`head_first`]), the rest in any order; `semantic` the semantic leg, best first. An item of
/// the semantic leg gets its exact lexical rank, counted among every match; a lexical match in
/// neither the head nor the semantic leg ranks past the head, so it scores at most
/// `lexical_weight / (k + head + 1)`, and the fused head stops at the first item that does not
/// score above that.
///
/// Ranking every match (sorting them all, and fusing them all in a map) was most of a hybrid
/// search's time once matches run into the tens of thousands.
pub(crate) fn rrf_head(
    lexical: &Ranked,
    head: usize,
    semantic: &Ranked,
    (lexical_weight, semantic_weight): (f32, f32),
    k: f32,
) -> Ranked {
    let rrf_score = |weight: f32, rank: usize| weight / (k + rank as f32 + 1.0);
    // the semantic leg's items that are lexical matches below the head, best first
    let below: Ranked = {
        let mut wanted = FixedBitSet::new();
        for (ord, _) in semantic {
            wanted.grow(ord.index() + 1);
            wanted.insert(ord.index());
        }
        let mut below: Ranked = lexical[head..].iter().filter(|r| wanted.contains(r.0.index())).copied().collect();
        below.sort_by(by_score);
        below
    };
    // their ranks, from 0: the head, the matches below the head that come before them, and
    // those of them that come before them
    let mut before = vec![0usize; below.len()];
    if let Some(worst) = below.last() {
        for r in &lexical[head..] {
            // most matches come after every one of them: one comparison
            if by_score(r, worst).is_gt() {
                continue;
            }
            // the first of them this match comes before (itself, for one of them)
            let first = below.partition_point(|b| by_score(b, r).is_lt());
            if first < below.len() {
                before[first] += 1;
            }
        }
    }
    let mut score: HashMap<ItemOrd, f32> = HashMap::with_capacity(head + semantic.len());
    for (rank, (ord, _)) in lexical[..head].iter().enumerate() {
        *score.entry(*ord).or_default() += rrf_score(lexical_weight, rank);
    }
    let mut running = 0;
    for (i, (ord, _)) in below.iter().enumerate() {
        // `running` counts the matches below the head that come before this one, and itself
        running += before[i];
        *score.entry(*ord).or_default() += rrf_score(lexical_weight, head + running - 1);
    }
    for (rank, (ord, _)) in semantic.iter().enumerate() {
        *score.entry(*ord).or_default() += rrf_score(semantic_weight, rank);
    }
    let mut fused: Ranked = score.into_iter().collect();
    fused.sort_by(by_score);
    if lexical.len() > head {
        let bound = rrf_score(lexical_weight, head);
        let exact = fused.iter().take_while(|r| r.1 > bound).count();
        fused.truncate(exact);
    }
    fused
}

/// Best score first; ties break on `ord`.
pub(super) fn by_score(a: &(ItemOrd, f32), b: &(ItemOrd, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Weighted reciprocal-rank fusion of whole legs, the plain way: each leg adds
    /// weight / (k + rank) (rank from 1); ties break on `ord`. The reference that `rrf_head` is
    /// checked against.
    fn rrf(legs: &[(&Ranked, f32)], k: f32) -> Ranked {
        let mut score: HashMap<ItemOrd, f32> = HashMap::new();
        for (leg, weight) in legs {
            for (rank, (ord, _)) in leg.iter().enumerate() {
                *score.entry(*ord).or_default() += weight / (k + rank as f32 + 1.0);
            }
        }
        let mut fused: Ranked = score.into_iter().collect();
        fused.sort_by(by_score);
        fused
    }

    #[test]
    fn feedback_is_for_hangul_only_queries() {
        assert!(feedback_applies("휴대폰 제조사가 자체 칩을 설계하는 신생 기업을 사들였다"));
        assert!(feedback_applies("2026년 3월 반도체 수출"));
        assert!(!feedback_applies("앤트로픽 Claude 출시"));
        assert!(!feedback_applies("export controls on AI chips"));
    }

    #[test]
    fn feedback_moves_the_query_towards_the_hits_and_keeps_unit_length() {
        let v = [1.0, 0.0, 0.0];
        let hits: [&[f32]; 2] = [&[0.0, 1.0, 0.0], &[0.0, 0.0, 1.0]];
        let out = fed_back(&v, hits.iter().copied(), 0.3);
        let norm: f32 = out.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-6, "{out:?}");
        assert!(out[0] > out[1] && out[1] > 0.0 && (out[1] - out[2]).abs() < 1e-6, "{out:?}");
        // weight 0.3 over two hits: (1, 0.15, 0.15) scaled
        assert!((out[1] / out[0] - 0.15).abs() < 1e-6, "{out:?}");
        assert_eq!(fed_back(&v, hits.iter().copied(), 0.0), v);
        assert_eq!(fed_back(&v, std::iter::empty(), 0.3), v);
    }

    /// The head `rrf_head` returns is the full fusion's first entries, equal score for score,
    /// over many random legs: ties in the lexical scores, vector items inside, below and outside
    /// the lexical matches, heads shorter and longer than the matches, weights that favour either.
    #[test]
    fn the_fused_head_is_the_head_of_the_full_fusion() {
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let o = ItemOrd::new;
        let mut compared = 0;
        for round in 0..400 {
            let items = 1 + next(300) as usize;
            // every item a lexical match with probability 1/2, scores from a few values (ties)
            let mut lexical: Ranked = Vec::new();
            for i in 0..items {
                if next(2) == 0 {
                    lexical.push((o(i), next(20) as f32 / 4.0));
                }
            }
            let mut semantic: Ranked = Vec::new();
            for i in 0..items {
                if next(4) == 0 {
                    semantic.push((o(i), next(1000) as f32 / 1000.0));
                }
            }
            semantic.sort_by(by_score);
            let depth = 1 + next(60) as usize;
            let weights = [(0.5, 1.0), (1.0, 1.0), (2.0, 0.3)][round % 3];
            let k = [20.0, 60.0, 1.0][round % 3];
            let mut sorted = lexical.clone();
            sorted.sort_by(by_score);
            let full = rrf(&[(&sorted, weights.0), (&semantic, weights.1)], k);
            let head = head_first(&mut lexical, depth);
            assert_eq!(&lexical[..head], &sorted[..head], "the head is the sorted best {depth}");
            let fused = rrf_head(&lexical, head, &semantic, weights, k);
            assert_eq!(fused[..], full[..fused.len()], "round {round}: depth {depth}");
            if lexical.len() <= depth {
                assert_eq!(fused, full, "round {round}: no match was left out, so nothing is cut");
            }
            compared += fused.len();
        }
        assert!(compared > 10_000, "only {compared} entries compared");
    }

    #[test]
    fn rrf_rewards_agreement() {
        let o = ItemOrd::new;
        let a: Ranked = vec![(o(1), 9.0), (o(2), 8.0), (o(3), 7.0)];
        let b: Ranked = vec![(o(3), 0.9), (o(1), 0.8), (o(4), 0.7)];
        let fused = rrf_head(&a, a.len(), &b, (1.0, 1.0), 60.0);
        assert_eq!(fused.iter().map(|f| f.0).collect::<Vec<_>>(), [1, 3, 2, 4].map(o));
    }
}
