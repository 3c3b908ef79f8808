//! `sosik-indexer eval-stories`: story threads against hand-labelled stories, or a sweep.

use std::path::PathBuf;

use super::*;

#[derive(clap::Args)]
pub struct Args {
    /// An index built from the corpus the labels refer to (the dev corpus).
    #[arg(long)]
    pub index: PathBuf,
    #[arg(long, default_value = "tests/fixtures/labels/stories.jsonl")]
    pub labels: PathBuf,
    #[arg(long, default_value = "tests/fixtures/labels/story_pairs.jsonl")]
    pub pairs: PathBuf,
    /// Compiled Korean dictionary (default: $SOSIK_HOME/ko-dic).
    #[arg(long, env = "SOSIK_DICT")]
    pub dict: Option<PathBuf>,
    /// Longest silence inside a thread, in days.
    #[arg(long, value_delimiter = ',', default_values_t = [sosik_indexer::build::stories::WINDOW_DAYS])]
    pub window_days: Vec<i64>,
    /// Cosine that joins items sharing a company.
    #[arg(long, value_delimiter = ',', default_values_t = [sosik_indexer::build::stories::JOIN_COSINE])]
    pub join_cosine: Vec<f32>,
    /// Cosine that joins items without a shared company.
    #[arg(long, value_delimiter = ',', default_values_t = [sosik_indexer::build::stories::JOIN_COSINE_ALONE])]
    pub join_cosine_alone: Vec<f32>,
    /// Cosine to one member of a thread that joins it whatever the centroid.
    #[arg(long, value_delimiter = ',', default_values_t = [sosik_indexer::build::stories::JOIN_MEMBER_COSINE])]
    pub join_member_cosine: Vec<f32>,
}

pub fn run(args: Args) -> CommandResult {
    let Args { index, labels, pairs, dict, window_days, join_cosine, join_cosine_alone, join_member_cosine } = args;
    use sosik_indexer::eval::stories as stories_eval;
    let labels = stories_eval::read_stories(&labels)?;
    let pairs = stories_eval::read_pairs(&pairs)?;
    let embedder = sosik_embed::Embedder::shared(&sosik_embed::Assets::locate())?;
    let dict = dict.unwrap_or_else(sosik_ko::default_dictionary_dir);
    let engine = sosik_engine::Engine::open(&index, &dict, embedder)?;
    let (items, vectors, groups) = engine.corpus()?;
    let gold: usize = labels.iter().map(|s| s.items.len()).sum();
    println!("{} labelled stories ({gold} items), {} labelled pairs", labels.len(), pairs.len());
    println!("| window days | join cosine | alone | member | precision | recall | F1 | pairs right (same / different) | items in stories | stories | largest |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|");
    let mut missing = Vec::new();
    for &w in &window_days {
        for &j in &join_cosine {
            for (&a, &m) in join_cosine_alone.iter().flat_map(|a| join_member_cosine.iter().map(move |m| (a, m))) {
                let p = sosik_indexer::build::stories::ThreadParams {
                    window_days: w,
                    join_cosine: j,
                    join_cosine_alone: a,
                    join_member_cosine: m,
                };
                let s = stories_eval::evaluate(&items, &vectors, &groups, &labels, &pairs, p);
                println!(
                    "| {w} | {j} | {a} | {m} | {:.3} | {:.3} | {:.3} | {}/{} ({}/{} / {}/{}) | {} | {} | {} |",
                    s.precision(),
                    s.recall(),
                    s.f1(),
                    s.pairs_right,
                    s.pairs_total,
                    s.same_pairs_right,
                    s.same_pairs_total,
                    s.pairs_right - s.same_pairs_right,
                    s.pairs_total - s.same_pairs_total,
                    s.items_in_stories,
                    s.stories,
                    s.largest_story
                );
                missing = s.missing;
            }
        }
    }
    for m in &missing {
        eprintln!("label not found in the index: {m}");
    }
    Ok(())
}
