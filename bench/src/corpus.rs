//! A seeded generator of Korean AI-news digest posts, for benches only.
//!
//! The text is ours: sentence templates written for this generator, filled with company names and
//! products from `data/companies.toml`, topic names and keywords from `data/topics.toml`, numbers
//! and dates. Sources are on subdomains of example.com. Posts come in two of the layouts the
//! indexer reads most (see `data/posts`): the numbered digest (`## N. 제목`, `### 요약`,
//! `### 왜 중요한가?`, `**Source:** [..](..)`) and the bold-label digest (`### 제목`,
//! `**📌 요약**`, `**💡 시사점**`, `**[🔗 원문 기사 보기](..)**`). Each generated item becomes
//! exactly one indexed item, so a corpus of N items parses into N items.
//!
//! The same seed and size give byte-identical files (ChaCha8, a fixed catalog order).

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::{Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sosik_corpus::tagging::Catalog;

/// What to generate.
#[derive(Clone, Debug)]
pub struct CorpusSpec {
    pub seed: u64,
    /// Items in the whole corpus.
    pub items: usize,
    /// Date of the first post.
    pub start: NaiveDate,
    /// Posts are spread evenly over this many days.
    pub days: i64,
}

impl CorpusSpec {
    /// `items` items from 2022-01-01 over four years.
    pub fn new(seed: u64, items: usize) -> CorpusSpec {
        CorpusSpec { seed, items, start: NaiveDate::from_ymd_opt(2022, 1, 1).expect("valid date"), days: 4 * 365 }
    }
}

/// What was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CorpusSummary {
    pub posts: usize,
    pub items: usize,
    pub bytes: u64,
}

/// One generated post: its file name and text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Post {
    pub file_name: String,
    pub text: String,
    pub items: usize,
}

const BLOGS: &[(&str, Layout)] = &[
    ("daily-ai", Layout::Numbered),
    ("tech-brief", Layout::BoldLabel),
    ("ai-weekly", Layout::Numbered),
    ("global-it", Layout::BoldLabel),
    ("ml-digest", Layout::Numbered),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    Numbered,
    BoldLabel,
}

const OUTLETS: &[&str] = &["news", "tech", "biz", "science", "policy", "chips", "startups", "research"];

const TITLES: &[&str] = &[
    "{c}, {t} 분야 신규 서비스 '{p}' 공개",
    "{c}, {n}억 달러 규모 {t} 투자 계획 발표",
    "{c}의 {p}, 기업 고객 {n}만 곳 돌파",
    "{c}와 {c2}, {t} 협력 확대하기로",
    "{c}, {t} 관련 규제 대응 전략 내놔",
    "{c} 새 모델 {p} 출시… {t} 경쟁 본격화",
    "{t} 시장 재편: {c}가 꺼낸 승부수",
    "{c}, {place}에 {t} 연구 거점 신설",
    "{c} 경영진 \"{t}는 앞으로 {n}년이 분수령\"",
    "{c}, {p} 가격 인하… {c2} 견제 나서",
    "{c}의 {t} 실험, 첫 성과 공개",
    "{c2} 출신 연구진, {c}에 합류해 {t} 조직 이끈다",
    "{c}, {t} 스타트업 인수로 {p} 강화",
    "{place} 정부, {c}와 {t} 공동 사업 추진",
    "{c}, 분기 실적에서 {t} 매출 {n}% 성장",
];

const SUMMARY: &[&str] = &[
    "{c}는 {date} {t} 분야를 겨냥한 '{p}'를 공개했습니다.",
    "회사 측은 이번 발표가 {n}개월에 걸친 내부 시험을 거친 결과라고 설명했습니다.",
    "{c}는 {place}의 데이터센터를 중심으로 {n}억 달러를 추가로 투입할 계획입니다.",
    "업계에서는 {c2}와의 경쟁이 {t} 시장 전반으로 번질 것으로 보고 있습니다.",
    "{p}는 기존 버전보다 처리 속도가 {n}% 빨라졌고 비용은 절반 수준으로 낮아졌습니다.",
    "초기 사용자들은 {t} 작업에서 눈에 띄는 생산성 향상을 경험했다고 밝혔습니다.",
    "{c}는 개발자용 API와 기업용 요금제를 함께 내놓으며 고객 확보에 나섰습니다.",
    "이번 조치는 {place} 규제 당국의 지침이 발표된 지 {n}주 만에 나왔습니다.",
    "{c}는 {k} 기능을 전면에 내세우며 {c2}의 제품과 차별화를 강조했습니다.",
    "회사는 연말까지 {n}개 국가로 서비스를 넓히겠다고 밝혔습니다.",
    "{c} 연구팀은 {k} 관련 벤치마크에서 이전 최고 기록을 {n}점 앞섰다고 발표했습니다.",
    "투자자들은 {t} 사업의 수익성이 아직 검증되지 않았다며 신중한 반응을 보였습니다.",
];

const WHY: &[&str] = &[
    "{t} 분야의 주도권이 소수 대형 기업으로 모이는 흐름이 더 뚜렷해졌습니다.",
    "{c}의 움직임은 {c2}를 비롯한 경쟁사들의 가격 정책에도 영향을 줄 가능성이 큽니다.",
    "{k} 기술이 연구 단계를 넘어 실제 업무에 들어오고 있다는 신호입니다.",
    "국내 기업들도 {t} 전략을 다시 점검해야 할 시점이라는 분석이 나옵니다.",
    "인프라 비용이 커질수록 {t} 시장의 진입 장벽은 더 높아질 것입니다.",
    "규제와 안전성 논의가 제품 출시 속도를 좌우하는 변수로 떠올랐습니다.",
    "사용자 데이터 보호와 투명성에 대한 요구도 함께 커지고 있습니다.",
    "{place} 시장의 반응이 향후 {n}년간 {t} 산업의 방향을 가늠할 잣대가 될 전망입니다.",
];

const POINTS: &[&str] =
    &["경쟁 구도의 변화", "비용 구조의 재편", "규제 리스크", "생태계 확장", "인재 확보 경쟁", "수익화 과제"];

const PLACES: &[&str] = &["미국", "한국", "일본", "유럽", "인도", "싱가포르", "캐나다", "영국", "중동", "대만"];

/// Korean (or the first) spelling of each company and its products; topics with Korean names
/// and keywords. Taken from the catalog compiled into sosik.
struct Vocabulary {
    companies: Vec<(String, String, Vec<String>)>, // (display, latin slug, products)
    topics: Vec<(String, Vec<String>)>,            // (name_ko, Korean keywords)
}

fn has_hangul(s: &str) -> bool {
    s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
}

impl Vocabulary {
    fn from_catalog(catalog: &Catalog) -> Vocabulary {
        let companies = catalog
            .companies
            .iter()
            .map(|c| {
                let display = c.aliases.iter().find(|a| has_hangul(a)).cloned().unwrap_or_else(|| c.name.clone());
                let products = c.products.iter().filter(|p| p.chars().count() >= 3).cloned().collect();
                (display, c.slug.clone(), products)
            })
            .collect();
        let topics = catalog
            .topics
            .iter()
            .map(|t| {
                let mut keywords: Vec<String> = t.keywords.iter().filter(|k| has_hangul(k)).cloned().collect();
                if keywords.is_empty() {
                    keywords.push(t.name_ko.clone());
                }
                (t.name_ko.clone(), keywords)
            })
            .collect();
        Vocabulary { companies, topics }
    }
}

/// Slots of one item: every template of the item is filled from these.
struct Slots<'a> {
    c: &'a str,
    c2: &'a str,
    p: String,
    t: &'a str,
    k: &'a str,
    place: &'a str,
    date: String,
}

fn fill(template: &str, s: &Slots, rng: &mut ChaCha8Rng) -> String {
    let mut out = template
        .replace("{c2}", s.c2)
        .replace("{c}", s.c)
        .replace("{p}", &s.p)
        .replace("{t}", s.t)
        .replace("{k}", s.k)
        .replace("{place}", s.place)
        .replace("{date}", &s.date);
    while let Some(at) = out.find("{n}") {
        let n = rng.random_range(2..=95).to_string();
        out.replace_range(at..at + 3, &n);
    }
    out
}

fn pick<'a, T>(rng: &mut ChaCha8Rng, list: &'a [T]) -> &'a T {
    &list[rng.random_range(0..list.len())]
}

/// Several distinct sentences of `templates`, in a random order.
fn sentences(rng: &mut ChaCha8Rng, templates: &[&str], count: usize, s: &Slots) -> String {
    let mut idx: Vec<usize> = (0..templates.len()).collect();
    for i in 0..count.min(idx.len()) {
        let j = rng.random_range(i..idx.len());
        idx.swap(i, j);
    }
    idx[..count.min(templates.len())].iter().map(|&i| fill(templates[i], s, rng)).collect::<Vec<_>>().join(" ")
}

/// The posts of a corpus, in order. Deterministic for a spec.
pub fn posts(spec: &CorpusSpec, catalog: &Catalog) -> Vec<Post> {
    let vocab = Vocabulary::from_catalog(catalog);
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let mut sizes = Vec::new();
    let mut left = spec.items;
    while left > 0 {
        let n = rng.random_range(4..=12usize).min(left);
        sizes.push(n);
        left -= n;
    }
    let days = spec.days.max(1);
    let mut out = Vec::with_capacity(sizes.len());
    for (i, &n) in sizes.iter().enumerate() {
        let day = spec.start + Duration::days(i as i64 * days / sizes.len().max(1) as i64);
        let blog = i % BLOGS.len();
        out.push(post(&mut rng, &vocab, day, blog, i, n));
    }
    out
}

fn post(rng: &mut ChaCha8Rng, vocab: &Vocabulary, day: NaiveDate, blog: usize, serial: usize, n: usize) -> Post {
    let (blog_name, layout) = BLOGS[blog];
    let hour = rng.random_range(6..23);
    let minute = rng.random_range(0..60);
    let mut text = String::new();
    match layout {
        Layout::Numbered => {
            let _ = write!(
                text,
                "---\ncategories:\n- news\n- ai\ndate: {day} {hour:02}:{minute:02}:00 +0900\nlayout: post\ntags:\n- \
                 daily-news\n- ai\ntitle: {day} Daily AI & Tech News ({blog_name})\n---\n\n안녕하세요!\n\n오늘의 AI \
                 소식 {n}건을 정리했습니다.\n\n---\n\n"
            );
        }
        Layout::BoldLabel => {
            let _ = write!(
                text,
                "---\nlayout: default\ntitle:  \"[{day}] 글로벌 IT 뉴스 Top {n} ({blog_name})\"\ndate:   {day} \
                 {hour:02}:{minute:02}:00 +0900\ncategories: tech\n---\n\n"
            );
        }
    }
    for k in 0..n {
        let (c, slug, products) = pick(rng, &vocab.companies);
        let (c2, _, _) = pick(rng, &vocab.companies);
        let (t, keywords) = pick(rng, &vocab.topics);
        let k_word = pick(rng, keywords);
        let p = if products.is_empty() {
            format!("{} {}", slug.to_uppercase(), rng.random_range(1..10))
        } else {
            pick(rng, products).clone()
        };
        let date = format!("{}월 {}일", day.format("%-m"), day.format("%-d"));
        // bound first: clippy's explicit_auto_deref would drop the `*`, which breaks inference
        let place = *pick(rng, PLACES);
        let s = Slots { c, c2, p, t, k: k_word, place, date };
        let template = *pick(rng, TITLES);
        let title = fill(template, &s, rng);
        let summary_len = rng.random_range(2..=4);
        let summary = sentences(rng, SUMMARY, summary_len, &s);
        let why_len = rng.random_range(1..=3);
        let why = sentences(rng, WHY, why_len, &s);
        let outlet = *pick(rng, OUTLETS);
        let url = format!("https://{outlet}.example.com/{}/{slug}-{serial}-{k}", day.format("%Y/%m/%d"));
        let source_title = format!("{} {} report {serial}-{k}", slug, outlet);
        match layout {
            Layout::Numbered => {
                let _ = write!(
                    text,
                    "## {}. {title}\n\n### 요약\n{summary}\n\n### 왜 중요한가?\n{why}\n\n**Source:** \
                     [{source_title}]({url})\n\n---\n\n",
                    k + 1
                );
            }
            Layout::BoldLabel => {
                let point = *pick(rng, POINTS);
                let _ = write!(
                    text,
                    "### {title}\n\n**📌 요약**\n{summary}\n\n**💡 시사점**\n-   **{point}:** {why}\n\n<br>\n**[🔗 \
                     원문 기사 보기]({url})**\n\n---\n\n"
                );
            }
        }
    }
    Post { file_name: format!("{day}-{blog_name}-{serial:06}.md"), text, items: n }
}

/// Writes the corpus into `dir` (created; must be empty or missing).
pub fn generate(dir: &Path, spec: &CorpusSpec, catalog: &Catalog) -> Result<CorpusSummary> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating the corpus folder {}", dir.display()))?;
    if std::fs::read_dir(dir)?.next().is_some() {
        anyhow::bail!("corpus folder {} is not empty; give a new one", dir.display());
    }
    let mut summary = CorpusSummary { posts: 0, items: 0, bytes: 0 };
    for post in posts(spec, catalog) {
        let path = dir.join(&post.file_name);
        std::fs::write(&path, &post.text).with_context(|| format!("writing {}", path.display()))?;
        summary.posts += 1;
        summary.items += post.items;
        summary.bytes += post.text.len() as u64;
    }
    Ok(summary)
}
