//! Everything measured for one corpus size.

use super::*;

#[allow(clippy::too_many_arguments)] // the run's settings, each used once; a struct would only rename them
pub(crate) fn one_size(
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
    let index = dir.join("index");
    println!("\n## {n} items (seed {}); load average {:?}", cli.seed, stats::loadavg());
    let mut out = if cli.reuse && index.join("manifest.json").is_file() {
        println!("reusing the corpus and index in {} (--reuse: no generation, no builds)", dir.display());
        json!({ "items": n, "reused": true })
    } else {
        generate_and_build(cli, n, catalog, assets, indexer, &dir, model_rate)?
    };
    out["in_process"] = in_process(cli, &index, catalog, assets)?;
    if !cli.skip_http && !cli.habits_only {
        out["http_one_client"] = one_client(cli, &index, server, catalog, &dir)?;
        out["http"] = over_http(cli, &index, server, catalog, &dir)?;
    }
    Ok(out)
}

/// Generates the corpus of `n` items into `dir` (replacing it), builds it, rebuilds it unchanged
/// and rebuilds it after adding one post (not with `--first-build-only`).
fn generate_and_build(
    cli: &Cli,
    n: usize,
    catalog: &Catalog,
    assets: &Assets,
    indexer: &Path,
    dir: &Path,
    model_rate: Option<f64>,
) -> Result<Value> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let posts = dir.join("posts");
    let index = dir.join("index");
    let cache = dir.join("embeddings.bin");
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
        let added = seed_cache(cli.seed, &posts, &cache, catalog, Embedder::shared(assets)?)?;
        println!(
            "synthetic item vectors (catalog names' model vectors plus seeded noise, see sosik_bench::vectors): \
             {added} passages written to the bench's cache in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }

    let first = build(indexer, &posts, &index, Some(&cache), cli.vector_graph)?;
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
    if cli.first_build_only {
        println!("    no rebuilds (--first-build-only)");
        return Ok(out);
    }
    let again = build(indexer, &posts, &index, Some(&cache), cli.vector_graph)?;
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
    let added = build(indexer, &posts, &index, Some(&cache), cli.vector_graph)?;
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
    Ok(out)
}
