//! Typeahead latency in process: `Engine::suggest` for what a search box holds while names are
//! typed (issue #17: ≤ 5 ms p95 at 100k items).

use sosik_ko::jamo::initials;

use super::*;

/// What people have in the box on the way to a name of the lists (company aliases and products,
/// topic keywords, the glossary's Korean and English names), seeded: a prefix of whole
/// characters, a prefix whose next syllable is only its first consonant (`엔비디ㅇ`, what an
/// IME shows after one more key), the initial consonants of a Korean name's first characters,
/// and a lower-case Latin prefix; and the 14 consonants alone (the first key of a Korean word:
/// the widest prefixes). Distinct, `n` of them (fewer if the lists are short).
pub(crate) fn typeahead_inputs(seed: u64, n: usize, catalog: &Catalog) -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7970_6561_6865_6164);
    let spellings: Vec<&str> = catalog
        .companies
        .iter()
        .flat_map(|c| std::iter::once(&c.name).chain(&c.aliases).chain(&c.products))
        .chain(catalog.topics.iter().flat_map(|t| std::iter::once(&t.name_ko).chain(&t.keywords)))
        .chain(catalog.glossary.iter().flat_map(|g| std::iter::once(&g.en).chain(&g.ko)))
        .map(String::as_str)
        .filter(|s| s.chars().count() >= 2)
        .collect();
    let mut seen = std::collections::HashSet::new();
    // the widest prefixes there are: one consonant, the first key of any Hangul word
    let mut out: Vec<String> = "ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ".chars().map(String::from).collect();
    out.iter().for_each(|c| {
        seen.insert(c.clone());
    });
    // enough draws to find `n` distinct inputs, bounded for short lists
    for _ in 0..n * 20 {
        if out.len() >= n || spellings.is_empty() {
            break;
        }
        let s = spellings[rng.random_range(0..spellings.len())];
        let chars: Vec<char> = s.chars().collect();
        let k = rng.random_range(1..chars.len());
        let prefix: String = chars[..k].iter().collect();
        let input = match rng.random_range(0..4) {
            0 => prefix,
            1 => format!("{prefix}{}", initials(&chars[k].to_string())),
            2 => initials(&chars[..(k + 1).min(chars.len())].iter().collect::<String>()),
            _ => prefix.to_lowercase(),
        };
        if !input.trim().is_empty() && seen.insert(input.clone()) {
            out.push(input);
        }
    }
    out
}

/// Times the suggestions' first build and `rounds` rounds of every input at the UI's limit.
pub(crate) fn typeahead(cli: &Cli, engine: &Engine, catalog: &Catalog) -> Result<Value> {
    let t = Instant::now();
    engine.prepare_suggestions()?;
    let build_s = t.elapsed().as_secs_f64();
    let (candidates, keys, initial_keys) = engine.suggestion_sizes().unwrap_or_default();
    let inputs = typeahead_inputs(cli.seed, cli.queries, catalog);
    let limit = sosik_types::limits::DEFAULT_SUGGESTIONS;
    let (mut times, mut found) = (Vec::new(), 0usize);
    for _ in 0..cli.rounds.max(1) {
        for q in &inputs {
            let t = Instant::now();
            let r = engine.suggest(q, limit)?;
            times.push(t.elapsed());
            found += usize::from(!r.suggestions.is_empty());
        }
    }
    let [p50, p95, p99] = p50_95_99(&times);
    let answered = found as f64 / times.len().max(1) as f64;
    println!(
        "  typeahead: first build {build_s:.2} s ({candidates} candidates, {keys} + {initial_keys} keys); {} distinct \
         inputs × {} rounds, limit {limit}: p50 {p50:.3} ms  p95 {p95:.3}  p99 {p99:.3}; {:.0} % with a suggestion",
        inputs.len(),
        cli.rounds.max(1),
        answered * 100.0
    );
    // the widest prefix alone, many times: the slowest input there is
    let widest: Vec<Duration> = (0..50)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(engine.suggest("ㅇ", limit)).ok();
            t.elapsed()
        })
        .collect();
    let [w50, _, w99] = p50_95_99(&widest);
    println!("  typeahead, \"ㅇ\" alone × 50: p50 {w50:.3} ms  p99 {w99:.3}");
    Ok(json!({ "build_s": build_s, "candidates": candidates, "keys": keys, "initials_keys": initial_keys,
               "widest_prefix_p50": w50, "widest_prefix_p99": w99, "inputs": inputs.len(), "rounds": cli.rounds.max(1), "limit": limit,
               "p50": p50, "p95": p95, "p99": p99, "n": times.len(), "answered": answered }))
}
