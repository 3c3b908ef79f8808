//! Query sets and the in-process search timings.

use super::*;

pub(crate) fn queries(seed: u64, n: usize, catalog: &Catalog) -> Vec<String> {
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
pub(crate) fn filter_variants(catalog: &Catalog) -> Vec<(Filters, String)> {
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

pub(crate) fn mode_name(mode: SearchMode) -> &'static str {
    match mode {
        SearchMode::Bm25 => "bm25",
        SearchMode::Vector => "vector",
        SearchMode::Hybrid => "hybrid",
    }
}

pub(crate) fn in_process(cli: &Cli, index: &Path, catalog: &Catalog, assets: &Assets) -> Result<Value> {
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
