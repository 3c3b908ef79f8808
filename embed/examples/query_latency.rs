//! How long the model takes to embed one search query, by query length.
//!
//! `cargo run --release -p sosik-embed --example query_latency [-- REPEAT]`: six queries from
//! a bare acronym to a long descriptive sentence, each embedded REPEAT times (default 200) with a
//! number appended so that no two inputs are equal; prints the median and the fastest run in ms.
//! The model is the one `Assets::locate` finds (`$SOSIK_HOME/e5`): to compare a model converted
//! with another `scripts/setup/e5_to_onnx.py --accuracy-level`, point `SOSIK_HOME` at a copy of
//! the home whose `e5/model.onnx` is that conversion.

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
        embedder.embed_query(q)?; // warm-up
    }
    println!("{:>9} {:>9} {:>7}  query", "p50 ms", "min ms", "tokens");
    for q in QUERIES {
        let mut ms: Vec<f64> = (0..repeat)
            .map(|i| {
                let t = Instant::now();
                embedder.embed_query(&format!("{q} {i}")).map(|_| t.elapsed().as_secs_f64() * 1e3)
            })
            .collect::<Result<_, _>>()?;
        ms.sort_by(f64::total_cmp);
        // the query prefix and special tokens count like the passage's
        let tokens = embedder.passage_tokens(q)?;
        println!("{:>9.2} {:>9.2} {:>7}  {q}", ms[ms.len() / 2], ms[0], tokens);
    }
    Ok(())
}
