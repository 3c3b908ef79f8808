//! `sosik-bench`: measures sosik at scale on generated corpora (issue #6). Not a test: it takes
//! minutes and prints figures, it asserts nothing but its own preconditions.
//!
//! ```text
//! cargo build --release -p sosik-indexer -p sosik-server -p sosik-bench
//! target/release/sosik-bench --items 10000,100000 [--dev-corpus ../shared/devcorpus]
//! ```
//!
//! Per size: generate a seeded corpus; give every item a vector (synthetic by default: a seeded
//! random unit vector per passage, written into a cache of the bench's own, so the build runs
//! the real pipeline but the model is never asked for item vectors; `--vectors model` embeds
//! them for real); build the index with the release `sosik-indexer` (phase timings, peak RSS,
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
use sha2::{Digest, Sha256};
use sosik_bench::corpus::{self, CorpusSpec};
use sosik_bench::stats::{self, p50_95_99};
use sosik_corpus::tagging::Catalog;
use sosik_embed::{Assets, EmbedOptions, Embedder, EmbeddingCache, DIM};
use sosik_engine::search::{Engine, Filters, SearchRequest};
use sosik_indexer::build::report::BuildReport;
use sosik_types::SearchMode;

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
    /// Distinct queries (each runs with every filter in turn).
    #[arg(long, default_value_t = 40)]
    queries: usize,
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
    /// Write every figure as JSON here too (default: <work>/results.json).
    #[arg(long)]
    json: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum VectorSource {
    /// Seeded random unit vectors per passage, without the model (latency does not depend on
    /// what the vectors mean).
    Synthetic,
    /// The real model embeds every passage (about 20–40 passages/s on 2 cores).
    Model,
}

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
                "SYNTHETIC (seeded random unit vectors, no model) — latency does not depend on them",
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

// ---------------------------------------------------------------- embedding throughput

fn sample_passages(cli: &Cli, catalog: &Catalog, work: &Path) -> Result<Vec<String>> {
    let dir = work.join("embed-sample");
    let _ = std::fs::remove_dir_all(&dir);
    corpus::generate(&dir.join("posts"), &CorpusSpec::new(cli.seed ^ 0xE5, cli.embed_sample), catalog)?;
    let (items, _) = sosik_indexer::build::parse_posts(&dir.join("posts"))?;
    Ok(items.iter().flat_map(|i| i.embedding_chunks()).take(cli.embed_sample).collect())
}

fn embedding_throughput(cli: &Cli, catalog: &Catalog, assets: &Assets, work: &Path) -> Result<Value> {
    let passages = sample_passages(cli, catalog, work)?;
    let refs: Vec<&str> = passages.iter().map(String::as_str).collect();
    let chars = passages.iter().map(|p| p.chars().count()).sum::<usize>() / passages.len().max(1);
    println!("\n## embedding throughput ({} generated passages, {chars} characters on average)", passages.len());
    println!("load average before: {:?}", stats::loadavg());
    println!("{:>8} {:>6} {:>12} {:>16}", "threads", "batch", "passages/s", "per CPU-second");
    let mut rows = Vec::new();
    for &threads in &cli.embed_threads {
        let embedder = Embedder::open_with(assets, EmbedOptions { threads, batch_size: 1 })?;
        embedder.embed_passages(&refs[..refs.len().min(4)])?; // warm-up
        for &batch in &cli.embed_batches {
            let (cpu, t) = (stats::cpu_seconds(), Instant::now());
            embedder.embed_passages_batched(&refs, batch)?;
            let (wall, cpu) = (t.elapsed().as_secs_f64(), stats::cpu_seconds() - cpu);
            let rate = refs.len() as f64 / wall;
            println!("{threads:>8} {batch:>6} {rate:>12.1} {:>16.1}", refs.len() as f64 / cpu);
            rows.push(json!({ "threads": threads, "batch": batch, "passages_per_s": rate,
                              "passages_per_cpu_s": refs.len() as f64 / cpu }));
        }
    }
    // Two sessions of one thread each, each embedding half: inter-op parallelism by data.
    let pair = [
        Embedder::open_with(assets, EmbedOptions { threads: 1, batch_size: 1 })?,
        Embedder::open_with(assets, EmbedOptions { threads: 1, batch_size: 1 })?,
    ];
    let half = refs.len() / 2;
    let t = Instant::now();
    std::thread::scope(|s| -> Result<()> {
        let a = s.spawn(|| pair[0].embed_passages(&refs[..half]));
        let b = s.spawn(|| pair[1].embed_passages(&refs[half..]));
        a.join().expect("embedding thread")?;
        b.join().expect("embedding thread")?;
        Ok(())
    })?;
    let two_sessions = refs.len() as f64 / t.elapsed().as_secs_f64();
    println!("2 sessions × 1 thread, batch 1, in parallel: {two_sessions:.1} passages/s");
    drop(pair);

    // The pipeline as `sosik-indexer build` runs it: the default embedder through a fresh cache.
    let embedder = Embedder::shared(assets)?;
    let cache_path = work.join("embed-sample").join("cache.bin");
    let _ = std::fs::remove_file(&cache_path);
    let mut cache = EmbeddingCache::open(&cache_path, embedder.model_id())?;
    let t = Instant::now();
    let (_, st) = cache.embed_passages_cached(embedder, &refs, |_, _| {})?;
    let pipeline = st.misses as f64 / t.elapsed().as_secs_f64();
    let raw_best = rows.iter().filter_map(|r| r["passages_per_s"].as_f64()).fold(two_sessions, f64::max);
    let sessions =
        if refs.len() >= sosik_embed::PARALLEL_MIN && std::thread::available_parallelism()?.get() > 1 { 2 } else { 1 };
    println!(
        "pipeline (cache + embedder, {:?}, {sessions} session(s), second session's load included): {pipeline:.1} passages/s = {:.0}% of the best raw figure ({raw_best:.1})",
        embedder.options(),
        100.0 * pipeline / raw_best
    );
    Ok(json!({ "passages": refs.len(), "avg_chars": chars, "raw": rows, "two_sessions_per_s": two_sessions,
               "pipeline_per_s": pipeline, "pipeline_options": format!("{:?}", embedder.options()),
               "pipeline_sessions": sessions,
               "raw_best_per_s": raw_best }))
}

// ---------------------------------------------------------------- builds

struct BuildRun {
    wall_s: f64,
    peak_rss_mib: f64,
    report: BuildReport,
}

/// Runs `sosik-indexer build` as a child and reads its peak RSS from `wait4`.
fn build(indexer: &Path, posts: &Path, index: &Path, cache: Option<&Path>) -> Result<BuildRun> {
    let mut cmd = Command::new(indexer);
    cmd.args(["build", "--posts"]).arg(posts).arg("--index").arg(index);
    if let Some(cache) = cache {
        cmd.arg("--embedding-cache").arg(cache);
    }
    let t = Instant::now();
    let child = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().context("starting sosik-indexer")?;
    let pid = child.id() as libc::pid_t;
    let mut stderr = child.stderr.expect("piped");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; status and usage are ours to fill
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall_s = t.elapsed().as_secs_f64();
    let err = reader.join().unwrap_or_default();
    if waited != pid || !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        bail!("sosik-indexer build of {} failed: {err}", posts.display());
    }
    let report_path = index.join(sosik_engine::format::IndexFile::Report.name());
    let report: BuildReport = serde_json::from_slice(&std::fs::read(&report_path)?)
        .with_context(|| format!("reading {}", report_path.display()))?;
    Ok(BuildRun { wall_s, peak_rss_mib: usage.ru_maxrss as f64 / 1024.0, report })
}

fn build_json(run: &BuildRun, index: &Path) -> Value {
    let t = &run.report.timings;
    let items = run.report.items as f64;
    let size = stats::dir_bytes(&std::fs::canonicalize(index).unwrap_or_else(|_| index.to_path_buf()));
    json!({ "wall_s": run.wall_s, "items": run.report.items, "items_per_s": items / run.wall_s,
            "peak_rss_mib": run.peak_rss_mib, "index_mib": size as f64 / 1048576.0,
            "embeddings_computed": run.report.embeddings_computed, "embeddings_cached": run.report.embeddings_cached,
            "parse_s": t.parse_s, "embed_s": t.embed_s, "tag_s": t.tag_s, "tokenise_s": t.tokenise_s,
            "bm25_write_s": t.bm25_s, "groups_s": t.groups_s, "total_s": t.total_s })
}

fn print_build(label: &str, v: &Value) {
    let f = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    let per = |k: &str| if f(k) > 0.0 { f("items") / f(k) } else { f64::INFINITY };
    println!(
        "{label}: {:.1} s wall ({:.0} items/s), peak RSS {:.0} MiB, index {:.1} MiB, embeddings {} computed / {} cached",
        f("wall_s"),
        f("items_per_s"),
        f("peak_rss_mib"),
        f("index_mib"),
        v["embeddings_computed"],
        v["embeddings_cached"]
    );
    println!(
        "    parse {:.2} s ({:.0}/s) · embed {:.2} s · tag {:.2} s ({:.0}/s) · tokenise {:.2} s ({:.0}/s) · BM25 write \
         {:.2} s ({:.0}/s) · vectors+duplicates+stories {:.2} s · build total {:.2} s",
        f("parse_s"),
        per("parse_s"),
        f("embed_s"),
        f("tag_s"),
        per("tag_s"),
        f("tokenise_s"),
        per("tokenise_s"),
        f("bm25_write_s"),
        per("bm25_write_s"),
        f("groups_s"),
        f("total_s"),
    );
}

fn dev_rebuild(indexer: &Path, dev: &Path, work: &Path) -> Result<Value> {
    println!("\n## unchanged rebuild of {} (shared embedding cache)", dev.display());
    let index = work.join("dev-index");
    build(indexer, dev, &index, None)?; // brings the cache up to date if needed
    println!("load average: {:?}", stats::loadavg());
    let run = build(indexer, dev, &index, None)?;
    let v = build_json(&run, &index);
    print_build("unchanged rebuild", &v);
    println!(
        "target: < 10 s and 0 embeddings → {} ({:.1} s, {} computed)",
        verdict(run.wall_s < 10.0 && run.report.embeddings_computed == 0),
        run.wall_s,
        run.report.embeddings_computed
    );
    Ok(v)
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "MET"
    } else {
        "MISSED"
    }
}

/// A seeded random unit vector for a passage: the same text always gets the same vector.
fn synthetic_vector(seed: u64, text: &str) -> Vec<f32> {
    let digest = Sha256::new().chain_update(seed.to_le_bytes()).chain_update(text.as_bytes()).finalize();
    let mut rng = ChaCha8Rng::from_seed(digest.into());
    // sum of uniforms ≈ normal: directions are uniform enough for a latency bench
    let mut v: Vec<f32> = (0..DIM).map(|_| (0..4).map(|_| rng.random::<f32>() - 0.5).sum()).collect();
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    v.iter_mut().for_each(|x| *x /= norm);
    v
}

/// Fills the bench's cache with synthetic vectors for every passage of the corpus.
fn seed_cache(seed: u64, posts: &Path, cache: &Path, model_id: &str) -> Result<usize> {
    let (items, _) = sosik_indexer::build::parse_posts(posts)?;
    let texts: Vec<String> = items.iter().flat_map(|i| i.embedding_chunks()).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let vectors: Vec<Vec<f32>> = refs.iter().map(|t| synthetic_vector(seed, t)).collect();
    let mut cache = EmbeddingCache::open(cache, model_id)?;
    Ok(cache.insert_passages(&refs, &vectors)?)
}

// ---------------------------------------------------------------- queries

fn queries(seed: u64, n: usize, catalog: &Catalog) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x9E3779B97F4A7C15);
    let hangul = |s: &str| s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
    let name = |c: &sosik_corpus::tagging::Company| c.aliases.iter().find(|a| hangul(a)).unwrap_or(&c.name).clone();
    let mut out = Vec::new();
    while out.len() < n {
        let c = &catalog.companies[rng.random_range(0..catalog.companies.len())];
        let t = &catalog.topics[rng.random_range(0..catalog.topics.len())];
        let q = match out.len() % 5 {
            0 => name(c),
            1 => format!("{} {}", name(c), t.name_ko),
            2 => t.name_ko.clone(),
            3 => format!("{}가 발표한 {} 전략은?", name(c), t.name_ko),
            _ => format!("{} {}", c.name, t.name_en),
        };
        if !out.contains(&q) {
            out.push(q);
        }
    }
    out
}

/// Filter variants cycled through by the queries: facets are always computed.
fn filter_variants(catalog: &Catalog) -> Vec<(Filters, String)> {
    let company = catalog.companies.iter().find(|c| c.slug == "openai").unwrap_or(&catalog.companies[0]).slug.clone();
    let topic = catalog.topics[0].slug.clone();
    let from = chrono::NaiveDate::from_ymd_opt(2023, 1, 1);
    let to = chrono::NaiveDate::from_ymd_opt(2023, 12, 31);
    vec![
        (Filters::default(), String::new()),
        (Filters { company: Some(company.clone()), ..Default::default() }, format!("&company={company}")),
        (Filters { topic: Some(topic.clone()), ..Default::default() }, format!("&topic={topic}")),
        (Filters { from, to, ..Default::default() }, "&from=2023-01-01&to=2023-12-31".into()),
        (Filters { source: Some("news.example.com".into()), ..Default::default() }, "&source=news.example.com".into()),
    ]
}

fn mode_name(mode: SearchMode) -> &'static str {
    match mode {
        SearchMode::Bm25 => "bm25",
        SearchMode::Vector => "vector",
        SearchMode::Hybrid => "hybrid",
    }
}

fn in_process(cli: &Cli, index: &Path, catalog: &Catalog, assets: &Assets) -> Result<Value> {
    let dict = sosik_ko::default_dictionary_dir();
    let embedder = Embedder::shared(assets)?;
    let t = Instant::now();
    let engine = Engine::open(index, &dict, embedder)?;
    let open_s = t.elapsed().as_secs_f64();
    let rss_open = stats::proc_status_mib("self", "VmRSS");
    let qs = queries(cli.seed, cli.queries, catalog);
    let variants = filter_variants(catalog);
    let requests: Vec<SearchRequest> = qs
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let mut r = SearchRequest::new(q.clone(), SearchMode::Hybrid, 20);
            r.filters = variants[i % variants.len()].0.clone();
            r
        })
        .collect();
    let time = |mode: SearchMode| -> Result<Vec<Duration>> {
        let mut out = Vec::with_capacity(requests.len());
        for r in &requests {
            let mut r = r.clone();
            r.mode = mode;
            let t = Instant::now();
            let res = engine.search(&r)?;
            out.push(t.elapsed());
            std::hint::black_box(res);
        }
        Ok(out)
    };
    // First pass: every query is new, so hybrid embeds it (the model's latency is included).
    let fresh = time(SearchMode::Hybrid)?;
    let mut by_mode: Vec<(SearchMode, Vec<Duration>)> =
        [SearchMode::Bm25, SearchMode::Vector, SearchMode::Hybrid].into_iter().map(|m| (m, Vec::new())).collect();
    for _ in 0..cli.rounds.max(1) {
        for (mode, samples) in &mut by_mode {
            samples.extend(time(*mode)?);
        }
    }
    println!(
        "in process: Engine::open {open_s:.2} s (RSS then {:.0} MiB); {} queries × filters (none, company, topic, \
         dates, source), facets on, limit 20",
        rss_open.unwrap_or(f64::NAN),
        qs.len()
    );
    let mut out = json!({ "engine_open_s": open_s, "rss_after_open_mib": rss_open, "queries": qs.len() });
    let [a, b, c] = p50_95_99(&fresh);
    println!("    hybrid, new queries (query embedded by the model): p50 {a:.1} ms  p95 {b:.1}  p99 {c:.1}");
    out["hybrid_new_query"] = json!({ "p50": a, "p95": b, "p99": c, "n": fresh.len() });
    for (mode, samples) in &by_mode {
        let [a, b, c] = p50_95_99(samples);
        println!(
            "    {:<6} repeated queries (query vector cached): p50 {a:.1} ms  p95 {b:.1}  p99 {c:.1}",
            mode_name(*mode)
        );
        out[mode_name(*mode)] = json!({ "p50": a, "p95": b, "p99": c, "n": samples.len() });
    }
    Ok(out)
}

// ---------------------------------------------------------------- HTTP

struct Server {
    child: std::process::Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        // SIGTERM: the server drains and exits 0
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

fn http_get(url: &str) -> Result<u16> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let mut res = agent.get(url).call()?;
    let status = res.status().as_u16();
    let _ = res.body_mut().read_to_vec();
    Ok(status)
}

fn start_server(server: &Path, index: &Path, log: &Path) -> Result<(Server, f64, f64)> {
    let t = Instant::now();
    let mut child = Command::new(server)
        .arg("--index")
        .arg(index)
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(log)?)
        .spawn()
        .context("starting sosik-server")?;
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(at) = line.find("http://") {
                let _ = tx.send(line[at..].trim_end_matches('/').to_string());
            }
        }
    });
    let url = rx
        .recv_timeout(Duration::from_secs(300))
        .with_context(|| format!("sosik-server printed no address within 300 s; see {}", log.display()))?;
    let listening_s = t.elapsed().as_secs_f64();
    let server = Server { child, url };
    let first = format!("{}/api/search?q=%EC%97%94%EB%B9%84%EB%94%94%EC%95%84&mode=hybrid", server.url);
    loop {
        if http_get(&first).ok() == Some(200) {
            break;
        }
        if t.elapsed() > Duration::from_secs(300) {
            bail!("sosik-server gave no answer within 300 s; see {}", log.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok((server, listening_s, t.elapsed().as_secs_f64()))
}

fn wrk(cli: &Cli, url: &str, paths: &Path) -> Result<Value> {
    let out = Command::new("wrk")
        .args(["--latency", "-t", "2", "-c", &cli.connections.to_string()])
        .args(["-d", &format!("{}s", cli.http_seconds), "--timeout", "10s", "-s"])
        .arg(repo_root().join("scripts/load.lua"))
        .arg(url)
        .arg("--")
        .arg(paths)
        .output()
        .context("running wrk (install it with `bash scripts/setup/wrk.sh`)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("LOAD-SUMMARY "))
        .with_context(|| format!("wrk printed no LOAD-SUMMARY: {}{}", text, String::from_utf8_lossy(&out.stderr)))?;
    Ok(serde_json::from_str(line)?)
}

fn over_http(cli: &Cli, index: &Path, server: &Path, catalog: &Catalog, dir: &Path) -> Result<Value> {
    let (srv, listening_s, first_s) = start_server(server, index, &dir.join("server.log"))?;
    let pid = srv.child.id().to_string();
    println!(
        "over HTTP: cold start {first_s:.2} s to the first hybrid answer (listening after {listening_s:.2} s); RSS \
         then {:.0} MiB",
        stats::proc_status_mib(&pid, "VmRSS").unwrap_or(f64::NAN)
    );
    let mut out = json!({ "cold_start_s": first_s, "listening_s": listening_s,
                          "rss_after_start_mib": stats::proc_status_mib(&pid, "VmRSS") });
    let qs = queries(cli.seed, cli.queries, catalog);
    let variants = filter_variants(catalog);
    for mode in [SearchMode::Bm25, SearchMode::Vector, SearchMode::Hybrid] {
        let lines: Vec<String> = qs
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let q: String = q
                    .bytes()
                    .map(|b| match b {
                        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
                        _ => format!("%{b:02X}"),
                    })
                    .collect();
                format!("/api/search?q={q}&mode={}{}", mode_name(mode), variants[i % variants.len()].1)
            })
            .collect();
        let paths = dir.join(format!("paths-{}.txt", mode_name(mode)));
        std::fs::write(&paths, lines.join("\n") + "\n")?;
        let load = stats::loadavg();
        let s = wrk(cli, &srv.url, &paths)?;
        let l = &s["latency_ms"];
        println!(
            "    {:<6} wrk {} connections {} s: {} requests ({} /s), errors {}, latency p50 {} ms  p95 {}  p99 {}  max \
             {} (load {:?})",
            mode_name(mode),
            cli.connections,
            cli.http_seconds,
            s["requests"],
            s["rps"],
            s["errors"],
            l["p50"],
            l["p95"],
            l["p99"],
            l["max"],
            load
        );
        out[mode_name(mode)] = s;
    }
    let rss = stats::proc_status_mib(&pid, "VmRSS");
    let hwm = stats::proc_status_mib(&pid, "VmHWM");
    println!(
        "    server RSS after load {:.0} MiB (peak {:.0} MiB) — target ≤ 1536 MiB → {}",
        rss.unwrap_or(f64::NAN),
        hwm.unwrap_or(f64::NAN),
        verdict(hwm.is_some_and(|h| h <= 1536.0))
    );
    out["rss_after_load_mib"] = json!(rss);
    out["rss_peak_mib"] = json!(hwm);
    Ok(out)
}

// ---------------------------------------------------------------- one size

#[allow(clippy::too_many_arguments)] // the run's settings, each used once; a struct would only rename them
fn one_size(
    cli: &Cli,
    n: usize,
    catalog: &Catalog,
    assets: &Assets,
    indexer: &Path,
    server: &Path,
    work: &Path,
    model_rate: Option<f64>,
) -> Result<Value> {
    let dir = work.join(format!("items-{n}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let posts = dir.join("posts");
    let index = dir.join("index");
    let cache = dir.join("embeddings.bin");
    println!("\n## {n} items (seed {}); load average {:?}", cli.seed, stats::loadavg());
    let t = Instant::now();
    let summary = corpus::generate(&posts, &CorpusSpec::new(cli.seed, n), catalog)?;
    println!(
        "generated {} posts, {} items, {:.1} MiB in {:.1} s",
        summary.posts,
        summary.items,
        summary.bytes as f64 / 1048576.0,
        t.elapsed().as_secs_f64()
    );
    let mut out = json!({ "items": n, "posts": summary.posts, "corpus_mib": summary.bytes as f64 / 1048576.0 });
    if cli.vectors == VectorSource::Synthetic {
        let t = Instant::now();
        let model_id = std::fs::read_to_string(assets.model_dir.join("MODEL_ID"))?.trim().to_string();
        let added = seed_cache(cli.seed, &posts, &cache, &model_id)?;
        println!(
            "synthetic item vectors: {added} passages written to the bench's cache in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }

    let first = build(indexer, &posts, &index, Some(&cache))?;
    let v = build_json(&first, &index);
    print_build("first build", &v);
    out["build"] = v;
    // With synthetic vectors the build does not run the model for items; what it would cost at
    // the pipeline's measured rate, and the model's share of such a build:
    let t = &first.report.timings;
    let passages = first.report.embeddings_computed + first.report.embeddings_cached;
    if let Some(rate) = model_rate.filter(|_| cli.vectors == VectorSource::Synthetic) {
        let embed_s = passages as f64 / rate;
        let rest_s = first.wall_s - t.embed_s;
        let share = embed_s / (embed_s + rest_s);
        println!(
            "    with the real model at the measured {rate:.1} passages/s, embedding {passages} passages takes {embed_s:.0} s \
             = {:.1}% of the build (target ≥ 90% → {})",
            100.0 * share,
            verdict(share >= 0.9)
        );
        out["build"]["projected_model_embed_s"] = json!(embed_s);
        out["build"]["projected_embed_share"] = json!(share);
    } else if cli.vectors == VectorSource::Model {
        let share = t.embed_s / first.wall_s;
        println!("    embedding share of the build: {:.1}% (target ≥ 90% → {})", 100.0 * share, verdict(share >= 0.9));
        out["build"]["embed_share"] = json!(share);
    }
    let again = build(indexer, &posts, &index, Some(&cache))?;
    let v = build_json(&again, &index);
    print_build("unchanged rebuild", &v);
    println!(
        "    embeddings computed on the unchanged rebuild: {} → {}",
        again.report.embeddings_computed,
        verdict(again.report.embeddings_computed == 0)
    );
    out["rebuild"] = v;

    // One more post: only its passages may be embedded (by the real model).
    let extra = corpus::posts(
        &CorpusSpec {
            start: chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap(),
            ..CorpusSpec::new(cli.seed ^ 0xADD, 8)
        },
        catalog,
    );
    let extra_dir = dir.join("extra");
    std::fs::create_dir_all(&extra_dir)?;
    for p in &extra {
        std::fs::write(extra_dir.join(&p.file_name), &p.text)?;
        std::fs::write(posts.join(&p.file_name), &p.text)?;
    }
    let (extra_items, _) = sosik_indexer::build::parse_posts(&extra_dir)?;
    let extra_passages: usize = extra_items.iter().map(|i| i.embedding_chunks().len()).sum();
    let added = build(indexer, &posts, &index, Some(&cache))?;
    let v = build_json(&added, &index);
    print_build("rebuild after adding one post", &v);
    println!(
        "    embeddings computed: {} for a post of {} passages → {}",
        added.report.embeddings_computed,
        extra_passages,
        verdict(added.report.embeddings_computed == extra_passages)
    );
    out["add_one_post"] = v;
    out["add_one_post"]["post_passages"] = json!(extra_passages);

    let searched = in_process(cli, &index, catalog, assets)?;
    out["in_process"] = searched;
    if !cli.skip_http {
        out["http"] = over_http(cli, &index, server, catalog, &dir)?;
    }
    Ok(out)
}
