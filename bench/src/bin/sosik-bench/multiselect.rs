//! Search latency with several values selected per filter field (issue #17): the same queries
//! unfiltered and with three companies and three topics selected (OR within a field, AND across,
//! facets counted disjunctively).

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

/// p50/p95/p99 of bm25 and hybrid (query vector cached) at limit 20 over `qs`, without filters
/// and with three values in two fields, `--rounds` rounds, alternating which runs first.
pub(crate) fn three_values_per_field(cli: &Cli, engine: &Engine, qs: &[String], catalog: &Catalog) -> Result<Value> {
    let selected = three_each(catalog);
    let load = stats::loadavg();
    let mut out = json!({ "filters": { "company": selected.company, "topic": selected.topic }, "limit": 20,
                          "load_before": load });
    // every query's vector once, so that hybrid times the search, not the model
    for q in qs {
        engine.search(&SearchRequest::new(q.clone(), SearchMode::Hybrid, 20))?;
    }
    for mode in [SearchMode::Bm25, SearchMode::Hybrid] {
        let (mut none, mut three) = (Vec::new(), Vec::new());
        for round in 0..cli.rounds.max(1) {
            for q in qs {
                let run = |filters: &Filters| -> Result<Duration> {
                    let mut r = SearchRequest::new(q.clone(), mode, 20);
                    r.filters = filters.clone();
                    let t = Instant::now();
                    std::hint::black_box(engine.search(&r)?);
                    Ok(t.elapsed())
                };
                if round % 2 == 0 {
                    none.push(run(&Filters::default())?);
                    three.push(run(&selected)?);
                } else {
                    three.push(run(&selected)?);
                    none.push(run(&Filters::default())?);
                }
            }
        }
        let row = |s: &[Duration]| {
            let [a, b, c] = p50_95_99(s);
            json!({ "p50": a, "p95": b, "p99": c, "n": s.len() })
        };
        let (r0, r3) = (row(&none), row(&three));
        println!(
            "  {} limit 20, no filter: p50 {:.2} ms p95 {:.2} p99 {:.2}; 3 companies × 3 topics: p50 {:.2} p95 {:.2} p99 {:.2}",
            mode_name(mode),
            r0["p50"].as_f64().unwrap_or(f64::NAN),
            r0["p95"].as_f64().unwrap_or(f64::NAN),
            r0["p99"].as_f64().unwrap_or(f64::NAN),
            r3["p50"].as_f64().unwrap_or(f64::NAN),
            r3["p95"].as_f64().unwrap_or(f64::NAN),
            r3["p99"].as_f64().unwrap_or(f64::NAN),
        );
        out[mode_name(mode)] = json!({ "no_filter": r0, "three_values_per_field": r3 });
    }
    Ok(out)
}
