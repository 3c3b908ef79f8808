//! The search engine over a built index: BM25 (tantivy + Korean morphemes), exact vector
//! search, their reciprocal-rank fusion, filters, facets and similar items.

use std::collections::{BTreeMap, HashMap};
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use sosik_embed::Embedder;
use sosik_ko::{Analyzer, KoTokenizer};
use sosik_types::{
    Duplicate, Explain, FacetCount, Facets, Hit, Item, LegRank, SearchMode, SearchResponse, SortOrder, Source,
};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::snippet::SnippetGenerator;
use tantivy::{
    DocAddress, DocId, Index, IndexReader, ReloadPolicy, Score, Searcher, SegmentOrdinal, SegmentReader,
    TantivyDocument, Term,
};

use crate::catalog::{Catalog, Tagger};
use crate::error::IndexerError;
use crate::manifest::Manifest;
use crate::model::NewsItem;
use crate::schema::{Fields, FIELD_BOOSTS};
use crate::vectors::VectorStore;
use crate::{CATALOG_FILE, TANTIVY_DIR};

/// Largest `limit` a search accepts.
pub const MAX_LIMIT: usize = 100;
/// Deepest page (`offset`) a search serves.
pub const MAX_OFFSET: usize = 1000;
/// Longest query, in characters.
pub const MAX_QUERY_CHARS: usize = 500;
/// Nearest items the vector leg ranks (at least; more for deep pages).
const FUSION_DEPTH: usize = 100;
/// How the two legs of a hybrid search are fused: score = Σ weight / (k + rank).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fusion {
    pub k: f32,
    pub bm25_weight: f32,
    pub vector_weight: f32,
}

impl Default for Fusion {
    /// BM25 counts half as much as the vector leg: on the dev query set it is the weaker leg
    /// (nDCG@10 0.37 vs 0.61), and equal weights let its noise pull hybrid below the vector leg
    /// (0.58); at 0.5 hybrid leads both (see README, "Relevance").
    fn default() -> Self {
        Fusion { k: 60.0, bm25_weight: 0.5, vector_weight: 1.0 }
    }
}
/// Weight of a company alias that is not the spelling the user typed.
const ALIAS_BOOST: f32 = 0.8;
/// How many extra positions a proximity match may span, and what it weighs.
const PROXIMITY_SLOP: u32 = 3;
const PROXIMITY_BOOST: f32 = 1.0;
/// Values listed per facet (months: all).
const FACET_VALUES: usize = 30;

/// Restrictions on which items a search may return; all given ones must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    /// Company slug.
    pub company: Option<String>,
    /// Topic slug.
    pub topic: Option<String>,
    /// Source domain (`techcrunch.com`).
    pub source: Option<String>,
    /// Inclusive date range.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchRequest {
    pub q: String,
    pub mode: SearchMode,
    pub limit: usize,
    pub offset: usize,
    pub filters: Filters,
    pub sort: SortOrder,
    /// Report each leg's rank and score per hit.
    pub explain: bool,
}

impl SearchRequest {
    /// A relevance-sorted, unfiltered request for the first `limit` hits.
    pub fn new(q: impl Into<String>, mode: SearchMode, limit: usize) -> SearchRequest {
        SearchRequest {
            q: q.into(),
            mode,
            limit,
            offset: 0,
            filters: Filters::default(),
            sort: SortOrder::Relevance,
            explain: false,
        }
    }

    pub fn validate(&self) -> Result<(), IndexerError> {
        let invalid = |param, reason: String| Err(IndexerError::InvalidParam { param, reason });
        if self.q.chars().count() > MAX_QUERY_CHARS {
            return invalid("q", format!("longer than {MAX_QUERY_CHARS} characters"));
        }
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return invalid("limit", format!("must be between 1 and {MAX_LIMIT}"));
        }
        if self.offset > MAX_OFFSET {
            return invalid("offset", format!("must be at most {MAX_OFFSET}"));
        }
        if let (Some(from), Some(to)) = (self.filters.from, self.filters.to) {
            if from > to {
                return invalid("from", format!("{from} is after `to` ({to})"));
            }
        }
        Ok(())
    }
}

/// Every item in ord order, its main vector and its near-duplicate group ([`Engine::corpus`]).
pub type Corpus = (Vec<NewsItem>, Vec<Vec<f32>>, Vec<u32>);

/// One leg's ranked candidates: (ord, score).
pub(crate) type Ranked = Vec<(usize, f32)>;

/// What [`Engine::rank`] found: each leg, their fusion and the BM25 query (for snippets).
pub(crate) struct Ranking {
    pub(crate) lexical: Ranked,
    pub(crate) semantic: Ranked,
    pub(crate) ranked: Ranked,
    pub(crate) text_query: Option<Box<dyn Query>>,
}

/// The per-item fields the explore views read, kept in memory (filters and facets read the
/// compact [`Table`]: at 100k items a common query matches tens of thousands, and hashing and
/// comparing strings for each was half of a BM25 search — see BENCHMARKS.md).
pub(crate) struct Meta {
    pub(crate) id: String,
    pub(crate) date: NaiveDate,
    pub(crate) post_path: String,
    pub(crate) companies: Vec<String>,
    pub(crate) topics: Vec<String>,
}

/// Compressed rows of small ids: item `i` has `ids[start[i]..start[i + 1]]`.
#[derive(Default)]
struct Rows {
    start: Vec<u32>,
    ids: Vec<u32>,
}

impl Rows {
    fn push(&mut self, ids: &[u32]) {
        if self.start.is_empty() {
            self.start.push(0);
        }
        self.ids.extend_from_slice(ids);
        self.start.push(self.ids.len() as u32);
    }

    fn of(&self, i: usize) -> &[u32] {
        &self.ids[self.start[i] as usize..self.start[i + 1] as usize]
    }
}

/// What filters and facets read per item, as flat arrays of small numbers: a scan over tens of
/// thousands of matches then touches a few bytes per item instead of a struct of strings.
#[derive(Default)]
struct Table {
    day: Vec<i32>,
    /// Months since year 0 (`year * 12 + month - 1`).
    month: Vec<u32>,
    companies: Rows,
    topics: Rows,
    /// Distinct per item (an item citing one domain twice counts once).
    domains: Rows,
}

impl Table {
    fn accepts(&self, ord: usize, f: &CompiledFilters) -> bool {
        f.company.is_none_or(|c| self.companies.of(ord).contains(&c))
            && f.topic.is_none_or(|t| self.topics.of(ord).contains(&t))
            && f.source.is_none_or(|d| self.domains.of(ord).contains(&d))
            && f.from.is_none_or(|from| self.day[ord] >= from)
            && f.to.is_none_or(|to| self.day[ord] <= to)
    }
}

/// Strings ↔ dense ids.
#[derive(Default)]
struct Interner {
    names: Vec<String>,
    ids: HashMap<String, u32>,
}

impl Interner {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_string());
        self.ids.insert(name.to_string(), id);
        id
    }

    /// The id of `name`; a name no item has gets an id no item has, so it matches nothing.
    fn lookup(&self, name: &str) -> u32 {
        self.ids.get(name).copied().unwrap_or(u32::MAX)
    }

    fn intern_all(&mut self, names: &[String]) -> Vec<u32> {
        names.iter().map(|n| self.intern(n)).collect()
    }
}

/// [`Filters`] with their values turned into the ids and day numbers of the item table.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct CompiledFilters {
    company: Option<u32>,
    topic: Option<u32>,
    source: Option<u32>,
    from: Option<i32>,
    to: Option<i32>,
}

fn month_of(d: NaiveDate) -> u32 {
    d.year() as u32 * 12 + d.month0()
}

/// Collects every matching document as (ord, score): totals and facets need the whole match
/// set, not only the top.
struct AllMatches;

struct AllMatchesSegment {
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
            self.out.push((ord as usize, score));
        }
    }

    fn harvest(self) -> Ranked {
        self.out
    }
}

fn by_score(a: &(usize, f32), b: &(usize, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

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
    pub(crate) meta: Vec<Meta>,
    table: Table,
    companies_ids: Interner,
    topics_ids: Interner,
    domains_ids: Interner,
    ids: HashMap<String, usize>,
    /// `ord` → its near-duplicate group (see [`crate::duplicates`]).
    pub(crate) groups: Vec<u32>,
    /// Groups of more than one item → their members in ord order.
    pub(crate) members: HashMap<u32, Vec<usize>>,
    /// `ord` → its story thread (see [`crate::stories`]).
    pub(crate) threads: Vec<Option<u32>>,
    /// Story thread → its items in date order (then ord).
    pub(crate) thread_members: BTreeMap<u32, Vec<usize>>,
    /// Company and topic lists with their counts, computed on first use.
    pub(crate) entity_lists: std::sync::OnceLock<crate::explore::EntityLists>,
    embedder: &'static Embedder,
    query_vectors: Mutex<lru::LruCache<String, Vec<f32>>>,
    fusion: Fusion,
}

impl Engine {
    /// Opens the index in `dir`, with the Korean dictionary in `dictionary` and the embedder for
    /// queries. Refuses an incomplete or damaged index — naming the file and what is wrong with
    /// it, expected against found — or one built with another model.
    pub fn open(dir: &Path, dictionary: &Path, embedder: &'static Embedder) -> Result<Engine, IndexerError> {
        // Resolve the index link once: every file below comes from one build even if another is
        // published meanwhile (see [`crate::layout`]); [`Engine::dir`] is that version directory.
        let resolved = crate::layout::resolve(dir).unwrap_or_else(|_| dir.to_path_buf());
        let dir = resolved.as_path();
        let manifest = Manifest::read(dir)?;
        if manifest.model_id != embedder.model_id() || manifest.dim != sosik_embed::DIM {
            return Err(IndexerError::BadIndex {
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
        let catalog: Catalog = crate::files::read_json(dir, CATALOG_FILE)?;
        // The same user dictionary as at build time, so queries tokenise like the documents.
        let analyzer = Analyzer::open(dictionary, &catalog.user_words())?;
        let tagger = Tagger::new(&catalog, &analyzer);
        // Tantivy's errors name no file in words of ours: each is turned into a refusal that does.
        let bad_text = |e| crate::files::tantivy(dir, e);
        let index = Index::open_in_dir(dir.join(TANTIVY_DIR)).map_err(bad_text)?;
        crate::files::check_segments(dir, &index)?;
        index.tokenizers().register(sosik_ko::TOKENIZER_NAME, KoTokenizer::new(analyzer.clone()));
        let fields = Fields::resolve(&index.schema()).map_err(bad_text)?;
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(bad_text)?;
        let searcher = reader.searcher();
        let mut docs = vec![DocAddress::new(u32::MAX, 0); manifest.items];
        for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
            let ords = segment.fast_fields().u64("ord").map_err(bad_text)?;
            for doc in segment.doc_ids_alive() {
                let ord = ords.first(doc).unwrap_or(u64::MAX) as usize;
                if ord < docs.len() {
                    docs[ord] = DocAddress::new(segment_ord as u32, doc);
                }
            }
        }
        if docs.iter().any(|d| d.segment_ord == u32::MAX) || searcher.num_docs() as usize != manifest.items {
            return Err(crate::files::bad(
                dir,
                &format!("{TANTIVY_DIR}/"),
                format_args!(
                    "holds {} items, {} counts {}",
                    searcher.num_docs(),
                    crate::manifest::FILE_NAME,
                    manifest.items
                ),
            ));
        }
        let vectors = VectorStore::open(dir, manifest.dim, manifest.items)?;
        let mut meta = Vec::with_capacity(docs.len());
        let mut ids = HashMap::with_capacity(docs.len());
        let (mut companies_ids, mut topics_ids, mut domains_ids) =
            (Interner::default(), Interner::default(), Interner::default());
        let mut table = Table::default();
        for (ord, addr) in docs.iter().enumerate() {
            let item = load_item(dir, &searcher, fields, *addr)?;
            ids.insert(item.id.clone(), ord);
            let domains: Vec<String> = item.sources.into_iter().map(|s| s.domain).collect();
            let mut domain_ids = domains_ids.intern_all(&domains);
            domain_ids.sort_unstable();
            domain_ids.dedup();
            table.day.push(crate::day_number(item.date) as i32);
            table.month.push(month_of(item.date));
            table.companies.push(&companies_ids.intern_all(&item.companies));
            table.topics.push(&topics_ids.intern_all(&item.topics));
            table.domains.push(&domain_ids);
            meta.push(Meta {
                id: item.id.clone(),
                date: item.date,
                post_path: item.post_path,
                companies: item.companies,
                topics: item.topics,
            });
        }
        let groups = crate::duplicates::read(dir, docs.len())?;
        let mut members: HashMap<u32, Vec<usize>> = HashMap::new();
        for (ord, &g) in groups.iter().enumerate() {
            members.entry(g).or_default().push(ord);
        }
        members.retain(|_, m| m.len() > 1);
        let threads = crate::stories::read(dir, docs.len())?;
        let mut thread_members: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
        for (ord, t) in threads.iter().enumerate() {
            if let Some(t) = t {
                thread_members.entry(*t).or_default().push(ord);
            }
        }
        for m in thread_members.values_mut() {
            m.sort_by_key(|&o| (meta[o].date, o));
        }
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
            meta,
            table,
            companies_ids,
            topics_ids,
            domains_ids,
            ids,
            groups,
            members,
            threads,
            thread_members,
            entity_lists: std::sync::OnceLock::new(),
            embedder,
            query_vectors: Mutex::new(lru::LruCache::new(NonZeroUsize::new(4096).expect("non-zero"))),
            fusion: Fusion::default(),
        })
    }

    /// Sets how hybrid search fuses its legs.
    pub fn set_fusion(&mut self, fusion: Fusion) {
        self.fusion = fusion;
    }

    pub fn fusion(&self) -> Fusion {
        self.fusion
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    pub fn search(&self, req: &SearchRequest) -> Result<SearchResponse, IndexerError> {
        req.validate()?;
        let started = Instant::now();
        let searcher = self.reader.searcher();
        let depth = (req.offset + req.limit).max(FUSION_DEPTH);
        let Ranking { lexical, semantic, mut ranked, text_query } =
            self.rank(&searcher, &req.q, req.mode, &req.filters, depth)?;
        let legs = req.explain.then(|| {
            let ranks = |leg: &Ranked| -> HashMap<usize, LegRank> {
                leg.iter().enumerate().map(|(i, &(ord, score))| (ord, LegRank { rank: i + 1, score })).collect()
            };
            (ranks(&lexical), ranks(&semantic))
        });
        if req.sort == SortOrder::Date {
            // stable: items of the same day keep their relevance order
            ranked.sort_by(|a, b| self.meta[b.0].date.cmp(&self.meta[a.0].date));
        }
        self.collapse(&mut ranked);
        let facets = self.facets(&ranked);
        let snippets = match &text_query {
            Some(q) => {
                let mut g = SnippetGenerator::create(&searcher, q.as_ref(), self.fields.body)?;
                g.set_max_num_chars(220);
                Some(g)
            }
            None => None,
        };
        let mut hits = Vec::new();
        for &(ord, score) in ranked.iter().skip(req.offset).take(req.limit) {
            let item = self.item_at(&searcher, ord)?;
            let snippet = snippets.as_ref().map(|g| g.snippet(&item.body)).filter(|s| !s.is_empty()).map(|mut s| {
                s.set_snippet_prefix_postfix("<mark>", "</mark>");
                s.to_html()
            });
            let mut hit = self.hit(&searcher, ord, item, score, snippet)?;
            if let Some((bm25, vector)) = &legs {
                hit.explain = Some(Explain { bm25: bm25.get(&ord).copied(), vector: vector.get(&ord).copied() });
            }
            hits.push(hit);
        }
        let took_ms = started.elapsed().as_secs_f64() * 1000.0;
        Ok(SearchResponse { total: ranked.len() as u64, took_ms, hits, facets })
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
    ) -> Result<Ranking, IndexerError> {
        let filters = self.compile(filters);
        let keep = |ord: usize| self.table.accepts(ord, &filters);
        if q.trim().is_empty() {
            let mut ranked: Ranked = (0..self.meta.len()).filter(|&o| keep(o)).map(|o| (o, 0.0)).collect();
            ranked.sort_by(|a, b| self.meta[b.0].date.cmp(&self.meta[a.0].date).then(a.0.cmp(&b.0)));
            return Ok(Ranking { lexical: Vec::new(), semantic: Vec::new(), ranked, text_query: None });
        }
        let text_query = self.text_query(q);
        let (lexical, semantic) = match mode {
            SearchMode::Bm25 => (self.bm25(searcher, text_query.as_deref(), &keep)?, Vec::new()),
            SearchMode::Vector => (Vec::new(), self.vector(q, depth, &keep)?),
            SearchMode::Hybrid => match self.cached_query_vector(q) {
                Some(v) => (self.bm25(searcher, text_query.as_deref(), &keep)?, self.vectors.top_k(&v, depth, keep)),
                // A new query: the model embeds it on another thread while BM25 runs on this one
                // (each takes a few milliseconds; on 2 cores they overlap).
                None => {
                    let (lexical, v) = std::thread::scope(|s| {
                        let embedding = s.spawn(|| self.embed_query(q));
                        let lexical = self.bm25(searcher, text_query.as_deref(), &keep);
                        // a panic in the model is re-raised here, as if it had run on this thread
                        (lexical, embedding.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
                    });
                    let v = v?;
                    (lexical?, self.vectors.top_k(&v, depth, keep))
                }
            },
        };
        let ranked = match mode {
            SearchMode::Bm25 => lexical.clone(),
            SearchMode::Vector => semantic.clone(),
            SearchMode::Hybrid => {
                let f = self.fusion;
                rrf(&[(&lexical, f.bm25_weight), (&semantic, f.vector_weight)], f.k)
            }
        };
        Ok(Ranking { lexical, semantic, ranked, text_query })
    }

    /// One entry per near-duplicate group: the first (best-ranked) copy stands for it.
    pub(crate) fn collapse(&self, ranked: &mut Ranked) {
        // group ids are ords: a flat bitmap instead of hashing every match
        let mut seen = vec![false; self.groups.len()];
        ranked.retain(|&(ord, _)| !std::mem::replace(&mut seen[self.groups[ord] as usize], true));
    }

    /// The hit for the item at `ord`, with its other copies and its story.
    pub(crate) fn hit(
        &self,
        searcher: &Searcher,
        ord: usize,
        item: NewsItem,
        score: f32,
        snippet: Option<String>,
    ) -> Result<Hit, IndexerError> {
        let mut hit = to_hit(item, score, snippet);
        let group = self.members.get(&self.groups[ord]).map_or(&[][..], Vec::as_slice);
        for &other in group.iter().filter(|&&o| o != ord) {
            let m = &self.meta[other];
            let d = self.item_at(searcher, other)?;
            hit.also_in.push(Duplicate {
                id: m.id.clone(),
                post_path: m.post_path.clone(),
                title: d.title,
                date: m.date.format("%Y-%m-%d").to_string(),
            });
        }
        hit.story = self.story_id(ord);
        Ok(hit)
    }

    /// The id of the story thread the item at `ord` is in: the id of the thread's first item.
    pub(crate) fn story_id(&self, ord: usize) -> Option<String> {
        self.threads[ord].map(|t| self.meta[t as usize].id.clone())
    }

    /// A hit for the item at `ord` (its copies and story included), with the plain snippet.
    pub(crate) fn plain_hit(&self, searcher: &Searcher, ord: usize, score: f32) -> Result<Hit, IndexerError> {
        let item = self.item_at(searcher, ord)?;
        self.hit(searcher, ord, item, score, None)
    }

    /// Every item of the index in ord order, with its main vector and near-duplicate group
    /// (for offline evaluations that regroup the corpus).
    pub fn corpus(&self) -> Result<Corpus, IndexerError> {
        let searcher = self.searcher();
        let items = (0..self.docs.len()).map(|o| self.item_at(&searcher, o)).collect::<Result<Vec<_>, _>>()?;
        let vectors = (0..self.docs.len()).map(|o| self.vectors.row(o).to_vec()).collect();
        Ok((items, vectors, self.groups.clone()))
    }

    pub(crate) fn ord_of(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }

    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// The filters with their values as item-table ids.
    pub(crate) fn compile(&self, f: &Filters) -> CompiledFilters {
        CompiledFilters {
            company: f.company.as_deref().map(|c| self.companies_ids.lookup(c)),
            topic: f.topic.as_deref().map(|t| self.topics_ids.lookup(t)),
            source: f.source.as_deref().map(|d| self.domains_ids.lookup(d)),
            from: f.from.map(|d| crate::day_number(d) as i32),
            to: f.to.map(|d| crate::day_number(d) as i32),
        }
    }

    /// Whether the item at `ord` passes `filters`.
    pub(crate) fn accepts(&self, ord: usize, filters: &CompiledFilters) -> bool {
        self.table.accepts(ord, filters)
    }

    fn facets(&self, ranked: &Ranked) -> Facets {
        let mut companies = vec![0u64; self.companies_ids.names.len()];
        let mut topics = vec![0u64; self.topics_ids.names.len()];
        let mut sources = vec![0u64; self.domains_ids.names.len()];
        let mut months: BTreeMap<u32, u64> = BTreeMap::new();
        let mut last_month: Option<(u32, u64)> = None; // items come in runs of one month
        let t = &self.table;
        for &(ord, _) in ranked {
            t.companies.of(ord).iter().for_each(|&c| companies[c as usize] += 1);
            t.topics.of(ord).iter().for_each(|&x| topics[x as usize] += 1);
            t.domains.of(ord).iter().for_each(|&d| sources[d as usize] += 1);
            let m = t.month[ord];
            match &mut last_month {
                Some((month, n)) if *month == m => *n += 1,
                _ => {
                    if let Some((month, n)) = last_month.take() {
                        *months.entry(month).or_default() += n;
                    }
                    last_month = Some((m, 1));
                }
            }
        }
        if let Some((month, n)) = last_month {
            *months.entry(month).or_default() += n;
        }
        let top = |counts: Vec<u64>, names: &Interner| {
            let mut v: Vec<(u64, &str)> = counts
                .into_iter()
                .enumerate()
                .filter(|(_, n)| *n > 0)
                .map(|(id, n)| (n, names.names[id].as_str()))
                .collect();
            v.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
            v.truncate(FACET_VALUES);
            v.into_iter().map(|(count, value)| FacetCount { value: value.to_string(), count }).collect()
        };
        Facets {
            companies: top(companies, &self.companies_ids),
            topics: top(topics, &self.topics_ids),
            sources: top(sources, &self.domains_ids),
            months: months
                .into_iter()
                .map(|(m, count)| FacetCount { value: format!("{:04}-{:02}", m / 12, m % 12 + 1), count })
                .collect(),
        }
    }

    /// The item with this id.
    pub fn item(&self, id: &str) -> Result<Option<Item>, IndexerError> {
        let Some(&ord) = self.ids.get(id) else { return Ok(None) };
        let n = self.item_at(&self.reader.searcher(), ord)?;
        Ok(Some(Item {
            id: n.id,
            post_path: n.post_path,
            post_title: n.post_title,
            date: n.date.format("%Y-%m-%d").to_string(),
            position: n.position,
            title: n.title,
            summary: n.summary,
            why: n.why,
            body: n.body,
            sources: n.sources.into_iter().map(|s| Source { title: s.title, url: s.url }).collect(),
            companies: n.companies,
            topics: n.topics,
            story: self.story_id(ord),
        }))
    }

    /// The nearest items by embedding that are other stories: neither the item itself nor
    /// anything from its post. `None` when no item has this id.
    pub fn similar(&self, id: &str, limit: usize) -> Result<Option<Vec<Hit>>, IndexerError> {
        if limit == 0 || limit > MAX_LIMIT {
            return Err(IndexerError::InvalidParam {
                param: "limit",
                reason: format!("must be between 1 and {MAX_LIMIT}"),
            });
        }
        let Some(&ord) = self.ids.get(id) else { return Ok(None) };
        let post = &self.meta[ord].post_path;
        let near = self.vectors.top_k(self.vectors.row(ord), limit, |o| o != ord && &self.meta[o].post_path != post);
        let searcher = self.reader.searcher();
        let hits = near
            .into_iter()
            .map(|(o, score)| {
                let mut hit = to_hit(self.item_at(&searcher, o)?, score, None);
                hit.story = self.story_id(o);
                Ok(hit)
            })
            .collect::<Result<Vec<_>, IndexerError>>()?;
        Ok(Some(hits))
    }

    fn item_at(&self, searcher: &Searcher, ord: usize) -> Result<NewsItem, IndexerError> {
        load_item(&self.dir, searcher, self.fields, self.docs[ord])
    }

    /// The BM25 query: every content morpheme of `q`, in every text field with its boost, plus
    /// every other spelling of a company the query names. `None` when `q` has no content word.
    fn text_query(&self, q: &str) -> Option<Box<dyn Query>> {
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
            let schema = self.reader.searcher().schema().clone();
            let base = analysed[0].position;
            for name in ["title", "body"] {
                let field = schema.get_field(name).expect("schema field");
                let boost = FIELD_BOOSTS.iter().find(|(n, _)| *n == name).map_or(1.0, |(_, b)| *b);
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
    fn fielded(&self, pattern: &[String], boost: f32) -> Box<dyn Query> {
        let schema = self.reader.searcher().schema().clone();
        let per_field = FIELD_BOOSTS
            .iter()
            .map(|(name, field_boost)| {
                let field = schema.get_field(name).expect("schema field");
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
    fn bm25(
        &self,
        searcher: &Searcher,
        query: Option<&dyn Query>,
        keep: &dyn Fn(usize) -> bool,
    ) -> Result<Ranked, IndexerError> {
        let Some(query) = query else { return Ok(Vec::new()) };
        let mut all = searcher.search(query, &AllMatches)?;
        all.retain(|(ord, _)| keep(*ord));
        all.sort_by(by_score);
        Ok(all)
    }

    /// The `depth` items nearest to the query's embedding among those the filters keep.
    fn vector(&self, q: &str, depth: usize, keep: &dyn Fn(usize) -> bool) -> Result<Ranked, IndexerError> {
        let v = match self.cached_query_vector(q) {
            Some(v) => v,
            None => self.embed_query(q)?,
        };
        Ok(self.vectors.top_k(&v, depth, keep))
    }

    fn cached_query_vector(&self, q: &str) -> Option<Vec<f32>> {
        self.query_vectors.lock().unwrap_or_else(|p| p.into_inner()).get(q.trim()).cloned()
    }

    /// Embeds `q` with the model and caches its vector.
    fn embed_query(&self, q: &str) -> Result<Vec<f32>, IndexerError> {
        let key = q.trim().to_string();
        let v = self.embedder.embed_query(&key)?;
        self.query_vectors.lock().unwrap_or_else(|p| p.into_inner()).put(key, v.clone());
        Ok(v)
    }
}

fn load_item(dir: &Path, searcher: &Searcher, fields: Fields, addr: DocAddress) -> Result<NewsItem, IndexerError> {
    let doc: TantivyDocument = searcher.doc(addr).map_err(|e| crate::files::tantivy(dir, e))?;
    let json = doc.get_first(fields.item).and_then(|v| v.as_str()).unwrap_or("");
    serde_json::from_str(json).map_err(|e| {
        crate::files::bad(dir, &format!("{TANTIVY_DIR}/"), format_args!("holds an invalid stored item: {e}"))
    })
}

fn to_hit(item: NewsItem, score: f32, snippet: Option<String>) -> Hit {
    let snippet = snippet.unwrap_or_else(|| plain_snippet(&item));
    Hit {
        id: item.id,
        post_path: item.post_path,
        title: item.title,
        date: item.date.format("%Y-%m-%d").to_string(),
        snippet,
        score,
        companies: item.companies,
        topics: item.topics,
        sources: item.sources.into_iter().map(|s| Source { title: s.title, url: s.url }).collect(),
        also_in: Vec::new(),
        story: None,
        explain: None,
    }
}

/// Weighted reciprocal-rank fusion: each leg adds weight / (k + rank) (rank from 1). Ties
/// break on `ord`.
pub fn rrf(legs: &[(&Ranked, f32)], k: f32) -> Ranked {
    let mut score: HashMap<usize, f32> = HashMap::new();
    for (leg, weight) in legs {
        for (rank, (ord, _)) in leg.iter().enumerate() {
            *score.entry(*ord).or_default() += weight / (k + rank as f32 + 1.0);
        }
    }
    let mut fused: Ranked = score.into_iter().collect();
    fused.sort_by(by_score);
    fused
}

/// The start of the summary (or body), cut at a character boundary, HTML-escaped.
fn plain_snippet(item: &NewsItem) -> String {
    let text = if item.summary.is_empty() { &item.body } else { &item.summary };
    let mut out: String = text.chars().take(200).collect();
    if text.chars().count() > 200 {
        out.push('…');
    }
    html_escape(&out)
}

pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rrf_rewards_agreement() {
        let a: Ranked = vec![(1, 9.0), (2, 8.0), (3, 7.0)];
        let b: Ranked = vec![(3, 0.9), (1, 0.8), (4, 0.7)];
        let fused = rrf(&[(&a, 1.0), (&b, 1.0)], 60.0);
        assert_eq!(fused.iter().map(|f| f.0).collect::<Vec<_>>(), vec![1, 3, 2, 4]);
    }

    #[test]
    fn request_limits() {
        let ok = SearchRequest::new("x", SearchMode::Hybrid, 10);
        assert!(ok.validate().is_ok());
        for bad in [
            SearchRequest { limit: 0, ..ok.clone() },
            SearchRequest { limit: 101, ..ok.clone() },
            SearchRequest { offset: 5000, ..ok.clone() },
            SearchRequest { q: "가".repeat(501), ..ok.clone() },
            SearchRequest {
                filters: Filters {
                    from: NaiveDate::from_ymd_opt(2026, 2, 1),
                    to: NaiveDate::from_ymd_opt(2026, 1, 1),
                    ..Filters::default()
                },
                ..ok.clone()
            },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
    }
}
