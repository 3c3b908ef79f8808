//! Synthetic item vectors: a seeded random unit vector per passage, written into an embedding
//! cache so that a build runs the real pipeline without asking the model for item vectors (the
//! bench's default, and the tests that need a large generated index).

use std::path::Path;

use anyhow::Result;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};
use sosik_embed::{EmbeddingCache, DIM};

/// A seeded random unit vector for a passage: the same text always gets the same vector.
pub fn synthetic_vector(seed: u64, text: &str) -> Vec<f32> {
    let digest = Sha256::new().chain_update(seed.to_le_bytes()).chain_update(text.as_bytes()).finalize();
    let mut rng = ChaCha8Rng::from_seed(digest.into());
    // sum of uniforms ≈ normal: directions are uniform enough for a latency bench
    let mut v: Vec<f32> = (0..DIM).map(|_| (0..4).map(|_| rng.random::<f32>() - 0.5).sum()).collect();
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

/// Fills the embedding cache at `cache` with synthetic vectors for every passage of the posts in
/// `posts`; returns how many were added.
pub fn seed_cache(seed: u64, posts: &Path, cache: &Path, model_id: &str) -> Result<usize> {
    let (items, _) = sosik_indexer::build::parse_posts(posts)?;
    let texts: Vec<String> = items.iter().flat_map(|i| i.embedding_chunks()).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let vectors: Vec<Vec<f32>> = refs.iter().map(|t| synthetic_vector(seed, t)).collect();
    let mut cache = EmbeddingCache::open(cache, model_id)?;
    Ok(cache.insert_passages(&refs, &vectors)?)
}
