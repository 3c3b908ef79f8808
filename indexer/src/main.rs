//! `sosik-indexer`: builds a sosik index from a folder of posts.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "sosik-indexer", version, about = "Builds sosik's search index from Korean AI-news posts")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// nDCG@10 and Recall@100 of bm25, vector and hybrid search on a judged query set.
    EvalSearch(cli::eval_search::Args),
    /// Pairwise precision/recall of the story threads against hand-labelled stories; with
    /// several values per threshold, every combination (a sweep, for tuning).
    EvalStories(cli::eval_stories::Args),
    /// Parse, tag, tokenise and embed every post under --posts into --index.
    Build(cli::build::Args),
    /// Print the news items parsed and tagged from --posts as JSON lines (no index is written),
    /// then the report of rejected posts on stderr. No embedding model is loaded, so topics come
    /// from keywords alone (`build` also weighs the embedding similarity to each topic).
    Items(cli::items::Args),
    /// Pack a built index into one archive (`NAME.tar.zst` and its `.sha256`), verified first.
    Pack(cli::pack::PackArgs),
    /// Check an index directory or archive against its manifest: format version, model, every
    /// file's size and SHA-256, no unlisted file, the content digest. Says what is wrong.
    Verify(cli::pack::VerifyArgs),
    /// Measure the company and topic taggers against hand labels (precision/recall/F1).
    EvalTagging(cli::eval_tagging::Args),
    /// Mine Korean–English name pairs (`한글(English)`, `English(한글)`) from --corpus into the
    /// reviewable glossary (data/glossary.toml), keeping the terms a person checked or rejected.
    Glossary(cli::glossary::Args),
    /// Fit the topic classifiers (data/topic_model.json) on the tuning labels of the tagging
    /// set: per topic, a logistic regression over the item's embedding and its keyword and
    /// description scores. `--cv` cross-validates instead of writing.
    TrainTopics(cli::train_topics::Args),
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

fn run(cli: Cli) -> cli::CommandResult {
    match cli.command {
        Command::EvalSearch(args) => cli::eval_search::run(args),
        Command::EvalStories(args) => cli::eval_stories::run(args),
        Command::Build(args) => cli::build::run(args),
        Command::Items(args) => cli::items::run(args),
        Command::EvalTagging(args) => cli::eval_tagging::run(args),
        Command::Glossary(args) => cli::glossary::run(args),
        Command::TrainTopics(args) => cli::train_topics::run(args),
        Command::Pack(args) => cli::pack::pack(args),
        Command::Verify(args) => cli::pack::verify(args),
    }
}
