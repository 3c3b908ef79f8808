//! Synthetic item vectors, written into an embedding cache so that a build runs the real pipeline
//! without asking the model for item vectors (the bench's default, and the tests that need a
//! large generated index).
//!
//! A passage's vector lies near the real model's vectors of the catalog names it mentions: the
//! mean of those anchors (a company's name, a topic's Korean name) plus a seeded random direction
//! of [`NOISE`] times the anchors' length, normalised. So passages about the same company and
//! topic are neighbours, as real embeddings of news are, and a query the model embeds lands near
//! the passages naming what it names. Uniformly random vectors, which the bench used before, have
//! no neighbourhoods: every graph index (HNSW) loses its recall on them, and no embedding model
//! makes them.

use std::path::Path;

use aho_corasick::{AhoCorasick, MatchKind};
use anyhow::Result;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sha2::{Digest, Sha256};
use sosik_corpus::tagging::Catalog;
use sosik_embed::{Embedder, EmbeddingCache, DIM};

/// The random direction's length relative to the anchors' unit mean: two passages naming the
/// same things score ~1/(1+NOISE²) ≈ 0.67, a passage and its anchor ~0.82 (arithmetic for
/// noise orthogonal to the anchors, which random directions in 384 dimensions nearly are; not
/// measured).
pub const NOISE: f32 = 0.7;

/// A seeded random unit vector for a passage: the same text always gets the same vector.
pub fn random_vector(seed: u64, text: &str) -> Vec<f32> {
    let digest = Sha256::new().chain_update(seed.to_le_bytes()).chain_update(text.as_bytes()).finalize();
    let mut rng = ChaCha8Rng::from_seed(digest.into());
    // sum of uniforms ≈ normal: directions are uniform enough
    let v: Vec<f32> = (0..DIM).map(|_| (0..4).map(|_| rng.random::<f32>() - 0.5).sum()).collect();
    unit(v)
}

fn unit(mut v: Vec<f32>) -> Vec<f32> {
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|x| *x /= norm);
    }
    v
}

/// The anchors of a catalog and a matcher of the names that point at them.
pub struct Space {
    seed: u64,
    anchors: Vec<Vec<f32>>,
    names: AhoCorasick,
    /// name pattern → anchor
    anchor_of: Vec<usize>,
}

impl Space {
    /// One anchor per company (its name, embedded by the model as a passage) and per topic (its
    /// Korean name); a company is found by its name or any alias, a topic by its names or
    /// keywords.
    pub fn new(seed: u64, catalog: &Catalog, embedder: &Embedder) -> Result<Space> {
        let mut texts = Vec::new();
        let (mut patterns, mut anchor_of) = (Vec::new(), Vec::new());
        for c in &catalog.companies {
            for name in std::iter::once(&c.name).chain(&c.aliases) {
                patterns.push(name.clone());
                anchor_of.push(texts.len());
            }
            texts.push(c.name.clone());
        }
        for t in &catalog.topics {
            for name in [&t.name_ko, &t.name_en].into_iter().chain(&t.keywords) {
                patterns.push(name.clone());
                anchor_of.push(texts.len());
            }
            texts.push(t.name_ko.clone());
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let anchors = embedder.embed_passages(&refs)?;
        let names = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&patterns)?;
        Ok(Space { seed, anchors, names, anchor_of })
    }

    /// The passage's vector (see the module's documentation); a passage naming nothing gets its
    /// random direction alone.
    pub fn vector(&self, text: &str) -> Vec<f32> {
        let mut found: Vec<usize> =
            self.names.find_iter(text).map(|m| self.anchor_of[m.pattern().as_usize()]).collect();
        found.sort_unstable();
        found.dedup();
        let noise = random_vector(self.seed, text);
        if found.is_empty() {
            return noise;
        }
        let mean = unit(found.iter().fold(vec![0f32; DIM], |mut acc, &a| {
            acc.iter_mut().zip(&self.anchors[a]).for_each(|(s, x)| *s += x);
            acc
        }));
        unit(mean.iter().zip(&noise).map(|(m, r)| m + NOISE * r).collect())
    }
}

/// Fills the embedding cache at `cache` with synthetic vectors ([`Space::vector`]) for every
/// passage of the posts in `posts`; returns how many were added.
pub fn seed_cache(seed: u64, posts: &Path, cache: &Path, catalog: &Catalog, embedder: &Embedder) -> Result<usize> {
    let space = Space::new(seed, catalog, embedder)?;
    let (items, _) = sosik_indexer::build::parse_posts(posts)?;
    let texts: Vec<String> = items.iter().flat_map(|i| i.embedding_chunks()).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let vectors: Vec<Vec<f32>> = refs.iter().map(|t| space.vector(t)).collect();
    let mut cache = EmbeddingCache::open(cache, embedder.model_id())?;
    Ok(cache.insert_passages(&refs, &vectors)?)
}
