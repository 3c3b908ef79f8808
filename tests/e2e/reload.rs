//! Hot reload: a rebuilt index is served without one failed request, a bad one (another format, a
//! file cut short or gone) is refused while the old index keeps answering, and SIGHUP reloads
//! when polling is off.
//!
//! Each test builds a tiny corpus of hand-written posts with the real indexer into a temporary
//! folder. Embeddings go through a cache of their own in target/ (keyed by content hash), so
//! after the first run only the texts that changed are embedded.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use sosik_tests::{bin, bin_dir, encode};

/// A word in no post but the one added by the rebuild.
const NEW_WORD: &str = "Zorblaxicon";

fn post(date: &str, title: &str, items: &[(&str, &str)]) -> String {
    let mut text = format!("---\nlayout: default\ntitle: \"{title}\"\ndate: {date} 09:00:00 +0900\n---\n\n");
    for (i, (heading, summary)) in items.iter().enumerate() {
        text.push_str(&format!(
            "### {heading}\n\n**📌 요약**\n{summary}\n\n**💡 시사점**\n-   **의미:** 관련 업계의 반응을 지켜볼 필요가 있습니다.\n\n\
             **[🔗 원문 기사 보기](https://example.com/reload-test/{date}/{i})**\n\n---\n\n"
        ));
    }
    text
}

/// A temporary corpus, its index path and the build command.
struct Corpus {
    dir: PathBuf,
    posts: PathBuf,
    index: PathBuf,
}

impl Corpus {
    fn new(name: &str) -> Corpus {
        let dir = std::env::temp_dir().join(format!("sosik-reload-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let posts = dir.join("posts");
        std::fs::create_dir_all(&posts).unwrap();
        let corpus = Corpus { index: dir.join("index"), posts, dir };
        corpus.add(
            "2026-03-02-robots.md",
            &post(
                "2026-03-02",
                "[2026-03-02] 로봇 소식",
                &[
                    (
                        "물류 로봇 스타트업, 창고 자동화 시범 사업 시작",
                        "한 물류 로봇 스타트업이 대형 창고에서 상자 운반 로봇의 시범 운영을 시작했습니다.",
                    ),
                    (
                        "농업용 드론, 과수원 방제 작업에 투입",
                        "농업용 드론이 과수원의 방제 작업을 대신하는 사례가 늘고 있습니다.",
                    ),
                ],
            ),
        );
        corpus.add(
            "2026-03-03-chips.md",
            &post(
                "2026-03-03",
                "[2026-03-03] 반도체 소식",
                &[(
                    "데이터센터용 추론 칩 신제품 공개",
                    "한 반도체 기업이 전력 효율을 높인 데이터센터용 추론 칩을 공개했습니다.",
                )],
            ),
        );
        corpus.add(
            "2026-03-04-models.md",
            &post(
                "2026-03-04",
                "[2026-03-04] 모델 소식",
                &[(
                    "오픈소스 번역 모델, 한국어 성능 개선",
                    "새로 공개된 오픈소스 번역 모델이 한국어 문장 번역에서 이전 버전보다 나은 결과를 보였습니다.",
                )],
            ),
        );
        corpus
    }

    fn add(&self, name: &str, text: &str) {
        std::fs::write(self.posts.join(name), text).unwrap();
    }

    fn add_new_word_post(&self) {
        self.add(
            "2026-03-05-new.md",
            &post(
                "2026-03-05",
                "[2026-03-05] 새 소식",
                &[(
                    &format!("{NEW_WORD} 프로젝트, 첫 공개 시연"),
                    &format!("{NEW_WORD} 팀이 음성 비서 시제품을 처음으로 시연했습니다."),
                )],
            ),
        );
    }

    fn build(&self) {
        let out = Command::new(bin("sosik-indexer"))
            .args(["build", "--posts"])
            .arg(&self.posts)
            .arg("--index")
            .arg(&self.index)
            .arg("--embedding-cache")
            .arg(bin_dir().join("e2e-reload-embeddings.bin"))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "sosik-indexer build failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Publishes a copy of the version directory `from` as `name` beside the index, changed by
    /// `change` first, the way the indexer does (one rename of a link over the index path).
    /// Returns what `change` returns.
    fn publish_copy<T>(&self, from: &Path, name: &str, change: impl FnOnce(&Path) -> T) -> T {
        let dir = self.dir.join(name);
        copy_dir(from, &dir);
        let out = change(&dir);
        let link = self.dir.join(".index.link");
        std::os::unix::fs::symlink(name, &link).unwrap();
        std::fs::rename(&link, &self.index).unwrap();
        out
    }

    /// The manifest of what the index path holds now.
    fn manifest(&self) -> Value {
        serde_json::from_str(&std::fs::read_to_string(self.index.join("manifest.json")).unwrap()).unwrap()
    }
}

impl Drop for Corpus {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A `sosik-server` of this test alone (its pid is needed for SIGHUP); killed when dropped.
struct Server {
    base: String,
    child: Child,
    _stdin: ChildStdin,
}

impl Server {
    fn start(index: &Path, watch_interval: &str) -> Server {
        let mut child = Command::new(bin("sosik-server"))
            .arg("--index")
            .arg(index)
            .args(["--addr", "127.0.0.1:0", "--exit-on-stdin-close", "--watch-interval", watch_interval])
            // reload events only: a line per request would bury them
            .env("RUST_LOG", "warn,sosik_server::reload=info")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        let base = loop {
            line.clear();
            assert!(reader.read_line(&mut line).unwrap() > 0, "sosik-server exited before listening");
            if let Some(pos) = line.find("http://") {
                break line[pos..].trim().trim_end_matches('/').to_string();
            }
        };
        std::thread::spawn(move || for _ in reader.lines() {});
        Server { base, child, _stdin: stdin }
    }

    fn get(&self, path: &str) -> Result<(u16, Value), String> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(20)))
            .build()
            .into();
        let mut resp = agent.get(&format!("{}{path}", self.base)).call().map_err(|e| format!("{path}: {e}"))?;
        let status = resp.status().as_u16();
        let body = resp.body_mut().read_to_string().map_err(|e| format!("{path}: {e}"))?;
        let json = serde_json::from_str(&body).map_err(|e| format!("{path}: not JSON ({e}): {body}"))?;
        Ok((status, json))
    }

    fn health(&self) -> Value {
        let (status, json) = self.get("/api/health").unwrap();
        assert_eq!(status, 200, "{json}");
        json
    }

    /// Hits for `q` (BM25).
    fn hits(&self, q: &str) -> usize {
        let (status, json) = self.get(&format!("/api/search?q={}&mode=bm25", encode(q))).unwrap();
        assert_eq!(status, 200, "{json}");
        json["hits"].as_array().unwrap().len()
    }

    /// Waits until `/api/health` reports the version `version` refused for a reason containing
    /// `reason` (without server paths under `dir`), while `served` is still served and answers.
    fn assert_refused(&self, version: &str, reason: &str, served: &Value, dir: &Path) {
        self.wait_for(&format!("{version} is refused"), Duration::from_secs(10), |s| {
            s.health()["refused"]["version"] == version
        });
        let health = self.health();
        let said = health["refused"]["reason"].as_str().unwrap();
        assert!(said.contains(reason), "expected {reason:?} in the refusal: {health}");
        assert!(!said.contains(dir.to_str().unwrap()), "server paths leak into /api/health: {said}");
        assert_eq!(health["index"], served["index"], "the served index changed: {health}");
        assert!(self.hits(NEW_WORD) > 0, "the old index stopped answering");
    }

    fn wait_for(&self, what: &str, timeout: Duration, mut done: impl FnMut(&Server) -> bool) {
        let deadline = Instant::now() + timeout;
        while !done(self) {
            assert!(Instant::now() < deadline, "{what}: not within {timeout:?}; health: {}", self.health());
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Requests fired back to back from another thread until stopped: every failure is kept.
struct Load {
    stop: Arc<AtomicBool>,
    failures: Arc<Mutex<Vec<String>>>,
    thread: Option<std::thread::JoinHandle<usize>>,
}

impl Load {
    fn start(server: &Arc<Server>) -> Load {
        let stop = Arc::new(AtomicBool::new(false));
        let failures = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (server, stop, failures) = (server.clone(), stop.clone(), failures.clone());
            std::thread::spawn(move || {
                let paths = [
                    format!("/api/search?q={}&mode=bm25", encode(NEW_WORD)),
                    format!("/api/search?q={}&mode=hybrid", encode("물류 로봇")),
                    "/api/health".to_string(),
                    format!("/api/search?q={}&mode=vector&limit=3", encode("반도체 칩")),
                ];
                let mut sent = 0;
                while !stop.load(Ordering::Relaxed) {
                    let path = &paths[sent % paths.len()];
                    match server.get(path) {
                        Ok((200, _)) => {}
                        Ok((status, json)) => failures.lock().unwrap().push(format!("{path}: {status} {json}")),
                        Err(e) => failures.lock().unwrap().push(e),
                    }
                    sent += 1;
                }
                sent
            })
        };
        Load { stop, failures, thread: Some(thread) }
    }

    /// Stops the thread; returns the number of requests sent and the failures.
    fn finish(mut self) -> (usize, Vec<String>) {
        self.stop.store(true, Ordering::Relaxed);
        let sent = self.thread.take().unwrap().join().unwrap();
        let failures = std::mem::take(&mut *self.failures.lock().unwrap());
        (sent, failures)
    }
}

#[test]
fn a_rebuilt_index_is_served_without_a_failed_request_and_a_bad_one_is_refused() {
    let corpus = Corpus::new("swap");
    corpus.build();
    let server = Arc::new(Server::start(&corpus.index, "0.2"));
    let before = server.health();
    let first = corpus.manifest();
    assert_eq!(before["status"], "ok");
    assert_eq!(before["index"]["items"], first["items"], "{before}");
    assert_eq!(before["index"]["posts"], 3, "{before}");
    assert_eq!(before["index"]["format_version"], first["format_version"], "{before}");
    assert!(before["refused"].is_null(), "{before}");
    assert_eq!(server.hits(NEW_WORD), 0);

    // rebuild with one more post while requests keep coming
    let load = Load::start(&server);
    corpus.add_new_word_post();
    corpus.build();
    server.wait_for("the new post is found", Duration::from_secs(30), |s| s.hits(NEW_WORD) > 0);
    std::thread::sleep(Duration::from_millis(300));
    let (sent, failures) = load.finish();
    assert!(failures.is_empty(), "{} of {sent} requests failed during the reload: {failures:#?}", failures.len());
    assert!(sent >= 10, "only {sent} requests were sent during the reload");

    let after = server.health();
    let second = corpus.manifest();
    assert_eq!(after["index"]["items"], second["items"], "{after}");
    assert_eq!(after["index"]["posts"], 4, "{after}");
    assert_eq!(after["index"]["built_at"], second["built_at"], "{after}");
    assert!(after["index"]["items"].as_u64() > before["index"]["items"].as_u64(), "{before} → {after}");
    assert_ne!(after["index"]["version"], before["index"]["version"], "{after}");

    // a bad build appears at the path: a copy of the current version whose manifest claims a
    // format this server does not read
    let current = std::fs::canonicalize(&corpus.index).unwrap();
    let load = Load::start(&server);
    corpus.publish_copy(&current, ".index.vbad", |bad| {
        let mut manifest = second.clone();
        manifest["format_version"] = 999.into();
        std::fs::write(bad.join("manifest.json"), manifest.to_string()).unwrap();
    });
    server.assert_refused(".index.vbad", "format version 999", &after, &corpus.dir);

    // rebuilt but broken: a file cut short, a file of the text index gone — refused, naming the
    // file, while the old index keeps answering
    corpus.publish_copy(&current, ".index.vcut", |dir| {
        let bytes = std::fs::read(dir.join("vectors.f32")).unwrap();
        std::fs::write(dir.join("vectors.f32"), &bytes[..bytes.len() / 2]).unwrap();
    });
    server.assert_refused(".index.vcut", "vectors.f32 has", &after, &corpus.dir);
    let gone = corpus.publish_copy(&current, ".index.vgone", |dir| {
        let store = std::fs::read_dir(dir.join("tantivy"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .find(|n| n.ends_with(".store"))
            .expect("a segment's store file");
        std::fs::remove_file(dir.join("tantivy").join(&store)).unwrap();
        format!("tantivy/{store} is missing")
    });
    server.assert_refused(".index.vgone", &gone, &after, &corpus.dir);

    // a good build after the bad one is picked up, and clears the refusal; the indexer deletes
    // the version still being served (neither current nor previous at the path), which the
    // server keeps reading through its open files
    corpus.add(
        "2026-03-06-more.md",
        &post(
            "2026-03-06",
            "[2026-03-06] 더 많은 소식",
            &[("클라우드 요금 인하 발표", "클라우드 기업이 GPU 요금 인하를 발표했습니다.")],
        ),
    );
    corpus.build();
    assert!(!current.exists(), "the served version was expected to be collected by the build");
    server.wait_for("the next good build is served", Duration::from_secs(30), |s| s.health()["index"]["posts"] == 5);
    let (sent, failures) = load.finish();
    assert!(failures.is_empty(), "{} of {sent} requests failed: {failures:#?}", failures.len());
    let last = server.health();
    assert!(last["refused"].is_null(), "{last}");
    assert_eq!(last["index"]["built_at"], corpus.manifest()["built_at"], "{last}");
}

#[test]
fn sighup_reloads_when_polling_is_off() {
    let corpus = Corpus::new("sighup");
    corpus.build();
    let server = Server::start(&corpus.index, "0");
    let before = server.health();
    corpus.add_new_word_post();
    corpus.build();
    // nothing reloads on its own: polling is off
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(server.hits(NEW_WORD), 0);
    assert_eq!(server.health()["index"], before["index"]);

    let status = Command::new("kill").args(["-HUP", &server.child.id().to_string()]).status().unwrap();
    assert!(status.success());
    server.wait_for("SIGHUP reloads the index", Duration::from_secs(30), |s| s.hits(NEW_WORD) > 0);
    let after = server.health();
    assert_eq!(after["index"]["posts"], 4, "{after}");
    assert_eq!(after["index"]["built_at"], corpus.manifest()["built_at"], "{after}");
}

/// `sosik-indexer pack` of the corpus's index into `out`.
fn pack(corpus: &Corpus, out: &Path) {
    let done = Command::new(bin("sosik-indexer"))
        .arg("pack")
        .arg("--index")
        .arg(&corpus.index)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(done.status.success(), "pack failed: {}", String::from_utf8_lossy(&done.stderr));
}

#[test]
fn an_archive_is_served_replaced_without_a_failed_request_and_a_damaged_one_refused() {
    let corpus = Corpus::new("archive");
    corpus.build();
    let archive = corpus.dir.join("site.tar.zst");
    pack(&corpus, &archive);
    let server = Arc::new(Server::start(&archive, "0.2"));
    let before = server.health();
    assert_eq!(before["index"]["posts"], 3, "{before}");
    assert_eq!(before["index"]["content_digest"], corpus.manifest()["content_digest"], "{before}");
    assert!(server.hits("물류 로봇") > 0);

    // a deployment replaces the archive and then its .sha256 (each by a rename), under load
    let load = Load::start(&server);
    corpus.add_new_word_post();
    corpus.build();
    let next = corpus.dir.join("next.tar.zst");
    pack(&corpus, &next);
    std::fs::rename(&next, &archive).unwrap();
    std::thread::sleep(Duration::from_millis(50));
    std::fs::rename(corpus.dir.join("next.tar.zst.sha256"), corpus.dir.join("site.tar.zst.sha256")).unwrap();
    server.wait_for("the new archive is served", Duration::from_secs(30), |s| s.hits(NEW_WORD) > 0);
    let (sent, failures) = load.finish();
    assert!(failures.is_empty(), "{} of {sent} requests failed during the reload: {failures:#?}", failures.len());
    let after = server.health();
    assert_eq!(after["index"]["posts"], 4, "{after}");
    assert_eq!(after["index"]["content_digest"], corpus.manifest()["content_digest"], "{after}");
    assert!(after["refused"].is_null(), "{after}");

    // cut short in transit, without its .sha256: refused, and the last good one keeps answering
    let bytes = std::fs::read(&archive).unwrap();
    std::fs::remove_file(corpus.dir.join("site.tar.zst.sha256")).unwrap();
    let cut = corpus.dir.join("cut.tar.zst");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    std::fs::rename(&cut, &archive).unwrap();
    server.assert_refused("site.tar.zst", "truncated", &after, &corpus.dir);
    // one unpacked copy per archive served, at most the current and the one before it
    let copies = std::fs::read_dir(corpus.dir.join(".site.tar.zst.d")).unwrap().count();
    assert!((1..=2).contains(&copies), "{copies} unpacked copies are kept");

    // a server never starts on a foreign archive
    let foreign = corpus.dir.join("foreign.tar.zst");
    std::fs::write(&foreign, zstd_of_tar_with("notes.txt", b"hello")).unwrap();
    let out = Command::new(bin("sosik-server"))
        .arg("--index")
        .arg(&foreign)
        .args(["--addr", "127.0.0.1:0"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && stderr.contains("not a sosik index archive"), "{stderr}");
}

/// A `.tar.zst` holding one file: an archive that is not an index.
fn zstd_of_tar_with(name: &str, bytes: &[u8]) -> Vec<u8> {
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_size(bytes.len() as u64);
    tar.append_data(&mut header, name, bytes).unwrap();
    zstd::encode_all(&tar.into_inner().unwrap()[..], 3).unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
