//! A tantivy collector for the whole match set.

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::fusion::Ranked;
use crate::format::ids::ItemOrd;

/// Collects every matching document as (ord, score): totals and facets need the whole match
/// set, not only the top.
pub(super) struct AllMatches;

pub(super) struct AllMatchesSegment {
    ords: Column<u64>,
    out: Ranked,
}

impl Collector for AllMatches {
    type Fruit = Ranked;
    type Child = AllMatchesSegment;

    fn for_segment(&self, _: SegmentOrdinal, segment: &SegmentReader) -> tantivy::Result<AllMatchesSegment> {
        Ok(AllMatchesSegment { ords: segment.fast_fields().u64("ord")?, out: Vec::new() })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Ranked>) -> tantivy::Result<Ranked> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for AllMatchesSegment {
    type Fruit = Ranked;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(ord) = self.ords.first(doc) {
            self.out.push((ItemOrd::new(ord as usize), score));
        }
    }

    fn harvest(self) -> Ranked {
        self.out
    }
}
