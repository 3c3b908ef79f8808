//! Building the queries of the two legs: BM25 over the Korean analyzer's morphemes (field
//! boosts, proximity, company aliases) and over character bigrams, and the embedded query for
//! the vector leg.

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

/// How the BM25 leg weighs its two analyses of the text: the morpheme fields (with their field
/// boosts, proximity and aliases) and the character-bigram field. A weight of 0 leaves that
/// analysis out of the query (evaluations use that to score each analysis alone).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lexical {
    pub morphemes: f32,
    pub grams: f32,
}

impl Default for Lexical {
    /// Bigrams weigh 4: the bigram query is one field against the morpheme query's six boosted
    /// fields and its proximity and alias clauses, so its scores are smaller. Chosen on the tuning
    /// queries (README, "Relevance"): the BM25 leg's nDCG@10 rises from 0.416 (morphemes alone)
    /// through 0.454 (weight 1) to 0.524 (4) and falls past 8.
    fn default() -> Self {
        Lexical { morphemes: 1.0, grams: 4.0 }
    }
}

impl Engine {
    /// The BM25 query: the morpheme query ([`Engine::morpheme_query`]) and the bigram query,
    /// each weighted by [`Lexical`]. `None` when neither finds a term in `q`.
    pub(super) fn text_query(&self, q: &str) -> Option<Box<dyn Query>> {
        let Lexical { morphemes, grams } = self.lexical;
        let mut parts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if morphemes > 0.0 {
            if let Some(m) = self.morpheme_query(q) {
                parts.push((Occur::Should, Box::new(BoostQuery::new(m, morphemes))));
            }
        }
        if grams > 0.0 {
            let mut seen = std::collections::HashSet::new();
            let terms: Vec<(Occur, Box<dyn Query>)> = sosik_ko::bigrams::bigrams(q)
                .into_iter()
                .filter(|g| seen.insert(g.text.clone()))
                .map(|g| {
                    let term = Term::from_field_text(self.fields.grams, &g.text);
                    (Occur::Should, Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)) as Box<dyn Query>)
                })
                .collect();
            if !terms.is_empty() {
                parts.push((Occur::Should, Box::new(BoostQuery::new(Box::new(BooleanQuery::new(terms)), grams))));
            }
        }
        match parts.len() {
            0 => None,
            _ => Some(Box::new(BooleanQuery::new(parts))),
        }
    }

    /// Every content morpheme of `q`, in every text field with its boost, plus every other
    /// spelling of a company the query names. `None` when `q` has no content word.
    fn morpheme_query(&self, q: &str) -> Option<Box<dyn Query>> {
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

    /// Recall@k of the vector leg's search for `q` against an exact scan of every row (no
    /// filter): the share of the exact top k that the search finds. `None` when the store is
    /// small enough to be scanned exactly anyway. For benchmarks (see
    /// [`crate::format::vectors::QUANTISED_FROM_ROWS`]).
    pub fn vector_recall(&self, q: &str, k: usize) -> Result<Option<f64>, EngineError> {
        if !self.vectors.is_quantised() {
            return Ok(None);
        }
        let v = match self.cached_query_vector(q) {
            Some(v) => v,
            None => self.embed_query(q)?,
        };
        let exact = self.vectors.top_k_exact(&v, k, |_| true);
        let found: std::collections::HashSet<ItemOrd> =
            self.vectors.top_k(&v, k, |_| true).into_iter().map(|(o, _)| o).collect();
        let hits = exact.iter().filter(|(o, _)| found.contains(o)).count();
        Ok(Some(if exact.is_empty() { 1.0 } else { hits as f64 / exact.len() as f64 }))
    }

    /// Empties the cache of query vectors, so that every query is embedded again: benchmarks use
    /// it to time what a new query costs.
    pub fn forget_query_vectors(&self) {
        self.query_vectors.lock().unwrap_or_else(|p| p.into_inner()).clear();
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
