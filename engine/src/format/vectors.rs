//! The vector store: L2-normalised embeddings in a flat little-endian f32 matrix
//! (`vectors.f32`), one or more rows per item (long items are chunked), with the owning item of
//! every row in `vector_owners.json`. An item scores by its best row.
//!
//! The f32 matrix is memory-mapped, not copied: a page of it is read when a search touches it,
//! and the kernel may drop it again (it counts as file-backed memory, not the process's own).
//! How a search finds its candidates depends on the store's size:
//! - below [`QUANTISED_FROM_ROWS`] rows, an exact f32 scan of every row (every index of the dev
//!   corpus's size: evaluations see exact scores);
//! - from there, the store keeps every row as int8 in memory (one scale per row, made when the
//!   index is opened: the files do not change) and a search scans those — a quarter of the memory
//!   traffic of f32 — for a shortlist of [`SHORTLIST_FACTOR`] × k items;
//! - when the index was built with a graph (`sosik-indexer build --vector-graph`: an HNSW graph
//!   over int8 rows, `vectors.usearch`, made by the `usearch` crate and memory-mapped when
//!   opened), a search walks the graph for the shortlist instead of scanning every row. It is
//!   not the default at any size: on real e5 vectors (the dev corpus given a graph) it found
//!   the exact top 100 but for 0–2 items a query, and every relevance figure stayed equal; on
//!   the bench's million synthetic vectors it found a third of them, and searches with a
//!   selective filter got slower (BENCHMARKS.md, "A vector graph at a million items").
//!
//! Either shortlist is re-scored exactly in f32: the scores returned are exact, and an item is
//! missed only when it falls out of the shortlist (the bench measures recall against the exact
//! scan, [`VectorStore::top_k_exact`]).

use std::io::{Read, Write};
use std::path::Path;

use usearch::{Index, IndexOptions, MetricKind, ScalarKind};

use super::check as files;
use super::ids::ItemOrd;
use super::IndexFile;
use crate::error::EngineError;

const FILE_NAME: IndexFile = IndexFile::Vectors;
const OWNERS_FILE: IndexFile = IndexFile::VectorOwners;
const GRAPH_FILE: IndexFile = IndexFile::VectorGraph;

/// Rows from which a search scans int8 rows for a shortlist instead of every f32 row. Below it
/// the f32 scan is fast enough (the dev corpus's 25k rows: ~2 ms) and exact.
pub const QUANTISED_FROM_ROWS: usize = 50_000;
/// The graph's edges per node (usearch's `connectivity`, HNSW's M; the bottom layer has twice as
/// many) and the candidate lists of its construction and search (HNSW's ef). A search asks for
/// the whole shortlist, so it explores at least that many candidates whatever
/// [`GRAPH_EXPANSION_SEARCH`] says.
pub const GRAPH_CONNECTIVITY: usize = 16;
pub const GRAPH_EXPANSION_ADD: usize = 128;
/// Chosen on the dev corpus given a graph (`examples/write_graph.rs`), with the 49 tuning
/// queries of the relevance set embedded by the model (`examples/graph_recall.rs`): recall@100
/// against the exact scan at ef 128 / 512 / 1000 / 2000 was 0.987 / 0.989 / 0.998 / 1.000 (mean)
/// and 0.91 / 0.91 / 0.98 / 0.99 (lowest query); 1000 is the first whose lowest is 0.98.
pub const GRAPH_EXPANSION_SEARCH: usize = 1000;
/// The shortlist an int8 search keeps for exact re-scoring: this many times k, plus
/// [`SHORTLIST_EXTRA`]. Chosen on the bench's synthetic vectors (random unit vectors, whose top
/// scores lie closer together than real embeddings' do), where it keeps recall@100 at 1.0.
pub const SHORTLIST_FACTOR: usize = 4;
pub const SHORTLIST_EXTRA: usize = 64;

pub struct VectorStore {
    dim: usize,
    rows: Rows,
    /// row → item ord.
    owner: Vec<ItemOrd>,
    /// item ord → its first row (the title-and-lead text).
    first: Vec<u32>,
    /// How a search finds its shortlist (see the module's documentation).
    search: Search,
}

/// The f32 matrix: memory-mapped where the file's bytes are the values as they lie in memory
/// (little-endian targets), read into the heap elsewhere.
enum Rows {
    Heap(Vec<f32>),
    Mapped(memmap2::Mmap),
}

impl Rows {
    fn all(&self) -> &[f32] {
        match self {
            Rows::Heap(v) => v,
            // SAFETY: the map is page-aligned (so aligned for f32), read-only, `len` bytes long
            // and lives as long as `self`; every bit pattern is an f32. An index directory's
            // files are never rewritten in place (a build writes a new directory, see
            // `layout`), so the bytes do not change under the map.
            Rows::Mapped(m) => unsafe { std::slice::from_raw_parts(m.as_ptr().cast::<f32>(), m.len() / 4) },
        }
    }
}

enum Search {
    Exact,
    Int8(Quantised),
    Graph(Index),
}

/// Every row `r` as `codes[r*dim..]` × `scales[r]`: each value divided by the row's largest
/// magnitude and rounded to -127..=127.
struct Quantised {
    codes: Vec<i8>,
    scales: Vec<f32>,
}

impl Quantised {
    /// The rows of `path` quantised, read in blocks through the file (not through the map, so
    /// that opening does not make every page of the f32 matrix resident).
    fn read(path: &Path, rows: usize, dim: usize) -> std::io::Result<Quantised> {
        let mut file = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(path)?);
        let mut codes = vec![0i8; rows * dim];
        let mut scales = Vec::with_capacity(rows);
        let mut bytes = vec![0u8; dim * 4];
        let mut row = vec![0f32; dim];
        for out in codes.chunks_exact_mut(dim) {
            file.read_exact(&mut bytes)?;
            for (x, c) in row.iter_mut().zip(bytes.chunks_exact(4)) {
                *x = f32::from_le_bytes([c[0], c[1], c[2], c[3]]);
            }
            scales.push(quantise_into(&row, out));
        }
        Ok(Quantised { codes, scales })
    }
}

/// `v` as int8 codes in `out`; returns the scale, with `v[i] ≈ out[i] × scale`.
fn quantise_into(v: &[f32], out: &mut [i8]) -> f32 {
    let max = v.iter().fold(0f32, |m, x| m.max(x.abs()));
    if max == 0.0 || !max.is_finite() {
        out.fill(0);
        return 0.0;
    }
    let scale = max / 127.0;
    for (o, x) in out.iter_mut().zip(v) {
        *o = (x / scale).round().clamp(-127.0, 127.0) as i8;
    }
    scale
}

/// The graph's settings; a graph file records them itself.
fn graph_options(dim: usize) -> IndexOptions {
    IndexOptions {
        dimensions: dim,
        metric: MetricKind::IP,
        quantization: ScalarKind::I8,
        connectivity: GRAPH_CONNECTIVITY,
        expansion_add: GRAPH_EXPANSION_ADD,
        expansion_search: GRAPH_EXPANSION_SEARCH,
        multi: false,
    }
}

fn utf8(path: &Path) -> Result<&str, EngineError> {
    path.to_str().ok_or_else(|| EngineError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other("the vector graph's path must be UTF-8 (usearch takes a string)"),
    })
}

impl VectorStore {
    /// Writes `rows` (each `dim` long) and their owners into `dir`. Every item `0..items` must own
    /// at least one row, its first row being its main text. Its graph, if wanted, is
    /// [`VectorStore::write_graph`]'s (the build writes it beside the other files, on a thread of
    /// its own).
    pub fn write(dir: &Path, dim: usize, rows: &[Vec<f32>], owners: &[ItemOrd]) -> Result<(), EngineError> {
        assert_eq!(rows.len(), owners.len(), "one owner per row");
        let mut bytes = Vec::with_capacity(rows.len() * dim * 4);
        for v in rows {
            assert_eq!(v.len(), dim, "embedding of wrong dimension");
            for x in v {
                bytes.extend_from_slice(&x.to_le_bytes());
            }
        }
        let path = FILE_NAME.path(dir);
        let mut f = std::fs::File::create(&path).map_err(EngineError::io(&path))?;
        f.write_all(&bytes).map_err(EngineError::io(&path))?;
        f.sync_all().map_err(EngineError::io(&path))?;
        let path = OWNERS_FILE.path(dir);
        std::fs::write(&path, serde_json::to_vec(owners).expect("serialisable")).map_err(EngineError::io(&path))
    }

    /// Writes the HNSW graph of `rows` into `dir` (`sosik-indexer build --vector-graph`; the
    /// `write_graph` example gives an existing index one). The rows enter it as int8 with one
    /// scale for them all (the graph's inner product must compare rows on one scale), in row
    /// order on one thread, so that the same rows give the same file.
    pub fn write_graph(dir: &Path, dim: usize, rows: &[Vec<f32>]) -> Result<(), EngineError> {
        let path = GRAPH_FILE.path(dir);
        let fail = |e: &dyn std::fmt::Display| EngineError::Io {
            path: path.clone(),
            source: std::io::Error::other(format!("usearch: {e}")),
        };
        let max = rows.iter().flatten().fold(0f32, |m, x| m.max(x.abs()));
        let scale = if max > 0.0 && max.is_finite() { 127.0 / max } else { 1.0 };
        let graph = Index::new(&graph_options(dim)).map_err(|e| fail(&e))?;
        graph.reserve(rows.len()).map_err(|e| fail(&e))?;
        let mut codes = vec![0i8; dim];
        for (r, v) in rows.iter().enumerate() {
            for (c, x) in codes.iter_mut().zip(v) {
                *c = (x * scale).round().clamp(-127.0, 127.0) as i8;
            }
            graph.add(r as u64, &codes).map_err(|e| fail(&e))?;
        }
        graph.save(utf8(&path)?).map_err(|e| fail(&e))
    }

    /// Reads the store of an index of `items` items; a file that does not match the other is
    /// refused, naming it and what was expected (see [`super::check`]).
    pub fn open(dir: &Path, dim: usize, items: usize) -> Result<VectorStore, EngineError> {
        let owner: Vec<ItemOrd> = files::read_json(dir, OWNERS_FILE)?;
        let path = FILE_NAME.path(dir);
        let file = files::open(dir, FILE_NAME)?;
        let len = file.metadata().map_err(EngineError::io(&path))?.len() as usize;
        let expected = owner.len() * dim * 4;
        if dim == 0 || len != expected {
            return Err(files::bad(
                dir,
                FILE_NAME,
                format_args!(
                    "has {len} bytes, expected {expected} ({} rows of {dim} f32, one per entry of {OWNERS_FILE}): it is \
                     cut short or from another build",
                    owner.len()
                ),
            ));
        }
        let mut first = vec![u32::MAX; items];
        for (row, &ord) in owner.iter().enumerate() {
            let slot = first.get_mut(ord.index()).ok_or_else(|| {
                files::bad(
                    dir,
                    OWNERS_FILE,
                    format_args!("row {row} names item {ord}, but manifest.json counts {items} items"),
                )
            })?;
            if *slot == u32::MAX {
                *slot = row as u32;
            }
        }
        if let Some(ord) = first.iter().position(|&r| r == u32::MAX) {
            return Err(files::bad(dir, OWNERS_FILE, format_args!("gives item {ord} no row in {FILE_NAME}")));
        }
        let rows = if cfg!(target_endian = "little") && len > 0 {
            // SAFETY: see `Rows::all`: the index's files are not modified while it is open.
            Rows::Mapped(unsafe { memmap2::Mmap::map(&file) }.map_err(EngineError::io(&path))?)
        } else {
            let bytes = files::read(dir, FILE_NAME)?;
            Rows::Heap(bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
        };
        // An item's rows must be one run for the shortlist's re-scoring to find them all.
        let contiguous = owner.windows(2).all(|w| w[0] <= w[1]);
        let search = if !contiguous {
            Search::Exact
        } else if GRAPH_FILE.path(dir).exists() {
            Search::Graph(Self::open_graph(dir, dim, owner.len())?)
        } else if owner.len() >= QUANTISED_FROM_ROWS {
            Search::Int8(Quantised::read(&path, owner.len(), dim).map_err(EngineError::io(&path))?)
        } else {
            Search::Exact
        };
        Ok(VectorStore { dim, rows, owner, first, search })
    }

    /// The graph of `dir`, memory-mapped, checked against the store it indexes.
    fn open_graph(dir: &Path, dim: usize, rows: usize) -> Result<Index, EngineError> {
        let path = GRAPH_FILE.path(dir);
        let graph = Index::restore_view(utf8(&path)?)
            .map_err(|e| files::bad(dir, GRAPH_FILE, format_args!("cannot be read (usearch: {e})")))?;
        if graph.dimensions() != dim || graph.size() != rows {
            return Err(files::bad(
                dir,
                GRAPH_FILE,
                format_args!(
                    "holds {} rows of {} dimensions, expected {rows} of {dim} (those of {FILE_NAME}): it is from \
                     another build",
                    graph.size(),
                    graph.dimensions()
                ),
            ));
        }
        graph.change_expansion_search(GRAPH_EXPANSION_SEARCH);
        Ok(graph)
    }

    /// Whether searches find a shortlist instead of scanning every f32 row (see the module's
    /// documentation).
    pub fn is_quantised(&self) -> bool {
        !matches!(self.search, Search::Exact)
    }

    /// Whether searches walk the HNSW graph.
    pub fn has_graph(&self) -> bool {
        matches!(self.search, Search::Graph(_))
    }

    /// Sets how many candidates a graph search explores at least (HNSW's ef at search time;
    /// [`GRAPH_EXPANSION_SEARCH`] unless changed). For measuring recall against it.
    pub fn set_graph_expansion(&self, ef: usize) {
        if let Search::Graph(graph) = &self.search {
            graph.change_expansion_search(ef);
        }
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.first.len()
    }

    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }

    fn data(&self) -> &[f32] {
        self.rows.all()
    }

    /// The item's main vector (its title and lead).
    pub fn row(&self, ord: ItemOrd) -> &[f32] {
        let r = self.first[ord] as usize;
        &self.data()[r * self.dim..(r + 1) * self.dim]
    }

    /// The `k` items most similar to `query` (cosine = dot product of unit vectors, an item
    /// scoring by its best row), best first, among the items `keep` accepts. Exact below
    /// [`QUANTISED_FROM_ROWS`] rows; from there, or at any size when the index has a graph, a
    /// shortlist re-scored in f32.
    pub fn top_k(&self, query: &[f32], k: usize, keep: impl Fn(ItemOrd) -> bool) -> Vec<(ItemOrd, f32)> {
        let wanted = k.saturating_mul(SHORTLIST_FACTOR).saturating_add(SHORTLIST_EXTRA);
        let query_codes = || {
            let mut codes = vec![0i8; self.dim];
            // (the query's own scale is common to every row: it does not change the order)
            quantise_into(query, &mut codes);
            codes
        };
        let shortlist: Vec<ItemOrd> = match &self.search {
            Search::Exact => return self.top_k_exact(query, k, keep),
            Search::Int8(q) => {
                let codes = query_codes();
                let scores =
                    self.scan(|rows, out| scan_i8(&q.codes[rows.start * self.dim..rows.end * self.dim], &codes, out));
                let approx =
                    self.best_per_item(scores.iter().zip(&q.scales).map(|(&s, &scale)| s as f32 * scale), &keep);
                top(approx, wanted).into_iter().map(|(ord, _)| ord).collect()
            }
            Search::Graph(graph) => {
                let codes = query_codes();
                // rows, not items: an item of several rows may come more than once
                let found = graph
                    .filtered_search(&codes, wanted, |row| self.owner.get(row as usize).is_some_and(|&ord| keep(ord)));
                match found {
                    Ok(m) => {
                        let mut seen = std::collections::HashSet::new();
                        m.keys.iter().map(|&row| self.owner[row as usize]).filter(|&o| seen.insert(o)).collect()
                    }
                    Err(e) => {
                        tracing::warn!("the vector graph's search failed ({e}); scanning every row instead");
                        return self.top_k_exact(query, k, keep);
                    }
                }
            }
        };
        // Re-score exactly: every row of each shortlisted item (an item's rows are one run).
        let data = self.data();
        let rescored = shortlist
            .into_iter()
            .map(|ord| {
                let start = self.first[ord] as usize;
                let end = self.owner[start..].iter().position(|&o| o != ord).map_or(self.owner.len(), |n| start + n);
                let best = data[start * self.dim..end * self.dim]
                    .chunks_exact(self.dim)
                    .map(|v| dot(v, query))
                    .fold(f32::NEG_INFINITY, f32::max);
                (ord, best)
            })
            .collect();
        top(rescored, k)
    }

    /// [`VectorStore::top_k`] by an exact f32 scan of every row, whatever the store's size.
    pub fn top_k_exact(&self, query: &[f32], k: usize, keep: impl Fn(ItemOrd) -> bool) -> Vec<(ItemOrd, f32)> {
        let data = self.data();
        let scores = self.scan(|rows, out| scan_f32(&data[rows.start * self.dim..rows.end * self.dim], query, out));
        top(self.best_per_item(scores.into_iter(), &keep), k)
    }

    /// One score per row, computed by `score(rows, out)` over shares of the rows: the scan is
    /// memory-bound and embarrassingly parallel, so every core takes a share.
    fn scan<S: Copy + Default + Send>(&self, score: impl Fn(std::ops::Range<usize>, &mut [S]) + Sync) -> Vec<S> {
        let rows = self.owner.len();
        let mut scores = vec![S::default(); rows];
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        let per = rows.div_ceil(threads.max(1)).max(4096);
        let shares = rows.div_ceil(per);
        std::thread::scope(|s| {
            for (i, out) in scores.chunks_mut(per).enumerate() {
                let range = i * per..(i * per + out.len());
                let score = &score;
                if i + 1 == shares {
                    score(range, out); // the last share on this thread
                } else {
                    s.spawn(move || score(range, out));
                }
            }
        });
        scores
    }

    /// Each item's best row score, for the items `keep` accepts.
    fn best_per_item(&self, scores: impl Iterator<Item = f32>, keep: &impl Fn(ItemOrd) -> bool) -> Vec<(ItemOrd, f32)> {
        let mut best = vec![f32::NEG_INFINITY; self.first.len()];
        for (row, score) in scores.enumerate() {
            let ord = self.owner[row];
            if score > best[ord] {
                best[ord] = score;
            }
        }
        ItemOrd::all(best.len()).zip(best).filter(|(ord, _)| keep(*ord)).collect()
    }
}

/// The `k` best of `scored`, best first (ties: lower ord first).
fn top(mut scored: Vec<(ItemOrd, f32)>, k: usize) -> Vec<(ItemOrd, f32)> {
    let order = |a: &(ItemOrd, f32), b: &(ItemOrd, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    let k = k.min(scored.len());
    if k == 0 {
        return Vec::new();
    }
    if k < scored.len() {
        scored.select_nth_unstable_by(k - 1, order);
        scored.truncate(k);
    }
    scored.sort_by(order);
    scored
}

/// `out[r]` = the dot product of row `r` of `rows` with `query`.
fn scan_f32(rows: &[f32], query: &[f32], out: &mut [f32]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked on the line above).
        return unsafe { scan_f32_avx2(rows, query, out) };
    }
    scan_f32_portable(rows, query, out)
}

/// The same loop compiled for AVX2 (8 f32 lanes instead of SSE2's 4): the same operations in
/// the same order (no fused multiply-add), so the same scores to the last bit.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn scan_f32_avx2(rows: &[f32], query: &[f32], out: &mut [f32]) {
    scan_f32_portable(rows, query, out)
}

#[inline(always)]
fn scan_f32_portable(rows: &[f32], query: &[f32], out: &mut [f32]) {
    for (o, v) in out.iter_mut().zip(rows.chunks_exact(query.len())) {
        *o = dot(v, query);
    }
}

/// `out[r]` = the int8 dot product of row `r` of `rows` with `query`.
fn scan_i8(rows: &[i8], query: &[i8], out: &mut [i32]) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked on the line above).
        return unsafe { scan_i8_avx2(rows, query, out) };
    }
    scan_i8_portable(rows, query, out)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn scan_i8_avx2(rows: &[i8], query: &[i8], out: &mut [i32]) {
    scan_i8_portable(rows, query, out)
}

#[inline(always)]
fn scan_i8_portable(rows: &[i8], query: &[i8], out: &mut [i32]) {
    for (o, v) in out.iter_mut().zip(rows.chunks_exact(query.len())) {
        *o = dot_i8(v, query);
    }
}

/// Int8 dot product in 16 independent i32 lanes (exact: 384 × 127² fits an i32 many times).
#[inline(always)]
fn dot_i8(a: &[i8], b: &[i8]) -> i32 {
    let mut acc = [0i32; 16];
    let (ca, cb) = (a.chunks_exact(16), b.chunks_exact(16));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for i in 0..16 {
            acc[i] += x[i] as i32 * y[i] as i32;
        }
    }
    let tail: i32 = ra.iter().zip(rb).map(|(&x, &y)| x as i32 * y as i32).sum();
    acc.iter().sum::<i32>() + tail
}

/// Dot product in 8 independent lanes so the compiler emits SIMD without `unsafe`.
#[inline(always)]
pub fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for i in 0..8 {
            acc[i] += x[i] * y[i];
        }
    }
    let tail: f32 = ra.iter().zip(rb).map(|(x, y)| x * y).sum();
    acc.iter().sum::<f32>() + tail
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Enough rows to be split over threads: the answer is the serial scan's.
    #[test]
    fn a_scan_split_over_threads_finds_what_a_serial_scan_finds() {
        let dir = tempfile::tempdir().unwrap();
        let dim = 8;
        let mut x = 7u64;
        let mut next = || {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((x >> 33) as f32 / (1u64 << 31) as f32) - 0.5
        };
        let rows: Vec<Vec<f32>> = (0..20_000).map(|_| (0..dim).map(|_| next()).collect()).collect();
        // every item two rows, except the last 1000 items with one
        let mut owners = Vec::new();
        for r in 0..rows.len() {
            owners.push(ItemOrd::new(if r < 18_000 { r / 2 } else { 9_000 + (r - 18_000) }));
        }
        let items = 11_000;
        VectorStore::write(dir.path(), dim, &rows, &owners).unwrap();
        let s = VectorStore::open(dir.path(), dim, items).unwrap();
        let q: Vec<f32> = (0..dim).map(|_| next()).collect();
        let mut best = vec![f32::NEG_INFINITY; items];
        for (r, v) in rows.iter().enumerate() {
            let o = owners[r];
            best[o] = best[o].max(dot(v, &q));
        }
        let mut serial: Vec<(ItemOrd, f32)> =
            ItemOrd::all(items).zip(best).filter(|(o, _)| o.index() % 3 != 0).collect();
        serial.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        serial.truncate(50);
        assert_eq!(s.top_k(&q, 50, |o| o.index() % 3 != 0), serial);
    }

    /// Rows around 40 centres, as embeddings of a news corpus lie around its stories and topics
    /// (uniformly random rows have no neighbourhoods for a graph to follow), in items of one to
    /// three rows.
    fn clustered(rows: usize, dim: usize, seed: u64) -> (Vec<Vec<f32>>, Vec<ItemOrd>) {
        let mut x = seed;
        let mut next = move || {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((x >> 33) as f32 / (1u64 << 31) as f32) - 0.5
        };
        let unit = |v: Vec<f32>| {
            let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            v.into_iter().map(|x| x / n).collect::<Vec<f32>>()
        };
        let centres: Vec<Vec<f32>> = (0..40).map(|_| unit((0..dim).map(|_| next()).collect())).collect();
        let rows: Vec<Vec<f32>> = (0..rows)
            .map(|r| {
                let c = &centres[(r * 7919) % centres.len()];
                unit(c.iter().map(|x| x + 0.6 * next()).collect())
            })
            .collect();
        let owners = one_to_three_rows_per_item(rows.len());
        (rows, owners)
    }

    /// Owners of `rows` rows: items of one to three rows, in order.
    fn one_to_three_rows_per_item(rows: usize) -> Vec<ItemOrd> {
        let mut owners = Vec::new();
        let mut item = 0;
        for r in 0..rows {
            owners.push(ItemOrd::new(item));
            if r % 3 != 1 {
                item += 1;
            }
        }
        owners
    }

    /// Searches `s` (whose rows are `rows`, owned by `owners`) for each query, checks that every
    /// hit passes `keep` and carries its exact best-row score, and returns recall@100 against the
    /// exact scan over all the queries.
    fn checked_recall(
        s: &VectorStore,
        rows: &[Vec<f32>],
        owners: &[ItemOrd],
        queries: &[Vec<f32>],
        keep: &dyn Fn(ItemOrd) -> bool,
    ) -> f64 {
        let (mut found, mut wanted) = (0, 0);
        for q in queries {
            let exact = s.top_k_exact(q, 100, keep);
            let got = s.top_k(q, 100, keep);
            assert_eq!(got.len(), 100);
            for (o, score) in &got {
                let r = s.first[*o] as usize;
                let best =
                    (r..rows.len()).take_while(|&r| owners[r] == *o).map(|r| dot(&rows[r], q)).fold(f32::MIN, f32::max);
                assert_eq!(*score, best, "a returned score is the exact best-row score");
                assert!(keep(*o), "the filter holds");
            }
            wanted += exact.len();
            found += exact.iter().filter(|e| got.iter().any(|g| g.0 == e.0)).count();
        }
        found as f64 / wanted as f64
    }

    #[test]
    fn a_graph_search_returns_exact_scores_and_finds_the_exact_top_k_within_a_filter() {
        let dir = tempfile::tempdir().unwrap();
        let dim = 48;
        let (rows, owners) = clustered(20_000, dim, 5);
        let items = owners.last().unwrap().index() + 1;
        VectorStore::write(dir.path(), dim, &rows, &owners).unwrap();
        VectorStore::write_graph(dir.path(), dim, &rows).unwrap();
        let s = VectorStore::open(dir.path(), dim, items).unwrap();
        assert!(s.has_graph() && s.is_quantised());
        // queries near one row each: their neighbourhoods are what the graph must find
        let queries: Vec<Vec<f32>> = (0..30).map(|i| rows[(i * 613) % rows.len()].clone()).collect();
        for keep in [&(|_: ItemOrd| true) as &dyn Fn(ItemOrd) -> bool, &|o: ItemOrd| o.index() % 10 < 3] {
            let recall = checked_recall(&s, &rows, &owners, &queries, keep);
            assert!(recall >= 0.98, "recall@100 against the exact scan: {recall}");
        }
    }

    #[test]
    fn the_same_rows_give_the_same_graph_file() {
        let (rows, _) = clustered(3_000, 16, 9);
        let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        VectorStore::write_graph(a.path(), 16, &rows).unwrap();
        VectorStore::write_graph(b.path(), 16, &rows).unwrap();
        let read = |d: &tempfile::TempDir| std::fs::read(GRAPH_FILE.path(d.path())).unwrap();
        assert!(read(&a) == read(&b), "the graph is written deterministically");
    }

    #[test]
    fn a_graph_of_other_rows_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let (rows, owners) = clustered(300, 16, 3);
        let items = owners.last().unwrap().index() + 1;
        VectorStore::write(dir.path(), 16, &rows, &owners).unwrap();
        VectorStore::write_graph(dir.path(), 16, &rows[..200]).unwrap();
        let err = VectorStore::open(dir.path(), 16, items).err().expect("refused").to_string();
        assert!(err.contains("vectors.usearch") && err.contains("holds 200 rows"), "{err}");
        std::fs::write(GRAPH_FILE.path(dir.path()), b"not a graph").unwrap();
        let err = VectorStore::open(dir.path(), 16, items).err().expect("refused").to_string();
        assert!(err.contains("vectors.usearch") && err.contains("cannot be read"), "{err}");
    }

    /// A store large enough to be searched through int8 codes: the scores it returns are the
    /// exact ones, and it finds (nearly) every item of the exact top k.
    #[test]
    fn a_quantised_search_returns_exact_scores_and_finds_the_exact_top_k() {
        let dir = tempfile::tempdir().unwrap();
        let dim = 32;
        let mut x = 11u64;
        let mut next = || {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((x >> 33) as f32 / (1u64 << 31) as f32) - 0.5
        };
        let unit = |v: Vec<f32>| {
            let n = v.iter().map(|x| x * x).sum::<f32>().sqrt();
            v.into_iter().map(|x| x / n).collect::<Vec<f32>>()
        };
        let rows: Vec<Vec<f32>> =
            (0..QUANTISED_FROM_ROWS + 2_000).map(|_| unit((0..dim).map(|_| next()).collect())).collect();
        let owners = one_to_three_rows_per_item(rows.len());
        let items = owners.last().unwrap().index() + 1;
        VectorStore::write(dir.path(), dim, &rows, &owners).unwrap();
        let s = VectorStore::open(dir.path(), dim, items).unwrap();
        assert!(s.is_quantised());
        let queries: Vec<Vec<f32>> = (0..20).map(|_| unit((0..dim).map(|_| next()).collect())).collect();
        let recall = checked_recall(&s, &rows, &owners, &queries, &|o: ItemOrd| !o.index().is_multiple_of(5));
        assert!(recall >= 0.98, "recall@100 against the exact scan: {recall}");
    }

    #[test]
    fn round_trip_and_best_chunk_wins() {
        let dir = tempfile::tempdir().unwrap();
        // item 0: one row; item 1: two rows (its second chunk is the best match); item 2: one row
        let rows = vec![vec![1.0, 0.0, 0.0], vec![0.0, 0.0, 1.0], vec![0.0, 1.0, 0.0], vec![0.6, 0.8, 0.0]];
        let ord = ItemOrd::new;
        VectorStore::write(dir.path(), 3, &rows, &[0, 1, 1, 2].map(ord)).unwrap();
        let s = VectorStore::open(dir.path(), 3, 3).unwrap();
        assert_eq!(s.len(), 3);
        assert_eq!(s.row(ord(1)), &[0.0, 0.0, 1.0], "an item's main vector is its first row");
        let top = s.top_k(&[0.0, 1.0, 0.0], 2, |_| true);
        assert_eq!(top, vec![(ord(1), 1.0), (ord(2), 0.8)]);
        assert_eq!(s.top_k(&[0.0, 1.0, 0.0], 5, |o| o != ord(1)).len(), 2);
        assert!(VectorStore::open(dir.path(), 3, 4).is_err(), "an item without a vector is refused");
    }

    #[test]
    fn dot_matches_naive() {
        let a: Vec<f32> = (0..384).map(|i| (i as f32).sin()).collect();
        let b: Vec<f32> = (0..384).map(|i| (i as f32).cos()).collect();
        let naive: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - naive).abs() < 1e-3);
    }
}
