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
    let first = format!("{}/api/search?q=%EC%97%94%EB%B9%84%EB%94%94%EC%95%84&mode=hybrid", server.url);
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
                let q: String = q
                    .bytes()
                    .map(|b| match b {
                        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
                        _ => format!("%{b:02X}"),
                    })
                    .collect();
                format!("/api/search?q={q}&mode={}{}", mode_name(mode), variants[i % variants.len()].1)
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
