//! The Korean analyzer on the real mecab-ko-dic dictionary (installed by scripts/setup/dict.sh).

use sosik_ko::{default_dictionary_dir, Analyzer, KoTokenizer, UserWord};
use tantivy::tokenizer::{TokenStream, Tokenizer};

fn analyzer(words: &[UserWord]) -> Analyzer {
    Analyzer::open(&default_dictionary_dir(), words).expect("Korean dictionary (run scripts/setup/dict.sh)")
}

fn texts(a: &Analyzer, s: &str) -> Vec<String> {
    a.terms(s).into_iter().map(|t| t.text).collect()
}

#[test]
fn user_dictionary_keeps_loanwords_whole() {
    let plain = analyzer(&[]);
    // Without help lindera splits the name (앤트/로/픽): the reason the user dictionary exists.
    assert_ne!(texts(&plain, "앤트로픽은"), vec!["앤트로픽"]);
    let a = analyzer(&[UserWord::proper("앤트로픽"), UserWord::common("데이터센터")]);
    assert_eq!(texts(&a, "앤트로픽은 새 데이터센터를 짓는다"), vec!["앤트로픽", "새", "데이터센터", "짓"]);
    assert_eq!(texts(&a, "앤트로픽의"), vec!["앤트로픽"]);
}

#[test]
fn particles_and_endings_are_dropped() {
    let a = analyzer(&[]);
    let t = texts(&a, "아마존과 구글은 투자를 늘렸습니다");
    assert!(
        t.contains(&"아마존".to_string()) && t.contains(&"구글".to_string()) && t.contains(&"투자".to_string()),
        "{t:?}"
    );
    for particle in ["과", "은", "를", "습니다"] {
        assert!(!t.contains(&particle.to_string()), "{particle} kept in {t:?}");
    }
}

#[test]
fn latin_words_are_lower_cased_and_kept() {
    let a = analyzer(&[]);
    let t = texts(&a, "OpenAI의 GPT와 Cowork 출시");
    assert!(t.contains(&"openai".to_string()), "{t:?}");
    assert!(t.contains(&"gpt".to_string()), "{t:?}");
    assert!(t.contains(&"cowork".to_string()), "{t:?}");
    // full-width letters fold to ASCII (NFKC)
    assert_eq!(texts(&a, "ＧＰＵ"), vec!["gpu"]);
}

#[test]
fn verb_stems_are_indexed() {
    let a = analyzer(&[]);
    let t = texts(&a, "빠르게 성장하는 시장에서 팔린다");
    assert!(t.contains(&"팔리".to_string()), "stem of 팔린다 missing: {t:?}");
    assert!(t.contains(&"시장".to_string()), "{t:?}");
}

#[test]
fn tokenizer_keeps_offsets_and_position_gaps() {
    let a = analyzer(&[UserWord::proper("앤트로픽")]);
    let text = "앤트로픽이 에이전트를 출시했다";
    let mut tok = KoTokenizer::new(a);
    let mut stream = tok.token_stream(text);
    let mut seen = Vec::new();
    while stream.advance() {
        let t = stream.token();
        seen.push((t.text.clone(), t.position, &text[t.offset_from..t.offset_to]));
    }
    assert_eq!(seen[0], ("앤트로픽".to_string(), 0, "앤트로픽"));
    // 이 (particle) was dropped: 에이전트 keeps its real position, so phrases see the gap
    assert_eq!(seen[1], ("에이전트".to_string(), 2, "에이전트"));
}

#[test]
fn product_names_are_findable_whole_and_by_part() {
    let a = analyzer(&[]);
    let with_compounds = |s: &str| {
        let mut terms = a.terms(s);
        sosik_ko::add_compounds(s, &mut terms);
        terms.into_iter().map(|t| t.text).collect::<Vec<_>>()
    };
    let t = with_compounds("OpenAI의 GPT-5.3-Codex와 엔비디아 H200, Llama-3.1 출시");
    for expected in ["gpt-5.3-codex", "gpt", "codex", "h200", "llama-3.1", "llama"] {
        assert!(t.contains(&expected.to_string()), "{expected} missing from {t:?}");
    }
    // plain words and numbers separated by spaces are not glued together
    let t = with_compounds("GPT 5 출시 2026년");
    assert!(!t.iter().any(|x| x.contains(' ') || x == "gpt5"), "{t:?}");
    // the tagger's plain terms have the parts only
    assert!(!texts(&a, "H200").contains(&"h200".to_string()));
}
