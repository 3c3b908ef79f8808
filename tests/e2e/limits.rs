//! Serving limits on the real server: oversized requests get clear 4xx answers, slow clients are
//! cut off, a flood is shed with 503 + Retry-After and the server recovers, every answer has a
//! request id that its log lines carry, and a bounded load run on loopback has no errors.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use sosik_tests::{bin, repo_root, sample_index, server, start_server_with, Server};

fn web() -> std::path::PathBuf {
    repo_root().join("web/dist")
}

/// A server of this test's own, with more flags; its log goes to `log` (or nowhere).
fn own_server(args: &[&str], log: Option<&std::path::Path>) -> Server {
    let stderr = match log {
        Some(path) => Stdio::from(std::fs::File::create(path).unwrap()),
        None => Stdio::null(),
    };
    start_server_with(sample_index(), &web(), args, stderr, &[("RUST_LOG", "info")])
}

fn host(server: &Server) -> &str {
    server.base.trim_start_matches("http://")
}

/// Sends `request` as is and reads the answer until the server closes the connection.
fn exchange(server: &Server, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(host(server)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    stream.write_all(request).unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).unwrap();
    String::from_utf8_lossy(&answer).into_owned()
}

fn get(path: &str, extra_headers: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: sosik\r\nConnection: close\r\n{extra_headers}\r\n").into_bytes()
}

struct Answer {
    status: u16,
    head: String,
    body: String,
}

fn parse(answer: &str) -> Answer {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or_else(|| panic!("no HTTP answer: {answer:?}"));
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("{head}"));
    Answer { status, head: head.to_ascii_lowercase(), body: body.to_string() }
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| l.strip_prefix(&format!("{name}: ")))
    }

    fn error_code(&self) -> String {
        let json: serde_json::Value =
            serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body));
        json["error"]["code"].as_str().unwrap_or_else(|| panic!("no error code: {json}")).to_string()
    }
}

#[test]
fn oversized_requests_get_clear_4xx_answers() {
    let server = server();
    // headers over 16 KB: the app's 431 with the JSON error body and the usual headers
    let big = parse(&exchange(server, &get("/api/health", &format!("X-Big: {}\r\n", "b".repeat(20_000)))));
    assert_eq!((big.status, big.error_code().as_str()), (431, "headers_too_large"), "{}", big.body);
    assert!(big.header("x-request-id").is_some() && big.header("x-content-type-options").is_some(), "{}", big.head);

    // a request head over 64 KB: hyper's bare 431, and the connection is closed
    let huge = parse(&exchange(server, &get("/api/health", &format!("X-Huge: {}\r\n", "h".repeat(70_000)))));
    assert_eq!(huge.status, 431, "{}", huge.head);

    // a target over 8 KB: 414 (a 500-character query percent-encoded is about 4.5 KB and fits)
    let long = parse(&exchange(server, &get(&format!("/api/search?q={}", "a".repeat(9_000)), "")));
    assert_eq!((long.status, long.error_code().as_str()), (414, "uri_too_long"));
    let korean = sosik_tests::encode(&"앤트로픽".repeat(125));
    let fits = parse(&exchange(server, &get(&format!("/api/search?q={korean}&limit=1"), "")));
    assert_eq!(fits.status, 200, "{}", fits.body);

    // a body on the GET-only API: 413
    let mut with_body = get("/api/search?q=AI", "Content-Length: 5\r\n");
    with_body.extend_from_slice(b"hello");
    let body = parse(&exchange(server, &with_body));
    assert_eq!((body.status, body.error_code().as_str()), (413, "request_too_large"));

    // and the server is fine
    assert_eq!(server.get_json("/api/health").0, 200);
}

#[test]
fn a_slow_client_is_cut_off_while_others_are_served() {
    let server = own_server(&["--header-timeout", "1s"], None);
    let mut slow = TcpStream::connect(host(&server)).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    slow.write_all(b"GET /api/health HTTP/1.1\r\nHost: sosik\r\n").unwrap();
    let started = Instant::now();
    // trickle a header line every 200 ms: the head never completes
    let mut writer = slow.try_clone().unwrap();
    let trickle = std::thread::spawn(move || {
        for _ in 0..100 {
            std::thread::sleep(Duration::from_millis(200));
            if writer.write_all(b"X-Slow: 1\r\n").is_err() {
                return;
            }
        }
    });
    // meanwhile a normal client is served
    let hits = server.search("Cowork", "bm25", 3).hits;
    assert!(!hits.is_empty());
    let mut rest = Vec::new();
    let closed = match slow.read_to_end(&mut rest) {
        Ok(_) => true,
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock && e.kind() != std::io::ErrorKind::TimedOut,
    };
    let after = started.elapsed();
    assert!(closed, "the slow connection was not closed");
    assert!(after >= Duration::from_millis(800) && after < Duration::from_secs(8), "closed after {after:?}");
    assert!(rest.is_empty(), "a slow client got an answer: {}", String::from_utf8_lossy(&rest));
    trickle.join().unwrap();
    assert_eq!(server.get_json("/api/health").0, 200);
}

#[test]
fn a_flood_is_shed_with_503_and_retry_after_and_the_server_recovers() {
    let server = Arc::new(own_server(&["--max-concurrent", "1", "--max-queued", "2"], None));
    let threads = 32;
    let barrier = Arc::new(Barrier::new(threads));
    let workers: Vec<_> = (0..threads)
        .map(|t| {
            let (server, barrier) = (server.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                (0..4)
                    .map(|i| {
                        // vector and hybrid searches embed the query: distinct queries keep them busy
                        let mode = ["hybrid", "vector", "bm25"][(t + i) % 3];
                        let path = format!("/api/search?q=flood%20{t}%20{i}%20agents&mode={mode}");
                        parse(&exchange(&server, &get(&path, "")))
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let answers: Vec<Answer> = workers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    let mut ok = 0;
    let mut shed = 0;
    for a in &answers {
        assert!(a.header("x-request-id").is_some(), "no request id: {}", a.head);
        match a.status {
            200 => ok += 1,
            503 => {
                assert_eq!(a.header("retry-after"), Some("1"), "{}", a.head);
                assert_eq!(a.error_code(), "overloaded", "{}", a.body);
                shed += 1;
            }
            other => panic!("status {other} under overload: {}", a.body),
        }
    }
    println!("flood: {ok} answered, {shed} shed of {}", answers.len());
    assert!(shed > 0, "nothing was shed with one slot and two places in the queue");
    assert!(ok >= 3, "only {ok} answered");
    // afterwards it answers normally
    for mode in ["bm25", "vector", "hybrid"] {
        assert!(!server.search("Cowork", mode, 3).hits.is_empty());
    }
}

#[test]
fn every_answer_has_a_request_id_and_its_log_lines_carry_it() {
    let log = std::env::temp_dir().join(format!("sosik-limits-log-{}.jsonl", std::process::id()));
    let server = own_server(&["--log-format", "json"], Some(&log));
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let call = |path: &str, id: Option<&str>| {
        let mut req = agent.get(&server.url(path));
        if let Some(id) = id {
            req = req.header("x-request-id", id);
        }
        let resp = req.call().unwrap();
        let id = resp.headers().get("x-request-id").map(|v| v.to_str().unwrap().to_string());
        (resp.status().as_u16(), id.unwrap_or_else(|| panic!("{path}: no x-request-id")))
    };
    // generated when absent, unique
    let (status, a) = call("/api/search?q=Cowork&mode=hybrid", None);
    assert_eq!(status, 200);
    let (_, b) = call("/api/search?q=Cowork&mode=hybrid", None);
    assert_ne!(a, b);
    assert_eq!(a.len(), 36, "a UUID: {a}");
    // kept when the client sends a sane one; replaced when it is odd
    assert_eq!(call("/api/health", Some("client-id.42")), (200, "client-id.42".to_string()));
    let (_, replaced) = call("/api/health", Some(&"x".repeat(300)));
    assert_eq!(replaced.len(), 36);
    // on errors and on the web UI too
    for path in ["/api/nope", "/api/search?q=a&limit=x", "/api/items/nope", "/"] {
        call(path, None);
    }
    // the log: JSON lines; the request's lines carry its id, the last says status and latency
    let deadline = Instant::now() + Duration::from_secs(10);
    let lines = loop {
        let text = std::fs::read_to_string(&log).unwrap();
        let lines: Vec<serde_json::Value> =
            text.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"))).collect();
        let of_a: Vec<_> = lines.into_iter().filter(|l| l["span"]["id"] == a.as_str()).collect();
        if of_a.iter().any(|l| l["fields"]["message"] == "response") || Instant::now() > deadline {
            break of_a;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let response =
        lines.iter().find(|l| l["fields"]["message"] == "response").expect("a response line for the request");
    assert_eq!(response["fields"]["status"], 200, "{response}");
    assert!(response["fields"]["latency_ms"].as_f64().is_some_and(|ms| ms >= 0.0), "{response}");
    assert_eq!(response["span"]["target"], "/api/search?q=Cowork&mode=hybrid", "{response}");
    let _ = std::fs::remove_file(&log);
}

#[test]
fn bad_limit_flags_are_clear_start_up_errors() {
    for (flag, value) in [("--request-timeout", "0"), ("--header-timeout", "soon"), ("--max-concurrent", "0")] {
        let out = Command::new(bin("sosik-server")).args(["--index", "/nonexistent", flag, value]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success() && err.contains(flag) && err.contains(value), "{flag} {value}: {err}");
    }
}

/// The load test: 64 connections for 10 s on loopback against search (varied queries, all three
/// modes), items, similar items and the explore endpoints, with scripts/load.sh (wrk). Every
/// request must succeed; the latency percentiles are printed, never asserted (they depend on the
/// machine and on what else runs).
#[test]
fn load_64_connections_for_10_s_has_no_errors() {
    assert!(
        Command::new("wrk").arg("--version").output().is_ok(),
        "wrk is not installed; run `bash scripts/setup/wrk.sh`"
    );
    let server = own_server(&[], None);
    let out = Command::new("bash")
        .arg(repo_root().join("scripts/load.sh"))
        .args(["-c", "64", "-d", "10s", "--url", &server.base])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    let summary = stdout
        .lines()
        .find_map(|l| l.strip_prefix("LOAD-SUMMARY "))
        .unwrap_or_else(|| panic!("no summary from scripts/load.sh:\n{stdout}\n{stderr}"));
    let summary: serde_json::Value = serde_json::from_str(summary).unwrap();
    assert!(summary["requests"].as_u64().unwrap() > 0, "{summary}");
    for (kind, n) in summary["errors"].as_object().unwrap() {
        assert_eq!(n.as_u64(), Some(0), "{kind} errors under load: {summary}\n{stderr}");
    }
    assert!(out.status.success(), "scripts/load.sh failed:\n{stdout}\n{stderr}");
    // every kind of endpoint was in the mix
    let counts = stderr.lines().find(|l| l.contains(" explore paths")).unwrap_or_else(|| panic!("{stderr}"));
    let count = |kind: &str| {
        let before = counts.split(&format!(" {kind}")).next().unwrap();
        before.rsplit(' ').next().unwrap().parse::<usize>().unwrap_or_else(|_| panic!("{counts}"))
    };
    assert!(count("search") > 0 && count("item") > 0 && count("explore") > 0, "{counts}");
}
