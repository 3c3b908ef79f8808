//! The search engine over a built index: BM25 (tantivy + Korean morphemes), exact vector
//! search, their reciprocal-rank fusion, filters, facets and similar items.
//!
//! [`Engine::open`] reads an index directory (through [`crate::format`]) into memory; a search
//! then runs [`Engine::search`]: validate the [`SearchRequest`] ([`request`]), build the BM25
//! query and embed the query ([`query`]), collect every match ([`collect`]), fuse the legs
//! ([`fusion`]), filter and count facets over the item table ([`table`]) and assemble the hits
//! ([`hits`]).

mod collect;
pub mod dates;
pub(crate) mod entities;
mod fusion;
mod hits;
mod query;
pub(crate) mod request;
mod table;
mod titles;

pub use fusion::{
    fed_back, feedback_applies, recency_factor, Fusion, FEEDBACK_DOCS, RECENCY_HALF_LIFE_DAYS, RECENCY_WEIGHT,
};
pub(crate) use fusion::{Ranked, Ranking, Scope};

/// A query names a story thread when the thread's items are this many of its first
/// [`NAMED_STORY_TOP`] hits (see `Engine::named_story`).
pub const NAMED_STORY_HITS: usize = 3;
pub const NAMED_STORY_TOP: usize = 10;
pub use hits::html_escape;
use hits::load_item;
pub use query::Lexical;
pub use request::{FilterField, Filters, SearchRequest, MAX_FILTER_VALUES, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_CHARS};
pub(crate) use table::Meta;
use table::{month_of, Interner, Table};

use std::collections::{BTreeMap, HashMap, HashSet};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use fixedbitset::FixedBitSet;
use sosik_corpus::tagging::{Catalog, Tagger};
use sosik_corpus::{day_number, NewsItem};
use sosik_embed::Embedder;
use sosik_ko::Analyzer;
use sosik_types::{Explain, Facets, LegRank, QueryDateRange, SearchMode, SearchResponse, SortOrder};
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher};
use unicode_normalization::UnicodeNormalization;

use crate::error::EngineError;
use crate::format::ids::{GroupId, ItemOrd, ThreadId};
use crate::format::manifest::Manifest;
use crate::format::schema::Fields;
use crate::format::vectors::VectorStore;
use crate::format::{check, groups, layout, IndexFile};

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 220;
/// Nearest items the vector leg ranks (at least; more for deep pages).
const FUSION_DEPTH: usize = 100;
/// The shallowest head of the BM25 ranking a search in BM25 mode ranks exactly.
const MIN_HEAD: usize = 20;
/// Every item in ord order, its main vector and its near-duplicate group ([`Engine::corpus`]).
pub type Corpus = (Vec<NewsItem>, Vec<Vec<f32>>, Vec<GroupId>);

pub struct Engine {
    dir: PathBuf,
    manifest: Manifest,
    reader: IndexReader,
    fields: Fields,
    analyzer: Analyzer,
    tagger: Tagger,
    pub(crate) catalog: Catalog,
    vectors: VectorStore,
    /// `ord` → where tantivy keeps that item.
    docs: Vec<DocAddress>,
    /// Where tantivy keeps an item → its `ord` (per segment, per document).
    doc_ords: collect::DocOrds,
    pub(crate) meta: Vec<Meta>,
    table: Table,
    companies_ids: Interner,
    topics_ids: Interner,
    names_ids: Interner,
    domains_ids: Interner,
    ids: HashMap<String, ItemOrd>,
    /// Post titles → their items (a query that is a post's title finds that post first).
    titles: titles::Titles,
    /// `ord` → its near-duplicate group (see [`crate::format::groups`]).
    pub(crate) groups: Vec<GroupId>,
    /// Groups of more than one item → their members in ord order.
    pub(crate) members: HashMap<GroupId, Vec<ItemOrd>>,
    /// `ord` → its story thread (see [`crate::format::groups`]).
    pub(crate) threads: Vec<Option<ThreadId>>,
    /// Story thread → its items in date order (then ord).
    pub(crate) thread_members: BTreeMap<ThreadId, Vec<ItemOrd>>,
    /// The slugs items may carry as names (see [`Engine::open`]).
    pub(crate) name_slugs: HashSet<String>,
    /// Company and topic lists with their counts, computed on first use.
    pub(crate) entity_lists: std::sync::OnceLock<entities::EntityLists>,
    /// Typeahead's candidates and keys, built on first use (see [`crate::suggest`]).
    pub(crate) suggester: std::sync::OnceLock<crate::suggest::Suggester>,
    /// The hosts of the corpus's own blogs and the relay statistics, computed on first use (see
    /// [`crate::lineage`]).
    pub(crate) own_hosts: std::sync::OnceLock<HashSet<String>>,
    pub(crate) relay_stats: std::sync::OnceLock<sosik_types::RelayStats>,
    pub(crate) relay_lock: Mutex<()>,
    embedder: &'static Embedder,
    query_vectors: Mutex<lru::LruCache<String, Vec<f32>>>,
    fusion: Fusion,
    lexical: Lexical,
}

impl Engine {
    /// Opens the index in `dir`, with the Korean dictionary in `dictionary` and the embedder for
    /// queries. Refuses an incomplete or damaged index — naming the file and what is wrong with
    /// it, expected against found — or one built with another model.
    pub fn open(dir: &Path, dictionary: &Path, embedder: &'static Embedder) -> Result<Engine, EngineError> {
        // Resolve the index link once: every file below comes from one build even if another is
        // published meanwhile (see [`crate::layout`]); [`Engine::dir`] is that version directory.
        let resolved = layout::resolve(dir).unwrap_or_else(|_| dir.to_path_buf());
        let dir = resolved.as_path();
        let manifest = Manifest::read(dir)?;
        if manifest.model_id != embedder.model_id() || manifest.dim != sosik_embed::DIM {
            return Err(EngineError::BadIndex {
                dir: dir.to_path_buf(),
                reason: format!(
                    "built with model {} ({} dims) but the installed model is {} ({} dims); rebuild the index",
                    manifest.model_id,
                    manifest.dim,
                    embedder.model_id(),
                    sosik_embed::DIM
                ),
            });
        }
        let catalog: Catalog = check::read_json(dir, IndexFile::Catalog)?;
        // The same user dictionary as at build time, so queries tokenise like the documents.
        let analyzer = Analyzer::open(dictionary, &catalog.user_words())?;
        let tagger = Tagger::new(&catalog, &analyzer);
        // Tantivy's errors name no file in words of ours: each is turned into a refusal that does.
        let bad_text = |e| check::tantivy(dir, e);
        let index = Index::open_in_dir(IndexFile::Tantivy.path(dir)).map_err(bad_text)?;
        check::check_segments(dir, &index)?;
        crate::format::schema::register_analyzer(&index, &analyzer);
        let fields = Fields::resolve(&index.schema()).map_err(bad_text)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(bad_text)?;
        let searcher = reader.searcher();
        let mut docs = vec![DocAddress::new(u32::MAX, 0); manifest.items];
        let mut doc_ords = Vec::with_capacity(searcher.segment_readers().len());
        for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
            let ords = segment.fast_fields().u64("ord").map_err(bad_text)?;
            let mut segment_ords = vec![collect::NO_ORD; segment.max_doc() as usize];
            for doc in segment.doc_ids_alive() {
                let ord = ords.first(doc).unwrap_or(u64::MAX) as usize;
                if ord < docs.len() {
                    docs[ord] = DocAddress::new(segment_ord as u32, doc);
                    segment_ords[doc as usize] = ord as u32;
                }
            }
            doc_ords.push(segment_ords);
        }
        if docs.iter().any(|d| d.segment_ord == u32::MAX) || searcher.num_docs() as usize != manifest.items {
            return Err(check::bad(
                dir,
                IndexFile::Tantivy,
                format_args!("holds {} items, {} counts {}", searcher.num_docs(), IndexFile::Manifest, manifest.items),
            ));
        }
        let vectors = VectorStore::open(dir, manifest.dim, manifest.items)?;
        let mut meta = Vec::with_capacity(docs.len());
        let mut ids = HashMap::with_capacity(docs.len());
        let (mut companies_ids, mut topics_ids, mut names_ids, mut domains_ids) =
            (Interner::default(), Interner::default(), Interner::default(), Interner::default());
        let mut table = Table::default();
        let mut titles = titles::Titles::default();
        // The names an item may carry: the glossary's people, products and organisations that are
        // not companies. An index built before that rule (format 5 all the same) tagged Anthropic
        // as a name too; its items are read with the rule of today.
        let name_slugs: HashSet<String> =
            catalog.glossary.iter().filter(|t| catalog.is_name(t)).map(|t| t.slug()).collect();
        // The current post's first ord, items, items that read like passages, and title; items
        // come post by post (the indexer writes them by path, then position).
        let mut post: (usize, usize, usize, String) = (0, 0, 0, String::new());
        let mark_essay = |meta: &mut Vec<Meta>, post: &(usize, usize, usize, String)| {
            if sosik_corpus::tagging::essay_counts(post.1, post.2) {
                meta[post.0..].iter_mut().for_each(|m| m.post_title = Some(post.3.clone()));
            }
        };
        for (ord, addr) in ItemOrd::all(docs.len()).zip(&docs) {
            let mut item = load_item(dir, &searcher, fields, *addr)?;
            item.names.retain(|n| name_slugs.contains(n));
            if meta.last().is_none_or(|m: &Meta| m.post_path != item.post_path) {
                mark_essay(&mut meta, &post);
                post = (meta.len(), 0, 0, item.post_title.clone());
            }
            post.1 += 1;
            post.2 += usize::from(sosik_corpus::tagging::reads_like_passage(&item));
            ids.insert(item.id.clone(), ord);
            titles.add(&item.post_title, ord);
            let domains: Vec<String> = item.sources.into_iter().map(|s| s.domain).collect();
            let mut domain_ids = domains_ids.intern_all(&domains);
            domain_ids.sort_unstable();
            domain_ids.dedup();
            table.day.push(day_number(item.date) as i32);
            table.month.push(month_of(item.date));
            table.companies.push(&companies_ids.intern_all(&item.companies));
            table.topics.push(&topics_ids.intern_all(&item.topics));
            table.names.push(&names_ids.intern_all(&item.names));
            table.domains.push(&domain_ids);
            meta.push(Meta {
                id: item.id.clone(),
                date: item.date,
                post_path: item.post_path,
                title: item.title,
                companies: item.companies,
                topics: item.topics,
                names: item.names,
                post_title: None,
            });
        }
        mark_essay(&mut meta, &post);
        let groups = groups::read_duplicates(dir, docs.len())?;
        let mut members: HashMap<GroupId, Vec<ItemOrd>> = HashMap::new();
        for (ord, &g) in ItemOrd::all(groups.len()).zip(&groups) {
            members.entry(g).or_default().push(ord);
        }
        members.retain(|_, m| m.len() > 1);
        let threads = groups::read_stories(dir, docs.len())?;
        let mut thread_members: BTreeMap<ThreadId, Vec<ItemOrd>> = BTreeMap::new();
        for (ord, t) in ItemOrd::all(threads.len()).zip(&threads) {
            if let Some(t) = t {
                thread_members.entry(*t).or_default().push(ord);
            }
        }
        for m in thread_members.values_mut() {
            m.sort_by_key(|&o| (meta[o].date, o));
        }
        table.newest_day = table.day.iter().copied().max();
        Ok(Engine {
            dir: dir.to_path_buf(),
            manifest,
            reader,
            fields,
            analyzer,
            tagger,
            catalog,
            vectors,
            docs,
            doc_ords,
            meta,
            table,
            companies_ids,
            topics_ids,
            names_ids,
            domains_ids,
            ids,
            titles,
            groups,
            members,
            threads,
            thread_members,
            entity_lists: std::sync::OnceLock::new(),
            suggester: std::sync::OnceLock::new(),
            own_hosts: std::sync::OnceLock::new(),
            relay_stats: std::sync::OnceLock::new(),
            relay_lock: Mutex::new(()),
            name_slugs,
            embedder,
            query_vectors: Mutex::new(lru::LruCache::new(NonZeroUsize::new(4096).expect("non-zero"))),
            fusion: Fusion::default(),
            lexical: Lexical::default(),
        })
    }

    /// Sets how hybrid search fuses its legs.
    pub fn set_fusion(&mut self, fusion: Fusion) {
        self.fusion = fusion;
    }

    pub fn fusion(&self) -> Fusion {
        self.fusion
    }

    /// Sets how the BM25 leg weighs morphemes and bigrams.
    pub fn set_lexical(&mut self, lexical: Lexical) {
        self.lexical = lexical;
    }

    pub fn lexical(&self) -> Lexical {
        self.lexical
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, EngineError> {
        self.search_scoped(req, Scope::Head)
    }

    /// [`Engine::search`] ranking (collecting and sorting) every BM25 match instead of keeping
    /// only the head of the ranking: the same response, slower. For benches and tests that
    /// compare the two.
    pub fn search_ranking_every_match(&self, req: &SearchRequest) -> Result<SearchResponse, EngineError> {
        self.search_scoped(req, Scope::All)
    }

    fn search_scoped(&self, req: &SearchRequest, scope: Scope) -> Result<SearchResponse, EngineError> {
        req.validate()?;
        let started = Instant::now();
        // A date phrase becomes a date filter, unless the whole query is a post's title (titles
        // of daily digests hold their date, and the title finds its post).
        // (The title is looked up only for a query with a date phrase: `rank` looks it up again.)
        let when = req
            .today
            .and_then(|today| dates::extract(&req.q.nfkc().collect::<String>(), today))
            .filter(|_| self.titles.lookup(&req.q).is_none());
        let (q, filters) = match &when {
            None => (req.q.as_str(), Some(req.filters.clone())),
            Some(w) => (w.rest.as_str(), within(&req.filters, w.from, w.to)),
        };
        let date_range = when.as_ref().map(|w| QueryDateRange {
            expression: w.expression.clone(),
            from: w.from.to_string(),
            to: w.to.to_string(),
            query: w.rest.clone(),
        });
        let Some(filters) = filters else {
            // the phrase's days and `from`/`to` do not meet: nothing can match
            let took_ms = started.elapsed().as_secs_f64() * 1000.0;
            return Ok(SearchResponse {
                total: 0,
                took_ms,
                hits: Vec::new(),
                facets: Facets::default(),
                date_range,
                story: None,
            });
        };
        let searcher = self.reader.searcher();
        let depth = (req.offset + req.limit).max(FUSION_DEPTH);
        // Sorting by date and explaining each leg's ranks need every match ranked; otherwise the
        // exact head of the ranking is enough for a page, and the rest counts as a set.
        // (A fresh order rescales scores, so an item below a head could rise into it.)
        let scope = if req.sort != SortOrder::Relevance || req.explain { Scope::All } else { scope };
        // The BM25 leg alone ranks a head twice as deep as the page (room for copies that
        // collapse away); the other modes rank `depth` nearest items and every lexical match.
        let page_end = req.offset + req.limit;
        let (mut head, mut scope) = match req.mode {
            SearchMode::Bm25 => ((2 * page_end).max(MIN_HEAD), scope),
            _ => (depth, scope),
        };
        let (Ranking { lexical, semantic, ranked, text_query, .. }, groups, near) = loop {
            let page = self.rank_collapsed(&searcher, q, req, &filters, head, scope)?;
            let short = page.0.ranked.len() < page_end && page.0.ranked.len() < page.1.len();
            if !short || scope == Scope::All {
                break page;
            }
            // copies took so much of the head that the page reaches past it: a deeper head, and
            // at last every match
            head *= 4;
            if head > 16 * page_end.max(MIN_HEAD) {
                scope = Scope::All;
            }
        };
        let legs = req.explain.then(|| {
            let ranks = |leg: &Ranked| -> HashMap<ItemOrd, LegRank> {
                leg.iter().enumerate().map(|(i, &(ord, score))| (ord, LegRank { rank: i + 1, score })).collect()
            };
            (ranks(&lexical), ranks(&semantic))
        });
        let facets = self.facets(groups.iter().copied(), &near, &self.compile(&filters));
        let snippets = match &text_query {
            Some(q) => Some(self.snippet_generator(&searcher, q.query())?),
            None => None,
        };
        let short = hits::short_words(q);
        let cut = |body: &str| {
            let g = snippets.as_ref()?;
            Some(g.snippet(body)).filter(|s| !s.is_empty()).map(|s| hits::snippet_html(&s, &short))
        };
        let mut hits = Vec::new();
        for &(ord, score) in ranked.iter().skip(req.offset).take(req.limit) {
            let mut hit = self.hit_at(&searcher, ord, score, Some(&cut))?;
            self.add_copies(&mut hit, ord);
            if let Some((bm25, vector)) = &legs {
                hit.explain = Some(Explain { bm25: bm25.get(&ord).copied(), vector: vector.get(&ord).copied() });
            }
            hits.push(hit);
        }
        let story = match req.offset == 0 && req.sort != SortOrder::Date && !q.trim().is_empty() {
            true => self.named_story(&ranked)?,
            false => None,
        };
        let took_ms = started.elapsed().as_secs_f64() * 1000.0;
        Ok(SearchResponse { total: groups.len() as u64, took_ms, hits, facets, date_range, story })
    }

    /// Highlights the query's character bigrams (the `grams` field's terms, weighted as tantivy
    /// weighs snippet terms: 1 / (1 + document frequency)) in a hit's body. Not the morpheme
    /// fields' own analyzer: running mecab-ko-dic over every returned body was over half the time
    /// of a 100-hit BM25 search on the dev corpus (perf, 2026-12-05); bigrams cost one pass over
    /// the characters and mark the same words (a morpheme's characters are its bigrams).
    fn snippet_generator(
        &self,
        searcher: &Searcher,
        query: &dyn tantivy::query::Query,
    ) -> tantivy::Result<SnippetGenerator> {
        let mut terms = std::collections::BTreeSet::new();
        query.query_terms(&mut |term, _| {
            if term.field() == self.fields.grams {
                terms.insert(term.clone());
            }
        });
        let mut weighted = BTreeMap::new();
        for term in terms {
            let Some(text) = term.value().as_str().map(str::to_string) else { continue };
            let doc_freq = searcher.doc_freq(&term)?;
            if doc_freq > 0 {
                weighted.insert(text, 1.0 / (1.0 + doc_freq as f32));
            }
        }
        let analyzer = tantivy::tokenizer::TextAnalyzer::from(sosik_ko::BigramTokenizer::with_source_offsets());
        Ok(SnippetGenerator::new(weighted, analyzer, self.fields.body, SNIPPET_CHARS))
    }

    /// The newest item's date (the reference "today" of offline evaluations).
    pub fn newest_date(&self) -> Option<chrono::NaiveDate> {
        self.meta.iter().map(|m| m.date).max()
    }

    /// [`Engine::rank`] for a search request: sorted as it asks, then collapsed to one entry per
    /// near-duplicate group; beside it, one item for every group that matched: its first matching
    /// copy in ord order. Totals and facets count those, so they depend on what matched, not on
    /// how much of it was ranked.
    fn rank_collapsed(
        &self,
        searcher: &Searcher,
        q: &str,
        req: &SearchRequest,
        filters: &Filters,
        depth: usize,
        scope: Scope,
    ) -> Result<(Ranking, Vec<ItemOrd>, Vec<ItemOrd>), EngineError> {
        let mut ranking = self.rank(searcher, q, req.mode, filters, depth, scope)?;
        if req.sort == SortOrder::Fresh && !q.trim().is_empty() {
            self.lift_recent(&mut ranking.ranked, q, req.mode);
        }
        if req.sort == SortOrder::Date {
            // stable: items of the same day keep their relevance order (every match is ranked)
            ranking.ranked.sort_by(|a, b| self.meta[b.0].date.cmp(&self.meta[a.0].date));
        }
        let matches = ranking.matches.take().unwrap_or_else(|| {
            let mut all = FixedBitSet::with_capacity(self.meta.len());
            ranking.ranked.iter().for_each(|r| all.insert(r.0.index()));
            all
        });
        self.collapse(&mut ranking.ranked);
        let groups = self.one_per_group(&matches);
        let near = match &ranking.near {
            Some(near) => {
                // a group counts once: by a copy that passes every filter if it has one
                let mut first = self.first_of_group();
                groups.iter().for_each(|&o| {
                    first(o);
                });
                near.ones().map(ItemOrd::new).filter(|&o| first(o)).collect()
            }
            None => Vec::new(),
        };
        Ok((ranking, groups, near))
    }

    /// The items matching `q` and the filters, best first (copies not yet collapsed). Each mode
    /// ranks a set of matching items — BM25 every item with a query morpheme, the vector leg the
    /// `depth` nearest, hybrid the union of both. Without a query: every item the filters keep,
    /// newest first.
    pub(crate) fn rank(
        &self,
        searcher: &Searcher,
        q: &str,
        mode: SearchMode,
        filters: &Filters,
        depth: usize,
        scope: Scope,
    ) -> Result<Ranking, EngineError> {
        let filters = self.compile(filters);
        let keep = |ord: ItemOrd| self.table.accepts(ord, &filters);
        let is_near = |ord: ItemOrd| self.table.near(ord, &filters);
        let selects = filters.selects();
        let lexical_keep = collect::Keep { rank: &keep, near: selects.then_some(&is_near as &dyn Fn(ItemOrd) -> bool) };
        let near_of = |items: &mut dyn Iterator<Item = ItemOrd>| -> FixedBitSet {
            let mut set = FixedBitSet::with_capacity(self.meta.len());
            items.filter(|&o| is_near(o)).for_each(|o| set.insert(o.index()));
            set
        };
        if q.trim().is_empty() {
            let mut ranked: Ranked = ItemOrd::all(self.meta.len()).filter(|&o| keep(o)).map(|o| (o, 0.0)).collect();
            ranked.sort_by(|a, b| self.meta[b.0].date.cmp(&self.meta[a.0].date).then(a.0.cmp(&b.0)));
            let near = selects.then(|| near_of(&mut ItemOrd::all(self.meta.len())));
            return Ok(Ranking {
                lexical: Vec::new(),
                semantic: Vec::new(),
                ranked,
                matches: None,
                near,
                text_query: None,
            });
        }
        let text_query = self.text_query(q);
        let tq = text_query.as_ref();
        let titled = self.titles.lookup(q);
        // A post's title puts that post's items first in their BM25 order, which only ranking
        // every match knows (an item below the head has no rank).
        let scope = if titled.is_some() { Scope::All } else { scope };
        // The BM25 leg alone: its exact head and the matches as a set, or every match ranked.
        // Hybrid search scores every lexical match, since fusion reads the lexical rank of every
        // item the vector leg ranks; with a head, it sorts only the best `depth` and counts the
        // ranks of the vector leg's items below them (`fusion::rrf_head`), otherwise it sorts
        // every match and fuses them all.
        let ((lexical, mut matches, near), semantic, mut ranked) = match mode {
            SearchMode::Bm25 => match scope {
                Scope::All => {
                    let (lexical, near) = self.bm25(searcher, tq, &lexical_keep)?;
                    let ranked = lexical.clone();
                    ((lexical, None, near), Vec::new(), ranked)
                }
                Scope::Head => {
                    let (lexical, matches, near) = self.bm25_top(searcher, tq, depth, &lexical_keep)?;
                    let ranked = lexical.clone();
                    ((lexical, matches, near), Vec::new(), ranked)
                }
            },
            SearchMode::Vector => {
                let semantic = self.vector(q, depth, &keep)?;
                // the neighbours that miss one field's selection: a second scan within the
                // relaxed filters
                let near = match selects {
                    true => {
                        Some(near_of(&mut self.vector(q, depth, &|o| keep(o) || is_near(o))?.into_iter().map(|r| r.0)))
                    }
                    false => None,
                };
                let ranked = semantic.clone();
                ((Vec::new(), None, near), semantic, ranked)
            }
            SearchMode::Hybrid => {
                let (mut lexical, near, v) = match self.cached_query_vector(q) {
                    Some(v) => {
                        let (lexical, near) = self.bm25_matches(searcher, tq, &lexical_keep)?;
                        (lexical, near, v)
                    }
                    // A new query: the model embeds it on another thread while BM25 runs on this
                    // one (each takes a few milliseconds; on 2 cores they overlap).
                    None => {
                        let (lexical, v) = std::thread::scope(|s| {
                            let embedding = s.spawn(|| self.embed_query(q));
                            let lexical = self.bm25_matches(searcher, tq, &lexical_keep);
                            // a panic in the model is re-raised here, as if it had run on this thread
                            (lexical, embedding.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                        });
                        let (v, (lexical, near)) = (v?, lexical?);
                        (lexical, near, v)
                    }
                };
                let f = self.fusion;
                // the lexical leg's head (every match with `Scope::All`), best first; the rest
                // of the matches after it in no order
                let (head, all) = match scope {
                    Scope::All => {
                        lexical.sort_by(fusion::by_score);
                        (lexical.len(), None)
                    }
                    Scope::Head => {
                        let mut all = FixedBitSet::with_capacity(self.meta.len());
                        lexical.iter().for_each(|r| all.insert(r.0.index()));
                        (fusion::head_first(&mut lexical, depth), Some(all))
                    }
                };
                let v = self.feedback(q, &v, &lexical[..head]);
                let semantic = self.vectors.top_k(&v, depth, keep);
                let ranked = fusion::rrf_head(&lexical, head, &semantic, (f.bm25_weight, f.vector_weight), f.k);
                lexical.truncate(head);
                ((lexical, all, near), semantic, ranked)
            }
        };
        // A post's whole title is exact lexical evidence: the modes that read words put that
        // post's items first (the vector leg alone stays purely semantic).
        if mode != SearchMode::Vector {
            if let Some(items) = titled {
                titles::promote(&mut ranked, items, &keep);
            }
        }
        if let Some(m) = &mut matches {
            // what the vector leg and a post's title bring are matches too
            ranked.iter().for_each(|r| m.insert(r.0.index()));
        }
        Ok(Ranking { lexical, semantic, ranked, matches, near, text_query })
    }

    /// The vector the hybrid search's vector leg uses for `q`: `v`, or with pseudo-relevance
    /// feedback from the BM25 leg's first hits (see [`Fusion::feedback_weight`]).
    fn feedback(&self, q: &str, v: &[f32], lexical: &[(ItemOrd, f32)]) -> Vec<f32> {
        if !fusion::feedback_applies(q) {
            return v.to_vec();
        }
        let top = &lexical[..lexical.len().min(fusion::FEEDBACK_DOCS)];
        fusion::fed_back(v, top.iter().map(|&(ord, _)| self.vectors.row(ord)), self.fusion.feedback_weight)
    }

    /// `sort=fresh`: each score times [`fusion::recency_factor`] of the item's age (from the
    /// index's newest item), re-sorted; the items of a post whose whole title `q` is stay first,
    /// as in every other order.
    fn lift_recent(&self, ranked: &mut Ranked, q: &str, mode: SearchMode) {
        let Some(newest) = self.table.newest_day else { return };
        let (w, half_life) = (self.fusion.recency_weight, self.fusion.recency_half_life_days);
        let titled: HashSet<ItemOrd> = match mode {
            SearchMode::Vector => HashSet::new(),
            _ => self.titles.lookup(q).map(|items| items.iter().copied().collect()).unwrap_or_default(),
        };
        for (ord, score) in ranked.iter_mut() {
            if !titled.contains(ord) {
                *score *= fusion::recency_factor(i64::from(newest - self.table.day[*ord]), w, half_life);
            }
        }
        // the title's items lead with the top score, as promotion gave them, now the lifted top
        let top = ranked.iter().filter(|r| !titled.contains(&r.0)).map(|r| r.1).fold(f32::MIN, f32::max);
        for (ord, score) in ranked.iter_mut() {
            if titled.contains(ord) {
                *score = score.max(top);
            }
        }
        // stable: the title's items keep the order promotion gave them
        ranked.sort_by(|a, b| match (titled.contains(&a.0), titled.contains(&b.0)) {
            (true, true) => std::cmp::Ordering::Equal,
            (false, false) => fusion::by_score(a, b),
            (a_titled, b_titled) => b_titled.cmp(&a_titled),
        });
    }

    /// The story thread a query names, judged from its first hits (`ranked`, one per
    /// near-duplicate group): the first hit's thread, when its items are at least
    /// [`NAMED_STORY_HITS`] of the first [`NAMED_STORY_TOP`] hits — or all of a thread with fewer
    /// groups than that, two at least. A query that merely touches a big thread (오픈AI) holds
    /// one or two of its items among many others; one that names the story holds several.
    fn named_story(&self, ranked: &Ranked) -> Result<Option<sosik_types::StorySummary>, EngineError> {
        let Some(thread) = ranked.first().and_then(|r| self.threads[r.0]) else { return Ok(None) };
        let members = &self.thread_members[&thread];
        let groups = members.iter().map(|&o| self.groups[o]).collect::<HashSet<_>>().len();
        let among = ranked.iter().take(NAMED_STORY_TOP).filter(|r| self.threads[r.0] == Some(thread)).count();
        if among < NAMED_STORY_HITS.min(groups).max(2) {
            return Ok(None);
        }
        self.story_summary(thread, members).map(Some)
    }

    /// One entry per near-duplicate group: the first (best-ranked) copy stands for it.
    pub(crate) fn collapse(&self, ranked: &mut Ranked) {
        let mut first = self.first_of_group();
        ranked.retain(|&(ord, _)| first(ord));
    }

    /// One item per near-duplicate group in `matches`: its first copy there, in ord order.
    fn one_per_group(&self, matches: &FixedBitSet) -> Vec<ItemOrd> {
        let mut first = self.first_of_group();
        matches.ones().map(ItemOrd::new).filter(|&o| first(o)).collect()
    }

    /// A filter passing the first item it is shown of each near-duplicate group (group ids are
    /// ords: a flat bitmap instead of hashing every match).
    fn first_of_group(&self) -> impl FnMut(ItemOrd) -> bool + '_ {
        let mut seen = vec![false; self.groups.len()];
        move |ord| !std::mem::replace(&mut seen[self.groups[ord].first()], true)
    }

    /// Every item of the index in ord order, with its main vector and near-duplicate group
    /// (for offline evaluations that regroup the corpus).
    pub fn corpus(&self) -> Result<Corpus, EngineError> {
        let searcher = self.searcher();
        let items = ItemOrd::all(self.docs.len()).map(|o| self.item_at(&searcher, o)).collect::<Result<Vec<_>, _>>()?;
        let vectors = ItemOrd::all(self.docs.len()).map(|o| self.vectors.row(o).to_vec()).collect();
        Ok((items, vectors, self.groups.clone()))
    }

    pub(crate) fn ord_of(&self, id: &str) -> Option<ItemOrd> {
        self.ids.get(id).copied()
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The words of item titles as the index has them (the Korean analyzer's content
    /// morphemes, lower-cased) that at least `min_items` items have in their title, each with
    /// that count (near-duplicate copies included).
    pub(crate) fn title_words(&self, min_items: u64) -> Result<Vec<(String, u64)>, EngineError> {
        let bad_text = |e| check::tantivy(&self.dir, e);
        let mut counts: HashMap<String, u64> = HashMap::new();
        for segment in self.searcher().segment_readers() {
            let inverted = segment.inverted_index(self.fields.title).map_err(bad_text)?;
            let mut terms = inverted.terms().stream().map_err(|e| bad_text(e.into()))?;
            while terms.advance() {
                let Ok(word) = std::str::from_utf8(terms.key()) else { continue };
                *counts.entry(word.to_owned()).or_default() += u64::from(terms.value().doc_freq);
            }
        }
        Ok(counts
            .into_iter()
            .filter(|(w, n)| {
                *n >= min_items && w.chars().count() >= 2 && !w.chars().all(|c| c.is_ascii_digit() || c == '.')
            })
            .collect())
    }
}

/// `filters` with its date range narrowed to `from..=to`; `None` when the two do not meet.
fn within(filters: &Filters, from: chrono::NaiveDate, to: chrono::NaiveDate) -> Option<Filters> {
    let from = filters.from.map_or(from, |f| f.max(from));
    let to = filters.to.map_or(to, |t| t.min(to));
    (from <= to).then(|| Filters { from: Some(from), to: Some(to), ..filters.clone() })
}
