//! The vector store: one L2-normalised embedding per item, row `ord` of a flat little-endian
//! f32 matrix (`vectors.f32`). Search is an exact scan; rows are contiguous so the dot products
//! auto-vectorise. Past ~200k items an ANN index can replace [`VectorStore::top_k`] without
//! changing the file.

use std::io::Write;
use std::path::Path;

use crate::error::IndexerError;

pub const FILE_NAME: &str = "vectors.f32";

pub struct VectorStore {
    dim: usize,
    data: Vec<f32>,
}

impl VectorStore {
    pub fn write(path: &Path, dim: usize, vectors: &[Vec<f32>]) -> Result<(), IndexerError> {
        let mut bytes = Vec::with_capacity(vectors.len() * dim * 4);
        for v in vectors {
            assert_eq!(v.len(), dim, "embedding of wrong dimension");
            for x in v {
                bytes.extend_from_slice(&x.to_le_bytes());
            }
        }
        let mut f = std::fs::File::create(path).map_err(IndexerError::io(path))?;
        f.write_all(&bytes).map_err(IndexerError::io(path))?;
        f.sync_all().map_err(IndexerError::io(path))
    }

    pub fn open(path: &Path, dim: usize, expected_rows: usize) -> Result<VectorStore, IndexerError> {
        let bytes = std::fs::read(path).map_err(IndexerError::io(path))?;
        if dim == 0 || bytes.len() != expected_rows * dim * 4 {
            return Err(IndexerError::BadIndex {
                dir: path.to_path_buf(),
                reason: format!("{} bytes, expected {} rows of {dim} f32", bytes.len(), expected_rows),
            });
        }
        let data = bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
        Ok(VectorStore { dim, data })
    }

    pub fn len(&self) -> usize {
        self.data.len() / self.dim
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    pub fn row(&self, ord: usize) -> &[f32] {
        &self.data[ord * self.dim..(ord + 1) * self.dim]
    }

    /// The `k` rows most similar to `query` (cosine = dot product of unit vectors), best first,
    /// among the rows `keep` accepts.
    pub fn top_k(&self, query: &[f32], k: usize, keep: impl Fn(usize) -> bool) -> Vec<(usize, f32)> {
        let mut scored: Vec<(usize, f32)> = self
            .data
            .chunks_exact(self.dim)
            .enumerate()
            .filter(|(ord, _)| keep(*ord))
            .map(|(ord, row)| (ord, dot(row, query)))
            .collect();
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

    #[test]
    fn round_trip_and_rank() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(FILE_NAME);
        let v = vec![vec![1.0, 0.0, 0.0], vec![0.0, 1.0, 0.0], vec![0.6, 0.8, 0.0]];
        VectorStore::write(&p, 3, &v).unwrap();
        let s = VectorStore::open(&p, 3, 3).unwrap();
        assert_eq!(s.len(), 3);
        let top = s.top_k(&[0.0, 1.0, 0.0], 2, |_| true);
        assert_eq!(top.iter().map(|t| t.0).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(s.top_k(&[0.0, 1.0, 0.0], 5, |o| o != 1).len(), 2);
        assert!(VectorStore::open(&p, 3, 4).is_err());
    }

    #[test]
    fn dot_matches_naive() {
        let a: Vec<f32> = (0..384).map(|i| (i as f32).sin()).collect();
        let b: Vec<f32> = (0..384).map(|i| (i as f32).cos()).collect();
        let naive: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - naive).abs() < 1e-3);
    }
}
