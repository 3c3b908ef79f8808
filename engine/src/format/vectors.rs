//! The vector store: L2-normalised embeddings in a flat little-endian f32 matrix
//! (`vectors.f32`), one or more rows per item (long items are chunked), with the owning item of
//! every row in `vector_owners.json`. Search is an exact scan that scores an item by its best
//! row; rows are contiguous so the dot products auto-vectorise. Past ~200k rows an ANN index can
//! replace [`VectorStore::top_k`] without changing the files.

use std::io::Write;
use std::path::Path;

use super::check as files;
use super::ids::ItemOrd;
use super::IndexFile;
use crate::error::EngineError;

const FILE_NAME: IndexFile = IndexFile::Vectors;
const OWNERS_FILE: IndexFile = IndexFile::VectorOwners;

pub struct VectorStore {
    dim: usize,
    data: Vec<f32>,
    /// row → item ord.
    owner: Vec<ItemOrd>,
    /// item ord → its first row (the title-and-lead text).
    first: Vec<u32>,
}

impl VectorStore {
    /// Writes `rows` (each `dim` long) and their owners into `dir`. Every item `0..items` must own
    /// at least one row, its first row being its main text.
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

    /// Reads the store of an index of `items` items; a file that does not match the other is
    /// refused, naming it and what was expected (see [`super::check`]).
    pub fn open(dir: &Path, dim: usize, items: usize) -> Result<VectorStore, EngineError> {
        let owner: Vec<ItemOrd> = files::read_json(dir, OWNERS_FILE)?;
        let bytes = files::read(dir, FILE_NAME)?;
        let expected = owner.len() * dim * 4;
        if dim == 0 || bytes.len() != expected {
            return Err(files::bad(
                dir,
                FILE_NAME,
                format_args!(
                    "has {} bytes, expected {expected} ({} rows of {dim} f32, one per entry of {OWNERS_FILE}): it is \
                     cut short or from another build",
                    bytes.len(),
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
        let data = bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        Ok(VectorStore { dim, data, owner, first })
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.first.len()
    }

    pub fn is_empty(&self) -> bool {
        self.first.is_empty()
    }

    /// The item's main vector (its title and lead).
    pub fn row(&self, ord: ItemOrd) -> &[f32] {
        let r = self.first[ord] as usize;
        &self.data[r * self.dim..(r + 1) * self.dim]
    }

    /// The `k` items most similar to `query` (cosine = dot product of unit vectors, an item
    /// scoring by its best row), best first, among the items `keep` accepts.
    pub fn top_k(&self, query: &[f32], k: usize, keep: impl Fn(ItemOrd) -> bool) -> Vec<(ItemOrd, f32)> {
        // The scan is memory-bound and embarrassingly parallel: every core takes a share of the
        // rows (at 100k rows one core needs ~7 ms), then each item keeps its best row.
        let rows = self.owner.len();
        let mut scores = vec![0f32; rows];
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
        let per = rows.div_ceil(threads.max(1)).max(4096);
        std::thread::scope(|s| {
            for (i, out) in scores.chunks_mut(per).enumerate() {
                let data = &self.data[i * per * self.dim..];
                let mut scan = move || {
                    for (o, v) in out.iter_mut().zip(data.chunks_exact(self.dim)) {
                        *o = dot(v, query);
                    }
                };
                if i + 1 == rows.div_ceil(per) {
                    scan(); // the last share on this thread
                } else {
                    s.spawn(scan);
                }
            }
        });
        let mut best = vec![f32::NEG_INFINITY; self.first.len()];
        for (row, &score) in scores.iter().enumerate() {
            let ord = self.owner[row];
            if score > best[ord] {
                best[ord] = score;
            }
        }
        let mut scored: Vec<(ItemOrd, f32)> =
            ItemOrd::all(best.len()).zip(best).filter(|(ord, _)| keep(*ord)).collect();
        let k = k.min(scored.len());
        if k == 0 {
            return Vec::new();
        }
        scored.select_nth_unstable_by(k - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored.truncate(k);
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored
    }
}

/// Dot product in 8 independent lanes so the compiler emits SIMD without `unsafe`.
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
