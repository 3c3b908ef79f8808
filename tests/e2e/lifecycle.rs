//! Starting and stopping the server: clear start-up errors, and a clean exit on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use sosik_tests::{bin, sample_index};

fn start_error(args: &[&std::ffi::OsStr]) -> String {
    let out = Command::new(bin("sosik-server")).args(args).args(["--addr", "127.0.0.1:0"]).output().unwrap();
    assert!(!out.status.success(), "the server started anyway");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_missing_dictionary_or_index_is_a_clear_start_up_error() {
    let index = sample_index().as_os_str();
    let err = start_error(&["--index".as_ref(), index, "--dict".as_ref(), "/nonexistent/ko-dic".as_ref()]);
    assert!(err.contains("/nonexistent/ko-dic") && err.contains("scripts/setup/dict.sh"), "{err}");

    let empty = tempfile_dir("sosik-empty-index");
    let err = start_error(&["--index".as_ref(), empty.as_os_str()]);
    assert!(err.contains("manifest.json") && err.contains("sosik-indexer build"), "{err}");
}

#[test]
fn sigterm_shuts_the_server_down_cleanly() {
    let mut child = Command::new(bin("sosik-server"))
        .arg("--index")
        .arg(sample_index())
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.contains("http://127.0.0.1:"), "{line}");
    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status:?}");
            break;
        }
        assert!(Instant::now() < deadline, "still running 10 s after SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn tempfile_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn a_killed_build_leaves_the_previous_index_intact() {
    let dir = tempfile_dir("sosik-killed-build");
    let index = dir.join("index");
    let build = |cache: Option<&std::path::Path>| {
        let mut cmd = Command::new(bin("sosik-indexer"));
        cmd.args(["build", "--posts"]).arg(sosik_tests::repo_root().join("data/posts")).arg("--index").arg(&index);
        if let Some(cache) = cache {
            cmd.arg("--embedding-cache").arg(cache);
        }
        cmd
    };
    // a complete index first (vectors from the shared cache)
    let out = build(None).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let manifest = std::fs::read_to_string(index.join("manifest.json")).unwrap();

    // a second build with an empty cache has to embed everything: kill it while it does
    let mut child =
        build(Some(&dir.join("empty-cache.bin"))).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    let mut embedding = false;
    while err.read_line(&mut line).unwrap() > 0 {
        // the progress line that opens the embedding phase ("embed: 23 passages to do")
        if line.starts_with("embed: ") {
            embedding = true;
            break;
        }
        line.clear();
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(embedding, "the build ended without reporting that it embeds");

    assert_eq!(std::fs::read_to_string(index.join("manifest.json")).unwrap(), manifest, "the old index was touched");
    for file in ["vectors.f32", "vector_owners.json", "catalog.json", "tantivy/meta.json"] {
        assert!(index.join(file).exists(), "{file} missing after the killed build");
    }
    let served = std::fs::canonicalize(&index).unwrap();
    // and it still serves
    let server = sosik_tests::start_server(&index, &sosik_tests::repo_root().join("web/dist"));
    assert!(!server.search("Cowork", "bm25", 1).hits.is_empty());

    // the next build publishes (the killed one held the build lock until it died)
    let staging = dir.join(".index.building");
    let out = build(None).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!staging.exists(), "the next build left the staging folder");
    assert!(std::fs::symlink_metadata(&index).unwrap().file_type().is_symlink(), "the index path is not a link");
    assert_ne!(std::fs::canonicalize(&index).unwrap(), served, "the rebuild was not published");
    assert!(served.is_dir(), "the version a server may still read was deleted by the next build");
}
