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
    /// Also write each set's figures to this file (JSON), as the quality gate reads them
    /// (tests/fixtures/labels/baseline-stories.json). One combination only.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// Every combination of the given values, each field's values in the order given.
fn combinations(args: &Args) -> Vec<ThreadParams> {
    fn expand<T: Copy>(
        params: Vec<ThreadParams>,
        values: &[T],
        set: impl Fn(&mut ThreadParams, T),
    ) -> Vec<ThreadParams> {
        let mut out = Vec::with_capacity(params.len() * values.len());
        for p in params {
            for &v in values {
                let mut p = p;
                set(&mut p, v);
                out.push(p);
            }
        }
        out
    }
    let mut all = vec![ThreadParams::default()];
    all = expand(all, &args.window_days, |p, v| p.window_days = v);
    all = expand(all, &args.join_cosine, |p, v| p.join_cosine = v);
    all = expand(all, &args.join_cosine_alone, |p, v| p.join_cosine_alone = v);
    all = expand(all, &args.join_member_cosine, |p, v| p.join_member_cosine = v);
    all = expand(all, &args.share_names, |p, v| p.share_names = v);
    all = expand(all, &args.split_names, |p, v| p.split_names = v);
    all = expand(all, &args.memory_days, |p, v| p.memory_days = v);
    expand(all, &args.max_span_days, |p, v| p.max_span_days = v)
}

pub fn run(args: Args) -> CommandResult {
    use sosik_indexer::build::stories::threads;
    use sosik_indexer::eval::stories as stories_eval;
    let combos = combinations(&args);
    if args.json.is_some() && combos.len() > 1 {
        return Err("--json writes one combination's figures: give one value per threshold".into());
    }
    let mut sets = vec![("tuning", stories_eval::read_stories(&args.labels)?, stories_eval::read_pairs(&args.pairs)?)];
    if combos.len() == 1 {
        sets.push((
            "held-out",
            stories_eval::read_stories(&args.heldout)?,
            stories_eval::read_pairs(&args.heldout_pairs)?,
        ));
    } else {
        println!("a sweep: the held-out stories are not scored (they choose nothing)");
    }
    let embedder = sosik_embed::Embedder::shared(&sosik_embed::Assets::locate())?;
    let dict = args.dict.clone().unwrap_or_else(sosik_ko::default_dictionary_dir);
    let engine = sosik_engine::Engine::open(&args.index, &dict, embedder)?;
    let (items, vectors, groups) = engine.corpus()?;
    for (name, labels, pairs) in &sets {
        let gold: usize = labels.iter().map(|s| s.items.len()).sum();
        println!("{name}: {} labelled stories ({gold} items), {} labelled pairs", labels.len(), pairs.len());
    }
    println!(
        "| set | window days | join cosine | alone | member | names | split names | memory days | longest span | pairwise P / R / F1 | B-cubed per item P / R / F1 | B-cubed per story P / R / F1 | pairs right (same / different) | items in stories | stories | largest |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
    let mut figures: std::collections::BTreeMap<&str, std::collections::BTreeMap<&str, f64>> = Default::default();
    let mut missing = Vec::new();
    let mut comparisons: Vec<String> = Vec::new();
    for &p in &combos {
        let thread = threads(&items, &vectors, &groups, p);
        // the threading before the memory and span rules, for --compare-before (one setting)
        let before = (args.compare_before && combos.len() == 1)
            .then(|| threads(&items, &vectors, &groups, ThreadParams { memory_days: 0, max_span_days: 0, ..p }));
        for (name, labels, pairs) in &sets {
            let s = stories_eval::evaluate(&items, &thread, labels, pairs);
            let b = &s.bcubed;
            figures.insert(
                name,
                [
                    ("pairwise_f1", s.f1()),
                    ("bcubed_item_f1", b.item_f1()),
                    ("bcubed_story_f1", b.story_f1()),
                    ("same_pairs_right", s.same_pairs_right as f64),
                    ("different_pairs_right", (s.pairs_right - s.same_pairs_right) as f64),
                ]
                .into(),
            );
            println!(
                "| {name} | {} | {} | {} | {} | {} | {} | {} | {} | {:.3} / {:.3} / {:.3} | {:.3} / {:.3} / {:.3} | {:.3} / {:.3} / {:.3} | {}/{} ({}/{} / {}/{}) | {} | {} | {} |",
                p.window_days,
                p.join_cosine,
                p.join_cosine_alone,
                p.join_member_cosine,
                p.share_names,
                p.split_names,
                p.memory_days,
                p.max_span_days,
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
            if let Some(old) = &before {
                let a = stories_eval::evaluate(&items, old, labels, pairs).bcubed;
                let p_value = sosik_indexer::eval::search::paired_p_value(&a.per_story_f1, &b.per_story_f1);
                let (up, down) = a
                    .per_story_f1
                    .iter()
                    .zip(&b.per_story_f1)
                    .fold((0, 0), |(u, d), (x, y)| (u + usize::from(y - x > 1e-9), d + usize::from(x - y > 1e-9)));
                comparisons.push(format!(
                    "{name}: per-story B-cubed F1 without the memory and span rules {:.3}, with them {:.3} (mean of per-story F1s; {up} stories up, {down} down; paired randomisation p = {p_value:.3})",
                    mean(&a.per_story_f1),
                    mean(&b.per_story_f1),
                ));
            }
            missing.extend(s.missing);
        }
    }
    for c in &comparisons {
        println!("{c}");
    }
    if let Some(path) = &args.json {
        let text = serde_json::to_string_pretty(&figures)?;
        std::fs::write(path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    }
    missing.sort();
    missing.dedup();
    for m in &missing {
        eprintln!("label not found in the index: {m}");
    }
    Ok(())
}
