//! Building the queries of the two legs: BM25 over the Korean analyzer's morphemes (field
//! boosts, proximity, company aliases) and over character bigrams, and the embedded query for
//! the vector leg.

use fixedbitset::FixedBitSet;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::collect;
use super::fusion::{by_score, Ranked};
use super::Engine;
use crate::error::EngineError;
use crate::format::ids::ItemOrd;
use crate::Filters;

/// `q` as a should-clause weighing `boost`.
fn boosted(q: Box<dyn Query>, boost: f32) -> Clause {
    (Occur::Should, Box::new(BoostQuery::new(q, boost)))
}

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
    /// Weight of the other names of a glossary term the query names (얀 르쿤 → "Yann LeCun"), in
    /// the morpheme fields, relative to the words typed; 0 expands nothing from the glossary.
    pub glossary: f32,
}

impl Default for Lexical {
    /// Bigrams weigh 4: the bigram query is one field against the morpheme query's six boosted
    /// fields and its proximity and alias clauses, so its scores are smaller. Chosen on the tuning
    /// queries (README, "Relevance"): the BM25 leg's nDCG@10 rises from 0.416 (morphemes alone)
    /// through 0.454 (weight 1) to 0.524 (4) and falls past 8. Glossary names weigh 0.8, as a
    /// company's aliases do: of 0.5, 0.8 and 1, 0.8 gave the best hybrid on the tuning queries
    /// (post view 0.6699, 0.6712, 0.6712; hit view 0.5961, 0.5974, 0.5968).
    fn default() -> Self {
        Lexical { morphemes: 1.0, grams: 4.0, glossary: 0.8 }
    }
}

/// The BM25 query of a search: each morpheme and compound of the query and each alias in every
/// text field, each character bigram in the `grams` field, the query's words near each other, as
/// one flat union of boosted clauses. An item's score is the sum of its clauses' scores (a flat
/// union saves the nested scorers' bookkeeping on every match).
pub(crate) struct TextQuery(BooleanQuery);

impl TextQuery {
    pub(crate) fn query(&self) -> &dyn Query {
        &self.0
    }
}

/// A clause of a [`TextQuery`]: one term or a phrase.
type Clause = (Occur, Box<dyn Query>);

/// The other spellings a query's words call for, each once, with its weight: every alias of a
/// company the query names (`alias`), then every name of a glossary term it names (`glossary`;
/// none when 0). A spelling the query already holds as consecutive words is not added: typed,
/// it is searched as typed, so "앤트로픽 Claude" searches each name once, not once as typed and
/// once as the other's alias.
fn expansions<'a>(
    words: &[String],
    aliases: impl Iterator<Item = &'a Vec<String>>,
    glossary: impl Iterator<Item = &'a Vec<String>>,
    alias: f32,
    glossary_weight: f32,
) -> Vec<(&'a [String], f32)> {
    let typed = |p: &[String]| words.windows(p.len()).any(|w| w == p);
    let mut seen: std::collections::HashSet<&[String]> = std::collections::HashSet::new();
    let glossary = glossary.filter(|_| glossary_weight > 0.0).map(|p| (p, glossary_weight));
    let mut out = Vec::new();
    for (pattern, weight) in aliases.map(|p| (p, alias)).chain(glossary) {
        if !pattern.is_empty() && !typed(pattern) && seen.insert(pattern.as_slice()) {
            out.push((pattern.as_slice(), weight));
        }
    }
    out
}

impl Engine {
    /// The BM25 query: the morpheme clauses ([`Engine::morpheme_clauses`]) and the bigram
    /// clauses, each weighted by [`Lexical`]. `None` when neither finds a term in `q`.
    pub(crate) fn text_query(&self, q: &str) -> Option<TextQuery> {
        let Lexical { morphemes, grams, .. } = self.lexical;
        let (mut terms, mut phrases): (Vec<Clause>, Vec<Clause>) = (Vec::new(), Vec::new());
        if morphemes > 0.0 {
            self.morpheme_clauses(q, morphemes, &mut terms, &mut phrases);
        }
        if grams > 0.0 {
            let mut seen = std::collections::HashSet::new();
            for g in sosik_ko::bigrams::bigrams(q) {
                if seen.insert(g.text.clone()) {
                    let term = Term::from_field_text(self.fields.grams, &g.text);
                    terms.push(boosted(Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)), grams));
                }
            }
        }
        if terms.is_empty() && phrases.is_empty() {
            return None;
        }
        // the phrases last: the order the clause scores are summed in, which the committed
        // relevance figures were measured with
        terms.append(&mut phrases);
        Some(TextQuery(BooleanQuery::new(terms)))
    }

    /// The clauses of every content morpheme of `q`, in every text field with its boost, and of
    /// every other spelling of a company the query names, each weighted by `weight`: one-term
    /// clauses into `terms`, phrases into `phrases`. Nothing when `q` has no content word.
    fn morpheme_clauses(&self, q: &str, weight: f32, terms: &mut Vec<Clause>, phrases: &mut Vec<Clause>) {
        let analysed = self.analyzer.terms(q);
        let words: Vec<String> = analysed.iter().map(|t| t.text.clone()).collect();
        if words.is_empty() {
            return;
        }
        // With whole product names (gpt-5.3-codex) besides their parts, as in the index.
        let mut with_compounds = analysed.clone();
        sosik_ko::add_compounds(q, &mut with_compounds);
        for t in &with_compounds {
            self.fielded(std::slice::from_ref(&t.text), weight, terms, phrases);
        }
        // Proximity: the query's words close together (in their order, a few words apart) in the
        // title or the body count extra.
        if words.len() > 1 {
            let base = analysed[0].position;
            for field in [self.fields.title, self.fields.body] {
                let boost = self.fields.boost(field);
                let with_offsets: Vec<(usize, Term)> =
                    analysed.iter().map(|t| (t.position - base, Term::from_field_text(field, &t.text))).collect();
                let phrase = PhraseQuery::new_with_offset_and_slop(with_offsets, PROXIMITY_SLOP);
                phrases.push(boosted(Box::new(phrase), weight * boost * PROXIMITY_BOOST));
            }
        }
        let aliases = self.tagger.query_aliases(&words);
        let glossary = self.tagger.query_glossary(&words);
        let found = expansions(
            &words,
            aliases.iter().flat_map(|(_, patterns)| patterns.iter()),
            glossary.iter().flat_map(|(_, names)| names.iter().copied()),
            ALIAS_BOOST,
            self.lexical.glossary,
        );
        for (pattern, boost) in found {
            self.fielded(pattern, weight * boost, terms, phrases);
        }
    }

    /// `pattern` (one term, or a phrase) in every text field, each with its boost times
    /// `weight`: a term into `terms`, a phrase into `phrases`.
    fn fielded(&self, pattern: &[String], weight: f32, terms: &mut Vec<Clause>, phrases: &mut Vec<Clause>) {
        for (field, field_boost) in self.fields.boosted() {
            let pattern: Vec<Term> = pattern.iter().map(|t| Term::from_field_text(field, t)).collect();
            if pattern.len() == 1 {
                let q = TermQuery::new(pattern[0].clone(), IndexRecordOption::WithFreqs);
                terms.push(boosted(Box::new(q), field_boost * weight));
            } else {
                phrases.push(boosted(Box::new(PhraseQuery::new(pattern)), field_boost * weight));
            }
        }
    }

    /// Every item matching the text query and the filters, best first: every match scored.
    pub(super) fn bm25(
        &self,
        searcher: &Searcher,
        query: Option<&TextQuery>,
        keep: &collect::Keep,
    ) -> Result<(Ranked, Option<FixedBitSet>), EngineError> {
        let (mut all, near) = self.bm25_matches(searcher, query, keep)?;
        all.sort_by(by_score);
        Ok((all, near))
    }

    /// [`Engine::bm25`] in no order.
    pub(super) fn bm25_matches(
        &self,
        searcher: &Searcher,
        query: Option<&TextQuery>,
        keep: &collect::Keep,
    ) -> Result<(Ranked, Option<FixedBitSet>), EngineError> {
        let Some(query) = query else { return Ok((Vec::new(), None)) };
        Ok(collect::all_matches(searcher, query.query(), self.meta.len(), &self.doc_ords, keep)?)
    }

    /// The BM25 leg's best `k` items that the filters keep (exact scores, in [`Engine::bm25`]'s
    /// order) and every match as a set (for totals and facets): [`Engine::bm25`] without
    /// collecting and sorting every match.
    pub(super) fn bm25_top(
        &self,
        searcher: &Searcher,
        query: Option<&TextQuery>,
        k: usize,
        keep: &collect::Keep,
    ) -> Result<(Ranked, Option<FixedBitSet>, Option<FixedBitSet>), EngineError> {
        let Some(query) = query else { return Ok((Vec::new(), None, None)) };
        let (top, matches, near) =
            collect::top_and_matches(searcher, query.query(), k, self.meta.len(), &self.doc_ords, keep)?;
        Ok((top, Some(matches), near))
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
        self.vector_recall_filtered(q, k, &Filters::default())
    }

    /// [`Engine::vector_recall`] among the items `filters` keep.
    pub fn vector_recall_filtered(&self, q: &str, k: usize, filters: &Filters) -> Result<Option<f64>, EngineError> {
        if !self.vectors.is_quantised() {
            return Ok(None);
        }
        let v = match self.cached_query_vector(q) {
            Some(v) => v,
            None => self.embed_query(q)?,
        };
        let filters = self.compile(filters);
        let keep = |ord: ItemOrd| self.table.accepts(ord, &filters);
        let exact = self.vectors.top_k_exact(&v, k, keep);
        let found: std::collections::HashSet<ItemOrd> =
            self.vectors.top_k(&v, k, keep).into_iter().map(|(o, _)| o).collect();
        let hits = exact.iter().filter(|(o, _)| found.contains(o)).count();
        Ok(Some(if exact.is_empty() { 1.0 } else { hits as f64 / exact.len() as f64 }))
    }

    /// Whether the vector leg walks an HNSW graph (see [`crate::format::vectors`]).
    pub fn vector_graph(&self) -> bool {
        self.vectors.has_graph()
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

#[cfg(test)]
mod tests {
    use super::expansions;

    fn p(words: &str) -> Vec<String> {
        words.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn every_other_spelling_once_and_none_that_was_typed() {
        let words = p("앤트로픽 claude 추론");
        // 앤트로픽 and claude both name Anthropic: its patterns come once per mention
        let company = [p("anthropic"), p("claude"), p("앤트로픽"), p("클로드")];
        let aliases = company.iter().chain(company.iter());
        let glossary = [p("claude"), p("클로드"), p("inference"), p("reasoning"), p("추론")];
        let got: Vec<(String, f32)> = expansions(&words, aliases, glossary.iter(), 0.8, 0.5)
            .into_iter()
            .map(|(pattern, weight)| (pattern.join(" "), weight))
            .collect();
        let want = [("anthropic", 0.8), ("클로드", 0.8), ("inference", 0.5), ("reasoning", 0.5)];
        assert_eq!(got, want.map(|(s, w)| (s.to_string(), w)));
        // weight 0 leaves the glossary out
        let none = expansions(&words, std::iter::empty(), glossary.iter(), 0.8, 0.0);
        assert!(none.is_empty());
        // a phrase counts as typed only as consecutive words
        let words = p("얀 르쿤 발언");
        let names = [p("얀 르쿤"), p("yann lecun"), p("르쿤 발언 요약")];
        let got: Vec<&[String]> =
            expansions(&words, std::iter::empty(), names.iter(), 0.8, 0.8).into_iter().map(|e| e.0).collect();
        assert_eq!(got, [&names[1][..], &names[2][..]]);
    }
}
