//! `sosik-indexer eval-search`: nDCG@10 and Recall@100 of each mode on a judged query set.

use std::path::PathBuf;

use super::*;

#[derive(clap::Args)]
pub struct Args {
    /// An index built from the corpus the judgements refer to.
    #[arg(long)]
    pub index: PathBuf,
    /// Judged queries (JSON lines: id, query, type, judgements {post path: grade}).
    #[arg(long, default_value = "tests/fixtures/relevance/queries.jsonl")]
    pub queries: PathBuf,
    /// Compiled Korean dictionary (default: $SOSIK_HOME/ko-dic).
    #[arg(long, env = "SOSIK_DICT")]
    pub dict: Option<PathBuf>,
    /// Also print every query's scores.
    #[arg(long)]
    pub per_query: bool,
    /// Fusion k (default 60).
    #[arg(long)]
    pub rrf_k: Option<f32>,
    /// Weight of the BM25 leg in the fusion (default 1).
    #[arg(long)]
    bm25_weight: Option<f32>,
    /// Weight of the vector leg in the fusion (default 1).
    #[arg(long)]
    pub vector_weight: Option<f32>,
}

pub fn run(args: Args) -> CommandResult {
    let Args { index, queries, dict, per_query, rrf_k, bm25_weight, vector_weight } = args;
    use sosik_indexer::eval::search as relevance;
    let queries = relevance::read_queries(&queries)?;
    let embedder = sosik_embed::Embedder::shared(&sosik_embed::Assets::locate())?;
    let dict = dict.unwrap_or_else(sosik_ko::default_dictionary_dir);
    let mut engine = sosik_engine::Engine::open(&index, &dict, embedder)?;
    let mut fusion = engine.fusion();
    fusion.k = rrf_k.unwrap_or(fusion.k);
    fusion.bm25_weight = bm25_weight.unwrap_or(fusion.bm25_weight);
    fusion.vector_weight = vector_weight.unwrap_or(fusion.vector_weight);
    engine.set_fusion(fusion);
    println!("fusion: k {} · bm25 weight {} · vector weight {}", fusion.k, fusion.bm25_weight, fusion.vector_weight);
    let results = relevance::evaluate(&engine, &queries)?;
    if per_query {
        println!("| id | type | query | nDCG@10 bm25 / vector / hybrid | Recall@100 bm25 / vector / hybrid |");
        println!("|---|---|---|---|---|");
        for (q, s) in &results {
            println!(
                "| {} | {} | {} | {:.2} / {:.2} / {:.2} | {:.2} / {:.2} / {:.2} |",
                q.id,
                q.kind,
                q.query,
                s[0].ndcg10,
                s[1].ndcg10,
                s[2].ndcg10,
                s[0].recall100,
                s[1].recall100,
                s[2].recall100
            );
        }
        println!();
    }
    print!("{}", relevance::table(&results));
    Ok(())
}
