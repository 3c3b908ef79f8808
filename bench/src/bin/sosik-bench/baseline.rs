//! The baseline every latency row is set against (issue #14): plain BM25 over character bigrams,
//! the retrieval model of bm25s or Lucene's CJK analyzer, run over the same index in the same
//! process, query by query beside sosik's, so the ratio stays stable on a noisy machine.
//!
//! It is deliberately the least a search can do: the query's distinct bigrams as one flat union
//! of term queries on the index's `grams` field, ranked by tantivy's `TopDocs` (block-max WAND),
//! returning document addresses only — no morphemes, aliases, proximity or field boosts, no
//! filters, facets, totals, near-duplicate collapsing, stored fields or snippets.

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Index, Searcher, Term};

use super::*;

pub(crate) struct BigramBaseline {
    searcher: Searcher,
    grams: Field,
}

impl BigramBaseline {
    /// Opens the tantivy part of the index in `dir` (an engine's resolved version directory).
    pub(crate) fn open(dir: &Path) -> Result<BigramBaseline> {
        let path = sosik_engine::format::IndexFile::Tantivy.path(dir);
        let index = Index::open_in_dir(&path).with_context(|| format!("opening {}", path.display()))?;
        let grams = index.schema().get_field("grams").context("the index has no `grams` field")?;
        let searcher = index.reader()?.searcher();
        Ok(BigramBaseline { searcher, grams })
    }

    /// The `k` best documents for `q`'s bigrams.
    pub(crate) fn top_k(&self, q: &str, k: usize) -> Result<Vec<(f32, DocAddress)>> {
        let mut seen = std::collections::HashSet::new();
        let clauses: Vec<(Occur, Box<dyn Query>)> = sosik_ko::bigrams::bigrams(q)
            .into_iter()
            .filter(|g| seen.insert(g.text.clone()))
            .map(|g| {
                let term = Term::from_field_text(self.grams, &g.text);
                (Occur::Should, Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)) as Box<dyn Query>)
            })
            .collect();
        if clauses.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self.searcher.search(&BooleanQuery::new(clauses), &TopDocs::with_limit(k).order_by_score())?)
    }
}
