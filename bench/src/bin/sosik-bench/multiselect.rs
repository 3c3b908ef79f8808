//! Search latency with several values selected per filter field (issue #17): the same queries
//! unfiltered, with three companies and three topics selected (OR within a field, AND across,
//! facets counted disjunctively), and with the in-process table's filter mix (each query its
//! variant of [`filter_variants`], as `queries.rs` cycles them): the three side by side in the
//! same rounds, so the mix's figures and an unfiltered run can be compared on one machine state.

use super::*;

/// Three companies and three topics that the generated corpus uses (the list's first ones).
fn three_each(catalog: &Catalog) -> Filters {
    let take = |slugs: Vec<String>| slugs.into_iter().take(3).collect::<Vec<_>>();
    Filters {
        company: take(catalog.companies.iter().map(|c| c.slug.clone()).collect()),
        topic: take(catalog.topics.iter().map(|t| t.slug.clone()).collect()),
        ..Filters::default()
    }
}

/// p50/p95/p99 of bm25 and hybrid (query vector cached) at limit 20 over `qs`, without filters,
/// with the filter mix and with three values in two fields, `--rounds` rounds, rotating which
/// runs first; and the hybrid p50 of each variant of the mix.
pub(crate) fn three_values_per_field(cli: &Cli, engine: &Engine, qs: &[String], catalog: &Catalog) -> Result<Value> {
    let selected = three_each(catalog);
    let load = stats::loadavg();
    let mut out = json!({ "filters": { "company": selected.company, "topic": selected.topic }, "limit": 20,
                          "load_before": load });
    // every query's vector once, so that hybrid times the search, not the model
    for q in qs {
        engine.search(&SearchRequest::new(q.clone(), SearchMode::Hybrid, 20))?;
    }
    let variants = filter_variants(catalog);
    for mode in [SearchMode::Bm25, SearchMode::Hybrid] {
        let (mut none, mut three, mut mix) = (Vec::new(), Vec::new(), Vec::new());
        let mut per_variant: Vec<Vec<Duration>> = vec![Vec::new(); variants.len()];
        for round in 0..cli.rounds.max(1) {
            for (i, q) in qs.iter().enumerate() {
                let run = |filters: &Filters| -> Result<Duration> {
                    let mut r = SearchRequest::new(q.clone(), mode, 20);
                    r.filters = filters.clone();
                    let t = Instant::now();
                    std::hint::black_box(engine.search(&r)?);
                    Ok(t.elapsed())
                };
                let v = i % variants.len();
                for step in 0..3 {
                    match (round + step) % 3 {
                        0 => none.push(run(&Filters::default())?),
                        1 => three.push(run(&selected)?),
                        _ => {
                            let d = run(&variants[v].0)?;
                            mix.push(d);
                            per_variant[v].push(d);
                        }
                    }
                }
            }
        }
        let row = |s: &[Duration]| {
            let [a, b, c] = p50_95_99(s);
            json!({ "p50": a, "p95": b, "p99": c, "n": s.len() })
        };
        let (r0, r3, rm) = (row(&none), row(&three), row(&mix));
        let f = |r: &Value, k: &str| r[k].as_f64().unwrap_or(f64::NAN);
        println!(
            "  {} limit 20, no filter: p50 {:.2} ms p95 {:.2} p99 {:.2}; filter mix: p50 {:.2} p95 {:.2} p99 {:.2}; \
             3 companies × 3 topics: p50 {:.2} p95 {:.2} p99 {:.2}",
            mode_name(mode),
            f(&r0, "p50"),
            f(&r0, "p95"),
            f(&r0, "p99"),
            f(&rm, "p50"),
            f(&rm, "p95"),
            f(&rm, "p99"),
            f(&r3, "p50"),
            f(&r3, "p95"),
            f(&r3, "p99"),
        );
        let by_variant: Vec<Value> = variants
            .iter()
            .zip(&per_variant)
            .map(|((_, name), d)| {
                let r = row(d);
                println!(
                    "    filter mix, {:<32} p50 {:.2} ms (n = {})",
                    if name.is_empty() { "no filter" } else { name.as_str() },
                    f(&r, "p50"),
                    d.len()
                );
                json!({ "filter": name, "latency": r })
            })
            .collect();
        out[mode_name(mode)] = json!({ "no_filter": r0, "filter_mix": rm, "filter_mix_by_variant": by_variant,
                                        "three_values_per_field": r3 });
    }
    Ok(out)
}
