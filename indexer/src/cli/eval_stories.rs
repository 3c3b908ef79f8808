//! `sosik-indexer eval-stories`: story threads against hand-labelled stories — the tuning set
//! and the held-out set — or a sweep over the thresholds (tuning set only).

use std::path::PathBuf;

use super::*;
use sosik_indexer::build::stories::ThreadParams;

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f64>() / xs.len() as f64
    }
}

#[derive(clap::Args)]
pub struct Args {
    /// An index built from the corpus the labels refer to (the dev corpus).
    #[arg(long)]
    pub index: PathBuf,
    /// The tuning stories: the thresholds were chosen on them.
    #[arg(long, default_value = "tests/fixtures/labels/stories.jsonl")]
    pub labels: PathBuf,
    #[arg(long, default_value = "tests/fixtures/labels/story_pairs.jsonl")]
    pub pairs: PathBuf,
    /// The held-out stories: never used to choose anything. Scored only when one combination of
    /// thresholds is given (a sweep prints the tuning set alone).
    #[arg(long, default_value = "tests/fixtures/labels/stories_heldout.jsonl")]
    pub heldout: PathBuf,
    #[arg(long, default_value = "tests/fixtures/labels/story_pairs_heldout.jsonl")]
    pub heldout_pairs: PathBuf,
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
    /// Whether people, products and organisations count as shared entities beside companies.
    #[arg(long, value_delimiter = ',', default_values_t = [ThreadParams::default().share_names])]
    pub share_names: Vec<bool>,
    /// Whether units naming other people, products or organisations than a thread stay apart.
    #[arg(long, value_delimiter = ',', default_values_t = [ThreadParams::default().split_names])]
    pub split_names: Vec<bool>,
    /// Days back an article cited by both joins a unit to a thread (0: off).
    #[arg(long, value_delimiter = ',', default_values_t = [ThreadParams::default().article_days])]
    pub article_days: Vec<i64>,
    /// Days a quiet thread still takes a unit close to one of its members (0: off).
    #[arg(long, value_delimiter = ',', default_values_t = [ThreadParams::default().memory_days])]
    pub memory_days: Vec<i64>,
    /// Longest span a thread may grow to, in days (0: no limit).
    #[arg(long, value_delimiter = ',', default_values_t = [ThreadParams::default().max_span_days])]
    pub max_span_days: Vec<i64>,
    /// Also score the threads without the memory and span rules (`--memory-days 0
    /// --max-span-days 0`, the threading before them) and test each set's per-story B-cubed F1
    /// difference (paired randomisation, 10,000 sign flips). One combination only.
    #[arg(long)]
    pub compare_before: bool,
}

pub fn run(args: Args) -> CommandResult {
    let Args {
        index,
        labels,
        pairs,
        heldout,
        heldout_pairs,
        dict,
        window_days,
        join_cosine,
        join_cosine_alone,
        join_member_cosine,
        share_names,
        split_names,
        article_days,
        memory_days,
        max_span_days,
        compare_before,
    } = args;
    use sosik_indexer::eval::stories as stories_eval;
    let mut sets = vec![("tuning", stories_eval::read_stories(&labels)?, stories_eval::read_pairs(&pairs)?)];
    let combinations = window_days.len()
        * join_cosine.len()
        * join_cosine_alone.len()
        * join_member_cosine.len()
        * share_names.len()
        * split_names.len()
        * article_days.len()
        * memory_days.len()
        * max_span_days.len();
    if combinations == 1 {
        sets.push(("held-out", stories_eval::read_stories(&heldout)?, stories_eval::read_pairs(&heldout_pairs)?));
    } else {
        println!("a sweep: the held-out stories are not scored (they choose nothing)");
    }
    let embedder = sosik_embed::Embedder::shared(&sosik_embed::Assets::locate())?;
    let dict = dict.unwrap_or_else(sosik_ko::default_dictionary_dir);
    let engine = sosik_engine::Engine::open(&index, &dict, embedder)?;
    let (items, vectors, groups) = engine.corpus()?;
    for (name, labels, pairs) in &sets {
        let gold: usize = labels.iter().map(|s| s.items.len()).sum();
        println!("{name}: {} labelled stories ({gold} items), {} labelled pairs", labels.len(), pairs.len());
    }
    println!(
        "| set | window days | join cosine | alone | member | names | split names | article days | memory days | longest span | pairwise P / R / F1 | B-cubed per item P / R / F1 | B-cubed per story P / R / F1 | pairs right (same / different) | items in stories | stories | largest |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mut missing = Vec::new();
    let mut comparisons: Vec<String> = Vec::new();
    let mut rules: Vec<(bool, bool, i64, i64, i64)> = Vec::new();
    for &(n, sn) in &share_names.iter().flat_map(|&n| split_names.iter().map(move |&sn| (n, sn))).collect::<Vec<_>>() {
        for &ad in &article_days {
            for &md in &memory_days {
                for &span in &max_span_days {
                    rules.push((n, sn, ad, md, span));
                }
            }
        }
    }
    for &w in &window_days {
        for &j in &join_cosine {
            for (&a, &m) in join_cosine_alone.iter().flat_map(|a| join_member_cosine.iter().map(move |m| (a, m))) {
                for &(n, sn, ad, md, span) in &rules {
                    let p = ThreadParams {
                        window_days: w,
                        join_cosine: j,
                        join_cosine_alone: a,
                        join_member_cosine: m,
                        share_names: n,
                        split_names: sn,
                        article_days: ad,
                        memory_days: md,
                        max_span_days: span,
                    };
                    let thread = stories_eval::thread_items(&items, &vectors, &groups, p);
                    if compare_before && combinations == 1 {
                        let before = ThreadParams { memory_days: 0, max_span_days: 0, ..p };
                        let old = stories_eval::thread_items(&items, &vectors, &groups, before);
                        for (name, labels, pairs) in &sets {
                            let (a, b) = (
                                stories_eval::evaluate(&items, &old, labels, pairs).bcubed,
                                stories_eval::evaluate(&items, &thread, labels, pairs).bcubed,
                            );
                            let p_value = sosik_indexer::eval::search::paired_p_value(&a.per_story_f1, &b.per_story_f1);
                            let (up, down) = a
                                .per_story_f1
                                .iter()
                                .zip(&b.per_story_f1)
                                .fold((0, 0), |(u, d), (x, y)| (u + usize::from(y > x), d + usize::from(y < x)));
                            comparisons.push(format!(
                                "{name}: per-story B-cubed F1 without the memory and span rules {:.3}, with them {:.3} (mean of per-story F1s; {up} stories up, {down} down; paired randomisation p = {p_value:.3})",
                                mean(&a.per_story_f1),
                                mean(&b.per_story_f1),
                            ));
                        }
                    }
                    for (name, labels, pairs) in &sets {
                        let s = stories_eval::evaluate(&items, &thread, labels, pairs);
                        let b = &s.bcubed;
                        println!(
                        "| {name} | {w} | {j} | {a} | {m} | {n} | {sn} | {ad} | {md} | {span} | {:.3} / {:.3} / {:.3} | {:.3} / {:.3} / {:.3} | {:.3} / {:.3} / {:.3} | {}/{} ({}/{} / {}/{}) | {} | {} | {} |",
                        s.precision(),
                        s.recall(),
                        s.f1(),
                        b.item_precision,
                        b.item_recall,
                        b.item_f1(),
                        b.story_precision,
                        b.story_recall,
                        b.story_f1(),
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
                        missing.extend(s.missing);
                    }
                }
            }
        }
    }
    for c in &comparisons {
        println!("{c}");
    }
    missing.sort();
    missing.dedup();
    for m in &missing {
        eprintln!("label not found in the index: {m}");
    }
    Ok(())
}
