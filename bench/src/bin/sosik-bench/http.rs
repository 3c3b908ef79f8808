//! The release `sosik-server` under wrk: cold start, latency per mode, RSS.

use super::*;

pub(crate) struct Server {
    pub(crate) child: std::process::Child,
    pub(crate) url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        // SIGTERM: the server drains and exits 0
        unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGTERM) };
        let _ = self.child.wait();
    }
}

/// The query that tells a started server is answering (hybrid: the model is loaded too).
const WARM_UP_QUERY: &str = "서버 준비 확인용 질의";

/// `s` percent-encoded for a query string.
pub(crate) fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One client, one request at a time, over keep-alive, every query new to the server: per limit,
/// a freshly started server answers every query in hybrid mode (the model embeds each one) and
/// then in bm25 mode. Client-side wall time (request to last body byte) and the server's
/// `took_ms`.
pub(crate) fn one_client(cli: &Cli, index: &Path, server: &Path, catalog: &Catalog, dir: &Path) -> Result<Value> {
    let qs = queries(cli.seed, cli.queries, catalog);
    let variants = filter_variants(catalog);
    let agent: ureq::Agent = ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(30))).build().into();
    println!("over HTTP, one client, new queries (the server restarted per limit):");
    let mut out = json!({});
    for &limit in &cli.limits {
        let (srv, _, _) = start_server(server, index, &dir.join(format!("server-limit-{limit}.log")))?;
        let load = stats::loadavg();
        let mut v = json!({ "load_before": load });
        for mode in [SearchMode::Hybrid, SearchMode::Bm25] {
            let (mut wall, mut took) = (Vec::new(), Vec::new());
            for (i, q) in qs.iter().enumerate() {
                let url = format!(
                    "{}/api/search?q={}&mode={}&limit={limit}{}",
                    srv.url,
                    encode(q),
                    mode_name(mode),
                    variants[i % variants.len()].1
                );
                let t = Instant::now();
                let body = agent.get(&url).call()?.body_mut().read_to_vec()?;
                wall.push(t.elapsed());
                let res: Value = serde_json::from_slice(&body).context("a search answer that is not JSON")?;
                let ms = res["took_ms"].as_f64().context("a search answer without took_ms")?;
                took.push(Duration::from_secs_f64(ms / 1000.0));
            }
            let [a, b, c] = p50_95_99(&wall);
            let [d, e, f] = p50_95_99(&took);
            let name = match mode {
                SearchMode::Hybrid => "hybrid_new_query",
                _ => mode_name(mode),
            };
            println!(
                "  limit {limit:>3} {name:<16} wall p50 {a:>6.2} ms  p95 {b:>6.2}  p99 {c:>6.2} | took_ms p50 {d:>6.2}  p95 \
                 {e:>6.2}  p99 {f:>6.2}  (n {}, load {load:?})",
                wall.len()
            );
            v[name] = json!({ "wall": { "p50": a, "p95": b, "p99": c }, "took_ms": { "p50": d, "p95": e, "p99": f },
                              "n": wall.len() });
        }
        let pid = srv.child.id().to_string();
        v["rss_after_mib"] = json!(stats::proc_status_mib(&pid, "VmRSS"));
        out[limit.to_string()] = v;
    }
    Ok(out)
}

pub(crate) fn http_get(url: &str) -> Result<u16> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();
    let mut res = agent.get(url).call()?;
    let status = res.status().as_u16();
    let _ = res.body_mut().read_to_vec();
    Ok(status)
}

pub(crate) fn start_server(server: &Path, index: &Path, log: &Path) -> Result<(Server, f64, f64)> {
    let t = Instant::now();
    let mut child = Command::new(server)
        .arg("--index")
        .arg(index)
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(std::fs::File::create(log)?)
        .spawn()
        .context("starting sosik-server")?;
    let stdout = child.stdout.take().expect("piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(at) = line.find("http://") {
                let _ = tx.send(line[at..].trim_end_matches('/').to_string());
            }
        }
    });
    let url = rx
        .recv_timeout(Duration::from_secs(300))
        .with_context(|| format!("sosik-server printed no address within 300 s; see {}", log.display()))?;
    let listening_s = t.elapsed().as_secs_f64();
    let server = Server { child, url };
    // a hybrid query none of the generated ones equals, so that no timed query finds its vector cached
    let first = format!("{}/api/search?q={}&mode=hybrid", server.url, encode(WARM_UP_QUERY));
    loop {
        if http_get(&first).ok() == Some(200) {
            break;
        }
        if t.elapsed() > Duration::from_secs(300) {
            bail!("sosik-server gave no answer within 300 s; see {}", log.display());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Ok((server, listening_s, t.elapsed().as_secs_f64()))
}

pub(crate) fn wrk(cli: &Cli, url: &str, paths: &Path) -> Result<Value> {
    let out = Command::new("wrk")
        .args(["--latency", "-t", "2", "-c", &cli.connections.to_string()])
        .args(["-d", &format!("{}s", cli.http_seconds), "--timeout", "10s", "-s"])
        .arg(repo_root().join("scripts/load.lua"))
        .arg(url)
        .arg("--")
        .arg(paths)
        .output()
        .context("running wrk (install it with `bash scripts/setup/wrk.sh`)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find_map(|l| l.strip_prefix("LOAD-SUMMARY "))
        .with_context(|| format!("wrk printed no LOAD-SUMMARY: {}{}", text, String::from_utf8_lossy(&out.stderr)))?;
    Ok(serde_json::from_str(line)?)
}

pub(crate) fn over_http(cli: &Cli, index: &Path, server: &Path, catalog: &Catalog, dir: &Path) -> Result<Value> {
    let (srv, listening_s, first_s) = start_server(server, index, &dir.join("server.log"))?;
    let pid = srv.child.id().to_string();
    println!(
        "over HTTP: cold start {first_s:.2} s to the first hybrid answer (listening after {listening_s:.2} s); RSS \
         then {:.0} MiB",
        stats::proc_status_mib(&pid, "VmRSS").unwrap_or(f64::NAN)
    );
    let mut out = json!({ "cold_start_s": first_s, "listening_s": listening_s,
                          "rss_after_start_mib": stats::proc_status_mib(&pid, "VmRSS") });
    let qs = queries(cli.seed, cli.queries, catalog);
    let variants = filter_variants(catalog);
    for mode in [SearchMode::Bm25, SearchMode::Vector, SearchMode::Hybrid] {
        let lines: Vec<String> = qs
            .iter()
            .enumerate()
            .map(|(i, q)| {
                format!("/api/search?q={}&mode={}{}", encode(q), mode_name(mode), variants[i % variants.len()].1)
            })
            .collect();
        let paths = dir.join(format!("paths-{}.txt", mode_name(mode)));
        std::fs::write(&paths, lines.join("\n") + "\n")?;
        let load = stats::loadavg();
        let s = wrk(cli, &srv.url, &paths)?;
        let l = &s["latency_ms"];
        println!(
            "    {:<6} wrk {} connections {} s: {} requests ({} /s), errors {}, latency p50 {} ms  p95 {}  p99 {}  max \
             {} (load {:?})",
            mode_name(mode),
            cli.connections,
            cli.http_seconds,
            s["requests"],
            s["rps"],
            s["errors"],
            l["p50"],
            l["p95"],
            l["p99"],
            l["max"],
            load
        );
        out[mode_name(mode)] = s;
    }
    let rss = stats::proc_status_mib(&pid, "VmRSS");
    let hwm = stats::proc_status_mib(&pid, "VmHWM");
    println!(
        "    server RSS after load {:.0} MiB (peak {:.0} MiB) — target ≤ 1536 MiB → {}",
        rss.unwrap_or(f64::NAN),
        hwm.unwrap_or(f64::NAN),
        verdict(hwm.is_some_and(|h| h <= 1536.0))
    );
    out["rss_after_load_mib"] = json!(rss);
    out["rss_peak_mib"] = json!(hwm);
    Ok(out)
}
