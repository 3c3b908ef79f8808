//! `sosik-indexer`: builds a sosik index from a folder of posts.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use sosik_corpus::tagging::Catalog;
use sosik_indexer::build::{self as builder, BuildOptions};

#[derive(Parser)]
#[command(name = "sosik-indexer", version, about = "Builds sosik's search index from Korean AI-news posts")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// nDCG@10 and Recall@100 of bm25, vector and hybrid search on a judged query set.
    EvalSearch {
        /// An index built from the corpus the judgements refer to.
        #[arg(long)]
        index: PathBuf,
        /// Judged queries (JSON lines: id, query, type, judgements {post path: grade}).
        #[arg(long, default_value = "tests/fixtures/relevance/queries.jsonl")]
        queries: PathBuf,
        /// Compiled Korean dictionary (default: $SOSIK_HOME/ko-dic).
        #[arg(long, env = "SOSIK_DICT")]
        dict: Option<PathBuf>,
        /// Also print every query's scores.
        #[arg(long)]
        per_query: bool,
        /// Fusion k (default 60).
        #[arg(long)]
        rrf_k: Option<f32>,
        /// Weight of the BM25 leg in the fusion (default 1).
        #[arg(long)]
        bm25_weight: Option<f32>,
        /// Weight of the vector leg in the fusion (default 1).
        #[arg(long)]
        vector_weight: Option<f32>,
    },
    /// Pairwise precision/recall of the story threads against hand-labelled stories; with
    /// several values per threshold, every combination (a sweep, for tuning).
    EvalStories {
        /// An index built from the corpus the labels refer to (the dev corpus).
        #[arg(long)]
        index: PathBuf,
        #[arg(long, default_value = "tests/fixtures/labels/stories.jsonl")]
        labels: PathBuf,
        #[arg(long, default_value = "tests/fixtures/labels/story_pairs.jsonl")]
        pairs: PathBuf,
        /// Compiled Korean dictionary (default: $SOSIK_HOME/ko-dic).
        #[arg(long, env = "SOSIK_DICT")]
        dict: Option<PathBuf>,
        /// Longest silence inside a thread, in days.
        #[arg(long, value_delimiter = ',', default_values_t = [sosik_indexer::build::stories::WINDOW_DAYS])]
        window_days: Vec<i64>,
        /// Cosine that joins items sharing a company.
        #[arg(long, value_delimiter = ',', default_values_t = [sosik_indexer::build::stories::JOIN_COSINE])]
        join_cosine: Vec<f32>,
        /// Cosine that joins items without a shared company.
        #[arg(long, value_delimiter = ',', default_values_t = [sosik_indexer::build::stories::JOIN_COSINE_ALONE])]
        join_cosine_alone: Vec<f32>,
        /// Cosine to one member of a thread that joins it whatever the centroid.
        #[arg(long, value_delimiter = ',', default_values_t = [sosik_indexer::build::stories::JOIN_MEMBER_COSINE])]
        join_member_cosine: Vec<f32>,
    },
    /// Parse, tag, tokenise and embed every post under --posts into --index.
    Build {
        /// Folder of posts (.md, .markdown, .txt with YAML front matter), read recursively.
        #[arg(long)]
        posts: PathBuf,
        /// Index directory to (re)create; written beside it first, then swapped in.
        #[arg(long)]
        index: PathBuf,
        #[command(flatten)]
        lists: Lists,
        /// Exit non-zero if any post is rejected.
        #[arg(long)]
        strict: bool,
    },
    /// Print the news items parsed and tagged from --posts as JSON lines (no index is written),
    /// then the report of rejected posts on stderr. No embedding model is loaded, so topics come
    /// from keywords alone (`build` also weighs the embedding similarity to each topic).
    Items {
        #[arg(long)]
        posts: PathBuf,
        /// Compiled Korean dictionary (default: $SOSIK_HOME/ko-dic).
        #[arg(long, env = "SOSIK_DICT")]
        dict: Option<PathBuf>,
    },
    /// Measure the company and topic taggers against hand labels (precision/recall/F1).
    EvalTagging {
        /// JSON-lines label file (tests/fixtures/labels/tagging.jsonl; see the README there).
        #[arg(long)]
        labels: PathBuf,
        /// Root of the corpus the labels' post paths are relative to (the dev corpus).
        #[arg(long)]
        corpus: PathBuf,
        #[command(flatten)]
        lists: Lists,
        /// Tag topics by keywords only, as without an embedding model (`build` always embeds).
        #[arg(long)]
        no_embed: bool,
        /// Print every label with its false positives and negatives and the evidence.
        #[arg(long)]
        details: bool,
        /// Leave a label unmatched when the splitter did not produce its item (by default the
        /// section under the labelled heading is cut out and tagged instead).
        #[arg(long)]
        no_fallback: bool,
        /// Write one row per (labelled item, topic) with the keyword score, the cosine and
        /// z-score of the embedding similarity, and the gold label (TSV), for tuning.
        #[arg(long)]
        features: Option<PathBuf>,
    },
}

/// What tagging reads: the lists, the dictionary and the embedding cache (`build`, `eval-tagging`).
#[derive(clap::Args)]
struct Lists {
    /// Company list (default: the data/companies.toml built into this binary).
    #[arg(long)]
    companies: Option<PathBuf>,
    /// Topic list (default: the data/topics.toml built into this binary).
    #[arg(long)]
    topics: Option<PathBuf>,
    /// Compiled Korean dictionary (default: $SOSIK_HOME/ko-dic).
    #[arg(long, env = "SOSIK_DICT")]
    dict: Option<PathBuf>,
    /// Embedding cache file (default: $SOSIK_HOME/cache/embeddings.bin).
    #[arg(long)]
    embedding_cache: Option<PathBuf>,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    match cli.command {
        Command::EvalStories {
            index,
            labels,
            pairs,
            dict,
            window_days,
            join_cosine,
            join_cosine_alone,
            join_member_cosine,
        } => {
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
                    for (&a, &m) in
                        join_cosine_alone.iter().flat_map(|a| join_member_cosine.iter().map(move |m| (a, m)))
                    {
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
        Command::EvalSearch { index, queries, dict, per_query, rrf_k, bm25_weight, vector_weight } => {
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
            println!(
                "fusion: k {} · bm25 weight {} · vector weight {}",
                fusion.k, fusion.bm25_weight, fusion.vector_weight
            );
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
        Command::Build { posts, index, lists: Lists { companies, topics, dict, embedding_cache }, strict } => {
            let catalog = load_catalog(companies, topics)?;
            let assets = sosik_embed::Assets::locate();
            let embedder = sosik_embed::Embedder::shared(&assets)?;
            let opts = BuildOptions {
                posts,
                index: index.clone(),
                catalog,
                dictionary: dict.unwrap_or_else(sosik_ko::default_dictionary_dir),
                embedding_cache: embedding_cache.unwrap_or_else(sosik_indexer::default_embedding_cache),
                strict,
            };
            let report = builder::build(&opts, embedder, &cli::progress::Reporter::stderr())?;
            print!("{}", report.summary());
            println!("index written to {}", index.display());
            Ok(())
        }
        Command::EvalTagging {
            labels,
            corpus,
            lists: Lists { companies, topics, dict, embedding_cache },
            no_embed,
            details,
            no_fallback,
            features,
        } => {
            use sosik_corpus::tagging::{TagText, Tagger, TopicVectors};
            sosik_indexer::eval::tagging::check_paths(&labels, &corpus)?;
            let catalog = load_catalog(companies, topics)?;
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
                let topic_vectors = TopicVectors::embed(&catalog, embedder, &mut cache)?;
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
            let explain = |item: &sosik_corpus::NewsItem| tagger.explain(item);
            print!("{}", report.render(details, Some(&explain)));
            if let Some(path) = features {
                let mut out = String::from("post_path\titem\tpart\tkind\ttopic\tkeywords\tcosine\tz\tgold\n");
                for (n, j) in report.judged.iter().enumerate() {
                    for (p, item) in j.items.iter().enumerate() {
                        let kw = tagger.topic_keywords(&TagText::of(item, &analyzer));
                        let scores = match (&semantic, item_vectors.get(&item.id)) {
                            (Some((_, _, tv)), Some(v)) => tv.scores(v),
                            _ => vec![(f32::NAN, f32::NAN); kw.len()],
                        };
                        for (t, slug) in tagger.topic_slugs().iter().enumerate() {
                            out.push_str(&format!(
                                "{}\t{n}\t{p}\t{:?}\t{slug}\t{}\t{:.4}\t{:.3}\t{}\n",
                                j.label.post_path,
                                j.label.kind(),
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
            Ok(())
        }
        Command::Items { posts, dict } => {
            let catalog = Catalog::builtin()?;
            let (mut items, report) = builder::parse_posts(&posts)?;
            let dict = dict.unwrap_or_else(sosik_ko::default_dictionary_dir);
            let analyzer = sosik_ko::Analyzer::open(&dict, &catalog.user_words())?;
            let tagger = sosik_corpus::tagging::Tagger::new(&catalog, &analyzer);
            builder::tag_items(&mut items, &tagger, None);
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for item in &items {
                serde_json::to_writer(&mut out, item)?;
                std::io::Write::write_all(&mut out, b"\n")?;
            }
            std::io::Write::flush(&mut out)?;
            eprint!("{}", report.summary());
            Ok(())
        }
    }
}

/// The built-in lists, or the files given (a missing one falls back to the source tree's).
fn load_catalog(companies: Option<PathBuf>, topics: Option<PathBuf>) -> Result<Catalog, sosik_indexer::IndexerError> {
    let catalog = match (companies, topics) {
        (None, None) => Catalog::builtin(),
        (c, t) => {
            let default = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data");
            Catalog::load(
                &c.unwrap_or_else(|| default.join("companies.toml")),
                &t.unwrap_or_else(|| default.join("topics.toml")),
            )
        }
    };
    Ok(catalog?)
}
