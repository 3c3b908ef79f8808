//! Fixtures for the end-to-end tests: the sample index built by the real `sosik-indexer`
//! binary, and one real `sosik-server` on a loopback port, shared by every test in the process.
//!
//! The binaries are the ones cargo built next to this test (target/<profile>/); the server and
//! indexer packages have integration tests of their own, so `cargo test` always rebuilds them.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use headless_chrome::{Browser, LaunchOptions};

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is inside the repo").to_path_buf()
}

/// target/<profile>/ of the running test binary.
pub fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    let deps = exe.parent().expect("deps dir");
    deps.parent().expect("profile dir").to_path_buf()
}

pub fn bin(name: &str) -> PathBuf {
    let path = bin_dir().join(name);
    assert!(
        path.is_file(),
        "{} is not built; run `cargo test` from the repository root (or `bash scripts/test.sh`)",
        path.display()
    );
    path
}

/// Where artifacts (screenshots, DOM dumps) of the tests go: `<repo>/test-artifacts/`.
pub fn artifacts_dir() -> PathBuf {
    let dir = repo_root().join("test-artifacts");
    std::fs::create_dir_all(&dir).expect("create test-artifacts");
    dir
}

/// Builds the index of data/posts once per test process, with the real indexer binary.
pub fn sample_index() -> &'static Path {
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    INDEX.get_or_init(|| build_index(&repo_root().join("data/posts"), &bin_dir().join("e2e-sample-index")))
}

/// Runs `sosik-indexer build` on the posts in `posts` into `index`; panics with its output if it fails.
pub fn build_index(posts: &Path, index: &Path) -> PathBuf {
    let out = Command::new(bin("sosik-indexer"))
        .args(["build", "--posts"])
        .arg(posts)
        .arg("--index")
        .arg(index)
        .output()
        .expect("run sosik-indexer");
    assert!(
        out.status.success(),
        "sosik-indexer build failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    index.to_path_buf()
}

/// The index of data/posts plus the hostile posts of tests/fixtures/hostile/posts (markup and
/// `javascript:` links in every field), built once per test process.
pub fn hostile_index() -> &'static Path {
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    INDEX.get_or_init(|| {
        let root = bin_dir().join("e2e-hostile");
        let posts = root.join("posts");
        let _ = std::fs::remove_dir_all(&root);
        for dir in [repo_root().join("data/posts"), repo_root().join("tests/fixtures/hostile/posts")] {
            copy_posts(&dir, &posts);
        }
        build_index(&posts, &root.join("index"))
    })
}

/// A server on [`hostile_index`], serving web/dist.
pub fn hostile_server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| start_server(hostile_index(), &repo_root().join("web/dist")))
}

/// The sample corpus as the blog `sample` beside the two relaying blogs of
/// tests/fixtures/relays/posts (each folder a blog), built once per test process: the source
/// lineage tests read it.
pub fn relay_index() -> &'static Path {
    static INDEX: OnceLock<PathBuf> = OnceLock::new();
    INDEX.get_or_init(|| {
        let root = bin_dir().join("e2e-relays");
        let posts = root.join("posts");
        let _ = std::fs::remove_dir_all(&root);
        copy_posts(&repo_root().join("data/posts"), &posts.join("sample"));
        let fixtures = repo_root().join("tests/fixtures/relays/posts");
        for blog in std::fs::read_dir(&fixtures).unwrap_or_else(|e| panic!("{}: {e}", fixtures.display())) {
            let blog = blog.expect("dir entry").path();
            copy_posts(&blog, &posts.join(blog.file_name().expect("folder name")));
        }
        build_index(&posts, &root.join("index"))
    })
}

/// Copies the files of `from` into the folder `to` (made).
fn copy_posts(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let path = entry.expect("dir entry").path();
        std::fs::copy(&path, to.join(path.file_name().expect("file name"))).expect("copy post");
    }
}

/// A server on [`relay_index`], serving web/dist.
pub fn relay_server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| start_server(relay_index(), &repo_root().join("web/dist")))
}

/// A running `sosik-server`. It exits when its stdin closes, i.e. when this test process ends,
/// so no server outlives the tests even when a test panics.
pub struct Server {
    pub base: String,
    _child: Mutex<Child>,
    _stdin: Mutex<ChildStdin>,
}

/// The shared server on the sample index, serving web/dist.
pub fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| start_server(sample_index(), &repo_root().join("web/dist")))
}

pub fn start_server(index: &Path, web: &Path) -> Server {
    // one log line per request would bury the test output: warnings only, unless RUST_LOG says
    let quiet = std::env::var_os("RUST_LOG").is_none();
    start_server_with(index, web, &[], Stdio::inherit(), if quiet { &[("RUST_LOG", "warn")] } else { &[] })
}

/// [`start_server`] with more flags (e.g. limits), its log (stderr) sent to `log` and `env` set.
pub fn start_server_with(index: &Path, web: &Path, args: &[&str], log: Stdio, env: &[(&str, &str)]) -> Server {
    let mut command = Command::new(bin("sosik-server"));
    command.arg("--web").arg(web).args(args).envs(env.iter().copied());
    start(command, index, log)
}

/// The server binary `server` (a copy anywhere) on `index` alone: no `--web`, run from `cwd`, so
/// it serves the UI compiled into it.
pub fn start_server_alone(server: &Path, index: &Path, cwd: &Path) -> Server {
    let mut command = Command::new(server);
    command.current_dir(cwd).env("RUST_LOG", "warn").env_remove("SOSIK_WEB");
    start(command, index, Stdio::inherit())
}

fn start(mut command: Command, index: &Path, log: Stdio) -> Server {
    let mut child = command
        .arg("--index")
        .arg(index)
        .args(["--addr", "127.0.0.1:0", "--exit-on-stdin-close"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(log)
        .spawn()
        .expect("spawn sosik-server");
    let stdin = child.stdin.take().expect("stdin");
    let stdout = child.stdout.take().expect("stdout");
    // The server prints "… on http://127.0.0.1:PORT/" once it listens.
    let mut line = String::new();
    let mut reader = BufReader::new(stdout);
    let deadline = Instant::now() + Duration::from_secs(120);
    let base = loop {
        line.clear();
        let n = reader.read_line(&mut line).expect("read server stdout");
        assert!(n > 0, "sosik-server exited before listening (see its stderr above)");
        if let Some(pos) = line.find("http://") {
            break line[pos..].trim().trim_end_matches('/').to_string();
        }
        assert!(Instant::now() < deadline, "sosik-server did not start in time");
    };
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in reader.lines() {});
    Server { base, _child: Mutex::new(child), _stdin: Mutex::new(stdin) }
}

impl Server {
    pub fn url(&self, path_and_query: &str) -> String {
        format!("{}{}", self.base, path_and_query)
    }

    /// GET → (status, body as text).
    pub fn get(&self, path_and_query: &str) -> (u16, String) {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut resp = agent.get(&self.url(path_and_query)).call().expect("HTTP request");
        let status = resp.status().as_u16();
        (status, resp.body_mut().read_to_string().expect("body"))
    }

    /// GET → (status, body as JSON).
    pub fn get_json(&self, path_and_query: &str) -> (u16, serde_json::Value) {
        let (status, body) = self.get(path_and_query);
        let json = serde_json::from_str(&body).unwrap_or_else(|e| panic!("not JSON ({e}): {body}"));
        (status, json)
    }

    /// GET an API path that must answer 200, decoded as `T`.
    pub fn api<T: serde::de::DeserializeOwned>(&self, path_and_query: &str) -> T {
        let (status, json) = self.get_json(path_and_query);
        assert_eq!(status, 200, "{path_and_query}: {json}");
        serde_json::from_value(json).unwrap_or_else(|e| panic!("{path_and_query}: {e}"))
    }

    pub fn search(&self, q: &str, mode: &str, limit: usize) -> sosik_types::SearchResponse {
        let path = format!("/api/search?q={}&mode={mode}&limit={limit}", encode(q));
        let (status, json) = self.get_json(&path);
        assert_eq!(status, 200, "{path}: {json}");
        serde_json::from_value(json).expect("SearchResponse")
    }
}

/// Percent-encodes a query-string value.
pub fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Debian's Chromium (scripts/setup/chromium.sh installs it).
pub fn chromium() -> PathBuf {
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"] {
        if Path::new(candidate).is_file() {
            return candidate.into();
        }
    }
    panic!("no Chromium found; run `bash scripts/setup/chromium.sh`");
}

/// A headless Chromium with a fresh profile named `name`, at `size` (width, height).
pub fn browser(name: &str, size: (u32, u32)) -> Browser {
    let profile = std::env::temp_dir().join(format!("sosik-chromium-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&profile);
    std::fs::create_dir_all(&profile).expect("profile dir");
    let options = LaunchOptions::default_builder()
        .path(Some(chromium()))
        .headless(true)
        .sandbox(false)
        .window_size(Some(size))
        .user_data_dir(Some(profile))
        .idle_browser_timeout(Duration::from_secs(120))
        .args(vec![
            std::ffi::OsStr::new("--disable-gpu"),
            std::ffi::OsStr::new("--disable-quic"),
            std::ffi::OsStr::new("--disable-component-update"),
            std::ffi::OsStr::new("--lang=ko-KR"),
        ])
        .build()
        .expect("launch options");
    Browser::new(options).expect("start headless Chromium")
}
