//! Query sets and the in-process search timings.

use super::*;

/// `n` distinct queries of eight kinds, seeded: a Korean company name, an English one, a name with
/// a topic, a topic or one of its keywords alone, a question, an English name with an English topic, Latin and Hangul
/// mixed, and a long descriptive sentence (the shape of a paraphrase query).
pub(crate) fn queries(seed: u64, n: usize, catalog: &Catalog) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x9E3779B97F4A7C15);
    let hangul = |s: &str| s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
    let name = |c: &sosik_corpus::tagging::Company| c.aliases.iter().find(|a| hangul(a)).unwrap_or(&c.name).clone();
    let mut out = Vec::new();
    let mut tries = 0;
    while out.len() < n {
        tries += 1;
        assert!(tries < 100 * n + 1000, "the catalog is too small for {n} distinct queries");
        let c = &catalog.companies[rng.random_range(0..catalog.companies.len())];
        let d = &catalog.companies[rng.random_range(0..catalog.companies.len())];
        let t = &catalog.topics[rng.random_range(0..catalog.topics.len())];
        let q = match out.len() % 8 {
            0 => name(c),
            1 => c.name.clone(),
            2 => format!("{} {}", name(c), t.name_ko),
            // a topic's name or one of its keywords (22 topics are too few for a quarter of 200 queries)
            3 => match rng.random_range(0..=t.keywords.len()) {
                0 => t.name_ko.clone(),
                i => t.keywords[i - 1].clone(),
            },
            4 => format!("{}가 발표한 {} 전략은?", name(c), t.name_ko),
            5 => format!("{} {}", c.name, t.name_en),
            6 => format!("{} {} 발표", c.name, t.name_ko),
            _ => format!("{}와 {}가 {} 분야에서 새로 내놓은 계획과 그 영향을 다룬 소식", name(c), name(d), t.name_ko),
        };
        if !out.contains(&q) {
            out.push(q);
        }
    }
    out
}

/// Filter variants cycled through by the queries: facets are always computed.
pub(crate) fn filter_variants(catalog: &Catalog) -> Vec<(Filters, String)> {
    let company = catalog.companies.iter().find(|c| c.slug == "openai").unwrap_or(&catalog.companies[0]).slug.clone();
    let topic = catalog.topics[0].slug.clone();
    let from = chrono::NaiveDate::from_ymd_opt(2023, 1, 1);
    let to = chrono::NaiveDate::from_ymd_opt(2023, 12, 31);
    vec![
        (Filters::default(), String::new()),
        (Filters::one(FilterField::Company, company.clone()), format!("&company={company}")),
        (Filters::one(FilterField::Topic, topic.clone()), format!("&topic={topic}")),
        (Filters { from, to, ..Default::default() }, "&from=2023-01-01&to=2023-12-31".into()),
        (Filters::one(FilterField::Source, "news.example.com"), "&source=news.example.com".into()),
    ]
}

pub(crate) fn mode_name(mode: SearchMode) -> &'static str {
    match mode {
        SearchMode::Bm25 => "bm25",
        SearchMode::Vector => "vector",
        SearchMode::Hybrid => "hybrid",
    }
}

/// Search latency in process at every `--limits` depth, the same queries at each. Per limit:
/// first every query once in hybrid mode with the query-vector cache emptied (the model embeds
/// each one: what a new query costs), then `--rounds` rounds in which each query runs, one after
/// the other, in the bigram baseline ([`BigramBaseline`]) and in bm25 mode (top-k, then
/// scoring every match: [`Engine::search_ranking_every_match`]), vector and hybrid mode (vector
/// cached). Filters cycle through [`filter_variants`]; facets are always computed.
pub(crate) fn in_process(cli: &Cli, index: &Path, catalog: &Catalog, assets: &Assets) -> Result<Value> {
    let dict = sosik_ko::default_dictionary_dir();
    let embedder = Embedder::shared(assets)?;
    let t = Instant::now();
    let engine = Engine::open(index, &dict, embedder)?;
    let open_s = t.elapsed().as_secs_f64();
    let rss_open = stats::proc_status_mib("self", "VmRSS");
    let baseline = BigramBaseline::open(engine.dir())?;
    let qs = queries(cli.seed, cli.queries, catalog);
    let variants = filter_variants(catalog);
    println!(
        "in process: Engine::open {open_s:.2} s (RSS then {:.0} MiB); {} distinct queries × filters (none, company, \
         topic, dates, source), facets on; baseline = bigram BM25 top-k over the same index (no filters, facets or \
         stored fields)",
        rss_open.unwrap_or(f64::NAN),
        qs.len()
    );
    let mut out = json!({ "engine_open_s": open_s, "rss_after_open_mib": rss_open, "queries": qs.len(),
                          "rounds": cli.rounds.max(1), "by_limit": {} });
    out["typeahead"] = typeahead(cli, &engine, catalog)?;
    out["three_values_per_field"] = three_values_per_field(cli, &engine, &qs, catalog)?;
    if cli.habits_only {
        return Ok(out);
    }
    // The vector leg's recall@100 against an exact scan (when the store is big enough to be
    // searched through int8 codes and a shortlist).
    let recalls = qs.iter().map(|q| engine.vector_recall(q, 100)).collect::<Result<Option<Vec<f64>>, _>>()?;
    match recalls {
        None => println!("  vector leg: exact f32 scan (below the int8 threshold)"),
        Some(r) => {
            let mean = r.iter().sum::<f64>() / r.len() as f64;
            let min = r.iter().copied().fold(1.0, f64::min);
            let how = if engine.vector_graph() { "HNSW graph (usearch, int8)" } else { "int8 scan" };
            println!(
                "  vector leg: {how} + f32 re-score; recall@100 against the exact scan: mean {mean:.4}, min {min:.2} \
                 ({} queries, no filter)",
                r.len()
            );
            out["vector_search"] = json!(how);
            out["vector_recall_at_100"] = json!({ "mean": mean, "min": min, "queries": r.len() });
            // and within each filter the latency runs cycle through
            let mut by_filter = serde_json::Map::new();
            for (filters, name) in &variants {
                let r = qs
                    .iter()
                    .map(|q| engine.vector_recall_filtered(q, 100, filters))
                    .collect::<Result<Option<Vec<f64>>, _>>()?
                    .unwrap_or_default();
                let mean = r.iter().sum::<f64>() / r.len().max(1) as f64;
                let min = r.iter().copied().fold(1.0, f64::min);
                let name = if name.is_empty() { "none" } else { name.trim_start_matches('&') };
                println!("    within filter {name}: mean {mean:.4}, min {min:.2}");
                by_filter.insert(name.to_string(), json!({ "mean": mean, "min": min }));
            }
            out["vector_recall_at_100_by_filter"] = by_filter.into();
        }
    }
    for &limit in &cli.limits {
        let requests: Vec<SearchRequest> = qs
            .iter()
            .enumerate()
            .map(|(i, q)| {
                let mut r = SearchRequest::new(q.clone(), SearchMode::Hybrid, limit);
                r.filters = variants[i % variants.len()].0.clone();
                r
            })
            .collect();
        let load = stats::loadavg();
        let time_with = |r: &SearchRequest, mode: SearchMode, every_match: bool| -> Result<Duration> {
            let mut r = r.clone();
            r.mode = mode;
            let t = Instant::now();
            let res = if every_match { engine.search_ranking_every_match(&r)? } else { engine.search(&r)? };
            let took = t.elapsed();
            std::hint::black_box(res);
            Ok(took)
        };
        let time = |r: &SearchRequest, mode: SearchMode| time_with(r, mode, false);
        // Every query new: the model embeds each one inside the timed search.
        engine.forget_query_vectors();
        let fresh = requests.iter().map(|r| time(r, SearchMode::Hybrid)).collect::<Result<Vec<_>>>()?;
        let (mut base, mut bm25, mut vector, mut hybrid) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        let mut bm25_all = Vec::new();
        for round in 0..cli.rounds.max(1) {
            for r in &requests {
                let t = Instant::now();
                std::hint::black_box(baseline.top_k(&r.q, limit)?);
                base.push(t.elapsed());
                // the two bm25 paths alternate which runs first: the second finds the query's
                // postings and stored items warm
                if round % 2 == 0 {
                    bm25.push(time(r, SearchMode::Bm25)?);
                    bm25_all.push(time_with(r, SearchMode::Bm25, true)?);
                } else {
                    bm25_all.push(time_with(r, SearchMode::Bm25, true)?);
                    bm25.push(time(r, SearchMode::Bm25)?);
                }
                vector.push(time(r, SearchMode::Vector)?);
                hybrid.push(time(r, SearchMode::Hybrid)?);
            }
        }
        let row = |s: &[Duration]| {
            let [a, b, c] = p50_95_99(s);
            json!({ "p50": a, "p95": b, "p99": c, "n": s.len() })
        };
        let ratio = stats::percentile_ms(&bm25, 50.0) / stats::percentile_ms(&base, 50.0);
        let v = json!({ "bm25": row(&bm25), "bm25_every_match_ranked": row(&bm25_all), "vector_cached": row(&vector), "hybrid_new_query": row(&fresh),
                        "hybrid_cached": row(&hybrid), "baseline_bigram_topk": row(&base),
                        "bm25_p50_over_baseline_p50": ratio, "load_before": load });
        println!("  limit {limit} (load {load:?}):");
        for (name, key) in [
            ("bm25", "bm25"),
            ("bm25, every match ranked (sorted)", "bm25_every_match_ranked"),
            ("vector, query vector cached", "vector_cached"),
            ("hybrid, new query (model embeds it)", "hybrid_new_query"),
            ("hybrid, query vector cached", "hybrid_cached"),
            ("baseline: bigram BM25 top-k", "baseline_bigram_topk"),
        ] {
            let r = &v[key];
            println!(
                "    {name:<38} p50 {:>6.2} ms  p95 {:>6.2}  p99 {:>6.2}  (n {})",
                r["p50"].as_f64().unwrap_or(f64::NAN),
                r["p95"].as_f64().unwrap_or(f64::NAN),
                r["p99"].as_f64().unwrap_or(f64::NAN),
                r["n"]
            );
        }
        println!("    bm25 p50 / baseline p50 = {ratio:.1}×");
        out["by_limit"][limit.to_string()] = v;
    }
    Ok(out)
}
