//! Collecting the BM25 leg's matches from tantivy, in one pass that scores each match: every
//! match with its score ([`all_matches`]), or the best `k` and every match as a set
//! ([`top_and_matches`]).

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

use fixedbitset::FixedBitSet;
use tantivy::query::{EnableScoring, Query};
use tantivy::{Score, Searcher};

use super::fusion::Ranked;
use crate::format::ids::ItemOrd;

/// Per segment, each document's item ord ([`NO_ORD`] for a deleted document): the passes below
/// read an array instead of the `ord` fast field, and skip deleted documents by it.
pub(crate) type DocOrds = Vec<Vec<u32>>;
pub(crate) const NO_ORD: u32 = u32::MAX;

/// A candidate in the top-k heap, ordered as [`super::fusion::by_score`] ranks: the greater is
/// the better (higher score, then lower ord).
#[derive(Clone, Copy, PartialEq)]
struct Candidate(Score, ItemOrd);

impl Eq for Candidate {}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0).then(other.1.cmp(&self.1))
    }
}

/// Which matches a pass keeps: those it ranks (`rank`: every filter holds) and, when a filter
/// field has a selection, those it only records (`near`: every filter but one field's
/// selection holds), for disjunctive facet counts.
pub(crate) struct Keep<'a> {
    pub(crate) rank: &'a dyn Fn(ItemOrd) -> bool,
    pub(crate) near: Option<&'a dyn Fn(ItemOrd) -> bool>,
}

impl Keep<'_> {
    /// An empty set for the near matches, when there can be any.
    fn near_set(&self, items: usize) -> Option<FixedBitSet> {
        self.near.map(|_| FixedBitSet::with_capacity(items))
    }

    fn record_near(&self, near: &mut Option<FixedBitSet>, ord: ItemOrd) {
        if let (Some(set), Some(is_near)) = (near.as_mut(), self.near) {
            if is_near(ord) {
                set.insert(ord.index());
            }
        }
    }
}

/// The best `k` matches of `query` that `keep` ranks, best first (ties on ord), every such
/// match as a set, and the near matches (see [`Keep`]), in one pass that scores every match but
/// sorts none but the best `k`.
///
/// tantivy's `TopDocs` (block-max WAND) skips the postings that cannot reach the k-th score, but
/// over the long queries of this engine — tens of morpheme, alias and bigram terms, most of them
/// frequent — it was slower than scoring everything: measured in BENCHMARKS.md.
pub(super) fn top_and_matches(
    searcher: &Searcher,
    query: &dyn Query,
    k: usize,
    items: usize,
    doc_ords: &DocOrds,
    keep: &Keep,
) -> tantivy::Result<(Ranked, FixedBitSet, Option<FixedBitSet>)> {
    let mut heap: BinaryHeap<Reverse<Candidate>> = BinaryHeap::with_capacity(k + 1);
    let mut set = FixedBitSet::with_capacity(items);
    let mut near = keep.near_set(items);
    // the k-th best so far, once there are k
    let mut worst = Candidate(Score::MIN, ItemOrd::new(u32::MAX as usize));
    for_each_match(searcher, query, doc_ords, &mut |ord, score| {
        if !(keep.rank)(ord) {
            keep.record_near(&mut near, ord);
            return;
        }
        set.insert(ord.index());
        let c = Candidate(score, ord);
        if heap.len() < k {
            heap.push(Reverse(c));
        } else if k > 0 && c > worst {
            heap.pop();
            heap.push(Reverse(c));
        } else {
            return;
        }
        if heap.len() == k {
            worst = heap.peek().map_or(worst, |w| w.0);
        }
    })?;
    let mut top: Ranked = heap.into_iter().map(|Reverse(Candidate(s, o))| (o, s)).collect();
    top.sort_by(super::fusion::by_score);
    Ok((top, set, near))
}

/// Every match of `query` that `keep` ranks, with its score, in index order, and the near
/// matches (see [`Keep`]).
pub(super) fn all_matches(
    searcher: &Searcher,
    query: &dyn Query,
    items: usize,
    doc_ords: &DocOrds,
    keep: &Keep,
) -> tantivy::Result<(Ranked, Option<FixedBitSet>)> {
    let mut all = Ranked::new();
    let mut near = keep.near_set(items);
    for_each_match(searcher, query, doc_ords, &mut |ord, score| {
        if (keep.rank)(ord) {
            all.push((ord, score));
        } else {
            keep.record_near(&mut near, ord);
        }
    })?;
    Ok((all, near))
}

/// Calls `f` with the ord and score of every live document matching `query`.
fn for_each_match(
    searcher: &Searcher,
    query: &dyn Query,
    doc_ords: &DocOrds,
    f: &mut dyn FnMut(ItemOrd, Score),
) -> tantivy::Result<()> {
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    for (segment, reader) in searcher.segment_readers().iter().enumerate() {
        let ords = &doc_ords[segment];
        // tantivy's for_each does not skip deleted documents: their ord is NO_ORD
        weight.for_each(reader, &mut |doc, score| {
            let ord = ords[doc as usize];
            if ord != NO_ORD {
                f(ItemOrd::new(ord as usize), score);
            }
        })?;
    }
    Ok(())
}
