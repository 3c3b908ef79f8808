//! `sosik-indexer`: builds a sosik index from a folder of posts.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use sosik_indexer::builder::{self, BuildOptions};
use sosik_indexer::catalog::Catalog;

#[derive(Parser)]
#[command(name = "sosik-indexer", version, about = "Builds sosik's search index from Korean AI-news posts")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse, tag, tokenise and embed every post under --posts into --index.
    Build {
        /// Folder of posts (.md, .markdown, .txt with YAML front matter), read recursively.
        #[arg(long)]
        posts: PathBuf,
        /// Index directory to (re)create; written beside it first, then swapped in.
        #[arg(long)]
        index: PathBuf,
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
        /// Exit non-zero if any post is rejected.
        #[arg(long)]
        strict: bool,
    },
    /// Print the news items parsed and tagged from --posts as JSON lines (no index is written),
    /// then the report of rejected posts on stderr.
    Items {
        #[arg(long)]
        posts: PathBuf,
        /// Compiled Korean dictionary (default: $SOSIK_HOME/ko-dic).
        #[arg(long, env = "SOSIK_DICT")]
        dict: Option<PathBuf>,
    },
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
        Command::Build { posts, index, companies, topics, dict, embedding_cache, strict } => {
            let catalog = match (companies, topics) {
                (None, None) => Catalog::builtin()?,
                (c, t) => {
                    let default = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data");
                    Catalog::load(
                        &c.unwrap_or_else(|| default.join("companies.toml")),
                        &t.unwrap_or_else(|| default.join("topics.toml")),
                    )?
                }
            };
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
            let report = builder::build(&opts, embedder, |msg| eprintln!("{msg}"))?;
            print!("{}", report.summary());
            println!("index written to {}", index.display());
            Ok(())
        }
        Command::Items { posts, dict } => {
            let catalog = Catalog::builtin()?;
            let (mut items, report) = builder::parse_posts(&posts)?;
            let dict = dict.unwrap_or_else(sosik_ko::default_dictionary_dir);
            let analyzer = sosik_ko::Analyzer::open(&dict, &catalog.user_words())?;
            let tagger = sosik_indexer::catalog::Tagger::new(&catalog, &analyzer);
            builder::tag_items(&mut items, &tagger, &analyzer);
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
