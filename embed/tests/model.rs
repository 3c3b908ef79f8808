//! Tests against the real model. They need `bash scripts/setup/embed.sh` to have run (CI runs
//! it first) and fail, naming the missing file, when it has not.

use sosik_embed::{cosine, Assets, EmbedError, Embedder, EmbeddingCache, DIM, MAX_TOKENS};

fn embedder() -> &'static Embedder {
    match Embedder::shared(&Assets::locate()) {
        Ok(e) => e,
        Err(e) => panic!("the embedding model is needed for this test: {e}"),
    }
}

fn assert_unit(v: &[f32]) {
    assert_eq!(v.len(), DIM);
    let norm = v.iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-4, "norm {norm}");
}

const KO: &str = "앤트로픽이 로컬 파일에 접근할 수 있는 데스크톱 에이전트를 출시했다.";
const EN: &str = "Anthropic released a desktop agent that can access local files.";
const UNRELATED: &str = "서울의 오늘 날씨는 맑고 낮 기온은 영상 5도까지 오르겠습니다.";
const CAPEX: &str = "아마존과 구글, 메타는 올해 AI 데이터센터에 수천억 달러의 설비 투자(CAPEX)를 쏟아부을 계획이다.";
const HEALTH: &str = "병원들이 의료 영상 판독과 진료 기록 요약에 헬스케어 AI를 도입하고 있다.";

#[test]
fn vectors_have_384_dimensions_and_unit_length() {
    let e = embedder();
    let passages = e.embed_passages(&[KO, EN, "", "a"]).unwrap();
    assert_eq!(passages.len(), 4);
    passages.iter().for_each(|v| assert_unit(v));
    assert_unit(&e.embed_query("설비 투자 경쟁").unwrap());
    assert!(e.embed_passages(&[]).unwrap().is_empty());
    assert!(!e.model_id().is_empty());
}

#[test]
fn a_translation_is_closer_than_an_unrelated_passage() {
    let v = embedder().embed_passages(&[KO, EN, UNRELATED]).unwrap();
    let (translation, unrelated) = (cosine(&v[0], &v[1]), cosine(&v[0], &v[2]));
    assert!(translation > unrelated + 0.05, "ko·en {translation:.3}, ko·unrelated {unrelated:.3}");
    let en_unrelated = cosine(&v[1], &v[2]);
    assert!(translation > en_unrelated + 0.05, "ko·en {translation:.3}, en·unrelated {en_unrelated:.3}");
}

#[test]
fn a_query_finds_its_passage() {
    let e = embedder();
    let p = e.embed_passages(&[CAPEX, HEALTH]).unwrap();
    let q = e.embed_query("설비 투자 경쟁").unwrap();
    let (capex, health) = (cosine(&q, &p[0]), cosine(&q, &p[1]));
    assert!(capex > health + 0.02, "capex {capex:.3}, healthcare {health:.3}");
    let q = e.embed_query("hospital AI for medical records").unwrap();
    assert!(cosine(&q, &p[1]) > cosine(&q, &p[0]), "an English query finds the Korean healthcare passage");
}

#[test]
fn padding_in_a_batch_does_not_change_a_vector() {
    let e = embedder();
    let long = CAPEX.repeat(6);
    let alone = e.embed_passages(&[KO]).unwrap().remove(0);
    let batched = e.embed_passages_batched(&[&long, KO, EN, &long], 4).unwrap();
    let c = cosine(&alone, &batched[1]);
    assert!(c > 0.999, "the same text alone and next to longer ones: cos {c}");
    assert_eq!(batched[0], batched[3]);
}

#[test]
fn queries_and_passages_differ_by_prefix_only() {
    let e = embedder();
    let q = e.embed_query(KO).unwrap();
    let p = e.embed_passages(&[KO]).unwrap().remove(0);
    let c = cosine(&q, &p);
    assert!(c < 0.9999 && c > 0.8, "query and passage of the same text: cos {c}");
}

/// Queries run on model-query.onnx (int8 activations): close to the exact model's vector, but
/// computed by the other model (equal vectors would mean the query model is not the one loaded).
#[test]
fn the_query_model_approximates_the_exact_one() {
    let e = embedder();
    for q in ["MCP", "메타 마누스 인수", KO, EN, "휴대폰 제조사가 자체 칩을 설계하는 신생 기업을 통째로 사들였다"]
    {
        let (fast, exact) = (e.embed_query(q).unwrap(), e.embed_query_exact(q).unwrap());
        assert_unit(&fast);
        let c = cosine(&fast, &exact);
        assert!(c > 0.999, "{q}: cos {c} between the query model and the exact one");
        assert_ne!(fast, exact, "{q}: the query model computed exactly what the passage model does");
    }
}

#[test]
fn long_text_is_cut_at_512_tokens() {
    let e = embedder();
    let long = format!("{CAPEX} ").repeat(60);
    assert_eq!(e.passage_tokens(&long).unwrap(), MAX_TOKENS);
    let short = e.passage_tokens("Hello world").unwrap();
    assert_eq!(short, 6, "<s> ▁passage : ▁Hello ▁world </s>");
    assert_unit(&e.embed_passages(&[&long]).unwrap()[0]);
}

#[test]
fn the_cache_returns_what_the_model_computes() {
    let e = embedder();
    let dir = std::env::temp_dir().join(format!("sosik-embed-model-test-{}", std::process::id()));
    let path = dir.join("cache.bin");
    let _ = std::fs::remove_file(&path);
    let texts = [KO, EN, KO, CAPEX];
    let direct = e.embed_passages(&texts).unwrap();
    {
        let mut cache = EmbeddingCache::open(&path, e.model_id()).unwrap();
        let (vectors, stats) = cache.embed_passages_cached(e, &texts, |_, _| {}).unwrap();
        assert_eq!((stats.hits, stats.misses), (1, 3));
        for (a, b) in vectors.iter().zip(&direct) {
            assert!(cosine(a, b) > 0.9999);
        }
    }
    let mut cache = EmbeddingCache::open(&path, e.model_id()).unwrap();
    assert_eq!(cache.len(), 3);
    let (vectors, stats) = cache.embed_passages_cached(e, &[CAPEX, HEALTH], |_, _| {}).unwrap();
    assert_eq!((stats.hits, stats.misses), (1, 1));
    assert!(cosine(&vectors[0], &direct[3]) > 0.9999);
    assert!(cosine(&cache.get(HEALTH).unwrap(), &vectors[1]) > 0.99999);

    let mut other = EmbeddingCache::open(&dir.join("other.bin"), "some-other-model").unwrap();
    let err = other.embed_passages_cached(e, &[KO], |_, _| {}).unwrap_err();
    assert!(matches!(err, EmbedError::ModelMismatch { .. }), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Enough missing passages for the cache to run a second model session beside the first: every
/// vector is what the single session computes for that text.
#[test]
fn a_build_sized_job_runs_two_sessions_with_the_same_vectors() {
    let e = embedder();
    let texts: Vec<String> = (0..sosik_embed::PARALLEL_MIN + 6).map(|i| format!("{i}번째 소식: {CAPEX}")).collect();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    let dir = std::env::temp_dir().join(format!("sosik-embed-two-sessions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cache.bin");
    let _ = std::fs::remove_file(&path);
    let mut cache = EmbeddingCache::open(&path, e.model_id()).unwrap();
    let mut progress = Vec::new();
    let (vectors, stats) = cache.embed_passages_cached(e, &refs, |d, t| progress.push((d, t))).unwrap();
    assert_eq!(stats.misses, refs.len());
    assert_eq!(progress.last(), Some(&(refs.len(), refs.len())));
    for i in [0, 1, refs.len() - 1] {
        let alone = e.embed_passages(&[refs[i]]).unwrap().remove(0);
        assert!(cosine(&vectors[i], &alone) > 0.9999, "passage {i} differs between sessions");
    }
    drop(cache);
    let _ = std::fs::remove_dir_all(&dir);
}
