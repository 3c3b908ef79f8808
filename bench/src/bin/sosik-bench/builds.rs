//! Builds with the release `sosik-indexer`: first, unchanged, one post added; the dev corpus'
//! unchanged rebuild; the synthetic vectors seeded into the bench's cache.

use super::*;

pub(crate) struct BuildRun {
    pub(crate) wall_s: f64,
    pub(crate) peak_rss_mib: f64,
    pub(crate) report: BuildReport,
}

/// Runs `sosik-indexer build` as a child and reads its peak RSS from `wait4`.
pub(crate) fn build(indexer: &Path, posts: &Path, index: &Path, cache: Option<&Path>, graph: bool) -> Result<BuildRun> {
    let mut cmd = Command::new(indexer);
    cmd.args(["build", "--posts"]).arg(posts).arg("--index").arg(index);
    if graph {
        cmd.arg("--vector-graph");
    }
    if let Some(cache) = cache {
        cmd.arg("--embedding-cache").arg(cache);
    }
    let t = Instant::now();
    let child = cmd.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().context("starting sosik-indexer")?;
    let pid = child.id() as libc::pid_t;
    let mut stderr = child.stderr.expect("piped");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut stderr, &mut s);
        s
    });
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; status and usage are ours to fill
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall_s = t.elapsed().as_secs_f64();
    let err = reader.join().unwrap_or_default();
    if waited != pid || !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        bail!("sosik-indexer build of {} failed: {err}", posts.display());
    }
    let report_path = index.join(sosik_engine::format::IndexFile::Report.name());
    let report: BuildReport = serde_json::from_slice(&std::fs::read(&report_path)?)
        .with_context(|| format!("reading {}", report_path.display()))?;
    Ok(BuildRun { wall_s, peak_rss_mib: usage.ru_maxrss as f64 / 1024.0, report })
}

pub(crate) fn build_json(run: &BuildRun, index: &Path) -> Value {
    let t = &run.report.timings;
    let items = run.report.items as f64;
    let size = stats::dir_bytes(&std::fs::canonicalize(index).unwrap_or_else(|_| index.to_path_buf()));
    json!({ "wall_s": run.wall_s, "items": run.report.items, "items_per_s": items / run.wall_s,
            "peak_rss_mib": run.peak_rss_mib, "index_mib": size as f64 / 1048576.0,
            "embeddings_computed": run.report.embeddings_computed, "embeddings_cached": run.report.embeddings_cached,
            "parse_s": t.parse_s, "embed_s": t.embed_s, "tag_s": t.tag_s, "tokenise_s": t.tokenise_s,
            "bm25_write_s": t.bm25_s, "groups_s": t.groups_s, "duplicates_s": t.duplicates_s,
            "stories_s": t.stories_s, "graph_s": t.graph_s, "total_s": t.total_s })
}

pub(crate) fn print_build(label: &str, v: &Value) {
    let f = |k: &str| v[k].as_f64().unwrap_or(f64::NAN);
    let per = |k: &str| if f(k) > 0.0 { f("items") / f(k) } else { f64::INFINITY };
    println!(
        "{label}: {:.1} s wall ({:.0} items/s), peak RSS {:.0} MiB, index {:.1} MiB, embeddings {} computed / {} cached",
        f("wall_s"),
        f("items_per_s"),
        f("peak_rss_mib"),
        f("index_mib"),
        v["embeddings_computed"],
        v["embeddings_cached"]
    );
    println!(
        "    parse {:.2} s ({:.0}/s) · embed {:.2} s · tag {:.2} s ({:.0}/s) · tokenise {:.2} s ({:.0}/s) · BM25 write \
         {:.2} s ({:.0}/s) · vectors+duplicates+stories {:.2} s (duplicates {:.2} s, stories {:.2} s) · vector \
         graph {:.2} s · build total {:.2} s",
        f("parse_s"),
        per("parse_s"),
        f("embed_s"),
        f("tag_s"),
        per("tag_s"),
        f("tokenise_s"),
        per("tokenise_s"),
        f("bm25_write_s"),
        per("bm25_write_s"),
        f("groups_s"),
        f("duplicates_s"),
        f("stories_s"),
        f("graph_s"),
        f("total_s"),
    );
}

pub(crate) fn dev_rebuild(indexer: &Path, dev: &Path, work: &Path) -> Result<Value> {
    println!("\n## unchanged rebuild of {} (shared embedding cache)", dev.display());
    let index = work.join("dev-index");
    build(indexer, dev, &index, None, false)?; // brings the cache up to date if needed
    println!("load average: {:?}", stats::loadavg());
    let run = build(indexer, dev, &index, None, false)?;
    let v = build_json(&run, &index);
    print_build("unchanged rebuild", &v);
    println!(
        "target: < 10 s and 0 embeddings → {} ({:.1} s, {} computed)",
        verdict(run.wall_s < 10.0 && run.report.embeddings_computed == 0),
        run.wall_s,
        run.report.embeddings_computed
    );
    Ok(v)
}

pub(crate) fn verdict(ok: bool) -> &'static str {
    if ok {
        "MET"
    } else {
        "MISSED"
    }
}
