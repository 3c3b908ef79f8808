//! `sosik-indexer train-topics`: fits the topic classifiers (`data/topic_model.json`) on the
//! **tuning** labels of the tagging set; held-out labels are refused, never read into a fit.

use std::path::PathBuf;

use sosik_corpus::tagging::topic_model::{TopicModel, DEFAULT_C};
use sosik_corpus::tagging::{TagText, Tagger, TopicVectors};
use sosik_indexer::eval::tagging::{evaluate, load_labels, tuning_only};

use super::*;

#[derive(clap::Args)]
pub struct Args {
    /// JSON-lines label file (tests/fixtures/labels/tagging.jsonl); only its tuning labels are used.
    #[arg(long)]
    pub labels: PathBuf,
    /// Root of the corpus the labels' post paths are relative to (the dev corpus).
    #[arg(long)]
    pub corpus: PathBuf,
    #[command(flatten)]
    pub lists: Lists,
    /// Where to write the model.
    #[arg(long, default_value = "data/topic_model.json")]
    pub out: PathBuf,
    /// Inverse regularisation strength.
    #[arg(long, default_value_t = DEFAULT_C)]
    pub c: f64,
    /// Instead of writing a model: 5-fold cross-validation on the tuning labels, printing the
    /// topic micro F1 of the keyword rule and of the classifiers for each of these `C` values.
    #[arg(long, value_delimiter = ',')]
    pub cv: Vec<f64>,
}

pub fn run(args: Args) -> CommandResult {
    let Args { labels, corpus, lists: Lists { companies, topics, glossary, dict, embedding_cache }, out, c, cv } = args;
    sosik_indexer::eval::tagging::check_paths(&labels, &corpus)?;
    let catalog = load_catalog(companies, topics, glossary)?;
    let all = load_labels(&labels)?;
    let tuning = tuning_only(&all);
    eprintln!(
        "{} tuning labels used, {} held-out labels left out (they never choose anything)",
        tuning.len(),
        all.len() - tuning.len()
    );
    let dict = dict.unwrap_or_else(sosik_ko::default_dictionary_dir);
    let analyzer = sosik_ko::Analyzer::open(&dict, &catalog.user_words())?;
    let tagger = Tagger::new(&catalog, &analyzer);
    let report = evaluate(&tuning, &corpus, true, |_| Ok(()))?;
    // One item per label: an essay label stands for all its passages, whose topics differ.
    let judged: Vec<_> = report.judged.iter().filter(|j| j.items.len() == 1).collect();
    eprintln!("{} labels of one item each (essays of several passages are left out)", judged.len());

    let embedder = sosik_embed::Embedder::shared(&sosik_embed::Assets::locate())?;
    let path = embedding_cache.unwrap_or_else(sosik_indexer::default_embedding_cache);
    let mut cache = sosik_embed::EmbeddingCache::open(&path, embedder.model_id())?;
    let tv = TopicVectors::embed_with(&catalog, embedder, &mut cache, None)?;
    let texts: Vec<String> = judged.iter().map(|j| j.items[0].embedding_text()).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let (vectors, _) = cache.embed_passages_cached(embedder, &refs, |_, _| {})?;
    let mut rows = Vec::with_capacity(judged.len());
    let mut gold = Vec::with_capacity(judged.len());
    for (j, v) in judged.iter().zip(vectors) {
        let kw = tagger.topic_keywords(&TagText::of(&j.items[0], &analyzer));
        let z: Vec<f32> = tv.scores(&v).into_iter().map(|(_, z)| z).collect();
        rows.push((v, kw, z));
        let mut g = Vec::new();
        for slug in &j.label.topics {
            let t = catalog.topics.iter().position(|t| &t.slug == slug).ok_or_else(|| {
                format!(
                    "{}: label of {:?} names topic {slug:?}, not in the topic list",
                    labels.display(),
                    j.label.post_path
                )
            })?;
            g.push(t);
        }
        gold.push(g);
    }

    if !cv.is_empty() {
        print!("{}", cross_validate(&catalog, embedder.model_id(), &rows, &gold, &cv));
        return Ok(());
    }
    let model = TopicModel::train(&catalog, embedder.model_id(), &rows, &gold, c);
    let text = serde_json::to_string_pretty(&model)? + "\n";
    // written beside it and renamed over it: an interrupted run leaves the old model whole
    let tmp = out.with_extension("json.tmp");
    std::fs::write(&tmp, text).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &out).map_err(|e| format!("{}: {e}", out.display()))?;
    println!(
        "{}: {} of {} topics have a classifier (trained on {} items, C = {c}); rebuild the binaries to use it",
        out.display(),
        model.topics.len(),
        catalog.topics.len(),
        rows.len()
    );
    Ok(())
}

/// Topic micro F1 over 5 folds (item `i` in fold `i % 5`) for the keyword rule and for the
/// classifiers trained with each `C` on the other four folds.
fn cross_validate(
    catalog: &sosik_corpus::tagging::Catalog,
    model_id: &str,
    rows: &[(Vec<f32>, Vec<f32>, Vec<f32>)],
    gold: &[Vec<usize>],
    cs: &[f64],
) -> String {
    use sosik_indexer::eval::tagging::Counts;
    let slugs = |ts: &[usize]| ts.iter().map(|&t| catalog.topics[t].slug.clone()).collect::<Vec<_>>();
    let mut out = String::from("5-fold cross-validation on the tuning labels, topic micro F1 (P / R)\n");
    let mut rule = Counts::default();
    for (i, (_, kw, z)) in rows.iter().enumerate() {
        let predicted: Vec<usize> = (0..catalog.topics.len())
            .filter(|&t| sosik_corpus::tagging::topic_decision(kw[t], z[t]).is_some())
            .collect();
        rule.add(&slugs(&gold[i]), &slugs(&predicted));
    }
    out.push_str(&format!(
        "keyword rule        F1 {:.3} ({:.3} / {:.3})\n",
        rule.f1(),
        rule.precision(),
        rule.recall()
    ));
    for (&c, gate) in cs.iter().flat_map(|c| [(c, false), (c, true)]) {
        let mut counts = Counts::default();
        for fold in 0..5 {
            let train: Vec<usize> = (0..rows.len()).filter(|i| i % 5 != fold).collect();
            let model = TopicModel::train(
                catalog,
                model_id,
                &train.iter().map(|&i| rows[i].clone()).collect::<Vec<_>>(),
                &train.iter().map(|&i| gold[i].clone()).collect::<Vec<_>>(),
                c,
            );
            let tv = TopicVectors::new(Vec::new(), catalog, model_id, Some(&model));
            for i in (0..rows.len()).filter(|i| i % 5 == fold) {
                let (v, kw, z) = &rows[i];
                let predicted: Vec<usize> = (0..catalog.topics.len())
                    .filter(|&t| match &tv.classifiers[t] {
                        Some(cl) => cl.tags(v, kw[t], z[t], gate),
                        None => sosik_corpus::tagging::topic_decision(kw[t], z[t]).is_some(),
                    })
                    .collect();
                counts.add(&slugs(&gold[i]), &slugs(&predicted));
            }
        }
        out.push_str(&format!(
            "classifiers C={c:<7}{} F1 {:.3} ({:.3} / {:.3})\n",
            if gate { " needing a keyword" } else { "                  " },
            counts.f1(),
            counts.precision(),
            counts.recall()
        ));
    }
    out
}
