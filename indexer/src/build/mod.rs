//! `sosik-indexer build`: posts folder → index directory.
//!
//! Every post is parsed on its own; a bad one is recorded in the report and the rest go on.
//! The index is written into a temporary sibling directory and published at the end by one
//! atomic rename of a link (see [`sosik_engine::format::layout`]), so a killed build leaves the previous index
//! untouched and readers never find the path empty.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use sosik_embed::{Embedder, EmbeddingCache};
use sosik_ko::{Analyzer, BigramTokenizer, KoTokenizer};
use tantivy::schema::Field;
use tantivy::tokenizer::{PreTokenizedString, Token, TokenStream, Tokenizer};
use tantivy::{doc, Index, TantivyDocument};

use sosik_corpus::post::{self, PostError, MAX_POST_BYTES};
use sosik_corpus::tagging::{Catalog, Tagger, TopicVectors};
use sosik_corpus::{items, markdown, NewsItem};
use sosik_engine::format::ids::ItemOrd;
use sosik_engine::format::manifest::{self, Manifest};
use sosik_engine::format::schema::{build_schema, Fields};
use sosik_engine::format::{digest, groups, layout, vectors, IndexFile};

use self::progress::{Event, Phase, Progress, Silent};
use self::report::{BuildReport, Rejected};
use crate::error::IndexerError;

pub mod duplicates;
pub mod progress;
pub mod report;
pub mod stories;

/// The sosik version a build records in its manifest.
pub const SOSIK_VERSION: &str = env!("CARGO_PKG_VERSION");

/// File extensions read as posts.
const POST_EXTENSIONS: &[&str] = &["md", "markdown", "txt"];

/// Items tokenised at a time for the BM25 index.
const TOKENISE_CHUNK: usize = 1024;

pub struct BuildOptions {
    pub posts: PathBuf,
    pub index: PathBuf,
    pub catalog: Catalog,
    pub dictionary: PathBuf,
    /// Embedding cache file (created if missing).
    pub embedding_cache: PathBuf,
    /// Fail when any post is rejected.
    pub strict: bool,
    /// Also write an HNSW graph of the vectors, which searches then walk instead of scanning
    /// every row: approximate, for big corpora (see `sosik_engine::format::vectors`).
    pub vector_graph: bool,
}

/// Parses every post under `dir` (recursively). Returns the items in a deterministic order
/// (by path, then position) and the report of what was seen.
pub fn parse_posts(dir: &Path) -> Result<(Vec<NewsItem>, BuildReport), IndexerError> {
    parse_posts_with(dir, &Silent)
}

/// [`parse_posts`], reporting [`Phase::Parse`] to `progress`.
pub fn parse_posts_with(dir: &Path, progress: &dyn Progress) -> Result<(Vec<NewsItem>, BuildReport), IndexerError> {
    if !dir.is_dir() {
        return Err(IndexerError::NoPostsDir(dir.to_path_buf()));
    }
    let mut report = BuildReport { posts_dir: dir.display().to_string(), ..Default::default() };
    let mut items = Vec::new();
    let mut seen_bodies: HashMap<[u8; 32], String> = HashMap::new();
    let walker = walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_entry(|e| {
        // hidden folders and files (.git, .DS_Store) are never posts
        e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
    });
    // Walk in order, read and split the posts on every core, then decide duplicates in order
    // (the first copy of a body wins, as if read one by one), so the result is deterministic.
    let mut files = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| relative(dir, p)).unwrap_or_default();
                report.rejected.push(Rejected { path, reason: format!("cannot read: {e}") });
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let ext = entry.path().extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if !POST_EXTENSIONS.contains(&ext.as_str()) {
            report.ignored_files += 1;
            continue;
        }
        report.files_seen += 1;
        let rel = relative(dir, entry.path());
        files.push((entry.into_path(), rel));
    }
    progress.event(Event::Start { phase: Phase::Parse, total: files.len() as u64 });
    let read = AtomicU64::new(0);
    let parsed: Vec<(String, Result<ParsedPost, String>)> = files
        .par_iter()
        .map(|(path, rel)| {
            let (sha, post) = parse_post(path, rel);
            let done = read.fetch_add(1, Ordering::Relaxed) + 1;
            progress.event(Event::Advance { phase: Phase::Parse, done });
            (sha, post)
        })
        .collect();
    // Paths in walk order with their bytes' digests: the same folder copied anywhere (or its
    // files written in another order) has the same digest.
    let mut posts_digest = Sha256::new();
    for ((_, rel), (sha, _)) in files.iter().zip(&parsed) {
        posts_digest.update(format!("{rel}\t{sha}\n").as_bytes());
    }
    report.posts_digest = format!("sha256:{}", digest::hex(&posts_digest.finalize()));
    for ((_, rel), (_, result)) in files.into_iter().zip(parsed) {
        match result.and_then(|p| p.accept(&rel, &mut seen_bodies)) {
            Ok(post_items) => {
                report.posts_indexed += 1;
                items.extend(post_items);
            }
            Err(reason) => report.rejected.push(Rejected { path: rel, reason }),
        }
    }
    report.items = items.len();
    progress.event(Event::Finish {
        phase: Phase::Parse,
        summary: format!("{} posts, {} items, {} rejected", report.posts_indexed, items.len(), report.rejected.len()),
    });
    Ok((items, report))
}

pub(crate) fn read_post(path: &Path, rel: &str, seen: &mut HashMap<[u8; 32], String>) -> Result<Vec<NewsItem>, String> {
    parse_post(path, rel).1?.accept(rel, seen)
}

/// A post read and split, not yet checked against the posts before it.
struct ParsedPost {
    digest: [u8; 32],
    items: Result<Vec<NewsItem>, String>,
}

impl ParsedPost {
    /// The post's items, unless an earlier post had the same body or it has none. A post is
    /// remembered as seen only when it has items.
    fn accept(self, rel: &str, seen: &mut HashMap<[u8; 32], String>) -> Result<Vec<NewsItem>, String> {
        if let Some(first) = seen.get(&self.digest) {
            return Err(format!("duplicate post: same body as {first}"));
        }
        let items = self.items?;
        seen.insert(self.digest, rel.to_string());
        Ok(items)
    }
}

/// The post read and split, and what stands for its bytes in the posts digest: their SHA-256
/// (hex), or, for a file never read (too large, unreadable), why, which is all the index
/// depends on.
fn parse_post(path: &Path, rel: &str) -> (String, Result<ParsedPost, String>) {
    let size = match std::fs::metadata(path) {
        Ok(m) => m.len(),
        Err(e) => return (format!("unreadable: {e}"), Err(format!("cannot read: {e}"))),
    };
    if size > MAX_POST_BYTES {
        let reason = PostError::TooLarge { size, limit: MAX_POST_BYTES }.to_string();
        return (reason.clone(), Err(reason));
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return (format!("unreadable: {e}"), Err(format!("cannot read: {e}"))),
    };
    (digest::hex(&Sha256::digest(&bytes)), split(rel, &bytes))
}

fn split(rel: &str, bytes: &[u8]) -> Result<ParsedPost, String> {
    let text = post::decode(bytes).map_err(|e| e.to_string())?;
    let post = post::parse(rel, text).map_err(|e| e.to_string())?;
    let digest: [u8; 32] = Sha256::digest(post.body.trim().as_bytes()).into();
    let raw = items::split_post(&post.title, &markdown::blocks(&post.body));
    let items = if raw.is_empty() {
        Err(PostError::NoItems.to_string())
    } else {
        Ok(raw.into_iter().enumerate().map(|(i, r)| NewsItem::from_raw(&post, i, r)).collect())
    };
    Ok(ParsedPost { digest, items })
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Tags items in place with companies and topics (see [`Tagger::tag_items`]). `semantic` is
/// each item's embedding (same order) and the topic description vectors; `None` tags topics
/// by keywords alone.
pub fn tag_items(items: &mut [NewsItem], tagger: &Tagger, semantic: Option<(&[Vec<f32>], &TopicVectors)>) {
    tagger.tag_items(items, semantic);
}

/// Builds the whole index. Returns the report (also written as `report.json` in the index).
/// `progress` hears each phase as it starts, advances and ends ([`progress`]).
pub fn build(opts: &BuildOptions, embedder: &Embedder, progress: &dyn Progress) -> Result<BuildReport, IndexerError> {
    let started = Instant::now();
    // Refuse a path that holds something not ours now, not after the embedding (and before the
    // lock file is made beside it); publishing checks again.
    layout::check_target(&opts.index)?;
    // held to the end: a second build of this index now would share the staging directory
    let _lock = layout::BuildLock::acquire(&opts.index)?;
    let t = Instant::now();
    let (mut items, mut report) = parse_posts_with(&opts.posts, progress)?;
    report.timings.parse_s = t.elapsed().as_secs_f64();
    if items.is_empty() {
        return Err(IndexerError::NothingIndexed { dir: opts.posts.clone(), rejected: report.rejected.len() });
    }
    if opts.strict && !report.rejected.is_empty() {
        return Err(IndexerError::Strict { rejected: report.rejected.len() });
    }

    // Embeddings come before tagging: topics use the item vectors and the topic description
    // vectors (embedded through the same cache, so each text is embedded once).
    let t = Instant::now();
    let mut cache = EmbeddingCache::open(&opts.embedding_cache, embedder.model_id())?;
    // Every item's chunks (its main text first); `owners[row]` is the item of each.
    let mut texts: Vec<String> = Vec::with_capacity(items.len());
    let mut owners: Vec<ItemOrd> = Vec::with_capacity(items.len());
    let mut first_row: Vec<usize> = Vec::with_capacity(items.len());
    for (ord, item) in ItemOrd::all(items.len()).zip(&items) {
        first_row.push(texts.len());
        for chunk in item.embedding_chunks() {
            texts.push(chunk);
            owners.push(ord);
        }
    }
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let (vecs, stats) = cache.embed_passages_cached(embedder, &refs, |done, todo| {
        progress.event(if done == 0 {
            Event::Start { phase: Phase::Embed, total: todo as u64 }
        } else {
            Event::Advance { phase: Phase::Embed, done: done as u64 }
        })
    })?;
    let topic_vectors = TopicVectors::embed(&opts.catalog, embedder, &mut cache)?;
    report.topic_tagging = topic_vectors.note.clone();
    let topic_model_sha256 = topic_vectors.model_sha256.clone();
    let rows = vecs;
    let vecs: Vec<Vec<f32>> = first_row.iter().map(|&r| rows[r].clone()).collect();
    drop(cache);
    report.embeddings_computed = stats.misses;
    report.embeddings_cached = stats.hits;
    report.timings.embed_s = t.elapsed().as_secs_f64();
    progress.event(Event::Finish {
        phase: Phase::Embed,
        summary: format!("{} new passages embedded, {} from the cache", stats.misses, stats.hits),
    });

    let t = Instant::now();
    progress.event(Event::Start { phase: Phase::Tag, total: 0 });
    let analyzer = Analyzer::open(&opts.dictionary, &opts.catalog.user_words())?;
    let tagger = Tagger::new(&opts.catalog, &analyzer);
    tag_items(&mut items, &tagger, Some((&vecs, &topic_vectors)));
    report.timings.tag_s = t.elapsed().as_secs_f64();
    progress.event(Event::Finish { phase: Phase::Tag, summary: format!("{} items tagged", items.len()) });

    let tmp = layout::prepare_building(&opts.index)?;
    std::fs::create_dir_all(IndexFile::Tantivy.path(&tmp)).map_err(IndexerError::io(&tmp))?;

    // The BM25 index, the vector-side files (near-duplicates, story threads: one thread of
    // work) and the vector graph when asked for (`--vector-graph`: another) are independent,
    // so they are written at the same time; their timings overlap.
    progress.event(Event::Start { phase: Phase::Write, total: items.len() as u64 });
    let (bm25, (groups, graph)) = rayon::join(
        || {
            let t = Instant::now();
            write_tantivy(&IndexFile::Tantivy.path(&tmp), &items, &analyzer, progress)
                .map(|tok| (tok, t.elapsed().as_secs_f64() - tok))
        },
        || {
            rayon::join(
                || -> Result<[f64; 3], IndexerError> {
                    let t = Instant::now();
                    vectors::VectorStore::write(&tmp, sosik_embed::DIM, &rows, &owners)?;
                    let d = Instant::now();
                    let groups = duplicates::group(&items, &vecs);
                    let duplicates_s = d.elapsed().as_secs_f64();
                    groups::write_duplicates(&tmp, &groups)?;
                    let s = Instant::now();
                    let threads = stories::threads(&items, &vecs, &groups, stories::ThreadParams::default());
                    let stories_s = s.elapsed().as_secs_f64();
                    groups::write_stories(&tmp, &threads)?;
                    Ok([t.elapsed().as_secs_f64(), duplicates_s, stories_s])
                },
                || -> Result<f64, IndexerError> {
                    let t = Instant::now();
                    if opts.vector_graph {
                        vectors::VectorStore::write_graph(&tmp, sosik_embed::DIM, &rows)?;
                    }
                    Ok(t.elapsed().as_secs_f64())
                },
            )
        },
    );
    (report.timings.tokenise_s, report.timings.bm25_s) = bm25?;
    [report.timings.groups_s, report.timings.duplicates_s, report.timings.stories_s] = groups?;
    report.timings.graph_s = graph?;
    progress.event(Event::Finish {
        phase: Phase::Write,
        summary: format!(
            "BM25 index in {:.1}s, near-duplicates and story threads in {:.1}s",
            report.timings.tokenise_s + report.timings.bm25_s,
            report.timings.groups_s
        ),
    });

    report.timings.total_s = started.elapsed().as_secs_f64();
    write_json(&IndexFile::Catalog.path(&tmp), &opts.catalog)?;
    write_json(&IndexFile::Report.path(&tmp), &report)?;
    let catalog_json = std::fs::read(IndexFile::Catalog.path(&tmp)).map_err(IndexerError::io(&tmp))?;
    let contents = digest::contents(&tmp)?;
    let inputs = manifest::Inputs {
        posts_digest: report.posts_digest.clone(),
        catalog_digest: format!("sha256:{}", digest::hex(&Sha256::digest(&catalog_json))),
        model_id: embedder.model_id().to_string(),
        format_version: manifest::FORMAT_VERSION,
        sosik_version: SOSIK_VERSION.to_string(),
        topic_model: topic_model_sha256.clone(),
    };
    let manifest = Manifest {
        format_version: manifest::FORMAT_VERSION,
        model_id: embedder.model_id().to_string(),
        dim: sosik_embed::DIM,
        items: items.len(),
        posts: report.posts_indexed,
        built_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        inputs: Some(inputs),
        content_digest: Some(contents.digest),
        files: contents.files,
    };
    // The manifest goes last: an index directory without one is incomplete.
    write_json(&IndexFile::Manifest.path(&tmp), &manifest)?;
    progress.event(Event::Start { phase: Phase::Publish, total: 0 });
    let version = layout::publish(&tmp, &opts.index)?;
    progress.event(Event::Finish { phase: Phase::Publish, summary: format!("{}", version.display()) });
    Ok(report)
}

/// Every text field of every item run through the Korean analyzer, on all cores, in item order.
/// Tokenising is most of the BM25 cost; the single writer thread then only inverts.
fn tokenise(items: &[NewsItem], f: &Fields, analyzer: &Analyzer) -> Vec<Vec<(Field, PreTokenizedString)>> {
    items
        .par_iter()
        .map_init(
            || (KoTokenizer::new(analyzer.clone()), BigramTokenizer::default()),
            |(morphemes, bigrams), item| {
                let mut out = Vec::with_capacity(7 + item.sources.len());
                fn tokens(tokenizer: &mut impl Tokenizer, text: &str) -> Vec<Token> {
                    let mut stream = tokenizer.token_stream(text);
                    let mut tokens = Vec::new();
                    while stream.advance() {
                        tokens.push(stream.token().clone());
                    }
                    tokens
                }
                let mut add = |field: Field, text: String| {
                    let tokens = tokens(morphemes, &text);
                    out.push((field, PreTokenizedString { text, tokens }));
                };
                add(f.title, item.title.clone());
                add(f.summary, item.summary.clone());
                add(f.why, item.why.clone());
                add(f.body, item.body.clone());
                add(f.post_title, item.post_title.clone());
                for s in &item.sources {
                    add(f.sources, format!("{} {}", s.title, s.domain));
                }
                // The dictionary-free grams of the item's own text (see sosik_ko::bigrams).
                let text = [&item.title, &item.summary, &item.why, &item.body].map(|t| t.as_str()).join("\n");
                let grams = tokens(bigrams, &text);
                out.push((f.grams, PreTokenizedString { text, tokens: grams }));
                out
            },
        )
        .collect()
}

/// Writes the BM25 index; returns the seconds spent tokenising (the rest is waiting for the writer).
fn write_tantivy(
    dir: &Path,
    items: &[NewsItem],
    analyzer: &Analyzer,
    progress: &dyn Progress,
) -> Result<f64, IndexerError> {
    let schema = build_schema();
    let f = Fields::resolve(&schema)?;
    let index = Index::create_in_dir(dir, schema)?;
    sosik_engine::format::schema::register_analyzer(&index, analyzer);
    // One indexing thread keeps document order (= ord) and the segment layout deterministic.
    // It inverts one chunk while the next is tokenised on every core; chunks bound the memory
    // the tokens take (all of 100k items' tokens at once would be gigabytes).
    let mut writer = index.writer_with_num_threads(1, 200_000_000)?;
    let mut tokenise_s = 0.0;
    for (c, chunk) in items.chunks(TOKENISE_CHUNK).enumerate() {
        let t = Instant::now();
        let texts = tokenise(chunk, &f, analyzer);
        tokenise_s += t.elapsed().as_secs_f64();
        for (k, (item, texts)) in chunk.iter().zip(texts).enumerate() {
            let ord = c * TOKENISE_CHUNK + k;
            let mut d: TantivyDocument = doc!(
                f.ord => ord as u64,
                f.id => item.id.clone(),
                f.post_path => item.post_path.clone(),
                f.day => sosik_corpus::day_number(item.date),
                f.item => serde_json::to_string(item).expect("items serialise"),
            );
            for (field, text) in texts {
                d.add_pre_tokenized_text(field, text);
            }
            for s in &item.sources {
                d.add_text(f.domain, &s.domain);
            }
            for c in &item.companies {
                d.add_text(f.company, c);
            }
            for t in &item.topics {
                d.add_text(f.topic, t);
            }
            writer.add_document(d)?;
        }
        progress.event(Event::Advance { phase: Phase::Write, done: (c * TOKENISE_CHUNK + chunk.len()) as u64 });
    }
    writer.commit()?;
    writer.wait_merging_threads()?;
    Ok(tokenise_s)
}

fn write_json(path: &Path, value: &impl serde::Serialize) -> Result<(), IndexerError> {
    let text = serde_json::to_string_pretty(value).expect("serialisable");
    std::fs::write(path, text).map_err(IndexerError::io(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_dated_out_of_range_is_reported_and_the_others_indexed() {
        let dir = tempfile::tempdir().unwrap();
        let post = |date: &str| {
            format!(
                "---\ntitle: t\ndate: {date}\n---\n## AI\n\
                 - [가상 코딩 도구에 가장 잘 맞는 언어는?](https://news.example.io/{date}/101)\n\
                 - [[릴리즈 노트] 가상 모델 HH 출시](https://magazine.example.com/{date}/202)\n"
            )
        };
        std::fs::write(dir.path().join("typo.md"), post("0206-01-01")).unwrap();
        std::fs::write(dir.path().join("first.md"), post("1990-01-01")).unwrap();
        std::fs::write(dir.path().join("last.md"), post("2100-12-31")).unwrap();
        std::fs::write(dir.path().join("2101-01-01-late.md"), post("x").replace("date: x\n", "")).unwrap();
        let (items, report) = parse_posts(dir.path()).unwrap();
        assert_eq!(report.posts_indexed, 2, "{report:?}");
        let mut dates: Vec<String> = items.iter().map(|i| i.date.to_string()).collect();
        dates.dedup();
        assert_eq!(dates, ["1990-01-01", "2100-12-31"]);
        let rejected: Vec<(&str, &str)> =
            report.rejected.iter().map(|r| (r.path.as_str(), r.reason.as_str())).collect();
        assert_eq!(
            rejected,
            [
                (
                    "2101-01-01-late.md",
                    "date out of range: the file name's date is 2101-01-01, outside 1990-01-01 to 2100-12-31"
                ),
                (
                    "typo.md",
                    "date out of range: the front matter `date` is 0206-01-01, outside 1990-01-01 to 2100-12-31"
                ),
            ]
        );
        assert!(report.summary().contains("date out of range"), "{}", report.summary());
    }
}
