//! `sosik-server --index DIR --addr 127.0.0.1:PORT`: serves the JSON API and the web UI.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use sosik_server::limits::Limits;
use sosik_server::observe::{init_logging, LogFormat};
use sosik_server::serve::{serve, Transport};
use sosik_server::{app_with, reload, AppState};

#[derive(Parser)]
#[command(name = "sosik-server", version, about = "Serves sosik's search API and web UI")]
struct Cli {
    /// The index: a directory written by `sosik-indexer build`, or an archive written by
    /// `sosik-indexer pack` (`NAME.tar.zst`), which is verified and unpacked into `.NAME.d/`
    /// beside it. Replacing either (or SIGHUP) reloads it.
    #[arg(long)]
    index: PathBuf,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Serve the web UI from this folder (what scripts/build-web.sh writes to web/dist) instead
    /// of the one compiled into the binary [default: built in].
    #[arg(long, env = "SOSIK_WEB")]
    web: Option<PathBuf>,
    /// Compiled Korean dictionary (default: $SOSIK_HOME/ko-dic).
    #[arg(long, env = "SOSIK_DICT")]
    dict: Option<PathBuf>,
    /// Hybrid fusion: the k of reciprocal-rank fusion.
    #[arg(long, default_value_t = sosik_engine::search::Fusion::default().k)]
    rrf_k: f32,
    /// Hybrid fusion: weight of the BM25 leg.
    #[arg(long, default_value_t = sosik_engine::search::Fusion::default().bm25_weight)]
    bm25_weight: f32,
    /// Hybrid fusion: weight of the vector leg.
    #[arg(long, default_value_t = sosik_engine::search::Fusion::default().vector_weight)]
    vector_weight: f32,
    /// Hybrid search: weight of the BM25 hits fed back into the vector leg's query for
    /// Hangul-only queries (0 turns it off).
    #[arg(long, default_value_t = sosik_engine::search::Fusion::default().feedback_weight)]
    feedback_weight: f32,
    /// Seconds between checks of the index path for a rebuilt index (0: only reload on SIGHUP).
    #[arg(long, default_value_t = 2.0)]
    watch_interval: f64,
    /// Requests running at once [default: twice the cores].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=4096))]
    max_concurrent: Option<u32>,
    /// Requests waiting for a running slot; beyond them requests get 503 with Retry-After at once.
    #[arg(long, default_value_t = 128, value_parser = clap::value_parser!(u32).range(0..=100_000))]
    max_queued: u32,
    /// Time budget of a request from arrival (queueing included), e.g. `10s`, `500ms`; then 503.
    #[arg(long, default_value = "10s", value_parser = duration)]
    request_timeout: Duration,
    /// A client must send a request's headers within this (slow clients are disconnected); also
    /// how long an idle keep-alive connection stays open.
    #[arg(long, default_value = "10s", value_parser = duration)]
    header_timeout: Duration,
    /// Open connections at most; further ones wait to be accepted.
    #[arg(long, default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    max_connections: u32,
    /// The day date phrases in queries (`지난주`, `3월`) are read against, `YYYY-MM-DD`
    /// [default: today's local date]; pin it to explore an old corpus as of its last day.
    #[arg(long, env = "SOSIK_TODAY", value_parser = day)]
    today: Option<chrono::NaiveDate>,
    /// Log lines as human-readable text or as JSON objects (stderr; level from RUST_LOG, default info).
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// Shut down when standard input closes (lets a parent process, such as the test suite,
    /// tie the server's life to its own).
    #[arg(long, hide = true)]
    exit_on_stdin_close: bool,
}

/// A date as the API takes it (`YYYY-MM-DD`, 1990 to 2100).
fn day(s: &str) -> Result<chrono::NaiveDate, String> {
    sosik_corpus::dates::parse(s).map_err(|e| e.to_string())
}

/// `10s`, `1.5s`, `500ms` or a bare number of seconds; positive.
fn duration(s: &str) -> Result<Duration, String> {
    let s = s.trim();
    let (number, scale) = if let Some(ms) = s.strip_suffix("ms") {
        (ms, 1e-3)
    } else if let Some(secs) = s.strip_suffix('s') {
        (secs, 1.0)
    } else {
        (s, 1.0)
    };
    match number.trim().parse::<f64>() {
        Ok(n) if n > 0.0 && (n * scale) <= 86_400.0 => Ok(Duration::from_secs_f64(n * scale)),
        _ => Err(format!("expected a positive duration up to a day such as 10s or 500ms, got {s:?}")),
    }
}

/// mimalloc instead of glibc's malloc: a search allocates many small, short-lived strings and
/// lists (snippet tokens, hits), and glibc's bins spent a fifth of a 100-hit search's time in
/// `_int_malloc` (perf, bench at 10k items); with mimalloc that search's p50 fell from 6.6 to
/// 4.4 ms (BENCHMARKS.md, issue #14). Used by the server.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging(cli.log_format);
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    if !(cli.rrf_k > 0.0 && cli.bm25_weight >= 0.0 && cli.vector_weight >= 0.0 && cli.feedback_weight >= 0.0) {
        return Err("--rrf-k must be positive and the weights non-negative".into());
    }
    let watch = match cli.watch_interval {
        0.0 => None,
        s => Some(
            Duration::try_from_secs_f64(s)
                .map_err(|_| format!("--watch-interval must be a number of seconds (0 turns polling off), got {s}"))?,
        ),
    };
    let embedder = sosik_embed::Embedder::shared(&sosik_embed::Assets::locate())?;
    // the query model loads now, so that a broken one stops the start, not the first search
    embedder.load_queries()?;
    let dict = cli.dict.unwrap_or_else(sosik_ko::default_dictionary_dir);
    let source = reload::Source { index: cli.index.clone(), dictionary: dict, embedder };
    let (engine, seen) = source.open(sosik_engine::search::Fusion {
        k: cli.rrf_k,
        bm25_weight: cli.bm25_weight,
        vector_weight: cli.vector_weight,
        feedback_weight: cli.feedback_weight,
        ..sosik_engine::search::Fusion::default()
    })?;
    // --web DIR serves a folder; otherwise the UI compiled into this binary (web.rs)
    let web_root = match cli.web {
        Some(dir) if dir.join("index.html").is_file() => Some(dir),
        Some(dir) => {
            tracing::warn!(dir = %dir.display(), "no index.html in --web; serving the built-in UI if there is one");
            None
        }
        None => None,
    };
    let embedded_ui = web_root.is_none() && sosik_server::web::has_embedded_ui();
    if web_root.is_none() && !embedded_ui {
        tracing::warn!("this server was built without its web UI (run scripts/build-web.sh, then build it again); serving the API only");
    }
    let items = engine.manifest().items;
    let mut state = AppState::new(engine, web_root);
    state.embedded_ui = embedded_ui;
    state.today = cli.today;
    reload::spawn(reload::Reloader::new(source, state.clone(), seen), watch)?;
    let listener =
        tokio::net::TcpListener::bind(cli.addr).await.map_err(|e| format!("cannot listen on {}: {e}", cli.addr))?;
    let addr = listener.local_addr()?;
    tracing::info!(items, index = %cli.index.display(), "index loaded");
    // Before the address line: whoever reads it may send SIGTERM at once, and a signal that came
    // before the handler was installed would kill the process instead of shutting it down.
    let shutdown = shutdown_signal()?;
    println!("sosik is serving {items} items on http://{addr}/");
    // stdout may be a pipe (tests, scripts): make the line visible now
    std::io::Write::flush(&mut std::io::stdout())?;
    let defaults = Limits::default();
    let limits = Limits {
        max_concurrent: cli.max_concurrent.map_or(defaults.max_concurrent, |n| n as usize),
        max_queued: cli.max_queued as usize,
        request_timeout: cli.request_timeout,
        ..defaults
    };
    let transport = Transport {
        header_timeout: cli.header_timeout,
        max_connections: cli.max_connections as usize,
        // requests in flight end within their own timeout
        grace: cli.request_timeout + Duration::from_secs(1),
        ..Transport::default()
    };
    tracing::info!(
        max_concurrent = limits.max_concurrent,
        max_queued = limits.max_queued,
        request_timeout_s = limits.request_timeout.as_secs_f64(),
        header_timeout_s = transport.header_timeout.as_secs_f64(),
        max_connections = transport.max_connections,
        "limits"
    );
    let stdin_closed = async move {
        if cli.exit_on_stdin_close {
            let _ = tokio::task::spawn_blocking(|| {
                let mut sink = Vec::new();
                let _ = std::io::Read::read_to_end(&mut std::io::stdin(), &mut sink);
            })
            .await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    serve(listener, app_with(state, &limits), &transport, async move {
        tokio::select! {
            _ = shutdown => {},
            _ = stdin_closed => {},
        }
    })
    .await?;
    Ok(())
}

/// Installs the SIGTERM and SIGINT (Ctrl-C) handlers now and returns what ends on either.
fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        Ok(async move {
            tokio::select! {
                _ = term.recv() => {},
                _ = int.recv() => {},
            }
        })
    }
    #[cfg(not(unix))]
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}
