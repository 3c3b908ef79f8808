//! Writes the HNSW graph of an index's vector store into it, as `sosik-indexer build
//! --vector-graph` would have, so that its searches walk the graph: how the approximate index
//! moves relevance is measured on the dev corpus by running `eval-search` on a copy treated so.
//!
//! ```text
//! cp -r /tmp/dev-index/ /tmp/dev-index-graph   # a copy of one version directory
//! cargo run --release -p sosik-engine --example write_graph -- /tmp/dev-index-graph
//! target/release/sosik-indexer eval-search --index /tmp/dev-index-graph
//! ```
//! The copy's manifest does not list the new file: `verify` refuses the copy, `Engine::open`
//! (which checks the files it reads, not the list) opens it.

use std::path::PathBuf;

use sosik_engine::format::manifest::Manifest;
use sosik_engine::format::vectors::VectorStore;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: write_graph INDEX_VERSION_DIR")?);
    let dir = std::fs::canonicalize(&dir)?;
    let manifest = Manifest::read(&dir)?;
    let dim = manifest.dim;
    let bytes = std::fs::read(dir.join("vectors.f32"))?;
    let rows: Vec<Vec<f32>> = bytes
        .chunks_exact(dim * 4)
        .map(|r| r.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect())
        .collect();
    let t = std::time::Instant::now();
    VectorStore::write_graph(&dir, dim, &rows)?;
    println!("graph of {} rows written in {:.1} s", rows.len(), t.elapsed().as_secs_f64());
    Ok(())
}
