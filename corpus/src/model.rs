//! The corpus model: posts → news items.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::items::RawItem;
use crate::post::Post;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceLink {
    pub title: String,
    pub url: String,
    pub domain: String,
}

/// A news item (or an essay passage) with everything search and explore need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsItem {
    /// Stable id: hash of post path, position and title (same input → same id).
    pub id: String,
    pub post_path: String,
    pub post_title: String,
    pub date: NaiveDate,
    /// 0-based position of the item in its post.
    pub position: usize,
    pub title: String,
    pub summary: String,
    pub why: String,
    pub body: String,
    pub sources: Vec<SourceLink>,
    pub companies: Vec<String>,
    pub topics: Vec<String>,
    /// People, products and organisations of the glossary the item names (their slugs,
    /// `GlossaryTerm::slug`), strongest first. Absent from items stored before the glossary.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<String>,
}

impl NewsItem {
    pub fn from_raw(post: &Post, position: usize, raw: RawItem) -> NewsItem {
        let title = if raw.title.is_empty() { post.title.clone() } else { raw.title };
        let mut h = Sha256::new();
        h.update(post.path.as_bytes());
        h.update([0]);
        h.update(position.to_le_bytes());
        h.update(title.as_bytes());
        let id = h.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect();
        let sources = raw
            .sources
            .into_iter()
            .map(|l| {
                let domain = domain_of(&l.url);
                let generic = is_generic_link_text(&l.text);
                SourceLink { title: if generic { domain.clone() } else { l.text }, url: l.url, domain }
            })
            .collect();
        NewsItem {
            id,
            post_path: post.path.clone(),
            post_title: post.title.clone(),
            date: post.date,
            position,
            title,
            summary: raw.summary,
            why: raw.why,
            body: raw.body,
            sources,
            companies: Vec::new(),
            topics: Vec::new(),
            names: Vec::new(),
        }
    }

    /// Text the embedding model sees: title, then summary and why-it-matters (or the body).
    /// Every text embedded for this item: [`Self::embedding_text`] first, then — for a long
    /// body without a lead, which the model would cut at 512 tokens — the rest of the body in
    /// paragraph-aligned chunks of about [`CHUNK_CHARS`] characters, each with the title. The
    /// vector leg scores an item by its best chunk.
    pub fn embedding_chunks(&self) -> Vec<String> {
        let mut chunks = vec![self.embedding_text()];
        if !self.summary.is_empty() || !self.why.is_empty() || self.body.chars().count() <= CHUNK_CHARS {
            return chunks;
        }
        // The first text covers about the first CHUNK_CHARS characters; chunk what follows.
        let mut seen = 0;
        let mut current = String::new();
        for para in self.body.split('\n').filter(|p| !p.trim().is_empty()) {
            let len = para.chars().count();
            if seen < CHUNK_CHARS {
                seen += len + 1;
                continue;
            }
            if !current.is_empty() && current.chars().count() + len > CHUNK_CHARS {
                chunks.push(format!("{}\n{}", self.title, current));
                current.clear();
            }
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(para);
        }
        if !current.is_empty() {
            chunks.push(format!("{}\n{}", self.title, current));
        }
        chunks
    }

    pub fn embedding_text(&self) -> String {
        let lead = [self.summary.as_str(), self.why.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join("\n");
        let rest = if lead.is_empty() { self.body.as_str() } else { lead.as_str() };
        format!("{}\n{}", self.title, rest)
    }
}

/// Characters per embedded chunk: comfortably under the model's 512 tokens for Korean text.
pub const CHUNK_CHARS: usize = 700;

/// A URL's parts as articles are compared: the host (`www.` dropped, lower-cased), the path
/// (without its trailing slash) and the raw query, without scheme and fragment.
fn article_parts(url: &str) -> (String, &str, &str) {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split('#').next().unwrap_or("");
    let (page, query) = rest.split_once('?').unwrap_or((rest, ""));
    let (host, path) = page.split_once('/').unwrap_or((page, ""));
    (host.trim_start_matches("www.").to_ascii_lowercase(), path.trim_end_matches('/'), query)
}

/// An article URL normalised for comparison (no scheme, `www.`, query, fragment or trailing
/// slash; host lower-cased), or `None` for links too generic to identify a story (a site's home
/// page, a bare domain). Near-duplicate grouping keys articles by it.
pub fn article_key(url: &str) -> Option<String> {
    let (host, path, _) = article_parts(url);
    (path.len() >= 8).then(|| format!("{host}/{path}"))
}

/// Query parameters that name the page (`articleView.html?idxno=N`, `watch?v=…`,
/// `PostView.naver?blogId=…&logNo=…`): [`page_key`] keeps them; other parameters are tracking or
/// display options.
const PAGE_PARAMS: &[&str] =
    &["idxno", "id", "no", "v", "p", "aid", "oid", "articleid", "docid", "logno", "blogid", "story_fbid", "q", "item"];

/// The page a link names, finer than [`article_key`] (what source lineage compares): the
/// query parameters that name a page kept ([`PAGE_PARAMS`], sorted: `?idxno=1` and `?idxno=2` of
/// one news site are two articles), `youtu.be/ID` read as `youtube.com/watch?v=ID`, and a paper's
/// pages on arXiv (`abs`, `pdf`, any version) and Hugging Face read as one. `None` for a link
/// with neither a path of 8 characters nor a page-naming parameter (a home page).
///
/// Duplicate grouping still keys by [`article_key`]: moving it to this key changes the groups,
/// and every figure built on them, so it waits for a change that re-measures them.
pub fn page_key(url: &str) -> Option<String> {
    let (host, path, query) = article_parts(url);
    let mut params: Vec<String> = query
        .split('&')
        .filter_map(|p| {
            let (name, value) = p.split_once('=')?;
            let name = name.to_ascii_lowercase();
            (PAGE_PARAMS.contains(&name.as_str()) && !value.is_empty()).then(|| format!("{name}={value}"))
        })
        .collect();
    params.sort_unstable();
    if host == "youtu.be" && !path.is_empty() {
        return Some(format!("youtube.com/watch?v={path}"));
    }
    if path.len() < 8 && params.is_empty() {
        return None;
    }
    let key = if params.is_empty() { format!("{host}/{path}") } else { format!("{host}/{path}?{}", params.join("&")) };
    let paper = key
        .strip_prefix("huggingface.co/papers/")
        .or_else(|| key.strip_prefix("arxiv.org/abs/"))
        .or_else(|| key.strip_prefix("arxiv.org/pdf/"))
        .map(|id| id.trim_end_matches(".pdf"))
        .filter(|id| {
            id.split_once('.')
                .is_some_and(|(a, b)| a.len() == 4 && a.bytes().chain(b.bytes().take(4)).all(|c| c.is_ascii_digit()))
        });
    Some(match paper {
        // `2603.19227v2` and `2603.19227` are one paper
        Some(id) => format!("arxiv.org/abs/{}", id.split_once('v').map_or(id, |(id, _)| id)),
        None => key,
    })
}

/// `https://www.techcrunch.com/a` → `techcrunch.com`.
pub fn domain_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let host = host.split(':').next().unwrap_or(host);
    host.trim_start_matches("www.").to_ascii_lowercase()
}

/// Link texts that say nothing about the article ("🔗 원문 기사 보기", "Source URL", "Link to
/// Article", a bare URL or domain, "링크: https://…").
fn is_generic_link_text(text: &str) -> bool {
    let t = text.trim();
    // "링크: https://…", "원문 - example.com/a": the label says nothing, the rest decides
    let t = match t.split_once([':', '：']) {
        Some((label, rest)) if label.chars().count() <= 8 && !rest.starts_with("//") => rest.trim(),
        _ => t,
    };
    let lower = t.to_lowercase();
    if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") {
        return true;
    }
    // "openai.com/index/x", "news.hada.io": a domain (with a path), no spaces
    if !lower.contains(' ')
        && lower.split('/').next().is_some_and(|host| {
            const TLDS: &[&str] = &[
                "com", "org", "net", "io", "ai", "dev", "co", "kr", "jp", "cn", "uk", "de", "fr", "app", "blog",
                "news", "tech", "me", "xyz", "info", "gg", "tv", "so", "sh", "edu", "gov",
            ];
            host.contains('.') && host.rsplit('.').next().is_some_and(|tld| TLDS.contains(&tld))
        })
    {
        return true;
    }
    let words: String = lower.chars().filter(|c| c.is_alphanumeric() || *c == ' ').collect::<String>();
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    words.is_empty()
        || [
            "원문 기사 보기",
            "원문 보기",
            "원문",
            "원문 링크",
            "기사 보기",
            "기사 원문",
            "기사",
            "링크",
            "바로가기",
            "자세히 보기",
            "더 보기",
            "출처",
            "소스",
            "link",
            "link to article",
            "article",
            "source",
            "source url",
            "url",
            "here",
            "read more",
            "more",
        ]
        .contains(&words.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_keys_name_pages() {
        // a paper is one page on arXiv and Hugging Face
        assert_eq!(page_key("https://huggingface.co/papers/2603.19227").as_deref(), Some("arxiv.org/abs/2603.19227"));
        assert_eq!(page_key("https://arxiv.org/pdf/2603.19227v2").as_deref(), Some("arxiv.org/abs/2603.19227"));
        assert_eq!(
            page_key("https://huggingface.co/papers/trending-list").as_deref(),
            Some("huggingface.co/papers/trending-list")
        );
        // a page its query names is a page; tracking parameters and home pages name none
        assert_eq!(
            page_key("https://www.youtube.com/watch?v=hKeDfupbA4U&utm_source=x").as_deref(),
            Some("youtube.com/watch?v=hKeDfupbA4U")
        );
        assert_eq!(page_key("https://youtu.be/hKeDfupbA4U").as_deref(), Some("youtube.com/watch?v=hKeDfupbA4U"));
        assert_eq!(
            page_key("https://youtube.com/watch?si=abc&v=hKeDfupbA4U&feature=share").as_deref(),
            Some("youtube.com/watch?v=hKeDfupbA4U")
        );
        assert_eq!(
            page_key("https://www.aitimes.com/news/articleView.html?idxno=201").as_deref(),
            Some("aitimes.com/news/articleView.html?idxno=201")
        );
        assert_ne!(
            page_key("https://www.aitimes.com/news/articleView.html?idxno=202"),
            page_key("https://www.aitimes.com/news/articleView.html?idxno=201")
        );
        assert_eq!(
            page_key("https://techcrunch.com/2026/02/05/story/?utm_source=x&fbclid=1").as_deref(),
            Some("techcrunch.com/2026/02/05/story")
        );
        assert_eq!(page_key("https://openai.com/?utm_source=x"), None);
        assert_eq!(page_key("https://openai.com/"), None);
        // article_key, for grouping, reads every query away
        assert_eq!(
            article_key("https://www.aitimes.com/news/articleView.html?idxno=201").as_deref(),
            Some("aitimes.com/news/articleView.html")
        );
        assert_eq!(article_key("https://openai.com/index"), None);
    }

    #[test]
    fn long_bodies_without_a_lead_are_chunked() {
        let para = "가".repeat(300);
        let body = [para.as_str(); 6].join("\n");
        let mut item = NewsItem {
            id: "x".into(),
            post_path: "p".into(),
            post_title: "t".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            position: 0,
            title: "제목".into(),
            summary: String::new(),
            why: String::new(),
            body,
            sources: vec![],
            companies: vec![],
            topics: vec![],
            names: Vec::new(),
        };
        let chunks = item.embedding_chunks();
        assert_eq!(chunks[0], item.embedding_text(), "the first text is unchanged (cached vectors stay valid)");
        // 6 paragraphs of 300: the first text covers 3, the other 3 go two and one per chunk
        assert_eq!(chunks.len(), 3, "{:?}", chunks.iter().map(|c| c.chars().count()).collect::<Vec<_>>());
        assert!(chunks[1..].iter().all(|c| c.starts_with("제목\n") && c.chars().count() <= CHUNK_CHARS + 10));
        item.summary = "요약".into();
        assert_eq!(item.embedding_chunks().len(), 1, "items with a lead embed title and lead only");
    }

    #[test]
    fn domains() {
        assert_eq!(domain_of("https://www.TechCrunch.com/2026/01/x"), "techcrunch.com");
        assert_eq!(domain_of("https://news.hada.io/topic?id=1"), "news.hada.io");
        assert_eq!(domain_of("http://user@host.org:8080/p"), "host.org");
    }

    #[test]
    fn generic_link_texts() {
        assert!(is_generic_link_text("🔗 원문 기사 보기"));
        assert!(is_generic_link_text("Source URL"));
        assert!(is_generic_link_text("Link to Article"));
        assert!(is_generic_link_text("https://example.com/a"));
        assert!(is_generic_link_text("링크: https://example.com/a"));
        assert!(is_generic_link_text("openai.com/index/introducing-gpt-5-4/"));
        assert!(!is_generic_link_text("Introducing OpenAI Frontier"));
        assert!(!is_generic_link_text("GPT-5.4 출시"));
        assert!(!is_generic_link_text("Node.js 24 released"));
        assert!(!is_generic_link_text("Node.js"));
    }
}
