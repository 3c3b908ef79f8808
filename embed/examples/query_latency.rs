//! How long the model takes to embed one search query, by query length.
//!
//! `cargo run --release -p sosik-embed --example query_latency [-- REPEAT]`: six queries from
//! a bare acronym to a long descriptive sentence, each embedded REPEAT times (default 200) with a
//! number appended so that no two inputs are equal, by the query model (`model-query.onnx`,
//! int8 activations: what a search uses) and by the exact model (`model.onnx`, fp32 compute: what
//! passages use), in alternating blocks; prints the median and the fastest run in ms of each, and
//! the cosine between the two models' vectors of the query.

use std::time::Instant;

use sosik_embed::{Assets, Embedder};

const QUERIES: [&str; 6] = [
    "MCP",
    "OpenAI GPT-5 출시",
    "메타 마누스 인수",
    "앤트로픽 클로드 새 모델",
    "엔비디아 그록 인수 규제 심사는 어떻게 됐나",
    "휴대폰 제조사가 자체 칩을 설계하는 신생 기업을 통째로 사들였다",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let repeat: usize = std::env::args().nth(1).map_or(200, |v| v.parse().expect("a number"));
    let embedder = Embedder::open(&Assets::locate())?;
    for q in QUERIES {
        embedder.embed_query(q)?; // warm-up: loads both models
        embedder.embed_query_exact(q)?;
    }
    println!(
        "{:>10} {:>10} {:>10} {:>10} {:>8} {:>7}  query",
        "int8 p50", "int8 min", "fp32 p50", "fp32 min", "cosine", "tokens"
    );
    for q in QUERIES {
        let (mut fast, mut exact) = (Vec::with_capacity(repeat), Vec::with_capacity(repeat));
        // in blocks of REPEAT / 2 calls, the query model's and the exact model's alternating
        // (a server runs only the query model; alternating call by call would let each model
        // evict the other's weights from the CPU caches)
        for block in 0..4 {
            let exact_model = block % 2 == 1;
            for i in 0..repeat / 2 {
                let input = format!("{q} {block}{i}");
                let t = Instant::now();
                if exact_model {
                    embedder.embed_query_exact(&input)?;
                } else {
                    embedder.embed_query(&input)?;
                }
                let ms = t.elapsed().as_secs_f64() * 1e3;
                if exact_model { &mut exact } else { &mut fast }.push(ms);
            }
        }
        fast.sort_by(f64::total_cmp);
        exact.sort_by(f64::total_cmp);
        let cos = sosik_embed::cosine(&embedder.embed_query(q)?, &embedder.embed_query_exact(q)?);
        // the query prefix and special tokens count like the passage's
        let tokens = embedder.passage_tokens(q)?;
        let p50 = |ms: &[f64]| ms[ms.len() / 2];
        println!(
            "{:>10.2} {:>10.2} {:>10.2} {:>10.2} {:>8.5} {:>7}  {q}",
            p50(&fast),
            fast[0],
            p50(&exact),
            exact[0],
            cos,
            tokens
        );
    }
    Ok(())
}
