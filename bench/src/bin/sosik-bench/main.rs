//! `sosik-bench`: measures sosik at scale on generated corpora (issue #6). Not a test: it takes
//! minutes and prints figures, it asserts nothing but its own preconditions.
//!
//! ```text
//! cargo build --release -p sosik-indexer -p sosik-server -p sosik-bench
//! target/release/sosik-bench --items 10000,100000 [--dev-corpus ../shared/devcorpus]
//! ```
//!
//! Per size: generate a seeded corpus; give every item a vector (synthetic by default: the mean
//! of the model's vectors of the catalog names a passage mentions plus seeded noise, written into
//! a cache of the bench's own, so the build runs the real pipeline but the model is never asked
//! for item vectors; `--vectors model` embeds them for real); build the index with the release `sosik-indexer` (phase timings, peak RSS,
//! index size), rebuild it unchanged, rebuild after adding one post; open the engine in process
//! and time bm25/vector/hybrid searches with filters and facets; start the release `sosik-server`
//! (cold start to the first hybrid answer), load it with wrk on loopback for a bounded time per
//! mode, and read its RSS. Query vectors always come from the real model. Before the sizes, the
//! embedding model's raw throughput by intra-op threads × batch size, and sosik's own pipeline
//! (cache + embedder as the build runs it), on a sample of generated passages.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use clap::{Parser, ValueEnum};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{json, Value};
use sosik_bench::corpus::{self, CorpusSpec};
use sosik_bench::stats::{self, p50_95_99};
use sosik_bench::vectors::seed_cache;
use sosik_corpus::tagging::Catalog;
use sosik_embed::{Assets, EmbedOptions, Embedder, EmbeddingCache};
use sosik_engine::search::{Engine, FilterField, Filters, SearchRequest};
use sosik_indexer::build::report::BuildReport;
use sosik_types::SearchMode;

// One module per thing measured; each sees this file's imports and `Cli` through `use super::*`.
mod baseline;
mod builds;
mod embedding;
mod http;
mod multiselect;
mod queries;
mod size;
mod typeahead;

use baseline::*;
use builds::*;
use embedding::*;
use http::*;
use multiselect::*;
use queries::*;
use size::*;
use typeahead::*;

#[derive(Parser)]
#[command(name = "sosik-bench", about = "Measures sosik's build, search and serving costs on generated corpora")]
struct Cli {
    /// Corpus sizes in items.
    #[arg(long, value_delimiter = ',', default_values_t = [10_000usize, 100_000])]
    items: Vec<usize>,
    /// Seed of the generated corpora and synthetic vectors.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// Working folder (corpora, indexes, caches); each size's subfolder is replaced.
    #[arg(long, default_value = "target/bench")]
    work: PathBuf,
    /// Folder of the release `sosik-indexer` and `sosik-server` (default: beside this binary).
    #[arg(long)]
    bin_dir: Option<PathBuf>,
    /// Where item vectors come from.
    #[arg(long, value_enum, default_value_t = VectorSource::Synthetic)]
    vectors: VectorSource,
    /// Distinct queries (the filters cycle over them). At least 200 by default, so that p99 is
    /// not simply the slowest query.
    #[arg(long, default_value_t = 200)]
    queries: usize,
    /// Result depths (`limit`) every query is timed at, in process and with one HTTP client.
    #[arg(long, value_delimiter = ',', default_values_t = [10usize, 20, 100])]
    limits: Vec<usize>,
    /// Reuse a size's corpus and index from an earlier run in --work (no generation, no builds):
    /// for timing search changes against one index.
    #[arg(long)]
    reuse: bool,
    /// Timed rounds over the queries per mode in process (after the first, which embeds).
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// Seconds of wrk load per search mode.
    #[arg(long, default_value_t = 10)]
    http_seconds: u64,
    /// wrk connections (the server runs 4 requests at once on 2 cores by default).
    #[arg(long, default_value_t = 4)]
    connections: usize,
    /// Passages for the embedding-throughput table (0 skips it). At least
    /// sosik_embed::PARALLEL_MIN, so the pipeline runs as a build does (two sessions).
    #[arg(long, default_value_t = 96)]
    embed_sample: usize,
    /// Intra-op thread counts for the embedding table.
    #[arg(long, value_delimiter = ',', default_values_t = [1usize, 2])]
    embed_threads: Vec<usize>,
    /// Batch sizes for the embedding table.
    #[arg(long, value_delimiter = ',', default_values_t = [1usize, 4, 16])]
    embed_batches: Vec<usize>,
    /// Also time an unchanged rebuild of this corpus (the dev corpus) with the shared cache.
    #[arg(long)]
    dev_corpus: Option<PathBuf>,
    /// Skip the HTTP part (no server, no wrk).
    #[arg(long)]
    skip_http: bool,
    /// Build each generated corpus once: no unchanged rebuild and no rebuild after adding a post
    /// (at a million items each build takes many minutes, and what the rebuilds show does not
    /// depend on the size).
    #[arg(long)]
    first_build_only: bool,
    /// Build the generated corpora with `--vector-graph` (an HNSW graph the vector leg walks).
    #[arg(long)]
    vector_graph: bool,
    /// Time only typeahead and searches with several values per filter field, in process (no
    /// other search timings, no HTTP): with --reuse, a quick look at them on the last run's indexes.
    #[arg(long)]
    habits_only: bool,
    /// Also time typeahead on this existing index (the dev corpus's: real titles and story
    /// threads give typeahead far more candidates than a generated corpus).
    #[arg(long)]
    typeahead_index: Option<PathBuf>,
    /// Write every figure as JSON here too (default: <work>/results.json).
    #[arg(long)]
    json: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum VectorSource {
    /// Per passage, the model's vectors of the catalog names it mentions, averaged, plus seeded
    /// noise (`sosik_bench::vectors`): neighbourhoods like real embeddings', for the vector
    /// graph's recall, at the cost of embedding ~160 names.
    Synthetic,
    /// The real model embeds every passage (about 20–40 passages/s on 2 cores).
    Model,
}

/// mimalloc instead of glibc's malloc: a search allocates many small, short-lived strings and
/// lists (snippet tokens, hits), and glibc's bins spent a fifth of a 100-hit search's time in
/// `_int_malloc` (perf, bench at 10k items); with mimalloc that search's p50 fell from 6.6 to
/// 4.4 ms (BENCHMARKS.md, issue #14). Used by the bench (its in-process figures are the server's code).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    if let Err(e) = run(Cli::parse()) {
        eprintln!("error: {e:#}");
        std::process::exit(1);
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("bench/ is in the workspace").to_path_buf()
}

fn run(cli: Cli) -> Result<()> {
    if cli.items.is_empty() || cli.items.contains(&0) {
        bail!("--items needs positive sizes, got {:?}", cli.items);
    }
    if cli.queries == 0 {
        bail!("--queries must be at least 1");
    }
    let bin_dir = match &cli.bin_dir {
        Some(d) => d.clone(),
        None => std::env::current_exe()?.parent().context("this binary has no folder")?.to_path_buf(),
    };
    let indexer = bin_dir.join("sosik-indexer");
    let server = bin_dir.join("sosik-server");
    for bin in [&indexer, &server] {
        if !bin.is_file() {
            bail!(
                "{} is missing: build it with `cargo build --release -p sosik-indexer -p sosik-server` \
                 (or pass --bin-dir)",
                bin.display()
            );
        }
    }
    if !cfg!(debug_assertions) {
    } else {
        eprintln!("warning: sosik-bench is a debug build; in-process figures need --release");
    }
    std::fs::create_dir_all(&cli.work).with_context(|| format!("creating --work {}", cli.work.display()))?;
    let work = std::fs::canonicalize(&cli.work)?;
    let catalog = Catalog::builtin()?;
    let assets = Assets::locate();
    let mut results = json!({ "machine": machine(), "seed": cli.seed, "vectors": format!("{:?}", cli.vectors) });
    println!("# sosik-bench");
    println!("machine: {}", results["machine"]);
    println!(
        "item vectors: {}; query vectors: always the real model (multilingual-e5-small)",
        match cli.vectors {
            VectorSource::Synthetic =>
                "SYNTHETIC (the model embeds only the catalog's names; each passage is the mean of the names it \
                 mentions plus seeded noise: see sosik_bench::vectors)",
            VectorSource::Model => "the real model",
        }
    );

    let mut model_rate = None;
    if cli.embed_sample > 0 {
        results["embedding"] = embedding_throughput(&cli, &catalog, &assets, &work)?;
        model_rate = results["embedding"]["pipeline_per_s"].as_f64();
    }
    if let Some(dev) = &cli.dev_corpus {
        results["dev_corpus"] = dev_rebuild(&indexer, dev, &work)?;
    }
    if let Some(index) = &cli.typeahead_index {
        println!("\n## typeahead on {}", index.display());
        let engine = Engine::open(index, &sosik_ko::default_dictionary_dir(), Embedder::shared(&assets)?)?;
        println!("{} items", engine.manifest().items);
        results["typeahead_index"] = typeahead(&cli, &engine, &catalog)?;
        results["typeahead_index"]["items"] = json!(engine.manifest().items);
    }
    let mut sizes = Vec::new();
    for &n in &cli.items {
        sizes.push(one_size(&cli, n, &catalog, &assets, &indexer, &server, &work, model_rate)?);
    }
    results["sizes"] = Value::Array(sizes);
    results["load_after"] = json!(stats::loadavg());
    let path = cli.json.clone().unwrap_or_else(|| work.join("results.json"));
    std::fs::write(&path, serde_json::to_string_pretty(&results)?)?;
    println!("\nall figures as JSON: {}", path.display());
    Ok(())
}

fn machine() -> Value {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model =
        cpuinfo.lines().find_map(|l| l.strip_prefix("model name")).map(|m| m.trim_start_matches([' ', '\t', ':']));
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let total_gib = mem
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map(|kb| kb / 1024.0 / 1024.0);
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(repo_root())
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    json!({ "cpu": model, "cores": cores, "mem_gib": total_gib.map(|g| (g * 10.0).round() / 10.0),
            "loadavg_at_start": stats::loadavg(), "commit": commit,
            "date": chrono::Local::now().format("%Y-%m-%d %H:%M").to_string() })
}
