//! Recall@100 of the vector graph against the exact scan, and the time of each, by the graph's
//! search expansion (HNSW's ef), for query texts the model embeds:
//!
//! ```text
//! cargo run --release -p sosik-engine --example graph_recall -- INDEX_VERSION_DIR QUERIES.txt [EF ...]
//! ```
//! `QUERIES.txt` holds one query per line. No filter. The index must have a graph (built with
//! `--vector-graph`, or given one by the `write_graph` example).

use std::collections::HashSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use sosik_embed::{Assets, Embedder};
use sosik_engine::format::manifest::Manifest;
use sosik_engine::format::vectors::VectorStore;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = std::fs::canonicalize(PathBuf::from(args.next().ok_or("usage: graph_recall INDEX QUERIES [EF ...]")?))?;
    let queries = std::fs::read_to_string(args.next().ok_or("usage: graph_recall INDEX QUERIES [EF ...]")?)?;
    let efs: Vec<usize> = args.map(|a| a.parse()).collect::<Result<_, _>>()?;
    let manifest = Manifest::read(&dir)?;
    let t = Instant::now();
    let store = VectorStore::open(&dir, manifest.dim, manifest.items)?;
    println!("opened {} items in {:.2} s; graph: {}", store.len(), t.elapsed().as_secs_f64(), store.has_graph());
    let embedder = Embedder::shared(&Assets::locate())?;
    let vectors: Vec<Vec<f32>> = queries
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|q| embedder.embed_query(q.trim()))
        .collect::<Result<_, _>>()?;
    let mut exact_time = Duration::ZERO;
    let exact: Vec<HashSet<_>> = vectors
        .iter()
        .map(|v| {
            let t = Instant::now();
            let top = store.top_k_exact(v, 100, |_| true);
            exact_time += t.elapsed();
            top.into_iter().map(|(o, _)| o).collect()
        })
        .collect();
    println!(
        "{} queries; exact scan mean {:.2} ms",
        vectors.len(),
        exact_time.as_secs_f64() * 1e3 / vectors.len() as f64
    );
    for ef in if efs.is_empty() { vec![128] } else { efs } {
        store.set_graph_expansion(ef);
        let (mut found, mut wanted, mut min) = (0, 0, 1f64);
        let mut times = Vec::new();
        for (v, truth) in vectors.iter().zip(&exact) {
            let t = Instant::now();
            let got = store.top_k(v, 100, |_| true);
            times.push(t.elapsed());
            let hit = got.iter().filter(|(o, _)| truth.contains(o)).count();
            found += hit;
            wanted += truth.len();
            min = min.min(hit as f64 / truth.len().max(1) as f64);
        }
        times.sort();
        println!(
            "ef {ef:>5}: recall@100 mean {:.4}, min {:.2}; top_k p50 {:.2} ms, p99 {:.2} ms",
            found as f64 / wanted.max(1) as f64,
            min,
            times[times.len() / 2].as_secs_f64() * 1e3,
            times[(times.len() * 99 / 100).min(times.len() - 1)].as_secs_f64() * 1e3
        );
    }
    Ok(())
}
