//! `sosik-indexer eval-search`: nDCG@10 and Recall@100 of each ranking system on judged query
//! sets, in the post and the hit view, with paired significance tests.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::*;

#[derive(clap::Args)]
pub struct Args {
    /// An index built from the corpus the judgements refer to.
    #[arg(long)]
    pub index: PathBuf,
    /// Judged query sets (JSON lines: id, query, type, judgements {post path: grade}), each
    /// scored on its own: the two tuning sets, then the held-out set.
    #[arg(
        long,
        num_args = 1..,
        default_values = [
            "tests/fixtures/relevance/queries.jsonl",
            "tests/fixtures/relevance/queries-b.jsonl",
            "tests/fixtures/relevance/heldout.jsonl",
        ]
    )]
    pub queries: Vec<PathBuf>,
    /// Compiled Korean dictionary (default: $SOSIK_HOME/ko-dic).
    #[arg(long, env = "SOSIK_DICT")]
    pub dict: Option<PathBuf>,
    /// Also print every query's nDCG@10 (post view) per system.
    #[arg(long)]
    pub per_query: bool,
    /// Write every set's mean nDCG@10 (per view, system and query type) here as JSON.
    #[arg(long)]
    pub json: Option<PathBuf>,
    /// Fusion k (default: the server's).
    #[arg(long)]
    pub rrf_k: Option<f32>,
    /// Weight of the BM25 leg in the fusion (default: the server's).
    #[arg(long)]
    bm25_weight: Option<f32>,
    /// Weight of the vector leg in the fusion (default: the server's).
    #[arg(long)]
    pub vector_weight: Option<f32>,
    /// Weight of the BM25 hits fed back into the vector leg's query for Hangul-only queries
    /// (default: the server's; 0 turns feedback off).
    #[arg(long)]
    pub feedback_weight: Option<f32>,
    /// BM25 leg: weight of the morpheme fields (default: the server's).
    #[arg(long)]
    pub morpheme_weight: Option<f32>,
    /// BM25 leg: weight of the character-bigram field (default: the server's).
    #[arg(long)]
    pub gram_weight: Option<f32>,
    /// BM25 leg: weight of a glossary term's other names (default: the server's; 0: none).
    #[arg(long)]
    pub glossary_weight: Option<f32>,
    /// `sort=fresh` (system "fresh"): the lift of the newest items (default: the server's).
    #[arg(long)]
    pub recency_weight: Option<f32>,
    /// `sort=fresh`: days for the lift to halve (default: the server's).
    #[arg(long)]
    pub recency_half_life: Option<f32>,
}

pub fn run(args: Args) -> CommandResult {
    let Args {
        index,
        queries,
        dict,
        per_query,
        json,
        rrf_k,
        bm25_weight,
        vector_weight,
        feedback_weight,
        morpheme_weight,
        gram_weight,
        glossary_weight,
        recency_weight,
        recency_half_life,
    } = args;
    use sosik_indexer::eval::search as relevance;
    let sets = queries
        .iter()
        .map(|path| relevance::read_queries(path).map(|q| (path.clone(), q)))
        .collect::<Result<Vec<_>, _>>()?;
    let embedder = sosik_embed::Embedder::shared(&sosik_embed::Assets::locate())?;
    let dict = dict.unwrap_or_else(sosik_ko::default_dictionary_dir);
    let mut engine = sosik_engine::Engine::open(&index, &dict, embedder)?;
    let mut fusion = engine.fusion();
    fusion.k = rrf_k.unwrap_or(fusion.k);
    fusion.bm25_weight = bm25_weight.unwrap_or(fusion.bm25_weight);
    fusion.vector_weight = vector_weight.unwrap_or(fusion.vector_weight);
    fusion.feedback_weight = feedback_weight.unwrap_or(fusion.feedback_weight);
    fusion.recency_weight = recency_weight.unwrap_or(fusion.recency_weight);
    fusion.recency_half_life_days = recency_half_life.unwrap_or(fusion.recency_half_life_days);
    engine.set_fusion(fusion);
    let mut lexical = engine.lexical();
    lexical.morphemes = morpheme_weight.unwrap_or(lexical.morphemes);
    lexical.grams = gram_weight.unwrap_or(lexical.grams);
    lexical.glossary = glossary_weight.unwrap_or(lexical.glossary);
    engine.set_lexical(lexical);
    println!(
        "fusion: k {} · bm25 weight {} · vector weight {} · feedback weight {} · fresh: lift {} halving in {} days; \
         bm25 leg: morphemes {} · bigrams {} · glossary {}",
        fusion.k,
        fusion.bm25_weight,
        fusion.vector_weight,
        fusion.feedback_weight,
        fusion.recency_weight,
        fusion.recency_half_life_days,
        lexical.morphemes,
        lexical.grams,
        lexical.glossary
    );
    let mut summaries = BTreeMap::new();
    for (path, queries) in &sets {
        let results = relevance::evaluate(&mut engine, queries)?;
        println!("\n## {} ({} queries)", path.display(), queries.len());
        if per_query {
            let names: Vec<&str> = relevance::SYSTEMS.iter().map(|s| s.name).collect();
            println!("\n| id | type | query | nDCG@10 (post view) {} |\n|---|---|---|---|", names.join(" / "));
            for r in &results {
                let xs: Vec<String> =
                    r.scores.iter().map(|s| format!("{:.2}", s[&relevance::View::Post].ndcg10)).collect();
                println!("| {} | {} | {} | {} |", r.query.id, r.query.kind, r.query.query, xs.join(" / "));
            }
        }
        print!("{}", relevance::table(&results));
        summaries.insert(path.display().to_string(), relevance::summary(&results));
    }
    let titles = relevance::title_ranks(&engine, 60)?;
    let within = |k: usize| titles.iter().filter(|t| t.2.is_some_and(|r| r <= k)).count();
    println!(
        "\n## post titles: {} posts' own titles searched (hybrid): the post is 1st for {}, in the top 3 for {}, in the top 20 for {}",
        titles.len(),
        within(1),
        within(3),
        within(20)
    );
    for (path, title, rank) in titles.iter().filter(|t| t.2.is_none_or(|r| r > 3)) {
        println!(
            "  not in the top 3: {path} ({title:?}): {}",
            rank.map_or("not in the top 20".into(), |r| format!("rank {r}"))
        );
    }
    if let Some(out) = json {
        let text = serde_json::to_string_pretty(&summaries).expect("serialisable");
        std::fs::write(&out, text).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    }
    Ok(())
}
