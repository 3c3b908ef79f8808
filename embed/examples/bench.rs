//! Throughput of the embedder by intra-op threads and batch size, on the sample posts.
//!
//! `cargo run -p sosik-embed --example bench [-- THREADS BATCHES [REPEAT [CHARS]]]`,
//! e.g. `-- 1,2 1,2,4,8`. Passages are the paragraphs of `data/posts`, joined up to CHARS
//! (default 450 characters, ≈240 tokens). Prints wall-clock passages per second
//! and passages per CPU-second (the latter is what matters when other work shares the cores).

use std::time::Instant;

use sosik_embed::{Assets, EmbedOptions, Embedder};

fn cpu_seconds() -> f64 {
    // utime + stime of this process, in clock ticks of 1/100 s
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let fields: Vec<&str> = stat[stat.rfind(')').map_or(0, |i| i + 2)..].split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

fn peak_rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(-1.0, |kb| kb / 1024.0)
}

fn passages(chars: usize) -> Vec<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../data/posts");
    let mut files: Vec<_> = std::fs::read_dir(&dir).expect("data/posts").flatten().map(|e| e.path()).collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let body = text.splitn(3, "---").nth(2).unwrap_or(&text);
        let mut chunk = String::new();
        for para in body.split("\n\n").map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")) {
            if para.chars().count() < 20 {
                continue;
            }
            if !chunk.is_empty() {
                chunk.push(' ');
            }
            chunk.push_str(&para);
            if chunk.chars().count() >= chars {
                out.push(std::mem::take(&mut chunk));
            }
        }
        if chunk.chars().count() >= chars / 4 {
            out.push(chunk);
        }
    }
    out
}

fn list(arg: Option<String>, default: &str) -> Vec<usize> {
    arg.as_deref().unwrap_or(default).split(',').map(|v| v.parse().expect("a number")).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let threads = list(args.next(), "1,2");
    let batches = list(args.next(), "1,2,4,8");
    let repeat: usize = args.next().map_or(1, |v| v.parse().expect("a number"));
    let chars: usize = args.next().map_or(450, |v| v.parse().expect("a number"));
    let texts = passages(chars);
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let assets = Assets::locate();

    let probe = Embedder::open(&assets)?;
    let tokens: usize = texts.iter().map(|t| probe.passage_tokens(t).unwrap()).sum();
    drop(probe);
    println!("{} passages, {:.0} tokens on average", texts.len(), tokens as f64 / texts.len() as f64);

    for &t in &threads {
        let embedder = Embedder::open_with(&assets, EmbedOptions { threads: t, ..EmbedOptions::default() })?;
        embedder.embed_passages(&texts[..2])?; // warm-up
        for &b in &batches {
            let (wall, cpu) = (Instant::now(), cpu_seconds());
            for _ in 0..repeat {
                embedder.embed_passages_batched(&texts, b)?;
            }
            let n = (texts.len() * repeat) as f64;
            let (wall, cpu) = (wall.elapsed().as_secs_f64(), cpu_seconds() - cpu);
            println!(
                "threads {t} batch {b}: {:6.1} passages/s wall, {:6.1} per CPU-second ({wall:.1} s wall, {cpu:.1} s CPU)",
                n / wall,
                n / cpu
            );
        }
    }
    println!("peak RSS {:.0} MiB", peak_rss_mib());
    Ok(())
}
