//! The embedding model's raw throughput and sosik's embedding pipeline on generated passages.

use super::*;

pub(crate) fn sample_passages(cli: &Cli, catalog: &Catalog, work: &Path) -> Result<Vec<String>> {
    let dir = work.join("embed-sample");
    let _ = std::fs::remove_dir_all(&dir);
    corpus::generate(&dir.join("posts"), &CorpusSpec::new(cli.seed ^ 0xE5, cli.embed_sample), catalog)?;
    let (items, _) = sosik_indexer::build::parse_posts(&dir.join("posts"))?;
    Ok(items.iter().flat_map(|i| i.embedding_chunks()).take(cli.embed_sample).collect())
}

pub(crate) fn embedding_throughput(cli: &Cli, catalog: &Catalog, assets: &Assets, work: &Path) -> Result<Value> {
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
