//! The company and topic tagger on the built-in lists and the real Korean dictionary
//! (installed by scripts/setup/dict.sh). No corpus and no embedding model are needed: topic
//! similarities are given by hand where a rule depends on them.

use sosik_corpus::tagging::{
    Catalog, TagText, Tagger, TopicClassifier, TopicModel, TopicVectors, TOPIC_SUPPORT_Z, TOPIC_WEIGHT_BODY,
    TOPIC_WEIGHT_TITLE,
};
use sosik_corpus::NewsItem;
use sosik_ko::{default_dictionary_dir, Analyzer};

struct Fixture {
    analyzer: Analyzer,
    tagger: Tagger,
    catalog: Catalog,
}

fn fixture() -> Fixture {
    let catalog = Catalog::builtin().expect("built-in lists parse");
    let analyzer = Analyzer::open(&default_dictionary_dir(), &catalog.user_words())
        .expect("Korean dictionary (run scripts/setup/dict.sh)");
    let tagger = Tagger::new(&catalog, &analyzer);
    Fixture { analyzer, tagger, catalog }
}

impl Fixture {
    fn text(&self, title: &str, lead: &str, body: &str) -> TagText {
        TagText::from_parts(title, lead, body, &[], &self.analyzer)
    }

    /// Companies of an item whose only text is `body` (short: a digest entry).
    fn body_companies(&self, body: &str) -> Vec<String> {
        self.tagger.companies(&self.text("", "", body))
    }

    fn title_companies(&self, title: &str) -> Vec<String> {
        self.tagger.companies(&self.text(title, "", ""))
    }

    /// (cosine, z) per topic with every z at 0 except `topic`'s.
    /// Topic vectors (one axis per topic, no trained model: the keyword rule) and an item
    /// vector: along `topic`'s axis (its similarity stands out, z = √(topics − 1)), or, for
    /// `None`, on an axis of no topic (every similarity equal, z = 0).
    fn semantic(&self, topic: Option<&str>) -> (Vec<f32>, TopicVectors) {
        let n = self.catalog.topics.len();
        let axis = |i: usize| (0..=n).map(|k| if k == i { 1.0 } else { 0.0 }).collect::<Vec<f32>>();
        let vectors = (0..n).map(axis).collect();
        let i = topic.map_or(n, |slug| self.catalog.topics.iter().position(|t| t.slug == slug).expect("topic"));
        (axis(i), TopicVectors::new(vectors, &self.catalog, "test-model", None))
    }
}

fn item(post: &str, title: &str, body: &str) -> NewsItem {
    NewsItem {
        id: format!("{post}/{title}"),
        post_path: post.into(),
        post_title: "에세이".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
        position: 0,
        title: title.into(),
        summary: String::new(),
        why: String::new(),
        body: body.into(),
        sources: Vec::new(),
        companies: Vec::new(),
        topics: Vec::new(),
        names: Vec::new(),
    }
}

#[test]
fn metaverse_is_not_meta() {
    let f = fixture();
    assert!(!f.body_companies("메타버스 플랫폼과 메타데이터 관리가 화제입니다.").contains(&"meta".to_string()));
    assert_eq!(f.body_companies("메타가 새 모델을 공개했습니다."), ["meta"]);
}

#[test]
fn particles_do_not_block_a_name() {
    let f = fixture();
    assert_eq!(f.body_companies("앤트로픽은 새 모델을 공개했습니다."), ["anthropic"]);
    assert_eq!(f.body_companies("앤트로픽의 발표"), ["anthropic"]);
    // lindera splits 스페이스X differently once a particle follows; both spellings match
    assert_eq!(f.body_companies("스페이스X에 합류했습니다."), ["spacex"]);
    assert_eq!(f.body_companies("스페이스X"), ["spacex"]);
}

#[test]
fn products_tag_their_company() {
    let f = fixture();
    assert_eq!(f.body_companies("Claude로 코드를 작성했습니다."), ["anthropic"]);
    assert_eq!(f.body_companies("클로드 코드로 리팩터링했습니다."), ["anthropic"]);
}

#[test]
fn a_phrase_alias_is_matched_whole_and_wins_over_its_words() {
    let f = fixture();
    // "Claude Code" is a topic phrase: in the title it tags coding agents
    let text = f.text("Claude Code 새 기능 공개", "", "");
    assert_eq!(f.tagger.companies(&text), ["anthropic"]);
    assert!(f.tagger.topics(&text, None).contains(&"coding-agents".to_string()));
    // "Copilot Cowork" is Microsoft's, though "Cowork" alone is Anthropic's
    assert_eq!(f.title_companies("Copilot Cowork 출시"), ["microsoft"]);
    // "Google DeepMind" is DeepMind, not also Google
    assert_eq!(f.title_companies("Google DeepMind가 새 모델 공개"), ["deepmind"]);
    // a phrase does not match across a particle: "Claude의 Code" is only Claude
    let text = f.text("Claude의 Code 기능", "", "");
    assert!(!f.tagger.topics(&text, None).contains(&"coding-agents".to_string()));
}

#[test]
fn an_alias_may_carry_a_latin_suffix() {
    let f = fixture();
    assert_eq!(f.title_companies("삼성SDS가 AI 플랫폼 발표"), ["samsung"]);
}

#[test]
fn the_longest_alias_wins() {
    let f = fixture();
    assert_eq!(f.title_companies("SK하이닉스, HBM4 양산"), ["sk-hynix"]);
    assert_eq!(f.title_companies("SK그룹 AI 투자"), ["sk"]);
}

#[test]
fn short_capital_aliases_are_case_sensitive() {
    let f = fixture();
    assert_eq!(f.body_companies("MS가 새 모델을 공개했습니다."), ["microsoft"]);
    assert!(f.body_companies("응답 시간이 30 ms로 줄었습니다.").is_empty());
}

#[test]
fn file_and_package_names_are_not_mentions_but_web_domains_are() {
    let f = fixture();
    assert!(!f.body_companies("llama.cpp로 로컬에서 실행합니다.").contains(&"meta".to_string()));
    assert_eq!(f.body_companies("github.com에서 제공됩니다."), ["github"]);
}

#[test]
fn citations_are_not_mentions() {
    let f = fixture();
    let body = "오픈AI가 새 API를 공개했습니다.\nSource: Google Developers Blog\n→ 원문: Hugging Face 블로그";
    assert_eq!(f.body_companies(body), ["openai"]);
    // a source link's text and the publisher in parentheses after it
    let text = TagText::from_parts(
        "",
        "",
        "기본 동작이 바뀌었습니다. 자세한 내용은 Release notes (GitHub Changelog) 참고.",
        &[("Release notes", "https://github.blog/changelog/x")],
        &f.analyzer,
    );
    assert!(f.tagger.companies(&text).is_empty());
    // a trailing bracketed reference in a title
    assert_eq!(f.title_companies("Qwen 3.6 로컬 가속 ([Reddit / Hugging Face])"), ["alibaba"]);
}

#[test]
fn a_passing_mention_in_a_long_text_is_not_a_tag() {
    let f = fixture();
    let filler = "이 글은 개발 조직이 일하는 방식의 변화를 다룹니다. ".repeat(60);
    let once = format!("{filler}\n엔비디아 이야기도 잠깐 나옵니다.");
    assert!(f.body_companies(&once).is_empty());
    let thrice = format!("{filler}\n엔비디아가 발표했고, 엔비디아는 투자했으며, 엔비디아 주가가 올랐습니다.");
    assert_eq!(f.body_companies(&thrice), ["nvidia"]);
    // in a short (digest) item one mention is enough
    assert_eq!(f.body_companies("엔비디아 이야기도 잠깐 나옵니다."), ["nvidia"]);
}

#[test]
fn a_topic_keyword_in_the_title_tags_but_one_in_the_body_needs_support() {
    let f = fixture();
    let in_title = f.text("AI 데이터센터 건설 가속", "", "회사가 새 부지를 발표했습니다.");
    assert_eq!(f.tagger.topics(&in_title, None), ["capex"]);
    let once_in_body = f.text("새 부지 발표", "", "회사는 데이터센터를 짓는다고 밝혔습니다.");
    assert!(f.tagger.topics(&once_in_body, None).is_empty());
    // with embeddings: a single body keyword counts when the item's vector stands out toward
    // the topic's description, not when it is average
    let (near, tv) = f.semantic(Some("capex"));
    assert!(tv.scores(&near).iter().any(|(_, z)| *z >= TOPIC_SUPPORT_Z));
    assert_eq!(f.tagger.topics(&once_in_body, Some((&near, &tv))), ["capex"]);
    let (average, tv) = f.semantic(None);
    assert!(f.tagger.topics(&once_in_body, Some((&average, &tv))).is_empty());
    // similarity alone, without any keyword, does not tag
    let unrelated = f.text("새 부지 발표", "", "회사가 새 사옥을 공개했습니다.");
    assert!(f.tagger.topics(&unrelated, Some((&near, &tv))).is_empty());
}

/// A glossary name that is a listed company is tagged as the company only; a company's
/// product keeps its own name.
#[test]
fn a_company_is_not_also_a_name() {
    let f = fixture();
    let text = f.text("앤트로픽, 클로드 코드 새 버전 공개", "", "앤트로픽이 클로드 코드를 내놓았습니다.");
    assert!(f.tagger.companies(&text).contains(&"anthropic".to_string()));
    let names = f.tagger.names(&text);
    assert!(names.contains(&"claude-code".to_string()), "{names:?}");
    assert!(!names.contains(&"anthropic".to_string()), "{names:?}");
}

/// A topic with a trained classifier is decided by it, the others by the keyword rule; a model
/// trained on other lists is not used at all.
#[test]
fn a_trained_classifier_decides_its_topic() {
    let f = fixture();
    let (vector, plain) = f.semantic(None);
    let dims = vector.len() + 2;
    // a classifier that says yes to everything (bias +5), and one that says no (bias −5)
    let classifier = |slug: &str, bias: f32| TopicClassifier {
        slug: slug.into(),
        positives: 10,
        weights: (0..dims).map(|i| if i + 1 == dims { bias } else { 0.0 }).collect(),
    };
    let model = TopicModel {
        format: sosik_corpus::tagging::topic_model::FORMAT,
        model_id: "test-model".into(),
        digest: TopicModel::digest(&f.catalog, "test-model"),
        trained_on: 20,
        c: 1.0,
        topics: vec![classifier("robotics", 5.0), classifier("capex", -5.0)],
    };
    let tv = TopicVectors::new(plain.vectors.clone(), &f.catalog, "test-model", Some(&model));
    assert!(tv.note.starts_with("topic model (2 of"), "{}", tv.note);
    // capex in the title would tag by the rule, but its classifier says no; robotics' says yes,
    // but the item has no robotics keyword at all, and a classifier needs one
    let text = f.text("AI 데이터센터 건설 가속", "", "회사가 새 부지를 발표했습니다.");
    assert_eq!(f.tagger.topics(&text, Some((&vector, &plain))), ["capex"]);
    assert!(f.tagger.topics(&text, Some((&vector, &tv))).is_empty());
    // one body keyword, which the rule does not take without embedding support (z = 0 here),
    // is enough for a classifier that says yes
    let weak = f.text("새 소식", "", "공장에 휴머노이드를 들였다고 밝혔습니다.");
    assert!(f.tagger.topics(&weak, Some((&vector, &plain))).is_empty());
    assert_eq!(f.tagger.topics(&weak, Some((&vector, &tv))), ["robotics"]);
    // trained for another embedding model: not used, and the note says why
    let stale = TopicVectors::new(plain.vectors.clone(), &f.catalog, "other-model", Some(&model));
    assert!(stale.note.contains("not used"), "{}", stale.note);
    assert_eq!(f.tagger.topics(&text, Some((&vector, &stale))), ["capex"]);
}

/// A keyword of several words counts where the text writes it, even when the analysis of the
/// sentence cuts it otherwise than the keyword alone (생성 before 모델 or 스타트업 is 생 + 성).
#[test]
fn a_keyword_phrase_counts_as_written() {
    let f = fixture();
    let media = f.catalog.topics.iter().position(|t| t.slug == "generative-media").expect("topic");
    let title = "AI 영상 생성 스타트업 Higgsfield, 4억 달러 유치";
    let terms: Vec<String> = f.analyzer.terms(title).into_iter().map(|t| t.text).collect();
    assert!(!terms.iter().any(|t| t == "생성"), "the case this covers: {terms:?}");
    let score = f.tagger.topic_keywords(&f.text(title, "", ""))[media];
    assert_eq!(score, TOPIC_WEIGHT_TITLE, "영상 생성 once, as a title keyword");
    // a phrase must start a word: 동영상 생성 is one keyword, not also 영상 생성
    let score = f.tagger.topic_keywords(&f.text("동영상 생성 모델 공개", "", ""))[media];
    assert_eq!(score, TOPIC_WEIGHT_TITLE);
    // and counts once per part, however often it is written or matched both ways
    let score = f.tagger.topic_keywords(&f.text("", "", "이미지 생성 기능. 이미지 생성 모델도."))[media];
    assert_eq!(score, TOPIC_WEIGHT_BODY);
}

#[test]
fn topic_companies_and_sources_count_as_evidence() {
    let f = fixture();
    // 네이버 is listed under korea-ai: named in the title it tags the topic
    let text = f.text("네이버, 새 AI 브리핑 기능 공개", "", "");
    assert!(f.tagger.topics(&text, None).contains(&"korea-ai".to_string()));
    // an arXiv link counts like one lead keyword: with embedding support it tags research
    let paper = TagText::from_parts(
        "ReferTrack: Referring Then Tracking",
        "",
        "대상을 먼저 식별한 뒤 추적하는 2단계 방법을 제안합니다.",
        &[("ReferTrack", "https://arxiv.org/abs/2607.20061")],
        &f.analyzer,
    );
    assert!(f.tagger.topics(&paper, None).is_empty());
    let (near, tv) = f.semantic(Some("research"));
    assert_eq!(f.tagger.topics(&paper, Some((&near, &tv))), ["research"]);
}

#[test]
fn essay_passages_are_tagged_with_what_the_essay_discusses() {
    let f = fixture();
    let post = "essays/a.md";
    let mut items = vec![
        item(post, "도입", "엔비디아가 새 칩을 발표했습니다. 앤트로픽도 언급됩니다."),
        item(post, "본론", "엔비디아는 GPU 공급을 늘렸습니다."),
        item(post, "결론", "엔비디아의 전략은 분명합니다."),
        item(post, "부록", "그 밖의 이야기입니다."),
    ];
    f.tagger.tag_items(&mut items, None);
    // Nvidia is named three times across the essay: a subject; Anthropic once: passing
    assert_eq!(items[0].companies, ["nvidia"]);
    assert_eq!(items[1].companies, ["nvidia"]);
    assert!(items[3].companies.is_empty());

    // the same texts as separate news items (each with a source) keep every mention
    let mut news = items.clone();
    for n in &mut news {
        n.post_path = "digest.md".into();
        n.sources.push(sosik_corpus::SourceLink {
            title: "원문".into(),
            url: "https://example.com/a".into(),
            domain: "example.com".into(),
        });
    }
    f.tagger.tag_items(&mut news, None);
    assert_eq!(news[0].companies, ["nvidia", "anthropic"]);
}

/// `eval-tagging` names a missing corpus or label file instead of measuring nothing.
#[test]
fn eval_tagging_names_a_missing_path() {
    let dir = tempfile::tempdir().unwrap();
    let labels = dir.path().join("labels.jsonl");
    std::fs::write(&labels, "").unwrap();
    let run = |labels: &std::path::Path, corpus: &std::path::Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_sosik-indexer"))
            .args(["eval-tagging", "--no-embed", "--labels"])
            .arg(labels)
            .arg("--corpus")
            .arg(corpus)
            .output()
            .unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let missing_corpus = dir.path().join("no-such-corpus");
    let err = run(&labels, &missing_corpus);
    assert!(err.contains(&missing_corpus.display().to_string()) && err.contains("corpus"), "{err}");
    let missing_labels = dir.path().join("no-such-labels.jsonl");
    let err = run(&missing_labels, dir.path());
    assert!(err.contains(&missing_labels.display().to_string()), "{err}");
}

/// On a two-item corpus: labels are matched by title despite numbering and markup, and the
/// table reports precision and recall.
#[test]
fn eval_tagging_measures_a_small_corpus() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(corpus.join("blog")).unwrap();
    std::fs::write(
        corpus.join("blog/2026-01-02-news.md"),
        "---\ntitle: 뉴스\ndate: 2026-01-02\n---\n\n## 1. 앤트로픽, 새 코딩 에이전트 공개\n\n### 요약\n앤트로픽이 Claude Code 새 버전을 공개했습니다.\n\n### 왜 중요한가\nAI 코딩 경쟁이 치열해집니다.\n\n**Source:** [Anthropic](https://www.anthropic.com/news/x)\n\n## 2. 엔비디아, AI 데이터센터 투자 확대\n\n### 요약\n엔비디아가 데이터센터 투자를 늘립니다.\n\n### 왜 중요한가\n설비 투자가 계속됩니다.\n\n**Source:** [Reuters](https://www.reuters.com/x)\n",
    )
    .unwrap();
    let labels = dir.path().join("labels.jsonl");
    std::fs::write(
        &labels,
        concat!(
            r#"{"post_path": "blog/2026-01-02-news.md", "item_title": "1. **앤트로픽**, 새 코딩 에이전트 공개", "companies": ["anthropic"], "topics": ["coding-agents"]}"#,
            "\n",
            r#"{"post_path": "blog/2026-01-02-news.md", "item_title": "2. 엔비디아, AI 데이터센터 투자 확대", "companies": ["nvidia", "openai"], "topics": ["capex"]}"#,
            "\n",
            r#"{"post_path": "blog/missing.md", "item_title": "없는 글", "companies": [], "topics": []}"#,
            "\n",
        ),
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_sosik-indexer"))
        .args(["eval-tagging", "--no-embed", "--details", "--labels"])
        .arg(&labels)
        .arg("--corpus")
        .arg(&corpus)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("labels matched: 2 (2 digest items, 0 essays)"), "{stdout}");
    assert!(stdout.contains("unmatched: 1") && stdout.contains("blog/missing.md"), "{stdout}");
    // companies: anthropic and nvidia found, openai missed → P 1.000, R 0.667
    let line = stdout.lines().find(|l| l.starts_with("companies  all")).expect("companies row");
    assert!(line.contains("1.000") && line.contains("0.667"), "{line}");
    assert!(stdout.contains("-openai"), "{stdout}");
}
