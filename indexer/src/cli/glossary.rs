//! `sosik-indexer glossary`: mines the bilingual glossary from a corpus into the reviewable list
//! (`data/glossary.toml`), keeping what a person decided in it.

use std::path::PathBuf;

use sosik_corpus::glossary::{self, GlossaryTerm, Status};

use super::*;

#[derive(clap::Args)]
pub struct Args {
    /// The folder of posts to mine (searched recursively, as `build` does).
    #[arg(long)]
    pub corpus: PathBuf,
    /// The list to update: its checked and rejected terms are kept, its mined ones replaced by
    /// this run's (default: data/glossary.toml of the source tree). Written in place.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

/// What every glossary file starts with: what it is and how to edit it.
const HEADER: &str = "\
# sosik glossary — Korean and English names of one thing (앤트로픽 = Anthropic, 얀 르쿤 = Yann LeCun,
# 환각 = Hallucination). Search expands a query naming a term with its other names, both ways.
#
# Mined from a corpus by `sosik-indexer glossary --corpus DIR` from the way Korean AI news
# introduces a name: `한글(English)` or `English(한글)`. A pair is kept when it was seen in at
# least 3 posts of at least 2 blogs, and in at least 5 % of the posts that use the Korean name
# (기술 is glossed as Skills now and then, but mostly means technology); how many words before the
# parenthesis belong to the name is decided by counting (corpus/src/glossary.rs). Mining again
# rewrites the `mined` terms and keeps the others, so a correction made here survives it.
#
# Fields of each [[term]]:
#   en          the English name as most often written; it identifies the term when mining
#               again (change it and the mined term comes back beside yours)
#   ko          its Korean names, most seen first (spelling variants: 앤트로픽, 앤스로픽), each of
#               two syllables or more
#   kind        person, product, organization or concept: set by the person who checks the term
#               (the miner cannot tell)
#   posts       posts in which one of its pairs was seen; blogs: how many blogs they are from
#   first_seen  date of the first of those posts
#   status      mined    (found by the miner, not read by a person; used)
#               checked  (read and found right, or written by hand; used; the default)
#               rejected (read and found wrong; not used, kept so that mining does not restore it)
# To correct a term, edit its Korean names and set status = \"checked\"; to add one, write a
# [[term]] with en and ko.
";

pub fn run(args: Args) -> CommandResult {
    let Args { corpus, out } = args;
    let out = out.unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/glossary.toml"));
    let old: Vec<GlossaryTerm> = if out.exists() {
        let text = std::fs::read_to_string(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        Catalog::default().with_glossary(&text, &out.display().to_string())?.glossary
    } else {
        Vec::new()
    };
    let (items, report) = sosik_indexer::build::parse_posts(&corpus)?;
    let mined = glossary::mine(&items);
    let found = mined.len();
    let terms = glossary::merge(&old, mined);
    #[derive(serde::Serialize)]
    struct File<'a> {
        term: &'a [GlossaryTerm],
    }
    let body = toml::to_string(&File { term: &terms })?;
    let text = format!("{HEADER}\n{body}");
    // what the build would refuse (two terms with one slug) is refused here, the list left as it was
    Catalog::default().with_glossary(&text, &format!("{} (as mined)", out.display()))?;
    // written beside it and renamed over it: an interrupted run leaves the reviewed list whole
    let tmp = out.with_extension("toml.tmp");
    std::fs::write(&tmp, text).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, &out).map_err(|e| format!("{}: {e}", out.display()))?;
    let count = |s: Status| terms.iter().filter(|t| t.status == s).count();
    eprintln!(
        "{}: {} terms ({found} mined from {} items; {} checked, {} rejected kept)",
        out.display(),
        terms.len(),
        items.len(),
        count(Status::Checked),
        count(Status::Rejected)
    );
    // what was read and refused; not the build's embedding and timing lines
    for line in report.summary().lines().filter(|l| !l.starts_with("embeddings:") && !l.starts_with("time:")) {
        eprintln!("{line}");
    }
    Ok(())
}
