//! `sosik-indexer eval-tagging`: the company and topic taggers against hand labels.

use std::path::PathBuf;

use super::*;
use sosik_indexer::build as builder;

#[derive(clap::Args)]
pub struct Args {
    /// JSON-lines label file (tests/fixtures/labels/tagging.jsonl; see the README there).
    #[arg(long)]
    pub labels: PathBuf,
    /// Root of the corpus the labels' post paths are relative to (the dev corpus).
    #[arg(long)]
    pub corpus: PathBuf,
    #[command(flatten)]
    pub lists: Lists,
    /// Tag topics by keywords only, as without an embedding model (`build` always embeds).
    #[arg(long)]
    pub no_embed: bool,
    /// Print every label with its false positives and negatives and the evidence.
    #[arg(long)]
    pub details: bool,
    /// Leave a label unmatched when the splitter did not produce its item (by default the
    /// section under the labelled heading is cut out and tagged instead).
    #[arg(long)]
    pub no_fallback: bool,
    /// Write one row per (labelled item, topic) with its split, the keyword score, the cosine
    /// and z-score of the embedding similarity, and the gold label (TSV), for tuning: fit or
    /// choose on the `tuning` rows only.
    #[arg(long)]
    pub features: Option<PathBuf>,
    /// With `--features`: also write each labelled item's embedding (JSON lines: label, part,
    /// split, vector), for fitting a vector-based tagger outside (`--features` rows name the
    /// same label and part).
    #[arg(long, requires = "features")]
    pub item_vectors: Option<PathBuf>,
    /// Tag topics with this topic model instead of the built-in data/topic_model.json.
    #[arg(long, conflicts_with_all = ["no_topic_model", "no_embed"])]
    pub topic_model: Option<PathBuf>,
    /// Tag topics by the keyword rule alone (no trained classifier), for comparison.
    #[arg(long)]
    pub no_topic_model: bool,
    /// Also tag by the keyword rule alone and print a paired randomisation test of the topic
    /// figures of the two (held-out and tuning labels apart).
    #[arg(long, conflicts_with_all = ["no_topic_model", "no_embed"])]
    pub compare_rule: bool,
    /// Also write precision, recall and F1 per split and kind of tag to this file (JSON), as
    /// the quality gate reads them (tests/fixtures/labels/baseline-tagging.json).
    #[arg(long)]
    pub json: Option<PathBuf>,
}

pub fn run(args: Args) -> CommandResult {
    let Args {
        labels,
        corpus,
        lists: Lists { companies, topics, glossary, dict, embedding_cache },
        no_embed,
        details,
        no_fallback,
        features,
        item_vectors: vectors_out,
        topic_model,
        no_topic_model,
        compare_rule,
        json,
    } = args;
    use sosik_corpus::tagging::{TagText, Tagger, TopicVectors};
    sosik_indexer::eval::tagging::check_paths(&labels, &corpus)?;
    let catalog = load_catalog(companies, topics, glossary)?;
    let gold = sosik_indexer::eval::tagging::load_labels(&labels)?;
    let dict = dict.unwrap_or_else(sosik_ko::default_dictionary_dir);
    let analyzer = sosik_ko::Analyzer::open(&dict, &catalog.user_words())?;
    let tagger = Tagger::new(&catalog, &analyzer);
    // The same tagging as `build`: item embeddings and topic vectors through the cache.
    let mut semantic = None;
    if !no_embed {
        let embedder = sosik_embed::Embedder::shared(&sosik_embed::Assets::locate())?;
        let path = embedding_cache.unwrap_or_else(sosik_indexer::default_embedding_cache);
        let mut cache = sosik_embed::EmbeddingCache::open(&path, embedder.model_id())?;
        let topic_vectors = if no_topic_model {
            TopicVectors::embed_with(&catalog, embedder, &mut cache, None)?
        } else if let Some(path) = &topic_model {
            let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
            let model = sosik_corpus::tagging::TopicModel::parse(&text, &path.display().to_string())?;
            TopicVectors::embed_with(&catalog, embedder, &mut cache, Some(&model))?
        } else {
            TopicVectors::embed(&catalog, embedder, &mut cache)?
        };
        eprintln!("topics: {}", topic_vectors.note);
        semantic = Some((embedder, cache, topic_vectors));
    }
    let mut item_vectors: std::collections::HashMap<String, Vec<f32>> = Default::default();
    let report = sosik_indexer::eval::tagging::evaluate(&gold, &corpus, !no_fallback, |items| {
        match semantic.as_mut() {
            None => builder::tag_items(items, &tagger, None),
            Some((embedder, cache, topic_vectors)) => {
                let texts: Vec<String> = items.iter().map(|i| i.embedding_text()).collect();
                let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
                let (vectors, stats) = cache.embed_passages_cached(embedder, &refs, |done, todo| {
                    if done == todo || done % 50 == 0 {
                        eprintln!("embedded {done}/{todo} new passages");
                    }
                })?;
                if stats.misses > 0 {
                    eprintln!("embedded {} passages ({} from the cache)", stats.misses, stats.hits);
                }
                builder::tag_items(items, &tagger, Some((&vectors, topic_vectors)));
                item_vectors.extend(items.iter().map(|i| i.id.clone()).zip(vectors));
            }
        }
        Ok(())
    })?;
    let mut report = report;
    report.name_kinds =
        catalog.glossary.iter().filter_map(|t| Some((t.slug(), catalog.name_kind(t)?.as_str().to_string()))).collect();
    let explain = |item: &sosik_corpus::NewsItem| tagger.explain(item);
    print!("{}", report.render(details, Some(&explain)));
    if let Some(path) = &json {
        let text = serde_json::to_string_pretty(&report.figures())?;
        std::fs::write(path, text + "\n").map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if let (true, Some((embedder, cache, _))) = (compare_rule, semantic.as_mut()) {
        use sosik_indexer::eval::tagging::{paired_f1_test, Split, Which};
        let rule = TopicVectors::embed_with(&catalog, embedder, cache, None)?;
        let baseline = sosik_indexer::eval::tagging::evaluate(&gold, &corpus, !no_fallback, |items| {
            let texts: Vec<String> = items.iter().map(|i| i.embedding_text()).collect();
            let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
            let (vectors, _) = cache.embed_passages_cached(embedder, &refs, |_, _| {})?;
            builder::tag_items(items, &tagger, Some((&vectors, &rule)));
            Ok(())
        })?;
        println!("\ntopics, this tagging against the keyword rule alone (paired randomisation test, 10,000 rounds):");
        for split in [Split::Heldout, Split::Tuning] {
            let (a, b, p, changed) = paired_f1_test(&report, &baseline, Which::Topics, Some(split));
            println!(
                "  {:<9} F1 {a:.3} vs {b:.3} ({:+.3}), p = {p:.4}, {changed} labels tagged differently",
                split.name(),
                a - b
            );
        }
    }
    if let Some(path) = features {
        let mut out = String::from("post_path\titem\tpart\tkind\tsplit\ttopic\tkeywords\tcosine\tz\tgold\n");
        for (n, j) in report.judged.iter().enumerate() {
            for (p, item) in j.items.iter().enumerate() {
                let kw = tagger.topic_keywords(&TagText::of(item, &analyzer));
                let scores = match (&semantic, item_vectors.get(&item.id)) {
                    (Some((_, _, tv)), Some(v)) => tv.scores(v),
                    _ => vec![(f32::NAN, f32::NAN); kw.len()],
                };
                for (t, slug) in tagger.topic_slugs().iter().enumerate() {
                    out.push_str(&format!(
                        "{}\t{n}\t{p}\t{:?}\t{}\t{slug}\t{}\t{:.4}\t{:.3}\t{}\n",
                        j.label.post_path,
                        j.label.kind(),
                        j.label.split.as_str(),
                        kw[t],
                        scores[t].0,
                        scores[t].1,
                        u8::from(j.label.topics.contains(slug))
                    ));
                }
            }
        }
        std::fs::write(&path, out).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if let Some(path) = vectors_out {
        let mut out = String::new();
        for (n, j) in report.judged.iter().enumerate() {
            for (p, item) in j.items.iter().enumerate() {
                if let Some(v) = item_vectors.get(&item.id) {
                    let line = serde_json::json!({"label": n, "part": p, "split": j.label.split.as_str(), "vector": v});
                    out.push_str(&format!("{line}\n"));
                }
            }
        }
        std::fs::write(&path, out).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(())
}
