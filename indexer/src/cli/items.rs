//! `sosik-indexer items`: the parsed and tagged items as JSON lines, without building.

use std::path::PathBuf;

use super::*;
use sosik_indexer::build as builder;

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    pub posts: PathBuf,
    /// Compiled Korean dictionary (default: $SOSIK_HOME/ko-dic).
    #[arg(long, env = "SOSIK_DICT")]
    pub dict: Option<PathBuf>,
}

pub fn run(args: Args) -> CommandResult {
    let Args { posts, dict } = args;
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
