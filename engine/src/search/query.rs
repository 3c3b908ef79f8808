//! Building the queries of the two legs: BM25 over the Korean analyzer's morphemes (field
//! boosts, proximity, company aliases) and the embedded query for the vector leg.

use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::collect::AllMatches;
use super::fusion::{by_score, Ranked};
use super::Engine;
use crate::error::EngineError;
use crate::format::ids::ItemOrd;

/// Weight of a company alias that is not the spelling the user typed.
const ALIAS_BOOST: f32 = 0.8;
/// How many extra positions a proximity match may span, and what it weighs.
const PROXIMITY_SLOP: u32 = 3;
const PROXIMITY_BOOST: f32 = 1.0;

impl Engine {
    /// The BM25 query: every content morpheme of `q`, in every text field with its boost, plus
    /// every other spelling of a company the query names. `None` when `q` has no content word.
    pub(super) fn text_query(&self, q: &str) -> Option<Box<dyn Query>> {
        let analysed = self.analyzer.terms(q);
        let terms: Vec<String> = analysed.iter().map(|t| t.text.clone()).collect();
        if terms.is_empty() {
            return None;
        }
        // With whole product names (gpt-5.3-codex) besides their parts, as in the index.
        let mut with_compounds = analysed.clone();
        sosik_ko::add_compounds(q, &mut with_compounds);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> =
            with_compounds.iter().map(|t| (Occur::Should, self.fielded(std::slice::from_ref(&t.text), 1.0))).collect();
        // Proximity: the query's words close together (in their order, a few words apart) in the
        // title or the body count extra.
        if terms.len() > 1 {
            let base = analysed[0].position;
            for field in [self.fields.title, self.fields.body] {
                let boost = self.fields.boost(field);
                let with_offsets: Vec<(usize, Term)> =
                    analysed.iter().map(|t| (t.position - base, Term::from_field_text(field, &t.text))).collect();
                let phrase = PhraseQuery::new_with_offset_and_slop(with_offsets, PROXIMITY_SLOP);
                clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(phrase), boost * PROXIMITY_BOOST))));
            }
        }
        for (span, patterns) in self.tagger.query_aliases(&terms) {
            for pattern in patterns {
                if pattern[..] != terms[span.clone()] {
                    clauses.push((Occur::Should, self.fielded(pattern, ALIAS_BOOST)));
                }
            }
        }
        Some(Box::new(BooleanQuery::new(clauses)))
    }

    /// `pattern` (one term, or a phrase) in every text field, each with its boost.
    pub(super) fn fielded(&self, pattern: &[String], boost: f32) -> Box<dyn Query> {
        let per_field = self
            .fields
            .boosted()
            .into_iter()
            .map(|(field, field_boost)| {
                let terms: Vec<Term> = pattern.iter().map(|t| Term::from_field_text(field, t)).collect();
                let q: Box<dyn Query> = if terms.len() == 1 {
                    Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::WithFreqs))
                } else {
                    Box::new(PhraseQuery::new(terms))
                };
                (Occur::Should, Box::new(BoostQuery::new(q, field_boost * boost)) as Box<dyn Query>)
            })
            .collect();
        Box::new(BooleanQuery::new(per_field))
    }

    /// Every item matching the text query and the filters, best first.
    pub(super) fn bm25(
        &self,
        searcher: &Searcher,
        query: Option<&dyn Query>,
        keep: &dyn Fn(ItemOrd) -> bool,
    ) -> Result<Ranked, EngineError> {
        let Some(query) = query else { return Ok(Vec::new()) };
        let mut all = searcher.search(query, &AllMatches)?;
        all.retain(|(ord, _)| keep(*ord));
        all.sort_by(by_score);
        Ok(all)
    }

    /// The `depth` items nearest to the query's embedding among those the filters keep.
    pub(super) fn vector(&self, q: &str, depth: usize, keep: &dyn Fn(ItemOrd) -> bool) -> Result<Ranked, EngineError> {
        let v = match self.cached_query_vector(q) {
            Some(v) => v,
            None => self.embed_query(q)?,
        };
        Ok(self.vectors.top_k(&v, depth, keep))
    }

    pub(super) fn cached_query_vector(&self, q: &str) -> Option<Vec<f32>> {
        self.query_vectors.lock().unwrap_or_else(|p| p.into_inner()).get(q.trim()).cloned()
    }

    /// Embeds `q` with the model and caches its vector.
    pub(super) fn embed_query(&self, q: &str) -> Result<Vec<f32>, EngineError> {
        let key = q.trim().to_string();
        let v = self.embedder.embed_query(&key)?;
        self.query_vectors.lock().unwrap_or_else(|p| p.into_inner()).put(key, v.clone());
        Ok(v)
    }
}
